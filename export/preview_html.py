"""The whole report as HTML, read-only, for the window's 预览 tab: headings, paragraphs, merged tables."""

from __future__ import annotations

from html import escape

from export.text import paragraphs, signature_date
from model.formats import Layout, Role
from model.report import Report
from model.values import NA, display_text

# Set as the Word output sets it (spec/document.md): body 仿宋 with a two-character first-line indent
# (in pixels: Qt's rich text takes no "em"; 12 pt is 16 px), run-in "一、" headings in 黑体 and
# "（一）" headings in 楷体 — upright, as in the document, never italic.
_STYLE = """
body { font-family: 'FangSong', '仿宋', 'Noto Serif CJK SC', 'SimSun', serif; font-size: 12pt; }
h1 { font-size: 18pt; text-align: center; font-weight: bold; margin: 12px 0 18px 0; }
h2 { font-size: 13pt; font-weight: bold; margin: 14px 0 6px 0; }
p { text-indent: 32px; margin: 4px 0; line-height: 150%; }
span.h1 { font-family: 'SimHei', '黑体', 'Noto Sans CJK SC', sans-serif; }
span.h2 { font-family: 'KaiTi', '楷体', 'AR PL UKai CN', 'Noto Serif CJK SC', serif; font-style: normal; }
table { border-collapse: collapse; margin: 6px 0 10px 0; }
td { border: 1px solid #000; padding: 3px 5px; font-size: 10pt; }
td.num { text-align: center; } td.head { text-align: center; }
p.sign { text-align: right; text-indent: 0; }
"""


def _cell_text(report: Report, address, blank: str) -> str:
    value = report.value(address)
    text = display_text(value, blank=blank)
    if value not in (None, NA, 0) and report.format.column(address).unit == "procurement":
        text += report.meta.procurement_unit
    return text


def table_html(report: Report, layout: Layout, blank: str = "0") -> str:
    rows: list[list[str]] = [[] for _ in range(layout.n_rows)]
    for cell in sorted(layout.cells, key=lambda c: (c.row, c.col)):
        span = ""
        if cell.rowspan > 1:
            span += f' rowspan="{cell.rowspan}"'
        if cell.colspan > 1:
            span += f' colspan="{cell.colspan}"'
        if cell.address:
            text, css = _cell_text(report, cell.address, blank), "num"
        else:
            text = cell.text
            css = "label" if cell.role is Role.LABEL else "head"
        shown = f"<b>{escape(text)}</b>" if cell.role is Role.HEADING else escape(text)
        rows[cell.row].append(f'<td class="{css}"{span}>{shown}</td>')
    body = "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return f'<table cellspacing="0" cellpadding="3" width="100%">{body}</table>'


def _text_html(text: str) -> str:
    parts = []
    for paragraph in paragraphs(text):
        head = f'<span class="h{paragraph.level}">{escape(paragraph.head)}</span>' if paragraph.head else ""
        parts.append(f"<p>{head}{escape(paragraph.rest)}</p>")
    return "".join(parts)


def report_html(report: Report) -> str:
    out = [f"<html><head><style>{_STYLE}</style></head><body>"]
    title = escape(report.title).replace("\n", "<br/>")
    out.append(f"<h1>{title}</h1>")
    out.append(_text_html(report.text.get("preamble", "")))
    layouts = report.format.layouts
    for section in report.format.sections:
        out.append(f"<h2>{escape(section.heading)}</h2>")
        if section.text:
            out.append(_text_html(report.text.get(section.key, "")) or "<p style='color:#999'>（尚未填写）</p>")
        else:
            out.append(table_html(report, layouts[section.key]))
    out.append("<br/>")
    out.append(f'<p class="sign">{escape(report.meta.agency)}</p>')
    if report.meta.date:
        out.append(f'<p class="sign">{escape(signature_date(report.meta.date, report.profile))}</p>')
    out.append("</body></html>")
    return "".join(out)
