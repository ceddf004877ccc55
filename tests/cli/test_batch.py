"""`nianbao batch` on a folder with reports of every kind (tests/batch_folder.py): the workbook's rows,
statuses, counts and ratios, and the JSON output, exactly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.batch_folder import DISMISSAL, REGION, build
from tests.conftest import ROOT
from tests.conftest import run_cli as run

EDUCATION_FILE = f"部门/{REGION}教育局2025年政府信息公开工作年度报告.docx"
FORESTRY_FILE = f"{REGION}林业局2025年报告.docx"
# (file, unit, year, kind, status, role, errors, warnings, infos, figures, ratios, last year's file and match),
# in the batch's order: 状态 worst first, then the unit (拼音 order; a file that could not be read by its name)
REPORTS = [
    (FORESTRY_FILE, "", None, "docx", "无法读取", "unit", 0, 0, 0, None, None, None),
    ("附件.docx", "", None, "docx", "无法读取", "unit", 0, 0, 0, None, None, None),
    ("财政局.xlsx", f"{REGION}财政局", 2025, "xlsx", "有错误", "unit", 1, 1, 0,
     [3, 3, 3, 0, 0, 0], [1.0, None, None], ("财政局2024.docx", "exact")),
    ("县政府.nianbao", f"{REGION}人民政府", 2025, "nianbao", "有警告", "level", 0, 2, 1,
     [19, 12, 20, 1, 3, 4], [0.7895, 0.5, 0.25], None),
    ("司法局.nianbao", f"{REGION}司法局", 2024, "nianbao", "有警告", "other_year", 0, 1, 0,
     [1, 1, 1, 0, 0, 0], [1.0, None, None], None),
    ("卫生健康局.html", f"{REGION}卫生健康局", 2025, "html", "有警告", "unit", 0, 1, 1,
     [0, 0, 0, 0, 0, 0], [None, None, None], None),
    (EDUCATION_FILE, f"{REGION}教育局", 2025, "docx", "通过", "unit", 0, 0, 0,
     [10, 4, 10, 0, 0, 2], [0.6667, None, 0.5], ("教育局2024.xlsx", "exact")),
    ("商务局.nianbao", f"{REGION}商务局", 2025, "nianbao", "通过", "unit", 0, 0, 1,
     [5, 3, 5, 1, 3, 2], [0.8, 0.5, 0.0], ("县商务局.nianbao", "guess")),
]
# the import's "识别为…格式" is left out (the format has its column); an old report is not looked up in
# last year's folder (司法局: no "没有该单位2023年度的报告")
RULES = {
    "卫生健康局.html": [("warning", "text.stale_year"), ("info", "batch.no_last_year")],
    "县政府.nianbao": [("warning", "batch.sum_mismatch"), ("warning", "batch.sum_mismatch"), ("info", "batch.no_last_year")],
    "司法局.nianbao": [("warning", "batch.year_mismatch")],
    "商务局.nianbao": [("warning", "meta.date"), ("info", "batch.name_guess")],  # the warning dismissed
    FORESTRY_FILE: [],
    "财政局.xlsx": [("error", "requests.balance"), ("warning", "requests.carry_in")],
    EDUCATION_FILE: [],
    "附件.docx": [],
}
FIGURE_KEYS = ["received", "granted", "handled", "carried_out", "review", "suits"]
RATIO_KEYS = ["disclosure", "review_correction", "suit_correction"]
EXPECTED = [
    ("县商务局", "已报送（名称不同，推测为“城步苗族自治县商务局”）", "商务局.nianbao"),
    (f"{REGION}教育局", "已报送", EDUCATION_FILE),
    (f"{REGION}财政局", "已报送", "财政局.xlsx"),
    (f"{REGION}司法局", "只收到2024年度的报告", "司法局.nianbao"),
    (f"{REGION}人民政府", "已报送", "县政府.nianbao"),
    (f"{REGION}林业局", "已报送，但文件无法读取", FORESTRY_FILE),
    (f"{REGION}水利局", "未报送", None),
]
SUMMED = ["财政局.xlsx", "卫生健康局.html", EDUCATION_FILE, "商务局.nianbao"]  # in the batch's order


@pytest.fixture(scope="module")
def real_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Word 97 file (tests/export/test_capped_import.py)."""
    from tests.export.test_capped_import import make_real_doc

    return make_real_doc(tmp_path_factory.mktemp("doc"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def batch_run(folder: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    """One run with every output: the JSON, the workbook and the per-unit lists."""
    out = tmp_path_factory.mktemp("out")
    result = run("batch", str(folder["this"]), "--last-year", str(folder["last"]), "--expect", str(folder["list"]),
                 "-o", str(out / "核对结果.xlsx"), "--per-unit", str(out / "各单位"), "--json")
    return result, out


def test_json_rows_statuses_counts_and_ratios(batch_run, folder):
    result, _out = batch_run
    assert result.returncode == 1, result.stderr.decode()  # an error and unreadable files
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["year"] == 2025 and data["format"] == "gov-2021" and data["interrupted"] is False
    assert data["files"] == 12  # 8 this year (the lock file and the picture are not read) + 4 last year
    assert data["counts"] == {"passed": 2, "warnings": 3, "errors": 1, "unreadable": 2}
    rows = []
    for report in data["reports"]:
        figures = [report["figures"][k] for k in FIGURE_KEYS] if report["figures"] else None
        ratios = [report["ratios"][k] for k in RATIO_KEYS] if report["ratios"] else None
        last = (report["last_year"]["file"], report["last_year"]["match"]) if report["last_year"] else None
        rows.append((report["file"], report["agency"], report["year"], report["kind"], report["status"], report["role"],
                     report["errors"], report["warnings"], report["infos"], figures, ratios, last))
        assert [(p["severity"], p["rule"]) for p in report["problems"]] == RULES[report["file"]], report["file"]
    assert rows == REPORTS
    by_file = {r["file"]: r for r in data["reports"]}
    assert by_file[FORESTRY_FILE]["reason"] == f"无法读取“{FORESTRY_FILE}”：不是有效的 Word 文档（.docx），或文件已损坏"
    # hostile: refused by the bounded reader before anything is allocated
    assert by_file["附件.docx"]["reason"] == ("无法导入“附件.docx”：压缩包中的“word/document.xml”解压后过大"
                                             "（80 MB，超过 64 MB 的上限），可能是“压缩炸弹”")
    assert [r["dismissed"] for r in data["reports"]] == [0, 0, 0, 0, 0, 0, 0, 1]
    assert [p["dismissed"] for p in by_file["商务局.nianbao"]["problems"]] == [DISMISSAL, None]
    (mismatch,) = [p for p in by_file["财政局.xlsx"]["problems"] if p["rule"] == "requests.balance"]
    assert mismatch["message"] == "自然人列：第一项+第二项=3，第三项（七）总计+第四项=2，相差1"
    (carry,) = [p for p in by_file["财政局.xlsx"]["problems"] if p["rule"] == "requests.carry_in"]
    assert carry["message"] == "商业企业列：二、上年结转为1，但2024年报告的四、结转下年度继续办理为2"
    messages = [p["message"] for p in by_file["县政府.nianbao"]["problems"] if p["rule"] == "batch.sum_mismatch"]
    assert messages == [
        "表三 一、本年新收政府信息公开申请数量 · 自然人：本级报告为19，4个下级单位合计为18，本级多1（本级报告可能另含本机关自身的数字，请核对）",
        "表三 （一）予以公开 · 自然人：本级报告为11，4个下级单位合计为9，本级多2（本级报告可能另含本机关自身的数字，请核对）",
    ]
    assert data["expected"] == [{"unit": u, "situation": s, "file": f} for u, s, f in EXPECTED]
    assert data["unexpected"] == ["卫生健康局.html"]
    assert data["skipped"] == [{"file": "封面.png", "reason": "不是可读取的报告文件类型"}]
    assert data["level"] == "县政府.nianbao"
    assert data["sum"] == {"files": SUMMED, "differences": [
        {"cell": ["requests", "received", "natural"], "level": 19, "units": 18, "difference": 1},
        {"cell": ["requests", "granted", "natural"], "level": 11, "units": 9, "difference": 2}]}
    assert set(data["ratio_definitions"]) == set(RATIO_KEYS)


def _rows(sheet, first: int, last: int | None = None) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(min_row=first, max_row=last or sheet.max_row, values_only=True)]


def test_workbook_summary_sheet(batch_run):
    _result, out = batch_run
    book = load_workbook(out / "核对结果.xlsx")
    assert book.sheetnames == ["汇总", "问题清单", "未报送", "与上年比较", "汇总来源"]
    sheet = book["汇总"]
    assert sheet["A1"].value == "2025年度政府信息公开工作年度报告核对结果"
    assert sheet["A2"].value.startswith("文件夹：") and "共8份报告：通过2份，有警告3份，有错误1份，无法读取2份" in sheet["A2"].value
    header = _rows(sheet, 3, 3)[0]
    assert header == ("序号", "单位", "年度", "格式", "文件", "类型", "状态", "错误", "警告", "提示", "已忽略", "本年新收",
                      "予以公开", "（七）总计", "结转下年", "行政复议", "行政诉讼", "实质公开率", "复议纠错率", "诉讼纠错率",
                      "上年报告", "说明")
    assert sheet.freeze_panes == "C4"
    assert sheet.auto_filter.ref == "A3:V11"
    rows = _rows(sheet, 4, 11)
    expected = []
    for number, (file, unit, year, kind, status, _role, errors, warnings, infos, figures, ratios, _last) in enumerate(REPORTS, 1):
        shown_ratios = [r if r is not None else "—" for r in ratios] if ratios else [None] * 3
        counts = [errors, warnings, infos, 1 if file == "商务局.nianbao" else 0] if figures else [None] * 4
        expected.append((number, unit or Path(file).name, year, "2021年版" if year else None, file, kind, status,
                         *counts, *(figures or [None] * 6), *shown_ratios))
    assert [row[:20] for row in rows] == expected
    last_year = {row[4]: row[20] for row in rows}
    assert last_year["商务局.nianbao"] == "县商务局.nianbao（推测：上年名称“县商务局”）"
    assert last_year["财政局.xlsx"] == "财政局2024.docx（同名）"
    remarks = {row[4]: row[21] for row in rows}  # the role, the first error or warning and how many more
    assert remarks["县政府.nianbao"] == ("本级；表三 一、本年新收政府信息公开申请数量 · 自然人：本级报告为19，4个下级单位合计为18，"
                                      "本级多1（本级报告可能另含本机关自身的数字，请核对）（另有1个警告）")
    assert remarks["司法局.nianbao"] == "报告年度为2024年，本批其他报告为2025年度（是否误报了其他年度的报告？）；不计入汇总"
    assert remarks["财政局.xlsx"] == "自然人列：第一项+第二项=3，第三项（七）总计+第四项=2，相差1（另有1个警告）"
    assert remarks["卫生健康局.html"].startswith("一、总体情况：“2024年，我局")
    assert remarks["商务局.nianbao"] is None and remarks[EDUCATION_FILE] is None  # passed (a dismissed warning is not said)
    assert remarks[FORESTRY_FILE].startswith("无法读取“")
    fills = {row[4].value: row[6].fill.fgColor.rgb for row in sheet.iter_rows(min_row=4, max_row=11)}
    assert fills["商务局.nianbao"] == "00C6EFCE" and fills["财政局.xlsx"] == "00FFC7CE"
    assert fills["县政府.nianbao"] == "00FFEB9C" and fills["附件.docx"] == "00BFBFBF"
    assert sheet["R11"].number_format == "0.0%" and sheet["R11"].value == 0.8  # 商务局's 实质公开率
    notes = [row[0] for row in _rows(sheet, 13) if row[0]]
    assert any(note.startswith("实质公开率 =（表三 （一）予以公开 + （二）部分公开）÷") for note in notes)
    assert any(note.startswith("复议纠错率 = 表四 行政复议 结果纠正 ÷（结果维持 + 结果纠正 + 其他结果）") for note in notes)
    assert any(note.startswith("诉讼纠错率 = ") for note in notes)
    assert "实质公开率" in sheet["R3"].comment.text  # the definition also beside the heading


def test_workbook_problem_list_missing_comparison_and_sources(batch_run):
    _result, out = batch_run
    book = load_workbook(out / "核对结果.xlsx")
    problems = book["问题清单"]
    assert problems.freeze_panes == "C2"
    assert _rows(problems, 1, 1)[0] == ("序号", "单位", "文件", "状态", "严重程度", "规则", "位置", "问题说明", "已忽略的理由",
                                        "规则编号")
    rows = _rows(problems, 2)
    total = sum(len(v) for v in RULES.values()) + 2 + 1  # two unreadable files, one skipped picture
    assert len(rows) == total and problems.auto_filter.ref == f"A1:J{total + 1}"
    # the rule by its Chinese name (the catalogue's), its id in the last column
    assert rows[[r[2] for r in rows].index("财政局.xlsx")][2:] == (
        "财政局.xlsx", "有错误", "错误", "表三勾稽关系", "表三 一、本年新收政府信息公开申请数量 · 自然人 等4处",
        "自然人列：第一项+第二项=3，第三项（七）总计+第四项=2，相差1", None, "requests.balance")
    assert [r[4:] for r in rows if r[2] == FORESTRY_FILE] == [
        ("错误", "文件无法读取", "文件", f"无法读取“{FORESTRY_FILE}”：不是有效的 Word 文档（.docx），或文件已损坏", None,
         "batch.unreadable")]
    commerce = rows[[r[2] for r in rows].index("商务局.nianbao")]
    assert [r[4:] for r in rows if r[2] == "商务局.nianbao"] == [
        ("警告", "成文日期有误", "成文日期", "未填写成文日期", DISMISSAL, "meta.date"),
        ("提示", "上年报告按名称推测", "上年报告", rows[rows.index(commerce) + 1][7], None, "batch.name_guess")]
    assert rows[rows.index(commerce) + 1][7] == (
        "上年报告按名称推测匹配：上年为“县商务局”（县商务局.nianbao），本年为“城步苗族自治县商务局”，共同部分为“商务局”；"
        "如不是同一单位，跨年核对的提醒不适用")
    assert not [r for r in rows if r[-1] == "import.format_guess"]  # "识别为…格式" is the 格式 column's, not a problem
    assert rows[-1][2:] == ("封面.png", None, "提示", "未核对的文件", "文件", "未核对：不是可读取的报告文件类型", None,
                            "batch.skipped")

    missing = book["未报送"]
    assert [row[1:4] for row in _rows(missing, 2, 9)] == [(u, s, f) for u, s, f in EXPECTED] + [
        (f"{REGION}卫生健康局", "不在应报送单位名单中", "卫生健康局.html")]
    assert missing.auto_filter.ref == "A1:E9"

    comparison = book["与上年比较"]
    rows = {row[2]: row for row in _rows(comparison, 2, 7)}
    assert len(rows) == 6  # every readable report
    commerce = rows["商务局.nianbao"]
    assert commerce[3:6] == ("县商务局", "县商务局.nianbao", "推测")
    assert commerce[6:9] == (5, 3, 2)  # 本年新收: this year, last year, change
    assert rows["财政局.xlsx"][-1] == 1  # one cross-year warning (上年结转)
    assert rows["卫生健康局.html"][5] == "无上年报告"

    # one row per summed cell: the units' sum, the 本级 and the difference (printed), then each unit's figure
    sources = book["汇总来源"]
    assert sources["A1"].value == "2025年度下级单位报告相加（《中华人民共和国政府信息公开工作年度报告格式》，4个单位）"
    assert sources["A2"].value == (f"注意：1个单位的报告有错误，合计中含有这些错误（右侧状态为“有错误”的单位）：{REGION}财政局"
                                   "（财政局.xlsx：自然人列：第一项+第二项=3，第三项（七）总计+第四项=2，相差1）")
    assert sources["A3"].value == f"本级报告：{REGION}人民政府（县政府.nianbao）"
    units = [f"{REGION}财政局", f"{REGION}卫生健康局", f"{REGION}教育局", f"{REGION}商务局"]  # the batch's order
    assert _rows(sources, 4, 4)[0] == ("序号", "栏目", "下级单位合计", "本级报告", "差额（本级−合计）", *units)
    assert _rows(sources, 5, 5)[0][5:] == ("有错误", "有警告", "通过", "通过")  # each unit's status, coloured
    assert [sources.cell(4, 6 + i).comment.text for i in range(4)] == [f"文件：{f}" for f in SUMMED]
    assert sources.cell(5, 6).fill.fgColor.rgb == "00FFC7CE"
    assert sources.freeze_panes == "F6" and sources.print_title_rows == "$4:$5"
    rows = {r[1]: r for r in _rows(sources, 6) if isinstance(r[0], int)}
    assert rows["表三 一、本年新收政府信息公开申请数量 · 自然人"][2:] == (18, 19, 1, 3, 0, 10, 5)
    assert rows["表三 （一）予以公开 · 自然人"][2:] == (9, 11, 2, 2, 0, 4, 3)
    assert rows["表二 第二十条第（八）项 行政事业性收费 · 本年收费金额（单位：万元）"][2:7] == (1.75, 1.75, 0, 0, 0)
    assert "表二 第二十条第（一）项 行政规范性文件 · 现行有效件数" not in rows  # a stock: not added up
    last = max(r[0] for r in rows.values()) + 5
    assert sources.print_area == f"'汇总来源'!$A$1:$E${sources.max_row}"
    assert sources.auto_filter.ref == f"A5:I{last}"
    notes = [r[0] for r in _rows(sources, last + 1) if r[0]]
    assert notes[0] == "本级报告与下级单位合计有2处不同（本级报告可能另含本机关自身的数字）。"
    assert any(n.startswith("不相加：表二 第二十条第（一）项 行政规范性文件 · 现行有效件数——现行有效件数是存量") for n in notes)
    assert "未计入：司法局.nianbao（年度不符）" in notes and f"未计入：{FORESTRY_FILE}（无法读取）" in notes


def test_per_unit_lists(batch_run):
    _result, out = batch_run
    names = sorted(p.name for p in (out / "各单位").iterdir())
    assert names == sorted([f"{REGION}卫生健康局2025年度报告核对意见.xlsx", f"{REGION}人民政府2025年度报告核对意见.xlsx",
                            f"{REGION}司法局2024年度报告核对意见.xlsx", f"{REGION}商务局2025年度报告核对意见.xlsx",
                            f"{REGION}林业局2025年报告-核对意见.xlsx", f"{REGION}财政局2025年度报告核对意见.xlsx",
                            f"{REGION}教育局2025年度报告核对意见.xlsx", "附件-核对意见.xlsx"])
    sheet = load_workbook(out / "各单位" / f"{REGION}财政局2025年度报告核对意见.xlsx").active
    assert sheet["A1"].value == f"{REGION}财政局2025年度政府信息公开工作年度报告核对意见"
    assert sheet["A3"].value.startswith("核对结果：有错误（1个错误、1个警告、0个提示）")
    assert _rows(sheet, 5, 6) == [
        (1, "错误", "表三 一、本年新收政府信息公开申请数量 · 自然人 等4处", "自然人列：第一项+第二项=3，第三项（七）总计+第四项=2，相差1", None),
        (2, "警告", "表三 二、上年结转政府信息公开申请数量 · 商业企业", "商业企业列：二、上年结转为1，但2024年报告的四、结转下年度继续办理为2", None)]
    assert sheet.freeze_panes == "A5"


def _batch_on_a_terminal(*args: str) -> tuple[subprocess.Popen, str, bytes]:
    """``nianbao batch ARGS`` with its standard error on a terminal (where the progress bar is drawn):
    the process, what the terminal showed, and standard output (POSIX: a pseudo-terminal)."""
    import pty

    main, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "batch", *args],
                               stdout=subprocess.PIPE, stderr=terminal, cwd=ROOT)
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        drawn += chunk
    stdout, _ = process.communicate(timeout=120)
    os.close(main)
    return process, drawn.decode("utf-8"), stdout


