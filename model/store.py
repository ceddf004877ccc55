"""The .nianbao file (spec/interfaces.md): versioned JSON, two-phase load, atomic save with a backup.

Loading parses and validates the whole document first and builds the report second, so a bad
file changes nothing. A value of the right type but outside its cell's range loads (and is
flagged ``cell.invalid`` by the checks); anything structurally wrong is refused with a message
that names the place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from model.formats import FORMATS, TEXT_SECTIONS, Address, ReportFormat
from model.profile import ProfileError, profile_from_json, profile_to_json
from model.report import PROCUREMENT_UNITS, Baseline, Meta, Report
from model.values import NA, Kind, Value, decimal_text

FILE_VERSION = 2
MAX_FILE_BYTES = 20 * 1024 * 1024
SUFFIX = ".nianbao"

# version n → a function that turns a version-n document into a version-(n+1) document
MIGRATIONS: dict[int, Callable[[dict], dict]] = {
    1: lambda data: {**data, "nianbao_file": 2, "profile": {}},  # 2: the Word layout (model/profile.py)
}


class StoreError(Exception):
    """A file that cannot be read or written; the message is for the clerk (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


def _parse_value(fmt: ReportFormat, address: Address, raw: object, where: str) -> Value:
    kind = fmt.column(address).kind
    if raw == "/":
        return NA
    if isinstance(raw, bool) or raw is None or isinstance(raw, (dict, list)):
        raise _Bad(f"{where} 的值 {json.dumps(raw, ensure_ascii=False)} 不是数字")
    if kind is Kind.AMOUNT:
        if isinstance(raw, (int, float)):
            raw = str(raw)
        _expect(isinstance(raw, str), f"{where} 的金额应写成文字形式的数字")
        try:
            number = Decimal(raw.strip())  # type: ignore[union-attr]
        except InvalidOperation:
            raise _Bad(f"{where} 的金额“{raw}”不是数字") from None
        _expect(number.is_finite(), f"{where} 的金额“{raw}”不是数字")
        return number
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        # a non-whole number in a count loads and is flagged cell.invalid
        return int(raw) if raw.is_integer() else Decimal(repr(raw))
    raise _Bad(f"{where} 的值“{raw}”应是整数或“/”")


def _parse_cells(fmt: ReportFormat, raw: object, where: str) -> dict[Address, Value]:
    _expect(isinstance(raw, dict), f"{where} 应是一个对象")
    cells: dict[Address, Value] = {}
    for table_key, rows in raw.items():  # type: ignore[union-attr]
        _expect(table_key in fmt.table_index, f"{where} 中有{fmt.id}格式没有的表“{table_key}”")
        table = fmt.table(table_key)
        _expect(isinstance(rows, dict), f"{where}.{table_key} 应是一个对象")
        for row_key, cols in rows.items():
            _expect(row_key in table.row_index, f"{where}.{table_key} 中有{fmt.id}格式没有的行“{row_key}”")
            _expect(isinstance(cols, dict), f"{where}.{table_key}.{row_key} 应是一个对象")
            for col_key, raw_value in cols.items():
                place = f"{where}.{table_key}.{row_key}.{col_key}"
                _expect(col_key in table.column_index, f"{where}.{table_key}.{row_key} 中有{fmt.id}格式没有的列“{col_key}”")
                _expect(not table.is_derived(row_key, col_key), f"{place} 是自动计算的合计，不应保存")
                cells[(table_key, row_key, col_key)] = _parse_value(fmt, (table_key, row_key, col_key), raw_value, place)
    return cells


def _parse_text(raw: object, where: str) -> dict[str, str]:
    _expect(isinstance(raw, dict), f"{where} 应是一个对象")
    text = dict.fromkeys(TEXT_SECTIONS, "")
    for key, value in raw.items():  # type: ignore[union-attr]
        _expect(isinstance(value, str), f"{where}.{key} 应是文字")
        text[key] = value
    return text


def _parse_format(raw: object, where: str) -> ReportFormat:
    _expect(isinstance(raw, str) and raw in FORMATS, f"{where} “{raw}”不是已知的报告格式（应为 gov-2019 或 gov-2021）")
    return FORMATS[raw]  # type: ignore[index]


def _parse_year(raw: object, where: str) -> int:
    _expect(isinstance(raw, int) and not isinstance(raw, bool) and 1990 <= raw <= 2200, f"{where} “{raw}”不是有效的年份")
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
            raise _Bad(f"meta.date “{date_raw}”不是有效的日期（应如 2027-01-20）") from None
    title = meta_raw.get("title")
    _expect(title is None or isinstance(title, str), "meta.title 应是文字或 null")
    unit = meta_raw.get("procurement_unit") or "万元"
    _expect(unit in PROCUREMENT_UNITS, f"meta.procurement_unit “{unit}”应为“万元”或“元”")

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

    return Report(
        format_id=fmt.id,
        meta=Meta(agency=agency, year=year, date=date, title=title, procurement_unit=unit),
        text=text,
        cells=cells,
        last_year=baseline,
        dismissed=dismissed,
        carried_sections=set(carried),
        profile=profile,
    )


def loads(text: str, name: str = "文件") -> Report:
    if not text.strip():
        raise StoreError(f"无法打开“{name}”：文件是空的")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise StoreError(
            f"无法打开“{name}”：文件已损坏或不完整（第{error.lineno}行第{error.colno}列无法解析），文件未被改动"
        ) from None
    try:
        return from_dict(data)
    except _Bad as error:
        raise StoreError(f"无法打开“{name}”：{error}") from None


def load(path: str | os.PathLike) -> Report:
    path = Path(path)
    name = path.name
    if path.is_dir():
        raise StoreError(f"“{path}”是文件夹，不是报告文件")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise StoreError(f"无法打开“{name}”：文件过大（{size // 1024 // 1024} MB），不是年报助手的报告")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"找不到文件“{path}”") from None
    except PermissionError:
        raise StoreError(f"没有权限读取“{path}”") from None
    except OSError as error:
        raise StoreError(f"无法读取“{path}”：{error.strerror or error}") from None
    if raw.startswith(b"PK\x03\x04"):
        raise StoreError(f"无法打开“{name}”：这是 Word、Excel 等压缩格式的文件，不是年报助手的报告（.nianbao）")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StoreError(f"无法打开“{name}”：这不是年报助手的报告文件（不是 UTF-8 文本）") from None
    return loads(text, name)


