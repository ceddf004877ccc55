"""Blocks from a .docx (as Word, WPS and LibreOffice write it): paragraphs and tables in body order."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from export.importing import ImportFailed
from export.reading.blocks import Block, GridBuilder, GridCell, TableBlock

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


def _table(tbl) -> list[Block]:  # type: ignore[no-untyped-def]
    builder = GridBuilder()
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        builder.add_row([])
        c = 0
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = 1
            vmerge = None
            if tc_pr is not None:
                grid_span = tc_pr.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(qn("w:val"), "1"))
                merge = tc_pr.find(qn("w:vMerge"))
                if merge is not None:
                    vmerge = merge.get(qn("w:val")) or "continue"
            if vmerge == "continue":
                builder.continue_above(r, c, span)
            else:
                text = "\n".join(_paragraph_text(p) for p in tc.findall(qn("w:p")))
                row = builder.table.grid[r]
                while len(row) < c:
                    row.append(None)
                cell = GridCell(text, r, c, 1, span)
                row[c:c + span] = [cell] * span
            c += span
    table: TableBlock = builder.build()
    return [table]


def _body_blocks(parent) -> list[Block]:  # type: ignore[no-untyped-def]
    blocks: list[Block] = []
    for child in parent:
        if child.tag == qn("w:p"):
            blocks.append(_paragraph_text(child))  # a line break stays inside: a title broken in two
        elif child.tag == qn("w:tbl"):
            if child.find(".//" + qn("w:tbl")) is not None:
                # a layout table (a page converted to Word): its cells are the page, in order
                for tr in child.findall(qn("w:tr")):
                    for tc in tr.findall(qn("w:tc")):
                        blocks.extend(_body_blocks(tc))
            else:
                blocks.extend(_table(child))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                blocks.extend(_body_blocks(content))
    return blocks


def read_docx_blocks(path: Path) -> list[Block]:
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportFailed(f"无法读取“{path.name}”：不是有效的 Word 文档（.docx），或文件已损坏（{type(error).__name__}）") from None
    return _body_blocks(document.element.body)
