"""The clerk's first hour on a real desktop (issue 13's findings 1–7, and the export confirmation):
the program on Xvfb with openbox, real key events from xdotool, its state read through the probe."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from model import store
from tests.desktop.conftest import TASKBAR, TIMEOUT, Desktop
from tests.desktop.conftest import _wait as wait_for
from tests.gui.conftest import zero_report

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "chengbu_commerce_2019.nianbao"
REQUESTS = "window.grids['requests']"
CURRENT = f"list({REQUESTS}.grid.cell({REQUESTS}.currentIndex()).address)"
STATUS = "window.statusBar().currentMessage()"
DIALOGS = Desktop.DIALOGS


def saved_report(tmp_path: Path, report=None) -> Path:
    path = tmp_path / "本年.nianbao"
    store.save(report or zero_report(), path)
    return path


def to_tab(app, index: int) -> None:
    """Ctrl+PageDown / Ctrl+PageUp until tab ``index`` shows."""
    current = app.ask("window.tabs.currentIndex()")
    step = "ctrl+Next" if index > current else "ctrl+Prior"
    app.key(*[step] * abs(index - current))
    app.wait(f"window.tabs.currentIndex() == {index}")


def tab_key(app, key: str, index: int) -> None:
    """One tab key, and the tab it leads to."""
    app.key(key)
    app.wait(f"window.tabs.currentIndex() == {index}")


def text(key: str) -> str:
    return f"window.report.text[{key!r}]"


def menu_line(app, menu: str, line: str) -> None:
    """A menu line by its keys, as the clerk reaches it: Alt+the menu's letter, then the line's."""
    app.key(f"alt+{menu}")
    app.wait("window.menuBar().activeAction() is not None")
    app.key(line)


def new_from_last_year(app) -> None:
    """文件 → 从上年报告新建(Y)… with the example 2019 report, up to the summary box."""
    menu_line(app, "f", "y")
    app.wait_dialog("选择上年的报告")
    app.type_file_name(EXAMPLE)
    app.wait_dialog("从上年报告新建")


def test_typing_bursts_undo_one_at_a_time_from_the_text_box(desktop, tmp_path):
    """Finding 1: Ctrl+Z in a text box undoes the last typing burst, not the whole session.

    xdotool types only what the keyboard map holds reliably (it remaps a key for each other
    character, and a fast program may read the key before the new map): ASCII here; the Chinese
    sentence ends and an input method's phrases are covered offscreen (tests/gui)."""
    app = desktop(saved_report(tmp_path))
    to_tab(app, 1)
    assert app.focus_class() == "SectionEditor"
    original = app.ask(text("overview"))
    app.key("ctrl+End")
    app.type("Plan")
    app.key("Return")  # a paragraph break closes a burst
    app.wait(f"{text('overview')}.endswith('Plan\\n')")
    app.type("fees")
    app.wait(f"{text('overview')}.endswith('fees')")
    app.pause_typing()  # a pause closes a burst too
    app.type(" none")
    app.wait(f"{text('overview')}.endswith('fees none')")
    assert app.ask("window.undo_stack.count()") == 3

    app.key("ctrl+z")
    assert app.wait(f"{text('overview')} == {original + 'Plan' + chr(10) + 'fees'!r}")
    assert app.ask(STATUS) == "已撤销：输入文字（一、总体情况）"
    assert app.ask("window.text_pages['overview'].editor.toPlainText()") == original + "Plan\nfees"
    app.key("ctrl+z")
    app.wait(f"{text('overview')} == {original + 'Plan' + chr(10)!r}")
    app.key("ctrl+y")
    app.wait(f"{text('overview')} == {original + 'Plan' + chr(10) + 'fees'!r}")
    assert app.ask(STATUS) == "已重做：输入文字（一、总体情况）"
    assert app.focus_class() == "SectionEditor"  # the keyboard stayed in the text box
    app.type("!")  # and typing goes on where the redo left the cursor, replacing nothing
    app.wait(f"{text('overview')} == {original + 'Plan' + chr(10) + 'fees!'!r}")


