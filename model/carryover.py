"""This year's report from last year's, and moving a report between the official formats
(spec/formats.md, "Moving a gov-2019 report to gov-2021").

Tables 三 and 四 keep their keys (gov-2019's single （六）其他处理 row becomes gov-2021's 3.其他;
backwards, the three （六） rows add up into the single row). Table 二 measures different things in
the two formats, so it starts empty and the clerk is told what was not carried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from model.formats import TEXT_HEADINGS, Address, ReportFormat, format_for_year
from model.formats.common import APPLICANT_KEYS
from model.report import Meta, Report
from model.values import NA, Value, as_number, display_text

OTHER_2021 = ("other_handling.no_correction", "other_handling.unpaid_fee", "other_handling.other")


@dataclass(frozen=True)
class Conversion:
    report: Report
    notes: tuple[str, ...]  # what could not be carried, and why (Chinese)


def _cell_label(fmt: ReportFormat, address: Address) -> str:
    table = fmt.table(address[0])
    return f"{table.title} {table.row_index[address[1]].label} · {table.column_index[address[2]].label}"


def _sum(values: list[Value]) -> Value:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(v is NA for v in present):
        return NA
    return sum(as_number(v) for v in present)


def convert(report: Report, target: ReportFormat) -> Conversion:
    """The same report in ``target``'s format, with notes on what was not carried."""
    source = report.format
    if source.id == target.id:
        return Conversion(report.copy(), ())
    cells: dict[Address, Value] = {}
    dropped: list[str] = []
    for address, value in report.cells.items():
        table, row, col = address
        if table not in ("requests", "appeals"):
            if value is not None:
                dropped.append(f"{_cell_label(source, address)} = {display_text(value)}")
            continue
        if table == "requests" and row == "other_handling" and target.has_cell(("requests", "other_handling.other", col)):
            cells[("requests", "other_handling.other", col)] = value
        elif table == "requests" and row in OTHER_2021 and not target.has_cell(address):
            continue  # added up below
        elif target.has_cell(address):
            cells[address] = value
    if target.has_cell(("requests", "other_handling", "natural")):
        for col in APPLICANT_KEYS:
            total = _sum([report.cells.get(("requests", row, col)) for row in OTHER_2021])
            if total is not None:
                cells[("requests", "other_handling", col)] = total

    notes: list[str] = []
    if dropped:
        notes.append(
            "表二（主动公开政府信息情况）的栏目在两种格式中含义不同，无法对应转换，已清空；原有数值："
            + "；".join(dropped)
        )
    if source.id == "gov-2019" and any(r == "other_handling" for _t, r, _c in report.cells):
        notes.append("表三“（六）其他处理”已转入2021年版的“3.其他”，请按新格式拆分到三个细项。")
    if target.id == "gov-2019" and any(r in OTHER_2021 for _t, r, _c in report.cells):
        notes.append("表三“（六）其他处理”的三个细项已合并为2019年版的一行。")
    converted = report.copy()
    converted.format_id = target.id
    converted.cells = cells
    converted.meta = report.meta
    return Conversion(converted, tuple(notes))


CARRIED_TEXT = ("preamble", "overview", "problems", "other_matters")


def next_title(title: str | None, last_year: int, year: int) -> str | None:
    """A custom title kept, its year updated ("县商务局2019年…" → "县商务局2020年…")."""
    if title is None:
        return None
    return re.sub(rf"{last_year}(?=\s*年)", str(year), title)


def new_year(last: Report, year: int | None = None) -> Conversion:
    """This year's report from last year's: the skeleton a clerk starts from.

    Year + 1 (or ``year``) in the format that year needs; agency kept; a custom title kept with its
    year updated; 成文日期 cleared. Numbers are not copied — except 二、上年结转, which is last
    year's 四、结转下年度继续办理, per column. Last year's whole report becomes the baseline of the
    cross-year checks. Text sections are copied as drafts, flagged until edited.
    """
    year = year if year is not None else last.meta.year + 1
    target = format_for_year(year)
    meta = Meta(agency=last.meta.agency, year=year, date=None,
                title=next_title(last.meta.title, last.meta.year, year),
                procurement_unit=last.meta.procurement_unit)
    report = Report(target.id, meta, profile=last.profile)  # the office's layout stays
    for col in APPLICANT_KEYS:
        value = last.cells.get(("requests", "carried_out", col))
        if value is not None:
            report.cells[("requests", "carried_in", col)] = value
    report.last_year = last.baseline()
    for key in CARRIED_TEXT:
        text = last.text.get(key, "")
        report.text[key] = text
        if text.strip():
            report.carried_sections.add(key)
    notes: list[str] = []
    if year != last.meta.year + 1:
        notes.append(f"上年报告是{last.meta.year}年度的，新报告是{year}年度：跨年核对仍以该报告为准。")
    if last.format_id != target.id:
        notes.append(f"{year}年度使用{target.name}；上年报告使用{last.format.name}。")
        if target.id == "gov-2021":
            notes.append("表二（主动公开政府信息情况）的栏目在2021年版中含义不同：上年的“对外公开总数量”不是“现行有效件数”，"
                         "本年的现行有效件数请按实际填写，不做上年衔接核对。")
    carried = [TEXT_HEADINGS[k] for k in CARRIED_TEXT if k in report.carried_sections]
    if carried:
        notes.append("沿用了上年的文字（请逐段修改，修改前标为“沿用上年，待修改”）：" + "、".join(carried))
    return Conversion(report, tuple(notes))
