"""gov-2021: 《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号 (2021 and later)."""

from __future__ import annotations

from model.formats.base import Alias, Column, ReportFormat, Row, Table
from model.formats.common import APPEALS, OTHER_HANDLING, RESULTS, requests_table, sections
from model.values import Kind

_DECISIONS = (Column("decisions", "本年处理决定数量"),)

GOV_2021 = ReportFormat(
    id="gov-2021",
    name="《中华人民共和国政府信息公开工作年度报告格式》",
    issued_by="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=sections(("art20_1", "art20_5", "art20_6", "art20_8")),
    tables=(
        Table(
            "art20_1",
            "第二十条第（一）项",
            rows=(
                Row("rules", "规章"),
                Row("normative_docs", "行政规范性文件",
                    aliases=(Alias("规范性文件", "2021年起仍沿用2019年版措辞的报告（issue 14 实测：多个机关、多个网站）"),)),
            ),
            columns=(
                Column("issued", "本年制发件数"),
                Column("repealed", "本年废止件数"),
                Column("in_force", "现行有效件数"),
            ),
        ),
        Table("art20_5", "第二十条第（五）项", rows=(Row("licensing", "行政许可"),), columns=_DECISIONS),
        Table(
            "art20_6",
            "第二十条第（六）项",
            rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
            columns=_DECISIONS,
        ),
        Table(
            "art20_8",
            "第二十条第（八）项",
            rows=(Row("fees", "行政事业性收费"),),
            columns=(Column("amount", "本年收费金额（单位：万元）", Kind.AMOUNT, unit="万元"),),
        ),
        requests_table(
            (
                Row(
                    "other_handling.no_correction",
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    (RESULTS, OTHER_HANDLING),
                ),
                Row(
                    "other_handling.unpaid_fee",
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                    (RESULTS, OTHER_HANDLING),
                ),
                Row("other_handling.other", "3.其他", (RESULTS, OTHER_HANDLING),
                    aliases=(Alias(OTHER_HANDLING, "淮安市洪泽区人民政府2023年、2024年报告（fixtures/real）：按2019年版印成一行",
                                   whole_group=True),)),
            )
        ),
        APPEALS,
    ),
)
