"""Blocks from a .docx (as Word, WPS and LibreOffice write it): paragraphs and tables in body order.

The package is checked first (export/reading/package.py: member count and sizes, no DTD), python-docx
parses it without resolving entities (and libxml2 without the network, nesting at most 256 deep),
and every table is built within the source's budget: a ``w:gridSpan`` of 10⁹ is clamped, not
allocated.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from export.importing import ImportFailed
from export.reading.blocks import (
    Block,
    Budget,
    GridBuilder,
    GridCell,
    TableBlock,
    check_blocks,
    check_column,
    clamp_span,
)
from export.reading.bounded import NotAPackage, open_package, refusals_named
from model.limits import MAX_TABLE_COLUMNS

_T, _BR, _TAB, _CR = qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")


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
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        builder.add_row([])
        c = 0
        for tc in tr.findall(qn("w:tc")):
            check_column(c)
            tc_pr = tc.find(qn("w:tcPr"))
            span = 1
            vmerge = None
            if tc_pr is not None:
                grid_span = tc_pr.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = min(clamp_span(grid_span.get(qn("w:val"), "1")), MAX_TABLE_COLUMNS - c)
                merge = tc_pr.find(qn("w:vMerge"))
                if merge is not None:
                    vmerge = merge.get(qn("w:val")) or "continue"
            if vmerge == "continue":
                builder.continue_above(r, c, span)
            else:
                text = "\n".join(_paragraph_text(p) for p in tc.findall(qn("w:p")))
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
        if child.tag == qn("w:p"):
            blocks.append(_paragraph_text(child))  # a line break stays inside: a title broken in two
        elif child.tag == qn("w:tbl"):
            if child.find(".//" + qn("w:tbl")) is not None:
                # a layout table (a page converted to Word): its cells are the page, in order
                for tr in child.findall(qn("w:tr")):
                    for tc in tr.findall(qn("w:tc")):
                        blocks.extend(_body_blocks(tc, budget))
            else:
                blocks.extend(_table(child, budget))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                blocks.extend(_body_blocks(content, budget))
    return blocks


def read_docx_blocks(path: Path) -> list[Block]:
    broken = f"无法读取“{path.name}”：不是有效的 Word 文档（.docx），或文件已损坏"
    with refusals_named(path):
        try:
            _package, data = open_package(path)
            document = Document(data)
        except (NotAPackage, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError):
            raise ImportFailed(broken) from None
        body = document.element.body
        if body is None:
            raise ImportFailed(f"无法读取“{path.name}”：Word 文档中没有正文")
        return check_blocks(_body_blocks(body, Budget()))
