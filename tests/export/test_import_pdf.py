"""Importing PDFs: the three real published reports against their hand-checked truth, our own Word
export printed to PDF by LibreOffice, and the layouts other real PDFs use (made here from pages and
documents rendered by LibreOffice)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from export.reading import read_source
from model.formats import GOV_2021

APPLICANTS = ["natural", "business", "research", "nonprofit", "legal", "other", "total"]
REAL = ["huaian_hongze_2023", "huaian_hongze_2024", "huaian_szf_2024"]
BLOCKS = {"第二十条第（一）项": "art20_1", "第二十条第（五）项": "art20_5", "第二十条第（六）项": "art20_6",
          "第二十条第（八）项": "art20_8"}


def truth_cells(truth: dict) -> dict:
    """The typed cells a truth file states (its totals are published figures, checked apart)."""
    expected = {}
    table = GOV_2021.table("requests")
    by_label = {row.label: row.key for row in table.rows}
    for label, values in truth["table3"].items():
        last = label.split("/")[-1]
        # a 2021 report printing the 2019 single （六） row: its numbers belong in 3.其他
        key = by_label[last] if last in by_label else {"（六）其他处理": "other_handling.other"}[last]
        for col, value in zip(APPLICANTS, values, strict=True):
            if not table.is_derived(key, col):
                expected[("requests", key, col)] = value
    keys = [(r, c) for r in ("review", "suit_direct", "suit_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")]
    for (row, col), value in zip(keys, truth["table4"], strict=True):
        if col != "total":
            expected[("appeals", row, col)] = value
    for title, block in truth["table2"].items():
        t = GOV_2021.table(BLOCKS[title])
        rows = {r.label: r.key for r in t.rows}
        for label, values in block["rows"].items():
            for column, value in zip(t.columns, values, strict=True):
                expected[(t.key, rows[label], column.key)] = Decimal(str(value)) if column.unit else value
    return expected


@pytest.mark.parametrize("name", REAL)
def test_real_pdfs_import_with_every_number_of_their_truth(name, fixtures_dir):
    truth = json.loads((fixtures_dir / "real" / f"{name}.truth.json").read_text(encoding="utf-8"))
    result = read_source(fixtures_dir / "real" / f"{name}.pdf")
    report = result.report
    assert report.format_id == "gov-2021"
    assert report.meta.year == truth["report_year"]
    assert report.cells == truth_cells(truth)
    assert not [p for p in result.problems if p.rule in ("import.unreadable_cell", "import.extra_row")]
    # every published inconsistency is reported with both numbers, never silently "fixed"
    mismatches = sorted(p.message for p in result.problems if p.rule == "import.total_mismatch")
    expected = []
    names = {"表四 行政复议": "表四 行政复议 · 总计", "表四 行政诉讼·复议后起诉": "表四 复议后起诉 · 总计",
             "表四 行政诉讼·未经复议直接起诉": "表四 未经复议直接起诉 · 总计"}
    for failure in truth["arithmetic_failures"]:
        place = names[failure["rule"].split(":")[0]]
        expected.append(f"{place}：原文合计为{failure['total']}，各项相加为{failure['sum']}；已按各项重新计算合计")
    assert mismatches == sorted(expected)
    assert report.text["overview"] and report.text["problems"] and report.text["other_matters"]
    assert report.text["other_matters"].endswith("信息处理费" + {"huaian_szf_2024": "3940元。"}.get(name, "0元。"))
    assert result.recognised[-1].startswith("表格共166格：读入")


def test_hongze_2023_problems_as_the_clerk_reads_them(fixtures_dir):
    result = read_source(fixtures_dir / "real" / "huaian_hongze_2023.pdf")
    messages = [p.message for p in result.problems]
    assert "表四 行政复议 · 总计：原文合计为0，各项相加为11；已按各项重新计算合计" in messages
    assert "表四 复议后起诉 · 总计：原文合计为0，各项相加为5；已按各项重新计算合计" in messages
    (single,) = [p for p in result.problems if p.rule == "import.row_variant" and "（六）其他处理" in p.message]
    assert "已读入“3.其他”" in single.message
    (near,) = [p for p in result.problems if p.rule == "import.row_variant" and "止公开" in p.message]
    assert "原文“2.其他法律行政止公开”与格式的“2.其他法律行政法规禁止公开”相近" in near.message
    # the （六） sub-rows were not printed: said once in the note, not as three missing rows
    assert not [p for p in result.problems if p.rule == "import.missing"]
    assert result.recognised[-1] == "表格共166格：读入154格数字，原文空白0格，无法识别0格，未找到12格"
    assert result.report.meta.agency == "洪泽区人民政府"  # the title's name: the PDF has no signature
    assert result.report.text["preamble"].startswith("本报告由淮安市洪泽区人民政府办公室根据")


def test_the_cli_imports_a_pdf(fixtures_dir, tmp_path):
    from model import store
    from tests.conftest import run_cli

    out = tmp_path / "hz.nianbao"
    result = run_cli("import", str(fixtures_dir / "real" / "huaian_hongze_2023.pdf"), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    stdout = result.stdout.decode()
    assert "[警告] 表四 行政复议 · 总计：原文合计为0，各项相加为11" in stdout
    assert "识别：表格共166格：读入154格数字" in stdout
    assert store.load(out).cells[("requests", "received", "natural")] == 21


def test_a_scanned_pdf_says_there_is_no_text_layer(tmp_path):
    from tests.export.pdf_files import image_pdf

    path = tmp_path / "扫描件.pdf"
    path.write_bytes(image_pdf())
    from export.importing import ImportFailed

    with pytest.raises(ImportFailed) as caught:
        read_source(path)
    assert "是扫描件（页面是图片，没有文字层），本程序不做文字识别（OCR）" in caught.value.message


def test_not_a_pdf(tmp_path):
    from export.importing import ImportFailed

    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(ImportFailed, match="不是 PDF 文件"):
        read_source(fake)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage garbage")
    with pytest.raises(ImportFailed, match="不是有效的 PDF 文件，或文件已损坏"):
        read_source(broken)


def test_pdf_is_offered_wherever_reports_are_imported():
    from export.reading import FILE_FILTER, SUFFIXES

    assert ".pdf" in SUFFIXES and "*.pdf" in FILE_FILTER


# ---- hostile files: within the limits of model/limits.py, under a memory and a time cap -------------

_CAPPED_IMPORT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
sys.path.insert(0, {root!r})
import cli
sys.exit(cli.main(["import", {source!r}, "-o", {target!r}]))
"""


