"""Unexpected errors are logged with their traceback and told once, in Chinese."""

from __future__ import annotations

import sys
import threading

import pytest

from runtime import crash, logfile, notice


@pytest.fixture
def told(monkeypatch):
    """The tellers replaced by a recorder (as the window's dialog would be)."""
    monkeypatch.setattr(crash, "_tellers", [])
    monkeypatch.setattr(crash, "_seen", crash.Counter())
    logfile.start_logging()
    texts: list[str] = []
    crash.add_teller(lambda text: texts.append(text) or True)
    return texts


def _raise_and_handle(error: Exception) -> None:
    try:
        raise error
    except Exception:
        crash.handle(*sys.exc_info())


def _log() -> str:
    logfile.flush()
    return logfile.log_path().read_text(encoding="utf-8")


def test_an_error_is_logged_with_its_traceback_and_told_in_chinese(told):
    _raise_and_handle(KeyError("art20_1"))
    assert "Traceback (most recent call last)" in _log() and "KeyError: 'art20_1'" in _log()
    [text] = told
    assert text.startswith("年报助手遇到意外错误，刚才的操作没有完成。")
    assert str(logfile.log_path()) in text and "技术信息：KeyError: 'art20_1'" in text


def test_the_same_error_repeating_is_told_once_and_logged_a_few_times(told):
    for _ in range(10):
        _raise_and_handle(ValueError("paint"))
    assert len(told) == 1
    assert _log().count("ValueError: paint") == crash.LOGGED_AT_MOST
    assert "此后同样的错误不再记录" in _log()


def test_without_a_teller_the_terminal_is_told(monkeypatch, capsys):
    monkeypatch.setattr(crash, "_tellers", [])
    monkeypatch.setattr(crash, "_seen", crash.Counter())
    _raise_and_handle(RuntimeError("boom"))
    assert "年报助手遇到意外错误" in capsys.readouterr().err


def test_without_a_terminal_a_message_box_is_shown(monkeypatch):
    monkeypatch.setattr(crash, "_tellers", [])
    monkeypatch.setattr(crash, "_seen", crash.Counter())
    shown = []
    monkeypatch.setattr(notice, "show", lambda title, text, kind="information", **_: shown.append((title, kind)) or True)
    monkeypatch.setattr(sys, "stderr", None)
    _raise_and_handle(RuntimeError("boom"))
    assert shown == [(crash.TITLE, "error")]


def test_install_covers_the_main_thread_and_worker_threads(told, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash.install()
    assert sys.excepthook is crash.handle

    def work():
        raise OSError("worker failed")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert len(told) == 1 and "OSError: worker failed" in told[0]
