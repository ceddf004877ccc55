"""Hostile and broken files, each built in a given folder: the attacks of issue 12, kept as fixed cases.

Every builder writes its file and returns its path. The large ones cost little to build: a 100 MB
text file is sparse, a zip bomb is compressed as it is written.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import FIXTURES
from tests.export.pdf_files import GUARD_ATTACKS

GiB = 1024 * 1024 * 1024

# ---- a minimal .docx and .xlsx ----------------------------------------------------------------

_CONTENT_TYPES_DOCX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS_DOCX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(body: str, prolog: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document {W}>{body}</w:document>'


def table_xml(cell_props: str, text: str = "x") -> str:
    return f"<w:tbl><w:tr><w:tc><w:tcPr>{cell_props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"


def write_docx(path: Path, document: str | bytes, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES_DOCX)
        package.writestr("_rels/.rels", _RELS_DOCX)
        package.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return path


def workbook_parts(sheet: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="基本信息" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">{sheet}</worksheet>',
    }
    parts.update(extra or {})
    return parts


def write_xlsx(path: Path, sheet: str, extra: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in workbook_parts(sheet, extra).items():
            package.writestr(name, data)
    return path


def _bomb_member(package: zipfile.ZipFile, name: str, size: int) -> None:
    """A member that really expands to ``size`` bytes of spaces (about a MB compressed)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with package.open(info, "w", force_zip64=size >= 4 * GiB) as member:
        block = b" " * (16 * 1024 * 1024)
        for _ in range(size // len(block)):
            member.write(block)


def docx_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES_DOCX)
        package.writestr("_rels/.rels", _RELS_DOCX)
        _bomb_member(package, "word/document.xml", GiB)
    return path


def xlsx_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in workbook_parts("<sheetData/>").items():
            if name != "xl/worksheets/sheet1.xml":
                package.writestr(name, data)
        _bomb_member(package, "xl/worksheets/sheet1.xml", GiB)
    return path


def lying_zip(path: Path) -> Path:
    """A member whose headers state 1 KB but whose data expands to 256 MB."""
    name = "word/media/big.bin"
    write_docx(path, document_xml("<w:body/>"))
    with zipfile.ZipFile(path, "a") as package:
        _bomb_member(package, name, 256 * 1024 * 1024)
        offset = package.getinfo(name).header_offset
    raw = bytearray(path.read_bytes())
    struct.pack_into("<I", raw, offset + 22, 1024)  # the local header's uncompressed size
    central = raw.rfind(name.encode()) - 46
    assert raw[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", raw, central + 24, 1024)  # and the central directory's
    path.write_bytes(bytes(raw))
    return path


def many_elements(path: Path) -> Path:
    """Two million paragraphs, stored uncompressed (so no compression ratio gives it away)."""  # 2·10⁶ + 4 tags
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES_DOCX)
        package.writestr("_rels/.rels", _RELS_DOCX)
        package.writestr("word/document.xml", document_xml("<w:body>" + "<w:p/>" * 2_000_000 + "</w:body>"))
    return path


def many_members(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES_DOCX)
        for i in range(20_000):
            package.writestr(f"m/{i}", b"")
    return path


# ---- entities and DTDs ---------------------------------------------------------------------------


def external_entity_prolog(url: str) -> str:
    return f'<!DOCTYPE w:document [<!ENTITY ext SYSTEM "{url}">]>'


def laughs_prolog() -> str:
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return f"<!DOCTYPE w:document [{entities}]>"


# ---- the cases ----------------------------------------------------------------------------------

Builder = Callable[[Path], Path]


def _text(name: str, content: str | bytes) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return build


def _docx(name: str, document: str, extra: dict[str, bytes] | None = None) -> Builder:
    return lambda folder: write_docx(folder / name, document, extra)


def _xlsx(name: str, sheet: str, extra: dict[str, str] | None = None) -> Builder:
    return lambda folder: write_xlsx(folder / name, sheet, extra)


def _sparse(name: str, size: int) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        with open(path, "wb") as handle:
            handle.truncate(size)
        return path

    return build


def _folder(name: str) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        path.mkdir()
        return path

    return build


def _fifo(name: str) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path

    return build


def _device(_name: str) -> Builder:
    return lambda _folder: Path("/dev/zero")


