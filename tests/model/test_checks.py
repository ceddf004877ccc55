"""Every rule of spec/checks.md: a case that fails it, one that passes, the message and the places."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from model.checks import run_checks
from model.formats import GOV_2019, GOV_2021
from model.formats.common import APPLICANT_KEYS
from model.problems import fingerprint, summarize, text_length
from model.report import Baseline, Meta, Report
from model.values import NA


def rules(report, rule=None):
    problems = run_checks(report)
    return [p for p in problems if p.rule == rule] if rule else problems


def complete(fmt=GOV_2021, year=None) -> Report:
    """A tidy report with every cell 0 and texts that raise nothing."""
    year = year or (2026 if fmt is GOV_2021 else 2019)
    report = Report(fmt.id, Meta(agency="示例县交通运输局", year=year, date=dt.date(year + 1, 1, 20)))
    for address in fmt.input_cells:
        report.cells[address] = Decimal(0) if address[2] == "amount" else 0
    report.text.update(
        overview=f"{year}年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，第{year - 2000}次编制年报。",
        problems=f"存在的主要问题：公开形式较为单一（第{year - 2000}次报告）。改进措施：加强培训。",
        other_matters="本年度未收取信息处理费。",
    )
    return report


def test_a_complete_report_raises_nothing():
    for fmt in (GOV_2019, GOV_2021):
        assert rules(complete(fmt)) == []


def test_distinct_fixture_has_no_errors_and_no_number_mismatch(distinct):
    problems = rules(distinct)
    assert summarize(problems).errors == 0
    assert [p.rule for p in problems if p.rule.startswith("text.")] == []
    # its only remark: （六）其他处理 3585 of 25090
    assert [p.rule for p in problems] == ["requests.other_handling_share"]


@pytest.mark.parametrize("column", APPLICANT_KEYS)
def test_changing_one_cell_of_table_three_fails_that_column(distinct, column):
    distinct.set_cell(("requests", "denied.query", column), distinct.number(("requests", "denied.query", column)) + 1)
    balance = rules(distinct, "requests.balance")
    assert len(balance) == 1
    assert balance[0].cells == tuple(("requests", row, column) for row in ("received", "carried_in", "handled_total", "carried_out"))
    assert balance[0].severity == "error"


def test_balance_message_and_identity():
    report = complete()
    report.set_cell(("requests", "received", "natural"), 5)
    report.set_cell(("requests", "granted", "natural"), 4)
    (problem,) = rules(report, "requests.balance")
    assert problem.message == "自然人列：第一项+第二项=5，第三项（七）总计+第四项=4，相差1"
    assert problem.id == (
        "requests.balance|requests.carried_in.natural+requests.carried_out.natural+"
        "requests.handled_total.natural+requests.received.natural|" + fingerprint(["5", "0", "4", "0"])
    )
    report.set_cell(("requests", "carried_out", "natural"), 1)
    assert rules(report, "requests.balance") == []


def test_blank_and_not_applicable_count_as_zero():
    report = complete()
    report.set_cell(("requests", "received", "legal"), None)
    report.set_cell(("requests", "granted", "legal"), NA)
    assert rules(report, "requests.balance") == []
    report.set_cell(("requests", "carried_in", "legal"), 2)
    (problem,) = rules(report, "requests.balance")
    assert problem.message == "法律服务机构列：第一项+第二项=2，第三项（七）总计+第四项=0，相差2"


def test_cell_invalid():
    report = complete()
    report.cells[("requests", "received", "natural")] = -3  # as a file can hold it
    report.cells[("art20_8", "fees", "amount")] = Decimal("1.1234567")
    invalid = rules(report, "cell.invalid")
    assert [p.cells for p in invalid] == [(("art20_8", "fees", "amount"),), (("requests", "received", "natural"),)]
    assert invalid[1].message == "表三 一、本年新收政府信息公开申请数量 · 自然人：「-3」是负数：此格应填写0 到 999999999999 之间的整数"
    assert "表二 第二十条第（八）项 行政事业性收费 · 本年收费金额（单位：万元）：「1.1234567」小数位太多" in invalid[0].message
    assert all(p.severity == "error" for p in invalid)


def test_other_handling_share():
    report = complete()
    report.set_cells({("requests", "received", "natural"): 10, ("requests", "granted", "natural"): 8,
                      ("requests", "other_handling.other", "natural"): 2})
    (problem,) = rules(report, "requests.other_handling_share")
    assert problem.severity == "info"
    assert problem.message == "（六）其他处理2件，占（七）总计10件的20.0%，超过10%（上级机关会关注此项）"
    assert ("requests", "handled_total", "total") in problem.cells
    report.set_cells({("requests", "granted", "natural"): 9, ("requests", "other_handling.other", "natural"): 1})
    assert rules(report, "requests.other_handling_share") == []  # exactly 10 % is not more than 10 %


def test_meta_rules():
    report = complete()
    report.set_meta(agency="  ")
    (agency,) = rules(report, "meta.agency_missing")
    assert (agency.fields, agency.severity) == (("agency",), "error")
    report.set_meta(agency="某局", year=2020)
    (fmt,) = rules(report, "meta.format_year")
    assert fmt.message == "2020年度的报告应使用2019年版格式（试行），当前使用的是《中华人民共和国政府信息公开工作年度报告格式》"
    old = complete(GOV_2019)
    old.set_meta(year=2022, date=dt.date(2023, 1, 5))
    assert "2022年度的报告应使用2021年版格式" in rules(old, "meta.format_year")[0].message
    report.set_meta(year=2026, date=dt.date(2026, 12, 31))
    (date,) = rules(report, "meta.date")
    assert date.message == "成文日期2026年12月31日不在报告年度（2026年）结束之后"
    report.set_meta(date=dt.date(2028, 1, 2))
    assert "超过一年" in rules(report, "meta.date")[0].message
    report.set_meta(date=dt.date(2027, 12, 31))
    assert rules(report, "meta.date") == []
    report.set_meta(date=None)
    assert rules(report, "meta.date")[0].message == "未填写成文日期"


def test_blank_cells_listed_once():
    report = complete()
    report.set_cells({("requests", "received", "natural"): None, ("appeals", "review", "upheld"): None})
    (problem,) = rules(report, "cells.blank")
    assert problem.severity == "info"
    assert problem.message == "2个格子未填写，导出Word时按0打印"
    assert set(problem.cells) == {("requests", "received", "natural"), ("appeals", "review", "upheld")}
    assert problem.id.startswith("cells.blank|report|")
    report.set_cell(("requests", "received", "natural"), NA)
    assert len(rules(report, "cells.blank")[0].cells) == 1


def test_text_empty():
    report = complete()
    report.set_text("problems", " \n ")
    (problem,) = rules(report, "text.empty")
    assert (problem.sections, problem.severity) == (("problems",), "error")
    assert problem.message == "“五、存在的主要问题及改进情况”尚未填写"
    report.set_text("preamble", "")
    assert len(rules(report, "text.empty")) == 1  # the preamble is optional


def test_overview_length_counts_without_white_space():
    report = complete()
    report.set_text("overview", "字" * 1000 + " \n　" * 50)
    assert text_length(report.text["overview"]) == 1000
    assert rules(report, "text.overview_length") == []
    report.set_text("overview", "字" * 1001)
    (problem,) = rules(report, "text.overview_length")
    assert problem.message == "总体情况共1001字，超过格式要求的“原则上不超过一千字”"
    old = complete(GOV_2019)
    old.set_text("overview", "字" * 2000)
    assert rules(old, "text.overview_length") == []


def test_fee_statement():
    report = complete()
    report.set_text("other_matters", "无其他需要报告的事项。")
    (problem,) = rules(report, "text.fee_statement")
    assert problem.sections == ("other_matters",)
    for ok in ("本年度未收取信息处理费。", "本机关未收取处理费。"):
        report.set_text("other_matters", ok)
        assert rules(report, "text.fee_statement") == []
    old = complete(GOV_2019)
    old.set_text("other_matters", "无其他需要报告的事项。")
    assert rules(old, "text.fee_statement") == []


STALE = [
    "2025年，我局认真贯彻落实《条例》。",
    "一年来工作扎实。2025年，我局共主动公开信息100条。",
    "2025年度，我局进一步完善制度。",
    "本年度（2025年）共收到申请3件。",
    "本报告中所列数据的统计期限自2025年1月1日起至2025年12月31日止。",
    "数据截至2025年12月31日。",
    "现将本局2025年度政府信息公开工作年度报告公布如下。",
    "2025年全年，我局共收到申请3件。",
]
NOT_STALE = [
    "主动公开信息数量较2025年增长10%。",
    "比2025年度减少3件。",
    "2027年，我局将进一步完善工作机制。",  # plans for next year
    "自2019年以来，我局持续推进公开工作。",
    "公开了2025年度部门决算和2026年部门预算。",
    "按照《2025年政府信息公开工作年度报告》指出的问题整改。",
    "2026年，我局认真贯彻落实《条例》。",
    "本报告中所列数据的统计期限自2026年1月1日起至2026年12月31日止。",
    "《条例》于2019年5月15日起施行。",
]


@pytest.mark.parametrize("sentence", STALE)
def test_stale_year_found(sentence):
    report = complete()
    report.set_text("overview", "我局重视公开工作。\n" + sentence)
    problems = rules(report, "text.stale_year")
    assert problems, sentence
    for problem in problems:
        (key, start, end), = problem.spans
        assert key == "overview"
        assert report.text["overview"][start:end] == "2025"
        assert "把2025年当作本年度来写，本报告是2026年度的" in problem.message


@pytest.mark.parametrize("sentence", NOT_STALE)
def test_stale_year_not_raised(sentence):
    report = complete()
    report.set_text("overview", sentence)
    assert rules(report, "text.stale_year") == []


def test_stale_year_on_real_carried_prose(example, distinct):
    # the seed's 2019 text is right in 2019 …
    assert rules(example, "text.stale_year") == []
    # … and stale when carried into 2020
    example.set_meta(year=2020, date=dt.date(2021, 1, 20))
    stale = rules(example, "text.stale_year")
    assert {p.sections for p in stale} == {("overview",), ("problems",)}
    assert len(stale) == 3  # "2019年，在县委…", "2019年，我局累计…", "2019年，我局在开展…"
    # distinct's texts speak of 2026 and plan 2027: nothing stale
    assert rules(distinct, "text.stale_year") == []


def test_stale_citation():
    report = complete()
    report.set_text("preamble", "根据《中华人民共和国政府信息公开条例》（国务院令第492号）和《政府信息公开工作年度报告格式（试行）》编制。")
    problems = rules(report, "text.stale_citation")
    assert [report.text["preamble"][s:e] for p in problems for _k, s, e in p.spans] == ["国务院令第492号", "格式（试行）"]
    old = complete(GOV_2019)
    old.set_text("preamble", "根据《年度报告格式（试行）》编制。")
    assert rules(old, "text.stale_citation") == []
    report.set_text("preamble", "根据《中华人民共和国政府信息公开条例》（国务院令第711号）编制。")
    assert rules(report, "text.stale_citation") == []


def test_number_mismatch_statements(distinct):
    cases = [
        ("全年共收到政府信息公开申请25054件。", ("requests", "received", "total"), "25053"),
        ("结转下年度继续办理1195件。", ("requests", "carried_out", "total"), "1196"),
        ("本年度被申请行政复议648件。", ("appeals", "review", "total"), "647"),
        ("现行有效行政规范性文件4000件。", ("art20_1", "normative_docs", "in_force"), "4036"),
    ]
    for sentence, cell, actual in cases:
        distinct.set_text("overview", sentence)
        (problem,) = rules(distinct, "text.number_mismatch")
        assert cell in problem.cells
        assert problem.message.endswith(f"为{actual}")
        (key, start, end), = problem.spans
        stated = distinct.text[key][start:end]
        assert stated.isdigit() and sentence.index(stated + "件") == start
    distinct.set_text("overview", "全年共收到政府信息公开申请25053件，结转下年度继续办理1196件，行政复议647件，"
                                  "现行有效行政规范性文件4036件。")
    assert rules(distinct, "text.number_mismatch") == []


def test_number_mismatch_says_nothing_when_unsure(distinct):
    for sentence in ("主动公开政府信息326条。", "其中自然人申请4322件。", "另有72件申请顺延到下年度答复。",
                     "较上年增长12件。", "现行有效文件4000件。"):
        distinct.set_text("overview", sentence)
        assert rules(distinct, "text.number_mismatch") == [], sentence


def shanghai_report(fixtures_dir) -> Report:
    """The hand-checked numbers of the Shanghai page, as a report (blank cells stay blank)."""
    truth = json.loads((fixtures_dir / "shanghai_office_2019.truth.json").read_text(encoding="utf-8"))
    report = Report("gov-2019", Meta(agency=truth["agency"], year=2019, date=dt.date(2020, 3, 20)))
    table = GOV_2019.table("requests")
    by_label = {row.label: row.key for row in table.rows}
    for label, values in truth["table3"].items():
        row = by_label[label.split("/")[-1]]
        if table.is_derived(row, "natural"):
            continue
        for col, value in zip(APPLICANT_KEYS, values[:6], strict=True):
            if value is not None:
                report.cells[("requests", row, col)] = value
    appeals = [(r, c) for r in ("review", "suit_direct", "suit_after_review") for c in ("upheld", "corrected", "other", "pending", "total")]
    for (row, col), value in zip(appeals, truth["table4"], strict=True):
        if col != "total" and value is not None:
            report.cells[("appeals", row, col)] = value
    return report


# sentences verbatim from the Shanghai page (fixtures/shanghai_office_2019.html)
SHANGHAI = (
    "市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落12.3%；答复政府信息公开申请805件"
    "（含上年度结转申请18件，另有72件申请按照《条例》顺延到下年度答复），均在法定期限内予以答复。"
    "予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件，占32.9%；"
    "不予处理158件，占19.6%；其他处理0件。信息公开类行政复议7件，诉讼9件，均获维持，"
    "继续保持了省级政府零败诉的记录。"
)


def test_shanghai_narrative_against_its_tables(fixtures_dir):
    report = shanghai_report(fixtures_dir)
    assert rules(report, "requests.balance") == []
    report.set_text("overview", SHANGHAI)
    mismatches = {report.text["overview"][s:e]: p.message for p in rules(report, "text.number_mismatch") for _k, s, e in p.spans}
    # 受理859 = 一 总计; 答复805 = （七）总计; 上年度结转18; 不予公开35; 其他处理0; 复议7; 诉讼9 agree.
    # The page's 258 (予以公开及部分公开: 272 + 3 = 275), 265 (无法提供: 337) and 158 (不予处理: 158 ✓) — two disagree.
    assert set(mismatches) == {"258", "265"}
    assert mismatches["258"].endswith("（一）予以公开与（二）部分公开之和为275")
    assert mismatches["265"].endswith("（四）无法提供（总计）为337")
    (upheld,) = rules(report, "text.pending_upheld")
    assert "均获维持" in upheld.message and "尚未审结3件" in upheld.message
    assert set(upheld.cells) == {("appeals", "review", "pending"), ("appeals", "suit_direct", "pending")}


def test_pending_upheld_needs_pending_or_corrected():
    report = complete()
    report.set_text("overview", "行政复议2件，均获维持。")
    report.set_cell(("appeals", "review", "upheld"), 2)
    assert rules(report, "text.pending_upheld") == []
    report.set_cell(("appeals", "review", "corrected"), 1)
    (problem,) = rules(report, "text.pending_upheld")
    assert problem.cells == (("appeals", "review", "corrected"),)
    assert problem.message == "一、总体情况：文中说“均获维持”，但表四中结果纠正1件、尚未审结0件"


# ---- against last year's report ---------------------------------------------------------------


def with_baseline(report: Report, last: Report) -> Report:
    report.set_baseline(last.baseline())
    return report


def test_carry_in():
    last = complete(year=2025)
    last.set_cells({("requests", "received", "natural"): 3, ("requests", "carried_out", "natural"): 3})
    report = with_baseline(complete(), last)
    (problem,) = rules(report, "requests.carry_in")
    assert problem.cells == (("requests", "carried_in", "natural"),)
    assert problem.message == "自然人列：二、上年结转为0，但2025年报告的四、结转下年度继续办理为3"
    report.set_cells({("requests", "carried_in", "natural"): 3, ("requests", "granted", "natural"): 3})
    assert rules(report, "requests.carry_in") == []
    assert rules(complete(), "requests.carry_in") == []  # no baseline, no cross-year rule


def test_in_force_chain_and_its_dismissal():
    last = complete(year=2025)
    last.set_cell(("art20_1", "normative_docs", "in_force"), 101)
    report = with_baseline(complete(), last)
    report.set_cells({("art20_1", "normative_docs", "issued"): 3, ("art20_1", "normative_docs", "repealed"): 0,
                      ("art20_1", "normative_docs", "in_force"): 92})
    (problem,) = rules(report, "proactive.in_force_chain")
    assert "=104件，表中现行有效为92件" in problem.message
    assert problem.id.startswith("proactive.in_force_chain|art20_1.normative_docs.in_force+art20_1.normative_docs.issued+art20_1.normative_docs.repealed|")
    report.dismiss(problem.id, "有效期届满失效12件")
    (dismissed,) = rules(report, "proactive.in_force_chain")
    assert dismissed.dismissed == "有效期届满失效12件"
    assert summarize(run_checks(report)).warnings == 0
    report.set_cell(("art20_1", "normative_docs", "in_force"), 91)  # the numbers changed: live again
    (live,) = rules(report, "proactive.in_force_chain")
    assert live.dismissed is None
    report.set_cell(("art20_1", "normative_docs", "in_force"), 104)
    assert rules(report, "proactive.in_force_chain") == []


def test_items_chain():
    last = complete(GOV_2019, 2019)
    last.set_cells({("art20_5", "licensing", "items_last_year"): 20, ("art20_5", "licensing", "items_change"): -8})
    report = with_baseline(complete(GOV_2019, 2020), last)
    report.set_cell(("art20_5", "licensing", "items_last_year"), 20)
    (problem,) = rules(report, "proactive.items_chain")
    assert problem.cells == (("art20_5", "licensing", "items_last_year"),)
    assert problem.message == "第二十条第（五）项 行政许可：上一年项目数量应为上年报告的20-8=12，表中为20"
    report.set_cell(("art20_5", "licensing", "items_last_year"), 12)
    assert rules(report, "proactive.items_chain") == []


def test_same_numbers_as_last_year():
    last = complete(year=2025)
    last.set_cells({("requests", "received", "natural"): 3, ("requests", "granted", "natural"): 3})
    report = with_baseline(complete(), last)
    report.set_cells({("requests", "received", "natural"): 3, ("requests", "granted", "natural"): 3})
    (problem,) = rules(report, "numbers.same_as_last_year")
    assert "与2025年报告完全相同" in problem.message
    report.set_cell(("appeals", "review", "upheld"), 1)
    report.set_cell(("requests", "received", "natural"), 4)
    assert rules(report, "numbers.same_as_last_year") == []
    all_zero = with_baseline(complete(), complete(year=2025))
    assert rules(all_zero, "numbers.same_as_last_year") == []  # all zero is no sign of copying


def test_same_text_as_last_year_ignores_years_and_spaces():
    last = complete(year=2025)
    last.set_text("problems", "2025年，存在的主要问题：公开形式较为单一。\n改进措施：加强培训。")
    report = with_baseline(complete(), last)
    report.set_text("problems", "2026年，存在的主要问题：公开形式较为单一。 改进措施：加强培训。")
    (problem,) = rules(report, "text.same_as_last_year")
    assert problem.sections == ("problems",)
    assert "不得年年雷同" in problem.message
    report.set_text("problems", "2026年，存在的主要问题：解读形式较为单一。改进措施：加强培训。")
    assert rules(report, "text.same_as_last_year") == []


def test_unchanged_draft():
    report = complete()
    report.set_text("overview", "沿用的文字。", carried=True)
    (problem,) = rules(report, "text.unchanged_draft")
    assert problem.sections == ("overview",)
    report.set_text("overview", "改过的文字。")
    assert rules(report, "text.unchanged_draft") == []


def test_baseline_value_of_derived_cells():
    last = complete(year=2025)
    last.set_cells({("requests", "carried_out", "natural"): 2, ("requests", "carried_out", "legal"): NA})
    baseline = Baseline(2025, "gov-2021", dict(last.cells), {})
    assert baseline.value(("requests", "carried_out", "total")) == 2
    assert baseline.value(("requests", "carried_out", "legal")) is NA


def test_errors_cannot_be_dismissed():
    report = complete()
    report.set_cell(("requests", "received", "natural"), 1)
    (problem,) = rules(report, "requests.balance")
    report.dismiss(problem.id, "不想看")
    assert rules(report, "requests.balance")[0].dismissed is None
    assert summarize(run_checks(report)).errors == 1
