"""The .doc path: what a ".doc" really is, where LibreOffice is (PATH, the Windows registry, Program
Files — simulated), the private profile's URL and settings, the time limit."""

from __future__ import annotations

import os
import random
import stat
import sys
import time
from pathlib import Path, PureWindowsPath

import pytest

from export.importing import ImportFailed
from export.reading import doc_reader
from export.reading.libreoffice import REGISTRY_KEYS, find_soffice

# ---- what a .doc really is ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (doc_reader.OLE2 + b"\x00" * 100, "word97"),
        (b"{\\rtf1\\ansi hello}", "rtf"),
        (b"\xef\xbb\xbf  {\\rtf1}", "rtf"),
        (b"PK\x03\x04rest", "docx"),
        (b'<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>', "html"),
        (b"\r\n<!DOCTYPE html><p>x</p>", "html"),
        ('<html><body>一、总体情况</body></html>'.encode("utf-16"), "html"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", "mht"),
        (b"just some text", "unknown"),
        (b"", "unknown"),
    ],
)
def test_sniffing(data, kind):
    assert doc_reader.sniff(data) == kind


# ---- finding LibreOffice -----------------------------------------------------------------------


class FakeRegistry:
    """The parts of winreg the search uses, over a dict of (hive, key) → {value name: value}."""

    HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER = "HKLM", "HKCU"

    def __init__(self, keys: dict[tuple[str, str], dict[str, str]]) -> None:
        self.keys = keys
        self.opened: list[tuple[str, str]] = []
        self.closed = 0

    def OpenKey(self, hive: str, name: str):  # type: ignore[no-untyped-def]
        if (hive, name) not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        self.opened.append((hive, name))
        return (hive, name)

    def QueryValueEx(self, key, name: str):  # type: ignore[no-untyped-def]
        values = self.keys[key]
        if name not in values:
            raise FileNotFoundError(2, "no value")
        return values[name], 1

    def EnumValue(self, key, index: int):  # type: ignore[no-untyped-def]
        items = list(self.keys[key].items())
        if index >= len(items):
            raise OSError(259, "No more data")
        name, value = items[index]
        return name, value, 1

    def CloseKey(self, key) -> None:  # type: ignore[no-untyped-def]
        self.closed += 1


def _windows(registry: FakeRegistry | None, existing: set[str], environ: dict[str, str] | None = None) -> Path | None:
    return find_soffice(which=lambda name: None, platform="win32", winreg=registry,
                        environ=environ if environ is not None else {}, is_file=lambda p: str(p) in existing)


PROGRAM = r"C:\Program Files\LibreOffice\program"


def test_path_comes_first():
    assert find_soffice(which=lambda name: "/usr/bin/soffice" if name == "soffice" else None) == Path("/usr/bin/soffice")
    assert find_soffice(which=lambda name: "/snap/bin/libreoffice" if name == "libreoffice" else None,
                        platform="win32") == Path("/snap/bin/libreoffice")


def test_windows_registry_hklm_default_value():
    registry = FakeRegistry({("HKLM", REGISTRY_KEYS[0]): {"": PROGRAM}})
    found = _windows(registry, {PROGRAM + r"\soffice.exe"})
    assert str(found) == str(PureWindowsPath(PROGRAM) / "soffice.exe")
    assert registry.closed == len(registry.opened) == 1


def test_windows_registry_32_bit_build_and_current_user_and_named_values():
    x86 = r"C:\Program Files (x86)\LibreOffice\program"
    registry = FakeRegistry({("HKLM", r"SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath"): {"": x86}})
    assert str(_windows(registry, {x86 + r"\soffice.exe"})) == x86 + r"\soffice.exe"
    user = r"C:\Users\张三\AppData\Local\Programs\LibreOffice\program"
    registry = FakeRegistry({("HKCU", REGISTRY_KEYS[0]): {"LibreOffice 24.8": user}})
    assert str(_windows(registry, {user + r"\soffice.exe"})) == user + r"\soffice.exe"


def test_windows_program_files_when_the_registry_is_silent_or_wrong():
    stale = FakeRegistry({("HKLM", REGISTRY_KEYS[0]): {"": r"D:\removed\program"}})  # uninstalled, key left
    environ = {"ProgramFiles": r"C:\Program Files", "ProgramFiles(x86)": r"C:\Program Files (x86)"}
    assert str(_windows(stale, {PROGRAM + r"\soffice.exe"}, environ)) == PROGRAM + r"\soffice.exe"
    x86 = r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"
    assert str(_windows(None, {x86}, environ)) == x86
    local = r"C:\Users\李四\AppData\Local\Programs\LibreOffice\program\soffice.exe"
    assert str(_windows(None, {local}, {"LOCALAPPDATA": r"C:\Users\李四\AppData\Local"})) == local
    assert _windows(FakeRegistry({}), set(), environ) is None


