"""The result workbook on paper: landscape A4, one page wide, the header on every page, rows as
high as their wrapped texts — checked in the file and on the pages LibreOffice prints."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from export.batch import run_batch
from export.batch_workbook import LINE_POINTS, Sheet, text_lines, write_result, write_unit_lists
from model import store
from tests.batch_folder import COMMERCE, REGION, build, make_report
from tests.export.docx_helpers import pdf_words, soffice_convert

SHEETS = ["汇总", "问题清单", "未报送", "与上年比较", "汇总来源"]
UNITS = ["文化旅游广电体育局", "人力资源和社会保障局", "城市管理和综合执法局", "住房和城乡建设局", "退役军人事务局",
         "民族宗教事务局", "行政审批服务局", "市场监督管理局", "发展和改革局", "自然资源局", "农业农村局", "应急管理局"]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory):
    """The test folder (every kind, unreadable files, long reasons) and a dozen more units."""
    folders = build(tmp_path_factory.mktemp("print"))
    for number, unit in enumerate(UNITS):
        overview = "2024年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。" if number % 3 == 0 else None
        store.save(make_report(f"{REGION}{unit}", 2025, COMMERCE, overview=overview),
                   folders["this"] / f"{unit}.nianbao", backup=False)
    return run_batch(folders["this"], last_year=folders["last"], expect=folders["list"])


@pytest.fixture(scope="module")
def workbook(result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("book") / "核对结果.xlsx"
    write_result(result, path)
    return path


def test_every_sheet_prints_landscape_one_page_wide_with_its_header(workbook):
    book = load_workbook(workbook)
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert [book[name].print_title_rows for name in SHEETS] == ["$3:$3", "$1:$1", "$1:$1", "$1:$1", "$4:$5"]
    # 汇总来源: one row per cell, a column per unit; printed are the sum, the 本级 and the difference
    sources = book["汇总来源"]
    assert sources.print_area == f"'汇总来源'!$A$1:$E${sources.max_row}"


def test_rows_are_as_high_as_their_wrapped_texts(workbook):
    sheet = load_workbook(workbook)["汇总"]
    widths = {cell.column_letter: sheet.column_dimensions[cell.column_letter].width for cell in sheet[3]}
    checked = 0
    for row in sheet.iter_rows(min_row=4, max_row=sheet.auto_filter.ref and int(sheet.auto_filter.ref.split(":")[1][1:])):
        lines = max(text_lines(c.value, widths[c.column_letter]) for c in row if isinstance(c.value, str))
        height = sheet.row_dimensions[row[0].row].height
        if lines > 1:
            checked += 1
            assert height == lines * LINE_POINTS + 3, row[0].row
        else:
            assert height is None  # the default height
    assert checked >= 5


def test_text_lines():
    assert text_lines("城步苗族自治县财政局", 21.5) == 1  # 10 characters, 20 units
    assert text_lines("城步苗族自治县财政局", 21) == 2
    assert text_lines("abc", 4.5) == 1 and text_lines("第一行\n第二行", 30) == 2


def test_amounts_keep_their_decimals(tmp_path):
    book = Workbook(write_only=True)
    sheet = Sheet(book, "x", [10, 10], "A2")
    sheet.append([Decimal("41.2365"), 7], "number")
    book.save(tmp_path / "x.xlsx")
    cells = load_workbook(tmp_path / "x.xlsx")["x"][1]
    assert cells[0].value == 41.2365 and cells[0].number_format == "General"  # not shown as "41"
    assert cells[1].number_format == "0"


def test_each_report_is_summarized_once_per_workbook(result, tmp_path, monkeypatch):
    """The workbook (and the JSON) work out each report's status, counts, figures and ratios once, not once per
    sheet and column: the problems summarized once, the report built from its figures once."""
    import export.batch as batch
    from export.batch import result_json
    from export.batch_read import Figures

    summarized, built = [], []
    real_summarize, real_report = batch.summarize, Figures.report
    monkeypatch.setattr(batch, "summarize", lambda problems: summarized.append(1) or real_summarize(problems))
    monkeypatch.setattr(Figures, "report", lambda self, agency="": built.append(1) or real_report(self, agency))
    readable = sum(e.readable for e in result.entries)
    last_years = sum(e.readable and e.last_figures() is not None for e in result.entries)
    write_result(result, tmp_path / "核对结果.xlsx")
    assert len(summarized) == len(result.entries) == 20
    # this year's report of each readable row once, and last year's once (与上年比较)
    assert len(built) == readable + last_years
    summarized.clear()
    built.clear()
    result_json(result)
    assert len(summarized) == len(result.entries)
    assert len(built) == readable


def test_a_unit_list_for_a_file_that_could_not_be_read(result, tmp_path):
    written = {p.name: p for p in write_unit_lists(result, tmp_path / "各单位")}
    sheet = load_workbook(written[f"{REGION}林业局2025年报告-核对意见.xlsx"]).active
    assert sheet["A1"].value == f"{REGION}林业局报送的文件“{REGION}林业局2025年报告.docx”核对意见"
    assert load_workbook(written["附件-核对意见.xlsx"]).active["A1"].value == "文件“附件.docx”核对意见"


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def _overlapping(words) -> list[tuple[str, str]]:
    """Pairs of words whose boxes cover each other (a wrapped text running into the next row)."""
    found = []
    ordered = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.y0 >= a.y1:
                break
            width = min(a.x1, b.x1) - max(a.x0, b.x0)
            height = min(a.y1, b.y1) - max(a.y0, b.y0)
            smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0))
            if width > 0 and height > 0 and width * height > 0.3 * smaller:
                found.append((a.text, b.text))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_printed_by_libreoffice(workbook, result, tmp_path):
    pdf = soffice_convert(workbook, "pdf", tmp_path)
    sizes = _page_sizes(pdf)
    pages = pdf_words(pdf)
    assert len(sizes) == len(pages) and all(abs(w - 841.9) < 1 and abs(h - 595.3) < 1 for w, h in sizes), sizes
    assert len(pages) <= 16, len(pages)  # 20 reports: the five sheets on a few landscape pages each
    for number, words in enumerate(pages, 1):
        assert not _overlapping(words), (number, _overlapping(words)[:5])
    summary = [i for i, words in enumerate(pages) if any(w.text == "诉讼纠错率" for w in words)]
    rows = [i for i, words in enumerate(pages) if any(w.text.startswith(REGION) for w in words) and i <= max(summary)]
    assert summary[0] == 0 and set(rows) <= set(summary)  # the header on every page of 汇总
    assert len(result.entries) == 20


def test_more_units_than_a_sheet_has_columns(result, tmp_path, monkeypatch):
    """A province's batch: the sum counts every unit; the columns end where a sheet's do (XFD)."""
    from export import batch_workbook

    monkeypatch.setattr(batch_workbook, "MAX_UNIT_COLUMNS", 2)
    write_result(result, tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["汇总来源"]
    count = len(result.contributors)
    assert sheet["A1"].value.endswith(f"，{count}个单位）")
    assert [c.value for c in sheet[4]][5:] == [e.name for e in result.contributors[:2]]
    notes = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert f"合计包含全部{count}个单位；一个工作表最多有16384列，右侧只列出前2个单位的数字。" in notes


def test_the_batch_counts_what_a_summary_stands_for():
    from export.batch import Entry
    from export.batch_read import Outcome
    from export.batch_workbook import remark
    from model.checks import run_checks
    from tests.model.test_checks_scale import STALE_SENTENCES, report_with

    problems = run_checks(report_with(STALE_SENTENCES))
    entry = Entry(Outcome("x.nianbao", agency="示例县交通运输局"), "x.nianbao", problems=problems)
    assert entry.counts() == (0, 121, 0, 0)
    assert remark(entry).endswith("（另有120个警告）")
