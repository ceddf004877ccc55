"""Importing PDFs: the three real published reports against their hand-checked truth, our own Word
export printed to PDF by LibreOffice, and the layouts other real PDFs use (made here from pages and
documents rendered by LibreOffice)."""

from __future__ import annotations

import json
import re
import sys
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

    if sys.platform == "win32":
        pytest.skip("the cap is POSIX setrlimit (RLIMIT_AS, RLIMIT_CPU): a hostile file is not run uncapped")

    from tests.conftest import ROOT

    target = tmp_path / "out.nianbao"
    script = _CAPPED_IMPORT.format(cap=cap_mb * 1024 * 1024, root=str(ROOT), source=str(source), target=str(target))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, cwd=ROOT)
    return result, target


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("pages", "有 301 页（最多读取 300 页），超出了本程序读取 PDF 的限度"),
        ("bomb", "第 1 页的内容解压后超过 4 MB"),
        ("bomb_indirect", "第 1 页的内容解压后超过 4 MB"),
        ("bomb_short", "第 1 页的内容解压后超过 4 MB"),
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
        "bomb_indirect": lambda: pdf_files.bomb_pdf(1024 * 1024 * 1024, indirect_length=True),  # /Length 15 0 R
        "bomb_short": lambda: pdf_files.bomb_pdf(1024 * 1024 * 1024, short_length=True),  # /Length 10
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
    with pytest.raises(ImportFailed, match=re.escape("无法导入“big.pdf”：文件过大（2 KB，超过 1 KB 的上限）")):
        read_source(big)


# ---- PDFs LibreOffice prints from our own Word export and from pages in real sites' styles -----------


def soffice_pdfs(sources: list[Path], outdir: Path, export_filter: str = "pdf") -> list[Path]:
    """Several files printed to PDF by LibreOffice in one run (its own profile)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{outdir / 'lo-profile'}", "--convert-to", export_filter,
                    "--outdir", str(outdir), *map(str, sources)], check=True, capture_output=True, timeout=300)
    results = [outdir / f"{source.stem}.pdf" for source in sources]
    assert all(result.exists() for result in results)
    return results


@pytest.mark.slow
def test_our_word_export_printed_to_pdf_comes_back_identical(distinct, example, tmp_path):
    from export.docx_writer import write_docx

    example.set_cells({("requests", "received", "natural"): 3, ("requests", "granted", "natural"): 3,
                       ("art20_5", "licensing", "decisions"): 12_854_581, ("art20_9", "procurement", "amount"): Decimal("25.1")})
    distinct.set_cell(("art20_5", "licensing", "decisions"), 77_300_440)  # an 8-digit count, as whole cities publish
    docs = []
    for name, report in (("distinct", distinct), ("example", example)):
        docs.append(tmp_path / f"{name}.docx")
        write_docx(report, docs[-1])
    for report, pdf in zip((distinct, example), soffice_pdfs(docs, tmp_path / "pdf"), strict=True):
        result = read_source(pdf)
        assert result.report.format_id == report.format_id
        assert result.report.cells == report.cells
        assert result.report.meta == report.meta
        assert result.report.text == report.text
        assert [p.rule for p in result.problems] == ["import.format_guess"]
        assert result.recognised[-1] == f"表格共{len(report.format.input_cells)}格：读入{len(report.cells)}格数字，原文空白0格，无法识别0格"


def _site_page(report) -> str:
    from tests.export.pages import report_page

    page = report_page(report, messy=True, blank_as_nbsp=True, nested=False,
                       short_title="县交通运输局2026年政府信息公开工作年度报告").replace("{charset}", "utf-8")
    # as printed: cells that wrap (a web page's nowrap cells would run off the paper), no site frame
    page = page.replace(' nowrap="nowrap"', "").replace(' style="width:60px;"', "")
    return page.replace("<table width='100%'><tr><td>网站导航</td><td>", "<div>").replace("</td></tr></table><div class='footer'>",
                                                                                       "</div><div class='footer'>")


def _tables(html: str) -> list[tuple[int, int]]:
    """(start, end) of each innermost <table>…</table> of a page."""
    import re

    spans = []
    for match in re.finditer(r'<table border="1"', html):
        spans.append((match.start(), html.index("</table>", match.start()) + len("</table>")))
    return spans


def _split_after_row(table: str, rows: int) -> str:
    """A table cut into two tables after its first ``rows`` rows (a header on its own)."""
    cut = 0
    for _ in range(rows):
        cut = table.index("</tr>", cut) + len("</tr>")
    return table[:cut] + '</tbody></table><p>&nbsp;</p><table border="1" cellspacing="0"><tbody>' + table[cut:]


def _side_by_side(table: str) -> str:
    """Table 二's blocks in two columns: (一)(五) on the left, (六)(八) on the right."""
    rows = table.split("</tr>")
    cut = next(i for i, row in enumerate(rows) if "(六)项" in row)
    head = '<table border="1" cellspacing="0"><tbody>'
    left = head + "</tr>".join(rows[:cut]).split("<tbody>", 1)[1] + "</tr></tbody></table>"
    right = head + "</tr>".join(rows[cut:]).split("</tbody>")[0] + "</tbody></table>"
    return f'<table width="100%"><tr><td valign="top">{left}</td><td valign="top">{right}</td></tr></table>'


