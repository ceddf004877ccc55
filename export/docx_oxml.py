"""The small raw-OOXML layer under the Word writer: what python-docx has no API for.

East Asian fonts (``w:eastAsia``) and the removal of theme fonts, the document grid, fixed table
grids with explicit cell widths, borders and cell margins, repeating header rows, rows that do not
split, the complete PAGE field, even/odd footers and the document language. Each function does one
thing to one element; tests assert the XML they write.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# Schema order of the children we touch (ECMA-376): Word refuses some files whose order is wrong.
_ORDER = {
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
             "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
             "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "w:rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
             "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
             "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
               "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "w:sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
                "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
                "printerSettings sectPrChange",
    "w:tblBorders": "top left start bottom right end insideH insideV",
    "w:tblCellMar": "top left start bottom right end",
    "w:docDefaults": "rPrDefault pPrDefault",
    "w:tc": "tcPr p tbl",
    "w:tr": "tblPrEx trPr tc",
}
_RANK = {qn(parent): {qn(f"w:{name}"): i for i, name in enumerate(names.split())} for parent, names in _ORDER.items()}


def child(parent: _Element, tag: str, *, first: bool = False) -> _Element:
    """The first ``tag`` child of ``parent``, created in its schema place when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = OxmlElement(tag)
    ranks = _RANK.get(parent.tag)
    if ranks is not None and found.tag in ranks:
        mine = ranks[found.tag]
        for i, sibling in enumerate(parent):
            if ranks.get(sibling.tag, -1) > mine:
                parent.insert(i, found)
                return found
        parent.append(found)
    elif first:
        parent.insert(0, found)
    else:
        parent.append(found)
    return found


