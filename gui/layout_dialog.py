"""文件 → 页面与版式…: the Word document's layout for this report (model/profile.py) in a small dialog.

The choice is the report's own: it is saved in the .nianbao file, travels with it to a colleague
and to next year's report, and goes through the undo stack like every other change. A profile
file (.json) carries a 公开办's house style between offices and to ``nianbao export --profile``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui import dialogs
from model.profile import (
    BUILTIN,
    DATE_STYLES,
    GB_T_9704,
    PAGE_NUMBER_POSITIONS,
    PROFILE_SUFFIX,
    RANGES,
    SIGNATURES,
    Profile,
    ProfileError,
    load_profile_file,
    profile_file_text,
    validated,
)
from model.report import Report
from model.store import StoreError, write_atomic

if TYPE_CHECKING:
    from gui.main_window import MainWindow

PROFILE_FILTER = "年报助手版式文件 (*.json)"
CUSTOM_NAME = "自定义版式"

SIGNATURE_TEXTS = {
    "unsealed": "不加盖印章：署名右空二字，日期首字比署名首字右移二字（GB/T 9704 7.3.5.2）",
    "sealed": "加盖印章：成文日期右空四字，署名以日期为准居中（GB/T 9704 7.3.5.1）",
}
DATE_TEXTS = {"arabic": "阿拉伯数字：2027年1月20日（GB/T 9704）", "chinese": "汉字：二〇二七年一月二十日"}
PAGE_NUMBER_TEXTS = {
    "outside": "单页码居右、双页码居左，各空一字（GB/T 9704，双面印刷）",
    "right": "均居右空一字（单面印刷）",
    "centre": "居中",
}
assert SIGNATURE_TEXTS.keys() == SIGNATURES.keys() and DATE_TEXTS.keys() == DATE_STYLES.keys()
assert PAGE_NUMBER_TEXTS.keys() == PAGE_NUMBER_POSITIONS.keys()

SIZE_NAMES = (("初号", 42), ("小初", 36), ("一号", 26), ("小一", 24), ("二号", 22), ("小二", 18), ("三号", 16),
              ("小三", 15), ("四号", 14), ("小四", 12), ("五号", 10.5), ("小五", 9), ("六号", 7.5))
FONT_CHOICES = {
    "title_font": ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体"),
    "body_font": ("仿宋_GB2312", "仿宋", "方正仿宋_GBK", "方正仿宋简体"),
    "heading1_font": ("黑体", "方正黑体_GBK", "方正黑体简体"),
    "heading2_font": ("楷体_GB2312", "楷体", "方正楷体_GBK", "方正楷体简体"),
    "table_font": ("仿宋_GB2312", "仿宋", "方正仿宋_GBK", "宋体"),
    "page_number_font": ("宋体", "Times New Roman"),
    "latin_font": ("Times New Roman",),
}
FONT_ROWS = (("标题", "title_font", "title_size"), ("正文", "body_font", "body_size"),
             ("一级标题“一、”", "heading1_font", None), ("二级标题“（一）”", "heading2_font", None),
             ("表格", "table_font", "table_size"), ("表四（15 栏）", None, "narrow_table_size"),
             ("页码", "page_number_font", "page_number_size"), ("数字和西文", "latin_font", None))
MARGINS = (("上", "margin_top"), ("下", "margin_bottom"), ("左", "margin_left"), ("右", "margin_right"))


class SetProfile(QUndoCommand):
    def __init__(self, report: Report, profile: Profile) -> None:
        super().__init__("修改页面与版式")
        self.report = report
        self.new = profile
        self.old = report.profile

    def redo(self) -> None:
        self.report.set_profile(self.new)

    def undo(self) -> None:
        self.report.set_profile(self.old)


def _size_text(points: float) -> str:
    name = next((name for name, size in SIZE_NAMES if size == points), None)
    return f"{name}（{points:g} 磅）" if name else f"{points:g} 磅"


class LayoutDialog(QDialog):
    """Every field of a profile, the standard one a click away; OK only when the whole is usable."""

    def __init__(self, parent: QWidget | None, profile: Profile, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("页面与版式")
        self.folder = folder
        self.base = profile  # what the dialog opened with, or the file last loaded: its name is kept
        self.choices: dict[str, QComboBox] = {}
        self.fonts: dict[str, QComboBox] = {}
        self.sizes: dict[str, QComboBox] = {}
        self.numbers: dict[str, QSpinBox | QDoubleSpinBox] = {}

        layout = QVBoxLayout(self)
        self.name_label = QLabel()
        layout.addWidget(self.name_label)
        # two columns, so that the dialog fits a 1366 × 768 screen with a taskbar (one column was
        # 746 px tall): the document's parts on the left, its fonts on the right
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout.addLayout(columns)

        signature = QGroupBox("署名和成文日期")
        form = QFormLayout(signature)
        form.addRow("署名方式", self._choice("signature", SIGNATURE_TEXTS))
        form.addRow("成文日期写法", self._choice("date_style", DATE_TEXTS))
        left.addWidget(signature)

        numbers = QGroupBox("页码")
        form = QFormLayout(numbers)
        form.addRow("位置", self._choice("page_numbers", PAGE_NUMBER_TEXTS))
        form.addRow("一字线距版心下边缘", self._number("page_number_gap", decimals=1))
        left.addWidget(numbers)

        fonts = QGroupBox("字体和字号")
        grid = QGridLayout(fonts)
        for row, (label, font, size) in enumerate(FONT_ROWS):
            grid.addWidget(QLabel(label), row, 0)
            if font:
                grid.addWidget(self._font(font), row, 1)
            if size:
                grid.addWidget(self._size(size), row, 2)
        right.addWidget(fonts)
        right.addStretch(1)

        page = QGroupBox("页面（A4）")
        grid = QGridLayout(page)
        for i, (label, name) in enumerate(MARGINS):
            grid.addWidget(QLabel(f"{label}边距"), i // 2, (i % 2) * 2)
            grid.addWidget(self._number(name, decimals=1), i // 2, (i % 2) * 2 + 1)
        grid.addWidget(QLabel("每页行数"), 2, 0)
        grid.addWidget(self._number("lines_per_page"), 2, 1)
        grid.addWidget(QLabel("每行字数"), 2, 2)
        grid.addWidget(self._number("chars_per_line"), 2, 3)
        left.addWidget(page)
        left.addStretch(1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        layout.addWidget(self.error)

        files = QHBoxLayout()
        for text, slot in (("恢复国家标准", self.restore_standard), ("载入版式文件…", self.load_file),
                           ("保存为版式文件…", self.save_file)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            files.addWidget(button)
        files.addStretch(1)
        layout.addLayout(files)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.show_profile(profile)

    # ---- widgets ---------------------------------------------------------------------------
    def _choice(self, name: str, texts: dict[str, str]) -> QComboBox:
        box = QComboBox()
        for key, text in texts.items():
            box.addItem(text, key)
        box.currentIndexChanged.connect(self._changed)
        self.choices[name] = box
        return box

    def _font(self, name: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.addItems(FONT_CHOICES[name])
        box.setMinimumContentsLength(16)  # "Times New Roman", "方正小标宋简体" whole
        box.currentTextChanged.connect(self._changed)
        self.fonts[name] = box
        return box

    def _size(self, name: str) -> QComboBox:
        box = QComboBox()
        box.currentIndexChanged.connect(self._changed)
        self.sizes[name] = box
        return box

    def _number(self, name: str, decimals: int = 0) -> QSpinBox | QDoubleSpinBox:
        low, high, unit = RANGES[name]
        spin: QSpinBox | QDoubleSpinBox
        if decimals:
            spin = QDoubleSpinBox()
            spin.setDecimals(decimals)
            spin.setSingleStep(0.5)
        else:
            spin = QSpinBox()
        spin.setRange(low, high)  # type: ignore[arg-type]
        spin.setSuffix(f" {unit}")
        spin.valueChanged.connect(self._changed)
        self.numbers[name] = spin
        return spin

    # ---- profile ⇄ widgets -------------------------------------------------------------------
    def show_profile(self, profile: Profile) -> None:
        self._showing = True
        try:
            for name, box in self.choices.items():
                box.setCurrentIndex(box.findData(getattr(profile, name)))
            for name, box in self.fonts.items():
                box.setCurrentText(getattr(profile, name))
            low_high = {name: RANGES[name][:2] for name in self.sizes}
            for name, box in self.sizes.items():
                value = getattr(profile, name)
                sizes = [size for _n, size in SIZE_NAMES if low_high[name][0] <= size <= low_high[name][1]]
                if value not in sizes:
                    sizes.append(value)
                box.clear()
                for size in sorted(sizes, reverse=True):
                    box.addItem(_size_text(size), size)
                box.setCurrentIndex(box.findData(value))
            for name, spin in self.numbers.items():
                spin.setValue(getattr(profile, name))
        finally:
            self._showing = False
        self._changed()

    def fields(self) -> dict[str, object]:
        values: dict[str, object] = {name: box.currentData() for name, box in self.choices.items()}
        values.update({name: box.currentText().strip() for name, box in self.fonts.items()})
        values.update({name: box.currentData() for name, box in self.sizes.items()})
        values.update({name: spin.value() for name, spin in self.numbers.items()})
        return values

    def profile(self) -> Profile:
        """The profile the fields describe, named after what it is (ProfileError when unusable)."""
        chosen = replace(self.base, **self.fields())  # type: ignore[arg-type]
        for candidate in (self.base, *BUILTIN.values()):
            if replace(chosen, name=candidate.name) == candidate:
                return validated(candidate)
        return validated(replace(chosen, name=CUSTOM_NAME))

    def _changed(self, *_args: object) -> None:
        if getattr(self, "_showing", True):
            return
        try:
            profile = self.profile()
        except ProfileError as error:
            self.error.setText(error.message)
            self.name_label.setText("版式：（设置有误）")
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.error.setText("")
        self.name_label.setText(f"版式：{profile.name}")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    # ---- buttons ---------------------------------------------------------------------------
    def restore_standard(self) -> None:
        self.base = GB_T_9704
        self.show_profile(GB_T_9704)

    def load_file(self) -> None:
        path = dialogs.ask_open_path(self, "载入版式文件", str(self.folder or ""), PROFILE_FILTER)
        if path is None:
            return
        try:
            profile = load_profile_file(path)
        except ProfileError as error:
            dialogs.warn(self, "无法载入版式", error.message)
            return
        self.base = profile
        self.show_profile(profile)

    def save_file(self) -> None:
        try:
            profile = self.profile()
        except ProfileError as error:
            dialogs.warn(self, "版式设置有误", error.message)
            return
        suggested = (self.folder or Path.home()) / f"{profile.name.replace('/', '_')}{PROFILE_SUFFIX}"
        path = dialogs.ask_save_path(self, "保存为版式文件", suggested, PROFILE_FILTER, PROFILE_SUFFIX)
        if path is None:
            return
        if profile.name == CUSTOM_NAME:
            profile = replace(profile, name=path.stem[:40])  # a house style is called what its file is called
        text = profile_file_text(profile)
        try:
            write_atomic(path, lambda handle: handle.write(text))  # type: ignore[attr-defined]
        except StoreError as error:
            dialogs.warn(self, "无法保存版式", error.message)
            return
        self.base = profile
        self._changed()


def edit_layout(window: MainWindow) -> None:
    """文件 → 页面与版式…: the dialog; a change goes through the undo stack (the report is then unsaved)."""
    dialog = LayoutDialog(window, window.report.profile, window.path.parent if window.path else None)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    profile = dialog.profile()
    if profile != window.report.profile:
        window.undo_stack.push(SetProfile(window.report, profile))
        window.statusBar().showMessage(f"Word 文档版式：{profile.name}（导出 Word 时使用，随报告保存）", 10000)

