"""The Excel workbook: layout, values, the 校验 formulas, and reading it back (also after hand edits)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from export.importing import ImportFailed
from export.xlsx import CHECK_SHEET, META_SHEET, TABLE_SHEETS, TITLE_ROWS, write_xlsx
from export.xlsx_reader import read_xlsx
from model import store
from model.formats import FORMATS, GOV_2021, TEXT_SECTIONS, Role
from model.report import Meta, Report
from model.values import NA, Kind
from tests.conftest import run_cli
from tests.export.docx_helpers import soffice_convert

ROOT = Path(__file__).resolve().parents[2]


def _value(kind: Kind):
    if kind is Kind.AMOUNT:
        return st.one_of(st.just(NA), st.decimals(min_value=0, max_value=Decimal("999999999.999999"), places=6,
                                                  allow_nan=False, allow_infinity=False))
    return st.one_of(st.just(NA), st.integers(-9_999_999 if kind is Kind.SIGNED else 0, 9_999_999))


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30)


@st.composite
def reports(draw) -> Report:
    fmt = draw(st.sampled_from(list(FORMATS.values())))
    year = draw(st.integers(2019, 2020) if fmt.id == "gov-2019" else st.integers(2021, 2030))
    cells = {a: draw(_value(fmt.column(a).kind)) for a in draw(st.lists(st.sampled_from(fmt.input_cells), unique=True, max_size=80))}
    meta = Meta(agency=draw(TEXT), year=year, date=draw(st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2035, 1, 1)))),
                title=draw(st.one_of(st.none(), TEXT.filter(bool))),
                procurement_unit=draw(st.sampled_from(["万元", "元"])) if fmt.id == "gov-2019" else "万元")
    text = {k: draw(st.one_of(TEXT, st.lists(TEXT, max_size=3).map("\n".join))) for k in TEXT_SECTIONS}
    return Report(fmt.id, meta, text, cells)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(report=reports())
def test_export_then_import_is_the_identity(report, tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(report, path)
    result = read_xlsx(path)
    back = result.report
    assert back.format_id == report.format_id
    assert back.meta == report.meta
    assert back.text == report.text
    assert back.cells == report.cells
    assert all(not isinstance(v, float) for v in back.cells.values())
    assert [p.rule for p in result.problems] == []


def test_round_trip_of_the_fixtures(distinct, example, tmp_path):
    for report in (distinct, example):
        path = tmp_path / f"{report.meta.year}.xlsx"
        write_xlsx(report, path)
        back = read_xlsx(path).report
        assert (back.meta, back.text, back.cells) == (report.meta, report.text, report.cells)


def test_sheets_layout_and_print_setup(distinct, tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(distinct, path)
    book = load_workbook(path)
    assert book.sheetnames == [META_SHEET, *TABLE_SHEETS.values(), CHECK_SHEET]
    for key, layout in GOV_2021.layouts.items():
        sheet = book[TABLE_SHEETS[key]]
        merged = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges}
        expected = {(c.row + 1 + TITLE_ROWS, c.col + 1, c.row + TITLE_ROWS + c.rowspan, c.col + c.colspan)
                    for c in layout.cells if c.rowspan > 1 or c.colspan > 1}
        expected.add((1, 1, 1, layout.n_cols))  # the section heading
        assert merged == expected, key
        for cell in layout.cells:
            value = sheet.cell(cell.row + 1 + TITLE_ROWS, cell.col + 1).value
            if cell.address:
                shown = distinct.value(cell.address)
                if isinstance(value, float):
                    value = Decimal(repr(value))
                assert value == ("/" if shown is NA else shown), cell.address
            else:
                assert value == cell.text
        assert sheet.freeze_panes == f"{chr(ord('A') + layout.label_cols)}{1 + TITLE_ROWS + layout.header_rows}"
        assert all(sheet.column_dimensions[chr(ord("A") + c)].width for c in range(min(layout.n_cols, 10)))
        assert all(sheet.row_dimensions[r].height for r in range(1, layout.n_rows + 2))
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert {sheet.cell(c.row + 2, c.col + 1).font.charset for c in layout.cells} == {134}
    requests = book[TABLE_SHEETS["requests"]]
    total = requests.cell(*[p + 1 for p in GOV_2021.layouts["requests"].positions[("requests", "received", "total")]])
    assert requests.cell(total.row + TITLE_ROWS, total.column).value == 25053  # a derived total, as a number
    fees = book[TABLE_SHEETS["proactive"]]
    r, c = GOV_2021.layouts["proactive"].positions[("art20_8", "fees", "amount")]
    amount = fees.cell(r + 1 + TITLE_ROWS, c + 1)
    assert amount.value == pytest.approx(5949.088667) and amount.number_format == "0.000000"


def test_blank_stays_empty_and_zero_is_zero(distinct, tmp_path):
    distinct.set_cells({("requests", "received", "natural"): None, ("requests", "received", "business"): 0})
    path = tmp_path / "r.xlsx"
    write_xlsx(distinct, path)
    sheet = load_workbook(path)[TABLE_SHEETS["requests"]]
    layout = GOV_2021.layouts["requests"]
    natural = layout.positions[("requests", "received", "natural")]
    business = layout.positions[("requests", "received", "business")]
    assert sheet.cell(natural[0] + 1 + TITLE_ROWS, natural[1] + 1).value is None
    assert sheet.cell(business[0] + 1 + TITLE_ROWS, business[1] + 1).value == 0
    back = read_xlsx(path).report
    assert ("requests", "received", "natural") not in back.cells
    assert back.cells[("requests", "received", "business")] == 0


def test_libreoffice_recalculation_agrees_with_the_stored_results(distinct, tmp_path):
    distinct.set_cell(("requests", "granted", "legal"), 145)  # one failing column, so not every row says 通过
    path = tmp_path / "check.xlsx"
    write_xlsx(distinct, path)
    formulas = load_workbook(path)[CHECK_SHEET]
    recalculated = load_workbook(soffice_convert(path, "xlsx", tmp_path / "lo"), data_only=True)[CHECK_SHEET]
    checked = 0
    for row in range(2, formulas.max_row + 1):
        formula = formulas.cell(row, 5).value
        if not (isinstance(formula, str) and formula.startswith("=")):
            continue
        assert recalculated.cell(row, 5).value == formulas.cell(row, 4).value, row  # live difference = stored
        assert recalculated.cell(row, 6).value == formulas.cell(row, 3).value, row  # live result = stored
        checked += 1
    assert checked == 6 + 25 + 6 + 3  # six columns, table 三's 总计 column and （七）总计 row, table 四's 总计
    assert [formulas.cell(r, 3).value for r in range(2, 8)] == ["通过"] * 4 + ["不通过", "通过"]


def test_a_workbook_edited_by_hand(distinct, tmp_path):
    path = tmp_path / "edited.xlsx"
    write_xlsx(distinct, path)
    book = load_workbook(path)
    sheet = book[TABLE_SHEETS["requests"]]
    layout = GOV_2021.layouts["requests"]

    def at(address):
        r, c = layout.positions[address]
        return sheet.cell(r + 1 + TITLE_ROWS, c + 1)

    at(("requests", "granted", "natural")).value = 319  # was 318: 总计 and （七）总计 now disagree
    at(("requests", "received", "legal")).value = "４３３６"  # typed as text, full width
    at(("requests", "carried_in", "other")).value = " 188 "
    at(("requests", "partial", "research")).value = "约5"
    del book[CHECK_SHEET]
    del book[TABLE_SHEETS["appeals"]]
    book.save(path)
    result = read_xlsx(path)
    cells = result.report.cells
    assert cells[("requests", "granted", "natural")] == 319
    assert cells[("requests", "received", "legal")] == 4336
    assert cells[("requests", "carried_in", "other")] == 188
    assert ("requests", "partial", "research") not in cells
    rules = sorted(p.rule for p in result.problems)
    assert rules == ["import.missing"] + ["import.total_mismatch"] * 5 + ["import.unreadable_cell"]
    mismatch = {p.cells[0] for p in result.problems if p.rule == "import.total_mismatch"}
    # 319 breaks the 予以公开 总计 and the 自然人 （七）总计; the unreadable 约5, left blank, breaks two more;
    # both break the grand total
    assert mismatch == {("requests", "granted", "total"), ("requests", "handled_total", "natural"),
                        ("requests", "partial", "total"), ("requests", "handled_total", "research"),
                        ("requests", "handled_total", "total")}
    message = next(p.message for p in result.problems if p.cells == (("requests", "granted", "total"),))
    assert message == "表三 （一）予以公开 · 总计：原文合计为1163，各项相加为1164；已按各项重新计算合计"
    assert "“约5”无法识别为数字" in next(p.message for p in result.problems if p.rule == "import.unreadable_cell")
    assert "“表四 复议诉讼”页" in next(p.message for p in result.problems if p.rule == "import.missing")
    assert not any(a[0] == "appeals" for a in cells)


def test_rows_moved_and_a_local_row_added(distinct, tmp_path):
    path = tmp_path / "moved.xlsx"
    write_xlsx(distinct, path)
    book = load_workbook(path)
    sheet = book[TABLE_SHEETS["proactive"]]
    # swap the 行政处罚 and 行政强制 rows (labels and numbers), and add a local row under 第（一）项
    layout = GOV_2021.layouts["proactive"]
    r1 = layout.positions[("art20_6", "penalty", "decisions")][0] + 1 + TITLE_ROWS
    r2 = layout.positions[("art20_6", "coercion", "decisions")][0] + 1 + TITLE_ROWS
    for col in (1, 2):
        a, b = sheet.cell(r1, col), sheet.cell(r2, col)
        a.value, b.value = b.value, a.value
    book.save(path)
    back = read_xlsx(path).report
    assert back.cells[("art20_6", "penalty", "decisions")] == 1330
    assert back.cells[("art20_6", "coercion", "decisions")] == 5454
    # someone unmerged the cells and put a local row in (openpyxl's insert_rows ignores merges)
    for merged in list(sheet.merged_cells.ranges):
        sheet.unmerge_cells(str(merged))
    sheet.move_range(f"A5:D{sheet.max_row}", rows=1)
    sheet.cell(5, 1, "其他主动公开文件")
    sheet.cell(5, 2, 12)
    book.save(path)
    result = read_xlsx(path)
    assert result.report.cells[("art20_1", "normative_docs", "in_force")] == 4036
    (extra,) = [p for p in result.problems if p.rule == "import.extra_row"]
    assert extra.severity == "info" and "“其他主动公开文件”不是格式规定的栏目" in extra.message and "12" in extra.message


def test_not_ours_and_corrupt(tmp_path):
    from openpyxl import Workbook

    other = tmp_path / "other.xlsx"
    book = Workbook()
    book.active["A1"] = "工资表"
    book.save(other)
    with pytest.raises(ImportFailed, match="不是年报助手导出的工作簿"):
        read_xlsx(other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFailed, match="不是有效的 Excel 工作簿"):
        read_xlsx(broken)
    with pytest.raises(ImportFailed, match="找不到该文件"):
        read_xlsx(tmp_path / "none.xlsx")


def test_cli_export_and_import(distinct, tmp_path):
    source = tmp_path / "r.nianbao"
    store.save(distinct, source)
    book = tmp_path / "r.xlsx"
    assert run_cli("export", str(source), "--xlsx", str(book)).returncode == 0
    out = tmp_path / "back.nianbao"
    result = run_cli("import", str(book), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert "识别：《中华人民共和国政府信息公开工作年度报告格式》，示例县交通运输局，2026年度" in result.stdout.decode()
    assert store.load(out).cells == distinct.cells
    again = run_cli("import", str(book), "-o", str(out))
    assert again.returncode == 2 and "未覆盖" in again.stderr.decode()
    assert run_cli("import", str(book), "-o", str(out), "--force", "--year", "2027").returncode == 0
    assert store.load(out).meta.year == 2027
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"garbage")
    bad = run_cli("import", str(broken), "-o", str(tmp_path / "x.nianbao"))
    assert bad.returncode == 2 and "不是有效的 Excel 工作簿" in bad.stderr.decode()
    assert not (tmp_path / "x.nianbao").exists()


def test_derived_cells_are_grey_and_labels_bold(distinct, tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(distinct, path)
    sheet = load_workbook(path)[TABLE_SHEETS["appeals"]]
    layout = GOV_2021.layouts["appeals"]
    for cell in layout.cells:
        target = sheet.cell(cell.row + 1 + TITLE_ROWS, cell.col + 1)
        if cell.role is Role.DERIVED:
            assert target.fill.fgColor.rgb.endswith("E4E4E4")
        if cell.role is Role.HEADER:
            assert target.font.bold


def test_a_text_that_equals_a_label(tmp_path):
    """Found by hypothesis: 五's text was exactly “六、其他需要报告的事项”."""
    report = Report("gov-2021", Meta(agency="", year=2021))
    report.text.update(problems="六、其他需要报告的事项", other_matters="0")
    path = tmp_path / "r.xlsx"
    write_xlsx(report, path)
    assert read_xlsx(path).report.text == report.text


