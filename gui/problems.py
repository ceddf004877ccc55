"""The problems panel: errors, warnings and infos; a click (or Enter) goes to the place, the arrow
keys show it while the keyboard stays in the list; warnings can be dismissed with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDockWidget, QLabel, QWidget

from model.problems import ERROR, INFO, SEVERITY_NAMES, WARNING, Problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTreeWidgetItem

SEVERITY_COLOURS = {ERROR: QColor("#b00020"), WARNING: QColor("#9a6200"), INFO: QColor("#3a5a8a")}
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
HINT = "单击一条即转到该处（F8 下一条，Shift+F8 上一条）"
IMPORTED_GROUP = "导入时发现"  # what importing the report's source file found (Report.import_problems)
DISMISSED_GROUP = "已忽略"
IMPORTED_TIP = ("导入已发布的报告时发现的问题（如原文的合计与各项不符、未能读入的行）。"
                "它们说的是原文，随报告保存；核对处理后可写明理由忽略。")


class _TreeKeys(QObject):
    """On the list: Enter or Space goes to the current problem; moving with the keys shows its
    place while the keyboard stays in the list."""

    MOVES = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End)

    def __init__(self, panel: ProblemsPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            problem = self.panel.current_problem()
            if problem is not None:
                self.panel.jump.emit(problem)
                return True
        elif key in self.MOVES and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:  # type: ignore[attr-defined]
            type(watched).keyPressEvent(watched, event)  # type: ignore[attr-defined]  # the list moves first
            problem = self.panel.current_problem()
            if problem is not None:
                self.panel.preview.emit(problem)
            return True
        return False


def _listed(problems: list[Problem], imported: list[Problem]) -> list[Problem]:
    """The problems in the order the list shows them: the report's, the import's, the dismissed."""
    every = (*problems, *imported)
    return [*(p for p in every if p.dismissed is None), *(p for p in every if p.dismissed is not None)]


class ProblemsPanel(QDockWidget):
    jump = Signal(object)  # Problem: go to its place
    preview = Signal(object)  # Problem: show its place, leave the keyboard in the list
    dismiss = Signal(object)  # Problem
    restore = Signal(object)  # Problem
    update_year = Signal(object)  # Problem: a stale year mention, to be replaced with the report year

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("核对结果", parent)
        self.setObjectName("problems")
        self.problems: list[Problem] = []
        self.imported: list[Problem] = []
        self._shown: list[tuple[str, str, str | None]] = []
        self._places: tuple = ()  # where the problems the items stand for are (see show_problems)
        self._year: int | None = None
        self._built = False
        # the list is built with the first check's results, which come right after the window's
        # first paint: until then the panel says what it is doing
        waiting = QLabel("正在核对…")
        waiting.setContentsMargins(8, 8, 8, 8)
        waiting.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setWidget(waiting)

    def _build(self) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QTreeWidget, QVBoxLayout

        self._built = True
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeWidget(body)
        self.tree.installEventFilter(_TreeKeys(self))
        self.tree.setHeaderLabels(["类别", "说明"])
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setRootIsDecorated(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setToolTip(HINT)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.currentItemChanged.connect(self._current_changed)
        layout.addWidget(self.tree)
        buttons = QHBoxLayout()
        self.dismiss_button = QPushButton("忽略此提醒(&D)…")
        self.dismiss_button.setToolTip("写明理由后忽略这条警告或提示（理由保存在报告文件中；错误不能忽略）")
        self.restore_button = QPushButton("恢复提醒(&R)")
        self.dismiss_button.clicked.connect(lambda: self._emit_for_current(self.dismiss))
        self.restore_button.clicked.connect(lambda: self._emit_for_current(self.restore))
        self.year_button = QPushButton("改为本年度")
        self.year_button.setToolTip("把这一句中过时的年份改为本报告年度（只改这一句，可撤销）")
        self.year_button.clicked.connect(lambda: self._emit_for_current(self.update_year))
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.year_button)
        buttons.addStretch(1)
        hint = QLabel(HINT)
        hint.setStyleSheet("color:#666;")
        buttons.addWidget(hint)
        layout.addLayout(buttons)
        self.setWidget(body)
        if self._year is not None:
            self.set_report_year(self._year)
        self._current_changed()

    def show_problems(self, problems: list[Problem], imported: list[Problem] | None = None) -> None:
        """The report's problems, then what the import of its source found (``imported``, a group
        of its own), then the dismissed ones of both."""
        if not self._built:
            self._build()
        imported = imported or []
        shown = [(p.id, p.message, p.dismissed) for p in (*problems, *imported)]
        if shown == self._shown:
            self.problems, self.imported = problems, imported
            return  # nothing the clerk would see changed: keep the list (and its scroll position)
        self._shown = shown
        # where each problem stands (its rule, cells, sections, fields): when no problem came or went, the
        # list keeps its items (and the clerk's selection) and only the words of those that changed (a
        # total typed changes the numbers, and the ids, of the problems it is in) are written and repainted
        places = (len(problems), [(p.rule, p.severity, p.cells, p.sections, p.fields, p.dismissed)
                                  for p in (*problems, *imported)])
        self.problems, self.imported = problems, imported
        if places == self._places:
            model = self.tree.model()
            lines = False  # a message with a line more or less: the rows are laid out again
            model.blockSignals(True)  # one repaint below, not one per item (each would cost ~40 µs)
            try:
                for item, problem in zip(self._items(), _listed(problems, imported), strict=True):
                    old = item.data(0, PROBLEM_ROLE).message
                    if old != problem.message:
                        lines = lines or old.count("\n") != problem.message.count("\n")
                        self._word(item, problem)
                    item.setData(0, PROBLEM_ROLE, problem)
            finally:
                model.blockSignals(False)
            if lines:
                self.tree.doItemsLayout()
            else:
                self.tree.viewport().update()
            self._current_changed()
            return
        self._places = places
        current = self.current_problem()
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        dismissed = [p for p in (*problems, *imported) if p.dismissed is not None]
        items = [self._add(None, problem) for problem in problems if problem.dismissed is None]
        groups = []
        for title, colour, members, expanded, tip in (
                (IMPORTED_GROUP, "#3a5a8a", [p for p in imported if p.dismissed is None], True, IMPORTED_TIP),
                (DISMISSED_GROUP, "#777777", dismissed, False, "")):
            if members:
                group = self._group(f"{title}（{len(members)}）", colour, tip)
                items += [self._add(group, problem) for problem in members]
                group.setExpanded(expanded)
                groups.append(group.text(0))
        restore = next((item for item in items if current is not None and item.data(0, PROBLEM_ROLE).id == current.id), None)
        if restore is not None:
            self.tree.setCurrentItem(restore)
        self._fit_category(groups)
        self.tree.setUpdatesEnabled(True)
        self._current_changed()

    def _group(self, text: str, colour: str, tip: str) -> QTreeWidgetItem:
        from PySide6.QtWidgets import QTreeWidgetItem

        group = QTreeWidgetItem([text, ""])
        group.setForeground(0, QBrush(QColor(colour)))
        if tip:
            group.setToolTip(0, tip)
        self.tree.addTopLevelItem(group)
        return group

    def _add(self, group: QTreeWidgetItem | None, problem: Problem) -> QTreeWidgetItem:
        item = self._item(problem)
        if group is None:
            self.tree.addTopLevelItem(item)
        else:
            group.addChild(item)
        return item

    def _fit_category(self, groups: list[str]) -> None:
        """类别 as wide as its words ("已忽略（3）" whole), measured here: asking the view to size the
        column to its contents would lay out every row on each keystroke."""
        metrics = self.tree.fontMetrics()
        words = [self.tree.headerItem().text(0), *groups, *SEVERITY_NAMES.values()]
        width = max(metrics.horizontalAdvance(word) for word in words) + self.tree.indentation() + 16
        if self.tree.columnWidth(0) < width:
            self.tree.setColumnWidth(0, width)

    def _item(self, problem: Problem) -> QTreeWidgetItem:
        from PySide6.QtWidgets import QTreeWidgetItem

        item = QTreeWidgetItem([SEVERITY_NAMES[problem.severity], ""])
        item.setForeground(0, QBrush(SEVERITY_COLOURS[problem.severity]))
        if problem.dismissed is not None:
            item.setForeground(1, QBrush(QColor("#777777")))
        self._word(item, problem)
        item.setData(0, PROBLEM_ROLE, problem)
        return item

    @staticmethod
    def _word(item: QTreeWidgetItem, problem: Problem) -> None:
        text = problem.message
        if problem.dismissed is not None:
            text += f"（已忽略：{problem.dismissed}）"
        item.setText(1, text)
        item.setToolTip(1, text)

    def current_problem(self) -> Problem | None:
        if not self._built:
            return None
        item = self.tree.currentItem()
        return item.data(0, PROBLEM_ROLE) if item is not None else None

    def item_for(self, rule: str) -> QTreeWidgetItem | None:
        """The first item of a rule not dismissed (for tests and for jumping from elsewhere)."""
        if not self._built:
            return None
        for item in self._items():
            problem = item.data(0, PROBLEM_ROLE)
            if problem.rule == rule and problem.dismissed is None:
                return item
        return None

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        problem = item.data(0, PROBLEM_ROLE)
        if problem is not None:
            self.jump.emit(problem)

    def _items(self) -> list[QTreeWidgetItem]:
        """Every problem's item, in list order (the import's next, the dismissed ones last)."""
        items = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            items += [top] if top.data(0, PROBLEM_ROLE) is not None else [top.child(j) for j in range(top.childCount())]
        return items

    def step(self, step: int) -> Problem | None:
        """Make the next (+1) or previous (−1) live problem current, wrapping round; returns it."""
        if not self._built:
            return None
        items = [item for item in self._items() if item.data(0, PROBLEM_ROLE).dismissed is None]
        if not items:
            return None
        current = self.tree.currentItem()
        position = items.index(current) if current in items else (-1 if step > 0 else len(items))
        item = items[(position + step) % len(items)]
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return item.data(0, PROBLEM_ROLE)

    def select(self, problem_id: str) -> None:
        """Make a problem's item current (a dismissal just undone or redone)."""
        if not self._built:
            return
        for item in self._items():
            if item.data(0, PROBLEM_ROLE).id == problem_id:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return

    def _current_changed(self, *_args: object) -> None:
        problem = self.current_problem()
        self.dismiss_button.setEnabled(problem is not None and problem.severity != ERROR and problem.dismissed is None)
        self.restore_button.setEnabled(problem is not None and problem.dismissed is not None)
        # a rule's summary ("另有N处同类问题未列出") names no phrase to change
        stale = problem is not None and problem.rule == "text.stale_year" and bool(problem.spans)
        self.year_button.setVisible(stale)

    def set_report_year(self, year: int) -> None:
        self._year = year
        if self._built:
            self.year_button.setText(f"改为{year}年(&Y)")

    def _emit_for_current(self, signal: Signal) -> None:
        problem = self.current_problem()
        if problem is not None:
            signal.emit(problem)