def _set(element: _Element, **attributes: str | int) -> _Element:
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def set_fonts(rpr: _Element, *, latin: str, east_asia: str) -> _Element:
    """Explicit fonts: Latin/digits in ascii/hAnsi, Chinese in eastAsia; theme fonts removed
    (a theme attribute overrides the explicit name in Word)."""
    fonts = child(rpr, "w:rFonts", first=True)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    return _set(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def set_size(rpr: _Element, points: float) -> None:
    half_points = round(points * 2)
    _set(child(rpr, "w:sz"), val=half_points)
    _set(child(rpr, "w:szCs"), val=half_points)


def set_language(rpr: _Element, *, latin: str = "en-US", east_asia: str = "zh-CN") -> None:
    _set(child(rpr, "w:lang"), val=latin, eastAsia=east_asia, bidi="ar-SA")


def set_doc_defaults(styles: _Element, *, latin: str, east_asia: str, points: float) -> None:
    """The document defaults: explicit fonts (no theme), size, zh-CN, no spacing after paragraphs."""
    defaults = child(styles, "w:docDefaults", first=True)
    rpr = child(child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, latin=latin, east_asia=east_asia)
    set_size(rpr, points)
    set_language(rpr)
    ppr = child(child(defaults, "w:pPrDefault"), "w:pPr")
    spacing = child(ppr, "w:spacing")
    for name in ("after", "line", "lineRule"):
        spacing.attrib.pop(qn(f"w:{name}"), None)
    _set(spacing, before=0, after=0)


def set_page(sect_pr: _Element, *, width: int, height: int, top: int, bottom: int, left: int, right: int,
             header: int, footer: int) -> None:
    """Page size and margins in twips."""
    _set(child(sect_pr, "w:pgSz"), w=width, h=height)
    for name in ("orient", "code"):
        child(sect_pr, "w:pgSz").attrib.pop(qn(f"w:{name}"), None)
    _set(child(sect_pr, "w:pgMar"), top=top, bottom=bottom, left=left, right=right, header=header,
         footer=footer, gutter=0)


def set_doc_grid(sect_pr: _Element, *, line_pitch: int) -> None:
    """The line grid: ``lines`` with the line pitch in twips (22 lines on a GB/T 9704 page).

    Not ``linesAndChars``: LibreOffice puts a 16 pt glyph that is wider than the 15.8 pt character
    cell into two cells (14 characters a line); 28 characters come from the body's character
    spacing instead (:func:`set_char_spacing`), which Word, WPS and LibreOffice all honour.
    """
    grid = child(sect_pr, "w:docGrid")
    grid.attrib.pop(qn("w:charSpace"), None)
    _set(grid, type="lines", linePitch=line_pitch)


def set_char_spacing(rpr: _Element, twentieths: int) -> None:
    """Condense (negative) or expand each character by ``twentieths`` of a point."""
    _set(child(rpr, "w:spacing"), val=twentieths)


def set_spacing_exact(ppr: _Element, twips: int) -> None:
    spacing = child(ppr, "w:spacing")
    _set(spacing, line=twips, lineRule="exact", before=0, after=0)


def set_single_spacing(ppr: _Element) -> None:
    _set(child(ppr, "w:spacing"), line=240, lineRule="auto", before=0, after=0)


def set_indent(ppr: _Element, *, first_line_chars: int = 0, left_chars: int = 0, right_chars: int = 0,
               char_twips: int = 320) -> None:
    """Indents in characters (hundredths in ``*Chars``, with twips for programs that ignore them)."""
    indent = child(ppr, "w:ind")
    for name in list(indent.attrib):
        del indent.attrib[name]
    # always explicit: a style based on Normal would otherwise inherit its 2-character first-line indent
    _set(indent, firstLineChars=first_line_chars * 100, firstLine=first_line_chars * char_twips)
    if left_chars:
        _set(indent, leftChars=left_chars * 100, left=left_chars * char_twips)
    if right_chars:
        _set(indent, rightChars=round(right_chars * 100), right=round(right_chars * char_twips))


def set_snap_to_grid(ppr: _Element, snap: bool) -> None:
    set_flag(ppr, "w:snapToGrid", snap)


def set_punctuation_compression(settings: _Element) -> None:
    """``w:characterSpacingControl`` = compressPunctuation (Word: 字符间距控制 → 只压缩标点符号)."""
    control = settings.find(qn("w:characterSpacingControl"))
    if control is None:  # python-docx's template has one; its place in the schema is fixed
        raise ValueError("settings.xml has no characterSpacingControl")
    _set(control, val="compressPunctuation")


def set_flag(ppr: _Element, tag: str, on: bool) -> None:
    """An on/off paragraph property (snapToGrid, overflowPunct, …) set explicitly."""
    _set(child(ppr, tag), val=1 if on else 0)


def set_table_fixed(table: _Element, *, widths: list[int], borders_eighths: int = 4,
                    cell_margin: int | None = None) -> None:
    """A fixed-layout table: total width, a gridCol per column, 0.5 pt borders, cell margins."""
    tbl_pr = table.find(qn("w:tblPr"))
    assert tbl_pr is not None
    _set(child(tbl_pr, "w:tblW"), w=sum(widths), type="dxa")
    _set(child(tbl_pr, "w:jc"), val="center")
    _set(child(tbl_pr, "w:tblLayout"), type="fixed")
    borders = child(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set(child(borders, f"w:{side}"), val="single", sz=borders_eighths, space=0, color="000000")
    if cell_margin is not None:
        margins = child(tbl_pr, "w:tblCellMar")
        for side in ("left", "right"):
            _set(child(margins, f"w:{side}"), w=cell_margin, type="dxa")
    grid = table.find(qn("w:tblGrid"))
    assert grid is not None
    for col in list(grid):
        grid.remove(col)
    for width in widths:
        grid.append(_set(OxmlElement("w:gridCol"), w=width))


def set_cell_width(tc: _Element, twips: int) -> None:
    tc_pr = child(tc, "w:tcPr", first=True)
    _set(child(tc_pr, "w:tcW", first=True), w=twips, type="dxa")


def set_cell_vertical_centre(tc: _Element) -> None:
    _set(child(child(tc, "w:tcPr", first=True), "w:vAlign"), val="center")


def set_row_flags(tr: _Element, *, header: bool) -> None:
    """Rows never split across pages; header rows repeat at the top of each page."""
    tr_pr = child(tr, "w:trPr", first=True)
    child(tr_pr, "w:cantSplit")
    if header:
        child(tr_pr, "w:tblHeader")


def add_page_field(paragraph: _Element, rpr_factory, cached: str = "1") -> None:
    """The complete PAGE field: begin / instrText / separate / cached number / end (WPS needs all)."""

    def run(*children: _Element) -> _Element:
        r = OxmlElement("w:r")
        r.append(rpr_factory())
        for element in children:
            r.append(element)
        paragraph.append(r)
        return r

    run(_set(OxmlElement("w:fldChar"), fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    run(instr)
    run(_set(OxmlElement("w:fldChar"), fldCharType="separate"))
    text = OxmlElement("w:t")
    text.text = cached
    run(text)
    run(_set(OxmlElement("w:fldChar"), fldCharType="end"))


def run_properties(*, latin: str, east_asia: str, points: float, bold: bool = False) -> _Element:
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, latin=latin, east_asia=east_asia)
    if bold:
        child(rpr, "w:b")
    set_size(rpr, points)
    return rpr


def table_cell(*, width: int, colspan: int = 1, vmerge: str | None = None) -> _Element:
    """A ``w:tc`` with its width (a merged cell: the sum), span and vertical merge, centred vertically."""
    tc = OxmlElement("w:tc")
    tc_pr = child(tc, "w:tcPr")
    _set(child(tc_pr, "w:tcW"), w=width, type="dxa")
    if colspan > 1:
        _set(child(tc_pr, "w:gridSpan"), val=colspan)
    if vmerge == "restart":
        _set(child(tc_pr, "w:vMerge"), val="restart")
    elif vmerge == "continue":
        child(tc_pr, "w:vMerge")
    _set(child(tc_pr, "w:vAlign"), val="center")
    return tc


def text_paragraph(text: str, *, style_id: str, align: str | None = None, bold: bool = False) -> _Element:
    """A ``w:p`` in a paragraph style, with one run of text (none when the text is empty)."""
    p = OxmlElement("w:p")
    ppr = child(p, "w:pPr")
    _set(child(ppr, "w:pStyle"), val=style_id)
    if align:
        _set(child(ppr, "w:jc"), val=align)
    if text:
        r = OxmlElement("w:r")
        if bold:
            child(child(r, "w:rPr"), "w:b")
        t = OxmlElement("w:t")
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
        p.append(r)
    return p