def test_renamed_sheets_are_found_by_their_labels(distinct, tmp_path):
    path = tmp_path / "renamed.xlsx"
    write_xlsx(distinct, path)
    book = load_workbook(path)
    for i, name in enumerate(TABLE_SHEETS.values()):
        book[name].title = f"Sheet{i + 2}"
    book.save(path)
    result = read_xlsx(path)
    assert result.report.cells == distinct.cells
    assert not [p for p in result.problems if p.rule == "import.missing"]


def test_check_sheet_and_format_in_chinese(distinct, example, tmp_path):
    """Rule names and the format's official title, never ids like requests.balance or gov-2021."""
    distinct.set_cell(("requests", "granted", "legal"), 145)
    path = tmp_path / "zh.xlsx"
    write_xlsx(distinct, path)
    book = load_workbook(path)
    check = book[CHECK_SHEET]
    names = [check.cell(row, 1).value for row in range(2, check.max_row + 1)]
    assert names[:6] == ["表三勾稽关系"] * 6
    assert names[6:40] == ["合计等于各项之和"] * 34
    assert names[40:] == ["其他处理占比超过10%"]  # the failing column is in the rows above, with its formula
    assert not [name for name in names if any(ch.isascii() and ch.isalpha() for ch in name)]
    meta = book[META_SHEET]
    assert [meta.cell(4, 1).value, meta.cell(4, 2).value] == ["报告格式", "2021年版格式（国办公开办函〔2021〕30号）"]
    write_xlsx(example, path)
    assert load_workbook(path)[META_SHEET].cell(4, 2).value == "2019年版格式（试行，国办公开办函〔2019〕60号）"
    assert read_xlsx(path).report.format_id == "gov-2019"


