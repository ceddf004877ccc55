"""Which of a unit's reports counts when it sent more than one: a clear rule, said in words.

In this order:
1. the one the clerk chose (the window's 以此为准);
2. a file name that says it is a later version (修改稿, 定稿, 终稿, 最终版 …) over one that says
   nothing, and that over one that says it is a draft (草稿, 初稿, 征求意见稿 …) — the unit's own
   word is the best evidence there is;
3. the later modification time (a unit corrects its report and sends it again; times within two
   seconds are the same, as some file systems keep them no finer);
4. our own .nianbao file over an export or a published copy of the same report;
5. the file name's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

LATER_WORDS = ("最终版", "最终稿", "终稿", "定稿", "正式版", "正式稿", "修订版", "修订稿", "修改版", "修改稿", "更正版",
               "最新版", "最终", "修改", "修订", "更正")
DRAFT_WORDS = ("征求意见稿", "讨论稿", "送审稿", "草稿", "初稿")
SAME_TIME = 2.0  # seconds


class Version(Protocol):
    @property
    def rel(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def mtime(self) -> float: ...

    @property
    def preferred(self) -> bool: ...


V = TypeVar("V", bound=Version)


def name_mark(rel: str) -> tuple[int, str]:
    """(1, word) when the file name says a later version, (-1, word) a draft, (0, "") neither."""
    stem = Path(rel).stem
    for word in LATER_WORDS:
        if word in stem:
            return 1, word
    for word in DRAFT_WORDS:
        if word in stem:
            return -1, word
    return 0, ""


def _key(version: Version) -> tuple:
    return (not version.preferred, -name_mark(version.rel)[0], -int(version.mtime // SAME_TIME),
            version.kind != "nianbao", version.rel)


def ranked(versions: Sequence[V]) -> list[V]:
    """The versions, the one that counts first."""
    return sorted(versions, key=_key)


def _time(stamp: float) -> str:
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S")


def why_first(first: Version, other: Version) -> str:
    """Why ``first`` counts rather than ``other``, in the clerk's words."""
    if first.preferred != other.preferred:
        return "由您指定"
    (mark, word), (other_mark, other_word) = name_mark(first.rel), name_mark(other.rel)
    if mark != other_mark:
        return f"文件名标明“{word}”" if mark > 0 else f"另一份文件名标明“{other_word}”"
    if int(first.mtime // SAME_TIME) != int(other.mtime // SAME_TIME):
        return f"修改时间{_time(first.mtime)}，晚于另一份的{_time(other.mtime)}"
    if (first.kind == "nianbao") != (other.kind == "nianbao"):
        return "是年报助手报告文件（.nianbao）"
    return "文件名排在前面"