@pytest.mark.slow
def test_pdfs_in_the_layouts_real_reports_use(distinct, tmp_path):
    """Printed by LibreOffice from pages in real sites' styles: ruled tables with merged cells and
    labels broken by <br>; tables drawn without lines; table 四's header in a table of its own;
    table 二's blocks in two columns; counts printed with thousands separators; pages turned."""
    distinct.set_cells({("requests", "received", "research"): None, ("art20_5", "licensing", "decisions"): 12_854_581})
    site = _site_page(distinct).replace("<span>1</span><span>2854581</span>", "12,854,581")
    tables = _tables(site)
    proactive, appeals = tables[0], tables[-1]
    unruled_small = (site[:proactive[0]] + site[proactive[0]:proactive[1]].replace('border="1"', 'border="0"')
                     + site[proactive[1]:appeals[0]] + site[appeals[0]:appeals[1]].replace('border="1"', 'border="0"')
                     + site[appeals[1]:])
    pages = {
        "ruled": site,
        "unruled": unruled_small,
        "all_unruled": site.replace('border="1"', 'border="0"'),
        "split_header": site[:appeals[0]] + _split_after_row(site[appeals[0]:appeals[1]], 3) + site[appeals[1]:],
        "two_columns": site[:proactive[0]] + _side_by_side(site[proactive[0]:proactive[1]]) + site[proactive[1]:],
    }
    sources = []
    for name, html in pages.items():
        sources.append(tmp_path / f"{name}.html")
        sources[-1].write_text(html, encoding="utf-8")
    pdfs = dict(zip(pages, soffice_pdfs(sources, tmp_path / "pdf"), strict=True))
    pdfs["turned"] = _turned(pdfs["ruled"], tmp_path / "turned.pdf")
    everything = read_source(pdfs.pop("all_unruled"))
    # table 三 without lines: its group labels run into its row labels; what is read is right, the rest is said
    cells = everything.report.cells
    assert all(cells[a] == v for a, v in distinct.cells.items() if a in cells) and len(cells) > 100
    assert set(cells) <= set(distinct.cells)
    unread = len(distinct.format.input_cells) - len(cells) - 1  # the one blank as published
    assert everything.recognised[-1].endswith(f"未找到{unread}格")
    assert "import.missing" in {p.rule for p in everything.problems}
    for name, pdf in pdfs.items():
        result = read_source(pdf)
        assert result.report.cells == distinct.cells, name
        assert result.report.meta.agency == "示例县交通运输局", name
        assert result.report.text["problems"] == distinct.text["problems"], name
        assert not [p for p in result.problems if p.rule in ("import.total_mismatch", "import.unreadable_cell",
                                                               "import.missing")], (name, result.problems)


