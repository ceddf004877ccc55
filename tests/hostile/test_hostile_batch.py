"""The 公开办's batch over a folder of every hostile case at once (tests/hostile/cases.py), with the tricks a
folder from outside can add: links that loop or lead out of the folder, a pipe, a list that is a pipe, folders
named like reports, file names holding terminal escapes. Run in the capped worker (1 GiB, tests/hostile):
every file is a row or a line, nothing escapes, no English, no class names, nothing left in the temporary
folder, the inputs unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from tests.hostile import cases
from tests.hostile.capped import _ENGLISH, Worker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits, links and FIFOs as on Linux")


def _fingerprints(folder: Path) -> dict[str, tuple]:
    found = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            elif path.is_file():
                found[rel] = (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                found[rel] = (path.is_dir(), path.is_fifo())
    return found


def test_a_folder_of_every_hostile_case(tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    for group in (cases.IMPORT_CASES, cases.LOAD_CASES):
        for name, build in group.items():
            sub = folder / hashlib.sha1(name.encode()).hexdigest()[:10]
            sub.mkdir()
            build(sub)
    (folder / "loop").symlink_to(".")
    (folder / "up").symlink_to("..")
    (folder / "a.docx").symlink_to("b.docx")
    (folder / "b.docx").symlink_to("a.docx")
    (tmp_path / "外面.docx").write_bytes(b"the clerk's own file")
    (folder / "外面.docx").symlink_to(tmp_path / "外面.docx")
    os.mkfifo(folder / "管道.docx")
    for name in ("X.bak", "X.nianbao", "X.docx"):
        (folder / name).mkdir()
    (folder / "\x1b]0;pwned\x07\x1b[2J\u202e坏.docx").write_bytes(b"x")
    os.mkfifo(tmp_path / "名单.txt")
    before = _fingerprints(tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    worker = Worker()
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(temp)  # (the worker process, and the batch's workers, inherit it)
    try:
        listed = worker.run("batch", str(folder), "--expect", str(tmp_path / "名单.txt"), seconds=60)
        answer = worker.run("batch", str(folder), "--jobs", "2", "-o", str(out / "核对结果.xlsx"),
                            "--per-unit", str(out / "各单位"), "--json", seconds=600)
    finally:
        worker.close()
        if old is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = old
    assert listed.escaped is None and listed.code == 2
    assert listed.stderr == "无法读取应报送单位名单“名单.txt”：这不是普通文件（而是设备、管道等），未读取\n"
    assert answer.escaped is None, answer.escaped
    assert answer.code == 1, answer.stderr
    assert not {"MemoryError", "RecursionError"} & set(answer.logged), answer.logged
    assert not _ENGLISH.search(answer.stderr), answer.stderr
    assert not any(c in answer.stdout + answer.stderr for c in "\x1b\x07\u202e")
    data = json.loads(answer.stdout)
    rows = {r["file"]: r for r in data["reports"]}
    assert len(rows) == sum(1 for n in data["reports"])
    for row in data["reports"]:
        text = (row["reason"] or "") + "".join(p["message"] for p in row["problems"])
        assert not _ENGLISH.search(text), (row["file"], text)
    assert rows["a.docx"]["reason"] == rows["b.docx"]["reason"] == "循环链接（链接最终指向它自己），未读取"
    assert rows["外面.docx"]["reason"] == "链接指向本文件夹之外的文件，未读取（请把报告文件本身放入文件夹）"
    assert rows["管道.docx"]["reason"] == "不是普通文件（设备、管道等），未读取"
    assert {s["file"]: s["reason"] for s in data["skipped"]}["loop"] == "链接的文件夹，未进入（批量核对不跟随文件夹链接）"
    assert not any(f.startswith(("X.bak", "X.nianbao", "X.docx")) for f in rows)
    assert (out / "核对结果.xlsx").is_file()
    assert _fingerprints(tmp_path / "各单位") == {k[len("各单位/"):]: v for k, v in before.items()
                                                   if k.startswith("各单位/")}
    assert list(temp.iterdir()) == []
    assert not [p for p in Path(tempfile.gettempdir()).glob("nianbao-batch-*") if str(tmp_path) in str(p)]
