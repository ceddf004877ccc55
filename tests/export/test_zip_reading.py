"""Real Word and Excel files read exactly as before through the checked zip reader
(export/reading/bounded.py): however they are packed (stored, deflated, with data descriptors as a
streaming writer leaves them), in UTF-16 with a BOM, with parts named unlike their contents; and the
member reader itself: exactly the stated size, or refused."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from export.docx_writer import write_docx
from export.reading import read_source
from export.reading.blocks import SourceRefused
from export.reading.bounded import NotAPackage, _expanded, open_package
from export.xlsx import write_xlsx
from export.xlsx_reader import read_xlsx
from model.limits import MAX_XML_ITEMS

Parts = dict[str, bytes]

_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63"
                     "f8ffff3f0005fe02fea7d6a4d80000000049454e44ae426082")


class _Stream(io.RawIOBase):
    """A target zipfile cannot seek in: it writes each member's sizes in a data descriptor after the data."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
        self.data += b
        return len(b)


def _repack(source: Path, target: Path, change: Callable[[Parts], None] | None = None, *,
            method: int = zipfile.ZIP_DEFLATED, streamed: bool = False) -> Path:
    with zipfile.ZipFile(source) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    if change is not None:
        change(parts)
    stream = _Stream() if streamed else io.BytesIO()
    with zipfile.ZipFile(stream, "w", method) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    target.write_bytes(bytes(stream.data) if isinstance(stream, _Stream) else stream.getvalue())
    return target


def _utf16(name: str) -> Callable[[Parts], None]:
    def change(parts: Parts) -> None:
        text = re.sub("encoding=([\"'])UTF-8", r"encoding=\1UTF-16", parts[name].decode("utf-8"), count=1, flags=re.I)
        assert "UTF-16" in text[:100] or not text.startswith("<?xml")
        parts[name] = text.encode("utf-16")  # with its BOM, as Python writes it
    return change


def _utf8_bom(name: str) -> Callable[[Parts], None]:
    def change(parts: Parts) -> None:
        parts[name] = b"\xef\xbb\xbf" + parts[name]
    return change


def _renamed(old: str, new: str, rels: str) -> Callable[[Parts], None]:
    def change(parts: Parts) -> None:
        parts[new] = parts.pop(old)
        parts[rels] = parts[rels].replace(old.split("/", 1)[1].encode(), new.split("/", 1)[1].encode())
        parts["word/media/image9.png" if old.startswith("word") else "xl/media/image9.png"] = _PNG
        parts["customXml/item1.bin"] = b'<?xml version="1.0" encoding="UTF-8"?><b:Sources xmlns:b="urn:x"/>'
    return change


def _folders(parts: Parts) -> None:
    """Entries for the folders, as some zip tools write them (empty members named "…/"), and a blank member."""
    for name in sorted({name.rsplit("/", 1)[0] + "/" for name in parts if "/" in name}):
        parts[name] = b""
    parts["customXml/blank.xml"] = b"  \r\n"


VARIANTS: dict[str, dict] = {
    "stored": {"method": zipfile.ZIP_STORED},
    "streamed, with data descriptors": {"streamed": True},
    "stored and streamed": {"method": zipfile.ZIP_STORED, "streamed": True},
}


@pytest.mark.parametrize("variant", [*VARIANTS, "UTF-16 with BOM", "UTF-8 with BOM", "main part named .bin", "folders"])
def test_our_word_file_reads_the_same_however_packed(variant, distinct, tmp_path):
    original = tmp_path / "r.docx"
    write_docx(distinct, original)
    before = read_source(original)
    changes = {"UTF-16 with BOM": _utf16("word/document.xml"), "UTF-8 with BOM": _utf8_bom("word/document.xml"),
               "main part named .bin": _renamed("word/document.xml", "word/main.bin", "_rels/.rels"), "folders": _folders}
    again = _repack(original, tmp_path / "again.docx", changes.get(variant), **VARIANTS.get(variant, {}))
    after = read_source(again)
    assert after.report.cells == before.report.cells == distinct.cells
    assert (after.report.text, after.report.meta) == (before.report.text, before.report.meta)
    assert [p.rule for p in after.problems] == [p.rule for p in before.problems]


@pytest.mark.parametrize("variant", [*VARIANTS, "UTF-16 with BOM", "worksheet named .bin", "folders"])
def test_our_workbook_reads_the_same_however_packed(variant, distinct, tmp_path):
    original = tmp_path / "r.xlsx"
    write_xlsx(distinct, original)
    before = read_xlsx(original)
    changes = {"UTF-16 with BOM": _utf16("xl/worksheets/sheet1.xml"),
               "worksheet named .bin": _renamed("xl/worksheets/sheet2.xml", "xl/worksheets/sheet2.bin",
                                                "xl/_rels/workbook.xml.rels"), "folders": _folders}
    again = _repack(original, tmp_path / "again.xlsx", changes.get(variant), **VARIANTS.get(variant, {}))
    after = read_xlsx(again)
    assert after.report.cells == before.report.cells == distinct.cells
    assert (after.report.text, after.report.meta) == (before.report.text, before.report.meta)
    package, _data = open_package(again, check_depth=True)
    roots = {name: root.rpartition("}")[2] for name, root in package.xml_roots.items()}
    sheets = {name for name in package.namelist() if name.startswith("xl/worksheets/sheet")}
    assert {name for name, root in roots.items() if root == "worksheet"} == sheets and len(sheets) >= 5


def test_real_files_hold_a_small_part_of_the_item_limit(distinct, tmp_path):
    word, book = tmp_path / "r.docx", tmp_path / "r.xlsx"
    write_docx(distinct, word)
    write_xlsx(distinct, book)
    for path in (word, book):
        package, _data = open_package(path, check_depth=True)
        assert 1_000 < package.xml_items < MAX_XML_ITEMS // 50, (path.name, package.xml_items)


