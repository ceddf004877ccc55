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


def excel_export_against_plain_openpyxl() -> Figure:
    from openpyxl import Workbook

    from export.xlsx import build_workbook

    report = full_report()
    # the same cells: every value our workbook holds, sheet by sheet, written with no styling
    sheets = {
        sheet.title: [(c.row, c.column, c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        for sheet in build_workbook(report).worksheets
    }

    def ours() -> None:
        build_workbook(report).save(io.BytesIO())

    def plain() -> None:
        book = Workbook()
        for name, cells in sheets.items():
            sheet = book.create_sheet(name)
            for row, col, value in cells:
                sheet.cell(row, col, value)
        book.save(io.BytesIO())

    return compare("Excel export vs plain openpyxl cells", ours, plain, repeats=15, budget_ratio=2.0)


def excel_import_against_load_workbook() -> Figure:
    import tempfile
    from pathlib import Path

    from openpyxl import load_workbook

    from export.xlsx import write_xlsx
    from export.xlsx_reader import read_xlsx

    path = Path(tempfile.mkdtemp()) / "full.xlsx"
    write_xlsx(full_report(), path)
    return compare("Excel import vs openpyxl.load_workbook", lambda: read_xlsx(path),
                   lambda: load_workbook(path, data_only=True), repeats=15, budget_ratio=1.5)


def docx_import_against_opening() -> list[Figure]:
    """Importing a published .docx. A published report is saved by a word processor, so the budget is
    measured on our export of the complete report saved again by LibreOffice (as Word or WPS would
    save it: its styles, settings and theme parts); our own export, a minimal package that python-docx
    opens unusually fast, is shown beside it without a budget. Without LibreOffice, only that one."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from export.docx_writer import write_docx
    from export.reading import read_source

    folder = Path(tempfile.mkdtemp())
    ours = folder / "ours.docx"
    write_docx(full_report(), ours)
    figures = [compare("import our own .docx export vs Document(path)", lambda: read_source(ours),
                       lambda: Document(str(ours)), repeats=15)]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("(no LibreOffice: the published .docx figure is measured on our own export only)")
        return figures
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "saved"), str(ours)],
                   check=True, capture_output=True, timeout=180)
    saved = folder / "saved" / "ours.docx"
    figures.insert(0, compare("import a published .docx (saved by a word processor) vs Document(path)",
                              lambda: read_source(saved), lambda: Document(str(saved)), repeats=15,
                              budget_ratio=3.0))
    return figures


FIGURES = [word_against_plain_python_docx, excel_export_against_plain_openpyxl, excel_import_against_load_workbook,
           docx_import_against_opening]
