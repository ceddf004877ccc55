"""The editor window driven like a user: typing, pasting, undo, problems, files, recovery."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

from gui.main_window import TABS
from model import store
from model.problems import ERROR, WARNING
from tests.gui.conftest import zero_report

BALANCE_NATURAL = [("requests", row, "natural") for row in ("received", "carried_in", "handled_total", "carried_out")]


def tab_index(key: str) -> int:
    return [k for k, _ in TABS].index(key)


def go_to(window, qtbot, address):
    key = next(k for k, layout in window.report.format.layouts.items() if address in layout.positions)
    window.tabs.setCurrentIndex(tab_index(key))
    view = window.grids[key]
    view.setFocus()
    QApplication.processEvents()
    view.setCurrentIndex(view.grid.index_of(address))
    return view


def press(qtbot, widget, text: str) -> None:
    """Type text as key presses; non-ASCII characters (full-width digits, 汉字) as an input method
    delivers them, a key event carrying the text (QTest's own helpers take ASCII only)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def type_cell(window, qtbot, address, text: str, finish=Qt.Key.Key_Return):
    """Select a cell and type into it as a user does: the first key opens the editor."""
    view = go_to(window, qtbot, address)
    for i, ch in enumerate(text):
        # the first key goes to the grid (it opens the editor), the rest to the editor
        press(qtbot, view if i == 0 else QApplication.focusWidget(), ch)
    qtbot.keyClick(QApplication.focusWidget() or view, finish)
    QApplication.processEvents()  # Qt commits an editor's data through a queued call
    return view


def marks(window, key="requests"):
    return {address: [p.rule for p in problems] for address, problems in window.grids[key].grid.marks.items()}


def test_balance_error_marks_exactly_the_column_and_undo_redo(make_window, qtbot):
    window = make_window(zero_report())
    assert window.summary_label.text() == "0 个错误 · 0 个警告"
    view = type_cell(window, qtbot, ("requests", "received", "natural"), "5")
    assert window.report.cells[("requests", "received", "natural")] == 5
    # Enter moved down to 二、上年结转
    assert view.grid.cell(view.currentIndex()).address == ("requests", "carried_in", "natural")
    assert set(marks(window)) == set(BALANCE_NATURAL)
    assert all(rules == ["requests.balance"] for rules in marks(window).values())
    index = view.grid.index_of(("requests", "received", "natural"))
    assert view.grid.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#f6c6c6"
    assert "自然人列：第一项+第二项=5，第三项（七）总计+第四项=0，相差5" in view.grid.data(index, Qt.ItemDataRole.ToolTipRole)
    assert window.panel.item_for("requests.balance") is not None
    assert window.summary_label.text() == "1 个错误 · 0 个警告"
    assert "✖1" in window.tabs.tabText(tab_index("requests"))

    type_cell(window, qtbot, ("requests", "granted", "natural"), "５")  # a full-width digit
    assert window.report.cells[("requests", "granted", "natural")] == 5
    assert marks(window) == {}
    assert window.summary_label.text() == "0 个错误 · 0 个警告"

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.report.cells[("requests", "granted", "natural")] == 0
    assert set(marks(window)) == set(BALANCE_NATURAL)
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.report.cells[("requests", "granted", "natural")] == 5
    assert marks(window) == {}


def test_derived_totals_update_and_cannot_be_edited(make_window, qtbot):
    window = make_window(zero_report())
    type_cell(window, qtbot, ("requests", "received", "business"), "7")
    type_cell(window, qtbot, ("requests", "received", "legal"), "3")
    view = window.grids["requests"]
    total = view.grid.index_of(("requests", "received", "total"))
    assert view.grid.data(total, Qt.ItemDataRole.DisplayRole) == "10"
    assert not view.grid.flags(total) & Qt.ItemFlag.ItemIsEditable
    view.setCurrentIndex(total)
    qtbot.keyClicks(view, "99")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert ("requests", "received", "total") not in window.report.cells
    assert view.grid.data(total, Qt.ItemDataRole.DisplayRole) == "10"
    assert not view.grid.setData(total, "99")
    appeals = window.grids["appeals"]
    type_cell(window, qtbot, ("appeals", "review", "pending"), "2")
    assert appeals.grid.data(appeals.grid.index_of(("appeals", "review", "total")), Qt.ItemDataRole.DisplayRole) == "2"


def test_typing_a_bad_value_keeps_the_clerk_in_the_cell(make_window, qtbot, recorded):
    window = make_window(zero_report())
    view = type_cell(window, qtbot, ("requests", "received", "natural"), "12a")
    assert window.report.cells[("requests", "received", "natural")] == 0
    assert recorded.titles("warn") == []  # no box takes the keyboard away
    editor = QApplication.focusWidget()
    assert type(editor).__name__ == "CellEditor" and editor.text() == "12a" and editor.selectedText() == "12a"
    assert view.grid.cell(view.currentIndex()).address == ("requests", "received", "natural")
    assert view.message.isVisible()
    assert view.message.text().startswith("「12a」不是有效的数字：此格应填写0 到 999999999999 之间的整数")
    assert view.message.geometry().top() >= editor.geometry().bottom()  # beside the cell, below it
    assert "表三 一、本年新收政府信息公开申请数量 · 自然人" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0
    # the next keys replace the selected text, and Enter stores them
    press(qtbot, editor, "12")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.report.cells[("requests", "received", "natural")] == 12
    assert not view.message.isVisible()
    assert view.grid.cell(view.currentIndex()).address == ("requests", "carried_in", "natural")
    assert window.statusBar().currentMessage() == ""


def test_escape_gives_up_a_bad_value_and_a_click_elsewhere_says_why(make_window, qtbot, recorded):
    window = make_window(zero_report())
    view = type_cell(window, qtbot, ("requests", "received", "natural"), "x")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert view.state() != view.State.EditingState and not view.message.isVisible()
    assert window.report.cells[("requests", "received", "natural")] == 0
    view = type_cell(window, qtbot, ("requests", "granted", "business"), "1.5")
    assert view.message.isVisible()
    other = view.visualRect(view.grid.index_of(("requests", "granted", "legal"))).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=other)
    QApplication.processEvents()
    assert view.state() != view.State.EditingState and not view.message.isVisible()
    assert view.grid.cell(view.currentIndex()).address == ("requests", "granted", "legal")
    assert window.statusBar().currentMessage().startswith("未填入 表三 （一）予以公开 · 商业企业：「1.5」不是整数")
    assert window.undo_stack.count() == 0


