"""Window fixtures: a real MainWindow, offscreen, with settings in the temporary home and dialogs recorded."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Dialogs:
    """Stands in for the message boxes: records what was shown and answers as told."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.save_answer = "cancel"
        self.confirm_answer = True
        self.reason: str | None = "已核实"
        self.restore_answer = True
        self.save_as: Path | None = None  # the file chosen in a save dialog (None: cancelled)
        self.export_default_cancel: bool | None = None  # the default button of the last export confirmation

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from gui import dialogs

        monkeypatch.setattr(dialogs, "warn", lambda parent, title, text: self.shown.append(("warn", title, text)))
        monkeypatch.setattr(dialogs, "info", lambda parent, title, text: self.shown.append(("info", title, text)))

        def confirm(parent, title, text):
            self.shown.append(("confirm", title, text))
            return self.confirm_answer

        def confirm_export(parent, title, text, *, default_cancel):
            self.shown.append(("confirm_export", title, text))
            self.export_default_cancel = default_cancel
            return self.confirm_answer

        def ask_save(parent, name):
            self.shown.append(("ask_save", name, ""))
            return self.save_answer

        def ask_reason(parent, message):
            self.shown.append(("ask_reason", message, ""))
            return self.reason

        def ask_restore(parent, text):
            self.shown.append(("ask_restore", text, ""))
            return self.restore_answer

        monkeypatch.setattr(dialogs, "confirm", confirm)
        monkeypatch.setattr(dialogs, "confirm_export", confirm_export)
        monkeypatch.setattr(dialogs, "ask_save", ask_save)
        monkeypatch.setattr(dialogs, "ask_reason", ask_reason)
        def ask_save_path(parent, title, suggested, file_filter, suffix):
            self.shown.append(("ask_save_path", title, str(suggested)))
            return None if self.save_as is None else self.save_as.with_name(self.save_as.name + suffix)

        monkeypatch.setattr(dialogs, "ask_restore", ask_restore)
        monkeypatch.setattr(dialogs, "ask_save_path", ask_save_path)

    def titles(self, kind: str) -> list[str]:
        return [title for k, title, _ in self.shown if k == kind]

    def texts(self, kind: str) -> list[str]:
        return [text for k, _, text in self.shown if k == kind]


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    dialogs = Dialogs()
    dialogs.install(monkeypatch)
    return dialogs


# a specific 五 (a line or two would be flagged as too thin)
ZERO_PROBLEMS = "问题：政策解读形式单一，图解和视频解读偏少；依申请公开答复文书不够规范。措施：每季度组织一次业务培训，统一答复文书模板。"


def zero_report(year: int = 2026):
    """A tidy gov-2021 report, every cell 0, texts filled: no problems at all."""
    from model.formats import format_for_year
    from model.report import Meta, Report

    fmt = format_for_year(year)
    report = Report(fmt.id, Meta(agency="示例县交通运输局", year=year, date=dt.date(year + 1, 1, 20)))
    for address in fmt.input_cells:
        report.cells[address] = Decimal(0) if address[2] == "amount" else 0
    report.text.update(overview=f"{year}年，我局认真贯彻落实《条例》。", problems=ZERO_PROBLEMS,
                       other_matters="本年度未收取信息处理费。")
    return report


def close_quietly(window) -> None:
    """Close a test's window without the 保存/不保存 question."""
    window.undo_stack.setClean()
    window.exists_only_here = False
    window.close()


@pytest.fixture
def make_window(qtbot, qapp, recorded, tmp_path):
    from gui.app import install_chinese
    from gui.main_window import MainWindow
    from gui.settings import Settings

    install_chinese(qapp)
    windows = []

    def make(report=None, path: Path | None = None):
        window = MainWindow(Settings.load(tmp_path / "settings.json"), report, path)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # the keyboard's shortcuts reach an active window only
        windows.append(window)
        return window

    yield make
    for window in windows:
        close_quietly(window)
