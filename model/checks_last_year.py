"""The rules against last year's report: carry-over, the chains, copying, and numbers that jump.

They run only when a baseline is attached (the report was started from last year's file, or last
year's file was given). The text similarity is memoised per text (model.similarity), so a
keystroke in a grid does not recompute it and a keystroke in a text rescans that text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from model.catalogue import GROUPS, declare, emits
from model.formats import TEXT_HEADINGS, Address, address_text
from model.formats.common import APPLICANT_COLUMNS, APPLICANT_KEYS
from model.problems import INFO, WARNING, Problem, cell_name, number_text, shown
from model.report import Baseline, Report
from model.similarity import longest, overlap, percent
from model.values import NA, as_number, display_text, same_value

_LAST = GROUPS[1]
CARRY_IN = declare("requests.carry_in", WARNING, "上年结转与上年报告不符",
                   "表三各列的二、上年结转应等于上年报告的四、结转下年度继续办理", _LAST)
IN_FORCE_CHAIN = declare("proactive.in_force_chain", WARNING, "现行有效件数与上年不衔接",
                         "2021年版格式：上年现行有效件数+本年制发−本年废止应等于本年现行有效件数（规章、行政规范性文件）",
                         _LAST)
ITEMS_CHAIN = declare("proactive.items_chain", WARNING, "上一年项目数量与上年报告不符",
                      "2019年版格式：上一年项目数量应等于上年报告的上一年项目数量加本年增/减", _LAST)
SAME_NUMBERS = declare("numbers.same_as_last_year", WARNING, "数字与上年完全相同",
                       "表二、表三、表四已填的数字全部与上年报告相同（照抄上年未更新？）", _LAST)
SAME_TEXT = declare("text.same_as_last_year", WARNING, "文字与上年相同",
                    "一、总体情况或五、存在的主要问题及改进情况与上年报告相同（不计年份和空白）", _LAST)
SIMILAR_SECTION = declare("text.similar_to_last_year", WARNING, "文字与上年高度相似",
                          "一、总体情况或五、存在的主要问题及改进情况有一半以上的文字与上年报告相同", _LAST)
SIMILAR_REPORT = declare("text.similar_report", WARNING, "全文与上年高度相似",
                         "一、五、六部分合计有一半以上的文字与上年报告相同（考核常按相似度扣分）", _LAST)
JUMP = declare("numbers.jump", INFO, "数字与上年相差五倍以上",
               "本年新收申请、复议诉讼总数、表二主要数字是上年的5倍以上或不到五分之一（较大的一方不少于30）", _LAST)
UNCHANGED_DRAFT = declare("text.unchanged_draft", WARNING, "沿用上年文字未修改",
                          "从上年报告带过来的文字还没有改过", _LAST)

_COLUMN_LABEL = {column.key: column.label for column in APPLICANT_COLUMNS}


@emits(CARRY_IN)
def check_carry_in(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None:
        return
    for col in APPLICANT_KEYS:
        cell = ("requests", "carried_in", col)
        last_cell = ("requests", "carried_out", col)
        this, last = report.number(cell), as_number(baseline.value(last_cell))
        if this != last:
            message = (
                f"{_COLUMN_LABEL[col]}列：二、上年结转为{number_text(this)}，"
                f"但{baseline.year}年报告的四、结转下年度继续办理为{number_text(last)}"
            )
            yield CARRY_IN.problem(message, cells=[cell], values=[shown(report.value(cell)), shown(baseline.value(last_cell))])


@emits(IN_FORCE_CHAIN)
def check_in_force_chain(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None or report.format_id != "gov-2021" or baseline.format_id != "gov-2021":
        return
    table = report.format.table("art20_1")
    for row in table.rows:
        cells = [("art20_1", row.key, col) for col in ("in_force", "issued", "repealed")]
        last_cell = ("art20_1", row.key, "in_force")
        values = [report.value(cell) for cell in cells]
        last_value = baseline.value(last_cell)
        if values[0] is NA or (all(v in (None, NA) for v in values) and last_value in (None, NA)):
            continue
        in_force, issued, repealed = (as_number(v) for v in values)
        expected = as_number(last_value) + issued - repealed
        if in_force == expected:
            continue
        chain = (f"{row.label}：上年现行有效{number_text(as_number(last_value))}件+本年制发{number_text(issued)}件"
                 f"−本年废止{number_text(repealed)}件={number_text(expected)}件，表中现行有效为{number_text(in_force)}件")
        if in_force < expected:
            message = chain + "（如有文件到期失效，可说明原因后忽略此提醒）"
        else:
            message = (chain + f"，比最多可能的件数还多{number_text(in_force - expected)}件"
                       "（文件失效只会使现行有效件数减少，请核对上年现行有效件数、本年制发件数和本年废止件数）")
        yield IN_FORCE_CHAIN.problem(message, cells=cells, values=[*(shown(v) for v in values), shown(last_value)])


@emits(ITEMS_CHAIN)
def check_items_chain(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None or report.format_id != "gov-2019" or baseline.format_id != "gov-2019":
        return
    for table_key in ("art20_5", "art20_6", "art20_8"):
        table = report.format.table(table_key)
        for row in table.rows:
            cell = (table_key, row.key, "items_last_year")
            last_items = baseline.value(cell)
            last_change = baseline.value((table_key, row.key, "items_change"))
            this = report.value(cell)
            if this is NA or (this is None and last_items in (None, NA) and last_change in (None, NA)):
                continue
            expected = as_number(last_items) + as_number(last_change)
            if as_number(this) != expected:
                message = (
                    f"{table.title} {row.label}：上一年项目数量应为上年报告的"
                    f"{number_text(as_number(last_items))}{as_number(last_change):+d}={number_text(expected)}，"
                    f"表中为{number_text(as_number(this))}"
                )
                yield ITEMS_CHAIN.problem(message, cells=[cell],
                                         values=[shown(this), shown(last_items), shown(last_change)])


@emits(SAME_NUMBERS)
def check_same_numbers(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None:
        return
    same_format = baseline.format_id == report.format_id
    compared = 0
    nonzero = False
    for address, value in report.cells.items():
        if address[0] not in ("requests", "appeals") and not same_format:
            continue
        if not same_value(value, baseline.cells.get(address)):
            return
        compared += 1
        nonzero = nonzero or as_number(value) != 0
    if compared and nonzero:
        message = f"表二、表三、表四中已填的{compared}个数字与{baseline.year}年报告完全相同（是否照抄上年未更新？）"
        yield SAME_NUMBERS.problem(message, place="cells",
                                   values=sorted(f"{address_text(a)}={display_text(v)}" for a, v in report.cells.items()))


# ---- copied text --------------------------------------------------------------------------------

_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_COMPARED = ("overview", "problems")  # the sections the format forbids to repeat ("不得…年年雷同")
_REPORT_TEXT = ("overview", "problems", "other_matters")  # the preamble is fixed form: basis, period, contact
SIMILAR_PERCENT = 50  # a warning above this: the 考核 rule some cities apply, above real reports' 10–36 %
_SECTION_MINIMUM = 40  # characters of this year's text before a percentage means anything
_REPORT_MINIMUM = 100


@lru_cache(maxsize=32)
def _comparable(text: str) -> str:
    return _YEAR_DIGITS.sub("#", "".join(text.split()))


def _identical(report: Report, baseline: Baseline, key: str) -> bool:
    this = _comparable(report.text.get(key, ""))
    return bool(this) and this == _comparable(baseline.text.get(key, ""))


@emits(SAME_TEXT)
def check_same_text(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None:
        return
    for key in _COMPARED:
        if _identical(report, baseline, key):
            message = f"“{TEXT_HEADINGS[key]}”与{baseline.year}年报告相同（不计年份和空白），格式要求不得年年雷同"
            yield SAME_TEXT.problem(message, sections=[key], values=[_comparable(report.text[key])])


@emits(SIMILAR_SECTION)
def check_similar_section(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None:
        return
    for key in _COMPARED:
        text, last = report.text.get(key, ""), baseline.text.get(key, "")
        if key in report.carried_sections or not last.strip() or _identical(report, baseline, key):
            continue  # an unedited draft and an identical text have their own warnings
        shared = overlap(text, last)
        if shared.total < _SECTION_MINIMUM:
            continue
        share = shared.percent
        if share > SIMILAR_PERCENT:
            message = (f"“{TEXT_HEADINGS[key]}”有{share}%的文字与{baseline.year}年报告相同（超过{SIMILAR_PERCENT}%）："
                       f"格式要求不得年年雷同，请对照上年文字改写")
            passage = longest(shared.passages)
            spans = [(key, passage[0], passage[1])] if passage else []
            yield SIMILAR_SECTION.problem(message, sections=[key], spans=spans, values=[share])


@emits(SIMILAR_REPORT)
def check_similar_report(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None:
        return
    keys = [key for key in _REPORT_TEXT if report.text.get(key, "").strip()]
    if not keys or all(key in report.carried_sections for key in keys):
        return  # a report just started from last year's: the drafts are flagged one by one
    if not any(baseline.text.get(key, "").strip() for key in _REPORT_TEXT):
        return
    shared = total = 0
    for key in keys:  # each section against last year's same section (as 对照上年文字 shows them)
        part = overlap(report.text[key], baseline.text.get(key, ""))
        shared += part.shared
        total += part.total
    if total < _REPORT_MINIMUM:
        return
    share = percent(shared, total)
    if share > SIMILAR_PERCENT:
        message = (f"一、五、六部分合计有{share}%的文字与{baseline.year}年报告相同（超过{SIMILAR_PERCENT}%）："
                   f"年报不得年年雷同，考核时常按与上年的相似度扣分")
        yield SIMILAR_REPORT.problem(message, sections=keys, place="text", values=[share])


# ---- numbers that jump --------------------------------------------------------------------------

JUMP_FACTOR = 5
JUMP_MINIMUM = 30  # the larger of the two years' numbers: below it a five-fold change is ordinary
_JUMP_TOTALS: tuple[tuple[str, tuple[Address, ...]], ...] = (
    ("表三 一、本年新收政府信息公开申请数量（总计）", (("requests", "received", "total"),)),
    ("表四 行政复议 总计", (("appeals", "review", "total"),)),
    ("表四 行政诉讼 总计", (("appeals", "suit_direct", "total"), ("appeals", "suit_after_review", "total"))),
)
# table 二's main counts, compared only when both years use the same format (the columns differ)
_JUMP_PROACTIVE: tuple[Address, ...] = (
    ("art20_1", "rules", "in_force"),
    ("art20_1", "normative_docs", "in_force"),
    ("art20_5", "licensing", "decisions"),
    ("art20_6", "penalty", "decisions"),
    ("art20_6", "coercion", "decisions"),
)


def _jump_items(report: Report, baseline: Baseline) -> Iterable[tuple[str, tuple[Address, ...]]]:
    yield from _JUMP_TOTALS
    if baseline.format_id == report.format_id:
        for address in _JUMP_PROACTIVE:
            if report.format.has_cell(address):
                yield cell_name(report, address), (address,)


def _sum(values: list) -> int | Decimal | None:  # type: ignore[type-arg]
    if any(value is NA for value in values) or all(value is None for value in values):
        return None
    return sum((as_number(value) for value in values), 0)


@emits(JUMP)
def check_jump(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None:
        return
    for label, cells in _jump_items(report, baseline):
        this = _sum([report.value(cell) for cell in cells])
        last = _sum([baseline.value(cell) for cell in cells])
        if not this or not last or max(this, last) < JUMP_MINIMUM:
            continue
        if this >= last * JUMP_FACTOR:
            times = (Decimal(this) / Decimal(last)).quantize(Decimal("0.1"), ROUND_HALF_UP).normalize()
            message = (f"{label}：本年为{number_text(this)}，是{baseline.year}年报告（{number_text(last)}）的"
                       f"{times:f}倍（相差五倍以上，请核对有无多输一位数或统计口径变化）")
        elif last >= this * JUMP_FACTOR:
            share = percent(int(this), int(last))
            last_year = f"{baseline.year}年报告（{number_text(last)}）"
            part = f"只有{last_year}的{share}%" if share else f"不到{last_year}的1%"  # never "的0%"
            message = f"{label}：本年为{number_text(this)}，{part}（相差五倍以上，请核对有无漏输或统计口径变化）"
        else:
            continue
        yield JUMP.problem(message, cells=cells, values=[number_text(this), number_text(last)])


@emits(UNCHANGED_DRAFT)
def check_unchanged_draft(report: Report) -> Iterable[Problem]:
    for key in sorted(report.carried_sections):
        message = f"“{TEXT_HEADINGS[key]}”沿用上年报告的文字，尚未修改"
        yield UNCHANGED_DRAFT.problem(message, sections=[key], values=[report.text.get(key, "")])


LAST_YEAR_RULES = (
    check_carry_in,
    check_in_force_chain,
    check_items_chain,
    check_same_numbers,
    check_same_text,
    check_similar_section,
    check_similar_report,
    check_jump,
    check_unchanged_draft,
)
