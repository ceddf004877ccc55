"""Moving a report between the official formats (spec/formats.md, "Moving a gov-2019 report to gov-2021").

Tables 三 and 四 keep their keys (gov-2019's single （六）其他处理 row becomes gov-2021's 3.其他;
backwards, the three （六） rows add up into the single row). Table 二 measures different things in
the two formats, so it starts empty and the clerk is told what was not carried.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from model.formats import Address, ReportFormat
from model.report import Report
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
        for col in ("natural", "business", "research", "nonprofit", "legal", "other"):
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
    converted.meta = replace(report.meta)
    return Conversion(converted, tuple(notes))
