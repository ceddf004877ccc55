"""The rules on the text sections: present, concise, specific, current, and agreeing with the tables.

The patterns depend on the text alone, so their results are memoised per text: a keystroke in a
grid reuses them, a keystroke in a text rescans that text. Every text rule prefers silence to a
false alarm: it speaks only where the phrase is clear.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from model.catalogue import Later, declare, emits
from model.formats import TEXT_HEADINGS, Address, address_text
from model.problems import ERROR, OVERVIEW_LIMIT, WARNING, Problem, number_text, text_length
from model.report import Report
from model.values import NA

EMPTY = declare("text.empty", ERROR, "必填部分为空",
                "“一、总体情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”不能空着")
OVERVIEW_LENGTH = declare("text.overview_length", WARNING, "总体情况超过一千字",
                          "2021年版格式：总体情况原则上不超过一千字（不计空白）")
FEE_STATEMENT = declare("text.fee_statement", WARNING, "未说明信息处理费",
                        "2021年版格式：六、其他需要报告的事项应说明信息处理费的收取情况（未收取也要写明）")
THIN_PROBLEMS = declare("text.thin_problems", WARNING, "问题及改进情况过于简单",
                        "五、存在的主要问题及改进情况只写“无”“暂无”或不足60字，应具体写明问题和改进措施")
STALE_YEAR = declare("text.stale_year", WARNING, "年份未更新",
                     "正文把别的年份当作本年度来写（如“2022年共收到…”出现在2023年度报告中），多为沿用上年文字未改")
STALE_CITATION = declare("text.stale_citation", WARNING, "引用过时",
                         "引用已失效的文件：国务院令第492号（现为第711号）、2021年起的“格式（试行）”")
NUMBER_MISMATCH = declare("text.number_mismatch", WARNING, "正文数字与表格不符",
                          "正文明确说出的数字（收到申请、结转、行政复议、现行有效件数等）与表格不一致")
PENDING_UPHELD = declare("text.pending_upheld", WARNING, "“均获维持”与表四不符",
                         "正文说复议诉讼“均获维持”，但表四中有结果纠正或尚未审结的案件")

_REQUIRED_TEXT = ("overview", "problems", "other_matters")


@emits(EMPTY)
def check_text_empty(report: Report) -> Iterable[Problem]:
    for key in _REQUIRED_TEXT:
        if not report.text.get(key, "").strip():
            yield EMPTY.problem(f"“{TEXT_HEADINGS[key]}”尚未填写", sections=[key])


@emits(OVERVIEW_LENGTH)
def check_overview_length(report: Report) -> Iterable[Problem]:
    if report.format_id != "gov-2021":
        return
    length = text_length(report.text.get("overview", ""))
    if length > OVERVIEW_LIMIT:
        message = f"总体情况共{length}字，超过格式要求的“原则上不超过一千字”"
        yield OVERVIEW_LENGTH.problem(message, sections=["overview"], values=[length])


@emits(FEE_STATEMENT)
def check_fee_statement(report: Report) -> Iterable[Problem]:
    text = report.text.get("other_matters", "")
    if report.format_id != "gov-2021" or not text.strip() or "处理费" in text:
        return
    message = "六、其他需要报告的事项未说明信息处理费的收取情况（未收取也应写明，如“本年度未收取信息处理费”）"
    yield FEE_STATEMENT.problem(message, sections=["other_matters"])


# ---- a thin 五 --------------------------------------------------------------------------------

THIN_LIMIT = 60  # characters without white space: two lines of a 公文 page (28 a line) and a little
_NOTHING = re.compile(r"[（(]?[无暂没][无有]?(?:问题|需要报告的(?:事项|问题)|存在的(?:主要)?问题)?[）)]?[。.！!；;]?")


@emits(THIN_PROBLEMS)
def check_thin_problems(report: Report) -> Iterable[Problem]:
    text = report.text.get("problems", "")
    length = text_length(text)
    if length == 0 or length >= THIN_LIMIT:
        return
    folded = "".join(text.split())
    if _NOTHING.fullmatch(folded):
        what = f"只写了“{folded}”"
    else:
        what = f"只有{length}字"
    message = (f"五、存在的主要问题及改进情况{what}：应具体写明本年存在的主要问题和改进措施"
               f"（上年问题的整改情况），过于简单会被上级退回或扣分")
    yield THIN_PROBLEMS.problem(message, sections=["problems"], spans=[("problems", 0, len(text))], values=[folded])


# ---- text: stale years ----------------------------------------------------------------------

_YEAR = r"(?P<y>(?:19|20)\d\d)"
_YEAR_MENTION = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SPACE = r"[ \t\u3000]*"
# "2025年，我局…" / "2025年度，" / "2025年全年" at the start of a paragraph or sentence.
_STALE_OPENING = re.compile(r"(?:^|(?<=[。！？；\n]))" + _SPACE + _YEAR + r"年(?:度)?(?=[，,、]|全年|我|本)", re.M)
# "2022年共收到…", "本单位2022年度通过门户网站…", "2022年全区受理…", "2022年度累计办理…": a year as the
# time of a statement of this report's work, at the start of a clause, before or after its subject
_SUBJECT = r"(?:[本我全][\u4e00-\u9fff]{1,4}?" + _SPACE + ")"
_ACTIVITY = (
    r"(?:共|累计|总计|合计|全年|收到|新收|受理|办理|办结|答复|主动公开|公开|发布|通过|新增|制发|印发|出台|制定|"
    r"废止|清理|开展|组织|召开|举办|完成|收取|未收取|未发生|未收到|没有|被申请|发生|处理|接收|接到|编制|报送|更新|在)"
)
_STALE_STATEMENT = re.compile(
    r"(?:^|(?<=[。！？；：:，,\n]))" + _SPACE + _SUBJECT + "?" + _YEAR + r"年(?:度)?[，,]?" + _SPACE + _SUBJECT + "?"
    + r"(?=" + _ACTIVITY + r"(?!的))",
    re.M,
)
# a sentence that also names the report year, compares, or reports how last year's findings were
# put right (五 must say so) speaks of the other year on purpose
_RECTIFIED = re.compile(r"整改|指出|反馈")
_ON_PURPOSE = re.compile(r"较|相比|同比|增长|下降|减少|增加|上升|持平|翻番|倍|本年|今年|" + _RECTIFIED.pattern)
_STALE_THIS_YEAR = re.compile(r"本年度?[（(]" + _YEAR + r"年?度?[）)]")
_STALE_PERIOD = re.compile(r"统计(?:期限|时限|期间|时间|区间|范围)[^。\n]{0,40}")
_STALE_PERIOD_YEAR = re.compile(_YEAR + r"年")
_STALE_UNTIL = re.compile(r"截(?:至|止)" + _YEAR + r"年12月31日")
_STALE_FROM = re.compile(_YEAR + r"年1月1日(?:起)?(?:至|到|—|-|～|~)")
_STALE_TITLE = re.compile(_YEAR + r"年度?政府信息公开(?:工作)?年度报告")
# in text carried over from last year's report: any "2025年度" that is not a comparison
# ("较2025年度") and not last year's accounts ("2025年度决算", which a report does publish)
_STALE_CARRIED = re.compile(r"(?<![较比与同上去自从至到])" + _YEAR + r"年度(?!决算|预算|部门决算|部门预算)")
_SENTENCE_END = "。！？；\n"
_SENTENCE_STOP = re.compile("[" + _SENTENCE_END + "]")
_MARKS = re.compile("[《》“”\n]")


class _Places:
    """Where a text's sentences and lines end and its titles 《…》 and quotations “…” open and close,
    found in one pass; each rule then looks a position up by bisection, so a text of thousands of
    numbers or year mentions costs n·log n, not a scan of the text for each of them."""

    def __init__(self, text: str) -> None:
        self.stops = [found.start() for found in _SENTENCE_STOP.finditer(text)]
        marks: dict[str, list[int]] = {mark: [] for mark in "《》“”\n"}
        for found in _MARKS.finditer(text):
            marks[found.group()].append(found.start())
        self.marks = marks
        self.length = len(text)

    @staticmethod
    def _last_before(positions: list[int], pos: int) -> int:
        """The last of ``positions`` before ``pos`` (as ``text.rfind(mark, 0, pos)``), or -1."""
        i = bisect_left(positions, pos)
        return positions[i - 1] if i else -1

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around ``start``–``end``: from after the last stop before ``start`` to the
        first stop at or after ``end`` (the stop left out)."""
        left = self._last_before(self.stops, start) + 1
        i = bisect_left(self.stops, end)
        return left, self.stops[i] if i < len(self.stops) else self.length

    def sentence_start(self, pos: int) -> int:
        return self._last_before(self.stops, pos) + 1

    def line_start(self, pos: int) -> int:
        return self._last_before(self.marks["\n"], pos) + 1

    def inside_title(self, pos: int) -> bool:
        """Inside a document title 《…》 or a quotation “…” (a title or a slogan names its own year)."""
        marks, last = self.marks, self._last_before
        return last(marks["《"], pos) > last(marks["》"], pos) or last(marks["“"], pos) > last(marks["”"], pos)


