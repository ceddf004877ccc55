"""What `sum` (and the window's 汇总为本级报告…) adds up, and what stands in its way.

The same plan serves the command line and the window, so both find the same reasons and say
them in the same words, all at once:

- a file that could not be read: the sum would silently miss a unit;
- reports of several years, none chosen: which year is the 本级 report's?
- reports of the chosen year in different formats: cells of two formats do not add up;
- units whose reports have errors: the sum carries their errors into the 本级 report (an
  unbalanced table 三 there), and nothing in the 本级 report names the unit.

The command line refuses while any of them stands, naming every one and the option that accepts
it (``--year``, ``--partial``, ``--allow-errors``); the window shows them in its confirmation,
where the clerk accepts them by clicking 仍然汇总. Reports of other years than the chosen one, the
duplicates (the version that counts chosen by a stated rule, export.batch_versions) and the 本级
report itself are left out and listed, never added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, NoReturn

from export.batch import DUPLICATE, Entry
from export.batch_names import find_level_government, majority_region, normal_name, unit_key
from export.batch_sum import Contribution, SumRefused, sum_reports
from export.batch_versions import ranked, why_first
from model.formats import FORMATS
from model.report import Report

UNREADABLE, YEARS, FORMATS_DIFFER, ERRORS = "unreadable", "years", "formats", "errors"
OPTIONS = {YEARS: "--year", UNREADABLE: "--partial", FORMATS_DIFFER: "--partial", ERRORS: "--allow-errors"}
SHOWN = 6  # files named in a reason before "等N份"


@dataclass(frozen=True)
class Reason:
    """Something that stands in the way of the sum, in the clerk's words."""

    key: str  # UNREADABLE, YEARS, FORMATS_DIFFER or ERRORS
    text: str
    accept: str  # how to accept it on the command line

    def command_line(self) -> str:
        return f"{self.text}{self.accept}"


class LeftOut(NamedTuple):
    name: str  # the unit, or the file's name
    rel: str  # the file
    why: str


def _left(entry: Entry, why: str) -> LeftOut:
    return LeftOut(entry.name, entry.rel, why)


@dataclass
class SumPlan:
    """The sum as it would be made: the report (None when it cannot be: several years, none
    chosen), the files added and those left out with why, and what stands in the way."""

    report: Report | None
    used: list[Entry]
    left_out: list[LeftOut]
    agency_from: str  # where the 本级 name came from, in the clerk's words ("" when unknown)
    reasons: list[Reason] = field(default_factory=list)
    with_errors: list[Entry] = field(default_factory=list)  # added although their reports have errors

    def blocking(self, *, year: bool = False, partial: bool = False, allow_errors: bool = False) -> list[Reason]:
        """The reasons not accepted by the options given."""
        accepted = {YEARS: year, UNREADABLE: partial, FORMATS_DIFFER: partial, ERRORS: allow_errors}
        return [r for r in self.reasons if not accepted[r.key]]


def _files(entries: Sequence[Entry | str]) -> str:
    names = [e if isinstance(e, str) else e.rel for e in entries]
    return "、".join(names[:SHOWN]) + (f"等{len(names)}份" if len(names) > SHOWN else "")


def first_error(entry: Entry, errors: int | None = None) -> str:
    """The first error's message (and how many there are: ``errors`` when the caller has counted them)."""
    problem, _count = entry.first_problems()
    if problem is None:
        return ""
    errors = entry.counts()[0] if errors is None else errors
    return problem.message + (f"（共{errors}个错误）" if errors > 1 else "")


