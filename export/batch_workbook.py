"""The batch's result workbook and the per-unit problem lists a 公开办 sends back.

Sheets: 汇总 (one row per report: status, counts, key figures, the ratios with their definitions
written below), 问题清单 (one row per problem), 未报送, 与上年比较, and 汇总来源 (the figures each
report contributed to the units' sum, the sum, the 本级 report and the difference). Every sheet has
its header frozen and a filter on it. Written in openpyxl's streaming mode, so a province's
twenty thousand reports cost rows on disk, not a workbook in memory. Every text that came from a
file is stored as text (a unit named "=…" is not a formula).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from export.batch import (
    DUPLICATE,
    FAILED,
    LEVEL,
    OTHER_FORMAT,
    OTHER_YEAR,
    PASSED,
    ROLE_NAMES,
    STATUSES,
    STORED,
    UNREADABLE,
    WARNED,
    BatchResult,
    Entry,
    RowSummary,
)
from export.batch_figures import KEY_FIGURES, RATIO_NOTE, RATIOS, key_figures, percent_text, ratios
from export.batch_files import RESULT_KEYWORDS
from export.batch_names import EXACT, GUESS
from export.batch_read import unit_in_file_name
from export.batch_sum import summed_cells, unsummed_cells
from export.xlsx import BOLD, BORDER, CENTRE, FONT, HEADER_FILL, LEFT, TITLE_FONT, apply_style
from model.catalogue import rule_name
from model.formats import FORMATS, TEXT_HEADINGS
from model.problems import SEVERITY_NAMES, Problem, cell_name
from model.report import Report
from model.store import write_atomic
from model.values import NA, Value, clean_text

SUMMARY, PROBLEMS, MISSING, COMPARISON, SOURCES = "汇总", "问题清单", "未报送", "与上年比较", "汇总来源"
FORMAT_SHORT = {"gov-2021": "2021年版", "gov-2019": "2019年版（试行）"}
STATUS_FILLS = {
    PASSED: PatternFill("solid", fgColor="C6EFCE"),
    WARNED: PatternFill("solid", fgColor="FFEB9C"),
    FAILED: PatternFill("solid", fgColor="FFC7CE"),
    UNREADABLE: PatternFill("solid", fgColor="BFBFBF"),
}
FIELD_NAMES = {"agency": "机关名称", "year": "报告年度", "date": "成文日期", "format": "报告格式", "title": "报告标题"}
PLACE_NAMES = {"file": "文件", "last_year": "上年报告", "format": "报告格式", "year": "报告年度", "agency": "机关名称",
               "cells": "表二至表四", "report": "全表"}
CROSS_YEAR_RULES = ("requests.carry_in", "proactive.in_force_chain", "proactive.items_chain",
                    "numbers.same_as_last_year", "text.same_as_last_year")
MATCH_NAMES = {EXACT: "同名", GUESS: "推测", STORED: "报告文件中保存的上年数据", None: "无上年报告"}
PERCENT = "0.0%"
A4 = "9"  # the paper size code of A4 in SpreadsheetML
MAX_UNIT_COLUMNS = 16384 - 5  # 汇总来源: a column per unit after the five of its own, up to the last (XFD)
NAMED_UNITS = 20  # units named in a note before "等N个单位"

_STYLES: dict[str, dict[str, object]] = {
    "title": {"font": TITLE_FONT},
    "note": {"font": FONT, "alignment": Alignment(horizontal="left", vertical="top", wrap_text=True)},
    "header": {"font": BOLD, "alignment": CENTRE, "border": BORDER, "fill": HEADER_FILL},
    "text": {"font": FONT, "alignment": LEFT, "border": BORDER},
    "centre": {"font": FONT, "alignment": CENTRE, "border": BORDER},
    "number": {"font": FONT, "alignment": CENTRE, "border": BORDER, "number_format": "0"},
    "amount": {"font": FONT, "alignment": CENTRE, "border": BORDER, "number_format": "General"},
    "percent": {"font": FONT, "alignment": CENTRE, "border": BORDER, "number_format": PERCENT},
    "total": {"font": BOLD, "alignment": CENTRE, "border": BORDER, "fill": HEADER_FILL},
    **{f"status:{status}": {"font": BOLD, "alignment": CENTRE, "border": BORDER, "fill": fill}
       for status, fill in STATUS_FILLS.items()},
}


def _clean(text: str) -> str:
    """Text as a workbook may hold it (values.clean_text: line ends, control characters, U+FFFE/U+FFFF)."""
    return clean_text(text)


LINE_POINTS = 15.0  # one line of 10.5 pt text, as Excel and LibreOffice (Noto CJK) set it, with its leading
_WRAPPING = {"text", "centre", "header", "note"}


def display_width(text: str) -> int:
    """The width of a text in column units: a Chinese character takes two, a Latin one one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column ``width`` units wide."""
    usable = max(1.0, width - 1.5)  # the cell's own margins
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


class Sheet:
    """A streaming sheet: rows appended in order, each cell with a named look, each row as high
    as its wrapped texts need (neither Excel nor LibreOffice grows a written row by itself);
    printed on landscape A4, as wide as one page, the header repeated on every page."""

    def __init__(self, book: Workbook, title: str, widths: Sequence[float], freeze: str) -> None:
        """``freeze``: the top-left cell that scrolls (a streaming sheet writes its view first)."""
        self.book = book
        self.ws = book.create_sheet(title)
        self.ws.freeze_panes = freeze
        self.widths = list(widths)
        for col, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        setup = self.ws.page_setup
        setup.orientation, setup.paperSize = "landscape", A4
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide (or its print area), as many pages long as it takes
        self.ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.3, footer=0.3)
        self.ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        self.rows = 0
        self.styles: dict[str, object] = {}

    def cell(self, value: object, style: str | None, comment: str | None = None) -> WriteOnlyCell:
        if isinstance(value, Decimal):
            value = float(value) if style == "percent" else value
            style = "amount" if style == "number" else style  # 41.2365, not "41"
        cell = WriteOnlyCell(self.ws, value=_clean(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever a file's text begins with
        if style:
            apply_style(cell, style, _STYLES[style], self.styles)
        if comment:
            cell.comment = Comment(comment, "年报助手", width=360, height=160)
        return cell

    def _lines(self, values: Sequence[object], styles: Sequence[str | None]) -> int:
        """The lines the row's tallest wrapped text takes in its column."""
        lines = 1
        for value, style, width in zip(values, styles, self.widths, strict=False):
            if isinstance(value, str) and (style in _WRAPPING or (style or "").startswith("status:")):
                lines = max(lines, text_lines(value, width))
        return lines

    def append(self, values: Iterable[object], style: str | Sequence[str | None] | None = "text",
               comments: dict[int, str] | None = None) -> int:
        values = list(values)
        styles = [style] * len(values) if style is None or isinstance(style, str) else list(style)
        comments = comments or {}
        lines = self._lines(values, styles)
        if lines > 1:
            self.ws.row_dimensions[self.rows + 1].height = lines * LINE_POINTS + 3
        self.ws.append([self.cell(v, s, comments.get(i)) for i, (v, s) in enumerate(zip(values, styles, strict=True))])
        self.rows += 1
        return self.rows

    def blank(self) -> None:
        self.ws.append([])
        self.rows += 1

    def title(self, text: str, width: int) -> None:
        self.ws.row_dimensions[self.rows + 1].height = 24
        self.append([text], "title")
        self.ws.merged_cells.add(f"A{self.rows}:{get_column_letter(max(1, width))}{self.rows}")

    def note(self, text: str, columns: int | None = None) -> None:
        """A line of explanation across the table's columns (or ``columns`` of them), wrapped."""
        columns = min(columns or len(self.widths), len(self.widths)) or 1
        lines = text_lines(text, sum(self.widths[:columns]))
        self.ws.row_dimensions[self.rows + 1].height = lines * LINE_POINTS + 3
        self.ws.append([self.cell(text, "note")])
        self.rows += 1
        if columns > 1:
            self.ws.merged_cells.add(f"A{self.rows}:{get_column_letter(columns)}{self.rows}")

    def table(self, header_row: int, columns: int, last_row: int) -> None:
        """A filter over the header and the data rows; the header repeats on each printed page."""
        self.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(header_row, last_row)}"
        self.ws.print_title_rows = f"{header_row}:{header_row}"


