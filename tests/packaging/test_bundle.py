"""The packaged program: build it with PyInstaller, run its self-test from outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="build-linux.sh builds the Linux bundle; "
                                "Windows builds with build-windows.ps1 (the workflow's build-windows job)")
EXCLUDED = ("Qt6Network", "Qt6Qml", "Qt6Quick", "Qt6Pdf", "Qt6Svg", "Qt6OpenGL", "Qt6Sql", "Qt6Test", "Qt6Xml",
            "QtNetwork", "QtQml", "QtQuick", "QtSvg", "QtPrintSupport", "QtTest", "QtSql")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="the build extra is not installed: pip install .[build]")
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("work")
    env = dict(os.environ, PYTHON=sys.executable, DIST=str(dist), WORK=str(work))
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build-linux.sh")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return dist


@pytest.mark.slow
def test_the_bundle_passes_its_self_test_without_the_source(bundle, tmp_path):
    program = bundle / "nianbao" / "nianbao"
    clean = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # no PYTHONPATH, no venv
    result = subprocess.run([str(program), "--self-test"], cwd=tmp_path, env=clean, capture_output=True,
                            timeout=300)
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, out + result.stderr.decode("utf-8", "replace")
    assert out.strip().endswith("自检通过") and "[失败]" not in out
    assert "[通过] Qt 平台插件和中文翻译" in out and "libqxcb.so、qtbase_zh_CN.qm" in out
    assert result.stderr == b""  # Qt's messages ("propagateSizeHints") went to the log
    log = tmp_path / ".local" / "state" / "nianbao" / "log" / "nianbao.log"
    assert "nianbao.qt: This plugin does not support propagateSizeHints()" in log.read_text(encoding="utf-8")
    assert "[通过] 读取 PDF 表格（PDFium）" in out
    version = subprocess.run([str(program), "--version"], env=clean, capture_output=True, timeout=60)
    assert version.stdout.decode().strip() == "年报助手 nianbao 0.1.0"


@pytest.mark.slow
def test_the_bundle_carries_only_what_it_needs(bundle):
    folder = bundle / "nianbao"
    names = [p.name for p in folder.rglob("*")]
    assert not [n for n in names if any(x in n for x in EXCLUDED)]
    plugins = folder / "_internal" / "PySide6" / "Qt" / "plugins"
    assert {p.name for p in plugins.iterdir()} <= {
        "platforms", "platforminputcontexts", "platformthemes", "imageformats", "xcbglintegrations",
        "wayland-shell-integration", "wayland-decoration-client", "wayland-graphics-integration-client", "styles"}
    assert (plugins / "platforms" / "libqoffscreen.so").exists()
    assert (plugins / "platforms" / "libqxcb.so").exists()
    translations = {p.name for p in (folder / "_internal" / "PySide6" / "Qt" / "translations").iterdir()}
    assert translations == {"qtbase_zh_CN.qm"}
    assert (folder / "_internal" / "resources" / "examples" / "chengbu_commerce_2019.nianbao").exists()
    assert (folder / "nianbao.desktop").exists() and (folder / "install.sh").exists()
    assert list(bundle.glob("nianbao-*-linux-*.tar.gz"))


@pytest.mark.slow
def test_install_script_puts_it_in_the_start_menu(bundle, tmp_path):
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path / "share")}
    result = subprocess.run(["bash", str(bundle / "nianbao" / "install.sh")], env=env, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    desktop = (tmp_path / "share" / "applications" / "nianbao.desktop").read_text(encoding="utf-8")
    assert f"Exec={tmp_path}/.local/opt/nianbao/nianbao %f" in desktop
    assert "MimeType=application/x-nianbao;" in desktop
    assert (tmp_path / ".local" / "opt" / "nianbao" / "nianbao").exists()


@pytest.mark.slow
def test_the_bundle_shows_its_window_on_an_x_server(bundle, tmp_path):
    """The xcb platform plugin loads from the bundle with the system libraries packaging/README.md
    lists, and the window comes up on a 1366 × 768 screen with the report open."""
    import json
    import random
    import shutil
    import time

    if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
        pytest.skip("needs Xvfb and xwininfo (apt-get install xvfb x11-utils), as .ci/run installs them")
    display = f":{random.randint(100, 400)}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = bundle / "nianbao" / "_internal" / "resources" / "examples" / "chengbu_commerce_2019.nianbao"
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DISPLAY": display,
           "QT_QPA_PLATFORM": "xcb"}
    settings = tmp_path / ".config" / "nianbao" / "nianbao.settings.json"
    program = None
    try:
        time.sleep(1)
        program = subprocess.Popen([str(bundle / "nianbao" / "nianbao"), str(report)], env=env, cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        windows = ""
        while time.time() < deadline and program.poll() is None:
            windows = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True).stdout
            if "年报助手" in windows and settings.exists():
                break
            time.sleep(0.2)
        assert program.poll() is None, program.communicate(timeout=10)[1].decode("utf-8", "replace")
        line = next(line for line in windows.splitlines() if "城步苗族自治县商务局2019年政府信息公开工作年度报告" in line)
        assert "年报助手" in line and "1280x720+" in line  # the first size, inside the 768-pixel screen
        # written after the first paint: the window was drawn
        assert json.loads(settings.read_text(encoding="utf-8"))["recent_files"] == [str(report)]
    finally:
        if program is not None:
            program.terminate()
            _, err = program.communicate(timeout=30)
            assert b"Could not load the Qt platform plugin" not in err
        server.terminate()
        server.wait(timeout=30)
