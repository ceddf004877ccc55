"""Blocks from a published PDF (WPS 文字, Word, LibreOffice, a printed Excel sheet): its text layer.

Within the limits of model/limits.py, checked before anything is allocated for them: the file's
size (a regular file, read once), then its objects, its streams and what each page draws
(pdf_guard.py), then the page count before a page is loaded, then each page's characters
before anything is built for them. A scanned PDF has no text layer to read: the clerk is told
so (no OCR here).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from export.importing import ImportFailed
from export.reading.blocks import Block, SourceRefused
from export.reading.bounded import read_source_bytes
from export.reading.pdf_guard import check_structure, too_big
from export.reading.pdf_layout import layout
from export.reading.pdf_page import PageContent, TooManyGlyphs, TooManyObjects, read_page
from model.limits import (
    MAX_PDF_GLYPHS,
    MAX_PDF_OBJECTS_READ,
    MAX_PDF_PAGE_GLYPHS,
    MAX_PDF_PAGE_OBJECTS,
    MAX_PDF_PAGES,
    MAX_SOURCE_FILE_BYTES,
)

_ENCRYPT = re.compile(rb"/Encrypt\s*(<<|\d+\s+\d+\s+R)")
_MIN_GLYPHS = 20  # fewer on every page together: no text layer worth the name


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_raw.FPDF_ERR_PASSWORD:
            raise ImportFailed(f"“{name}”设有打开密码。请在 PDF 阅读器中输入密码打开后，"
                               "另存（或“打印”为）一份不加密的 PDF 再导入。") from None
        raise ImportFailed(f"无法读取“{name}”：不是有效的 PDF 文件，或文件已损坏。") from None


def _decrypted(document: pdfium.PdfDocument, name: str) -> bytes:
    """The file as PDFium writes it without its encryption (its streams stay compressed)."""
    buffer = io.BytesIO()
    try:
        document.save(buffer, flags=pdfium_raw.FPDF_REMOVE_SECURITY)
    except pdfium.PdfiumError:
        raise ImportFailed(f"无法读取“{name}”：文件已加密，且无法解开。") from None
    return buffer.getvalue()


def read_pdf_pages(path: Path) -> list[PageContent]:
    name = path.name
    try:
        data = read_source_bytes(path, MAX_SOURCE_FILE_BYTES)  # once: what is checked is what PDFium reads
    except SourceRefused as refused:
        raise ImportFailed(f"无法导入“{name}”：{refused.reason}") from None
    if b"%PDF-" not in data[:1024]:
        raise ImportFailed(f"无法读取“{name}”：不是 PDF 文件（文件开头没有 PDF 标记）。")
    encrypted = bool(_ENCRYPT.search(data))
    paints = check_structure(data, name, encrypted=encrypted)
    document = _open(data, name)
    try:
        if encrypted:
            paints = check_structure(_decrypted(document, name), name, encrypted=False)
        count = len(document)
        if count > MAX_PDF_PAGES:
            raise too_big(name, f"有 {count} 页（最多读取 {MAX_PDF_PAGES} 页）")
        if count == 0:
            raise ImportFailed(f"“{name}”中没有页面，未导入。")
        pages = []
        left = MAX_PDF_GLYPHS
        if paints is None or len(paints) != count:  # (the guard's pages are not PDFium's: look at all)
            paints = [True] * count
        objects_left = MAX_PDF_OBJECTS_READ
        for i in range(count):
            try:
                page = read_page(document, i, left, objects=paints[i], objects_left=objects_left)
            except TooManyObjects as many:
                if many.page:
                    raise too_big(name, f"第 {i + 1} 页有 {many.count} 个页面对象（每页最多 {MAX_PDF_PAGE_OBJECTS} 个）") from None
                raise too_big(name, f"的页面对象超过 {MAX_PDF_OBJECTS_READ} 个") from None
            except TooManyGlyphs as many:
                if many.page:
                    raise too_big(name, f"第 {i + 1} 页有 {many.count} 个字符（每页最多 {MAX_PDF_PAGE_GLYPHS} 个）") from None
                raise too_big(name, f"的字符超过 {MAX_PDF_GLYPHS} 个") from None
            left -= len(page.glyphs)
            objects_left -= page.objects
            pages.append(page)
    finally:
        document.close()
    if sum(len(page.glyphs) for page in pages) < _MIN_GLYPHS:
        if any(page.images for page in pages):
            raise ImportFailed(f"“{name}”是扫描件（页面是图片，没有文字层），本程序不做文字识别（OCR），无法读取其中的数字。"
                               "请找到该报告的 Word 文档或网页版，或发布时带文字的 PDF 再导入。")
        raise ImportFailed(f"“{name}”中没有可读取的文字，未导入。")
    return pages


def read_pdf_blocks(path: Path) -> list[Block]:
    return layout(read_pdf_pages(path))


def sample_pdf() -> bytes:
    """A one-page PDF with a ruled two-row table, written byte by byte (for --self-test: the PDF
    library and the table rebuild work in the installed program, with no file shipped)."""
    content = (b"0.5 w 50 700 m 250 700 l S 50 680 m 250 680 l S 50 660 m 250 660 l S "
               b"50 660 m 50 700 l S 150 660 m 150 700 l S 250 660 m 250 700 l S "
               b"BT /F1 10 Tf 55 686 Td (Licensing) Tj ET BT /F1 10 Tf 155 686 Td (12,854,581) Tj ET "
               b"BT /F1 10 Tf 55 666 Td (Penalty) Tj ET BT /F1 10 Tf 155 666 Td (3985758) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
