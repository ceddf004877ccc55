"""The 公开办's batch: every report in a folder read, identified, checked, compared with last year's,
held against the list of units that should report, and summed (spec: docs/batch.md).

Reading happens in worker processes (export.batch_pool), one file each within a memory cap and a
time limit; everything after — which year the batch is, duplicates, last year's match by name,
the cross-year checks, the 本级 = Σ下级 comparison — is quick work on small records in this process.
A run stopped early (Ctrl+C, the window's 停止) still assembles what was read.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from export.batch_figures import RATIOS, key_figures, ratios
from export.batch_files import READ_SUFFIXES, Archive, Discovery, discover, read_expected
from export.batch_names import (
    EXACT,
    GUESS,
    Match,
    find_level_government,
    match_names,
    normal_name,
    pinyin_key,
    unit_key,
)
from export.batch_pool import DEFAULT_MEMORY_BYTES, PoolFailed, Stopped, TaskFailure, WorkerPool
from export.batch_read import (
    LAST,
    THIS,
    Figures,
    Outcome,
    ReadTask,
    bare_file_name,
    read_one,
    unit_in_file_name,
)
from export.batch_rules import (
    CHOSEN_VERSION,
    FORMAT_MISMATCH,
    NAME_GUESS,
    NO_LAST_YEAR,
    SUM_MISMATCH,
    YEAR_MISMATCH,
)
from export.batch_rules import DUPLICATE as DUPLICATE_RULE
from export.batch_sum import Contribution, Difference, compare_with_sum, sum_reports
from export.batch_versions import ranked, why_first
from model import limits
from model.formats import FORMATS
from model.problems import ERROR, SEVERITY_ORDER, WARNING, Problem, cell_name, summarize
from model.report import Report
from model.values import decimal_text

PASSED, WARNED, FAILED, UNREADABLE = "通过", "有警告", "有错误", "无法读取"
STATUSES = (PASSED, WARNED, FAILED, UNREADABLE)
STATUS_KEYS = {PASSED: "passed", WARNED: "warnings", FAILED: "errors", UNREADABLE: "unreadable"}

UNIT, LEVEL, DUPLICATE, OTHER_YEAR, OTHER_FORMAT = "unit", "level", "duplicate", "other_year", "other_format"
ROLE_NAMES = {UNIT: "", LEVEL: "本级", DUPLICATE: "重复报送", OTHER_YEAR: "年度不符", OTHER_FORMAT: "格式不符"}
STORED = "stored"  # last year's figures from the baseline saved in the .nianbao itself

TASK_SECONDS = float(limits.BATCH_FILE_SECONDS)
DOC_SECONDS = float(limits.CONVERSION_SECONDS + limits.BATCH_FILE_SECONDS)  # a .doc goes through LibreOffice first

Progress = Callable[[int, int, Outcome | None], None]


class BatchError(Exception):
    """The batch cannot start (no folder, a bad list); the message is for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowSummary:
    """What a report's row shows, worked out once (Entry.summary): the status, the counts, the key figures
    and the ratios (None for a file that could not be read)."""

    status: str
    errors: int
    warnings: int
    infos: int
    dismissed: int
    figures: dict[str, int | Decimal] | None
    ratios: dict[str, Decimal | None] | None

    def counts(self) -> tuple[int, int, int, int]:
        return self.errors, self.warnings, self.infos, self.dismissed


def _status(readable: bool, errors: int, warnings: int) -> str:
    if not readable:
        return UNREADABLE
    return FAILED if errors else WARNED if warnings else PASSED


