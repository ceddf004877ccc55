"""Starting the window: the application, Qt's Chinese translation, crash recovery.

Recovery is offered however the program starts: with no file (every autosave a crashed window
left), with a file — a double-click, ``nianbao 报告.nianbao`` — (the autosaves of that file and of
reports never saved), and in a second window (never the autosave of a window still running).
"""

from __future__ import annotations

import os
import sys
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
from gui.settings import Settings, autosave_folder, leftover_autosaves
from model import store
from model.atomic import remove_stale_temporaries
from resources import icon
from runtime import console


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with Qt's own dialogs and buttons in Chinese (是/否/取消), Qt's messages in the
    log, unexpected errors told in a dialog, and the light palette (gui/palette.py)."""
    app = QApplication.instance()
    if app is None:
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
        source = f"（原文件：{autosave.source}）" if autosave.source else "（尚未保存过的新报告）"
        text = (f"上次关闭前有未保存的报告{source}，自动保存于 {autosave.written:%Y年%m月%d日 %H:%M}。\n"
                "是否恢复？")
        if not dialogs.ask_restore(window, text):
            autosave.report_path.unlink(missing_ok=True)
            autosave.record_path.unlink(missing_ok=True)
            continue
        try:
            report = store.load(autosave.report_path)
        except store.StoreError as error:
            dialogs.warn(window, "无法恢复", error.message)
            continue
        window.set_report(report, Path(autosave.source) if autosave.source else None, saved=False)
        autosave.report_path.unlink(missing_ok=True)
        autosave.record_path.unlink(missing_ok=True)
        window.autosave()
        return True
    return False


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
