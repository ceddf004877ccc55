"""The 本级 sum: cell by cell, exact, of one year and format; what is not added up stays blank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export.batch_sum import (
    NOT_SUMMED,
    Contribution,
    SumRefused,
    compare_with_sum,
    is_summed,
    sum_reports,
    sum_values,
    summed_cells,
)
from model.checks import run_checks
from model.formats import FORMATS, GOV_2019, GOV_2021
from model.problems import ERROR, WARNING
from model.report import Meta, Report
from model.values import NA, Kind, as_number
from tests.batch_folder import SPECIFIC_PROBLEMS, make_report


def _value(kind: Kind):
    if kind is Kind.AMOUNT:
        number = st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False, allow_infinity=False)
    elif kind is Kind.SIGNED:
        number = st.integers(-500, 500)
    else:
        number = st.integers(0, 10_000)
    return st.one_of(st.none(), st.just(NA), number)


@st.composite
def reports(draw, fmt):
    count = draw(st.integers(1, 4))
    made = []
    for i in range(count):
        report = Report(fmt.id, Meta(agency=f"第{i}局", year=2026 if fmt is GOV_2021 else 2020,
                                     procurement_unit=draw(st.sampled_from(["万元", "元"]))))
        for address, kind in fmt.cell_kinds.items():
            value = draw(_value(kind))
            if value is not None:
                report.cells[address] = value
        made.append(report)
    return made


def _expected(values):
    if all(v is None for v in values):
        return None
    if all(v is NA for v in values):
        return NA
    return sum((as_number(v) for v in values), 0)


@pytest.mark.parametrize("fmt", [GOV_2021, GOV_2019], ids=["gov-2021", "gov-2019"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_sum_is_the_cell_by_cell_sum(fmt, data):
    units = data.draw(reports(fmt))
    total = sum_reports([Contribution(r, r.meta.agency) for r in units], agency="本级")
    assert total.format_id == fmt.id and total.meta.year == units[0].meta.year and total.meta.agency == "本级"
    for address in fmt.input_cells:
        if not is_summed(fmt, address):
            assert address not in total.cells  # a stock: left for the 本级 to fill
        elif fmt.column(address).unit == "procurement":
            in_yuan = [None if r.cells.get(address) in (None, NA) else
                       as_number(r.cells[address]) * (10000 if r.meta.procurement_unit == "万元" else 1) for r in units]
            raw = [r.cells.get(address) for r in units]
            expected = _expected(raw)
            if expected is None or expected is NA:
                assert total.cells.get(address) is expected
            else:
                factor = 10000 if total.meta.procurement_unit == "万元" else 1
                assert total.cells[address] * factor == sum(v for v in in_yuan if v is not None)
        else:
            assert total.cells.get(address) == _expected([r.cells.get(address) for r in units]), address
    for address in (a for table in fmt.tables for a in table.derived_cells):  # the totals follow
        expected = sum(as_number(r.value(address)) for r in units)
        assert as_number(total.value(address)) == expected


@st.composite
def balanced_reports(draw):
    """Reports that check clean: complete, table 三 balanced, texts written."""
    count = draw(st.integers(1, 4))
    made = []
    small = st.integers(0, 40)
    for i in range(count):
        cells = {}
        for address in GOV_2021.input_cells:
            if address[0] == "requests" and address[1] != "received":
                cells[address] = draw(small)
            elif address[0] == "appeals":
                cells[address] = draw(small)
        for col in ("natural", "business", "research", "nonprofit", "legal", "other"):
            cells[("requests", "carried_in", col)] = draw(st.integers(0, 3))
            cells[("requests", "carried_out", col)] = draw(st.integers(3, 9))  # never below 本年新收's need
        report = make_report(f"城步苗族自治县第{i}局", 2025, cells)
        made.append(report)
    return made


@settings(max_examples=40, deadline=None)
@given(units=balanced_reports())
def test_the_sum_checks_clean_when_its_inputs_do(units):
    for unit in units:
        problems = run_checks(unit)
        assert not [p for p in problems if p.severity in (ERROR, WARNING)], [p.message for p in problems]
    total = sum_reports([Contribution(r, r.meta.agency) for r in units], agency="城步苗族自治县人民政府")
    problems = run_checks(total)
    # nothing about the tables: only what the clerk writes next (the texts and the date)
    assert {p.rule for p in problems if p.severity in (ERROR, WARNING)} == {"text.empty", "meta.date"}
    total.text.update(overview="2025年，全县认真贯彻落实《条例》。", problems=SPECIFIC_PROBLEMS,
                      other_matters="本年度未收取信息处理费。")
    total.meta = total.meta._replace(date=dt.date(2026, 1, 25))
    for address, _why in [(a, w) for (f, t, c), w in NOT_SUMMED.items() if f == "gov-2021" for a in
                          [x for x in GOV_2021.input_cells if x[0] == t and x[2] == c]]:
        total.cells[address] = 0  # the stocks the 本级 fills from its own register
    assert not [p for p in run_checks(total) if p.severity in (ERROR, WARNING)]


def test_blank_and_not_applicable():
    assert sum_values([None, None]) is None
    assert sum_values([NA, NA]) is NA
    assert sum_values([NA, None]) == 0
    assert sum_values([NA, 3, None, 4]) == 7
    assert sum_values([Decimal("1.25"), Decimal("0.5")]) == Decimal("1.75")


def test_procurement_in_mixed_units():
    a = Report("gov-2019", Meta(agency="甲", year=2020, procurement_unit="万元"))
    b = Report("gov-2019", Meta(agency="乙", year=2020, procurement_unit="元"))
    cell = ("art20_9", "procurement", "amount")
    a.cells[cell], b.cells[cell] = Decimal("25.1"), Decimal("251000")
    total = sum_reports([Contribution(a, "甲"), Contribution(b, "乙")])
    assert (total.cells[cell], total.meta.procurement_unit) == (Decimal("50.2"), "万元")
    b.cells[cell] = Decimal("0.000001")  # 1e-10 万元: more decimals than a cell holds
    total = sum_reports([Contribution(a, "甲"), Contribution(b, "乙")])
    assert (total.cells[cell], total.meta.procurement_unit) == (Decimal("251000.000001"), "元")


def test_what_is_not_added_up():
    assert [a for a in GOV_2021.input_cells if not is_summed(GOV_2021, a)] == [
        ("art20_1", "rules", "in_force"), ("art20_1", "normative_docs", "in_force")]
    assert {a[2] for a in GOV_2019.input_cells if not is_summed(GOV_2019, a)} == {"public_total", "items_last_year", "items_change"}
    assert all(a[0] in ("requests", "appeals") or a[0].startswith("art20") for a in summed_cells(GOV_2021))
    assert len([a for a in summed_cells(GOV_2021) if a[0] == "requests"]) == len(
        [a for a in GOV_2021.input_cells if a[0] == "requests"])


def test_mixed_years_or_formats_refused():
    a = make_report("甲局", 2025, {})
    b = make_report("乙局", 2024, {})
    with pytest.raises(SumRefused) as caught:
        sum_reports([Contribution(a, "甲.nianbao"), Contribution(b, "乙.nianbao")])
    assert caught.value.message == ("报告的年度不一致，不能相加：2024年度1份（乙.nianbao）；2025年度1份（甲.nianbao）。"
                                    "请只汇总同一年度的报告（可用 --year 指定年度）。")
    c = Report("gov-2019", Meta(agency="丙局", year=2025))
    with pytest.raises(SumRefused) as caught:
        sum_reports([Contribution(a, "甲.nianbao"), Contribution(c, "丙.docx")])
    assert caught.value.message.startswith("报告使用的格式不一致，不能相加：")
    with pytest.raises(SumRefused):
        sum_reports([])


def test_compare_with_sum():
    level = make_report("县人民政府", 2025, {("requests", "granted", "natural"): 5})
    units = make_report("县商务局", 2025, {("requests", "granted", "natural"): 3})
    total = sum_reports([Contribution(units, "x")])
    assert [(d.address, d.level, d.total, d.difference) for d in compare_with_sum(level, total)] == [
        (("requests", "received", "natural"), 5, 3, 2), (("requests", "granted", "natural"), 5, 3, 2)]
    assert compare_with_sum(total, total) == []


def test_formats_known():
    assert set(FORMATS) == {"gov-2019", "gov-2021"}  # NOT_SUMMED names cells of these two formats
