"""The .nianbao file (spec/interfaces.md): versioned JSON, two-phase load, atomic save with a backup.

Loading parses and validates the whole document first and builds the report second, so a bad
file changes nothing. A value of the right type but not allowed in its cell (negative, a fraction
in a count) loads and is flagged ``cell.invalid`` by the checks; anything structurally wrong, and
anything the report could never save again (a number that is not finite or beyond every cell's
bounds, a lone UTF-16 surrogate in a text), is refused with a message that names the place. Every
text loaded is cleaned as the report keeps texts (line ends made "\n", control characters removed).
Reading is bounded (model/limits.py): only a regular file, at most MAX_REPORT_FILE_BYTES, nested at
most MAX_JSON_DEPTH deep — a hostile file costs no more than a normal one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import os
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from model.atomic import ReadOnlyFile, StoreError, check_export_target, write_atomic
from model.files import Refused, read_limited
from model.formats import FORMATS, TEXT_SECTIONS, Address, ReportFormat
from model.limits import MAX_JSON_DEPTH, MAX_PARAGRAPHS, MAX_REPORT_FILE_BYTES, MAX_TEXT_CHARS
from model.oserrors import logged
from model.problems import SEVERITY_NAMES, Problem
from model.profile import ProfileError, profile_from_json, profile_to_json
from model.report import PROCUREMENT_UNITS, Baseline, Meta, Report
from model.values import (
    MAX_NUMBER_TEXT,
    NA,
    Kind,
    Value,
    clean_text,
    decimal_text,
    excerpt,
    has_lone_surrogate,
    out_of_bounds,
)

__all__ = ["FILE_VERSION", "SUFFIX", "ReadOnlyFile", "StoreError", "check_export_target", "dumps", "load", "loads",
           "save", "write_atomic"]

FILE_VERSION = 2
MAX_FILE_BYTES = MAX_REPORT_FILE_BYTES
SUFFIX = ".nianbao"
MAX_INT_DIGITS = 30  # a JSON integer longer than this is kept as text and refused where it stands

# version n → a function that turns a version-n document into a version-(n+1) document
MIGRATIONS: dict[int, Callable[[dict], dict]] = {
    1: lambda data: {**data, "nianbao_file": 2, "profile": {}},  # 2: the Word layout (model/profile.py)
}


class _Bad(Exception):
    """A structural problem found while parsing; becomes a StoreError with the file name."""


# ---- report → dict → text -------------------------------------------------------------------


def value_to_json(kind: Kind, value: Value) -> object:
    if value is NA:
        return "/"
    if kind is Kind.AMOUNT or isinstance(value, Decimal):
        return decimal_text(value)  # type: ignore[arg-type]
    return value


def cells_to_json(fmt: ReportFormat | None, cells: Mapping[Address, Value]) -> dict:
    result: dict[str, dict[str, dict[str, object]]] = {}
    for (table, row, col), value in cells.items():
        if value is None:
            continue
        kind = fmt.column((table, row, col)).kind if fmt and fmt.has_cell((table, row, col)) else Kind.COUNT
        result.setdefault(table, {}).setdefault(row, {})[col] = value_to_json(kind, value)
    return result


def to_dict(report: Report, *, prune_dismissals: bool = True) -> dict:
    from model.checks import live_dismissals  # the rules load when first needed (start-up)

    meta = report.meta
    dismissed = live_dismissals(report) if prune_dismissals else dict(report.dismissed)
    data: dict = {
        "nianbao_file": FILE_VERSION,
        "format": report.format_id,
        "meta": {
            "agency": meta.agency,
            "year": meta.year,
            "date": meta.date.isoformat() if meta.date else None,
            "title": meta.title,
            "procurement_unit": meta.procurement_unit,
        },
        "text": {key: report.text.get(key, "") for key in TEXT_SECTIONS},
        "cells": cells_to_json(report.format, report.cells),
        "dismissed": [{"problem": pid, "reason": reason} for pid, reason in sorted(dismissed.items())],
        "carried_sections": sorted(report.carried_sections),
        "profile": profile_to_json(report.profile),
    }
    if report.import_problems:  # optional: what importing the report's source found (none: absent)
        data["import_problems"] = [{key: value for key, value in problem.to_json().items() if key != "dismissed"}
                                   for problem in report.import_problems]
    if report.last_year is not None:
        baseline = report.last_year
        data["last_year"] = {
            "year": baseline.year,
            "format": baseline.format_id,
            "cells": cells_to_json(FORMATS.get(baseline.format_id), baseline.cells),
            "text": dict(baseline.text),
        }
    return data


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ---- text → dict → report (parse, then build) -----------------------------------------------


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise _Bad(message)


class _Unreadable:
    """A JSON number no cell can hold (NaN, Infinity, 1e999, a 5000-digit integer), kept as its text
    so that the place that holds it is named in the message."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return excerpt(self.text)


