"""The rules of spec/checks.md: the report (and last year's baseline) in, problems out.

Pure functions of the report: no Qt, no files. The whole set runs on every edit, so each rule is
a short walk over a few hundred cells or a few precompiled patterns over the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from model.formats import TEXT_HEADINGS, Address, address_text
from model.formats.common import APPLICANT_COLUMNS, APPLICANT_KEYS
from model.problems import (
    ERROR,
    INFO,
    OVERVIEW_LIMIT,
    SEVERITY_ORDER,
    WARNING,
    Problem,
    cell_name,
    format_date,
    make_problem,
    text_length,
)
from model.report import Report
from model.values import (
    COUNT_MAX,
    NA,
    Kind,
    Value,
    as_number,
    decimal_text,
    display_text,
    same_value,
    validate,
)


def _n(value: int | Decimal) -> str:
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def _shown(value: Value) -> str:
    return display_text(value, blank="空")


_COLUMN_LABEL = {column.key: column.label for column in APPLICANT_COLUMNS}


# ---- within this year's report --------------------------------------------------------------


def check_cells_valid(report: Report) -> Iterable[Problem]:
    fmt = report.format
    kinds = fmt.cell_kinds
    cells = report.cells
    for address, kind in kinds.items():  # in the format's order
        value = cells.get(address)
        if value is None or value is NA or (type(value) is int and kind is not Kind.AMOUNT and 0 <= value <= COUNT_MAX):
            continue  # the common case, decided without building a message
        message = validate(kind, value, report.unit_of(address))
        if message:
            label = cell_name(report, address)
            yield make_problem(
                "cell.invalid", ERROR, f"{label}：{message}", cells=[address], values=[_shown(value)]
            )


def check_balance(report: Report) -> Iterable[Problem]:
    for col in APPLICANT_KEYS:
        cells = [("requests", row, col) for row in ("received", "carried_in", "handled_total", "carried_out")]
        received, carried_in, handled, carried_out = (report.number(cell) for cell in cells)
        left, right = received + carried_in, handled + carried_out
        if left != right:
            message = (
                f"{_COLUMN_LABEL[col]}列：第一项+第二项={_n(left)}，"
                f"第三项（七）总计+第四项={_n(right)}，相差{_n(abs(left - right))}"
            )
            yield make_problem(
                "requests.balance", ERROR, message, cells=cells,
                values=[_shown(report.value(cell)) for cell in cells],
            )


def _other_handling_rows(report: Report) -> list[str]:
    return [row.key for row in report.format.table("requests").rows if row.key.startswith("other_handling")]


def check_other_handling_share(report: Report) -> Iterable[Problem]:
    total_cell = ("requests", "handled_total", "total")
    total = report.number(total_cell)
    rows = _other_handling_rows(report)
    other_cells = [("requests", row, "total") for row in rows]
    other = sum(report.number(cell) for cell in other_cells)
    if total > 0 and other * 10 > total:
        share = Decimal(other * 100) / Decimal(total)
        message = f"（六）其他处理{other}件，占（七）总计{total}件的{share:.1f}%，超过10%（上级机关会关注此项）"
        yield make_problem(
            "requests.other_handling_share", INFO, message, cells=[*other_cells, total_cell], values=[other, total]
        )


def check_meta(report: Report) -> Iterable[Problem]:
    meta = report.meta
    fmt = report.format
    if not meta.agency.strip():
        yield make_problem("meta.agency_missing", ERROR, "未填写机关名称（落款使用的全称）", fields=["agency"])
    if not fmt.fits_year(meta.year):
        needed = "2021年版格式（国办公开办函〔2021〕30号）" if meta.year >= 2021 else "2019年版格式（试行）"
        message = f"{meta.year}年度的报告应使用{needed}，当前使用的是{fmt.name}"
        yield make_problem(
            "meta.format_year", ERROR, message, fields=["year", "format"], values=[meta.year, fmt.id]
        )
    year_end = dt.date(meta.year, 12, 31)
    if meta.date is None:
        yield make_problem("meta.date", WARNING, "未填写成文日期", fields=["date"], values=[None])
    elif meta.date <= year_end:
        message = f"成文日期{format_date(meta.date)}不在报告年度（{meta.year}年）结束之后"
        yield make_problem("meta.date", WARNING, message, fields=["date"], values=[meta.date.isoformat()])
    elif meta.date > year_end.replace(year=meta.year + 1):
        message = f"成文日期{format_date(meta.date)}距报告年度结束已超过一年，请核对"
        yield make_problem("meta.date", WARNING, message, fields=["date"], values=[meta.date.isoformat()])


def check_blank_cells(report: Report) -> Iterable[Problem]:
    blank = [address for address in report.format.input_cells if address not in report.cells]
    if blank:
        message = f"{len(blank)}个格子未填写，导出Word时按0打印"
        yield make_problem(
            "cells.blank", INFO, message, cells=blank, place="report",
            values=sorted(address_text(cell) for cell in blank),
        )


_REQUIRED_TEXT = ("overview", "problems", "other_matters")


def check_text_empty(report: Report) -> Iterable[Problem]:
    for key in _REQUIRED_TEXT:
        if not report.text.get(key, "").strip():
            yield make_problem("text.empty", ERROR, f"“{TEXT_HEADINGS[key]}”尚未填写", sections=[key])


def check_overview_length(report: Report) -> Iterable[Problem]:
    if report.format_id != "gov-2021":
        return
    length = text_length(report.text.get("overview", ""))
    if length > OVERVIEW_LIMIT:
        message = f"总体情况共{length}字，超过格式要求的“原则上不超过一千字”"
        yield make_problem("text.overview_length", WARNING, message, sections=["overview"], values=[length])


def check_fee_statement(report: Report) -> Iterable[Problem]:
    text = report.text.get("other_matters", "")
    if report.format_id != "gov-2021" or not text.strip() or "处理费" in text:
        return
    message = "六、其他需要报告的事项未说明信息处理费的收取情况（未收取也应写明，如“本年度未收取信息处理费”）"
    yield make_problem("text.fee_statement", WARNING, message, sections=["other_matters"])


# ---- text: stale years ----------------------------------------------------------------------

_YEAR = r"(?P<y>(?:19|20)\d\d)"
# "2025年，我局…" / "2025年度，" / "2025年全年" at the start of a paragraph or sentence.
_STALE_OPENING = re.compile(
    r"(?:^|(?<=[。！？；\n]))[ \t\u3000]*" + _YEAR + r"年(?:度)?(?=[，,、]|全年|我|本)", re.M
)
_STALE_THIS_YEAR = re.compile(r"本年度?[（(]" + _YEAR + r"年?度?[）)]")
_STALE_PERIOD = re.compile(r"统计(?:期限|时限|期间|时间|区间|范围)[^。\n]{0,40}")
_STALE_PERIOD_YEAR = re.compile(_YEAR + r"年")
_STALE_UNTIL = re.compile(r"截(?:至|止)" + _YEAR + r"年12月31日")
_STALE_FROM = re.compile(_YEAR + r"年1月1日(?:起)?(?:至|到|—|-|～|~)")
_STALE_TITLE = re.compile(_YEAR + r"年度?政府信息公开(?:工作)?年度报告")
# in text carried over from last year's report: any "2025年度" that is not a comparison
# ("较2025年度") and not last year's accounts ("2025年度决算", which a report does publish)
_STALE_CARRIED = re.compile(r"(?<![较比与同上去自从至到])" + _YEAR + r"年度(?!决算|预算|部门决算|部门预算)")


def _inside_book_title(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.rfind("《") > before.rfind("》")


@lru_cache(maxsize=64)
def _stale_year_spans(text: str, year: int, carried: bool = False) -> tuple[tuple[int, int, str], ...]:
    """(start, end, kind) of each year mention that speaks of another year as the report year.

    ``kind`` is "opening" (a sentence opening with the year, where next year is allowed: plans for
    next year are normal in 五), or "exact" (the statistics period, 本年度（…）, the report's own
    title, where only the report year fits).
    """
    found: dict[int, tuple[int, int, str]] = {}

    def add(match: re.Match[str], kind: str, base: int = 0) -> None:
        start, end = match.start("y") + base, match.end("y") + base
        found.setdefault(start, (start, end, kind))

    for match in _STALE_OPENING.finditer(text):
        add(match, "opening")
    for pattern in (_STALE_THIS_YEAR, _STALE_UNTIL, _STALE_FROM):
        for match in pattern.finditer(text):
            add(match, "exact")
    for match in _STALE_TITLE.finditer(text):
        if not _inside_book_title(text, match.start()):
            add(match, "exact")
    if carried:
        for match in _STALE_CARRIED.finditer(text):
            if not _inside_book_title(text, match.start()):
                add(match, "opening")
    for period in _STALE_PERIOD.finditer(text):
        for match in _STALE_PERIOD_YEAR.finditer(period.group()):
            add(match, "exact", period.start())
    result = []
    for start, end, kind in sorted(found.values()):
        mentioned = int(text[start:end])
        if mentioned == year or (kind == "opening" and mentioned == year + 1):
            continue
        result.append((start, end, kind))
    return tuple(result)


def _phrase(text: str, start: int, end: int) -> str:
    """The words around a span, for a message: from the sentence start to the end of its clause."""
    line_start = text.rfind("\n", 0, start) + 1
    left = max(line_start, start - 6)
    for stop in "。！？；":
        found = text.rfind(stop, left, start)
        if found != -1:
            left = found + 1
    right = len(text)
    for stop in "。！？；\n":
        found = text.find(stop, end)
        if found != -1:
            right = min(right, found + (0 if stop == "\n" else 1))
    return text[left:min(right, end + 24)]


def check_stale_year(report: Report) -> Iterable[Problem]:
    year = report.meta.year
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        if not text:
            continue
        seen: dict[str, int] = {}
        for start, end, _kind in _stale_year_spans(text, year, key in report.carried_sections):
            phrase = _phrase(text, start, end)
            seen[phrase] = seen.get(phrase, 0) + 1
            mentioned = text[start:end]
            message = (
                f"{TEXT_HEADINGS[key]}：“{phrase}”把{mentioned}年当作本年度来写，"
                f"本报告是{year}年度的（上年文字未更新？）"
            )
            yield make_problem(
                "text.stale_year", WARNING, message, sections=[key], spans=[(key, start, end)],
                values=[phrase, seen[phrase]],
            )


_STALE_CITATIONS = (
    (re.compile(r"国务院令第?492号"), "2007年的《条例》（国务院令第492号）已于2019年修订，现行为国务院令第711号", None),
    (re.compile(r"格式[（(]试行[）)]"), "2021年起应使用《中华人民共和国政府信息公开工作年度报告格式》，不再是“（试行）”版", "gov-2021"),
)


def check_stale_citation(report: Report) -> Iterable[Problem]:
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        for pattern, explanation, only_format in _STALE_CITATIONS:
            if only_format and report.format_id != only_format:
                continue
            for match in pattern.finditer(text):
                message = f"{TEXT_HEADINGS[key]}：引用“{match.group()}”已过时：{explanation}"
                yield make_problem(
                    "text.stale_citation", WARNING, message, sections=[key],
                    spans=[(key, match.start(), match.end())], values=[match.group(), match.start()],
                )


# ---- text: numbers that disagree with the tables --------------------------------------------

_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"


@dataclass(frozen=True)
class _Statement:
    pattern: re.Pattern[str]
    what: str  # the table quantity, in the clerk's words
    rows: tuple[str, ...]  # table 三 row keys whose 总计 add up; or appeals rows; or art20_1 rows
    table: str = "requests"
    column: str = "total"
    formats: tuple[str, ...] = ("gov-2019", "gov-2021")


_STATEMENTS: tuple[_Statement, ...] = (
    _Statement(
        re.compile(
            r"(?<!答复)(?:收到|受理|新收)(?:各类|公众|社会公众)?(?:政府信息公开|信息公开|依申请公开)?"
            r"申请(?:共计|共|合计|总计)?" + _NUM + "件"
        ),
        "一、本年新收政府信息公开申请数量（总计）", ("received",),
    ),
    _Statement(
        re.compile(r"上一?年度?结转(?:的)?(?:政府信息公开)?申请(?:共计|共)?" + _NUM + "件"),
        "二、上年结转政府信息公开申请数量（总计）", ("carried_in",),
    ),
    _Statement(
        re.compile(r"(?:答复|办结)(?:政府信息公开|信息公开|依申请公开)?申请(?:共计|共|合计)?" + _NUM + "件"),
        "三、本年度办理结果（七）总计", ("handled_total",),
    ),
    _Statement(
        re.compile(r"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?(?:申请)?(?:共计|共)?" + _NUM + "件"),
        "四、结转下年度继续办理（总计）", ("carried_out",),
    ),
    _Statement(
        re.compile(r"予以公开(?:及|和|与|、)部分公开(?:共计|共)?" + _NUM + "件"),
        "（一）予以公开与（二）部分公开之和", ("granted", "partial"),
    ),
    _Statement(re.compile(r"(?<!部分)(?<!不)予以公开" + _NUM + "件"), "（一）予以公开（总计）", ("granted",)),
    _Statement(re.compile(r"(?<!及)(?<!和)部分公开" + _NUM + "件"), "（二）部分公开（总计）", ("partial",)),
    _Statement(re.compile(r"不予公开(?:共计|共)?" + _NUM + "件"), "（三）不予公开（总计）", ("denied",)),
    _Statement(re.compile(r"无法提供(?:共计|共)?" + _NUM + "件"), "（四）无法提供（总计）", ("unable",)),
    _Statement(re.compile(r"不予处理(?:共计|共)?" + _NUM + "件"), "（五）不予处理（总计）", ("rejected",)),
    _Statement(re.compile(r"其他处理(?:共计|共)?" + _NUM + "件"), "（六）其他处理（总计）", ("other_handling",)),
    _Statement(
        re.compile(r"行政复议(?:案件|申请)?(?:共计|共)?" + _NUM + "件"), "表四 行政复议 总计", ("review",),
        table="appeals",
    ),
    _Statement(
        re.compile(r"(?:行政诉讼(?:案件)?(?:共计|共)?|行政复议\d+件[，,、和及]\s*(?:提起)?诉讼)" + _NUM + "件"),
        "表四 行政诉讼 总计（直接起诉与复议后起诉之和）", ("suit_direct", "suit_after_review"), table="appeals",
    ),
    _Statement(
        re.compile(r"现行有效(?:的)?行政规范性文件(?:共计|共)?" + _NUM + "件"),
        "第二十条第（一）项 行政规范性文件 现行有效件数", ("normative_docs",), table="art20_1",
        column="in_force", formats=("gov-2021",),
    ),
    _Statement(
        re.compile(r"现行有效(?:的)?规章(?:共计|共)?" + _NUM + "件"),
        "第二十条第（一）项 规章 现行有效件数", ("rules",), table="art20_1", column="in_force",
        formats=("gov-2021",),
    ),
)


def _statement_cells(report: Report, statement: _Statement) -> list[Address]:
    if statement.table != "requests":
        return [(statement.table, row, statement.column) for row in statement.rows]
    table_rows = [row.key for row in report.format.table("requests").rows]
    cells = []
    for wanted in statement.rows:
        for row in table_rows:
            if row == wanted or row.startswith(wanted + "."):
                cells.append(("requests", row, "total"))
    return cells


_STATED = re.compile(r"\d件")


@lru_cache(maxsize=64)
def _statements_in(text: str) -> tuple[tuple[int, str, int, int, int], ...]:
    """(statement index, phrase, stated number, start, end of the number) of each clear statement.

    Depends on the text alone, so a keystroke in a grid reuses it; a text without "N件" is
    skipped without running the patterns.
    """
    if not _STATED.search(text):
        return ()
    found = []
    for index, statement in enumerate(_STATEMENTS):
        for match in statement.pattern.finditer(text):
            stated = int(match.group("n").replace(",", ""))
            found.append((index, match.group(), stated, match.start("n"), match.end("n")))
    return tuple(found)


def check_number_mismatch(report: Report) -> Iterable[Problem]:
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        if not text:
            continue
        actuals: dict[int, tuple[list[Address], int | Decimal] | None] = {}
        for index, phrase, stated, start, end in _statements_in(text):
            statement = _STATEMENTS[index]
            if report.format_id not in statement.formats:
                continue
            if index not in actuals:
                cells = _statement_cells(report, statement)
                applicable = not all(report.value(cell) is NA for cell in cells)
                actuals[index] = (cells, sum(report.number(cell) for cell in cells)) if applicable else None
            known = actuals[index]
            if known is None or known[1] == stated:
                continue
            cells, actual = known
            message = f"{TEXT_HEADINGS[key]}：文中“{phrase}”，表格中{statement.what}为{_n(actual)}"
            yield make_problem(
                "text.number_mismatch", WARNING, message, cells=cells, sections=[key],
                spans=[(key, start, end)], place=f"{key}+{'+'.join(address_text(c) for c in cells)}",
                values=[phrase, _n(actual), start],
            )


_ALL_UPHELD = re.compile(r"均(?:获|予|被|得到|已)?(?:法院)?维持|全部(?:获|予|被)?维持")


def check_pending_upheld(report: Report) -> Iterable[Problem]:
    table = report.format.table("appeals")
    cells = [
        ("appeals", row.key, col)
        for row in table.rows
        for col in ("corrected", "pending")
        if report.number(("appeals", row.key, col)) > 0
    ]
    if not cells:
        return
    pending = sum(report.number(("appeals", row.key, "pending")) for row in table.rows)
    corrected = sum(report.number(("appeals", row.key, "corrected")) for row in table.rows)
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        if "维持" not in text:
            continue
        for match in _ALL_UPHELD.finditer(text):
            message = (
                f"{TEXT_HEADINGS[key]}：文中说“{match.group()}”，但表四中结果纠正{corrected}件、"
                f"尚未审结{pending}件"
            )
            yield make_problem(
                "text.pending_upheld", WARNING, message, cells=cells, sections=[key],
                spans=[(key, match.start(), match.end())], place=key,
                values=[match.group(), match.start(), pending, corrected],
            )


# ---- against last year's report -------------------------------------------------------------


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
                f"{_COLUMN_LABEL[col]}列：二、上年结转为{_n(this)}，"
                f"但{baseline.year}年报告的四、结转下年度继续办理为{_n(last)}"
            )
            yield make_problem(
                "requests.carry_in", WARNING, message, cells=[cell],
                values=[_shown(report.value(cell)), _shown(baseline.value(last_cell))],
            )


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
        if in_force != expected:
            message = (
                f"{row.label}：上年现行有效{_n(as_number(last_value))}件+本年制发{_n(issued)}件"
                f"−本年废止{_n(repealed)}件={_n(expected)}件，表中现行有效为{_n(in_force)}件"
                f"（如有文件到期失效，可说明原因后忽略此提醒）"
            )
            yield make_problem(
                "proactive.in_force_chain", WARNING, message, cells=cells,
                values=[*(_shown(v) for v in values), _shown(last_value)],
            )


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
                    f"{_n(as_number(last_items))}{as_number(last_change):+d}={_n(expected)}，表中为{_n(as_number(this))}"
                )
                yield make_problem(
                    "proactive.items_chain", WARNING, message, cells=[cell],
                    values=[_shown(this), _shown(last_items), _shown(last_change)],
                )


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
        yield make_problem(
            "numbers.same_as_last_year", WARNING, message, place="cells",
            values=sorted(f"{address_text(a)}={display_text(v)}" for a, v in report.cells.items()),
        )


_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


def _comparable(text: str) -> str:
    return _YEAR_DIGITS.sub("#", "".join(text.split()))


def check_same_text(report: Report) -> Iterable[Problem]:
    baseline = report.last_year
    if baseline is None:
        return
    for key in ("overview", "problems"):
        this = _comparable(report.text.get(key, ""))
        if this and this == _comparable(baseline.text.get(key, "")):
            message = f"“{TEXT_HEADINGS[key]}”与{baseline.year}年报告相同（不计年份和空白），格式要求不得年年雷同"
            yield make_problem("text.same_as_last_year", WARNING, message, sections=[key], values=[this])


def check_unchanged_draft(report: Report) -> Iterable[Problem]:
    for key in sorted(report.carried_sections):
        message = f"“{TEXT_HEADINGS[key]}”沿用上年报告的文字，尚未修改"
        yield make_problem("text.unchanged_draft", WARNING, message, sections=[key], values=[report.text.get(key, "")])


RULES = (
    check_cells_valid,
    check_balance,
    check_other_handling_share,
    check_meta,
    check_blank_cells,
    check_text_empty,
    check_overview_length,
    check_fee_statement,
    check_stale_year,
    check_stale_citation,
    check_number_mismatch,
    check_pending_upheld,
    check_carry_in,
    check_in_force_chain,
    check_items_chain,
    check_same_numbers,
    check_same_text,
    check_unchanged_draft,
)


def run_checks(report: Report) -> list[Problem]:
    """Every problem of the report, dismissed ones marked with their reason; errors first."""
    problems: list[Problem] = []
    for rule in RULES:
        problems.extend(rule(report))
    dismissed = report.dismissed
    if dismissed:
        problems = [
            p._replace(dismissed=dismissed[p.id]) if p.severity != ERROR and p.id in dismissed else p
            for p in problems
        ]
    problems.sort(key=lambda p: SEVERITY_ORDER[p.severity])
    return problems


def live_dismissals(report: Report, problems: Iterable[Problem] | None = None) -> dict[str, str]:
    """The dismissals that still apply (a stale one is dropped on the next save)."""
    if not report.dismissed:
        return {}
    ids = {p.id for p in (problems if problems is not None else run_checks(report))}
    return {pid: reason for pid, reason in report.dismissed.items() if pid in ids}