@dataclass
class Entry:
    """One file of this year's folder, as the batch sees it."""

    outcome: Outcome
    rel: str  # the path under the folder, as shown
    problems: list[Problem] = field(default_factory=list)  # import, checks and the batch's own
    role: str = UNIT
    last: Outcome | None = None
    last_rel: str = ""
    last_how: str | None = None  # EXACT, GUESS, STORED or None
    last_shared: str = ""  # the name part a guess rests on
    contributes: bool = False  # counted in the sum of the units
    preferred: bool = False  # the clerk chose this one of the unit's versions (以此为准)

    @property
    def readable(self) -> bool:
        return self.outcome.readable

    @property
    def agency(self) -> str:
        return self.outcome.agency

    @property
    def kind(self) -> str:
        return self.outcome.kind

    @property
    def mtime(self) -> float:
        return self.outcome.mtime

    @property
    def name(self) -> str:
        """The unit as shown: the agency, or for a file that could not be read its file name."""
        return self.outcome.agency or Path(self.rel).name

    @property
    def status(self) -> str:
        if not self.readable:
            return UNREADABLE
        summary = summarize(self.problems)
        return _status(True, summary.errors, summary.warnings)

    def summary(self) -> RowSummary:
        """The row's status, counts, figures and ratios in one pass: the problems summarized once, the
        report built from the figures once. (For writing many rows: the workbook, the JSON.)"""
        s = summarize(self.problems)
        figures = ratios_ = None
        if self.readable:
            assert self.outcome.figures is not None
            report = self.outcome.figures.report()
            figures = key_figures(report.format, report.value)
            ratios_ = ratios(report.format, report.value)
        return RowSummary(_status(self.readable, s.errors, s.warnings), s.errors, s.warnings, s.infos, s.dismissed,
                          figures, ratios_)

    def counts(self) -> tuple[int, int, int, int]:
        s = summarize(self.problems)
        return s.errors, s.warnings, s.infos, s.dismissed

    def figures(self) -> dict[str, int | Decimal]:
        assert self.outcome.figures is not None
        report = self.outcome.figures.report()
        return key_figures(report.format, report.value)

    def ratios(self) -> dict[str, Decimal | None]:
        assert self.outcome.figures is not None
        report = self.outcome.figures.report()
        return ratios(report.format, report.value)

    def last_figures(self) -> Figures | None:
        """Last year's cells: the matched file's, or those saved in the report file."""
        if self.last is not None:
            return self.last.figures
        if self.last_how == STORED:
            return self.outcome.stored_baseline
        return None

    def first_problems(self) -> tuple[Problem | None, int]:
        """The first error or warning not dismissed, and how many there are."""
        open_ones = [p for p in self.problems if p.severity in (ERROR, WARNING) and p.dismissed is None]
        return (open_ones[0] if open_ones else None), len(open_ones)


@dataclass
class Sent:
    """A file that arrived but gave no report: unreadable, or a compressed folder not unpacked."""

    rel: str
    name: str  # the unit its file name names ("" when it names none)
    situation: str  # 已报送，但文件无法读取 / 已报送（压缩包，未核对）
    entry: Entry | None = None  # the row of an unreadable file


@dataclass
class Expected:
    """A unit on the list of those that should report, and what arrived from it."""

    name: str
    situation: str
    entry: Entry | None = None
    file: str | None = None  # the file that arrived (a report, an unreadable file or an archive)


@dataclass
class BatchResult:
    folder: Path
    last_folder: Path | None
    entries: list[Entry]
    last_outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why it is not read)
    archives: list[Archive] = field(default_factory=list)  # compressed folders (also in skipped)
    year: int | None = None
    format_id: str | None = None
    expected_names: list[str] | None = None  # the list of units, when given
    expected: list[Expected] | None = None
    unexpected: list[Entry] = field(default_factory=list)  # reports from units not on the list
    gone: list[Outcome] = field(default_factory=list)  # last year's units with no report this year
    gone_sent: list[tuple[Outcome, Sent]] = field(default_factory=list)  # … whose file came but gave none
    level: Entry | None = None  # the 本级 report, when the folder holds it with its units
    total: Report | None = None  # the contributing units' sum
    differences: list[Difference] = field(default_factory=list)
    files: int = 0  # files to read
    interrupted: bool = False
    elapsed: float = 0.0

    @property
    def contributors(self) -> list[Entry]:
        return [e for e in self.entries if e.contributes]

    def counts(self) -> dict[str, int]:
        found = Counter(e.status for e in self.entries)
        return {status: found.get(status, 0) for status in STATUSES}

    @property
    def exit_code(self) -> int:
        """0 when every report passed or has only warnings; 1 when one has errors, could not be
        read, or the run was stopped before the end."""
        counts = self.counts()
        return 1 if counts[FAILED] or counts[UNREADABLE] or self.interrupted else 0

    def relative(self, path: str | Path, folder: Path | None = None) -> str:
        base = folder or self.folder
        try:
            return Path(path).relative_to(base).as_posix()
        except ValueError:
            return str(path)

    def sent_files(self) -> list[Sent]:
        """The files that arrived but gave no report, with the unit each file name names."""
        sent = [Sent(e.rel, unit_in_file_name(e.rel), UNREAD_SENT, e) for e in self.entries if not e.readable]
        for archive in self.archives:
            inside = [unit_in_file_name(name) for name in archive.reports or ()]
            name = unit_in_file_name(archive.path.name) or next((n for n in inside if n), "")
            sent.append(Sent(self.relative(archive.path), name, ARCHIVE_SENT))
        return sent


