"""What both national formats share: the sections, table 三 (but its （六） rows) and table 四."""

from __future__ import annotations

from model.formats.base import Column, Row, Section, Table

PREAMBLE = "preamble"

REQUESTS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS = "三、本年度办理结果"
DENIED = "（三）不予公开"
UNABLE = "（四）无法提供"
REJECTED = "（五）不予处理"
OTHER_HANDLING = "（六）其他处理"

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural", "自然人"),
    Column("business", "商业企业", group="法人或其他组织"),
    Column("research", "科研机构", group="法人或其他组织"),
    Column("nonprofit", "社会公益组织", group="法人或其他组织"),
    Column("legal", "法律服务机构", group="法人或其他组织"),
    Column("other", "其他", group="法人或其他组织"),
    Column("total", "总计"),
)
APPLICANT_KEYS = tuple(column.key for column in APPLICANT_COLUMNS[:-1])

_OUTCOMES_BEFORE_OTHER: tuple[Row, ...] = (
    Row("granted", "（一）予以公开", (RESULTS,)),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (RESULTS,)),
    Row("denied.state_secret", "1.属于国家秘密", (RESULTS, DENIED)),
    Row("denied.prohibited", "2.其他法律行政法规禁止公开", (RESULTS, DENIED)),
    Row("denied.security", "3.危及“三安全一稳定”", (RESULTS, DENIED)),
    Row("denied.third_party", "4.保护第三方合法权益", (RESULTS, DENIED)),
    Row("denied.internal", "5.属于三类内部事务信息", (RESULTS, DENIED)),
    Row("denied.process", "6.属于四类过程性信息", (RESULTS, DENIED)),
    Row("denied.enforcement", "7.属于行政执法案卷", (RESULTS, DENIED)),
    Row("denied.query", "8.属于行政查询事项", (RESULTS, DENIED)),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", (RESULTS, UNABLE)),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", (RESULTS, UNABLE)),
    Row("unable.unclear", "3.补正后申请内容仍不明确", (RESULTS, UNABLE)),
    Row("rejected.petition", "1.信访举报投诉类申请", (RESULTS, REJECTED)),
    Row("rejected.duplicate", "2.重复申请", (RESULTS, REJECTED)),
    Row("rejected.publication", "3.要求提供公开出版物", (RESULTS, REJECTED)),
    Row("rejected.excessive", "4.无正当理由大量反复申请", (RESULTS, REJECTED)),
    Row("rejected.confirmation", "5.要求行政机关确认或重新出具已获取信息", (RESULTS, REJECTED)),
)


def requests_table(other_handling: tuple[Row, ...]) -> Table:
    """Table 三 with the given （六）其他处理 row(s)."""
    outcomes = _OUTCOMES_BEFORE_OTHER + other_handling
    rows = (
        Row("received", "一、本年新收政府信息公开申请数量"),
        Row("carried_in", "二、上年结转政府信息公开申请数量"),
        *outcomes,
        Row("handled_total", "（七）总计", (RESULTS,)),
        Row("carried_out", "四、结转下年度继续办理"),
    )
    return Table(
        key="requests",
        title="收到和处理政府信息公开申请情况",
        rows=rows,
        columns=APPLICANT_COLUMNS,
        row_sums=(("handled_total", tuple(row.key for row in outcomes)),),
        col_sums=(("total", APPLICANT_KEYS),),
        corner=REQUESTS_CORNER,
        column_header="申请人情况",
    )


APPEALS = Table(
    key="appeals",
    title="政府信息公开行政复议、行政诉讼情况",
    rows=(
        Row("review", "行政复议"),
        Row("suit_direct", "未经复议直接起诉", ("行政诉讼",)),
        Row("suit_after_review", "复议后起诉", ("行政诉讼",)),
    ),
    columns=(
        Column("upheld", "结果维持"),
        Column("corrected", "结果纠正"),
        Column("other", "其他结果"),
        Column("pending", "尚未审结"),
        Column("total", "总计"),
    ),
    col_sums=(("total", ("upheld", "corrected", "other", "pending")),),
)


def sections(proactive_tables: tuple[str, ...]) -> tuple[Section, ...]:
    return (
        Section("overview", "一、总体情况", text=True),
        Section("proactive", "二、主动公开政府信息情况", text=False, tables=proactive_tables),
        Section("requests", "三、收到和处理政府信息公开申请情况", text=False, tables=("requests",)),
        Section("appeals", "四、政府信息公开行政复议、行政诉讼情况", text=False, tables=("appeals",)),
        Section("problems", "五、存在的主要问题及改进情况", text=True),
        Section("other_matters", "六、其他需要报告的事项", text=True),
    )
