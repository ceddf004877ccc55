"""文件 → 批量核对…: the 公开办's batch check in the window.

Choose the folder of this year's reports (and, optionally, last year's and the list of units), run
the batch in the background (the window stays usable; 停止 ends it with what was read), then sort
and filter the results, double-click a report to open it in the window as an imported report (not
yet saved anywhere, clean until edited), pick which of a unit's two versions counts (以此为准),
write the result workbook, or add the units up into the start of the 本级 report.

The dialog is a window of its own, beside the main window rather than on it: it neither covers
the main window nor goes with it when minimised, and closes when the main window does.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui import collector, dialogs

if TYPE_CHECKING:
    from export.batch import BatchResult, Entry
    from gui.main_window import MainWindow

STATUS_COLOURS = {"通过": "#C6EFCE", "有警告": "#FFEB9C", "有错误": "#FFC7CE", "无法读取": "#BFBFBF"}
STATUS_ORDER = {"无法读取": 0, "有错误": 1, "有警告": 2, "通过": 3}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ALL = "全部"


def ask_folder(parent: QWidget | None, title: str, start: str) -> Path | None:
    """A folder to read; None when the clerk cancels (tests replace this)."""
    from PySide6.QtWidgets import QFileDialog

    name = QFileDialog.getExistingDirectory(parent, title, start)
    return Path(name) if name else None


def ask_list(parent: QWidget | None, start: str) -> Path | None:
    return dialogs.ask_open_path(parent, "选择应报送单位名单", start, "单位名单 (*.xlsx *.txt)")


class ResultsModel(QAbstractTableModel):
    """One row per report of the batch: status coloured, numbers sortable as numbers."""

    HEADERS = ("单位", "年度", "文件", "状态", "错误", "警告", "本年新收", "实质公开率", "复议纠错率", "诉讼纠错率",
               "上年报告", "说明")
    STATUS = 3
    NUMBERS = (1, 4, 5, 6, 7, 8, 9)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[Entry] = []
        self._rows: list[tuple[tuple[str, ...], tuple[object, ...]]] = []

    def set_result(self, result: BatchResult | None) -> None:
        from export.batch_figures import percent_text
        from export.batch_names import pinyin_key
        from export.batch_workbook import last_text, remark
        from model.shown import terminal_text

        self.beginResetModel()
        self.entries = list(result.entries) if result else []
        self._rows = []
        by_unit = sorted(range(len(self.entries)), key=lambda i: (pinyin_key(self.entries[i].name), self.entries[i].rel))
        unit_rank = {i: rank for rank, i in enumerate(by_unit)}  # 单位 sorts in 拼音 order
        for row, entry in enumerate(self.entries):
            summary = entry.summary()  # once per report
            errors, warnings, _infos, _dismissed = summary.counts()
            ratios = list(summary.ratios.values()) if summary.ratios is not None else [None, None, None]
            received = summary.figures["received"] if summary.figures is not None else None
            # names from outside with control characters or bidi overrides shown escaped (model/shown.py)
            shown = (terminal_text(entry.name, one_line=True), str(entry.outcome.year or ""),
                     terminal_text(entry.rel, one_line=True), summary.status,
                     str(errors) if entry.readable else "", str(warnings) if entry.readable else "",
                     "" if received is None else str(received),
                     *(percent_text(r) if entry.readable else "" for r in ratios), terminal_text(last_text(entry)),
                     terminal_text(remark(entry)))
            # 状态 worst first; within a status the batch's order (by unit)
            keys = (unit_rank[row], entry.outcome.year or 0, entry.rel, STATUS_ORDER[summary.status] * 1_000_000 + row,
                    errors, warnings,
                    -1 if received is None else received, *(-1.0 if r is None else float(r) for r in ratios),
                    shown[10], shown[11])
            self._rows.append((shown, keys))
        self.endResetModel()

    def shown(self, row: int) -> tuple[str, ...]:
        """The texts of a row, as displayed."""
        return self._rows[row][0]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        shown, keys = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return shown[column]
        if role == SORT_ROLE:
            return keys[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == self.STATUS:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(STATUS_COLOURS[shown[column]]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#000000"))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.STATUS, 11):
            entry = self.entries[index.row()]
            if not entry.readable:
                return entry.outcome.reason
            lines = [p.message for p in entry.problems if p.severity != "info" and p.dismissed is None][:8]
            return "\n".join(lines) or "没有错误和警告"
        return None


class ResultsFilter(QSortFilterProxyModel):
    """Rows whose unit or file contains the typed text, and whose status is the one chosen."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = ALL
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self.text = text.strip()
        self.invalidateFilter()

    def set_status(self, status: str) -> None:
        self.status = status
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ResultsModel)
        shown = model.shown(row)
        if self.status != ALL and shown[ResultsModel.STATUS] != self.status:
            return False
        return not self.text or self.text in shown[0] or self.text in shown[2]


