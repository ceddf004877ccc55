"""Reading a written .docx back: table grids with their merges, and LibreOffice rendering."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docx.oxml.ns import qn


def table_cells(table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every cell as drawn, merges resolved."""
    grid: dict[tuple[int, int], tuple[str, int, str]] = {}  # (r, c) → (vMerge, span, text)
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            tc_pr = tc.tcPr
            vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            state = "none" if vmerge is None else (vmerge.get(qn("w:val")) or "continue")
            text = "\n".join(paragraph_text(p) for p in tc.iter(qn("w:p")))
            grid[(r, c)] = (state, tc.grid_span, text)
            c += tc.grid_span
    cells = []
    for (r, c), (state, span, text) in sorted(grid.items()):
        if state == "continue":
            continue
        rowspan = 1
        while grid.get((r + rowspan, c), ("none",))[0] == "continue":
            rowspan += 1
        cells.append((r, c, rowspan, span, text))
    return cells


def paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def soffice_convert(source: Path, target_format: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless, each call with its own profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
    profile = outdir / "lo-profile"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", target_format,
                    "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=240)
    extension = target_format.split(":")[0]
    result = outdir / f"{source.stem}.{extension}"
    assert result.exists(), f"LibreOffice did not write {result}"
    return result


def pdf_text(pdf: Path, *, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