def test_progress_bar_on_a_terminal(tmp_path):
    """The bar is drawn on stderr when stderr is a terminal (and stdout stays clean for --json)."""
    from model import store
    from tests.batch_folder import COMMERCE, make_report

    store.save(make_report(f"{REGION}商务局", 2025, COMMERCE), tmp_path / "商务局.nianbao", backup=False)
    process, drawn, stdout = _batch_on_a_terminal(str(tmp_path), "--json")
    assert process.returncode == 0
    assert "核对中 [##############################] 1/1" in drawn
    assert json.loads(stdout.decode("utf-8"))["counts"]["passed"] == 1


def test_human_output_and_clean_exit(tmp_path):
    from model import store
    from tests.batch_folder import COMMERCE, EDUCATION, make_report

    store.save(make_report(f"{REGION}商务局", 2025, COMMERCE), tmp_path / "商务局.nianbao", backup=False)
    store.save(make_report(f"{REGION}教育局", 2025, EDUCATION), tmp_path / "教育局.nianbao", backup=False)
    result = run("batch", str(tmp_path), "--jobs", "1")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode("utf-8")
    assert out.startswith("2025年度报告核对：共 2 份（通过 2，有警告 0，有错误 0，无法读取 0）")
    assert result.stderr == b""  # no progress bar when stderr is not a terminal


