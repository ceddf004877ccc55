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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from export.batch_figures import RATIOS, key_figures, ratios
from export.batch_files import READ_SUFFIXES, Discovery, discover, read_expected
from export.batch_names import GUESS, find_level_government, level_government_name, match_names, normal_name
from export.batch_pool import DEFAULT_MEMORY_BYTES, PoolFailed, Stopped, TaskFailure, WorkerPool
from export.batch_read import LAST, THIS, Figures, Outcome, ReadTask, agency_from_name, read_one
from export.batch_sum import Contribution, Difference, compare_with_sum, sum_reports
from model import limits
from model.formats import FORMATS
from model.problems import INFO, SEVERITY_ORDER, WARNING, Problem, cell_name, make_problem, summarize
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

    @property
    def readable(self) -> bool:
        return self.outcome.readable

    @property
    def agency(self) -> str:
        return self.outcome.agency

    @property
    def name(self) -> str:
        """The unit as shown: the agency, or for a file that could not be read its file name."""
        return self.outcome.agency or Path(self.rel).name

    @property
    def status(self) -> str:
        if not self.readable:
            return UNREADABLE
        summary = summarize(self.problems)
        return FAILED if summary.errors else WARNED if summary.warnings else PASSED

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


@dataclass
class Expected:
    """A unit on the list of those that should report, and what arrived from it."""

    name: str
    situation: str
    entry: Entry | None = None


@dataclass
class BatchResult:
    folder: Path
    last_folder: Path | None
    entries: list[Entry]
    last_outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why it is not read)
    year: int | None = None
    format_id: str | None = None
    expected: list[Expected] | None = None
    unexpected: list[Entry] = field(default_factory=list)  # reports from units not on the list
    gone: list[Outcome] = field(default_factory=list)  # last year's units with no report this year
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
        raise BatchError(f"文件夹“{this_folder}”中没有报告文件（可读取：{'、'.join(READ_SUFFIXES)}）")
    outcomes, interrupted = _read_all(found, found_last, keep=last_folder is not None, jobs=jobs,
                                      progress=progress, stop=stop, memory=memory)
    result = assemble(this_folder, last_folder, outcomes, expected_names)
    result.skipped = [(result.relative(p), "不是可读取的报告文件类型") for p in found.skipped]
    result.skipped += [(result.relative(o.path), o.skipped) for o in outcomes if o.skipped and o.role == THIS]
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
                tasks.append(ReadTask(str(item.path), role, keep=keep and role == THIS))
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


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: SEVERITY_ORDER[p.severity])


def assemble(folder: Path, last_folder: Path | None, outcomes: list[Outcome],
             expected_names: list[str] | None = None) -> BatchResult:
    """Everything the batch says about the files read: quick work on the outcomes."""
    result = BatchResult(folder, last_folder, [])
    for outcome in sorted((o for o in outcomes if o.role == THIS and not o.skipped), key=lambda o: o.path):
        problems = [*outcome.import_problems, *outcome.problems]
        result.entries.append(Entry(outcome, result.relative(outcome.path), problems))
    result.last_outcomes = sorted((o for o in outcomes if o.role == LAST and not o.skipped), key=lambda o: o.path)
    readable = [e for e in result.entries if e.readable]
    if readable:
        years = Counter(e.outcome.year for e in readable)
        result.year = max(years, key=lambda y: (years[y], y))
        formats = Counter(e.outcome.format_id for e in readable if e.outcome.year == result.year)
        result.format_id = max(formats, key=lambda f: (formats[f], f))
    _mark_other_years(result)
    _mark_duplicates(result)
    _match_last_year(result)
    _find_level_and_sum(result)
    if expected_names is not None:
        _hold_against_list(result, expected_names)
    elif result.last_folder is not None:
        matched = {id(e.last) for e in result.entries if e.last is not None}
        result.gone = [o for o in result.last_outcomes
                       if o.readable and o.year == (result.year or 0) - 1 and id(o) not in matched]
    for entry in result.entries:
        entry.problems = _sorted(entry.problems)
        entry.outcome.blob = None  # the whole reports are no longer needed
    for outcome in result.last_outcomes:
        outcome.blob = None
    return result


