"""The small raw-OOXML layer under the Word writer: what python-docx has no API for.

East Asian fonts (``w:eastAsia``) and the removal of theme fonts, the document grid, character
spacing, fixed tables with explicit cell widths, borders and cell margins, rows that repeat, do not
split or keep with the next, the complete PAGE field, and the font table's substitution hints. Each
function does one thing to one element; tests assert the XML they write.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

from model.values import clean_text

THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

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
    "w:trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "w:sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
                "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
                "printerSettings sectPrChange",
    "w:tblBorders": "top left start bottom right end insideH insideV",
    "w:tblCellMar": "top left start bottom right end",
    "w:docDefaults": "rPrDefault pPrDefault",
    "w:font": "altName panose1 charset family notTrueType pitch sig embedRegular embedBold embedItalic embedBoldItalic",
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


def element(tag: str, **attributes: str | int) -> _Element:
    return _set(OxmlElement(tag), **attributes)


# ---- runs and paragraph properties -------------------------------------------------------------


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


def set_char_spacing(rpr: _Element, twentieths: int) -> None:
    """Condense (negative) or expand each character by ``twentieths`` of a point (0: as the font)."""
    _set(child(rpr, "w:spacing"), val=twentieths)


def set_doc_defaults(styles: _Element, *, latin: str, east_asia: str, points: float) -> None:
    """The document defaults: explicit fonts (no theme), size, zh-CN, no spacing around paragraphs."""
    defaults = child(styles, "w:docDefaults", first=True)
    rpr = child(child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, latin=latin, east_asia=east_asia)
    set_size(rpr, points)
    set_language(rpr)
    ppr = child(child(defaults, "w:pPrDefault"), "w:pPr")
    _set(child(ppr, "w:spacing"), before=0, after=0)


def set_spacing_exact(ppr: _Element, twips: int) -> None:
    _set(child(ppr, "w:spacing"), line=twips, lineRule="exact", before=0, after=0)


def set_single_spacing(ppr: _Element) -> None:
    _set(child(ppr, "w:spacing"), line=240, lineRule="auto", before=0, after=0)


def set_indent(ppr: _Element, *, first_line_chars: int = 0, left_chars: float = 0, right_chars: float = 0,
               char_twips: int = 320) -> None:
    """Indents in characters (hundredths in ``*Chars``, with twips for programs that ignore them)."""
    indent = child(ppr, "w:ind")
    for name in list(indent.attrib):
        del indent.attrib[name]
    # always explicit: a style based on Normal would otherwise inherit its 2-character first-line indent
    _set(indent, firstLineChars=first_line_chars * 100, firstLine=first_line_chars * char_twips)
    if left_chars:
        _set(indent, leftChars=round(left_chars * 100), left=round(left_chars * char_twips))
    if right_chars:
        _set(indent, rightChars=round(right_chars * 100), right=round(right_chars * char_twips))


def set_right_indent(ppr: _Element, twips: int) -> None:
    """A right indent in twips alone: measured positions (the signature) that an indent in whole
    characters, which Word reckons in its own character unit, would not keep."""
    indent = child(ppr, "w:ind")
    for name in list(indent.attrib):
        del indent.attrib[name]
    _set(indent, right=twips, firstLine=0)


def set_flag(ppr: _Element, tag: str, on: bool) -> None:
    """An on/off property (snapToGrid, overflowPunct, keepNext, …) set explicitly."""
    _set(child(ppr, tag), val=1 if on else 0)


def set_doc_grid(sect_pr: _Element, *, line_pitch: int) -> None:
    """The line grid: ``lines`` with the line pitch in twips (22 lines on a GB/T 9704 page).

    Not ``linesAndChars``: LibreOffice puts a 16 pt glyph that is wider than the 15.8 pt character
    cell into two cells (14 characters a line); 28 characters come from the body's character
    spacing instead (:func:`set_char_spacing`), which Word, WPS and LibreOffice all honour.
    """
    grid = child(sect_pr, "w:docGrid")
    grid.attrib.pop(qn("w:charSpace"), None)
    _set(grid, type="lines", linePitch=line_pitch)


def set_page(sect_pr: _Element, *, width: int, height: int, top: int, bottom: int, left: int, right: int,
             header: int, footer: int) -> None:
    """Page size and margins in twips."""
    _set(child(sect_pr, "w:pgSz"), w=width, h=height)
    _set(child(sect_pr, "w:pgMar"), top=top, bottom=bottom, left=left, right=right, header=header,
         footer=footer, gutter=0)


# ---- body content ------------------------------------------------------------------------------


def run(text: str, rpr: _Element | None = None) -> _Element:
    """A run of text, without what XML cannot hold (values.clean_text; a line break inside a run is a space)."""
    r = OxmlElement("w:r")
    if rpr is not None:
        r.append(rpr)
    t = OxmlElement("w:t")
    text = clean_text(text)
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    r.append(t)
    return r


def run_fonts(*, latin: str, east_asia: str) -> _Element:
    """Run properties naming only the fonts (a run-in heading inside a body paragraph)."""
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, latin=latin, east_asia=east_asia)
    return rpr


def paragraph(style_id: str | None = None, runs: Iterable[_Element] = (), *, align: str | None = None,
              keep_next: bool = False) -> _Element:
    """A ``w:p`` in a paragraph style (Normal when None) holding ``runs``."""
    p = OxmlElement("w:p")
    if style_id or align or keep_next:
        ppr = child(p, "w:pPr")
        if style_id:
            _set(child(ppr, "w:pStyle"), val=style_id)
        if keep_next:
            child(ppr, "w:keepNext")
        if align:
            _set(child(ppr, "w:jc"), val=align)
    for r in runs:
        p.append(r)
    return p


def add_line_break(r: _Element) -> None:
    r.append(OxmlElement("w:br"))


def add_page_field(p: _Element, cached: str = "1") -> None:
    """The complete PAGE field: begin / instrText / separate / cached number / end (WPS needs all)."""
    begin, separate, end = (element("w:fldChar", fldCharType=kind) for kind in ("begin", "separate", "end"))
    instr = OxmlElement("w:instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = " PAGE "
    number = OxmlElement("w:t")
    number.text = cached
    for part in (begin, instr, separate, number, end):
        r = OxmlElement("w:r")
        r.append(part)
        p.append(r)


# ---- tables ------------------------------------------------------------------------------------


def new_table(widths: list[int], *, borders_eighths: int = 4, cell_margin: int | None = None) -> _Element:
    """An empty fixed-layout table: total width, centred, a gridCol per column, 0.5 pt black borders,
    left/right cell margins. WPS sizes a table from its grid, Word from the cell widths: both given."""
    tbl = OxmlElement("w:tbl")
    tbl_pr = child(tbl, "w:tblPr")
    _set(child(tbl_pr, "w:tblW"), w=sum(widths), type="dxa")
    _set(child(tbl_pr, "w:jc"), val="center")
    borders = child(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set(child(borders, f"w:{side}"), val="single", sz=borders_eighths, space=0, color="000000")
    _set(child(tbl_pr, "w:tblLayout"), type="fixed")
    if cell_margin is not None:
        margins = child(tbl_pr, "w:tblCellMar")
        for side in ("left", "right"):
            _set(child(margins, f"w:{side}"), w=cell_margin, type="dxa")
    grid = child(tbl, "w:tblGrid")
    for width in widths:
        grid.append(element("w:gridCol", w=width))
    return tbl


def table_row(*, header: bool) -> _Element:
    """A ``w:tr`` that never splits across pages; a header row repeats at the top of each page."""
    tr = OxmlElement("w:tr")
    tr_pr = child(tr, "w:trPr")
    child(tr_pr, "w:cantSplit")
    if header:
        child(tr_pr, "w:tblHeader")
    return tr


def table_cell(*, width: int, colspan: int = 1, vmerge: str | None = None, valign: str = "center") -> _Element:
    """A ``w:tc`` with its width (a merged cell: the sum), span, vertical merge and alignment."""
    tc = OxmlElement("w:tc")
    tc_pr = child(tc, "w:tcPr")
    _set(child(tc_pr, "w:tcW"), w=width, type="dxa")
    if colspan > 1:
        _set(child(tc_pr, "w:gridSpan"), val=colspan)
    if vmerge == "restart":
        _set(child(tc_pr, "w:vMerge"), val="restart")
    elif vmerge == "continue":
        child(tc_pr, "w:vMerge")
    _set(child(tc_pr, "w:vAlign"), val=valign)
    return tc


# ---- package parts -----------------------------------------------------------------------------


def font_entry(name: str, *, alt: str | None, panose: str, charset: str, family: str, pitch: str,
               sig: tuple[str, str, str, str, str, str] | None) -> _Element:
    """A font table entry: the alternative name and the classification (panose, charset, family,
    pitch, code-page signature) Word and WPS use to substitute a font the machine lacks."""
    font = element("w:font", name=name)
    if alt:
        _set(child(font, "w:altName"), val=alt)
    _set(child(font, "w:panose1"), val=panose)
    _set(child(font, "w:charset"), val=charset)
    _set(child(font, "w:family"), val=family)
    _set(child(font, "w:pitch"), val=pitch)
    if sig:
        names = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
        _set(child(font, "w:sig"), **dict(zip(names, sig, strict=True)))
    return font
