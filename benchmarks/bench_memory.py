"""Memory: the peak of importing the largest real report, next to the peaks of hostile inputs.

Each command runs in a fresh worker process capped at 1 GiB (tests/hostile/worker.py): its peak
resident memory (Linux VmHWM) includes the libraries the command loads, as a real run would. The baseline of the real report
is the worker doing almost nothing (checking the example report); the baseline of every hostile
input is the real report's import, so the ratio says how much more a crafted file may cost than a
real one. The absolute budget is the hostile tests' bound (400 MB).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure
from tests.conftest import EXAMPLE, FIXTURES
from tests.hostile import cases
from tests.hostile.capped import PEAK_MB, Worker

HOSTILE = ("html colspan 10⁹", "html 10⁵ nested tables", "txt 100 MB (sparse)", "txt 10⁶ lines", "txt /dev/zero",
           "docx gridSpan 10⁹", "docx zip bomb (1 GiB)", "docx billion laughs", "docx 10⁵ nested tables",
           "xlsx merged J1:XFD1048576", "xlsx one cell at XFD1048576", "xlsx zip bomb (1 GiB)", "xlsx 10⁴ merged ranges",
           "docx main part named .png, 3·10⁶ paragraphs", "docx main part in UTF-7, 3·10⁶ paragraphs",
           "docx 10⁶ attributes on one paragraph", "xlsx worksheet named .bin, merged J1:XFD1048576",
           "xlsx hyperlink over J1:XFD1048576", "xlsx 10⁶ cell formats", "xlsx 4·10⁵ defined names",
           'html 2·10⁴ × <a " never closed', "html a start tag of 2·10⁶ attributes never closed",
           "html a tag of 3·10⁶ attributes", "html <script> never closed in a cell", "html 10⁵ paragraphs in one cell",
           "doc, a web archive of 8·10⁶ lines", "doc, a page of 60 MB saved as .doc",
           "pdf forms 10 deep, each drawn 10×", "pdf nested forms hidden in an object stream",
           "pdf content bomb, indirect /Filter", "pdf 10⁶ glyphs from a tiny stream", "pdf a font inflating to 128 MB",
           "pdf one 3.9 MB content listed 10 000 times")
HOSTILE_REPORTS = ("nested 10⁵ deep", "an integer of 5000 digits", 'an amount "1e999999999"',
                   "an amount of 10⁶ digits", "25 MB (sparse)")


def largest_real_report() -> Path:
    """The largest published report the importers read (a PDF once that reader is there)."""
    from export.reading import SUFFIXES

    found = [p for folder in (FIXTURES, FIXTURES / "real") if folder.is_dir() for p in folder.iterdir()
             if p.suffix.lower() in SUFFIXES and p.suffix.lower() != ".txt"]
    return max(found, key=lambda p: p.stat().st_size)


def _peak(*argv: str) -> float:
    """One command's peak in a fresh capped worker (what it loads counts; nothing earlier does)."""
    worker = Worker()
    try:
        answer = worker.run(*argv)
    finally:
        worker.close()
    assert answer.escaped is None and answer.code in (0, 2), (argv, answer)  # done, refused, or import problems
    return answer.peak_mb


def memory_figures() -> list[Figure]:
    if not sys.platform.startswith("linux"):
        return []
    folder = Path(tempfile.mkdtemp(prefix="nianbao-bench-memory-"))
    idle = _peak("check", str(EXAMPLE))
    real = largest_real_report()
    real_peak = _peak("import", str(real), "-o", str(folder / "real.nianbao"))
    figures = [Figure(f"import {real.name[:28]} (peak)", real_peak, idle, budget_ms=PEAK_MB, unit="MB")]
    for group, names, command in ((cases.IMPORT_CASES, HOSTILE, "import"), (cases.LOAD_CASES, HOSTILE_REPORTS, "check")):
        for name in names:
            place = folder / str(len(figures))
            place.mkdir()
            source = group[name](place)
            argv = [command, str(source)] + (["-o", str(place / "out.nianbao")] if command == "import" else [])
            figures.append(Figure(f"  {command} {name}", _peak(*argv), real_peak, budget_ms=PEAK_MB, unit="MB"))
    return figures


FIGURES = [memory_figures]
