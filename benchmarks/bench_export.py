"""Export figures: the Word document against plain python-docx writing the same tables."""

from __future__ import annotations

import io

from docx import Document

from benchmarks.common import Figure, compare, full_report
from export.docx_writer import build_docx


def word_against_plain_python_docx() -> Figure:
    report = full_report()
    tables = []
    for layout in report.format.layouts.values():
        texts = [["" for _ in range(layout.n_cols)] for _ in range(layout.n_rows)]
        for cell in layout.cells:
            value = report.value(cell.address) if cell.address else None
            texts[cell.row][cell.col] = cell.text if not cell.address else str(value)
        tables.append(texts)

    def ours() -> None:
        build_docx(report).save(io.BytesIO())

    def plain() -> None:
        doc = Document()
        for texts in tables:
            table = doc.add_table(rows=len(texts), cols=len(texts[0]))
            cells = table._cells  # all cells at once: python-docx's table.cell() rescans the table
            width = len(texts[0])
            for i, cell in enumerate(cells):
                cell.text = texts[i // width][i % width]
        doc.save(io.BytesIO())

    return compare("Word export vs plain python-docx tables", ours, plain, repeats=15, budget_ratio=2.0)


FIGURES = [word_against_plain_python_docx]
