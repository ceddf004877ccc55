"""The format definitions against spec/formats.md, written out by hand from the spec."""

from __future__ import annotations

import pytest

from model.formats import FORMATS, GOV_2019, GOV_2021, format_for_year
from model.values import Kind

SECTIONS = [
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
]

TABLE2_2021 = [
    ("art20_1", "第二十条第（一）项", [("rules", "规章"), ("normative_docs", "行政规范性文件")],
     [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]),
    ("art20_5", "第二十条第（五）项", [("licensing", "行政许可")], [("decisions", "本年处理决定数量")]),
    ("art20_6", "第二十条第（六）项", [("penalty", "行政处罚"), ("coercion", "行政强制")],
     [("decisions", "本年处理决定数量")]),
    ("art20_8", "第二十条第（八）项", [("fees", "行政事业性收费")], [("amount", "本年收费金额（单位：万元）")]),
]
ITEMS = [("items_last_year", "上一年项目数量"), ("items_change", "本年增/减"), ("decisions", "处理决定数量")]
TABLE2_2019 = [
    ("art20_1", "第二十条第（一）项", [("rules", "规章"), ("normative_docs", "规范性文件")],
     [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("public_total", "对外公开总数量")]),
    ("art20_5", "第二十条第（五）项", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")], ITEMS),
    ("art20_6", "第二十条第（六）项", [("penalty", "行政处罚"), ("coercion", "行政强制")], ITEMS),
    ("art20_8", "第二十条第（八）项", [("fees", "行政事业性收费")], ITEMS[:2]),
    ("art20_9", "第二十条第（九）项", [("procurement", "政府集中采购")],
     [("projects", "采购项目数量"), ("amount", "采购总金额")]),
]

REQUEST_COLUMNS = [
    ("natural", "自然人"), ("business", "商业企业"), ("research", "科研机构"), ("nonprofit", "社会公益组织"),
    ("legal", "法律服务机构"), ("other", "其他"), ("total", "总计"),
]
REQUEST_ROWS_HEAD = [
    ("received", "一、本年新收政府信息公开申请数量"),
    ("carried_in", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.prohibited", "2.其他法律行政法规禁止公开"),
    ("denied.security", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal", "5.属于三类内部事务信息"),
    ("denied.process", "6.属于四类过程性信息"),
    ("denied.enforcement", "7.属于行政执法案卷"),
    ("denied.query", "8.属于行政查询事项"),
    ("unable.not_held", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "3.补正后申请内容仍不明确"),
    ("rejected.petition", "1.信访举报投诉类申请"),
    ("rejected.duplicate", "2.重复申请"),
    ("rejected.publication", "3.要求提供公开出版物"),
    ("rejected.excessive", "4.无正当理由大量反复申请"),
    ("rejected.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
]
REQUEST_ROWS_TAIL = [("handled_total", "（七）总计"), ("carried_out", "四、结转下年度继续办理")]
OTHER_2019 = [("other_handling", "（六）其他处理")]
OTHER_2021 = [
    ("other_handling.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_handling.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_handling.other", "3.其他"),
]
APPEAL_ROWS = [("review", "行政复议"), ("suit_direct", "未经复议直接起诉"), ("suit_after_review", "复议后起诉")]
APPEAL_COLUMNS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
                  ("total", "总计")]


def _rows(table):
    return [(row.key, row.label) for row in table.rows]


def _cols(table):
    return [(col.key, col.label) for col in table.columns]


@pytest.mark.parametrize("fmt", [GOV_2019, GOV_2021], ids=lambda f: f.id)
def test_sections_in_order(fmt):
    assert [(s.key, s.heading) for s in fmt.sections] == SECTIONS
    assert fmt.text_sections == ("preamble", "overview", "problems", "other_matters")


@pytest.mark.parametrize(("fmt", "expected"), [(GOV_2019, TABLE2_2019), (GOV_2021, TABLE2_2021)], ids=["2019", "2021"])
def test_table_two(fmt, expected):
    proactive = next(s for s in fmt.sections if s.key == "proactive")
    assert list(proactive.tables) == [key for key, *_ in expected]
    for key, title, rows, cols in expected:
        table = fmt.table(key)
        assert table.title == title
        assert _rows(table) == rows
        assert _cols(table) == cols


@pytest.mark.parametrize(("fmt", "other"), [(GOV_2019, OTHER_2019), (GOV_2021, OTHER_2021)], ids=["2019", "2021"])
def test_table_three(fmt, other):
    table = fmt.table("requests")
    assert _rows(table) == REQUEST_ROWS_HEAD + other + REQUEST_ROWS_TAIL
    assert _cols(table) == REQUEST_COLUMNS
    assert table.corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert table.column_header == "申请人情况"
    assert [c.group for c in table.columns] == [None] + ["法人或其他组织"] * 5 + [None]
    number_rows = len(table.rows)
    assert number_rows == (23 if fmt is GOV_2019 else 25)


@pytest.mark.parametrize("fmt", [GOV_2019, GOV_2021], ids=lambda f: f.id)
def test_table_four(fmt):
    table = fmt.table("appeals")
    assert _rows(table) == APPEAL_ROWS
    assert _cols(table) == APPEAL_COLUMNS


@pytest.mark.parametrize("fmt", [GOV_2019, GOV_2021], ids=lambda f: f.id)
def test_derived_cells(fmt):
    requests = fmt.table("requests")
    derived = set(requests.derived_cells)
    assert {("requests", r.key, "total") for r in requests.rows} <= derived
    assert {("requests", "handled_total", c.key) for c in requests.columns} <= derived
    assert len(derived) == len(requests.rows) + 6
    # （七）总计 adds every outcome row from 予以公开 to 其他处理
    outcome_rows = [key for key, _ in REQUEST_ROWS_HEAD[2:]] + [key for key, _ in (OTHER_2019 if fmt is GOV_2019 else OTHER_2021)]
    assert [r for r, _c in requests.parts("handled_total", "natural")] == outcome_rows
    appeals = fmt.table("appeals")
    assert set(appeals.derived_cells) == {("appeals", r, "total") for r, _ in APPEAL_ROWS}
    assert appeals.parts("review", "total") == (("review", "upheld"), ("review", "corrected"), ("review", "other"), ("review", "pending"))
    for table in fmt.tables:
        if table.key.startswith("art20"):
            assert not table.derived_cells


def test_value_kinds():
    assert GOV_2019.column(("art20_5", "licensing", "items_change")).kind is Kind.SIGNED
    assert GOV_2019.column(("art20_8", "fees", "items_change")).kind is Kind.SIGNED
    assert GOV_2019.column(("art20_9", "procurement", "amount")).kind is Kind.AMOUNT
    assert GOV_2021.column(("art20_8", "fees", "amount")).kind is Kind.AMOUNT
    assert GOV_2021.column(("art20_8", "fees", "amount")).unit == "万元"
    amounts = [a for f in FORMATS.values() for a in f.input_cells if f.column(a).kind is Kind.AMOUNT]
    assert amounts == [("art20_9", "procurement", "amount"), ("art20_8", "fees", "amount")]
    signed = [a for a in GOV_2019.input_cells if GOV_2019.column(a).kind is Kind.SIGNED]
    assert len(signed) == 5
    assert all(GOV_2021.column(a).kind is not Kind.SIGNED for a in GOV_2021.input_cells)


def test_format_for_year():
    assert format_for_year(2019) is GOV_2019
    assert format_for_year(2020) is GOV_2019
    assert format_for_year(2021) is GOV_2021
    assert format_for_year(2026) is GOV_2021
    assert GOV_2019.issued_by == "国办公开办函〔2019〕60号"
    assert GOV_2021.issued_by == "国办公开办函〔2021〕30号"
