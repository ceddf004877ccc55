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
    report.text.update(TEXTS[year % 2], other_matters="本年度未收取信息处理费。")
    return report


# two years' texts that raise nothing, worded apart so that a report checked against last year's
# raises no copied-text warning either
TEXTS = (
    {"overview": "本年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作推进公开。",
     "problems": "存在的主要问题：一是政策解读形式较为单一，图解、视频解读偏少；二是答复文书的规范性有待提高。"
                 "改进措施：加强业务培训，统一答复文书模板。"},
    {"overview": "一年来，本局坚持以公开为常态，主动公开政府信息，依法办理公开申请。",
     "problems": "主要问题是公开栏目更新不够及时，部分科室对公开属性认定把握不准。下一步将建立栏目更新台账，"
                 "每季度组织一次公开属性认定培训。"},
)


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
    assert fmt.message == ("2020年度的报告应使用2019年版格式（试行，国办公开办函〔2019〕60号），"
                           "当前使用的是《中华人民共和国政府信息公开工作年度报告格式》")
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
    # a year as the time of a statement of work, in other phrasings
    "2025年共收到政府信息公开申请15件。",
    "本单位2025年度通过门户网站主动公开信息120条。",
    "2025年度累计办理依申请公开事项15件。",
    "（二）依申请公开情况。2025年全区受理政府信息公开申请21件，均在法定期限答复。",
    "我局2025年共收到申请3件，均已按时答复。",
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
    "2027年我们将切实抓好以下工作。",  # next year's plans, in other phrasings
    "2027年继续开展业务培训。",
    "与2025年相比，申请数量有所下降。",  # comparisons
    "2025年共收到申请15件，2026年共收到申请20件。",
    "2025年共收到申请15件，本年同比增长33%。",
    "按照《2025年政务公开工作要点》要求开展工作。",  # years inside titles
    "落实“2025年度政务公开重点工作”要求。",
    "对2025年公开的规范性文件进行了清理。",
    "2025年通过的《实施办法》已全面施行。",
    "2021年至2025年共清理规范性文件5件。",
    "2025年在省政务公开第三方评估中指出的问题已整改到位。",  # last year's findings, put right
    "2025年共收到申请15件，本年共收到20件。",
    "2025年，省政务公开办反馈的问题已全部整改。",
    "2025年，收到申请15件，2026年，收到申请20件。",
]


@pytest.mark.parametrize("sentence", STALE)
def test_stale_year_found(sentence):
    report = complete()
    report.set_text("overview", "我局重视公开工作。\n" + sentence)
    problems = rules(report, "text.stale_year")
    assert len(problems) == 1, sentence  # one warning a sentence, however many stale years it names
    for problem in problems:
        assert [report.text["overview"][start:end] for _key, start, end in problem.spans] == ["2025"] * sentence.count("2025")
        assert {key for key, _start, _end in problem.spans} == {"overview"}
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


# ---- the rules of issue 16 ---------------------------------------------------------------------


def test_stale_year_statement_message_and_span():
    report = complete()
    report.set_text("overview", "我局重视公开工作。\n本单位2025年度通过门户网站主动公开信息120条。")
    (problem,) = rules(report, "text.stale_year")
    assert problem.message == ("一、总体情况：“本单位2025年度通过门户网站主动公开信息120条。”把2025年当作本年度来写，"
                               "本报告是2026年度的（上年文字未更新？）")
    assert problem.spans == (("overview", 13, 17),)
    assert problem.severity == "warning"


@pytest.mark.parametrize("text, shown", [("无", "无"), ("暂无。", "暂无。"), (" 无 \n", "无"), ("没有。", "没有。"),
                                         ("暂无问题", "暂无问题")])
def test_thin_problems_that_say_nothing(text, shown):
    report = complete()
    report.set_text("problems", text)
    (problem,) = rules(report, "text.thin_problems")
    assert problem.severity == "warning"
    assert problem.message == (f"五、存在的主要问题及改进情况只写了“{shown}”：应具体写明本年存在的主要问题和改进措施"
                               "（上年问题的整改情况），过于简单会被上级退回或扣分")
    assert problem.sections == ("problems",)
    assert problem.spans == (("problems", 0, len(text)),)


def test_thin_problems_a_line_or_two():
    report = complete()
    report.set_text("problems", "存在问题：公开内容不够全面。\n下一步将加强学习，提高认识。")
    (problem,) = rules(report, "text.thin_problems")
    assert problem.message.startswith("五、存在的主要问题及改进情况只有28字：应具体写明")
    report.set_text("problems", "字" * 59)
    assert len(rules(report, "text.thin_problems")) == 1
    report.set_text("problems", "字" * 60)
    assert rules(report, "text.thin_problems") == []