def test_undo_from_another_tab_goes_to_the_change(desktop, tmp_path):
    """Finding 2: an undo from table 三 that reverts text on another tab switches there and says so;
    undoing a cell scrolled off-screen scrolls it back into view."""
    app = desktop(saved_report(tmp_path))
    to_tab(app, 1)
    app.key("ctrl+End")
    app.type("More.")
    app.wait(f"{text('overview')}.endswith('More.')")
    to_tab(app, 3)
    assert app.focus_class() == "GridView"
    app.key("ctrl+End")  # 四、结转下年度继续办理 · 总计: far down the table
    app.key("Left")
    app.type("4")
    app.key("Return")
    app.wait("window.report.cells[('requests', 'carried_out', 'other')] == 4")
    app.key("ctrl+Home")  # back to the top: the changed cell is off-screen
    app.wait(f"{REQUESTS}.verticalScrollBar().value() == 0")

    app.key("ctrl+z")
    app.wait("window.report.cells[('requests', 'carried_out', 'other')] == 0")
    assert app.ask(STATUS) == "已撤销：修改单元格（表三 四、结转下年度继续办理 · 其他）"
    assert app.ask(CURRENT) == ["requests", "carried_out", "other"]
    assert app.ask(f"{REQUESTS}.verticalScrollBar().value()") > 0
    assert app.ask(f"{REQUESTS}.viewport().rect().contains({REQUESTS}.visualRect({REQUESTS}.currentIndex()))")

    app.key("ctrl+z")  # the next step back is the text on 一、总体情况
    app.wait("window.tabs.currentIndex() == 1")
    assert not app.ask(f"{text('overview')}.endswith('More.')")
    assert app.ask(STATUS) == "已撤销：输入文字（一、总体情况）"
    assert app.focus_class() == "SectionEditor"


def test_a_refused_value_keeps_the_keyboard_in_its_cell(desktop, tmp_path):
    """Findings 3 and 4: after a bad value the clerk stays in the cell with the text selected and the
    reason beside it, and the next keys go there; after a message box the keyboard comes back too."""
    app = desktop(saved_report(tmp_path))
    to_tab(app, 3)
    app.type("12a")
    app.key("Return")
    app.wait(f"{REQUESTS}.message.isVisible()")
    assert app.focus_class() == "CellEditor"
    assert app.ask("QApplication.focusWidget().selectedText()") == "12a"
    assert app.ask(f"{REQUESTS}.message.text()").startswith("「12a」不是有效的数字")
    assert app.dialogs() == []  # no box took the keyboard
    assert app.ask(CURRENT) == ["requests", "received", "natural"]
    app.type("15")
    app.key("Return")
    app.wait("window.report.cells[('requests', 'received', 'natural')] == 15")
    assert app.ask(CURRENT) == ["requests", "carried_in", "natural"]
    assert app.focus_class() == "GridView"
    assert app.ask("window.tabs.currentIndex()") == 3

    # a paste with a bad value still says so in a box; when it closes, the keys go to the grid again
    app.do("QApplication.clipboard().setText('1\\tx\\n')")
    app.key("ctrl+v")
    app.wait_dialog("粘贴未完成")
    app.key("Return")
    app.wait("QApplication.activeModalWidget() is None")
    app.wait("type(QApplication.focusWidget()).__name__ == 'GridView'")
    app.type("7")
    app.key("Return")
    app.wait("window.report.cells[('requests', 'carried_in', 'natural')] == 7")
    assert app.ask("window.tabs.currentIndex()") == 3


def test_tab_and_enter_skip_the_totals(desktop, tmp_path):
    """Finding 7: Tab from the last applicant column goes to the next row, not to 总计; Enter skips
    the （七）总计 row."""
    app = desktop(saved_report(tmp_path))
    to_tab(app, 3)
    app.key(*["Right"] * 5)
    assert app.ask(CURRENT) == ["requests", "received", "other"]
    app.type("1")
    app.key("Tab")
    app.wait(f"{CURRENT} == ['requests', 'carried_in', 'natural']")
    assert app.ask("window.report.cells[('requests', 'received', 'other')]") == 1
    app.key("shift+Tab")
    app.wait(f"{CURRENT} == ['requests', 'received', 'other']")
    app.key("ctrl+End", "Up", "Up", "Left")  # （六）3.其他 · 其他
    app.wait(f"{CURRENT} == ['requests', 'other_handling.other', 'other']")
    app.key("Return")
    app.wait(f"{CURRENT} == ['requests', 'carried_out', 'other']")


