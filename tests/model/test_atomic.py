"""Saving that never costs the previous good copy: temporary names, permissions, links, read-only
files, folders, exports onto the report, stale temporary files, the .bak, a full disk, OS errors in
Chinese."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from model import atomic, oserrors, store
from model import replace as replacing
from model.atomic import ReadOnlyFile, StoreError, remove_stale_temporaries, write_atomic

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and links")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _writer(text: str):
    return lambda handle: handle.write(text)


def test_the_temporary_file_is_short_and_beside_the_target(tmp_path):
    seen: list[list[str]] = []

    def write(handle) -> None:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        handle.write("新内容")

    for name in ("a.docx", "r.nianbao", "年报" * 40 + ".nianbao"):
        target = tmp_path / name
        write_atomic(target, write)
        (temp,) = [n for n in seen[-1] if n.startswith(".~nb")]
        assert len(temp) == 8  # ".~nb" + 4: never more than a few characters longer than the target
        assert len(temp) <= len(name) + 2
        assert target.read_text(encoding="utf-8") == "新内容"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~nb")]


@posix_only  # (Windows limits the whole path, MAX_PATH, not the name)
def test_a_name_at_the_length_limit_saves(tmp_path, distinct):
    """The old temporary name (".NAME.xxxxxxxx.tmp", 14 more characters) failed here before Word would."""
    limit = os.pathconf(tmp_path, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    fits_a_bak = tmp_path / ("报" * ((limit - len(".nianbao.bak")) // 3) + ".nianbao")  # 3 bytes a character
    assert len(fits_a_bak.name.encode()) > limit - 14
    store.save(distinct, fits_a_bak)
    distinct.set_meta(agency="第二版")
    store.save(distinct, fits_a_bak)
    assert store.load(fits_a_bak).meta.agency == "第二版"
    assert Path(f"{fits_a_bak}.bak").is_file()
    # a name so long that even "<name>.bak" cannot exist: saved like Word saves it, without a .bak
    no_room = tmp_path / ("a" * (limit - len(".nianbao") - 1) + ".nianbao")
    store.save(distinct, no_room)
    distinct.set_meta(agency="第三版")
    store.save(distinct, no_room)
    assert store.load(no_room).meta.agency == "第三版"


@posix_only
def test_new_files_get_the_users_permissions(tmp_path, distinct, umask_022):
    from export.docx_writer import write_docx

    store.save(distinct, tmp_path / "r.nianbao")
    write_docx(distinct, tmp_path / "r.docx")
    assert stat.S_IMODE((tmp_path / "r.nianbao").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "r.docx").stat().st_mode) == 0o644


@posix_only
def test_a_replaced_file_keeps_its_permissions(tmp_path, distinct, umask_022):
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    path.chmod(0o660)  # shared with the office's group: the umask would trim that to 0640
    store.save(distinct, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o660
    assert stat.S_IMODE((tmp_path / "r.nianbao.bak").stat().st_mode) == 0o660


@posix_only
def test_saving_through_a_symlink_writes_the_file_it_points_to(tmp_path, distinct):
    real_folder = tmp_path / "共享"
    real_folder.mkdir()
    real = real_folder / "报告.nianbao"
    store.save(distinct, real)
    link = tmp_path / "快捷方式.nianbao"
    link.symlink_to(real)
    distinct.set_meta(agency="经由链接保存")
    store.save(distinct, link)
    assert link.is_symlink() and link.resolve() == real
    assert store.load(real).meta.agency == "经由链接保存"
    assert (real_folder / "报告.nianbao.bak").is_file()  # the .bak beside the real file
    assert not (tmp_path / "快捷方式.nianbao.bak").exists()
    dangling = tmp_path / "新.nianbao"
    dangling.symlink_to(real_folder / "尚不存在.nianbao")
    store.save(distinct, dangling)
    assert dangling.is_symlink() and (real_folder / "尚不存在.nianbao").is_file()


def test_a_read_only_file_is_not_replaced(tmp_path, distinct):
    path = tmp_path / "只读.nianbao"
    store.save(distinct, path)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        distinct.set_meta(agency="改过")
        with pytest.raises(ReadOnlyFile) as caught:
            store.save(distinct, path)
        assert caught.value.message == "“只读.nianbao”是只读文件，未覆盖。请另存为其他文件，或先取消该文件的只读属性。"
        assert path.read_bytes() == before
        assert not (tmp_path / "只读.nianbao.bak").exists()
        with pytest.raises(ReadOnlyFile):
            write_atomic(tmp_path / "只读.nianbao", _writer("x"))
    finally:
        path.chmod(0o644)


def test_a_folder_is_not_a_target(tmp_path, distinct):
    folder = tmp_path / "r.nianbao"
    folder.mkdir()
    with pytest.raises(StoreError, match="这是一个文件夹，不是文件"):
        store.save(distinct, folder)
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_an_export_never_replaces_a_report(tmp_path, distinct):
    from export.docx_writer import write_docx
    from export.xlsx import write_xlsx

    report = tmp_path / "R.nianbao"
    store.save(distinct, report)
    before = report.read_bytes()
    for write in (write_docx, write_xlsx):
        with pytest.raises(StoreError, match=r"不能导出到“R\.nianbao”：这是年报助手的报告文件"):
            write(distinct, report)
    assert report.read_bytes() == before
    with pytest.raises(StoreError, match="不能导出到"):
        atomic.check_export_target(tmp_path / "r.NIANBAO")
    if os.name == "posix":  # another name for the same file
        alias = tmp_path / "alias.docx"
        alias.symlink_to(report)
        with pytest.raises(StoreError, match="导出会覆盖报告本身"):
            atomic.check_export_target(alias, report)
    atomic.check_export_target(tmp_path / "R.docx", report)  # a neighbour is fine


def test_stale_temporary_files_are_removed(tmp_path):
    old = time.time() - 3600
    stale = [tmp_path / ".~nbk3x9", tmp_path / ".r.nianbao.abcd1234.tmp"]  # ours, and the names of before
    for path in stale:
        path.write_bytes(b"x" * 1000)
        os.utime(path, (old, old))
    fresh = tmp_path / ".~nbfre5"
    fresh.write_bytes(b"being written")
    others = [tmp_path / ".~nbtoolong", tmp_path / "notes.tmp", tmp_path / "报告.nianbao"]
    for path in others:
        path.write_bytes(b"keep")
        os.utime(path, (old, old))
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted(stale)
    assert fresh.exists() and all(p.exists() for p in others)


@posix_only
def test_a_temporary_file_in_use_is_kept(tmp_path):
    import fcntl

    busy = tmp_path / ".~nbbusy"
    busy.write_bytes(b"x")
    old = time.time() - 3600
    os.utime(busy, (old, old))
    fd = os.open(busy, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert remove_stale_temporaries(tmp_path) == []
    finally:
        os.close(fd)
    assert remove_stale_temporaries(tmp_path) == [busy]


def test_the_next_save_tidies_its_folder(tmp_path, distinct):
    leftover = tmp_path / ".~nbdead"
    leftover.write_bytes(b"{" * 10_000)
    old = time.time() - 600
    os.utime(leftover, (old, old))
    store.save(distinct, tmp_path / "r.nianbao")
    assert not leftover.exists()


def test_the_bak_is_made_without_copying_when_links_work(tmp_path, distinct):
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    first = path.read_bytes()
    inode = path.stat().st_ino
    distinct.set_meta(agency="第二版")
    store.save(distinct, path)
    bak = tmp_path / "r.nianbao.bak"
    assert bak.read_bytes() == first
    if os.name == "posix":
        assert bak.stat().st_ino == inode  # the old file itself became the .bak


def test_the_bak_is_copied_where_links_do_not_work(tmp_path, distinct, monkeypatch):
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    first = path.read_bytes()

    def no_links(*_args):
        raise OSError(errno.EPERM, "Operation not permitted")  # FAT, some network shares

    monkeypatch.setattr(os, "link", no_links)
    distinct.set_meta(agency="第二版")
    store.save(distinct, path)
    assert (tmp_path / "r.nianbao.bak").read_bytes() == first
    assert store.load(path).meta.agency == "第二版"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.nianbao", "r.nianbao.bak"]


class _FullDisk:
    """A file that accepts ``room`` more characters, then fails as a full disk does."""

    def __init__(self, handle, room: list[int]) -> None:
        self._handle, self._room = handle, room

    def write(self, data):  # type: ignore[no-untyped-def]
        if len(data) > self._room[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room[0] -= len(data)
        return self._handle.write(data)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self._handle.close()

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._handle, name)


def _full_disk(monkeypatch, *, after: int) -> None:
    """Files opened for writing from now on hold ``after`` characters in all, then the disk is full."""
    real_fdopen, room = os.fdopen, [after]
    monkeypatch.setattr(os, "fdopen", lambda fd, *args, **kwargs: _FullDisk(real_fdopen(fd, *args, **kwargs), room))


def test_a_full_disk_keeps_the_report_and_its_bak(tmp_path, distinct, monkeypatch):
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    distinct.set_meta(agency="第二版")
    store.save(distinct, path)
    report, bak = path.read_bytes(), (tmp_path / "r.nianbao.bak").read_bytes()
    distinct.set_meta(agency="第三版")
    monkeypatch.setattr(os, "link", lambda *_a: (_ for _ in ()).throw(OSError(errno.EPERM, "no links")))
    for after in (0, 100, len(report) + 10):  # the new file, then the .bak's copy, run out of space
        _full_disk(monkeypatch, after=after)
        with pytest.raises(StoreError) as caught:
            store.save(distinct, path)
        assert caught.value.message == f"无法保存“{path}”：磁盘空间不足。原来的文件没有改动；请清理磁盘空间，或另存到其他磁盘。"
        assert path.read_bytes() == report
        assert (tmp_path / "r.nianbao.bak").read_bytes() == bak
        assert sorted(p.name for p in tmp_path.iterdir()) == ["r.nianbao", "r.nianbao.bak"]
        monkeypatch.undo()
        monkeypatch.setattr(os, "link", lambda *_a: (_ for _ in ()).throw(OSError(errno.EPERM, "no links")))


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 256 KB tmpfs, where the test may mount one (root on Linux); otherwise the test is skipped."""
    mount = shutil.which("mount")
    if os.name != "posix" or os.geteuid() != 0 or mount is None:
        pytest.skip("mounting a tmpfs needs root (the injected-ENOSPC test covers this)")
    folder = tmp_path / "small"
    folder.mkdir()
    if subprocess.run([mount, "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("tmpfs could not be mounted here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_really_full_disk(small_tmpfs, distinct):
    path = small_tmpfs / "r.nianbao"
    store.save(distinct, path)
    distinct.set_meta(agency="第二版")
    store.save(distinct, path)
    report, bak = path.read_bytes(), (small_tmpfs / "r.nianbao.bak").read_bytes()
    filler = small_tmpfs / "filler"
    with open(filler, "wb", buffering=0) as handle:  # fill the disk to the last block
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    distinct.set_meta(agency="第三版")
    with pytest.raises(StoreError, match="磁盘空间不足。原来的文件没有改动"):
        store.save(distinct, path)
    assert path.read_bytes() == report
    assert (small_tmpfs / "r.nianbao.bak").read_bytes() == bak
    assert sorted(p.name for p in small_tmpfs.iterdir()) == ["filler", "r.nianbao", "r.nianbao.bak"]
    filler.unlink()
    store.save(distinct, path)  # space again: the save goes through
    assert store.load(path).meta.agency == "第三版"


def test_a_file_briefly_held_by_another_program_is_replaced_after_a_retry(tmp_path, distinct, monkeypatch):
    """Windows: Defender, the indexer or OneDrive hold the target for a moment (sharing violation)."""
    path = tmp_path / "r.nianbao"
    store.save(distinct, path)
    real_replace = os.replace
    failures = [32, 5]  # ERROR_SHARING_VIOLATION, then ERROR_ACCESS_DENIED

    def held(source, target):
        if failures and Path(target) == path:
            error = PermissionError(13, "Access is denied")
            error.winerror = failures.pop(0)  # type: ignore[attr-defined]
            raise error
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(replacing, "DELAYS", (0.001,) * 6)
    distinct.set_meta(agency="重试后保存")
    store.save(distinct, path)
    assert failures == []
    assert store.load(path).meta.agency == "重试后保存"


def test_os_errors_in_chinese():
    cases = {
        PermissionError(errno.EACCES, "Permission denied"): "没有权限",
        FileNotFoundError(errno.ENOENT, "No such file or directory"): "找不到该文件或文件夹",
        IsADirectoryError(errno.EISDIR, "Is a directory"): "这是一个文件夹，不是文件",
        OSError(errno.ENOSPC, "No space left on device"): "磁盘空间不足",
        OSError(errno.EROFS, "Read-only file system"): "磁盘或文件夹是只读的",
        OSError(errno.ENAMETOOLONG, "File name too long"): "文件名或路径太长",
        OSError(errno.EIO, "Input/output error"): "读写磁盘出错",
        OSError(12345, "Something odd"): "系统错误（错误码 12345）",
    }
    for error, said in cases.items():
        assert oserrors.describe(error) == said
    locked = PermissionError(13, "The process cannot access the file because it is being used by another process")
    locked.winerror = 32  # type: ignore[attr-defined]
    assert oserrors.describe(locked) == "文件正被其他程序（如 Word、WPS）打开"
    full = OSError(28, "There is not enough space on the disk")
    full.winerror = 112  # type: ignore[attr-defined]
    assert oserrors.describe(full) == "磁盘空间不足" and oserrors.is_disk_full(full)


def test_write_failures_say_so_in_chinese_and_log_the_original(tmp_path, distinct, monkeypatch, caplog):
    path = tmp_path / "r.nianbao"

    def broken(*_args):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with caplog.at_level("WARNING", logger="nianbao"), pytest.raises(StoreError) as caught:
        store.save(distinct, path)
    assert caught.value.message == f"无法写入“{path}”：读写磁盘出错。原来的文件没有改动。"
    assert "Input/output error" in caplog.text  # the original, for support, in the log only
    assert "Input/output" not in caught.value.message
