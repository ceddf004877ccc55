"""What an import found stays with the imported report (issue 14): listed under 导入时发现 in the problems
panel, a click goes to the cell it names, it is saved with the report, and a report the 批量核对 opens
brings its import problems too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from gui.problems import PROBLEM_ROLE
from model import store
from tests.gui.conftest import zero_report
from tests.gui.test_window import tab_index

REAL = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real"
HONGZE = REAL / "huaian_hongze_2023.pdf"
REVIEW_TOTAL = "表四 行政复议 · 总计：原文合计为0，各项相加为11；已按各项重新计算合计"
SUIT_TOTAL = "表四 复议后起诉 · 总计：原文合计为0，各项相加为5；已按各项重新计算合计"


def import_group(window):
    """The 导入时发现 group: its title and its lines (类别, 说明)."""
    tree = window.panel.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top.text(0).startswith("导入时发现"):
            return top.text(0), [(top.child(j).text(0), top.child(j).text(1)) for j in range(top.childCount())]
    return None, []


def click(qtbot, window, item) -> None:
    tree = window.panel.tree
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())


def test_an_imported_reports_problems_stay_in_the_panel_and_go_to_their_cells(make_window, recorded, qtbot, tmp_path):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    assert import_group(window) == (None, [])
    assert window.import_file(HONGZE)
    title, lines = import_group(window)
    assert title == "导入时发现（5）"
    assert ("警告", REVIEW_TOTAL) in lines and ("警告", SUIT_TOTAL) in lines
    assert lines[0][1].startswith("识别为《中华人民共和国政府信息公开工作年度报告格式》")
    # they are facts about the source: the report's own counts and tab badges leave them out
    assert window.summary_label.text() == "0 个错误 · 1 个警告"
    assert "⚠" not in window.tabs.tabText(tab_index("appeals"))

    # a single click goes to the total it names
    item = window.panel.item_for("import.total_mismatch")
    assert item.text(1) == REVIEW_TOTAL and item.parent().text(0) == "导入时发现（5）"
    click(qtbot, window, item)
    assert window.tabs.currentIndex() == tab_index("appeals")
    view = window.grids["appeals"]
    assert view.grid.cell(view.currentIndex()).address == ("appeals", "review", "total")
    assert view.hasFocus()

    # they last while the report is open: editing does not drop them …
    window.edit_cells({("appeals", "review", "upheld"): 9}, "修改单元格")
    assert import_group(window)[0] == "导入时发现（5）"
    # … a dismissal with a reason moves one to 已忽略, as for any warning
    window.panel.tree.setCurrentItem(window.panel.item_for("import.total_mismatch"))
    qtbot.mouseClick(window.panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert import_group(window)[0] == "导入时发现（4）"
    dismissed = [window.panel.tree.topLevelItem(i) for i in range(window.panel.tree.topLevelItemCount())][-1]
    assert dismissed.text(0) == "已忽略（1）" and dismissed.child(0).text(1) == REVIEW_TOTAL + "（已忽略：已核实）"

    # … and they are saved with the report (its dismissal too), so they are there when it is opened again
    recorded.save_as = tmp_path / "洪泽2023"
    assert window.save_as()
    saved = store.load(tmp_path / "洪泽2023.nianbao")
    assert [p.message for p in saved.import_problems][-2:] == [REVIEW_TOTAL, SUIT_TOTAL]
    assert list(saved.dismissed.values()) == ["已核实"]
    window.new_file()
    assert import_group(window) == (None, [])
    assert window.open_path(tmp_path / "洪泽2023.nianbao")
    title, lines = import_group(window)
    assert title == "导入时发现（4）" and ("警告", SUIT_TOTAL) in lines


def test_the_batch_opens_a_report_with_its_import_problems(make_window, recorded, qtbot, tmp_path):
    from export.batch import Entry
    from export.batch_read import ReadTask, read_one
    from gui.batch_dialog import open_batch_dialog

    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    dialog = open_batch_dialog(window)
    assert dialog.open_entry(Entry(outcome=read_one(ReadTask(str(HONGZE))), rel="洪泽区/huaian_hongze_2023.pdf"))
    assert window.report.meta.agency == "洪泽区人民政府"
    title, lines = import_group(window)
    assert title == "导入时发现（5）" and ("警告", REVIEW_TOTAL) in lines
    dialog.close()


def test_open_imported_keeps_what_the_report_already_had(make_window):
    """The window method the batch dialog calls: the problems given join those the report keeps."""
    from export.reading import read_source

    result = read_source(HONGZE)
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    report = result.report
    report.import_problems = tuple(result.problems[:2])
    window.open_imported(report, result.problems, saved=False)
    assert window.report is report and window.is_dirty() and window.path is None
    assert [p.id for p in report.import_problems] == [p.id for p in result.problems]
    shown = [item.data(0, PROBLEM_ROLE).id for item in window.panel._items()]
    assert shown[-5:] == [p.id for p in result.problems]
