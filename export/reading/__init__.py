"""Import a published report (.pdf, .docx, .doc, .html/.htm, .txt) or our own workbook (.xlsx)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from export.importing import ImportFailed, ImportResult

SUFFIXES = (".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".xlsx")
FILE_FILTER = "已发布的报告或工作簿 (*.pdf *.docx *.doc *.html *.htm *.txt *.xlsx)"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_doc(path: Path, folder: Path) -> Path:
    """An old .doc through LibreOffice, when it is installed."""
    soffice = _soffice()
    if soffice is None:
        raise ImportFailed(f"“{path.name}”是旧版 Word 文档（.doc）。请在 Word 或 WPS 中打开它，"
                           "“另存为”Word 文档（.docx）后再导入。")
    profile = folder / "lo-profile"
    try:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "docx",
                        "--outdir", str(folder), str(path)], check=True, capture_output=True, timeout=180)
    except (subprocess.SubprocessError, OSError):
        raise ImportFailed(f"无法转换“{path.name}”：请在 Word 或 WPS 中另存为 .docx 后再导入。") from None
    converted = folder / f"{path.stem}.docx"
    if not converted.exists():
        raise ImportFailed(f"无法转换“{path.name}”：请在 Word 或 WPS 中另存为 .docx 后再导入。")
    return converted


def read_source(path: str | os.PathLike, *, year: int | None = None, agency: str | None = None) -> ImportResult:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFailed(f"找不到文件“{path}”")
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
        from export.reading.docx_reader import read_docx_blocks

        with tempfile.TemporaryDirectory() as folder:
            blocks = read_docx_blocks(convert_doc(path, Path(folder)))
    elif suffix in (".html", ".htm"):
        from export.reading.html_reader import read_html_blocks

        blocks = read_html_blocks(path)
    elif suffix == ".txt":
        from export.reading.text_reader import read_text_blocks

        blocks = read_text_blocks(path)
    else:
        raise ImportFailed(f"不支持导入“{suffix or path.name}”文件：可导入 .pdf .docx .doc .html .htm .txt .xlsx")
    return Matcher(blocks, path.name).match(year=year, agency=agency)
