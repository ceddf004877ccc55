"""What a check yields, kept light: problems, their identity, severities, counts and place names.

The window and the file layer need these at start-up; the rules themselves (model.checks, with
their compiled patterns) load when the first check runs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from model.formats import Address, address_text
from model.report import Report
from model.values import Value, clean_text, decimal_text, display_text

try:  # the built-in SHA-256: hashlib would load OpenSSL (~4 MB resident) for one small digest per problem
    from _sha2 import sha256  # type: ignore[import-not-found]  # Python ≥ 3.12
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.10, 3.11
    except ImportError:  # pragma: no cover - a Python built without them
        from hashlib import sha256

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

Span = tuple[str, int, int]


class Problem(NamedTuple):
    rule: str
    severity: str
    message: str
    id: str
    cells: tuple[Address, ...] = ()
    sections: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    dismissed: str | None = None  # the reason, when the clerk dismissed it
    hidden: int = 0  # a rule's summary: how many of its problems past the list it stands for (model.checks.listed)

    @property
    def counted(self) -> int:
        """How many problems it counts as: one, or for a rule's summary the problems it stands for."""
        return max(1, self.hidden)

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "cells": [list(cell) for cell in self.cells],
            "sections": list(self.sections),
            "fields": list(self.fields),
            "spans": [list(span) for span in self.spans],
            "dismissed": self.dismissed,
            "id": self.id,
        }


def fingerprint(values: object) -> str:
    data = json.dumps(values, ensure_ascii=False, default=str, separators=(",", ":"))
    return sha256(data.encode("utf-8")).hexdigest()[:12]


def make_problem(
    rule: str,
    severity: str,
    message: str,
    *,
    cells: Sequence[Address] = (),
    sections: Sequence[str] = (),
    fields: Sequence[str] = (),
    spans: Sequence[Span] = (),
    values: object = None,
    place: str | None = None,
) -> Problem:
    """A problem with its identity ``rule|place|fingerprint`` (spec/checks.md)."""
    if place is None:
        if cells:
            place = "+".join(sorted(address_text(cell) for cell in cells))
        elif sections:
            place = "+".join(sections)
        elif fields:
            place = "+".join(fields)
        else:
            place = "report"
    return Problem(
        rule=rule,
        severity=severity,
        message=clean_text(message),  # a message quoting a file's text holds nothing a workbook cannot
        id=f"{rule}|{place}|{fingerprint(values)}",
        cells=tuple(cells),
        sections=tuple(sections),
        fields=tuple(fields),
        spans=tuple(spans),
    )


OVERVIEW_LIMIT = 1000


@lru_cache(maxsize=64)
def text_length(text: str) -> int:
    """Characters as the format counts them: every character except white space."""
    return len("".join(text.split()))  # str.split() splits on exactly what str.isspace() calls white space


class Summary(NamedTuple):
    errors: int
    warnings: int
    infos: int
    dismissed: int

    @property
    def text(self) -> str:
        return f"{self.errors} 个错误 · {self.warnings} 个警告"


def summarize(problems: Iterable[Problem]) -> Summary:
    counts = {ERROR: 0, WARNING: 0, INFO: 0}
    dismissed = 0
    for problem in problems:
        if problem.dismissed is not None:
            dismissed += problem.counted
        else:
            counts[problem.severity] += problem.counted
    return Summary(counts[ERROR], counts[WARNING], counts[INFO], dismissed)


def cell_name(report: Report, address: Address) -> str:
    """A cell in the clerk's words: "表三 一、本年新收政府信息公开申请数量 · 自然人"."""
    fmt = report.format
    table = fmt.table(address[0])
    row = table.row_index.get(address[1])
    column = table.column_index.get(address[2])
    row_label = row.label if row else address[1]
    column_label = column.label if column else address[2]
    if address[0] == "requests":
        return f"表三 {row_label} · {column_label}"
    if address[0] == "appeals":
        return f"表四 {row_label} · {column_label}"
    return f"表二 {table.title} {row_label} · {column_label}"


def number_text(value: int | Decimal) -> str:
    """A number as a message writes it: 12, 5949.088667."""
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def shown(value: Value) -> str:
    """A cell's value as a message or a fingerprint writes it (blank is 空)."""
    return display_text(value, blank="空")


def format_date(date: dt.date) -> str:
    """"2027年1月20日" — no zero padding, as a 公文 writes it."""
    return f"{date.year}年{date.month}月{date.day}日"
