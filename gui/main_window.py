"""The main window: a tab per report section, the problems panel, undo, files, autosave."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from gui import dialogs
from gui.batch_dialog import open_batch_dialog
from gui.commands import Dismiss, ReplaceContent, SetCells, SetMeta, SetText
from gui.file_actions import FileActions
from gui.meta_tab import MetaTab
from gui.problems import ProblemsPanel
from gui.settings import Settings, new_autosave_id, remove_autosave
from gui.text_editor import SectionPage
from model.formats import TEXT_SECTIONS, Address, format_for_year
from model.problems import ERROR, INFO, Problem, summarize
from model.report import Change, Report, default_title, new_report, reporting_year
from model.values import Value
from model.version import APP_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextBrowser

    from gui.grid import GridModel, GridView

# tab order: key → title
TABS = (
    ("meta", "基本信息"),
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开"),
    ("requests", "三、依申请公开"),
    ("appeals", "四、复议诉讼"),
    ("problems", "五、问题及改进"),
    ("other_matters", "六、其他事项"),
    ("preview", "预览"),
)


class _Lazy(dict):
    """Pages, models and views by tab key, each made on first use: start-up builds only what the
    first tab shows. Iterating gives the ones made so far."""

    def __init__(self, make: Callable[[str], object]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: str) -> object:
        made = self[key] = self._make(key)
        return made


class _AfterFirstPaint(QObject):
    """Runs the start-up work that can wait (the first check, the recent-files list, the
    crash-recovery offer) once the window has been painted for the first time."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.callbacks: list[Callable[[], object]] = []
        self.done = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run)
        self.timer.start(1000)  # a window that is never painted (started minimised) still gets them
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.timer.start(0)  # right after this frame is on screen
        return False

    def run(self) -> None:
        self.done = True
        self.timer.stop()
        callbacks, self.callbacks = self.callbacks, []
        for callback in callbacks:
            callback()


