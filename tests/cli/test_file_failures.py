"""The command line when files will not be written: read-only targets, folders, an export onto the
report, links, permissions — exit 2 and a Chinese message, the files left as they were."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from model import store
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run
from tests.hostile.capped import _ENGLISH

REPORT = FIXTURES / "distinct_2026.nianbao"


def _fails(result, *fragments: str) -> str:
    said = result.stderr.decode("utf-8")
    assert result.returncode == 2, said
    for fragment in fragments:
        assert fragment in said
    assert "Traceback" not in said and not _ENGLISH.search(said), said
    return said


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "R.nianbao"
    path.write_bytes(REPORT.read_bytes())
    return path


def test_export_onto_the_report_itself_is_refused(report):
    before = report.read_bytes()
    _fails(run("export", str(report), "--docx", str(report)), "不能导出到“R.nianbao”", "导出会覆盖报告本身")
    _fails(run("export", str(report), "--xlsx", str(report.with_name("其他.nianbao"))), "这是年报助手的报告文件")
    assert report.read_bytes() == before
    assert sorted(p.name for p in report.parent.iterdir()) == ["R.nianbao"]


def test_read_only_targets_are_not_replaced(report, tmp_path):
    docx = tmp_path / "R.docx"
    docx.write_bytes(b"an older export")
    docx.chmod(0o444)
    old = tmp_path / "2027.nianbao"
    old.write_bytes(b"work")
    old.chmod(0o444)
    try:
        _fails(run("export", str(report), "--docx", str(docx)), "“R.docx”是只读文件，未覆盖")
        _fails(run("new-year", str(report), "-o", str(old), "--force"), "“2027.nianbao”是只读文件，未覆盖")
        _fails(run("import", str(FIXTURES / "shanghai_office_2019.html"), "-o", str(old), "--force"), "是只读文件")
        assert docx.read_bytes() == b"an older export" and old.read_bytes() == b"work"
    finally:
        docx.chmod(0o644)
        old.chmod(0o644)


def test_a_folder_or_a_missing_folder_as_the_output(report, tmp_path):
    folder = tmp_path / "out.nianbao"
    folder.mkdir()
    _fails(run("new-year", str(report), "-o", str(folder), "--force"), "这是一个文件夹，不是文件")
    _fails(run("export", str(report), "--docx", str(tmp_path / "没有" / "R.docx")), "文件夹", "不存在")
    assert list(folder.iterdir()) == []


def test_reading_a_folder_a_device_or_a_missing_file(tmp_path):
    _fails(run("check", str(tmp_path)), "这是一个文件夹，不是文件")
    _fails(run("check", str(tmp_path / "没有.nianbao")), "找不到该文件")
    if os.name == "posix":
        _fails(run("check", "/dev/zero"), "“/dev/zero”：这不是普通文件")
        _fails(run("import", "/dev/zero", "-o", str(tmp_path / "z.nianbao")), "这不是普通文件")


@pytest.mark.skipif(os.name != "posix", reason="symlinks and the umask")
def test_links_and_permissions(report, tmp_path):
    real = tmp_path / "真实" / "2027.nianbao"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "链接.nianbao"
    link.symlink_to(real)
    old_umask = os.umask(0o022)
    try:
        assert run("new-year", str(report), "-o", str(link), "--force").returncode == 0
        fresh = tmp_path / "新.nianbao"
        assert run("new-year", str(report), "-o", str(fresh)).returncode == 0
        assert run("export", str(report), "--docx", str(tmp_path / "R.docx"), "--allow-errors").returncode == 0
    finally:
        os.umask(old_umask)
    assert link.is_symlink() and store.load(real).meta.year == 2027
    for path in (fresh, tmp_path / "R.docx"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by colleagues and the web server
