"""The matching core: a published report's blocks → a report, by the format's own labels.

Every source (PDF, Word, web page, text) comes here as blocks, so every rule below serves them all.
Recognise the format from the labels; find each table row by its label (labels.py: by its words,
whatever its numbering and punctuation; the format's aliases; a near miss; a label wrapped into the
next row); read its numbers with the foundation's parser, dropping only empty cells past the row's
width (a trailing "|"); read table 四's 15 numbers after its header, wherever the header's rows are;
find the text sections by their headings (with the synonyms real reports use) up to a site footer
known by its context; and the agency, year and 成文日期 from the title and the signature. Never
invent: what cannot be read is reported — a row whose numbers cannot be placed is not guessed, a
published total that disagrees names the rows not read, and a summary says how much came in.
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
    row_variant,
    unreadable,
)
from export.reading.blocks import Block, GridCell, TableBlock
from export.reading.labels import LabelIndex, RowMatch, label_parts
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
_DATE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})年([\d十一二三四五六七八九]{1,3})月([\d十一二三四五六七八九]{1,3})日$")
_CN_NUMERALS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
_PERIOD = re.compile(r"(\d{4})年1月1日(?:起)?(?:至|到|—|-|~)(\1)年12月31日")
_TITLE = re.compile(r"(\d{4})年度?.*政府信息公开.*报告")
_NOISE = re.compile(r"^(发布日期|发布时间|来源|信息来源|浏览次数|点击数|字号|【|索引号|发布机构|分类|文号|生成日期|"
                    r"主题分类|访问量|打印|关闭|分享)")
# a site's footer: marks that name the site, not the report; the strong ones only a footer carries
_FOOTER_MARK = re.compile(r"版权所有|ICP|网站标识码|公安备案|主办单位|主办[:：]|承办单位|承办[:：]|技术支持|联系我们|网站地图|"
                          r"政府网站找错|地址[:：]|电话[:：]|邮编|传真")
_FOOTER_STRONG = re.compile(r"版权所有|Copyright|©|ICP|网站标识码|公安备案|主办单位|主办[:：]|技术支持")
_SENTENCE_END = ("。", "；", "！", "？", ";")
_APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


@dataclass
class _Row:
    table: TableBlock
    r: int
    cells: list[GridCell]
    block: int = 0  # the index of its table among the blocks


@dataclass
class _Found:
    match: RowMatch
    label: str  # as published
    values: list[GridCell]


def _clean(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u3000", " ").strip()


def recognise_format(blocks: list[Block], year: int | None) -> tuple[ReportFormat, str]:
    texts = {label_parts(cell.text) for block in blocks if isinstance(block, TableBlock)
             for row in block.grid for cell in row if cell is not None}
    cores = {parts.core for parts in texts}
    markers_2021 = [t for t in ("本年制发件数", "行政规范性文件", "本年处理决定数量") if label_parts(t).core in cores]
    if any(parts.core == "其他" and parts.ordinal == ("num", 3) for parts in texts):
        markers_2021.append("3.其他")
    markers_2019 = [t for t in ("本年新制作数量", "其他对外管理服务事项", "采购总金额", "上一年项目数量")
                    if label_parts(t).core in cores]
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
        self.counts = {"read": 0, "blank": 0, "unreadable": 0}
        self.unread: set[Address] = set()  # cells of the format not read: missing rows, unreadable text
        self._read: dict[tuple[str, Kind, str | None], tuple[Value, str | None]] = {}  # see _read_value

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
                date = dt.date(*(_numeral(g) for g in match.groups()))
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

    def period_year(self) -> int | None:
        """The year of the statistics period the text states ("自2023年1月1日起至2023年12月31日止"),
        for a report whose title names no year."""
        for block in self.blocks:
            if isinstance(block, str):
                match = _PERIOD.search(normalise(block))
                if match:
                    return int(match.group(1))
        return None

    def _lines(self, start: int, end: int) -> list[str]:
        return [_clean(line) for block in self.blocks[start:end] if isinstance(block, str) for line in block.split("\n")
                if _clean(line)]

    def sections(self, start: int, end: int) -> dict[str, str]:
        found: dict[str, list[str]] = {"preamble": []}
        current = "preamble"
        lines = self._lines(start, end)
        for text in lines[:_footer_start(lines)]:
            heading = _HEADING_OF(text)
            if heading:
                current = heading
                found.setdefault(current, [])
                continue
            if current == "preamble" and _NOISE.match(text):
                continue
            found.setdefault(current, []).append(text)
        return {key: "\n".join(lines) for key, lines in found.items()}

    def heading_block(self, key: str) -> int | None:
        """The index of the block that holds a section's heading."""
        for i, block in enumerate(self.blocks):
            if isinstance(block, str) and any(_HEADING_OF(_clean(line)) == key for line in block.split("\n")):
                return i
        return None

    # ---- tables ----------------------------------------------------------------------------
    def rows(self, start: int, end: int) -> list[_Row]:
        rows = []
        for index, block in enumerate(self.blocks[start:end], start):
            if isinstance(block, TableBlock):
                for r in range(len(block.grid)):
                    cells = block.row_cells(r)
                    if cells:
                        rows.append(_Row(block, r, cells, index))
        return rows

    def read_tables(self, report: Report, rows: list[_Row]) -> dict[Address, Value]:
        """Every row of tables 二 and 三 found by its label; the published totals, to reconcile."""
        fmt = report.format
        index = LabelIndex.of(fmt)
        found: dict[tuple[str, str], _Found] = {}
        whole_groups: list[_Found] = []
        block_of_table: Table | None = None
        blocks = [(t, label_parts(t.title).core) for t in fmt.tables if t.key.startswith("art20")]
        i = 0
        while i < len(rows):
            row = rows[i]
            texts = [normalise(c.text) for c in row.cells]
            cores = {label_parts(text).core for text in texts}
            heading = next((t for t, core in blocks if core in cores), None)
            if heading is not None:
                block_of_table = heading
            at, match = _find_label(index, row.cells, texts)
            if at is None:
                i += 1
                continue
            label = row.cells[at].text
            values = row.cells[at + 1:]
            used = 1
            if match is None and index.is_known_text(label):
                i += 1  # a title, a header, a group: no row
                continue
            if match is None and i + 1 < len(rows):
                match, label, values, used = self._wrapped(index, row, at, rows[i + 1], found) or (None, label, values, 1)
            if match is None:
                match = index.near(label, set(found))
            if match is None:
                if not index.is_known_text(label):
                    self._maybe_extra(row, texts, block_of_table)
                i += 1
                continue
            i += used
            entry = _Found(match, label, values)
            if match.alias is not None and match.alias.whole_group:
                whole_groups.append(entry)
                continue
            earlier = found.get((match.table.key, match.key))
            if earlier is None or (not _has_values(earlier.values) and _has_values(values)):
                found[(match.table.key, match.key)] = entry  # else: the label repeated over a page break
        printed_whole: set[tuple[str, str]] = set()  # rows of a group printed as one row: not missing
        for entry in whole_groups:
            group = entry.match.alias.label  # type: ignore[union-attr]
            table = entry.match.table
            siblings = {(table.key, r.key) for r in table.rows if group in r.groups}
            if not siblings & set(found):
                found[(table.key, entry.match.key)] = entry
                printed_whole |= siblings
        published: dict[Address, Value] = {}
        for table in fmt.tables:
            if table.key == "appeals":
                continue
            for row in table.rows:
                entry = found.get((table.key, row.key))
                if entry is None and (table.key, row.key) in printed_whole:
                    continue  # said in the note on the group's one row
                if entry is None:
                    self.problems.append(missing(f"{_table_name(table)}的“{row.label}”行", f"{table.key}.{row.key}"))
                    self.unread |= {(table.key, row.key, c.key) for c in table.columns}
                    continue
                self._note_variant(table, row.label, entry)
                self._read_row(report, table, row.key, entry.values, published)
        published.update(self.read_appeals(report, rows))
        return published

    def _wrapped(self, index: LabelIndex, row: _Row, at: int, following: _Row, found: dict
                 ) -> tuple[RowMatch, str, list[GridCell], int] | None:
        """A label that runs on into the next row (a tall cell broken over lines or pages): the two
        labels together name a row; the numbers are on whichever line holds them."""
        texts = [normalise(c.text) for c in following.cells]
        at_next = _label_at(texts)
        if at_next is None or index.find(following.cells[at_next].text) is not None:
            return None
        if following.cells[at_next] is row.cells[at]:
            return None  # the same merged cell
        label = row.cells[at].text + following.cells[at_next].text
        match = index.find(label) or index.near(label, set(found))
        if match is None:
            return None
        values = row.cells[at + 1:]
        if not _has_values(values):
            values = following.cells[at_next + 1:]
        return match, label, values, 2

    def _note_variant(self, table: Table, official: str, entry: _Found) -> None:
        match = entry.match
        shown = "".join(entry.label.split())
        if match.alias is not None and match.alias.whole_group:
            message = (f"{_table_name(table)}：原文“{shown}”只有一行（2019年版的印法，没有分列其下各项），"
                       f"其数字已读入“{official}”；如其中有应属其他各项的，请核对后改填")
        elif match.alias is not None:
            message = f"{_table_name(table)}：原文“{shown}”是“{official}”的另一种写法，已按“{official}”读入"
        elif match.near:
            message = f"{_table_name(table)}：原文“{shown}”与格式的“{official}”相近，已按“{official}”读入，请核对"
        else:
            return
        self.problems.append(row_variant(message, f"{table.key}.{match.key}", shown, official))

    def _read_row(self, report: Report, table: Table, row_key: str, values: list[GridCell],
                  published: dict[Address, Value]) -> None:
        width = len(table.columns)
        values = _fit(values, width)
        if table.key == "requests" and len(values) > width:
            values = values[-width:]
        label = table.row_index[row_key].label
        if len(values) != width:  # which number is whose is not known: none is guessed
            shown = "、".join(_clean(c.text) for c in values if _clean(c.text)) or "无"
            self.problems.append(missing(f"{_table_name(table)}“{label}”行的全部数字（找到{len(values)}个，应有{width}个："
                                         f"{shown}），此行未读入", f"{table.key}.{row_key}"))
            self.unread |= {(table.key, row_key, c.key) for c in table.columns}
            return
        for column, cell in zip(table.columns, values, strict=False):
            address = (table.key, row_key, column.key)
            self._take(report, address, cell.text, published)

    def _take(self, report: Report, address: Address, text: str, published: dict[Address, Value]) -> None:
        fmt = report.format
        derived = fmt.table(address[0]).is_derived(address[1], address[2])
        value = self._value(report, address, text, Kind.AMOUNT if derived else fmt.column(address).kind)
        if derived:
            if value is not None:
                published[address] = value
            return
        if value is not None:
            report.cells[address] = value
            self.counts["read"] += 1
        elif not _clean(text):
            self.counts["blank"] += 1
        else:
            self.unread.add(address)

    def _maybe_extra(self, row: _Row, texts: list[str], block: Table | None) -> None:
        label = next((row.cells[i].text for i, t in enumerate(texts) if t and not _is_number_like(t)), None)
        if label is None:
            return
        numbers = [_clean(c.text) for c in row.cells if _is_number_like(normalise(c.text))]
        if numbers and not any(label_parts(t).core in ("行政复议", "行政诉讼") for t in texts):
            place = f"{block.key if block else 'table'}.{normalise(label)}"
            self.problems.append(extra_row(_clean(label), numbers, place))

    def read_appeals(self, report: Report, rows: list[_Row]) -> dict[Address, Value]:
        """Table 四: its header (行政复议 … 行政诉讼, in one row, over several rows or tables), then
        its 15 numbers (in one row, or 5 under 行政复议 and 10 under 行政诉讼)."""
        table = report.format.table("appeals")
        start = _appeals_header(rows)
        if start is None:
            heading = self.heading_block("appeals")
            start = next((i for i, row in enumerate(rows) if heading is not None and row.block > heading), None)
        if start is None:
            self.problems.append(missing("表四（行政复议、行政诉讼情况）", "appeals"))
            self.unread |= set(table.input_cells)
            return {}
        numbers: list[GridCell] = []
        for row in rows[start:start + 10]:
            run = _number_run(row.cells)
            if len(run) >= 15:
                numbers = _fit(run, 15)[-15:]
                break
            wanted = 15 - len(numbers)
            part = next((_fit(run, n) for n in (wanted, 10, 5) if n <= wanted and len(_fit(run, n)) == n), None)
            if part is not None and run:
                numbers += part
                if len(numbers) == 15:
                    break
        if len(numbers) != 15:
            self.problems.append(missing("表四的数字行（应有15个数字）", "appeals.numbers"))
            self.unread |= set(table.input_cells)
            return {}
        published: dict[Address, Value] = {}
        for i, cell in enumerate(numbers):
            self._take(report, ("appeals", table.rows[i // 5].key, _APPEAL_COLUMNS[i % 5]), cell.text, published)
        return published

    def _value(self, report: Report, address: Address, text: str, kind: Kind) -> Value:
        try:
            value, note = self._read_value(_clean(text), kind, report.unit_of(address))
        except BadValue as error:
            self.problems.append(unreadable(report, address, _clean(text), error.message.split("：")[0]))
            self.counts["unreadable"] += 1
            return None
        if note:
            self.recognised.append(note)
        if isinstance(value, Decimal) and address[0] in ("requests", "appeals") and value == value.to_integral_value():
            value = int(value)  # a published total, read without a typed cell's bound
        return value

    def _read_value(self, text: str, kind: Kind, unit: str | None) -> tuple[Value, str | None]:
        """read_value, once per distinct text, kind and unit in this report (most of a report's
        cells read "0"); an unreadable text raises each time."""
        key = (text, kind, unit)
        if key not in self._read:
            self._read[key] = read_value(text, kind, unit)
        return self._read[key]

    # ---- all of it ---------------------------------------------------------------------------
    def match(self, *, year: int | None = None, agency: str | None = None) -> ImportResult:
        if not any(isinstance(b, TableBlock) for b in self.blocks):
            raise ImportFailed(f"“{self.name}”中没有找到年度报告的表格，未导入。")
        title_index, title, title_year = self.find_title()
        start = title_index + 1 if title_index >= 0 else 0
        end, signed_agency, date = self.find_signature(start)
        year = year or title_year or self.period_year()
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
        self.problems.extend(reconcile_totals(report, published, self.unread))
        self.recognised.insert(0, f"{fmt.name}，{agency or '（未找到机关名称）'}，{year}年度"
                                  + (f"，成文日期{date.year}年{date.month}月{date.day}日" if date else ""))
        self.recognised.append(self.summary(report))
        return ImportResult(report, self.problems, self.recognised)

    def summary(self, report: Report) -> str:
        """How much came in: what the clerk checks first."""
        counts = self.counts
        total = len(report.format.input_cells)
        missing_cells = total - counts["read"] - counts["blank"] - counts["unreadable"]
        text = (f"表格共{total}格：读入{counts['read']}格数字，原文空白{counts['blank']}格，"
                f"无法识别{counts['unreadable']}格")
        return text + (f"，未找到{missing_cells}格" if missing_cells > 0 else "")


def _numeral(text: str) -> int:
    """"2024", "二〇二四" (digit by digit), "十二", "二十", "二十一" → the number."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_NUMERALS[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    return (_CN_NUMERALS[tens] if tens else 1) * 10 + (_CN_NUMERALS[ones] if ones else 0)


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


def _find_label(index: LabelIndex, cells: list[GridCell], texts: list[str]) -> tuple[int | None, RowMatch | None]:
    """The row's label cell and the row it names: the rightmost cell of words that names a row
    (group cells stand to its left; a cell like "约5" to its right is a value); else the last
    cell of words before the first number, for the caller to try harder."""
    last = _label_at(texts)
    numbers_follow = False  # a number stands right of cell i
    for i in range(len(texts) - 1, -1, -1):
        if not texts[i]:
            continue
        if _is_number_like(texts[i]):
            numbers_follow = True
            continue
        match = index.find(cells[i].text, numbers_follow=numbers_follow)
        # a group's label names a row only when printed as the row itself, not beside its rows' labels
        if match is not None and (match.alias is None or not match.alias.whole_group or last is None or i >= last):
            return i, match
    return last, None


def _label_at(texts: list[str]) -> int | None:
    """The row's label cell: the last cell of words before its first number (group cells stand
    to its left)."""
    at = None
    for i, text in enumerate(texts):
        if not text:
            continue
        if _is_number_like(text):
            break
        at = i
    return at


def _has_values(cells: list[GridCell]) -> bool:
    return any(normalise(c.text) for c in cells)


def _number_run(cells: list[GridCell]) -> list[GridCell]:
    """The row's trailing cells that hold numbers or nothing, when one of them holds a number."""
    texts = [normalise(c.text) for c in cells]
    begin = len(texts)
    while begin > 0 and (not texts[begin - 1] or _is_number_like(texts[begin - 1])):
        begin -= 1
    return cells[begin:] if any(texts[begin:]) else []


def _fit(cells: list[GridCell], width: int) -> list[GridCell]:
    """Empty cells past ``width`` dropped: a row's trailing "|", or an empty cell a merged label left."""
    cells = list(cells)
    while len(cells) > width and not normalise(cells[-1].text):
        cells.pop()
    while len(cells) > width and not normalise(cells[0].text):
        cells.pop(0)
    return cells


def _appeals_header(rows: list[_Row]) -> int | None:
    """Where table 四's numbers start: after the row that names 行政复议, with 行政诉讼 in the same
    row or in one of the next rows (a header broken over lines, or over two tables)."""
    for i, row in enumerate(rows):
        cores = {label_parts(c.text).core for c in row.cells}
        if "行政复议" not in cores:
            continue
        for k in range(i, min(i + 4, len(rows))):
            if "行政诉讼" in {label_parts(c.text).core for c in rows[k].cells}:
                return i + 1
    return None


def _footer_start(lines: list[str]) -> int:
    """Where a site's footer starts: a trailing run of lines (no report heading and no sentence
    in it) that names the site — at least two footer marks, one of them only a footer carries
    (版权所有, ICP, 网站标识码, 主办单位 …). A body sentence that mentions 承办单位 is no footer."""
    last_heading = max((i for i, line in enumerate(lines) if _HEADING_OF(line)), default=-1)
    start = len(lines)
    for i in range(len(lines) - 1, last_heading, -1):
        line = lines[i]
        if line.endswith(_SENTENCE_END) or len(line) > 120:
            break
        start = i
    while start < len(lines) and not _FOOTER_MARK.search(lines[start]):
        start += 1
    block = "\n".join(lines[start:])
    marks = {m.group(0) for m in _FOOTER_MARK.finditer(block)}
    if len(marks) >= 2 and _FOOTER_STRONG.search(block):
        return start
    return len(lines)
