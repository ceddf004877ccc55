"""The report as an Excel workbook (spec/document.md "Excel"): the official tables, 基本信息 and 校验.

Every cell holds the value the clerk saw (derived totals as numbers too, so a preview that does not
recalculate shows the right numbers); blank cells stay empty and "/" is text, so reading the
workbook back (:mod:`export.xlsx_reader`) gives the same report. The 校验 sheet carries, beside the
results stored at export, live formulas over the table cells, so an edit in Excel or WPS shows.
"""

from __future__ import annotations

import io
import math
import os
import unicodedata
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from model.catalogue import format_title, rule_name
from model.checks import run_checks
from model.formats import TEXT_HEADINGS, Address, Layout, Role
from model.formats.common import APPLICANT_KEYS
from model.problems import SEVERITY_NAMES, format_date
from model.report import Report
from model.store import write_atomic
from model.values import NA, Value, clean_text

# the first row of 基本信息 tells a clerk where the workbook came from; the reader knows our workbooks
# by it (and by the document keywords "nianbao 1"): the plain sentence now, the bare mark before
WORKBOOK_NOTE = "本工作簿由年报助手导出。修改后可在年报助手中用“文件 → 导入”读回。"
OLD_WORKBOOK_MARK = "年报助手工作簿"  # "年报助手工作簿 1", in workbooks exported before the sentence
WORKBOOK_MARKS = ("本工作簿由年报助手导出", OLD_WORKBOOK_MARK)  # how the first row of either starts
WORKBOOK_VERSION = 1
META_SHEET = "基本信息"
TABLE_SHEETS = {"proactive": "表二 主动公开", "requests": "表三 依申请公开", "appeals": "表四 复议诉讼"}
CHECK_SHEET = "校验"
TOTAL_CHECK = "合计等于各项之和"  # the 校验 sheet's own rows: each derived total against its parts
CHECK_WIDTHS = (30, 46, 12, 12, 18, 16, 80)  # the 校验 sheet's columns, in Excel's units
META_LABELS = {
    "mark": "说明",
    "agency": "机关名称",
    "year": "报告年度",
    "format": "报告格式",
    "date": "成文日期",
    "title": "报告标题",
    "procurement_unit": "采购总金额单位",
    "preamble": "前言",
    "overview": TEXT_HEADINGS["overview"],
    "problems": TEXT_HEADINGS["problems"],
    "other_matters": TEXT_HEADINGS["other_matters"],
}
FONT_NAME = "宋体"
TITLE_ROWS = 1  # each table sheet: the section heading, then the table
LINE_POINTS = 14.0  # one wrapped line of 10.5 pt 宋体 with its leading, as Excel, WPS and LibreOffice set it
MAX_ROW_POINTS = 409  # the tallest row Excel allows

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT = Font(name=FONT_NAME, size=10.5, charset=134)
BOLD = Font(name=FONT_NAME, size=10.5, charset=134, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, charset=134, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
DERIVED_FILL = PatternFill("solid", fgColor="E4E4E4")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)


STYLES: dict[str, dict[str, object]] = {
    "title": {"font": TITLE_FONT},
    "header": {"font": BOLD, "alignment": CENTRE, "border": BORDER, "fill": HEADER_FILL},
    "label": {"font": FONT, "alignment": LEFT, "border": BORDER},
    "number": {"font": FONT, "alignment": CENTRE, "border": BORDER, "number_format": "0"},
    "derived": {"font": FONT, "alignment": CENTRE, "border": BORDER, "fill": DERIVED_FILL, "number_format": "0"},
    "meta_label": {"font": BOLD, "alignment": TOP_LEFT, "border": BORDER, "fill": HEADER_FILL},
    "meta_value": {"font": FONT, "alignment": TOP_LEFT, "border": BORDER},
    "check": {"font": FONT, "alignment": LEFT, "border": BORDER},
    "check_centre": {"font": FONT, "alignment": CENTRE, "border": BORDER},
    "border": {"border": BORDER},
}


