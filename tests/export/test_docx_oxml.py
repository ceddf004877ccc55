"""The raw OOXML helper layer: each function's XML, asserted."""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from export import docx_oxml as ox

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def attrs(element) -> dict[str, str]:
    return {key.replace(W, ""): value for key, value in element.attrib.items()}


def test_fonts_put_chinese_into_east_asia_and_drop_theme_fonts():
    rpr = parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="22"/>'
                    '<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/></w:rPr>')
    ox.set_fonts(rpr, latin="Times New Roman", east_asia="仿宋_GB2312")
    fonts = rpr.find(qn("w:rFonts"))
    assert attrs(fonts) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "仿宋_GB2312",
                            "cs": "Times New Roman", "hint": "eastAsia"}


def test_children_are_inserted_in_schema_order():
    rpr = OxmlElement("w:rPr")
    ox.set_size(rpr, 16)
    ox.set_language(rpr)
    ox.set_fonts(rpr, latin="A", east_asia="B")
    ox.set_char_spacing(rpr, -5)
    ox.child(rpr, "w:b")
    assert [c.tag.replace(W, "") for c in rpr] == ["rFonts", "b", "spacing", "sz", "szCs", "lang"]
    assert attrs(rpr.find(qn("w:sz"))) == {"val": "32"}
    assert attrs(rpr.find(qn("w:spacing"))) == {"val": "-5"}
    assert attrs(rpr.find(qn("w:lang"))) == {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"}
    ppr = OxmlElement("w:pPr")
    ox.child(ppr, "w:jc")
    ox.set_indent(ppr, first_line_chars=2)
    ox.set_spacing_exact(ppr, 579)
    ox.set_snap_to_grid(ppr, False)
    assert [c.tag.replace(W, "") for c in ppr] == ["snapToGrid", "spacing", "ind", "jc"]


def test_page_and_grid():
    sect = parse_xml(f'<w:sectPr {nsdecls("w")}><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440"/>'
                     '<w:cols w:space="720"/><w:docGrid w:linePitch="360" w:charSpace="100"/></w:sectPr>')
    ox.set_page(sect, width=11906, height=16838, top=2098, bottom=1984, left=1587, right=1474, header=851, footer=992)
    ox.set_doc_grid(sect, line_pitch=579)
    assert attrs(sect.find(qn("w:pgSz"))) == {"w": "11906", "h": "16838"}
    assert attrs(sect.find(qn("w:pgMar"))) == {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474",
                                               "header": "851", "footer": "992", "gutter": "0"}
    assert attrs(sect.find(qn("w:docGrid"))) == {"type": "lines", "linePitch": "579"}


def test_indents_are_explicit_in_characters_and_twips():
    ppr = OxmlElement("w:pPr")
    ox.set_indent(ppr, first_line_chars=2, char_twips=316)
    assert attrs(ppr.find(qn("w:ind"))) == {"firstLineChars": "200", "firstLine": "632"}
    ox.set_indent(ppr)
    assert attrs(ppr.find(qn("w:ind"))) == {"firstLineChars": "0", "firstLine": "0"}
    ox.set_indent(ppr, right_chars=2.5, char_twips=316)
    assert attrs(ppr.find(qn("w:ind"))) == {"firstLineChars": "0", "firstLine": "0", "rightChars": "250", "right": "790"}


def test_fixed_table_grid_widths_borders_and_rows():
    from docx import Document

    table = Document().add_table(rows=2, cols=3)
    tbl = table._tbl
    ox.set_table_fixed(tbl, widths=[4000, 2422, 2422], cell_margin=34)
    tbl_pr = tbl.tblPr
    assert attrs(tbl_pr.find(qn("w:tblW"))) == {"w": "8844", "type": "dxa"}
    assert attrs(tbl_pr.find(qn("w:tblLayout"))) == {"type": "fixed"}
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert [c.tag.replace(W, "") for c in borders] == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert all(attrs(b) == {"val": "single", "sz": "4", "space": "0", "color": "000000"} for b in borders)
    assert attrs(tbl_pr.find(qn("w:tblCellMar")).find(qn("w:left"))) == {"w": "34", "type": "dxa"}
    assert [attrs(col)["w"] for col in tbl.tblGrid] == ["4000", "2422", "2422"]
    order = [c.tag.replace(W, "") for c in tbl_pr]
    assert order.index("tblW") < order.index("tblBorders") < order.index("tblLayout") < order.index("tblCellMar")
    tr = tbl.tr_lst[0]
    ox.set_row_flags(tr, header=True)
    assert [c.tag.replace(W, "") for c in tr.trPr] == ["cantSplit", "tblHeader"]
    ox.set_row_flags(tbl.tr_lst[1], header=False)
    assert [c.tag.replace(W, "") for c in tbl.tr_lst[1].trPr] == ["cantSplit"]
    tc = tr.tc_lst[0]
    ox.set_cell_vertical_centre(tc)
    ox.set_cell_width(tc, 4000)
    assert [c.tag.replace(W, "") for c in tc.tcPr] == ["tcW", "vAlign"]
    assert attrs(tc.tcPr.find(qn("w:tcW"))) == {"w": "4000", "type": "dxa"}


def test_the_page_field_is_complete():
    p = OxmlElement("w:p")
    ox.add_page_field(p, lambda: ox.run_properties(latin="Times New Roman", east_asia="宋体", points=14))
    runs = p.findall(qn("w:r"))
    assert len(runs) == 5
    kinds = []
    for run in runs:
        assert run[0].tag == qn("w:rPr")
        assert run[0].find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
        element = run[1]
        kinds.append(element.get(qn("w:fldCharType")) or element.tag.replace(W, "") + ":" + element.text)
    assert kinds == ["begin", "instrText: PAGE ", "separate", "t:1", "end"]