@lru_cache(maxsize=16)
def _places(text: str) -> _Places:
    return _Places(text)


@lru_cache(maxsize=64)
def _stale_year_spans(text: str, year: int, carried: bool = False) -> tuple[tuple[int, int, str], ...]:
    """(start, end, kind) of each year mention that speaks of another year as the report year.

    ``kind`` is "opening" (a sentence opening with the year, where next year is allowed: plans for
    next year are normal in 五), "statement" (a year as the time of a statement of work, where
    next year is allowed too and a comparison is not stale), or "exact" (the statistics period,
    本年度（…）, the report's own title, where only the report year fits).
    """
    if all(int(mention) == year for mention in _YEAR_MENTION.findall(text)):
        return ()  # the common case: every year named is the report year
    found: dict[int, tuple[int, int, str]] = {}
    places = _places(text)
    report_year = f"{year}年"
    facts: dict[tuple[int, int], tuple[bool, bool, bool]] = {}

    def sentence_facts(start: int, end: int) -> tuple[bool, bool, bool]:
        """Whether the sentence around a match names the report year, reports last year's findings
        put right, or compares: each sentence read once, however many mentions it holds."""
        bounds = places.sentence(start, end)
        known = facts.get(bounds)
        if known is None:
            sentence = text[bounds[0]:bounds[1]]
            known = facts[bounds] = (report_year in sentence, _RECTIFIED.search(sentence) is not None,
                                     _ON_PURPOSE.search(sentence) is not None)
        return known

    def add(match: re.Match[str], kind: str, base: int = 0) -> None:
        start, end = match.start("y") + base, match.end("y") + base
        found.setdefault(start, (start, end, kind))

    for match in _STALE_OPENING.finditer(text):
        names_year, rectified, _compares = sentence_facts(match.start("y"), match.end())
        if not names_year and not rectified:
            add(match, "opening")
    for pattern in (_STALE_THIS_YEAR, _STALE_UNTIL, _STALE_FROM):
        for match in pattern.finditer(text):
            add(match, "exact")
    for match in _STALE_TITLE.finditer(text):
        if not places.inside_title(match.start()):
            add(match, "exact")
    if carried:
        for match in _STALE_CARRIED.finditer(text):
            if not places.inside_title(match.start()):
                add(match, "opening")
    for period in _STALE_PERIOD.finditer(text):
        for match in _STALE_PERIOD_YEAR.finditer(period.group()):
            add(match, "exact", period.start())
    for match in _STALE_STATEMENT.finditer(text):
        start = match.start("y")
        if start in found or places.inside_title(start):
            continue
        names_year, _rectified, compares = sentence_facts(start, match.end())
        if names_year or compares:
            continue
        add(match, "statement")
    result = []
    for start, end, kind in sorted(found.values()):
        mentioned = int(text[start:end])
        if mentioned == year or (kind != "exact" and mentioned == year + 1):
            continue
        result.append((start, end, kind))
    return tuple(result)