@dataclass(frozen=True)
class SheetGeometry:
    """Column widths (characters) and row heights (points) of a table sheet, set, not auto-fitted."""

    widths: list[float]
    header_height: float
    row_height: float


def geometry(layout: Layout) -> SheetGeometry:
    if layout.key == "requests":
        return SheetGeometry([12, 14, 34] + [9] * (layout.n_cols - 3), 30, 30)
    if layout.key == "appeals":
        return SheetGeometry([8] * layout.n_cols, 30, 22)
    return SheetGeometry([24, 16, 16, 16], 30, 22)


def number_format(value: Decimal) -> str:
    """Shows every stored decimal and no more: 5949.088667 → 0.000000, 12 → 0."""
    places = max(0, -value.normalize().as_tuple().exponent) if value != 0 else 0  # type: ignore[operator]
    return "0." + "0" * places if places else "0"


def text_width(text: str) -> int:
    """A text's width in Excel's column units (the width of a digit): a Chinese character or a
    full-width sign takes two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` units wide (its own line
    breaks kept; a unit or two go to the cell's padding)."""
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


def fitted_height(cells: list[tuple[object, float]], minimum: float) -> float:
    """A row's height in points for its wrapped texts (value, column width): the tallest of them."""
    lines = max((wrapped_lines(value, width) for value, width in cells if isinstance(value, str) and value), default=1)
    return min(MAX_ROW_POINTS, max(minimum, LINE_POINTS * lines + 5))


def merge(sheet: Worksheet, top: int, left: int, bottom: int, right: int) -> None:
    """Merge a range without openpyxl's border formatting of its edges (we style every cell
    ourselves; its formatting hashes style objects per cell and dominated the export)."""
    coord = f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"
    sheet.merged_cells.add(MergedCellRange(sheet, coord))


def put(cell, value: object) -> None:  # type: ignore[no-untyped-def]
    """Store a value; text is always text (a clerk's "=…" is not a formula), without the control
    characters a workbook cannot hold (values.clean_text)."""
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def cell_value(value: Value) -> object:
    if value is None:
        return None
    if value is NA:
        return "/"
    return value


def table_position(layout: Layout, address: Address) -> tuple[int, int]:
    """1-based (row, column) of a cell on its sheet."""
    r, c = layout.positions[address]
    return r + 1 + TITLE_ROWS, c + 1


def cell_ref(layout: Layout, address: Address, *, sheet: bool = True) -> str:
    row, col = table_position(layout, address)
    ref = f"{get_column_letter(col)}{row}"
    return f"'{TABLE_SHEETS[layout.key]}'!{ref}" if sheet else ref



