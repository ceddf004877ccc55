"""The Word layout as data: checked field by field, remembered in the report file, carried in profile files."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from model import store
from model.carryover import new_year
from model.profile import (
    BUILTIN,
    GB_T_9704,
    MAX_PROFILE_BYTES,
    Profile,
    ProfileError,
    load_profile_file,
    profile_file_text,
    profile_from_json,
    profile_to_json,
    resolve_profile,
    validated,
)
from model.report import Change


def test_the_standard_is_the_default_and_says_nothing():
    assert Profile() == GB_T_9704 == BUILTIN["gbt9704"]
    assert profile_to_json(GB_T_9704) == {}
    assert profile_to_json(BUILTIN["gbt9704-sealed"]) == {"name": "GB/T 9704（加盖印章）", "signature": "sealed"}
    assert GB_T_9704.text_width_mm == 156 and GB_T_9704.text_height_mm == 225
    assert GB_T_9704.fonts == ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "Times New Roman", "宋体")


def test_json_round_trip():
    house = replace(GB_T_9704, name="某市公开办", body_font="方正仿宋_GBK", margin_left=27.5, lines_per_page=21,
                    page_numbers="centre", date_style="chinese")
    data = profile_to_json(house)
    assert data == {"name": "某市公开办", "body_font": "方正仿宋_GBK", "margin_left": 27.5, "lines_per_page": 21,
                    "page_numbers": "centre", "date_style": "chinese"}
    assert profile_from_json(json.loads(json.dumps(data))) == house
    assert profile_from_json({"margin_top": 30}).margin_top == 30.0  # a whole number where mm may be fractional
    assert validated(house) == house


@pytest.mark.parametrize(("data", "message"), [
    ([], "版式设置应是一个对象"),
    ({"colour": "red"}, "未知的版式设置项“colour”"),
    ({"signature": "stamped"}, "署名方式“stamped”无效，应为 unsealed（不加盖印章）、sealed（加盖印章）"),
    ({"page_numbers": 1}, "页码位置应是非空的文字"),
    ({"body_font": ""}, "正文字体应是非空的文字"),
    ({"body_font": "仿宋<script>"}, "正文字体“仿宋<script>”不是有效的名称"),
    ({"title_font": "字" * 32}, "不是有效的名称"),
    ({"margin_top": "37"}, "上边距应是数字"),
    ({"margin_top": True}, "上边距应是数字"),
    ({"margin_top": float("nan")}, "上边距应是数字"),
    ({"margin_top": 5}, "上边距5毫米超出范围（应在 10 到 60毫米之间）"),
    ({"lines_per_page": 22.5}, "每页行数应是整数"),
    ({"body_size": 16.2}, "正文字号应是 0.5 磅的整数倍"),
    ({"chars_per_line": 40}, "每行40字与正文字号16磅不相称"),
    ({"lines_per_page": 40}, "每页40行太密"),
    ({"margin_bottom": 15, "page_number_gap": 12}, "下边距太小，放不下页码"),
])
def test_bad_profiles_are_refused_with_the_field_named(data, message):
    with pytest.raises(ProfileError) as caught:
        profile_from_json(data)
    assert message in caught.value.message


def test_profile_files(tmp_path):
    house = replace(GB_T_9704, name="某市公开办", signature="sealed")
    path = tmp_path / "某市公开办.json"
    path.write_text(profile_file_text(house), encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == {"nianbao_profile": 1, "name": "某市公开办",
                                                            "signature": "sealed"}
    assert load_profile_file(path) == house
    assert resolve_profile(str(path)) == house
    assert resolve_profile("GBT9704-Sealed") == BUILTIN["gbt9704-sealed"]
    path.write_bytes(b"\xef\xbb\xbf" + profile_file_text(house).encode("utf-8"))  # Notepad's BOM
    assert load_profile_file(path) == house


@pytest.mark.parametrize(("content", "message"), [
    ('{"nianbao_profile": 2}', "较新版本的年报助手"),
    ('{"name": "x"}', "不是年报助手的版式文件（缺少 nianbao_profile）"),
    ("[1]", "缺少 nianbao_profile"),
    ("not json", "不是 UTF-8 的 JSON"),
    ('{"nianbao_profile": 1, "body_size": 99}', "版式文件“p.json”有误：正文字号99磅超出范围"),
])
def test_bad_profile_files(tmp_path, content, message):
    path = tmp_path / "p.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile_file(path)
    assert message in caught.value.message


def test_profile_files_are_read_within_limits(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_PROFILE_BYTES + 1))
    with pytest.raises(ProfileError, match="太大"):
        load_profile_file(big)
    with pytest.raises(ProfileError, match="找不到版式文件"):
        load_profile_file(tmp_path / "none.json")
    with pytest.raises(ProfileError, match="是文件夹"):
        load_profile_file(tmp_path)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        with pytest.raises(ProfileError, match="不是普通文件"):  # never opened: reading it would wait forever
            load_profile_file(fifo)
    with pytest.raises(ProfileError, match="未知的版式“gb9704”：可用 gbt9704、gbt9704-sealed"):
        resolve_profile("gb9704")


def test_the_report_remembers_its_profile(distinct, tmp_path):
    changes = []
    distinct.subscribe(changes.append)
    sealed = BUILTIN["gbt9704-sealed"]
    distinct.set_profile(sealed)
    assert changes == [Change("profile")]
    copy = distinct.copy()
    assert copy.profile == sealed and copy.content_equals(distinct)
    copy.set_profile(GB_T_9704)
    assert not copy.content_equals(distinct)
    copy.replace_content(distinct)
    assert copy.profile == sealed
    path = tmp_path / "sealed.nianbao"
    store.save(distinct, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["nianbao_file"] == 2
    assert data["profile"] == {"name": "GB/T 9704（加盖印章）", "signature": "sealed"}
    assert store.load(path).profile == sealed
    assert store.load(path).content_equals(distinct)
    # next year's report keeps the office's layout
    assert new_year(distinct).report.profile == sealed


def test_a_version_1_file_is_migrated_to_the_standard_profile(distinct_path, tmp_path):
    data = json.loads(distinct_path.read_text(encoding="utf-8"))
    assert data["nianbao_file"] == 1 and "profile" not in data  # the shared fixture is a version-1 file
    report = store.load(distinct_path)
    assert report.profile == GB_T_9704
    saved = json.loads(store.dumps(report))
    assert saved["nianbao_file"] == 2 and saved["profile"] == {}
    assert store.MIGRATIONS[1](data) == {**data, "nianbao_file": 2, "profile": {}}


def test_a_bad_profile_in_a_file_is_refused_and_named(distinct_path, tmp_path):
    data = json.loads(distinct_path.read_text(encoding="utf-8"))
    data.update(nianbao_file=2, profile={"signature": "stamped"})
    path = tmp_path / "bad.nianbao"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(store.StoreError) as caught:
        store.load(path)
    assert "profile（页面与版式）：署名方式“stamped”无效" in caught.value.message
