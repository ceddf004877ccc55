"""The 本级 sum: the units' reports of one year and format added up, cell by cell, where adding up
means something (docs/batch.md, "What the sum adds up", gives the reasoning per cell).

Added up: every typed cell of tables 三 and 四 (each request and each case is received or brought
against exactly one agency), and the table 二 cells that count this year's events — documents made
or repealed, decisions taken, fees collected, procurement projects and their amount. Not added up:
the stocks that continue a chain from last year's report — gov-2021's 现行有效件数 and gov-2019's
对外公开总数量, 上一年项目数量 and 本年增/减. The 本级 keeps those from its own register: a sum
would count a jointly issued document once per issuer, and would break the 本级's own chain
(last year's 现行有效 + 制发 − 废止) whenever the set of units changes. They stay blank for the
clerk to fill.

A summed cell is blank when every unit left it blank, "/" when every unit wrote "/", and otherwise
the sum (blank and "/" count as 0). The sum is exact (whole numbers, Decimal amounts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from model.formats import FORMATS, Address, ReportFormat
from model.report import DEFAULT_UNIT, Meta, Report
from model.values import AMOUNT_MAX_DECIMALS, NA, Value, as_number, decimal_text

# (format, table, column) → why it is not added up
NOT_SUMMED: dict[tuple[str, str, str], str] = {
    ("gov-2021", "art20_1", "in_force"): (
        "现行有效件数是存量，由本级按本级的规范性文件目录填写：各单位相加会把联合发文按发文单位重复计算，"
        "且单位增减会使本级“上年现行有效+本年制发−本年废止=现行有效”的衔接失真"),
    ("gov-2019", "art20_1", "public_total"): "对外公开总数量是历年累计的存量，由本级按本级的目录填写，不按单位相加",
    ("gov-2019", "art20_5", "items_last_year"): "上一年项目数量是事项清单的存量，本级清单是各单位事项的并集而非相加，由本级填写",
    ("gov-2019", "art20_5", "items_change"): "本年增/减是本级事项清单的变化，随“上一年项目数量”由本级填写",
    ("gov-2019", "art20_6", "items_last_year"): "上一年项目数量是事项清单的存量，本级清单是各单位事项的并集而非相加，由本级填写",
    ("gov-2019", "art20_6", "items_change"): "本年增/减是本级事项清单的变化，随“上一年项目数量”由本级填写",
    ("gov-2019", "art20_8", "items_last_year"): "上一年项目数量是收费项目清单的存量，由本级按本级清单填写",
    ("gov-2019", "art20_8", "items_change"): "本年增/减是本级收费项目清单的变化，由本级填写",
}


class SumRefused(Exception):
    """The reports cannot be summed as one (mixed years or formats, nothing to sum)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_summed(fmt: ReportFormat, address: Address) -> bool:
    return address in fmt.input_set and (fmt.id, address[0], address[2]) not in NOT_SUMMED


def summed_cells(fmt: ReportFormat) -> tuple[Address, ...]:
    """The typed cells the sum fills, in the format's order."""
    return tuple(a for a in fmt.input_cells if is_summed(fmt, a))


def unsummed_cells(fmt: ReportFormat) -> list[tuple[Address, str]]:
    """The typed cells the sum leaves blank, each with the reason."""
    return [(a, NOT_SUMMED[(fmt.id, a[0], a[2])]) for a in fmt.input_cells if not is_summed(fmt, a)]


def sum_values(values: Iterable[Value]) -> Value:
    """Blank when all are blank, "/" when all are "/", else the exact sum (blank, "/" count 0)."""
    values = list(values)
    if all(v is None for v in values):
        return None
    if all(v is NA for v in values):
        return NA
    total: int | Decimal = 0
    for value in values:
        total += as_number(value)
    return total


_YUAN_PER_WAN = Decimal(10000)


def _in_yuan(value: Value, unit: str) -> Value:
    if value is None or value is NA:
        return value
    return Decimal(as_number(value)) * (_YUAN_PER_WAN if unit == "万元" else 1)


def _procurement(reports: Sequence[Report], address: Address) -> tuple[Value, str]:
    """gov-2019's 采购总金额 is in each report's own unit: add up in 元 (exact), then give it in
    万元 unless that would need more decimals than a cell holds."""
    units = {r.meta.procurement_unit for r in reports}
    if len(units) == 1:
        return sum_values(r.cells.get(address) for r in reports), units.pop()
    total = sum_values(_in_yuan(r.cells.get(address), r.meta.procurement_unit) for r in reports)
    if not isinstance(total, Decimal):
        return total, DEFAULT_UNIT
    in_wan = total / _YUAN_PER_WAN
    if -in_wan.normalize().as_tuple().exponent <= AMOUNT_MAX_DECIMALS:  # type: ignore[operator]
        return Decimal(decimal_text(in_wan)), "万元"
    return total, "元"


class Contribution(NamedTuple):
    report: Report
    name: str  # the file or unit, for messages


def check_summable(reports: Sequence[Contribution]) -> ReportFormat:
    """The one format and year of the reports; SumRefused naming the odd ones otherwise."""
    if not reports:
        raise SumRefused("没有可汇总的报告")
    years: dict[int, list[str]] = {}
    formats: dict[str, list[str]] = {}
    for item in reports:
        years.setdefault(item.report.meta.year, []).append(item.name)
        formats.setdefault(item.report.format_id, []).append(item.name)
    if len(years) > 1:
        parts = "；".join(f"{year}年度{len(names)}份（{_some(names)}）" for year, names in sorted(years.items()))
        raise SumRefused(f"报告的年度不一致，不能相加：{parts}。请只汇总同一年度的报告（可用 --year 指定年度）。")
    if len(formats) > 1:
        parts = "；".join(f"{FORMATS[f].name}{len(names)}份（{_some(names)}）" for f, names in sorted(formats.items()))
        raise SumRefused(f"报告使用的格式不一致，不能相加：{parts}。请先把报告改为同一格式。")
    return FORMATS[reports[0].report.format_id]


def _some(names: list[str], shown: int = 3) -> str:
    text = "、".join(names[:shown])
    return text + (f"等{len(names)}份" if len(names) > shown else "")


def sum_reports(reports: Sequence[Contribution], *, agency: str = "") -> Report:
    """The 本级 report's start: the summed cells; texts, date and the unsummed cells for the clerk."""
    fmt = check_summable(reports)
    plain = [item.report for item in reports]
    meta = Meta(agency=agency, year=plain[0].meta.year)
    total = Report(fmt.id, meta)
    for address in summed_cells(fmt):
        if fmt.column(address).unit == "procurement":
            value, unit = _procurement(plain, address)
            total.meta = total.meta._replace(procurement_unit=unit)
        else:
            value = sum_values(r.cells.get(address) for r in plain)
        if value is not None:
            total.cells[address] = value
    return total


class Difference(NamedTuple):
    address: Address
    level: int | Decimal  # the 本级 report's value
    total: int | Decimal  # the sum of the units'
    difference: int | Decimal  # level − total


def compare_with_sum(level: Report, total: Report) -> list[Difference]:
    """The summed cells where the 本级 report differs from the units' sum (amounts compared in
    the same unit)."""
    fmt = level.format
    differences = []
    for address in summed_cells(fmt):
        mine, theirs = level.cells.get(address), total.cells.get(address)
        if fmt.column(address).unit == "procurement":
            mine = _in_yuan(mine, level.meta.procurement_unit)
            theirs = _in_yuan(theirs, total.meta.procurement_unit)
        a, b = as_number(mine), as_number(theirs)
        if a != b:
            differences.append(Difference(address, a, b, a - b))
    return differences