@pytest.mark.parametrize(("args", "message"), [
    (["batch", "没有这个文件夹"], "找不到文件夹“没有这个文件夹”"),
    (["batch", ".", "--jobs", "0"], "--jobs 应是不小于1的整数"),
    (["batch", "EMPTY"], "中没有报告文件（可读取：.nianbao、.pdf、.docx"),
    (["batch", "EMPTY", "--expect", "名单.csv"], "应报送单位名单应为 .xlsx 或 .txt 文件"),
])
def test_usage_errors(tmp_path, args, message):
    (tmp_path / "EMPTY").mkdir()
    (tmp_path / "名单.csv").write_text("商务局\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr.decode("utf-8")


def test_ctrl_c_writes_what_was_done(tmp_path):
    """Ctrl+C: the workers end, the workbook holds the reports read so far, exit 1. (On Windows a process can be
    sent only Ctrl+Break, and only in its own process group: the batch takes Ctrl+Break as it takes Ctrl+C.)"""
    from export.docx_writer import write_docx
    from tests.batch_folder import COMMERCE, make_report

    folder = tmp_path / "many"
    folder.mkdir()
    write_docx(make_report(f"{REGION}商务局", 2025, COMMERCE), folder / "000.docx")
    data = (folder / "000.docx").read_bytes()
    for i in range(1, 400):  # ~30 ms each to read: far more than the seconds before the interrupt
        (folder / f"{i:03d}.docx").write_bytes(data)
    out = tmp_path / "结果.xlsx"
    windows = sys.platform == "win32"
    temp = tmp_path / "temp"  # the system's temporary folder, for this run: the workers' folders are made in it
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)}
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "batch", str(folder), "-o", str(out), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
                               creationflags=subprocess.CREATE_NEW_PROCESS_GROUP if windows else 0)  # type: ignore[attr-defined]
    for _ in range(1200):  # the reading has begun when the workers' folders are there (a loaded machine starts slowly)
        if any(temp.iterdir()) or process.poll() is not None:
            break
        time.sleep(0.05)
    time.sleep(1.0)
    process.send_signal(signal.CTRL_BREAK_EVENT if windows else signal.SIGINT)  # type: ignore[attr-defined]
    stdout, stderr = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the machine read all 400 reports before the interrupt")
    assert process.returncode == 1, stderr.decode()
    assert "已中断：已读取" in stderr.decode("utf-8")
    assert "Traceback" not in stderr.decode("utf-8")
    sheet = load_workbook(out)["汇总"]
    assert "核对被中断" in sheet["A2"].value
    assert stdout.decode("utf-8").startswith("2025年度报告核对：") or "共 0 份" in stdout.decode("utf-8")
    assert list(temp.iterdir()) == []  # the workers' temporary folders went with them
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many", "temp", "结果.xlsx"]  # nothing left beside the result


