"""The Inno Setup script: every file it names exists, the Chinese messages are beside it, the Windows and Inno
Setup versions it needs are declared, and "为所有用户安装" really installs for all users. Compiled and installed
for real where an Inno Setup is at hand (a Windows runner; here under wine when .ci/run has fetched one)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.packaging import iss
from tests.packaging.inno import inno_setup_folder, installed_version, pinned_version, runner

WINDOWS = ROOT / "packaging" / "windows"
SCRIPT = WINDOWS / "nianbao.iss"
ISL = WINDOWS / "ChineseSimplified.isl"
# the messages files Inno Setup 6 ships ("compiler:…"): English and the officially maintained translations;
# Simplified Chinese is not among them (it is an unofficial, user-contributed translation)
SHIPPED = {"Default.isl"} | {f"Languages\\{name}.isl" for name in (
    "Arabic", "Armenian", "BrazilianPortuguese", "Bulgarian", "Catalan", "Corsican", "Czech", "Danish", "Dutch",
    "Finnish", "French", "German", "Hebrew", "Hungarian", "Icelandic", "Italian", "Japanese", "Korean", "Norwegian",
    "Polish", "Portuguese", "Russian", "Slovak", "Slovenian", "Spanish", "Swedish", "Tamil", "Turkish", "Ukrainian")}


@pytest.fixture(scope="module")
def script() -> dict[str, list[str]]:
    return iss.sections(SCRIPT.read_text(encoding="utf-8-sig"))


def test_every_file_the_script_names_exists(script):
    setup = iss.directives(script["setup"])
    assert iss.windows_path(WINDOWS, setup["setupiconfile"]) == ROOT / "resources" / "icons" / "nianbao.ico"
    assert (ROOT / "resources" / "icons" / "nianbao.ico").is_file()
    assert iss.windows_path(WINDOWS, setup["outputdir"]) == ROOT / "dist"
    [files] = iss.entries(script["files"])
    # the one source is what PyInstaller builds: dist/nianbao/ (COLLECT(name="nianbao") in nianbao.spec)
    assert iss.windows_path(WINDOWS, files["source"]) == ROOT / "dist" / "nianbao" / "*"
    assert 'name="nianbao")' in (ROOT / "packaging" / "nianbao.spec").read_text(encoding="utf-8")
    assert "recursesubdirs" in files["flags"]
    for entry in iss.entries(script["icons"]) + iss.entries(script["run"]):
        assert entry["filename"] == "{app}\\nianbao.exe"


def test_every_messages_file_exists(script):
    [language] = iss.entries(script["languages"])
    files = language["messagesfile"].split(",")
    assert files[0] == "compiler:Default.isl"
    for name in files:
        if name.startswith("compiler:"):
            assert name.removeprefix("compiler:") in SHIPPED, f"{name} is not shipped with Inno Setup 6"
        else:
            assert (WINDOWS / name).is_file(), name
    assert "ChineseSimplified.isl" in files


def test_it_declares_the_windows_and_inno_setup_versions_it_needs(script):
    setup = iss.directives(script["setup"])
    # Qt 6.9 runs on Windows 10 1809 (build 17763) and later
    assert tuple(int(part) for part in setup["minversion"].split(".")) >= (10, 0, 17763)
    text = SCRIPT.read_text(encoding="utf-8-sig")
    check = re.search(r"^#if VER < EncodeVer\((\d+), (\d+), (\d+)\)\n\s*#error (.+)\n#endif", text, re.MULTILINE)
    assert check is not None
    assert tuple(int(group) for group in check.groups()[:3]) >= (6, 3, 0)  # x64compatible came with 6.3
    assert setup["architecturesallowed"] == setup["architecturesinstallin64bitmode"] == "x64compatible"
    assert "6.3" in check.group(4)
    assert SCRIPT.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: read as UTF-8 by any Inno Setup 6


def test_all_users_means_all_users(script):
    """Per user by default, all users when chosen: every folder and registry root follows the install mode."""
    setup = iss.directives(script["setup"])
    assert setup["privilegesrequired"] == "lowest"
    assert "dialog" in setup["privilegesrequiredoverridesallowed"].split()
    assert setup["defaultdirname"].startswith("{autopf}\\")
    text = "\n".join(line for lines in script.values() for line in lines)
    for per_user_only in ("{localappdata}", "{userprograms}", "{userdesktop}", "{userappdata}", "{userpf}", "HKCU"):
        assert per_user_only not in text
    assert {entry["root"] for entry in iss.entries(script["registry"])} == {"HKA"}
    assert {entry["name"].split("\\")[0] for entry in iss.entries(script["icons"])} == {"{autoprograms}", "{autodesktop}"}
    [run] = iss.entries(script["run"])
    assert "runasoriginaluser" in run["flags"].split()


def test_an_upgrade_removes_the_previous_build(script):
    [delete] = iss.entries(script["installdelete"])
    assert delete == {"type": "filesandordirs", "name": "{app}\\_internal"}


def test_the_chinese_messages_file():
    raw = ISL.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    found = iss.messages(ISL)
    assert found[("langoptions", "LanguageID")] == "$0804"
    assert found[("messages", "ButtonNext")] == "下一步(&N) >"
    assert found[("messages", "PrivilegesRequiredOverrideAllUsers")] == "为所有用户安装(&A)"
    assert len([key for key in found if key[0] == "messages"]) >= 260


def test_both_cis_pin_one_inno_setup_and_the_chinese_messages_name_it():
    """.ci/run (npm pack innosetup@X) and every Windows job of the workflow (choco install innosetup --version X)
    compile with the same Inno Setup, the one whose messages ChineseSimplified.isl translates."""
    pinned = pinned_version()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'npm pack --silent "innosetup@$INNO_SETUP_VERSION"' in ci
    workflow = (ROOT / ".github" / "workflows" / "build.yml").read_text(encoding="utf-8")
    installs = re.findall(r"choco install innosetup\b[^\n]*", workflow)
    assert len(installs) == 2  # test-windows and build-windows
    assert all(f"--version {pinned} " in line for line in installs), installs
    assert ISL.read_text(encoding="utf-8-sig").startswith(f"; *** Inno Setup {pinned} 简体中文界面文字")


def test_the_chinese_messages_match_inno_setups_own():
    """Against the Default.isl of the pinned Inno Setup: every message translated, no placeholder lost."""
    folder = inno_setup_folder()
    if folder is None:
        pytest.skip("no Inno Setup here (a Windows runner has one; or set NIANBAO_INNO_SETUP)")
    assert installed_version(folder) == pinned_version(), (
        f"the Inno Setup in {folder} is {installed_version(folder)}; the project pins {pinned_version()} "
        "(.ci/run, the workflow): install that one, or point NIANBAO_INNO_SETUP at it")
    english = iss.messages(folder / "Default.isl")
    chinese = iss.messages(ISL)
    assert set(english) - set(chinese) == set(), "not translated"
    assert set(chinese) - set(english) == set(), "unknown to this Inno Setup"
    for key, text in english.items():
        placeholders = sorted(re.findall(r"%\d|\[[a-z/]+\]", text))
        assert sorted(re.findall(r"%\d|\[[a-z/]+\]", chinese[key])) == placeholders, key


def _wine_project(tmp_path: Path) -> tuple[Path, list[str], dict[str, str], Path]:
    """Inno Setup, how to run it, a private wine prefix, and a copy of packaging/windows and resources/ with a
    stand-in dist/nianbao/ (a Windows bundle cannot be built here)."""
    folder, start = inno_setup_folder(), runner()
    if folder is None or start is None or sys.platform == "win32":
        pytest.skip("needs an Inno Setup 6 (NIANBAO_INNO_SETUP), wine and xvfb-run; Windows runs the real build")
    env = dict(os.environ, WINEPREFIX=str(tmp_path / "wine"), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
    project = tmp_path / "project"
    (project / "packaging").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(WINDOWS), str(project / "packaging")], check=True)
    subprocess.run(["cp", "-r", str(ROOT / "resources"), str(project)], check=True)
    return folder, start, env, project


def _windows_version(env: dict[str, str], version: str) -> None:
    subprocess.run(["wine", "reg", "add", "HKCU\\Software\\Wine", "/v", "Version", "/d", version, "/f"], env=env,
                   capture_output=True, timeout=600)
    subprocess.run(["wineserver", "-w"], env=env, timeout=120)


@pytest.mark.slow
def test_the_installer_compiles_installs_upgrades_and_uninstalls(tmp_path):
    """ISCC compiles the script with the messages beside it; Setup installs for all users (Program Files, the
    common start menu, HKLM), an upgrade removes the old _internal, the uninstaller removes everything.
    Under wine here (whose per-user known folders are incomplete, so only the all-users install runs);
    the Windows workflow installs per user on a real Windows."""
    folder, start, env, project = _wine_project(tmp_path)
    bundle = project / "dist" / "nianbao"

    def build(version: str, library: str) -> Path:
        subprocess.run(["rm", "-rf", str(bundle)], check=True)
        (bundle / "_internal").mkdir(parents=True)
        (bundle / "nianbao.exe").write_bytes((folder / "ISCC.exe").read_bytes())  # any Windows program
        (bundle / "_internal" / library).write_text(version)
        result = subprocess.run([*start, str(folder / "ISCC.exe"), "/Q", f"/DAppVersion={version}", "nianbao.iss"],
                                cwd=project / "packaging" / "windows", env=env, capture_output=True, timeout=600)
        assert result.returncode == 0, result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
        return project / "dist" / f"nianbao-{version}-setup.exe"

    def wine(*args: str) -> None:
        result = subprocess.run([*start, *args], env=env, capture_output=True, timeout=600)
        subprocess.run(["wineserver", "-w"], env=env, timeout=120)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")

    drive = tmp_path / "wine" / "drive_c"
    _windows_version(env, "win10")
    wine(str(build("0.1.0", "old.dll")), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/ALLUSERS")
    app = drive / "Program Files" / "Nianbao"
    assert (app / "nianbao.exe").is_file() and (app / "_internal" / "old.dll").is_file()
    assert (drive / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "年报助手.lnk").is_file()
    query = subprocess.run(["wine", "reg", "query", "HKLM\\Software\\Classes\\Nianbao.Report\\shell\\open\\command"],
                           env=env, capture_output=True, timeout=300)
    assert b'"C:\\Program Files\\Nianbao\\nianbao.exe" "%1"' in query.stdout

    wine(str(build("0.2.0", "new.dll")), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/ALLUSERS")
    assert sorted(p.name for p in (app / "_internal").iterdir()) == ["new.dll"]  # [InstallDelete]

    wine("C:\\Program Files\\Nianbao\\unins000.exe", "/VERYSILENT", "/SUPPRESSMSGBOXES")
    assert not app.exists()


@pytest.mark.slow
def test_a_sign_tool_argument_reaches_the_sign_tool_as_the_build_script_escapes_it(tmp_path):
    """build-windows.ps1 quotes each signtool argument with $q and doubles every "$" (ConvertTo-InnoSignArgument),
    because Inno Setup reads "$" as an escape. With the pinned compiler, a password full of "$" reaches the sign
    tool intact: a stand-in sign tool (cmd's echo) writes what it was given; ISCC then stops, as it must, since the
    file it was to sign has no signature."""
    from tests.packaging.test_build_script import _function

    assert "return '$q' + $Value.Replace('$', '$$') + '$q'" in _function("ConvertTo-InnoSignArgument")

    def escape(value: str) -> str:  # the same, in Python
        return "$q" + value.replace("$", "$$") + "$q"

    folder, start, env, project = _wine_project(tmp_path)
    (project / "dist" / "nianbao").mkdir(parents=True)
    (project / "dist" / "nianbao" / "nianbao.exe").write_bytes((folder / "ISCC.exe").read_bytes())
    password = "pa$s$$w0rd$"
    command = f"cmd /c echo {escape('/p')} {escape(password)} $f >> C:\\signed.txt"
    result = subprocess.run([*start, str(folder / "ISCC.exe"), "/Q", "/DAppVersion=0.1.0", "/DSign",
                             f"/Snianbao={command}", "nianbao.iss"], cwd=project / "packaging" / "windows", env=env,
                            capture_output=True, timeout=600)
    subprocess.run(["wineserver", "-w"], env=env, timeout=120)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode != 0 and "does not have a digital signature" in output, output
    given = (tmp_path / "wine" / "drive_c" / "signed.txt").read_text(encoding="ascii").split()
    assert given[:2] == ['"/p"', f'"{password}"']
    assert given[2].startswith('"') and given[2].endswith('.tmp"')  # $f: the file to sign, quoted


@pytest.mark.slow
def test_windows_7_is_refused_with_the_chinese_message(tmp_path):
    folder, start, env, project = _wine_project(tmp_path)
    (project / "dist" / "nianbao").mkdir(parents=True)
    (project / "dist" / "nianbao" / "nianbao.exe").write_bytes((folder / "ISCC.exe").read_bytes())
    subprocess.run([*start, str(folder / "ISCC.exe"), "/Q", "/DAppVersion=0.1.0", "nianbao.iss"],
                   cwd=project / "packaging" / "windows", env=env, check=True, capture_output=True, timeout=600)
    _windows_version(env, "win7")
    result = subprocess.run([*start, str(project / "dist" / "nianbao-0.1.0-setup.exe"), "/VERYSILENT",
                             "/SUPPRESSMSGBOXES", "/ALLUSERS", "/LOG=C:\\setup.log"], env=env, capture_output=True,
                            timeout=600)
    subprocess.run(["wineserver", "-w"], env=env, timeout=120)
    assert result.returncode != 0
    log = (tmp_path / "wine" / "drive_c" / "setup.log").read_text(encoding="utf-8-sig")
    assert "Windows version: 6.1" in log and "本程序不支持这台电脑上的 Windows 版本。" in log
    assert not (tmp_path / "wine" / "drive_c" / "Program Files" / "Nianbao").exists()