# ---- running ----------------------------------------------------------------------------------


def _seconds(task: ReadTask) -> float:
    return DOC_SECONDS if task.path.lower().endswith(".doc") else TASK_SECONDS


def _folder(path: Path | str | None, what: str) -> Path | None:
    if path is None:
        return None
    folder = Path(path)
    if not folder.is_dir():
        raise BatchError(f"找不到{what}“{folder}”" if not folder.exists() else f"“{folder}”不是文件夹")
    return folder


def run_batch(folder: Path | str, *, last_year: Path | str | None = None, expect: Path | str | None = None,
              jobs: int | None = None, progress: Progress | None = None, stop: threading.Event | None = None,
              exclude: tuple[Path, ...] = (), memory: int | None = DEFAULT_MEMORY_BYTES) -> BatchResult:
    """Read, check and compare every report under ``folder``. Raises BatchError when it cannot start.

    ``progress(done, total, outcome)`` is called after each file; ``stop`` ends the run early (as
    does Ctrl+C), and what was read by then is assembled and returned with ``interrupted`` set.
    """
    started = time.perf_counter()
    this_folder = _folder(folder, "文件夹")
    assert this_folder is not None
    last_folder = _folder(last_year, "上年报告文件夹")
    expected_names = None
    if expect is not None:
        from export.importing import ImportFailed

        try:
            expected_names = read_expected(Path(expect))
        except ImportFailed as error:
            raise BatchError(error.message) from None
    found = discover(this_folder, exclude=exclude)
    found_last = discover(last_folder, exclude=exclude) if last_folder else Discovery([], [])
    if not found.files:
        archives = "".join(f"；{a.path.name}：{a.reason}" for a in found.archives[:3])
        archives += "".join(f"；{p.name or p}：{why}" for p, why in found.passed[:3])  # (a folder that could not be opened)
        raise BatchError(f"文件夹“{this_folder}”中没有报告文件（可读取：{'、'.join(READ_SUFFIXES)}）{archives}")
    outcomes, interrupted = _read_all(found, found_last, keep=last_folder is not None, jobs=jobs,
                                      progress=progress, stop=stop, memory=memory)
    result = assemble(this_folder, last_folder, outcomes, expected_names, found.archives)
    result.skipped = [(result.relative(p), "不是可读取的报告文件类型") for p in found.skipped]
    result.skipped += [(result.relative(a.path), a.reason) for a in found.archives]
    result.skipped += [(result.relative(p), why) for p, why in found.passed]
    result.skipped += [(result.relative(o.path), o.skipped) for o in outcomes if o.skipped and o.role == THIS]
    result.skipped.sort()
    result.files = len(found.files) + len(found_last.files)
    result.interrupted = interrupted
    result.elapsed = time.perf_counter() - started
    return result


def _read_all(found: Discovery, found_last: Discovery, *, keep: bool, jobs: int | None, progress: Progress | None,
              stop: threading.Event | None, memory: int | None) -> tuple[list[Outcome], bool]:
    tasks: list[ReadTask] = []
    sizes: list[int] = []
    outcomes: list[Outcome] = []
    for role, discovery in ((THIS, found), (LAST, found_last)):
        for item in discovery.files:
            if item.refused:
                outcomes.append(Outcome(str(item.path), role, reason=item.refused))
            else:
                tasks.append(ReadTask(str(item.path), role, keep=keep and role == THIS, mtime=item.mtime))
                sizes.append(item.size)
    total = len(tasks) + len(outcomes)
    done = len(outcomes)
    if progress:
        progress(done, total, None)
    pool = WorkerPool(read_one, jobs=min(jobs or 0, len(tasks)) or None, memory=memory, seconds=_seconds, stop=stop)
    order = sorted(range(len(tasks)), key=lambda i: -sizes[i])  # the largest first: the workers finish together
    interrupted = False
    runner = pool.run(tasks, order)
    try:
        for index, answer in runner:
            task = tasks[index]
            outcome = Outcome(task.path, task.role, reason=answer.reason) if isinstance(answer, TaskFailure) else answer
            outcomes.append(outcome)
            done += 1
            if progress:
                progress(done, total, outcome)
    except (KeyboardInterrupt, Stopped):
        interrupted = True
    except PoolFailed as error:
        raise BatchError(error.message) from None
    finally:
        runner.close()
    return outcomes, interrupted


