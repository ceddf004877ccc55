"""A real word processor renders the Word export: LibreOffice → PDF → text, checked in order."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from export.docx_profile import GB_T_9704, Geometry
from export.docx_writer import WordOptions, write_docx
from model.formats import Role
from model.profile import BUILTIN, Profile
from model.report import Report
from tests.export.docx_helpers import (
    Word,
    lines_of,
    pdf_pages,
    pdf_text,
    pdf_words,
    soffice_convert,
    soffice_convert_all,
)

PT_PER_MM = 72 / 25.4
LONG_AGENCY = "示例省示例市示例县人力资源和社会保障局"
GEOMETRY = Geometry(GB_T_9704)
ADVANCE = GEOMETRY.char_advance  # 15.75 pt: one character of body text as rendered
LEFT = GB_T_9704.margin_left * PT_PER_MM
RIGHT = (210 - GB_T_9704.margin_right) * PT_PER_MM
TYPE_AREA_FOOT = (297 - GB_T_9704.margin_bottom) * PT_PER_MM


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


def documents() -> dict[str, tuple[Report, Profile | None]]:
    """The seed, the every-cell-distinct report, and the cases the measurements need: a name shorter
    than the date, a long agency name, a long date, 7-digit counts, the sealed signature."""
    from model import store
    from tests.conftest import EXAMPLE, FIXTURES

    distinct = store.load(FIXTURES / "distinct_2026.nianbao")
    short_name = distinct.copy()
    short_name.set_meta(agency="县商务局")
    long_name = distinct.copy()
    long_name.set_meta(agency=LONG_AGENCY)
    long_date = distinct.copy()
    long_date.set_meta(date=dt.date(2027, 12, 31))
    big = distinct.copy()
    big.set_cells({("requests", "received", "natural"): 9876543, ("requests", "granted", "legal"): 1234567,
                   ("appeals", "review", "upheld"): 7654321})
    return {"distinct": (distinct, None), "seed": (store.load(EXAMPLE), None), "short name": (short_name, None),
            "long name": (long_name, None), "long date": (long_date, None), "seven digits": (big, None),
            "sealed": (long_date, BUILTIN["gbt9704-sealed"])}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Report, Path]]:
    folder = tmp_path_factory.mktemp("render")
    reports, sources = {}, []
    for i, (name, (report, profile)) in enumerate(documents().items()):
        docx = folder / f"doc{i}.docx"
        write_docx(report, docx, WordOptions(profile=profile))
        reports[name] = report
        sources.append(docx)
    pdfs = soffice_convert_all(sources, "pdf", folder)
    return {name: (reports[name], pdf) for name, pdf in zip(reports, pdfs, strict=True)}


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
        # merged group labels (their ordinal on a line of its own): present; the row labels: in order
        groups = [squeeze(c.text)[:2] for c in layout.cells if c.role is Role.LABEL and c.rowspan > 1]
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


# ---- measured on the rendered pages (pdftotext -bbox: each word's box in points) --------------------


def test_page_numbers_sit_7mm_below_the_type_area(rendered):
    """GB/T 9704 7.5.2: the top of the 一字线 7 mm below the type area's lower edge, on every page."""
    for name, (_report, pdf) in rendered.items():
        pages = pdf_words(pdf)
        for number, words in enumerate(pages, 1):
            dashes = [w for w in words if w.text == "—" and w.y0 > TYPE_AREA_FOOT]
            assert len(dashes) == 2, (name, number)
            gap = (min(w.y0 for w in dashes) - TYPE_AREA_FOOT) / PT_PER_MM
            assert 6 <= gap <= 8, (name, number, gap)
            digits = next(w for w in words if w.text == str(number) and w.y0 > TYPE_AREA_FOOT)
            left, right = sorted(dashes, key=lambda w: w.x0)
            assert left.x1 < digits.x0 < digits.x1 < right.x0, (name, number)
            # odd pages right, one character in; even pages left, one character in (14 pt)
            if number % 2:
                assert right.x1 == pytest.approx(RIGHT - 14, abs=2), (name, number)
            else:
                assert left.x0 == pytest.approx(LEFT + 14, abs=2), (name, number)


def signature_lines(report: Report, pdf: Path) -> tuple[list[Word], list[Word]]:
    """The agency name's line and the date's line, on the last page."""
    lines = lines_of(pdf_words(pdf)[-1])
    text = ["".join(w.text for w in line) for line in lines]
    i = max(i for i, t in enumerate(text) if t == report.meta.agency)
    return lines[i], lines[i + 1]


@pytest.mark.parametrize("name", ["distinct", "seed", "short name", "long name", "long date"])
def test_the_dates_first_character_is_two_characters_right_of_the_names(rendered, name):
    """GB/T 9704 7.3.5.2, measured with the space renderers put between Chinese characters and digits:
    for a name longer than the date (seed, long name), about as long (distinct) and shorter (县商务局)."""
    report, pdf = rendered[name]
    name_line, date_line = signature_lines(report, pdf)
    step = (date_line[0].x0 - name_line[0].x0) / ADVANCE
    assert step == pytest.approx(2, abs=0.3), step
    # the longer of the two 右空二字
    right_gaps = sorted((RIGHT - line[-1].x1) / ADVANCE for line in (name_line, date_line))
    assert right_gaps[0] == pytest.approx(2, abs=0.3), right_gaps


def test_sealed_date_four_characters_in_with_the_name_centred_over_it(rendered):
    report, pdf = rendered["sealed"]
    name_line, date_line = signature_lines(report, pdf)
    assert "".join(w.text for w in date_line) == "2027年12月31日"
    assert (RIGHT - date_line[-1].x1) / ADVANCE == pytest.approx(4, abs=0.3)  # 成文日期右空四字
    centre = lambda line: (line[0].x0 + line[-1].x1) / 2  # noqa: E731
    assert (centre(name_line) - centre(date_line)) / ADVANCE == pytest.approx(0, abs=0.3)


@pytest.mark.parametrize("name", ["distinct", "seven digits"])
def test_applicant_headers_are_not_broken_inside_a_word(rendered, name):
    _report, pdf = rendered[name]
    words = [w.text for page in pdf_words(pdf) for w in page]
    for header in ("自然人", "商业企业", "科研机构", "社会公益", "法律服务"):
        assert any(header in w for w in words), header
    for six, (first, second) in (("社会公益组织", ("社会公益", "组织")), ("法律服务机构", ("法律服务", "机构"))):
        assert not any(six[:5] in w for w in words), six  # wrapped between its words, never inside one
        assert first in words and second in words, six
    # table 四's headers in whole two-character lines (结果|维持), or whole (结果维持) in a column a long number widened
    assert not any(w.endswith(("结果维", "结果纠", "其他结", "尚未审")) for w in words)


def test_seven_digit_numbers_stay_on_one_line(rendered):
    _report, pdf = rendered["seven digits"]
    words = {w.text for page in pdf_words(pdf) for w in page}
    assert {"9876543", "1234567", "7654321"} <= words


@pytest.mark.parametrize("name", ["distinct", "long name"])
def test_title_lines_are_one_grid_row_apart(rendered, name):
    report, pdf = rendered[name]
    lines = lines_of(pdf_words(pdf)[0])
    first, second = lines[0], lines[1]
    assert "".join(w.text for w in first) == report.meta.agency
    assert "".join(w.text for w in second) == f"{report.meta.year}年政府信息公开工作年度报告"
    assert second[0].y0 - first[0].y0 == pytest.approx(GEOMETRY.line_pitch / 20, abs=0.5)
    # the text starts in the fourth row of the grid: two title rows and the blank one (with two grid
    # rows a title line, as LibreOffice snapped it, it started in the sixth and pages broke unlike Word's)
    body = next(line for line in lines if line[0].text.startswith("本报告"))
    row = GEOMETRY.line_pitch / 20
    assert 3 * row <= body[0].y0 - GB_T_9704.margin_top * PT_PER_MM < 4 * row


@pytest.mark.parametrize("name", ["distinct", "seed"])
def test_table_three_starts_with_header_and_rows_and_keeps_its_group_label(rendered, name):
    _report, pdf = rendered[name]
    pages = pdf_words(pdf)
    heading = "三、收到和处理政府信息公开申请情况"
    start = next(i for i, page in enumerate(pages) if any(w.text == heading for w in page))
    texts = "".join(w.text for w in pages[start])
    for row in ("申请人情况", "一、本年新收", "二、上年结转", "（一）予以公开"):
        assert row in texts, row  # the header and three rows at least where the table starts
    # 三、本年度办理结果 (the first label column) whole on one page, beside its first rows
    column = [w for w in pages[start] if w.x1 < LEFT + 2.5 * 10.5 + 4]
    assert "三、本年度办理结果" in "".join(w.text for w in sorted(column, key=lambda w: w.y0))
