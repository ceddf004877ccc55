"""Import figures: the largest real PDF imported against merely extracting its text with the same
library (PDFium through pypdfium2). Needs ../shared/fixtures/real (or NIANBAO_FIXTURES)."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.common import Figure, compare

ROOT = Path(__file__).resolve().parent.parent
_FIXTURES = ROOT.parent / "shared" / "fixtures"
FIXTURES = _FIXTURES if _FIXTURES.is_dir() else Path(os.environ.get("NIANBAO_FIXTURES", ROOT / "tests" / "fixtures"))


def pdf_import_against_text_extraction() -> list[Figure]:
    import pypdfium2 as pdfium

    from export.reading import read_source

    pdfs = sorted((FIXTURES / "real").glob("*.pdf"), key=lambda p: p.stat().st_size)
    if not pdfs:
        print(f"(no real PDFs under {FIXTURES / 'real'}: the PDF import figure is skipped)")
        return []
    largest = pdfs[-1]

    def ours() -> None:
        read_source(largest)

    def text_only() -> None:
        document = pdfium.PdfDocument(str(largest))
        for page in document:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        document.close()

    pages = len(pdfium.PdfDocument(str(largest)))
    return [compare(f"import {largest.name} ({pages} pages) vs text only", ours, text_only, repeats=15,
                    budget_ratio=2.0, budget_ms=2000.0)]


FIGURES = [pdf_import_against_text_extraction]
