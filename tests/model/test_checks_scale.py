"""The text rules on huge texts: time linear in the text, at most 50 problems of one rule listed
(the rest one summary problem that can be dismissed), no crash on a number of thousands of digits."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from model.checks import listed, live_dismissals, run_checks
from model.formats import GOV_2021
from model.limits import MAX_PROBLEMS_PER_RULE
from model.problems import fingerprint, summarize
from model.report import Meta, Report


def report_with(overview: str) -> Report:
    """A tidy 2026 report (every cell 0) whose 总体情况 is ``overview``."""
    report = Report(GOV_2021.id, Meta(agency="示例县交通运输局", year=2026, date=dt.date(2027, 1, 20)))
    for address in GOV_2021.input_cells:
        report.cells[address] = Decimal(0) if address[2] == "amount" else 0
    report.text.update(overview=overview, problems="存在的主要问题：一是政策解读形式较为单一；二是答复文书的规范性"
                       "有待提高。改进措施：加强业务培训，统一答复文书模板，每季度组织一次公开属性认定培训。",
                       other_matters="本年度未收取信息处理费。")
    return report


def of_rule(problems, rule):
    return [p for p in problems if p.rule == rule]


STALE_SENTENCES = "".join(f"2022年，我局办理第{i}项工作。" for i in range(120))  # 120 stale-year warnings


def test_at_most_fifty_problems_of_a_rule_then_one_summary():
    assert MAX_PROBLEMS_PER_RULE == 50
    problems = run_checks(report_with(STALE_SENTENCES))
    stale = of_rule(problems, "text.stale_year")
    assert len(stale) == 51
    listed_ones, summary = stale[:50], stale[50]
    assert [p.spans[0][1] for p in listed_ones] == [STALE_SENTENCES.index(f"2022年，我局办理第{i}项") for i in range(50)]
    assert summary.message == ("“年份未更新”另有70处同类问题未列出（每类问题最多列出50处；"
                               "改正上面列出的之后，其余的会依次列出）")
    assert summary.id == f"text.stale_year|more|{fingerprint([70])}"
    assert (summary.severity, summary.hidden, summary.spans, summary.cells) == ("warning", 70, (), ())
    assert summary.sections == ("overview",)
    assert [p.rule for p in problems if p.rule != "text.stale_year"] == ["text.overview_length"]
    assert summarize(problems).warnings == 121  # the summary counts the 70 it stands for
    assert len(of_rule(run_checks(report_with(STALE_SENTENCES), limit=None), "text.stale_year")) == 120


def test_fifty_problems_have_no_summary():
    fifty = "".join(f"2022年，我局办理第{i}项工作。" for i in range(50))
    stale = of_rule(run_checks(report_with(fifty)), "text.stale_year")
    assert len(stale) == 50 and all(p.hidden == 0 for p in stale)


def test_the_summary_can_be_dismissed_and_lapses_when_its_count_changes():
    report = report_with(STALE_SENTENCES)
    summary = of_rule(run_checks(report), "text.stale_year")[-1]
    report.dismiss(summary.id, "历年工作回顾，年份无误")
    again = of_rule(run_checks(report), "text.stale_year")[-1]
    assert (again.id, again.dismissed) == (summary.id, "历年工作回顾，年份无误")
    assert summarize(run_checks(report))[1:] == (51, 0, 70)  # 50 listed and the overview's length; 70 dismissed
    assert live_dismissals(report) == {summary.id: "历年工作回顾，年份无误"}  # kept by the next save
    report.set_text("overview", STALE_SENTENCES + "2021年，我局办理另一项工作。")  # 71 past the list now
    after = of_rule(run_checks(report), "text.stale_year")[-1]
    assert after.id == f"text.stale_year|more|{fingerprint([71])}" and after.dismissed is None
    assert live_dismissals(report) == {}


def test_a_dismissed_problem_past_the_list_is_still_live():
    report = report_with(STALE_SENTENCES)
    hidden = of_rule(run_checks(report, limit=None), "text.stale_year")[100]
    report.dismiss(hidden.id, "引用历史数据")
    assert live_dismissals(report) == {hidden.id: "引用历史数据"}


def test_number_mismatches_are_capped_and_only_the_listed_ones_built():
    text = "".join(f"收到政府信息公开申请{i}件。" for i in range(1, 1001))  # the table says 0: 1000 mismatches
    mismatches = of_rule(run_checks(report_with(text)), "text.number_mismatch")
    assert len(mismatches) == 51
    assert mismatches[0].message == ("一、总体情况：文中“收到政府信息公开申请1件”，表格中一、本年新收政府信息公开申请数量"
                                     "（总计）为0")
    assert mismatches[-1].message.startswith("“正文数字与表格不符”另有950处同类问题未列出")


def test_listed_keeps_the_order_and_names_an_unknown_rule_by_its_id():
    from model.problems import make_problem

    found = [make_problem("import.x", "warning", f"第{i}处", values=[i]) for i in range(53)]
    kept = listed(found, 50)
    assert [p.message for p in kept[:50]] == [f"第{i}处" for i in range(50)]
    assert kept[50].message == "“import.x”另有3处同类问题未列出（每类问题最多列出50处；改正上面列出的之后，其余的会依次列出）"


def test_imported_problems_are_capped_too():
    from model.checks import import_problems
    from model.problems import make_problem

    report = report_with("")
    report.import_problems = tuple(make_problem("import.unreadable_cell", "warning", f"第{i}格", values=[i])
                                   for i in range(80))
    shown = import_problems(report)
    assert len(shown) == 51
    assert shown[-1].message.startswith("“导入：无法识别的格子”另有30处同类问题未列出")


def test_a_number_of_thousands_of_digits_is_no_count():
    for digits in ("9" * 5000, "1" + ",234" * 2000, "1234567890123456"):
        text = f"本年共收到政府信息公开申请{digits}件。予以公开{digits}件。立案{digits}件。"
        assert of_rule(run_checks(report_with(text)), "text.number_mismatch") == []
    fifteen = "123456789012345"
    said = of_rule(run_checks(report_with(f"本年共收到政府信息公开申请{fifteen}件。")), "text.number_mismatch")
    assert [p.message for p in said] == [f"一、总体情况：文中“收到政府信息公开申请{fifteen}件”，"
                                         "表格中一、本年新收政府信息公开申请数量（总计）为0"]


def _seconds(make_text, repeat: int = 3) -> float:
    """The fastest of ``repeat`` full checks, each of a new text (the rules memoise per text)."""
    best = float("inf")
    for run in range(repeat):
        report = report_with(f"第{run}稿。" + make_text())
        start = time.perf_counter()
        run_checks(report)
        best = min(best, time.perf_counter() - start)
    return best


def _numbers_and_years(numbers: int) -> str:
    """One long sentence of ``numbers`` stated counts, every fifth opening a clause with a stale year
    (10 000 numbers: 2 000 stale years) — the shape that was quadratic (each mention rescanned its sentence)."""
    return "".join(f"2022年共收到申请{i}件，" if i % 5 == 0 else f"收到申请{i}件，" for i in range(numbers))


def test_ten_thousand_numbers_check_in_time_linear_in_the_text():
    small = _seconds(lambda: _numbers_and_years(1_000))
    large = _seconds(lambda: _numbers_and_years(10_000))
    # ten times the text: linear is about 10 (measured 6–10); the quadratic scans were 54
    assert large < 30 * small, (small, large)
    problems = run_checks(report_with(_numbers_and_years(10_000)))
    assert len(of_rule(problems, "text.number_mismatch")) == 51
    stale = of_rule(problems, "text.stale_year")
    assert len(stale) == 1 and len(stale[0].spans) == 2_000  # one sentence: one warning with all its places
    assert len(stale[0].message) < 200  # the sentence is quoted by its ends


def test_a_long_run_of_comma_groups_is_read_once():
    # every comma group started a count that scanned the rest of the run: 40 000 groups took 74 s
    small = _seconds(lambda: "予以公开1件。1" + ",234" * 10_000)
    large = _seconds(lambda: "予以公开1件。1" + ",234" * 100_000)
    assert large < 30 * small, (small, large)


def test_an_equal_text_reuses_the_memos_without_comparing_it_per_number():
    """A memo found for an equal text (a report loaded again, an undo) compares the whole text on each
    lookup: looked up once a text, not once a number (10 000 lookups of a 1 MB text took seconds)."""
    text = _numbers_and_years(10_000) + "。" + "长" * 1_000_000
    start = time.perf_counter()
    run_checks(report_with(text))
    first = time.perf_counter() - start
    equal = "".join([text[:10], text[10:]])
    assert equal == text and equal is not text
    start = time.perf_counter()
    run_checks(report_with(equal))
    assert time.perf_counter() - start < first

