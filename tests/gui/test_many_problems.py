"""A text with thousands of problems in the window: the panel lists 50 of a rule and one summary,
which goes to its section, can be dismissed and offers no year to change; a sentence of thousands of
stale years is changed in one pass."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import zero_report

STALE_SENTENCES = "".join(f"2022年，我局办理第{i}项工作。" for i in range(120))


def _stale_items(window):
    return [item for item in window.panel._items()
            if item.data(0, 0x0101).rule == "text.stale_year"]  # PROBLEM_ROLE = UserRole + 1


def test_the_panel_lists_fifty_and_a_summary_that_works_like_any_warning(make_window, qtbot, recorded):
    report = zero_report()
    report.text["problems"] = report.text["problems"] + STALE_SENTENCES
    window = make_window(report, Path("x.nianbao"))
    items = _stale_items(window)
    assert len(items) == 51
    summary = items[-1].data(0, 0x0101)
    assert items[-1].text(1) == ("“年份未更新”另有70处同类问题未列出（每类问题最多列出50处；"
                                 "改正上面列出的之后，其余的会依次列出）")
    assert window.tabs.tabText(window.tab_index("problems")).endswith("⚠120")  # the summary counts its 70
    window.show_tab("overview")
    window.panel.tree.setCurrentItem(items[-1])
    assert not window.panel.year_button.isVisibleTo(window.panel)  # no phrase to change
    assert window.panel.dismiss_button.isEnabled()
    qtbot.mouseClick(window.panel.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.panel.tree.visualItemRect(items[-1]).center())
    assert window.tabs.currentIndex() == window.tab_index("problems")  # its section (it marks no phrase)
    qtbot.mouseClick(window.panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert window.report.dismissed == {summary.id: "已核实"}
    dismissed = [p for p in window.problems if p.id == summary.id]
    assert len(dismissed) == 1 and dismissed[0].dismissed == "已核实"
    window.panel.tree.setCurrentItem(_stale_items(window)[0])
    assert window.panel.year_button.isVisibleTo(window.panel)  # a listed one still offers it


def _one_sentence(mentions: int) -> str:
    return "2025年共办理各类事项，" * mentions + "均已办结。"


def _update_seconds(make_window, mentions: int) -> float:
    report = zero_report()
    report.text["other_matters"] = "本年度未收取信息处理费。\n" + _one_sentence(mentions)
    window = make_window(report, Path("x.nianbao"))
    stale = [p for p in window.problems if p.rule == "text.stale_year"]
    assert len(stale) == 1 and len(stale[0].spans) == mentions
    start = time.perf_counter()
    window.update_stale_year(stale[0])
    seconds = time.perf_counter() - start
    assert window.report.text["other_matters"] == "本年度未收取信息处理费。\n" + _one_sentence(mentions).replace(
        "2025年", "2026年")
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.report.text["other_matters"].count("2025年") == mentions
    return seconds


def test_a_sentence_of_thousands_of_stale_years_is_changed_in_one_pass(make_window):
    small = min(_update_seconds(make_window, 2_000) for _ in range(2))
    large = _update_seconds(make_window, 20_000)
    assert large < 30 * small, (small, large)  # ten times the mentions: linear ~10; rebuilding the text each was ~100



def _shown_seconds(make_window, qtbot, mentions: int, year: int) -> tuple[float, object]:
    """How long 六 takes to show (its first layout) holding a sentence of ``mentions`` year mentions,
    stale in a 2026 report, the report year's own in a 2025 one (nothing marked)."""
    report = zero_report(year)
    report.text["other_matters"] = "本年度未收取信息处理费。\n" + "2025年共办理各类事项，" * mentions + "均已办结。"
    window = make_window(report, Path("x.nianbao"))
    start = time.perf_counter()
    window.show_tab("other_matters")
    qtbot.wait(1)
    return time.perf_counter() - start, window


def test_a_sentence_of_thousands_of_stale_years_is_one_mark(make_window, qtbot):
    unmarked, _window = _shown_seconds(make_window, qtbot, 16_000, 2025)
    marked, window = _shown_seconds(make_window, qtbot, 16_000, 2026)
    editor = window.text_pages["other_matters"].editor
    start = len("本年度未收取信息处理费。\n")
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in editor.extraSelections()] == [
        (start, start + 16_000 * len("2025年共办理各类事项，") - len("年共办理各类事项，"))]
    assert editor.messages_at(start + 100) == [window.problems[0].message]
    # 16 000 marks in one paragraph took 24 times as long to show as none (Qt lays out each visual line
    # against every mark); one mark costs next to nothing
    assert marked < 5 * unmarked + 0.5, (unmarked, marked)


def test_twenty_phrases_of_a_problem_are_marked_one_by_one(make_window, qtbot):
    _seconds, window = _shown_seconds(make_window, qtbot, 20, 2026)
    editor = window.text_pages["other_matters"].editor
    assert len(editor.extraSelections()) == 20


def test_at_most_five_hundred_marks_in_a_section(make_window, qtbot):
    from gui.text_editor import MAX_MARKS, Mark

    _seconds, window = _shown_seconds(make_window, qtbot, 20, 2026)
    editor = window.text_pages["other_matters"].editor
    editor.mark_spans([Mark(i, i + 1, False, "说明") for i in range(600)])
    assert MAX_MARKS == 500 and len(editor.extraSelections()) == 500
