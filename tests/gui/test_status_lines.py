"""Status-bar lines say what is true now: a refusal goes once the value is fixed or given up, an
export's result goes when another report is opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import zero_report
from tests.gui.test_window import type_cell

CELL = ("requests", "received", "natural")


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_a_refusal_is_taken_back_when_the_value_is_given_up_or_fixed(make_window, qtbot):
    window = make_window(zero_report(), Path("x.nianbao"))
    view = type_cell(window, qtbot, CELL, "12a")
    assert status(window).startswith("输入的数值无效：表三 一、本年新收政府信息公开申请数量 · 自然人：「12a」")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # given up
    QApplication.processEvents()
    assert view.open_editor() is None
    assert status(window) == ""
    type_cell(window, qtbot, CELL, "5")  # the valid entry that follows is not blamed
    assert window.report.cells[CELL] == 5 and status(window) == ""

    type_cell(window, qtbot, CELL, "7x")
    assert status(window).startswith("输入的数值无效")
    editor = QApplication.focusWidget()
    editor.setText("7")  # fixed in the cell
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.report.cells[CELL] == 7 and status(window) == ""

    # a later message is not taken back with the refusal it followed
    type_cell(window, qtbot, CELL, "8y")
    window.statusBar().showMessage("已撤销：修改单元格", 15000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert status(window) == "已撤销：修改单元格"


def test_an_exports_result_goes_with_its_report(make_window, tmp_path):
    window = make_window(zero_report(), Path("x.nianbao"))
    assert window.export_word(tmp_path / "r.docx")
    assert window.result_label.text() == f"已导出 Word：{tmp_path / 'r.docx'}"
    window.new_file()
    assert window.result_label.text() == ""
