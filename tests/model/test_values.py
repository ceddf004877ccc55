"""Parsing what people type or paste into a cell, and the bounds of each kind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from model.values import NA, BadValue, Kind, display_text, parse, same_value, validate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12), ("0", 0), (" 7 ", 7), ("　　0", 0), ("0 ", 0), ("１２３", 123), ("１２ ３", 123),
        ("1,234", 1234), ("1，234", 1234), ("9999999", 9_999_999), ("12,854,581", 12_854_581),
        ("77300440", 77_300_440), ("999,999,999,999", 999_999_999_999), ("９９９９９９９９９９９９", 999_999_999_999), ("+5", 5), ("12.0", 12), ("-0", 0),
        ("", None), ("   ", None), ("　", None),
        ("/", NA), ("／", NA), ("、", NA), ("—", NA), ("——", NA),
    ],
)
def test_count_accepted(text, expected):
    assert parse(text, Kind.COUNT).value == expected
    assert parse(text, Kind.COUNT).note is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("12a", "「12a」不是有效的数字"),
        ("1.5", "「1.5」不是整数"),
        ("-3", "「-3」是负数"),
        ("－３", "是负数"),
        ("1000000000000", "太大"),  # 13 digits: the bound is 12 (spec/formats.md)
        ("99999999999999999999", "太大"),
        ("约5", "不是有效的数字"),
        ("5件", "不是有效的数字"),
        ("1,23", "不是有效的数字"),
        ("1.2.3", "不是有效的数字"),
        ("abc", "此格应填写0 到 999999999999 之间的整数"),
    ],
)
def test_count_refused(text, fragment):
    with pytest.raises(BadValue) as caught:
        parse(text, Kind.COUNT)
    assert fragment in caught.value.message


def test_signed():
    assert parse("-8", Kind.SIGNED).value == -8
    assert parse("－８", Kind.SIGNED).value == -8
    assert parse("−8", Kind.SIGNED).value == -8
    assert parse("+3", Kind.SIGNED).value == 3
    assert parse("-9999999", Kind.SIGNED).value == -9_999_999
    assert parse("-999999999999", Kind.SIGNED).value == -999_999_999_999
    with pytest.raises(BadValue, match="太大"):
        parse("-1000000000000", Kind.SIGNED)
    with pytest.raises(BadValue, match="不是整数"):
        parse("-1.5", Kind.SIGNED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24252.311082", Decimal("24252.311082")),
        ("5949.09", Decimal("5949.09")),
        ("5949。09", Decimal("5949.09")),
        ("５９４９．０９", Decimal("5949.09")),
        ("12.50", Decimal("12.50")),
        ("0", Decimal(0)),
        ("1,234.5", Decimal("1234.5")),
        ("999999999.999999", Decimal("999999999.999999")),
        ("5949.09万元", Decimal("5949.09")),
    ],
)
def test_amount_accepted(text, expected):
    parsed = parse(text, Kind.AMOUNT, "万元")
    assert parsed.value == expected
    assert isinstance(parsed.value, Decimal)
    assert parsed.note is None


def test_amount_units_converted_exactly():
    parsed = parse("251000元", Kind.AMOUNT, "万元")
    assert parsed.value == Decimal("25.1")
    assert display_text(parsed.value) == "25.1"
    assert parsed.note == "已将「251000元」换算为 25.1万元"
    parsed = parse("75394432.52元", Kind.AMOUNT, "万元")
    assert parsed.value == Decimal("7539.443252")
    parsed = parse("5949.09万元", Kind.AMOUNT, "元")
    assert parsed.value == Decimal(59490900)
    assert display_text(parsed.value) == "59490900"
    assert "59490900元" in parsed.note
    # a conversion that would need more than 6 decimals is refused, not rounded
    with pytest.raises(BadValue, match="小数位太多"):
        parse("0.005元", Kind.AMOUNT, "万元")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1.1234567", "小数位太多"),
        ("1234567890123456", "有效数字太多"),
        ("-5", "是负数"),
        ("12a", "不是有效的金额"),
        ("1e5", "不是有效的金额"),
        ("nan", "不是有效的金额"),
    ],
)
def test_amount_refused(text, fragment):
    with pytest.raises(BadValue) as caught:
        parse(text, Kind.AMOUNT, "万元")
    assert fragment in caught.value.message
    assert "单位：万元" in caught.value.message


def test_validate_values_loaded_from_a_file():
    assert validate(Kind.COUNT, -3) == "「-3」是负数：此格应填写0 到 999999999999 之间的整数"
    assert "不是整数" in validate(Kind.COUNT, Decimal("1.5"))
    assert "太大" in validate(Kind.COUNT, 1_000_000_000_000)
    assert validate(Kind.COUNT, 77_300_440) is None
    assert validate(Kind.COUNT, 5) is None
    assert validate(Kind.COUNT, NA) is None
    assert validate(Kind.COUNT, None) is None
    assert validate(Kind.SIGNED, -3) is None
    assert "小数位太多" in validate(Kind.AMOUNT, Decimal("0.0000001"))
    assert validate(Kind.AMOUNT, Decimal("12.5")) is None


def test_compare_by_value():
    assert same_value(Decimal("12.50"), Decimal("12.5"))
    assert not same_value(None, 0)
    assert not same_value(NA, 0)
    assert same_value(NA, NA)
    assert same_value(None, None)