def _value(value: Value) -> object:
    if value is None:
        return None
    return "/" if value is NA else value


def _ratio_value(value: Decimal | None) -> object:
    return percent_text(None) if value is None else value


def place_text(problem: Problem, format_id: str | None) -> str:
    """Where a problem is, in the clerk's words."""
    if problem.cells and format_id:
        report = Report(format_id)
        first = cell_name(report, problem.cells[0])
        return first + (f" 等{len(problem.cells)}处" if len(problem.cells) > 1 else "")
    if problem.sections:
        return "、".join(TEXT_HEADINGS.get(key, key) for key in problem.sections)
    if problem.fields:
        return "、".join(FIELD_NAMES.get(key, key) for key in problem.fields)
    place = problem.id.split("|")[1] if "|" in problem.id else ""
    return PLACE_NAMES.get(place, "")


ROLE_RULES = {DUPLICATE: "batch.duplicate", OTHER_YEAR: "batch.year_mismatch", OTHER_FORMAT: "batch.format_mismatch"}


def remark(entry: Entry) -> str:
    """The 说明 of a report's row: its role in the batch (unless its first problem says it), why it
    could not be read, the first error or warning and how many more, file-name hints."""
    first, _count = entry.first_problems()
    parts = []
    if entry.role in (LEVEL, DUPLICATE, OTHER_YEAR, OTHER_FORMAT) and (first is None or first.rule != ROLE_RULES.get(entry.role)):
        parts.append(ROLE_NAMES[entry.role])
    if entry.outcome.reason:
        parts.append(entry.outcome.reason)
    if first is not None:
        open_ones = [p for p in entry.problems if p.severity in ("error", "warning") and p.dismissed is None][1:]
        more = "、".join(f"{n}个{SEVERITY_NAMES[severity]}" for severity in ("error", "warning")
                        if (n := sum(p.counted for p in open_ones if p.severity == severity)))
        parts.append(first.message + (f"（另有{more}）" if more else ""))
    parts += [p.message for p in entry.problems if p.rule in ("batch.file_name", "batch.chosen_version")]
    return "；".join(parts)