def capped_import(source: Path, tmp_path: Path, cap_mb: int = 768):
    """`nianbao import` in a subprocess that may use at most ``cap_mb`` of address space."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    target = tmp_path / "out.nianbao"
    script = _CAPPED_IMPORT.format(cap=cap_mb * 1024 * 1024, root=str(ROOT), source=str(source), target=str(target))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, cwd=ROOT)
    return result, target


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("pages", "有 301 页（最多读取 300 页），超出了本程序读取 PDF 的限度"),
        ("bomb", "中有一段数据解压后超过 64 MB"),
        ("bombs", "中的数据解压后共超过 256 MB"),
        ("objects", "含有1000004个对象"),
        ("claimed", "含有2000005个对象"),
    ],
)
def test_hostile_pdfs_are_refused_within_the_limits(kind, message, tmp_path):
    from tests.export import pdf_files

    make = {
        "pages": lambda: pdf_files.many_pages_pdf(301),
        "bomb": lambda: pdf_files.bomb_pdf(1024 * 1024 * 1024),  # 1 GiB of spaces: PDFium alone would inflate it all
        "bombs": lambda: pdf_files.many_bombs_pdf(5, 60 * 1024 * 1024),
        "objects": lambda: pdf_files.many_objects_pdf(1_000_000),
        "claimed": lambda: pdf_files.claimed_objects_pdf(2_000_000),
    }[kind]
    source = tmp_path / f"{kind}.pdf"
    source.write_bytes(make())
    result, target = capped_import(source, tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert message in stderr and "Traceback" not in stderr
    assert not target.exists()


@pytest.mark.parametrize("kind", ["deep", "lying_count"])
def test_hostile_pdfs_that_pdfium_bounds_itself(kind, tmp_path):
    """Nesting 100 000 deep (PDFium's parser stops at 64) and a page tree that claims a billion
    pages (PDFium counts the pages it finds): a clear message, never a traceback or a crash."""
    from tests.export import pdf_files

    source = tmp_path / f"{kind}.pdf"
    source.write_bytes(pdf_files.deep_pdf(100_000) if kind == "deep" else pdf_files.lying_count_pdf())
    result, target = capped_import(source, tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "没有可读取的文字" in stderr and "Traceback" not in stderr
    assert not target.exists()


def test_the_file_size_limit(tmp_path, monkeypatch):
    from export.importing import ImportFailed
    from export.reading import pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_SOURCE_FILE_BYTES", 1000)
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b" " * 2000)
    with pytest.raises(ImportFailed, match="超出了本程序读取 PDF 的限度"):
        read_source(big)