def _phrase(text: str, start: int, end: int) -> str:
    """The words around a span, for a message: from the sentence start to the end of its clause.

    It reaches at most 6 characters before the span and 24 after it, so only those are searched."""
    left = max(0, start - 6)
    left = text.rfind("\n", left, start) + 1 or left
    for stop in "。！？；":
        found = text.rfind(stop, left, start)
        if found != -1:
            left = found + 1
    right = end + 24
    for stop in "。！？；\n":
        found = text.find(stop, end, right)
        if found != -1:
            right = min(right, found + (0 if stop == "\n" else 1))
    return text[left:right]


def _by_sentence(text: str, spans: Iterable[tuple[int, int, str]]) -> list[list[tuple[int, int]]]:
    """The stale mentions grouped by the sentence they stand in (in text order): one warning a sentence,
    as "自2025年1月1日起至2025年12月31日止" is one mistake, fixed with one click."""
    places = _places(text)
    groups: dict[int, list[tuple[int, int]]] = {}
    for start, end, _kind in spans:
        groups.setdefault(places.sentence_start(start), []).append((start, end))
    return list(groups.values())


def _quoted(phrase: str) -> str:
    """A phrase as a message quotes it: a long one (a sentence of many year mentions) by its ends."""
    return phrase if len(phrase) <= QUOTED_CHARS else f"{phrase[:QUOTED_CHARS // 2]}……{phrase[-QUOTED_CHARS // 2:]}"


