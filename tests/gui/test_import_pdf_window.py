"""The window imports published PDFs like any other report: 导入, 从上年报告新建, 载入上年报告, with
the import problems shown before anything replaces the open report."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import zero_report

REAL = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real"


def test_every_open_dialog_offers_pdf(make_window, recorded, monkeypatch):
    from gui import dialogs

    filters: list[str] = []
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, title, folder, file_filter: filters.append(file_filter))
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    window.import_dialog()
    window.new_from_last_year_dialog()
    window.attach_last_year_dialog()
    assert len(filters) == 3 and all("*.pdf" in f for f in filters)


def test_import_a_published_pdf_shows_its_problems_first(make_window, recorded):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    recorded.confirm_answer = True
    assert window.import_file(REAL / "huaian_hongze_2023.pdf")
    text = recorded.texts("confirm")[0]
    assert "【警告】表四 行政复议 · 总计：原文合计为0，各项相加为11；已按各项重新计算合计" in text
    assert "【警告】表四 复议后起诉 · 总计：原文合计为0，各项相加为5；已按各项重新计算合计" in text
    assert "识别：表格共166格：读入154格数字，原文空白0格，无法识别0格，未找到12格" in text
    report = window.report
    assert (report.meta.year, report.format_id) == (2023, "gov-2021")
    assert report.cells[("appeals", "review", "upheld")] == 10 and report.value(("appeals", "review", "total")) == 11


def test_new_from_last_years_published_pdf(make_window, recorded):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    assert window.new_from_last_year(REAL / "huaian_szf_2024.pdf")
    report = window.report
    assert (report.meta.year, report.meta.agency, report.last_year.year) == (2025, "淮安市人民政府", 2024)
    assert report.cells[("requests", "carried_in", "natural")] == 103  # 2024's 四、结转下年度继续办理