class MainWindow(FileActions, QMainWindow):
    def __init__(self, settings: Settings | None = None, report: Report | None = None,
                 path: Path | None = None, *, defer_checks: bool = False) -> None:
        """``defer_checks``: show the report first and mark its problems right after the first paint."""
        super().__init__()
        self.settings = settings or Settings.load()
        self.report = report or new_report(reporting_year())
        self.path: Path | None = path
        self.saved_once = path is not None and report is not None
        self.undo_stack = QUndoStack(self)
        self.problems: list[Problem] = []
        self.autosave_id = new_autosave_id()
        self._text_cursor: dict[str, int] = {}
        self._marks: dict[Address, list[Problem]] = {}
        self._spans: dict[str, list[tuple[int, int, bool]]] = {}
        self._after_paint = _AfterFirstPaint(self)

        self.setAcceptDrops(True)
        # 1280 × 800, or less on a small screen (a 1366 × 768 laptop with its taskbar): the title
        # bar and the frame come on top of this
        available = self.screen().availableGeometry()
        self.resize(min(1280, available.width() - 16), min(800, available.height() - 48))
        self._build_tabs()
        self.panel = ProblemsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.resizeDocks([self.panel], [170], Qt.Orientation.Vertical)
        self.panel.jump.connect(self.jump_to)
        self.panel.dismiss.connect(self.dismiss_problem)
        self.panel.restore.connect(self.restore_problem)
        self.panel.update_year.connect(self.update_stale_year)
        self.summary_label = QLabel()
        self.statusBar().addPermanentWidget(self.summary_label)
        self._build_menus()

        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.indexChanged.connect(self._update_title)
        self.report.subscribe(self._on_change)
        self._refresh_all(check=not defer_checks)
        if defer_checks:
            self.when_shown(self._run_checks)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(self.settings.autosave_seconds * 1000)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        if self.settings.geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.geometry.encode("ascii")))

    def when_shown(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the window has been painted (at once if it already has)."""
        if self._after_paint.done:
            callback()
        else:
            self._after_paint.callbacks.append(callback)

    # ---- building --------------------------------------------------------------------------
    def _build_tabs(self) -> None:
        """The tabs with the 基本信息 page; every other page is filled in when first shown."""
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.meta_tab = MetaTab(self.edit_meta, self.change_year, self.edit_text)
        self.pages: dict[str, QWidget] = {}
        for key, title in TABS:
            if key == "meta":
                widget: QWidget = self.meta_tab
            else:
                widget = self.pages[key] = QWidget()
                QVBoxLayout(widget).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(widget, title)
        self.text_pages: dict[str, SectionPage] = _Lazy(self._make_text_page)  # type: ignore[assignment]
        self.text_pages["preamble"] = self.meta_tab.preamble
        self.models: dict[str, GridModel] = _Lazy(self._make_model)  # type: ignore[assignment]
        self.grids: dict[str, GridView] = _Lazy(self._make_view)  # type: ignore[assignment]
        self._preview: QTextBrowser | None = None
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)

    def _fill_page(self, key: str, widget: QWidget) -> None:
        layout = self.pages[key].layout()
        assert layout is not None
        layout.addWidget(widget)

    def _make_model(self, key: str) -> GridModel:
        from gui.grid import GridModel

        model = GridModel(self.report, self.report.format.layouts[key], self.edit_cells)
        model.set_marks(self._marks)
        return model

    def _make_view(self, key: str) -> GridView:
        from gui.grid import GridView

        view = GridView(self.models[key])
        view.refused.connect(lambda title, text: dialogs.warn(self, title, text))
        view.noted.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self._fill_page(key, view)
        return view

    def _make_text_page(self, key: str) -> SectionPage:
        page = SectionPage(key, self.edit_text)
        page.show_state(self.report.text.get(key, ""), key in self.report.carried_sections, self.report.format_id)
        page.editor.mark_spans(self._spans.get(key, []))
        self._fill_page(key, page)
        return page

    @property
    def preview(self) -> QTextBrowser:
        """The read-only preview of the whole report (rebuilt each time its tab is shown)."""
        if self._preview is None:
            from PySide6.QtWidgets import QTextBrowser

            self._preview = QTextBrowser()
            self._preview.setOpenLinks(False)
            self._fill_page("preview", self._preview)
        return self._preview

    def _action(self, text: str, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addAction(self._action("新建(&N)", self.new_file, QKeySequence.StandardKey.New))
        file_menu.addAction(self._action("从上年报告新建(&Y)…", self.new_from_last_year_dialog))
        file_menu.addAction(self._action("打开(&O)…", self.open_file_dialog, QKeySequence.StandardKey.Open))
        file_menu.addAction(self._action("导入(&I)…", self.import_dialog, "Ctrl+I"))
        self.recent_menu = file_menu.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addAction(self._action("保存(&S)", self.save, QKeySequence.StandardKey.Save))
        file_menu.addAction(self._action("另存为(&A)…", self.save_as, QKeySequence.StandardKey.SaveAs))
        file_menu.addSeparator()
        file_menu.addAction(self._action("载入上年报告用于核对(&B)…", self.attach_last_year_dialog))
        self.detach_action = self._action("移除上年报告", self.detach_last_year)
        file_menu.addAction(self.detach_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("导出 Word(&W)…", self.export_word_dialog, "Ctrl+E"))
        file_menu.addAction(self._action("导出 Excel(&L)…", self.export_excel_dialog))
        file_menu.addSeparator()
        file_menu.addAction(self._action("批量核对(&P)…", lambda: open_batch_dialog(self)))
        file_menu.addSeparator()
        file_menu.addAction(self._action("退出(&X)", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu("编辑(&E)")
        undo = self.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "重做")
        # Ctrl+Y as in Word/WPS, plus the platform's own redo key when it differs (a duplicate is ambiguous)
        redo_keys = [QKeySequence("Ctrl+Y")]
        redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
        redo.setShortcuts(redo_keys)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo

        view_menu = bar.addMenu("查看(&V)")
        view_menu.addAction(self.panel.toggleViewAction())
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self._action("关于年报助手", self._about))

    def _about(self) -> None:
        dialogs.info(self, "关于年报助手", f"年报助手 {__version__}\n编制《政府信息公开工作年度报告》的离线工具。\n"
                                        "支持2019年版（试行）和2021年版两种国家格式。")

    # ---- edits (all through the undo stack) -----------------------------------------------
    def edit_cells(self, values: dict[Address, Value], text: str) -> None:
        self.undo_stack.push(SetCells(self.report, values, text))

    def edit_text(self, key: str, text: str, before: int, after: int, *, merge: bool = True) -> None:
        command = SetText(self.report, key, text, before, after, merge=merge)
        command.on_applied = self._text_applied
        self.undo_stack.push(command)

    def _text_applied(self, key: str, cursor: int) -> None:
        self._text_cursor[key] = cursor

    def edit_meta(self, **changes: object) -> None:
        changed = {k: v for k, v in changes.items() if getattr(self.report.meta, k) != v}
        if changed:
            self.undo_stack.push(SetMeta(self.report, **changed))

    def change_year(self, year: int) -> None:
        if year == self.report.meta.year:
            return
        target = format_for_year(year)
        if target.id == self.report.format_id:
            self.edit_meta(year=year)
            return
        from model.carryover import convert

        conversion = convert(self.report, target)
        text = (f"{year}年度的报告应使用{target.name}（{target.issued_by}）。\n"
                f"是否把本报告转换为该格式？转换可以撤销。")
        if conversion.notes:
            text += "\n\n" + "\n".join(f"· {note}" for note in conversion.notes)
        if not dialogs.confirm(self, "更换报告格式", text):
            self.meta_tab.show_report(self.report)  # put the old year back on screen
            return
        after = conversion.report
        after.meta = after.meta._replace(year=year)
        self.undo_stack.push(ReplaceContent(self.report, after, f"改为{year}年度（{target.id}）"))
        self.statusBar().showMessage(f"已转换为{target.name}", 15000)

    def update_stale_year(self, problem: Problem) -> None:
        """Replace the one year mention a text.stale_year problem names with the report year."""
        if problem.rule != "text.stale_year" or not problem.spans:
            return
        key, start, end = problem.spans[0]
        text = self.report.text.get(key, "")
        year = str(self.report.meta.year)
        if not text[start:end].isdigit():
            return
        self.edit_text(key, text[:start] + year + text[end:], start, start + len(year), merge=False)

    def dismiss_problem(self, problem: Problem) -> None:
        if problem.severity == ERROR:
            dialogs.warn(self, "不能忽略", "错误不能忽略，请修改报告。")
            return
        reason = dialogs.ask_reason(self, problem.message)
        if reason:
            self.undo_stack.push(Dismiss(self.report, problem.id, reason))

    def restore_problem(self, problem: Problem) -> None:
        self.undo_stack.push(Dismiss(self.report, problem.id, None))

    # ---- model → screen --------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.kind in ("all", "format"):
            layouts = self.report.format.layouts
            for key, model in self.models.items():
                if model.layout is not layouts[key]:
                    model.set_layout(layouts[key])
            self._refresh_all()
            return
        if change.kind == "text":
            for key in change.keys:
                cursor = self._text_cursor.pop(key, None)
                if key in self.text_pages:  # a page not made yet shows the text when it is
                    self.text_pages[key].show_state(self.report.text.get(key, ""), key in self.report.carried_sections,
                                                    self.report.format_id, cursor)
        if change.kind in ("meta", "baseline"):
            self.meta_tab.show_report(self.report)
            if "procurement_unit" in change.keys and "proactive" in self.models:
                self.models["proactive"].refresh()
        if change.kind == "cells":
            self.grids_for_cells(change.keys)
        self._run_checks()

    def grids_for_cells(self, addresses: tuple) -> None:
        for model in self.models.values():
            model.refresh_cells(addresses)

    def _refresh_all(self, check: bool = True) -> None:
        self.meta_tab.show_report(self.report)
        for key, page in self.text_pages.items():
            page.show_state(self.report.text.get(key, ""), key in self.report.carried_sections, self.report.format_id)
        for model in self.models.values():
            model.refresh()
        if check:
            self._run_checks()
        else:
            self._update_title()

    def _run_checks(self) -> None:
        from model.checks import run_checks  # loaded with the first check, not at start-up

        self.problems = run_checks(self.report)
        marks: dict[Address, list[Problem]] = {}
        spans: dict[str, list[tuple[int, int, bool]]] = {}
        counts: dict[str, list[int]] = {key: [0, 0] for key, _ in TABS}
        for problem in self.problems:
            if problem.dismissed is not None or problem.severity == INFO:
                continue
            is_error = problem.severity == ERROR
            for cell in problem.cells:
                marks.setdefault(cell, []).append(problem)
            for key, start, end in problem.spans:
                spans.setdefault(key, []).append((start, end, is_error))
            for tab in self._tabs_of(problem):
                counts[tab][0 if is_error else 1] += 1
        self._marks, self._spans = marks, spans
        for model in self.models.values():
            model.set_marks(marks)
        for key, page in self.text_pages.items():
            page.editor.mark_spans(spans.get(key, []))
        for i, (key, title) in enumerate(TABS):
            errors, warnings = counts[key]
            badge = []
            if errors:
                badge.append(f"✖{errors}")
            if warnings:
                badge.append(f"⚠{warnings}")
            text = f"{title} {' '.join(badge)}" if badge else title
            if self.tabs.tabText(i) != text:
                self.tabs.setTabText(i, text)
        self.panel.show_problems(self.problems)
        self.summary_label.setText(summarize(self.problems).text)
        self.panel.set_report_year(self.report.meta.year)
        self.detach_action.setEnabled(self.report.last_year is not None)
        self._update_title()

    def _tabs_of(self, problem: Problem) -> set[str]:
        tabs = set()
        for cell in problem.cells:
            tabs.add(cell[0] if cell[0] in ("requests", "appeals") else "proactive")
        for key in problem.sections:
            tabs.add("meta" if key == "preamble" else key)
        if problem.fields:
            tabs.add("meta")
        return tabs

    def _tab_changed(self, index: int) -> None:
        key = TABS[index][0]
        if key in self.report.format.layouts:
            self.grids[key].setFocus()
        elif key in TEXT_SECTIONS:
            self.text_pages[key]  # made (and put in its tab) on first show
        elif key == "preview":
            from export.preview_html import report_html  # loaded when the preview is first shown

            self.preview.setHtml(report_html(self.report))

    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean() or not self.saved_once

    def _update_title(self, *_args: object) -> None:
        agency = self.report.meta.agency or "未命名机关"
        self.setWindowTitle(f"{default_title(agency, self.report.meta.year)}[*] — {APP_NAME}")
        self.setWindowModified(self.is_dirty())

    # ---- jumping ---------------------------------------------------------------------------
    def jump_to(self, problem: Problem) -> None:
        from PySide6.QtCore import QItemSelectionModel

        for cell in problem.cells:
            for key, layout in self.report.format.layouts.items():
                if cell in layout.positions:
                    self.tabs.setCurrentIndex([k for k, _ in TABS].index(key))
                    view = self.grids[key]
                    index = view.grid.index_of(cell)
                    view.setCurrentIndex(index)
                    # select every cell the problem names in this table (the four of a balance column)
                    selection = view.selectionModel()
                    for other in problem.cells:
                        other_index = view.grid.index_of(other)
                        if other_index.isValid():
                            selection.select(other_index, QItemSelectionModel.SelectionFlag.Select)
                    view.scrollTo(index)
                    view.setFocus()
                    return
        if problem.sections:
            key = problem.sections[0]
            page = self.text_pages[key]
            self.tabs.setCurrentIndex([k for k, _ in TABS].index("meta" if key == "preamble" else key))
            span = next((s for s in problem.spans if s[0] == key), None)
            if span:
                page.editor.select_span(span[1], span[2])
            else:
                page.editor.setFocus()
            return
        if problem.fields:
            self.tabs.setCurrentIndex(0)
            widgets = {"agency": self.meta_tab.agency, "year": self.meta_tab.year, "date": self.meta_tab.date,
                       "format": self.meta_tab.year}
            widget = widgets.get(problem.fields[0])
            if widget is not None:
                widget.setFocus()

    # ---- window events ---------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        remove_autosave(self.autosave_id)
        self.settings.geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.save()
        self.autosave_timer.stop()
        event.accept()
