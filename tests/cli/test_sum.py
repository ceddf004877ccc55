"""`nianbao sum`: the units' reports of one year and format added up into the 本级 report's start."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
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
    assert lines[1:4] == [f"计入：{REGION}教育局（教育局.docx）", f"计入：{REGION}商务局（商务局.nianbao）",
                          f"计入：{REGION}卫生健康局（卫生健康局.xlsx）"]  # the batch's order: by unit (拼音)
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


def test_the_region_most_units_name_or_none(units_folder, tmp_path):
    """Units without one shared region: the region most of them name, said as such; when none has a
    majority, the name is left to the clerk (said once, without doubled brackets)."""
    out = tmp_path / "s.nianbao"
    store.save(make_report("儒林镇人民政府", 2025, {}), units_folder / "儒林镇.nianbao", backup=False)
    result = run("sum", str(units_folder), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert store.load(out).meta.agency == f"{REGION}人民政府"
    assert result.stdout.decode("utf-8").splitlines()[0].endswith(
        f"（{REGION}人民政府，名称取自多数单位名称中的地名（4个单位中3个），请核对）")
    for name in ("丹口镇人民政府", "西岩镇人民政府"):
        store.save(make_report(name, 2025, {}), units_folder / f"{name}.nianbao", backup=False)
    result = run("sum", str(units_folder), "-o", str(out), "--force")
    first = result.stdout.decode("utf-8").splitlines()[0]
    assert store.load(out).meta.agency == ""
    assert first.endswith(f"保存为本级报告：{out}（未能确定本级机关名称：各单位名称中没有多数共有的地名，"
                          "请在窗口“基本信息”中填写，或用 --agency 指定）")
    assert "（（" not in first and "））" not in first


def test_mixed_years_refused_or_chosen(units_folder, tmp_path):
    store.save(make_report(f"{REGION}司法局", 2024, {}), units_folder / "司法局.nianbao", backup=False)
    out = tmp_path / "s.nianbao"
    result = run("sum", str(units_folder), "-o", str(out))
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.decode("utf-8").strip() == (
        "未汇总：报告的年度不一致，不能相加：2024年度1份（司法局.nianbao）；2025年度3份（教育局.docx、商务局.nianbao、"
        "卫生健康局.xlsx）。请用 --year 指定要汇总的年度。")
    result = run("sum", str(units_folder), "-o", str(out), "--year", "2025")
    assert result.returncode == 0
    assert f"未计入：{REGION}司法局（司法局.nianbao）：2024年度" in result.stdout.decode("utf-8")


def test_a_report_of_another_year_or_region_is_never_the_level(units_folder, tmp_path):
    """A published report kept for reference (another region, another year) and last year's own 县政府
    report: without --year the years differ (refused); with it they are left out as other years —
    neither is taken as the 本级 report nor names the sum."""
    reference = make_report("淮安市洪泽区人民政府", 2024, {})
    store.save(reference, units_folder / "参考：洪泽区2024年报.nianbao", backup=False)
    store.save(make_report(f"{REGION}人民政府", 2024, {}), units_folder / "县政府2024.nianbao", backup=False)
    out = tmp_path / "s.nianbao"
    result = run("sum", str(units_folder), "-o", str(out))
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.decode("utf-8").startswith("未汇总：报告的年度不一致，不能相加：2024年度2份（")
    result = run("sum", str(units_folder), "-o", str(out), "--year", "2025")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0].endswith(f"（{REGION}人民政府，名称取自各单位名称的共同地名）")
    assert "未计入：淮安市洪泽区人民政府（参考：洪泽区2024年报.nianbao）：2024年度" in lines
    assert f"未计入：{REGION}人民政府（县政府2024.nianbao）：2024年度" in lines
    assert not [line for line in lines if "本级报告本身" in line]
    # the same reference report of this year: another region's government is still not the 本级
    store.save(make_report("淮安市洪泽区人民政府", 2025, {}), units_folder / "参考：洪泽区2024年报.nianbao", backup=False)
    (units_folder / "县政府2024.nianbao").unlink()
    result = run("sum", str(units_folder), "-o", str(out), "--force", "--allow-errors")
    lines = result.stdout.decode("utf-8").splitlines()
    assert "计入：淮安市洪泽区人民政府（参考：洪泽区2024年报.nianbao）" in lines  # a unit like any other, not the 本级
    assert lines[0].endswith(f"（{REGION}人民政府，名称取自多数单位名称中的地名（4个单位中3个），请核对）")


def test_mixed_formats_refused(units_folder, tmp_path):
    old = Report("gov-2019", Meta(agency=f"{REGION}司法局", year=2025))  # the year needs gov-2021
    store.save(old, units_folder / "司法局.nianbao", backup=False)
    result = run("sum", str(units_folder), "-o", str(tmp_path / "s.nianbao"))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").startswith(
        "未汇总：2025年度的报告使用的格式不一致，不能相加：《中华人民共和国政府信息公开工作年度报告格式（试行）》1份（司法局.nianbao）；")
    result = run("sum", str(units_folder), "-o", str(tmp_path / "s.nianbao"), "--partial")
    assert result.returncode == 0, result.stderr.decode()
    assert f"未计入：{REGION}司法局（司法局.nianbao）：格式不同" in result.stdout.decode("utf-8")


def test_every_reason_at_once(units_folder, tmp_path):
    """An unreadable file, a compressed folder, another year, another format and a unit with errors:
    one run says all of them, each with the option that accepts it."""
    from tests.batch_folder import FINANCE

    (units_folder / "坏.docx").write_bytes(b"broken")
    with zipfile.ZipFile(units_folder / "长安营镇.zip", "w") as archive:
        archive.writestr("长安营镇2025年报.docx", b"x")
    store.save(make_report(f"{REGION}司法局", 2024, {}), units_folder / "司法局.nianbao", backup=False)
    store.save(Report("gov-2019", Meta(agency=f"{REGION}水利局", year=2025)), units_folder / "水利局.nianbao", backup=False)
    store.save(make_report(f"{REGION}财政局", 2025, FINANCE, balance=False), units_folder / "财政局.nianbao", backup=False)
    out = tmp_path / "s.nianbao"
    result = run("sum", str(units_folder), "-o", str(out))
    assert result.returncode == 2 and not out.exists()
    lines = result.stderr.decode("utf-8").splitlines()
    assert lines[0] == "未汇总，原因有4个："
    assert lines[1] == ("1. 有2个文件无法读取或是未解压的压缩包，不能计入（否则合计会漏掉这些单位）：坏.docx、长安营镇.zip。"
                        "请修复、解压或移出这些文件；或加 --partial 只汇总其余报告。")
    assert lines[2].startswith("2. 报告的年度不一致，不能相加：2024年度1份（司法局.nianbao）；2025年度5份（")
    assert lines[2].endswith("。请用 --year 指定要汇总的年度。")
    assert lines[3].startswith("3. 2025年度的报告使用的格式不一致，不能相加：")
    assert lines[4] == (f"4. 1个单位的报告有错误，相加后本级报告也会带有这些错误：{REGION}财政局（财政局.nianbao：自然人列："
                        "第一项+第二项=3，第三项（七）总计+第四项=2，相差1）。请先退回这些单位改正；或加 --allow-errors 照常相加。")
    result = run("sum", str(units_folder), "-o", str(out), "--year", "2025", "--partial")
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").startswith("未汇总：1个单位的报告有错误")
    result = run("sum", str(units_folder), "-o", str(out), "--year", "2025", "--partial", "--allow-errors")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[1:3] == [
        "注意：1 个单位的报告有错误，已照常相加（--allow-errors），本级报告中相应的格子会带有这些错误，请督促这些单位改正：",
        f"    有错误：{REGION}财政局（财政局.nianbao）：自然人列：第一项+第二项=3，第三项（七）总计+第四项=2，相差1"]
    assert f"计入（有错误）：{REGION}财政局（财政局.nianbao）" in lines
    assert "未计入：长安营镇.zip（长安营镇.zip）：压缩包，未解压" in lines
    assert "未计入：坏.docx（坏.docx）：无法读取" in lines


def test_two_versions_of_a_unit_the_newer_counts(units_folder, tmp_path):
    """Two reports of one unit are not refused: the version a clear rule picks counts (a name saying
    修改稿 over one that does not; else the later modification time), and the output says which and why."""
    commerce = _units()[0]
    revised = commerce.copy()
    revised.cells[("requests", "granted", "natural")] = 4  # one more request granted
    revised.cells[("requests", "received", "natural")] = commerce.number(("requests", "received", "natural")) + 1
    store.save(revised, units_folder / "商务局（修改稿）.nianbao", backup=False)
    os.utime(units_folder / "商务局（修改稿）.nianbao", (1_700_000_000, 1_700_000_000))  # older, but named 修改稿
    out = tmp_path / "s.nianbao"
    result = run("sum", str(units_folder), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert f"计入：{REGION}商务局（商务局（修改稿）.nianbao）" in lines
    assert (f"未计入：{REGION}商务局（商务局.nianbao）：与“商务局（修改稿）.nianbao”重复，以“商务局（修改稿）.nianbao”为准"
            "（文件名标明“修改稿”）") in lines
    assert store.load(out).cells[("requests", "granted", "natural")] == 4 + 4
    (units_folder / "商务局（修改稿）.nianbao").rename(units_folder / "商务局副本.nianbao")
    os.utime(units_folder / "商务局.nianbao", (1_600_000_000, 1_600_000_000))  # now the older one
    result = run("sum", str(units_folder), "-o", str(out), "--force")
    lines = result.stdout.decode("utf-8").splitlines()
    assert f"计入：{REGION}商务局（商务局副本.nianbao）" in lines
    (left,) = [line for line in lines if line.startswith(f"未计入：{REGION}商务局（商务局.nianbao）")]
    newer, older = (dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S") for t in (1_700_000_000, 1_600_000_000))
    assert left.endswith(f"，以“商务局副本.nianbao”为准（修改时间{newer}，晚于另一份的{older}）")