def last_text(entry: Entry) -> str:
    """Last year's report of a row: the file and how it was matched."""
    if entry.last is not None:
        how = "同名" if entry.last_how == EXACT else f"推测：上年名称“{entry.last.agency}”"
        return f"{entry.last_rel}（{how}）"
    if entry.last_how == STORED:
        return MATCH_NAMES[STORED]
    return ""


class ResultWorkbook:
    def __init__(self, result: BatchResult, now: dt.datetime | None = None) -> None:
        self.result = result
        self.now = now or dt.datetime.now()
        self.book = Workbook(write_only=True)
        self._summaries: dict[int, RowSummary] = {}

    def summary(self, entry: Entry) -> RowSummary:
        """A report's status, counts, figures and ratios: worked out once for all sheets."""
        found = self._summaries.get(id(entry))
        if found is None:
            found = self._summaries[id(entry)] = entry.summary()
        return found

    def status(self, entry: Entry) -> str:
        return self.summary(entry).status

    def build(self) -> Workbook:
        self.summary_sheet()
        self.problems_sheet()
        self.missing_sheet()
        self.comparison_sheet()
        self.sources_sheet()
        properties = self.book.properties
        properties.creator = "年报助手"
        properties.title = self.heading()
        properties.keywords = f"{RESULT_KEYWORDS} 1"
        properties.language = "zh-CN"
        return self.book

    def heading(self) -> str:
        year = f"{self.result.year}年度" if self.result.year else ""
        return f"{year}政府信息公开工作年度报告核对结果"

    # ---- 汇总 ------------------------------------------------------------------------------
    def summary_sheet(self) -> None:
        result = self.result
        headers = ["序号", "单位", "年度", "格式", "文件", "类型", "状态", "错误", "警告", "提示", "已忽略",
                   *(f.label for f in KEY_FIGURES), *(r.label for r in RATIOS), "上年报告", "说明"]
        widths = [5, 18, 6, 9, 20, 7, 8, 5, 5, 5, 5, *([7] * len(KEY_FIGURES)), *([8] * len(RATIOS)), 20, 34]
        sheet = Sheet(self.book, SUMMARY, widths, "C4")  # under the title, the count line and the header
        sheet.title(self.heading(), len(headers))
        found = Counter(self.status(e) for e in result.entries)
        counts = {status: found.get(status, 0) for status in STATUSES}
        line = (f"文件夹：{result.folder}　共{len(result.entries)}份报告：" +
                "，".join(f"{status}{n}份" for status, n in counts.items()) +
                f"　核对时间：{self.now:%Y-%m-%d %H:%M}")
        if result.interrupted:
            line += f"　（核对被中断：只核对了{len(result.entries)}份，其余文件未核对）"
        sheet.note(line)
        ratio_start = 11 + len(KEY_FIGURES)
        comments = {ratio_start + i: r.definition for i, r in enumerate(RATIOS)}
        header_row = sheet.append(headers, "header", comments)
        for number, entry in enumerate(result.entries, 1):
            summary = self.summary(entry)
            errors, warnings, infos, dismissed = summary.counts()
            outcome = entry.outcome
            status = summary.status
            values: list[object] = [number, entry.name, outcome.year, FORMAT_SHORT.get(outcome.format_id or "", ""),
                                    entry.rel, outcome.kind, status]
            styles: list[str | None] = ["centre", "text", "centre", "centre", "text", "centre", f"status:{status}"]
            if summary.figures is not None and summary.ratios is not None:
                values += [errors, warnings, infos, dismissed, *summary.figures.values(),
                           *(_ratio_value(v) for v in summary.ratios.values())]
                styles += ["number"] * (4 + len(KEY_FIGURES)) + [
                    "percent" if v is not None else "centre" for v in summary.ratios.values()]
            else:
                values += [None] * (4 + len(KEY_FIGURES) + len(RATIOS))
                styles += ["centre"] * (4 + len(KEY_FIGURES) + len(RATIOS))
            values += [last_text(entry), remark(entry)]
            styles += ["text", "text"]
            sheet.append(values, styles)
        sheet.table(header_row, len(headers), sheet.rows)
        sheet.blank()
        sheet.note("说明：")
        sheet.note("状态：通过＝没有错误和警告；有警告＝没有错误但有警告（可能有误，请单位核实或写明理由后忽略）；"
                   "有错误＝报告有错误（如勾稽关系不平）；无法读取＝文件无法读取，原因见“说明”列。提示不影响状态。")
        sheet.note("本年新收、予以公开、（七）总计、结转下年：表三相应行的“总计”列；行政复议：表四行政复议的总计；"
                   "行政诉讼：表四未经复议直接起诉与复议后起诉的总计之和。")
        for ratio in RATIOS:
            sheet.note(ratio.definition)
        sheet.note(RATIO_NOTE)

    # ---- 问题清单 ----------------------------------------------------------------------------
    def problems_sheet(self) -> None:
        headers = ["序号", "单位", "文件", "状态", "严重程度", "规则", "位置", "问题说明", "已忽略的理由", "规则编号"]
        sheet = Sheet(self.book, PROBLEMS, [5, 16, 18, 7, 7, 14, 20, 60, 16, 14], "C2")
        header_row = sheet.append(headers, "header")
        number = 0
        styles = ["centre", "text", "text", "centre", "centre", "text", "text", "text", "text", "text"]
        for entry in self.result.entries:
            status = self.status(entry)
            for severity, rule, place, message, reason in problem_rows(entry):
                number += 1
                sheet.append([number, entry.name, entry.rel, status, severity, rule_name(rule), place, message,
                              reason, rule], [*styles[:3], f"status:{status}", *styles[4:]])
        for file, why in self.result.skipped:
            number += 1
            sheet.append([number, "", file, "", SEVERITY_NAMES["info"], rule_name("batch.skipped"), "文件",
                          f"未核对：{why}", None, "batch.skipped"], styles)
        sheet.table(header_row, len(headers), sheet.rows)

    # ---- 未报送 ------------------------------------------------------------------------------
    def missing_sheet(self) -> None:
        result = self.result
        headers = ["序号", "单位", "情况", "报告文件", "报告中的单位名称"]
        sheet = Sheet(self.book, MISSING, [5, 30, 44, 36, 30], "B2")
        header_row = sheet.append(headers, "header")
        rows: list[list[object]] = []
        if result.expected is not None:
            for item in result.expected:
                entry = item.entry
                rows.append([item.name, item.situation, item.file, entry.agency if entry and entry.readable else None])
            for entry in result.unexpected:
                rows.append([entry.agency, "不在应报送单位名单中" + _unlisted_note(result, entry), entry.rel, entry.agency])
        else:
            for outcome in result.gone:
                rows.append([outcome.agency, f"上年有报告（{result.relative(outcome.path, result.last_folder)}），本年未收到",
                             None, None])
            for outcome, sent in result.gone_sent:
                last = result.relative(outcome.path, result.last_folder)
                rows.append([outcome.agency, f"上年有报告（{last}）；本年{sent.situation}（按文件名推测）", sent.rel, None])
        for number, row in enumerate(rows, 1):
            sheet.append([number, *row], ["centre", "text", "text", "text", "text"])
        sheet.table(header_row, len(headers), sheet.rows)
        sheet.blank()
        if result.expected is None and result.last_folder is None:
            sheet.note("未提供应报送单位名单（--expect），也未提供上年报告文件夹，无法列出未报送的单位。")
        elif result.expected is None:
            sheet.note("未提供应报送单位名单：以上为上年报送了报告、本年没有收到可读取的报告的单位（按名称匹配）。")
        else:
            sheet.note("“儒林镇”“儒林镇政府”与“儒林镇人民政府”视为同一名称。名称不完全相同时按名称推测匹配，并在“情况”中注明"
                       "推测的依据：名称不同（如“县商务局”与“城步苗族自治县商务局”）、乡镇名称变化（如“白毛坪乡”改为“白毛坪镇”）、"
                       "简称（如“县发改局”与“城步苗族自治县发展和改革局”）；无法读取的文件和压缩包按文件名推测。请核对。")

    # ---- 与上年比较 --------------------------------------------------------------------------
    def comparison_sheet(self) -> None:
        result = self.result
        headers = ["序号", "单位", "本年文件", "上年单位", "上年文件", "匹配方式"]
        for figure in KEY_FIGURES:
            headers += [f"{figure.label}（本年）", f"{figure.label}（上年）", f"{figure.label}（增减）"]
        disclosure = RATIOS[0]
        headers += [f"{disclosure.label}（本年）", f"{disclosure.label}（上年）", "跨年核对问题数"]
        widths = [5, 16, 16, 16, 16, 8, *([6] * (3 * len(KEY_FIGURES))), 9, 9, 8]
        sheet = Sheet(self.book, COMPARISON, widths, "C2")
        header_row = sheet.append(headers, "header")
        number = 0
        for entry in result.entries:
            if not entry.readable:
                continue
            number += 1
            last = entry.last_figures()
            summary = self.summary(entry)
            assert summary.figures is not None and summary.ratios is not None
            this_figures = summary.figures
            values: list[object] = [number, entry.name, entry.rel, entry.last.agency if entry.last else None,
                                    entry.last_rel or None, MATCH_NAMES[entry.last_how]]
            styles: list[str | None] = ["centre", "text", "text", "text", "text", "centre"]
            if last is not None:
                last_report = last.report()
                last_figures = key_figures(last_report.format, last_report.value)
                last_ratio = ratios(last_report.format, last_report.value)[disclosure.key]
            for figure in KEY_FIGURES:
                now = this_figures[figure.key]
                if last is None:
                    values += [now, None, None]
                else:
                    values += [now, last_figures[figure.key], now - last_figures[figure.key]]
                styles += ["number"] * 3
            this_ratio = summary.ratios[disclosure.key]
            values.append(_ratio_value(this_ratio))
            styles.append("percent" if this_ratio is not None else "centre")
            if last is None:
                values.append(None)
                styles.append("centre")
            else:
                values.append(_ratio_value(last_ratio))
                styles.append("percent" if last_ratio is not None else "centre")
            values.append(sum(p.counted for p in entry.problems
                              if p.rule in CROSS_YEAR_RULES and p.dismissed is None))
            styles.append("number")
            sheet.append(values, styles)
        sheet.table(header_row, len(headers), sheet.rows)
        sheet.blank()
        if result.last_folder is None:
            sheet.note("未提供上年报告文件夹（--last-year）：上年数字取自报告文件中保存的上年数据（如有）。")
        sheet.note("匹配方式：同名＝单位名称相同（“儒林镇政府”与“儒林镇人民政府”视为同名）；推测＝名称不同但主体相同"
                   "（如“县商务局”与“城步苗族自治县商务局”、“白毛坪乡”改为“白毛坪镇”、“发改局”与“发展和改革局”），请核对；"
                   "跨年核对问题数：上年结转、现行有效件数衔接、数字或文字与上年雷同等提醒的个数。")
        unreadable = [o for o in result.last_outcomes if o.reason]
        for outcome in unreadable:
            sheet.note(f"上年文件夹中无法读取：{result.relative(outcome.path, result.last_folder)}：{outcome.reason}")

    # ---- 汇总来源 ----------------------------------------------------------------------------
    def sources_sheet(self) -> None:
        """One row per summed cell: the units' sum, the 本级 report and the difference (what is
        printed), then each unit's figure (the columns to the right: the sum's audit trail)."""
        result = self.result
        fmt = FORMATS.get(result.format_id or "")
        cells = summed_cells(fmt) if fmt else ()
        everyone = result.contributors
        contributors = everyone[:MAX_UNIT_COLUMNS]  # the units given a column (a sheet's columns end at XFD)
        with_errors = [e for e in everyone if self.status(e) == FAILED]
        level = result.level if result.level is not None and result.level.outcome.figures is not None else None
        key_columns = ["序号", "栏目", "下级单位合计", "本级报告" if level else "本级报告（无）", "差额（本级−合计）"]
        head = len(key_columns)
        top = 1 + bool(with_errors) + bool(level)  # the title, the warning about units with errors, the 本级 report
        # printed: the five columns on the left (the print area), one page wide
        sheet = Sheet(self.book, SOURCES, [5, 60, 11, 11, 11, *([10] * len(contributors))],
                      f"{get_column_letter(head + 1)}{top + 3}")
        if fmt is None or not contributors:
            sheet.title("下级单位报告相加", head)
            sheet.append(key_columns, "header")
            sheet.note("没有可相加的报告。", head)
            return
        sheet.title(f"{result.year}年度下级单位报告相加（{fmt.name}，{len(everyone)}个单位）", head)
        if with_errors:
            from export.batch_plan import first_error

            names = "；".join(f"{e.name}（{e.rel}：{first_error(e, self.summary(e).errors)}）"
                             for e in with_errors[:NAMED_UNITS])
            more = f"等{len(with_errors)}个单位" if len(with_errors) > NAMED_UNITS else ""
            sheet.note(f"注意：{len(with_errors)}个单位的报告有错误，合计中含有这些错误（右侧状态为“有错误”的单位）：{names}{more}",
                       head)
        if level:
            sheet.note(f"本级报告：{level.agency}（{level.rel}）", head)
        files = {head + i: f"文件：{e.rel}" for i, e in enumerate(contributors)}  # a note on each unit's name
        header_row = sheet.append([*key_columns, *(e.name for e in contributors)], "header", files)
        statuses = [self.status(e) for e in contributors]
        sheet.append(["", "各单位的数字在右侧各列（单位名称的批注中是其文件）", "", "", "", *statuses],
                     ["header"] * head + [f"status:{status}" for status in statuses])
        for col in (1, 3, 4, 5):
            sheet.ws.merged_cells.add(f"{get_column_letter(col)}{header_row}:{get_column_letter(col)}{header_row + 1}")
        assert result.total is not None
        level_cells = level.outcome.figures.cells() if level and level.outcome.figures else {}
        differences = {d.address: d.difference for d in result.differences}
        unit_cells = [e.outcome.figures.cells() for e in contributors if e.outcome.figures is not None]
        for number, address in enumerate(cells, 1):
            row: list[object] = [number, cell_name(result.total, address), _value(result.total.cells.get(address))]
            row += [_value(level_cells.get(address)), differences.get(address, 0)] if level else [None, None]
            sheet.append([*row, *(_value(c.get(address)) for c in unit_cells)],
                         ["centre", "text", "total", "number", "number", *(["number"] * len(unit_cells))])
        sheet.table(header_row + 1, head + len(contributors), sheet.rows)
        sheet.ws.print_title_rows = f"{header_row}:{header_row + 1}"
        last_table_row = sheet.rows
        sheet.blank()
        if level:
            sheet.note(f"本级报告与下级单位合计有{len(differences)}处不同（本级报告可能另含本机关自身的数字）。", head)
        sheet.note("每个单位一列（在右侧），是该单位计入合计的数字；空白＝该单位未填写，“/”＝不适用，均按0相加。"
                   "全部单位空白的格子合计为空白，全部为“/”的合计为“/”。打印时只打印左侧的合计、本级和差额。", head)
        if len(everyone) > len(contributors):
            sheet.note(f"合计包含全部{len(everyone)}个单位；一个工作表最多有16384列，右侧只列出前{len(contributors)}个单位的数字。",
                       head)
        if result.format_id == "gov-2019" and result.total.meta.procurement_unit:
            sheet.note(f"采购总金额按各单位的单位换算后相加，合计的单位为{result.total.meta.procurement_unit}。", head)
        for address, why in unsummed_cells(fmt):
            sheet.note(f"不相加：{cell_name(result.total, address)}——{why}", head)
        left_out = [e for e in result.entries if not e.contributes and e.role != LEVEL]
        for entry in left_out:
            why = "无法读取" if not entry.readable else ROLE_NAMES[entry.role]
            sheet.note(f"未计入：{entry.rel}（{why}）", head)
        for archive in result.archives:
            sheet.note(f"未计入：{result.relative(archive.path)}（压缩包，未解压）", head)
        sheet.ws.print_area = f"A1:{get_column_letter(head)}{max(sheet.rows, last_table_row)}"

    # ---- writing ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> None:
        buffer = io.BytesIO()
        self.build().save(buffer)
        data = buffer.getvalue()
        write_atomic(Path(path), lambda handle: handle.write(data), binary=True)  # type: ignore[attr-defined]


