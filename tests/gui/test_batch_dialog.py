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
    # the batch's order: 状态 worst first, then the unit (拼音: 教育局 before 商务局), and the arrow says so
    assert _column(dialog, "文件") == ["坏.docx", "财政局.xlsx", "教育局.nianbao", "商务局.nianbao"]
    assert _column(dialog, "状态") == ["无法读取", "有错误", "通过", "通过"]
    assert _column(dialog, "实质公开率") == ["", "100.0%", "66.7%", "80.0%"]
    status = ResultsModel.HEADERS.index("状态")
    header = dialog.view.horizontalHeader()
    assert header.sortIndicatorSection() == status and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    colour = dialog.proxy.index(1, status).data(Qt.ItemDataRole.BackgroundRole).color().name()
    assert colour == "#ffc7ce"  # 有错误 in red, as in the workbook

    unit = ResultsModel.HEADERS.index("单位")  # a click on 单位 sorts by it, in 拼音 order
    x = header.sectionViewportPosition(unit) + header.sectionSize(unit) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert _column(dialog, "单位") == [f"{REGION}财政局", f"{REGION}教育局", f"{REGION}商务局", "坏.docx"]
    x = header.sectionViewportPosition(status) + header.sectionSize(status) // 2  # and back by 状态: the worst first
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
    assert window.path is None  # saving asks where: the unit's own file is never overwritten
    assert not window.is_dirty()  # only viewed: clean until edited, so the next action asks nothing
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
    assert [(r[4], r[6]) for r in rows] == [("坏.docx", "无法读取"), ("财政局.xlsx", "有错误"), ("教育局.nianbao", "通过"),
                                             ("商务局.nianbao", "通过")]

    # the units added up, opened as the start of the 本级 report; the confirmation names first what
    # `nianbao sum` would refuse for (the same words), then what is added and what is not
    window.edit_meta(agency="改过的名称")  # an edit: now the window asks before the report goes
    asked = len(recorded.titles("ask_save"))
    qtbot.mouseClick(dialog.sum_button, Qt.MouseButton.LeftButton)
    text = recorded.texts("confirm")[-1]
    assert text.startswith("请注意：\n1. 有1个文件无法读取，不能计入（否则合计会漏掉这些单位）：坏.docx。请修复、解压或移出这些文件。\n"
                           f"2. 1个单位的报告有错误，相加后本级报告也会带有这些错误：{REGION}财政局（财政局.xlsx：")
    assert "把 3 个单位的2025年度报告逐格相加" in text
    assert "不计入：坏.docx（无法读取）" in text
    assert text.endswith("仍要汇总并打开为一份新报告（尚未保存）吗？")
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


def test_a_window_of_its_own(qtbot, make_window, recorded):
    """The dialog neither sits on the main window nor goes with it when minimised (no transient
    parent), does not keep the program alive, and closes when the main window closes."""
    window = make_window()
    dialog = open_batch_dialog(window)
    qtbot.waitExposed(dialog)
    assert dialog.parent() is None and dialog.isWindow()
    assert dialog.windowHandle().transientParent() is None
    assert not dialog.testAttribute(Qt.WidgetAttribute.WA_QuitOnClose)
    assert dialog.windowFlags() & Qt.WindowType.WindowMinimizeButtonHint
    dialog.showMinimized()
    assert not window.isMinimized() and window.isVisible()
    dialog.showNormal()
    window.close()  # clean: closes at once
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_viewing_reports_asks_nothing(qtbot, make_window, recorded, monkeypatch, folders):
    this, last = folders
    window = make_window()
    dialog = _run(qtbot, window, monkeypatch, this, last)
    recorded.save_answer = "discard"
    window.edit_meta(agency="改过的名称")  # the clerk's own work: asked about once
    for file in ("商务局.nianbao", "教育局.nianbao", "财政局.xlsx"):
        row = _column(dialog, "文件").index(file)
        rect = dialog.view.visualRect(dialog.proxy.index(row, 0))
        qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.report.meta.agency == dialog.entry_at(row).agency and not window.is_dirty()
    assert len(recorded.titles("ask_save")) == 1  # the edit only; the reports only viewed are not asked about
    dialog.close()


def test_choose_which_version_counts(qtbot, make_window, recorded, tmp_path):
    """财政局年报.docx and 财政局年报（修改稿）.docx: the 修改稿 counts, and says why; 以此为准 on the
    other (its context menu) makes that one count, and the sum follows."""
    import os

    from export.docx_writer import write_docx

    folder = tmp_path / "2025"
    folder.mkdir()
    first = make_report(f"{REGION}财政局", 2025, {("requests", "granted", "natural"): 2})
    revised = make_report(f"{REGION}财政局", 2025, {("requests", "granted", "natural"): 5})
    write_docx(first, folder / "财政局年报.docx")
    write_docx(revised, folder / "财政局年报（修改稿）.docx")
    os.utime(folder / "财政局年报.docx", (1_800_000_000, 1_800_000_000))  # the later one, but not named 修改稿
    store.save(make_report(f"{REGION}商务局", 2025, COMMERCE), folder / "商务局.nianbao", backup=False)
    window = make_window()
    dialog = open_batch_dialog(window)
    dialog.folder_edit.setText(str(folder))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=120_000)
    by_file = {e.rel: e for e in dialog.result.entries}
    assert by_file["财政局年报.docx"].role == "duplicate"
    assert by_file["财政局年报（修改稿）.docx"].contributes
    remark = _column(dialog, "说明")[_column(dialog, "文件").index("财政局年报.docx")]
    assert remark == ("与“财政局年报（修改稿）.docx”是同一单位同一年度的报告（表中数字不同，请确认哪一份是定稿）；"
                      "以“财政局年报（修改稿）.docx”为准（文件名标明“修改稿”），本文件不计入汇总")

    row = _column(dialog, "文件").index("财政局年报.docx")
    rect = dialog.view.visualRect(dialog.proxy.index(row, 0))
    dialog.view.customContextMenuRequested.emit(rect.center())  # a right click on the row
    menu = dialog.menu
    qtbot.waitUntil(menu.isVisible)
    prefer = next(a for a in menu.actions() if a.text().startswith("以此为准"))
    assert prefer.isEnabled()
    prefer.trigger()
    menu.close()
    assert by_file["财政局年报.docx"].contributes and by_file["财政局年报.docx"].role == "unit"
    assert by_file["财政局年报（修改稿）.docx"].role == "duplicate"
    assert dialog.state.text() == "已改为以“财政局年报.docx”为准；汇总和核对结果已随之更新"
    remark = _column(dialog, "说明")[_column(dialog, "文件").index("财政局年报（修改稿）.docx")]
    assert remark.endswith("以“财政局年报.docx”为准（由您指定），本文件不计入汇总")
    # the primary's own row can not be chosen again; the sum takes the chosen version
    row = _column(dialog, "文件").index("财政局年报.docx")
    dialog.view.customContextMenuRequested.emit(dialog.view.visualRect(dialog.proxy.index(row, 0)).center())
    assert not next(a for a in dialog.menu.actions() if a.text().startswith("以此为准")).isEnabled()
    dialog.menu.close()
    recorded.save_answer = "discard"
    qtbot.mouseClick(dialog.sum_button, Qt.MouseButton.LeftButton)
    assert "不计入：城步苗族自治县财政局（与“财政局年报.docx”重复，以“财政局年报.docx”为准（由您指定））" in recorded.texts("confirm")[-1]
    assert window.report.cells[("requests", "granted", "natural")] == 2 + 3
    dialog.close()