_SPAN_HTML = "<table><tr><td>{0}</td><td>x</td></tr><tr><td>y</td><td>z</td></tr></table>"
IMPORT_CASES: dict[str, Builder] = {
    "html colspan 10⁹": _text("s.html", '<table><tr><td colspan="1000000000">x</td></tr></table>'),
    "html rowspan 10⁹": _text("r.html", '<table><tr><td rowspan="1000000000">x</td></tr></table>'),
    "html spans 10⁹ on every cell": _text("all.html", "<table>" + "<tr>" + '<td colspan="999999999" rowspan="999999999">x</td>' * 40
                                          + "</tr>" * 40 + "</table>"),
    "html 10⁵ nested tables": _text("nest.html", "<table><tr><td>" * 100_000),
    "html 10⁴ cells in a row": _text("wide.html", "<table><tr>" + "<td>1</td>" * 10_000 + "</tr></table>"),
    "html 10⁶ empty rows": _text("rows.html", "<table>" + "<tr>" * 1_000_000 + "</table>"),
    'html charset="undefined"': _text("u.html", '<meta charset="undefined"><p>一、总体情况</p>'),
    'html charset="punycode"': _text("p.html", b'<meta charset="punycode">' + b"\xe4" * 1_000_000),
    "html charset rot13 and zlib": _text("z.html", '<meta charset="zlib"><meta charset="rot13"><p>x</p>'),
    "html, a folder named x.html": _folder("x.html"),
    "txt 100 MB (sparse)": _sparse("big.txt", 100 * 1024 * 1024),
    "txt 10⁶ lines": _text("lines.txt", "一\n" * 1_000_000),
    "txt 10⁵ tab columns": _text("tabs.txt", "a\t" * 100_000 + "\n"),
    "txt /dev/zero": _device("zero.txt"),
    "txt FIFO": _fifo("fifo.txt"),
    "docx gridSpan 10⁹": _docx("g.docx", document_xml("<w:body>" + table_xml('<w:gridSpan w:val="1000000000"/>') + "</w:body>")),
    'docx gridSpan "abc"': _docx("abc.docx", document_xml("<w:body>" + table_xml('<w:gridSpan w:val="abc"/>') + "</w:body>")),
    "docx vMerge 10⁵ rows": _docx("vm.docx", document_xml("<w:body><w:tbl>" + "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>"
                                                          "<w:p/></w:tc></w:tr>" * 100_000 + "</w:tbl></w:body>")),
    "docx without a body": _docx("nobody.docx", document_xml("")),
    "docx bad XML": _docx("bad.docx", '<?xml version="1.0"?><w:document ' + W + "><w:body><w:p>"),
    "docx 10⁵ nested tables": _docx("deep.docx", document_xml("<w:body>" + "<w:tbl><w:tr><w:tc>" * 100_000 + "</w:body>")),
    "docx billion laughs": _docx("laughs.docx", document_xml("<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body>",
                                                             laughs_prolog())),
    "docx file:// entity": _docx("file.docx", document_xml("<w:body><w:p><w:r><w:t>&ext;</w:t></w:r></w:p></w:body>",
                                                           external_entity_prolog("file:///etc/passwd"))),
    "docx zip bomb (1 GiB)": lambda folder: docx_bomb(folder / "bomb.docx"),
    "docx lying member size": lambda folder: lying_zip(folder / "lying.docx"),
    "docx 20 000 members": lambda folder: many_members(folder / "many.docx"),
    "docx 2·10⁶ elements, stored": lambda folder: many_elements(folder / "elements.docx"),
    "docx, a folder named x.docx": _folder("x.docx"),
    "docx, not a zip": _text("plain.docx", "这不是 Word 文档"),
    "docx FIFO": _fifo("fifo.docx"),
    "xlsx merged J1:XFD1048576": _xlsx("m.xlsx", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>基本信息</t></is></c>'
                                                 '</row></sheetData><mergeCells count="1"><mergeCell ref="J1:XFD1048576"/></mergeCells>'),
    "xlsx one cell at XFD1048576": _xlsx("far.xlsx", '<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
    "xlsx a row number of 30 digits": _xlsx("row.xlsx", '<sheetData><row r="999999999999999999999999999999"><c><v>1</v></c></row></sheetData>'),
    "xlsx 10⁴ merged ranges": _xlsx("merges.xlsx", "<sheetData/><mergeCells>" + "".join(
        f'<mergeCell ref="A{i}:BL{i + 63}"/>' for i in range(1, 10_001)) + "</mergeCells>"),
    "xlsx zip bomb (1 GiB)": lambda folder: xlsx_bomb(folder / "bomb.xlsx"),
    "xlsx shared strings nested 10⁵ deep": _xlsx("deep.xlsx", "<sheetData/>", {
        "xl/sharedStrings.xml": '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>'
        + "<r>" * 100_000 + "</r>" * 100_000 + "</si></sst>"}),
    "xlsx billion laughs in shared strings": _xlsx("laughs.xlsx", "<sheetData/>", {
        "xl/sharedStrings.xml": '<?xml version="1.0"?>' + laughs_prolog().replace("w:document", "sst")
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a9;</t></si></sst>'}),
    "xlsx, not a zip": _text("plain.xlsx", b"\x00" * 1000),
    "doc, random bytes": _text("r.doc", os.urandom(4096)),
    "doc, an empty file": _text("e.doc", b""),
    "doc FIFO": _fifo("fifo.doc"),
}


# ---- the zip readers' second round (issue 12): lies in the zip's records, odd names and encodings ------------


def _patch_sizes(raw: bytearray, name: str, *, crc: int | None = None, file_size: int | None = None,
                 compress_size: int | None = None) -> None:
    """Rewrites one member's stated CRC and sizes in its local header and its central directory entry."""
    encoded = name.encode()
    central = raw.rfind(encoded) - 46
    assert raw[central:central + 4] == b"PK\x01\x02"
    (local,) = struct.unpack_from("<I", raw, central + 42)
    assert raw[local:local + 4] == b"PK\x03\x04"
    for at in (local + 14, central + 16):
        if crc is not None:
            struct.pack_into("<I", raw, at, crc)
        if compress_size is not None:
            struct.pack_into("<I", raw, at + 4, compress_size)
        if file_size is not None:
            struct.pack_into("<I", raw, at + 8, file_size)


def lying_zip_with_crc(path: Path) -> Path:
    """A member whose headers state 1 KB with the CRC of its first KB (so ``zipfile`` reads that KB and is
    satisfied), while its data expands to 256 MB."""
    import zlib

    name = "word/media/big.bin"
    write_docx(path, document_xml("<w:body/>"))
    with zipfile.ZipFile(path, "a") as package:
        _bomb_member(package, name, 256 * 1024 * 1024)
    raw = bytearray(path.read_bytes())
    _patch_sizes(raw, name, crc=zlib.crc32(b" " * 1024), file_size=1024)
    path.write_bytes(bytes(raw))
    return path


def compressed_size_past_the_end(path: Path) -> Path:
    """The main part's stated compressed size runs past the end of the archive."""
    write_docx(path, document_xml("<w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body>"))
    raw = bytearray(path.read_bytes())
    _patch_sizes(raw, "word/document.xml", compress_size=len(raw) * 4)
    path.write_bytes(bytes(raw))
    return path


def docx_compressed_with(path: Path, method: int) -> Path:
    """A good Word file whose parts are compressed with bzip2 or LZMA (which zipfile would expand)."""
    with zipfile.ZipFile(path, "w", method) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES_DOCX)
        package.writestr("_rels/.rels", _RELS_DOCX)
        package.writestr("word/document.xml", document_xml("<w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body>"))
    return path


def docx_main_part_named(path: Path, part: str, document: bytes, method: int = zipfile.ZIP_STORED) -> Path:
    """A Word file whose main document part has another name (the package's relationships say which)."""
    rels = _RELS_DOCX.replace('Target="word/document.xml"', f'Target="{part}"')
    with zipfile.ZipFile(path, "w", method) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES_DOCX)
        package.writestr("_rels/.rels", rels)
        package.writestr(part, document)
    return path


def _paragraphs(count: int) -> str:
    return document_xml("<w:body>" + "<w:p/>" * count + "</w:body>")


def utf7_paragraphs(count: int) -> bytes:
    """A main part in UTF-7, where every "<" is written "+ADw-": no "<" byte for a counter to see."""
    head = b'<?xml version="1.0" encoding="UTF-7"?>'
    return (head + b"+ADw-w:document " + W.encode() + b"+AD4-+ADw-w:body+AD4-" + b"+ADw-w:p/+AD4-" * count
            + b"+ADw-/w:body+AD4-+ADw-/w:document+AD4-")


def attributes_xml(count: int) -> str:
    """One paragraph with ``count`` attributes: few tags, a large tree."""
    return document_xml("<w:body><w:p " + " ".join(f'a{i}=""' for i in range(count)) + "/></w:body>")


def write_xlsx_parts(path: Path, parts: dict[str, str | bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


_SHEET_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_sheet_renamed(path: Path) -> Path:
    """The worksheet part is called xl/data/sheet1.bin (the workbook's relationships point to it)."""
    parts = workbook_parts('<sheetData/><mergeCells count="1"><mergeCell ref="J1:XFD1048576"/></mergeCells>')
    sheet = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace("worksheets/sheet1.xml", "data/sheet1.bin")
    parts["xl/data/sheet1.bin"] = sheet
    return write_xlsx_parts(path, parts)


def xlsx_with_sheet_rels(path: Path, sheet: str, rels: str, extra: dict[str, str]) -> Path:
    parts = workbook_parts(sheet, extra)
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}</Relationships>")
    return write_xlsx_parts(path, parts)


def comments_xml(refs: list[str]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><comments xmlns="{_MAIN_NS}"><authors><author>x</author></authors>'
            "<commentList>" + "".join(f'<comment ref="{ref}" authorId="0"><text><t>批注</t></text></comment>' for ref in refs)
            + "</commentList></comments>")


def xlsx_comments(path: Path, refs: list[str], part: str = "xl/comments1.xml") -> Path:
    rel = f'<Relationship Id="rId1" Type="{_SHEET_RELS}/comments" Target="/{part}"/>'
    return xlsx_with_sheet_rels(path, "<sheetData/>", rel, {part: comments_xml(refs)})


def xlsx_styles(records: int) -> dict[str, str]:
    return {"xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN_NS}">'
            f'<cellXfs count="{records}">' + "<xf/>" * records + "</cellXfs></styleSheet>"}


def xlsx_defined_names(path: Path, count: int) -> Path:
    parts = workbook_parts("<sheetData/>")
    names = "".join(f'<definedName name="n{i}">基本信息!$A$1</definedName>' for i in range(count))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("</sheets>", f"</sheets><definedNames>{names}</definedNames>")
    return write_xlsx_parts(path, parts, zipfile.ZIP_STORED)


def _write(builder: Callable[[Path], Path], name: str) -> Builder:
    return lambda folder: builder(folder / name)


_STORED = zipfile.ZIP_STORED
ZIP_CASES: dict[str, Builder] = {
    "docx member larger than stated, CRC of the stated part": _write(lying_zip_with_crc, "crc.docx"),
    "docx compressed size past the archive's end": _write(compressed_size_past_the_end, "past.docx"),
    "docx bzip2 members": _write(lambda p: docx_compressed_with(p, zipfile.ZIP_BZIP2), "bz.docx"),
    "docx LZMA members": _write(lambda p: docx_compressed_with(p, zipfile.ZIP_LZMA), "lzma.docx"),
    "docx main part named .png, 3·10⁶ paragraphs": _write(
        lambda p: docx_main_part_named(p, "word/media/image1.png", _paragraphs(3_000_000)), "png.docx"),
    "docx main part in UTF-7, 3·10⁶ paragraphs": _write(
        lambda p: docx_main_part_named(p, "word/document.xml", utf7_paragraphs(3_000_000)), "utf7.docx"),
    "docx main part in UTF-16 without BOM": _write(
        lambda p: docx_main_part_named(p, "word/document.xml", _paragraphs(10).replace("UTF-8", "UTF-16").encode("utf-16-le")),
        "u16.docx"),
    "docx main part in UTF-32": _write(
        lambda p: docx_main_part_named(p, "word/document.xml", _paragraphs(10).replace("UTF-8", "UTF-32").encode("utf-32")),
        "u32.docx"),
    "docx main part in EBCDIC": _write(
        lambda p: docx_main_part_named(p, "word/document.xml", _paragraphs(10).replace("UTF-8", "IBM037").encode("cp037")),
        "ebcdic.docx"),
    "docx 10⁶ attributes on one paragraph": _write(
        lambda p: docx_main_part_named(p, "word/document.xml", attributes_xml(1_000_000)), "attrs.docx"),
    "docx 3·10⁵ paragraphs": _write(lambda p: docx_main_part_named(p, "word/document.xml", _paragraphs(300_000)), "paras.docx"),
    "docx 3·10⁵ paragraphs under the prefix x:": _write(lambda p: docx_main_part_named(
        p, "word/document.xml", _paragraphs(300_000).replace("w:", "x:").replace("xmlns:w=", "xmlns:x=")), "prefix.docx"),
    "docx 3·10⁵ paragraphs in the default namespace": _write(lambda p: docx_main_part_named(
        p, "word/document.xml", _paragraphs(300_000).replace("w:", "").replace("xmlns:w=", "xmlns=")), "default.docx"),
    "docx UTF-16 main part with a DTD": _write(lambda p: docx_main_part_named(p, "word/document.xml", document_xml(
        "<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body>", laughs_prolog()).replace("UTF-8", "UTF-16").encode("utf-16")),
        "dtd16.docx"),
    "xlsx shared strings named .png, billion laughs": _write(lambda p: write_xlsx_parts(p, workbook_parts("<sheetData/>", {
        "[Content_Types].xml": workbook_parts("")["[Content_Types].xml"].replace("</Types>", '<Override PartName="/xl/media/s.png" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/media/s.png": '<?xml version="1.0"?>' + laughs_prolog().replace("w:document", "sst")
        + f'<sst xmlns="{_MAIN_NS}"><si><t>&a9;</t></si></sst>'})), "laughs.xlsx"),
    "xlsx worksheet named .bin, merged J1:XFD1048576": _write(xlsx_sheet_renamed, "bin.xlsx"),
    "xlsx hyperlink over J1:XFD1048576": _write(lambda p: xlsx_with_sheet_rels(
        p, '<sheetData/><hyperlinks><hyperlink ref="J1:XFD1048576" r:id="rId1" xmlns:r="' + _SHEET_RELS + '"/></hyperlinks>',
        f'<Relationship Id="rId1" Type="{_SHEET_RELS}/hyperlink" Target="http://127.0.0.1/" TargetMode="External"/>', {}),
        "link.xlsx"),
    "xlsx hyperlink on whole columns A:XFD": _write(lambda p: xlsx_with_sheet_rels(
        p, '<sheetData><row r="5000"><c r="A5000"><v>1</v></c></row></sheetData><hyperlinks><hyperlink ref="A:XFD" '
        'location="基本信息!A1"/></hyperlinks>', "", {}), "cols.xlsx"),
    "xlsx comment at XFD1048576": _write(lambda p: xlsx_comments(p, ["XFD1048576"]), "comment.xlsx"),
    "xlsx comment on J1:XFD1048576": _write(lambda p: xlsx_comments(p, ["J1:XFD1048576"]), "comments.xlsx"),
    "xlsx comments part named .png": _write(lambda p: xlsx_comments(p, ["XFD1048576"], "xl/media/c.png"), "cpng.xlsx"),
    "xlsx 10⁶ cell formats": _write(lambda p: write_xlsx_parts(p, workbook_parts("<sheetData/>", xlsx_styles(1_000_000)),
                                                               _STORED), "styles.xlsx"),
    "xlsx 4·10⁵ defined names": _write(lambda p: xlsx_defined_names(p, 400_000), "names.xlsx"),
}
IMPORT_CASES.update(ZIP_CASES)


# ---- the text readers' second round (issue 12): html.parser's slow paths, the .txt reader's, web archives ----
_MHT_HEAD = 'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n'
_MHT_PAGE = "--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>一、总体情况</p></body></html>\r\n"

# each case and what becomes of it: the exact message (a refusal, or no report found in what was read), or None
# where it is imported as what it is — a page of a table or two without a report
TEXT_CASES: dict[str, tuple[Builder, str | None]] = {
    "html <script> never closed in a cell": (_text("script.html", "<table><tr><td><script>" + "x" * 100_000), None),
    'html 2·10⁴ × <a " never closed': (_text("quote.html", '<a "' * 20_000), "“quote.html”中没有找到年度报告的表格，未导入。"),
    "html 2·10⁴ × <!-- never closed": (_text("comment.html", "<!--" * 20_000), "“comment.html”中没有找到年度报告的表格，未导入。"),
    "html 2·10⁴ × <? never closed": (_text("pi.html", "<?" * 20_000), "“pi.html”中没有找到年度报告的表格，未导入。"),
    "html a start tag of 2·10⁶ attributes never closed": (_text("attrs.html", "<p>x</p><div " + 'a="b" ' * 2_000_000), "“attrs.html”中没有找到年度报告的表格，未导入。"),
    "html 10⁵ paragraphs in one cell": (_text("cell.html", "<table><tr><td>" + "x<p>" * 100_000), None),
    "html a tag of 3·10⁶ attributes": (_text("tag.html", "<p>x</p><a " + "b=c " * 3_000_000 + ">"),
                                       "无法导入“tag.html”：网页中有过长的标记（超过 64 KB），不像是一份年报"),
    "html 10⁶ tags": (_text("tags.html", "<p>" * 1_000_000), "无法导入“tags.html”：网页的标记过多（超过 500,000 个），不像是一份年报"),
    "html <![ repeated": (_text("marked.html", "<![" * 20_000 + "]>"),
                          "无法导入“marked.html”：网页的标记有误（无法识别的“<!”声明），文件已损坏或不是正常的网页"),
    "txt 3·10⁵ × [bookmark: never closed": (_text("bookmark.txt", "[bookmark: " * 300_000), "“bookmark.txt”中没有找到年度报告的表格，未导入。"),
    "txt a cell running on over 1.9·10⁵ lines": (_text("cell.txt", "\tx\n" + "y\n" * 190_000), None),
    "doc, a page of 60 MB saved as .doc": (_text("page.doc", "<html><body><p>" + "年" * 20_000_000 + "</p>"),
                                           "无法导入“page.doc”：网页文件过大（超过 16 MB）"),
    "doc, a web archive of 8·10⁶ lines": (_text("lines.doc", _MHT_HEAD + _MHT_PAGE + "--B\r\nContent-Type: text/plain\r\n\r\n"
                                                + "x\r\n" * 8_000_000 + "--B--\r\n"),
                                          "无法导入“lines.doc”：网页存档（MHT）的行数过多（8,000,011 行，最多 500,000 行）"),
    "doc, a web archive of 10⁵ nested parts": (_text("parts.doc", _MHT_HEAD + '--B\r\nContent-Type: multipart/related; '
                                                     'boundary="B"\r\n\r\n' * 100_000),
                                               "无法导入“parts.doc”：网页存档（MHT）的组成部分过多（超过 2,000 个）"),
}
IMPORT_CASES.update({name: build for name, (build, _said) in TEXT_CASES.items()})


def _pdf(name: str, build: Callable[[], bytes]) -> Builder:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(build())
        return path

    return write


# the attacks on the PDF guard (what a page draws, its filters, its glyphs): tests/export/pdf_files.py
IMPORT_CASES.update({name: _pdf(file_name, build) for name, (file_name, build) in GUARD_ATTACKS.items()})


def _nianbao(name: str, text: str) -> Builder:
    return _text(name, text)


def _good() -> dict:
    return json.loads((FIXTURES / "distinct_2026.nianbao").read_text(encoding="utf-8"))


def _with(change: Callable[[dict], None]) -> str:
    data = _good()
    change(data)
    return json.dumps(data, ensure_ascii=True)


def _raw_cell(value: str) -> str:
    data = _good()
    data["cells"]["requests"]["received"]["natural"] = "@@"
    return json.dumps(data, ensure_ascii=False).replace('"@@"', value)


def _raw_amount(value: str) -> str:
    data = _good()
    data["cells"]["art20_8"]["fees"]["amount"] = "@@"
    return json.dumps(data, ensure_ascii=False).replace('"@@"', value)


LOAD_CASES: dict[str, Builder] = {
    "nested 10⁵ deep": _nianbao("deep.nianbao", "[" * 100_000 + "]" * 100_000),
    "nested 10⁵ deep in a cell": _nianbao("deepcell.nianbao", _raw_cell("[" * 100_000 + "]" * 100_000)),
    "nested 65 deep": _nianbao("d65.nianbao", _raw_cell("[" * 65 + "]" * 65)),
    "an integer of 5000 digits": _nianbao("int.nianbao", _raw_cell("9" * 5000)),
    "an integer of 20 digits": _nianbao("int20.nianbao", _raw_cell("9" * 20)),
    "a count of Infinity": _nianbao("inf.nianbao", _raw_cell("Infinity")),
    "a count of -Infinity": _nianbao("minf.nianbao", _raw_cell("-Infinity")),
    "a count of NaN": _nianbao("nan.nianbao", _raw_cell("NaN")),
    "a count of 1e999": _nianbao("e999.nianbao", _raw_cell("1e999")),
    'an amount "1e999999999"': _nianbao("amount.nianbao", _raw_amount('"1e999999999"')),
    'an amount "1e-999999999"': _nianbao("tiny.nianbao", _raw_amount('"1e-999999999"')),
    'an amount "NaN"': _nianbao("amountnan.nianbao", _raw_amount('"NaN"')),
    'an amount "Infinity"': _nianbao("amountinf.nianbao", _raw_amount('"Infinity"')),
    "an amount of 10⁶ digits": _nianbao("amountlong.nianbao", _raw_amount('"' + "1" * 1_000_000 + '"')),
    "a year of Infinity": _nianbao("year.nianbao", json.dumps(_good()).replace('"year": 2026', '"year": Infinity', 1)),
    "a lone surrogate in a text": _nianbao("sur.nianbao", _with(lambda d: d["text"].update(overview="\ud800"))),
    "a lone surrogate in the agency": _nianbao("sura.nianbao", _with(lambda d: d["meta"].update(agency="局\udfff"))),
    "a lone surrogate in a key": _nianbao("surk.nianbao", _with(lambda d: d["cells"].update({"\ud800": {}}))),
    "a lone surrogate in a dismissal": _nianbao("surd.nianbao", _with(lambda d: d.update(
        dismissed=[{"problem": "x", "reason": "\udc00"}]))),
    "a table name of 10⁶ characters": _nianbao("longkey.nianbao", _with(lambda d: d["cells"].update({"表" * 1_000_000: {}}))),
    "25 MB (sparse)": _sparse("big.nianbao", 25 * 1024 * 1024),
    "/dev/zero": _device("zero"),
    "a FIFO": _fifo("fifo.nianbao"),
    "a folder": _folder("folder.nianbao"),
    "UTF-16": _text("u16.nianbao", json.dumps(_good(), ensure_ascii=False).encode("utf-16")),
    "binary": _text("bin.nianbao", bytes(range(256)) * 100),
    "a zip": _text("zip.nianbao", b"PK\x03\x04" + b"\x00" * 100),
    "empty": _text("empty.nianbao", b""),
    "truncated": _text("trunc.nianbao", json.dumps(_good(), ensure_ascii=False)[:500]),
    # the third round (a fresh attacker on main): the nesting count's string pattern, and texts past the limits
    '160 KB of \\" pairs': _text("quotes.nianbao", '\\"' * 80_000),
    "19 MB of escaped line ends in one string": _text("escapes.nianbao", '"' + "\\n" * 9_500_000 + '"'),
    "a section of 9.85·10⁶ line ends": _nianbao("lines.nianbao", _with(lambda d: d.update(text={"overview": "\n" * 9_850_000}))),
    "last year's section of 2.1·10⁵ lines": _nianbao("lastlines.nianbao", _with(lambda d: d.update(last_year={
        "year": 2025, "format": "gov-2021", "cells": {}, "text": {"overview": "x\n" * 210_000}}))),
}


# ---- a report that loads: a text bomb ------------------------------------------------------------

CONTROL_CHARACTERS = "".join(chr(c) for c in range(0x20)) + "\x7f\ufffe\uffff"


def text_bomb(folder: Path) -> Path:
    """A valid .nianbao (6 MB) whose 总体情况 holds 3 million characters made to hurt the text rules:
    100 000 stated counts in one sentence (every fifth after a stale year), 50 000 stale-year sentences,
    a number of 100 000 comma groups, numbers of 5000 digits, every control character, 200 000 unclosed
    《 before 10 000 report titles. The distinct fixture otherwise (all its tables)."""
    text = "".join((
        "".join(f"2022年共收到申请{i}件，" if i % 5 == 0 else f"收到申请{i}件，" for i in range(100_000)), "。",
        "".join(f"2021年，我局办理第{i}项工作。" for i in range(50_000)),
        "予以公开1件。1" + ",234" * 100_000 + "。",
        ("收到申请" + "9" * 5000 + "件。") * 20,
        CONTROL_CHARACTERS * 1000,
        "《" * 200_000 + "2022年度政府信息公开工作年度报告" * 10_000,
    ))
    data = _good()
    data["text"]["overview"] = text
    path = folder / "text_bomb.nianbao"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