# ---- hostile inputs (issue 12) -----------------------------------------------------------------


def _one_report(folder: Path) -> None:
    from model import store
    from tests.batch_folder import COMMERCE, make_report

    folder.mkdir(exist_ok=True)
    store.save(make_report(f"{REGION}商务局", 2025, COMMERCE), folder / "商务局.nianbao", backup=False)


def test_a_list_too_large_or_not_a_file_is_exit_2(tmp_path):
    _one_report(tmp_path / "f")
    (tmp_path / "名单.txt").write_bytes(b"x" * (1024 * 1024 + 1))
    (tmp_path / "夹.txt").mkdir()
    result = run("batch", str(tmp_path / "f"), "--expect", str(tmp_path / "名单.txt"))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == "应报送单位名单“名单.txt”过大（超过 1 MB 的上限），不像是一份名单\n"
    result = run("batch", str(tmp_path / "f"), "--expect", str(tmp_path / "夹.txt"))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == "无法读取应报送单位名单“夹.txt”：这是一个文件夹，不是文件\n"


def test_per_unit_onto_a_file_says_so_in_chinese(tmp_path):
    _one_report(tmp_path / "f")
    (tmp_path / "各单位").write_bytes(b"x")
    result = run("batch", str(tmp_path / "f"), "--per-unit", str(tmp_path / "各单位"))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == f"无法创建文件夹“{tmp_path / '各单位'}”：已有同名的文件\n"


