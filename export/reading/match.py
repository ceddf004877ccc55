"""The matching core: a published report's blocks → a report, by the format's own labels.

Normalise (full-/half-width, spaces and line breaks inside labels), recognise the format from the
labels, find each table row by its label (row labels are unique across a report's tables), read the
numbers with the foundation's parser, find the text sections by their headings (with the synonyms
real reports use), and the agency, year and 成文日期 from the title and the signature. Never invent:
what cannot be read is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

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
from export.reading.blocks import Block, GridCell, TableBlock
from model.formats import GOV_2019, GOV_2021, TEXT_HEADINGS, Address, ReportFormat, Table
from model.report import Meta, Report, default_title
from model.values import BadValue, Kind, Value

_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("overview", re.compile(r"^一、.*(总体情况|概述)")),
    ("proactive", re.compile(r"^二、.*主动公开")),
    ("requests", re.compile(r"^三、.*(收到和处理|依申请)")),
    ("appeals", re.compile(r"^四、.*(行政复议|行政诉讼|复议|诉讼)")),
    ("problems", re.compile(r"^五、.*(问题|改进)")),
    ("other_matters", re.compile(r"^六、.*其他")),
)
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_TITLE = re.compile(r"(\d{4})年度?.*政府信息公开.*报告")
_NOISE = re.compile(r"^(发布日期|发布时间|来源|信息来源|浏览次数|点击数|字号|【|索引号|发布机构|分类|文号|生成日期|"
                    r"主题分类|访问量|打印|关闭|分享)")
_FOOTER = re.compile(r"(版权所有|主办单位|承办单位|ICP|网站标识码|联系我们|技术支持|网站地图|公安备案|政府网站找错)")
_APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


@dataclass
class _Row:
    table: TableBlock
    r: int
    cells: list[GridCell]


def _clean(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u3000", " ").strip()


def recognise_format(blocks: list[Block], year: int | None) -> tuple[ReportFormat, str]:
    texts = {normalise(cell.text) for block in blocks if isinstance(block, TableBlock)
             for row in block.grid for cell in row if cell is not None}
    markers_2021 = [t for t in ("本年制发件数", "行政规范性文件", "3.其他", "本年处理决定数量") if normalise(t) in texts]
    markers_2019 = [t for t in ("本年新制作数量", "其他对外管理服务事项", "采购总金额", "上一年项目数量") if normalise(t) in texts]
    if markers_2021 and not markers_2019:
        return GOV_2021, f"表中有“{markers_2021[0]}”等2021年版的栏目"
    if markers_2019 and not markers_2021:
        return GOV_2019, f"表中有“{markers_2019[0]}”等2019年版（试行）的栏目"
    if year is not None:
        fmt = GOV_2021 if year >= 2021 else GOV_2019
        return fmt, f"表中的栏目不足以区分，按{year}年度选用"
    return GOV_2021, "表中的栏目不足以区分，按现行格式选用"


class Matcher:
    def __init__(self, blocks: list[Block], name: str) -> None:
        self.blocks = blocks
        self.name = name
        self.problems = []
        self.recognised: list[str] = []

    # ---- the text around the tables ----------------------------------------------------------
    def find_title(self) -> tuple[int, str, int | None]:
        for i, block in enumerate(self.blocks):
            if isinstance(block, str):
                text = normalise(block)
                match = _TITLE.search(text)
                if match and len(text) <= 80:
                    lines = [_clean(line) for line in block.split("\n") if _clean(line)]
                    return i, "\n".join(lines), int(match.group(1))
        return -1, "", None

    def find_signature(self, start: int) -> tuple[int, str, dt.date | None]:
        """(index of the agency line or the end, agency, date) from the last date line after ``start``."""
        for i in range(len(self.blocks) - 1, start, -1):
            block = self.blocks[i]
            if not isinstance(block, str):
                continue
            match = _DATE.match(normalise(block))
            if not match:
                continue
            try:
                date = dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                date = None
            j = i - 1
            while j > start and isinstance(self.blocks[j], str) and not normalise(self.blocks[j]):
                j -= 1
            agency_line = self.blocks[j] if j > start and isinstance(self.blocks[j], str) else ""
            agency = _clean(agency_line)
            if agency and len(agency) <= 40 and not agency.endswith(("。", "；", "：", ":", "，")) and not _HEADING_OF(agency):
                return j, agency, date
            return i, "", date
        return len(self.blocks), "", None

    def sections(self, start: int, end: int) -> dict[str, str]:
        found: dict[str, list[str]] = {"preamble": []}
        current = "preamble"
        lines = [line for block in self.blocks[start:end] if isinstance(block, str) for line in block.split("\n")]
        for line in lines:
            text = _clean(line)
            if not text:
                continue
            heading = _HEADING_OF(text)
            if heading:
                current = heading
                found.setdefault(current, [])
                continue
            if _FOOTER.search(text):
                break
            if current == "preamble" and _NOISE.match(text):
                continue
            found.setdefault(current, []).append(text)
        return {key: "\n".join(lines) for key, lines in found.items()}

    # ---- tables ----------------------------------------------------------------------------
    def rows(self, start: int, end: int) -> list[_Row]:
        rows = []
        for block in self.blocks[start:end]:
            if isinstance(block, TableBlock):
                for r in range(len(block.grid)):
                    cells = block.row_cells(r)
                    if cells:
                        rows.append(_Row(block, r, cells))
        return rows

    def read_tables(self, report: Report, rows: list[_Row]) -> dict[Address, Value]:
        fmt = report.format
        labels: dict[str, tuple[Table, str]] = {}
        for table in fmt.tables:
            if table.key == "appeals":
                continue
            for row in table.rows:
                labels[normalise(row.label)] = (table, row.key)
        known_text = {normalise(t.title) for t in fmt.tables} | {normalise(g) for t in fmt.tables for r in t.rows for g in r.groups}
        known_text |= {normalise(c.label) for t in fmt.tables for c in t.columns} | {"信息内容", normalise(fmt.table("requests").corner or ""), "申请人情况", "法人或其他组织"}
        published: dict[Address, Value] = {}
        seen: set[tuple[str, str]] = set()
        block_of_table: Table | None = None
        for row in rows:
            texts = [normalise(c.text) for c in row.cells]
            for text in texts:
                heading = next((t for t in fmt.tables if t.key.startswith("art20") and normalise(t.title) == text), None)
                if heading is not None:
                    block_of_table = heading
            label_index = next((i for i, t in enumerate(texts) if t in labels), None)
            if label_index is None:
                self._maybe_extra(row, texts, known_text, block_of_table)
                continue
            table, row_key = labels[texts[label_index]]
            if (table.key, row_key) in seen:
                continue  # the group label repeated where a table crosses a page, or a repeated header
            seen.add((table.key, row_key))
            values = row.cells[label_index + 1:]
            width = len(table.columns)
            if table.key == "requests":
                values = values[-width:] if len(values) >= width else values
            if len(values) != width:
                values = self._by_header(row, table, label_index) or values
            if len(values) != width:
                self.problems.append(missing(f"{_table_name(table)}“{table.row_index[row_key].label}”行的全部数字（找到{len(values)}个，应有{width}个）",
                                             f"{table.key}.{row_key}"))
                values = values[:width]
            for column, cell in zip(table.columns, values, strict=False):
                address = (table.key, row_key, column.key)
                value = self._value(report, address, cell.text)
                if table.is_derived(row_key, column.key):
                    if value is not None:
                        published[address] = value
                elif value is not None:
                    report.cells[address] = value
        for table in fmt.tables:
            if table.key == "appeals":
                continue
            for row in table.rows:
                if (table.key, row.key) not in seen:
                    self.problems.append(missing(f"{_table_name(table)}的“{row.label}”行", f"{table.key}.{row.key}"))
        published.update(self.read_appeals(report, rows))
        return published

    def _by_header(self, row: _Row, table: Table, label_index: int) -> list[GridCell] | None:
        """Values by the grid columns of the header labels above the row, when counting fails."""
        grid = row.table.grid
        columns: list[int] = []
        for column in table.columns:
            found = None
            for r in range(row.r - 1, -1, -1):
                for cell in grid[r]:
                    if cell is not None and normalise(cell.text) == normalise(column.label):
                        found = cell.col
                        break
                if found is not None:
                    break
            if found is None:
                return None
            columns.append(found)
        values = [grid[row.r][c] for c in columns]
        return values if all(v is not None for v in values) else None  # type: ignore[return-value]

    def _maybe_extra(self, row: _Row, texts: list[str], known: set[str], block: Table | None) -> None:
        label = next((row.cells[i].text for i, t in enumerate(texts) if t and not _is_number_like(t) and t not in known), None)
        if label is None:
            return
        numbers = [_clean(c.text) for c in row.cells if _is_number_like(normalise(c.text))]
        if numbers and not any(normalise(k) in texts for k in ("行政复议", "行政诉讼")):
            place = f"{block.key if block else 'table'}.{normalise(label)}"
            self.problems.append(extra_row(_clean(label), numbers, place))

    def read_appeals(self, report: Report, rows: list[_Row]) -> dict[Address, Value]:
        table = report.format.table("appeals")
        header = next((i for i, row in enumerate(rows)
                       if {"行政复议", "行政诉讼"} <= {normalise(c.text) for c in row.cells}), None)
        if header is None:
            self.problems.append(missing("表四（行政复议、行政诉讼情况）", "appeals"))
            return {}
        for row in rows[header + 1:header + 6]:
            if row.table is not rows[header].table:
                break
            texts = [normalise(c.text) for c in row.cells]
            numbers = [c for c, t in zip(row.cells, texts, strict=True) if t == "" or _is_number_like(t)]
            if len(row.cells) >= 15 and len(numbers) == len(row.cells) and any(texts):
                published: dict[Address, Value] = {}
                cells = row.cells[-15:]
                for i, cell in enumerate(cells):
                    row_key = table.rows[i // 5].key
                    address = ("appeals", row_key, _APPEAL_COLUMNS[i % 5])
                    value = self._value(report, address, cell.text)
                    if table.is_derived(address[1], address[2]):
                        if value is not None:
                            published[address] = value
                    elif value is not None:
                        report.cells[address] = value
                return published
        self.problems.append(missing("表四的数字行（应有15个数字）", "appeals.numbers"))
        return {}

    def _value(self, report: Report, address: Address, text: str) -> Value:
        kind = report.format.column(address).kind
        if report.format.table(address[0]).is_derived(address[1], address[2]):
            kind = Kind.AMOUNT
        try:
            value, note = read_value(_clean(text), kind, report.unit_of(address))
        except BadValue as error:
            self.problems.append(unreadable(report, address, _clean(text), error.message.split("：")[0]))
            return None
        if note:
            self.recognised.append(note)
        if isinstance(value, Decimal) and address[0] in ("requests", "appeals") and value == value.to_integral_value():
            value = int(value)  # a published total, read without a typed cell's bound
        return value

    # ---- all of it ---------------------------------------------------------------------------
    def match(self, *, year: int | None = None, agency: str | None = None) -> ImportResult:
        if not any(isinstance(b, TableBlock) for b in self.blocks):
            raise ImportFailed(f"“{self.name}”中没有找到年度报告的表格，未导入。")
        title_index, title, title_year = self.find_title()
        start = title_index + 1 if title_index >= 0 else 0
        end, signed_agency, date = self.find_signature(start)
        year = year or title_year
        fmt, why = recognise_format(self.blocks, year)
        rows = self.rows(start if title_index >= 0 else 0, len(self.blocks))
        if not rows:
            raise ImportFailed(f"“{self.name}”中没有找到年度报告的表格，未导入。")
        self.problems.append(format_guess(fmt, why))
        if year is None:
            self.problems.append(missing("报告年度（标题中没有“××××年”）", "year"))
            year = dt.date.today().year - 1
        if not agency:
            agency = signed_agency
            if not agency and title:
                agency = agency_from_title(title)
        custom_title = title if title and normalise(title) != normalise(default_title(agency, year)) else None
        report = Report(fmt.id, Meta(agency=agency, year=year, date=date, title=custom_title))
        texts = self.sections(start, end)
        for key in ("preamble", "overview", "problems", "other_matters"):
            report.text[key] = texts.get(key, "")
        for key in ("overview", "problems", "other_matters"):
            if key not in texts:
                self.problems.append(missing(f"“{TEXT_HEADINGS[key]}”部分", key))
        published = self.read_tables(report, rows)
        self.problems.extend(reconcile_totals(report, published))
        self.recognised.insert(0, f"{fmt.name}，{agency or '（未找到机关名称）'}，{year}年度"
                                  + (f"，成文日期{date.year}年{date.month}月{date.day}日" if date else ""))
        return ImportResult(report, self.problems, self.recognised)


def agency_from_title(title: str) -> str:
    """"县商务局2019年政府信息公开…" or "2019年上海市人民政府办公厅政府信息公开…" → the agency."""
    text = re.sub(r"\s+", "", title)
    text = re.sub(r"关于?\d{4}年度?|\d{4}年度?", "", text, count=1)
    return re.split(r"政府信息公开", text)[0]


def _HEADING_OF(text: str) -> str | None:
    normal = normalise(text)
    for key, pattern in _HEADINGS:
        if pattern.match(normal) and len(normal) <= 40:
            return key
    return None


_NUMBER_LIKE = re.compile(r"^[-+]?[\d,，.。]+(万元|元|万)?$|^[/／、—-]+$")


def _is_number_like(text: str) -> bool:
    return bool(_NUMBER_LIKE.match(text))


def _table_name(table: Table) -> str:
    return {"requests": "表三", "appeals": "表四"}.get(table.key, f"表二 {table.title}")
