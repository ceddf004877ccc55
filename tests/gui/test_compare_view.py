"""对照上年文字 and 帮助 → 核对规则, driven from the window's menus and problems panel (offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QLabel

from gui.compare_view import NO_BASELINE, CompareView
from gui.rules_dialog import RulesDialog
from model.catalogue import catalogue
from tests.gui.conftest import zero_report
from tests.gui.test_window import press, tab_index

KEPT = "一是部分科室对公开属性的认定把握不准。二是政务公开专栏的栏目设置还需进一步优化。"  # 40 characters
OLD = "三是政务新媒体更新不够及时。"
NEW = "三是基层站所工作人员流动频繁。"


def compare_view(window) -> CompareView | None:
    """The window's 对照上年文字 (a window of its own, not a child), once opened."""
    return getattr(window, "compare_view", None)


def menu_action(window, text: str):
    for menu_action_ in window.menuBar().actions():
        for action in menu_action_.menu().actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu line {text}")


def with_last_year(problems: str = KEPT + NEW):
    last = zero_report(2025)
    last.text["problems"] = KEPT + OLD
    report = zero_report()
    report.text["problems"] = problems
    report.last_year = last.baseline()
    return report


def test_the_view_shows_last_years_text_beside_this_years_with_shared_passages_marked(make_window, qtbot):
    window = make_window(with_last_year())
    window.tabs.setCurrentIndex(tab_index("problems"))
    menu_action(window, "对照上年文字(&C)…").trigger()
    view = compare_view(window)
    assert view is not None and view.isVisible() and not view.isModal()
    assert view.key == "problems"
    assert (view.last_title.text(), view.this_title.text()) == ("上年（2025年报告）", "本年（2026年）")
    assert view.last_text.toPlainText() == KEPT + OLD and view.this_text.toPlainText() == KEPT + NEW
    assert view.marked(view.this_text) == [KEPT + "三是"]
    assert view.marked(view.last_text) == [KEPT + "三是"]
    assert view.summary.text() == "本年文字中有76%与上年相同（42/55字）"
    assert view.sections.currentText() == "五、存在的主要问题及改进情况（相同76%）"
    assert view.last_text.isReadOnly() and view.this_text.isReadOnly()

    # the clerk rewrites in the section's tab; the view follows as they type
    view.edit_button.click()
    assert window.tabs.currentIndex() == tab_index("problems")
    editor = window.text_pages["problems"].editor
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    editor.setFocus()
    press(qtbot, editor, "一是基层站所人手不足，")
    assert window.report.text["problems"].startswith("一是基层站所人手不足，一是部分科室")
    assert view.summary.text() == "本年文字中有64%与上年相同（42/66字）"
    assert view.marked(view.this_text) == [KEPT + "三是"]

    # another section, by the chooser
    view.sections.setCurrentIndex(view.sections.findData("other_matters"))
    assert view.this_text.toPlainText() == "本年度未收取信息处理费。"
    assert view.marked(view.this_text) == ["本年度未收取信息处理费。"]
    assert view.summary.text() == "本年文字中有100%与上年相同（12/12字）"

    # closing stops listening; opening again shows the section asked for
    view.close()
    listeners = len(window.report._listeners)
    window.edit_text("overview", "新的总体情况。", 0, 7, merge=False)
    assert len(window.report._listeners) == listeners
    menu_action(window, "对照上年文字(&C)…").trigger()
    assert compare_view(window) is view and view.isVisible()


def test_without_last_years_report_the_view_says_how_to_attach_it(make_window, recorded):
    window = make_window(zero_report())
    menu_action(window, "对照上年文字(&C)…").trigger()
    assert compare_view(window) is None
    assert ("info", "对照上年文字", NO_BASELINE) in recorded.shown


def test_the_near_duplicate_warning_opens_the_view_on_its_section(make_window, qtbot):
    window = make_window(with_last_year())
    qtbot.waitUntil(lambda: window.panel.item_for("text.similar_to_last_year") is not None, timeout=3000)
    item = window.panel.item_for("text.similar_to_last_year")
    assert item.text(1) == ("“五、存在的主要问题及改进情况”有76%的文字与2025年报告相同（超过50%）："
                            "格式要求不得年年雷同，请对照上年文字改写")
    tree = window.panel.tree
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QApplication.processEvents()
    view = compare_view(window)
    assert view is not None and view.isVisible()
    assert view.key == "problems"
    # the jump itself still happened: the section's tab, the longest unchanged passage selected
    assert window.tabs.currentIndex() == tab_index("problems")
    selected = window.text_pages["problems"].editor.textCursor()
    assert (selected.selectionStart(), selected.selectionEnd()) == (0, 42)


def test_an_unrelated_problem_does_not_open_the_view(make_window, qtbot):
    window = make_window(with_last_year())
    qtbot.waitUntil(lambda: window.panel.item_for("text.similar_to_last_year") is not None, timeout=3000)
    window.edit_meta(date=None)
    window.panel.jump.emit(next(p for p in window.problems if p.rule == "meta.date"))
    assert compare_view(window) is None


def test_the_rule_catalogue_in_the_help_menu(make_window, qtbot):
    window = make_window(zero_report())
    menu_action(window, "核对规则(&R)").trigger()
    dialog = window.findChild(RulesDialog, "rules")
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert [row[3] for row in rows] == [info.id for info in catalogue()]
    assert rows[1] == ["表三勾稽关系", "错误", "表三每个申请人列：第一项加第二项之和，等于第三项（七）总计加第四项之和",
                       "requests.balance"]
    # the clerk reads Chinese: the name and the explanation, the id only in the name's tooltip, no command line
    assert [dialog.tree.headerItem().text(c) for c in range(dialog.tree.columnCount())] == ["规则", "严重程度", "说明"]
    assert dialog.tree.topLevelItem(0).child(1).toolTip(0) == "表三勾稽关系（编号 requests.balance）"
    assert not [label for label in dialog.findChildren(QLabel) if "nianbao" in label.text()]
    groups = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert groups == ["本年报告", "与上年报告对照", "导入时"]
    qtbot.keyClicks(dialog.filter, "jump")
    assert [row[0] for row in dialog.rows()] == ["数字与上年相差五倍以上"]
    assert [dialog.tree.topLevelItem(i).isHidden() for i in range(3)] == [True, False, True]
    dialog.filter.clear()
    assert len(dialog.rows()) == len(catalogue())
    menu_action(window, "核对规则(&R)").trigger()  # asked again: the same window comes to the front
    assert window.findChildren(RulesDialog) == [dialog]


def test_the_view_follows_the_cursor_tab_when_opened(make_window):
    report = with_last_year()
    report.text["overview"] = "本年总体情况：" + KEPT
    report.last_year = report.last_year._replace(text={**report.last_year.text, "overview": KEPT})
    window = make_window(report)
    window.tabs.setCurrentIndex(tab_index("meta"))
    menu_action(window, "对照上年文字(&C)…").trigger()
    view = compare_view(window)
    assert view.key == "preamble"
    assert view.summary.text() == "本年这一部分是空的"
    window.tabs.setCurrentIndex(tab_index("overview"))
    menu_action(window, "对照上年文字(&C)…").trigger()
    assert view.key == "overview"
    assert view.marked(view.this_text) == [KEPT]
    cursor = view.this_text.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    assert cursor.position() == len("本年总体情况：" + KEPT)