# ---- the member reader ----------------------------------------------------------------------------


def _member(data: bytes, *, stated: int | None = None, crc: int | None = None) -> tuple[bytes, zipfile.ZipInfo]:
    """Raw deflate data and a ZipInfo stating ``stated`` bytes with ``crc``."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = packer.compress(data) + packer.flush()
    info = zipfile.ZipInfo("word/document.xml")
    info.compress_type = zipfile.ZIP_DEFLATED
    info.compress_size = len(raw)
    info.file_size = len(data) if stated is None else stated
    info.CRC = zlib.crc32(data if stated is None else data[:stated]) if crc is None else crc
    return raw, info


def test_a_member_is_read_in_chunks_to_exactly_its_size():
    data = bytes(range(256)) * 20_000  # 5 MB: several chunks
    raw, info = _member(data)
    chunks = list(_expanded(raw, info, 0))
    assert b"".join(chunks) == data and len(chunks) == 5 and max(map(len, chunks)) == 1024 * 1024


@pytest.mark.parametrize("stated", [1024, 5 * 1024 * 1024 - 1, 5 * 1024 * 1024 + 1, 0])
def test_a_member_that_is_not_its_stated_size_is_refused(stated):
    data = b" " * (5 * 1024 * 1024)
    raw, info = _member(data, stated=stated)  # the CRC of what the header claims: zipfile would trust it
    if stated > len(data):
        info.CRC = zlib.crc32(data)
    with pytest.raises(SourceRefused) as refused:
        for _chunk in _expanded(raw, info, 0):
            pass
    size = {1024: "1 KB", 0: "1 KB"}.get(stated)
    if size:
        assert refused.value.reason == f"压缩包中的“word/document.xml”解压后的实际大小与记录的大小（{size}）不符，文件可能被篡改"


def test_a_wrong_crc_or_a_cut_stream_is_a_broken_file():
    raw, info = _member(b"<w:document/>" * 1000, crc=0)
    with pytest.raises(NotAPackage):
        list(_expanded(raw, info, 0))
    raw, info = _member(b"<w:document/>" * 1000)
    info.compress_size -= 10
    with pytest.raises(NotAPackage):
        list(_expanded(raw, info, 0))


# ---- the limits, at their exact bounds --------------------------------------------------------------


def test_items_are_tags_attributes_twice_and_text_by_64_bytes():
    from export.reading.bounded import _Items

    items = _Items()
    text = ('<w:p w:rsidR="00A1"><w:t>' + "一" * 100 + "</w:t></w:p>").encode("utf-8")
    assert (text.count(b"<"), text.count(b"="), len(text)) == (4, 1, 337)
    items.add(text)
    assert items.count == 4 + 2 + 5
    at_the_limit = _Items()
    at_the_limit.add(b"<" * 1_969_231)  # 1 969 231 + 30 769 = 2 000 000
    assert at_the_limit.count == MAX_XML_ITEMS
    with pytest.raises(SourceRefused, match="^" + re.escape("文件内容过多（标记、属性和文字超过 2000000 项）") + "$"):
        at_the_limit.add(b"<")
    attributes = _Items()
    with pytest.raises(SourceRefused):
        attributes.add(b"=" * 1_000_000)  # 10⁶ attributes: 2 000 000 + 15 625


def _workbook_with(tmp_path: Path, name: str, part: str, xml: str) -> Path:
    from tests.hostile import cases

    return cases.write_xlsx_parts(tmp_path / name, cases.workbook_parts("<sheetData/>", {part: xml}), zipfile.ZIP_STORED)


@pytest.mark.parametrize(("records", "refused"), [(10_000, False), (10_001, True)])
def test_style_records_at_the_limit(records, refused, tmp_path):
    from export.xlsx_bounds import check_sheets
    from tests.hostile import cases

    path = cases.write_xlsx_parts(tmp_path / "s.xlsx", cases.workbook_parts("<sheetData/>", cases.xlsx_styles(records)),
                                  zipfile.ZIP_STORED)
    package, _data = open_package(path, check_depth=True)
    if refused:
        with pytest.raises(SourceRefused, match="^" + re.escape("工作簿中的样式过多（超过 10000 条）") + "$"):
            check_sheets(package)
    else:
        check_sheets(package)


@pytest.mark.parametrize(("names", "refused"), [(100_000 - 1, False), (100_000, True)])  # and the one <sheet>
def test_workbook_records_at_the_limit(names, refused, tmp_path):
    from export.xlsx_bounds import check_sheets
    from tests.hostile import cases

    path = cases.xlsx_defined_names(tmp_path / "n.xlsx", names)
    package, _data = open_package(path, check_depth=True)
    if refused:
        with pytest.raises(SourceRefused, match="^" + re.escape("工作簿中的名称、工作表等记录过多（超过 100000 条）") + "$"):
            check_sheets(package)
    else:
        check_sheets(package)


def test_a_hyperlinked_range_counts_its_cells(tmp_path):
    from export.xlsx_bounds import check_sheets
    from tests.hostile import cases

    def book(last_row: int) -> Path:  # A1:BL(last_row): 64 columns
        sheet = f'<sheetData/><hyperlinks><hyperlink ref="A1:BL{last_row}" location="A1"/></hyperlinks>'
        return cases.write_xlsx(tmp_path / f"h{last_row}.xlsx", sheet)

    check_sheets(open_package(book(3125), check_depth=True)[0])  # 200 000 cells: the limit
    with pytest.raises(SourceRefused, match="^" + re.escape("工作簿中的单元格过多（超过 200000 个）") + "$"):
        check_sheets(open_package(book(3126), check_depth=True)[0])