def _mark_other_years(result: BatchResult) -> None:
    for entry in result.entries:
        if entry.readable and entry.outcome.year != result.year:
            entry.role = OTHER_YEAR
            message = (f"报告年度为{entry.outcome.year}年，本批其他报告为{result.year}年度"
                       f"（是否误报了其他年度的报告？）；不计入汇总")
            entry.problems.append(make_problem("batch.year_mismatch", WARNING, message, fields=["year"],
                                               values=[entry.outcome.year, result.year]))
        elif entry.readable and entry.outcome.format_id != result.format_id:
            entry.role = OTHER_FORMAT
            fmt = FORMATS[entry.outcome.format_id or ""]
            message = (f"报告使用{fmt.name}，本批其他{result.year}年度报告使用"
                       f"{FORMATS[result.format_id or ''].name}；不计入汇总")
            entry.problems.append(make_problem("batch.format_mismatch", WARNING, message, fields=["format"],
                                               values=[entry.outcome.format_id, result.format_id]))


def _mark_duplicates(result: BatchResult) -> None:
    groups: dict[str, list[Entry]] = {}
    for entry in result.entries:
        if entry.readable and entry.role == UNIT and normal_name(entry.agency):
            groups.setdefault(normal_name(entry.agency), []).append(entry)
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda e: (e.outcome.kind != "nianbao", e.rel))  # our own file first, then by name
        first = group[0]
        for entry in group[1:]:
            entry.role = DUPLICATE
            same = entry.outcome.figures == first.outcome.figures
            differ = "表中数字相同" if same else "表中数字不同，请确认哪一份是定稿"
            message = f"与“{first.rel}”是同一单位同一年度的报告（{differ}）；以“{first.rel}”为准，本文件不计入汇总"
            entry.problems.append(make_problem("batch.duplicate", WARNING, message, place="file",
                                               values=[first.rel, same]))


def _match_last_year(result: BatchResult) -> None:
    if result.last_folder is None:
        for entry in result.entries:
            if entry.readable and entry.outcome.stored_baseline is not None:
                entry.last_how = STORED
        return
    candidates = [e for e in result.entries if e.readable and e.role != DUPLICATE]
    last = [o for o in result.last_outcomes if o.readable]
    by_year: dict[int, list[Entry]] = {}
    for entry in candidates:
        by_year.setdefault(entry.outcome.year or 0, []).append(entry)
    for year, entries in by_year.items():
        pool = [o for o in last if o.year == year - 1]
        for match in match_names([e.agency for e in entries], [o.agency for o in pool]):
            entry = entries[match.left]
            entry.last, entry.last_how, entry.last_shared = pool[match.right], match.how, match.shared
            entry.last_rel = result.relative(entry.last.path, result.last_folder)
    for entry in result.entries:
        if entry.role == DUPLICATE:  # last year's report of the file it duplicates
            primary = next(e for e in candidates if e.role == UNIT and normal_name(e.agency) == normal_name(entry.agency))
            entry.last, entry.last_how, entry.last_shared, entry.last_rel = (
                primary.last, primary.last_how, primary.last_shared, primary.last_rel)
    for entry in result.entries:
        if not entry.readable:
            continue
        if entry.last is not None:
            _check_against_last_year(entry)
        elif entry.outcome.stored_baseline is not None:
            entry.last_how = STORED
            message = "上年文件夹中没有该单位的报告，跨年核对使用报告文件中保存的上年数据"
            entry.problems.append(make_problem("batch.no_last_year", INFO, message, place="last_year", values=[STORED]))
        else:
            message = (f"上年文件夹中没有该单位{(entry.outcome.year or 0) - 1}年度的报告"
                       "（新设单位，或名称变化较大？），未做跨年核对")
            entry.problems.append(make_problem("batch.no_last_year", INFO, message, place="last_year", values=[None]))