def problem_rows(entry: Entry) -> list[tuple[str, str, str, str, str | None]]:
    """(severity, rule, place, message, dismissal reason) of each of a report's problems; a file
    that could not be read is one error row with the reason."""
    if not entry.readable:
        return [(SEVERITY_NAMES["error"], "batch.unreadable", "文件", entry.outcome.reason or "", None)]
    return [(SEVERITY_NAMES[p.severity], p.rule, place_text(p, entry.outcome.format_id), p.message, p.dismissed)
            for p in entry.problems]


def write_result(result: BatchResult, path: str | os.PathLike, now: dt.datetime | None = None) -> None:
    """The result workbook, written atomically (an open file in Excel is a clear StoreError)."""
    ResultWorkbook(result, now).save(path)


def _unlisted_note(result: BatchResult, entry: Entry) -> str:
    if entry.role == LEVEL:
        return "（本级报告）"
    if entry.outcome.year != result.year:
        return f"（{entry.outcome.year}年度的报告）"
    return ""


# ---- per unit -----------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def unit_file_name(entry: Entry, taken: set[str]) -> str:
    shown = entry.agency if entry.readable and entry.agency else Path(entry.rel).stem
    base = _UNSAFE.sub("_", shown).strip(" .") or "报告"
    name = f"{base[:60]}{entry.outcome.year}年度报告核对意见.xlsx" if entry.readable else f"{base[:60]}-核对意见.xlsx"
    stem = name[:-5]
    counter = 2
    while name.lower() in taken:
        name = f"{stem}（{counter}）.xlsx"
        counter += 1
    taken.add(name.lower())
    return name


