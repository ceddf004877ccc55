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

