"""The batch reads every kind the importer reads: an old .doc (through LibreOffice) and a PDF made by a
real word processor from our own Word export."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from export.batch import run_batch
from export.reading import SUFFIXES
from tests.batch_folder import COMMERCE, REGION, make_report

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                                   reason="LibreOffice is not installed")]


def _convert(source: Path, kind: str, folder: Path, profile: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", kind,
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{kind}"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from export.docx_writer import write_docx

    root = tmp_path_factory.mktemp("kinds")
    report = make_report(f"{REGION}商务局", 2025, COMMERCE)
    source = root / "商务局.docx"
    write_docx(report, source)
    made = {}
    for kind in ("doc", "pdf"):
        folder = root / kind
        folder.mkdir()
        made[kind] = _convert(source, kind, folder, root / "lo-profile")
    return made


def _check_one(folder: Path) -> None:
    result = run_batch(folder)
    (entry,) = result.entries
    assert entry.readable, entry.outcome.reason
    assert entry.agency == f"{REGION}商务局" and entry.outcome.year == 2025
    expected = make_report(f"{REGION}商务局", 2025, COMMERCE)
    assert entry.outcome.figures.cells() == expected.cells
    assert entry.figures()["received"] == 5


def test_an_old_word_file(converted):
    _check_one(converted["doc"].parent)


def test_a_pdf(converted):
    assert ".pdf" in SUFFIXES  # the batch takes its suffixes from the importer's one list
    _check_one(converted["pdf"].parent)
