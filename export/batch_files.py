"""Which files in a folder are reports to check, and the list of units that should have sent one.

Every suffix the importer reads (``export.reading.SUFFIXES``: when it learns .pdf, the batch
does too) and our own ``.nianbao``. Office lock files, hidden files and backups are passed over
in silence; a file of another kind is listed as skipped; a "file" that is a device, a pipe or a
broken link, or one larger than a report can be, is a row that could not be read — found here,
before any reader touches it.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from export.importing import ImportFailed
from export.reading import SUFFIXES as IMPORT_SUFFIXES
from model import limits
from model.files import Refused, read_limited, size_text
from model.oserrors import describe, logged
from model.store import SUFFIX as REPORT_SUFFIX

READ_SUFFIXES: tuple[str, ...] = (REPORT_SUFFIX, *IMPORT_SUFFIXES)
RESULT_KEYWORDS = "年报助手核对结果"  # the mark in our own result workbooks (never read as a report)
_QUIET = (".bak", ".tmp", ".lnk", ".ini", ".db", ".ds_store")
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z")
MAX_ARCHIVE_ENTRIES = 2000  # a unit's zip holds a few files; more is not listed
MAX_ARCHIVE_DIRECTORY = 1 * limits.MiB


@dataclass(frozen=True)
class Found:
    path: Path
    size: int = 0
    refused: str | None = None  # why it is not read at all (a device, too large)
    mtime: float = 0.0  # when the file was last changed (which of two versions is newer)


@dataclass(frozen=True)
class Archive:
    """A compressed folder (.zip, .rar, .7z): not read, but it may hold a unit's report."""

    path: Path
    reports: tuple[str, ...] | None  # the report files inside (their names), None when not listed

    @property
    def reason(self) -> str:
        """Why it was not checked, and what to do, in the clerk's words."""
        if self.reports is None:
            return "压缩包：请解压后再核对"
        if not self.reports:
            return "压缩包：其中没有报告文件"
        names = "、".join(f"“{name}”" for name in self.reports[:3])
        more = f"等{len(self.reports)}个" if len(self.reports) > 3 else ""
        return f"压缩包：内有{names}{more}报告文件，请解压后再核对"


@dataclass(frozen=True)
class Discovery:
    files: list[Found]
    skipped: list[Path]  # files of a kind that is not a report
    archives: list[Archive] = field(default_factory=list)
    passed: list[tuple[Path, str]] = field(default_factory=list)  # folders not entered, and why (a link, no permission)


def _quiet(name: str) -> bool:
    lower = name.lower()
    return name.startswith((".", "~$", ".~lock")) or lower.endswith(_QUIET) or lower == "thumbs.db"


LINKED_FOLDER = "链接的文件夹，未进入（批量核对不跟随文件夹链接）"
LINK_BROKEN = "链接指向的文件不存在，或没有权限读取"
LINK_LOOP = "循环链接（链接最终指向它自己），未读取"
LINK_OUTSIDE = "链接指向本文件夹之外的文件，未读取（请把报告文件本身放入文件夹）"
NOT_REGULAR = "不是普通文件（设备、管道等），未读取"


def _real(path: Path | str) -> str:
    """The path with every link resolved, never raising (a loop stays unresolved where it loops)."""
    try:
        return os.path.realpath(path)
    except (OSError, RuntimeError, ValueError):
        return os.path.abspath(path)