def _parse_constant(name: str) -> _Unreadable:
    return _Unreadable(name)


def _parse_int(text: str) -> int | _Unreadable:
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else _Unreadable(text)


def _parse_float(text: str) -> float | _Unreadable:
    number = float(text)
    return number if math.isfinite(number) else _Unreadable(text)


def _parse_value(fmt: ReportFormat, address: Address, raw: object, where: str) -> Value:
    kind = fmt.column(address).kind
    if raw == "/":
        return NA
    if isinstance(raw, _Unreadable):
        raise _Bad(f"{where} 的值“{raw}”不是有效的数值（无穷大、非数字或位数过多）")
    if isinstance(raw, bool) or raw is None or isinstance(raw, (dict, list)):
        raise _Bad(f"{where} 的值 {excerpt(json.dumps(raw, ensure_ascii=False, default=str))} 不是数字")
    if kind is Kind.AMOUNT:
        if isinstance(raw, (int, float)):
            raw = str(raw)
        _expect(isinstance(raw, str), f"{where} 的金额应写成文字形式的数字")
        _expect(len(raw.strip()) <= MAX_NUMBER_TEXT, f"{where} 的金额“{excerpt(raw)}”太长，不是有效的数值")  # type: ignore[union-attr]
        try:
            number: int | Decimal = Decimal(raw.strip())  # type: ignore[union-attr]
        except InvalidOperation:
            raise _Bad(f"{where} 的金额“{excerpt(raw)}”不是数字") from None
    elif isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        # a non-whole number in a count loads and is flagged cell.invalid
        number = int(raw) if raw.is_integer() else Decimal(repr(raw))
    else:
        raise _Bad(f"{where} 的值“{excerpt(raw)}”应是整数或“/”")
    problem = out_of_bounds(number)
    if problem:
        raise _Bad(f"{where} 的值“{excerpt(raw)}”{problem}，不能作为报告中的数字")
    return number


def _parse_cells(fmt: ReportFormat, raw: object, where: str) -> dict[Address, Value]:
    _expect(isinstance(raw, dict), f"{where} 应是一个对象")
    cells: dict[Address, Value] = {}
    for table_key, rows in raw.items():  # type: ignore[union-attr]
        _expect(table_key in fmt.table_index, f"{where} 中有{fmt.id}格式没有的表“{excerpt(table_key)}”")
        table = fmt.table(table_key)
        _expect(isinstance(rows, dict), f"{where}.{table_key} 应是一个对象")
        for row_key, cols in rows.items():
            _expect(row_key in table.row_index, f"{where}.{table_key} 中有{fmt.id}格式没有的行“{excerpt(row_key)}”")
            _expect(isinstance(cols, dict), f"{where}.{table_key}.{row_key} 应是一个对象")
            for col_key, raw_value in cols.items():
                place = f"{where}.{table_key}.{row_key}.{col_key}"
                _expect(col_key in table.column_index, f"{where}.{table_key}.{row_key} 中有{fmt.id}格式没有的列“{excerpt(col_key)}”")
                _expect(not table.is_derived(row_key, col_key), f"{place} 是自动计算的合计，不应保存")
                cells[(table_key, row_key, col_key)] = _parse_value(fmt, (table_key, row_key, col_key), raw_value, place)
    return cells


def _parse_text(raw: object, where: str) -> dict[str, str]:
    _expect(isinstance(raw, dict), f"{where} 应是一个对象")
    text = dict.fromkeys(TEXT_SECTIONS, "")
    for key, value in raw.items():  # type: ignore[union-attr]
        _expect(isinstance(value, str), f"{where}.{excerpt(key)} 应是文字")
        text[key] = value
    too_much = text_beyond_limits(text)
    _expect(too_much is None, f"{'上年正文' if where.startswith('last_year') else '正文'}{too_much}")
    return text


