"""Starting the window: the application, Qt's Chinese translation, crash recovery.

Recovery is offered however the program starts: with no file (every autosave a crashed window
left), with a file — a double-click, ``nianbao 报告.nianbao`` — (the autosaves of that file and of
reports never saved), and in a second window (never the autosave of a window still running).
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from gui import dialogs, error_dialog
from gui.display import missing_display
from gui.input_method import apply_input_module
from gui.main_window import MainWindow
from gui.palette import keep_light
from gui.qt_messages import install_message_handler
from gui.settings import Autosave, Settings, autosave_folder, leftover_autosaves
from model import store
from model.atomic import remove_stale_temporaries
from model.report import Report
from resources import icon
from runtime import console


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with Qt's own dialogs and buttons in Chinese (是/否/取消), Qt's messages in the
    log, unexpected errors told in a dialog, and the light palette (gui/palette.py)."""
    app = QApplication.instance()
    if app is None:
        chinese_system_dates(os.environ, sys.platform)  # before anything asks Qt for the system's locale
        install_message_handler()
        no_display = missing_display(os.environ, sys.platform)
        if no_display:
            print(no_display, file=sys.stderr)
            raise SystemExit(2)
        apply_input_module(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)))
        app = QApplication(argv if argv is not None else sys.argv[:1])
        keep_light(app)
        error_dialog.install()
    assert isinstance(app, QApplication)
    app.setApplicationName("年报助手")
    app.setOrganizationName("nianbao")
    app.setWindowIcon(QIcon(str(icon())))
    install_chinese(app)
    font = app.font()
    if font.pointSize() < 10:
        font = QFont(font)
        font.setPointSize(10)
        app.setFont(font)
    return app


def chinese_system_dates(environ: MutableMapping[str, str], platform: str) -> bool:
    """Dates in Chinese where Qt writes them in the system's locale rather than the default one set
    by install_chinese (the file dialog's 修改日期 column: "2 Dec 2026" on a system in English or C).

    On Linux Qt reads that locale from the environment, once: it is read here with LC_TIME set to
    Chinese, and the environment is put back for the programs we start (LibreOffice). Windows and a
    system already in Chinese keep their own. True when it was set here."""
    current = environ.get("LC_ALL") or environ.get("LC_TIME") or environ.get("LANG") or ""
    if platform in ("win32", "darwin") or current.startswith("zh"):
        return False
    saved = {name: environ.get(name) for name in ("LC_ALL", "LC_TIME")}
    environ.pop("LC_ALL", None)
    environ["LC_TIME"] = "zh_CN.UTF-8"
    try:
        QLocale.system()  # Qt keeps the system locale it reads first
    finally:
        for name, value in saved.items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value
    return True


def install_chinese(app: QApplication) -> bool:
    if getattr(app, "_nianbao_translator", None) is not None:
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        app._nianbao_translator = translator  # type: ignore[attr-defined]
        return True
    return False


def offer_recovery(window: MainWindow, path: Path | None = None, *, every: bool = True) -> bool:
    """After a crash, offer the leftover autosaves, newest first; True when one was restored.

    ``every``: all of them (a start with no file); otherwise those of ``path`` and of reports never
    saved (a start with a file, or a file opened later: only the autosaves of ``path``).
    """
    for autosave in leftover_autosaves(exclude=window.autosave_id):
        if not every and not (autosave.is_for(path) or autosave.source is None):
            continue
        try:
            report = store.load(autosave.report_path)
        except store.StoreError as error:
            dialogs.warn(window, "无法恢复", error.message)
            continue
        if not dialogs.ask_restore(window, recovery_question(autosave, report)):
            autosave.report_path.unlink(missing_ok=True)
            autosave.record_path.unlink(missing_ok=True)
            continue
        window.set_report(report, Path(autosave.source) if autosave.source else None, saved=False)
        if autosave.folder and window.path is None:
            window.folder_hint = Path(autosave.folder)  # where its Save As opens: beside the file it came from
        autosave.report_path.unlink(missing_ok=True)
        autosave.record_path.unlink(missing_ok=True)
        window.autosave()
        return True
    return False


def recovery_question(autosave: Autosave, report: Report) -> str:
    """Which report, from where, saved when: "上次关闭前有一份尚未保存过的新报告：示例县交通运输局2026年度报告，…"."""
    what = f"{report.meta.agency.strip() or '未填机关名称的'}{report.meta.year}年度报告"
    if autosave.source:
        head = f"上次关闭前，{what}有未保存的修改（原文件：{autosave.source}）"
    else:
        head = f"上次关闭前有一份尚未保存过的新报告：{what}"
    return f"{head}，自动保存于 {autosave.written:%Y年%m月%d日 %H:%M}。\n是否恢复？"


def _tidy(path: Path | None) -> None:
    """Remove what killed saves left: temporary files in the autosave folder and beside the report."""
    for folder in (autosave_folder(), path.parent if path else None):
        if folder is not None:
            remove_stale_temporaries(folder)


def open_window(path: Path | None = None) -> MainWindow:
    """What `nianbao [FILE]` does before the event loop: the window is shown with the report at once;
    the checks, the recent-files list and the crash-recovery offer follow its first paint."""
    application()
    report = None
    requested = path
    if path is not None:
        try:
            report = store.load(path)
        except store.StoreError as error:
            dialogs.warn(None, "无法打开", error.message)
            path = None
    window = MainWindow(Settings.load(), report, path, defer_checks=True)
    window.show()
    if report is not None:
        window.when_shown(lambda: _remember(window, path))
    # the file asked for, even when it could not be opened: its autosave may be all that is left
    window.when_shown(lambda: offer_recovery(window, requested, every=requested is None))
    window.when_shown(lambda: _tidy(requested))
    return window


def _remember(window: MainWindow, path: Path | None) -> None:
    if path is not None:
        window.settings.add_recent(path)
        window.settings.save()


def run(path: Path | None = None) -> int:
    window = open_window(path)  # held here while the event loop runs
    app = QApplication.instance()
    assert app is not None and window is not None
    console.window_shown()
    return app.exec()