def _check_against_last_year(entry: Entry) -> None:
    """Check the report again with the matched file as last year's (it replaces a stored one)."""
    from model.checks import run_checks

    assert entry.last is not None
    report = entry.outcome.report()
    report.last_year = entry.last.baseline()
    entry.outcome.problems = tuple(run_checks(report))
    batch_own = [p for p in entry.problems if p.rule.startswith("batch.")]
    entry.problems = [*entry.outcome.import_problems, *entry.outcome.problems, *batch_own]
    if entry.last_how == GUESS:
        message = (f"上年报告按名称推测匹配：上年为“{entry.last.agency}”（{entry.last_rel}），"
                   f"本年为“{entry.agency}”，共同部分为“{entry.last_shared}”；如不是同一单位，跨年核对的提醒不适用")
        entry.problems.append(make_problem("batch.name_guess", INFO, message, place="last_year",
                                           values=[entry.last.agency, entry.agency]))


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
    return make_problem("batch.sum_mismatch", WARNING, message, cells=[address],
                        values=[_number(difference.level), _number(difference.total)])


def _hold_against_list(result: BatchResult, names: list[str]) -> None:
    candidates = [e for e in result.entries if e.role != DUPLICATE]
    shown = [e.agency if e.readable else agency_from_name(e.rel) for e in candidates]
    matches = {m.left: m for m in match_names(names, shown)}
    taken = set()
    result.expected = []
    for i, name in enumerate(names):
        match = matches.get(i)
        if match is None:
            result.expected.append(Expected(name, "未报送"))
            continue
        entry = candidates[match.right]
        taken.add(id(entry))
        if not entry.readable:
            situation = "已报送，但文件无法读取"
        elif entry.outcome.year != result.year:
            situation = f"只收到{entry.outcome.year}年度的报告"
        else:
            situation = "已报送"
        if match.how == GUESS:
            situation += f"（名称不同，推测为“{shown[match.right]}”）"
        result.expected.append(Expected(name, situation, entry))
    result.unexpected = [e for e in candidates if id(e) not in taken and e.readable]


# ---- the 本级 sum of a folder ----------------------------------------------------------------------


@dataclass
class SumPlan:
    """What `sum` adds up: the report it makes, the files used and those left out (with why)."""

    report: Report
    used: list[Entry]
    left_out: list[tuple[Entry, str]]
    agency_from: str  # where the 本级 name came from, in the clerk's words ("" when unknown)


def plan_sum(entries: list[Entry], *, agency: str | None = None, year: int | None = None,
             strict: bool = True) -> SumPlan:
    """The 本级 start from the units' reports. Raises SumRefused (Chinese) when they cannot be added.

    ``strict`` (the command line) refuses a folder with an unreadable file or two reports of one
    unit, since the sum would silently miss or double a unit; otherwise (the window, after the
    clerk has seen the table) those are left out and listed. Reports of another year than ``year``
    are left out; without ``year`` they must all be of one year. The 本级 report itself, when
    present (named by ``agency``, or recognised as the level government), is not added.
    """
    from export.batch_sum import SumRefused, check_summable

    left_out: list[tuple[Entry, str]] = []
    unreadable = [e for e in entries if not e.readable]
    if unreadable and strict:
        names = "、".join(e.rel for e in unreadable)
        raise SumRefused(f"有{len(unreadable)}个文件无法读取，未汇总（否则合计会漏掉这些单位）：{names}。"
                         "请修复或移出这些文件后再汇总。")
    left_out += [(e, "无法读取") for e in unreadable]
    chosen = [e for e in entries if e.readable]
    if year is not None:
        left_out += [(e, f"{e.outcome.year}年度") for e in chosen if e.outcome.year != year]
        chosen = [e for e in chosen if e.outcome.year == year]
        if not chosen:
            raise SumRefused(f"没有{year}年度的报告可以汇总")
    if not strict and chosen:  # the window: the format most reports of the year use
        formats = Counter(e.outcome.format_id for e in chosen)
        common = max(formats, key=lambda f: (formats[f], f or ""))
        left_out += [(e, "格式不同") for e in chosen if e.outcome.format_id != common]
        chosen = [e for e in chosen if e.outcome.format_id == common]
    level: Entry | None = None
    agency_from = ""
    if agency:
        level = next((e for e in chosen if normal_name(e.agency) == normal_name(agency)), None)
        agency_from = "指定"
    else:
        index = find_level_government([e.agency for e in chosen]) if len(chosen) > 1 else None
        if index is not None:
            level = chosen[index]
            agency, agency_from = level.agency, "本级报告"
    if level is not None:
        left_out.append((level, "本级报告本身，不计入"))
        chosen = [e for e in chosen if e is not level]
    groups: dict[str, list[Entry]] = {}
    for entry in chosen:
        groups.setdefault(normal_name(entry.agency) or entry.rel, []).append(entry)
    doubled = [group for group in groups.values() if len(group) > 1]
    if doubled and strict:
        text = "；".join("、".join(e.rel for e in group) for group in doubled)
        raise SumRefused(f"同一单位有多份报告，未汇总（否则会重复相加）：{text}。请每个单位只保留一份。")
    for group in doubled:
        group.sort(key=lambda e: (e.outcome.kind != "nianbao", e.rel))
        left_out += [(e, f"与“{group[0].rel}”重复") for e in group[1:]]
        chosen = [e for e in chosen if e not in group[1:]]
    contributions = [Contribution(e.outcome.figures.report(e.agency), e.rel) for e in chosen]  # type: ignore[union-attr]
    check_summable(contributions)
    if not agency:
        agency = level_government_name([e.agency for e in chosen])
        agency_from = "各单位名称的共同地名" if agency else ""
    return SumPlan(sum_reports(contributions, agency=agency or ""), chosen, left_out, agency_from)


