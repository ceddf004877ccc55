"""One file of a batch, read and checked in a worker process: the task and what comes back.

What comes back is small and plain (it crosses a process boundary, and a province's batch holds
twenty thousand of them): the agency, year and format found in the content, the typed cells as a
tuple in the format's order, the import and check problems, and — only when the parent will check
the report again against last year's — the whole report, compressed.

The content decides who and which year a report is; the file name is only a hint, used when the
content lacks the year or the agency, and mentioned when it disagrees.
"""

from __future__ import annotations

import pickle
import re
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from export.batch_files import RESULT_KEYWORDS
from model.formats import FORMATS
from model.problems import INFO, Problem, make_problem
from model.report import DEFAULT_UNIT, Baseline, Meta, Report

THIS, LAST = "this", "last"
# a unit's own Excel table, in a batch: said to the 公开办, who asks the unit for its report
NOT_OUR_WORKBOOK = ("“{name}”不是年报助手导出的工作簿（像是单位自己制作的表格），无法读取其中的数字；"
                    "请该单位报送 Word 或 PDF 格式的年度报告")


@dataclass(frozen=True)
class ReadTask:
    path: str
    role: str = THIS  # THIS: check it; LAST: last year's report, read as a baseline
    keep: bool = False  # send the whole report back (to be checked again with last year's)
    mtime: float = 0.0  # the file's modification time, passed on to the outcome


@dataclass(frozen=True)
class Figures:
    """Typed cells of one report (or of a stored baseline), as a tuple in the format's order."""

    year: int
    format_id: str
    values: tuple
    procurement_unit: str = DEFAULT_UNIT

    def cells(self) -> dict:
        return {a: v for a, v in zip(FORMATS[self.format_id].input_cells, self.values, strict=True) if v is not None}

    def report(self, agency: str = "") -> Report:
        """A report holding just these cells (for figures and sums)."""
        meta = Meta(agency=agency, year=self.year, procurement_unit=self.procurement_unit)
        return Report(self.format_id, meta, cells=self.cells())


@dataclass
class Outcome:
    path: str
    role: str = THIS
    reason: str | None = None  # why the file could not be read (Chinese); None when it was
    skipped: str | None = None  # why the file is not a report at all (our own result workbook)
    agency: str = ""
    title: str = ""
    figures: Figures | None = None
    stored_baseline: Figures | None = None  # last year's cells saved in a .nianbao
    import_problems: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()  # the checks' (this year's files only)
    blob: bytes | None = None  # the report (THIS, keep) or its baseline (LAST), pickled and compressed
    seconds: float = 0.0
    peak_kb: int = 0
    notes: list[str] = field(default_factory=list)
    mtime: float = 0.0  # when the file was last changed

    @property
    def kind(self) -> str:
        return Path(self.path).suffix.lower().lstrip(".")

    @property
    def year(self) -> int | None:
        return self.figures.year if self.figures else None

    @property
    def format_id(self) -> str | None:
        return self.figures.format_id if self.figures else None

    @property
    def readable(self) -> bool:
        return self.reason is None and self.skipped is None and self.figures is not None

    def report(self) -> Report:
        """The whole report sent back (``keep``), unpacked."""
        assert self.blob is not None and self.role == THIS
        return pickle.loads(zlib.decompress(self.blob))

    def baseline(self) -> Baseline:
        assert self.blob is not None and self.role == LAST
        return pickle.loads(zlib.decompress(self.blob))


def figures_of(year: int, format_id: str, cells: dict, procurement_unit: str = DEFAULT_UNIT) -> Figures:
    return Figures(year, format_id, tuple(cells.get(a) for a in FORMATS[format_id].input_cells), procurement_unit)


# ---- the file name as a hint ------------------------------------------------------------------

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_REPORT_WORDS = re.compile(r"(?:19|20)\d\d年报(?!告)|(?:关于)?(?:(?:19|20)\d\d年?度?)|政府信息公开(?:工作)?(?:年度)?(?:报告|年报)|年度报告|年报|报告|"
                           r"[（(]?(?:定稿|终稿|修改稿|最终版|送审稿|草稿|初稿|副本)[）)]?|[\d_\-—.\s()（）]+")


def year_from_name(name: str) -> int | None:
    years = set(_YEAR_IN_NAME.findall(Path(name).stem))
    return int(years.pop()) if len(years) == 1 else None


_NOTE = re.compile(r"[（(【\[［][^）)】\]］]*[）)】\]］]")  # a note in brackets: （盖章扫描件）, (1)
_UNIT_END = re.compile(r"^.*(?:局|委|办|室|中心|政府|镇|乡|街道|办事处|院|所|会|队|站|馆|处|社|部|厅|署|公司|集团|校|园)")


def agency_from_name(name: str) -> str:
    """The unit a file name names, if any: report words, years and notes in brackets left out, and
    what follows the last word that ends a unit's name (五团镇年报（盖章扫描件）.pdf → 五团镇,
    茅坪镇2025年政务公开年报.docx → 茅坪镇, 汀坪乡年报表格.xlsx → 汀坪乡)."""
    agency = _REPORT_WORDS.sub("", _NOTE.sub("", Path(name).stem))
    unit = _UNIT_END.match(agency)
    if unit and len(unit.group(0)) >= 2:
        agency = unit.group(0)
    return agency if len(agency) >= 2 else ""


