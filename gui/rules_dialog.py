"""帮助 → 核对规则: every rule the report is held to, as the catalogue lists it (model.catalogue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import dialogs
from gui.problems import SEVERITY_COLOURS
from model.catalogue import catalogue

COLUMNS = ["规则", "严重程度", "说明"]
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the rule's id (requests.balance): in the tooltip, not a column


class RulesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rules")
        self.setWindowTitle("核对规则")
        dialogs.fit_size(self, 1200, 680)
        layout = QVBoxLayout(self)
        intro = QLabel("年报助手在填写时随时按下列规则核对报告。错误必须修改；警告和提示可以写明理由后忽略。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("筛选：输入规则名称或说明中的字词")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        layout.addWidget(self.filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for info in catalogue():
            group = groups.get(info.group)
            if group is None:
                group = groups[info.group] = QTreeWidgetItem([info.group])
                self.tree.addTopLevelItem(group)
            item = QTreeWidgetItem([info.name, info.severity_name, info.explanation])
            item.setForeground(1, QBrush(SEVERITY_COLOURS[info.severity]))
            item.setToolTip(0, f"{info.name}（编号 {info.id}）")  # the id, for whoever meets it in a log
            item.setToolTip(2, info.explanation)
            item.setData(0, ID_ROLE, info.id)
            group.addChild(item)
        self.tree.expandAll()
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)  # long explanations wrap
        header = self.tree.header()
        header.setStretchLastSection(False)
        self.tree.setColumnWidth(0, 230)
        self.tree.setColumnWidth(1, 64)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def rows(self) -> list[list[str]]:
        """The visible rules, as the clerk reads them, each with its id last (for tests and for copying)."""
        shown = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                if not item.isHidden():
                    shown.append(self._row(item))
        return shown

    @staticmethod
    def _row(item: QTreeWidgetItem) -> list[str]:
        return [*(item.text(c) for c in range(len(COLUMNS))), item.data(0, ID_ROLE)]

    def apply_filter(self, text: str) -> None:
        words = text.split()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            visible = 0
            for j in range(group.childCount()):
                item = group.child(j)
                haystack = " ".join(self._row(item))  # an id a log names finds its rule too
                hidden = not all(word in haystack for word in words)
                item.setHidden(hidden)
                visible += not hidden
            group.setHidden(visible == 0)


def show_rules(parent: QWidget | None) -> RulesDialog:
    """One non-modal catalogue per window, brought to the front when asked again."""
    dialog: RulesDialog | None = parent.findChild(RulesDialog, "rules", Qt.FindChildOption.FindDirectChildrenOnly) if parent else None
    if dialog is None:
        dialog = RulesDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