# ---- assembling -------------------------------------------------------------------------------

UNREAD_SENT, ARCHIVE_SENT = "已报送，但文件无法读取", "已报送（压缩包，未核对）"
QUIET_RULES = ("import.format_guess",)  # said in the 格式 column; in a list of problems it is noise
_STATUS_ORDER = {UNREADABLE: 0, FAILED: 1, WARNED: 2, PASSED: 3}


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: SEVERITY_ORDER[p.severity])


def assemble(folder: Path, last_folder: Path | None, outcomes: list[Outcome],
             expected_names: list[str] | None = None, archives: Sequence[Archive] = ()) -> BatchResult:
    """Everything the batch says about the files read: quick work on the outcomes."""
    result = BatchResult(folder, last_folder, [], archives=list(archives), expected_names=expected_names)
    for outcome in sorted((o for o in outcomes if o.role == THIS and not o.skipped), key=lambda o: o.path):
        problems = [p for p in (*outcome.import_problems, *outcome.problems) if p.rule not in QUIET_RULES]
        result.entries.append(Entry(outcome, result.relative(outcome.path), problems))
    result.last_outcomes = sorted((o for o in outcomes if o.role == LAST and not o.skipped), key=lambda o: o.path)
    readable = [e for e in result.entries if e.readable]
    if readable:
        years = Counter(e.outcome.year for e in readable)
        result.year = max(years, key=lambda y: (years[y], y))
        formats = Counter(e.outcome.format_id for e in readable if e.outcome.year == result.year)
        result.format_id = max(formats, key=lambda f: (formats[f], f))
    _mark_other_years(result)
    for group in _unit_groups(result.entries):
        _rank_versions(group)
    _match_last_year(result)
    for entry in result.entries:
        entry.outcome.blob = None  # the whole reports are no longer needed
    for outcome in result.last_outcomes:
        outcome.blob = None
    derive(result)
    return result


def derive(result: BatchResult) -> None:
    """What follows from the roles: the 本级 report and the units' sum, the list of units (or last
    year's units gone), the order of the rows. Run again when the clerk picks another version."""
    for entry in result.entries:
        if entry.role == LEVEL:
            entry.role = UNIT
        entry.contributes = False
        entry.problems = [p for p in entry.problems if p.rule != SUM_MISMATCH.id]
    result.level, result.total, result.differences = None, None, []
    _find_level_and_sum(result)
    if result.expected_names is not None:
        _hold_against_list(result, result.expected_names)
    elif result.last_folder is not None:
        _find_gone(result)
    for entry in result.entries:
        entry.problems = _sorted(entry.problems)
    result.entries.sort(key=lambda e: (_STATUS_ORDER[e.status], pinyin_key(e.name), e.rel))


def _mark_other_years(result: BatchResult) -> None:
    for entry in result.entries:
        if entry.readable and entry.outcome.year != result.year:
            entry.role = OTHER_YEAR
            message = (f"报告年度为{entry.outcome.year}年，本批其他报告为{result.year}年度"
                       f"（是否误报了其他年度的报告？）；不计入汇总")
            entry.problems.append(YEAR_MISMATCH.problem(message, fields=["year"], values=[entry.outcome.year, result.year]))
        elif entry.readable and entry.outcome.format_id != result.format_id:
            entry.role = OTHER_FORMAT
            fmt = FORMATS[entry.outcome.format_id or ""]
            message = (f"报告使用{fmt.name}，本批其他{result.year}年度报告使用"
                       f"{FORMATS[result.format_id or ''].name}；不计入汇总")
            entry.problems.append(FORMAT_MISMATCH.problem(message, fields=["format"],
                                                          values=[entry.outcome.format_id, result.format_id]))