def plan_sum(entries: list[Entry], *, agency: str | None = None, year: int | None = None,
             archives: Sequence[str] = ()) -> SumPlan:
    """The 本级 start from the units' reports of ``year`` (without it: of the one year they all
    have; with several, no report is made, and the other reasons are found for the year most
    have), with every reason that stands in the way. Raises SumRefused when there is nothing to
    add up."""
    reasons: list[Reason] = []
    left_out = [_left(e, "无法读取") for e in entries if not e.readable]
    left_out += [LeftOut(Path(rel).name, rel, "压缩包，未解压") for rel in archives]
    if left_out:
        what = "无法读取或是未解压的压缩包" if archives else "无法读取"
        reasons.append(Reason(UNREADABLE, f"有{len(left_out)}个文件{what}，不能计入（否则合计会漏掉这些单位）："
                                          f"{_files([item.rel for item in left_out])}。请修复、解压或移出这些文件",
                              "；或加 --partial 只汇总其余报告"))
    readable = [e for e in entries if e.readable]
    years = Counter(e.outcome.year for e in readable)
    mixed = year is None and len(years) > 1
    if mixed:
        parts = "；".join(f"{y}年度{n}份（{_files([e for e in readable if e.outcome.year == y])}）"
                         for y, n in sorted(years.items()))
        reasons.append(Reason(YEARS, f"报告的年度不一致，不能相加：{parts}", "。请用 --year 指定要汇总的年度"))
    if year is None and years:  # the other reasons are found for the year most reports have
        year = max(years, key=lambda y: (years[y], y or 0))
    left_out += [_left(e, f"{e.outcome.year}年度") for e in readable if e.outcome.year != year]
    chosen = [e for e in readable if e.outcome.year == year]
    if not chosen:
        _nothing(f"没有{year}年度的报告可以汇总" if year else "没有可汇总的报告", reasons)
    formats = Counter(e.outcome.format_id for e in chosen)
    if len(formats) > 1:
        common = max(formats, key=lambda f: (formats[f], f or ""))
        odd = [e for e in chosen if e.outcome.format_id != common]
        parts = "；".join(f"{FORMATS[f or ''].name}{n}份（{_files([e for e in chosen if e.outcome.format_id == f])}）"
                         for f, n in sorted(formats.items(), key=lambda item: item[0] or ""))
        reasons.append(Reason(FORMATS_DIFFER, f"{year}年度的报告使用的格式不一致，不能相加：{parts}。"
                                              "请先让这些单位改为同一格式",
                              f"；或加 --partial 只汇总多数报告使用的{FORMATS[common or ''].name}"))
        left_out += [_left(e, "格式不同") for e in odd]
        chosen = [e for e in chosen if e.outcome.format_id == common]
    level, agency, agency_from = _level(chosen, agency)
    if level is not None:
        left_out.append(_left(level, "本级报告本身，不计入"))
        chosen = [e for e in chosen if e is not level]
    groups: dict[str, list[Entry]] = {}
    for entry in chosen:
        groups.setdefault(unit_key(entry.agency) or entry.rel, []).append(entry)
    for group in groups.values():
        if len(group) > 1:
            first, *others = ranked(group)
            for entry in others:
                left_out.append(_left(entry, f"与“{first.rel}”重复，以“{first.rel}”为准（{why_first(first, entry)}）"))
            chosen = [e for e in chosen if e not in others]
    if not chosen:
        _nothing("除本级报告本身外，没有可汇总的下级单位报告", reasons)
    with_errors = [e for e in chosen if e.counts()[0]]
    if with_errors:
        named = "；".join(f"{e.name}（{e.rel}：{first_error(e)}）" for e in with_errors[:SHOWN])
        more = f"等{len(with_errors)}个单位" if len(with_errors) > SHOWN else ""
        reasons.append(Reason(ERRORS, f"{len(with_errors)}个单位的报告有错误，相加后本级报告也会带有这些错误：{named}{more}。"
                                      "请先退回这些单位改正", "；或加 --allow-errors 照常相加"))
    if not agency:
        region, count = majority_region([e.agency for e in chosen])
        if region:
            agency = f"{region}人民政府"
            agency_from = ("各单位名称的共同地名" if count == len(chosen)
                           else f"多数单位名称中的地名（{len(chosen)}个单位中{count}个），请核对")
    contributions = [Contribution(e.outcome.figures.report(e.agency), e.rel) for e in chosen]  # type: ignore[union-attr]
    report = None if mixed else sum_reports(contributions, agency=agency or "")
    return SumPlan(report, chosen, left_out, agency_from, reasons, with_errors)


def _nothing(message: str, reasons: list[Reason]) -> NoReturn:
    """Nothing to add up: SumRefused, with the reasons found so far."""
    raise SumRefused("；".join([message, *(r.text for r in reasons)]) + "。")


def _level(chosen: list[Entry], agency: str | None) -> tuple[Entry | None, str | None, str]:
    """The 本级 report among the reports of the year (named by ``agency``, or recognised as the
    level government of the region the units lie in), the 本级 name and where it came from."""
    if agency:
        level = next((e for e in chosen if normal_name(e.agency) == normal_name(agency)
                      or unit_key(e.agency) == unit_key(agency)), None)
        return level, agency, "指定"
    candidates = [e for e in chosen if e.role != DUPLICATE]
    index = find_level_government([e.agency for e in candidates]) if len(candidates) > 1 else None
    if index is None:
        return None, None, ""
    level = candidates[index]
    return level, level.agency, "本级报告"
