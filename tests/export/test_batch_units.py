"""A 公开办's real folder in small: units named short or long on the list, townships renamed, a scan
that cannot be read, a zip, a unit's own Excel table — matched to the list and to last year's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from export.batch import run_batch
from export.batch_workbook import write_result
from model import store
from tests.batch_folder import COMMERCE, REGION, make_report

LIST = ["儒林镇", "茅坪镇政府", "城步县白毛坪镇", "城步苗族自治县丹口镇人民政府", "五团镇人民政府", "长安营镇", "汀坪乡",
        "兰蓉乡", "县发改局", "县商务局"]


def _save(report, path: Path) -> None:
    store.save(report, path, backup=False)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("units")
    this, last = root / "2025", root / "2024"
    (this / "乡镇").mkdir(parents=True)
    last.mkdir()
    for unit, file in (("儒林镇人民政府", "乡镇/儒林镇.nianbao"), ("茅坪镇人民政府", "乡镇/茅坪镇2025年政务公开年报.nianbao"),
                       ("白毛坪镇人民政府", "乡镇/白毛坪镇.nianbao"), ("丹口镇人民政府", "乡镇/丹口镇.nianbao"),
                       (f"{REGION}发展和改革局", "发改局.nianbao"), (f"{REGION}商务局", "商务局.nianbao")):
        _save(make_report(unit, 2025, COMMERCE), this / file)
    (this / "乡镇" / "五团镇年报（盖章扫描件）.docx").write_bytes(b"%PDF-1.4 a scan, not a Word file")
    with zipfile.ZipFile(this / "乡镇" / "长安营镇.zip", "w") as archive:
        archive.writestr("长安营镇2025年报.docx", b"x")
    table = Workbook()
    table.active.append(["项目", "数量"])
    table.save(this / "乡镇" / "汀坪乡年报表格.xlsx")  # the unit's own table, not our export
    for unit in ("白毛坪乡人民政府", "金紫乡人民政府", "五团镇人民政府", "长安营镇人民政府", "兰蓉乡人民政府", "儒林镇人民政府"):
        _save(make_report(unit, 2024, {}), last / f"{unit}2024.nianbao")
    names = root / "名单.txt"
    names.write_text("\n".join(LIST), encoding="utf-8")
    return {"this": this, "last": last, "list": names}


def test_the_list_matches_short_names_renamed_townships_and_files(folders):
    result = run_batch(folders["this"], expect=folders["list"])
    assert [(x.name, x.situation, x.file) for x in result.expected] == [
        ("儒林镇", "已报送", "乡镇/儒林镇.nianbao"),
        ("茅坪镇政府", "已报送", "乡镇/茅坪镇2025年政务公开年报.nianbao"),
        ("城步县白毛坪镇", "已报送（名称不同，推测为“白毛坪镇人民政府”）", "乡镇/白毛坪镇.nianbao"),
        ("城步苗族自治县丹口镇人民政府", "已报送（名称不同，推测为“丹口镇人民政府”）", "乡镇/丹口镇.nianbao"),
        # a file that gave no report counts by its file name — a guess unless the name is the unit's own
        ("五团镇人民政府", "已报送，但文件无法读取（按文件名“五团镇年报（盖章扫描件）.docx”推测）",
         "乡镇/五团镇年报（盖章扫描件）.docx"),
        ("长安营镇", "已报送（压缩包，未核对）", "乡镇/长安营镇.zip"),
        ("汀坪乡", "已报送，但文件无法读取（按文件名“汀坪乡年报表格.xlsx”推测）", "乡镇/汀坪乡年报表格.xlsx"),
        ("兰蓉乡", "未报送", None),
        ("县发改局", f"已报送（简称，推测为“{REGION}发展和改革局”）", "发改局.nianbao"),
        ("县商务局", f"已报送（名称不同，推测为“{REGION}商务局”）", "商务局.nianbao"),
    ]
    assert result.unexpected == []


def test_a_unit_s_own_excel_table_and_a_zip(folders):
    result = run_batch(folders["this"])
    (table,) = [e for e in result.entries if e.rel.endswith("汀坪乡年报表格.xlsx")]
    assert table.outcome.reason == ("“汀坪乡年报表格.xlsx”不是年报助手导出的工作簿（像是单位自己制作的表格），"
                                    "无法读取其中的数字；请该单位报送 Word 或 PDF 格式的年度报告")
    assert ("乡镇/长安营镇.zip", "压缩包：内有“长安营镇2025年报.docx”报告文件，请解压后再核对") in result.skipped


def test_last_year_s_townships_and_the_files_that_gave_no_report(folders, tmp_path):
    """No list: last year's units that sent nothing are listed — but not those whose file came and
    could not be read (or is a zip): those are said as such. 白毛坪乡 became 白毛坪镇: a guess, said."""
    result = run_batch(folders["this"], last_year=folders["last"])
    (town,) = [e for e in result.entries if e.agency == "白毛坪镇人民政府"]
    assert (town.last.agency, town.last_how) == ("白毛坪乡人民政府", "guess")
    (guess,) = [p for p in town.problems if p.rule == "batch.name_guess"]
    assert guess.message == ("上年报告按名称推测匹配：上年为“白毛坪乡人民政府”（白毛坪乡人民政府2024.nianbao），"
                             "本年为“白毛坪镇人民政府”，两者只差“乡”“镇”（撤乡设镇或乡镇合并？）；如不是同一单位，跨年核对的提醒不适用")
    assert [o.agency for o in result.gone] == ["兰蓉乡人民政府", "金紫乡人民政府"]
    assert [(o.agency, sent.rel, sent.situation) for o, sent in result.gone_sent] == [
        ("五团镇人民政府", "乡镇/五团镇年报（盖章扫描件）.docx", "已报送，但文件无法读取"),
        ("长安营镇人民政府", "乡镇/长安营镇.zip", "已报送（压缩包，未核对）")]
    write_result(result, tmp_path / "r.xlsx")
    rows = [row[1:4] for row in load_workbook(tmp_path / "r.xlsx")["未报送"].iter_rows(min_row=2, max_row=5, values_only=True)]
    assert rows == [
        ("兰蓉乡人民政府", "上年有报告（兰蓉乡人民政府2024.nianbao），本年未收到", None),
        ("金紫乡人民政府", "上年有报告（金紫乡人民政府2024.nianbao），本年未收到", None),
        ("五团镇人民政府", "上年有报告（五团镇人民政府2024.nianbao）；本年已报送，但文件无法读取（按文件名推测）",
         "乡镇/五团镇年报（盖章扫描件）.docx"),
        ("长安营镇人民政府", "上年有报告（长安营镇人民政府2024.nianbao）；本年已报送（压缩包，未核对）（按文件名推测）",
         "乡镇/长安营镇.zip"),
    ]
