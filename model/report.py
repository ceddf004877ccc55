"""The report document: meta, text sections, cell values, the last-year baseline, dismissals,
and what the import of its source file found.

Every change goes through a handful of operations that emit one change event each; the window's
undo commands call exactly these, so the model is the single place where the report changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from model.formats import FORMATS, TEXT_SECTIONS, Address, ReportFormat, get_format
from model.profile import GB_T_9704, Profile
from model.values import NA, Value, as_number, clean_text

if TYPE_CHECKING:
    from model.problems import Problem

META_FIELDS = ("agency", "year", "date", "title", "procurement_unit")
PROCUREMENT_UNITS = ("万元", "元")
DEFAULT_UNIT = "万元"


class Meta(NamedTuple):
    agency: str = ""
    year: int = 2026
    date: dt.date | None = None  # 成文日期
    title: str | None = None  # None: the default 〈agency〉〈year〉年政府信息公开工作年度报告
    procurement_unit: str = DEFAULT_UNIT  # the unit of gov-2019's 采购总金额


class Baseline(NamedTuple):
    """Last year's report as far as the cross-year checks need it: all its cells and text."""

    year: int
    format_id: str
    cells: Mapping[Address, Value]
    text: Mapping[str, str]

    @property
    def format(self) -> ReportFormat:
        return get_format(self.format_id)

    def value(self, address: Address) -> Value:
        """Last year's value of a typed or derived cell."""
        fmt = FORMATS.get(self.format_id)
        if fmt is None or not fmt.has_cell(address):
            return self.cells.get(address)
        return _cell_value(fmt, self.cells, address)


class Change(NamedTuple):
    """What changed: ``kind`` is one of cells, text, meta, dismissed, baseline, profile, format, all."""

    kind: str
    keys: tuple = ()


Listener = Callable[[Change], None]


def default_title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def _cell_value(fmt: ReportFormat, cells: Mapping[Address, Value], address: Address) -> Value:
    if address in fmt.input_set:
        return cells.get(address)
    table = fmt.table_index[address[0]]
    key = table.key
    parts = [cells.get((key, r, c)) for r, c in table.parts(address[1], address[2])]
    if parts and all(part is NA for part in parts):
        return NA
    total: int | Decimal = 0
    for part in parts:
        total += as_number(part)
    return total