def _unit_groups(entries: Sequence[Entry]) -> list[list[Entry]]:
    """The reports of the batch's year and format, grouped by unit (only groups of two or more)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.readable and entry.role in (UNIT, LEVEL, DUPLICATE) and unit_key(entry.agency):
            groups.setdefault(unit_key(entry.agency), []).append(entry)
    return [group for group in groups.values() if len(group) > 1]


def _rank_versions(group: list[Entry]) -> None:
    """One unit's reports: the one that counts (batch_versions) stays a unit, the others are
    duplicates, and each says which counts and why."""
    rules = (DUPLICATE_RULE.id, CHOSEN_VERSION.id)
    for entry in group:
        entry.problems = [p for p in entry.problems if p.rule not in rules]
    first, *others = ranked(group)
    first.role = UNIT if first.role == DUPLICATE else first.role
    notes = []
    for entry in others:
        entry.role = DUPLICATE
        same = entry.outcome.figures == first.outcome.figures
        differ = "表中数字相同" if same else "表中数字不同，请确认哪一份是定稿"
        why = why_first(first, entry)
        message = f"与“{first.rel}”是同一单位同一年度的报告（{differ}）；以“{first.rel}”为准（{why}），本文件不计入汇总"
        entry.problems.append(DUPLICATE_RULE.problem(message, place="file", values=[first.rel, same]))
        notes.append(f"“{entry.rel}”（{'表中数字相同' if same else '表中数字不同'}）")
    message = f"同一单位还报送了{'、'.join(notes)}；以本文件为准（{why_first(first, others[0])}）"
    first.problems.append(CHOSEN_VERSION.problem(message, place="file", values=[e.rel for e in others]))


def choose_version(result: BatchResult, chosen: Entry) -> bool:
    """以此为准: the clerk makes ``chosen`` the report that counts for its unit; False when it has no
    other version. The sum, the 本级 comparison and the list follow."""
    group = next((g for g in _unit_groups(result.entries) if chosen in g), None)
    if group is None:
        return False
    for entry in group:
        entry.preferred = entry is chosen
    _rank_versions(group)
    derive(result)
    return True


def _match_last_year(result: BatchResult) -> None:
    if result.last_folder is None:
        for entry in result.entries:
            if entry.readable and entry.outcome.stored_baseline is not None:
                entry.last_how = STORED
        return
    # a report of another year (an old one sent again) is not compared with the year before it
    candidates = [e for e in result.entries if e.readable and e.role not in (DUPLICATE, OTHER_YEAR)]
    pool = [o for o in result.last_outcomes if o.readable and o.year == (result.year or 0) - 1]
    for match in match_names([e.agency for e in candidates], [o.agency for o in pool]):
        entry = candidates[match.left]
        entry.last, entry.last_how, entry.last_shared = pool[match.right], match.how, match.shared
        entry.last_rel = result.relative(entry.last.path, result.last_folder)
        if match.how == GUESS:
            entry.problems.append(_name_guess(entry, match))
    for entry in result.entries:
        if entry.role == DUPLICATE:  # last year's report of the file it duplicates
            key = unit_key(entry.agency)
            primary = next(e for e in candidates if unit_key(e.agency) == key)
            entry.last, entry.last_how, entry.last_shared, entry.last_rel = (
                primary.last, primary.last_how, primary.last_shared, primary.last_rel)
            entry.problems += [p for p in primary.problems if p.rule == NAME_GUESS.id]
    for entry in result.entries:
        if not entry.readable or entry.role == OTHER_YEAR:
            continue
        if entry.last is not None:
            _check_against_last_year(entry)
        elif entry.outcome.stored_baseline is not None:
            entry.last_how = STORED
            message = "上年文件夹中没有该单位的报告，跨年核对使用报告文件中保存的上年数据"
            entry.problems.append(NO_LAST_YEAR.problem(message, place="last_year", values=[STORED]))
        else:
            message = (f"上年文件夹中没有该单位{(entry.outcome.year or 0) - 1}年度的报告"
                       "（新设单位，或名称变化较大？），未做跨年核对")
            entry.problems.append(NO_LAST_YEAR.problem(message, place="last_year", values=[None]))


def _name_guess(entry: Entry, match: Match) -> Problem:
    assert entry.last is not None
    message = (f"上年报告按名称推测匹配：上年为“{entry.last.agency}”（{entry.last_rel}），"
               f"本年为“{entry.agency}”，{match.reason}；"
               "如不是同一单位，跨年核对的提醒不适用")
    return NAME_GUESS.problem(message, place="last_year", values=[entry.last.agency, entry.agency])


def _check_against_last_year(entry: Entry) -> None:
    """Check the report again with the matched file as last year's (it replaces a stored one)."""
    from model.checks import run_checks

    assert entry.last is not None
    report = entry.outcome.report()
    report.last_year = entry.last.baseline()
    entry.outcome.problems = tuple(run_checks(report))
    batch_own = [p for p in entry.problems if p.rule.startswith("batch.")]
    checked = [p for p in (*entry.outcome.import_problems, *entry.outcome.problems) if p.rule not in QUIET_RULES]
    entry.problems = [*checked, *batch_own]


