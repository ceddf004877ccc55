"""The Word export read back with python-docx: page, styles, tables, signature, footer, atomic writes."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from export.docx_profile import GB_T_9704
from export.docx_writer import WordOptions, column_widths, default_export_name, signature_indents, write_docx
from export.text import paragraphs, split_heading
from model import store
from model.formats import GOV_2019, GOV_2021
from model.values import NA
from tests.conftest import run_cli
from tests.export.docx_helpers import paragraph_text, table_cells

ROOT = Path(__file__).resolve().parents[2]


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
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    assert doc.settings.odd_and_even_pages_header_footer


def test_styles_name_their_fonts_explicitly(distinct_docx):
    doc = Document(distinct_docx)
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert not any(fonts.get(qn(a)) for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"))
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    expected = {"Normal": ("仿宋_GB2312", "32"), "报告标题": ("方正小标宋简体", "44"), "一级标题": ("黑体", "32"),
                "表格文字": ("仿宋_GB2312", "21"), "表格小字": ("仿宋_GB2312", "18"), "页码": ("宋体", "28")}
    for name, (font, size) in expected.items():
        rpr = doc.styles[name].element.rPr
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:ascii")) == "Times New Roman", name
        assert rpr.find(qn("w:sz")).get(qn("w:val")) == size, name
    normal = doc.styles["Normal"].element.pPr
    assert normal.find(qn("w:spacing")).get(qn("w:line")) == "579"
    assert normal.find(qn("w:spacing")).get(qn("w:lineRule")) == "exact"
    assert normal.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert doc.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(GB_T_9704.char_spacing)
    assert doc.styles["表格文字"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"


def test_character_spacing_fits_28_characters():
    p = GB_T_9704
    pitch = p.body_size * 20 + p.char_spacing  # twentieths of a point
    assert pitch * 28 <= p.text_width < pitch * 29


@pytest.mark.parametrize("fmt_fixture", ["distinct", "example"])
def test_tables_equal_the_layouts(fmt_fixture, request, tmp_path):
    report = request.getfixturevalue(fmt_fixture)
    path = tmp_path / "r.docx"
    write_docx(report, path)
    doc = Document(path)
    layouts = list(report.format.layouts.values())
    assert len(doc.tables) == 3
    for table, layout in zip(doc.tables, layouts, strict=True):
        widths = column_widths(layout, 8844)
        assert sum(widths) == 8844
        assert [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid] == widths
        expected = []
        for cell in sorted(layout.cells, key=lambda c: (c.row, c.col)):
            text = cell.text
            if cell.address:
                value = report.value(cell.address)
                text = "/" if value is NA else str(value if value is not None else 0)
                if cell.address == ("art20_9", "procurement", "amount") and value:
                    text += "万元"
            expected.append((cell.row, cell.col, cell.rowspan, cell.colspan, text))
        assert table_cells(table) == expected
        for r, tr in enumerate(table._tbl.tr_lst):
            assert sum(int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.tc_lst) == 8844
            assert tr.trPr.find(qn("w:cantSplit")) is not None
            assert (tr.trPr.find(qn("w:tblHeader")) is not None) == (r < layout.header_rows)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_table_four_is_small_and_tight(distinct_docx):
    table = Document(distinct_docx).tables[2]
    assert {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs} == {"表格小字"}
    margin = table._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left"))
    assert int(margin.get(qn("w:w"))) <= 34  # ≤ 0.6 mm
    widths = column_widths(GOV_2021.layouts["appeals"], 8844)
    assert set(widths) == {589, 590}  # 10.4 mm each


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


def test_text_title_headings_and_signature(distinct, distinct_docx):
    texts = body_paragraphs(distinct_docx)
    assert texts[0] == "示例县交通运输局2026年政府信息公开工作年度报告"
    assert texts[1] == ""
    assert texts[2].startswith("本报告根据《中华人民共和国政府信息公开条例》")
    headings = [t for t in texts if t in {s.heading for s in GOV_2021.sections}]
    assert headings == [s.heading for s in GOV_2021.sections]
    assert texts[-2:] == ["示例县交通运输局", "2027年1月22日"]
    doc = Document(distinct_docx)
    title = doc.paragraphs[0]
    assert title.style.name == "报告标题"
    assert [r.text for r in title.runs] == ["示例县交通运输局2026年政府信息公开工作年度报告"] or \
        title._p.xml.count("<w:br/>") == 1  # broken between the agency and the rest when too long
    name, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert name.alignment == date.alignment == 2  # right
    assert name._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "250"
    assert date._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "200"
    assert name.paragraph_format.keep_with_next


def test_signature_indents():
    # name 8, date "2027年1月20日" = 6.5: the date would end 1.5 from the margin → date 2, name 2.5
    assert signature_indents(8, 6.5) == (2.5, 2.0)
    # a long name: name 2, the date's first character two right of the name's
    assert signature_indents(12, 6.5) == (2.0, 5.5)
    # a short name: the date 右空二字, the name centred over it
    assert signature_indents(3, 6.5) == (3.75, 2.0)


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
        assert paragraph._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "100"
        xml = paragraph._p.xml
        assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="separate"') == xml.count('w:fldCharType="end"') == 1
        assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in xml
        assert paragraph_text(paragraph._p) == "— 1 —"
        assert paragraph.style.name == "页码"


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
        assert [t for *_x, t in table_cells(table) if t in labels or not t.replace(".", "").isdigit()] == labels
    assert texts[-2:] == ["城步苗族自治县商务局", "2020年2月12日"]


def test_default_export_name(distinct):
    assert default_export_name(distinct, ".docx") == "示例县交通运输局2026年政府信息公开工作年度报告.docx"
    distinct.set_meta(agency="某局/办公室")
    assert default_export_name(distinct, ".docx") == "某局_办公室2026年政府信息公开工作年度报告.docx"


def test_write_is_atomic_and_failures_leave_the_old_file(distinct, tmp_path):
    path = tmp_path / "r.docx"
    path.write_bytes(b"old")
    with pytest.raises(store.StoreError, match="不存在"):
        write_docx(distinct, tmp_path / "missing" / "r.docx")
    if os.geteuid() != 0:  # root ignores permissions
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


def test_title_with_a_line_break(distinct, tmp_path):
    distinct.set_meta(title="示例县交通运输局\n2026年政府信息公开工作年度报告", date=dt.date(2027, 1, 20))
    path = tmp_path / "t.docx"
    write_docx(distinct, path)
    title = Document(path).paragraphs[0]
    assert title._p.xml.count("<w:br/>") == 1
    assert paragraph_text(title._p) == "示例县交通运输局2026年政府信息公开工作年度报告"