@dataclass
class Report:
    format_id: str
    meta: Meta = field(default_factory=Meta)
    text: dict[str, str] = field(default_factory=lambda: dict.fromkeys(TEXT_SECTIONS, ""))
    cells: dict[Address, Value] = field(default_factory=dict)
    last_year: Baseline | None = None
    dismissed: dict[str, str] = field(default_factory=dict)  # problem id → reason
    carried_sections: set[str] = field(default_factory=set)
    profile: Profile = GB_T_9704  # the layout of the Word document (model/profile.py)
    # what importing the published file this report came from found (a total the source got wrong,
    # a row it did not have): facts about the source, kept with the report for the clerk to act on;
    # they are not rules over the content, so no change of the report makes them go
    import_problems: tuple[Problem, ...] = ()
    _listeners: list[Listener] = field(default_factory=list, repr=False, compare=False)

    # ---- reading ---------------------------------------------------------------------------
    @property
    def format(self) -> ReportFormat:
        return get_format(self.format_id)

    @property
    def title(self) -> str:
        return self.meta.title or default_title(self.meta.agency, self.meta.year)

    def value(self, address: Address) -> Value:
        """A cell's value, typed or derived (blank is None, 不适用 is NA)."""
        return _cell_value(self.format, self.cells, address)

    def number(self, address: Address) -> int | Decimal:
        return as_number(self.value(address))

    def unit_of(self, address: Address) -> str | None:
        unit = self.format.column(address).unit
        return self.meta.procurement_unit if unit == "procurement" else unit

    # ---- change events ---------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # ---- operations ------------------------------------------------------------------------
    def set_cell(self, address: Address, value: Value) -> None:
        self.set_cells({address: value})

    def set_cells(self, values: Mapping[Address, Value]) -> None:
        """Set typed cells (None clears); one event for the whole batch (a pasted block)."""
        fmt = self.format
        for address in values:
            if address not in fmt.input_set:
                raise KeyError(f"{'.'.join(address)} is not a typed cell of {fmt.id}")
        for address, value in values.items():
            if value is None:
                self.cells.pop(address, None)
            else:
                self.cells[address] = value
        self._emit(Change("cells", tuple(values)))

    def set_text(self, key: str, text: str, *, carried: bool = False) -> None:
        """Set a text section; an edit ends its "carried over, not yet edited" state."""
        if key not in TEXT_SECTIONS:
            raise KeyError(key)
        self.text[key] = clean_text(text)
        if carried:
            self.carried_sections.add(key)
        else:
            self.carried_sections.discard(key)
        self._emit(Change("text", (key,)))

    def set_meta(self, **changes: object) -> None:
        unknown = set(changes) - set(META_FIELDS)
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        changes = {k: clean_text(v) if isinstance(v, str) else v for k, v in changes.items()}
        self.meta = self.meta._replace(**changes)  # type: ignore[arg-type]
        self._emit(Change("meta", tuple(changes)))

    def dismiss(self, problem_id: str, reason: str) -> None:
        self.dismissed[problem_id] = clean_text(reason)
        self._emit(Change("dismissed", (problem_id,)))

    def restore(self, problem_id: str) -> None:
        self.dismissed.pop(problem_id, None)
        self._emit(Change("dismissed", (problem_id,)))

    def set_baseline(self, baseline: Baseline | None) -> None:
        """Attach last year's report (or detach it with None)."""
        self.last_year = baseline
        self._emit(Change("baseline"))

    def set_profile(self, profile: Profile) -> None:
        """The layout the Word document is written in (页面与版式)."""
        self.profile = profile
        self._emit(Change("profile"))

    def replace_content(self, other: Report) -> None:
        """Take over another report's whole content (a format conversion, an undo of one)."""
        self.format_id = other.format_id
        self.meta = other.meta
        self.text = dict(other.text)
        self.cells = dict(other.cells)
        self.last_year = other.last_year
        self.dismissed = dict(other.dismissed)
        self.carried_sections = set(other.carried_sections)
        self.profile = other.profile
        self.import_problems = other.import_problems
        self._emit(Change("all"))

    # ---- helpers ---------------------------------------------------------------------------
    def copy(self) -> Report:
        """A detached copy (no listeners)."""
        return Report(
            format_id=self.format_id,
            meta=self.meta,
            text=dict(self.text),
            cells=dict(self.cells),
            last_year=self.last_year,
            dismissed=dict(self.dismissed),
            carried_sections=set(self.carried_sections),
            profile=self.profile,
            import_problems=self.import_problems,
        )

    def cleaned(self) -> Report:
        """The report with its texts, agency and title as a written file may hold them (values.clean_text),
        for a writer: itself when they already are (as a loaded, imported or typed report's are), else a
        cleaned copy — a Word or Excel file is never invalid XML, whatever reached the report."""
        meta = self.meta
        text = {key: clean_text(value) for key, value in self.text.items()}
        agency = clean_text(meta.agency)
        title = clean_text(meta.title) if isinstance(meta.title, str) else meta.title
        if text == self.text and agency == meta.agency and title == meta.title:
            return self
        copy = self.copy()
        copy.text, copy.meta = text, meta._replace(agency=agency, title=title)
        return copy

    def content_equals(self, other: Report) -> bool:
        return (
            self.format_id == other.format_id
            and self.meta == other.meta
            and self.text == other.text
            and self.cells == other.cells
            and self.last_year == other.last_year
            and self.dismissed == other.dismissed
            and self.carried_sections == other.carried_sections
            and self.profile == other.profile
            and self.import_problems == other.import_problems
        )

    def baseline(self) -> Baseline:
        """This report as the baseline of next year's."""
        return Baseline(self.meta.year, self.format_id, dict(self.cells), dict(self.text))


def new_report(year: int, agency: str = "", fmt: ReportFormat | None = None) -> Report:
    from model.formats import format_for_year

    fmt = fmt or format_for_year(year)
    return Report(format_id=fmt.id, meta=Meta(agency=agency, year=year))


def reporting_year(today: dt.date | None = None) -> int:
    """The year a new report is for: last year from January to June, this year from July on."""
    today = today or dt.date.today()
    return today.year - 1 if today.month <= 6 else today.year

