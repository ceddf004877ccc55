"""Running out of memory in a command: one Chinese line on stderr and exit 2, never a traceback."""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap

import pytest

import cli
from tests.conftest import ROOT


def test_a_memory_error_is_one_chinese_line(capsys):
    def command(_args: argparse.Namespace) -> int:
        raise MemoryError

    assert cli._run_command(command, argparse.Namespace(command="import")) == cli.EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", cli.OUT_OF_MEMORY + "\n")
    assert cli.OUT_OF_MEMORY == "操作失败：内存不足，未能完成（文件可能过大或内容异常）。"


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX")
def test_memory_really_exhausted_under_a_cap():
    """A command that fills a process capped at 512 MB: the memory is given back before the message is written."""
    program = textwrap.dedent("""
        import argparse, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (512 * 1024 * 1024,) * 2)
        import cli

        def command(_args):
            held = []
            while True:
                held.append(bytearray(8 * 1024 * 1024))

        sys.exit(cli._run_command(command, argparse.Namespace(command="import")))
    """)
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)})
    assert (done.returncode, done.stdout, done.stderr) == (2, "", cli.OUT_OF_MEMORY + "\n")
