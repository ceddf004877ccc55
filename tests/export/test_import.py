"""Importing published reports: the seed text, our own Word file, the Shanghai page, pages in the styles
real sites use (and the same pages converted to .docx by LibreOffice), and every import problem."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from export.docx_writer import write_docx
from export.importing import ImportFailed
from export.reading import read_source
from model import store
from model.formats import GOV_2019
from model.values import NA
from tests.conftest import run_cli
from tests.export.docx_helpers import soffice_convert
from tests.export.pages import report_page

ROOT = Path(__file__).resolve().parents[2]
APPLICANTS = ["natural", "business", "research", "nonprofit", "legal", "other", "total"]


def rules(result) -> list[str]:
    return sorted(p.rule for p in result.problems)


def test_the_seed_text_imports_to_the_seed_example(fixtures_dir, example):
    result = read_source(fixtures_dir / "chengbu_commerce_2019.txt")
    report = result.report
    assert report.format_id == example.format_id
    assert report.meta == example.meta  # agency from the signature, the short-name title kept, the date
    assert report.text == example.text
    assert report.cells == example.cells
    assert rules(result) == ["import.format_guess"]


def test_our_word_file_comes_back(distinct, tmp_path):
    distinct.set_cell(("requests", "received", "natural"), None)  # printed as 0, comes back as 0
    path = tmp_path / "r.docx"
    write_docx(distinct, path)
    result = read_source(path)
    report = result.report
    expected = dict(distinct.cells)
    expected[("requests", "received", "natural")] = 0
    assert report.cells == expected
    assert (report.meta.agency, report.meta.year, report.meta.date, report.meta.title) == \
        ("示例县交通运输局", 2026, dt.date(2027, 1, 22), None)
    assert report.text == distinct.text
    assert report.format_id == "gov-2021"

    assert rules(result) == ["import.format_guess"]  # the totals were printed from the same zeros


def shanghai_expected(fixtures_dir):
    truth = json.loads((fixtures_dir / "shanghai_office_2019.truth.json").read_text(encoding="utf-8"))
    expected = {}
    table = GOV_2019.table("requests")
    by_label = {row.label: row.key for row in table.rows}
    for label, values in truth["table3"].items():
        key = by_label[label.split("/")[-1]]
        for col, value in zip(APPLICANTS, values, strict=True):
            if value is not None and not table.is_derived(key, col):
                expected[("requests", key, col)] = value
    keys = [(r, c) for r in ("review", "suit_direct", "suit_after_review") for c in ("upheld", "corrected", "other", "pending", "total")]
    for (row, col), value in zip(keys, truth["table4"], strict=True):
        if value is not None and col != "total":
            expected[("appeals", row, col)] = value
    blocks = {"第二十条第（一）项": "art20_1", "第二十条第（五）项": "art20_5", "第二十条第（六）项": "art20_6",
              "第二十条第（八）项": "art20_8", "第二十条第（九）项": "art20_9"}
    for title, block in truth["table2"].items():
        t = GOV_2019.table(blocks[title])
        rows = {r.label: r.key for r in t.rows}
        for label, values in block["rows"].items():
            for column, value in zip(t.columns, values, strict=True):
                if value == "251000元":
                    value = Decimal("25.1")  # 251000 元 in the column's 万元
                expected[(t.key, rows[label], column.key)] = value
    return truth, expected


@pytest.mark.parametrize("via", ["html", "docx"])
def test_the_shanghai_page(via, fixtures_dir, tmp_path):
    truth, expected = shanghai_expected(fixtures_dir)
    source = fixtures_dir / "shanghai_office_2019.html"
    if via == "docx":
        copy = tmp_path / "shanghai.html"
        copy.write_bytes(source.read_bytes())
        source = soffice_convert(copy, "docx:MS Word 2007 XML", tmp_path)
    result = read_source(source)
    report = result.report
    assert report.cells == expected  # every number exactly; blanks blank
    assert (report.meta.agency, report.meta.year, report.format_id) == (truth["agency"], 2019, "gov-2019")
    assert report.text["overview"].startswith("2019年，上海市人民政府办公厅坚持以习近平新时代")
    assert report.text["other_matters"] == "无。"
    assert "发布日期" not in report.text["preamble"]
    # the 总计 column is blank in the sub-rows: nothing to reconcile there, and nothing spread
    assert [r for r in rules(result) if r not in ("import.format_guess",)] == []
    assert "已将「251000元」换算为 25.1万元" in result.recognised


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_pages_in_real_site_styles(encoding, distinct, tmp_path):
    distinct.set_cells({("requests", "received", "research"): None, ("art20_5", "licensing", "decisions"): NA})
    page = tmp_path / f"page-{encoding}.html"
    html = report_page(distinct, extra_row="其他主动公开文件", short_title="县交通运输局2026年政府信息公开工作年度报告")
    page.write_bytes(html.replace("{charset}", encoding).encode(encoding))
    for source in (page, soffice_convert(page, "docx:MS Word 2007 XML", tmp_path / encoding)):
        result = read_source(source)
        report = result.report
        assert report.cells == distinct.cells, source.suffix
        assert report.meta.agency == "示例县交通运输局"  # the signature's full name, not the title's short one
        assert report.meta.title == "县交通运输局2026年政府信息公开工作年度报告"
        assert report.meta.date == dt.date(2027, 1, 22)
        assert report.text["overview"] == distinct.text["overview"]
        assert report.text["problems"] == distinct.text["problems"]
        assert "版权所有" not in report.text["other_matters"]
        extra = [p for p in result.problems if p.rule == "import.extra_row"]
        assert len(extra) == 1 and "其他主动公开文件" in extra[0].message and "12" in extra[0].message
        # the blank 科研机构 cell: its row total and the （七） column agree with the parts still
        assert not [p for p in result.problems if p.rule in ("import.total_mismatch", "import.unreadable_cell")]


def _page(tmp_path: Path, report, **kwargs) -> Path:
    page = tmp_path / "p.html"
    page.write_text(report_page(report, **kwargs).replace("{charset}", "utf-8"), encoding="utf-8")
    return page


def test_unreadable_cells_are_reported_not_guessed(distinct, tmp_path):
    page = _page(tmp_path, distinct, messy=False)
    text = page.read_text(encoding="utf-8").replace("<span>2</span><span>629</span>", "约2629")
    page.write_text(text, encoding="utf-8")
    result = read_source(page)
    assert ("art20_5", "licensing", "decisions") not in result.report.cells
    (problem,) = [p for p in result.problems if p.rule == "import.unreadable_cell"]
    assert "“约2629”无法识别为数字" in problem.message


def test_a_published_total_that_disagrees_is_kept_apart(distinct, tmp_path):
    page = _page(tmp_path, distinct, messy=False)
    text = page.read_text(encoding="utf-8").replace("<span>2</span><span>5053</span>", "25054")
    page.write_text(text, encoding="utf-8")
    result = read_source(page)
    assert result.report.cells == distinct.cells  # the parts are kept
    (problem,) = [p for p in result.problems if p.rule == "import.total_mismatch"]
    assert problem.cells == (("requests", "received", "total"),)
    assert "原文合计为25054，各项相加为25053" in problem.message


def test_a_total_with_blank_parts_is_never_spread(distinct, tmp_path):
    for col in APPLICANTS[:-1]:
        distinct.set_cell(("requests", "carried_in", col), None)
    page = _page(tmp_path, distinct, messy=False)
    text = page.read_text(encoding="utf-8")
    start = text.index("二、上年结转政府信息公开申请数量")
    end = text.index("</tr>", start)
    row = text[start:end]
    row = row[: row.rindex("<p>0</p>")] + "<p>1233</p>" + row[row.rindex("<p>0</p>") + len("<p>0</p>"):]  # only 总计
    page.write_text(text[:start] + row + text[end:], encoding="utf-8")
    result = read_source(page)
    assert not any(a[1] == "carried_in" for a in result.report.cells)
    (problem,) = [p for p in result.problems if p.rule == "import.unsplit_total"]
    assert problem.cells == (("requests", "carried_in", "total"),)
    assert "原文只填了合计1233" in problem.message
    assert not [p for p in result.problems if p.rule == "import.total_mismatch" and p.cells == problem.cells]


def test_a_missing_table_is_reported(distinct, tmp_path):
    page = tmp_path / "p.html"
    page.write_text(report_page(distinct, omit=("appeals",)).replace("{charset}", "utf-8"), encoding="utf-8")
    result = read_source(page)
    assert any(p.rule == "import.missing" and "表四" in p.message for p in result.problems)
    assert not any(a[0] == "appeals" for a in result.report.cells)
    assert result.report.cells == {a: v for a, v in distinct.cells.items() if a[0] != "appeals"}


def test_no_tables_and_corrupt_files(tmp_path):
    page = tmp_path / "news.html"
    page.write_text("<html><body><p>某局召开政府信息公开工作会议</p></body></html>", encoding="utf-8")
    with pytest.raises(ImportFailed, match="没有找到年度报告的表格"):
        read_source(page)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ImportFailed, match="不是有效的 Word 文档"):
        read_source(broken)
    with pytest.raises(ImportFailed, match="不支持导入"):
        read_source(Path(__file__))


def test_cli_import(fixtures_dir, tmp_path):
    out = tmp_path / "sh.nianbao"
    result = run_cli("import", str(fixtures_dir / "shanghai_office_2019.html"), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert "识别：《中华人民共和国政府信息公开工作年度报告格式（试行）》，上海市人民政府办公厅，2019年度" in result.stdout.decode()
    assert store.load(out).cells[("requests", "received", "natural")] == 821
    news = tmp_path / "news.html"
    news.write_text("<p>没有表格</p>", encoding="utf-8")
    target = tmp_path / "none.nianbao"
    failed = run_cli("import", str(news), "-o", str(target))
    assert failed.returncode == 2 and "没有找到年度报告的表格" in failed.stderr.decode()
    assert not target.exists()
    renamed = run_cli("import", str(fixtures_dir / "chengbu_commerce_2019.txt"), "-o", str(tmp_path / "s.nianbao"),
                      "--agency", "城步县商务局", "--year", "2019")
    assert renamed.returncode == 0
    assert store.load(tmp_path / "s.nianbao").meta.agency == "城步县商务局"


def test_doc_without_libreoffice_says_what_to_do(tmp_path, monkeypatch):
    from export.reading import doc_reader

    doc = tmp_path / "old.doc"
    doc.write_bytes(doc_reader.OLE2 + b" old word")
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: None)
    with pytest.raises(ImportFailed, match=r"没有找到用来转换它的 LibreOffice。.*另存为”Word 文档（\.docx）后再导入"):
        read_source(doc)


def test_an_old_doc_through_libreoffice(distinct, tmp_path):
    docx = tmp_path / "r.docx"
    write_docx(distinct, docx)
    doc = soffice_convert(docx, "doc", tmp_path / "doc")
    result = read_source(doc)
    assert result.report.cells == distinct.cells
    assert result.report.meta.agency == "示例县交通运输局"