QUOTED_CHARS = 80


def _stale_year_problem(key: str, text: str, year: int, mentions: list[tuple[int, int]], phrase: str,
                        occurrence: int) -> Problem:
    years = "、".join(dict.fromkeys(f"{text[start:end]}年" for start, end in mentions))
    message = (
        f"{TEXT_HEADINGS[key]}：“{_quoted(phrase)}”把{years}当作本年度来写，"
        f"本报告是{year}年度的（上年文字未更新？）"
    )
    return STALE_YEAR.problem(message, sections=[key], spans=[(key, start, end) for start, end in mentions],
                              values=[phrase, occurrence])


@emits(STALE_YEAR)
def check_stale_year(report: Report) -> Iterable[Problem | Later]:
    year = report.meta.year
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        if not text:
            continue
        seen: dict[str, int] = {}
        for mentions in _by_sentence(text, _stale_year_spans(text, year, key in report.carried_sections)):
            phrase = _phrase(text, mentions[0][0], mentions[-1][1])
            seen[phrase] = seen.get(phrase, 0) + 1
            yield STALE_YEAR.later(_stale_year_problem, key, text, year, mentions, phrase, seen[phrase],
                                   sections=[key])


_STALE_CITATIONS = (
    (re.compile(r"国务院令第?492号"), "2007年的《条例》（国务院令第492号）已于2019年修订，现行为国务院令第711号", None),
    (re.compile(r"格式[（(]试行[）)]"), "2021年起应使用《中华人民共和国政府信息公开工作年度报告格式》，不再是“（试行）”版", "gov-2021"),
)


def _stale_citation_problem(key: str, cited: str, start: int, explanation: str) -> Problem:
    message = f"{TEXT_HEADINGS[key]}：引用“{cited}”已过时：{explanation}"
    return STALE_CITATION.problem(message, sections=[key], spans=[(key, start, start + len(cited))],
                                  values=[cited, start])


@emits(STALE_CITATION)
def check_stale_citation(report: Report) -> Iterable[Problem | Later]:
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        for pattern, explanation, only_format in _STALE_CITATIONS:
            if only_format and report.format_id != only_format:
                continue
            for match in pattern.finditer(text):
                yield STALE_CITATION.later(_stale_citation_problem, key, match.group(), match.start(), explanation,
                                           sections=[key])


