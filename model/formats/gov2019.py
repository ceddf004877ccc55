"""gov-2019: 《中华人民共和国政府信息公开工作年度报告格式（试行）》, 国办公开办函〔2019〕60号 (2019, 2020)."""

from __future__ import annotations

from model.formats.base import Column, ReportFormat, Row, Table
from model.formats.common import APPEALS, OTHER_HANDLING, RESULTS, requests_table, sections
from model.values import Kind

_ITEMS = (
    Column("items_last_year", "上一年项目数量"),
    Column("items_change", "本年增/减", Kind.SIGNED),
    Column("decisions", "处理决定数量"),
)

GOV_2019 = ReportFormat(
    id="gov-2019",
    name="《中华人民共和国政府信息公开工作年度报告格式（试行）》",
    issued_by="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=sections(("art20_1", "art20_5", "art20_6", "art20_8", "art20_9")),
    tables=(
        Table(
            "art20_1",
            "第二十条第（一）项",
            rows=(Row("rules", "规章"), Row("normative_docs", "规范性文件")),
            columns=(
                Column("made", "本年新制作数量"),
                Column("published", "本年新公开数量"),
                Column("public_total", "对外公开总数量"),
            ),
        ),
        Table(
            "art20_5",
            "第二十条第（五）项",
            rows=(Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
            columns=_ITEMS,
        ),
        Table(
            "art20_6",
            "第二十条第（六）项",
            rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
            columns=_ITEMS,
        ),
        Table(
            "art20_8",
            "第二十条第（八）项",
            rows=(Row("fees", "行政事业性收费"),),
            columns=_ITEMS[:2],
        ),
        Table(
            "art20_9",
            "第二十条第（九）项",
            rows=(Row("procurement", "政府集中采购"),),
            columns=(
                Column("projects", "采购项目数量"),
                Column("amount", "采购总金额", Kind.AMOUNT, unit="procurement"),
            ),
        ),
        requests_table((Row("other_handling", OTHER_HANDLING, (RESULTS,)),)),
        APPEALS,
    ),
)