def text_beyond_limits(text: dict[str, str]) -> str | None:
    """What a report's sections hold beyond the reading limits — as an import may read (MAX_TEXT_CHARS,
    MAX_PARAGRAPHS) — or None. Checks and exports cost in proportion to the lines: 10⁷ empty lines in one
    section took 830 MB to check, so a file holding them is refused at the load and a report at the save."""
    chars = sum(map(len, text.values()))
    if chars > MAX_TEXT_CHARS:
        return f"的文字过多（共 {chars:,} 字，最多 {MAX_TEXT_CHARS:,} 字）"
    lines = sum(value.count("\n") for value in text.values())
    if lines > MAX_PARAGRAPHS:
        return f"的段落过多（共 {lines:,} 段，最多 {MAX_PARAGRAPHS:,} 段）"
    return None


def _parse_format(raw: object, where: str) -> ReportFormat:
    _expect(isinstance(raw, str) and raw in FORMATS, f"{where} “{excerpt(raw)}”不是已知的报告格式（应为 gov-2019 或 gov-2021）")
    return FORMATS[raw]  # type: ignore[index]


def _parse_strings(raw: object, where: str) -> list[str]:
    _expect(isinstance(raw, list) and all(isinstance(item, str) for item in raw), f"{where} 应是文字的列表")
    return raw  # type: ignore[return-value]


def _parse_problems(raw: object, where: str) -> tuple[Problem, ...]:
    """The import problems kept with a report: each as Problem.to_json writes it (without its
    dismissal, which ``dismissed`` holds)."""
    _expect(isinstance(raw, list), f"{where} 应是一个列表")
    problems = []
    for i, entry in enumerate(raw, 1):  # type: ignore[union-attr]
        place = f"{where} 第{i}项"
        _expect(isinstance(entry, dict), f"{place}应是一个对象")
        names = ("rule", "severity", "message", "id")
        _expect(all(isinstance(entry.get(name), str) for name in names), f"{place}应有 rule、severity、message 和 id")
        _expect(entry["severity"] in SEVERITY_NAMES, f"{place}的 severity “{excerpt(entry['severity'])}”无效")
        cells = entry.get("cells", [])
        _expect(isinstance(cells, list) and all(isinstance(cell, list) and len(cell) == 3
                                                and all(isinstance(part, str) for part in cell) for cell in cells),
                f"{place}的 cells 应是 [表, 行, 列] 的列表")
        spans = entry.get("spans", [])
        _expect(isinstance(spans, list) and all(
            isinstance(span, list) and len(span) == 3 and isinstance(span[0], str)
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in span[1:]) for span in spans),
            f"{place}的 spans 应是 [部分, 起, 止] 的列表")
        problems.append(Problem(
            rule=entry["rule"], severity=entry["severity"], message=entry["message"], id=entry["id"],
            cells=tuple(tuple(cell) for cell in cells),  # type: ignore[misc]
            sections=tuple(_parse_strings(entry.get("sections", []), f"{place}的 sections")),
            fields=tuple(_parse_strings(entry.get("fields", []), f"{place}的 fields")),
            spans=tuple(tuple(span) for span in spans),  # type: ignore[misc]
        ))
    return tuple(problems)


def _parse_year(raw: object, where: str) -> int:
    _expect(isinstance(raw, int) and not isinstance(raw, bool) and 1990 <= raw <= 2200, f"{where} “{excerpt(raw)}”不是有效的年份")
    return raw  # type: ignore[return-value]