class BatchRunner(QObject):
    """Runs the batch off the window's thread and reports back by signals."""

    progressed = Signal(int, int, str)  # done, total, the file just read
    finished = Signal(object)  # BatchResult
    failed = Signal(str)

    def __init__(self, folder: Path, last_year: Path | None, expect: Path | None) -> None:
        super().__init__()
        self.folder, self.last_year, self.expect = folder, last_year, expect
        self.stop = threading.Event()

    def run(self) -> None:
        from export.batch import BatchError, run_batch
        from model.oserrors import describe, logged
        from model.shown import terminal_text

        def progress(done: int, total: int, outcome: object) -> None:
            self.progressed.emit(done, total, terminal_text(Path(getattr(outcome, "path", "")).name, one_line=True))

        try:
            result = run_batch(self.folder, last_year=self.last_year, expect=self.expect, progress=progress,
                               stop=self.stop)
        except BatchError as error:
            self.failed.emit(error.message)
            return
        except OSError as error:  # in the clerk's words; the original in the log
            logged(error, "batch")
            self.failed.emit(f"批量核对出错：{describe(error)}")
            return
        except Exception as error:  # shown to the clerk rather than lost in a thread (no class name, no English)
            logged(error, "batch")
            self.failed.emit("批量核对出错：处理文件时出现意外错误（详细情况已写入日志）")
            return
        self.finished.emit(result)


class BatchDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        # no parent: a window of its own (a dialog with a parent stays on it and is minimised with it)
        super().__init__(None, Qt.WindowType.Window)
        self.window_ = window
        self.result: BatchResult | None = None
        self.thread: QThread | None = None
        self.runner: BatchRunner | None = None
        self.setWindowTitle("批量核对 — 年报助手")
        self.setWindowIcon(window.windowIcon())
        self.resize(min(1200, window.width()), 640)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # the main window's closing ends the program
        window.installEventFilter(self)  # … and closes this one

        grid = QGridLayout()
        self.folder_edit = self._path_row(grid, 0, "本年各单位报告所在文件夹：", self._choose_folder)
        self.last_edit = self._path_row(grid, 1, "上年报告所在文件夹（可选）：", self._choose_last)
        self.expect_edit = self._path_row(grid, 2, "应报送单位名单（可选）：", self._choose_list)
        self.start_button = QPushButton("开始核对")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("停止")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        self.state = QLabel("选择文件夹后点“开始核对”。子文件夹中的报告也会核对。")

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选：单位或文件名中含有…")
        self.filter_edit.setClearButtonEnabled(True)
        self.status_box = QComboBox()
        self.status_box.addItems([ALL, "通过", "有警告", "有错误", "无法读取"])
        self.model = ResultsModel(self)
        self.proxy = ResultsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.status_box.currentTextChanged.connect(self.proxy.set_status)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((220, 50, 220, 70, 45, 45, 70, 80, 80, 80, 160)):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.setToolTip("双击一行，在窗口中打开该报告（作为导入的、尚未保存的报告）；右键可选择同一单位的多份报告中以哪一份为准")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.menu: QMenu | None = None

        self.write_button = QPushButton("写出核对结果…")
        self.write_button.clicked.connect(self.write_dialog)
        self.sum_button = QPushButton("汇总为本级报告…")
        self.sum_button.clicked.connect(self.sum_to_level)
        close_button = QPushButton("关闭")
        close_button.clicked.connect(self.close)

        run_row = QHBoxLayout()
        run_row.addWidget(self.start_button)
        run_row.addWidget(self.stop_button)
        run_row.addWidget(self.progress, 1)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("状态："))
        filter_row.addWidget(self.status_box)
        filter_row.addWidget(self.filter_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.sum_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(run_row)
        layout.addWidget(self.state)
        layout.addLayout(filter_row)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._set_running(False)
        app = QApplication.instance()
        if app is not None:  # the program may end while a batch runs: end it first (and its workers)
            app.aboutToQuit.connect(self.shut_down)

    def _path_row(self, grid: QGridLayout, row: int, label: str, choose) -> QLineEdit:  # type: ignore[no-untyped-def]
        edit = QLineEdit()
        button = QPushButton("选择…")
        button.clicked.connect(choose)
        grid.addWidget(QLabel(label), row, 0)
        grid.addWidget(edit, row, 1)
        grid.addWidget(button, row, 2)
        return edit

    def _start_folder(self) -> str:
        text = self.folder_edit.text().strip()
        if text:
            return str(Path(text).parent)
        return str(self.window_.path.parent) if self.window_.path else str(Path.home())

    def _choose_folder(self) -> None:
        folder = ask_folder(self, "选择本年各单位报告所在的文件夹", self._start_folder())
        if folder is not None:
            self.folder_edit.setText(str(folder))

    def _choose_last(self) -> None:
        folder = ask_folder(self, "选择上年报告所在的文件夹", self._start_folder())
        if folder is not None:
            self.last_edit.setText(str(folder))

    def _choose_list(self) -> None:
        path = ask_list(self, self._start_folder())
        if path is not None:
            self.expect_edit.setText(str(path))

    # ---- running ---------------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        done = self.result is not None and not running
        self.write_button.setEnabled(done)
        self.sum_button.setEnabled(done and self.result is not None and self.result.total is not None)

    def start(self) -> None:
        folder = self.folder_edit.text().strip()
        if not folder:
            dialogs.warn(self, "批量核对", "请先选择本年各单位报告所在的文件夹。")
            return
        optional = [Path(t) if (t := e.text().strip()) else None for e in (self.last_edit, self.expect_edit)]
        self.result = None
        self.model.set_result(None)
        collector.hold()  # until the thread has ended (_end_thread)
        self.runner = BatchRunner(Path(folder), optional[0], optional[1])
        self.thread = QThread(self)
        self.runner.moveToThread(self.thread)
        self.thread.started.connect(self.runner.run)
        self.runner.progressed.connect(self._progressed)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.progress.setRange(0, 0)
        self.state.setText("正在读取…")
        self._set_running(True)
        self.thread.start()

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.stop.set()
            self.state.setText("正在停止…")

    def is_running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def _progressed(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.state.setText(f"已读取 {done}/{total}" + (f"：{name}" if name else ""))

    def _end_thread(self) -> None:
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
            self.thread = None
            collector.release()
        self.runner = None

    def _show_result(self, result: BatchResult) -> None:
        """The rows as the batch orders them — status (worst first), then unit — and the sort arrow
        on 状态, which says so."""
        self.model.set_result(result)
        self.view.sortByColumn(ResultsModel.STATUS, Qt.SortOrder.AscendingOrder)

    def _finished(self, result: BatchResult) -> None:
        self._end_thread()
        self.result = result
        self._show_result(result)
        counts = "，".join(f"{status} {n}" for status, n in result.counts().items())
        text = f"{result.year or ''}年度：共 {len(result.entries)} 份报告（{counts}），用时 {result.elapsed:.1f} 秒"
        if result.interrupted:
            text = "已停止：只核对了部分文件。" + text
        if result.expected is not None:
            missing = [x.name for x in result.expected if x.situation == "未报送"]
            text += f"；未报送 {len(missing)} 个单位" + (f"（{'、'.join(missing[:5])}{'等' if len(missing) > 5 else ''}）" if missing else "")
        if result.level is not None:
            text += f"；本级报告与下级合计有 {len(result.differences)} 处不同" if result.differences else "；本级报告与下级合计相同"
        if result.skipped:
            text += f"；另有 {len(result.skipped)} 个文件未核对（如压缩包，见核对结果的问题清单）"
        self.state.setText(text)
        self.progress.setRange(0, max(1, result.files))
        self.progress.setValue(result.files if not result.interrupted else self.progress.value())
        self._set_running(False)

    def _failed(self, message: str) -> None:
        self._end_thread()
        self.state.setText(message)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._set_running(False)
        dialogs.warn(self, "批量核对", message)

    def shut_down(self) -> None:
        """Stop a running batch and wait for it (its workers end with it)."""
        if self.is_running():
            self.stop()
            self._end_thread()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.shut_down()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The main window closed (hidden, not minimised — that hide is the window system's): close too."""
        if watched is self.window_ and event.type() == QEvent.Type.Hide and not event.spontaneous():
            self.close()
        return super().eventFilter(watched, event)

    # ---- what to do with the results ---------------------------------------------------------
    def entry_at(self, proxy_row: int) -> Entry:
        return self.model.entries[self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row()]

    def _double_clicked(self, index: QModelIndex) -> None:
        self.open_entry(self.entry_at(index.row()))

    def open_entry(self, entry: Entry) -> bool:
        """Open a report of the batch in the window, as an imported report not yet saved (saving asks
        where: the unit's own file is never overwritten), with last year's report attached when the
        batch matched one."""
        from export.batch_read import read_report
        from export.importing import ImportFailed
        from model.store import StoreError

        if not entry.readable:
            dialogs.warn(self, "无法读取", f"“{entry.rel}”无法读取：{entry.outcome.reason}")
            return False
        if not self.window_.maybe_save():
            return False
        try:
            report, problems = read_report(Path(entry.outcome.path))
            if entry.last is not None:
                last, _ = read_report(Path(entry.last.path))
                report.last_year = last.baseline()
        except (ImportFailed, StoreError) as error:
            dialogs.warn(self, "无法打开", error.message)
            return False
        except OSError as error:  # (moved or locked since the batch read it) in the clerk's words
            from model.oserrors import describe, logged

            logged(error, f"open {entry.rel}")
            dialogs.warn(self, "无法打开", f"无法打开“{entry.rel}”：{describe(error)}")
            return False
        self.window_.open_imported(report, problems)  # like an import: clean until edited, saving asks where
        self.window_.statusBar().showMessage(f"已打开“{entry.rel}”（尚未保存：保存时请另选位置）", 15000)
        self.window_.raise_()
        self.window_.activateWindow()
        return True

    def write_dialog(self) -> None:
        if self.result is None:
            return
        suggested = self.result.folder.parent / f"{self.result.year or ''}年度报告核对结果.xlsx"
        path = dialogs.ask_save_path(self, "写出核对结果", suggested, "Excel 工作簿 (*.xlsx)", ".xlsx")
        if path is not None:
            self.write_workbook(path)

    def write_workbook(self, path: Path) -> bool:
        from export.batch_workbook import write_result
        from model.store import StoreError

        assert self.result is not None
        try:
            write_result(self.result, path)
        except StoreError as error:
            dialogs.warn(self, "写出失败", error.message)
            return False
        self.state.setText(f"核对结果已写入：{path}")
        return True

    def _context_menu(self, pos: QPoint) -> None:
        from export.batch import DUPLICATE

        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        entry = self.entry_at(index.row())
        self.menu = QMenu(self)
        open_action = self.menu.addAction("打开报告")
        open_action.triggered.connect(lambda: self.open_entry(entry))
        prefer = self.menu.addAction("以此为准（同一单位报送了多份时，汇总和核对以这一份为准）")
        prefer.setEnabled(entry.role == DUPLICATE)
        prefer.triggered.connect(lambda: self.prefer(entry))
        self.menu.popup(self.view.viewport().mapToGlobal(pos))

    def prefer(self, entry: Entry) -> bool:
        """以此为准: this report counts for its unit; the sum, the 本级 comparison and the list follow."""
        from export.batch import choose_version

        if self.result is None or not choose_version(self.result, entry):
            return False
        self._show_result(self.result)
        self.state.setText(f"已改为以“{entry.rel}”为准；汇总和核对结果已随之更新")
        return True

    def sum_to_level(self) -> bool:
        """The units of the batch's year added up and opened as the start of the 本级 report, after
        the clerk has seen what is left out and what stands in the way — the same reasons `nianbao sum`
        refuses for, which the clerk accepts here by confirming."""
        from export.batch_plan import plan_sum
        from export.batch_sum import SumRefused

        if self.result is None:
            return False
        archives = [self.result.relative(a.path) for a in self.result.archives]
        try:
            plan = plan_sum(self.result.entries, year=self.result.year, archives=archives)
        except SumRefused as error:
            dialogs.warn(self, "无法汇总", error.message)
            return False
        report = plan.report
        assert report is not None
        lines = []
        if plan.reasons:
            lines.append("请注意：")
            lines += [f"{n}. {reason.text}。" for n, reason in enumerate(plan.reasons, 1)]
            lines.append("")
        agency = report.meta.agency or "未能确定，请在“基本信息”中填写"
        source = f"，取自{plan.agency_from}" if plan.agency_from else ""
        lines.append(f"把 {len(plan.used)} 个单位的{report.meta.year}年度报告逐格相加，作为本级报告的起点"
                     f"（机关名称：{agency}{source}）。")
        if plan.left_out:
            lines.append("不计入：" + "；".join(f"{item.name}（{item.why}）" for item in plan.left_out[:12])
                         + ("等" if len(plan.left_out) > 12 else ""))
        lines.append("现行有效件数等存量不相加，正文和成文日期需另行填写。")
        lines.append("仍要汇总并打开为一份新报告（尚未保存）吗？" if plan.reasons else "打开为一份新报告（尚未保存）吗？")
        if not dialogs.confirm(self, "汇总为本级报告", "\n".join(lines)) or not self.window_.maybe_save():
            return False
        self.window_.set_report(report, None, saved=False)
        self.window_.statusBar().showMessage(f"已汇总 {len(plan.used)} 个单位的报告，请填写正文并保存", 15000)
        self.window_.raise_()
        return True


def open_batch_dialog(window: MainWindow) -> BatchDialog:
    """Show the window's batch dialog (one per window, kept with its results while the window lives)."""
    dialog = getattr(window, "_batch_dialog", None)
    if dialog is None:
        dialog = BatchDialog(window)
        window._batch_dialog = dialog  # type: ignore[attr-defined]
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
