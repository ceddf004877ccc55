"""The windowed nianbao.exe has no stdout or stderr, and nianbao-cli's output may be piped through a
legacy code page: cli.main must neither fail nor lose what it says in either case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from runtime import console, logfile, notice
from tests.conftest import EXAMPLE, ROOT


def _run(argv: list[str]) -> int:
    """cli.main's exit status, whether it returns it or raises SystemExit (argparse) — nothing else."""
    try:
        return cli.main(argv)
    except SystemExit as exit:
        return console.exit_code(exit.code)


class Windowed(list):
    """Runs cli.main as PyInstaller's windowed program does: sys.stdout = sys.stderr = None (set in the
    test itself: pytest puts its capture back between a fixture and the test); records the message boxes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__()
        self.monkeypatch = monkeypatch
        monkeypatch.setattr(notice, "show", lambda title, text, kind="information", **_: self.append((title, text, kind)) or True)

    def run(self, argv: list[str]) -> int:
        self.monkeypatch.setattr(sys, "stdout", None)
        self.monkeypatch.setattr(sys, "stderr", None)
        return _run(argv)


@pytest.fixture
def windowed(monkeypatch: pytest.MonkeyPatch) -> Windowed:
    return Windowed(monkeypatch)


def _log() -> str:
    logfile.flush()
    return logfile.log_path().read_text(encoding="utf-8")


def test_help_in_the_windowed_program_goes_to_the_log_and_a_dialog(windowed):
    assert windowed.run(["--help"]) == 0
    assert "stdout: 用法：nianbao [-h] [--version] [--self-test] 命令 ..." in _log()
    [(title, text, kind)] = windowed
    assert title == "年报助手" and kind == "information"
    assert text.startswith("用法：nianbao") and "check" in text and "不带参数运行时打开窗口" in text


def test_two_files_dropped_on_the_icon_are_a_chinese_usage_error(windowed, tmp_path):
    first, second = tmp_path / "甲.nianbao", tmp_path / "乙.nianbao"
    first.write_text("{}", encoding="utf-8")
    second.write_text("{}", encoding="utf-8")
    assert windowed.run([str(first), str(second)]) == 2
    [(_, text, kind)] = windowed
    assert kind == "warning"
    assert text.startswith("一次只能打开一个报告文件，收到了 2 个：")
    assert str(first) in text and str(second) in text
    assert "stderr: 一次只能打开一个报告文件" in _log()


def test_an_unknown_option_is_a_usage_error_in_a_dialog(windowed):
    assert windowed.run(["--no-such-option"]) == 2
    [(_, text, kind)] = windowed
    assert kind == "warning" and "参数有误" in text and "用法：" in text


def test_check_in_the_windowed_program(windowed):
    assert windowed.run(["check", str(EXAMPLE)]) == 0
    assert "stdout: 共 0 个错误、1 个警告、0 个提示" in _log()
    [(_, text, kind)] = windowed
    assert kind == "information" and text.endswith("共 0 个错误、1 个警告、0 个提示")


def test_check_of_a_missing_file_in_the_windowed_program(windowed, tmp_path):
    assert windowed.run(["check", str(tmp_path / "无.nianbao")]) == 2
    [(_, text, kind)] = windowed
    assert kind == "warning" and "无.nianbao" in text


def test_self_test_in_the_windowed_program(windowed):
    assert windowed.run(["--self-test"]) == 0
    log = _log()
    assert "stdout: [通过] Qt 平台插件和中文翻译" in log and "stdout: 自检通过" in log
    assert "propagateSizeHints" not in "".join(text for _, text, _ in windowed)
    [(_, text, kind)] = windowed
    assert kind == "information" and text.endswith("自检通过")


def test_the_window_is_left_to_speak_for_itself(windowed, monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    console_now = console.prepare()
    logfile.start_logging()
    print("a stray line")
    console.window_shown()
    assert console.finish(console_now, 0) is False
    assert windowed == []
    assert "stdout: a stray line" in _log()


def test_no_dialog_with_a_console(monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(notice, "show", lambda *args, **kwargs: shown.append(args) or True)
    assert _run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "年报助手 nianbao 0.1.0"
    assert shown == []


# --- output through a legacy code page (nianbao-cli piped or redirected on Windows) -------------------------

def _chain_report(folder: Path) -> Path:
    """A gov-2021 report whose 现行有效 does not follow last year's: its warning has a "−" in it."""
    from model import store

    distinct = Path(os.environ.get("NIANBAO_FIXTURES", ROOT.parent / "shared" / "fixtures")) / "distinct_2026.nianbao"
    if not distinct.is_file():
        pytest.skip("needs shared/fixtures/distinct_2026.nianbao")
    data = json.loads(distinct.read_text(encoding="utf-8"))
    data["last_year"] = {"year": 2025, "format": "gov-2021", "text": {},
                         "cells": {"art20_1": {"normative_docs": {"in_force": 1}}}}
    path = folder / "链.nianbao"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    store.load(path)  # a valid report
    return path


def _cli(args: list[str], encoding: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONIOENCODING=encoding, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONUTF8", None)
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, cwd=cwd, env=env,
                          timeout=300)


@pytest.mark.parametrize("encoding", ["cp936", "cp1252"])
def test_every_command_through_a_legacy_code_page(encoding, tmp_path):
    """No UnicodeEncodeError anywhere: cp936 keeps cp936 (Chinese Windows' pipes), "−" written as "-";
    cp1252 cannot write Chinese at all, so the program writes UTF-8."""
    chain = _chain_report(tmp_path)
    for dropped in ("甲.nianbao", "乙.nianbao"):
        (tmp_path / dropped).write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        (["--help"], 0, "不带参数运行时打开窗口"),
        (["--version"], 0, "年报助手 nianbao"),
        (["check", str(chain)], 0, "本年废止"),
        (["check", str(chain), "--json"], 0, '"proactive.in_force_chain"'),
        (["export", str(EXAMPLE), "--docx", str(out / "报告.docx"), "--xlsx", str(out / "报告.xlsx")], 0, "已导出 Word 文档"),
        (["import", str(out / "报告.docx"), "-o", str(out / "导入.nianbao")], 0, "已保存"),
        (["new-year", str(EXAMPLE), "-o", str(out / "新.nianbao")], 0, "已生成 2020 年度报告"),
        (["new-year", str(EXAMPLE), "-o", str(out / "新.nianbao")], 2, "已存在"),
        (["check", str(tmp_path / "没有.nianbao")], 2, "没有.nianbao"),
        (["check"], 2, "参数有误"),
        (["chek", str(chain)], 2, "参数有误"),
        (["甲.nianbao", "乙.nianbao"], 2, "一次只能打开一个报告文件"),
        (["--self-test"], 0, "自检通过"),
    ]
    for args, expected, words in commands:
        result = _cli(args, encoding, tmp_path)
        raw = result.stdout + result.stderr
        assert b"Traceback" not in raw and b"UnicodeEncodeError" not in raw, (args, raw.decode("utf-8", "replace"))
        assert result.returncode == expected, (args, raw.decode("utf-8", "replace"))
        # --json and --self-test are UTF-8 always (spec/interfaces.md); the rest follows the stream's encoding
        utf8 = encoding == "cp1252" or "--json" in args or "--self-test" in args
        text = (result.stdout.decode("utf-8") + result.stderr.decode("utf-8")) if utf8 else \
            (result.stdout.decode(encoding) + result.stderr.decode(encoding))
        assert words in text, (args, text)
        if args[:1] == ["check"] and "--json" not in args and expected == 0:
            assert ("−本年废止" if utf8 else "-本年废止") in text