def _turned(pdf: Path, target: Path) -> Path:
    """The same PDF with every page turned a quarter (/Rotate 90), as a landscape table is printed."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    for page in document:
        page.set_rotation(90)
    document.save(str(target))
    document.close()
    return target


def test_the_self_test_reads_a_pdf_table(tmp_path):
    from tests.conftest import run_cli

    result = run_cli("--self-test")
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, out + result.stderr.decode("utf-8", "replace")
    assert "[通过] 读取 PDF 表格（PDFium）" in out


_PROTECTED = ('pdf:writer_pdf_Export:{"RestrictPermissions":{"type":"boolean","value":"true"},'
              '"PermissionPassword":{"type":"string","value":"x"},"EnableCopyingOfContent":{"type":"boolean","value":"false"}}')
_LOCKED = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
           '"DocumentOpenPassword":{"type":"string","value":"x"}}')


@pytest.mark.slow
def test_protected_locked_and_spreadsheet_printed_pdfs(distinct, tmp_path):
    """A report protected against copying (encrypted, opened without a password) is read, its
    streams measured in a decrypted copy; one that needs a password says so; a workbook printed
    from a spreadsheet program gives its tables."""
    from export.docx_writer import write_docx
    from export.importing import ImportFailed
    from export.xlsx import write_xlsx

    docx, xlsx = tmp_path / "report.docx", tmp_path / "book.xlsx"
    write_docx(distinct, docx)
    write_xlsx(distinct, xlsx)
    (protected,) = soffice_pdfs([docx], tmp_path / "protected", _PROTECTED)
    assert b"/Encrypt" in protected.read_bytes()
    result = read_source(protected)
    assert result.report.cells == distinct.cells and result.report.text == distinct.text
    (locked,) = soffice_pdfs([docx], tmp_path / "locked", _LOCKED)
    with pytest.raises(ImportFailed, match="设有打开密码"):
        read_source(locked)
    (printed,) = soffice_pdfs([xlsx], tmp_path / "printed")
    assert read_source(printed).report.cells == distinct.cells


# ---- the guard's refusals: what a page draws, its filters, its glyphs (tests/export/pdf_files.py) ----

_REFUSED = "，超出了本程序读取 PDF 的限度，未导入（文件可能已损坏，或并非普通的年度报告）。"
GUARD_REFUSALS = {
    "pdf forms 10 deep, each drawn 10×": "“nested.pdf”第 1 页绘制表单或图片超过 20000 次",
    "pdf forms 13 deep": "“deep13.pdf”第 1 页的表单对象嵌套超过 12 层",
    "pdf a form drawing itself": "“cycle.pdf”第 1 页的表单对象引用了自身（循环引用）",
    "pdf nested forms, inherited resources": "“inherited.pdf”第 1 页绘制表单或图片超过 20000 次",
    "pdf nested forms hidden in an object stream": "“packed.pdf”第 1 页绘制表单或图片超过 20000 次",
    "pdf content bomb, indirect /Filter": "“indirect.pdf”第 1 页的内容解压后超过 4 MB",
    "pdf /Filter that cannot be resolved": "“nofilter.pdf”中有一段数据的压缩方式无法识别",
    "pdf LZW content": "“lzw.pdf”中有页面内容使用了不支持的压缩方式（LZWDecode）",
    "pdf deflate over RunLength (128 MB)": "“runlength.pdf”中有页面内容使用了不支持的压缩方式（RunLengthDecode）",
    "pdf content with a predictor": "“predictor.pdf”中有页面内容使用了不支持的编码方式（预测器 Predictor）",
    "pdf 10⁶ glyphs from a tiny stream": "“glyphs.pdf”第 1 页的文字超过 256 KB",
    "pdf 60 000 glyphs on a page": "“page60k.pdf”第 1 页有 60000 个字符（每页最多 50000 个）",
    "pdf 11 pages of 49 000 glyphs": "“file539k.pdf”的字符超过 500000 个",
    "pdf 20 pages of 3.9 MB content": "“contents.pdf”各页的内容解压后共超过 64 MB",
    "pdf a Type 3 glyph drawing nested forms": "“type3.pdf”第 1 页绘制表单或图片超过 20000 次",
    "pdf a font inflating to 128 MB": "“fontbomb.pdf”中有一段数据解压后超过 64 MB",
    "pdf one 3.9 MB content listed 10 000 times": "“repeat.pdf”第 1 页的内容解压后超过 4 MB",
    "pdf a page of 200 000 strokes": "“strokes.pdf”第 1 页有 200000 个页面对象（每页最多 50000 个）",
    "pdf 6 pages of 45 000 strokes": "“strokes6.pdf”的页面对象超过 250000 个",
    "pdf a form of 60 000 strokes": "“formstrokes.pdf”第 1 页有 60001 个页面对象（每页最多 50000 个）",
    "pdf one page of 1.6 MB listed 300 times": "“listed.pdf”各页的内容解压后共超过 64 MB",
}


@pytest.mark.skipif(sys.platform == "win32", reason="the capped worker is POSIX setrlimit")
def test_what_the_pdf_refusals_say(tmp_path):
    """Each attack on the guard is refused with a Chinese message naming the file and the limit,
    within the memory cap (the hostile worker: 1 GiB, its peak and time asserted)."""
    from tests.export.pdf_files import GUARD_ATTACKS
    from tests.hostile.capped import Worker, assert_refused_cleanly

    assert set(GUARD_REFUSALS) == set(GUARD_ATTACKS)
    worker = Worker()
    try:
        for name, said in GUARD_REFUSALS.items():
            file_name, build = GUARD_ATTACKS[name]
            source = tmp_path / file_name
            source.write_bytes(build())
            target = tmp_path / "out.nianbao"
            answer = worker.run("import", str(source), "-o", str(target))
            assert_refused_cleanly(answer)
            assert answer.stderr.strip() == said + _REFUSED, (name, answer.stderr)
            assert not target.exists()
    finally:
        worker.close()


def test_a_page_of_forms_within_the_limits_imports_as_before(tmp_path):
    """Forms drawn as real files draw them (a header form on each page, a logo drawn twice) pass
    the guard: the limits are far above what a report needs."""
    from export.reading.pdf_reader import read_pdf_pages
    from tests.export import pdf_files

    source = tmp_path / "forms.pdf"
    text = b"BT /F1 12 Tf 50 50 Td (" + b"Report 2024 " * 20 + b") Tj ET"
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    source.write_bytes(pdf_files.nested_forms_pdf(3, 3, text, font))  # the text drawn 27 times, 3 forms deep
    pages = read_pdf_pages(source)
    assert len(pages) == 1 and len(pages[0].glyphs) == 27 * len(b"Report2024") * 20


def test_a_font_is_cleared_part_of_the_way_in_and_a_bomb_counted_to_its_limit(monkeypatch):
    """A font of real data (stored beyond what the deflate ratio clears at once) is inflated only
    until what is left of it cannot pass the limit; the bound it then counts is never below its
    size. A bomb keeps pace with its bound: counted to the limit and refused, as before."""
    import random
    import zlib

    from zlib_ng import zlib_ng

    from export.reading.pdf_guard import _inflated_size

    limit = 64 * 1024 * 1024
    rng = random.Random(7)
    glyphs = bytes(rng.choice(b"ABCDEFGHIJKLMNOP\x00\x01\x02\x03") for _ in range(600_000))  # ~2:1, as fonts are
    packed = zlib.compress(glyphs, 9)
    assert len(packed) * 1032 > limit  # the ratio alone does not clear it
    assert _inflated_size(memoryview(packed), limit) == len(glyphs)  # asked for its size: counted whole
    inflated = []
    real = zlib_ng.decompressobj

    class Counting:
        def __init__(self) -> None:
            self.inflater = real()

        def decompress(self, data, most):  # type: ignore[no-untyped-def]
            out = self.inflater.decompress(data, most)
            inflated.append(len(out))
            return out

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self.inflater, name)

    monkeypatch.setattr(zlib_ng, "decompressobj", Counting)
    bound = _inflated_size(memoryview(packed), limit, limit)
    assert len(glyphs) <= bound <= limit
    assert sum(inflated) < len(glyphs)  # stopped part of the way in (the last 75 KB never inflated)
    zeros = zlib.compress(bytes(128 * 1024 * 1024), 9)
    assert _inflated_size(memoryview(zeros), limit, limit) > limit  # refused: past 64 MB


def test_the_guard_says_which_pages_hold_more_than_text():
    """A page whose content paints nothing but text is read without looking at each of its
    objects; any painting operator, XObject, inline image or shading — or a page tree whose order
    is not plain — means every object is looked at, as before."""
    from export.reading.pdf_guard import _paints, check_structure
    from tests.export import pdf_files

    assert check_structure(pdf_files.text_pdf(2, 10), "t.pdf", encrypted=False) == [False, False]
    assert check_structure(pdf_files.image_pdf(), "s.pdf", encrypted=False) == [True]
    assert check_structure(pdf_files.nested_forms_pdf(2, 2), "f.pdf", encrypted=False) == [True]
    orphan = pdf_files.text_pdf(1, 10).replace(b"/Count 1 >>", b"/Count 1 >>\nendobj\n99 0 obj\n<< /Type /Page >>", 1)
    assert check_structure(orphan, "o.pdf", encrypted=False) is None  # a page outside the tree: order unknown
    for content, paints in [(b"0 0 m 1 1 l S", True), (b"10 10 20 20 re f*", True), (b"1 1 m 2 2 l h B*", True),
                            (b"/Im1 Do", True), (b"BI /W 1 ID x EI", True), (b"/Sh1 sh", True),
                            (b"BT /F1 9 Tf (abc) Tj <0B0F> Tj ET 0 0 1 1 re W n", False)]:
        assert _paints(content) is paints, content


def test_a_type3_font_is_found_however_its_names_are_written():
    """Fonts are parsed only when their text may name Type 3 — written out, or in #-escapes
    (a Chinese font's escaped name is not mistaken for it, an escaped /Typ#653 is caught)."""
    from export.importing import ImportFailed
    from export.reading.pdf_guard import check_structure
    from tests.export.pdf_files import type3_forms_pdf

    plain = type3_forms_pdf(10, 10)
    for data in (plain, plain.replace(b"/Subtype /Type3", b"/Sub#74ype /Typ#653")):
        with pytest.raises(ImportFailed, match="第 1 页绘制表单或图片超过 20000 次"):
            check_structure(data, "t.pdf", encrypted=False)
    within = type3_forms_pdf(2, 3).replace(b"/FontBBox", b"/Name /#CB#CE#CC#E5 /FontBBox")  # 9 draws: within
    assert b"/#CB#CE#CC#E5" in within
    assert check_structure(within, "t.pdf", encrypted=False) == [False]  # the page itself shows text only