@pytest.mark.skipif(sys.platform == "win32", reason="control characters in file names (not allowed on Windows)")
def test_names_with_terminal_escapes_are_shown_escaped(tmp_path):
    """A file named with an escape sequence (and a carriage return, a bidi override) reaches no terminal raw:
    not in the lines printed, not in the JSON, not in the progress line."""

    folder = tmp_path / "f"
    _one_report(folder)
    hostile = "\x1b]0;x\x07\x1b[2J\r\u202e坏.docx"
    (folder / hostile).write_bytes(b"not a document")
    result = run("batch", str(folder))
    out = result.stdout.decode("utf-8")
    assert result.returncode == 1
    assert "[无法读取] \\x1b]0;x\\x07\\x1b[2J\\x0d\\u202e坏.docx（\\x1b]0;x\\x07\\x1b[2J\\x0d\\u202e坏.docx）：" in out
    assert not any(c in out for c in "\x1b\x07\r\u202e")
    result = run("batch", str(folder), "--json")
    raw = result.stdout.decode("utf-8")
    assert not any(c in raw for c in "\x1b\x07\r\u202e")
    assert json.loads(raw)["reports"][0]["file"] == hostile
    _process, shown, _stdout = _batch_on_a_terminal(str(folder), "--jobs", "1")
    assert "核对中 [##############################] 2/2" in shown
    assert "\\x1b" in shown or "商务局.nianbao" in shown  # the last file read, escaped when it is the hostile one
    assert not any(c in shown for c in "\x1b\x07\u202e")  # (\r is ours: the bar redraws its line)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT and /proc (Windows: the Job object ends the tree)")
