"""A typed number repaints what it changed and no more: its cell and the totals that add it up, and in
the problems panel the words of the problems it is in — the list keeps its items and the clerk's place
in it, and shows what a list built afresh would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex

from tests.gui.conftest import zero_report

PROBLEM_ROLE = 0x0101  # Qt.UserRole + 1, as gui/problems.py stores a row's problem


def _addresses_repainted(model, edit) -> set:
    seen: set = set()

    def note(top: QModelIndex, bottom: QModelIndex) -> None:
        for row in range(top.row(), bottom.row() + 1):
            for column in range(top.column(), bottom.column() + 1):
                cell = model.cell(model.index(row, column))
                seen.add(cell.address if cell is not None else None)

    model.dataChanged.connect(note)
    try:
        edit()
    finally:
        model.dataChanged.disconnect(note)
    return seen


def test_a_typed_count_repaints_its_cell_and_the_one_total_that_adds_it_up(make_window):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.show_tab("requests")
    model = window.models["requests"]
    received = ("requests", "received", "natural")
    repainted = _addresses_repainted(model, lambda: model.setData(model.index_of(received), "7"))
    # 本年新收 自然人 and its row's 总计, and the cells whose marks changed (the new 勾稽 error's); none of
    # the table's 30 other totals
    marked = {cell for problem in window.problems for cell in problem.cells}
    total = ("requests", "received", "total")
    assert {received, total} <= repainted and repainted - {received, total} <= marked
    assert ("requests", "handled_total", "business") not in repainted  # (the old way repainted all 31 totals)
    assert model.data(model.index_of(("requests", "received", "total"))) == "7"


def _panel_rows(panel) -> list[tuple[str, str, int]]:
    return [(item.data(0, PROBLEM_ROLE).id, item.text(1), panel.tree.visualItemRect(item).height())
            for item in panel._items()]


def test_the_panel_rewrites_the_words_of_the_problems_a_number_is_in_and_keeps_its_rows(make_window):
    report = zero_report()
    report.text["overview"] += "全年共收到政府信息公开申请5件。"  # the table says 0: a text-against-table warning
    window = make_window(report, Path("x.nianbao"))
    panel = window.panel
    model = window.models["requests"]
    received = model.index_of(("requests", "received", "natural"))
    model.setData(received, "3")  # 勾稽 now fails too: a problem more, the list is built again
    mismatch = next(item for item in panel._items() if item.data(0, PROBLEM_ROLE).rule == "text.number_mismatch")
    panel.tree.setCurrentItem(mismatch)
    row = panel.tree.indexOfTopLevelItem(mismatch)
    assert "3" in mismatch.text(1) and "3000000000" not in mismatch.text(1)

    model.setData(received, "3000000000")

    item = panel.tree.topLevelItem(row)
    assert item is mismatch  # the same row, not one built again
    problem = item.data(0, PROBLEM_ROLE)
    assert problem.rule == "text.number_mismatch" and "3000000000" in item.text(1) and item.toolTip(1) == item.text(1)
    assert panel.tree.currentItem() is item  # the clerk's place in the list is kept
    assert panel.current_problem() == problem == next(p for p in window.problems if p.id == problem.id)
    live = [p for p in window.problems if p.dismissed is None]
    assert [row[:2] for row in _panel_rows(panel)] == [(p.id, p.message) for p in live]
    kept = _panel_rows(panel)
    panel._places = ()  # the same problems shown by a list built afresh: the same rows, words and heights
    panel._shown = []
    panel.show_problems(window.problems)
    assert _panel_rows(panel) == kept