def from_dict(data: object) -> Report:
    """Parse a whole document, then build the report. Raises _Bad on anything structural."""
    _expect(isinstance(data, dict), "文件内容不是年报助手的报告")
    assert isinstance(data, dict)
    version = data.get("nianbao_file")
    _expect(isinstance(version, int) and not isinstance(version, bool), "文件内容不是年报助手的报告（缺少 nianbao_file 版本号）")
    if version > FILE_VERSION:
        raise _Bad(f"这是较新版本的年报助手保存的文件（文件版本 {version}，本程序只能读到版本 {FILE_VERSION}），请升级年报助手后再打开")
    _expect(version >= 1, f"文件版本 {version} 无效")
    while version < FILE_VERSION:
        _expect(version in MIGRATIONS, f"无法升级文件版本 {version}")
        data = MIGRATIONS[version](data)
        version += 1

    fmt = _parse_format(data.get("format"), "format")
    meta_raw = data.get("meta")
    _expect(isinstance(meta_raw, dict), "缺少 meta（机关名称、年度等）")
    agency = meta_raw.get("agency", "")
    _expect(isinstance(agency, str), "meta.agency 应是文字")
    year = _parse_year(meta_raw.get("year"), "meta.year")
    date_raw = meta_raw.get("date")
    date = None
    if date_raw is not None:
        _expect(isinstance(date_raw, str), "meta.date 应是日期文字，如 2027-01-20")
        try:
            date = dt.date.fromisoformat(date_raw)
        except ValueError:
            raise _Bad(f"meta.date “{excerpt(date_raw)}”不是有效的日期（应如 2027-01-20）") from None
    title = meta_raw.get("title")
    _expect(title is None or isinstance(title, str), "meta.title 应是文字或 null")
    unit = meta_raw.get("procurement_unit") or "万元"
    _expect(unit in PROCUREMENT_UNITS, f"meta.procurement_unit “{excerpt(unit)}”应为“万元”或“元”")

    text = _parse_text(data.get("text", {}), "text")
    cells = _parse_cells(fmt, data.get("cells", {}), "cells")

    baseline = None
    if data.get("last_year") is not None:
        last = data["last_year"]
        _expect(isinstance(last, dict), "last_year 应是一个对象")
        last_fmt = _parse_format(last.get("format"), "last_year.format")
        baseline = Baseline(
            year=_parse_year(last.get("year"), "last_year.year"),
            format_id=last_fmt.id,
            cells=_parse_cells(last_fmt, last.get("cells", {}), "last_year.cells"),
            text=_parse_text(last.get("text", {}), "last_year.text"),
        )

    dismissed: dict[str, str] = {}
    raw_dismissed = data.get("dismissed", [])
    _expect(isinstance(raw_dismissed, list), "dismissed 应是一个列表")
    for i, entry in enumerate(raw_dismissed):
        _expect(
            isinstance(entry, dict) and isinstance(entry.get("problem"), str) and isinstance(entry.get("reason", ""), str),
            f"dismissed 第{i + 1}项应有 problem 和 reason",
        )
        dismissed[entry["problem"]] = entry.get("reason", "")

    carried = data.get("carried_sections", [])
    _expect(isinstance(carried, list) and all(key in TEXT_SECTIONS for key in carried), "carried_sections 中有未知的部分")

    try:
        profile = profile_from_json(data.get("profile", {}))
    except ProfileError as error:
        raise _Bad(f"profile（页面与版式）：{error.message}") from None
    imported = _parse_problems(data.get("import_problems", []), "import_problems")

    return Report(
        format_id=fmt.id,
        meta=Meta(agency=agency, year=year, date=date, title=title, procurement_unit=unit),
        text=text,
        cells=cells,
        last_year=baseline,
        dismissed=dismissed,
        carried_sections=set(carried),
        profile=profile,
        import_problems=imported,
    )


