"""Editing that behaves like Word and Excel (issue 13), offscreen: typing bursts, undo that shows
what it did, grid moves, refused values, the tab keys, clean state, the export confirmation, the
problems panel, the first Save As folder, the preview, the softer mark for results not yet typed.
The same habits on a real desktop: tests/desktop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from gui import commands
from gui.main_window import TABS
from gui.problems import PROBLEM_ROLE
from model.problems import SEVERITY_NAMES
from tests.gui.conftest import zero_report
from tests.gui.test_window import EXAMPLE_PATH, FIXTURES_DIR, go_to, press, type_cell

CTRL = Qt.KeyboardModifier.ControlModifier


def tab_index(key: str) -> int:
    return [k for k, _ in TABS].index(key)


def current(view) -> tuple[str, str, str]:
    return view.grid.cell(view.currentIndex()).address


@pytest.fixture
def clock(monkeypatch):
    """The undo history's clock, moved by hand: a pause without waiting."""
    now = [1000.0]
    monkeypatch.setattr(commands, "clock", lambda: now[0])
    return now


def overview_editor(window):
    window.tabs.setCurrentIndex(tab_index("overview"))
    editor = window.text_pages["overview"].editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    return editor


# ---- typing bursts ---------------------------------------------------------------------------
def test_a_typing_burst_is_one_step_and_ends_at_a_sentence_a_pause_a_paste_or_a_move(make_window, qtbot, clock):
    window = make_window(zero_report())
    editor = overview_editor(window)
    start = window.report.text["overview"]
    press(qtbot, editor, "第一句话。")  # one burst, closed by its 。
    press(qtbot, editor, "第二句")
    clock[0] += 0.5
    press(qtbot, editor, "接着")  # within the pause: the same burst
    clock[0] += 1.5
    press(qtbot, editor, "停后")  # after a pause: a new one
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a paragraph break ends it
    press(qtbot, editor, "新段")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # deleting is not typing: a step of its own
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    QGuiApplication.clipboard().setText("粘贴的")
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)  # a paste is a step of its own
    press(qtbot, editor, "后")
    editor.moveCursor(editor.textCursor().MoveOperation.Start)  # the cursor moved elsewhere
    press(qtbot, editor, "前")
    steps = [window.undo_stack.command(i) for i in range(window.undo_stack.count())]
    assert [c.text() for c in steps] == ["输入文字", "输入文字", "输入文字", "输入文字", "删除文字", "粘贴文字",
                                         "输入文字", "输入文字"]
    texts = [c.new for c in steps]
    assert texts[:5] == [start + "第一句话。", start + "第一句话。第二句接着", start + "第一句话。第二句接着停后\n",
                         start + "第一句话。第二句接着停后\n新段", start + "第一句话。第二句接着停后\n"]
    assert texts[5:] == [start + "第一句话。第二句接着停后\n粘贴的", start + "第一句话。第二句接着停后\n粘贴的后",
                         "前" + start + "第一句话。第二句接着停后\n粘贴的后"]


def test_ctrl_z_and_ctrl_y_in_a_text_box_drive_the_window_history(make_window, qtbot, clock):
    window = make_window(zero_report())
    editor = overview_editor(window)
    start = window.report.text["overview"]
    press(qtbot, editor, "一句。")
    press(qtbot, editor, "两句")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert window.report.text["overview"] == editor.toPlainText() == start + "一句。"
    assert window.statusBar().currentMessage() == "已撤销：输入文字（一、总体情况）"
    assert editor.textCursor().position() == len(start + "一句。") and not editor.textCursor().hasSelection()
    qtbot.keyClick(editor, Qt.Key.Key_Y, CTRL)
    assert window.report.text["overview"] == start + "一句。两句"
    assert window.statusBar().currentMessage() == "已重做：输入文字（一、总体情况）"
    # what came back is lit up for a moment, not selected: the next key adds, replaces nothing
    assert editor.textCursor().position() == len(start + "一句。两句") and not editor.textCursor().hasSelection()
    assert editor._flash == (len(start + "一句。"), len(start + "一句。两句"))
    qtbot.waitUntil(lambda: editor._flash is None, timeout=3000)
    assert window.undo_action.text() == "撤销 输入文字(&U)"