# ---- text: numbers that disagree with the tables --------------------------------------------

_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"


@dataclass(frozen=True)
class _Statement:
    pattern: re.Pattern[str]
    what: str  # the table quantity, in the clerk's words
    rows: tuple[str, ...]  # table 三 row keys whose 总计 add up; or appeals rows; or art20_1 rows
    table: str = "requests"
    column: str = "total"
    formats: tuple[str, ...] = ("gov-2019", "gov-2021")


_RECEIVED = 0  # the index of the "收到…申请N件" statement (its message explains 一 + 二)
_STATEMENTS: tuple[_Statement, ...] = (
    _Statement(
        re.compile(
            r"(?<!答复)(?:收到|受理|新收)(?:各类|公众|社会公众)?(?:政府信息公开|信息公开|依申请公开)?"
            r"申请(?:共计|共|合计|总计)?" + _NUM + "件"
        ),
        "一、本年新收政府信息公开申请数量（总计）", ("received",),
    ),
    _Statement(
        re.compile(r"上一?年度?结转(?:的)?(?:政府信息公开)?申请(?:共计|共)?" + _NUM + "件"),
        "二、上年结转政府信息公开申请数量（总计）", ("carried_in",),
    ),
    _Statement(
        re.compile(r"(?:答复|办结)(?:政府信息公开|信息公开|依申请公开)?申请(?:共计|共|合计)?" + _NUM + "件"),
        "三、本年度办理结果（七）总计", ("handled_total",),
    ),
    _Statement(
        re.compile(r"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?(?:申请)?(?:共计|共)?" + _NUM + "件"),
        "四、结转下年度继续办理（总计）", ("carried_out",),
    ),
    _Statement(
        re.compile(r"予以公开(?:及|和|与|、)部分公开(?:共计|共)?" + _NUM + "件"),
        "（一）予以公开与（二）部分公开之和", ("granted", "partial"),
    ),
    _Statement(re.compile(r"(?<!部分)(?<!不)予以公开" + _NUM + "件"), "（一）予以公开（总计）", ("granted",)),
    _Statement(re.compile(r"(?<!及)(?<!和)部分公开" + _NUM + "件"), "（二）部分公开（总计）", ("partial",)),
    _Statement(re.compile(r"不予公开(?:共计|共)?" + _NUM + "件"), "（三）不予公开（总计）", ("denied",)),
    _Statement(re.compile(r"无法提供(?:共计|共)?" + _NUM + "件"), "（四）无法提供（总计）", ("unable",)),
    _Statement(re.compile(r"不予处理(?:共计|共)?" + _NUM + "件"), "（五）不予处理（总计）", ("rejected",)),
    _Statement(re.compile(r"其他处理(?:共计|共)?" + _NUM + "件"), "（六）其他处理（总计）", ("other_handling",)),
    _Statement(
        re.compile(r"行政复议(?:案件|申请)?(?:共计|共)?" + _NUM + "件"), "表四 行政复议 总计", ("review",),
        table="appeals",
    ),
    _Statement(
        re.compile(r"(?:行政诉讼(?:案件)?(?:共计|共)?|行政复议\d+件[，,、和及]\s*(?:提起)?诉讼)" + _NUM + "件"),
        "表四 行政诉讼 总计（直接起诉与复议后起诉之和）", ("suit_direct", "suit_after_review"), table="appeals",
    ),
    _Statement(
        re.compile(r"现行有效(?:的)?行政规范性文件(?:共计|共)?" + _NUM + "件"),
        "第二十条第（一）项 行政规范性文件 现行有效件数", ("normative_docs",), table="art20_1",
        column="in_force", formats=("gov-2021",),
    ),
    _Statement(
        re.compile(r"现行有效(?:的)?规章(?:共计|共)?" + _NUM + "件"),
        "第二十条第（一）项 规章 现行有效件数", ("rules",), table="art20_1", column="in_force",
        formats=("gov-2021",),
    ),
)


