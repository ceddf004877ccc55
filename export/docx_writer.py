"""The report as a finished 公文 (.docx): GB/T 9704 page, fonts and grid; the official tables.

The builder speaks in report terms (title, paragraph, section heading, table, signature); the raw
XML it needs lives in :mod:`export.docx_oxml`. Tables are drawn from the same layouts as the window.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from export import docx_oxml as ox
from export.docx_profile import GB_T_9704, Profile
from export.text import paragraphs
from model.formats import Layout, Role
from model.problems import format_date
from model.report import Report
from model.store import write_atomic
from model.values import NA, display_text

BLANK_CHOICES = {"0": "0", "/": "/", "": ""}


@dataclass(frozen=True)
class WordOptions:
    blank: str = "0"  # how a blank cell prints: "0" (default), "/" or "" (left empty)
    profile: Profile = field(default_factory=lambda: GB_T_9704)


def default_export_name(report: Report, suffix: str) -> str:
    """"〈agency〉〈year〉年政府信息公开工作年度报告.docx" — safe as a file name on Windows too."""
    name = f"{report.meta.agency or '未命名机关'}{report.meta.year}年政府信息公开工作年度报告{suffix}"
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


def column_widths(layout: Layout, total: int) -> list[int]:
    """Twips per grid column, adding up to exactly ``total`` (the 156 mm type area)."""
    if layout.key == "requests":
        numbers = [720] * (layout.n_cols - layout.label_cols)
        labels = [760, 760]
        return [*labels, total - sum(labels) - sum(numbers), *numbers]
    if layout.key == "appeals":
        base, extra = divmod(total, layout.n_cols)  # 10.4 mm each
        return [base + (1 if i < extra else 0) for i in range(layout.n_cols)]
    rest = [2000] * (layout.n_cols - 1)
    return [total - sum(rest), *rest]


class WordBuilder:
    def __init__(self, report: Report, options: WordOptions | None = None) -> None:
        self.report = report
        self.options = options or WordOptions()
        self.profile = self.options.profile
        self.doc: DocumentType = Document()
        self._setup_page()
        self._setup_styles()

    # ---- set-up ----------------------------------------------------------------------------
    def _setup_page(self) -> None:
        p = self.profile
        sect_pr = self.doc.sections[0]._sectPr
        ox.set_page(sect_pr, width=p.page_width, height=p.page_height, top=p.margin_top, bottom=p.margin_bottom,
                    left=p.margin_left, right=p.margin_right, header=p.header_distance, footer=p.footer_distance)
        ox.set_doc_grid(sect_pr, line_pitch=p.line_pitch)
        self.doc.settings.odd_and_even_pages_header_footer = True
        ox.set_punctuation_compression(self.doc.settings.element)

    def _style(self, name: str, *, font: str, size: float, bold: bool = False) -> ParagraphStyle:
        styles = self.doc.styles
        style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        if name != "Normal":
            style.base_style = styles["Normal"]
        rpr = style.element.get_or_add_rPr()
        ox.set_fonts(rpr, latin=self.profile.latin_font, east_asia=font)
        if bold:
            ox.child(rpr, "w:b")
        ox.set_size(rpr, size)
        return style

    def _setup_styles(self) -> None:
        p = self.profile
        styles_element = self.doc.styles.element
        ox.set_doc_defaults(styles_element, latin=p.latin_font, east_asia=p.body_font, points=p.body_size)
        for fonts in styles_element.iter(qn("w:rFonts")):  # theme fonts override explicit names
            for attribute in ox.THEME_ATTRIBUTES:
                fonts.attrib.pop(qn(attribute), None)
        body = self._style("Normal", font=p.body_font, size=p.body_size)
        ox.set_char_spacing(body.element.get_or_add_rPr(), p.char_spacing)
        ppr = body.element.get_or_add_pPr()
        ox.set_spacing_exact(ppr, p.line_pitch)
        ox.set_indent(ppr, first_line_chars=2, char_twips=p.char_twips)
        # punctuation may hang or be compressed at a line end (Word's 标点溢出 and 只压缩标点符号);
        # without compression LibreOffice drops a "、" that falls just past a full line
        ox.set_flag(ppr, "w:overflowPunct", True)
        body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        body.paragraph_format.widow_control = False

        title = self._style("报告标题", font=p.title_font, size=p.title_size)
        ppr = title.element.get_or_add_pPr()
        ox.set_indent(ppr)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

        self._style("一级标题", font=p.heading1_font, size=p.body_size).paragraph_format.keep_with_next = True
        for name, size in (("表格文字", p.table_size), ("表格小字", p.narrow_table_size)):
            style = self._style(name, font=p.table_font, size=size)
            ppr = style.element.get_or_add_pPr()
            ox.set_single_spacing(ppr)
            ox.set_indent(ppr)
            ox.set_snap_to_grid(ppr, False)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number = self._style("页码", font=p.page_number_font, size=p.page_number_size)
        ppr = number.element.get_or_add_pPr()
        ox.set_single_spacing(ppr)
        ox.set_snap_to_grid(ppr, False)

    # ---- content ---------------------------------------------------------------------------
    def _run(self, paragraph: Paragraph, text: str, east_asia: str | None = None) -> None:
        run = paragraph.add_run(text)
        if east_asia:
            ox.set_fonts(run._r.get_or_add_rPr(), latin=self.profile.latin_font, east_asia=east_asia)

    def title(self) -> None:
        meta = self.report.meta
        title = self.report.title
        lines = title.split("\n")
        if len(lines) == 1 and meta.agency and title.startswith(meta.agency):
            per_line = int(self.profile.text_width / 20 // self.profile.title_size)
            if len(title) > per_line:  # break between the agency and "〈year〉年政府信息公开工作年度报告"
                lines = [meta.agency, title[len(meta.agency):]]
        paragraph = self.doc.add_paragraph(style="报告标题")
        for i, line in enumerate(lines):
            run = paragraph.add_run(line.strip())
            if i < len(lines) - 1:
                run.add_break()
        self.doc.add_paragraph()  # 标题下空一行

    def text(self, text: str) -> None:
        fonts = {1: self.profile.heading1_font, 2: self.profile.heading2_font}
        for item in paragraphs(text):
            paragraph = self.doc.add_paragraph()
            if item.head:
                self._run(paragraph, item.head, fonts[item.level])
            if item.rest:
                self._run(paragraph, item.rest)

    def heading(self, text: str) -> None:
        self.doc.add_paragraph(text, style="一级标题")

    def cell_text(self, address) -> str:  # type: ignore[no-untyped-def]
        value = self.report.value(address)
        text = display_text(value, blank=BLANK_CHOICES.get(self.options.blank, "0"))
        if value not in (None, NA, 0) and self.report.format.column(address).unit == "procurement":
            text += self.report.meta.procurement_unit
        return text

    def table(self, layout: Layout) -> DocxTable:
        """The official table as raw rows: merged cells as gridSpan and vMerge, exactly the layout."""
        narrow = layout.key == "appeals"
        style_id = self.doc.styles["表格小字" if narrow else "表格文字"].style_id
        widths = column_widths(layout, self.profile.text_width)
        table = self.doc.add_table(rows=0, cols=layout.n_cols)
        tbl = table._tbl
        ox.set_table_fixed(tbl, widths=widths, cell_margin=self.profile.table_cell_margin)
        for r in range(layout.n_rows):
            tr = OxmlElement("w:tr")
            ox.set_row_flags(tr, header=r < layout.header_rows)
            c = 0
            while c < layout.n_cols:
                cell = layout.at(r, c)
                assert cell is not None
                width = sum(widths[c:c + cell.colspan])
                if cell.row < r:  # covered by a merged cell above: a continuing vertical merge
                    tc = ox.table_cell(width=width, colspan=cell.colspan, vmerge="continue")
                    tc.append(ox.text_paragraph("", style_id=style_id))
                else:
                    tc = ox.table_cell(width=width, colspan=cell.colspan,
                                       vmerge="restart" if cell.rowspan > 1 else None)
                    text = self.cell_text(cell.address) if cell.address else cell.text
                    align = "left" if cell.role is Role.LABEL else None
                    tc.append(ox.text_paragraph(text, style_id=style_id, align=align, bold=cell.role is Role.HEADING))
                tr.append(tc)
                c += cell.colspan
            tbl.append(tr)
        return table

    def signature(self) -> None:
        meta = self.report.meta
        name = meta.agency
        date = format_date(meta.date) if meta.date else ""
        name_width, date_width = _width(name), _width(date)
        name_right, date_right = signature_indents(name_width, date_width)
        # the last line of text, the blank line and the name stay on the page of the date:
        # no page holds the signature alone
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.doc.add_paragraph().paragraph_format.keep_with_next = True  # 正文下空一行
        for text, right in ((name, name_right), (date, date_right)):
            if not text:
                continue
            paragraph = self.doc.add_paragraph(text)
            paragraph.paragraph_format.keep_with_next = text is name and bool(date)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            ox.set_indent(paragraph._p.get_or_add_pPr(), right_chars=right, char_twips=self.profile.char_twips)

    def page_numbers(self) -> None:
        section = self.doc.sections[0]
        p = self.profile
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = self.doc.styles["页码"]
            paragraph.alignment = align
            ppr = paragraph._p.get_or_add_pPr()
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                ox.set_indent(ppr, right_chars=1, char_twips=round(p.page_number_size * 20))
            else:
                ox.set_indent(ppr, left_chars=1, char_twips=round(p.page_number_size * 20))

            def rpr():  # type: ignore[no-untyped-def]
                return ox.run_properties(latin=p.latin_font, east_asia=p.page_number_font, points=p.page_number_size)

            paragraph.add_run("— ")
            ox.add_page_field(paragraph._p, rpr)
            paragraph.add_run(" —")

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
        properties = self.doc.core_properties
        properties.title = report.title.replace("\n", "")
        properties.author = report.meta.agency
        properties.language = "zh-CN"
        properties.comments = "由年报助手生成"
        return self.doc


def signature_indents(name_width: float, date_width: float) -> tuple[float, float]:
    """Right indents (in characters) of the agency name and the date, GB/T 9704 7.3.5.2.

    The name 右空二字 and the date's first character two characters right of the name's. When the
    date would then come closer than two characters to the margin, the date 右空二字 and the name
    moves left to keep the two-character step; when the date is longer than the name outright, the
    name is centred over it (spec/document.md).
    """
    if name_width - date_width >= 2:
        return 2.0, name_width - date_width
    if date_width <= name_width:
        return 4.0 - name_width + date_width, 2.0
    return 2.0 + (date_width - name_width) / 2, 2.0


def _width(text: str) -> float:
    """Width in characters of body text: Chinese 1, digits and Latin ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def build_docx(report: Report, options: WordOptions | None = None) -> DocumentType:
    return WordBuilder(report, options).build()


def write_docx(report: Report, path: str | os.PathLike, options: WordOptions | None = None) -> None:
    """Write atomically; an existing file is replaced only when the new one is complete."""
    buffer = io.BytesIO()
    build_docx(report, options).save(buffer)
    data = buffer.getvalue()
    write_atomic(Path(path), lambda handle: handle.write(data), binary=True)  # type: ignore[attr-defined]
