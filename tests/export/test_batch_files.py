"""Which files the batch reads, and the list of units that should report."""

from __future__ import annotations

import os
import sys

import pytest

from export.batch_files import READ_SUFFIXES, discover, read_expected
from export.importing import ImportFailed
from export.reading import SUFFIXES


def test_every_suffix_the_importer_reads():
    assert READ_SUFFIXES == (".nianbao", *SUFFIXES)


def test_discovery(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    for name in ("a.nianbao", "sub/b.DOCX", "sub/deeper/c.xlsx", "d.html", "e.txt", "~$a.docx", ".hidden.docx",
                 "a.nianbao.bak", ".~lock.b.docx#", "f.png", "Thumbs.db"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.docx").write_bytes(b"x")
    found = discover(tmp_path)
    assert [f.path.relative_to(tmp_path).as_posix() for f in found.files] == [
        "a.nianbao", "d.html", "e.txt", "sub/b.DOCX", "sub/deeper/c.xlsx"]
    assert all(f.refused is None and f.size == 1 for f in found.files)
    assert [p.name for p in found.skipped] == ["f.png"]
    assert [f.path.name for f in discover(tmp_path, exclude=(tmp_path / "sub",)).files] == ["a.nianbao", "d.html", "e.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="pipes, devices and symbolic links as on Linux")
def test_devices_pipes_links_and_giants_are_refused_unread(tmp_path):
    os.mkfifo(tmp_path / "pipe.docx")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "gone.docx").symlink_to(tmp_path / "nothing")
    with open(tmp_path / "huge.docx", "wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs nothing on disk
    refused = {f.path.name: f.refused for f in discover(tmp_path).files}
    assert refused == {
        "gone.docx": "链接指向的文件不存在，或没有权限读取",
        "huge.docx": "文件过大（65 MB，报告文件不超过64 MB），未读取",
        "pipe.docx": "不是普通文件（设备、管道等），未读取",
        "zero.txt": "不是普通文件（设备、管道等），未读取",
    }


def test_expected_list_from_text(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text("序号,单位名称\n1,县商务局\n\n# 注释\n2，城步县教育局\n县财政局\t备注\n县商务局\n", encoding="utf-8")
    assert read_expected(path) == ["县商务局", "城步县教育局", "县财政局"]
    path.write_bytes("县商务局\n县教育局\n".encode("gb18030"))
    assert read_expected(path) == ["县商务局", "县教育局"]


def test_expected_list_from_a_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["2025年应报送单位"])
    sheet.append(["序号", "单位名称", "联系人"])
    sheet.append([1, "县商务局", "张三"])
    sheet.append([2, "县教育局", "李四"])
    sheet.append([None, None, None])
    sheet.append([3, "县财政局", None])
    book.save(tmp_path / "名单.xlsx")
    assert read_expected(tmp_path / "名单.xlsx") == ["县商务局", "县教育局", "县财政局"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("名单.csv", b"a\n", "应报送单位名单应为 .xlsx 或 .txt 文件"),
    ("名单.txt", b"\n# nothing\n", "中没有单位名称"),
    ("名单.xlsx", b"not a workbook", "无法读取应报送单位名单“名单.xlsx”"),
])
def test_bad_lists(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ImportFailed) as caught:
        read_expected(tmp_path / name)
    assert message in caught.value.message


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe as on Linux")
def test_a_pipe_is_a_row_and_never_opened(tmp_path):
    from export.batch import run_batch

    os.mkfifo(tmp_path / "报告.docx")  # opening it would wait forever
    result = run_batch(tmp_path)
    assert [(e.rel, e.status, e.outcome.reason) for e in result.entries] == [
        ("报告.docx", "无法读取", "不是普通文件（设备、管道等），未读取")]
    assert result.exit_code == 1


def test_a_zip_is_listed_from_its_directory_alone(tmp_path):
    import zipfile

    from export.batch_files import MAX_ARCHIVE_ENTRIES, archive_reports

    path = tmp_path / "长安营镇.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("长安营镇2025年报.docx", b"x")
        archive.writestr("附件/封面.png", b"x")
        archive.writestr("~$长安营镇2025年报.docx", b"x")
        archive.writestr("图片.jpg", b"x")
    assert archive_reports(path) == ("长安营镇2025年报.docx",)
    found = discover(tmp_path)
    assert found.files == [] and found.skipped == []
    assert [(a.path.name, a.reports, a.reason) for a in found.archives] == [
        ("长安营镇.zip", ("长安营镇2025年报.docx",), "压缩包：内有“长安营镇2025年报.docx”报告文件，请解压后再核对")]
    # names a Chinese Windows stored in GBK, without the UTF-8 flag
    gbk = tmp_path / "gbk.zip"
    gbk.write_bytes(_zip_with_raw_name("五团镇年报.pdf".encode("gb18030")))
    assert archive_reports(gbk) == ("五团镇年报.pdf",)
    # more entries than a unit's zip holds: not listed, said plainly
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(MAX_ARCHIVE_ENTRIES + 1):
            archive.writestr(f"{i}.docx", b"")
    assert archive_reports(many) is None
    (tmp_path / "坏.zip").write_bytes(b"PK\x05\x06 not an archive")
    (tmp_path / "卷.rar").write_bytes(b"Rar!")
    reasons = {a.path.name: a.reason for a in discover(tmp_path).archives}
    assert reasons["坏.zip"] == reasons["卷.rar"] == reasons["many.zip"] == "压缩包：请解压后再核对"


def _zip_with_raw_name(name: bytes) -> bytes:
    """A one-entry zip whose name is stored as raw bytes without the UTF-8 flag (as Windows' own zip does)."""
    import struct
    import zlib

    data = b"%PDF"
    crc = zlib.crc32(data)
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0) + name + data
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(data), len(data), len(name),
                          0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


# ---- hostile lists and folders (issue 12) ------------------------------------------------------


def test_the_list_is_read_within_its_limit(tmp_path):
    from model import limits

    assert limits.MAX_LIST_BYTES == 1024 * 1024
    big = tmp_path / "名单.txt"
    big.write_bytes(("县商务局\n" * 100_000).encode("utf-8"))  # 1.3 MB
    with pytest.raises(ImportFailed) as caught:
        read_expected(big)
    assert caught.value.message == "应报送单位名单“名单.txt”过大（超过 1 MB 的上限），不像是一份名单"
    folder = tmp_path / "文件夹.txt"
    folder.mkdir()
    with pytest.raises(ImportFailed) as caught:
        read_expected(folder)
    assert caught.value.message == "无法读取应报送单位名单“文件夹.txt”：这是一个文件夹，不是文件"
    with pytest.raises(ImportFailed) as caught:
        read_expected(tmp_path / "没有.txt")
    assert caught.value.message == f"找不到应报送单位名单“{tmp_path / '没有.txt'}”"


@pytest.mark.skipif(sys.platform == "win32", reason="pipes and devices as on Linux")
def test_a_list_that_is_a_pipe_or_a_device_is_never_opened(tmp_path):
    os.mkfifo(tmp_path / "名单.txt")  # opening it would wait forever
    (tmp_path / "零.txt").symlink_to("/dev/zero")  # reading it would never end
    for name in ("名单.txt", "零.txt"):
        with pytest.raises(ImportFailed) as caught:
            read_expected(tmp_path / name)
        assert caught.value.message == f"无法读取应报送单位名单“{name}”：这不是普通文件（而是设备、管道等），未读取"


def test_a_sheet_list_that_is_a_zip_bomb_or_damaged(tmp_path):
    import zipfile

    bomb = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"a" * (64 * 1024 * 1024) + b"</sst>")
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(ImportFailed) as caught:
        read_expected(bomb)
    assert caught.value.message == ("无法读取应报送单位名单“名单.xlsx”：压缩包中的“xl/sharedStrings.xml”解压后过大"
                                    "（64 MB，超过 64 MB 的上限），可能是“压缩炸弹”")
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<!DOCTYPE x [<!ENTITY a 'b'>]><workbook/>")
    with pytest.raises(ImportFailed) as caught:
        read_expected(bomb)
    assert caught.value.message == ("无法读取应报送单位名单“名单.xlsx”：压缩包中的“xl/workbook.xml”含有 DTD 声明"
                                    "（Office 文件不应有），为安全起见未读取")
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
    with pytest.raises(ImportFailed) as caught:
        read_expected(bomb)
    assert caught.value.message == "无法读取应报送单位名单“名单.xlsx”：不是有效的 Excel 工作簿，或文件已损坏"
    assert "Error" not in caught.value.message


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links as on Linux")
def test_links_never_make_the_walk_endless_nor_leave_the_folder(tmp_path):
    """A link to the folder itself, to its parent, to / and a loop of two links: none is entered or read;
    a linked folder is listed as passed over, a linked file outside the folder or a loop is a row not read,
    a linked file inside the folder is read."""
    top = tmp_path / "top"
    (top / "sub").mkdir(parents=True)
    (top / "a.docx").write_bytes(b"x")
    (tmp_path / "outside.docx").write_bytes(b"x")
    (top / "self").symlink_to(".")
    (top / "sub" / "up").symlink_to("..")
    (top / "root").symlink_to("/")
    (top / "loopa.docx").symlink_to("loopb.docx")
    (top / "loopb.docx").symlink_to("loopa.docx")
    (top / "out.docx").symlink_to(tmp_path / "outside.docx")
    (top / "in.docx").symlink_to("a.docx")
    found = discover(top)
    assert {f.path.name: f.refused for f in found.files} == {
        "a.docx": None,
        "in.docx": None,
        "loopa.docx": "循环链接（链接最终指向它自己），未读取",
        "loopb.docx": "循环链接（链接最终指向它自己），未读取",
        "out.docx": "链接指向本文件夹之外的文件，未读取（请把报告文件本身放入文件夹）",
    }
    assert [(p.relative_to(top).as_posix(), why) for p, why in found.passed] == [
        ("root", "链接的文件夹，未进入（批量核对不跟随文件夹链接）"),
        ("self", "链接的文件夹，未进入（批量核对不跟随文件夹链接）"),
        ("sub/up", "链接的文件夹，未进入（批量核对不跟随文件夹链接）"),
    ]
    # and through the whole batch: rows and 未核对 lines, no traceback, no hang
    from export.batch import run_batch

    result = run_batch(top, jobs=1)
    assert sorted((e.rel, e.outcome.reason) for e in result.entries if e.rel.startswith(("loop", "out"))) == [
        ("loopa.docx", "循环链接（链接最终指向它自己），未读取"),
        ("loopb.docx", "循环链接（链接最终指向它自己），未读取"),
        ("out.docx", "链接指向本文件夹之外的文件，未读取（请把报告文件本身放入文件夹）"),
    ]
    assert ("self", "链接的文件夹，未进入（批量核对不跟随文件夹链接）") in result.skipped


