"""Import a published report (.pdf, .docx, .doc, .html/.htm, .txt) or our own workbook (.xlsx).

Every source is hostile until read within the limits (model/limits.py): only a regular file is
read, each reader stops at its limits, and whatever a broken or crafted file makes a reader do
ends as an :class:`ImportFailed` with a Chinese message (the original error goes to the log) —
never a traceback, never a half-read report.
"""

from __future__ import annotations

import os
from pathlib import Path

from export.importing import ImportFailed, ImportResult
from model.files import Refused, check_regular
from model.oserrors import logged
from model.values import clean_text

SUFFIXES = (".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".xlsx")
FILE_FILTER = "已发布的报告或工作簿 (*.pdf *.docx *.doc *.html *.htm *.txt *.xlsx)"


def read_source(path: str | os.PathLike, *, year: int | None = None, agency: str | None = None) -> ImportResult:
    path = Path(path)
    try:
        check_regular(path)
    except Refused as refused:
        raise ImportFailed(f"无法导入“{path}”：{refused.reason}") from None
    try:
        result = _read(path, year=year, agency=agency)
    except ImportFailed:
        raise
    except (Exception, RecursionError, MemoryError) as error:  # a reader's failure on a crafted file
        logged(error, f"import {path}")
        raise ImportFailed(f"无法导入“{path.name}”：文件已损坏，或不是能识别的报告格式。") from None
    _clean_texts(result)
    return result


def _clean_texts(result: ImportResult) -> None:
    """Texts as the report can always save them (no lone UTF-16 surrogates, whatever a file held)."""
    report = result.report
    report.text = {key: clean_text(text) for key, text in report.text.items()}
    report.meta = report.meta._replace(agency=clean_text(report.meta.agency),
                                       title=clean_text(report.meta.title) if report.meta.title else report.meta.title)


def _read(path: Path, *, year: int | None, agency: str | None) -> ImportResult:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from export.xlsx_reader import read_xlsx

        result = read_xlsx(path)
        changes = {k: v for k, v in (("year", year), ("agency", agency)) if v}
        if changes:
            result.report.meta = result.report.meta._replace(**changes)
        return result
    from export.reading.match import Matcher

    if suffix == ".pdf":
        from export.reading.pdf_reader import read_pdf_blocks

        blocks = read_pdf_blocks(path)
    elif suffix == ".docx":
        from export.reading.docx_reader import read_docx_blocks

        blocks = read_docx_blocks(path)
    elif suffix == ".doc":
        from export.reading.doc_reader import read_doc_blocks

        blocks = read_doc_blocks(path)
    elif suffix in (".html", ".htm"):
        from export.reading.html_reader import read_html_blocks

        blocks = read_html_blocks(path)
    elif suffix == ".txt":
        from export.reading.text_reader import read_text_blocks

        blocks = read_text_blocks(path)
    else:
        raise ImportFailed(f"不支持导入“{suffix or path.name}”文件：可导入 .pdf .docx .doc .html .htm .txt .xlsx")
    return Matcher(blocks, path.name).match(year=year, agency=agency)
