"""Blocks from a .docx (as Word, WPS and LibreOffice write it): paragraphs and tables in body order.

The package is checked first (export/reading/bounded.py: member count and sizes, every member expanded to
exactly its stated size, XML in UTF-8 or UTF-16 with a BOM, no DTD, items counted), its main part's
paragraphs are counted in the bytes (MAX_PARAGRAPHS) before a tree is built, and it is parsed by libxml2
without resolving entities, without the network, nesting at most 256 deep;
and every table is built within the source's budget: a ``w:gridSpan`` of 10⁹ is clamped, not
allocated.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from export.importing import ImportFailed
from export.reading.blocks import (
    Block,
    Budget,
    GridBuilder,
    GridCell,
    SourceRefused,
    TableBlock,
    check_blocks,
    check_column,
    clamp_span,
)
from export.reading.bounded import NotAPackage, open_package, refusals_named
from model.limits import MAX_PARAGRAPHS, MAX_TABLE_COLUMNS

_T, _BR, _TAB, _CR = qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")
_TR, _TC, _TC_PR, _P = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:p")
_GRID_SPAN, _V_MERGE, _VAL = qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
_DOCUMENT, _BODY, _TBL, _SDT, _SDT_CONTENT = qn("w:document"), qn("w:body"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")


def _paragraph_text(p) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for node in p.iter(_T, _BR, _TAB, _CR):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _table(tbl, budget: Budget) -> list[Block]:  # type: ignore[no-untyped-def]
    builder = GridBuilder(budget)
    for r, tr in enumerate(tbl.iterchildren(_TR)):
        builder.add_row([])
        c = 0
        for tc in tr.iterchildren(_TC):
            check_column(c)
            tc_pr = next(tc.iterchildren(_TC_PR), None)
            span = 1
            vmerge = None
            if tc_pr is not None:
                grid_span = next(tc_pr.iterchildren(_GRID_SPAN), None)
                if grid_span is not None:
                    span = min(clamp_span(grid_span.get(_VAL, "1")), MAX_TABLE_COLUMNS - c)
                merge = next(tc_pr.iterchildren(_V_MERGE), None)
                if merge is not None:
                    vmerge = merge.get(_VAL) or "continue"
            if vmerge == "continue":
                builder.continue_above(r, c, span)
            else:
                text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(_P))
                row = builder.table.grid[r]
                budget.cells(span)
                while len(row) < c:
                    row.append(None)
                cell = GridCell(text, r, c, 1, span)
                row[c:c + span] = [cell] * span
            c += span
    table: TableBlock = builder.build()
    return [table]


def _body_blocks(parent, budget: Budget) -> list[Block]:  # type: ignore[no-untyped-def]
    blocks: list[Block] = []
    for child in parent:
        if child.tag == _P:
            blocks.append(_paragraph_text(child))  # a line break stays inside: a title broken in two
        elif child.tag == _TBL:
            if next(child.iterdescendants(_TBL), None) is not None:
                # a layout table (a page converted to Word): its cells are the page, in order
                for tr in child.iterchildren(_TR):
                    for tc in tr.iterchildren(_TC):
                        blocks.extend(_body_blocks(tc, budget))
            else:
                blocks.extend(_table(child, budget))
        elif child.tag == _SDT:
            content = next(child.iterchildren(_SDT_CONTENT), None)
            if content is not None:
                blocks.extend(_body_blocks(content, budget))
    return blocks


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _parser() -> etree.XMLParser:
    """A plain libxml2 parser: no entities resolved, no network, nesting and sizes within libxml2's
    safe defaults (a parser per call: lxml's parsers are not shared between threads)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _main_part(package: zipfile.ZipFile) -> str:
    """The name of the main document part, as the package's relationships give it."""
    try:
        rels = etree.fromstring(package.read("_rels/.rels"), _parser())
    except KeyError:
        return "word/document.xml"
    for rel in rels.iter(_RELATIONSHIP):
        if (rel.get("Type") or "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
            return (rel.get("Target") or "").lstrip("/")
    return "word/document.xml"


_W_PREFIX = re.compile(rb"""xmlns(?::([A-Za-z_][\w.-]{0,40}))?\s*=\s*["']http://schemas\.openxmlformats\.org/"""
                       rb"""wordprocessingml/2006/main["']""")
_MAX_PREFIXES = 8
_AFTER_NAME = rb"[ >/\t\n\r]"  # what may follow an element's name


def check_paragraph_count(raw: bytes) -> None:
    """Refuses a main part of more than MAX_PARAGRAPHS paragraphs, counted in the bytes (``bytes.count``, in
    C) before any tree is built: every ``<w:p`` start tag, under each prefix the part binds to WordprocessingML
    (paragraphs elsewhere, in text boxes and tables, count too)."""
    prefixes = {match.group(1) or b"" for match in _W_PREFIX.finditer(raw)}
    if len(prefixes) > _MAX_PREFIXES:
        raise SourceRefused(f"Word 文档的命名空间声明异常（超过 {_MAX_PREFIXES} 个前缀）")
    count = 0
    for prefix in prefixes or {b"w"}:
        tag = b"<" + prefix + b":p" if prefix else b"<p"
        # one pass in C over the part for each prefix (six bytes.count, one per character after the name, took
        # 1 ms of a 15 ms import)
        count += len(re.findall(re.escape(tag) + _AFTER_NAME, raw))
    if count > MAX_PARAGRAPHS:
        raise SourceRefused(f"段落过多（超过 {MAX_PARAGRAPHS} 段）")


def read_docx_blocks(path: Path) -> list[Block]:
    """The body's blocks. Only the main document part is parsed (with a plain parser, not
    python-docx's element classes: reading is then about as fast as merely opening the file)."""
    broken = f"无法读取“{path.name}”：不是有效的 Word 文档（.docx），或文件已损坏"
    with refusals_named(path):
        try:
            package, _data = open_package(path)
            raw = package.read(_main_part(package))
            check_paragraph_count(raw)
            root = etree.fromstring(raw, _parser())
        except (NotAPackage, zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError):
            raise ImportFailed(broken) from None
        body = next(root.iterchildren(_BODY), None)
        if root.tag != _DOCUMENT or body is None:
            raise ImportFailed(f"无法读取“{path.name}”：Word 文档中没有正文")
        return check_blocks(_body_blocks(body, Budget()))