def test_folders_named_like_reports_are_walked_not_read(tmp_path):
    """A folder named X.bak, X.nianbao or X.docx is a folder: entered, never a row, never a traceback."""
    for name in ("X.bak", "X.nianbao", "X.docx", "X.zip"):
        (tmp_path / name).mkdir()
    (tmp_path / "X.docx" / "inner.txt").write_bytes(b"x")
    found = discover(tmp_path)
    assert [f.path.relative_to(tmp_path).as_posix() for f in found.files] == ["X.docx/inner.txt"]
    assert found.archives == [] and found.skipped == [] and found.passed == []


def test_a_folder_that_cannot_be_opened_is_listed(tmp_path, monkeypatch):
    """(As root nothing is refused: the refusal is the system's own, injected.)"""
    import errno

    (tmp_path / "锁").mkdir()
    (tmp_path / "锁" / "a.docx").write_bytes(b"x")
    (tmp_path / "b.docx").write_bytes(b"x")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.path.basename(os.fspath(path)) == "锁":
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover(tmp_path)
    assert [f.path.name for f in found.files] == ["b.docx"]
    assert [(p.name, why) for p, why in found.passed] == [("锁", "文件夹无法打开：没有权限，其中的文件未核对")]
    assert "Permission" not in repr(found.passed)
