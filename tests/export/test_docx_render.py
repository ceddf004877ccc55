"""A real word processor renders the Word export: LibreOffice → PDF → text, checked in order."""

from __future__ import annotations

import re

import pytest

from export.docx_writer import write_docx
from model.formats import Role
from tests.export.docx_helpers import pdf_pages, pdf_text, soffice_convert


def squeeze(text: str) -> str:
    """The text without white space and without the page numbers ("— 3 —") between pages."""
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))


def number_rows(report, layout) -> list[list[str]]:
    rows: dict[int, list[str]] = {}
    for cell in sorted(layout.cells, key=lambda c: (c.row, c.col)):
        if cell.address:
            value = report.value(cell.address)
            rows.setdefault(cell.row, []).append("0" if value is None else str(value))
    return [rows[r] for r in sorted(rows)]


def rows_in_order(layout_text: str, rows: list[list[str]]) -> list[list[str]]:
    """The rows of numbers not found, each on one rendered line, in order."""
    missing, position = [], 0
    for numbers in rows:
        pattern = re.compile(r"(?<![\d.])" + r"\s+".join(re.escape(n) for n in numbers) + r"(?![\d.])")
        match = pattern.search(layout_text, position)
        if match is None:
            missing.append(numbers)
        else:
            position = match.end()
    return missing


def in_order(haystack: str, needles: list[str]) -> list[str]:
    """The needles not found in order (each searched after the previous one)."""
    missing, position = [], 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found == -1:
            missing.append(needle)
        else:
            position = found + len(needle)
    return missing


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from model import store
    from tests.conftest import EXAMPLE, FIXTURES

    folder = tmp_path_factory.mktemp("render")
    results = {}
    for name, source in (("distinct", FIXTURES / "distinct_2026.nianbao"), ("seed", EXAMPLE)):
        report = store.load(source)
        docx = folder / f"{name}.docx"
        write_docx(report, docx)
        pdf = soffice_convert(docx, "pdf", folder)
        results[name] = (report, pdf)
    return results


def test_distinct_renders_in_order(rendered):
    report, pdf = rendered["distinct"]
    text = squeeze(pdf_text(pdf))
    expected = [report.title, "本报告根据", "一、总体情况", "2026年，我局认真贯彻落实", "（一）主动公开情况。",
                "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                "五、存在的主要问题及改进情况", "存在的主要问题：一是信息公开的及时性有待提高", "六、其他需要报告的事项",
                "本年度未收取信息处理费。", "示例县交通运输局", "2027年1月22日"]
    assert in_order(text, [squeeze(e) for e in expected]) == []
    layout_text = pdf_text(pdf, layout=True)
    for layout in report.format.layouts.values():
        assert rows_in_order(layout_text, number_rows(report, layout)) == [], layout.key
    # a row or column mix-up shows: 一、本年新收 reads 4322 … 25053 across, 自然人 reads down
    assert re.search(r"4322\s+4900\s+4005\s+3487\s+4336\s+4003\s+25053", layout_text)


def test_seed_renders_every_paragraph_and_label(rendered):
    report, pdf = rendered["seed"]
    text = squeeze(pdf_text(pdf))
    paragraphs = [p for key in ("overview", "problems", "other_matters") for p in report.text[key].split("\n")]
    assert in_order(text, [report.title, *(squeeze(p) for p in paragraphs), "城步苗族自治县商务局", "2020年2月12日"]) == []
    layout_text = squeeze(pdf_text(pdf, layout=True))
    # every label is there, in the order of the rows (a label wrapped in its cell is read by its opening)
    for layout in report.format.layouts.values():
        ordered = sorted(layout.cells, key=lambda c: (c.row, c.col))
        headers = [squeeze(c.text)[:2] for c in ordered if c.text and c.role is not Role.LABEL]
        assert [h for h in headers if h not in layout_text] == [], layout.key
        # merged group labels sit in the middle of their rows (and of each page's part): present;
        # the row labels: in order
        groups = [squeeze(c.text)[:3] for c in layout.cells if c.role is Role.LABEL and c.rowspan > 1]
        assert [g for g in groups if g not in layout_text] == [], layout.key
        labels = [squeeze(c.text)[:3] for c in ordered if c.role is Role.LABEL and c.rowspan == 1]
        assert in_order(layout_text, labels) == [], layout.key
        assert rows_in_order(pdf_text(pdf, layout=True), number_rows(report, layout)) == []


def test_no_trailing_blank_page(rendered):
    for name, (report, pdf) in rendered.items():
        pages = pdf_pages(pdf)
        last = pdf_text(pdf).split("\f")[pages - 1]
        assert "年" in last and report.meta.agency in squeeze(last), name  # the signature is on the last page
        assert pages <= 5, name


def test_page_numbers_rendered(rendered):
    _report, pdf = rendered["distinct"]
    pages = pdf_text(pdf).split("\f")
    for number, page in enumerate(pages[: pdf_pages(pdf)], 1):
        assert f"—{number}—" in re.sub(r"\s+", "", page)


def test_a_full_line_holds_28_characters(tmp_path, distinct):
    distinct.set_text("overview", "一" * 120)
    docx = tmp_path / "grid.docx"
    write_docx(distinct, docx)
    lines = [line.strip() for line in pdf_text(soffice_convert(docx, "pdf", tmp_path), layout=True).splitlines()]
    runs = [len(line) for line in lines if line and set(line) == {"一"}]
    assert runs[:5] == [26, 28, 28, 28, 10]  # the first line is indented two characters


def test_table_four_labels_wrap_in_two_character_lines(rendered):
    _report, pdf = rendered["distinct"]
    page = next(p for p in pdf_text(pdf, layout=True).split("\f") if "行政复议" in p)
    block = page[page.index("行政复议"):page.index("五、")]
    lines = [squeeze(line) for line in block.splitlines()]
    # "结果维持" is drawn as "结果" over "维持" in each of the three groups, nothing cut off
    assert sum(line.count("结果") for line in lines) >= 6
    assert sum(line.count("维持") for line in lines) == 3
    assert sum(line.count("审结") for line in lines) == 3
    assert not any("结果维持" in line for line in lines)