def _linked_folder(path: Path) -> bool:
    """A symbolic link, or on Windows any reparse point (a junction, which Python before 3.12 does not call a
    link, and which os.walk would enter)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISLNK(info.st_mode) or bool(getattr(info, "st_file_attributes", 0) & 0x400)  # REPARSE_POINT


def _within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # (another drive on Windows)
        return False


def discover(folder: Path, *, exclude: tuple[Path, ...] = ()) -> Discovery:
    """Every report file under ``folder`` (sorted by path). Linked folders are never entered (a link to a
    parent, or a loop, cannot make the walk endless), and are listed as passed over; a linked file is read
    only when it points to a file inside ``folder`` (a link to elsewhere is a row that was not read)."""
    excluded = {_real(p) for p in exclude}
    top = _real(folder)
    files: list[Found] = []
    skipped: list[Path] = []
    archives: list[Archive] = []
    passed: list[tuple[Path, str]] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        passed.append((where, f"文件夹无法打开：{describe(error)}，其中的文件未核对"))

    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=False):
        entered = []
        for name in sorted(dirs):
            path = Path(root) / name
            if name.startswith(".") or _real(path) in excluded:
                continue
            if _linked_folder(path):
                passed.append((path, LINKED_FOLDER))
                continue
            entered.append(name)
        dirs[:] = entered
        for name in sorted(names):
            path = Path(root) / name
            if _quiet(name) or _real(path) in excluded:
                continue
            suffix = path.suffix.lower()
            if suffix in ARCHIVE_SUFFIXES:
                archives.append(Archive(path, archive_reports(path) if suffix == ".zip" else None))
            elif suffix not in READ_SUFFIXES:
                skipped.append(path)
            else:
                files.append(_examine(path, top))
    files.sort(key=lambda f: str(f.path))
    return Discovery(files, sorted(skipped), sorted(archives, key=lambda a: str(a.path)), sorted(passed))


def _examine(path: Path, top: str | None = None) -> Found:
    link = path.is_symlink()
    try:
        info = path.stat()  # follows a link; stat never blocks on a pipe or a device
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Found(path, 0, LINK_LOOP)
        return Found(path, 0, LINK_BROKEN if link else f"无法读取：{describe(error)}")
    if not stat.S_ISREG(info.st_mode):
        return Found(path, 0, NOT_REGULAR)
    if link and top is not None and not _within(_real(path), top):
        return Found(path, 0, LINK_OUTSIDE)
    limit = limits.MAX_REPORT_FILE_BYTES if path.suffix.lower() == REPORT_SUFFIX else limits.MAX_SOURCE_FILE_BYTES
    if info.st_size > limit:
        return Found(path, info.st_size, f"文件过大（{info.st_size / limits.MiB:.0f} MB，报告文件不超过{limit // limits.MiB} MB），未读取")
    return Found(path, info.st_size, mtime=info.st_mtime)


def archive_reports(path: Path) -> tuple[str, ...] | None:
    """The names of the report files in a .zip, from its central directory alone (nothing is
    unpacked), or None when it cannot be listed within limits: a damaged or ZIP64 archive, more
    than MAX_ARCHIVE_ENTRIES entries, a directory larger than MAX_ARCHIVE_DIRECTORY. Names that
    Chinese Windows stored in GBK (without the UTF-8 flag) are read as such."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None
        with open(path, "rb") as handle:
            tail_size = min(info.st_size, 22 + 0xFFFF)
            handle.seek(info.st_size - tail_size)
            tail = handle.read(tail_size)
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) - end < 22 or (end >= 20 and tail[end - 20:end - 16] == b"PK\x06\x07"):
            return None  # no end record, or a ZIP64 archive (sizes beyond the plain record)
        entries = int.from_bytes(tail[end + 10:end + 12], "little")
        directory = int.from_bytes(tail[end + 12:end + 16], "little")
        if entries > MAX_ARCHIVE_ENTRIES or directory > MAX_ARCHIVE_DIRECTORY:
            return None
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError):
        return None
    names = []
    for item in infos[:MAX_ARCHIVE_ENTRIES]:
        name = item.filename
        if not item.flag_bits & 0x800:
            try:
                name = name.encode("cp437").decode("gb18030")
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        if base and not _quiet(base) and Path(base).suffix.lower() in READ_SUFFIXES:
            names.append(base)
    return tuple(names)


