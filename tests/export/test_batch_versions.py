"""Which of a unit's reports counts: the clerk's choice, a name saying it is a later version, the later
modification time, our own file, the name — and the words that say why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from export.batch_versions import name_mark, ranked, why_first


@dataclass
class V:
    rel: str
    mtime: float = 1_700_000_000.0
    preferred: bool = False

    @property
    def kind(self) -> str:
        return self.rel.rsplit(".", 1)[-1]


def _order(*versions: V) -> list[str]:
    return [v.rel for v in ranked(list(versions))]


def test_name_marks():
    assert name_mark("财政局年报（修改稿）.docx") == (1, "修改稿")
    assert name_mark("数据局年报（定稿）.nianbao") == (1, "定稿")
    assert name_mark("乡镇/财政局年报最终版.pdf") == (1, "最终版")
    assert name_mark("财政局年报（征求意见稿）.docx") == (-1, "征求意见稿")
    assert name_mark("财政局年报.docx") == (0, "")


def test_the_order():
    plain, revised = V("财政局年报.docx", mtime=1_800_000_000), V("财政局年报（修改稿）.docx")
    assert _order(plain, revised) == ["财政局年报（修改稿）.docx", "财政局年报.docx"]  # the name beats the time
    assert why_first(revised, plain) == "文件名标明“修改稿”"
    draft = V("财政局年报（草稿）.docx", mtime=1_900_000_000)
    assert _order(draft, plain) == ["财政局年报.docx", "财政局年报（草稿）.docx"]
    assert why_first(plain, draft) == "另一份文件名标明“草稿”"
    older, newer = V("a.docx", mtime=1_700_000_000), V("b.docx", mtime=1_700_000_100)
    assert _order(older, newer) == ["b.docx", "a.docx"]
    stamp = dt.datetime.fromtimestamp(1_700_000_100).strftime("%Y-%m-%d %H:%M:%S")
    assert why_first(newer, older).startswith(f"修改时间{stamp}，晚于另一份的")
    same_time = V("a.docx", mtime=1_700_000_001)  # within two seconds: the same time
    ours = V("b.nianbao", mtime=1_700_000_000)
    assert _order(same_time, ours) == ["b.nianbao", "a.docx"]
    assert why_first(ours, same_time) == "是年报助手报告文件（.nianbao）"
    assert _order(V("b.docx"), V("a.docx")) == ["a.docx", "b.docx"]
    assert why_first(V("a.docx"), V("b.docx")) == "文件名排在前面"
    chosen = V("财政局年报.docx", preferred=True)
    assert _order(revised, chosen) == ["财政局年报.docx", "财政局年报（修改稿）.docx"]
    assert why_first(chosen, revised) == "由您指定"
