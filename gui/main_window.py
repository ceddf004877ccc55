"""The main window: a tab per report section, the problems panel, undo, files, autosave."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QKeySequence,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from gui import dialogs
from gui.autosave_schedule import AutosaveSchedule
from gui.commands import Dismiss, ReplaceContent, SetCells, SetMeta, SetText
from gui.file_actions import FileActions
from gui.keys import NEXT_TAB_KEYS, PREVIOUS_TAB_KEYS, MenuKeys
from gui.meta_tab import MetaTab
from gui.navigation import TABS, Navigation
from gui.problems import ProblemsPanel
from gui.settings import Settings, new_autosave_id, remove_autosave
from gui.text_editor import Mark, SectionPage, marks_of
from model.formats import Address, format_for_year
from model.problems import ERROR, INFO, Problem, summarize
from model.report import Change, Report, default_title, new_report, reporting_year
from model.values import Value
from model.version import APP_NAME, __version__

PANEL_SHARE = 0.3  # of the window's height, for the problems panel until the clerk sets its own
PANEL_MINIMUM = 170

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextBrowser

    from gui.grid import GridModel, GridView



def _compare_view() -> ModuleType:
    """对照上年文字, loaded when first used, not at start-up (a plain import, so a frozen build finds it)."""
    from gui import compare_view

    return compare_view


def _rules_dialog() -> ModuleType:
    """帮助 → 核对规则, loaded when first used."""
    from gui import rules_dialog

    return rules_dialog


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


class MainWindow(FileActions, Navigation, QMainWindow):
    def __init__(self, settings: Settings | None = None, report: Report | None = None,
                 path: Path | None = None, *, defer_checks: bool = False) -> None:
        """``defer_checks``: show the report first and mark its problems right after the first paint."""
        super().__init__()
        self.settings = settings or Settings.load()
        self.report = report or new_report(reporting_year())
        self.path: Path | None = path
        # a report that exists nowhere but in this window (a recovered autosave) is unsaved even
        # before any change; any other (new, opened, imported, from last year's) is clean until changed
        self.exists_only_here = False
        self.folder_hint: Path | None = path.parent if path else None  # where the first Save As opens
        self.undo_stack = QUndoStack(self)
        self.problems: list[Problem] = []
        self.autosave_id = new_autosave_id()
        self._text_cursor: dict[str, int] = {}
        self._marks: dict[Address, list[Problem]] = {}
        self._pending: frozenset[str] = frozenset()
        self._spans: dict[str, list[Mark]] = {}
        self._after_paint = _AfterFirstPaint(self)

        self.setAcceptDrops(True)
        # 1280 × 800, or less on a small screen (a 1366 × 768 laptop with its taskbar): the title
        # bar and the frame come on top of this
        dialogs.fit_size(self, 1280, 800)
        self._build_tabs()
        self.panel = ProblemsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.jump.connect(self.jump_to)
        self.panel.preview.connect(lambda problem: self.jump_to(problem, focus=False))
        self.panel.dismiss.connect(self.dismiss_problem)
        self.panel.restore.connect(self.restore_problem)
        self.panel.update_year.connect(self.update_stale_year)
        self.panel.jump.connect(lambda problem: _compare_view().open_for_problem(self, problem))
        self.summary_label = QLabel()
        self.statusBar().addPermanentWidget(self.summary_label)
        self.result_label = QLabel()  # the last export's result: stays, brief messages cover it a while
        self.statusBar().addWidget(self.result_label, 1)
        self._build_menus()
        self.menu_keys = MenuKeys(self.menuBar())  # on the window's QWindow once it has one (showEvent)

        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.indexChanged.connect(self._update_title)
        self.report.subscribe(self._on_change)
        self._refresh_all(check=not defer_checks)
        if defer_checks:
            self.when_shown(self._run_checks)

        # autosave a moment after the clerk stops typing (gui/autosave_schedule.py), never when nothing changed
        self.autosave_schedule = AutosaveSchedule(longest=self.settings.autosave_seconds)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.timeout.connect(self.autosave)
        if self.settings.geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.geometry.encode("ascii")))
        if self.settings.window_state:  # the problems panel's place (docked, floating, hidden), as the clerk left it
            self.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))
        # its height is set again once the window is shown (a state restored before that loses pixels),
        # and remembered as soon as the clerk changes it: a crash does not forget it
        self._panel_sized = False
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(800)
        self._layout_timer.timeout.connect(self.remember_layout)
        self.panel.installEventFilter(self)
        self.meta_tab.agency.setFocus()  # the keyboard starts in the first field, not on the tab bar

    def unsay(self, text: str) -> None:
        """Take a status-bar message back once it stops being true (and only that message)."""
        if self.statusBar().currentMessage() == text:
            self.statusBar().clearMessage()

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
        widget.show()  # now, not at the layout's next turn: the keyboard may be put there at once

    def _make_model(self, key: str) -> GridModel:
        from gui.grid import GridModel

        model = GridModel(self.report, self.report.format.layouts[key], self.edit_cells)
        model.set_marks(self._marks, self._pending)
        return model

    def _make_view(self, key: str) -> GridView:
        from gui.grid import GridView

        view = GridView(self.models[key])
        view.refused.connect(lambda title, text: dialogs.warn(view, title, text))
        view.noted.connect(lambda text: self.statusBar().showMessage(text, 15000))
        view.unsaid.connect(self.unsay)
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
        file_menu.addAction(self._action("页面与版式(&P)…", self.layout_dialog))
        file_menu.addAction(self._action("导出 Word(&W)…", self.export_word_dialog, "Ctrl+E"))
        file_menu.addAction(self._action("导出 Excel(&L)…", self.export_excel_dialog))
        file_menu.addSeparator()
        file_menu.addAction(self._action("批量核对(&K)…", self.batch_dialog))
        file_menu.addSeparator()
        file_menu.addAction(self._action("退出(&X)", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu("编辑(&E)")
        # undo and redo go through the window, which shows what changed and says so
        undo = self._action("撤销(&U)", self.undo, QKeySequence.StandardKey.Undo)
        redo = self._action("重做(&R)", self.redo)
        # Ctrl+Y as in Word/WPS, plus the platform's own redo key when it differs (a duplicate is ambiguous)
        redo_keys = [QKeySequence("Ctrl+Y")]
        redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
        redo.setShortcuts(redo_keys)
        stack = self.undo_stack
        undo.setEnabled(False)
        redo.setEnabled(False)
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda text: undo.setText(f"撤销 {text}(&U)" if text else "撤销(&U)"))
        stack.redoTextChanged.connect(lambda text: redo.setText(f"重做 {text}(&R)" if text else "重做(&R)"))
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo

        view_menu = bar.addMenu("查看(&V)")
        next_tab = self._action("下一页(&N)", lambda: self.switch_tab(1))
        next_tab.setShortcuts([QKeySequence(k) for k in NEXT_TAB_KEYS])
        previous_tab = self._action("上一页(&P)", lambda: self.switch_tab(-1))
        previous_tab.setShortcuts([QKeySequence(k) for k in PREVIOUS_TAB_KEYS])
        view_menu.addAction(next_tab)
        view_menu.addAction(previous_tab)
        view_menu.addSeparator()
        view_menu.addAction(self._action("下一个问题(&X)", lambda: self.next_problem(1), "F8"))
        view_menu.addAction(self._action("上一个问题(&V)", lambda: self.next_problem(-1), "Shift+F8"))
        view_menu.addAction(self.panel.toggleViewAction())
        view_menu.addAction(self._action("对照上年文字(&C)…", lambda: _compare_view().open_compare(self)))
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self._action("核对规则(&R)", lambda: _rules_dialog().show_rules(self)))
        help_menu.addAction(self._action("关于年报助手", self._about))

    def layout_dialog(self) -> None:
        from gui.layout_dialog import edit_layout  # loaded when first used, not at start-up

        edit_layout(self)

    def batch_dialog(self) -> None:
        from gui.batch_dialog import open_batch_dialog  # loaded when first used

        open_batch_dialog(self)

    def _about(self) -> None:
        dialogs.info(self, "关于年报助手", f"年报助手 {__version__}\n编制《政府信息公开工作年度报告》的离线工具。\n"
                                        "支持2019年版（试行）和2021年版两种国家格式。")

    # ---- edits (all through the undo stack) -----------------------------------------------
    def edit_cells(self, values: dict[Address, Value], text: str) -> None:
        self.undo_stack.push(SetCells(self.report, values, text))

    def edit_text(self, key: str, text: str, before: int, after: int, *, merge: bool = True) -> None:
        """A text edit; ``merge``: a keystroke that may join the typing burst before it."""
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
        self.undo_stack.push(ReplaceContent(self.report, after, f"改为{year}年度并转换格式"))
        self.statusBar().showMessage(f"已转换为{target.name}", 15000)

    def update_stale_year(self, problem: Problem) -> None:
        """Replace the year mentions a text.stale_year problem names (those of one sentence) with the
        report year, in one step the clerk can undo."""
        if problem.rule != "text.stale_year" or not problem.spans:
            return
        key = problem.spans[0][0]
        text = self.report.text.get(key, "")
        year = str(self.report.meta.year)
        spans = sorted((start, end) for span_key, start, end in problem.spans if span_key == key)
        if not all(text[start:end].isdigit() for start, end in spans) or any(
                end > start for (_, end), (start, _) in itertools.pairwise(spans)):
            return  # the text moved on since the check: leave it
        pieces, position = [], 0  # one pass, however many mentions the sentence holds
        for start, end in spans:
            pieces += [text[position:start], year]
            position = end
        pieces.append(text[position:])
        shift = sum(len(year) - (end - start) for start, end in spans[:-1])
        self.edit_text(key, "".join(pieces), spans[0][0], spans[-1][0] + shift + len(year),
                       merge=False)  # the cursor after the last

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
        self.autosave_timer.start(round(self.autosave_schedule.changed() * 1000))
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
        from model.checks import import_problems, run_checks  # loaded with the first check, not at start-up

        self.problems = run_checks(self.report)
        marks: dict[Address, list[Problem]] = {}
        spans: dict[str, list[Mark]] = {}
        counts: dict[str, list[int]] = {key: [0, 0] for key, _ in TABS}
        for problem in self.problems:
            if problem.dismissed is not None or problem.severity == INFO:
                continue
            is_error = problem.severity == ERROR
            for cell in problem.cells:
                marks.setdefault(cell, []).append(problem)
            for key in dict.fromkeys(key for key, _start, _end in problem.spans):
                spans.setdefault(key, []).extend(marks_of(key, problem.spans, is_error, problem.message))
            for tab in self._tabs_of(problem):
                counts[tab][0 if is_error else 1] += problem.counted
        self._marks, self._spans = marks, spans
        self._pending = frozenset(p.id for p in self.problems if self._results_pending(p))
        for model in self.models.values():
            model.set_marks(marks, self._pending)
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
        self.panel.show_problems(self.problems, import_problems(self.report))
        self.summary_label.setText(summarize(self.problems).text)
        self.panel.set_report_year(self.report.meta.year)
        self.detach_action.setEnabled(self.report.last_year is not None)
        self._update_title()

    def _results_pending(self, problem: Problem) -> bool:
        """A balance error of a column whose results (三's rows and 四) are all still blank: the clerk
        has not got to them yet, so the grid marks it softly (the panel lists it as the error it is)."""
        if problem.rule != "requests.balance" or not problem.cells:
            return False
        column = problem.cells[0][2]
        results = [*self.report.format.table("requests").parts("handled_total", column), ("carried_out", column)]
        return all(self.report.cells.get(("requests", row, col)) is None for row, col in results)

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
        if key == "preview":
            from export.preview_html import report_html  # loaded when the preview is first shown

            self.preview.setHtml(report_html(self.report))
        self.focus_page(key)  # pages and grids are made (and put in their tab) on first show

    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean() or self.exists_only_here

    def _update_title(self, *_args: object) -> None:
        agency = self.report.meta.agency or "未命名机关"
        self.setWindowTitle(f"{default_title(agency, self.report.meta.year)}[*] — {APP_NAME}")
        self.setWindowModified(self.is_dirty())

    # ---- window events ---------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None:  # again on each show: Qt keeps a filter once per object
            handle.installEventFilter(self.menu_keys)
        if not self._panel_sized:
            self._panel_sized = True
            self.size_panel()

    def size_panel(self) -> None:
        """The problems panel as high as the clerk left it, else a share of the window: six lines or
        more at 1366 × 768, the tables keeping the rest."""
        height = self.settings.panel_height or max(PANEL_MINIMUM, round(self.height() * PANEL_SHARE))
        self.resizeDocks([self.panel], [height], Qt.Orientation.Vertical)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel and event.type() == QEvent.Type.Resize and self._panel_sized:
            self._layout_timer.start()  # the clerk moved the panel's edge (or the window changed size)
        return super().eventFilter(watched, event)

    def remember_layout(self) -> None:
        """The window's size and place and the problems panel's height, into the settings."""
        if self.panel.isVisible() and not self.panel.isFloating():
            self.settings.panel_height = self.panel.height()
        self.settings.geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64()).decode("ascii")
        self.settings.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        remove_autosave(self.autosave_id)
        compare = getattr(self, "compare_view", None)  # a window of its own (gui/compare_view.py): it goes too
        if compare is not None and isValid(compare):
            compare.close()
            compare.deleteLater()
        self._layout_timer.stop()
        self.remember_layout()
        self.autosave_timer.stop()
        event.accept()
