"""The foundation's figures: the full check, and save + load."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.common import Figure, compare, full_report
from model import store
from model.checks import run_checks


def check_against_walk() -> Figure:
    report = full_report()
    inputs = report.format.input_cells
    derived = [a for t in report.format.tables for a in t.derived_cells]

    def walk_and_sum() -> int:
        total = 0
        for address in inputs:
            total += report.number(address)
        for address in derived:
            total += report.number(address)
        return total

    return compare("full check (gov-2021, complete) vs walk+sum", lambda: run_checks(report), walk_and_sum,
                   repeats=99, inner=5, budget_ms=2.0)


def _text_keystroke(name: str, report, budget_ms: float | None = None) -> Figure:  # type: ignore[no-untyped-def]
    """The text scans are memoised per text; a keystroke in a text section rescans that section."""
    overview = report.text["overview"]
    counter = iter(range(10**9))

    def typed_then_checked() -> None:
        report.text["overview"] = overview + str(next(counter))
        run_checks(report)

    def walk_and_sum() -> int:
        return sum(report.number(address) for address in report.format.input_cells)

    return compare(name, typed_then_checked, walk_and_sum, repeats=99, inner=5, budget_ms=budget_ms)


def check_after_text_keystroke() -> Figure:
    return _text_keystroke("check after a keystroke in 总体情况 vs walk+sum", full_report(), 2.0)


def with_last_year(report):  # type: ignore[no-untyped-def]
    """The complete report with last year's attached: last year's numbers a little lower, its text
    the same paragraphs in another order with every third one rewritten (so the similarity,
    the chains and the jumps all have work to do)."""
    from model.report import Baseline

    cells = {a: (v - 1 if isinstance(v, int) and v > 1 else v) for a, v in report.cells.items()}
    text = {}
    for key, value in report.text.items():
        paragraphs = value.split("\n")
        text[key] = "\n".join(p[::-1] if i % 3 == 0 else p for i, p in enumerate(reversed(paragraphs)))
    report.set_baseline(Baseline(report.meta.year - 1, report.format_id, cells, text))
    return report


def check_with_last_year() -> Figure:
    report = with_last_year(full_report())
    inputs = report.format.input_cells

    def walk_and_sum() -> int:
        return sum(report.number(address) for address in inputs)

    return compare("full check with last year's report vs walk+sum", lambda: run_checks(report), walk_and_sum,
                   repeats=99, inner=5, budget_ms=2.0)


def check_after_text_keystroke_with_last_year() -> Figure:
    """Also rescans that section against last year's (3,000 characters: three times a long 一)."""
    return _text_keystroke("check after a keystroke in 总体情况, with last year", with_last_year(full_report()))


def save_load_against_json() -> Figure:
    report = full_report()
    folder = Path(tempfile.mkdtemp())
    path = folder / "r.nianbao"
    data = store.to_dict(report)

    def save_load() -> None:
        store.save(report, path, backup=False)
        store.load(path)

    def plain_json() -> None:
        json.loads(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))

    return compare("save + load vs json dumps + loads", save_load, plain_json, repeats=31)


FIGURES = [check_against_walk, check_after_text_keystroke, check_with_last_year,
           check_after_text_keystroke_with_last_year, save_load_against_json]