def test_a_specific_problems_section_that_mentions_none_is_not_thin():
    report = complete()
    report.set_text("problems", "存在的主要问题：一是无专职工作人员，信息公开工作由办公室兼职负责；二是公开栏目更新不及时，"
                                "暂无信息发布审核台账。改进措施：明确专人负责，建立发布审核台账，每月检查栏目更新。")
    assert rules(report, "text.thin_problems") == []
    report.set_text("problems", "")  # empty is text.empty's error, not a thin warning
    assert rules(report, "text.thin_problems") == []
    assert [p.rule for p in rules(report) if p.sections == ("problems",)] == ["text.empty"]


def test_late_report():
    report = complete()  # 2026, signed 2027-01-20
    report.set_meta(date=dt.date(2027, 1, 31))
    assert rules(report, "meta.late") == []
    report.set_meta(date=dt.date(2027, 2, 1))
    (late,) = rules(report, "meta.late")
    assert late.message == ("成文日期2027年2月1日晚于2027年1月31日：《条例》第四十九条要求每年1月31日前公布"
                            "上一年度的年度报告（是否按时公布是考核内容）")
    assert (late.severity, late.fields) == ("warning", ("date",))
    assert late.id.startswith("meta.late|date|")
    report.set_meta(date=dt.date(2027, 12, 31))
    assert len(rules(report, "meta.late")) == 1
    report.set_meta(date=dt.date(2028, 1, 2))  # more than a year: meta.date says so, once
    assert rules(report, "meta.late") == []
    assert len(rules(report, "meta.date")) == 1


def test_publication_deadline_follows_the_regulation_in_force():
    from model.checks import publication_deadline

    assert publication_deadline(2019) == dt.date(2020, 1, 31)  # the 2019 revision (国务院令第711号)
    assert publication_deadline(2018) == dt.date(2019, 3, 31)  # the 2007 regulation (第492号)


def test_number_mismatch_says_when_the_text_counts_carried_over_requests(distinct):
    # distinct: 一、本年新收 25053, 二、上年结转 1233
    distinct.set_text("overview", "全年共收到政府信息公开申请26286件，均已按时答复。")
    (problem,) = rules(distinct, "text.number_mismatch")
    assert problem.message == ("一、总体情况：文中“收到政府信息公开申请26286件”是本年新收25053件与上年结转1233件之和"
                               "（把上年结转的申请也算作本年收到的了）；表格中一、本年新收政府信息公开申请数量（总计）为25053")
    assert problem.cells == (("requests", "received", "total"),)
    distinct.set_text("overview", "全年共收到政府信息公开申请26287件。")
    (problem,) = rules(distinct, "text.number_mismatch")
    assert problem.message == ("一、总体情况：文中“收到政府信息公开申请26287件”，"
                               "表格中一、本年新收政府信息公开申请数量（总计）为25053")


@pytest.mark.parametrize("paragraph", [
    "本机关全年行政诉讼立案1331件，审结一审行政诉讼案件687件。",  # the clause narrows it: 一审
    "全年一审行政诉讼案件687件。",
    "全年行政诉讼案件687件，立案1331件。",  # the paragraph states the table's number too
    "行政复议647件，其中行政诉讼5件。",  # a part: 其中
])
def test_number_mismatch_compares_only_the_quantity_the_phrase_denotes(distinct, paragraph):
    # distinct: 表四 行政诉讼 总计 1331, 行政复议 647
    distinct.set_text("overview", paragraph)
    assert rules(distinct, "text.number_mismatch") == [], paragraph


def test_number_mismatch_in_total_is_the_year_in_total(distinct):
    distinct.set_text("overview", "2026年，我局累计受理政府信息公开申请25054件。")  # 累计: the year's total
    (problem,) = rules(distinct, "text.number_mismatch")
    assert problem.message.endswith("表格中一、本年新收政府信息公开申请数量（总计）为25053")


def test_number_mismatch_evidence_must_be_outside_other_statements(distinct):
    # 25053 is stated, but as 予以公开 (a statement of its own, itself wrong): no evidence for 收到
    distinct.set_text("overview", "全年共收到政府信息公开申请25054件，予以公开25053件。")
    stated = sorted(distinct.text["overview"][s:e] for p in rules(distinct, "text.number_mismatch") for _k, s, e in p.spans)
    assert stated == ["25053", "25054"]
    # the table's number in another paragraph is no evidence either
    distinct.set_text("overview", "全年行政诉讼案件687件。\n立案1331件。")
    assert len(rules(distinct, "text.number_mismatch")) == 1