def bare_file_name(name: str) -> str:
    """A file name without its years and report words (城步苗族自治县林业局2025年报告.docx → 城步苗族自治县林业局):
    when that is a unit's name, the file name says the unit plainly."""
    return _REPORT_WORDS.sub("", Path(name).stem)


def unit_in_file_name(name: str) -> str:
    """The unit a file name names, only when it ends as a unit's name does (五团镇, 县财政局) — not
    附件, 新建文档."""
    agency = agency_from_name(name)
    return agency if _UNIT_END.fullmatch(agency) else ""


def _hint(message: str, place: str, value: object) -> Problem:
    return make_problem("batch.file_name", INFO, message, place=place, values=[value])


def apply_name_hints(report: Report, import_problems: list[Problem], name: str) -> list[Problem]:
    """Fill the year or agency from the file name when the content has none; say so, and say when
    the name disagrees with the content."""
    hints = []
    named_year = year_from_name(name)
    year_missing = any(p.rule == "import.missing" and p.id.split("|")[1] == "year" for p in import_problems)
    if year_missing and named_year:
        report.meta = report.meta._replace(year=named_year)
        hints.append(_hint(f"报告中没有找到年度，按文件名取为{named_year}年度", "year", named_year))
    elif named_year and named_year != report.meta.year and not year_missing:
        hints.append(_hint(f"文件名中的年度（{named_year}）与报告内容（{report.meta.year}年度）不一致，以报告内容为准",
                           "year", [named_year, report.meta.year]))
    if not report.meta.agency.strip():
        named_agency = agency_from_name(name)
        if named_agency:
            report.meta = report.meta._replace(agency=named_agency)
            hints.append(_hint(f"报告中没有找到机关名称，按文件名取为“{named_agency}”", "agency", named_agency))
    return hints


# ---- reading ----------------------------------------------------------------------------------


def is_result_workbook(path: Path) -> bool:
    """One of our own batch result workbooks (or per-unit lists), found by its document keywords."""
    try:
        with zipfile.ZipFile(path) as package:
            info = package.getinfo("docProps/core.xml")
            if info.file_size > 64 * 1024:
                return False
            return RESULT_KEYWORDS.encode("utf-8") in package.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False


def _read(path: Path) -> tuple[Report, list[Problem]]:
    """The report in a file: a .nianbao as saved, anything else through the importer."""
    from model import store

    if path.suffix.lower() == store.SUFFIX:
        return store.load(path), []
    from export.reading import read_source

    result = read_source(path)
    return result.report, list(result.problems)


def read_report(path: Path) -> tuple[Report, list[Problem]]:
    """A file's report as the batch sees it (the file name's hints applied), with its import
    problems; raises ImportFailed or StoreError. For one file a batch has already read within
    limits (the window opens it from the results table)."""
    report, import_problems = _read(path)
    return report, import_problems + apply_name_hints(report, import_problems, path.name)


def _reason(path: Path, error: Exception) -> str:
    """Why a file could not be read, said to the 公开办 (a unit's own Excel table: ask the unit for
    its report); the reader's own message otherwise."""
    xlsx_reader = sys.modules.get("export.xlsx_reader")  # loaded when an .xlsx was read, not before
    if xlsx_reader is not None and isinstance(error, xlsx_reader.NotOurWorkbook):
        return NOT_OUR_WORKBOOK.format(name=path.name)
    return getattr(error, "message", str(error))


def read_one(task: ReadTask) -> Outcome:
    """Read (and, for this year's files, check) one file. A file that cannot be read is an
    outcome with its reason; only running out of memory escapes (the pool replaces the worker)."""
    from export.importing import ImportFailed
    from model.checks import run_checks
    from model.store import StoreError

    start = time.perf_counter()
    path = Path(task.path)
    outcome = Outcome(task.path, task.role, mtime=task.mtime)
    if path.suffix.lower() == ".xlsx" and is_result_workbook(path):
        outcome.skipped = "年报助手生成的核对结果，不是报告"
        return outcome
    try:
        report, import_problems = read_report(path)
    except (ImportFailed, StoreError) as error:
        outcome.reason = _reason(path, error)
        return outcome
    outcome.agency = report.meta.agency.strip()
    outcome.title = report.title.replace("\n", "")
    outcome.figures = figures_of(report.meta.year, report.format_id, report.cells, report.meta.procurement_unit)
    if report.last_year is not None:
        outcome.stored_baseline = figures_of(report.last_year.year, report.last_year.format_id, dict(report.last_year.cells))
    outcome.import_problems = tuple(import_problems)
    if task.role == THIS:
        outcome.problems = tuple(run_checks(report))
        if task.keep:
            outcome.blob = zlib.compress(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL), 1)
    else:
        outcome.blob = zlib.compress(pickle.dumps(report.baseline(), protocol=pickle.HIGHEST_PROTOCOL), 1)
    outcome.seconds = time.perf_counter() - start
    outcome.peak_kb = _peak_kb()
    return outcome


def _peak_kb() -> int:
    """This process's peak resident memory so far, in KB (0 where it cannot be known)."""
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak
