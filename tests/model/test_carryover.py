"""This year's report from last year's: what carries, what does not, and the format moves."""

from __future__ import annotations

import datetime as dt
import json

from model import store
from model.carryover import convert, new_year, next_title
from model.checks import run_checks
from model.formats import GOV_2019, GOV_2021
from model.formats.common import APPLICANT_KEYS
from model.values import NA


def rules(report):
    return [p.rule for p in run_checks(report)]


def test_the_example_chain_2019_2020_2021(example):
    c2020 = new_year(example)
    r2020 = c2020.report
    assert (r2020.format_id, r2020.meta.year, r2020.meta.date) == ("gov-2019", 2020, None)
    assert r2020.meta.agency == "城步苗族自治县商务局"
    assert r2020.meta.title == "县商务局2020年政府信息公开工作年度报告"
    # numbers are not copied — only 二、上年结转 ← 四、结转下年度继续办理
    assert r2020.cells == {("requests", "carried_in", c): 0 for c in APPLICANT_KEYS}
    assert r2020.last_year.year == 2019 and r2020.last_year.format_id == "gov-2019"
    assert dict(r2020.last_year.cells) == example.cells and dict(r2020.last_year.text) == example.text
    assert r2020.text == example.text
    assert r2020.carried_sections == {"overview", "problems", "other_matters"}  # the empty preamble is not a draft
    assert rules(r2020).count("text.unchanged_draft") == 3
    assert rules(r2020).count("text.stale_year") == 3

    r2020.set_cells({("requests", "received", "natural"): 5, ("requests", "granted", "natural"): 3,
                     ("requests", "carried_out", "natural"): 2})
    c2021 = new_year(r2020)
    r2021 = c2021.report
    assert (r2021.format_id, r2021.meta.year) == ("gov-2021", 2021)
    assert r2021.cells[("requests", "carried_in", "natural")] == 2
    assert ("requests", "carried_in", "legal") not in r2021.cells  # blank in 2020, blank carried
    assert not any(a[0] != "requests" or a[1] != "carried_in" for a in r2021.cells)
    assert any("2021年版中含义不同" in note for note in c2021.notes)
    assert "requests.carry_in" not in rules(r2021)
    assert "proactive.in_force_chain" not in rules(r2021)  # last year's 现行有效件数 is not known in gov-2019
    assert "text.fee_statement" in rules(r2021)  # 六 carried from 2020 says nothing of 信息处理费


def test_distinct_into_the_next_year(distinct):
    conversion = new_year(distinct)
    report = conversion.report
    assert report.meta.year == 2027 and report.format_id == "gov-2021"
    assert {c: report.cells[("requests", "carried_in", c)] for c in APPLICANT_KEYS} == \
        {c: distinct.cells[("requests", "carried_out", c)] for c in APPLICANT_KEYS}
    assert len(report.cells) == 6
    assert report.meta.title is None
    assert "requests.carry_in" not in rules(report)
    assert rules(report).count("proactive.in_force_chain") == 1  # 行政规范性文件: 4036 last year, nothing yet
    # a wrong 上年结转 is caught
    report.set_cell(("requests", "carried_in", "natural"), 358)
    assert rules(report).count("requests.carry_in") == 1


def test_a_later_year_and_a_custom_title():
    assert next_title("县商务局2025年政府信息公开工作年度报告", 2025, 2026) == "县商务局2026年政府信息公开工作年度报告"
    assert next_title("某局2025 年度报告（2019版格式）", 2025, 2026) == "某局2026 年度报告（2019版格式）"
    assert next_title(None, 2025, 2026) is None


def test_year_skipped_is_said(distinct):
    conversion = new_year(distinct, 2028)
    assert conversion.report.meta.year == 2028
    assert any("上年报告是2026年度的" in note for note in conversion.notes)


def test_convert_2019_to_2021_and_back(example):
    example.set_cells({("requests", "other_handling", "natural"): 4, ("art20_1", "rules", "made"): 2})
    forward = convert(example, GOV_2021)
    assert forward.report.format_id == "gov-2021"
    assert forward.report.cells[("requests", "other_handling.other", "natural")] == 4
    assert not any(a[0].startswith("art20") for a in forward.report.cells)
    assert any("第二十条第（一）项 规章 · 本年新制作数量 = 2" in note for note in forward.notes)
    assert any("已转入2021年版的“3.其他”" in note for note in forward.notes)
    forward.report.set_cells({("requests", "other_handling.no_correction", "natural"): 1,
                              ("requests", "other_handling.unpaid_fee", "legal"): NA,
                              ("requests", "other_handling.no_correction", "legal"): NA,
                              ("requests", "other_handling.other", "legal"): NA})
    back = convert(forward.report, GOV_2019).report
    assert back.cells[("requests", "other_handling", "natural")] == 5
    assert back.cells[("requests", "other_handling", "legal")] is NA
    assert not any(r.startswith("other_handling.") for _t, r, _c in back.cells)
    assert all(GOV_2019.has_cell(a) for a in back.cells)


def test_an_in_force_dismissal_survives_reload_and_lapses(distinct, tmp_path):
    report = new_year(distinct).report
    report.set_cells({("art20_1", "normative_docs", "issued"): 3, ("art20_1", "normative_docs", "repealed"): 0,
                      ("art20_1", "normative_docs", "in_force"): 4027})
    problem = next(p for p in run_checks(report) if p.rule == "proactive.in_force_chain")
    assert "4036件+本年制发3件−本年废止0件=4039件，表中现行有效为4027件" in problem.message
    report.dismiss(problem.id, "有效期届满失效12件")
    path = tmp_path / "2027.nianbao"
    store.save(report, path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["dismissed"] == [{"problem": problem.id, "reason": "有效期届满失效12件"}]
    assert saved["last_year"]["year"] == 2026 and saved["last_year"]["cells"]["art20_8"]["fees"]["amount"] == "5949.088667"
    loaded = store.load(path)
    again = next(p for p in run_checks(loaded) if p.rule == "proactive.in_force_chain")
    assert again.dismissed == "有效期届满失效12件"
    loaded.set_cell(("art20_1", "normative_docs", "in_force"), 4026)
    lapsed = next(p for p in run_checks(loaded) if p.rule == "proactive.in_force_chain")
    assert lapsed.dismissed is None
    store.save(loaded, path)
    assert json.loads(path.read_text(encoding="utf-8"))["dismissed"] == []  # the stale dismissal is dropped


CARRIED = "2025年度，我局认真落实。在2025年度工作中，全年主动公开信息。截至2025年12月31日，现行有效文件101件。"


def test_stale_year_in_carried_prose(distinct):
    report = new_year(distinct, 2026).report  # a 2026 report from the 2026 one: pretend last year was 2025
    report.set_meta(year=2026)
    report.set_text("overview", CARRIED, carried=True)
    stale = [p for p in run_checks(report) if p.rule == "text.stale_year"]
    assert len(stale) == 3
    assert all(report.text["overview"][s:e] == "2025" for p in stale for _k, s, e in p.spans)
    for sentence in ("较2025年度增长12%。", "公开了2025年度决算。", "比2025年度减少。", "《2025年度工作要点》已落实。"):
        report.set_text("overview", sentence, carried=True)
        assert not [p for p in run_checks(report) if p.rule == "text.stale_year"], sentence
    # not carried: "在2025年度工作中" alone is too unsure to flag
    report.set_text("overview", "在2025年度工作中，全年主动公开信息。")
    assert not [p for p in run_checks(report) if p.rule == "text.stale_year"]


def test_same_text_as_last_year_on_real_carried_prose(example):
    report = new_year(example).report
    assert [p.sections for p in run_checks(report) if p.rule == "text.same_as_last_year"] == [("overview",), ("problems",)]
    edited = report.text["problems"].replace("2019年", "2020年")  # only the year changed: still 年年雷同
    report.set_text("problems", edited)
    assert "text.unchanged_draft" not in [p.rule for p in run_checks(report) if p.sections == ("problems",)]
    assert any(p.rule == "text.same_as_last_year" and p.sections == ("problems",) for p in run_checks(report))
    report.set_text("problems", edited.replace("各股（室）之间没有很好配合工作", "公开目录更新不及时"))
    assert not any(p.rule == "text.same_as_last_year" and p.sections == ("problems",) for p in run_checks(report))


def test_new_year_date_is_cleared_and_checked(distinct):
    report = new_year(distinct).report
    assert report.meta.date is None
    report.set_meta(date=dt.date(2028, 1, 20))
    assert "meta.date" not in rules(report)
