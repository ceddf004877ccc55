"""The Word export read back with python-docx: page, styles, tables, signature, footer, atomic writes."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from export.docx_profile import GB_T_9704, Geometry
from export.docx_tables import column_widths, plan_table, split_label, text_ems, whole_words
from export.docx_writer import (
    WordBuilder,
    WordOptions,
    default_export_name,
    signature_indents,
    write_docx,
)
from export.text import hanzi_date, paragraphs, split_heading
from model import store
from model.formats import GOV_2019, GOV_2021, Role
from model.profile import BUILTIN
from model.values import NA
from tests.conftest import run_cli
from tests.export.docx_helpers import paragraph_text, table_cells

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def distinct_docx(distinct, tmp_path) -> Path:
    path = tmp_path / "distinct.docx"
    write_docx(distinct, path)
    return path


def test_page_setup(distinct_docx):
    doc = Document(distinct_docx)
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert (section.top_margin.twips, section.bottom_margin.twips) == (2098, 1984)
    assert (section.left_margin.twips, section.right_margin.twips) == (1587, 1474)
    # the page number's line (1.3 × 14 pt = 364 twips) ends where its top lies 7 mm below the type area:
    # 35 mm − 7 mm = 28 mm (1587 twips) above the page's lower edge
    assert section.footer_distance.twips == 1587 - 364 == Geometry(GB_T_9704).footer_distance
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    assert doc.settings.odd_and_even_pages_header_footer


def test_geometry_of_the_standard():
    g = Geometry(GB_T_9704)
    assert (g.text_width, g.line_pitch, g.char_spacing, g.char_twips) == (8844, 579, -5, 316)
    assert g.char_advance == 15.75
    pitch = GB_T_9704.body_size * 20 + g.char_spacing  # twentieths of a point
    assert pitch * 28 <= g.text_width < pitch * 29  # 28 characters a line, not 29
    assert mm_of(g.line_pitch) * 22 <= 225 < mm_of(g.line_pitch + 1) * 22  # 22 lines; 580 would fit only 21


def mm_of(twips: int) -> float:
    return twips / 1440 * 25.4


def style(doc, style_id: str):
    return doc.styles.element.get_by_id(style_id)


def test_styles_name_their_fonts_explicitly(distinct_docx):
    doc = Document(distinct_docx)
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert not any(fonts.get(qn(a)) for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"))
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    # id: (East Asian font, Latin font, half-points, character spacing)
    expected = {"Normal": ("仿宋_GB2312", "Times New Roman", "32", "-5"),
                "Title": ("方正小标宋简体", "Times New Roman", "44", "0"),
                "Heading1": ("黑体", "Times New Roman", "32", "0"), "Heading2": ("楷体_GB2312", "Times New Roman", "32", "0"),
                "Heading3": ("仿宋_GB2312", "Times New Roman", "32", "0"),
                "TableText": ("仿宋_GB2312", "Times New Roman", "21", "0"),
                "TableTextSmall": ("仿宋_GB2312", "Times New Roman", "18", "0"),
                "Footer": ("宋体", "宋体", "28", "0")}  # 4号半角宋体: the digits in 宋体 too
    for style_id, (east_asia, latin, size, spacing) in expected.items():
        rpr = style(doc, style_id).rPr
        fonts = rpr.find(qn("w:rFonts"))
        assert (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii")), fonts.get(qn("w:hAnsi"))) == (east_asia, latin, latin)
        assert rpr.find(qn("w:sz")).get(qn("w:val")) == size, style_id
        # the −0.25 pt that gives the body 28 characters a line is not inherited by title, headings, tables, page numbers
        assert rpr.find(qn("w:spacing")).get(qn("w:val")) == spacing, style_id
    normal = style(doc, "Normal").pPr
    assert normal.find(qn("w:spacing")).get(qn("w:line")) == "579"
    assert normal.find(qn("w:spacing")).get(qn("w:lineRule")) == "exact"
    assert normal.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    # the title: one grid row per line, not snapped (LibreOffice would give a 22 pt line two rows)
    title = style(doc, "Title").pPr
    assert title.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    assert title.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"
    assert style(doc, "TableText").pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"
    footer = style(doc, "Footer").pPr.find(qn("w:spacing"))
    assert (footer.get(qn("w:line")), footer.get(qn("w:lineRule"))) == ("364", "exact")


def test_heading_styles_are_the_standards_and_the_rest_stay_hidden(distinct_docx):
    """标题 1–4 are defined the GB/T 9704 way (a clerk who picks one gets a proper heading, never
    Word's blue one); every other built-in style is hidden from the quick-style gallery."""
    styles = Document(distinct_docx).styles.element
    names = {s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val")) for s in styles.findall(qn("w:style"))}
    assert names == {"Normal": "Normal", "DefaultParagraphFont": "Default Paragraph Font", "TableNormal": "Normal Table",
                     "NoList": "No List", "Title": "Title", "Heading1": "heading 1", "Heading2": "heading 2",
                     "Heading3": "heading 3", "Heading4": "heading 4", "TableText": "表格文字",
                     "TableTextSmall": "表格小字", "Footer": "footer"}
    assert not list(styles.iter(qn("w:color")))  # nothing blue, nothing coloured
    latent = styles.find(qn("w:latentStyles"))
    assert (latent.get(qn("w:defQFormat")), latent.get(qn("w:defSemiHidden"))) == ("0", "1")
    assert not latent.findall(qn("w:lsdException"))
    for level in range(1, 5):
        ppr = styles.get_by_id(f"Heading{level}").pPr
        assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
        assert ppr.find(qn("w:keepNext")) is not None


def test_sections_headings_use_heading_1(distinct_docx):
    doc = Document(distinct_docx)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in GOV_2021.sections]
    assert doc.paragraphs[0].style.name == "Title"


def build_plan(report, key: str):
    builder = WordBuilder(report)
    layout = report.format.layouts[key]
    texts = {(c.row, c.col): builder.cell_text(c.address) if c.address else c.text for c in layout.cells}
    narrow = key == "appeals"
    return layout, texts, plan_table(layout, texts, 8844, size=9 if narrow else 10.5, cell_margin=34, narrow=narrow)


def ems(width: int, size: float = 10.5) -> float:
    """Characters of the table font a column holds inside its 0.6 mm cell margins."""
    return (width - 68) / (size * 20)


@pytest.mark.parametrize("fmt_fixture", ["distinct", "example"])
def test_tables_equal_the_layouts(fmt_fixture, request, tmp_path):
    report = request.getfixturevalue(fmt_fixture)
    path = tmp_path / "r.docx"
    write_docx(report, path)
    doc = Document(path)
    layouts = list(report.format.layouts.values())
    assert len(doc.tables) == 3
    for table, layout in zip(doc.tables, layouts, strict=True):
        _layout, _texts, plan = build_plan(report, layout.key)
        assert sum(plan.widths) == 8844
        assert [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid] == plan.widths
        expected = []
        for cell in sorted(layout.cells, key=lambda c: (c.row, c.col)):
            text = cell.text
            if cell.address:
                value = report.value(cell.address)
                text = "/" if value is NA else str(value if value is not None else 0)
                if cell.address == ("art20_9", "procurement", "amount") and value:
                    text += "万元"
            expected.append((cell.row, cell.col, cell.rowspan, cell.colspan, text))
        # a merged group label wraps after its ordinal: （三） over 不予公开
        assert [(r, c, rs, cs, t.replace("\n", "")) for r, c, rs, cs, t in table_cells(table)] == expected
        for r, tr in enumerate(table._tbl.tr_lst):
            assert sum(int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.tc_lst) == 8844
            assert tr.trPr.find(qn("w:cantSplit")) is not None
            assert (tr.trPr.find(qn("w:tblHeader")) is not None) == (r < layout.header_rows)
            keeps = {p.pPr.find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p"))}
            assert keeps == {r in plan.keep_next}, (layout.key, r)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_table_three_columns_hold_what_they_must(distinct):
    _layout, _texts, plan = build_plan(distinct, "requests")
    w = plan.widths
    # labels: 三、本年度办理结果 two characters a line, （三）不予公开 four, the rest to the row labels
    assert [round(ems(x), 1) for x in w[:2]] == [2.2, 4.2]
    assert ems(w[2]) > 7
    # the four organisation columns hold a four-character word and not five: 社会公益|组织, 法律服务|机构
    for col in (4, 5, 6, 7):
        assert 4 <= ems(w[col]) < 5
    assert ems(w[3]) >= 3  # 自然人
    assert ems(w[9]) >= text_ems("25053")  # 总计: its widest number
    assert sum(w) == 8844


def test_a_seven_digit_count_widens_its_column(distinct):
    distinct.set_cell(("requests", "received", "natural"), 1234567)
    layout, _texts, plan = build_plan(distinct, "requests")
    col = layout.positions[("requests", "received", "natural")][1]
    assert ems(plan.widths[col]) >= 3.5  # seven digits of half a character
    assert sum(plan.widths) == 8844


def test_table_four_is_small_and_tight(distinct_docx, distinct):
    table = Document(distinct_docx).tables[2]
    assert {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs} == {"表格小字"}
    margin = table._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left"))
    assert int(margin.get(qn("w:w"))) <= 34  # ≤ 0.6 mm
    _layout, _texts, plan = build_plan(distinct, "appeals")
    assert set(plan.widths) == {589, 590}  # 10.4 mm each


def test_table_four_gives_a_long_number_the_width_it_needs():
    layout = GOV_2021.layouts["appeals"]
    address = next(c.address for c in layout.cells if c.address)
    col = layout.positions[address][1]
    texts = {(c.row, c.col): ("1234567" if c.address == address else c.text) for c in layout.cells}
    widths = column_widths(layout, texts, 8844, size=9, cell_margin=34, narrow=True)
    assert ems(widths[col], 9) >= 4 + 0.2  # wider than the number needs: 结果维持 whole, not 结果维/持
    assert sum(widths) == 8844
    assert min(ems(x, 9) for x in widths) >= 2  # the others still hold 结果/维持 two a line


def test_groups_stay_with_their_rows(distinct):
    layout, _texts, plan = build_plan(distinct, "requests")
    groups = {c.text: c for c in layout.cells if c.role is Role.LABEL and c.rowspan > 1}
    # a table starts with its header and three rows at least
    assert set(range(layout.header_rows + 2)) <= plan.keep_next
    # 三、本年度办理结果 (22 rows) and （三）不予公开 (8) are too tall to keep whole: set at their top,
    # kept with the first rows their lines need
    big, denied = groups["三、本年度办理结果"], groups["（三）不予公开"]
    assert plan.top_aligned == {(big.row, big.col), (denied.row, denied.col)}
    assert big.row in plan.keep_next and denied.row in plan.keep_next
    assert not set(range(denied.row + 3, denied.row + denied.rowspan)) <= plan.keep_next
    # the small groups stay whole: （四） 3 rows, （五） 5, （六） 3
    for text in ("（四）无法提供", "（五）不予处理", "（六）其他处理"):
        group = groups[text]
        assert set(range(group.row, group.row + group.rowspan - 1)) <= plan.keep_next, text
    assert layout.n_rows - 1 not in plan.keep_next


def test_headers_break_only_between_words():
    assert whole_words(3.5, "结果维持", 2) == 4  # three characters a line would cut 结果维|持
    assert whole_words(2.3, "结果维持", 2) == 2.3  # two a line: 结果|维持
    assert whole_words(4.0, "社会公益组织", 4) == 4.0  # 社会公益|组织
    assert whole_words(5.0, "社会公益组织", 4) == 6  # five a line would cut 社会公益组|织
    assert whole_words(3.0, "自然人", 4) == 3.0


def test_group_labels_break_after_their_ordinal_when_it_costs_no_line():
    assert split_label("（三）不予公开", 4) == ["（三）", "不予公开"]
    assert split_label("三、本年度办理结果", 2) == ["三、", "本年度办理结果"]
    assert split_label("三、本年度办理结果", 3) == ["三、本年度办理结果"]  # 3 lines whole, 4 broken
    assert split_label("（三）不予公开", 10) == ["（三）不予公开"]
    assert split_label("其他", 4) == ["其他"]


def test_blank_cells_print_as_chosen(distinct, tmp_path):
    distinct.set_cell(("requests", "received", "natural"), None)
    for blank, shown in (("0", "0"), ("/", "/"), ("", "")):
        path = tmp_path / f"b{len(blank)}{blank == '/'}.docx"
        write_docx(distinct, path, WordOptions(blank=blank))
        cells = {(r, c): t for r, c, _rs, _cs, t in table_cells(Document(path).tables[1])}
        assert cells[GOV_2021.layouts["requests"].positions[("requests", "received", "natural")]] == shown


def test_amounts_are_printed_exactly(distinct, tmp_path):
    from decimal import Decimal

    distinct.set_cell(("art20_8", "fees", "amount"), Decimal("24252.311082"))
    path = tmp_path / "a.docx"
    write_docx(distinct, path)
    texts = [t for *_x, t in table_cells(Document(path).tables[0])]
    assert "24252.311082" in texts


def body_paragraphs(path: Path) -> list[str]:
    return [paragraph_text(p._p) for p in Document(path).paragraphs]


def right_indent(paragraph) -> int:
    return int(paragraph._p.pPr.find(qn("w:ind")).get(qn("w:right")))


def test_text_title_headings_and_signature(distinct, distinct_docx):
    texts = body_paragraphs(distinct_docx)
    assert texts[0] == "示例县交通运输局2026年政府信息公开工作年度报告"
    assert texts[1] == ""
    assert texts[2].startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert texts[-3:] == ["", "示例县交通运输局", "2027年1月22日"]  # 正文下空一行
    doc = Document(distinct_docx)
    title = doc.paragraphs[0]
    # 23 characters of 二号 do not fit the 20 a line holds: broken between the agency and the rest
    assert [r.text for r in title.runs] == ["示例县交通运输局\n", "2026年政府信息公开工作年度报告"]
    assert title._p.xml.count("<w:br/>") == 1
    name, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert name.alignment == date.alignment == 2  # right
    # the date (7.56 characters as rendered) is within two of the name (8): the date 右空二字 and the name
    # moves left to keep the date's first character two characters right of the name's
    assert right_indent(date) == round(2 * 15.75 * 20)
    assert right_indent(name) == pytest.approx(round(3.56 * 15.75 * 20), abs=8)
    assert name.paragraph_format.keep_with_next
    assert all(p.paragraph_format.keep_with_next for p in doc.paragraphs[-4:-1])  # last text line, blank, name


def test_signature_width_counts_the_space_between_chinese_and_digits(distinct):
    builder = WordBuilder(distinct)
    assert builder.text_width_chars("示例县交通运输局") == 8
    # 3 Chinese + 7 digits of 7.75 pt + 5 gaps of 3.52 pt (LibreOffice, measured), in characters of 15.75 pt
    assert builder.text_width_chars("2027年1月22日") == pytest.approx((3 * 15.75 + 7 * 7.75 + 5 * 3.52) / 15.75)
    assert builder.text_width_chars("二〇二七年一月二十二日") == 11


def test_signature_indents():
    # a long name: name 2, the date's first character two right of the name's
    assert signature_indents(12, 7.5) == (2.0, 4.5)
    # the date within two of the name's length, or longer (a short name): the date 右空二字 and the
    # name's right indent grows — never centred (that is the sealed rule)
    assert signature_indents(8, 7.5) == (3.5, 2.0)
    assert signature_indents(4, 7.5) == (7.5, 2.0)
    for name, date in ((12, 7.5), (8, 7.5), (4, 7.5), (3, 11)):
        name_right, date_right = signature_indents(name, date)
        assert (name_right + name) - (date_right + date) == 2  # first characters two apart
        assert min(name_right, date_right) == 2
    # sealed (7.3.5.1): the date 右空四字, the name centred over it; a name too long for that 右空二字
    assert signature_indents(4, 7.5, sealed=True) == (5.75, 4.0)
    assert signature_indents(10, 7.5, sealed=True) == (2.75, 4.0)
    assert signature_indents(20, 7.5, sealed=True) == (2.0, 8.25)


def test_sealed_signature_leaves_room_for_the_seal(distinct, tmp_path):
    path = tmp_path / "sealed.docx"
    write_docx(distinct, path, WordOptions(profile=BUILTIN["gbt9704-sealed"]))
    doc = Document(path)
    texts = body_paragraphs(path)
    assert texts[-4:] == ["", "", "示例县交通运输局", "2027年1月22日"]  # the seal's top within a line of the text
    assert right_indent(doc.paragraphs[-1]) == 4 * 315
    name_width, date_width = 8, WordBuilder(distinct).text_width_chars("2027年1月22日")
    assert right_indent(doc.paragraphs[-2]) == round((4 + (date_width - name_width) / 2) * 315)


def test_dates_in_hanzi():
    assert hanzi_date(dt.date(2027, 1, 20)) == "二〇二七年一月二十日"
    assert hanzi_date(dt.date(2020, 12, 31)) == "二〇二〇年十二月三十一日"
    assert hanzi_date(dt.date(2031, 10, 5)) == "二〇三一年十月五日"
    assert hanzi_date(dt.date(2027, 11, 11)) == "二〇二七年十一月十一日"


def test_the_profile_choices_reach_the_document(distinct, tmp_path):
    profile = replace(GB_T_9704, date_style="chinese", page_numbers="centre", body_font="方正仿宋_GBK",
                      margin_left=30, margin_right=24)
    distinct.set_profile(profile)
    path = tmp_path / "house.docx"
    write_docx(distinct, path)  # the report's own profile
    doc = Document(path)
    assert body_paragraphs(path)[-1] == "二〇二七年一月二十二日"
    assert style(doc, "Normal").rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正仿宋_GBK"
    section = doc.sections[0]
    assert (section.left_margin.twips, section.right_margin.twips) == (1701, 1361)
    assert not doc.settings.odd_and_even_pages_header_footer  # one footer, centred
    assert section.footer.paragraphs[0].alignment == 1
    assert section.footer.paragraphs[0]._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) is None
    from export.preview_html import report_html

    assert "二〇二七年一月二十二日" in report_html(distinct)  # the window's preview writes the date the same way
    # a profile named by the caller wins over the report's
    other = tmp_path / "standard.docx"
    write_docx(distinct, other, WordOptions(profile=GB_T_9704))
    assert body_paragraphs(other)[-1] == "2027年1月22日"


def test_run_in_headings(tmp_path, distinct):
    distinct.set_text("overview", "　　（一）加强组织领导，落实信息公开要求。局党组高度重视。\n\n一、没有句号的标题\n1.普通段落。")
    path = tmp_path / "h.docx"
    write_docx(distinct, path)
    doc = Document(path)
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert [r.text for r in paragraph.runs] == ["（一）加强组织领导，落实信息公开要求。", "局党组高度重视。"]
    assert paragraph.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    assert paragraph.runs[1]._r.rPr is None  # the body font, from the style
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、没有"))
    assert heading.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("1.普通"))
    assert body.runs[0]._r.rPr is None
    assert "" not in [p.text for p in doc.paragraphs[2:6]]  # empty lines dropped