def test_delete_clears_and_slash_marks_not_applicable(make_window, qtbot):
    window = make_window(zero_report())
    type_cell(window, qtbot, ("art20_1", "rules", "issued"), "/")
    assert str(window.report.cells[("art20_1", "rules", "issued")]) == "/"
    view = go_to(window, qtbot, ("art20_1", "rules", "issued"))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert ("art20_1", "rules", "issued") not in window.report.cells
    assert any(p.rule == "cells.blank" for p in window.problems)


PASTE = "1\t2\t3\t4\t5\t６\n0\t0\t0\t0\t0\t0\n1\t2\t3\t4\t5\t6\n"


def test_paste_a_block_is_one_undo_step(make_window, qtbot):
    window = make_window(zero_report())
    view = go_to(window, qtbot, ("requests", "received", "natural"))
    QGuiApplication.clipboard().setText(PASTE.replace("６\n", "６\t21\n").replace("0\n", "0\t0\n").replace("6\n", "6\t21\n"))  # 3 × 7
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    cells = window.report.cells
    assert [cells[("requests", "received", c)] for c in ("natural", "business", "research", "nonprofit", "legal", "other")] == [1, 2, 3, 4, 5, 6]
    assert [cells[("requests", "granted", c)] for c in ("natural", "business", "research", "nonprofit", "legal", "other")] == [1, 2, 3, 4, 5, 6]
    assert window.undo_stack.count() == 1
    assert not [p for p in window.problems if p.rule == "requests.balance"]
    # the 总计 column was skipped; the pasted 21 agrees with 1+…+6, so nothing is said about it
    assert "合计栏" not in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert cells[("requests", "received", "natural")] == 0


