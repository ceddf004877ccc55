"""The raw OOXML helper layer: each function's XML, asserted."""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from export import docx_oxml as ox

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def attrs(element) -> dict[str, str]:
    return {key.replace(W, ""): value for key, value in element.attrib.items()}


def tags(element) -> list[str]:
    return [c.tag.replace(W, "") for c in element]


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
    assert tags(rpr) == ["rFonts", "b", "spacing", "sz", "szCs", "lang"]
    assert attrs(rpr.find(qn("w:sz"))) == {"val": "32"}
    assert attrs(rpr.find(qn("w:spacing"))) == {"val": "-5"}
    assert attrs(rpr.find(qn("w:lang"))) == {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"}
    ppr = OxmlElement("w:pPr")
    ox.child(ppr, "w:jc")
    ox.set_indent(ppr, first_line_chars=2)
    ox.set_spacing_exact(ppr, 579)
    ox.set_flag(ppr, "w:snapToGrid", False)
    ox.set_flag(ppr, "w:keepNext", True)
    assert tags(ppr) == ["keepNext", "snapToGrid", "spacing", "ind", "jc"]
    assert attrs(ppr.find(qn("w:snapToGrid"))) == {"val": "0"}
    assert attrs(ppr.find(qn("w:spacing"))) == {"line": "579", "lineRule": "exact", "before": "0", "after": "0"}


def test_doc_defaults_name_fonts_size_and_language():
    styles = parse_xml(f'<w:styles {nsdecls("w")}><w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault>'
                       '<w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults></w:styles>')
    ox.set_doc_defaults(styles, latin="Times New Roman", east_asia="仿宋_GB2312", points=16)
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert tags(rpr) == ["rFonts", "sz", "szCs", "lang"]
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert attrs(styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}spacing")) == {"before": "0", "after": "0"}


def test_page_and_grid():
    sect = parse_xml(f'<w:sectPr {nsdecls("w")}><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440"/>'
                     '<w:cols w:space="720"/><w:docGrid w:linePitch="360" w:charSpace="100"/></w:sectPr>')
    ox.set_page(sect, width=11906, height=16838, top=2098, bottom=1984, left=1587, right=1474, header=851, footer=1223)
    ox.set_doc_grid(sect, line_pitch=579)
    assert attrs(sect.find(qn("w:pgSz"))) == {"w": "11906", "h": "16838"}
    assert attrs(sect.find(qn("w:pgMar"))) == {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474",
                                               "header": "851", "footer": "1223", "gutter": "0"}
    assert attrs(sect.find(qn("w:docGrid"))) == {"type": "lines", "linePitch": "579"}


def test_indents_are_explicit_in_characters_and_twips():
    ppr = OxmlElement("w:pPr")
    ox.set_indent(ppr, first_line_chars=2, char_twips=316)
    assert attrs(ppr.find(qn("w:ind"))) == {"firstLineChars": "200", "firstLine": "632"}
    ox.set_indent(ppr)
    assert attrs(ppr.find(qn("w:ind"))) == {"firstLineChars": "0", "firstLine": "0"}
    ox.set_indent(ppr, right_chars=1, char_twips=280)
    assert attrs(ppr.find(qn("w:ind"))) == {"firstLineChars": "0", "firstLine": "0", "rightChars": "100", "right": "280"}
    ox.set_right_indent(ppr, 1121)  # measured in twips: no character unit for Word to reckon in its own way
    assert attrs(ppr.find(qn("w:ind"))) == {"right": "1121", "firstLine": "0"}


def test_paragraphs_and_runs():
    p = ox.paragraph("Heading1", [ox.run("一、总体情况")], align="center", keep_next=True)
    assert tags(p) == ["pPr", "r"]
    assert tags(p.find(qn("w:pPr"))) == ["pStyle", "keepNext", "jc"]
    assert ox.paragraph().find(qn("w:pPr")) is None  # Normal, nothing said
    spaced = ox.run("— ")
    assert spaced.find(qn("w:t")).get(ox.XML_SPACE) == "preserve"
    head = ox.run("（一）标题。", ox.run_fonts(latin="Times New Roman", east_asia="楷体_GB2312"))
    ox.add_line_break(head)
    assert tags(head) == ["rPr", "t", "br"]
    assert head.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "楷体_GB2312"


def test_fixed_table_grid_widths_borders_and_rows():
    tbl = ox.new_table([4000, 2422, 2422], cell_margin=34)
    tbl_pr = tbl.find(qn("w:tblPr"))
    assert tags(tbl_pr) == ["tblW", "jc", "tblBorders", "tblLayout", "tblCellMar"]  # no tblLook, no tblStyle
    assert attrs(tbl_pr.find(qn("w:tblW"))) == {"w": "8844", "type": "dxa"}
    assert attrs(tbl_pr.find(qn("w:tblLayout"))) == {"type": "fixed"}
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert tags(borders) == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert all(attrs(b) == {"val": "single", "sz": "4", "space": "0", "color": "000000"} for b in borders)
    assert tags(tbl_pr.find(qn("w:tblCellMar"))) == ["left", "right"]
    assert [attrs(col)["w"] for col in tbl.find(qn("w:tblGrid"))] == ["4000", "2422", "2422"]
    header, row = ox.table_row(header=True), ox.table_row(header=False)
    assert tags(header.find(qn("w:trPr"))) == ["cantSplit", "tblHeader"]
    assert tags(row.find(qn("w:trPr"))) == ["cantSplit"]
    tc = ox.table_cell(width=4844, colspan=2, vmerge="restart", valign="top")
    assert tags(tc.find(qn("w:tcPr"))) == ["tcW", "gridSpan", "vMerge", "vAlign"]
    assert attrs(tc.find(f"{W}tcPr/{W}vMerge")) == {"val": "restart"}
    assert attrs(tc.find(f"{W}tcPr/{W}vAlign")) == {"val": "top"}
    continued = ox.table_cell(width=2422, vmerge="continue")
    assert attrs(continued.find(f"{W}tcPr/{W}vMerge")) == {}
    assert attrs(continued.find(f"{W}tcPr/{W}vAlign")) == {"val": "center"}


def test_the_page_field_is_complete():
    p = OxmlElement("w:p")
    ox.add_page_field(p)
    kinds = []
    for run in p.findall(qn("w:r")):
        (element,) = list(run)  # no run properties: the footer style's 宋体 applies
        kinds.append(element.get(qn("w:fldCharType")) or element.tag.replace(W, "") + ":" + element.text)
    assert kinds == ["begin", "instrText: PAGE ", "separate", "t:1", "end"]


def test_font_table_entry_in_schema_order():
    font = ox.font_entry("仿宋_GB2312", alt="仿宋", panose="02010609030101010101", charset="86", family="modern",
                         pitch="fixed", sig=("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000"))
    assert font.get(qn("w:name")) == "仿宋_GB2312"
    assert tags(font) == ["altName", "panose1", "charset", "family", "pitch", "sig"]
    assert attrs(font.find(qn("w:sig")))["csb0"] == "00040000"  # GB2312
    latin = ox.font_entry("Times New Roman", alt=None, panose="02020603050405020304", charset="00", family="roman",
                          pitch="variable", sig=None)
    assert tags(latin) == ["panose1", "charset", "family", "pitch"]