def test_ctrl_z_in_a_cell_undoes_its_own_typing_first(make_window, qtbot):
    window = make_window(zero_report())
    type_cell(window, qtbot, ("requests", "received", "natural"), "4")
    view = go_to(window, qtbot, ("requests", "received", "business"))
    press(qtbot, view, "9")
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # the editor's typing first, as in a spreadsheet cell
    assert editor.text() == "0"
    assert window.report.cells[("requests", "received", "natural")] == 4
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # nothing left to undo there: the window's history
    assert window.report.cells[("requests", "received", "natural")] == 0
    assert current(view) == ("requests", "received", "natural")


# ---- undo shows the place --------------------------------------------------------------------
def test_undo_from_a_grid_goes_to_text_on_another_tab_and_to_cells_scrolled_away(make_window, qtbot):
    window = make_window(zero_report())
    window.resize(1366, 600)
    editor = overview_editor(window)
    press(qtbot, editor, "补充一句。")
    type_cell(window, qtbot, ("requests", "carried_out", "other"), "2")
    view = window.grids["requests"]
    view.scrollToTop()
    view.setCurrentIndex(view.grid.index_of(("requests", "received", "natural")))
    assert view.verticalScrollBar().value() == 0
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert window.report.cells[("requests", "carried_out", "other")] == 0
    assert current(view) == ("requests", "carried_out", "other")
    assert view.viewport().rect().contains(view.visualRect(view.currentIndex()))
    assert view.verticalScrollBar().value() > 0
    assert window.statusBar().currentMessage() == "已撤销：修改单元格（表三 四、结转下年度继续办理 · 其他）"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert window.tabs.currentIndex() == tab_index("overview")
    assert QApplication.focusWidget() is editor
    assert window.statusBar().currentMessage() == "已撤销：输入文字（一、总体情况）"
    window.redo()
    window.redo()
    assert window.tabs.currentIndex() == tab_index("requests")
    assert window.statusBar().currentMessage() == "已重做：修改单元格（表三 四、结转下年度继续办理 · 其他）"


def test_undo_of_a_paste_selects_the_block_and_of_a_field_goes_to_it(make_window, qtbot):
    window = make_window(zero_report())
    view = go_to(window, qtbot, ("appeals", "review", "upheld"))
    QGuiApplication.clipboard().setText("1\t2\t3\n")
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    window.meta_tab.agency.setText("别的局")
    window.meta_tab.agency.editingFinished.emit()
    window.undo()
    assert window.tabs.currentIndex() == 0 and window.meta_tab.agency.hasFocus()
    assert window.statusBar().currentMessage() == "已撤销：修改基本信息（机关名称）"
    window.undo()
    assert window.tabs.currentIndex() == tab_index("appeals")
    assert len(window.grids["appeals"].selected_cells()) == 3
    assert window.statusBar().currentMessage() == "已撤销：粘贴（表四 3 个单元格）"


# ---- grid moves and refused values -----------------------------------------------------------
def test_tab_and_enter_skip_the_totals(make_window, qtbot):
    window = make_window(zero_report())
    view = type_cell(window, qtbot, ("requests", "received", "other"), "1", finish=Qt.Key.Key_Tab)
    assert current(view) == ("requests", "carried_in", "natural")  # not 总计
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert current(view) == ("requests", "received", "other")
    type_cell(window, qtbot, ("requests", "other_handling.other", "business"), "0")
    assert current(view) == ("requests", "carried_out", "business")  # Enter skipped （七）总计
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert current(view) == ("requests", "other_handling.other", "business")
    view.setCurrentIndex(view.grid.index_of(("requests", "carried_out", "other")))
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # the last cell to fill: back to the first
    assert current(view) == ("requests", "received", "natural")
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert current(view) == ("requests", "carried_out", "other")


