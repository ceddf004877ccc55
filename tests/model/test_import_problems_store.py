"""A report keeps what the import of its source found (Report.import_problems): an optional field of
the version-2 file, carried through copies and format conversions, its dismissals kept on save."""

from __future__ import annotations

import json

import pytest

from model import store
from model.carryover import convert, new_year
from model.checks import import_problems, live_dismissals
from model.formats import GOV_2019
from model.problems import WARNING, make_problem
from model.report import Meta, Report

MISMATCH = make_problem("import.total_mismatch", WARNING, "表四 行政复议 · 总计：原文合计为0，各项相加为11；已按各项重新计算合计",
                        cells=[("appeals", "review", "total")], values=["0", "11"])
EXTRA = make_problem("import.extra_row", "info", "表二：原文有格式以外的行“其他”（3），未读入", place="proactive", values=["其他", [3]])


def imported() -> Report:
    report = Report("gov-2021", Meta(agency="洪泽区人民政府", year=2023))
    report.import_problems = (MISMATCH, EXTRA)
    return report


def test_the_file_keeps_them_and_a_file_without_them_is_as_before(tmp_path):
    report = imported()
    report.dismiss(EXTRA.id, "原文的本地栏目，无需填报")
    data = json.loads(store.dumps(report))
    assert data["nianbao_file"] == 2  # an optional field of version 2, which is not yet released
    assert data["import_problems"][0] == {"rule": "import.total_mismatch", "severity": "warning",
                                          "message": MISMATCH.message, "id": MISMATCH.id,
                                          "cells": [["appeals", "review", "total"]], "sections": [], "fields": [],
                                          "spans": []}
    assert data["dismissed"] == [{"problem": EXTRA.id, "reason": "原文的本地栏目，无需填报"}]  # a kept problem's dismissal stays
    path = tmp_path / "洪泽.nianbao"
    store.save(report, path)
    again = store.load(path)
    assert again.import_problems == (MISMATCH, EXTRA) and again.content_equals(report)
    assert [p.dismissed for p in import_problems(again)] == [None, "原文的本地栏目，无需填报"]

    plain = Report("gov-2021", Meta(agency="县商务局", year=2026))
    assert "import_problems" not in json.loads(store.dumps(plain))
    assert store.loads(store.dumps(plain)).import_problems == ()


@pytest.mark.parametrize("bad, fragment", [
    ({"import_problems": {}}, "import_problems 应是一个列表"),
    ({"import_problems": [{"rule": "x", "severity": "warning", "message": "m"}]}, "import_problems 第1项应有 rule、severity、message 和 id"),
    ({"import_problems": [{"rule": "x", "severity": "fatal", "message": "m", "id": "x|y|z"}]}, "import_problems 第1项的 severity “fatal”无效"),
    ({"import_problems": [{"rule": "x", "severity": "info", "message": "m", "id": "i", "cells": [["a", "b"]]}]},
     "import_problems 第1项的 cells 应是 [表, 行, 列] 的列表"),
    ({"import_problems": [{"rule": "x", "severity": "info", "message": "m", "id": "i", "spans": [["overview", -1, 2]]}]},
     "import_problems 第1项的 spans 应是 [部分, 起, 止] 的列表"),
])
def test_a_broken_field_is_refused_by_name(bad, fragment):
    data = json.loads(store.dumps(imported()))
    data.update(bad)
    with pytest.raises(store.StoreError) as caught:
        store.loads(json.dumps(data, ensure_ascii=False), "洪泽.nianbao")
    assert fragment in caught.value.message


def test_copies_and_conversions_keep_them_next_years_report_does_not():
    report = imported()
    assert report.copy().import_problems == (MISMATCH, EXTRA)
    assert convert(report, GOV_2019).report.import_problems == (MISMATCH, EXTRA)
    assert new_year(report).report.import_problems == ()  # they speak of last year's file
    other = Report("gov-2021", Meta(year=2023))
    other.replace_content(report)
    assert other.import_problems == (MISMATCH, EXTRA)


def test_a_dismissal_of_a_problem_no_longer_kept_is_dropped():
    report = imported()
    report.dismiss(EXTRA.id, "已核实")
    assert live_dismissals(report) == {EXTRA.id: "已核实"}
    report.import_problems = (MISMATCH,)
    assert live_dismissals(report) == {}
