"""A 公开办's folder for the batch tests: reports of every kind with known figures and known faults.

This year's folder (2025, gov-2021):

| file | unit | what |
|---|---|---|
| 县政府.nianbao | 城步苗族自治县人民政府 | the 本级 report: the units' sum + 2 of its own requests (自然人, 本年新收 and 予以公开) |
| 商务局.nianbao | 城步苗族自治县商务局 | clean but for a dismissed warning (no 成文日期); last year's file calls it 县商务局 (a guessed match) |
| 部门/城步苗族自治县教育局2025年政府信息公开工作年度报告.docx | 城步苗族自治县教育局 | clean, our Word export, in a subfolder |
| 财政局.xlsx | 城步苗族自治县财政局 | a planted balance error; last year's carry-out differs (a carry-in warning) |
| 卫生健康局.html | 城步苗族自治县卫生健康局 | a stale year in its text; no report last year; not on the list |
| 司法局.nianbao | 城步苗族自治县司法局 | its 2024 report sent again (a stale year) |
| 城步苗族自治县林业局2025年报告.docx | — | not a Word file at all: unreadable (on the list by its file name) |
| 附件.docx | — | hostile: a zip bomb (its text part expands to 80 MB) with a cell spanning two thousand million columns |
| ~$商务局.docx, 封面.png | — | a Word lock file (passed over) and a picture (skipped) |

Last year's folder (2024): 县商务局, 城步苗族自治县教育局 (.xlsx), 城步苗族自治县财政局 (.docx) and
城步苗族自治县水利局, which sent nothing this year. The list of units (名单.txt) names 县商务局, 教育局,
财政局, 司法局, 人民政府, 林业局 and 水利局.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from model import store
from model.formats import format_for_year
from model.report import Meta, Report

REGION = "城步苗族自治县"
YEAR = 2025

Cells = dict[tuple[str, str, str], object]



# a specific 五 (a line or two is flagged as too thin: text.thin_problems)
SPECIFIC_PROBLEMS = ("问题：政策解读形式单一，图解和视频解读偏少；依申请公开答复文书不够规范。"
                     "措施：每季度组织一次业务培训，统一答复文书模板。")

def make_report(agency: str, year: int, cells: Cells, *, balance: bool = True, overview: str | None = None,
                problems: str = SPECIFIC_PROBLEMS) -> Report:
    """A tidy report: every typed cell 0 but those given; 本年新收 set so that table 三 balances
    (unless ``balance`` is False); texts that raise no warning."""
    fmt = format_for_year(year)
    report = Report(fmt.id, Meta(agency=agency, year=year, date=dt.date(year + 1, 1, 20)))
    for address in fmt.input_cells:
        report.cells[address] = Decimal(0) if address[2] == "amount" else 0
    report.cells.update(cells)  # type: ignore[arg-type]
    if balance:
        table = fmt.table("requests")
        for col in ("natural", "business", "research", "nonprofit", "legal", "other"):
            handled = sum(report.number(("requests", r, c)) for r, c in table.parts("handled_total", col))
            out = report.number(("requests", "carried_out", col))
            report.cells[("requests", "received", col)] = handled + out - report.number(("requests", "carried_in", col))
    report.text.update(
        overview=overview if overview is not None else f"{year}年，我单位认真贯彻落实《中华人民共和国政府信息公开条例》。",
        problems=problems,
        other_matters="本年度未收取信息处理费。",
    )
    return report


def R(row: str, col: str = "natural") -> tuple[str, str, str]:
    return ("requests", row, col)


def A(row: str, col: str) -> tuple[str, str, str]:
    return ("appeals", row, col)


# The units' figures (gov-2021); 本年新收 is derived so that each balances.
COMMERCE: Cells = {
    R("carried_in"): 1, R("granted"): 3, R("partial"): 1, R("unable.not_held"): 1, R("carried_out"): 1,
    A("review", "upheld"): 1, A("review", "corrected"): 1, A("review", "pending"): 1, A("suit_direct", "upheld"): 2,
    ("art20_1", "normative_docs", "issued"): 2, ("art20_1", "normative_docs", "in_force"): 12,
    ("art20_5", "licensing", "decisions"): 40, ("art20_8", "fees", "amount"): Decimal("1.25"),
}
EDUCATION: Cells = {
    R("granted"): 4, R("partial"): 2, R("denied.third_party"): 1, R("unable.not_held"): 2,
    R("rejected.petition"): 1, ("requests", "granted", "business"): 0,
    A("suit_after_review", "corrected"): 1, A("suit_after_review", "other"): 1,
    ("art20_6", "penalty", "decisions"): 7, ("art20_8", "fees", "amount"): Decimal("0.5"),
}
FINANCE: Cells = {  # unbalanced: 本年新收 3, 予以公开 2, nothing carried
    R("received"): 3, R("granted"): 2, ("requests", "carried_in", "business"): 1,
    ("requests", "granted", "business"): 1,
}
HEALTH: Cells = {("art20_6", "penalty", "decisions"): 11}
JUSTICE_2024: Cells = {R("granted"): 1}

COMMERCE_2024: Cells = {R("granted"): 2, R("carried_out"): 1,  # its 结转 1 = this year's 上年结转 1
                        ("art20_1", "normative_docs", "in_force"): 10}  # + 2 issued = this year's 12
EDUCATION_2024: Cells = {R("granted"): 5}
FINANCE_2024: Cells = {R("granted"): 1, ("requests", "carried_out", "business"): 2}  # this year's 上年结转 is 1
WATER_2024: Cells = {R("granted"): 1}

LAST_TEXT = {"overview": "2024年，我单位扎实推进政务公开。", "problems": "问题：去年的问题。"}
EXPECTED_LIST = ["县商务局", f"{REGION}教育局", f"{REGION}财政局", f"{REGION}司法局", f"{REGION}人民政府",
                 f"{REGION}林业局", f"{REGION}水利局"]


def units_reports() -> dict[str, Report]:
    return {
        "commerce": make_report(f"{REGION}商务局", YEAR, COMMERCE),
        "education": make_report(f"{REGION}教育局", YEAR, EDUCATION),
        "finance": make_report(f"{REGION}财政局", YEAR, FINANCE, balance=False),
        "health": make_report(f"{REGION}卫生健康局", YEAR, HEALTH,
                              overview="2024年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。"),
    }


def level_report(units: dict[str, Report]) -> Report:
    """The 本级 report: the units' sum, plus two requests the government's own office received."""
    from export.batch_sum import Contribution, sum_reports

    total = sum_reports([Contribution(r, key) for key, r in units.items()], agency=f"{REGION}人民政府")
    cells: Cells = dict(total.cells)
    cells[R("granted")] = total.number(R("granted")) + 2
    # balanced again: the 本级 does not repeat the 财政局's error, so its 本年新收 (自然人) is the
    # units' sum − 1 (the error) + 2 (its own)
    return make_report(f"{REGION}人民政府", YEAR, cells)


DISMISSAL = "成文日期以印发稿为准"


def with_dismissal(report: Report) -> Report:
    """The report without its 成文日期, the warning about it dismissed with a reason."""
    from model.checks import run_checks

    report = report.copy()
    report.meta = report.meta._replace(date=None)
    (problem,) = [p for p in run_checks(report) if p.rule == "meta.date"]
    report.dismissed[problem.id] = DISMISSAL
    return report


def hostile_docx(source: Path, target: Path) -> None:
    """Our own Word file with one table cell claiming a span of 2,000,000,000 columns, and its text part
    expanding to 80 MB (a zip bomb: a few hundred KB on disk)."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    xml, count = re.subn(r'<w:gridSpan w:val="\d+"/>', '<w:gridSpan w:val="2000000000"/>', xml, count=1)
    assert count == 1
    parts["word/document.xml"] = xml.encode("utf-8") + b" " * (80 * 1024 * 1024)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def build(root: Path) -> dict[str, Path]:
    """Write this year's folder, last year's and the list under ``root``; returns their paths."""
    from export.docx_writer import write_docx
    from export.preview_html import report_html
    from export.xlsx import write_xlsx

    this, last = root / "2025", root / "2024"
    (this / "部门").mkdir(parents=True)
    last.mkdir()
    units = units_reports()
    store.save(level_report(units), this / "县政府.nianbao", backup=False)
    store.save(with_dismissal(units["commerce"]), this / "商务局.nianbao", backup=False)
    education = this / "部门" / f"{REGION}教育局2025年政府信息公开工作年度报告.docx"
    write_docx(units["education"], education)
    write_xlsx(units["finance"], this / "财政局.xlsx")
    (this / "卫生健康局.html").write_text(report_html(units["health"]), encoding="utf-8")
    store.save(make_report(f"{REGION}司法局", 2024, JUSTICE_2024), this / "司法局.nianbao", backup=False)
    (this / f"{REGION}林业局2025年报告.docx").write_bytes(b"This is not a Word document.\n" * 10)
    hostile_docx(education, this / "附件.docx")
    (this / "~$商务局.docx").write_bytes(b"lock")
    (this / "封面.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    store.save(make_report("县商务局", 2024, COMMERCE_2024, **LAST_TEXT), last / "县商务局.nianbao",
               backup=False)
    write_xlsx(make_report(f"{REGION}教育局", 2024, EDUCATION_2024, **LAST_TEXT), last / "教育局2024.xlsx")
    write_docx(make_report(f"{REGION}财政局", 2024, FINANCE_2024, **LAST_TEXT), last / "财政局2024.docx")
    store.save(make_report(f"{REGION}水利局", 2024, WATER_2024, **LAST_TEXT), last / "水利局.nianbao",
               backup=False)

    names = root / "名单.txt"
    names.write_text("序号,单位名称\n" + "".join(f"{i},{n}\n" for i, n in enumerate(EXPECTED_LIST, 1)), encoding="utf-8")
    return {"this": this, "last": last, "list": names}
