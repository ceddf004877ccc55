"""Reading a workbook back into a report, by label, not by fixed cell address.

A workbook this program wrote comes back as the same report (meta, texts, every cell; blank and "/"
kept). One that someone edited in Excel or WPS — numbers typed as text, full-width digits, spaces,
a deleted sheet, rows moved — is read by its labels, and everything odd is reported (spec/checks.md,
"On import"). A workbook that is not ours is refused with a message.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from export.importing import (
    ImportFailed,
    ImportResult,
    extra_row,
    format_guess,
    missing,
    normalise,
    read_value,
    reconcile_totals,
    unreadable,
)
from export.reading.bounded import NotAPackage, open_package, refusals_named
from export.xlsx import CHECK_SHEET, META_LABELS, META_SHEET, TABLE_SHEETS, WORKBOOK_MARKS
from export.xlsx_bounds import check_sheets
from model.formats import FORMATS, GOV_2019, GOV_2021, Address, ReportFormat, Table
from model.report import PROCUREMENT_UNITS, Meta, Report
from model.values import BadValue, Kind, Value, display_text

Grid = dict[tuple[int, int], object]  # (row, col) 1-based → value, merged cells resolved to their top-left


class SheetIndex:
    """A sheet's non-empty cells, and where each normalised text stands."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.values: Grid = {}
        self.spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left → (last row, last col)
        # the cells the file holds (iter_rows would create every cell of the stated rectangle)
        for (row, column), cell in sheet._cells.items():
            if cell.value is not None and cell.value != "":
                self.values[(row, column)] = cell.value
        for merged in sheet.merged_cells.ranges:
            self.spans[(merged.min_row, merged.min_col)] = (merged.max_row, merged.max_col)
        self.texts: dict[str, list[tuple[int, int]]] = {}
        for position, value in self.values.items():
            if isinstance(value, str):
                self.texts.setdefault(normalise(value), []).append(position)

    def find(self, label: str) -> list[tuple[int, int]]:
        return sorted(self.texts.get(normalise(label), []))

    def span(self, position: tuple[int, int]) -> tuple[int, int]:
        return self.spans.get(position, position)

    def row_values(self, row: int, after_col: int) -> list[tuple[int, object]]:
        return sorted((c, v) for (r, c), v in self.values.items() if r == row and c > after_col)