def test_in_force_chain_above_what_is_possible():
    last = complete(year=2025)
    last.set_cell(("art20_1", "normative_docs", "in_force"), 100)
    report = with_baseline(complete(), last)
    report.set_cells({("art20_1", "normative_docs", "issued"): 3, ("art20_1", "normative_docs", "in_force"): 110})
    (problem,) = rules(report, "proactive.in_force_chain")
    assert problem.message == ("行政规范性文件：上年现行有效100件+本年制发3件−本年废止0件=103件，表中现行有效为110件，"
                               "比最多可能的件数还多7件（文件失效只会使现行有效件数减少，"
                               "请核对上年现行有效件数、本年制发件数和本年废止件数）")
    report.set_cell(("art20_1", "normative_docs", "in_force"), 101)
    (problem,) = rules(report, "proactive.in_force_chain")
    assert problem.message == ("行政规范性文件：上年现行有效100件+本年制发3件−本年废止0件=103件，表中现行有效为101件"
                               "（如有文件到期失效，可说明原因后忽略此提醒）")


# near-duplicate text: sentences that share no ten-character run with each other or with TEXTS
KEPT = "一是部分科室对公开属性的认定把握不准。二是政务公开专栏的栏目设置还需进一步优化。"  # 40 characters
OLD = "三是政务新媒体更新不够及时。"  # 14
NEW = "三是基层站所工作人员流动频繁。"  # 15


def test_similar_to_last_year_section():
    last = complete(year=2025)
    last.set_text("problems", KEPT + OLD)
    report = with_baseline(complete(), last)
    report.set_text("problems", KEPT + NEW)  # KEPT and the "三是" after it are last year's: 42 of 55, 76 %
    (problem,) = rules(report, "text.similar_to_last_year")
    assert problem.severity == "warning"
    assert problem.message == ("“五、存在的主要问题及改进情况”有76%的文字与2025年报告相同（超过50%）："
                               "格式要求不得年年雷同，请对照上年文字改写")
    assert problem.sections == ("problems",)
    assert problem.spans == (("problems", 0, 42),)  # the longest unchanged passage
    assert problem.id == f"text.similar_to_last_year|problems|{fingerprint([76])}"
    # rewritten enough (42 of 85): silent
    report.set_text("problems", KEPT + NEW + TEXTS[1]["problems"][:30])
    assert rules(report, "text.similar_to_last_year") == []


def test_similar_to_last_year_takes_a_sentence_with_new_figures_for_the_same_sentence():
    last = complete(year=2025)
    last.set_text("overview", "全年在政府网站主动公开各类政府信息1136条，公开政府常务会议7期，解读信息发布7条。")
    report = with_baseline(complete(), last)
    report.set_text("overview", "全年在政府网站主动公开各类政府信息2428条，公开政府常务会议12期，解读信息发布9条。")
    (problem,) = rules(report, "text.similar_to_last_year")
    assert problem.message.startswith("“一、总体情况”有100%的文字与2025年报告相同")
    assert rules(report, "text.same_as_last_year") == []  # not identical: the figures differ


def test_similar_to_last_year_leaves_identical_and_unedited_text_to_their_own_rules():
    last = complete(year=2025)
    last.set_text("problems", "2025年，" + KEPT + OLD)
    report = with_baseline(complete(), last)
    report.set_text("problems", "2026年，" + KEPT + OLD)  # identical but for the year
    assert [p.rule for p in rules(report) if p.sections == ("problems",)] == ["text.same_as_last_year"]
    report.set_text("problems", KEPT + OLD + NEW, carried=True)
    assert [p.rule for p in rules(report) if p.sections == ("problems",)] == ["text.unchanged_draft"]


def test_similar_report_as_a_whole():
    last = complete(year=2025)
    last.set_text("overview", KEPT * 3 + OLD)
    last.set_text("problems", "上年的问题：" + OLD)
    report = with_baseline(complete(), last)
    report.set_text("overview", KEPT * 3 + NEW)  # 122 of 135 characters last year's, 90 %: and …
    assert rules(report, "text.similar_to_last_year")[0].message.startswith("“一、总体情况”有90%")
    (whole,) = rules(report, "text.similar_report")
    # … with 五 (67, all new) and 六 (12, the same): 134 of 214 characters of 一、五、六 are last year's
    # (the preamble is fixed form — legal basis, statistics period, contact — and not counted)
    assert whole.message == ("一、五、六部分合计有63%的文字与2025年报告相同（超过50%）："
                             "年报不得年年雷同，考核时常按与上年的相似度扣分")
    assert whole.sections == ("overview", "problems", "other_matters")
    assert whole.id == f"text.similar_report|text|{fingerprint([63])}"
    report.set_text("problems", TEXTS[0]["problems"] + TEXTS[1]["problems"])  # 134 of 275: 49 %
    assert rules(report, "text.similar_report") == []


