"""`nianbao sum`: the units' reports of one year and format added up into the 本级 report's start."""

from __future__ import annotations

from pathlib import Path

import pytest

from export.batch_sum import Contribution, sum_reports
from model import store
from model.report import Meta, Report
from tests.batch_folder import COMMERCE, EDUCATION, HEALTH, REGION, make_report
from tests.conftest import run_cli as run


def _units() -> list[Report]:
    return [make_report(f"{REGION}商务局", 2025, COMMERCE), make_report(f"{REGION}教育局", 2025, EDUCATION),
            make_report(f"{REGION}卫生健康局", 2025, HEALTH)]


@pytest.fixture
def units_folder(tmp_path: Path) -> Path:
    from export.docx_writer import write_docx
    from export.xlsx import write_xlsx

    folder = tmp_path / "units"
    folder.mkdir()
    commerce, education, health = _units()
    store.save(commerce, folder / "商务局.nianbao", backup=False)
    write_docx(education, folder / "教育局.docx")
    write_xlsx(health, folder / "卫生健康局.xlsx")
    return folder


def test_sum_of_a_folder(units_folder, tmp_path):
    level = make_report(f"{REGION}人民政府", 2025, {("requests", "granted", "natural"): 100})
    store.save(level, units_folder / "县政府.nianbao", backup=False)  # the 本级 itself: not added in
    out = tmp_path / "本级汇总.nianbao"
    result = run("sum", str(units_folder), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0] == (f"已把 3 份2025年度报告（《中华人民共和国政府信息公开工作年度报告格式》）相加，保存为本级报告：{out}"
                        f"（{REGION}人民政府，名称取自本级报告）")
    assert lines[1:4] == [f"计入：{REGION}卫生健康局（卫生健康局.xlsx）", f"计入：{REGION}商务局（商务局.nianbao）",
                          f"计入：{REGION}教育局（教育局.docx）"]
    assert lines[4] == f"未计入：{REGION}人民政府（县政府.nianbao）：本级报告本身，不计入"
    assert lines[5].startswith("未相加：表二 第二十条第（一）项 规章 · 现行有效件数——现行有效件数是存量")
    summed = store.load(out)
    expected = sum_reports([Contribution(r, r.meta.agency) for r in _units()], agency=f"{REGION}人民政府")
    assert summed.cells == expected.cells
    assert summed.meta == Meta(agency=f"{REGION}人民政府", year=2025)
    assert summed.cells[("requests", "granted", "natural")] == 3 + 4
    assert ("art20_1", "normative_docs", "in_force") not in summed.cells
    again = run("sum", str(units_folder), "-o", str(out))
    assert again.returncode == 2 and "已存在" in again.stderr.decode("utf-8")


def test_sum_names_the_level_from_the_units(units_folder, tmp_path):
    out = tmp_path / "s.nianbao"
    result = run("sum", str(units_folder), "-o", str(out), "--agency", "城步县人民政府")
    assert result.returncode == 0
    assert store.load(out).meta.agency == "城步县人民政府"
    result = run("sum", str(units_folder), "-o", str(out), "--force")
    assert store.load(out).meta.agency == f"{REGION}人民政府"  # the region all units name
    assert "名称取自各单位名称的共同地名" in result.stdout.decode("utf-8")


def test_mixed_years_refused_or_chosen(units_folder, tmp_path):
    store.save(make_report(f"{REGION}司法局", 2024, {}), units_folder / "司法局.nianbao", backup=False)
    out = tmp_path / "s.nianbao"
    result = run("sum", str(units_folder), "-o", str(out))
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.decode("utf-8").strip() == (
        "报告的年度不一致，不能相加：2024年度1份（司法局.nianbao）；2025年度3份（卫生健康局.xlsx、商务局.nianbao、教育局.docx）。"
        "请只汇总同一年度的报告（可用 --year 指定年度）。")
    result = run("sum", str(units_folder), "-o", str(out), "--year", "2025")
    assert result.returncode == 0
    assert f"未计入：{REGION}司法局（司法局.nianbao）：2024年度" in result.stdout.decode("utf-8")


def test_mixed_formats_refused(units_folder, tmp_path):
    old = Report("gov-2019", Meta(agency=f"{REGION}司法局", year=2025))  # the year needs gov-2021
    store.save(old, units_folder / "司法局.nianbao", backup=False)
    result = run("sum", str(units_folder), "-o", str(tmp_path / "s.nianbao"))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").startswith(
        "报告使用的格式不一致，不能相加：《中华人民共和国政府信息公开工作年度报告格式（试行）》1份（司法局.nianbao）；")


def test_unreadable_or_doubled_units_refused(units_folder, tmp_path):
    (units_folder / "坏.docx").write_bytes(b"broken")
    result = run("sum", str(units_folder), "-o", str(tmp_path / "s.nianbao"))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").startswith("有1个文件无法读取，未汇总（否则合计会漏掉这些单位）：坏.docx。")
    (units_folder / "坏.docx").unlink()
    store.save(_units()[0], units_folder / "商务局副本.nianbao", backup=False)
    result = run("sum", str(units_folder), "-o", str(tmp_path / "s.nianbao"))
    assert result.returncode == 2
    assert "同一单位有多份报告，未汇总（否则会重复相加）：商务局.nianbao、商务局副本.nianbao" in result.stderr.decode("utf-8")
