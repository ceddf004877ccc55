"""Speed work on the PDF reader must not change what it reads: a snapshot of every PDF's pages
(glyphs, rules), blocks and import result, to save before a change and compare after.

    python -m benchmarks.pdf_identity save /tmp/before.pkl [DIR ...]
    python -m benchmarks.pdf_identity compare /tmp/before.pkl [DIR ...]

Reads the real reports under ../shared/fixtures/real, a few PDFs built in tests/export/pdf_files.py
and every *.pdf in the DIRs given (e.g. the LibreOffice prints the tests make: run
tests/export/test_import_pdf.py with ``-p benchmarks.pdf_identity`` and NIANBAO_PDF_CORPUS=DIR to
keep a copy of each PDF a test imports)."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_import import FIXTURES

if os.environ.get("NIANBAO_PDF_CORPUS"):  # as a pytest plugin: keep each PDF a test reads
    import export.reading.pdf_reader as _reader

    _read_bytes = _reader.read_source_bytes

    def _keeping(path: Path, limit: int) -> bytes:
        data = _read_bytes(path, limit)
        if b"%PDF-" in data[:1024]:
            out = Path(os.environ["NIANBAO_PDF_CORPUS"])
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{hashlib.sha1(data).hexdigest()[:16]}.pdf").write_bytes(data)
        return data

    _reader.read_source_bytes = _keeping


def _failure(error: Exception, tmp: Path) -> tuple:
    return ("failed", type(error).__name__, str(error).replace(str(tmp), "TMP"))


def snapshot(dirs: list[Path]) -> dict[str, tuple]:
    from export.reading import read_source
    from export.reading.blocks import TableBlock
    from export.reading.pdf_reader import read_pdf_blocks, read_pdf_pages, sample_pdf
    from tests.export import pdf_files

    tmp = Path(tempfile.mkdtemp())
    built = {
        "sample": sample_pdf(),
        "text": pdf_files.text_pdf(2, 300),
        "paths": pdf_files.paths_pdf(2, 50),
        "nested": pdf_files.nested_forms_pdf(2, 2),
        "image": pdf_files.image_pdf(),
    }
    for name, data in built.items():
        (tmp / f"{name}.pdf").write_bytes(data)
    files = sorted((FIXTURES / "real").glob("*.pdf")) + sorted(tmp.glob("*.pdf"))
    files += [f for d in dirs for f in sorted(d.glob("*.pdf"))]
    out: dict[str, tuple] = {}
    for f in files:
        try:
            pages = [
                (
                    p.number,
                    p.width,
                    p.height,
                    [(g.text, g.x0, g.y0, g.x1, g.y1) for g in p.glyphs],
                    [(r.x0, r.y0, r.x1, r.y1) for r in p.rules],
                    p.images,
                    p.objects,
                )
                for p in read_pdf_pages(f)
            ]
        except Exception as error:
            pages = _failure(error, tmp)
        try:
            blocks = [
                [
                    [None if c is None else (c.text, c.row, c.col, c.rowspan, c.colspan) for c in row]
                    for row in b.grid
                ]
                if isinstance(b, TableBlock)
                else b
                for b in read_pdf_blocks(f)
            ]
        except Exception as error:
            blocks = _failure(error, tmp)
        try:
            r = read_source(f)
            result = repr(
                (
                    sorted((repr(k), repr(v)) for k, v in r.report.cells.items()),
                    sorted(r.report.text.items()),
                    repr(r.report.meta),
                    [repr(p) for p in r.problems],
                    r.recognised,
                )
            )
        except Exception as error:
            result = _failure(error, tmp)
        out[f.name] = (pages, blocks, result)
    return out


def main(argv: list[str]) -> int:
    mode, path, *dirs = argv
    now = snapshot([Path(d) for d in dirs])
    if mode == "save":
        Path(path).write_bytes(pickle.dumps(now))
        print(f"saved {len(now)} PDFs")
        return 0
    before = pickle.loads(Path(path).read_bytes())
    differ = [name for name in before if before[name] != now.get(name)]
    for name in differ:
        parts = [
            part
            for k, part in enumerate(("pages", "blocks", "result"))
            if before[name][k] != now.get(name, (None,) * 3)[k]
        ]
        print(f"DIFFERS {name}: {', '.join(parts)}")
    print(f"compared {len(before)} PDFs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
