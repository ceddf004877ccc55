"""The rule catalogue: complete, generated from the rules, and true to what the rules yield."""

from __future__ import annotations

import datetime as dt

from model.catalogue import catalogue, catalogue_lines, format_title, rule_info, rule_name
from model.checks import RULES
from model.report import Baseline
from tests.model.test_checks import complete, with_baseline

# spec/checks.md, every table, and the rules issue 16 added
SPEC = {
    "cell.invalid": "error", "requests.balance": "error", "requests.other_handling_share": "info",
    "meta.agency_missing": "error", "meta.format_year": "error", "meta.date": "warning", "cells.blank": "info",
    "text.empty": "error", "text.overview_length": "warning", "text.fee_statement": "warning",
    "text.stale_year": "warning", "text.stale_citation": "warning", "text.number_mismatch": "warning",
    "text.pending_upheld": "warning", "requests.carry_in": "warning", "proactive.in_force_chain": "warning",
    "proactive.items_chain": "warning", "numbers.same_as_last_year": "warning", "text.same_as_last_year": "warning",
    "text.unchanged_draft": "warning", "import.total_mismatch": "warning", "import.unsplit_total": "warning",
    "import.unreadable_cell": "warning", "import.missing": "warning", "import.extra_row": "info",
    "import.format_guess": "info",
}
ADDED = {"meta.late": "warning", "text.thin_problems": "warning", "text.similar_to_last_year": "warning",
         "text.similar_report": "warning", "numbers.jump": "info"}


def test_every_rule_once_with_the_spec_severity():
    rules = catalogue()
    assert len({info.id for info in rules}) == len(rules)
    assert {info.id: info.severity for info in rules} == SPEC | ADDED
    for info in rules:
        assert info.name and info.explanation and "\n" not in info.explanation
        assert not any(ch.isascii() and ch.isalpha() for ch in info.name), info.name  # Chinese for the clerk


def test_the_catalogue_follows_the_checks():
    assert [info for check in RULES for info in check.rules] == catalogue()[:-6]
    groups = [info.group for info in catalogue()]
    assert groups == sorted(groups, key=["本年报告", "与上年报告对照", "导入时"].index)


def test_each_check_yields_only_the_rules_it_declares():
    """Run every check over reports that raise most rules: each problem is one its check declares."""
    bad = complete()
    bad.cells[("requests", "received", "natural")] = -1
    bad.set_cells({("requests", "granted", "legal"): 5, ("requests", "other_handling.other", "natural"): 3,
                   ("appeals", "review", "pending"): 1})
    bad.set_meta(agency="", year=2020, date=dt.date(2021, 3, 1))
    bad.text.update(overview="本年度（2019年）共收到政府信息公开申请9件，均获维持。国务院令第492号" + "字" * 1000,
                    problems="无", other_matters="")
    last = complete(year=2019)
    last.set_cells({("requests", "carried_out", "natural"): 4, ("requests", "received", "natural"): 1})
    bad.set_baseline(Baseline(2019, "gov-2021", dict(last.cells), {"problems": "无", "overview": "x"}))
    bad.carried_sections.add("preamble")
    seen = set()
    for report in (bad, complete(), with_baseline(complete(), complete(year=2025))):
        for check in RULES:
            declared = {info.id: info.severity for info in check.rules}
            for problem in check(report):
                assert declared.get(problem.rule) == problem.severity, (check.__name__, problem.rule)
                seen.add(problem.rule)
    assert len(seen) >= 15


def test_lines_names_and_format_titles():
    lines = catalogue_lines()
    assert lines[0] == "【本年报告】"
    assert "requests.balance  [错误]  表三勾稽关系：表三每个申请人列：第一项加第二项之和，等于第三项（七）总计加第四项之和" in lines
    assert "numbers.jump  [提示]  数字与上年相差五倍以上：" + rule_info("numbers.jump").explanation in lines
    assert lines.count("") == 2 and "【与上年报告对照】" in lines and "【导入时】" in lines
    assert rule_name("requests.balance") == "表三勾稽关系"
    assert rule_name("no.such") == "no.such"
    assert format_title("gov-2021") == "2021年版格式（国办公开办函〔2021〕30号）"
    assert format_title("gov-2019") == "2019年版格式（试行，国办公开办函〔2019〕60号）"


def test_the_importers_problems_are_the_catalogued_ones(distinct):
    from export import importing
    from model.formats import GOV_2021

    report = distinct.copy()
    report.cells.pop(("requests", "granted", "natural"))
    for row in ("upheld", "corrected", "other", "pending"):
        report.cells.pop(("appeals", "review", row))
    made = [
        importing.unreadable(report, ("requests", "granted", "natural"), "约5", "不是数字"),
        importing.missing("表四", "appeals"),
        importing.extra_row("其他主动公开文件", ["3"], "art20_1"),
        importing.format_guess(GOV_2021, "表中有“本年制发件数”"),
        *importing.reconcile_totals(report, {("requests", "received", "total"): 1,
                                             ("appeals", "review", "total"): 7}),
    ]
    assert {p.rule for p in made} == {info.id for info in catalogue() if info.group == "导入时"}
    for problem in made:
        assert rule_info(problem.rule).severity == problem.severity, problem.rule