def _statement_cells(report: Report, statement: _Statement) -> list[Address]:
    if statement.table != "requests":
        return [(statement.table, row, statement.column) for row in statement.rows]
    table_rows = [row.key for row in report.format.table("requests").rows]
    cells = []
    for wanted in statement.rows:
        for row in table_rows:
            if row == wanted or row.startswith(wanted + "."):
                cells.append(("requests", row, "total"))
    return cells


_STATED = re.compile(r"\d件")
# a count starts neither inside a number nor after "1," (in "1,234,234,…" only the first digit
# starts one: every comma group a start would scan the rest of the run again)
_COUNT = re.compile(r"(?<![\d.])(?<!\d,)(\d{1,3}(?:,\d{3})+|\d+)(?:件|起)")
MAX_STATED_DIGITS = 15  # a longer run of digits is no count a report states (and int() refuses 4300 digits)


def _count(digits: str) -> int | None:
    """A stated count ("1,234") as a number; None for a run of more than MAX_STATED_DIGITS digits."""
    plain = digits.replace(",", "")
    return int(plain) if len(plain) <= MAX_STATED_DIGITS else None


# words in the clause before a statement that make its number another quantity than the table's:
# a court stage, a part of the whole, another period, cases closed rather than received
_NARROWING = re.compile(
    r"一审|二审|再审|终审|审结|结案|办结|败诉|胜诉|应诉|出庭|撤诉|其中|另有|另外|其余|剩余|除|以外|"
    r"上年|去年|上一年|往年|历年|以来|同比|较|新增|涉及"
)
_CLAUSE_BREAKS = frozenset("。！？；，,、：:（(\n")
_CLAUSE_REACH = 40  # characters looked back for the words of a clause


def _narrowed(text: str, position: int) -> bool:
    """Whether the clause before ``position`` holds a word that narrows the quantity."""
    window = text[max(0, position - _CLAUSE_REACH):position]
    words = [word.start() for word in _NARROWING.finditer(window)]  # usually none: one short scan
    return bool(words) and not any(ch in _CLAUSE_BREAKS for ch in window[words[-1]:])


class _Stated(NamedTuple):
    index: int  # which statement
    phrase: str
    number: int
    start: int  # of the number
    end: int
    phrase_start: int
    paragraph: int  # where its paragraph starts


@lru_cache(maxsize=64)
def _statements_in(text: str) -> tuple[_Stated, ...]:
    """Each clear statement of a number in ``text``.

    A statement whose clause narrows the quantity ("一审行政诉讼案件…", "其中…") is left out. Depends
    on the text alone, so a keystroke in a grid reuses it; a text without "N件" is skipped without
    running the patterns.
    """
    if not _STATED.search(text):
        return ()
    places = _places(text)
    found = []
    for index, statement in enumerate(_STATEMENTS):
        for match in statement.pattern.finditer(text):
            number = _count(match.group("n"))
            if number is not None and not _narrowed(text, match.start()):
                found.append(_Stated(index, match.group(), number, match.start("n"), match.end("n"), match.start(),
                                     places.line_start(match.start())))
    return tuple(found)


@lru_cache(maxsize=16)
def _other_counts(text: str) -> dict[int, frozenset[int]]:
    """The counts ("N件") each paragraph states outside any statement, by where the paragraph
    starts — looked at only when a statement disagrees with the tables."""
    stated = {count.start() for s in _statements_in(text)
              for count in _COUNT.finditer(text, s.phrase_start, s.phrase_start + len(s.phrase))}
    places = _places(text)
    counts: dict[int, set[int]] = {}
    for count in _COUNT.finditer(text):
        number = _count(count.group(1))
        if count.start() not in stated and number is not None:
            counts.setdefault(places.line_start(count.start()), set()).add(number)
    return {paragraph: frozenset(numbers) for paragraph, numbers in counts.items()}