def apply_style(cell, name: str, settings: dict[str, object], cache: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """Give ``cell`` the named look: the first cell of each look is styled attribute by attribute, the
    rest copy its style array (openpyxl hashes every style object on each assignment, which dominates
    a large sheet)."""
    cached = cache.get(name)
    if cached is None:
        for attribute, value in settings.items():
            setattr(cell, attribute, value)
        cache[name] = copy(cell._style)
    else:
        cell._style = copy(cached)

class WorkbookWriter:
    def __init__(self, report: Report) -> None:
        self.report = report.cleaned()  # no control character makes the workbook invalid XML
        self.book = Workbook()
        self._styles: dict[str, object] = {}

    def style(self, cell, name: str, number_format: str | None = None) -> None:  # type: ignore[no-untyped-def]
        """Apply a named look (see :func:`apply_style`)."""
        apply_style(cell, name, STYLES[name], self._styles)
        if number_format is not None:
            cell.number_format = number_format

    def build(self) -> Workbook:
        self.meta_sheet(self.book.active)
        for key, layout in self.report.format.layouts.items():
            self.table_sheet(self.book.create_sheet(TABLE_SHEETS[key]), layout)
        self.check_sheet(self.book.create_sheet(CHECK_SHEET))
        properties = self.book.properties
        properties.creator = "年报助手"
        properties.title = self.report.title.replace("\n", "")
        properties.keywords = f"nianbao {WORKBOOK_VERSION}"
        properties.language = "zh-CN"
        return self.book

    # ---- 基本信息 -------------------------------------------------------------------------
    def meta_sheet(self, sheet: Worksheet) -> None:
        sheet.title = META_SHEET
        report, meta = self.report, self.report.meta
        rows: list[tuple[str, object]] = [
            ("mark", WORKBOOK_NOTE),
            ("agency", meta.agency),
            ("year", meta.year),
            ("format", format_title(report.format_id)),
            ("date", format_date(meta.date) if meta.date else None),
            ("title", meta.title),
        ]
        if report.format_id == "gov-2019":
            rows.append(("procurement_unit", meta.procurement_unit))
        rows += [(key, report.text.get(key, "")) for key in ("preamble", "overview", "problems", "other_matters")]
        widths = (18, 100)
        sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = widths
        for i, (key, value) in enumerate(rows, 1):
            self.style(sheet.cell(i, 1, META_LABELS[key]), "meta_label")
            cell = sheet.cell(i, 2)
            put(cell, value if value != "" else None)
            self.style(cell, "meta_value", "0" if key == "year" else None)
            sheet.row_dimensions[i].height = fitted_height([(META_LABELS[key], widths[0]), (value, widths[1])], 20)
        sheet.freeze_panes = "B2"
        self.print_setup(sheet, landscape=False)

    # ---- tables ----------------------------------------------------------------------------
    def table_sheet(self, sheet: Worksheet, layout: Layout) -> None:
        report = self.report
        shape = geometry(layout)
        for col, width in enumerate(shape.widths, 1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        self.style(sheet.cell(1, 1, layout.title), "title")
        merge(sheet, 1, 1, 1, layout.n_cols)
        sheet.row_dimensions[1].height = 28
        for cell in layout.cells:
            row, col = cell.row + 1 + TITLE_ROWS, cell.col + 1
            target = sheet.cell(row, col)
            if cell.address:
                value = report.value(cell.address)
                target.value = cell_value(value)
                fmt = number_format(value) if isinstance(value, Decimal) else None
                self.style(target, "derived" if cell.role is Role.DERIVED else "number", fmt)
            else:
                target.value = cell.text
                self.style(target, "label" if cell.role is Role.LABEL else "header")
            if cell.rowspan > 1 or cell.colspan > 1:
                merge(sheet, row, col, row + cell.rowspan - 1, col + cell.colspan - 1)
                for r in range(row, row + cell.rowspan):
                    for c in range(col, col + cell.colspan):
                        if (r, c) != (row, col):
                            self.style(sheet.cell(r, c), "border")
        for r in range(layout.n_rows):
            header = r < layout.header_rows
            sheet.row_dimensions[r + 1 + TITLE_ROWS].height = shape.header_height if header else shape.row_height
        if layout.key == "requests":
            for r in range(layout.header_rows, layout.n_rows):  # long labels wrap to two lines
                label = next((c for c in layout.cells if c.row == r and c.col == 2), None)
                if label is not None and len(label.text) > 16:
                    sheet.row_dimensions[r + 1 + TITLE_ROWS].height = 42 if len(label.text) < 34 else 56
        freeze_row = 1 + TITLE_ROWS + layout.header_rows
        sheet.freeze_panes = f"{get_column_letter(layout.label_cols + 1)}{freeze_row}"
        sheet.print_title_rows = f"1:{freeze_row - 1}"
        self.print_setup(sheet, landscape=layout.key != "proactive")

    def print_setup(self, sheet: Worksheet, *, landscape: bool) -> None:
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if landscape else "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6

    # ---- 校验 ------------------------------------------------------------------------------
    def check_sheet(self, sheet: Worksheet) -> None:
        report = self.report
        headers = ["规则", "核对项目", "导出时结果", "导出时差额", "实时差额（公式）", "实时结果（公式）", "说明"]
        for col, (header, width) in enumerate(zip(headers, CHECK_WIDTHS, strict=True), 1):
            self.style(sheet.cell(1, col, header), "header")
            sheet.column_dimensions[get_column_letter(col)].width = width
        row = 2
        requests = report.format.layouts["requests"]
        labels = {c.key: c.label for c in report.format.table("requests").columns}
        for col in APPLICANT_KEYS:  # the 勾稽关系, per column
            cells = [("requests", r, col) for r in ("received", "carried_in", "handled_total", "carried_out")]
            a, b, c, d = (report.number(x) for x in cells)
            stored = (a + b) - (c + d)
            refs = [cell_ref(requests, x) for x in cells]
            formula = f"=({refs[0]}+{refs[1]})-({refs[2]}+{refs[3]})"
            self._check_row(sheet, row, rule_name("requests.balance"), f"{labels[col]}列：第一项+第二项=第三项（七）总计+第四项",
                            stored, formula)
            row += 1
        for key, layout in report.format.layouts.items():  # every derived total against its parts
            for cell in layout.cells:
                if cell.role is not Role.DERIVED or cell.address is None:
                    continue
                table = report.format.table(cell.address[0])
                parts = [cell_ref(layout, (table.key, r, c)) for r, c in table.parts(cell.address[1], cell.address[2])]
                stored_parts = sum(report.number((table.key, r, c)) for r, c in table.parts(cell.address[1], cell.address[2]))
                stored = stored_parts - report.number(cell.address)
                formula = f"=SUM({','.join(parts)})-N({cell_ref(layout, cell.address)})"
                row_label = table.row_index[cell.address[1]].label
                column_label = table.column_index[cell.address[2]].label
                what = f"{TABLE_SHEETS[key].split()[0]} {row_label} · {column_label}：合计等于各项之和"
                self._check_row(sheet, row, TOTAL_CHECK, what, stored, formula)
                row += 1
        problems = run_checks(report)
        by_rule: dict[str, list] = {}
        for problem in problems:
            by_rule.setdefault(problem.rule, []).append(problem)
        for rule, items in by_rule.items():  # errors first, then in the order the rules run
            if rule == "requests.balance":
                continue  # rows above, with formulas
            for problem in items:
                status = SEVERITY_NAMES[problem.severity] + ("（已忽略）" if problem.dismissed is not None else "")
                values = [rule_name(rule), "", status, None, None, None, problem.message]
                for col, value in enumerate(values, 1):
                    cell = sheet.cell(row, col)
                    put(cell, value)
                    self.style(cell, "check")
                self._fit_check_row(sheet, row, values)
                row += 1
        if not any(p.rule != "requests.balance" for p in problems):
            self.style(sheet.cell(row, 1, "其他规则"), "check")
            self.style(sheet.cell(row, 3, "通过"), "check_centre")
        sheet.freeze_panes = "A2"
        self.print_setup(sheet, landscape=True)

    def _check_row(self, sheet: Worksheet, row: int, name: str, what: str, stored: int | Decimal, formula: str) -> None:
        result_formula = f'=IF(E{row}=0,"通过","不通过")'
        values = [name, what, "通过" if stored == 0 else "不通过", stored, formula, result_formula, ""]
        for col, value in enumerate(values, 1):
            self.style(sheet.cell(row, col, value), "check_centre" if col in (3, 4, 5, 6) else "check")
        self._fit_check_row(sheet, row, [name, what, None, None, None, None, ""])

    @staticmethod
    def _fit_check_row(sheet: Worksheet, row: int, texts: list[object]) -> None:
        """A row as tall as its longest wrapped text (a long 说明 or 核对项目 no longer overprints the
        rows below it when printed); formulas are not texts a reader sees."""
        sheet.row_dimensions[row].height = fitted_height(list(zip(texts, CHECK_WIDTHS, strict=True)), 15)


def build_workbook(report: Report) -> Workbook:
    return WorkbookWriter(report).build()


def write_xlsx(report: Report, path: str | os.PathLike) -> None:
    """Write atomically; an existing file is replaced only when the new one is complete."""
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    data = buffer.getvalue()
    write_atomic(Path(path), lambda handle: handle.write(data), binary=True)  # type: ignore[attr-defined]
