"""Published-report pages written the way real government sites write them, for the importers."""

from __future__ import annotations

from html import escape

from model.formats import Layout
from model.problems import format_date
from model.report import Report
from model.values import display_text


def _label(text: str, messy: bool) -> str:
    if not messy:
        return escape(text)
    # half-width punctuation, a space inside, a <br> in the middle — what real pages carry
    text = text.replace("（", "(").replace("）", ")").replace("，", ",")
    if len(text) > 6:
        text = text[:3] + " " + text[3:5] + "<br/>" + text[5:]
    return text


def table_html(report: Report, layout: Layout, *, messy: bool, blank_as_nbsp: bool, extra_row: str | None = None) -> str:
    rows: dict[int, list[str]] = {}
    for cell in sorted(layout.cells, key=lambda c: (c.row, c.col)):
        span = ""
        if cell.rowspan > 1:
            span += f' rowspan="{cell.rowspan}"'
        if cell.colspan > 1:
            span += f' colspan="{cell.colspan}"'
        if cell.address:
            value = report.value(cell.address)
            text = display_text(value, blank="&nbsp;" if blank_as_nbsp else "0")
            # a number split over two runs, as pages copied from Word carry it
            content = f'<p align="center"><span>{text[:1]}</span><span>{text[1:]}</span></p>' if text.isdigit() and len(text) > 1 else f"<p>{text}</p>"
        else:
            content = f"<p>{_label(cell.text, messy)}</p>"
        rows.setdefault(cell.row, []).append(f'<td nowrap="nowrap"{span} style="width:60px;">{content}</td>')
    body = []
    for r in sorted(rows):
        body.append("<tr>" + "".join(rows[r]) + "</tr>")
        if extra_row and r == 3:
            body.append(f'<tr><td><p>{extra_row}</p></td><td colspan="3"><p>12</p></td></tr>')
    body.append("<tr><td>&nbsp;</td></tr>")  # a trailing empty row
    return '<table border="1" cellspacing="0"><tbody>' + "".join(body) + "</tbody></table>"


def report_page(report: Report, *, messy: bool = True, blank_as_nbsp: bool = True, nested: bool = True,
                extra_row: str | None = None, short_title: str | None = None, omit: tuple[str, ...] = ()) -> str:
    """A whole page: navigation, breadcrumbs, the report (title, text, tables, signature), a footer."""
    parts = [f"<p style='text-align:center'><b>{escape(short_title or report.title)}</b></p>",
             "<p>发布日期：2027-01-25　来源：本站　字号：大 中 小</p>"]
    for line in report.text.get("preamble", "").split("\n"):
        if line:
            parts.append(f"<p>&nbsp;&nbsp;{escape(line)}</p>")
    layouts = report.format.layouts
    for section in report.format.sections:
        parts.append(f"<p><strong>{escape(section.heading)}</strong></p>")
        if section.text:
            for line in report.text.get(section.key, "").split("\n"):
                parts.append(f"<p style='text-indent:2em'>{escape(line)}</p>")
        elif section.key not in omit:
            parts.append(table_html(report, layouts[section.key], messy=messy, blank_as_nbsp=blank_as_nbsp,
                                    extra_row=extra_row if section.key == "proactive" else None))
    parts.append(f"<p style='text-align:right'>{escape(report.meta.agency)}</p>")
    if report.meta.date:
        parts.append(f"<p style='text-align:right'>{format_date(report.meta.date)}</p>")
    article = "\n".join(parts)
    if nested:
        article = f'<table width="100%"><tr><td class="content">{article}</td></tr></table>'
    return (
        "<html><head><meta charset='{charset}'><title>年度报告</title><script>var x='<table>';</script></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a>政府信息公开</a> &gt; <a>年度报告</a></div>"
        f"<table width='100%'><tr><td>网站导航</td><td>{article}</td></tr></table>"
        "<div class='footer'><p>版权所有：示例县人民政府办公室　网站标识码：1234567890　ICP备12345678号</p></div>"
        "</body></html>"
    )


def report_text(report: Report, *, trailing_bar: bool = False) -> str:
    """The report as text copied from a page: paragraphs, and each table row as "| a | b |" (a
    merged cell once, in its first row). ``trailing_bar``: each row ends with an empty cell, as
    text pasted from a converted PDF carries it."""
    lines = [report.title, ""]
    lines += [line for line in report.text.get("preamble", "").split("\n") if line]
    layouts = report.format.layouts
    for section in report.format.sections:
        lines.append(section.heading)
        if section.text:
            lines += report.text.get(section.key, "").split("\n")
            continue
        layout = layouts[section.key]
        rows: dict[int, list[str]] = {}
        for cell in sorted(layout.cells, key=lambda c: (c.row, c.col)):
            text = display_text(report.value(cell.address), blank="") if cell.address else cell.text
            rows.setdefault(cell.row, []).append(text)
        for r in sorted(rows):
            lines.append("| " + " | ".join(rows[r]) + (" | |" if trailing_bar else " |"))
    lines += ["", report.meta.agency]
    if report.meta.date:
        lines.append(format_date(report.meta.date))
    return "\n".join(lines) + "\n"