def test_similar_report_is_quiet_on_a_report_just_started_from_last_years():
    from model.carryover import new_year

    last = complete(year=2025)
    last.set_text("overview", KEPT * 4)
    started = new_year(last).report
    assert started.carried_sections
    assert rules(started, "text.similar_report") == []
    assert {p.rule for p in rules(started, "text.unchanged_draft")} == {"text.unchanged_draft"}


def test_jump_against_last_year():
    last = complete(year=2025)
    last.set_cells({("requests", "received", "natural"): 8, ("requests", "granted", "natural"): 8})
    report = with_baseline(complete(), last)
    report.set_cells({("requests", "received", "natural"): 40, ("requests", "granted", "natural"): 40})
    (jump,) = rules(report, "numbers.jump")
    assert jump.severity == "info"
    assert jump.message == ("表三 一、本年新收政府信息公开申请数量（总计）：本年为40，是2025年报告（8）的5倍"
                            "（相差五倍以上，请核对有无多输一位数或统计口径变化）")
    assert jump.cells == (("requests", "received", "total"),)
    report.set_cells({("requests", "received", "natural"): 39, ("requests", "granted", "natural"): 39})
    assert rules(report, "numbers.jump") == []  # 4.9 times
    last.set_cells({("requests", "received", "natural"): 150, ("requests", "granted", "natural"): 150})
    report.set_baseline(last.baseline())
    report.set_cells({("requests", "received", "natural"): 29, ("requests", "granted", "natural"): 29})
    (jump,) = rules(report, "numbers.jump")
    assert jump.message == ("表三 一、本年新收政府信息公开申请数量（总计）：本年为29，只有2025年报告（150）的19%"
                            "（相差五倍以上，请核对有无漏输或统计口径变化）")


def test_jump_needs_thirty_and_numbers_on_both_sides():
    last = complete(year=2025)
    last.set_cells({("appeals", "review", "upheld"): 5, ("art20_6", "penalty", "decisions"): 0})
    report = with_baseline(complete(), last)
    report.set_cells({("appeals", "review", "upheld"): 29, ("art20_6", "penalty", "decisions"): 300})
    assert rules(report, "numbers.jump") == []  # 29 < 30; last year's 0 is no base
    report.set_cells({("appeals", "review", "upheld"): 25, ("appeals", "review", "other"): 5})
    (jump,) = rules(report, "numbers.jump")
    assert jump.message.startswith("表四 行政复议 总计：本年为30，是2025年报告（5）的6倍")
    last.set_cells({("art20_6", "penalty", "decisions"): 4119, ("appeals", "review", "upheld"): 30})
    report.set_baseline(last.baseline())
    report.set_cells({("art20_6", "penalty", "decisions"): 41190})  # one digit too many
    (jump,) = rules(report, "numbers.jump")
    assert jump.message.startswith("表二 第二十条第（六）项 行政处罚 · 本年处理决定数量：本年为41190，是2025年报告（4119）的10倍")
    old = complete(GOV_2019, 2020)  # table 二 measures other things in the other format: not compared
    old.set_cell(("art20_6", "penalty", "decisions"), 10)
    report.set_baseline(old.baseline())
    assert [p.message for p in rules(report, "numbers.jump")] == []


def test_a_sentence_with_two_stale_years_is_one_warning_naming_both_places():
    report = complete()
    report.set_text("preamble", "本报告根据《条例》编制。本报告中所列数据的统计期限自2025年1月1日起至2025年12月31日止。")
    (problem,) = rules(report, "text.stale_year")
    assert problem.message == ("前言：“的统计期限自2025年1月1日起至2025年12月31日止。”把2025年当作本年度来写，"
                               "本报告是2026年度的（上年文字未更新？）")
    assert problem.spans == (("preamble", 26, 30), ("preamble", 37, 41))
    report.set_text("preamble", "统计期限自2024年1月1日起至2025年12月31日止。")
    (problem,) = rules(report, "text.stale_year")
    assert "把2024年、2025年当作本年度来写" in problem.message and len(problem.spans) == 2


def test_a_jump_below_one_percent_is_not_called_zero_percent():
    last = complete(year=2025)
    last.set_cells({("requests", "received", "natural"): 5454, ("requests", "granted", "natural"): 5454})
    report = with_baseline(complete(), last)
    report.set_cells({("requests", "received", "natural"): 12, ("requests", "granted", "natural"): 12})
    (jump,) = rules(report, "numbers.jump")
    assert jump.message == ("表三 一、本年新收政府信息公开申请数量（总计）：本年为12，不到2025年报告（5454）的1%"
                            "（相差五倍以上，请核对有无漏输或统计口径变化）")
    report.set_cells({("requests", "received", "natural"): 28, ("requests", "granted", "natural"): 28})
    assert "只有2025年报告（5454）的1%" in rules(report, "numbers.jump")[0].message  # 0.51 % rounds to 1
