"""Broken and hostile files against the .nianbao loader and every importer, each command run in a
process capped at 1 GiB of address space and 30 seconds (tests/hostile/worker.py).

Asserted for every case: exit 2 (or a report with import problems), a Chinese message, no traceback
and no English system text, no MemoryError or RecursionError even caught, the command's own peak
memory under 400 MB, and the input left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tests.hostile import cases
from tests.hostile.capped import Answer, Worker, assert_refused_cleanly

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits and FIFOs are POSIX")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every fixed case built once: name → path (the zip bombs take a second or two to write)."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for group in (cases.IMPORT_CASES, cases.LOAD_CASES):
        for name, build in group.items():
            sub = folder / hashlib.sha1(name.encode()).hexdigest()[:10]
            sub.mkdir()
            paths[name] = build(sub)
    return paths


def _fingerprint(path: Path) -> tuple:
    if path.is_dir() or not path.is_file():
        return (path.exists(), path.is_dir(), path.is_fifo() if path.exists() else None)
    return (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())


def _import(worker: Worker, source: Path, out: Path) -> Answer:
    return worker.run("import", str(source), "-o", str(out))


@pytest.mark.parametrize("name", list(cases.IMPORT_CASES))
def test_hostile_imports_are_refused_within_the_caps(name, built, worker, tmp_path):
    source = built[name]
    before = _fingerprint(source)
    out = tmp_path / "out.nianbao"
    answer = _import(worker, source, out)
    assert_refused_cleanly(answer, allow_success=True)
    assert _fingerprint(source) == before
    if answer.code != 0:
        assert not out.exists()  # nothing half-read is saved


@pytest.mark.parametrize("name", list(cases.LOAD_CASES))
def test_hostile_report_files_are_refused_within_the_caps(name, built, worker):
    path = built[name]
    before = _fingerprint(path)
    answer = worker.run("check", str(path))
    assert_refused_cleanly(answer)
    assert _fingerprint(path) == before


def test_what_the_refusals_say(built, worker, tmp_path):
    """The message names the file and the limit (or the place in the file)."""
    said = {name: worker.run(*(["check", str(built[name])] if name in cases.LOAD_CASES
                                 else ["import", str(built[name]), "-o", str(tmp_path / "x.nianbao")])).stderr
            for name in ("nested 10⁵ deep", "a count of Infinity", 'an amount "1e999999999"', "a lone surrogate in a text",
                         "25 MB (sparse)", "/dev/zero", "a FIFO", "a folder", "an integer of 5000 digits",
                         "txt 100 MB (sparse)", "docx zip bomb (1 GiB)", "xlsx merged J1:XFD1048576",
                         "xlsx one cell at XFD1048576", "html 10⁵ nested tables", "docx billion laughs",
                         "docx 20 000 members", "docx 2·10⁶ elements, stored", "txt 10⁶ lines",
                         "xlsx shared strings nested 10⁵ deep", "html 10⁴ cells in a row", "docx without a body")}
    assert "嵌套超过 64 层" in said["nested 10⁵ deep"]
    assert "cells.requests.received.natural 的值“Infinity”不是有效的数值" in said["a count of Infinity"]
    assert "cells.art20_8.fees.amount 的值“1e999999999”超出范围" in said['an amount "1e999999999"']
    assert "text.overview 中有无效的字符" in said["a lone surrogate in a text"]
    assert "文件过大（25 MB，超过 20 MB 的上限）" in said["25 MB (sparse)"]
    assert "“/dev/zero”：这不是普通文件（而是设备、管道等），未读取" in said["/dev/zero"]
    assert "这不是普通文件" in said["a FIFO"]
    assert "这是一个文件夹，不是文件" in said["a folder"]
    assert "cells.requests.received.natural 的值“999999999999999999999999…”不是有效的数值" in said["an integer of 5000 digits"]
    assert "big.txt" in said["txt 100 MB (sparse)"] and "超过 16 MB 的上限" in said["txt 100 MB (sparse)"]
    assert "“g.docx”" not in said["docx zip bomb (1 GiB)"] and "压缩炸弹" in said["docx zip bomb (1 GiB)"]
    assert "超过 5000 行或 256 列" in said["xlsx merged J1:XFD1048576"]
    assert "超过 5000 行或 256 列" in said["xlsx one cell at XFD1048576"]
    assert "表格嵌套过深（超过 32 层）" in said["html 10⁵ nested tables"]
    assert "含有 DTD 声明" in said["docx billion laughs"]
    assert "压缩包中的文件过多（超过 2000 个）" in said["docx 20 000 members"]
    assert "“elements.docx”：文件内容过多（标记、属性和文字超过 2000000 项）" in said["docx 2·10⁶ elements, stored"]
    assert "“xl/sharedStrings.xml”嵌套超过 256 层" in said["xlsx shared strings nested 10⁵ deep"]
    assert "段落过多（超过 200000 段）" in said["txt 10⁶ lines"]
    assert "表格过宽（超过 256 列）" in said["html 10⁴ cells in a row"]
    assert "Word 文档中没有正文" in said["docx without a body"]


_LIED = "解压后的实际大小与记录的大小（1 KB）不符，文件可能被篡改"
_ODD = "是编码不受支持的 XML（只接受 UTF-8 和带 BOM 的 UTF-16），为安全起见未读取"
_METHOD = "“[Content_Types].xml”使用了不支持的压缩方式（只接受 Office 文件所用的“存储”和 deflate）"
_OUTSIDE = "的内容超出范围（超过 5000 行或 256 列）"
ZIP_REFUSALS = {  # each case's whole message: the file, the part and the limit
    "docx member larger than stated, CRC of the stated part": f"无法导入“crc.docx”：压缩包中的“word/media/big.bin”{_LIED}",
    "docx compressed size past the archive's end": "无法导入“past.docx”：压缩包中的“word/document.xml”记录的压缩后大小与"
                                                   "实际位置不符（与其他文件重叠或超出压缩包），文件可能被篡改",
    "docx bzip2 members": f"无法导入“bz.docx”：压缩包中的{_METHOD}",
    "docx LZMA members": f"无法导入“lzma.docx”：压缩包中的{_METHOD}",
    "docx main part named .png, 3·10⁶ paragraphs": "无法导入“png.docx”：文件内容过多（标记、属性和文字超过 2000000 项）",
    "docx main part in UTF-7, 3·10⁶ paragraphs": f"无法导入“utf7.docx”：压缩包中的“word/document.xml”{_ODD}",
    "docx main part in UTF-16 without BOM": f"无法导入“u16.docx”：压缩包中的“word/document.xml”{_ODD}",
    "docx main part in UTF-32": f"无法导入“u32.docx”：压缩包中的“word/document.xml”{_ODD}",
    "docx main part in EBCDIC": f"无法导入“ebcdic.docx”：压缩包中的“word/document.xml”{_ODD}",
    "docx 10⁶ attributes on one paragraph": "无法导入“attrs.docx”：文件内容过多（标记、属性和文字超过 2000000 项）",
    "docx 3·10⁵ paragraphs": "无法导入“paras.docx”：段落过多（超过 200000 段）",
    "docx 3·10⁵ paragraphs under the prefix x:": "无法导入“prefix.docx”：段落过多（超过 200000 段）",
    "docx 3·10⁵ paragraphs in the default namespace": "无法导入“default.docx”：段落过多（超过 200000 段）",
    "docx UTF-16 main part with a DTD": "无法导入“dtd16.docx”：压缩包中的“word/document.xml”含有 DTD 声明（Office 文件不应有），"
                                        "为安全起见未读取",
    "xlsx shared strings named .png, billion laughs": "无法导入“laughs.xlsx”：压缩包中的“xl/media/s.png”含有 DTD 声明"
                                                      "（Office 文件不应有），为安全起见未读取",
    "xlsx worksheet named .bin, merged J1:XFD1048576": f"无法导入“bin.xlsx”：工作表“sheet1.bin”{_OUTSIDE}",
    "xlsx hyperlink over J1:XFD1048576": f"无法导入“link.xlsx”：工作表“sheet1.xml”{_OUTSIDE}",
    "xlsx hyperlink on whole columns A:XFD": "无法导入“cols.xlsx”：工作表“sheet1.xml”中有无效的单元格位置",
    "xlsx comment at XFD1048576": f"无法导入“comment.xlsx”：批注“comments1.xml”{_OUTSIDE}",
    "xlsx comment on J1:XFD1048576": "无法导入“comments.xlsx”：批注“comments1.xml”中有无效的单元格位置",
    "xlsx comments part named .png": f"无法导入“cpng.xlsx”：批注“c.png”{_OUTSIDE}",
    "xlsx 10⁶ cell formats": "无法导入“styles.xlsx”：工作簿中的样式过多（超过 10000 条）",
    "xlsx 4·10⁵ defined names": "无法导入“names.xlsx”：工作簿中的名称、工作表等记录过多（超过 100000 条）",
}


@pytest.mark.parametrize("name", list(cases.ZIP_CASES))
def test_what_the_zip_refusals_say(name, built, worker, tmp_path):
    """Every attack on the zip readers: exit 2 and exactly one line naming the file, the part and the limit
    (the caps themselves are asserted for every case above)."""
    out = tmp_path / "x.nianbao"
    answer = _import(worker, built[name], out)
    assert (answer.code, answer.stderr) == (2, ZIP_REFUSALS[name] + "\n")
    # the file itself and what the worker kept from the cases before (its peak starts at its resident size, ~150 MB
    # after the 60 MB pages): nothing of the 500 MB–1 GB each attack asked for before it was refused
    assert answer.peak_mb < 250, answer.peak_mb
    assert not out.exists()


def test_a_span_of_a_billion_is_clamped_not_allocated(tmp_path):
    """In-process, to look at the grid: the spans are cut to what a table can hold."""
    from export.reading.html_reader import html_blocks
    from model.limits import MAX_SPAN

    (table,) = html_blocks(b'<table><tr><td colspan="1000000000" rowspan="1000000000">x</td><td>y</td></tr></table>')
    cell = table.grid[0][0]
    assert (cell.colspan, cell.rowspan) == (MAX_SPAN, MAX_SPAN)
    assert len(table.grid) == MAX_SPAN and len(table.grid[0]) == MAX_SPAN + 1


def test_a_real_report_still_imports_in_the_capped_worker(worker, tmp_path):
    out = tmp_path / "sh.nianbao"
    answer = _import(worker, FIXTURES / "shanghai_office_2019.html", out)
    assert answer.code == 0, answer.stderr
    assert answer.escaped is None and answer.peak_mb < 200
    assert json.loads(out.read_text(encoding="utf-8"))["cells"]["requests"]["received"]["natural"] == 821


# ---- generated cases --------------------------------------------------------------------------

_html_cells = st.builds(
    lambda tag, colspan, rowspan, text: f'<{tag} colspan="{colspan}" rowspan="{rowspan}">{text}</{tag}>',
    st.sampled_from(["td", "th"]),
    st.one_of(st.integers(-5, 10**12).map(str), st.text(max_size=5)),
    st.one_of(st.integers(-5, 10**12).map(str), st.text(max_size=5)),
    st.text(alphabet="一二三、总体情况0123456789/ ", max_size=8),
)
_html_pages = st.builds(
    lambda rows, nesting, charset: f'<meta charset="{charset}">' + "<table><tr><td>" * nesting
    + "<table>" + "".join("<tr>" + "".join(r) + "</tr>" for r in rows) + "</table>",
    st.lists(st.lists(_html_cells, max_size=6), max_size=6),
    st.integers(0, 40),
    st.sampled_from(["utf-8", "gbk", "undefined", "punycode", "utf-7", "idna", "x-unknown", ""]),
)


def _mutated(data: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    for at, insert in cuts:
        at %= max(1, len(data))
        data = data[:at] + insert + data[at + len(insert):]
    return data


_GOOD_DOCX = None


def _good_docx() -> bytes:
    global _GOOD_DOCX
    if _GOOD_DOCX is None:
        import io

        from export.docx_writer import build_docx
        from model import store

        buffer = io.BytesIO()
        build_docx(store.load(FIXTURES / "distinct_2026.nianbao")).save(buffer)
        _GOOD_DOCX = buffer.getvalue()
    return _GOOD_DOCX


_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])


@_SETTINGS
@given(page=_html_pages)
def test_generated_pages(page, worker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("page")
    source = folder / "p.html"
    source.write_text(page, encoding="utf-8", errors="surrogatepass")
    assert_refused_cleanly(_import(worker, source, folder / "o.nianbao"), allow_success=True)


@_SETTINGS
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4))
def test_generated_broken_word_files(cuts, worker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    source = folder / "w.docx"
    source.write_bytes(_mutated(_good_docx(), cuts))
    assert_refused_cleanly(_import(worker, source, folder / "o.nianbao"), allow_success=True)


_GOOD_XLSX = None


def _good_xlsx() -> bytes:
    global _GOOD_XLSX
    if _GOOD_XLSX is None:
        import io

        from export.xlsx import build_workbook
        from model import store

        buffer = io.BytesIO()
        build_workbook(store.load(FIXTURES / "distinct_2026.nianbao")).save(buffer)
        _GOOD_XLSX = buffer.getvalue()
    return _GOOD_XLSX


@_SETTINGS
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4))
def test_generated_broken_workbooks(cuts, worker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    source = folder / "b.xlsx"
    source.write_bytes(_mutated(_good_xlsx(), cuts))
    assert_refused_cleanly(_import(worker, source, folder / "o.nianbao"), allow_success=True)


def _central_entries(data: bytes) -> list[int]:
    """Where each central directory entry of a zip starts."""
    entries, at = [], data.rfind(b"PK\x01\x02")
    start = data.find(b"PK\x01\x02")
    while start != -1 and start <= at:
        entries.append(start)
        start = data.find(b"PK\x01\x02", start + 46)
    return entries


# a zip record's fields: (offset in a central directory entry, offset in a local header or None, struct format)
_ZIP_FIELDS = {"method": (10, 8, "<H"), "flags": (8, 6, "<H"), "crc": (16, 14, "<I"), "compressed size": (20, 18, "<I"),
               "size": (24, 22, "<I"), "offset": (42, None, "<I"), "extra length": (30, 28, "<H")}


@_SETTINGS
@given(lies=st.lists(st.tuples(st.sampled_from(sorted(_ZIP_FIELDS)), st.integers(0, 50), st.sampled_from(["central", "local", "both"]),
                               st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 8, 9, 12, 14, 93, 99, 2**16 - 1,
                                                                                    2**32 - 1]))),
                     min_size=1, max_size=3))
def test_generated_lies_in_zip_records(lies, worker, tmp_path_factory):
    """A Word file whose zip records state other methods, flags, CRCs, sizes and offsets: refused or read,
    never trusted beyond the caps."""
    import struct

    data = bytearray(_good_docx())
    entries = _central_entries(bytes(data))
    for field, index, where, value in lies:
        central_at, local_at, form = _ZIP_FIELDS[field]
        entry = entries[index % len(entries)]
        value &= 0xFFFF if form == "<H" else 0xFFFFFFFF
        (local,) = struct.unpack_from("<I", data, entry + 42)
        if where in ("central", "both"):
            struct.pack_into(form, data, entry + central_at, value)
        if where in ("local", "both") and local_at is not None and local + 30 <= len(data):
            struct.pack_into(form, data, local + local_at, value)
    folder = tmp_path_factory.mktemp("zip")
    source = folder / "w.docx"
    source.write_bytes(bytes(data))
    assert_refused_cleanly(_import(worker, source, folder / "o.nianbao"), allow_success=True)


_json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-(10**40), 10**40), st.floats(), st.text(max_size=6),
                         st.sampled_from(["/", "1e999999999", "NaN", "\ud800", "-0", "9" * 30]))
_json_values = st.recursive(_json_leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                                  st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                            max_leaves=12)


@_SETTINGS
@given(path=st.sampled_from([("meta", "agency"), ("meta", "year"), ("meta", "date"), ("meta", "title"),
                             ("text", "overview"), ("cells", "requests"), ("cells", "art20_8"), ("last_year",),
                             ("dismissed",), ("carried_sections",), ("format",), ("nianbao_file",)]),
       value=_json_values)
def test_generated_report_files(path, value, worker, tmp_path_factory):
    data = json.loads((FIXTURES / "distinct_2026.nianbao").read_text(encoding="utf-8"))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    folder = tmp_path_factory.mktemp("nb")
    target = folder / "r.nianbao"
    target.write_text(json.dumps(data, ensure_ascii=True, allow_nan=True), encoding="utf-8")
    before = target.read_bytes()
    answer = worker.run("check", str(target))
    assert answer.escaped is None, answer.escaped
    assert answer.code in (0, 1, 2), answer
    if answer.code == 2:
        assert_refused_cleanly(answer)
    else:  # it loaded (in the capped worker): then it also saves, here (a report that loads can be saved)
        from model import store

        store.save(store.load(target), folder / "again.nianbao")
    assert target.read_bytes() == before
