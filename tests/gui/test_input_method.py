"""The input-method switch for Kylin/UOS (fcitx → ibus when no fcitx plugin is bundled)."""

from __future__ import annotations

from gui.input_method import apply_input_module, choose_input_module

BUNDLED = ["libcomposeplatforminputcontextplugin.so", "libibusplatforminputcontextplugin.so"]


def test_fcitx_without_its_plugin_switches_to_ibus():
    assert choose_input_module({"QT_IM_MODULE": "fcitx"}, BUNDLED, "linux") == "ibus"
    assert choose_input_module({"QT_IM_MODULE": "fcitx5"}, BUNDLED, "linux") == "ibus"
    assert choose_input_module({"QT_IM_MODULE": " FCITX "}, BUNDLED, "linux") == "ibus"


def test_left_alone_otherwise():
    assert choose_input_module({"QT_IM_MODULE": "ibus"}, BUNDLED, "linux") is None
    assert choose_input_module({}, BUNDLED, "linux") is None
    assert choose_input_module({"QT_IM_MODULE": "fcitx"}, [*BUNDLED, "libfcitx5platforminputcontextplugin.so"], "linux") is None
    assert choose_input_module({"QT_IM_MODULE": "fcitx"}, ["libcomposeplatforminputcontextplugin.so"], "linux") is None
    assert choose_input_module({"QT_IM_MODULE": "fcitx"}, BUNDLED, "win32") is None


def test_apply_changes_the_environment_and_logs(tmp_path, caplog):
    folder = tmp_path / "platforminputcontexts"
    folder.mkdir()
    for name in BUNDLED:
        (folder / name).write_bytes(b"")
    env = {"QT_IM_MODULE": "fcitx"}
    assert apply_input_module(tmp_path, env, "linux") == "ibus"
    assert env["QT_IM_MODULE"] == "ibus"
    assert "改用 ibus" in caplog.text
    env = {"QT_IM_MODULE": "fcitx"}
    assert apply_input_module(tmp_path / "missing", env, "linux") is None
    assert env["QT_IM_MODULE"] == "fcitx"


def test_the_wheel_we_ship_has_no_fcitx_plugin():
    from pathlib import Path

    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
    names = [p.name for p in folder.iterdir()]
    assert any("ibus" in n for n in names) and not any("fcitx" in n for n in names)
