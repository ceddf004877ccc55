"""Blocks from a saved web page of a published report: its paragraphs and its <table>s.

Pages wrap the report in the site's layout (navigation, breadcrumbs, footer, layout tables): a
table that holds other tables is layout, so its text becomes paragraphs and its inner tables
blocks; the matcher then keeps only what lies between the report's title and its signature.

A page is read within the limits (model/limits.py): at most MAX_TEXT_FILE_BYTES, cells and rows
counted as they are met, tables nested at most MAX_TABLE_NESTING deep, spans clamped. Nothing a page
links to (images, style sheets, frames) is ever fetched: the parser only sees the text.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from export.reading.blocks import Block, Budget, GridBuilder, SourceRefused, check_blocks, clamp_span
from export.reading.bounded import read_text_source, refusals_named
from model.limits import MAX_HTML_TAG_CHARS, MAX_HTML_TAGS, MAX_TABLE_NESTING

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "center",
               "ul", "ol", "dd", "dt", "header", "footer", "nav", "form"}
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "select", "option", "button", "iframe"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


# what a page may declare: the text encodings of the web (a declared "undefined", "rot13", "zlib" or
# "punycode" — quadratic on a large input — is ignored)
_PAGE_ENCODINGS = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs",
                   "cp950", "euc_jp", "shift_jis", "cp932", "iso2022_jp", "euc_kr", "cp949", "ascii", "koi8-r", "koi8-u"}


def _page_encoding(name: str) -> str | None:
    if name in ("gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936"):
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return codec if codec in _PAGE_ENCODINGS or codec.startswith(("iso8859-", "cp125")) else None


def decode_page(raw: bytes) -> str:
    """UTF-8 or GBK/GB18030, with or without a declared charset; UTF-16 when the page starts with its BOM."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    declared = _CHARSET.search(raw[:4096])
    candidates = []
    if declared:
        encoding = _page_encoding(declared.group(1).decode("ascii").lower())
        if encoding:
            candidates.append(encoding)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return raw.decode(encoding)
        except (UnicodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


def _ends_a_line(pieces: list[str]) -> bool:
    """Whether a cell's text so far is empty or ends a line (its last non-empty piece, not the whole text joined)."""
    for piece in reversed(pieces):
        if piece:
            return piece.endswith("\n")
    return True


# a tag longer than any a page needs (html.parser keeps ~0.8 KB for each attribute: 3·10⁶ took 1 GB): found
# by scanning from each "<" to the next "<" or ">" at most, so the whole page once
_LONG_TAG = re.compile(rf"<[^<>]{{{MAX_HTML_TAG_CHARS}}}")
# what each kind of markup opens with and what ends it. html.parser searches the rest of the page for the
# end of every opening it meets and, when there is none, goes on one character on: a page of openings never
# ended costs the square of its length, and a start tag never ended is parsed attribute by attribute to the end
_MARKUP_ENDS = (("<!--", "-->"), ("<![", "]>"), ("<?", ">"), ("<", ">"))


def _before_unclosed_markup(page: str) -> str:
    """The page up to its first markup opening that nothing ends (an opening after the last end of its kind):
    what follows it is inside that comment or tag to the page's end, as a browser reads it too."""
    cut = len(page)
    for opening, end in _MARKUP_ENDS:
        last = page.rfind(end)
        first = page.find(opening, last + len(end) if last >= 0 else 0)
        if 0 <= first < cut:
            cut = first
    return page[:cut]


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int, int]]] = []
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)
        self.events: list[Block] = []  # paragraphs and nested tables, if this turns out to be layout
        self.nested = False


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.tables: list[_Table] = []
        self.skip = 0
        self.budget = Budget()  # what the built grids cost
        self.seen = Budget()  # rows and cells met while parsing, before any grid is built

    # -- text outside or inside cells --
    def _sink(self) -> list[str]:
        if self.tables and self.tables[-1].cell is not None:
            return self.tables[-1].cell
        return self.text

    def _flush(self) -> None:
        if self.text:
            for line in "".join(self.text).split("\n"):
                target = self.tables[-1].events if self.tables else self.blocks
                target.append(line)
            self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        if self.skip:
            return
        attributes = dict(attrs)
        if tag == "table":
            if len(self.tables) >= MAX_TABLE_NESTING:
                raise SourceRefused(f"表格嵌套过深（超过 {MAX_TABLE_NESTING} 层）")
            self.seen.table()
            self._flush()
            if self.tables:
                self.tables[-1].nested = True
                self._end_cell_text_as_event()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.seen.cells(1)
            self._close_cell()
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self.seen.cells(1)
            table = self.tables[-1]
            self._close_cell()
            if not table.rows:
                table.rows.append([])
            table.cell = []
            table.cell_span = (clamp_span(attributes.get("colspan")), clamp_span(attributes.get("rowspan")))
        elif tag == "br":
            self._sink().append("\n")
        elif tag in _BLOCK_TAGS:
            sink = self._sink()
            if sink is self.text:
                self._flush()
            elif not _ends_a_line(sink):
                sink.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            self._close_cell()
            table = self.tables.pop()
            target = self.tables[-1].events if self.tables else self.blocks
            if table.nested:  # layout: its cells' text as paragraphs, its inner tables as blocks
                target.extend(table.events)
            else:
                builder = GridBuilder(self.budget)
                for row in table.rows:
                    builder.add_row(row)
                target.append(builder.build())
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag in _BLOCK_TAGS and self._sink() is self.text:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:  # source line breaks are white space; <br> and blocks break lines
            self._sink().append(data.replace("\r", "").replace("\n", " "))

    def _close_cell(self) -> None:
        if self.tables and self.tables[-1].cell is not None:
            table = self.tables[-1]
            text = "".join(table.cell)
            table.rows[-1].append((text.strip("\n"), *table.cell_span))
            table.events.extend(text.split("\n"))
            table.cell = None

    def _end_cell_text_as_event(self) -> None:
        table = self.tables[-1]
        if table.cell is not None:
            table.events.extend("".join(table.cell).split("\n"))
            table.cell = []

    def close(self) -> None:
        super().close()
        self.skip = 0  # a <script> or <style> never closed ends with the page
        while self.tables:
            self.handle_endtag("table")
        self._flush()


def read_html_blocks(path: Path) -> list[Block]:
    with refusals_named(path):
        return html_blocks(read_text_source(path))


def html_blocks(raw: bytes) -> list[Block]:
    page = _before_unclosed_markup(decode_page(raw))
    if page.count("<") > MAX_HTML_TAGS:
        raise SourceRefused(f"网页的标记过多（超过 {MAX_HTML_TAGS:,} 个），不像是一份年报")
    if _LONG_TAG.search(page):
        raise SourceRefused(f"网页中有过长的标记（超过 {MAX_HTML_TAG_CHARS // 1024} KB），不像是一份年报")
    parser = _PageParser()
    try:
        parser.feed(page)
        parser.close()
    except AssertionError:  # html.parser's own check of a declaration it cannot read ("<![…")
        raise SourceRefused("网页的标记有误（无法识别的“<!”声明），文件已损坏或不是正常的网页") from None
    return check_blocks(parser.blocks)
