"""The layout of the Word document as data (a "profile"): page, fonts and the layout choices an
office may have. GB/T 9704-2012 is the default; a local 公开办's house style, a sealed signature or a
centred page number is another Profile — a change of data, never a second writer.

A report remembers its profile (the .nianbao file's ``profile`` object holds the fields that differ
from GB/T 9704); a profile file (``{"nianbao_profile": 1, …}``) carries one between offices and to
``nianbao export --profile FILE``. Lengths are in millimetres and font sizes in points, as a clerk
reads them in Word.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from model.values import clean_text

PROFILE_FILE_VERSION = 1
MAX_PROFILE_BYTES = 64 * 1024
PROFILE_SUFFIX = ".json"

SIGNATURES = {"unsealed": "不加盖印章", "sealed": "加盖印章"}
PAGE_NUMBER_POSITIONS = {"outside": "单页码居右、双页码居左", "right": "均居右", "centre": "居中"}
DATE_STYLES = {"arabic": "阿拉伯数字", "chinese": "汉字"}
CHOICES = {"signature": SIGNATURES, "page_numbers": PAGE_NUMBER_POSITIONS, "date_style": DATE_STYLES}

LABELS = {
    "name": "版式名称", "margin_top": "上边距", "margin_bottom": "下边距", "margin_left": "左边距",
    "margin_right": "右边距", "lines_per_page": "每页行数", "chars_per_line": "每行字数", "title_font": "标题字体",
    "title_size": "标题字号", "body_font": "正文字体", "body_size": "正文字号", "heading1_font": "一级标题字体",
    "heading2_font": "二级标题字体", "latin_font": "数字和西文字体", "table_font": "表格字体", "table_size": "表格字号",
    "narrow_table_size": "表四字号", "page_number_font": "页码字体", "page_number_size": "页码字号",
    "page_number_gap": "页码距版心", "signature": "署名方式", "page_numbers": "页码位置", "date_style": "成文日期写法",
}
# the allowed range of each number, with its unit for the messages
RANGES: dict[str, tuple[float, float, str]] = {
    "margin_top": (10, 60, "毫米"), "margin_bottom": (10, 60, "毫米"), "margin_left": (10, 60, "毫米"),
    "margin_right": (10, 60, "毫米"), "lines_per_page": (10, 40, "行"), "chars_per_line": (15, 40, "字"),
    "title_size": (9, 42, "磅"), "body_size": (9, 26, "磅"), "table_size": (7, 16, "磅"), "narrow_table_size": (6, 14, "磅"),
    "page_number_size": (7, 22, "磅"), "page_number_gap": (0, 20, "毫米"),
}
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0  # A4 portrait: the structure stays


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the field, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Profile:
    name: str = "GB/T 9704"
    margin_top: float = 37.0  # mm: type area 156 × 225 mm on A4
    margin_bottom: float = 35.0
    margin_left: float = 28.0
    margin_right: float = 26.0
    lines_per_page: int = 22
    chars_per_line: int = 28
    title_font: str = "方正小标宋简体"
    title_size: float = 22.0  # 二号
    body_font: str = "仿宋_GB2312"
    body_size: float = 16.0  # 三号
    heading1_font: str = "黑体"
    heading2_font: str = "楷体_GB2312"
    latin_font: str = "Times New Roman"  # digits and Latin letters in the text and tables
    table_font: str = "仿宋_GB2312"
    table_size: float = 10.5  # 五号
    narrow_table_size: float = 9.0  # 小五: table 四's 15 columns
    page_number_font: str = "宋体"  # digits and dashes alike (4号半角宋体阿拉伯数字)
    page_number_size: float = 14.0  # 四号
    page_number_gap: float = 7.0  # mm from the type area's lower edge to the top of the dashes (7.5.2)
    page_numbers: str = "outside"  # see PAGE_NUMBER_POSITIONS
    signature: str = "unsealed"  # 7.3.5.2; "sealed": 7.3.5.1
    date_style: str = "arabic"  # "chinese": 二〇二七年一月二十日, for offices that still write it so

    @property
    def text_width_mm(self) -> float:
        return PAGE_WIDTH_MM - self.margin_left - self.margin_right

    @property
    def text_height_mm(self) -> float:
        return PAGE_HEIGHT_MM - self.margin_top - self.margin_bottom

    @property
    def fonts(self) -> tuple[str, ...]:
        """Every font the document names, each once, in a stable order."""
        names = (self.title_font, self.body_font, self.heading1_font, self.heading2_font, self.latin_font,
                 self.table_font, self.page_number_font)
        return tuple(dict.fromkeys(names))


GB_T_9704 = Profile()
BUILTIN: dict[str, Profile] = {
    "gbt9704": GB_T_9704,
    "gbt9704-sealed": replace(GB_T_9704, name="GB/T 9704（加盖印章）", signature="sealed"),
}
_DEFAULTS = asdict(GB_T_9704)


def _check(name: str, value: object) -> object:
    """The value of field ``name`` as the Profile holds it, or ProfileError."""
    label = LABELS[name]
    default = _DEFAULTS[name]
    if isinstance(default, str):
        if not isinstance(value, str) or not value.strip():
            raise ProfileError(f"{label}应是非空的文字")
        value = value.strip()
        if name in CHOICES:
            if value not in CHOICES[name]:
                allowed = "、".join(f"{key}（{text}）" for key, text in CHOICES[name].items())
                raise ProfileError(f"{label}“{value}”无效，应为 {allowed}")
        elif (len(value) > (40 if name == "name" else 31) or any(ord(ch) < 32 or ch in '<>&"\\' for ch in value)
              or clean_text(value) != value):  # DEL, U+FFFE/U+FFFF, a lone surrogate: no Word file holds them
            raise ProfileError(f"{label}“{value[:40]}”不是有效的名称")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ProfileError(f"{label}应是数字")
    low, high, unit = RANGES[name]
    if isinstance(default, int) and not float(value).is_integer():
        raise ProfileError(f"{label}应是整数")
    if not low <= value <= high:
        raise ProfileError(f"{label}{value:g}{unit}超出范围（应在 {low:g} 到 {high:g}{unit}之间）")
    if name.endswith("_size") and not float(value * 2).is_integer():
        raise ProfileError(f"{label}应是 0.5 磅的整数倍")
    return int(value) if isinstance(default, int) else float(value)


def _check_whole(profile: Profile) -> Profile:
    """What no single field shows: characters and lines that fit the type area."""
    pitch = profile.text_width_mm / profile.chars_per_line * 72 / 25.4  # points per character
    if not 0.8 * profile.body_size <= pitch <= 1.25 * profile.body_size:
        raise ProfileError(f"每行{profile.chars_per_line}字与正文字号{profile.body_size:g}磅不相称："
                           f"版心宽 {profile.text_width_mm:g} 毫米，每字只有 {pitch:.1f} 磅")
    line = profile.text_height_mm / profile.lines_per_page * 72 / 25.4
    if line < 1.2 * profile.body_size:
        raise ProfileError(f"每页{profile.lines_per_page}行太密：版心高 {profile.text_height_mm:g} 毫米，"
                           f"行距只有 {line:.1f} 磅，容不下{profile.body_size:g}磅的正文")
    if profile.page_number_gap + profile.page_number_size * 1.3 * 25.4 / 72 > profile.margin_bottom - 5:
        raise ProfileError("下边距太小，放不下页码")
    return profile


def profile_from_json(data: object, base: Profile = GB_T_9704) -> Profile:
    """A profile from its JSON object (the fields that differ from ``base``); ProfileError names
    the first field that is wrong."""
    if not isinstance(data, dict):
        raise ProfileError("版式设置应是一个对象")
    known = {f.name for f in fields(Profile)}
    changes = {}
    for key, value in data.items():
        if key not in known:
            raise ProfileError(f"未知的版式设置项“{key}”")
        changes[key] = _check(key, value)
    return _check_whole(replace(base, **changes))


def profile_to_json(profile: Profile) -> dict[str, object]:
    """The fields that differ from GB/T 9704 (empty for the standard itself)."""
    return {key: value for key, value in asdict(profile).items() if value != _DEFAULTS[key]}


def validated(profile: Profile) -> Profile:
    """``profile`` checked field by field and as a whole (one built in code, or edited in the window)."""
    return profile_from_json(profile_to_json(profile))


def load_profile_file(path: str | os.PathLike) -> Profile:
    """A profile file (``{"nianbao_profile": 1, "name": …, …}``), read within a size limit."""
    path = Path(path)
    if path.is_dir():
        raise ProfileError(f"“{path}”是文件夹，不是版式文件")
    if path.exists() and not path.is_file():  # a device or a pipe: never read
        raise ProfileError(f"“{path}”不是普通文件，不是版式文件")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        raise ProfileError(f"找不到版式文件“{path}”") from None
    except OSError as error:
        raise ProfileError(f"无法读取版式文件“{path}”：{error.strerror or error}") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(f"“{path.name}”太大，不是年报助手的版式文件")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except ValueError:
        raise ProfileError(f"“{path.name}”不是年报助手的版式文件（不是 UTF-8 的 JSON）") from None
    if not isinstance(data, dict) or not isinstance(data.get("nianbao_profile"), int):
        raise ProfileError(f"“{path.name}”不是年报助手的版式文件（缺少 nianbao_profile）")
    version = data.pop("nianbao_profile")
    if version > PROFILE_FILE_VERSION:
        raise ProfileError(f"“{path.name}”是较新版本的年报助手保存的版式文件，请升级年报助手")
    try:
        return profile_from_json(data)
    except ProfileError as error:
        raise ProfileError(f"版式文件“{path.name}”有误：{error.message}") from None


def profile_file_text(profile: Profile) -> str:
    data = {"nianbao_profile": PROFILE_FILE_VERSION, "name": profile.name, **profile_to_json(profile)}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def resolve_profile(name_or_path: str) -> Profile:
    """A built-in profile by its name (``gbt9704``, ``gbt9704-sealed``) or a profile file."""
    builtin = BUILTIN.get(name_or_path.strip().lower())
    if builtin is not None:
        return builtin
    path = Path(name_or_path)
    if path.suffix.lower() != PROFILE_SUFFIX and not path.exists():
        raise ProfileError(f"未知的版式“{name_or_path}”：可用 {'、'.join(BUILTIN)}，或版式文件（{PROFILE_SUFFIX}）")
    return load_profile_file(path)
