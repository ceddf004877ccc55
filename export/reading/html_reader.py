"""Blocks from a saved web page of a published report: its paragraphs and its <table>s.

Pages wrap the report in the site's layout (navigation, breadcrumbs, footer, layout tables): a
table that holds other tables is layout, so its text becomes paragraphs and its inner tables
blocks; the matcher then keeps only what lies between the report's title and its signature.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from export.importing import ImportFailed
from export.reading.blocks import Block, GridBuilder

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "center",
               "ul", "ol", "dd", "dt", "header", "footer", "nav", "form"}
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "select", "option", "button", "iframe"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_page(raw: bytes) -> str:
    """UTF-8 or GBK/GB18030, with or without a declared charset."""
    declared = _CHARSET.search(raw[:4096])
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii").lower()
        candidates.append("gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


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
            self._flush()
            if self.tables:
                self.tables[-1].nested = True
                self._end_cell_text_as_event()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self._close_cell()
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            self._close_cell()
            if not table.rows:
                table.rows.append([])
            table.cell = []
            table.cell_span = (_int(attributes.get("colspan")), _int(attributes.get("rowspan")))
        elif tag == "br":
            self._sink().append("\n")
        elif tag in _BLOCK_TAGS:
            sink = self._sink()
            if sink is self.text:
                self._flush()
            elif sink and not "".join(sink).endswith("\n"):
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
                builder = GridBuilder()
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
        while self.tables:
            self.handle_endtag("table")
        self._flush()


def _int(value: str | None) -> int:
    try:
        return max(1, int(str(value).strip()))
    except (TypeError, ValueError):
        return 1


def read_html_blocks(path: Path) -> list[Block]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"无法读取“{path}”：{error.strerror or error}") from None
    parser = _PageParser()
    parser.feed(decode_page(raw))
    parser.close()
    return parser.blocks
