"""A file imported for the window is read in a worker process within a memory cap and a time limit
(export/capped_import.py): what it read comes back as it would have in the window's own process, and a
reader that eats memory, hangs or crashes — or a cancel — costs the worker only, which ends with what it
started. LibreOffice's conversion of a real .doc works within its own cap (model/outside_program.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from export.capped_import import (
    CANCELLED,
    CRASH,
    MEMORY,
    TIME,
    CappedImport,
    ImportRefused,
    ImportStopped,
    seconds_for,
)
from export.importing import ImportFailed
from export.reading import read_source
from model import limits, store
from model.outside_program import descendants
from tests.conftest import FIXTURES
from tests.export import import_readers
from tests.hostile import cases

MiB = 1024 * 1024
TXT = FIXTURES / "chengbu_commerce_2019.txt"


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for a parent that never reaps counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def wait_gone(pid: int) -> bool:
    for _ in range(100):  # (a kill is delivered at once; the kernel may take a moment to tear down)
        if gone(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_good_file_comes_back_as_read_in_this_process():
    result = CappedImport(TXT).run()
    here = read_source(TXT)
    assert store.dumps(result.report) == store.dumps(here.report)
    assert [p.message for p in result.problems] == [p.message for p in here.problems]
    assert result.recognised == here.recognised
    assert result.recognised[0] == "《中华人民共和国政府信息公开工作年度报告格式（试行）》，城步苗族自治县商务局，2019年度，成文日期2020年2月12日"


def test_a_refusal_is_the_readers_own_message(tmp_path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ImportFailed) as here:
        read_source(broken)
    outcome = CappedImport(broken).run()
    assert outcome == ImportRefused(here.value.message)
    assert "不是有效的 Excel 工作簿" in outcome.message


@pytest.mark.parametrize("name", ["docx zip bomb (1 GiB)", "docx billion laughs", "html 10⁵ nested tables",
                                  "xlsx merged J1:XFD1048576"])
def test_hostile_cases_are_refused_in_the_worker(tmp_path, name):
    path = cases.IMPORT_CASES[name](tmp_path)
    outcome = CappedImport(path).run()
    assert isinstance(outcome, ImportRefused), outcome
    assert path.name in outcome.message


def test_a_reader_that_eats_memory_is_stopped_at_the_cap():
    """RLIMIT_AS on POSIX; on Windows the worker's Job object caps what it may commit (the same MemoryError)."""
    outcome = CappedImport(Path("大.docx"), memory=512 * MiB, reader=import_readers.hog).run()
    assert outcome == ImportStopped(MEMORY, "无法导入“大.docx”：文件过大或已损坏，导入时占用内存超过上限（512 MB），已停止。"
                                            "窗口中的报告没有改变。")


def test_a_reader_that_hangs_is_stopped_at_the_time_limit():
    reading = CappedImport(Path("慢.pdf"), seconds=1, reader=import_readers.hang)
    outcome = reading.run()
    assert outcome == ImportStopped(TIME, "无法导入“慢.pdf”：读取超过 1 秒仍未完成，已停止：文件可能已损坏或过于复杂。"
                                          "窗口中的报告没有改变。")
    assert wait_gone(reading.pid)


def test_a_worker_that_dies_is_a_message():
    outcome = CappedImport(Path("坏.doc"), reader=import_readers.crash).run()
    assert outcome == ImportStopped(CRASH, "无法导入“坏.doc”：读取文件的处理进程意外退出，已停止：文件可能已损坏或被恶意构造。"
                                           "窗口中的报告没有改变。")


@pytest.mark.skipif(sys.platform == "win32", reason="sessions and /proc (Windows: the Job object ends the tree)")
def test_a_cancel_kills_the_worker_and_what_it_started(tmp_path):
    marker = tmp_path / "x.doc"
    reading = CappedImport(marker, reader=import_readers.hang_with_a_helper)
    outcomes = []
    waiting = threading.Thread(target=lambda: outcomes.append(reading.run()))
    waiting.start()
    pid_file = Path(str(marker) + ".pid")
    for _ in range(600):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    helper = int(pid_file.read_text())
    assert not gone(helper) and not gone(reading.pid)
    assert helper in descendants(reading.pid)
    reading.cancel()
    waiting.join(timeout=30)
    assert outcomes == [ImportStopped(CANCELLED)]
    assert wait_gone(reading.pid) and wait_gone(helper)


def test_the_time_limit_of_a_doc_adds_the_conversion():
    assert seconds_for(Path("a.DOC")) == limits.IMPORT_FILE_SECONDS + limits.CONVERSION_SECONDS == 180
    assert seconds_for(Path("a.pdf")) == limits.IMPORT_FILE_SECONDS == 60


# ---- LibreOffice within its memory cap ------------------------------------------------------------

def make_real_doc(folder: Path) -> Path:
    """A real Word 97 file in ``folder``, saved by LibreOffice from a published page (skips without LibreOffice)."""
    from export.reading.libreoffice import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    page = folder / "shanghai_office_2019.html"
    page.write_bytes((FIXTURES / "shanghai_office_2019.html").read_bytes())
    subprocess.run([str(soffice), "--headless", "--norestore", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(page)],
                   capture_output=True, timeout=120, check=False)
    doc = folder / "shanghai_office_2019.doc"
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return doc


@pytest.fixture(scope="module")
def real_doc(tmp_path_factory) -> Path:
    """A real Word 97 file, saved by LibreOffice from a published page."""
    return make_real_doc(tmp_path_factory.mktemp("doc"))


def test_a_real_doc_converts_within_the_cap_in_the_worker(real_doc):
    assert limits.CONVERSION_MEMORY_BYTES == 1024 * MiB
    outcome = CappedImport(real_doc).run()
    page = read_source(FIXTURES / "shanghai_office_2019.html")
    assert outcome.recognised[0] == page.recognised[0] == "《中华人民共和国政府信息公开工作年度报告格式（试行）》，上海市人民政府办公厅，2019年度"
    assert outcome.report.cells == page.report.cells


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS")
def test_the_conversions_cap_is_applied(real_doc, monkeypatch):
    """Within 128 MB LibreOffice cannot even start: the conversion fails, and says what to do."""
    from export.reading import doc_reader

    monkeypatch.setattr(doc_reader, "CONVERSION_MEMORY_BYTES", 128 * MiB)
    with pytest.raises(ImportFailed) as refused:
        read_source(real_doc)
    assert refused.value.message == "无法转换“shanghai_office_2019.doc”：请在 Word 或 WPS 中另存为 .docx 后再导入。"
