"""Starting the program as `nianbao [FILE]` does: the window shows the report at once, builds only
its first page, and runs the first check, the recent-files list and the recovery offer right after
its first paint. Pages, grids and the preview are built when first shown, with what has happened
to the report in the meantime."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from gui import settings as settings_module
from gui.main_window import TABS, MainWindow
from model import store
from tests.gui.conftest import ZERO_PROBLEMS, close_quietly, zero_report

BALANCE_NATURAL = {("requests", row, "natural") for row in ("received", "carried_in", "handled_total", "carried_out")}


def tab_index(key: str) -> int:
    return [k for k, _ in TABS].index(key)


@pytest.fixture
def started(qapp, qtbot, recorded):
    """open_window as `nianbao FILE` calls it; each window is closed without questions afterwards."""
    from gui.app import install_chinese, open_window

    install_chinese(qapp)
    windows: list[MainWindow] = []

    def start(path: Path | None) -> MainWindow:
        window = open_window(path)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield start
    for window in windows:
        close_quietly(window)


def _report_with_an_error(tmp_path: Path) -> Path:
    report = zero_report()
    report.cells[("requests", "received", "natural")] = 5  # 第一项+第二项 ≠ 第三项+第四项
    report.text["overview"] = "2025年，我局收到申请5件。"  # a stale year in 一、总体情况
    path = tmp_path / "有错误.nianbao"
    store.save(report, path)
    return path


def test_the_window_shows_first_and_checks_right_after_its_first_paint(started, qtbot, tmp_path):
    path = _report_with_an_error(tmp_path)
    window = started(path)
    assert window.isVisible()
    # before the first paint: the report is on screen, nothing else has run
    assert window.meta_tab.agency.text() == "示例县交通运输局"
    assert window.problems == []
    assert not window.panel.item_for("requests.balance")
    assert not settings_module.settings_path().exists()  # the recent-files list is written later
    assert [key for key, page in window.pages.items() if page.layout().count()] == []
    assert dict(window.models) == {} and dict(window.grids) == {}
    assert list(window.text_pages) == ["preamble"]

    qtbot.waitUntil(lambda: window.problems != [], timeout=5000)
    assert window.summary_label.text() == "1 个错误 · 1 个警告"
    assert window.panel.item_for("requests.balance") is not None
    assert "✖1" in window.tabs.tabText(tab_index("requests"))
    assert "⚠1" in window.tabs.tabText(tab_index("overview"))
    saved = json.loads(settings_module.settings_path().read_text(encoding="utf-8"))
    assert saved["recent_files"] == [str(path)]

    # the grid built on first show carries the marks of the check that ran before it existed
    window.tabs.setCurrentIndex(tab_index("requests"))
    QApplication.processEvents()
    view = window.grids["requests"]
    assert window.pages["requests"].layout().itemAt(0).widget() is view
    assert set(view.grid.marks) == BALANCE_NATURAL
    # and so does the text page: the stale year underlined, the count shown
    window.tabs.setCurrentIndex(tab_index("overview"))
    QApplication.processEvents()
    page = window.text_pages["overview"]
    assert page.editor.toPlainText() == "2025年，我局收到申请5件。"
    assert [(m.start, m.end, m.is_error) for m in page.editor._spans] == [(0, 4, False)]
    assert page.editor.messages_at(2) == [next(p.message for p in window.problems if p.rule == "text.stale_year")]
    assert page.count.text() == "总体情况 15 / 1000 字"
    assert len(page.editor.extraSelections()) == 1


def test_a_text_changed_before_its_page_exists_shows_when_the_page_is_built(make_window):
    window = make_window(zero_report())
    assert "problems" not in window.text_pages
    window.edit_text("problems", "整改措施已落实。", 0, 8, merge=False)
    assert "problems" not in window.text_pages  # still not built: nothing to show it in
    window.undo_stack.undo()
    window.undo_stack.redo()
    page = window.text_pages["problems"]
    assert page.editor.toPlainText() == "整改措施已落实。"
    assert window.pages["problems"].layout().itemAt(0).widget() is page
    window.undo_stack.undo()
    assert page.editor.toPlainText() == ZERO_PROBLEMS


def test_a_year_change_converts_grids_that_were_never_shown(make_window, recorded):
    window = make_window(zero_report(2020))  # gov-2019: table 三 has 26 rows
    window.change_year(2021)  # confirmed (the recorded dialogs answer yes)
    assert window.report.format_id == "gov-2021"
    window.tabs.setCurrentIndex(tab_index("requests"))
    QApplication.processEvents()
    assert window.grids["requests"].grid.layout.n_rows == 28


def test_an_autosave_left_by_a_crash_is_offered_when_the_program_starts(started, qtbot, recorded):
    report = zero_report()
    report.cells[("requests", "received", "natural")] = 7
    folder = settings_module.autosave_folder()
    folder.mkdir(parents=True)
    store.save(report, folder / "gone.nianbao")
    (folder / "gone.json").write_text(json.dumps({"source": None, "written": "2026-11-27T18:05:00", "pid": 999_999_999}),
                                      encoding="utf-8")
    assert [a.report_path.name for a in settings_module.leftover_autosaves()] == ["gone.nianbao"]

    window = started(None)
    assert recorded.titles("ask_restore") == []  # not before the window is on screen
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    assert "自动保存于 2026年11月27日 18:05" in recorded.titles("ask_restore")[0]
    assert window.report.cells[("requests", "received", "natural")] == 7
    assert window.isWindowModified()
    assert not (folder / "gone.nianbao").exists()


def test_the_first_size_fits_a_small_screen(qapp):
    window = MainWindow(settings_module.Settings(), zero_report())
    available = window.screen().availableGeometry()
    assert window.width() == min(1280, available.width() - 16)
    assert window.height() == min(800, available.height() - 48)
    close_quietly(window)
    window.deleteLater()


def test_save_dialog_adds_the_suffix_left_off(monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from gui import dialogs

    answers = iter([["/tmp/报告"], ["/tmp/报告.DOCX"], None])  # what the clerk typed; None: 取消
    chosen: list[list[str] | None] = []

    def exec_(dialog):
        chosen.append(next(answers))
        return int(chosen[-1] is not None)

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda dialog: chosen[-1] or [])
    assert dialogs.ask_save_path(None, "导出 Word", Path("/tmp/x.docx"), "Word 文档 (*.docx)", ".docx") == Path("/tmp/报告.docx")
    assert dialogs.ask_save_path(None, "导出 Word", Path("/tmp/x.docx"), "", ".docx") == Path("/tmp/报告.DOCX")
    assert dialogs.ask_save_path(None, "导出 Word", Path("/tmp/x.docx"), "", ".docx") is None
