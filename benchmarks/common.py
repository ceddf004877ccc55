"""What the benchmarks share: a complete report, and the ratio runner."""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from model.formats import GOV_2021
from model.report import Meta, Report

_PARAGRAPH = (
    "2026年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，加强政策解读，"
    "全年主动公开政府信息326条，现行有效行政规范性文件{in_force}件，收到政府信息公开申请{received}件。"
)


def full_report() -> Report:
    """A complete gov-2021 report: every cell filled, ~3,000 characters in each text section."""
    report = Report("gov-2021", Meta(agency="示例县交通运输局", year=2026, date=dt.date(2027, 1, 20)))
    for i, address in enumerate(GOV_2021.input_cells):
        report.cells[address] = Decimal("5949.088667") if address[2] == "amount" else (i * 37) % 400 + 1
    table = GOV_2021.table("requests")
    for col in ("natural", "business", "research", "nonprofit", "legal", "other"):
        handled = sum(report.number(("requests", r, col)) for r, _ in table.parts("handled_total", col))
        report.cells[("requests", "received", col)] = handled + report.number(("requests", "carried_out", col)) - report.number(("requests", "carried_in", col))
    fill = _PARAGRAPH.format(
        in_force=report.number(("art20_1", "normative_docs", "in_force")),
        received=report.number(("requests", "received", "total")),
    )
    for key in ("preamble", "overview", "problems", "other_matters"):
        text = ""
        while len(text) < 3000:
            text += fill + "\n"
        report.text[key] = text + ("本年度未收取信息处理费。" if key == "other_matters" else "")
    return report


@dataclass
class Figure:
    name: str
    subject_ms: float
    baseline_ms: float
    budget_ratio: float | None = None
    budget_ms: float | None = None  # (in ``unit``)
    unit: str = "ms"

    @property
    def ratio(self) -> float:
        return self.subject_ms / self.baseline_ms

    @property
    def ok(self) -> bool:
        return (self.budget_ratio is None or self.ratio <= self.budget_ratio) and (
            self.budget_ms is None or self.subject_ms <= self.budget_ms
        )


def median_ms(fn: Callable[[], object], repeats: int = 31, inner: int = 1) -> float:
    fn()  # warm up
    times = []
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            times.append((time.perf_counter() - start) * 1000 / inner)
    finally:
        gc.enable()
    return statistics.median(times)


def compare(name: str, subject: Callable[[], object], baseline: Callable[[], object], *, repeats: int = 31,
            inner: int = 1, budget_ratio: float | None = None, budget_ms: float | None = None) -> Figure:
    """Median of the subject against the median of a baseline, interleaved so noise hits both."""
    subject_times, baseline_times = [], []
    for _ in range(3):
        baseline_times.append(median_ms(baseline, repeats // 3 or 1, inner))
        subject_times.append(median_ms(subject, repeats // 3 or 1, inner))
    return Figure(name, statistics.median(subject_times), statistics.median(baseline_times), budget_ratio, budget_ms)


def print_table(figures: list[Figure]) -> bool:
    print(f"{'benchmark':<44} {'subject ms':>11} {'baseline ms':>12} {'ratio':>7}  budget")
    for f in figures:
        budget = []
        if f.budget_ratio is not None:
            budget.append(f"≤{f.budget_ratio:g}×")
        if f.budget_ms is not None:
            budget.append(f"≤{f.budget_ms:g} ms")
        mark = "ok" if f.ok else "OVER"
        if f.unit != "ms":
            budget = [b.replace(" ms", f" {f.unit}") for b in budget]
        unit = "" if f.unit == "ms" else f.unit
        print(f"{f.name:<44} {f.subject_ms:>11.3f}{unit} {f.baseline_ms:>12.3f}{unit} {f.ratio:>7.2f}  {' '.join(budget)} {mark}")
    return all(f.ok for f in figures)
