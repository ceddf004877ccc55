"""The PDF import's cost counted in instructions (valgrind's callgrind), part by part: exact and
repeatable where the timings of benchmarks/bench_import.py move by ±10 % on a shared machine.

    python -m benchmarks.pdf_instructions [PART ...]

PART is one of: base (pypdfium2's bare text extraction, the budget's baseline), all (the whole
import), guard, pages (PDFium and our page reading, guard included), layout, match. Each part is
run once and four times under callgrind in a child process (garbage collection off, as the
benchmark does); the difference over three is one run's instructions, the start-up cancelled.
Needs valgrind (apt-get install valgrind); not part of the test suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.bench_import import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("base", "all", "guard", "pages", "layout", "match")

_CHILD = r"""
import gc, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import pypdfium2 as pdfium
from export.reading import read_source
from export.reading.match import Matcher
from export.reading.pdf_guard import check_structure
from export.reading.pdf_layout import layout
from export.reading.pdf_reader import read_pdf_pages

path = Path(sys.argv[4])
data = path.read_bytes()
pages = read_pdf_pages(path)
blocks = layout(pages)


def base():
    document = pdfium.PdfDocument(str(path))
    for page in document:
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()


run = {
    "base": base,
    "all": lambda: read_source(path),
    "guard": lambda: check_structure(data, path.name, encrypted=False),
    "pages": lambda: read_pdf_pages(path),
    "layout": lambda: layout(pages),
    "match": lambda: Matcher(blocks, path.name).match(),
}[sys.argv[1]]
gc.disable()
for _ in range(int(sys.argv[2])):
    run()
"""


def _collected(part: str, runs: int, pdf: Path) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", _CHILD,
         part, str(runs), str(ROOT), str(pdf)],
        capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind said nothing countable for {part}: {done.stderr[-500:]}")
    return int(found.group(1))


def instructions(part: str, pdf: Path) -> int:
    """One run of ``part`` on ``pdf``, in instructions."""
    return (_collected(part, 4, pdf) - _collected(part, 1, pdf)) // 3


def main(argv: list[str]) -> int:
    parts = argv or list(PARTS)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        print(f"unknown part {unknown[0]!r}: one of {', '.join(PARTS)}")
        return 2
    pdfs = sorted((FIXTURES / "real").glob("*.pdf"), key=lambda p: p.stat().st_size)
    if not pdfs:
        print(f"no real PDFs under {FIXTURES / 'real'}")
        return 1
    largest = pdfs[-1]
    with ThreadPoolExecutor(2) as pool:  # each part in a child process of its own
        counts = dict(zip(parts, pool.map(lambda p: instructions(p, largest), parts), strict=True))
    print(f"{largest.name}: instructions per run (millions)")
    for part, count in counts.items():
        print(f"{part:>7} {count / 1e6:9.1f}")
    if "all" in counts and "base" in counts:
        print(f"  ratio {counts['all'] / counts['base']:.3f} (the budget: 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
