"""The rule catalogue: every rule's id, severity, Chinese name and one line of explanation.

Each rule declares itself once, beside its code (``RULE = declare(...)`` in model/checks.py and
the rule modules), and makes its problems through that declaration (``RULE.problem(...)``), so the
id and severity a clerk reads in the catalogue are the ones the check yields. ``catalogue()``
lists them in the order the checks run; ``nianbao check --rules``, 帮助 → 核对规则 and the Excel
校验 sheet all read it.

The rules this work added to spec/checks.md (same columns as the spec's tables):

| rule id | severity | what |
|---|---|---|
| `meta.late` | warning | the 成文日期 is after 31 January of the year after the report year (条例第四十九条; 31 March for reports before 2019) |
| `text.thin_problems` | warning | 五、存在的主要问题及改进情况 is only "无"/"暂无" or shorter than 60 characters (white space not counted) |
| `text.similar_to_last_year` | warning | 一 or 五 shares more than 50 % of its text with the same section of last year's report (passages of 10 or more characters, ignoring white space and numbers), and is not identical (`text.same_as_last_year`) nor an unedited draft; the message gives the percentage |
| `text.similar_report` | warning | 一、五 and 六 together share more than 50 % of their text with last year's (the same measure, each section against last year's same section; the preamble is fixed form and left out); not raised while every section is still an unedited draft |
| `numbers.jump` | info | a key number (一、本年新收 总计; 表四 行政复议 总计 and 行政诉讼 总计; 表二 行政许可、行政处罚、行政强制 and 现行有效件数 when both years use the same format) is 5 times last year's or less than a fifth of it, the larger of the two being 30 or more |

The messages are asserted word for word in tests/model/test_checks.py.

Changed rules and messages:
- `text.number_mismatch` says when the stated number of received requests equals 一 + 二 ("…是本年新收
  A件与上年结转B件之和（把上年结转的申请也算作本年收到的了）"), and stays silent where the words
  before the number narrow the quantity (一审, 审结, 其中, 上年, 新增, 涉及 …: "一审行政诉讼案件687件") or the
  paragraph states the table's number elsewhere outside any statement ("立案731件");
- `proactive.in_force_chain`, when the table is above the most the chain allows, says so ("比最多可能的件数
  还多N件（文件失效只会使现行有效件数减少…）") instead of suggesting lapse;
- `text.stale_year` also reads a year as the time of a statement of work at the start of a clause
  ("2022年共收到…", "本单位2022年度通过…", "2022年全区受理…", "2022年度累计办理…"); it leaves alone next
  year's plans, comparisons (较/相比/同比/增长…, or the report year in the same sentence), last year's
  findings put right (整改/指出/反馈), years inside 《》 or “” (titles), and "2022年通过的…";
- `meta.format_year` names the format with its issuing document ("2019年版格式（试行，国办公开办函〔2019〕60号）").

At most 50 problems of one rule are listed (model/limits.py MAX_PROBLEMS_PER_RULE; the import problems
too); past that, one summary problem of the same rule and severity says "“〈rule name〉”另有N处同类问题未列出
（每类问题最多列出50处；改正上面列出的之后，其余的会依次列出）". Its identity is `rule|more|fingerprint([N])`
(dismissed like any warning; the dismissal lapses when N changes); its places are the text sections of the
problems it stands for, with no spans; the counts (status bar, JSON `warnings`, tab badges) include the N.
`text.number_mismatch` reads no number of more than 15 digits; `text.stale_year` quotes a sentence longer
than 80 characters by its ends ("…前40字……后40字…").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from model.problems import INFO, SEVERITY_NAMES, WARNING, Problem, make_problem

if TYPE_CHECKING:
    from model.report import Report

GROUPS = ("本年报告", "与上年报告对照", "导入时", "批量核对")  # the last: export/batch_rules.py


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str
    name: str  # a short Chinese name, as the 校验 sheet and the catalogue show it
    explanation: str  # one line of Chinese: what the rule checks
    group: str = GROUPS[0]

    def problem(self, message: str, **where: Any) -> Problem:
        """A problem of this rule: ``where`` names its cells, sections, fields, spans, values, place
        (the keywords of model.problems.make_problem)."""
        return make_problem(self.id, self.severity, message, **where)

    def later(self, build: Callable[..., Problem], *args: Any, sections: Iterable[str] = ()) -> Later:
        """A problem of this rule built only if it is listed: ``build(*args)`` makes it (a rule that
        can find thousands, one for each number of a text, pays for the ones shown)."""
        return Later(self.id, self.severity, tuple(sections), partial(build, *args))

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES[self.severity]


class Later(NamedTuple):
    """A problem not built yet (RuleInfo.later): its rule, severity and sections are known at once."""

    rule: str
    severity: str
    sections: tuple[str, ...]
    build: Callable[[], Problem]


_DECLARED: dict[str, RuleInfo] = {}


def declare(rule_id: str, severity: str, name: str, explanation: str, group: str = GROUPS[0]) -> RuleInfo:
    """Declare a rule once; declaring the same id twice is a mistake in the code."""
    if rule_id in _DECLARED:
        raise ValueError(f"rule {rule_id} declared twice")
    if severity not in SEVERITY_NAMES or group not in GROUPS:
        raise ValueError(f"rule {rule_id}: unknown severity {severity!r} or group {group!r}")
    info = _DECLARED[rule_id] = RuleInfo(rule_id, severity, name, explanation, group)
    return info


Check = Callable[["Report"], Iterable[Problem]]


def emits(*infos: RuleInfo) -> Callable[[Check], Check]:
    """Mark a check with the rules it yields: the catalogue lists them in the order the checks run."""

    def mark(check: Check) -> Check:
        check.rules = infos  # type: ignore[attr-defined]
        return check

    return mark


# The import.* problems are made by the importers (export/importing.py); declared here so the
# catalogue is complete without loading the readers.
_IMPORT = GROUPS[2]
IMPORT_RULES = (
    declare("import.total_mismatch", WARNING, "导入：合计与各项不符",
            "原文的总计、（七）总计或表四总计不等于各项之和；保留各项，合计按各项重新计算", _IMPORT),
    declare("import.unsplit_total", WARNING, "导入：只有合计",
            "原文只填了合计、各项为空：各项留空待填写，不会把合计分摊到各项", _IMPORT),
    declare("import.unreadable_cell", WARNING, "导入：无法识别的格子",
            "格子里不是数字（如“约5”“5件”），说明取了什么值或留空", _IMPORT),
    declare("import.missing", WARNING, "导入：缺少内容", "没有找到格式规定的某个表、行或部分", _IMPORT),
    declare("import.extra_row", INFO, "导入：格式以外的行",
            "原文有格式没有的行（本地增加的栏目），列出其名称和数字，未导入", _IMPORT),
    declare("import.format_guess", INFO, "导入：识别的格式", "说明原文被识别为哪种格式、依据是什么", _IMPORT),
)


def catalogue() -> list[RuleInfo]:
    """Every rule, in the order the checks run, then the import rules."""
    from model.checks import RULES

    return [info for check in RULES for info in check.rules] + list(IMPORT_RULES)  # type: ignore[attr-defined]


def rule_info(rule_id: str) -> RuleInfo | None:
    if rule_id not in _DECLARED:
        catalogue()
    return _DECLARED.get(rule_id)


def rule_name(rule_id: str) -> str:
    """The Chinese name of a rule (its id if it is unknown)."""
    info = rule_info(rule_id)
    return info.name if info else rule_id


def catalogue_lines() -> list[str]:
    """The catalogue as text: a heading per group, one line per rule."""
    lines: list[str] = []
    group = None
    for info in catalogue():
        if info.group != group:
            group = info.group
            if lines:
                lines.append("")
            lines.append(f"【{group}】")
        lines.append(f"{info.id}  [{info.severity_name}]  {info.name}：{info.explanation}")
    return lines


def format_title(format_id: str) -> str:
    """A format as clerks name it: "2021年版格式（国办公开办函〔2021〕30号）"."""
    from model.formats import get_format

    fmt = get_format(format_id)
    trial = "试行，" if "试行" in fmt.name else ""
    return f"{fmt.first_year}年版格式（{trial}{fmt.issued_by}）"