# escapes first, then strings, each a pattern that never backtracks: a string pattern that followed escapes itself
# retried from every quote to the end of the file (160 KB of \" took minutes) and kept ~120 bytes per escape
_JSON_ESCAPE = re.compile(r"\\.", re.S)
_JSON_STRING = re.compile(r'"[^"]*"')
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _nesting_depth(text: str) -> int:
    """How deeply the JSON text nests, counted without parsing it (Python's parser recurses)."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", _JSON_ESCAPE.sub("", text)))
    if len(brackets) <= MAX_JSON_DEPTH:
        return len(brackets)
    return max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _lone_surrogate_at(data: object) -> str | None:
    """Where a text holds a lone UTF-16 surrogate (JSON "\\ud800"), which no UTF-8 file can hold."""
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            if has_lone_surrogate(node):
                return where or "文件"
        elif isinstance(node, dict):
            for key, value in node.items():
                place = f"{where}.{excerpt(key)}" if where else excerpt(key)
                if has_lone_surrogate(key):
                    return f"{place} 的名称"
                stack.append((value, place))
        elif isinstance(node, list):
            stack.extend((value, f"{where}[{i + 1}]") for i, value in enumerate(node))
    return None


def _cleaned(node: object) -> object:
    """Every text of a parsed document as the report keeps it (values.clean_text: line ends, control
    characters, U+FFFE/U+FFFF), keys included, so a loaded report saves and exports as valid files.
    The nesting is at most MAX_JSON_DEPTH deep (checked before parsing)."""
    if isinstance(node, str):
        return clean_text(node)
    if isinstance(node, dict):
        return {clean_text(key): _cleaned(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_cleaned(value) for value in node]
    return node


def loads(text: str, name: str = "文件") -> Report:
    if not text.strip():
        raise StoreError(f"无法打开“{name}”：文件是空的")
    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise StoreError(f"无法打开“{name}”：文件内容嵌套超过 {MAX_JSON_DEPTH} 层，不是年报助手的报告，文件未被改动")
    try:
        data = json.loads(text, parse_constant=_parse_constant, parse_int=_parse_int, parse_float=_parse_float)
    except json.JSONDecodeError as error:
        raise StoreError(
            f"无法打开“{name}”：文件已损坏或不完整（第{error.lineno}行第{error.colno}列无法解析），文件未被改动"
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:  # no traceback, whatever the file holds
        logged(error, f"parse {name}")
        raise StoreError(f"无法打开“{name}”：文件已损坏，无法解析，文件未被改动") from None
    surrogate = _lone_surrogate_at(data) if _SURROGATE_ESCAPE.search(text) else None  # only "\\udXXX" makes one
    if surrogate is not None:
        raise StoreError(f"无法打开“{name}”：{surrogate} 中有无效的字符（单独的 UTF-16 代理项），文件已损坏，文件未被改动")
    try:
        return from_dict(_cleaned(data))
    except _Bad as error:
        raise StoreError(f"无法打开“{name}”：{error}") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, MemoryError) as error:
        logged(error, f"build {name}")
        raise StoreError(f"无法打开“{name}”：文件内容不是有效的年报助手报告，文件未被改动") from None


def load(path: str | os.PathLike) -> Report:
    """Read a .nianbao: a regular file within MAX_FILE_BYTES, parsed, validated, then built."""
    path = Path(path)
    name = path.name
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except Refused as refused:
        raise StoreError(f"无法打开“{path}”：{refused.reason}") from None
    if raw.startswith(b"PK\x03\x04"):
        raise StoreError(f"无法打开“{name}”：这是 Word、Excel 等压缩格式的文件，不是年报助手的报告（.nianbao）")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StoreError(f"无法打开“{name}”：这不是年报助手的报告文件（不是 UTF-8 文本）") from None
    return loads(text, name)


# ---- saving -----------------------------------------------------------------------------


def save(report: Report, path: str | os.PathLike, *, backup: bool = True) -> None:
    """Save atomically, keeping the previous version as ``<name>.nianbao.bak``.

    What is saved can be loaded again: a report holding what no file may hold (a value beyond every
    cell's bounds, a lone surrogate) is refused before anything is written, naming the place.
    Whatever goes wrong becomes a :class:`StoreError` in Chinese — the window shows it at once, and
    autosave never stops silently.
    """
    name = Path(path).name
    place = unsaveable_place(report)
    if place is not None:
        raise StoreError(f"无法保存“{name}”：报告中有无法保存的内容（{place}）。请修改该处后再保存。")
    try:
        text = dumps(report)
        text.encode("utf-8")  # a text that cannot be written fails here, not halfway through the file
    except (ValueError, TypeError, ArithmeticError, RecursionError, MemoryError) as error:
        logged(error, f"serialise the report for {path}")
        raise StoreError(f"无法保存“{name}”：报告的内容无法写成文件。") from None
    write_atomic(path, lambda handle: handle.write(text), backup=backup)  # type: ignore[attr-defined]


def unsaveable_place(report: Report) -> str | None:
    """Where a report holds what no .nianbao may hold (the load would refuse it), or None."""
    texts = [(f"正文“{key}”", text) for key, text in report.text.items()]
    texts += [("基本信息", value) for value in (report.meta.agency, report.meta.title) if isinstance(value, str)]
    texts += [("忽略理由", reason) for reason in report.dismissed.values()]
    texts += [("导入时发现的问题", problem.message) for problem in report.import_problems]
    if report.last_year is not None:
        texts += [(f"上年正文“{key}”", text) for key, text in report.last_year.text.items()]
    for where, text in texts:
        if has_lone_surrogate(text):
            return f"{where}中有无效的字符"
    for where, text in (("正文", report.text), ("上年正文", report.last_year.text if report.last_year else {})):
        too_much = text_beyond_limits(text)
        if too_much is not None:
            return f"{where}{too_much}"
    cells = list(report.cells.items()) + (list(report.last_year.cells.items()) if report.last_year else [])
    for address, value in cells:
        if isinstance(value, (int, Decimal)) and out_of_bounds(value):
            return f"{'.'.join(address)} 的值{out_of_bounds(value)}"
    return None
