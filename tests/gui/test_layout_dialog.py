"""文件 → 页面与版式…: the dialog, its profile files, and the choice remembered by the report (undoable)."""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from gui import dialogs, layout_dialog
from gui.layout_dialog import CUSTOM_NAME, LayoutDialog
from model import store
from model.profile import BUILTIN, GB_T_9704
from tests.gui.conftest import zero_report


def ok_button(dialog: LayoutDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_the_dialog_shows_and_edits_every_choice(qtbot):
    dialog = LayoutDialog(None, BUILTIN["gbt9704-sealed"])
    qtbot.addWidget(dialog)
    assert dialog.name_label.text() == "版式：GB/T 9704（加盖印章）"
    assert dialog.choices["signature"].currentText().startswith("加盖印章：成文日期右空四字")
    assert dialog.sizes["title_size"].currentText() == "二号（22 磅）"
    assert dialog.sizes["table_size"].currentText() == "五号（10.5 磅）"
    assert dialog.fonts["body_font"].currentText() == "仿宋_GB2312"
    assert dialog.numbers["margin_top"].value() == 37
    assert dialog.profile() == BUILTIN["gbt9704-sealed"]  # unchanged: the profile it opened with, by name

    dialog.choices["date_style"].setCurrentIndex(dialog.choices["date_style"].findData("chinese"))
    dialog.fonts["body_font"].setCurrentText("方正仿宋_GBK")
    dialog.numbers["margin_left"].setValue(30)
    chosen = dialog.profile()
    assert chosen == replace(BUILTIN["gbt9704-sealed"], name=CUSTOM_NAME, date_style="chinese",
                             body_font="方正仿宋_GBK", margin_left=30)
    assert dialog.name_label.text() == f"版式：{CUSTOM_NAME}"
    # back to the standard: GB/T 9704 again, by name
    dialog.restore_standard()
    assert dialog.profile() == GB_T_9704
    assert dialog.name_label.text() == "版式：GB/T 9704"


def test_an_unusable_layout_is_explained_and_cannot_be_accepted(qtbot):
    dialog = LayoutDialog(None, GB_T_9704)
    qtbot.addWidget(dialog)
    assert ok_button(dialog).isEnabled()
    dialog.numbers["chars_per_line"].setValue(40)
    assert "每行40字与正文字号16磅不相称" in dialog.error.text()
    assert not ok_button(dialog).isEnabled()
    dialog.fonts["title_font"].setCurrentText("")
    dialog.numbers["chars_per_line"].setValue(28)
    assert dialog.error.text() == "标题字体应是非空的文字"
    dialog.fonts["title_font"].setCurrentText("方正小标宋简体")
    assert dialog.error.text() == "" and ok_button(dialog).isEnabled()


def test_profile_files_from_the_dialog(qtbot, tmp_path, monkeypatch, recorded):
    dialog = LayoutDialog(None, GB_T_9704, tmp_path)
    qtbot.addWidget(dialog)
    dialog.choices["page_numbers"].setCurrentIndex(dialog.choices["page_numbers"].findData("centre"))
    target = tmp_path / "某市公开办"
    recorded.save_as = target
    dialog.save_file()
    assert recorded.texts("ask_save_path") == [str(tmp_path / f"{CUSTOM_NAME}.json")]
    saved = json.loads((tmp_path / "某市公开办.json").read_text(encoding="utf-8"))
    assert saved == {"nianbao_profile": 1, "name": "某市公开办", "page_numbers": "centre"}
    assert dialog.name_label.text() == "版式：某市公开办"  # a house style is called what its file is called

    other = LayoutDialog(None, GB_T_9704, tmp_path)
    qtbot.addWidget(other)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *_args: tmp_path / "某市公开办.json")
    other.load_file()
    assert other.profile() == replace(GB_T_9704, name="某市公开办", page_numbers="centre")
    (tmp_path / "bad.json").write_text('{"nianbao_profile": 1, "signature": "x"}', encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *_args: tmp_path / "bad.json")
    other.load_file()
    assert recorded.titles("warn") == ["无法载入版式"]
    assert "署名方式“x”无效" in recorded.texts("warn")[0]
    assert other.profile().name == "某市公开办"  # nothing changed


def test_the_window_remembers_the_choice_with_the_report(make_window, tmp_path, monkeypatch):
    path = tmp_path / "2026.nianbao"
    store.save(zero_report(), path)
    window = make_window(store.load(path), path)
    action = next(a for a in window.findChildren(QAction) if a.text() == "页面与版式(&P)…")

    def choose_sealed(dialog: LayoutDialog) -> int:
        dialog.choices["signature"].setCurrentIndex(dialog.choices["signature"].findData("sealed"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LayoutDialog, "exec", choose_sealed)
    action.trigger()
    assert window.report.profile == BUILTIN["gbt9704-sealed"]
    assert window.is_dirty() and window.windowTitle().endswith("— 年报助手")
    assert "GB/T 9704（加盖印章）" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert window.report.profile == GB_T_9704 and not window.is_dirty()
    window.undo_stack.redo()
    assert window.save()
    assert store.load(path).profile == BUILTIN["gbt9704-sealed"]  # remembered in the file

    # cancelled, or accepted unchanged: nothing to undo
    monkeypatch.setattr(LayoutDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    layout_dialog.edit_layout(window)
    monkeypatch.setattr(LayoutDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    layout_dialog.edit_layout(window)
    assert not window.is_dirty()


def test_the_window_exports_with_the_reports_profile(make_window, recorded, tmp_path):
    from docx import Document

    report = zero_report()
    report.set_profile(replace(GB_T_9704, date_style="chinese"))
    window = make_window(report, tmp_path / "2026.nianbao")
    assert window.export_word(tmp_path / "out.docx")
    assert Document(tmp_path / "out.docx").paragraphs[-1].text == "二〇二七年一月二十日"


def test_the_dialog_fits_a_small_screen(qtbot):
    """Within 1366 × 768 less a 40 px taskbar and the window frame (the desktop layer checks it on screen)."""
    from gui.dialogs import FRAME_HEIGHT, FRAME_WIDTH

    dialog = LayoutDialog(None, GB_T_9704)
    qtbot.addWidget(dialog)
    hint = dialog.sizeHint()
    assert hint.width() + FRAME_WIDTH <= 1366 and hint.height() + FRAME_HEIGHT <= 768 - 40, hint
