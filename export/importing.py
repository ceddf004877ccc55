"""What every importer shares: the result, the failure, label normalisation and the import.* problems.

Importers never invent: a cell that cannot be read is reported, not guessed; a published total
that disagrees with its parts is reported and the parts are kept (the total is derived again).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from model.formats import Address, ReportFormat
from model.problems import INFO, WARNING, Problem, cell_name, make_problem
from model.report import Report
from model.values import NA, BadValue, Kind, Value, decimal_text, display_text, parse, same_value


class ImportFailed(Exception):
    """The source cannot be imported at all; the message is for the clerk (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportResult:
    report: Report
    problems: list[Problem] = field(default_factory=list)
    recognised: list[str] = field(default_factory=list)  # what was found, in the clerk's words


_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-"})


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """A label as compared: full-/half-width folded, quotes unified, all white space removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES))


def read_value(raw: object, kind: Kind, unit: str | None) -> tuple[Value, str | None]:
    """A cell's value from what a workbook or a page holds; raises BadValue when unreadable.

    Numbers stored as floats come back through their shortest decimal text (repr), which is exact
    for the 15 significant digits the spec allows: no float is left in the model.
    """
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        raise BadValue(f"「{raw}」不是数字")
    if isinstance(raw, int):
        raw = str(raw)
    elif isinstance(raw, float):
        raw = decimal_text(Decimal(repr(raw)))
    elif isinstance(raw, Decimal):
        raw = decimal_text(raw)
    elif not isinstance(raw, str):
        raise BadValue(f"「{raw}」不是数字")
    parsed = parse(raw, kind, unit)
    return parsed.value, parsed.note


# ---- the import.* problems ------------------------------------------------------------------


def unreadable(report: Report, address: Address, text: object, why: str) -> Problem:
    message = f"{cell_name(report, address)}：“{text}”无法识别为数字（{why}），此格留空，请核对原文后填写"
    return make_problem("import.unreadable_cell", WARNING, message, cells=[address], values=[str(text)])


def missing(what: str, place: str) -> Problem:
    return make_problem("import.missing", WARNING, f"未找到{what}", place=place, values=[what])


def extra_row(label: str, numbers: list[str], place: str) -> Problem:
    shown = "、".join(numbers) if numbers else "无数字"
    message = f"“{label}”不是格式规定的栏目（本地增加的行？），未导入；其数字：{shown}"
    return make_problem("import.extra_row", INFO, message, place=place, values=[label, numbers])


def row_variant(message: str, place: str, published: str, official: str) -> Problem:
    """A row read under a label the format does not print: another wording, a near miss, or a
    group printed as one row (import.row_variant, info)."""
    return make_problem("import.row_variant", INFO, message, place=place, values=[published, official])


def format_guess(fmt: ReportFormat, why: str) -> Problem:
    message = f"识别为{fmt.name}（{fmt.issued_by}）：{why}"
    return make_problem("import.format_guess", INFO, message, place="format", values=[fmt.id, why])


def _not_read(report: Report, address: Address, parts: list[Address], unread: set[Address]) -> str:
    """"；未读到其中的“2.其他法律…”行" — the parts of a total that the sum could not include."""
    lost = [p for p in parts if p in unread]
    if not lost:
        return ""
    table = report.format.table(address[0])
    rows = list(dict.fromkeys(p[1] for p in lost))
    if len(rows) == 1 and rows[0] == address[1]:  # parts in the total's own row: name the columns
        names = "、".join(f"“{table.column_index[p[2]].label}”" for p in lost)
        return f"；其中{names}未能读入，相加时未计"
    names = "、".join(f"“{table.row_index[r].label}”" for r in rows)
    return f"；其中{names}行未能读入，相加时未计"


def reconcile_totals(report: Report, published: dict[Address, Value], unread: set[Address] | None = None) -> list[Problem]:
    """Compare the totals a source published with what their parts add up to.

    A total whose parts are all blank is reported (``import.unsplit_total``) and never spread over
    the parts; any other disagreement is ``import.total_mismatch``, naming both numbers and the
    parts that were not read (``unread``), which the recomputed total lacks. The report keeps the parts.
    """
    problems = []
    unread = unread or set()
    fmt = report.format
    for address, value in published.items():
        if value is None or not fmt.has_cell(address):
            continue
        table = fmt.table(address[0])
        parts = [(table.key, r, c) for r, c in table.parts(address[1], address[2])]
        if all(report.cells.get(p) is None for p in parts):
            if value is not NA and value != 0:
                message = (f"{cell_name(report, address)}：原文只填了合计{display_text(value)}，各项为空；"
                           f"各项无法得知，已留空待填写（不会把合计分摊到各项）")
                problems.append(make_problem("import.unsplit_total", WARNING, message, cells=[address],
                                             values=[display_text(value)]))
            continue
        derived = report.value(address)
        if value is NA and all(report.cells.get(p) in (None, NA) for p in parts):
            continue
        if not same_value(value if value is not NA else 0, derived if derived is not NA else 0):
            message = (f"{cell_name(report, address)}：原文合计为{display_text(value)}，"
                       f"各项相加为{display_text(derived, blank='0')}{_not_read(report, address, parts, unread)}；"
                       f"已按各项重新计算合计")
            problems.append(make_problem("import.total_mismatch", WARNING, message, cells=[address],
                                         values=[display_text(value), display_text(derived)]))
    return problems