def _find_level_and_sum(result: BatchResult) -> None:
    same = [e for e in result.entries if e.readable and e.role == UNIT]
    if not same:
        return
    level_index = find_level_government([e.agency for e in same]) if len(same) > 1 else None
    if level_index is not None:
        result.level = same[level_index]
        result.level.role = LEVEL
    contributors = [e for e in same if e.role == UNIT]
    for entry in contributors:
        entry.contributes = True
    if not contributors:
        return
    assert all(e.outcome.figures is not None for e in contributors)
    result.total = sum_reports([Contribution(e.outcome.figures.report(e.agency), e.rel) for e in contributors])  # type: ignore[union-attr]
    if result.level is None:
        return
    figures = result.level.outcome.figures
    assert figures is not None
    level_report = figures.report(result.level.agency)
    result.differences = compare_with_sum(level_report, result.total)
    for difference in result.differences:
        result.level.problems.append(_sum_mismatch(level_report, difference, len(contributors)))


def _number(value: int | Decimal) -> str:
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def _sum_mismatch(level: Report, difference: Difference, units: int) -> Problem:
    address = difference.address
    unit = "（单位：元）" if level.format.column(address).unit == "procurement" else ""
    sign = "多" if difference.difference > 0 else "少"
    message = (f"{cell_name(level, address)}：本级报告为{_number(difference.level)}，{units}个下级单位合计为"
               f"{_number(difference.total)}，本级{sign}{_number(abs(difference.difference))}{unit}"
               "（本级报告可能另含本机关自身的数字，请核对）")
    return SUM_MISMATCH.problem(message, cells=[address], values=[_number(difference.level), _number(difference.total)])


def _by_file_name(name: str, sent: Sent, match: Match) -> str:
    """A unit's situation from a file that gave no report, matched by its file name: a guess unless
    the file name is the unit's name itself (years and report words aside)."""
    if match.how == EXACT and normal_name(name) == normal_name(bare_file_name(sent.rel)):
        return sent.situation
    return f"{sent.situation}（按文件名“{Path(sent.rel).name}”推测）"


def _hold_against_list(result: BatchResult, names: list[str]) -> None:
    """Each unit on the list with what arrived from it: its report (matched by the name in it),
    else a file that gave no report (matched by the file's name); then the reports of units not
    on the list."""
    candidates = [e for e in result.entries if e.readable and e.role != DUPLICATE]
    result.expected = [Expected(name, "未报送") for name in names]
    taken = set()
    for match in match_names(names, [e.agency for e in candidates]):
        entry = candidates[match.right]
        taken.add(id(entry))
        if entry.outcome.year != result.year:
            situation = f"只收到{entry.outcome.year}年度的报告"
        elif entry.role == OTHER_FORMAT:
            situation = "已报送（使用的格式与本批不同，不计入汇总）"
        else:
            situation = "已报送"
        if match.how == GUESS:
            situation += f"（{match.label}，推测为“{entry.agency}”）"
        result.expected[match.left] = Expected(names[match.left], situation, entry, entry.rel)
    waiting = [i for i, item in enumerate(result.expected) if item.entry is None]
    sent = result.sent_files()
    for match in match_names([names[i] for i in waiting], [s.name for s in sent]):
        i, item = waiting[match.left], sent[match.right]
        result.expected[i] = Expected(names[i], _by_file_name(names[i], item, match), item.entry, item.rel)
    result.unexpected = [e for e in candidates if id(e) not in taken]