def test_the_tab_keys_work_from_grids_editors_text_boxes_and_the_year_box(make_window, qtbot):
    window = make_window(zero_report())
    year = window.meta_tab.year
    year.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, CTRL)
    assert window.tabs.currentIndex() == 1 and window.report.meta.year == 2026
    assert QApplication.focusWidget() is window.text_pages["overview"].editor
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, CTRL)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, CTRL)
    assert window.tabs.currentIndex() == tab_index("requests")
    view = window.grids["requests"]
    assert QApplication.focusWidget() is view
    press(qtbot, view, "7")  # an open editor is committed before the tab changes
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, CTRL)
    assert window.tabs.currentIndex() == tab_index("appeals")
    assert window.report.cells[("requests", "received", "natural")] == 7
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp, CTRL)
    press(qtbot, view, "x")  # a refused value keeps the clerk on the tab, in the cell
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, CTRL)
    assert window.tabs.currentIndex() == tab_index("requests")
    assert view.message.isVisible() and type(QApplication.focusWidget()).__name__ == "CellEditor"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    window.tabs.setCurrentIndex(len(TABS) - 1)
    window.switch_tab(1)  # wraps round to 基本信息, into its first field
    assert window.tabs.currentIndex() == 0 and QApplication.focusWidget() is window.meta_tab.agency


def test_the_frozen_panes_keep_the_headers_and_labels_on_screen(make_window, qtbot):
    from gui.grid import frozen_extent

    window = make_window(zero_report())
    window.resize(800, 600)  # narrow and short: both ways to scroll
    layouts = window.report.format.layouts
    assert [frozen_extent(layouts[k]) for k in ("proactive", "requests", "appeals")] == [(0, 0), (3, 3), (3, 0)]
    view = go_to(window, qtbot, ("requests", "received", "natural"))
    view.setCurrentIndex(view.grid.index_of(("requests", "carried_out", "total")))
    view.scrollTo(view.currentIndex())
    QApplication.processEvents()
    panes = view.frozen
    assert view.verticalScrollBar().value() > 0 and view.horizontalScrollBar().value() > 0
    assert panes.top.isVisible() and panes.left.isVisible() and panes.corner.isVisible()
    assert panes.top.geometry().top() == view.viewport().geometry().top()
    assert panes.top.height() == sum(view.rowHeight(r) for r in range(3))
    assert panes.top.verticalScrollBar().value() == 0
    assert panes.top.horizontalScrollBar().value() == view.horizontalScrollBar().value()
    assert panes.left.verticalScrollBar().value() == view.verticalScrollBar().value()
    cell = view.visualRect(view.currentIndex())
    assert cell.top() >= panes.height and cell.left() >= panes.width  # not under a pane
    # the label of the row in view is drawn by the left pane, beside it
    label = panes.left.visualRect(view.grid.index(view.currentIndex().row(), 0))
    assert abs(label.top() - cell.top()) <= 1
    # 三、本年度办理结果 (rows 8–27, its top scrolled under the header) is drawn from the header's lower edge
    results = panes.left.visualRect(view.grid.index(view.currentIndex().row() - 1, 0))
    assert results.height() > 10 * view.rowHeight(9) and results.top() < panes.height < results.bottom()
    shown = panes.left.itemDelegate().visible_rect(results)
    assert (shown.top(), shown.bottom(), shown.left(), shown.width()) == (
        panes.height, results.bottom(), results.left(), results.width())
    row = panes.left.visualRect(view.grid.index(view.currentIndex().row(), 0))  # a row wholly on screen: as it is
    assert panes.left.itemDelegate().visible_rect(row) == row
    assert not go_to(window, qtbot, ("art20_1", "rules", "issued")).frozen.top.isVisible()


