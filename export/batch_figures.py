"""The figures a 公开办 reads off each report, and the ratios it ranks units by.

Every figure is a cell (or a sum of cells) of tables 三 and 四 as the format defines them, so the
same definitions serve a report of either format. The ratios are defined here once, with the
Chinese text the workbook prints beside them:

- 实质公开率 = (（一）予以公开 + （二）部分公开) ÷ (（一）至（四）之和): of the requests decided on
  whether to disclose — 予以公开, 部分公开, 不予公开, 无法提供 — the share where the applicant
  received information. （五）不予处理 and （六）其他处理 are left out of the denominator: they
  close a request without deciding on disclosure (a petition, a duplicate, an applicant who did
  not supplement or pay), so they neither raise nor lower the rate.
- 复议纠错率 = 行政复议 结果纠正 ÷ (结果维持 + 结果纠正 + 其他结果): of the reviews decided this
  year (尚未审结 left out: nothing is known of them yet), the share where the agency was corrected.
- 诉讼纠错率 = the same over both 行政诉讼 rows (未经复议直接起诉 and 复议后起诉) together.

A ratio whose denominator is 0 has no value (no decided cases), which is not 0 %.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from model.formats import Address, ReportFormat
from model.values import Value, as_number

Getter = Callable[[Address], Value]


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str  # the workbook's column heading
    cells: tuple[Address, ...]


KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("received", "本年新收", (("requests", "received", "total"),)),
    KeyFigure("granted", "予以公开", (("requests", "granted", "total"),)),
    KeyFigure("handled", "（七）总计", (("requests", "handled_total", "total"),)),
    KeyFigure("carried_out", "结转下年", (("requests", "carried_out", "total"),)),
    KeyFigure("review", "行政复议", (("appeals", "review", "total"),)),
    KeyFigure("suits", "行政诉讼", (("appeals", "suit_direct", "total"), ("appeals", "suit_after_review", "total"))),
)


@dataclass(frozen=True)
class Ratio:
    key: str
    label: str
    numerator: tuple[str, ...]  # table 三 row keys (or prefixes: "denied" covers denied.*), or table 四 rows
    denominator: tuple[str, ...]
    definition: str
    table: str = "requests"
    numerator_columns: tuple[str, ...] = ("total",)
    denominator_columns: tuple[str, ...] = ("total",)


_DECIDED = ("upheld", "corrected", "other")

RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "disclosure", "实质公开率", ("granted", "partial"), ("granted", "partial", "denied", "unable"),
        "实质公开率 =（表三 （一）予以公开 + （二）部分公开）÷（（一）予以公开 + （二）部分公开 + （三）不予公开 + "
        "（四）无法提供），均取“总计”列：作出是否公开决定的申请中，申请人得到信息的比例。（五）不予处理、"
        "（六）其他处理未就是否公开作出决定（信访类、重复申请、申请人逾期不补正或不缴费等），不计入分母。",
    ),
    Ratio(
        "review_correction", "复议纠错率", ("review",), ("review",),
        "复议纠错率 = 表四 行政复议 结果纠正 ÷（结果维持 + 结果纠正 + 其他结果）：本年审结的行政复议案件中被纠正的比例；"
        "尚未审结的案件不计入。",
        table="appeals", numerator_columns=("corrected",), denominator_columns=_DECIDED,
    ),
    Ratio(
        "suit_correction", "诉讼纠错率", ("suit_direct", "suit_after_review"), ("suit_direct", "suit_after_review"),
        "诉讼纠错率 = 表四 行政诉讼（未经复议直接起诉 + 复议后起诉）结果纠正 ÷ 两者的（结果维持 + 结果纠正 + 其他结果）："
        "本年审结的行政诉讼案件中被纠正的比例；尚未审结的案件不计入。",
        table="appeals", numerator_columns=("corrected",), denominator_columns=_DECIDED,
    ),
)
NO_CASES = "—"  # a ratio with nothing to divide by
RATIO_NOTE = "分母为0（没有相应的申请或审结案件）时不计算比率，显示为“—”，不是0%。"


def _rows(fmt: ReportFormat, table: str, wanted: tuple[str, ...]) -> list[str]:
    keys = [row.key for row in fmt.table(table).rows]
    return [key for want in wanted for key in keys if key == want or key.startswith(want + ".")]


def _total(fmt: ReportFormat, get: Getter, table: str, rows: tuple[str, ...], columns: tuple[str, ...]) -> int | Decimal:
    return sum((as_number(get((table, row, col))) for row in _rows(fmt, table, rows) for col in columns), 0)


def key_figures(fmt: ReportFormat, get: Getter) -> dict[str, int | Decimal]:
    return {figure.key: sum((as_number(get(cell)) for cell in figure.cells), 0) for figure in KEY_FIGURES}


def ratio_fraction(fmt: ReportFormat, get: Getter, ratio: Ratio) -> Fraction | None:
    """The ratio exactly, or None when its denominator is 0."""
    denominator = _total(fmt, get, ratio.table, ratio.denominator, ratio.denominator_columns)
    if not denominator:
        return None
    numerator = _total(fmt, get, ratio.table, ratio.numerator, ratio.numerator_columns)
    return Fraction(int(numerator), int(denominator))


def rounded(value: Fraction | None, places: int = 4) -> Decimal | None:
    """A ratio as a decimal fraction with ``places`` decimals (0.6667), half up; None stays None."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def ratios(fmt: ReportFormat, get: Getter) -> dict[str, Decimal | None]:
    return {ratio.key: rounded(ratio_fraction(fmt, get, ratio)) for ratio in RATIOS}


def percent_text(value: Decimal | None) -> str:
    """"66.7%", or "—" when there is nothing to divide by."""
    if value is None:
        return NO_CASES
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