def test_paragraph_rules():
    assert [p.text for p in paragraphs(" \t　一、总体。正文\n\n  （二）标题。正文\n")] == ["一、总体。正文", "（二）标题。正文"]
    assert split_heading("一、总体情况").head == "一、总体情况"
    assert split_heading("（1）不算标题。").level == 0
    assert split_heading("1.不算标题。").level == 0
    assert split_heading("(三)半角括号。后文").head == "(三)半角括号。"


def test_footer_page_numbers(distinct_docx):
    section = Document(distinct_docx).sections[0]
    for footer, align, side in ((section.footer, 2, "rightChars"), (section.even_page_footer, 0, "leftChars")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        indent = paragraph._p.pPr.find(qn("w:ind"))
        assert (indent.get(qn(f"w:{side}")), indent.get(qn(f"w:{side[:-5]}"))) == ("100", "280")  # one 四号 character
        xml = paragraph._p.xml
        assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="separate"') == xml.count('w:fldCharType="end"') == 1
        assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in xml
        assert paragraph_text(paragraph._p) == "— 1 —"
        assert paragraph.style.name == "Footer"
        assert not list(paragraph._p.iter(qn("w:rPr")))  # every run in the style's 宋体


def test_seed_example_every_paragraph_and_label_in_order(example, tmp_path):
    path = tmp_path / "seed.docx"
    write_docx(example, path)
    texts = body_paragraphs(path)
    assert texts[0] == "县商务局2019年政府信息公开工作年度报告"
    expected = [p for key in ("overview", "problems", "other_matters") for p in example.text[key].split("\n")]
    found = [t for t in texts if t in expected]
    assert found == expected
    doc = Document(path)
    for table, layout in zip(doc.tables, GOV_2019.layouts.values(), strict=True):
        labels = [c.text for c in sorted(layout.cells, key=lambda c: (c.row, c.col)) if not c.address]
        cells = [t.replace("\n", "") for *_x, t in table_cells(table)]
        assert [t for t in cells if t in labels or not t.replace(".", "").isdigit()] == labels
    assert texts[-2:] == ["城步苗族自治县商务局", "2020年2月12日"]


def test_default_export_name(distinct):
    assert default_export_name(distinct, ".docx") == "示例县交通运输局2026年政府信息公开工作年度报告.docx"
    distinct.set_meta(agency="某局/办公室")
    assert default_export_name(distinct, ".docx") == "某局_办公室2026年政府信息公开工作年度报告.docx"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_file_gets_the_users_permissions(distinct, tmp_path):
    old = os.umask(0o027)
    try:
        path = tmp_path / "new.docx"
        write_docx(distinct, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640  # 0666 less the umask, not a temporary file's 0600
        os.umask(0o022)
        other = tmp_path / "other.docx"
        write_docx(distinct, other)
        assert stat.S_IMODE(other.stat().st_mode) == 0o644
        other.chmod(0o600)  # a file the user made private stays private when it is replaced
        write_docx(distinct, other)
        assert stat.S_IMODE(other.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_write_is_atomic_and_failures_leave_the_old_file(distinct, tmp_path):
    path = tmp_path / "r.docx"
    path.write_bytes(b"old")
    with pytest.raises(store.StoreError, match="不存在"):
        write_docx(distinct, tmp_path / "missing" / "r.docx")
    if os.name == "posix" and os.geteuid() != 0:  # root ignores permissions (Windows: no read-only folders)
        tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            with pytest.raises(store.StoreError):
                write_docx(distinct, path)
        finally:
            tmp_path.chmod(stat.S_IRWXU)
        assert path.read_bytes() == b"old"


def test_a_failure_mid_write_leaves_the_old_file(distinct, tmp_path, monkeypatch):
    path = tmp_path / "r.docx"
    path.write_bytes(b"old")

    def broken(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", broken)  # what Windows says when Word has the file open
    with pytest.raises(store.StoreError) as caught:
        write_docx(distinct, path)
    assert "正被其他程序（如 Word、WPS）打开" in caught.value.message
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


def test_cli_export(distinct, tmp_path):
    good = tmp_path / "good.nianbao"
    store.save(distinct, good)
    out = tmp_path / "out.docx"
    result = run_cli("export", str(good), "--docx", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert Document(out).paragraphs[0].text.startswith("示例县交通运输局")
    distinct.set_cell(("requests", "received", "natural"), 1)
    bad = tmp_path / "bad.nianbao"
    store.save(distinct, bad)
    refused = tmp_path / "refused.docx"
    result = run_cli("export", str(bad), "--docx", str(refused))
    assert result.returncode == 1
    assert "报告有 1 个错误，未导出" in result.stderr.decode()
    assert not refused.exists()
    assert run_cli("export", str(bad), "--docx", str(refused), "--allow-errors").returncode == 0
    assert refused.exists()
    assert run_cli("export", str(good), "--docx", str(tmp_path / "nope" / "x.docx")).returncode == 2
    assert run_cli("export", str(tmp_path / "none.nianbao"), "--docx", str(out)).returncode == 2
    assert run_cli("export", str(good)).returncode == 2


def test_cli_export_with_a_profile(distinct, tmp_path):
    good = tmp_path / "good.nianbao"
    store.save(distinct, good)
    sealed = tmp_path / "sealed.docx"
    assert run_cli("export", str(good), "--docx", str(sealed), "--profile", "gbt9704-sealed").returncode == 0
    assert right_indent(Document(sealed).paragraphs[-1]) == 4 * 315  # 成文日期右空四字
    house = tmp_path / "公开办.json"
    house.write_text('{"nianbao_profile": 1, "name": "某市公开办", "date_style": "chinese"}', encoding="utf-8")
    out = tmp_path / "house.docx"
    result = run_cli("export", str(good), "--docx", str(out), "--profile", str(house))
    assert result.returncode == 0, result.stderr.decode()
    assert body_paragraphs(out)[-1] == "二〇二七年一月二十二日"
    result = run_cli("export", str(good), "--docx", str(out), "--profile", "gbt9999")
    assert result.returncode == 2
    assert "未知的版式“gbt9999”" in result.stderr.decode()
    house.write_text('{"nianbao_profile": 1, "body_size": 99}', encoding="utf-8")
    result = run_cli("export", str(good), "--docx", str(tmp_path / "never.docx"), "--profile", str(house))
    assert result.returncode == 2
    assert "正文字号99磅超出范围" in result.stderr.decode()
    assert not (tmp_path / "never.docx").exists()


def test_title_with_a_line_break(distinct, tmp_path):
    distinct.set_meta(title="示例县交通运输局\n2026年政府信息公开工作年度报告", date=dt.date(2027, 1, 20))
    path = tmp_path / "t.docx"
    write_docx(distinct, path)
    title = Document(path).paragraphs[0]
    assert title._p.xml.count("<w:br/>") == 1
    assert paragraph_text(title._p) == "示例县交通运输局2026年政府信息公开工作年度报告"


def test_a_short_title_stays_on_one_line(example, tmp_path):
    path = tmp_path / "t.docx"
    write_docx(example, path)  # 县商务局2019年政府信息公开工作年度报告: 19 characters' width
    assert "<w:br/>" not in Document(path).paragraphs[0]._p.xml
