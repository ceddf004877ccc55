"""文件 → 批量核对…, driven like a clerk: run, sort, filter, open a report, write the workbook, sum."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from gui import batch_dialog
from gui.batch_dialog import ALL, ResultsModel, open_batch_dialog
from model import store
from tests.batch_folder import COMMERCE, COMMERCE_2024, EDUCATION, FINANCE, LAST_TEXT, REGION, make_report


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    from export.xlsx import write_xlsx

    this, last = tmp_path / "2025", tmp_path / "2024"
    this.mkdir()
    last.mkdir()
    store.save(make_report(f"{REGION}商务局", 2025, COMMERCE), this / "商务局.nianbao", backup=False)
    store.save(make_report(f"{REGION}教育局", 2025, EDUCATION), this / "教育局.nianbao", backup=False)
    write_xlsx(make_report(f"{REGION}财政局", 2025, FINANCE, balance=False), this / "财政局.xlsx")
    (this / "坏.docx").write_bytes(b"broken")
    store.save(make_report("县商务局", 2024, COMMERCE_2024, **LAST_TEXT), last / "县商务局.nianbao", backup=False)
    return this, last


def _run(qtbot, window, monkeypatch, this: Path, last: Path):
    chosen = iter([this, last])
    monkeypatch.setattr(batch_dialog, "ask_folder", lambda parent, title, start: next(chosen))
    window.menuBar()  # the menu line is there
    action = next(a for a in window.findChildren(type(window.detach_action)) if a.text() == "批量核对(&K)…")
    action.trigger()
    dialog = window._batch_dialog
    qtbot.waitExposed(dialog)
    for row in range(2):  # 选择… for this year's folder, then last year's
        buttons = [b for b in dialog.findChildren(type(dialog.start_button)) if b.text() == "选择…"]
        qtbot.mouseClick(buttons[row], Qt.MouseButton.LeftButton)
    assert dialog.folder_edit.text() == str(this) and dialog.last_edit.text() == str(last)
    assert not dialog.write_button.isEnabled()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=120_000)
    return dialog


def _column(dialog, name: str) -> list[str]:
    column = ResultsModel.HEADERS.index(name)
    return [dialog.proxy.index(r, column).data() for r in range(dialog.proxy.rowCount())]


def test_run_sort_filter_open_write_and_sum(qtbot, make_window, recorded, monkeypatch, folders, tmp_path):
    this, last = folders
    window = make_window()
    dialog = _run(qtbot, window, monkeypatch, this, last)
    assert dialog.state.text().startswith("2025年度：共 4 份报告（通过 2，有警告 0，有错误 1，无法读取 1）")
    assert dialog.progress.value() == dialog.progress.maximum() == 5
    assert _column(dialog, "文件") == ["商务局.nianbao", "坏.docx", "教育局.nianbao", "财政局.xlsx"]
    assert _column(dialog, "状态") == ["通过", "无法读取", "通过", "有错误"]
    assert _column(dialog, "实质公开率") == ["80.0%", "", "66.7%", "100.0%"]
    status = ResultsModel.HEADERS.index("状态")
    colour = dialog.proxy.index(3, status).data(Qt.ItemDataRole.BackgroundRole).color().name()
    assert colour == "#ffc7ce"  # 有错误 in red, as in the workbook

    header = dialog.view.horizontalHeader()  # a click on 状态 sorts by it: the worst first
    x = header.sectionViewportPosition(status) + header.sectionSize(status) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert _column(dialog, "状态") == ["无法读取", "有错误", "通过", "通过"]
    dialog.view.sortByColumn(ResultsModel.HEADERS.index("本年新收"), Qt.SortOrder.DescendingOrder)
    assert _column(dialog, "本年新收") == ["10", "5", "3", ""]  # as numbers, not text

    typed = QInputMethodEvent()  # Chinese arrives from the input method as a committed string
    typed.setCommitString("财政")
    dialog.filter_edit.setFocus()
    QApplication.sendEvent(dialog.filter_edit, typed)
    assert _column(dialog, "单位") == [f"{REGION}财政局"]
    dialog.filter_edit.clear()
    dialog.status_box.setCurrentText("通过")
    assert sorted(_column(dialog, "单位")) == [f"{REGION}商务局", f"{REGION}教育局"]
    dialog.status_box.setCurrentText(ALL)
    assert dialog.proxy.rowCount() == 4

    # double-click the 商务局: it opens in the window as an imported report, with last year's attached
    recorded.save_answer = "discard"  # the window's new report goes (the clerk is asked first)
    dialog.view.sortByColumn(ResultsModel.HEADERS.index("文件"), Qt.SortOrder.AscendingOrder)
    row = _column(dialog, "文件").index("商务局.nianbao")
    rect = dialog.view.visualRect(dialog.proxy.index(row, 0))
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.report.meta.agency == f"{REGION}商务局"
    assert window.path is None and window.is_dirty()  # unsaved: saving asks where
    assert window.report.last_year is not None and window.report.last_year.year == 2024
    assert window.report.cells[("requests", "granted", "natural")] == 3

    # an unreadable row says why instead of opening
    row = _column(dialog, "文件").index("坏.docx")
    dialog.open_entry(dialog.entry_at(row))
    assert recorded.titles("warn")[-1] == "无法读取"

    # write the workbook
    recorded.save_as = tmp_path / "核对结果"
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "核对结果.xlsx"
    assert written.exists()
    rows = list(load_workbook(written)["汇总"].iter_rows(min_row=4, max_row=7, values_only=True))
    assert [(r[4], r[6]) for r in rows] == [("商务局.nianbao", "通过"), ("坏.docx", "无法读取"), ("教育局.nianbao", "通过"),
                                             ("财政局.xlsx", "有错误")]

    # the units added up, opened as the start of the 本级 report (the clerk is asked about the open one first)
    asked = len(recorded.titles("ask_save"))
    qtbot.mouseClick(dialog.sum_button, Qt.MouseButton.LeftButton)
    assert "把 3 个单位的2025年度报告逐格相加" in recorded.texts("confirm")[-1]
    assert "不计入：坏.docx（无法读取）" in recorded.texts("confirm")[-1]
    assert window.report.meta.agency == f"{REGION}人民政府"
    assert len(recorded.titles("ask_save")) == asked + 1
    assert window.path is None
    assert window.report.cells[("requests", "granted", "natural")] == 3 + 4 + 2
    dialog.close()


def test_stop_and_a_missing_folder(qtbot, make_window, recorded, tmp_path):
    window = make_window()
    dialog = open_batch_dialog(window)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert recorded.texts("warn")[-1] == "请先选择本年各单位报告所在的文件夹。"
    dialog.folder_edit.setText(str(tmp_path / "没有"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running() and dialog.start_button.isEnabled(), timeout=30_000)
    assert recorded.texts("warn")[-1] == f"找不到文件夹“{tmp_path / '没有'}”"
    assert open_batch_dialog(window) is dialog  # one per window
    dialog.close()


def test_closing_while_running_ends_the_workers(qtbot, make_window, recorded, tmp_path):
    import multiprocessing

    from export.docx_writer import write_docx

    write_docx(make_report(f"{REGION}商务局", 2025, COMMERCE), tmp_path / "000.docx")
    data = (tmp_path / "000.docx").read_bytes()
    for i in range(1, 200):
        (tmp_path / f"{i:03d}.docx").write_bytes(data)
    window = make_window()
    dialog = open_batch_dialog(window)
    dialog.folder_edit.setText(str(tmp_path))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=60_000)
    assert dialog.stop_button.isEnabled()
    dialog.close()  # as the program's end does (shut_down): the batch stops, its workers end
    assert not dialog.is_running()
    assert not [p for p in multiprocessing.active_children() if p.name == "nianbao-reader"]