def _find_gone(result: BatchResult) -> None:
    """Last year's units with no report this year — but not those whose file came and could not be
    read (or is a compressed folder): those are said as such."""
    matched = {id(e.last) for e in result.entries if e.last is not None}
    missing = [o for o in result.last_outcomes
               if o.readable and o.year == (result.year or 0) - 1 and id(o) not in matched]
    sent = result.sent_files()
    found = {m.left: sent[m.right] for m in match_names([o.agency for o in missing], [s.name for s in sent])}
    result.gone = [o for i, o in enumerate(missing) if i not in found]
    result.gone_sent = [(missing[i], item) for i, item in sorted(found.items())]


# ---- JSON ---------------------------------------------------------------------------------------


def _json_number(value: int | Decimal | None) -> int | str | None:
    """Counts as JSON integers, amounts as exact decimal text (as in the .nianbao file)."""
    return decimal_text(value) if isinstance(value, Decimal) else value


def entry_json(result: BatchResult, entry: Entry, summary: RowSummary | None = None) -> dict:
    summary = summary or entry.summary()
    errors, warnings, infos, dismissed = summary.counts()
    data: dict = {
        "file": entry.rel,
        "kind": entry.outcome.kind,
        "agency": entry.agency,
        "year": entry.outcome.year,
        "format": entry.outcome.format_id,
        "status": summary.status,
        "status_key": STATUS_KEYS[summary.status],
        "role": entry.role,
        "reason": entry.outcome.reason,
        "errors": errors,
        "warnings": warnings,
        "infos": infos,
        "dismissed": dismissed,
        "figures": None,
        "ratios": None,
        "last_year": None,
        "problems": [p.to_json() for p in entry.problems],
    }
    if summary.figures is not None and summary.ratios is not None:
        data["figures"] = {k: _json_number(v) for k, v in summary.figures.items()}
        data["ratios"] = {k: (float(v) if v is not None else None) for k, v in summary.ratios.items()}
    if entry.last is not None:
        data["last_year"] = {"file": entry.last_rel, "agency": entry.last.agency, "year": entry.last.year,
                             "match": entry.last_how}
    elif entry.last_how == STORED and entry.outcome.stored_baseline is not None:
        data["last_year"] = {"file": None, "agency": entry.agency, "year": entry.outcome.stored_baseline.year,
                             "match": STORED}
    return data


def result_json(result: BatchResult) -> dict:
    """The batch as JSON (``nianbao batch --json``): spec in docs/batch.md."""
    summaries = [e.summary() for e in result.entries]  # once per report
    found = Counter(s.status for s in summaries)
    counts = {status: found.get(status, 0) for status in STATUSES}
    data: dict = {
        "folder": str(result.folder),
        "last_year_folder": str(result.last_folder) if result.last_folder else None,
        "year": result.year,
        "format": result.format_id,
        "interrupted": result.interrupted,
        "files": result.files,
        "counts": {STATUS_KEYS[s]: n for s, n in counts.items()},
        "reports": [entry_json(result, e, s) for e, s in zip(result.entries, summaries, strict=True)],
        "skipped": [{"file": f, "reason": why} for f, why in result.skipped],
        "last_year_unreadable": [{"file": result.relative(o.path, result.last_folder), "reason": o.reason}
                                 for o in result.last_outcomes if o.reason],
        "expected": None,
        "unexpected": [e.rel for e in result.unexpected] if result.expected is not None else None,
        "gone": [{"agency": o.agency, "file": result.relative(o.path, result.last_folder)} for o in result.gone],
        "gone_unread": [{"agency": o.agency, "file": result.relative(o.path, result.last_folder), "sent": sent.rel,
                         "situation": sent.situation} for o, sent in result.gone_sent],
        "level": result.level.rel if result.level else None,
        "sum": None,
        "ratio_definitions": {r.key: r.definition for r in RATIOS},
    }
    if result.expected is not None:
        data["expected"] = [{"unit": x.name, "situation": x.situation, "file": x.file} for x in result.expected]
    if result.total is not None:
        data["sum"] = {
            "files": [e.rel for e in result.contributors],
            "differences": [{"cell": list(d.address), "level": _json_number(d.level), "units": _json_number(d.total),
                             "difference": _json_number(d.difference)} for d in result.differences],
        }
    return data

