"""The window's file work: new, open, save, import, last year's report, export, autosave, drops.

A mixin of ``MainWindow`` (gui/main_window.py), which supplies the report, the undo stack, the
settings and the status bar; everything here turns the clerk's file commands into model and
export calls and tells the clerk, in Chinese, what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gui import dialogs
from gui.commands import SetBaseline
from gui.settings import autosave_paths, remove_autosave, write_record
from model import store
from model.oserrors import describe, logged
from model.problems import ERROR, SEVERITY_NAMES, WARNING, Problem, summarize
from model.report import Report, default_title, new_report, reporting_year

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from export.importing import ImportResult
    from gui.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object

FILE_FILTER = "年报助手报告 (*.nianbao)"
NAMED_PROBLEMS = 3  # the export confirmation names this many errors and warnings, then counts the rest
NAMED_IMPORT_PROBLEMS = 8  # the import question lists this many problems (the box must fit a small screen)


class FileActions(_Base):
    """File, import, last-year, export and autosave commands of the main window."""

    # ---- last year's report ----------------------------------------------------------------
    def _ask_open(self, title: str, file_filter: str) -> Path | None:
        """A file to open, chosen in the folder of the open report (or of the last file used)."""
        return self.remember_folder(dialogs.ask_open_path(self, title, str(self.folder()), file_filter))

    def _ask_save(self, title: str, suggested: Path, file_filter: str, suffix: str) -> Path | None:
        return self.remember_folder(dialogs.ask_save_path(self, title, suggested, file_filter, suffix))

    def folder(self) -> Path:
        """Where a new file goes by default: beside the open report, else beside the file it was made
        from (last year's report, an imported one), else the folder last used, else the home folder."""
        if self.path is not None:
            return self.path.parent
        if self.folder_hint is not None:
            return self.folder_hint
        last = self.settings.last_folder
        return Path(last) if last and Path(last).is_dir() else Path.home()

    def remember_folder(self, path: Path | None) -> Path | None:
        """The folder of a file the clerk chose is where the next report without a place goes."""
        if path is not None and self.settings.last_folder != str(path.parent):
            self.settings.last_folder = str(path.parent)
            self.settings.save()
        return path

    def _choose_last_year(self, title: str) -> Path | None:
        from export.reading import FILE_FILTER as IMPORT_FILTER

        return self._ask_open(title, f"{FILE_FILTER};;{IMPORT_FILTER}")

    def _read_report(self, path: Path, purpose: str) -> Report | None:
        """A .nianbao as it is; a published report or a workbook through the importer (shown first),
        the import's problems kept with the report (Report.import_problems)."""
        if path.suffix.lower() == store.SUFFIX:
            try:
                return store.load(path)
            except store.StoreError as error:
                dialogs.warn(self, "无法打开", error.message)
                return None
        result = self._read_in_worker(path)
        if result is None:
            return None
        text = f"从“{path.name}”读到：\n" + import_summary(result.recognised, result.problems) + f"\n\n{purpose}"
        if not dialogs.confirm(self, "导入", text):
            return None
        return with_import_problems(result.report, result.problems)

    def _read_in_worker(self, path: Path) -> ImportResult | None:
        """The file read in a worker process within the memory and time caps, behind the 正在导入 box
        (gui/import_progress.py): whatever the file does to the reader, the open report stays as it is.
        None after telling the clerk why (or after a cancel, said in the status bar)."""
        from export.capped_import import CANCELLED, ImportRefused, ImportStopped
        from gui.import_progress import read_in_worker

        outcome = read_in_worker(self, path)
        if isinstance(outcome, ImportStopped) and outcome.kind == CANCELLED:
            self.statusBar().showMessage(f"已取消导入“{path.name}”", 8000)
            return None
        if isinstance(outcome, (ImportRefused, ImportStopped)):
            dialogs.warn(self, "无法导入", outcome.message)
            return None
        return outcome

    def import_dialog(self) -> None:
        from export.reading import FILE_FILTER as IMPORT_FILTER

        if not self.maybe_save():
            return
        path = self._ask_open("导入已发布的报告", IMPORT_FILTER)
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bool:
        report = self._read_report(path, "打开为一份新报告（尚未保存）吗？")
        if report is None:
            return False
        self.set_report(report, None)
        self.folder_hint = path.parent
        self.statusBar().showMessage(f"已导入“{path.name}”，请核对后保存", 15000)
        return True

    def open_imported(self, report: Report, problems: Sequence[Problem], *, saved: bool = True) -> None:
        """Make a report read from a published file (or a workbook) the open one, together with what
        its import found: listed under 导入时发现 in the problems panel for as long as the report is
        open, and saved with it. For the batch dialog, which has read the file already (``saved``
        as set_report has it). The clerk has been asked about the open report before."""
        self.set_report(with_import_problems(report, problems), None, saved=saved)

    def new_from_last_year_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self._choose_last_year("选择上年的报告")
        if path is not None:
            self.new_from_last_year(path)

    def new_from_last_year(self, path: Path) -> bool:
        """This year's skeleton from last year's file (or its published report): carry-over,
        baseline, texts as drafts."""
        last = self._read_report(path, "以此作为上年报告，生成本年度报告吗？")
        if last is None:
            return False
        from model.carryover import new_year

        conversion = new_year(last)
        self.set_report(conversion.report, None)
        self.folder_hint = path.parent
        text = (f"已从{last.meta.year}年度报告生成{conversion.report.meta.year}年度报告：\n"
                "· 二、上年结转已按上年“四、结转下年度继续办理”填好；其他数字需要本年填写；\n"
                "· 上年的全部数据已存入本报告，用于跨年核对。")
        if conversion.notes:
            text += "\n" + "\n".join(f"· {note}" for note in conversion.notes)
        dialogs.info(self, "从上年报告新建", text)
        return True

    def attach_last_year_dialog(self) -> None:
        path = self._choose_last_year("载入上年报告用于核对")
        if path is not None:
            self.attach_last_year(path)

    def attach_last_year(self, path: Path) -> bool:
        last = self._read_report(path, "载入为上年报告，用于跨年核对吗？")
        if last is None:
            return False
        if last.meta.year >= self.report.meta.year:
            dialogs.warn(self, "不是上年的报告", f"所选报告是{last.meta.year}年度的，本报告是{self.report.meta.year}年度的。")
            return False
        self.undo_stack.push(SetBaseline(self.report, last.baseline()))
        self.statusBar().showMessage(f"已载入{last.meta.year}年度报告用于跨年核对", 10000)
        return True

    def detach_last_year(self) -> None:
        if self.report.last_year is not None:
            self.undo_stack.push(SetBaseline(self.report, None))

    # ---- files -----------------------------------------------------------------------------
    def display_name(self) -> str:
        return self.path.name if self.path else default_title(self.report.meta.agency or "未命名机关", self.report.meta.year)

    def maybe_save(self) -> bool:
        """Ask before the current report goes away; False when the clerk cancels."""
        if not self.is_dirty():
            return True
        answer = dialogs.ask_save(self, self.display_name())
        if answer == dialogs.SAVE:
            return self.save()
        return answer == dialogs.DISCARD

    def set_report(self, report: Report, path: Path | None, *, saved: bool = True) -> None:
        """Make ``report`` the open report (a new undo history), clean until the clerk changes it.

        ``saved`` False: the report exists nowhere but in this window (a recovered autosave), so it
        counts as unsaved from the start: "*", the close prompt and autosave all apply. A new report,
        or one made from a file (opened, imported, last year's), holds nothing that would be lost.
        """
        remove_autosave(self.autosave_id)
        self.report.unsubscribe(self._on_change)
        self.report = report
        self.path = path
        self.exists_only_here = not saved
        if path is not None:
            self.folder_hint = path.parent
        for key, model in self.models.items():
            model.report = report
            model.set_layout(report.format.layouts[key])
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.result_label.clear()  # "已导出 …" spoke of the report that went
        self.statusBar().clearMessage()
        self.autosave_schedule.saved()
        self.autosave_timer.stop()
        report.subscribe(self._on_change)
        self._refresh_all()

    def new_file(self) -> None:
        if self.maybe_save():
            self.set_report(new_report(reporting_year(), self.report.meta.agency), None)

    def open_file_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self._ask_open("打开报告", FILE_FILTER)
        if path is not None:
            self.open_path(path, ask=False)

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        if ask and not self.maybe_save():
            return False
        try:
            report = store.load(path)
        except store.StoreError as error:
            dialogs.warn(self, "无法打开", error.message)
            return False
        self.set_report(report, path)
        self.settings.add_recent(path)
        self.settings.save()
        self.statusBar().showMessage(f"已打开 {path}", 8000)
        from gui.app import offer_recovery

        offer_recovery(self, path, every=False)  # a crashed window's autosave of this very file
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        suggested = self.path or self.folder() / f"{self.display_name()}.nianbao"
        path = self._ask_save("另存为", suggested, FILE_FILTER, store.SUFFIX)
        return path is not None and self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            store.save(self.report, path)
        except store.ReadOnlyFile as error:
            if dialogs.confirm(self, "文件是只读的", error.message + "\n\n要另存为其他文件吗？"):
                return self.save_as()
            return False
        except store.StoreError as error:
            dialogs.warn(self, "保存失败", error.message + "\n\n报告仍在窗口中，请换一个位置保存。")
            return False
        self.path = path
        self.folder_hint = path.parent
        self.exists_only_here = False
        self.undo_stack.setClean()
        remove_autosave(self.autosave_id)
        self.settings.add_recent(path)
        self.settings.save()
        self._update_title()
        self.statusBar().showMessage(f"已保存到 {path}", 8000)
        return True

    # ---- export ----------------------------------------------------------------------------
    def export_target(self, suffix: str) -> Path:
        """The default export file: "〈agency〉〈year〉年政府信息公开工作年度报告.docx" next to the saved file."""
        from export.docx_writer import default_export_name

        return self.folder() / default_export_name(self.report, suffix)

    def confirm_export(self, kind: str) -> bool:
        """Before an export: the errors and warnings still open, counted, the first few named.
        With errors the safe answer (取消) is the default."""
        live = [p for p in self.problems if p.dismissed is None]
        errors = [p for p in live if p.severity == ERROR]
        warnings = [p for p in live if p.severity == WARNING]
        if not errors and not warnings:
            return True
        title = "报告有错误" if errors else "报告有警告"
        text = export_summary(errors, warnings) + f"\n\n仍然导出 {kind} 吗？"
        return dialogs.confirm_export(self, title, text, default_cancel=bool(errors))

    def _export_dialog(self, kind: str, suffix: str, file_filter: str, write) -> None:  # type: ignore[no-untyped-def]
        if not self.finish_editing() or not self.confirm_export(kind):
            return
        path = self._ask_save(f"导出 {kind}", self.export_target(suffix), file_filter, suffix)
        if path is not None:
            self._export(kind, path, write)

    def _export(self, kind: str, path: Path, write) -> bool:  # type: ignore[no-untyped-def]
        try:
            store.check_export_target(path, self.path)
            write(self.report, path)
        except store.StoreError as error:
            dialogs.warn(self, "导出失败", error.message)
            self.result_label.setText(f"导出 {kind} 失败：{error.message}")
            return False
        summary = summarize(self.problems)
        remaining = "、".join(part for part in (f"{summary.errors} 个错误" if summary.errors else "",
                                                 f"{summary.warnings} 个警告" if summary.warnings else "") if part)
        self.result_label.setText(f"已导出 {kind}：{path}" + (f"（导出时仍有 {remaining}）" if remaining else ""))
        self.statusBar().clearMessage()  # the result shows at once, and stays
        return True

    def export_word_dialog(self) -> None:
        from export.docx_writer import write_docx

        self._export_dialog("Word", ".docx", "Word 文档 (*.docx)", write_docx)

    def export_word(self, path: Path) -> bool:
        from export.docx_writer import write_docx

        return self._export("Word", path, write_docx)

    def export_excel_dialog(self) -> None:
        from export.xlsx import write_xlsx

        self._export_dialog("Excel", ".xlsx", "Excel 工作簿 (*.xlsx)", write_xlsx)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.existing_recent()
        if not recent:
            action = self.recent_menu.addAction("（无）")
            action.setEnabled(False)
            return
        for i, name in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{i % 10} {name}")
            action.triggered.connect(lambda _checked=False, p=name: self.open_path(Path(p)))

    # ---- autosave --------------------------------------------------------------------------
    def autosave(self) -> None:
        """Write the unsaved report where a crash cannot take it; a failure is told at once.

        Runs a moment after the clerk stops changing the report (MainWindow.autosave_schedule) and
        says nothing when it works. The record goes first: a kill between the two leaves a record
        without a report (ignored), never an autosave nobody can find. The first failure in a row
        opens a dialog (crash recovery has stopped working); the status bar keeps saying so until
        an autosave succeeds, which it then says.
        """
        self.autosave_schedule.saved()
        self.autosave_timer.stop()
        if not self.is_dirty():
            remove_autosave(self.autosave_id)  # undone back to the saved file: nothing to recover
            return
        report_path, _record = autosave_paths(self.autosave_id)
        try:
            report_path.parent.mkdir(parents=True, exist_ok=True)
            write_record(self.autosave_id, self.path, self.folder())
            store.save(self.report, report_path, backup=False)
        except (OSError, store.StoreError) as error:
            if isinstance(error, OSError):
                logged(error, "autosave")
            message = error.message if isinstance(error, store.StoreError) else describe(error)
            self.statusBar().showMessage(f"自动保存失败：{message}")
            if not getattr(self, "_autosave_failing", False):
                self._autosave_failing = True
                dialogs.warn(self, "自动保存失败", f"{message}\n\n自动保存恢复之前，程序意外关闭时无法找回最近的修改。"
                                                  "请尽快用“保存”（Ctrl+S）保存报告。")
            return
        if getattr(self, "_autosave_failing", False):  # the failure said in the status bar is over
            self._autosave_failing = False
            self.statusBar().showMessage(f"已自动保存（{dt.datetime.now():%H:%M}）", 5000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(dropped_kind(url.toLocalFile()) for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A report (.nianbao) dropped on the window is opened; a published report or a workbook is
        imported as 文件 → 导入… does (read in a worker process, the open report asked about first)."""
        for url in event.mimeData().urls():
            local = url.toLocalFile()
            kind = dropped_kind(local)
            if kind:
                event.acceptProposedAction()
                if kind == "open":
                    self.open_path(Path(local))
                else:  # after the drop has ended: the file manager is not kept waiting while the file is read
                    from PySide6.QtCore import QTimer

                    QTimer.singleShot(0, lambda path=Path(local): self.maybe_save() and self.import_file(path))
                return


def dropped_kind(local: str) -> str | None:
    """What a file dropped on the window is for: "open" (.nianbao), "import" (a published report or a
    workbook), or None."""
    from export.reading import SUFFIXES

    name = local.lower()
    if name.endswith(store.SUFFIX):
        return "open"
    return "import" if name.endswith(SUFFIXES) else None


def with_import_problems(report: Report, problems: Sequence[Problem]) -> Report:
    """The report with ``problems`` kept as its import problems, after any it already keeps."""
    known = {p.id for p in report.import_problems}
    report.import_problems = (*report.import_problems, *(p for p in problems if p.id not in known))
    return report


def import_summary(recognised: list[str], problems: Sequence[Problem]) -> str:
    """What an import found, for the question before the report is opened: what was recognised,
    then the first problems (all of them stay listed in the problems panel, under 导入时发现)."""
    lines = [f"识别：{line}" for line in recognised]
    lines += [f"【{SEVERITY_NAMES[p.severity]}】{p.message}" for p in problems[:NAMED_IMPORT_PROBLEMS]]
    if len(problems) > NAMED_IMPORT_PROBLEMS:
        lines.append(f"……另有 {len(problems) - NAMED_IMPORT_PROBLEMS} 条（打开后在“核对结果”的“导入时发现”中列出）")
    return "\n".join(lines)


def export_summary(errors: list[Problem], warnings: list[Problem]) -> str:
    """"报告还有 2 个错误、3 个警告：" and the first few of each by name, then how many more."""
    counts = "、".join(f"{len(found)} 个{SEVERITY_NAMES[severity]}"
                      for severity, found in ((ERROR, errors), (WARNING, warnings)) if found)
    lines = [f"报告还有 {counts}（见“核对结果”）："]
    for severity, found in ((ERROR, errors), (WARNING, warnings)):
        lines += [f"【{SEVERITY_NAMES[severity]}】{p.message}" for p in found[:NAMED_PROBLEMS]]
        if len(found) > NAMED_PROBLEMS:
            lines.append(f"……另有 {len(found) - NAMED_PROBLEMS} 个{SEVERITY_NAMES[severity]}")
    return "\n".join(lines)