def _mismatch_message(report: Report, key: str, stated: _Stated, statement: _Statement, actual: int | Decimal) -> str:
    where = f"{TEXT_HEADINGS[key]}：文中“{stated.phrase}”"
    if stated.index == _RECEIVED:
        carried_in = report.number(("requests", "carried_in", "total"))
        if carried_in and stated.number == actual + carried_in:
            return (f"{where}是本年新收{number_text(actual)}件与上年结转{number_text(carried_in)}件之和"
                    f"（把上年结转的申请也算作本年收到的了）；表格中{statement.what}为{number_text(actual)}")
    return f"{where}，表格中{statement.what}为{number_text(actual)}"


def _mismatch_problem(report: Report, key: str, stated: _Stated, statement: _Statement, cells: list[Address],
                      actual: int | Decimal) -> Problem:
    return NUMBER_MISMATCH.problem(
        _mismatch_message(report, key, stated, statement, actual), cells=cells, sections=[key],
        spans=[(key, stated.start, stated.end)], place=f"{key}+{'+'.join(address_text(c) for c in cells)}",
        values=[stated.phrase, number_text(actual), stated.start],
    )


@emits(NUMBER_MISMATCH)
def check_number_mismatch(report: Report) -> Iterable[Problem | Later]:
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        if not text:
            continue
        actuals: dict[int, tuple[list[Address], int | Decimal] | None] = {}
        others: dict[int, frozenset[int]] | None = None
        for stated in _statements_in(text):
            statement = _STATEMENTS[stated.index]
            if report.format_id not in statement.formats:
                continue
            if stated.index not in actuals:
                cells = _statement_cells(report, statement)
                applicable = not all(report.value(cell) is NA for cell in cells)
                actuals[stated.index] = (cells, sum(report.number(cell) for cell in cells)) if applicable else None
            known = actuals[stated.index]
            if known is None or known[1] == stated.number:
                continue
            cells, actual = known
            if others is None:
                others = _other_counts(text)  # once a text: a memo's lookup compares the whole text
            if actual in others.get(stated.paragraph, ()):
                continue  # the paragraph states the table's number too: this one counts something else
            yield NUMBER_MISMATCH.later(_mismatch_problem, report, key, stated, statement, cells, actual,
                                        sections=[key])


_ALL_UPHELD = re.compile(r"均(?:获|予|被|得到|已)?(?:法院)?维持|全部(?:获|予|被)?维持")


def _pending_upheld_problem(key: str, said: str, start: int, cells: list[Address], pending: int | Decimal,
                            corrected: int | Decimal) -> Problem:
    message = f"{TEXT_HEADINGS[key]}：文中说“{said}”，但表四中结果纠正{corrected}件、尚未审结{pending}件"
    return PENDING_UPHELD.problem(message, cells=cells, sections=[key], spans=[(key, start, start + len(said))],
                                  place=key, values=[said, start, pending, corrected])


@emits(PENDING_UPHELD)
def check_pending_upheld(report: Report) -> Iterable[Problem | Later]:
    table = report.format.table("appeals")
    cells = [
        ("appeals", row.key, col)
        for row in table.rows
        for col in ("corrected", "pending")
        if report.number(("appeals", row.key, col)) > 0
    ]
    if not cells:
        return
    pending = sum(report.number(("appeals", row.key, "pending")) for row in table.rows)
    corrected = sum(report.number(("appeals", row.key, "corrected")) for row in table.rows)
    for key in report.format.text_sections:
        text = report.text.get(key, "")
        if "维持" not in text:
            continue
        for match in _ALL_UPHELD.finditer(text):
            yield PENDING_UPHELD.later(_pending_upheld_problem, key, match.group(), match.start(), cells, pending,
                                       corrected, sections=[key])


TEXT_RULES = (
    check_text_empty,
    check_overview_length,
    check_fee_statement,
    check_thin_problems,
    check_stale_year,
    check_stale_citation,
    check_number_mismatch,
    check_pending_upheld,
)