def test_tab_keys_change_tabs_from_anywhere(desktop, tmp_path):
    """Finding 7: Ctrl+PageDown / Ctrl+PageUp and Ctrl+Tab / Ctrl+Shift+Tab change tabs from a grid, from
    a cell being edited, from a text box and from the year box (whose value stays)."""
    app = desktop(saved_report(tmp_path))
    app.do("window.meta_tab.year.setFocus()")
    year_box = "window.meta_tab.year"
    app.wait(f"QApplication.focusWidget() is {year_box} or {year_box}.isAncestorOf(QApplication.focusWidget())")
    tab_key(app, "ctrl+Next", 1)
    assert app.ask("window.report.meta.year") == 2026
    assert app.focus_class() == "SectionEditor"
    tab_key(app, "ctrl+Tab", 2)
    tab_key(app, "ctrl+Tab", 3)
    assert app.focus_class() == "GridView"
    app.type("3")  # an editor open in the cell: the tab key commits it and goes on
    tab_key(app, "ctrl+Next", 4)
    assert app.ask("window.report.cells[('requests', 'received', 'natural')]") == 3
    assert app.focus_class() == "GridView"
    tab_key(app, "ctrl+shift+Tab", 3)
    tab_key(app, "ctrl+Prior", 2)


def test_the_header_stays_on_screen_at_the_bottom_of_table_three(desktop, tmp_path):
    """Finding 5: at 1366×768 the header rows of table 三 stay visible at 四、结转下年度继续办理, and the
    columns use the width. Screenshots: table 三, top and bottom."""
    app = desktop(saved_report(tmp_path))
    app.do("window.showMaximized()")
    app.wait("window.isMaximized() and window.width() == 1366")
    to_tab(app, 3)
    app.screenshot("table-3-top-1366x768")
    header = f"{REQUESTS}.frozen.top"
    natural = f"{header}.model().index(1, 3)"  # the 自然人 header cell
    corner = f"{header}.viewport().mapToGlobal({header}.visualRect({natural}).topLeft())"
    x, y = app.ask(f"[{corner}.x() + 4, {corner}.y() + 3]")

    app.key("ctrl+End")  # 四、结转下年度继续办理 · 总计
    app.wait(f"{CURRENT} == ['requests', 'carried_out', 'total']")
    app.wait(f"{REQUESTS}.verticalScrollBar().value() == {REQUESTS}.verticalScrollBar().maximum() > 0")
    path = app.screenshot("table-3-bottom-1366x768")
    assert path.is_file()
    # on the real screen, the 自然人 header cell is still drawn where it was, in the header colour
    pixel = f"QApplication.primaryScreen().grabWindow(0).toImage().pixelColor({x}, {y}).name()"
    assert app.ask(pixel) == "#e8eef5"
    assert app.ask(f"{header}.isVisible()")
    # the current row shows below the header, not under it
    rect = f"{REQUESTS}.visualRect({REQUESTS}.currentIndex())"
    assert app.ask(f"{rect}.top() >= {REQUESTS}.frozen.height and {REQUESTS}.viewport().rect().contains({rect})")
    # no header breaks inside a word, and no width is left over
    widths = app.ask(f"[{REQUESTS}.columnWidth(c) for c in range(10)]")
    assert sum(widths) >= app.ask(f"{REQUESTS}.viewport().width()") - 60
    assert app.ask(f"{REQUESTS}.horizontalScrollBar().maximum()") == 0
    assert app.ask(f"{REQUESTS}.fontMetrics().horizontalAdvance('社会公益组织')") < widths[6]
    # the wheel a notch up (the view shifts what it drew): the tall label 三、本年度办理结果 is drawn within the
    # rows on screen, and what the screen shows of the label column is what a fresh drawing shows — no
    # words left behind by the shift
    left = f"{REQUESTS}.frozen.left"
    area = (f"[*(lambda p: (p.x(), p.y()))({left}.viewport().mapToGlobal({left}.viewport().rect().topLeft())), "
            f"{left}.viewport().width(), {left}.viewport().height()]")
    x, y, width, height = app.ask(area)
    screen = f"QApplication.primaryScreen().grabWindow(0, {x}, {y}, {width}, {height}).toImage()"
    app.xdotool("mousemove", str(x + width + 60), str(y + height // 2), "click", "4")  # the wheel, one notch up
    app.wait(f"{REQUESTS}.verticalScrollBar().value() < {REQUESTS}.verticalScrollBar().maximum()")
    app.do(f"QApplication.processEvents(); window.shifted = {screen}")
    app.do(f"{left}.viewport().repaint(); QApplication.processEvents()")
    assert app.ask(f"window.shifted == {screen}")


def test_a_report_nobody_changed_closes_without_a_question(desktop, tmp_path):
    """Finding 6: a new report, and one made from last year's file, close at once (the window
    manager's close); a changed one asks, and 不保存(N) answers by its key."""
    app = desktop(None)
    assert app.ask("window.isWindowModified()") is False
    app.key("alt+F4")
    assert app.ended() == 0

    app = desktop(None)
    new_from_last_year(app)
    assert app.ask("window.report.meta.year") == 2020
    app.key("Return")
    app.wait(DIALOGS + " == []")
    assert app.ask("window.isWindowModified()") is False
    assert app.ask("str(window.folder())") == str(EXAMPLE.parent)  # where the first Save As opens
    app.key("alt+F4")
    assert app.ended() == 0

    app = desktop(saved_report(tmp_path))
    to_tab(app, 3)
    app.type("5")
    app.key("Return")
    app.wait("window.isWindowModified()")
    app.key("alt+F4")
    app.wait_dialog("年报助手")
    buttons = app.ask("sorted(b.text() for b in QApplication.activeModalWidget().buttons())")
    assert buttons == sorted(["保存(&S)", "不保存(&N)", "取消(&C)"])
    app.key("alt+n")
    assert app.ended() == 0
    assert store.load(tmp_path / "本年.nianbao").cells[("requests", "received", "natural")] == 0


def test_problems_panel_and_export_confirmation(desktop, tmp_path):
    """The problems panel: F8 goes to the first problem, a single click on a text warning selects the
    phrase with the message beside it. Export: the confirmation counts and names errors and warnings,
    Enter means 取消 when there are errors, 仍然导出(E) exports and the status bar keeps the result.
    Screenshots: the problems panel, the export confirmation."""
    report = zero_report()
    report.cells[("requests", "received", "natural")] = 5  # an error
    report.text["overview"] = "2025年，我局共收到政府信息公开申请25件。"  # a stale year, a number the tables deny
    app = desktop(saved_report(tmp_path, report))
    app.wait("len(window.problems) >= 3")
    app.key("F8")
    app.wait(f"window.tabs.currentIndex() == 3 and {CURRENT} == ['requests', 'received', 'natural']")
    # one click on the 25 warning: the phrase in the text, selected, with a tooltip
    item = "window.panel.item_for('text.number_mismatch')"
    point = f"window.panel.tree.viewport().mapToGlobal(window.panel.tree.visualItemRect({item}).center())"
    x, y = app.ask(f"[{point}.x(), {point}.y()]")
    app.xdotool("mousemove", "--sync", str(x), str(y))
    app.xdotool("click", "1")
    app.wait("window.tabs.currentIndex() == 1")
    app.wait("window.text_pages['overview'].editor.textCursor().selectedText() == '25'")
    assert app.focus_class() == "SectionEditor"
    app.wait("QToolTip.isVisible() and '25' in QToolTip.text()")
    app.screenshot("problems-panel")

    app.key("ctrl+e")
    app.wait_dialog("报告有错误")
    message = app.ask("QApplication.activeModalWidget().text()")
    assert message.startswith("报告还有 1 个错误、2 个警告（见“核对结果”）：\n【错误】自然人列：")
    assert "【警告】一、总体情况：" in message
    app.screenshot("export-confirmation")
    app.key("Return")  # the default is 取消
    app.wait(DIALOGS + " == []")
    assert app.ask("window.result_label.text()") == ""

    app.key("ctrl+e")
    app.wait_dialog("报告有错误")
    app.key("alt+e")  # 仍然导出(&E)
    app.wait_dialog("导出 Word")
    target = tmp_path / "export.docx"  # what the keyboard map holds (see the first test)
    app.type_file_name(target)
    app.wait("window.result_label.text().startswith('已导出 Word')")
    assert target.is_file()
    assert app.ask("window.result_label.text()") == f"已导出 Word：{target}（导出时仍有 1 个错误、2 个警告）"
    app.do("window.statusBar().showMessage('已自动保存', 50)")  # a brief message comes and goes …
    app.wait(f"{STATUS} == '' and window.result_label.isVisible()")  # … and the result is still there


def test_menu_keys_win_in_one_line_fields_and_editing_keys_stay(desktop, tmp_path):
    """Ctrl+E (导出 Word) works from the agency field and from a cell being edited, though a line edit
    on X11 takes Ctrl+E as "end of line"; Ctrl+A, Ctrl+C and the arrows keep their editing meaning."""
    app = desktop(saved_report(tmp_path))
    field = "window.meta_tab.agency"
    app.wait(f"QApplication.focusWidget() is {field}")
    app.key("Home")
    app.wait(f"{field}.cursorPosition() == 0")
    app.key("ctrl+e")
    app.wait_dialog("导出 Word")
    assert app.ask(f"{field}.cursorPosition()") == 0  # the field did not take the key
    app.key("Escape")
    app.wait(DIALOGS + " == []")
    app.wait(f"QApplication.focusWidget() is {field}")

    app.key("Right", "Right")
    app.wait(f"{field}.cursorPosition() == 2")
    app.key("ctrl+a")
    app.wait(f"{field}.selectedText() == window.report.meta.agency")
    app.key("ctrl+c")
    app.wait("QApplication.clipboard().text() == window.report.meta.agency")
    assert app.dialogs() == []

    # in a cell being edited: the value is committed, then the export starts (with the error it makes)
    to_tab(app, 3)
    app.type("7")
    app.wait(f"{REQUESTS}.open_editor() is not None")
    app.key("ctrl+e")
    app.wait_dialog("报告有错误")
    assert app.ask("window.report.cells[('requests', 'received', 'natural')]") == 7
    app.key("Escape")
    app.wait(DIALOGS + " == []")


def test_the_layout_dialog_fits_above_the_taskbar(desktop, tmp_path):
    """文件 → 页面与版式… on a 1366×768 screen whose bottom 40 px a taskbar keeps: the whole dialog, its
    确定 and 取消 included, lies within the work area. Screenshot: the dialog."""
    app = desktop(saved_report(tmp_path))
    available = app.ask("[QApplication.primaryScreen().availableGeometry().getRect()]")[0]
    assert available == [0, 0, 1366, 768 - TASKBAR]
    menu_line(app, "f", "p")  # 页面与版式(&P)…
    app.wait_dialog("页面与版式")
    app.screenshot("layout-dialog-1366x728")
    dialog = "QApplication.activeModalWidget()"
    frame = app.ask(f"{dialog}.frameGeometry().getRect()")
    left, top, width, height = frame
    assert left >= 0 and top >= 0 and left + width <= 1366 and top + height <= 768 - TASKBAR, frame
    for button in ("Ok", "Cancel"):
        widget = f"{dialog}.buttons.button({dialog}.buttons.StandardButton.{button})"
        corner = app.ask(f"[{widget}.mapToGlobal({widget}.rect().bottomRight()).y()]")[0]
        assert corner < 768 - TASKBAR
    app.key("Escape")
    app.wait(DIALOGS + " == []")


def framed_within_work_area(app, widget: str) -> list[int]:
    """Wait for the window manager to frame a window (its _NET_FRAME_EXTENTS, read from the X server
    rather than Qt's cache); the frame's rectangle, asserted within the work area."""
    app.wait(f"{widget}.isVisible()", what=f"{widget} on screen")
    window_id = str(app.ask(f"int({widget}.winId())"))

    def extents() -> list[int] | None:
        found = subprocess.run(["xprop", "-id", window_id, "_NET_FRAME_EXTENTS"], env=app.env,
                               capture_output=True, text=True).stdout
        numbers = [int(n) for n in re.findall(r"\d+", found.partition("=")[2])]
        return numbers if len(numbers) == 4 and any(numbers) else None

    left_edge, right_edge, top_edge, bottom_edge = wait_for(extents, TIMEOUT, f"{widget} framed by the window manager")
    app.wait(f"{widget}.geometry().top() >= {top_edge}", what=f"{widget} placed")
    x, y, width, height = app.ask(f"{widget}.geometry().getRect()")
    frame = [x - left_edge, y - top_edge, width + left_edge + right_edge, height + top_edge + bottom_edge]
    left, top, width, height = frame
    assert left >= 0 and top >= 0 and left + width <= 1366 and top + height <= 768 - TASKBAR, (widget, frame)
    return frame


def test_every_window_of_ours_fits_above_the_taskbar(desktop, tmp_path):
    """The non-modal windows (对照上年文字, 核对规则, 批量核对) and the import question with many problems
    fit the work area of a 1366×768 screen with a taskbar, title bars included."""
    report = zero_report()
    report.last_year = zero_report(2025).baseline()
    app = desktop(saved_report(tmp_path, report))
    framed_within_work_area(app, "window")
    app.do("from gui import compare_view\ncompare_view.open_compare(window)")
    framed_within_work_area(app, "window.compare_view")
    app.do("from gui import rules_dialog\nrules = rules_dialog.show_rules(window)")
    framed_within_work_area(app, "rules")
    app.do("window.batch_dialog()")
    framed_within_work_area(app, "window._batch_dialog")
    for name in ("window.compare_view", "rules", "window._batch_dialog"):
        app.do(f"{name}.close()")
    # the question before an import lists the first problems and says where the rest are
    app.do("from gui import dialogs\nfrom gui.file_actions import import_summary\n"
           "from model.problems import make_problem\n"
           "found = [make_problem('import.unreadable_cell', 'warning', f'表二 第二十条第（{i}）项 行政许可 · 本年新制发件数："
           "原文为“见附件说明（含跨年度结转事项）”，不是有效的数字，已留空待填写', values=[i]) for i in range(30)]\n"
           "box = dialogs.question_box(window, '导入', '从“报告.html”读到：\\n' + import_summary(['2021年版格式'], found)"
           " + '\\n\\n打开为一份新报告（尚未保存）吗？')\nbox.show()")
    framed_within_work_area(app, "box")
    assert "……另有 22 条（打开后在“核对结果”的“导入时发现”中列出）" in app.ask("box.text()")
    app.do("box.close()")


def test_a_killed_program_loses_seconds_and_the_recovery_names_the_report(desktop, tmp_path):
    """kill -9 a few seconds after the clerk stopped typing: the typing is in the autosave; the next
    start names the report it offers (agency, year, time), and 另存为 of the recovered report opens
    beside last year's file, in a dialog with Chinese dates and whole columns."""
    from gui.settings import autosave_folder

    app = desktop(None)
    new_from_last_year(app)
    app.key("Return")
    app.wait(DIALOGS + " == []")
    to_tab(app, 1)
    app.key("ctrl+End")
    app.type(" Fresh words")
    app.wait(f"{text('overview')}.endswith('Fresh words')")

    def autosaved() -> bool:
        return any("Fresh words" in path.read_text(encoding="utf-8") for path in autosave_folder().glob("*.nianbao"))

    wait_for(autosaved, TIMEOUT, "the autosave with the typing")  # a pause in typing, then it is written
    app.process.kill()  # kill -9: no closeEvent, no save
    app.process.wait(10)

    app = desktop(None, activate=False)
    app.wait_dialog("恢复未保存的报告")
    question = app.ask("QApplication.activeModalWidget().text()")
    assert question.startswith("上次关闭前有一份尚未保存过的新报告：城步苗族自治县商务局2020年度报告，自动保存于 ")
    app.screenshot("recovery-question")
    app.key("alt+r")
    app.wait(DIALOGS + " == []")
    assert app.ask(f"{text('overview')}.endswith('Fresh words')")
    assert app.ask("window.path is None and window.isWindowModified()")

    app.key("ctrl+shift+s")
    app.wait_dialog("另存为")
    dialog = "QApplication.activeModalWidget()"
    assert app.ask(f"{dialog}.directory().absolutePath()") == str(EXAMPLE.parent)
    app.screenshot("save-as-dialog")
    view = f"{dialog}.findChild(__import__('PySide6.QtWidgets', fromlist=['QTreeView']).QTreeView, 'treeView')"
    app.wait(f"{view}.model().rowCount({view}.rootIndex()) > 0")
    row = f"[{view}.model().index(0, c, {view}.rootIndex()).data() for c in range(4)]"
    name, size, kind, modified = app.ask(row)
    assert re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}", modified), modified  # not "2 Dec 2…"
    widths = app.ask(f"[{view}.header().sectionSize(c) for c in range(4)]")
    needed = app.ask(f"[{view}.fontMetrics().horizontalAdvance(t) for t in {[name, size, kind, modified]!r}]")
    assert all(need + 8 <= width for need, width in zip(needed, widths, strict=True)), (widths, needed)
    framed_within_work_area(app, dialog)
    app.key("Escape")
    app.wait(DIALOGS + " == []")


def test_from_the_comparison_to_the_text_the_editor_comes_forward(desktop, tmp_path):
    """对照上年文字 → 到正文中修改: the main window comes to the front, the cursor in 一、总体情况 at the
    passage shared with last year, and what the clerk types lands there in sight; the comparison stays
    open behind the main window, not on top of it. Screenshot: after the first key."""
    shared = "一是部分科室对公开属性的认定把握不准。二是政务公开专栏的栏目设置还需进一步优化。"
    report = zero_report()
    report.text["overview"] = "本年新写的开头。" + shared
    last = zero_report(2025)
    last.text["overview"] = shared
    report.last_year = last.baseline()
    app = desktop(saved_report(tmp_path, report))
    to_tab(app, 1)
    menu_line(app, "v", "c")  # 对照上年文字(&C)…
    app.wait("getattr(window, 'compare_view', None) is not None and QApplication.activeWindow() is window.compare_view")
    assert app.ask("window.compare_view.key") == "overview"
    app.key("alt+e")  # 到正文中修改(&E)
    app.wait("QApplication.activeWindow() is window")
    assert app.focus_class() == "SectionEditor"
    assert app.ask("window.text_pages['overview'].editor.textCursor().position()") == len("本年新写的开头。")
    app.type("X")
    app.wait(f"{text('overview')} == {'本年新写的开头。X' + shared!r}")
    app.screenshot("compare-then-edit")
    assert app.ask("window.compare_view.isVisible()")
    stacking = subprocess.run(["xprop", "-root", "_NET_CLIENT_LIST_STACKING"], env=app.env, capture_output=True,
                              text=True).stdout
    order = [int(n, 16) for n in re.findall(r"0x[0-9a-f]+", stacking)]
    main, compare = app.window_id, app.ask("int(window.compare_view.winId())")
    assert order.index(main) > order.index(compare)  # the main window above the comparison


def test_the_problems_panel_keeps_the_height_the_clerk_drags_it_to(desktop, tmp_path):
    """The panel starts at a useful share of the window (six lines or more at 1366×768); dragged
    taller with the mouse it stays so after the program is killed and started again."""
    path = saved_report(tmp_path)
    app = desktop(path)
    app.wait("window._after_paint.done")
    height, window_height = app.ask("[window.panel.height(), window.height()]")
    assert height >= 0.28 * window_height
    rows = "window.panel.tree.viewport().height() // window.panel.tree.sizeHintForRow(0)"
    # the report has no problems: a line's height is measured on a row of its own
    app.do("from PySide6.QtWidgets import QTreeWidgetItem\nwindow.panel.tree.addTopLevelItem(QTreeWidgetItem(['提示', '一行']))")
    assert app.ask(rows) >= 6
    app.do("window.panel.tree.clear()")
    top = app.ask("window.panel.mapToGlobal(window.panel.rect().topLeft()).y()")
    above = app.ask("window.centralWidget().mapToGlobal(window.centralWidget().rect().bottomLeft()).y()")
    x = app.ask("window.mapToGlobal(window.rect().center()).x()")
    y = (top + above) // 2  # the edge between the tabs and the panel
    app.xdotool("mousemove", "--sync", str(x), str(y))
    # the window has seen the pointer over the edge (its cursor says so) before the button goes down, and the
    # panel has begun to follow before the last move: under load a step could reach Qt before the one before it
    app.wait("window.cursor().shape() == Qt.CursorShape.SplitVCursor")
    app.xdotool("mousedown", "1")
    app.xdotool("mousemove", "--sync", str(x), str(y - 40))
    app.wait(f"window.panel.height() > {height}")
    app.xdotool("mousemove", "--sync", str(x), str(y - 80))
    # QMainWindow moves a separator on a zero timer after each move; a release handled in the same pass as the
    # last move ends the drag before that timer runs, and the move is lost — a clerk sees the panel follow first
    app.wait(f"window.panel.height() >= {height + 60}")
    app.xdotool("mouseup", "1")
    app.wait(f"window.panel.height() >= {height + 60}")
    dragged = app.ask("window.panel.height()")
    settings = "window.settings.path.read_text(encoding='utf-8')"
    app.wait(f"'\"panel_height\": {dragged}' in {settings}")  # remembered at once, not only at a tidy close
    app.process.kill()
    app.process.wait(10)
    app = desktop(path, activate=False)
    app.wait("window._after_paint.done")
    assert app.ask("window.panel.height()") == dragged
    app.screenshot("problems-panel-height")
