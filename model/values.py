"""Cell values: whole numbers, signed whole numbers, exact decimal amounts, 不适用 ("/"), blank.

In memory a cell value is one of
- ``None``            blank (not filled in; counts as 0, never stored in the file);
- ``NA``              不适用, written "/" (counts as 0, prints as "/");
- ``int``             a count (or a signed count for 本年增/减);
- ``Decimal``         an amount, exact (never float).

Parsing accepts what people type or paste, including what a Chinese input method produces.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple


class Kind(enum.Enum):
    """What a cell holds (spec/formats.md "Cell values")."""

    COUNT = "count"  # 0 … 999,999,999,999 (12 digits: whole-city reports publish 8-digit counts)
    SIGNED = "signed"  # −999,999,999,999 … 999,999,999,999
    AMOUNT = "amount"  # Decimal ≥ 0, ≤ 6 decimals, ≤ 15 significant digits

    __hash__ = object.__hash__  # members are compared by identity: hashed by it in C, not by Enum's Python __hash__


class _NotApplicable:
    """The single 不适用 value; prints as "/"."""

    _instance: _NotApplicable | None = None

    def __new__(cls) -> _NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NA"

    def __str__(self) -> str:
        return "/"

    def __reduce__(self) -> str:
        return "NA"


NA = _NotApplicable()

Value = int | Decimal | _NotApplicable | None

COUNT_MAX = 999_999_999_999
_COUNT_DIGITS = len(str(COUNT_MAX))  # a plain count of this many digits or fewer can be taken at once
AMOUNT_MAX_DECIMALS = 6
AMOUNT_MAX_DIGITS = 15
_BOUND = 10**AMOUNT_MAX_DIGITS

MAX_NUMBER_TEXT = 40  # characters of a typed or imported number after clean-up; longer is no number
SHOWN_CHARS = 24  # how much of a bad value a message quotes

NA_TEXTS = frozenset({"/", "／", "、", "—", "——", "─", "－－", "\\"})
_UNITS = {"万元": Decimal(10000), "万": Decimal(10000), "元": Decimal(1)}
_INT_RE = re.compile(r"[+-]?\d+")
_DEC_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
# what no Word or Excel file may hold (XML 1.0 characters) and no line of a report means
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c]")  # Windows and old Mac line ends, vertical tab, form feed (a page break)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")


class BadValue(ValueError):
    """A value the cell cannot take; ``message`` is for the clerk (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Parsed(NamedTuple):
    """A parsed value and, when the text was converted (a unit), a note for the clerk."""

    value: Value
    note: str | None = None


def as_number(value: Value) -> int | Decimal:
    """The value as it counts in sums: blank and 不适用 count as 0."""
    if value is None or value is NA:
        return 0
    return value  # type: ignore[return-value]


def decimal_text(value: Decimal) -> str:
    """An exact decimal as plain text, never in exponent form ("1E+3" → "1000")."""
    text = format(value, "f")
    return text


def display_text(value: Value, *, blank: str = "") -> str:
    """What a cell shows: the number as typed, "/" for 不适用, ``blank`` for blank."""
    if value is None:
        return blank
    if value is NA:
        return "/"
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def excerpt(text: object, limit: int = SHOWN_CHARS) -> str:
    """A value as a message quotes it: at most ``limit`` characters (a pasted page is not repeated),
    never a lone surrogate (a message with one could not even be printed)."""
    text = clean_text(str(text))
    return text if len(text) <= limit else text[:limit] + "…"


def has_lone_surrogate(text: str) -> bool:
    """A UTF-16 half that stands alone (JSON "\\ud800", a broken paste): it cannot be written as UTF-8."""
    return _SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """Text as the report keeps it, whatever a file or a paste held, so the report can always be saved
    and exported as a valid Word or Excel file: "\\r\\n", "\\r", a vertical tab and a form feed
    become "\\n"; the other control characters (except tab and "\\n"), DEL, U+FFFE and U+FFFF go; a
    lone surrogate becomes U+FFFD. A clean text (nearly every one) is returned as it is, after one search."""
    if _UNCLEAN.search(text) is None:
        return text
    text = _CONTROL.sub("", _LINE_BREAK.sub("\n", text))
    return _SURROGATE.sub("\ufffd", text)


def out_of_bounds(value: Value) -> str | None:
    """Why ``value`` can stand in no cell at all, or None.

    Beyond these bounds a number is no slip of the keyboard but a broken or hostile file: not
    finite, more than 15 significant digits, 15 digits before or after the point (10^999999999
    would be saved as a billion digits). Within them a value not allowed in its cell (negative, a
    fraction in a count, too large for a count) is kept and flagged by the checks (cell.invalid).
    """
    if value is None or value is NA or isinstance(value, bool):
        return None
    if isinstance(value, int) and -_BOUND < value < _BOUND:
        return None  # the common case, at once (a save checks every cell)
    too_many = f"超出范围（最多 {AMOUNT_MAX_DIGITS} 位有效数字）"
    if isinstance(value, int):
        if abs(value) >= 10**AMOUNT_MAX_DIGITS:
            return too_many
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        return "不是有限的数值"
    digits, places = _significant_digits(value)
    if value.adjusted() >= AMOUNT_MAX_DIGITS or digits > AMOUNT_MAX_DIGITS or places > AMOUNT_MAX_DIGITS:
        return too_many
    return None


def expectation(kind: Kind, unit: str | None = None) -> str:
    """What a cell of this kind expects, in the clerk's words."""
    if kind is Kind.COUNT:
        return f"0 到 {COUNT_MAX} 之间的整数"
    if kind is Kind.SIGNED:
        return f"-{COUNT_MAX} 到 {COUNT_MAX} 之间的整数（减少写负号，如 -8）"
    unit_text = f"（单位：{unit}）" if unit else ""
    return f"不小于 0 的金额{unit_text}，最多 6 位小数、15 位有效数字"


def _normalise(text: str, kind: Kind) -> str:
    # NFKC folds full-width digits, signs, letters and the ideographic space to ASCII.
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.replace("−", "-").replace("–", "-").replace("，", ",")
    if kind is Kind.AMOUNT:
        folded = folded.replace("。", ".")
    return "".join(folded.split())


def _significant_digits(value: Decimal) -> tuple[int, int]:
    """(significant digits, decimal places) of an exact decimal."""
    if value == 0:
        return 0, 0
    _sign, digits, exponent = value.as_tuple()  # not normalize(): it overflows on 1E+999999999
    assert isinstance(exponent, int)
    significant = "".join(map(str, digits)).rstrip("0")
    exponent += len(digits) - len(significant)
    if exponent >= 0:
        return len(significant) + exponent, 0
    return len(significant), -exponent


def _plain_or_short(value: int | Decimal) -> str:
    """A number as a message shows it, without writing out 10^999999999."""
    if isinstance(value, int):
        return str(value) if abs(value) < 10**AMOUNT_MAX_DIGITS else "超过15位的整数"
    return decimal_text(value) if value.is_finite() and abs(value.adjusted()) <= AMOUNT_MAX_DIGITS else str(value)


def validate(kind: Kind, value: Value, unit: str | None = None) -> str | None:
    """Why ``value`` is not allowed in a cell of ``kind`` (Chinese), or None when it is."""
    if value is None or value is NA:
        return None
    if type(value) is int and kind is not Kind.AMOUNT and abs(value) <= COUNT_MAX and (value >= 0 or kind is Kind.SIGNED):
        return None  # the common case, decided without building a message
    shown = excerpt(_plain_or_short(value)) if isinstance(value, (int, Decimal)) else display_text(value)
    if isinstance(value, bool) or (isinstance(value, Decimal) and not value.is_finite()):
        return f"「{shown}」不是数字：此格应填写{expectation(kind, unit)}"
    if kind in (Kind.COUNT, Kind.SIGNED):
        if isinstance(value, Decimal):
            if value != value.to_integral_value():
                return f"「{shown}」不是整数：此格应填写{expectation(kind)}"
            if value.adjusted() >= AMOUNT_MAX_DIGITS:  # 1E+999999999 is no int to build
                return f"「{shown}」太大：此格应填写{expectation(kind)}"
            value = int(value)
        if not isinstance(value, int):
            return f"「{shown}」不是数字：此格应填写{expectation(kind)}"
        if kind is Kind.COUNT and value < 0:
            return f"「{shown}」是负数：此格应填写{expectation(kind)}"
        if abs(value) > COUNT_MAX:
            return f"「{shown}」太大：此格应填写{expectation(kind)}"
        return None
    # amount
    number = Decimal(value) if isinstance(value, int) else value
    if not isinstance(number, Decimal) or not number.is_finite():
        return f"「{shown}」不是金额：此格应填写{expectation(kind, unit)}"
    if number < 0:
        return f"「{shown}」是负数：此格应填写{expectation(kind, unit)}"
    digits, places = _significant_digits(number)
    if places > AMOUNT_MAX_DECIMALS:
        return f"「{shown}」小数位太多：此格应填写{expectation(kind, unit)}"
    if digits > AMOUNT_MAX_DIGITS:
        return f"「{shown}」有效数字太多：此格应填写{expectation(kind, unit)}"
    return None


def parse(text: str, kind: Kind, unit: str | None = None) -> Parsed:
    """Parse what the clerk typed or pasted into a cell of ``kind``.

    ``unit`` is the column's unit for an amount ("万元" or "元"); a value written with the other
    unit is converted exactly and the returned note says so. Raises :class:`BadValue` with a
    message that quotes the text and says what the cell expects.
    """
    if kind is not Kind.AMOUNT and text.isascii() and text.strip().isdigit():
        plain = text.strip()  # the common case, typed or published: a plain count ("0", "2629")
        if len(plain) <= _COUNT_DIGITS:
            return Parsed(int(plain))
    raw = text
    shown = excerpt(raw.strip())
    cleaned = _normalise(raw, kind)
    if cleaned == "":
        return Parsed(None)
    if len(cleaned) > MAX_NUMBER_TEXT:
        raise BadValue(f"「{shown}」不是有效的数字（太长）：此格应填写{expectation(kind, unit)}")
    if cleaned in NA_TEXTS or raw.strip() in NA_TEXTS:
        return Parsed(NA)

    note: str | None = None
    written_unit: str | None = None
    if kind is Kind.AMOUNT:
        for suffix in _UNITS:
            if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
                written_unit = suffix
                cleaned = cleaned[: -len(suffix)]
                break
    if _GROUPED_RE.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")

    if kind in (Kind.COUNT, Kind.SIGNED):
        if _INT_RE.fullmatch(cleaned):
            number: int | Decimal = int(cleaned)
        elif _DEC_RE.fullmatch(cleaned):
            decimal = Decimal(cleaned)
            if decimal != decimal.to_integral_value():
                raise BadValue(f"「{shown}」不是整数：此格应填写{expectation(kind)}")
            number = int(decimal)
        else:
            raise BadValue(f"「{shown}」不是有效的数字：此格应填写{expectation(kind)}")
        if kind is Kind.COUNT and cleaned.startswith("-") and number != 0:
            raise BadValue(f"「{shown}」是负数：此格应填写{expectation(kind)}")
        number = abs(number) if kind is Kind.COUNT else number
    else:
        if not _DEC_RE.fullmatch(cleaned):
            raise BadValue(f"「{shown}」不是有效的金额：此格应填写{expectation(kind, unit)}")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid text
            raise BadValue(f"「{shown}」不是有效的金额：此格应填写{expectation(kind, unit)}") from None
        column_unit = unit or "万元"
        if written_unit is not None and _UNITS[written_unit] != _UNITS[column_unit]:
            converted = number * _UNITS[written_unit] / _UNITS[column_unit]
            converted = _plain(converted)
            note = f"已将「{shown}」换算为 {decimal_text(converted)}{column_unit}"
            number = converted
    problem = validate(kind, number, unit)
    if problem:
        raise BadValue(problem)
    return Parsed(number, note)


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros a unit conversion leaves (251000 ÷ 10000 = 25.1, not 25.1000)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def same_value(a: Value, b: Value) -> bool:
    """Compare cell values by value (12.50 = 12.5); blank, "/" and numbers differ from each other."""
    if a is None or b is None or a is NA or b is NA:
        return a is b
    return a == b