def test_a_workbook_naming_its_format_by_id_still_reads(example, tmp_path):
    path = tmp_path / "old.xlsx"
    write_xlsx(example, path)
    book = load_workbook(path)
    book[META_SHEET].cell(4, 2).value = "gov-2019（《中华人民共和国政府信息公开工作年度报告格式（试行）》）"
    book.save(path)
    result = read_xlsx(path)
    assert result.report.format_id == "gov-2019"
    assert [p.rule for p in result.problems] == []


def test_the_first_row_says_in_plain_chinese_where_the_workbook_came_from(distinct, tmp_path):
    """"说明 | 本工作簿由年报助手导出…", not "文件 | 年报助手工作簿 1"; workbooks of both kinds read back, even
    when a spreadsheet program dropped the document properties on saving."""
    path = tmp_path / "new.xlsx"
    write_xlsx(distinct, path)
    book = load_workbook(path)
    meta = book[META_SHEET]
    assert [meta.cell(1, 1).value, meta.cell(1, 2).value] == ["说明", "本工作簿由年报助手导出。修改后可在年报助手中用“文件 → 导入”读回。"]
    book.properties.keywords = None  # as some programs save it
    book.save(path)
    assert read_xlsx(path).report.cells == distinct.cells
    meta["A1"], meta["B1"] = "文件", "年报助手工作簿 1"  # a workbook exported before
    book.save(path)
    assert read_xlsx(path).report.cells == distinct.cells
    meta["B1"] = "工资表"
    book.save(path)
    with pytest.raises(ImportFailed, match="不是年报助手导出的工作簿"):
        read_xlsx(path)


