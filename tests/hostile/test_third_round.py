"""What a fresh attacker found on main after the second round (issue 12), each as it is answered now: the
nesting count of a .nianbao linear (it retried a string pattern from every quote), texts beyond the reading
limits refused at the load and the save, a file name that is not UTF-8 logged without a logging error, an
export never onto a report's .bak, a command never writing its result over the file it reads, output names
escaped on the terminal."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import FIXTURES, run_cli
from tests.hostile import cases

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")

REFUSED = {
    '160 KB of \\" pairs': "无法打开“quotes.nianbao”：文件已损坏或不完整（第1行第1列无法解析），文件未被改动",
    "19 MB of escaped line ends in one string": "无法打开“escapes.nianbao”：文件内容不是年报助手的报告",
    "a section of 9.85·10⁶ line ends": "无法打开“lines.nianbao”：正文的文字过多（共 9,850,000 字，最多 4,000,000 字）",
    "last year's section of 2.1·10⁵ lines": "无法打开“lastlines.nianbao”：上年正文的段落过多（共 210,000 段，最多 200,000 段）",
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_each_report_file_attack(name, worker, tmp_path):
    path = cases.LOAD_CASES[name](tmp_path)
    answer = worker.run("check", str(path))
    assert (answer.code, answer.stderr.splitlines()[0]) == (2, REFUSED[name])
    assert answer.seconds < 5, answer.seconds  # the quotes took over 60 s, the escapes 929 MB
    assert answer.peak_mb < 250, answer.peak_mb


def test_a_report_holding_more_text_than_a_file_may_is_not_saved(tmp_path):
    from model import store

    report = store.load(FIXTURES / "distinct_2026.nianbao")
    report.text = dict.fromkeys(report.text, "")
    report.text["overview"] = "一\n" * 200_001
    with pytest.raises(store.StoreError) as refused:
        store.save(report, tmp_path / "x.nianbao")
    assert refused.value.message == ("无法保存“x.nianbao”：报告中有无法保存的内容（正文的段落过多（共 200,001 段，最多 200,000 段））。"
                                     "请修改该处后再保存。")
    assert not (tmp_path / "x.nianbao").exists()
    report.text["overview"] = "一\n" * 200_000  # at the bound: saved and loaded again
    store.save(report, tmp_path / "x.nianbao")
    assert store.load(tmp_path / "x.nianbao").text["overview"] == "一\n" * 200_000


def test_a_missing_file_named_in_gbk_is_one_chinese_line(tmp_path):
    import os

    name = "年报.nianbao".encode("gbk")  # as names come out of zips and USB sticks: not UTF-8
    result = run_cli("check", os.fsdecode(os.path.join(os.fsencode(tmp_path), name)))
    assert result.returncode == 2
    lines = result.stderr.decode("utf-8", "backslashreplace").splitlines()
    assert len(lines) == 1 and "无法打开" in lines[0], lines  # (it was 35 lines of "--- Logging error ---" first)


def test_an_export_never_replaces_a_reports_backup(tmp_path):
    import shutil

    report = tmp_path / "R.nianbao"
    shutil.copy(FIXTURES / "distinct_2026.nianbao", report)
    backup = tmp_path / "R.nianbao.bak"
    backup.write_bytes(report.read_bytes())
    result = run_cli("export", str(report), "--docx", str(backup))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").startswith("不能导出到“R.nianbao.bak”：这是年报助手的报告文件")
    assert backup.read_bytes() == report.read_bytes()
    for name in ("Other.nianbao.", "Other.nianbao ", "Other.NIANBAO.bak. "):  # what Windows saves as a report's name
        result = run_cli("export", str(report), "--docx", str(tmp_path / name))
        assert result.returncode == 2 and "这是年报助手的报告文件" in result.stderr.decode("utf-8"), name


def test_a_command_never_writes_over_the_file_it_reads(tmp_path):
    import shutil

    last = tmp_path / "R.nianbao"
    shutil.copy(FIXTURES / "distinct_2026.nianbao", last)
    before = last.read_bytes()
    result = run_cli("new-year", str(last), "-o", str(last), "--force")
    assert (result.returncode, result.stderr.decode("utf-8").strip()) == (
        2, f"“{last}”就是要读取的文件，不能用结果覆盖它；请换一个输出文件名。")
    assert last.read_bytes() == before
    source = tmp_path / "src.txt"
    source.write_bytes((FIXTURES / "chengbu_commerce_2019.txt").read_bytes())
    result = run_cli("import", str(source), "-o", str(source), "--force")
    assert result.returncode == 2 and source.read_bytes() == (FIXTURES / "chengbu_commerce_2019.txt").read_bytes()


def test_word_and_excel_never_into_one_file(tmp_path):
    import shutil

    report = tmp_path / "R.nianbao"
    shutil.copy(FIXTURES / "distinct_2026.nianbao", report)
    result = run_cli("export", str(report), "--docx", str(tmp_path / "x.docx"), "--xlsx", str(tmp_path / "x.docx"))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").startswith("--docx 和 --xlsx 是同一个文件")
    assert not (tmp_path / "x.docx").exists()


def test_output_names_are_escaped_on_the_terminal(tmp_path):
    import shutil

    report = tmp_path / "R.nianbao"
    shutil.copy(FIXTURES / "distinct_2026.nianbao", report)
    target = tmp_path / "a\x1b[2J\x07.docx"
    result = run_cli("export", str(report), "--docx", str(target))
    assert result.returncode in (0, 1), result.stderr
    shown = result.stdout.decode("utf-8")
    assert "\x1b" not in shown and "\x07" not in shown and "\\x1b" in shown
    assert target.is_file()
