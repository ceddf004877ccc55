"""The report as a finished 公文 (.docx): GB/T 9704 page, fonts and grid; the official tables.

The builder speaks in report terms (title, paragraph, section heading, table, signature, page
numbers); the raw XML it needs lives in :mod:`export.docx_oxml`, the package it starts from in
:mod:`export.docx_package`, the table geometry in :mod:`export.docx_tables`. Every layout choice
comes from the profile (model/profile.py) — the report's own, or one the caller names.
"""

from __future__ import annotations

import io
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from lxml.etree import _Element

from export import docx_oxml as ox
from export import docx_package
from export.docx_profile import Geometry, Profile
from export.docx_tables import label_width_ems, plan_table, split_label, text_ems
from export.text import paragraphs, signature_date
from model.formats import Layout, LayoutCell, Role
from model.report import Report
from model.store import write_atomic
from model.values import NA, display_text

BLANK_CHOICES = {"0": "0", "/": "/", "": ""}
AUTOSPACE_EM = 0.22  # the space renderers put between Chinese characters and digits (LibreOffice: 3.5 pt at 16 pt)
SEALED_BLANK_LINES = 2  # room for the seal: its top within one line of the text (GB/T 9704 7.3.5.1)
TABLE_CELL_MARGIN = 34  # twips, left and right (0.6 mm): table 四's 10.4 mm columns hold their labels and numbers

# style ids of resources/word_template.py
NORMAL, TITLE, HEADING1, TABLE_TEXT, TABLE_SMALL, FOOTER = "Normal", "Title", "Heading1", "TableText", "TableTextSmall", "Footer"


@dataclass(frozen=True)
class WordOptions:
    blank: str = "0"  # how a blank cell prints: "0" (default), "/" or "" (left empty)
    profile: Profile | None = None  # None: the report's own (页面与版式)


def default_export_name(report: Report, suffix: str) -> str:
    """"〈agency〉〈year〉年政府信息公开工作年度报告.docx" — safe as a file name on Windows too."""
    name = f"{report.meta.agency or '未命名机关'}{report.meta.year}年政府信息公开工作年度报告{suffix}"
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