def test_rows_are_as_tall_as_their_wrapped_texts(distinct, tmp_path):
    """The 校验 sheet's long 说明 and 核对项目 wrap onto as many lines as their column needs, and the row
    is set that tall (LibreOffice printed them one line high, overlapping)."""
    from export.xlsx import LINE_POINTS, wrapped_lines

    assert wrapped_lines("一二三四五", 12) == 1 and wrapped_lines("一二三四五六", 12) == 2  # 2 units a character
    assert wrapped_lines("abc\n一", 80) == 2 and wrapped_lines("1" * 157, 80) == 2 and wrapped_lines("1" * 158, 80) == 3
    distinct.text["overview"] = "2025年，我局共收到申请3件。" + distinct.text["overview"]  # a stale year: a long 说明
    path = tmp_path / "tall.xlsx"
    write_xlsx(distinct, path)
    book = load_workbook(path)
    check = book[CHECK_SHEET]
    rows = {check.cell(r, 7).value: check.row_dimensions[r].height for r in range(2, check.max_row + 1)}
    stale = next(message for message in rows if message and "把2025年当作本年度来写" in message)
    assert wrapped_lines(stale, 80) >= 2
    assert rows[stale] == LINE_POINTS * wrapped_lines(stale, 80) + 5
    items = {check.cell(r, 2).value: check.row_dimensions[r].height for r in range(2, check.max_row + 1)}
    long_item = "表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） · 总计：合计等于各项之和"
    assert items[long_item] == LINE_POINTS * 2 + 5
    assert items["表四 行政复议 · 总计：合计等于各项之和"] == 19
    meta = book[META_SHEET]
    assert meta.row_dimensions[1].height == 20
    overview_row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "一、总体情况")
    assert meta.row_dimensions[overview_row].height == LINE_POINTS * wrapped_lines(distinct.text["overview"], 100) + 5