def test_linux_packages_under_opt():
    found = find_soffice(which=lambda name: None, platform="linux",
                         glob=lambda pattern: ["/opt/libreoffice7.6/program/soffice", "/opt/libreoffice24.2/program/soffice"]
                         if pattern.startswith("/opt") else [],
                         is_file=lambda p: True)
    assert found == Path("/opt/libreoffice7.6/program/soffice")  # sorted newest-first by name; either is fine
    assert find_soffice(which=lambda name: None, platform="linux", glob=lambda pattern: [], is_file=lambda p: False) is None


# ---- the conversion ----------------------------------------------------------------------------


def test_the_profile_url_and_the_command(tmp_path):
    profile = tmp_path / "配置 文件"
    command = doc_reader.conversion_command(Path("/usr/bin/soffice"), profile, tmp_path / "source.doc", "word97", tmp_path)
    assert f"-env:UserInstallation={profile.as_uri()}" in command
    assert "%E9%85%8D%E7%BD%AE%20%E6%96%87%E4%BB%B6" in profile.as_uri()  # spaces and Chinese escaped
    assert "--infilter=MS Word 97" in command and "--convert-to" in command
    windows = PureWindowsPath(r"C:\Users\张三\AppData\Local\Temp\nianbao-doc-1\profile")
    assert windows.as_uri() == "file:///C:/Users/%E5%BC%A0%E4%B8%89/AppData/Local/Temp/nianbao-doc-1/profile"


def test_the_profile_shuts_the_network(tmp_path):
    doc_reader.write_profile(tmp_path)
    settings = (tmp_path / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    for expected in ('oor:name="ooInetProxyType" oor:op="fuse"><value>2</value>',
                     'oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value>',
                     'oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value>',
                     'oor:name="ooInetNoProxy" oor:op="fuse"><value></value>',
                     'oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value>',
                     'oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value>'):
        assert expected in settings


def test_proxy_variables_are_not_passed_on(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:8080")
    monkeypatch.setenv("NIANBAO_KEEP", "yes")
    environment = doc_reader.conversion_environment()
    assert "no_proxy" not in environment and "HTTPS_PROXY" not in environment
    assert environment["NIANBAO_KEEP"] == "yes"


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_conversion_that_hangs_is_stopped_with_all_its_processes(tmp_path):
    pid_file = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pid_file}\nwait\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    folder = tmp_path / "work"
    folder.mkdir()
    start = time.monotonic()
    with pytest.raises(ImportFailed, match=r"转换“旧\.doc”超过 1 秒，已停止"):
        doc_reader.convert(doc_reader.OLE2, "word97", "旧.doc", folder, soffice=fake, timeout=1)
    assert time.monotonic() - start < 10
    child = int(pid_file.read_text())
    for _ in range(50):  # the grandchild (soffice.bin's stand-in) is gone too
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the converter's child process was left running")


def test_a_file_that_is_no_word_file_says_what_to_do(tmp_path):
    for name, data in (("乱码.doc", random.Random(7).randbytes(2000)), ("空.doc", b"")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ImportFailed, match=r"不是 Word 文档（也不是另存为 \.doc 的网页）"):
            doc_reader.read_doc_blocks(path)
    renamed = tmp_path / "其实是docx.doc"
    from export.docx_writer import write_docx
    from model import store
    from tests.conftest import FIXTURES

    write_docx(store.load(FIXTURES / "distinct_2026.nianbao"), tmp_path / "r.docx")
    renamed.write_bytes((tmp_path / "r.docx").read_bytes())
    assert any(isinstance(b, str) and "政府信息公开" in b for b in doc_reader.read_doc_blocks(renamed))
    assert sys.platform  # (no LibreOffice was needed for any of these)


def test_a_utf16_page_saved_as_doc(tmp_path, fixtures_dir):
    doc = tmp_path / "网页.doc"
    doc.write_bytes((fixtures_dir / "shanghai_office_2019.html").read_text(encoding="utf-8").encode("utf-16"))
    from export.reading import read_source

    assert read_source(doc).report.cells[("requests", "received", "natural")] == 821