class WordBuilder:
    def __init__(self, report: Report, options: WordOptions | None = None) -> None:
        self.report = report.cleaned()  # no control character makes the document invalid XML
        self.options = options or WordOptions()
        self.profile = self.options.profile or report.profile
        self.geometry = Geometry(self.profile)
        self.doc: DocumentType = docx_package.new_document()
        self.sect_pr = self.doc.element.body.find(qn("w:sectPr"))
        self._setup_page()
        self._setup_styles()

    # ---- set-up ----------------------------------------------------------------------------
    def _setup_page(self) -> None:
        g = self.geometry
        top, bottom, left, right = g.margins
        ox.set_page(self.sect_pr, width=g.page_width, height=g.page_height, top=top, bottom=bottom, left=left,
                    right=right, header=g.header_distance, footer=g.footer_distance)
        ox.set_doc_grid(self.sect_pr, line_pitch=g.line_pitch)
        self.doc.settings.odd_and_even_pages_header_footer = self.profile.page_numbers == "outside"

    def _style(self, style_id: str, *, font: str, size: float, latin: str | None = None,
               condensed: bool = False) -> tuple[_Element, _Element]:
        """A style's run and paragraph properties with its fonts and size; character spacing 0 unless
        ``condensed`` (the body's −0.25 pt is for 28 characters a line, not for titles or tables)."""
        style = self.doc.styles.element.get_by_id(style_id)
        rpr = style.get_or_add_rPr()
        ox.set_fonts(rpr, latin=latin or self.profile.latin_font, east_asia=font)
        ox.set_char_spacing(rpr, self.geometry.char_spacing if condensed else 0)
        ox.set_size(rpr, size)
        return rpr, style.get_or_add_pPr()

    def _setup_styles(self) -> None:
        p, g = self.profile, self.geometry
        ox.set_doc_defaults(self.doc.styles.element, latin=p.latin_font, east_asia=p.body_font, points=p.body_size)

        _rpr, ppr = self._style(NORMAL, font=p.body_font, size=p.body_size, condensed=True)
        ox.set_spacing_exact(ppr, g.line_pitch)
        ox.set_indent(ppr, first_line_chars=2, char_twips=g.char_twips)
        # punctuation may hang or be compressed at a line end (Word's 标点溢出 and 只压缩标点符号);
        # without compression LibreOffice drops a "、" that falls just past a full line
        ox.set_flag(ppr, "w:overflowPunct", True)

        # the title: one grid row per line in Word and LibreOffice alike — exact line spacing of one
        # row and not snapped (snapped, LibreOffice gives a 22 pt line with tall metrics two rows)
        _rpr, ppr = self._style(TITLE, font=p.title_font, size=p.title_size)
        ox.set_indent(ppr)
        ox.set_flag(ppr, "w:snapToGrid", False)

        # 标题 1–4 as GB/T 9704 7.3.3 sets the levels (一、 黑体, （一） 楷体, 1. and （1） 仿宋), indented
        # like the body: a clerk who picks one in Word gets a proper heading
        for style_id, font in ((HEADING1, p.heading1_font), ("Heading2", p.heading2_font),
                               ("Heading3", p.body_font), ("Heading4", p.body_font)):
            self._style(style_id, font=font, size=p.body_size)

        for style_id, size in ((TABLE_TEXT, p.table_size), (TABLE_SMALL, p.narrow_table_size)):
            _rpr, ppr = self._style(style_id, font=p.table_font, size=size)
            ox.set_single_spacing(ppr)
            ox.set_indent(ppr)
            ox.set_flag(ppr, "w:snapToGrid", False)

        # page numbers: 4号半角宋体阿拉伯数字 — digits and dashes alike in the page-number font,
        # one exact single line so that the footer distance puts the dashes where 7.5.2 wants them
        _rpr, ppr = self._style(FOOTER, font=p.page_number_font, size=p.page_number_size, latin=p.page_number_font)
        ox.set_spacing_exact(ppr, g.page_number_line)
        ox.set_flag(ppr, "w:snapToGrid", False)

    # ---- content ---------------------------------------------------------------------------
    def _add(self, element: _Element) -> _Element:
        self.sect_pr.addprevious(element)
        return element

    def title(self) -> None:
        meta = self.report.meta
        title = self.report.title
        lines = [line.strip() for line in title.split("\n")]
        if len(lines) == 1 and meta.agency and title.startswith(meta.agency) and title != meta.agency:
            per_line = self.geometry.text_width / 20 / self.profile.title_size
            if text_ems(title) > per_line:  # break between the agency and "〈year〉年政府信息公开工作年度报告"
                lines = [meta.agency, title[len(meta.agency):]]
        runs = [ox.run(line) for line in lines]
        for r in runs[:-1]:
            ox.add_line_break(r)
        self._add(ox.paragraph(TITLE, runs))
        self._add(ox.paragraph())  # 标题下空一行

    def text(self, text: str) -> None:
        p = self.profile
        fonts = {1: p.heading1_font, 2: p.heading2_font}
        for item in paragraphs(text):
            runs = []
            if item.head:
                runs.append(ox.run(item.head, ox.run_fonts(latin=p.latin_font, east_asia=fonts[item.level])))
            if item.rest:
                runs.append(ox.run(item.rest))
            self._add(ox.paragraph(None, runs))

    def heading(self, text: str) -> None:
        self._add(ox.paragraph(HEADING1, [ox.run(text)]))

    def cell_text(self, address) -> str:  # type: ignore[no-untyped-def]
        value = self.report.value(address)
        text = display_text(value, blank=BLANK_CHOICES.get(self.options.blank, "0"))
        if value not in (None, NA, 0) and self.report.format.column(address).unit == "procurement":
            text += self.report.meta.procurement_unit
        return text

    def table(self, layout: Layout) -> _Element:
        """The official table as raw rows: merged cells as gridSpan and vMerge, exactly the layout;
        widths from what the columns hold; rows kept together where a page break would hurt."""
        p = self.profile
        narrow = layout.key == "appeals"
        style_id = TABLE_SMALL if narrow else TABLE_TEXT
        texts = {(cell.row, cell.col): self.cell_text(cell.address) if cell.address else cell.text
                 for cell in layout.cells}
        size = p.narrow_table_size if narrow else p.table_size
        plan = plan_table(layout, texts, self.geometry.text_width, size=size, cell_margin=TABLE_CELL_MARGIN,
                          narrow=narrow)
        widths = plan.widths
        tbl = ox.new_table(widths, cell_margin=TABLE_CELL_MARGIN)
        for r in range(layout.n_rows):
            tr = ox.table_row(header=r < layout.header_rows)
            keep = r in plan.keep_next
            c = 0
            while c < layout.n_cols:
                cell = layout.at(r, c)
                assert cell is not None
                width = sum(widths[c:c + cell.colspan])
                valign = "top" if (cell.row, cell.col) in plan.top_aligned else "center"
                if cell.row < r:  # covered by a merged cell above: a continuing vertical merge
                    tc = ox.table_cell(width=width, colspan=cell.colspan, vmerge="continue", valign=valign)
                    tc.append(ox.paragraph(style_id, keep_next=keep))
                else:
                    tc = ox.table_cell(width=width, colspan=cell.colspan,
                                       vmerge="restart" if cell.rowspan > 1 else None, valign=valign)
                    runs = self._cell_runs(cell, texts[(r, c)], widths[c:c + cell.colspan], size)
                    tc.append(ox.paragraph(style_id, runs, align="left" if cell.role is Role.LABEL else None,
                                           keep_next=keep))
                tr.append(tc)
                c += cell.colspan
            tbl.append(tr)
        return self._add(tbl)

    def _cell_runs(self, cell: LayoutCell, text: str, widths: list[int], size: float) -> list[_Element]:
        """A cell's text: a merged group label in the lines it begins ("（三）" over "不予公开"), a
        section heading row in bold."""
        if not text:
            return []
        rpr = None
        if cell.role is Role.HEADING:
            rpr = ox.element("w:rPr")
            ox.child(rpr, "w:b")
        parts = [text]
        if cell.role is Role.LABEL and cell.rowspan > 1:
            parts = split_label(text, label_width_ems(widths, size, TABLE_CELL_MARGIN))
        runs = [ox.run(part, rpr) for part in parts]
        for r in runs[:-1]:
            ox.add_line_break(r)
        return runs

    # ---- signature -------------------------------------------------------------------------
    def text_width_chars(self, text: str) -> float:
        """Width of body text in characters as rendered: a Chinese character 1; a digit or Latin letter
        half the font size, both with the body's character spacing; and the space a renderer puts
        between Chinese characters and digits."""
        g, size = self.geometry, self.profile.body_size
        width = sum(g.char_advance if _wide(ch) else size * 0.5 + g.char_spacing / 20 for ch in text)
        for a, b in itertools.pairwise(text):
            if _wide(a) != _wide(b) and (_latin(a) or _latin(b)):
                width += AUTOSPACE_EM * size
        return width / g.char_advance

    def signature(self) -> None:
        """The agency name and the 成文日期 after the text (GB/T 9704 7.3.5.2, or 7.3.5.1 when sealed)."""
        g = self.geometry
        name = self.report.meta.agency
        date = signature_date(self.report.meta.date, self.profile)
        longest = self.profile.chars_per_line - 2  # a name that wraps: its first line starts at the margin
        name_width = min(self.text_width_chars(name), longest)
        name_right, date_right = signature_indents(name_width, self.text_width_chars(date),
                                                   sealed=self.profile.signature == "sealed")
        # the last line of text, the blank lines and the name stay on the page of the date:
        # no page holds the signature alone
        last = self.sect_pr.getprevious()
        if last is not None and last.tag == qn("w:p"):
            ox.set_flag(ox.child(last, "w:pPr", first=True), "w:keepNext", True)
        blank = SEALED_BLANK_LINES if self.profile.signature == "sealed" else 1  # 正文下空一行
        for _ in range(blank):
            self._add(ox.paragraph(keep_next=True))
        for text, right, keep in ((name, name_right, bool(date)), (date, date_right, False)):
            if not text:
                continue
            paragraph = self._add(ox.paragraph(None, [ox.run(text)], align="right", keep_next=keep))
            ox.set_right_indent(paragraph.find(qn("w:pPr")), round(right * g.char_advance * 20))

    # ---- page numbers ----------------------------------------------------------------------
    def page_numbers(self) -> None:
        """"— 1 —" in the footer: odd pages right and even pages left, one character in (GB/T 9704
        7.5.2), or all right, or centred, as the profile says."""
        section = self.doc.sections[0]
        position = self.profile.page_numbers
        footers = [(section.footer, "center" if position == "centre" else "right")]
        if position == "outside":
            footers.append((section.even_page_footer, "left"))
        one_char = round(self.profile.page_number_size * 20)
        for footer, align in footers:
            footer.is_linked_to_previous = False
            p = footer._element.find(qn("w:p"))
            ppr = ox.child(p, "w:pPr", first=True)
            ox.set_indent(ppr, right_chars=1 if align == "right" else 0, left_chars=1 if align == "left" else 0,
                          char_twips=one_char)
            ox.child(ppr, "w:jc").set(qn("w:val"), align)
            p.append(ox.run("— "))
            ox.add_page_field(p)
            p.append(ox.run(" —"))

    def build(self) -> DocumentType:
        report = self.report
        self.title()
        self.text(report.text.get("preamble", ""))
        layouts = report.format.layouts
        for section in report.format.sections:
            self.heading(section.heading)
            if section.text:
                self.text(report.text.get(section.key, ""))
            else:
                self.table(layouts[section.key])
        self.signature()
        self.page_numbers()
        p = self.profile
        docx_package.finish(self.doc, title=report.title.replace("\n", ""), author=report.meta.agency,
                            fonts=p.fonts, latin=p.latin_font, heading=p.heading1_font, body=p.body_font)
        return self.doc