def test_paste_over_a_total_that_disagrees_says_so(make_window, qtbot):
    window = make_window(zero_report())
    view = go_to(window, qtbot, ("requests", "received", "natural"))
    QGuiApplication.clipboard().setText("1\t1\t1\t1\t1\t1\t9\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.report.number(("requests", "received", "total")) == 6
    assert "粘贴的是9，各项相加为6" in window.statusBar().currentMessage()


def test_paste_with_one_bad_value_pastes_nothing(make_window, qtbot, recorded):
    window = make_window(zero_report())
    view = go_to(window, qtbot, ("requests", "received", "natural"))
    QGuiApplication.clipboard().setText(PASTE.replace("３", "3").replace("0\t0\t0\t0\t0\t0", "0\t0\t0\t1.5\t0\t0"))
    before = dict(window.report.cells)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.report.cells == before
    assert window.undo_stack.count() == 0
    (text,) = recorded.texts("warn")
    assert "本次粘贴没有改动任何单元格" in text
    assert "表三 二、上年结转政府信息公开申请数量 · 社会公益组织：「1.5」不是整数" in text


def test_one_value_into_a_selection_and_copy(make_window, qtbot):
    window = make_window(zero_report())
    view = go_to(window, qtbot, ("appeals", "review", "upheld"))
    view.selectAll()
    QGuiApplication.clipboard().setText("3")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert all(window.report.cells[a] == 3 for a in window.report.format.table("appeals").input_cells)
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "\t".join(["3", "3", "3", "3", "12"] * 3) + "\n"


def test_save_close_reopen_is_identical(make_window, qtbot, tmp_path, distinct):
    window = make_window(zero_report())
    assert not window.isWindowModified()  # nothing changed yet: nothing to save
    type_cell(window, qtbot, ("requests", "received", "natural"), "5")
    type_cell(window, qtbot, ("requests", "granted", "natural"), "5")
    path = tmp_path / "2026.nianbao"
    assert window._save_to(path)
    assert not window.isWindowModified()
    assert window.windowTitle() == "示例县交通运输局2026年政府信息公开工作年度报告[*] — 年报助手"
    saved = window.report.copy()
    window.close()
    again = make_window()
    assert again.open_path(path, ask=False)
    assert again.report.content_equals(saved)
    assert not again.isWindowModified()
    assert str(path.absolute()) in again.settings.recent_files


def test_close_with_changes_asks_and_cancel_keeps_the_window(make_window, qtbot, recorded, tmp_path):
    window = make_window(zero_report())
    type_cell(window, qtbot, ("requests", "received", "natural"), "1")
    recorded.save_answer = "cancel"
    assert not window.close()
    assert window.isVisible()
    assert recorded.titles("ask_save") == ["示例县交通运输局2026年政府信息公开工作年度报告"]
    recorded.save_answer = "discard"
    assert window.close()


def test_one_click_on_a_problem_selects_its_cells(make_window, qtbot):
    window = make_window(zero_report())
    type_cell(window, qtbot, ("requests", "carried_out", "legal"), "4")
    window.tabs.setCurrentIndex(0)
    item = window.panel.item_for("requests.balance")
    rect = window.panel.tree.visualItemRect(item)
    qtbot.mouseClick(window.panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == tab_index("requests")
    assert QApplication.focusWidget() is window.grids["requests"]
    view = window.grids["requests"]
    assert view.grid.cell(view.currentIndex()).address == ("requests", "received", "legal")
    assert {c.address for c in view.selected_cells()} == {
        ("requests", row, "legal") for row in ("received", "carried_in", "handled_total", "carried_out")}


def test_text_problem_jump_selects_the_phrase(make_window, qtbot):
    report = zero_report()
    report.text["overview"] = "我局重视。\n2025年，我局共公开信息。"
    window = make_window(report)
    problem = next(p for p in window.problems if p.rule == "text.stale_year")
    window.jump_to(problem)
    assert window.tabs.currentIndex() == tab_index("overview")
    assert window.text_pages["overview"].editor.textCursor().selectedText() == "2025"


def test_typing_text_is_one_undo_step_and_counts(make_window, qtbot):
    window = make_window(zero_report())
    window.tabs.setCurrentIndex(tab_index("overview"))
    page = window.text_pages["overview"]
    editor = page.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    press(qtbot, editor, "全年主动公开信息。")
    assert window.report.text["overview"].endswith("全年主动公开信息。")
    assert window.undo_stack.count() == 1
    assert page.count.text() == f"总体情况 {len('2026年，我局认真贯彻落实《条例》。全年主动公开信息。')} / 1000 字"
    window.undo_stack.undo()
    assert window.report.text["overview"] == "2026年，我局认真贯彻落实《条例》。"
    assert editor.toPlainText() == "2026年，我局认真贯彻落实《条例》。"
    assert editor.textCursor().position() == len("2026年，我局认真贯彻落实《条例》。")
    window.undo_stack.redo()
    assert editor.toPlainText().endswith("全年主动公开信息。")


def test_emptying_a_section_is_an_error_on_its_tab(make_window, qtbot):
    window = make_window(zero_report())
    window.tabs.setCurrentIndex(tab_index("problems"))
    editor = window.text_pages["problems"].editor
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert window.report.text["problems"] == ""
    assert "✖1" in window.tabs.tabText(tab_index("problems"))
    assert any(p.rule == "text.empty" and p.severity == ERROR for p in window.problems)


def test_meta_edits_are_undoable(make_window, qtbot):
    window = make_window(zero_report())
    agency = window.meta_tab.agency
    agency.setFocus()
    agency.selectAll()
    press(qtbot, agency, "城步苗族自治县商务局")
    qtbot.keyClick(agency, Qt.Key.Key_Return)
    assert window.report.meta.agency == "城步苗族自治县商务局"
    assert window.windowTitle().startswith("城步苗族自治县商务局2026年")
    window.undo_stack.undo()
    assert window.report.meta.agency == "示例县交通运输局"
    assert agency.text() == "示例县交通运输局"


def test_year_change_across_formats_converts_after_confirming(make_window, qtbot, recorded):
    report = zero_report(2021)
    report.cells[("requests", "other_handling.other", "natural")] = 2
    report.cells[("requests", "other_handling.unpaid_fee", "natural")] = 1
    report.cells[("art20_1", "normative_docs", "in_force")] = 12
    window = make_window(report)
    recorded.confirm_answer = False
    window.meta_tab.year.setValue(2020)
    assert window.report.format_id == "gov-2021"
    assert window.meta_tab.year.value() == 2021
    recorded.confirm_answer = True
    window.meta_tab.year.setValue(2020)
    assert window.report.format_id == "gov-2019"
    assert window.report.meta.year == 2020
    assert window.report.cells[("requests", "other_handling", "natural")] == 3
    assert ("art20_1", "normative_docs", "in_force") not in window.report.cells
    text = recorded.texts("confirm")[-1]
    assert "第二十条第（一）项 行政规范性文件 · 现行有效件数 = 12" in text
    assert window.grids["requests"].grid.layout.n_rows == 26
    assert window.meta_tab.unit.isVisible()
    window.undo_stack.undo()
    assert window.report.format_id == "gov-2021"
    assert window.report.cells[("art20_1", "normative_docs", "in_force")] == 12
    assert window.grids["requests"].grid.layout.n_rows == 28


def test_dismiss_a_warning_with_a_reason(make_window, qtbot, recorded):
    report = zero_report()
    report.meta = report.meta.__class__(agency=report.meta.agency, year=2026, date=dt.date(2026, 12, 30))
    window = make_window(report)
    item = window.panel.item_for("meta.date")
    window.panel.tree.setCurrentItem(item)
    assert window.panel.dismiss_button.isEnabled()
    recorded.reason = "按上级通知提前成文"
    qtbot.mouseClick(window.panel.dismiss_button, Qt.MouseButton.LeftButton)
    problem = next(p for p in window.problems if p.rule == "meta.date")
    assert problem.dismissed == "按上级通知提前成文"
    assert window.summary_label.text() == "0 个错误 · 0 个警告"
    assert window.panel.item_for("meta.date") is None  # listed apart, under 已忽略
    window.undo_stack.undo()
    assert next(p for p in window.problems if p.rule == "meta.date").dismissed is None
    assert window.problems[0].severity == WARNING


def test_open_a_bad_file_shows_a_message(make_window, qtbot, recorded, tmp_path):
    window = make_window(zero_report())
    bad = tmp_path / "坏.nianbao"
    bad.write_text("{", encoding="utf-8")
    assert not window.open_path(bad, ask=False)
    assert recorded.titles("warn") == ["无法打开"]
    assert "文件已损坏或不完整" in recorded.texts("warn")[0]
    assert window.report.meta.agency == "示例县交通运输局"


def test_save_failure_keeps_the_report(make_window, qtbot, recorded, tmp_path):
    window = make_window(zero_report())
    type_cell(window, qtbot, ("requests", "received", "natural"), "5")
    assert not window._save_to(tmp_path / "没有这个文件夹" / "r.nianbao")
    assert recorded.titles("warn") == ["保存失败"]
    assert window.isWindowModified()


def test_autosave_and_crash_recovery(make_window, qtbot, recorded, tmp_path, monkeypatch):
    from gui import settings as settings_module
    from gui.app import offer_recovery

    window = make_window(zero_report())
    type_cell(window, qtbot, ("requests", "received", "natural"), "5")
    window.autosave()
    report_path, record_path = settings_module.autosave_paths(window.autosave_id)
    assert report_path.is_file() and record_path.is_file()
    assert store.load(report_path).cells[("requests", "received", "natural")] == 5
    # the window "crashes": its record names a process that is gone
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["pid"] = 999_999_999
    record_path.write_text(json.dumps(record), encoding="utf-8")
    window.autosave_id = "gone"  # so the test's clean close leaves the crashed autosave alone
    leftovers = settings_module.leftover_autosaves()
    assert [a.report_path for a in leftovers] == [report_path]

    fresh = make_window()
    assert offer_recovery(fresh)
    assert "自动保存于" in recorded.texts("ask_restore")[0] or "自动保存于" in recorded.titles("ask_restore")[0]
    assert fresh.report.cells[("requests", "received", "natural")] == 5
    assert fresh.isWindowModified()
    assert not report_path.exists()
    # a clean close removes the window's own autosave
    own, _ = settings_module.autosave_paths(fresh.autosave_id)
    assert own.exists()
    recorded.save_answer = "discard"
    fresh.close()
    assert not own.exists()


def test_recent_files_pruned(make_window, tmp_path):
    window = make_window(zero_report())
    kept = tmp_path / "a.nianbao"
    store.save(zero_report(), kept)
    window.settings.recent_files = [str(tmp_path / "gone.nianbao"), str(kept)]
    window._fill_recent()
    names = [a.text() for a in window.recent_menu.actions()]
    assert names == [f"&1 {kept}"]
    assert window.settings.recent_files == [str(kept)]


def test_qt_dialogs_speak_chinese(qapp):
    from gui.app import install_chinese

    assert install_chinese(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") in ("是(&Y)", "&是")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_screenshots_of_every_tab(make_window, qtbot, tmp_path, distinct):
    window = make_window(distinct, Path("distinct_2026.nianbao"))
    folder = tmp_path / "shots"
    folder.mkdir()
    for i, (key, _title) in enumerate(TABS):
        window.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        image = window.grab()
        assert image.save(str(folder / f"{i}-{key}.png"))
        assert image.width() >= 1000
    assert len(list(folder.glob("*.png"))) == len(TABS)
    assert "第二十条第（一）项" in window.preview.toPlainText()
    assert "25053" in window.preview.toPlainText()


def test_requests_grid_uses_the_width_and_no_header_breaks_inside_a_word(make_window):
    from gui.grid import PADDING

    window = make_window(zero_report())
    window.tabs.setCurrentIndex(tab_index("requests"))
    QApplication.processEvents()
    view = window.grids["requests"]
    width = sum(view.columnWidth(c) for c in range(view.grid.columnCount()))
    assert view.horizontalScrollBar().maximum() == 0
    assert view.viewport().width() - 60 <= width <= view.viewport().width()  # the width is used, not ~300 px left over
    metrics = view.fontMetrics()
    for cell in view.grid.layout.cells:  # every header of one column on one line: "社会公益组织" whole
        if cell.role.name == "HEADER" and cell.colspan == 1 and cell.text:
            assert metrics.horizontalAdvance(cell.text) + PADDING <= view.columnWidth(cell.col), cell.text
    labels = view.columnWidth(2)
    window.resize(1000, 700)  # a narrower window: the long labels give way, the headers stay whole
    QApplication.processEvents()
    assert view.columnWidth(2) < labels
    assert metrics.horizontalAdvance("社会公益组织") + PADDING <= view.columnWidth(6)
    assert sum(view.columnWidth(c) for c in range(view.grid.columnCount())) <= view.viewport().width()


def test_export_word_from_the_window(make_window, qtbot, recorded, tmp_path):
    from docx import Document

    window = make_window(zero_report(), tmp_path / "2026.nianbao")
    recorded.save_as = tmp_path / "导出"
    window.export_word_dialog()
    assert recorded.texts("ask_save_path") == [str(tmp_path / "示例县交通运输局2026年政府信息公开工作年度报告.docx")]
    assert Document(tmp_path / "导出.docx").paragraphs[0].text == "示例县交通运输局\n2026年政府信息公开工作年度报告"
    assert recorded.titles("confirm_export") == []  # no problems: nothing to confirm
    assert window.result_label.text() == f"已导出 Word：{tmp_path / '导出.docx'}"
    # with errors the window asks first; 取消 exports nothing
    type_cell(window, qtbot, ("requests", "received", "natural"), "3")
    recorded.confirm_answer = False
    window.export_word_dialog()
    assert recorded.titles("confirm_export") == ["报告有错误"]
    assert len(recorded.texts("ask_save_path")) == 1  # not asked again
    # a failure (missing folder) is a message, not a traceback
    assert not window.export_word(tmp_path / "没有" / "x.docx")
    assert recorded.titles("warn") == ["导出失败"]


def test_export_excel_from_the_window(make_window, recorded, tmp_path):
    from export.xlsx_reader import read_xlsx

    window = make_window(zero_report(), tmp_path / "2026.nianbao")
    recorded.save_as = tmp_path / "表格"
    window.export_excel_dialog()
    assert recorded.texts("ask_save_path") == [str(tmp_path / "示例县交通运输局2026年政府信息公开工作年度报告.xlsx")]
    assert read_xlsx(tmp_path / "表格.xlsx").report.cells == window.report.cells
    assert window.result_label.text() == f"已导出 Excel：{tmp_path / '表格.xlsx'}"


def test_drop_a_report_file_onto_the_window(make_window, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    path = tmp_path / "dropped.nianbao"
    report = zero_report()
    report.meta = report.meta.__class__(agency="拖进来的局", year=2026, date=dt.date(2027, 1, 20))
    store.save(report, path)
    window = make_window(zero_report(), tmp_path / "open.nianbao")
    window.undo_stack.setClean()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.report.meta.agency == "拖进来的局"
    assert window.path == path


def test_settings_portable_file_wins(tmp_path, monkeypatch):
    from gui import settings as settings_module

    monkeypatch.setattr(settings_module, "program_folder", lambda: tmp_path)
    assert settings_module.settings_path() != tmp_path / "nianbao.settings.json"
    (tmp_path / "nianbao.settings.json").write_text('{"autosave_seconds": 30, "recent_files": ["a"]}', encoding="utf-8")
    assert settings_module.settings_path() == tmp_path / "nianbao.settings.json"
    loaded = settings_module.Settings.load()
    assert (loaded.autosave_seconds, loaded.recent_files) == (30, ["a"])
    assert settings_module.state_folder() == tmp_path / "nianbao-state"
    loaded.add_recent(tmp_path / "b.nianbao")
    loaded.save()
    assert settings_module.Settings.load().recent_files[0] == str((tmp_path / "b.nianbao").absolute())


def test_settings_survive_a_broken_file(tmp_path):
    from gui.settings import Settings

    path = tmp_path / "s.json"
    path.write_text("{broken", encoding="utf-8")
    assert Settings.load(path).autosave_seconds == 10


def test_new_report_is_for_the_reporting_year(make_window):
    from model.report import reporting_year

    window = make_window()
    assert window.report.meta.year == reporting_year()
    assert window.report.format_id == ("gov-2021" if reporting_year() >= 2021 else "gov-2019")
    assert not window.isWindowModified()  # a new report holds nothing to save until the clerk types
    assert reporting_year(dt.date(2027, 1, 15)) == 2026 and reporting_year(dt.date(2026, 7, 1)) == 2026


EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chengbu_commerce_2019.nianbao"


def test_new_from_last_year_marks_drafts_until_edited(make_window, qtbot, recorded):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    assert window.new_from_last_year(EXAMPLE_PATH)
    assert window.report.meta.year == 2020 and window.report.last_year.year == 2019
    assert not window.isWindowModified() and window.path is None  # rebuilt from last year's file at will
    assert "已从2019年度报告生成2020年度报告" in recorded.texts("info")[0]
    page = window.text_pages["overview"]
    window.tabs.setCurrentIndex(tab_index("overview"))
    QApplication.processEvents()
    assert page.carried.isVisible() and "沿用上年，待修改" in page.carried.text()
    assert "已载入2019年度报告" in window.meta_tab.baseline.text()
    editor = page.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    press(qtbot, editor, "新")
    assert "overview" not in window.report.carried_sections
    assert not page.carried.isVisible()
    window.undo_stack.undo()
    assert "overview" in window.report.carried_sections
    assert page.carried.isVisible()


def test_one_click_year_update(make_window, qtbot, recorded):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.new_from_last_year(EXAMPLE_PATH)
    stale = [p for p in window.problems if p.rule == "text.stale_year"]
    assert len(stale) == 3
    item = window.panel.item_for("text.stale_year")
    window.panel.tree.setCurrentItem(item)
    assert window.panel.year_button.isVisibleTo(window.panel) and window.panel.year_button.text() == "改为2020年(&Y)"
    qtbot.mouseClick(window.panel.year_button, Qt.MouseButton.LeftButton)
    assert window.report.text["overview"].startswith("2020年，在县委县政府的正确领导下")
    assert window.report.text["overview"].count("2019年") == 1  # one occurrence at a time, never a blind replace-all
    assert len([p for p in window.problems if p.rule == "text.stale_year"]) == 2
    window.undo_stack.undo()
    assert window.report.text["overview"].startswith("2019年，在县委县政府")


def test_attach_and_detach_last_year(make_window, qtbot, recorded, tmp_path):
    report = zero_report(2020)
    window = make_window(report, Path("x.nianbao"))
    assert not window.detach_action.isEnabled()
    assert window.attach_last_year(EXAMPLE_PATH)
    assert window.report.last_year.year == 2019
    assert window.detach_action.isEnabled()
    assert any(p.rule == "text.same_as_last_year" for p in window.problems) is False
    window.detach_last_year()
    assert window.report.last_year is None
    window.undo_stack.undo()
    assert window.report.last_year.year == 2019
    newer = tmp_path / "newer.nianbao"
    store.save(zero_report(2026), newer)
    assert not window.attach_last_year(newer)
    assert recorded.titles("warn") == ["不是上年的报告"]


FIXTURES_DIR = Path(__file__).resolve().parents[3] / "shared" / "fixtures"


def test_import_a_published_report(make_window, qtbot, recorded):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    recorded.confirm_answer = False
    assert not window.import_file(FIXTURES_DIR / "chengbu_commerce_2019.txt")
    assert window.report.meta.agency == "示例县交通运输局"
    text = recorded.texts("confirm")[0]
    assert "识别：《中华人民共和国政府信息公开工作年度报告格式（试行）》，城步苗族自治县商务局，2019年度" in text
    recorded.confirm_answer = True
    assert window.import_file(FIXTURES_DIR / "chengbu_commerce_2019.txt")
    assert window.report.meta.agency == "城步苗族自治县商务局"
    assert not window.isWindowModified() and window.path is None
    assert recorded.titles("warn") == []
    assert not window.import_file(FIXTURES_DIR / "README.md")
    assert recorded.titles("warn") == ["无法导入"]


def test_new_from_a_published_last_year_page(make_window, qtbot, recorded):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    assert window.new_from_last_year(FIXTURES_DIR / "shanghai_office_2019.html")
    report = window.report
    assert (report.meta.year, report.meta.agency, report.last_year.year) == (2020, "上海市人民政府办公厅", 2019)
    assert report.cells[("requests", "carried_in", "natural")] == 72  # last year's 四、结转下年度继续办理


def test_text_hints_follow_the_format(make_window, recorded):
    window = make_window(zero_report(2020))  # gov-2019: no 一千字 limit, no 信息处理费 statement
    overview, other = window.text_pages["overview"], window.text_pages["other_matters"]
    assert overview.hint.text() == "总体情况：主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面。"
    assert "信息处理费" not in other.hint.text()
    assert overview.count.text().endswith(" 字") and "/" not in overview.count.text()
    window.change_year(2021)  # converted to gov-2021 (the recorded dialog confirms)
    assert overview.hint.text().endswith("2021年版格式要求简明扼要，原则上不超过一千字。")
    assert "说明信息处理费的收取情况（未收取也应写明）" in other.hint.text()
    assert "/ 1000 字" in overview.count.text()
    window.undo_stack.undo()
    assert "一千字" not in overview.hint.text()


def test_one_click_updates_every_stale_year_of_the_sentence(make_window, qtbot):
    report = zero_report()
    report.text["preamble"] = "本报告中所列数据的统计期限自2025年1月1日起至2025年12月31日止。"
    window = make_window(report, Path("x.nianbao"))
    stale = [p for p in window.problems if p.rule == "text.stale_year"]
    assert len(stale) == 1 and len(stale[0].spans) == 2  # one warning, not two overlapping
    window.panel.tree.setCurrentItem(window.panel.item_for("text.stale_year"))
    qtbot.mouseClick(window.panel.year_button, Qt.MouseButton.LeftButton)
    assert window.report.text["preamble"] == "本报告中所列数据的统计期限自2026年1月1日起至2026年12月31日止。"
    assert not [p for p in window.problems if p.rule == "text.stale_year"]
    assert window.undo_stack.count() == 1  # one step: one Ctrl+Z puts both back
    window.undo_stack.undo()
    assert window.report.text["preamble"] == report.text["preamble"]
