"""Key figures and the ratios a 公开办 ranks by, from the cells of tables 三 and 四; the file name as a hint."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from export.batch_figures import RATIOS, key_figures, percent_text, ratio_fraction, ratios, rounded
from export.batch_read import agency_from_name, apply_name_hints, year_from_name
from export.importing import missing
from model.report import Meta, Report
from tests.batch_folder import make_report


def _report(fmt_year: int, cells: dict) -> Report:
    return make_report("县商务局", fmt_year, cells)


def test_disclosure_rate_leaves_out_requests_not_decided_on():
    report = _report(2025, {("requests", "granted", "natural"): 3, ("requests", "partial", "business"): 1,
                            ("requests", "denied.state_secret", "natural"): 1, ("requests", "unable.unclear", "legal"): 1,
                            ("requests", "rejected.duplicate", "natural"): 5, ("requests", "other_handling.unpaid_fee", "other"): 4})
    assert ratio_fraction(report.format, report.value, RATIOS[0]) == Fraction(4, 6)
    assert ratios(report.format, report.value)["disclosure"] == Decimal("0.6667")
    old = _report(2020, {("requests", "granted", "natural"): 1, ("requests", "other_handling", "natural"): 9,
                         ("requests", "unable.not_held", "natural"): 1})
    assert old.format_id == "gov-2019"
    assert ratio_fraction(old.format, old.value, RATIOS[0]) == Fraction(1, 2)


def test_correction_rates_count_decided_cases_only():
    report = _report(2025, {("appeals", "review", "upheld"): 2, ("appeals", "review", "corrected"): 1,
                            ("appeals", "review", "other"): 1, ("appeals", "review", "pending"): 7,
                            ("appeals", "suit_direct", "corrected"): 1, ("appeals", "suit_after_review", "upheld"): 2,
                            ("appeals", "suit_after_review", "pending"): 3})
    assert ratios(report.format, report.value) == {"disclosure": None, "review_correction": Decimal("0.2500"),
                                                   "suit_correction": Decimal("0.3333")}
    figures = key_figures(report.format, report.value)
    assert figures == {"received": 0, "granted": 0, "handled": 0, "carried_out": 0, "review": 11, "suits": 6}


def test_no_cases_is_no_rate_not_zero():
    report = _report(2025, {("appeals", "review", "pending"): 2})
    assert ratios(report.format, report.value)["review_correction"] is None
    assert percent_text(None) == "—"
    assert percent_text(Decimal("0.6667")) == "66.7%"
    assert percent_text(Decimal("0")) == "0.0%"
    assert rounded(Fraction(2, 3), 2) == Decimal("0.67")
    assert rounded(Fraction(1, 8), 2) == Decimal("0.13")  # half up, as people round


def test_file_name_hints():
    assert year_from_name("城步县商务局2025年政府信息公开工作年度报告.docx") == 2025
    assert year_from_name("商务局2024-2025.docx") is None
    assert agency_from_name("城步县商务局2025年政府信息公开工作年度报告（定稿）.docx") == "城步县商务局"
    assert agency_from_name("2025年报.docx") == ""
    report = Report("gov-2021", Meta(agency="", year=2024))
    hints = apply_name_hints(report, [missing("报告年度", "year")], "县商务局2025年报告.docx")
    assert (report.meta.agency, report.meta.year) == ("县商务局", 2025)
    assert [h.message for h in hints] == ["报告中没有找到年度，按文件名取为2025年度", "报告中没有找到机关名称，按文件名取为“县商务局”"]
    report = Report("gov-2021", Meta(agency="县商务局", year=2025))
    hints = apply_name_hints(report, [], "县商务局2024年报告.docx")
    assert report.meta.year == 2025
    assert [h.message for h in hints] == ["文件名中的年度（2024）与报告内容（2025年度）不一致，以报告内容为准"]
