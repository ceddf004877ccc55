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


def check_after_text_keystroke() -> Figure:
    """The text scans are memoised per text; a keystroke in a text section rescans that section."""
    report = full_report()
    overview = report.text["overview"]
    counter = iter(range(10**9))

    def typed_then_checked() -> None:
        report.text["overview"] = overview + str(next(counter))
        run_checks(report)

    def walk_and_sum() -> int:
        return sum(report.number(address) for address in report.format.input_cells)

    return compare("check after a keystroke in 总体情况 vs walk+sum", typed_then_checked, walk_and_sum,
                   repeats=99, inner=5, budget_ms=2.0)


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


FIGURES = [check_against_walk, check_after_text_keystroke, save_load_against_json]