def test_ctrl_c_during_a_doc_conversion_leaves_no_libreoffice_and_no_temporary_files(real_doc, tmp_path):
    """Ctrl+C while LibreOffice converts a real .doc for a worker: no soffice.bin with our profile survives, and
    no temporary folder or file (the worker's folder, LibreOffice's profile, the copy of the .doc) stays behind."""
    from tests.export.test_batch_pool import _ours
    from tests.export.test_capped_import import wait_gone

    folder = tmp_path / "f"
    _one_report(folder)
    (folder / "旧版.doc").write_bytes(real_doc.read_bytes())
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)}
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "batch", str(folder), "--jobs", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    seen: list[int] = []
    for _ in range(1200):
        seen = _ours(str(temp), b"soffice.bin")
        if seen or process.poll() is not None:
            break
        time.sleep(0.05)
    assert seen, "LibreOffice was not seen converting"
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr.decode()
    assert "已中断" in stderr.decode("utf-8") and "Traceback" not in stderr.decode("utf-8")
    assert all(wait_gone(pid) for pid in seen)
    assert _ours(str(temp)) == []
    assert list(temp.iterdir()) == []


def test_ctrl_c_outside_the_reading_is_a_message_not_a_traceback(capsys):
    import argparse

    import cli

    def interrupted(_args):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    for command in ("batch", "sum"):
        assert cli._run_command(interrupted, argparse.Namespace(command=command)) == 1
        assert capsys.readouterr().err == "已中断。\n"
    with pytest.raises(KeyboardInterrupt):  # other commands as before
        cli._run_command(interrupted, argparse.Namespace(command="check"))