# ---- atomic writes --------------------------------------------------------------------------


def write_atomic(path: str | os.PathLike, write: Callable[[object], None], *, binary: bool = False, backup: bool = False) -> None:
    """Write through a temporary file in the same folder, fsync, then replace.

    ``write`` receives the open temporary file. When ``backup`` is set and the target exists, it is
    first copied to ``<name>.bak``. Any failure leaves an existing target untouched.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StoreError(f"无法保存：文件夹“{folder}”不存在")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise StoreError(f"无法保存到“{folder}”：没有写入权限") from None
    except OSError as error:
        raise StoreError(f"无法保存到“{folder}”：{error.strerror or error}") from None
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.exists():
            bak = path.with_name(path.name + ".bak")
            shutil.copy2(path, bak)
        os.replace(tmp_name, path)
    except BaseException as error:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(error, PermissionError):
            raise StoreError(f"无法写入“{path}”：没有权限，或文件正被其他程序（如 Word、WPS）打开") from None
        if isinstance(error, OSError):
            raise StoreError(f"无法写入“{path}”：{error.strerror or error}") from None
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(report: Report, path: str | os.PathLike, *, backup: bool = True) -> None:
    """Save atomically, keeping the previous version as ``<name>.nianbao.bak``."""
    text = dumps(report)
    write_atomic(path, lambda handle: handle.write(text), backup=backup)  # type: ignore[attr-defined]
