"""Control characters from a file never make a report unsaveable or a Word or Excel file invalid.

values.clean_text: "\\r\\n", "\\r", "\\x0b" and "\\x0c" become "\\n"; the other C0 controls (except tab and
"\\n"), DEL, U+FFFE and U+FFFF go. A loaded .nianbao, an imported report and every writer apply it.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from export.docx_writer import write_docx
from export.reading import read_source
from export.xlsx import write_xlsx
from model import store
from model.values import clean_text
from tests.conftest import FIXTURES
from tests.export.docx_helpers import pdf_text, soffice_convert

# every character clean_text touches, in one text: C0 controls (tab and "\n" kept), DEL, U+FFFE, U+FFFF
EVERY = "".join(chr(c) for c in range(0x20)) + "\x7f\ufffe\uffff"
DIRTY = f"甲{EVERY}乙\r\n丙\r丁\x0b戊\x0c己\x1f庚\x00辛"
CLEAN = "甲\t\n\n\n\n乙\n丙\n丁\n戊\n己庚辛"  # 0x0b, 0x0c and 0x0d of EVERY each a line end, the rest gone
_FORBIDDEN = {chr(c) for c in range(0x20)} - {"\t", "\n"} | {"\x7f", "\ufffe", "\uffff"}


def test_clean_text_says_what_becomes_of_each_character():
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("第一行\r\n第二行\r第三行") == "第一行\n第二行\n第三行"
    assert clean_text("单独的\ud800代理项") == "单独的\ufffd代理项"
    text = "干净的文字\t制表符\n换行 U+FFFD\ufffd U+2028\u2028 零宽\u200b 😀"
    assert clean_text(text) is text  # a clean text is the same object: nothing copied


def _report_file(tmp_path: Path) -> Path:
    """The distinct fixture with every such character in each kind of string a .nianbao holds."""
    data = json.loads((FIXTURES / "distinct_2026.nianbao").read_text(encoding="utf-8"))
    data["text"]["overview"] = DIRTY + data["text"]["overview"]
    data["text"]["preamble"] = DIRTY
    data["meta"]["agency"] = "示例县\x07交通\x0b运输局"
    data["meta"]["title"] = "示例县交通运输局\r\n2026年政府信息公开工作年度报告\x7f"
    data["dismissed"] = [{"problem": "x|y|z", "reason": "已核实\x1b[31m"}]
    path = tmp_path / "控制字符.nianbao"
    # json.dumps writes the controls as \u0001 escapes; DEL, U+FFFE and U+FFFF as they are
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "\x7f" in path.read_text(encoding="utf-8") and "\\u0001" in path.read_text(encoding="utf-8")
    return path


def _no_forbidden(*texts: str) -> None:
    for text in texts:
        assert not _FORBIDDEN & set(text), repr(text)


def test_a_report_file_holding_every_control_character_loads_clean_and_saves(tmp_path):
    original = json.loads((FIXTURES / "distinct_2026.nianbao").read_text(encoding="utf-8"))
    report = store.load(_report_file(tmp_path))
    assert report.text["preamble"] == CLEAN
    assert report.text["overview"] == CLEAN + original["text"]["overview"]
    assert report.meta.agency == "示例县交通\n运输局"
    assert report.meta.title == "示例县交通运输局\n2026年政府信息公开工作年度报告"
    assert report.dismissed == {"x|y|z": "已核实[31m"}
    assert store.unsaveable_place(report) is None
    saved = tmp_path / "再存.nianbao"
    store.save(report, saved)
    again = store.load(saved)
    assert again.text == report.text and again.meta == report.meta


def test_an_import_holding_every_control_character_is_clean(tmp_path):
    seed = (FIXTURES / "chengbu_commerce_2019.txt").read_text(encoding="utf-8")
    marker = "具体工作报告如下："
    assert marker in seed
    source = tmp_path / "控制字符.txt"
    # no tab: a line of plain text with tabs is a table row to the .txt reader
    source.write_text(seed.replace(marker, marker + DIRTY.replace("\t", ""), 1), encoding="utf-8", newline="")
    result = read_source(source)
    overview = result.report.text["overview"]
    # the line breaks (CR LF, CR, VT, FF) are paragraphs (the reader drops empty ones), the rest gone
    assert marker + "甲\n乙\n丙\n丁\n戊\n己庚辛\n（一）加强组织领导" in overview
    _no_forbidden(*result.report.text.values(), result.report.meta.agency, *(p.message for p in result.problems))
    path = tmp_path / "导入.nianbao"
    store.save(result.report, path)
    assert store.load(path).text == result.report.text


def _exported(report, tmp_path: Path) -> tuple[Path, Path]:
    docx, xlsx = tmp_path / "控制字符.docx", tmp_path / "控制字符.xlsx"
    write_docx(report, docx)
    write_xlsx(report, xlsx)
    return docx, xlsx


def _assert_word_and_excel_clean(docx: Path, xlsx: Path) -> None:
    for package in (docx, xlsx):
        with zipfile.ZipFile(package) as parts:
            for name in parts.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    text = parts.read(name).decode("utf-8")
                    _no_forbidden(text.replace("\r", "").replace("\n", "").replace("\t", ""))
    document = Document(str(docx))
    paragraphs = [p.text for p in document.paragraphs]
    assert "甲" in paragraphs and "乙" in paragraphs and "己庚辛" in paragraphs  # each line its own paragraph
    assert document.core_properties.title == "示例县交通运输局2026年政府信息公开工作年度报告"
    book = load_workbook(xlsx)
    meta = {row[0].value: row[1].value for row in book["基本信息"].iter_rows()}
    assert meta["机关名称"] == "示例县交通\n运输局"
    assert meta["前言"] == CLEAN
    assert meta["一、总体情况"].startswith(CLEAN)


def test_word_and_excel_from_a_loaded_report_are_valid(tmp_path):
    docx, xlsx = _exported(store.load(_report_file(tmp_path)), tmp_path)
    _assert_word_and_excel_clean(docx, xlsx)


def test_the_writers_clean_what_reached_the_report_anyway(tmp_path):
    """A report whose texts were set around the model's cleaning (a future reader, a plug-in):
    the writers still write valid files, with the texts cleaned the same way."""
    report = store.load(FIXTURES / "distinct_2026.nianbao")
    overview = report.text["overview"]
    report.text["preamble"] = DIRTY
    report.text["overview"] = DIRTY + overview
    report.meta = report.meta._replace(agency="示例县\x07交通\x0b运输局",
                                       title="示例县交通运输局\r\n2026年政府信息公开工作年度报告\x7f")
    docx, xlsx = _exported(report, tmp_path)
    _assert_word_and_excel_clean(docx, xlsx)
    assert report.text["preamble"] == DIRTY  # the report itself is left as it was


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_libreoffice_converts_the_word_file(tmp_path):
    docx, _xlsx = _exported(store.load(_report_file(tmp_path)), tmp_path)
    text = pdf_text(soffice_convert(docx, "pdf", tmp_path))
    for line in ("甲", "乙", "丙", "丁", "戊", "己庚辛"):
        assert line in text.split("\n"), text[:400]


def test_a_profile_font_name_holding_what_word_cannot_is_refused():
    from model.profile import ProfileError, profile_from_json

    assert profile_from_json({"body_font": "宋体"}).body_font == "宋体"
    for name in ("宋体\uffff", "宋体\ufffe", "宋体\x7f", "宋体\x01"):
        with pytest.raises(ProfileError) as refused:
            profile_from_json({"body_font": name})
        assert refused.value.message == f"正文字体“{name}”不是有效的名称"