def open_workbook(path: Path):  # type: ignore[no-untyped-def]
    """The workbook, once its package and its sheets are within the limits (a cell at XFD1048576,
    a merged range over a million cells are refused before openpyxl allocates them)."""
    broken = f"无法读取“{path.name}”：这不是有效的 Excel 工作簿（.xlsx），或文件已损坏"
    with refusals_named(path):
        try:
            package, data = open_package(path, check_depth=True)
            check_sheets(package)
            with warnings.catch_warnings():  # openpyxl's English remarks on odd files are no news for the clerk
                warnings.simplefilter("ignore")
                return load_workbook(data, data_only=True)
        except (NotAPackage, InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
            raise ImportFailed(broken) from None


class NotOurWorkbook(ImportFailed):
    """An Excel workbook that is not one 年报助手 exported (a unit's own table): its cells cannot be
    read as a report."""


def is_ours(book) -> bool:  # type: ignore[no-untyped-def]
    keywords = book.properties.keywords or ""
    if keywords.startswith("nianbao"):
        return True
    if META_SHEET in book.sheetnames:
        first = book[META_SHEET].cell(1, 2).value
        return isinstance(first, str) and first.startswith(WORKBOOK_MARKS)
    return False


def read_xlsx(path: str | os.PathLike) -> ImportResult:
    path = Path(path)
    book = open_workbook(path)
    if not is_ours(book):
        raise NotOurWorkbook(f"“{path.name}”不是年报助手导出的工作簿（没有“{META_SHEET}”页和年报助手的标记）。"
                           "已发布的报告请用“导入”读取 Word、网页或文本。")
    return WorkbookReader(book).read()


class WorkbookReader:
    def __init__(self, book) -> None:  # type: ignore[no-untyped-def]
        self.book = book
        self.problems = []
        self.recognised: list[str] = []

    # ---- 基本信息 -------------------------------------------------------------------------
    def meta_values(self) -> dict[str, object]:
        if META_SHEET not in self.book.sheetnames:
            self.problems.append(missing(f"“{META_SHEET}”页（机关名称、年度、正文）", "meta"))
            return {}
        index = SheetIndex(self.book[META_SHEET])
        found: dict[str, object] = {}
        for key, label in META_LABELS.items():
            # labels stand left of their values: a text that happens to equal a label is not one
            places = sorted(index.find(label), key=lambda p: (p[1], p[0]))
            if places:
                row, col = places[0]
                found[key] = index.values.get((row, col + 1))
        return found

    def choose_format(self, meta: dict[str, object]) -> ReportFormat:
        text = str(meta.get("format") or "")
        for fmt in FORMATS.values():
            if fmt.id in text or fmt.issued_by in text:  # "2021年版格式（国办公开办函〔2021〕30号）", or an older "gov-2021"
                return fmt
        # no format written: the labels tell (gov-2021's 本年制发件数, its three （六） rows)
        sheets = [SheetIndex(self.book[name]) for name in self.book.sheetnames]
        if any(s.find("本年制发件数") or s.find("3.其他") for s in sheets):
            fmt, why = GOV_2021, "表中有“本年制发件数”等2021年版栏目"
        else:
            fmt, why = GOV_2019, "表中是2019年版（试行）的栏目"
        self.problems.append(format_guess(fmt, why))
        return fmt

    def read(self) -> ImportResult:
        meta_raw = self.meta_values()
        fmt = self.choose_format(meta_raw)
        year = _read_year(meta_raw.get("year"))
        if year is None:
            self.problems.append(missing("报告年度", "year"))
            year = fmt.first_year if fmt.last_year else 2026
        unit = meta_raw.get("procurement_unit")
        meta = Meta(
            agency=str(meta_raw.get("agency") or ""),
            year=year,
            date=_read_date(meta_raw.get("date")),
            title=str(meta_raw["title"]) if meta_raw.get("title") not in (None, "") else None,
            procurement_unit=unit if unit in PROCUREMENT_UNITS else "万元",
        )
        report = Report(fmt.id, meta)
        for key in ("preamble", "overview", "problems", "other_matters"):
            value = meta_raw.get(key)
            report.text[key] = "" if value is None else str(value)
        self.recognised.append(f"{fmt.name}，{meta.agency or '（未填机关）'}，{year}年度")
        published: dict[Address, Value] = {}
        for key, sheet_name in TABLE_SHEETS.items():
            sheet = self._sheet_for(key, sheet_name, fmt)
            if sheet is None:
                self.problems.append(missing(f"“{sheet_name}”页", key))
                continue
            index = SheetIndex(sheet)
            tables = [fmt.table(t) for s in fmt.sections if s.key == key for t in s.tables]
            for table in tables:
                found = self.read_table(report, index, table, key)
                published.update(found)
            self.recognised.append(f"{sheet.title}：已读取")
        self.problems.extend(reconcile_totals(report, published))
        return ImportResult(report, self.problems, self.recognised)

    def _sheet_for(self, key: str, name: str, fmt: ReportFormat) -> Worksheet | None:
        """The sheet by its name, or — renamed — the one that holds the table's first label."""
        if name in self.book.sheetnames:
            return self.book[name]
        section = next(s for s in fmt.sections if s.key == key)
        first = fmt.table(section.tables[0])
        # a label only that table has: a block heading of 二, the first row of 三, the last row of 四
        probe = first.title if key == "proactive" else (first.rows[0] if key == "requests" else first.rows[-1]).label
        for sheet_name in self.book.sheetnames:
            if sheet_name in (META_SHEET, CHECK_SHEET):
                continue
            if SheetIndex(self.book[sheet_name]).find(probe):
                return self.book[sheet_name]
        return None

    # ---- tables ----------------------------------------------------------------------------
    def read_table(self, report: Report, index: SheetIndex, table: Table, key: str) -> dict[Address, Value]:
        if key == "appeals":
            return self.read_strip(report, index, table)
        if key == "proactive":
            heading = index.find(table.title)
            if not heading:
                self.problems.append(missing(f"表二 {table.title}", table.key))
                return {}
            top = heading[0][0]
            following = [r for r, _c in (p for t in _block_titles(report.format) if t != table.title for p in index.find(t))
                         if r > top]
            bottom = min(following) - 1 if following else max(r for r, _c in index.values)
            return self.read_matrix(report, index, table, top + 1, bottom)
        return self.read_matrix(report, index, table, 1, max((r for r, _c in index.values), default=0))

    def read_matrix(self, report: Report, index: SheetIndex, table: Table, top: int, bottom: int) -> dict[Address, Value]:
        """Rows by their labels, columns by their header labels, within rows top..bottom."""
        columns: dict[str, int] = {}
        for column in table.columns:
            places = [p for p in index.find(column.label) if top <= p[0] <= bottom]
            if places:
                columns[column.key] = places[0][1]
            else:
                self.problems.append(missing(f"{_table_name(table)}的栏目“{column.label}”", f"{table.key}.{column.key}"))
        header_bottom = max((index.span(p)[0] for c in table.columns for p in index.find(c.label) if top <= p[0] <= bottom),
                            default=top)
        rows: dict[str, int] = {}
        for row in table.rows:
            places = [p for p in index.find(row.label) if header_bottom < p[0] <= bottom]
            if places:
                rows[row.key] = places[0][0]
            else:
                self.problems.append(missing(f"{_table_name(table)}的“{row.label}”行", f"{table.key}.{row.key}"))
        published: dict[Address, Value] = {}
        for row_key, r in rows.items():
            for col_key, c in columns.items():
                address = (table.key, row_key, col_key)
                value = self._cell(report, index, address, index.values.get((r, c)))
                if table.is_derived(row_key, col_key):
                    if value is not None:
                        published[address] = value
                elif value is not None:
                    report.cells[address] = value
        self._extra_rows(table, index, header_bottom, bottom, set(rows.values()), min(columns.values(), default=2))
        return published

    def _extra_rows(self, table: Table, index: SheetIndex, top: int, bottom: int, known: set[int], first_value_col: int) -> None:
        known_labels = {normalise(r.label) for r in table.rows} | {normalise(g) for r in table.rows for g in r.groups}
        known_labels |= {normalise(t) for t in _block_titles(None)} | {normalise(table.row_header)}
        for r in range(top + 1, bottom + 1):
            if r in known:
                continue
            labels = [v for (rr, c), v in index.values.items() if rr == r and c < first_value_col and isinstance(v, str)]
            unknown = [v for v in labels if normalise(v) not in known_labels]
            if not unknown:
                continue
            numbers = [display_text(v) if not isinstance(v, str) else v for _c, v in index.row_values(r, first_value_col - 1)]
            self.problems.append(extra_row(unknown[-1], [str(n) for n in numbers], f"{table.key}.row{r}"))

    def read_strip(self, report: Report, index: SheetIndex, table: Table) -> dict[Address, Value]:
        """Table 四: each row's label spans its five columns; the column labels sit below it."""
        published: dict[Address, Value] = {}
        for row in table.rows:
            places = index.find(row.label)
            if not places:
                self.problems.append(missing(f"表四的“{row.label}”", f"appeals.{row.key}"))
                continue
            top, left = places[0]
            _bottom, right = index.span((top, left))
            if right == left:
                right = left + len(table.columns) - 1
            columns: dict[str, tuple[int, int]] = {}
            for column in table.columns:
                below = [p for p in index.find(column.label) if p[0] > top and left <= p[1] <= right]
                if below:
                    columns[column.key] = below[0]
                else:
                    self.problems.append(missing(f"表四 {row.label} 的“{column.label}”", f"appeals.{row.key}.{column.key}"))
            if not columns:
                continue
            data_row = max(index.span(p)[0] for p in columns.values()) + 1
            for col_key, (_r, c) in columns.items():
                address = ("appeals", row.key, col_key)
                value = self._cell(report, index, address, index.values.get((data_row, c)))
                if table.is_derived(row.key, col_key):
                    if value is not None:
                        published[address] = value
                elif value is not None:
                    report.cells[address] = value
        return published

    def _cell(self, report: Report, index: SheetIndex, address: Address, raw: object) -> Value:
        kind = report.format.column(address).kind
        if report.format.table(address[0]).is_derived(address[1], address[2]):
            kind = Kind.AMOUNT  # a total may pass a typed cell's bound (six columns of 9,999,999)
        try:
            value, note = read_value(raw, kind, report.unit_of(address))
        except BadValue as error:
            self.problems.append(unreadable(report, address, raw, error.message.split("：")[0]))
            return None
        if note:
            self.recognised.append(note)
        return value


def _block_titles(fmt: ReportFormat | None) -> Iterable[str]:
    formats = [fmt] if fmt else list(FORMATS.values())
    return {t.title for f in formats for t in f.tables if t.key.startswith("art20")}


def _table_name(table: Table) -> str:
    return {"requests": "表三", "appeals": "表四"}.get(table.key, f"表二 {table.title}")


def _read_year(raw: object) -> int | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    if isinstance(raw, str):
        match = re.search(r"\d{4}", normalise(raw))
        if match:
            return int(match.group())
    return None


def _read_date(raw: object) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        match = re.search(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})", normalise(raw))
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None