def signature_indents(name_width: float, date_width: float, *, sealed: bool = False) -> tuple[float, float]:
    """Right indents (in characters) of the agency name and the date.

    Unsealed (GB/T 9704 7.3.5.2): the name 右空二字, the date's first character two characters right of
    the name's; when the date would then come closer than two characters to the margin — when it is
    the longer — the date 右空二字 and the name's right indent grows to keep the two-character step.
    Sealed (7.3.5.1): the date 右空四字 and the name centred over it; a name too long for that is
    右空二字 with the date centred under it.
    """
    if sealed:
        name_right = 4 + (date_width - name_width) / 2
        if name_right >= 2:
            return name_right, 4.0
        return 2.0, 2 + (name_width - date_width) / 2
    date_right = max(2.0, name_width - date_width)
    return date_right + date_width - name_width + 2, date_right


def _wide(ch: str) -> bool:
    return text_ems(ch) >= 1


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def build_docx(report: Report, options: WordOptions | None = None) -> DocumentType:
    return WordBuilder(report, options).build()


def write_docx(report: Report, path: str | os.PathLike, options: WordOptions | None = None) -> None:
    """Write atomically, with the permissions any file the user saves gets (the umask; an existing
    file keeps its own); an existing file is replaced only when the new one is complete."""
    buffer = io.BytesIO()
    build_docx(report, options).save(buffer)
    data = buffer.getvalue()
    mode = docx_package.file_mode(Path(path))

    def write(handle) -> None:  # type: ignore[no-untyped-def]
        handle.write(data)
        if mode is not None:
            os.fchmod(handle.fileno(), mode)

    write_atomic(Path(path), write, binary=True)
