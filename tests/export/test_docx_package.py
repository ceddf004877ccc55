"""The .docx package: our own clean parts, nothing left over from a template, valid for Word.

Every exported document is checked with openxml-audit, which validates against the ISO/IEC 29500
schemas and Word's own compatibility rules (the checks Word runs before it offers to "repair" a file).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

from export.docx_package import app_version
from export.docx_profile import FONT_HINTS, GB_T_9704, font_hint
from export.docx_writer import WordOptions, write_docx
from model.profile import BUILTIN
from model.version import APP_NAME

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dcterms": "http://purl.org/dc/terms/", "dc": "http://purl.org/dc/elements/1.1/",
      "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
LONG_AGENCY = "示例省示例市示例县人力资源和社会保障局"


def variants(distinct, example) -> dict[str, tuple]:
    """Every kind of document the issue names: both formats, the seed, the every-cell-distinct report,
    a long agency name, a 7-digit count, a long date, and the other layout choices."""
    long_name = distinct.copy()
    long_name.set_meta(agency=LONG_AGENCY)
    big = distinct.copy()
    big.set_cells({("requests", "received", "natural"): 9876543, ("requests", "granted", "legal"): 1234567})
    long_date = distinct.copy()
    long_date.set_meta(date=dt.date(2027, 12, 31))
    house = replace(GB_T_9704, name="某市公开办", date_style="chinese", page_numbers="centre", body_font="方正仿宋_GBK",
                    title_font="华文中宋")
    return {"distinct": (distinct, None), "seed": (example, None), "long agency": (long_name, None),
            "seven digits": (big, None), "long date": (long_date, None),
            "sealed": (long_date, BUILTIN["gbt9704-sealed"]), "house style": (distinct, house)}


@pytest.fixture
def exported(distinct, example, tmp_path) -> dict[str, Path]:
    paths = {}
    for name, (report, profile) in variants(distinct, example).items():
        path = tmp_path / f"{name}.docx"
        write_docx(report, path, WordOptions(profile=profile))
        paths[name] = path
    return paths


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def xml(path: Path, name: str) -> etree._Element:
    return etree.fromstring(parts(path)[name])


@pytest.mark.parametrize("file_format", [FileFormat.OFFICE_2007, FileFormat.OFFICE_2019, FileFormat.MICROSOFT_365])
def test_every_export_passes_openxml_audit(exported, file_format):
    validator = OpenXmlValidator(file_format=file_format, max_errors=100)
    for name, path in exported.items():
        result = validator.validate(str(path))
        assert [str(error) for error in result.errors] == [], name
        assert result.is_valid, name


def test_nothing_left_over_from_a_template(exported):
    for name, path in exported.items():
        contents = parts(path)
        assert not any("stylesWithEffects" in part or "thumbnail" in part or "customXml" in part
                       or "numbering" in part or "webSettings" in part for part in contents), name
        everything = b"".join(contents.values())
        assert b"ja-JP" not in everything and b"en-GB" not in everything, name  # no foreign theme language
        assert b"Macintosh" not in everything and b"python-docx" not in everything, name


def test_the_parts_are_exactly_ours(exported):
    contents = sorted(parts(exported["distinct"]))
    assert contents == ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
                        "word/_rels/document.xml.rels", "word/document.xml", "word/fontTable.xml", "word/footer1.xml",
                        "word/footer2.xml", "word/settings.xml", "word/styles.xml", "word/theme/theme1.xml"]
    # one footer when the page numbers are not on alternate sides
    assert "word/footer2.xml" not in parts(exported["house style"])


def test_settings_open_in_word_2013_mode(exported):
    settings = xml(exported["distinct"], "word/settings.xml")
    compat = settings.findall("w:compat/w:compatSetting", NS)
    assert [(c.get(f"{{{NS['w']}}}name"), c.get(f"{{{NS['w']}}}val")) for c in compat] == [("compatibilityMode", "15")]
    zoom = settings.find("w:zoom", NS)
    assert zoom.get(f"{{{NS['w']}}}percent") == "100"  # the attribute the schema requires
    assert settings.find("w:themeFontLang", NS).get(f"{{{NS['w']}}}eastAsia") == "zh-CN"
    assert settings.find("w:characterSpacingControl", NS).get(f"{{{NS['w']}}}val") == "compressPunctuation"
    assert settings.find("w:evenAndOddHeaders", NS) is not None


def test_theme_is_black_with_the_profiles_fonts(exported):
    theme = xml(exported["house style"], "word/theme/theme1.xml")
    assert theme.find(".//a:minorFont/a:ea", NS).get("typeface") == "方正仿宋_GBK"
    assert theme.find(".//a:majorFont/a:ea", NS).get("typeface") == "黑体"
    colours = {c.get("val") for c in theme.iter(f"{{{NS['a']}}}srgbClr")}
    assert colours <= {"000000", "FFFFFF", "404040", "595959", "7F7F7F", "A6A6A6", "262626"}  # nothing blue


def test_document_properties_say_now_and_nianbao(distinct, tmp_path):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    path = tmp_path / "now.docx"
    write_docx(distinct, path)
    after = dt.datetime.now(dt.timezone.utc)
    core = xml(path, "docProps/core.xml")
    for tag in ("dcterms:created", "dcterms:modified"):
        stamp = core.find(tag, NS).text
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        assert before <= when <= after, tag
    assert core.find("dc:creator", NS).text == "示例县交通运输局"
    assert core.find("dc:title", NS).text == "示例县交通运输局2026年政府信息公开工作年度报告"
    assert core.find("cp:lastModifiedBy", NS).text == "示例县交通运输局"
    app = xml(path, "docProps/app.xml")
    assert app.find("ep:Application", NS).text == APP_NAME == "年报助手"
    assert re.fullmatch(r"\d\d\.\d{4}", app.find("ep:AppVersion", NS).text)


def test_app_version_reads_as_the_schema_wants():
    assert app_version("0.1.0") == "00.0100"
    assert app_version("1.12.3") == "01.1203"
    assert app_version("2") == "02.0000"
    assert app_version("1.0rc1") == "01.0000"


def font_table(path: Path) -> dict[str, dict[str, str]]:
    table = {}
    for font in xml(path, "word/fontTable.xml").findall("w:font", NS):
        entry = {child.tag.split("}")[1]: child.get(f"{{{NS['w']}}}val") for child in font}
        table[font.get(f"{{{NS['w']}}}name")] = entry
    return table


def test_font_table_tells_word_and_wps_what_to_use_instead(exported):
    table = font_table(exported["distinct"])
    assert set(table) == {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "Times New Roman", "宋体"}
    # stock Windows 10/11 has 仿宋, 楷体 and 宋体 but not the _GB2312 fonts nor 方正小标宋简体
    assert table["仿宋_GB2312"]["altName"] == "仿宋"
    assert table["楷体_GB2312"]["altName"] == "楷体"
    assert table["方正小标宋简体"]["altName"] == "宋体"
    for name in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"):
        entry = table[name]
        assert entry["charset"] == "86", name  # GB2312
        assert re.fullmatch(r"[0-9A-F]{20}", entry["panose1"]) and entry["panose1"] != "0" * 20, name
        assert entry["family"] in ("modern", "auto", "roman", "swiss"), name
        assert "sig" in entry, name
    assert table["Times New Roman"]["charset"] == "00"
    # a house style's fonts get hints by their style: 方正仿宋_GBK falls back on 仿宋, 华文中宋 on 宋体
    house = font_table(exported["house style"])
    assert house["方正仿宋_GBK"]["altName"] == "仿宋"
    assert house["华文中宋"]["altName"] == "宋体"


def test_font_hints_for_unknown_fonts():
    assert font_hint("方正楷体_GBK").alt == "楷体"
    assert font_hint("方正黑体简体").alt == "黑体"
    assert font_hint("Arial").charset == "00"
    assert font_hint("某某字体").alt == "宋体"
    assert set(FONT_HINTS) >= {"仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "仿宋", "楷体", "黑体", "宋体"}
