"""Reading a written .docx back: table grids with their merges, and LibreOffice rendering."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import NamedTuple

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
    return soffice_convert_all([source], target_format, outdir)[0]


def soffice_convert_all(sources: list[Path], target_format: str, outdir: Path) -> list[Path]:
    """Convert several files in one start of LibreOffice (each start costs seconds)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
    profile = outdir / "lo-profile"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", target_format,
                    "--outdir", str(outdir), *map(str, sources)], check=True, capture_output=True,
                   timeout=120 + 60 * len(sources))
    extension = target_format.split(":")[0]
    results = [outdir / f"{source.stem}.{extension}" for source in sources]
    for result in results:
        assert result.exists(), f"LibreOffice did not write {result}"
    return results


def pdf_text(pdf: Path, *, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


class Word(NamedTuple):
    """A word on a rendered page, as pdftotext -bbox gives it: its box in points from the top left."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str


_PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def pdf_words(pdf: Path) -> list[list[Word]]:
    """Every page's words with their boxes."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return [[Word(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(body)]
            for _w, _h, body in _PAGE.findall(html)]


def lines_of(words: list[Word], tolerance: float = 2.0) -> list[list[Word]]:
    """Words grouped into lines (same top within ``tolerance`` points), top to bottom, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y0, w.x0)):
        if lines and abs(lines[-1][0].y0 - word.y0) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]