# ---- clean state -----------------------------------------------------------------------------
def test_new_and_made_from_a_file_reports_are_clean_until_changed(make_window, qtbot, recorded):
    from gui.settings import autosave_paths

    window = make_window(zero_report(), Path("x.nianbao"))
    window.new_file()
    assert not window.isWindowModified() and recorded.titles("ask_save") == []
    assert window.new_from_last_year(EXAMPLE_PATH)
    assert not window.isWindowModified()
    window.autosave()
    assert not autosave_paths(window.autosave_id)[0].exists()  # nothing to keep yet
    assert window.close()  # closes without asking
    assert recorded.titles("ask_save") == []

    window = make_window(zero_report(), Path("x.nianbao"))
    assert window.new_from_last_year(EXAMPLE_PATH)
    type_cell(window, qtbot, ("requests", "received", "natural"), "3")
    assert window.isWindowModified()
    window.autosave()
    assert autosave_paths(window.autosave_id)[0].exists()  # once changed, it is kept
    window.undo()
    assert not window.isWindowModified()  # back where it started


# ---- export confirmation ---------------------------------------------------------------------
def test_the_export_confirmation_counts_and_names_errors_and_warnings(make_window, qtbot, recorded, tmp_path):
    report = zero_report()
    for column in ("natural", "business", "research", "nonprofit"):
        report.cells[("requests", "received", column)] = 1  # four balance errors
    report.text["overview"] = "2025年，我局共收到政府信息公开申请25件。"  # two warnings
    report.meta = report.meta._replace(date=dt.date(2026, 12, 1))  # a third
    window = make_window(report, tmp_path / "r.nianbao")
    recorded.confirm_answer = False
    window.export_word_dialog()
    assert recorded.titles("confirm_export") == ["报告有错误"]
    assert recorded.export_default_cancel is True
    lines = recorded.texts("confirm_export")[0].split("\n")
    assert lines[0] == "报告还有 4 个错误、3 个警告（见“核对结果”）："
    assert lines[1].startswith("【错误】自然人列：第一项+第二项=1")
    assert [line[:4] for line in lines[1:4]] == ["【错误】"] * 3 and lines[4] == "……另有 1 个错误"
    assert [line[:4] for line in lines[5:8]] == ["【警告】"] * 3 and any("25件" in line for line in lines[5:8])
    assert lines[8:] == ["", "仍然导出 Word 吗？"]
    assert recorded.texts("ask_save_path") == []  # 取消: no file asked for

    # warnings only: asked too, but 导出 is the default; dismissed ones are not counted
    for column in ("natural", "business", "research", "nonprofit"):
        window.report.set_cells({("requests", "received", column): 0})
    stale = next(p for p in window.problems if p.rule == "text.stale_year")
    window.report.dismiss(stale.id, "已核实")
    recorded.confirm_answer = True
    recorded.save_as = tmp_path / "out"
    window.export_excel_dialog()
    assert recorded.titles("confirm_export")[-1] == "报告有警告"
    assert recorded.export_default_cancel is False
    assert recorded.texts("confirm_export")[-1].startswith("报告还有 2 个警告（见“核对结果”）：\n【警告】")
    assert window.result_label.text() == f"已导出 Excel：{tmp_path / 'out.xlsx'}（导出时仍有 2 个警告）"
    window.statusBar().showMessage("已自动保存", 1)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "")
    assert window.result_label.isVisible()  # the result stays after brief messages
    assert window.result_label.text().startswith("已导出 Excel")


