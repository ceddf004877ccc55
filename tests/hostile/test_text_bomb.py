"""A report that loads but whose text is made to hurt the rules and the writers (tests/hostile/cases.py
text_bomb): checked and exported in the capped worker (1 GiB, 30 s), within the memory a command may
reach, with at most 50 problems of a rule and the rest said in one summary each."""

from __future__ import annotations

import collections
import json
import sys
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.hostile import cases
from tests.hostile.capped import PEAK_MB, SECONDS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    return cases.text_bomb(tmp_path_factory.mktemp("bomb"))


def _within_the_caps(answer) -> None:
    assert answer.escaped is None, answer.escaped
    assert not {"MemoryError", "RecursionError"} & set(answer.logged), answer.logged
    assert answer.peak_mb < PEAK_MB, answer.peak_mb
    assert answer.seconds < SECONDS / 2, answer.seconds


def test_the_text_bomb_is_checked_within_the_caps(bomb, worker):
    assert 6_000_000 < bomb.stat().st_size < 7_000_000
    answer = worker.run("check", "--json", str(bomb))
    _within_the_caps(answer)
    assert answer.code == 0, answer.stderr  # warnings only
    result = json.loads(answer.stdout)
    rules = collections.Counter(p["rule"] for p in result["problems"])
    assert rules == {"text.stale_year": 51, "text.number_mismatch": 51, "text.overview_length": 1,
                     "requests.other_handling_share": 1}
    summaries = [p for p in result["problems"] if p["id"].split("|")[1] == "more"]
    assert [(p["id"].split("|")[0], p["message"], p["spans"]) for p in summaries] == [
        ("text.stale_year", "“年份未更新”另有49951处同类问题未列出（每类问题最多列出50处；改正上面列出的之后，其余的会依次列出）", []),
        ("text.number_mismatch", "“正文数字与表格不符”另有99950处同类问题未列出（每类问题最多列出50处；"
                                 "改正上面列出的之后，其余的会依次列出）", []),
    ]
    # 1 + 50 000 stale-year sentences, 100 000 mismatched counts (the 5000-digit ones are no count), the length
    assert result["warnings"] == 50_001 + 100_000 + 1


def test_the_text_bomb_exports_within_the_caps(bomb, worker, tmp_path):
    docx, xlsx = tmp_path / "bomb.docx", tmp_path / "bomb.xlsx"
    answer = worker.run("export", str(bomb), "--docx", str(docx), "--xlsx", str(xlsx))
    _within_the_caps(answer)
    assert answer.code == 0, answer.stderr
    forbidden = set(cases.CONTROL_CHARACTERS) - {"\t", "\n", "\r"}
    for package in (docx, xlsx):
        with zipfile.ZipFile(package) as parts:
            for name in parts.namelist():
                assert not forbidden & set(parts.read(name).decode("utf-8", errors="replace")), (package, name)
    assert sum(len(p.text) for p in Document(str(docx)).paragraphs) > 3_000_000
    checks = [row[6].value for row in load_workbook(xlsx)["校验"].iter_rows(min_row=2)]
    assert sum(1 for said in checks if said and "另有" in said and "处同类问题未列出" in said) == 2
