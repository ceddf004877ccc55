"""The .nianbao file: round trips, bad files refused with a message and left as they were, atomic saves."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import store
from model.checks import run_checks
from model.formats import FORMATS, TEXT_SECTIONS
from model.report import Baseline, Meta, Report
from model.values import NA, Kind, clean_text


def _value(kind: Kind):
    if kind is Kind.AMOUNT:
        amounts = st.decimals(min_value=0, max_value=Decimal("999999999.999999"), places=6, allow_nan=False, allow_infinity=False)
        return st.one_of(st.just(NA), amounts, st.integers(0, 10**8).map(Decimal))
    low = -9_999_999 if kind is Kind.SIGNED else 0
    return st.one_of(st.just(NA), st.integers(low, 9_999_999))


@st.composite
def reports(draw) -> Report:
    fmt = draw(st.sampled_from(list(FORMATS.values())))
    year = draw(st.integers(2019, 2020) if fmt.id == "gov-2019" else st.integers(2021, 2035))
    cells = {}
    for address in draw(st.lists(st.sampled_from(fmt.input_cells), unique=True, max_size=60)):
        cells[address] = draw(_value(fmt.column(address).kind))
    # texts as the report keeps them (a load cleans control characters: tests/export/test_control_characters.py)
    texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40).map(clean_text)
    meta = Meta(
        agency=draw(texts),
        year=year,
        date=draw(st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2040, 12, 31)))),
        title=draw(st.one_of(st.none(), texts)),
        procurement_unit=draw(st.sampled_from(["万元", "元"])),
    )
    baseline = None
    if draw(st.booleans()):
        last_fmt = draw(st.sampled_from(list(FORMATS.values())))
        last_cells = {a: draw(_value(last_fmt.column(a).kind)) for a in draw(st.lists(st.sampled_from(last_fmt.input_cells), unique=True, max_size=20))}
        baseline = Baseline(year - 1, last_fmt.id, last_cells, {k: draw(texts) for k in TEXT_SECTIONS})
    carried = set(draw(st.lists(st.sampled_from(TEXT_SECTIONS), unique=True)))
    return Report(fmt.id, meta, {k: draw(texts) for k in TEXT_SECTIONS}, cells, baseline, {}, carried)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(report=reports())
def test_save_then_load_is_the_identity(report, tmp_path):
    path = tmp_path / "r.nianbao"
    store.save(report, path)
    loaded = store.load(path)
    assert loaded.content_equals(report)
    # amounts stay Decimal, never float
    assert not any(isinstance(v, float) for v in loaded.cells.values())
    # and a second save writes the same bytes (sorted keys: clean diffs)
    first = path.read_bytes()
    store.save(loaded, path)
    assert path.read_bytes() == first


def test_the_file_shape(distinct_path, tmp_path):
    report = store.load(distinct_path)
    data = json.loads(store.dumps(report))
    assert data["nianbao_file"] == store.FILE_VERSION
    assert data["cells"]["art20_8"]["fees"]["amount"] == "5949.088667"
    assert data["cells"]["art20_1"]["rules"]["issued"] == "/"
    assert data["cells"]["requests"]["denied.state_secret"]["natural"] == 66
    assert "total" not in data["cells"]["requests"]["received"]
    assert "handled_total" not in data["cells"]["requests"]
    assert "last_year" not in data
    text = store.dumps(report)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    expected = json.loads(distinct_path.read_text(encoding="utf-8"))
    expected["meta"]["procurement_unit"] = "万元"
    expected.update(nianbao_file=2, profile={})  # the fixture is a version-1 file; 2 adds the Word layout
    assert data == expected


def test_dismissals_survive_and_stale_ones_are_dropped(tmp_path):
    report = Report("gov-2021", Meta(agency="某局", year=2026, date=dt.date(2027, 1, 20)))
    report.text.update(overview="概况。", problems="问题。", other_matters="未收取信息处理费。")
    blank = next(p for p in run_checks(report) if p.rule == "cells.blank")
    report.dismiss(blank.id, "稍后再填")
    report.dismiss("requests.carry_in|requests.carried_in.natural|000000000000", "早已不存在的问题")
    path = tmp_path / "r.nianbao"
    store.save(report, path)
    loaded = store.load(path)
    assert loaded.dismissed == {blank.id: "稍后再填"}
    assert next(p for p in run_checks(loaded) if p.rule == "cells.blank").dismissed == "稍后再填"


def test_save_keeps_a_backup(tmp_path, distinct):
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    first = path.read_bytes()
    distinct.set_meta(agency="另一个局")
    store.save(distinct, path)
    assert (tmp_path / "r.nianbao.bak").read_bytes() == first
    assert store.load(path).meta.agency == "另一个局"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_interrupted_save_leaves_the_old_file(tmp_path, distinct, monkeypatch):
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    before = path.read_bytes()
    distinct.set_meta(agency="改过的名字")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(store.StoreError) as caught:
        store.save(distinct, path)
    assert "无法写入" in caught.value.message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.nianbao"]


def test_interrupted_mid_write(tmp_path, distinct):
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    before = path.read_bytes()

    def half(handle):
        handle.write('{"nianbao_file": 1, "form')
        raise RuntimeError("断电")

    with pytest.raises(RuntimeError):
        store.write_atomic(path, half, backup=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.nianbao"]


def test_save_into_a_missing_folder(tmp_path, distinct):
    with pytest.raises(store.StoreError, match="不存在"):
        store.save(distinct, tmp_path / "没有" / "r.nianbao")


def _good(distinct_path) -> dict:
    return json.loads(distinct_path.read_text(encoding="utf-8"))


BAD_DOCUMENTS = [
    (lambda d: {**d, "nianbao_file": store.FILE_VERSION + 1}, "较新版本的年报助手"),
    (lambda d: {k: v for k, v in d.items() if k != "nianbao_file"}, "缺少 nianbao_file"),
    (lambda d: {**d, "format": "gov-2030"}, "“gov-2030”不是已知的报告格式"),
    (lambda d: [d], "不是年报助手的报告"),
    (lambda d: {**d, "cells": {"requests": {"received": {"natural": {"v": 1}}}}}, "cells.requests.received.natural 的值"),
    (lambda d: {**d, "cells": {"requests": {"received": {"natural": "12a"}}}}, "应是整数或“/”"),
    (lambda d: {**d, "cells": {"requests": {"received": {"total": 5}}}}, "是自动计算的合计"),
    (lambda d: {**d, "cells": {"requests": {"nonsense": {"natural": 5}}}}, "没有的行“nonsense”"),
    (lambda d: {**d, "cells": {"art20_9": {}}}, "没有的表“art20_9”"),
    (lambda d: {**d, "cells": {"art20_8": {"fees": {"amount": "abc"}}}}, "金额“abc”不是数字"),
    (lambda d: {**d, "meta": {**d["meta"], "year": "2026"}}, "meta.year"),
    (lambda d: {**d, "meta": {**d["meta"], "date": "2027-13-01"}}, "meta.date “2027-13-01”不是有效的日期"),
    (lambda d: {**d, "text": {"overview": 5}}, "text.overview 应是文字"),
    (lambda d: {**d, "carried_sections": ["nope"]}, "carried_sections"),
    (lambda d: {**d, "dismissed": [{"reason": "x"}]}, "dismissed 第1项"),
    (lambda d: {**d, "last_year": {"year": 2025, "format": "gov-2021", "cells": {"x": {}}}}, "last_year.cells"),
]


@pytest.mark.parametrize(("change", "fragment"), BAD_DOCUMENTS)
def test_structurally_wrong_files_are_refused(change, fragment, distinct_path, tmp_path):
    path = tmp_path / "bad.nianbao"
    text = json.dumps(change(_good(distinct_path)), ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(store.StoreError) as caught:
        store.load(path)
    assert caught.value.message.startswith("无法打开“bad.nianbao”：")
    assert fragment in caught.value.message
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "文件是空的"),
        (b"   \n", "文件是空的"),
        (b"not json at all", "文件已损坏或不完整"),
        ('{"nianbao_file": 1, "format": "gov-2021", "meta": {"agency": "某'.encode(), "文件已损坏或不完整（第1行"),
        (b"\xff\xfe\x00garbage", "不是 UTF-8"),
        (b"PK\x03\x04binary", "这是 Word、Excel 等压缩格式的文件"),
    ],
)
def test_corrupt_files(content, fragment, tmp_path):
    path = tmp_path / "bad.nianbao"
    path.write_bytes(content)
    with pytest.raises(store.StoreError) as caught:
        store.load(path)
    assert fragment in caught.value.message
    assert path.read_bytes() == content


def test_oversized_and_missing_files(tmp_path, monkeypatch):
    path = tmp_path / "big.nianbao"
    path.write_bytes(b" " * 2048)
    monkeypatch.setattr(store, "MAX_FILE_BYTES", 1024)
    with pytest.raises(store.StoreError, match="文件过大"):
        store.load(path)
    with pytest.raises(store.StoreError, match="找不到该文件"):
        store.load(tmp_path / "none.nianbao")
    with pytest.raises(store.StoreError, match="是一个文件夹"):
        store.load(tmp_path)


def test_out_of_range_values_load_and_are_flagged(distinct_path, tmp_path):
    data = _good(distinct_path)
    data["cells"]["requests"]["received"]["natural"] = -3
    data["cells"]["requests"]["received"]["legal"] = 1.5
    path = tmp_path / "r.nianbao"
    text = json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    report = store.load(path)
    invalid = [p for p in run_checks(report) if p.rule == "cell.invalid"]
    assert [p.message for p in invalid] == [
        "表三 一、本年新收政府信息公开申请数量 · 自然人：「-3」是负数：此格应填写0 到 999999999999 之间的整数",
        "表三 一、本年新收政府信息公开申请数量 · 法律服务机构：「1.5」不是整数：此格应填写0 到 999999999999 之间的整数",
    ]
    assert path.read_text(encoding="utf-8") == text


def test_migrations_run_in_order(distinct_path, tmp_path, monkeypatch):
    """An older file is migrated on load (here: a pretend version 2 that renamed a field)."""
    monkeypatch.setattr(store, "FILE_VERSION", 2)
    monkeypatch.setitem(store.MIGRATIONS, 1, lambda d: {**d, "nianbao_file": 2})
    path = tmp_path / "old.nianbao"
    path.write_text(distinct_path.read_text(encoding="utf-8"), encoding="utf-8")
    report = store.load(path)
    assert report.meta.agency == "示例县交通运输局"
    assert json.loads(store.dumps(report))["nianbao_file"] == 2


def test_example_is_the_seed(example):
    assert example.format_id == "gov-2019"
    assert example.meta == Meta("城步苗族自治县商务局", 2019, dt.date(2020, 2, 12), "县商务局2019年政府信息公开工作年度报告", "万元")
    assert example.title == "县商务局2019年政府信息公开工作年度报告"
    assert all(example.cells.get(a) == 0 for a in example.format.input_cells)
    assert len(example.text["overview"].split("\n")) == 4
    assert example.text["overview"].startswith("2019年，在县委县政府的正确领导下")
    assert example.text["problems"].split("\n")[1].startswith("改进措施：一是加强对政府信息公开工作的领导")
    assert example.text["other_matters"] == "无其他需要报告的事项。"
    assert "bookmark" not in json.dumps(example.text, ensure_ascii=False)
    seed = (Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "chengbu_commerce_2019.txt")
    if seed.exists():
        seed_text = seed.read_text(encoding="utf-8")
        for paragraph in "\n".join(example.text.values()).split("\n"):
            assert paragraph in seed_text
    # the seed was signed on 2020-02-12, after the 31 January deadline: its one warning
    assert [p.rule for p in run_checks(example)] == ["meta.late"]


def test_a_report_holding_every_edge_value_saves_and_loads(tmp_path):
    from model.values import AMOUNT_MAX_DIGITS, COUNT_MAX

    fmt = FORMATS["gov-2021"]
    edge_counts = [0, 1, COUNT_MAX, NA]
    edge_amounts = [Decimal(0), Decimal("0.000001"), Decimal("999999999.999999"), Decimal("9" * AMOUNT_MAX_DIGITS),
                    Decimal("1E+3"), Decimal("12.50"), NA]
    cells = {}
    for i, address in enumerate(fmt.input_cells):
        kind = fmt.column(address).kind
        if kind is Kind.AMOUNT:
            cells[address] = edge_amounts[i % len(edge_amounts)]
        elif kind is Kind.SIGNED:
            cells[address] = [-COUNT_MAX, COUNT_MAX, 0, NA][i % 4]
        else:
            cells[address] = edge_counts[i % len(edge_counts)]
    texts = {
        "preamble": "",
        "overview": "😀𠀀 astral, combining e\u0301, zero\u200bwidth, RTL \u05d0\u05d1, line\u2028separator, tab\tand\r\nCRLF",
        "problems": "\x00\x01\x1f control characters and \ufeff a BOM inside, \ufffd a replacement character",
        "other_matters": "长" * 100_000,
    }
    meta = Meta(agency="机" * 1000, year=2200, date=dt.date(9999, 12, 31), title="第一行\n第二行", procurement_unit="元")
    baseline = Baseline(1990, "gov-2019", {a: 0 for a in FORMATS["gov-2019"].input_cells}, dict(texts))
    report = Report("gov-2021", meta, texts, cells, baseline, {}, {"overview"})
    path = tmp_path / "边界.nianbao"
    store.save(report, path)
    loaded = store.load(path)
    # the load keeps texts as the report does (clean_text): CRLF a line end, C0 controls gone, the rest kept
    cleaned = {key: clean_text(text) for key, text in texts.items()}
    assert cleaned["overview"] == texts["overview"].replace("\r\n", "\n")
    assert cleaned["problems"] == " control characters and \ufeff a BOM inside, \ufffd a replacement character"
    expected = report.copy()
    expected.text, expected.last_year = cleaned, baseline._replace(text=cleaned)
    assert loaded.content_equals(expected)
    assert store.unsaveable_place(loaded) is None


def test_a_lone_surrogate_never_reaches_the_report(distinct, tmp_path):
    """What an input method or a broken paste may hand over is kept as U+FFFD: the report stays saveable."""
    distinct.set_text("overview", "半个\ud800字")
    distinct.set_meta(agency="局\udfff", title="\ud83d标题")
    distinct.dismiss("x|y|z", "理由\udc00")
    assert distinct.text["overview"] == "半个\ufffd字"
    assert distinct.meta.agency == "局\ufffd" and distinct.meta.title == "\ufffd标题"
    store.save(distinct, tmp_path / "r.nianbao")
    assert store.load(tmp_path / "r.nianbao").text["overview"] == "半个\ufffd字"


def test_what_could_not_be_loaded_again_is_not_saved(distinct, tmp_path):
    path = tmp_path / "r.nianbao"
    for cells, place in (({("art20_8", "fees", "amount"): Decimal("1E+999999999")}, "art20_8.fees.amount 的值超出范围"),
                         ({("requests", "received", "natural"): Decimal("NaN")}, "requests.received.natural 的值不是有限的数值")):
        report = distinct.copy()
        report.cells.update(cells)
        with pytest.raises(store.StoreError) as caught:
            store.save(report, path)
        assert caught.value.message.startswith(f"无法保存“r.nianbao”：报告中有无法保存的内容（{place}")
        assert not path.exists()
    report = distinct.copy()
    report.text["overview"] = "\ud800"  # set behind the model's back
    with pytest.raises(store.StoreError, match="正文“overview”中有无效的字符"):
        store.save(report, path)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("Infinity", "cells.requests.received.natural 的值“Infinity”不是有效的数值"),
        ("NaN", "的值“NaN”不是有效的数值"),
        ("1e400", "的值“1e400”不是有效的数值"),
        ("1" + "0" * 40, "不是有效的数值（无穷大、非数字或位数过多）"),
        ("1" + "0" * 20, "超出范围（最多 15 位有效数字）"),
        ('"1e999999999"', "的值“1e999999999”应是整数或“/”"),
    ],
)
def test_numbers_no_report_can_hold_are_refused_with_their_place(raw, fragment, distinct_path, tmp_path):
    data = _good(distinct_path)
    data["cells"]["requests"]["received"]["natural"] = "@@"
    text = json.dumps(data, ensure_ascii=False).replace('"@@"', raw)
    path = tmp_path / "r.nianbao"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(store.StoreError) as caught:
        store.load(path)
    assert fragment in caught.value.message
    assert "cells.requests.received.natural" in caught.value.message


def test_deep_nesting_is_refused_before_parsing(tmp_path):
    path = tmp_path / "deep.nianbao"
    path.write_text('{"nianbao_file": 1, "x": ' + "[" * 65 + "]" * 65 + "}", encoding="utf-8")
    with pytest.raises(store.StoreError, match="嵌套超过 64 层"):
        store.load(path)
    ok = tmp_path / "ok.nianbao"  # brackets inside strings do not count
    ok.write_text('{"nianbao_file": 1, "x": "' + "[" * 1000 + '"}', encoding="utf-8")
    with pytest.raises(store.StoreError, match="不是已知的报告格式"):
        store.load(ok)