def unit_list_title(entry: Entry) -> str:
    """The heading of a unit's own list: its report's, or for a file that could not be read the file
    and the unit its name names."""
    if entry.readable:
        return f"{entry.name}{entry.outcome.year or ''}年度政府信息公开工作年度报告核对意见"
    file = Path(entry.rel).name
    unit = unit_in_file_name(file)
    return f"{unit}报送的文件“{file}”核对意见" if unit else f"文件“{file}”核对意见"


def write_unit_lists(result: BatchResult, folder: str | os.PathLike, now: dt.datetime | None = None) -> list[Path]:
    """Each report's own problem list as a small workbook to send back; returns the files written."""
    from model.oserrors import describe, logged
    from model.store import StoreError

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        logged(error, f"mkdir {folder}")
        why = "已有同名的文件" if isinstance(error, FileExistsError) else describe(error)
        raise StoreError(f"无法创建文件夹“{folder}”：{why}") from None
    now = now or dt.datetime.now()
    taken: set[str] = set()
    written = []
    for entry in result.entries:
        path = folder / unit_file_name(entry, taken)
        book = Workbook(write_only=True)
        sheet = Sheet(book, "核对意见", [5, 7, 24, 60, 20], "A5")  # under the title, two notes and the header
        sheet.title(unit_list_title(entry), 5)
        row = entry.summary()
        errors, warnings, infos, _dismissed = row.counts()
        sheet.note(f"报告文件：{entry.rel}")
        summary = f"核对结果：{row.status}" + (f"（{errors}个错误、{warnings}个警告、{infos}个提示）" if entry.readable else "")
        sheet.note(summary + f"　核对时间：{now:%Y-%m-%d %H:%M}")
        header_row = sheet.append(["序号", "严重程度", "位置", "问题说明", "已忽略的理由"], "header")
        rows = problem_rows(entry)
        for number, (severity, _rule, place, message, reason) in enumerate(rows, 1):
            sheet.append([number, severity, place, message, reason], ["centre", "centre", "text", "text", "text"])
        if not rows:
            sheet.append(["", "", "", "未发现问题", ""], ["centre", "centre", "text", "text", "text"])
        sheet.table(header_row, 5, sheet.rows)
        sheet.blank()
        sheet.note("错误须改正；警告请核实，确无问题的可在年报助手中写明理由后忽略；提示仅供参考。")
        book.properties.creator = "年报助手"
        book.properties.keywords = f"{RESULT_KEYWORDS} 1"
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        write_atomic(path, lambda handle, data=data: handle.write(data), binary=True)  # type: ignore[attr-defined]
        written.append(path)
    return written
