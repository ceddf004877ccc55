"""The rules of spec/checks.md: the report (and last year's baseline) in, problems out.

Pure functions of the report: no Qt, no files. The whole set runs on every edit, so each rule is
a short walk over a few hundred cells or a few precompiled patterns over the text (memoised per
text). This module holds the rules on the tables and the meta fields and runs them all; the text
rules are in model.checks_text, the rules against last year's report in model.checks_last_year.
Each rule declares its id, severity, Chinese name and explanation once (model.catalogue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from model.catalogue import Later, declare, emits, format_title, rule_info
from model.checks_last_year import LAST_YEAR_RULES
from model.checks_text import TEXT_RULES
from model.formats import address_text
from model.formats.common import APPLICANT_COLUMNS, APPLICANT_KEYS
from model.limits import MAX_PROBLEMS_PER_RULE
from model.problems import (
    ERROR,
    INFO,
    SEVERITY_ORDER,
    WARNING,
    Problem,
    cell_name,
    format_date,
    make_problem,
    number_text,
    shown,
)
from model.report import Report
from model.values import COUNT_MAX, NA, Kind, validate

_COLUMN_LABEL = {column.key: column.label for column in APPLICANT_COLUMNS}

CELL_INVALID = declare("cell.invalid", ERROR, "格子的值不合规定",
                       "格子里的值不是此格允许的（不是整数、负数、小数位太多或太大），多见于导入或手改的文件")
BALANCE = declare("requests.balance", ERROR, "表三勾稽关系",
                  "表三每个申请人列：第一项加第二项之和，等于第三项（七）总计加第四项之和")
OTHER_SHARE = declare("requests.other_handling_share", INFO, "其他处理占比超过10%",
                      "表三（六）其他处理超过（七）总计的10%，上级机关会关注此项")
AGENCY_MISSING = declare("meta.agency_missing", ERROR, "缺少机关名称", "未填写机关名称（落款使用的全称）")
FORMAT_YEAR = declare("meta.format_year", ERROR, "格式与年度不符",
                      "2021年及以后的报告应使用2021年版格式，2020年及以前的应使用2019年版（试行）格式")
DATE = declare("meta.date", WARNING, "成文日期有误",
               "未填写成文日期，或成文日期不在报告年度结束之后，或距报告年度结束已超过一年")
LATE = declare("meta.late", WARNING, "报告逾期",
               "成文日期晚于次年1月31日（《条例》第四十九条：每年1月31日前公布上一年度的年度报告）")
BLANK = declare("cells.blank", INFO, "未填写的格子", "列出未填写的格子（导出Word时按0打印）")


@emits(CELL_INVALID)
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
            yield CELL_INVALID.problem(f"{label}：{message}", cells=[address], values=[shown(value)])


@emits(BALANCE)
def check_balance(report: Report) -> Iterable[Problem]:
    for col in APPLICANT_KEYS:
        cells = [("requests", row, col) for row in ("received", "carried_in", "handled_total", "carried_out")]
        received, carried_in, handled, carried_out = (report.number(cell) for cell in cells)
        left, right = received + carried_in, handled + carried_out
        if left != right:
            message = (
                f"{_COLUMN_LABEL[col]}列：第一项+第二项={number_text(left)}，"
                f"第三项（七）总计+第四项={number_text(right)}，相差{number_text(abs(left - right))}"
            )
            yield BALANCE.problem(message, cells=cells, values=[shown(report.value(cell)) for cell in cells])


def _other_handling_rows(report: Report) -> list[str]:
    return [row.key for row in report.format.table("requests").rows if row.key.startswith("other_handling")]


@emits(OTHER_SHARE)
def check_other_handling_share(report: Report) -> Iterable[Problem]:
    total_cell = ("requests", "handled_total", "total")
    total = report.number(total_cell)
    rows = _other_handling_rows(report)
    other_cells = [("requests", row, "total") for row in rows]
    other = sum(report.number(cell) for cell in other_cells)
    if total > 0 and other * 10 > total:
        share = Decimal(other * 100) / Decimal(total)
        message = f"（六）其他处理{other}件，占（七）总计{total}件的{share:.1f}%，超过10%（上级机关会关注此项）"
        yield OTHER_SHARE.problem(message, cells=[*other_cells, total_cell], values=[other, total])


def publication_deadline(year: int) -> dt.date:
    """The day a report for ``year`` must be published by: 31 January of the next year (条例第四十九条,
    as revised in 2019); the 2007 regulation it replaced allowed until 31 March."""
    return dt.date(year + 1, 1, 31) if year >= 2019 else dt.date(year + 1, 3, 31)


@emits(AGENCY_MISSING, FORMAT_YEAR, DATE, LATE)
def check_meta(report: Report) -> Iterable[Problem]:
    meta = report.meta
    fmt = report.format
    if not meta.agency.strip():
        yield AGENCY_MISSING.problem("未填写机关名称（落款使用的全称）", fields=["agency"])
    if not fmt.fits_year(meta.year):
        needed = format_title("gov-2021" if meta.year >= 2021 else "gov-2019")
        message = f"{meta.year}年度的报告应使用{needed}，当前使用的是{fmt.name}"
        yield FORMAT_YEAR.problem(message, fields=["year", "format"], values=[meta.year, fmt.id])
    year_end = dt.date(meta.year, 12, 31)
    if meta.date is None:
        yield DATE.problem("未填写成文日期", fields=["date"], values=[None])
    elif meta.date <= year_end:
        message = f"成文日期{format_date(meta.date)}不在报告年度（{meta.year}年）结束之后"
        yield DATE.problem(message, fields=["date"], values=[meta.date.isoformat()])
    elif meta.date > year_end.replace(year=meta.year + 1):
        message = f"成文日期{format_date(meta.date)}距报告年度结束已超过一年，请核对"
        yield DATE.problem(message, fields=["date"], values=[meta.date.isoformat()])
    elif meta.date > publication_deadline(meta.year):
        deadline = publication_deadline(meta.year)
        article = "《条例》第四十九条" if meta.year >= 2019 else "原《条例》"
        message = (f"成文日期{format_date(meta.date)}晚于{format_date(deadline)}：{article}要求"
                   f"每年{deadline.month}月{deadline.day}日前公布上一年度的年度报告（是否按时公布是考核内容）")
        yield LATE.problem(message, fields=["date"], values=[meta.date.isoformat()])


@emits(BLANK)
def check_blank_cells(report: Report) -> Iterable[Problem]:
    blank = [address for address in report.format.input_cells if address not in report.cells]
    if blank:
        message = f"{len(blank)}个格子未填写，导出Word时按0打印"
        yield BLANK.problem(message, cells=blank, place="report", values=sorted(address_text(cell) for cell in blank))


RULES = (
    check_cells_valid,
    check_balance,
    check_other_handling_share,
    check_meta,
    check_blank_cells,
    *TEXT_RULES,
    *LAST_YEAR_RULES,
)


def run_checks(report: Report, *, limit: int | None = MAX_PROBLEMS_PER_RULE) -> list[Problem]:
    """Every problem of the report, dismissed ones marked with their reason; errors first.

    At most ``limit`` problems of one rule are listed, the rest are one summary (see :func:`listed`);
    ``limit=None`` lists them all.
    """
    problems: list[Problem] = []
    for rule in RULES:
        problems.extend(listed(rule(report), limit))
    problems = _marked_dismissed(problems, report.dismissed)
    problems.sort(key=lambda p: SEVERITY_ORDER[p.severity])
    return problems


def listed(found: Iterable[Problem | Later], limit: int | None = MAX_PROBLEMS_PER_RULE) -> list[Problem]:
    """The first ``limit`` problems of each rule, in the order found, then for each rule that found
    more one summary problem: "另有N处同类问题未列出". A text of thousands of numbers or year
    mentions makes a list the clerk can read, a window that stays quick and a workbook of normal
    size; the problems past the list are counted, not built (RuleInfo.later).

    The summary's identity is ``rule|more|fingerprint([N])``: it can be dismissed like any warning,
    and the dismissal lapses when the count changes. Its places are the text sections of the
    problems it stands for (no spans: it marks no phrase); ``hidden`` holds N.
    """
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    more: dict[str, tuple[str, dict[str, None]]] = {}
    for item in found:
        count = counts[item.rule] = counts.get(item.rule, 0) + 1
        if limit is None or count <= limit:
            kept.append(item if isinstance(item, Problem) else item.build())
        else:
            severity, sections = more.setdefault(item.rule, (item.severity, {}))
            sections.update(dict.fromkeys(item.sections))
    for rule, (severity, sections) in more.items():
        hidden = counts[rule] - limit  # type: ignore[operator]
        info = rule_info(rule)
        name = info.name if info is not None else rule
        message = (f"“{name}”另有{hidden}处同类问题未列出（每类问题最多列出{limit}处；"
                   f"改正上面列出的之后，其余的会依次列出）")
        summary = make_problem(rule, severity, message, sections=list(sections), place="more", values=[hidden])
        kept.append(summary._replace(hidden=hidden))
    return kept


def import_problems(report: Report) -> list[Problem]:
    """What the import of the report's source found (Report.import_problems), dismissed ones marked
    with their reason as run_checks marks its own; at most MAX_PROBLEMS_PER_RULE of one rule (listed)."""
    return _marked_dismissed(listed(report.import_problems), report.dismissed)


def _marked_dismissed(problems: list[Problem], dismissed: dict[str, str]) -> list[Problem]:
    """Warnings and infos the clerk dismissed carry the reason (errors cannot be dismissed)."""
    if not dismissed:
        return problems
    return [p._replace(dismissed=dismissed[p.id]) if p.severity != ERROR and p.id in dismissed else p
            for p in problems]


def live_dismissals(report: Report, problems: Iterable[Problem] | None = None) -> dict[str, str]:
    """The dismissals that still apply (a stale one is dropped on the next save); the import
    problems' dismissals apply as long as the report keeps them."""
    if not report.dismissed:
        return {}
    problems = list(problems) if problems is not None else run_checks(report)
    ids = {p.id for p in problems}
    # a dismissed problem past a rule's list (listed) still exists: those rules are checked in full
    overflowing = {p.rule for p in problems if p.hidden}
    wanted = {pid.split("|", 1)[0] for pid in report.dismissed if pid not in ids} & overflowing
    for check in RULES:
        if wanted & {info.id for info in check.rules}:  # type: ignore[attr-defined]
            ids.update(p.id for p in listed(check(report), None))
    ids.update(p.id for p in report.import_problems)
    return {pid: reason for pid, reason in report.dismissed.items() if pid in ids}