def test_the_export_and_close_boxes_have_their_keys_and_defaults(monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gui import dialogs

    seen = []

    def exec_(box):
        seen.append((sorted(b.text() for b in box.buttons()), box.defaultButton().text()))
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert dialogs.ask_save(None, "报告") == dialogs.DISCARD
    assert not dialogs.confirm_export(None, "报告有错误", "…", default_cancel=True)
    dialogs.confirm_export(None, "报告有警告", "…", default_cancel=False)
    assert seen == [(sorted(["保存(&S)", "不保存(&N)", "取消(&C)"]), "保存(&S)"),
                    (sorted(["仍然导出(&E)", "取消(&C)"]), "取消(&C)"),
                    (sorted(["仍然导出(&E)", "取消(&C)"]), "仍然导出(&E)")]


def test_a_message_box_gives_the_keyboard_back(make_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gui import dialogs

    window = make_window(zero_report())
    view = go_to(window, qtbot, ("requests", "received", "natural"))
    view.setFocus()

    def warning(*_args):  # a window manager that hands the focus to the tab bar when the box closes
        window.tabs.tabBar().setFocus()
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    dialogs.warn(window, "粘贴未完成", "…")
    assert QApplication.focusWidget() is view


# ---- the problems panel ----------------------------------------------------------------------
def _report_with_problems():
    report = zero_report()
    report.cells[("requests", "received", "natural")] = 5
    report.text["overview"] = "我局重视。\n2025年，我局共收到政府信息公开申请25件。"
    return report


def test_a_text_problem_selects_its_phrase_with_the_message_beside_it(make_window, qtbot):
    window = make_window(_report_with_problems())
    item = window.panel.item_for("text.number_mismatch")
    rect = window.panel.tree.visualItemRect(item)
    qtbot.mouseClick(window.panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = window.text_pages["overview"].editor
    assert window.tabs.currentIndex() == tab_index("overview")
    assert editor.textCursor().selectedText() == "25" and QApplication.focusWidget() is editor
    problem = item.data(0, PROBLEM_ROLE)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == problem.message, timeout=3000)
    QToolTip.hideText()
    # hovering over the marked number says the same
    position = editor.cursorRect(editor.textCursor()).center()
    QApplication.sendEvent(editor.viewport(), QHelpEvent(QEvent.Type.ToolTip, position, editor.viewport().mapToGlobal(position)))
    assert QToolTip.isVisible() and problem.message in QToolTip.text()
    QToolTip.hideText()


def test_the_problem_list_by_keyboard(make_window, qtbot):
    window = make_window(_report_with_problems())
    tree = window.panel.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Down)  # moving shows the place, the keyboard stays in the list
    problem = window.panel.current_problem()
    assert problem.rule == "text.stale_year"
    assert window.tabs.currentIndex() == tab_index("overview")
    assert window.text_pages["overview"].editor.textCursor().selectedText() == "2025"
    assert QApplication.focusWidget() is tree
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # Enter goes there
    assert QApplication.focusWidget() is window.text_pages["overview"].editor
    window.next_problem(1)  # F8
    assert window.panel.current_problem().rule == "text.number_mismatch"
    window.next_problem(1)  # wraps round to the first
    assert window.panel.current_problem().rule == "requests.balance"
    assert window.tabs.currentIndex() == tab_index("requests")
    window.next_problem(-1)
    assert window.panel.current_problem().rule == "text.number_mismatch"


def test_the_problem_list_columns_read_whole_and_its_height_is_remembered(make_window, qtbot, recorded):
    window = make_window(_report_with_problems())
    stale = next(p for p in window.problems if p.rule == "text.stale_year")
    window.report.dismiss(stale.id, "已核实")
    tree = window.panel.tree
    group = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if tree.topLevelItem(i).text(0).startswith("已忽略"))
    assert group.text(0) == "已忽略（1）"
    needed = tree.fontMetrics().horizontalAdvance(group.text(0)) + tree.indentation()
    assert tree.columnWidth(0) >= needed
    assert tree.columnWidth(0) >= tree.fontMetrics().horizontalAdvance(SEVERITY_NAMES["warning"])

    window.resizeDocks([window.panel], [300], Qt.Orientation.Vertical)
    QApplication.processEvents()
    height = window.panel.height()
    assert height > 250
    settings = window.settings
    window.undo_stack.setClean()
    window.close()
    from gui.main_window import MainWindow

    again = MainWindow(settings, zero_report())
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert abs(again.panel.height() - height) <= 2
    again.close()