# ---- the list of units that should report ----------------------------------------------------

_HEADER_WORDS = ("单位", "名称", "机关", "部门")
MAX_LIST_BYTES = limits.MAX_LIST_BYTES


def read_expected(path: Path) -> list[str]:
    """Unit names from a .txt (one a line) or the first sheet of an .xlsx (the 单位/名称 column,
    or the first column). Only a regular file of at most MAX_LIST_BYTES is read (a pipe, a device or a
    folder never is); an .xlsx checked as an imported workbook is. Raises ImportFailed with a
    Chinese message."""
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".xlsx"):
        raise ImportFailed(f"应报送单位名单应为 .xlsx 或 .txt 文件（每行一个单位），不是“{path.suffix}”")
    try:
        data = read_limited(path, MAX_LIST_BYTES)
    except Refused as refused:
        if refused.reason == "找不到该文件":
            raise ImportFailed(f"找不到应报送单位名单“{path}”") from None
        if refused.reason.startswith("文件过大"):
            raise ImportFailed(f"应报送单位名单“{path.name}”过大（超过 {size_text(MAX_LIST_BYTES)} 的上限），"
                               "不像是一份名单") from None
        raise ImportFailed(f"无法读取应报送单位名单“{path.name}”：{refused.reason}") from None
    names = _names_from_text(data) if suffix == ".txt" else _names_from_sheet(data, path.name)
    unique = list(dict.fromkeys(n for n in names if n))
    if not unique:
        raise ImportFailed(f"应报送单位名单“{path.name}”中没有单位名称")
    return unique


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


def _names_from_text(raw: bytes) -> list[str]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    names = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.replace("，", "\t").replace(",", "\t").split("\t") if f.strip()]
        if not names and any(_is_header(f) for f in fields):
            continue  # a heading line: 序号,单位名称
        name = next((f for f in fields if not _is_number(f)), "")
        if name:
            names.append(name)
    return names


def _is_header(text: str) -> bool:
    return text == "序号" or (len(text) <= 6 and any(word in text for word in _HEADER_WORDS))


def _checked_sheet_package(data: bytes, name: str):  # type: ignore[no-untyped-def]
    """The .xlsx list checked as every workbook an import reads (export/reading/bounded.py, xlsx_bounds.py):
    its parts within the zip limits, no DTD, its sheets within the cells a table may hold."""
    from export.reading.blocks import SourceRefused
    from export.reading.bounded import NotAPackage, check_package
    from export.xlsx_bounds import check_sheets

    try:
        package, buffer = check_package(data, check_depth=True)
        check_sheets(package)
    except SourceRefused as refused:
        raise ImportFailed(f"无法读取应报送单位名单“{name}”：{refused.reason}") from None
    except (NotAPackage, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportFailed(f"无法读取应报送单位名单“{name}”：不是有效的 Excel 工作簿，或文件已损坏") from None
    return buffer


def _names_from_sheet(data: bytes, name: str) -> list[str]:
    from openpyxl import load_workbook

    source = _checked_sheet_package(data, name)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = [["" if v is None else str(v).strip() for v in row]
                    for row in sheet.iter_rows(max_row=limits.MAX_SHEET_ROWS, max_col=20, values_only=True)]
        finally:
            book.close()
    except (Exception, RecursionError) as error:  # any damage: the clerk gets one message, the log the detail
        logged(error, f"read the list {name}")
        raise ImportFailed(f"无法读取应报送单位名单“{name}”：不是有效的 Excel 工作簿，或文件已损坏") from None
    column, start = 0, 0
    for r, row in enumerate(rows[:5]):
        hit = next((c for c, v in enumerate(row) if _is_header(v) and v != "序号"), None)
        if hit is not None:
            column, start = hit, r + 1
            break
    names = []
    for row in rows[start:]:
        value = row[column] if column < len(row) else ""
        if value and not _is_number(value):
            names.append(value)
    return names
