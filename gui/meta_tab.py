"""The 基本信息 tab: agency, year (which decides the format), 成文日期, title, 采购总金额 unit, preamble."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.keys import pass_window_keys
from gui.text_editor import SectionPage, TextEdit
from model.formats import format_for_year
from model.report import PROCUREMENT_UNITS, Report, default_title

MetaEdit = Callable[..., None]  # keyword changes → one undo step


class MetaTab(QWidget):
    def __init__(self, on_meta: MetaEdit, on_year: Callable[[int], None], on_text: TextEdit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_meta = on_meta
        self.on_year = on_year
        self._updating = False
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        self.agency = QLineEdit()
        pass_window_keys(self.agency)
        self.agency.setPlaceholderText("落款使用的机关全称，如：城步苗族自治县商务局")
        self.agency.editingFinished.connect(self._agency_done)
        form.addRow("机关名称：", self.agency)

        self.year = QSpinBox()
        self.year.setRange(2019, 2100)
        self.year.setKeyboardTracking(False)
        self.year.setSuffix(" 年度")
        self.year.setMaximumWidth(160)
        self.year.valueChanged.connect(self._year_changed)
        form.addRow("报告年度：", self.year)

        self.format_label = QLabel()
        self.format_label.setWordWrap(True)
        form.addRow("报告格式：", self.format_label)

        date_row = QHBoxLayout()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.date.dateChanged.connect(self._date_changed)
        self.no_date = QCheckBox("暂不填写")
        self.no_date.toggled.connect(self._no_date_toggled)
        date_row.addWidget(self.date)
        date_row.addWidget(self.no_date)
        date_row.addStretch(1)
        form.addRow("成文日期：", date_row)

        self.title = QLineEdit()
        pass_window_keys(self.title)
        self.title.editingFinished.connect(self._title_done)
        form.addRow("报告标题：", self.title)

        self.unit = QComboBox()
        self.unit.setMaximumWidth(160)
        self.unit.addItems(list(PROCUREMENT_UNITS))
        self.unit.currentTextChanged.connect(self._unit_changed)
        self.unit_label = QLabel("采购总金额单位：")
        form.addRow(self.unit_label, self.unit)

        self.baseline = QLabel()
        self.baseline.setWordWrap(True)
        form.addRow("上年报告：", self.baseline)
        outer.addLayout(form)

        self.preamble = SectionPage(
            "preamble", on_text,
            hint="前言（可不填）：编制依据、统计期限、报告获取方式、联系方式等，位于标题之后、“一、总体情况”之前。",
        )
        outer.addWidget(self.preamble, 1)

    # ---- model → widgets -------------------------------------------------------------------
    def show_report(self, report: Report) -> None:
        self._updating = True
        try:
            meta = report.meta
            if self.agency.text() != meta.agency:
                self.agency.setText(meta.agency)
            self.year.setValue(meta.year)
            fmt = report.format
            needed = format_for_year(meta.year)
            explanation = f"{fmt.name}（{fmt.issued_by}）"
            explanation += "，适用于2019、2020年度报告" if fmt.id == "gov-2019" else "，适用于2021年度及以后的报告"
            if needed.id != fmt.id:
                explanation += f"。注意：{meta.year}年度应使用{needed.name}"
            self.format_label.setText(explanation)
            self.no_date.setChecked(meta.date is None)
            self.date.setEnabled(meta.date is not None)
            shown = meta.date or dt.date(meta.year + 1, 1, 20)
            self.date.setDate(QDate(shown.year, shown.month, shown.day))
            if self.title.text() != (meta.title or ""):
                self.title.setText(meta.title or "")
            self.title.setPlaceholderText(f"默认：{default_title(meta.agency or '〈机关名称〉', meta.year)}")
            self.unit.setCurrentText(meta.procurement_unit)
            last = report.last_year
            self.baseline.setText(
                f"已载入{last.year}年度报告的全部数据，用于核对上年结转、现行有效件数衔接、文字是否照抄等"
                if last else "未载入（“文件 → 载入上年报告用于核对”可载入，或“从上年报告新建”）")
            is_2019 = fmt.id == "gov-2019"
            self.unit.setVisible(is_2019)
            self.unit_label.setVisible(is_2019)
        finally:
            self._updating = False

    # ---- widgets → model -------------------------------------------------------------------
    def _agency_done(self) -> None:
        if not self._updating:
            self.on_meta(agency=self.agency.text().strip())

    def _title_done(self) -> None:
        if not self._updating:
            text = self.title.text().strip()
            self.on_meta(title=text or None)

    def _year_changed(self, year: int) -> None:
        if not self._updating:
            self.on_year(year)

    def _date_changed(self, date: QDate) -> None:
        if not self._updating and not self.no_date.isChecked():
            self.on_meta(date=dt.date(date.year(), date.month(), date.day()))

    def _no_date_toggled(self, checked: bool) -> None:
        if self._updating:
            return
        if checked:
            self.on_meta(date=None)
        else:
            date = self.date.date()
            self.on_meta(date=dt.date(date.year(), date.month(), date.day()))

    def _unit_changed(self, unit: str) -> None:
        if not self._updating and unit:
            self.on_meta(procurement_unit=unit)