# ---- JSON ---------------------------------------------------------------------------------------


def _json_number(value: int | Decimal | None) -> int | str | None:
    """Counts as JSON integers, amounts as exact decimal text (as in the .nianbao file)."""
    return decimal_text(value) if isinstance(value, Decimal) else value


def entry_json(result: BatchResult, entry: Entry) -> dict:
    errors, warnings, infos, dismissed = entry.counts()
    data: dict = {
        "file": entry.rel,
        "kind": entry.outcome.kind,
        "agency": entry.agency,
        "year": entry.outcome.year,
        "format": entry.outcome.format_id,
        "status": entry.status,
        "status_key": STATUS_KEYS[entry.status],
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
    if entry.readable:
        data["figures"] = {k: _json_number(v) for k, v in entry.figures().items()}
        data["ratios"] = {k: (float(v) if v is not None else None) for k, v in entry.ratios().items()}
    if entry.last is not None:
        data["last_year"] = {"file": entry.last_rel, "agency": entry.last.agency, "year": entry.last.year,
                             "match": entry.last_how}
    elif entry.last_how == STORED and entry.outcome.stored_baseline is not None:
        data["last_year"] = {"file": None, "agency": entry.agency, "year": entry.outcome.stored_baseline.year,
                             "match": STORED}
    return data


def result_json(result: BatchResult) -> dict:
    """The batch as JSON (``nianbao batch --json``): spec in docs/batch.md."""
    counts = result.counts()
    data: dict = {
        "folder": str(result.folder),
        "last_year_folder": str(result.last_folder) if result.last_folder else None,
        "year": result.year,
        "format": result.format_id,
        "interrupted": result.interrupted,
        "files": result.files,
        "counts": {STATUS_KEYS[s]: n for s, n in counts.items()},
        "reports": [entry_json(result, e) for e in result.entries],
        "skipped": [{"file": f, "reason": why} for f, why in result.skipped],
        "last_year_unreadable": [{"file": result.relative(o.path, result.last_folder), "reason": o.reason}
                                 for o in result.last_outcomes if o.reason],
        "expected": None,
        "unexpected": [e.rel for e in result.unexpected] if result.expected is not None else None,
        "gone": [{"agency": o.agency, "file": result.relative(o.path, result.last_folder)} for o in result.gone],
        "level": result.level.rel if result.level else None,
        "sum": None,
        "ratio_definitions": {r.key: r.definition for r in RATIOS},
    }
    if result.expected is not None:
        data["expected"] = [{"unit": x.name, "situation": x.situation, "file": x.entry.rel if x.entry else None}
                            for x in result.expected]
    if result.total is not None:
        data["sum"] = {
            "files": [e.rel for e in result.contributors],
            "differences": [{"cell": list(d.address), "level": _json_number(d.level), "units": _json_number(d.total),
                             "difference": _json_number(d.difference)} for d in result.differences],
        }
    return data