# ---- the first Save As -----------------------------------------------------------------------
def test_the_first_save_as_opens_beside_last_years_or_the_imported_file(make_window, recorded, tmp_path):
    folder = tmp_path / "上年"
    folder.mkdir()
    last = folder / "2019.nianbao"
    last.write_bytes(EXAMPLE_PATH.read_bytes())
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    assert window.new_from_last_year(last)
    window.save_as()  # cancelled by the recorded dialog
    assert recorded.texts("ask_save_path")[-1] == str(folder / "城步苗族自治县商务局2020年政府信息公开工作年度报告.nianbao")
    assert window.export_target(".docx").parent == folder
    assert window.import_file(FIXTURES_DIR / "chengbu_commerce_2019.txt")
    window.save_as()
    assert Path(recorded.texts("ask_save_path")[-1]).parent == FIXTURES_DIR


# ---- the preview -----------------------------------------------------------------------------
def test_the_preview_sets_run_in_headings_as_the_word_output(make_window):
    report = zero_report()
    report.text["overview"] = "一、主动公开情况。全年主动公开。\n（一）规章。本年制发1件。\n正文。"
    window = make_window(report)
    window.tabs.setCurrentIndex(tab_index("preview"))
    document = window.preview.document()
    blocks = {}
    block = document.begin()
    while block.isValid():
        blocks.setdefault(block.text(), block)
        block = block.next()

    def runs(text):
        found = []
        fragments = blocks[text].begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            found.append((fragment.text(), fragment.charFormat()))
            fragments += 1
        return found

    (head1, fmt1), (_rest1, body1) = runs("一、主动公开情况。全年主动公开。")
    (head2, fmt2), (_rest2, body2) = runs("（一）规章。本年制发1件。")
    assert (head1, head2) == ("一、主动公开情况。", "（一）规章。")
    assert fmt1.fontFamilies()[0] == "SimHei" and fmt2.fontFamilies()[0] == "KaiTi"
    assert not fmt2.fontItalic() and not fmt1.fontItalic()
    assert body1.fontFamilies()[0] == body2.fontFamilies()[0] == "FangSong"
    indents = {text: blocks[text].blockFormat().textIndent() for text in ("一、主动公开情况。全年主动公开。",
                                                                          "（一）规章。本年制发1件。", "正文。")}
    assert set(indents.values()) == {32.0}  # two characters of 12 pt, like the document's first-line indent


# ---- the softer mark for results not typed yet -----------------------------------------------
def test_balance_errors_of_columns_whose_results_are_blank_are_marked_softly(make_window, qtbot, distinct_path):
    from gui.grid import MARK_BRUSHES, PENDING_BRUSH

    window = make_window(zero_report(), Path("x.nianbao"))
    assert window.new_from_last_year(distinct_path)  # 二、上年结转 filled, nothing else yet
    balance = [p for p in window.problems if p.rule == "requests.balance"]
    assert len(balance) == 6 and all(p.severity == "error" for p in balance)
    assert window.panel.item_for("requests.balance") is not None  # still listed as errors
    view = go_to(window, qtbot, ("requests", "carried_in", "natural"))
    model = view.grid

    def brush(column):
        return model.data(model.index_of(("requests", "carried_in", column)), Qt.ItemDataRole.BackgroundRole)

    assert brush("natural") == PENDING_BRUSH and brush("natural").style() == Qt.BrushStyle.BDiagPattern
    assert "本列的办理结果尚未填写" in model.data(model.index_of(("requests", "carried_in", "natural")),
                                              Qt.ItemDataRole.ToolTipRole)
    type_cell(window, qtbot, ("requests", "granted", "business"), "1")  # the business column is begun
    assert brush("business") == MARK_BRUSHES["error"]
    assert brush("natural") == PENDING_BRUSH
