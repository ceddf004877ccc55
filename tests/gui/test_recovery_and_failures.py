"""What the window does when things go wrong: recovery after a crash however it starts (with the
file, with none, a second window, a reused PID), a read-only file (另存为 offered), a failing
autosave (told at once), a hostile import or report file (a message, never a crash)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui import settings as settings_module
from gui.main_window import MainWindow
from model import liveness, store
from model.liveness import ProcessIdentity
from tests.gui.conftest import zero_report
from tests.gui.test_start import started  # noqa: F401 — the fixture this module's `started` builds on


@pytest.fixture
def settled(request, qtbot):
    """test_start's `nianbao [FILE]`, waited for until the start-up work after the first paint has run."""
    open_like_the_cli = request.getfixturevalue("started")

    def start(path: Path | None) -> MainWindow:
        window = open_like_the_cli(path)
        qtbot.waitUntil(lambda: window._after_paint.done, timeout=5000)
        return window

    return start


def crashed_autosave(name: str, *, source: Path | None, received: int, owner: ProcessIdentity | None = None,
                     written: str = "2026-11-27T18:05:00") -> Path:
    """What a window that crashed leaves: its autosave and its record."""
    report = zero_report()
    report.cells[("requests", "received", "natural")] = received
    folder = settings_module.autosave_folder()
    folder.mkdir(parents=True, exist_ok=True)
    store.save(report, folder / f"{name}.nianbao", backup=False)
    owner = owner or ProcessIdentity(999_999_999, "1", "no-such-boot")
    record = {"source": str(source) if source else None, "written": written, "pid": owner.pid,
              "started": owner.started, "boot": owner.boot}
    (folder / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return folder / f"{name}.nianbao"


def _saved_report(tmp_path: Path, name: str = "报告.nianbao") -> Path:
    path = tmp_path / name
    store.save(zero_report(), path)
    return path


def _received(window: MainWindow) -> object:
    return window.report.cells.get(("requests", "received", "natural"))


def test_recovery_is_offered_when_starting_with_the_file(settled, qtbot, recorded, tmp_path):
    """How clerks start it: a double-click on the report (`nianbao 报告.nianbao`)."""
    path = _saved_report(tmp_path)
    autosave = crashed_autosave("mine", source=path, received=7)
    crashed_autosave("other", source=tmp_path / "另一份.nianbao", received=9)
    window = settled(path)
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    asked = recorded.titles("ask_restore")
    assert len(asked) == 1 and f"原文件：{path}" in asked[0]  # another file's autosave is not this file's business
    assert _received(window) == 7
    assert window.path == path and window.isWindowModified()
    assert not autosave.exists()
    assert (settings_module.autosave_folder() / "other.nianbao").exists()


def test_when_starting_with_a_file_an_unnamed_report_is_offered_too(settled, qtbot, recorded, tmp_path):
    path = _saved_report(tmp_path)
    crashed_autosave("unnamed", source=None, received=4)
    recorded.restore_answer = False
    window = settled(path)
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    assert "尚未保存过的新报告" in recorded.titles("ask_restore")[0]
    assert _received(window) == 0 and window.path == path  # declined: the file stays, the autosave goes
    assert not (settings_module.autosave_folder() / "unnamed.nianbao").exists()


def test_recovery_is_offered_when_starting_with_no_file(settled, qtbot, recorded, tmp_path):
    crashed_autosave("older", source=tmp_path / "甲.nianbao", received=3, written="2026-11-26T09:00:00")
    crashed_autosave("newer", source=None, received=5, written="2026-11-27T18:05:00")
    window = settled(None)
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    assert "2026年11月27日 18:05" in recorded.titles("ask_restore")[0]  # the newest first
    assert _received(window) == 5


def test_the_file_that_cannot_be_opened_still_has_its_autosave_offered(settled, qtbot, recorded, tmp_path):
    broken = tmp_path / "坏了.nianbao"
    broken.write_text("[" * 100_000, encoding="utf-8")  # once: a start that died without a word
    crashed_autosave("rescue", source=broken, received=6)
    window = settled(broken)
    assert recorded.titles("warn") == ["无法打开"]
    assert "嵌套超过 64 层" in recorded.texts("warn")[0]
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    assert _received(window) == 6 and window.path == broken


def test_a_reused_pid_does_not_hide_the_autosave(settled, qtbot, recorded):
    """After a reboot the recorded PID may be alive again — as this very process, or another one."""
    me = liveness.current()
    crashed_autosave("reboot", source=None, received=8, owner=me._replace(boot="the-boot-before"))
    crashed_autosave("reused", source=None, received=9, owner=me._replace(started="1"),
                     written="2026-11-25T08:00:00")
    window = settled(None)
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    assert _received(window) == 8  # the newest, restored
    # the other one is still there for the next start: the live PID did not make it "running"
    assert [a.report_path.stem for a in settings_module.leftover_autosaves(exclude=window.autosave_id)] == ["reused"]


def test_a_second_window_never_offers_the_first_windows_autosave(settled, qtbot, recorded, tmp_path):
    """The first window is another process that is still running: its autosave is its own business."""
    first = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        owner = liveness.identity_of(first.pid)
        assert owner is not None
        crashed_autosave("first", source=None, received=2, owner=owner)
        window = settled(None)
        qtbot.wait(200)
        assert recorded.titles("ask_restore") == []
        assert _received(window) is None
    finally:
        first.kill()
        first.wait()
    # once it is gone (a crash), the next start offers what it left
    window = settled(None)
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    assert _received(window) == 2


def test_opening_a_file_offers_its_crashed_autosave(make_window, recorded, tmp_path):
    path = _saved_report(tmp_path)
    crashed_autosave("mine", source=path, received=11)
    crashed_autosave("unnamed", source=None, received=12)
    window = make_window(zero_report())
    assert window.open_path(path, ask=False)
    assert len(recorded.titles("ask_restore")) == 1 and _received(window) == 11  # only this file's


def test_the_autosave_record_names_the_process_fully(make_window, qtbot, tmp_path):
    window = make_window(zero_report())
    window.edit_cells({("requests", "received", "natural"): 3}, "3")
    window.autosave()
    _report, record = settings_module.autosave_paths(window.autosave_id)
    data = json.loads(record.read_text(encoding="utf-8"))
    me = liveness.current()
    assert (data["pid"], data["started"], data["boot"]) == (os.getpid(), me.started, me.boot)
    assert settings_module.leftover_autosaves() == []  # a live window's autosave is never offered


# ---- save, autosave, export and import failures -------------------------------------------------


def test_a_read_only_file_offers_save_as(make_window, recorded, tmp_path):
    path = _saved_report(tmp_path, "只读.nianbao")
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        window = make_window(store.load(path), path)
        window.edit_cells({("requests", "received", "natural"): 3}, "3")
        recorded.save_as = tmp_path / "副本"
        assert window.save()
        assert recorded.titles("confirm") == ["文件是只读的"]
        assert "“只读.nianbao”是只读文件，未覆盖" in recorded.texts("confirm")[0]
        assert "要另存为其他文件吗" in recorded.texts("confirm")[0]
        assert path.read_bytes() == before
        assert window.path == tmp_path / "副本.nianbao" and not window.isWindowModified()
        assert store.load(tmp_path / "副本.nianbao").cells[("requests", "received", "natural")] == 3
        recorded.confirm_answer = False  # declined: nothing saved, the report stays unsaved in the window
        window2 = make_window(store.load(path), path)
        window2.edit_cells({("requests", "received", "natural"): 4}, "4")
        assert not window2.save() and window2.isWindowModified()
    finally:
        path.chmod(0o644)


def test_a_failing_autosave_is_told_at_once_and_once(make_window, recorded, monkeypatch):
    window = make_window(zero_report())
    window.edit_cells({("requests", "received", "natural"): 3}, "3")

    def full(*_args, **_kwargs):
        raise store.StoreError("无法保存“x.nianbao”：磁盘空间不足。原来的文件没有改动；请清理磁盘空间，或另存到其他磁盘。")

    real_save = store.save
    monkeypatch.setattr(store, "save", full)
    window.autosave()
    window.autosave()
    assert recorded.titles("warn") == ["自动保存失败"]  # one dialog, not one a minute
    assert "磁盘空间不足" in recorded.texts("warn")[0] and "Ctrl+S" in recorded.texts("warn")[0]
    assert window.statusBar().currentMessage().startswith("自动保存失败：")
    monkeypatch.setattr(store, "save", real_save)
    window.autosave()
    assert window.statusBar().currentMessage().startswith("已自动保存")
    monkeypatch.setattr(store, "save", full)
    window.autosave()  # a new run of failures: told again
    assert recorded.titles("warn") == ["自动保存失败", "自动保存失败"]


def test_text_with_a_lone_surrogate_still_saves(make_window, tmp_path):
    window = make_window(zero_report())
    window.edit_text("overview", "粘贴来的半个字\ud800。", 0, 0, merge=False)
    assert window._save_to(tmp_path / "r.nianbao")
    assert store.load(tmp_path / "r.nianbao").text["overview"] == "粘贴来的半个字\ufffd。"


def test_a_hostile_import_is_a_message(make_window, recorded, tmp_path):
    window = make_window(zero_report())
    deep = tmp_path / "s.html"
    deep.write_text("<table><tr><td>" * 100_000, encoding="utf-8")
    folder = tmp_path / "x.docx"
    folder.mkdir()
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    for source in (deep, folder, broken):
        assert not window.import_file(source)
    assert recorded.titles("warn") == ["无法导入"] * 3
    assert "表格嵌套过深（超过 32 层）" in recorded.texts("warn")[0]
    assert "这是一个文件夹，不是文件" in recorded.texts("warn")[1]
    assert "不是有效的 Excel 工作簿" in recorded.texts("warn")[2]
    # a span of 10⁹ is clamped: the page reads, its problems are listed before anything changes
    spans = tmp_path / "spans.html"
    spans.write_text('<p>一、总体情况</p><table><tr><td colspan="1000000000">本年新收政府信息公开申请数量</td></tr></table>',
                     encoding="utf-8")
    recorded.confirm_answer = False
    assert not window.import_file(spans)
    assert recorded.titles("confirm") == ["导入"] and "未找到" in recorded.texts("confirm")[0]
    assert window.report.meta.agency == "示例县交通运输局"


def test_an_export_onto_the_report_is_refused(make_window, recorded, tmp_path):
    path = _saved_report(tmp_path)
    before = path.read_bytes()
    window = make_window(store.load(path), path)
    assert not window.export_word(path)
    assert recorded.titles("warn") == ["导出失败"]
    assert "导出会覆盖报告本身" in recorded.texts("warn")[0]
    assert path.read_bytes() == before


def test_the_start_tidies_what_killed_saves_left(settled, tmp_path):
    import time

    path = _saved_report(tmp_path)
    beside = tmp_path / ".~nbdead"
    autosaves = settings_module.autosave_folder()
    autosaves.mkdir(parents=True, exist_ok=True)
    inside = autosaves / ".~nbgone"
    for leftover in (beside, inside):
        leftover.write_bytes(b"{")
        os.utime(leftover, (time.time() - 60, time.time() - 60))
    settled(path)
    assert not beside.exists() and not inside.exists()
    assert path.exists()


def test_the_recovery_question_names_the_report_and_its_save_as_opens_where_it_belongs(settled, qtbot, recorded, tmp_path):
    """A report never saved: the question names the agency and the year (not only "a new report"),
    and its 另存为 opens in the folder its window would have used (beside last year's file)."""
    beside = tmp_path / "去年的报告"
    beside.mkdir()
    autosave = crashed_autosave("unnamed", source=None, received=4)
    record = autosave.with_suffix(".json")
    data = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({**data, "folder": str(beside)}, ensure_ascii=False), encoding="utf-8")
    window = settled(None)
    qtbot.waitUntil(lambda: recorded.titles("ask_restore") != [], timeout=5000)
    assert recorded.titles("ask_restore") == [
        "上次关闭前有一份尚未保存过的新报告：示例县交通运输局2026年度报告，自动保存于 2026年11月27日 18:05。\n是否恢复？"]
    assert _received(window) == 4 and window.path is None
    assert window.folder() == beside
    window.save_as()
    assert recorded.shown[-1] == ("ask_save_path", "另存为", str(beside / "示例县交通运输局2026年政府信息公开工作年度报告.nianbao"))


def test_a_report_without_a_place_saves_in_the_folder_last_used(make_window, recorded, tmp_path, monkeypatch):
    from gui import dialogs

    window = make_window(zero_report())
    assert window.folder() == Path.home()
    folder = tmp_path / "年报"
    folder.mkdir()
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, title, start, file_filter: folder / "别的.nianbao")
    assert window._choose_last_year("选择上年的报告") == folder / "别的.nianbao"
    window.new_file()
    assert window.folder() == folder  # and the next start remembers it
    assert settings_module.Settings.load(window.settings.path).last_folder == str(folder)


def test_dates_in_the_system_locale_are_chinese_on_linux():
    from gui.app import chinese_system_dates

    environ = {"LANG": "C.UTF-8", "LC_ALL": "en_US.UTF-8"}
    assert chinese_system_dates(environ, "linux")
    assert environ == {"LANG": "C.UTF-8", "LC_ALL": "en_US.UTF-8"}  # put back for the programs started later
    assert not chinese_system_dates({"LANG": "zh_CN.UTF-8"}, "linux")
    assert not chinese_system_dates({"LANG": "C"}, "win32")
