"""A source read within the limits (model/limits.py), before any parser sees it.

Text (.html, .txt): a regular file of at most MAX_TEXT_FILE_BYTES. A package (.docx, .xlsx, a zip):
a zip states how many members it has and how large each expands; both are checked before a member
is read (a zip bomb: 1 GiB from a few KB). Then every member is expanded here, in chunks, by our own
loop over zlib, never past its stated size: a member that expands beyond what its headers state (even
with the CRC of the stated part, which would satisfy ``zipfile``), whose compressed data runs into
the next member or past the archive, or that is compressed with anything but "stored" and deflate
(what Word, WPS, Excel and LibreOffice write; bzip2 and LZMA expand far more) is refused. So what the
libraries later read through ``zipfile`` is exactly what was checked.

A member is XML when its bytes say so, whatever its name (a main part may be called image1.png). An
XML part must be UTF-8 (with or without BOM) or UTF-16 with a BOM — every Office file we have seen is
UTF-8 — so that the bytes counted here are the characters the parser reads (in UTF-7 a "<" is
"+ADw-"; in EBCDIC it is 0x4C). It may not declare a DTD (ECMA-376 Part 2), the way to
entity-expansion and external-entity attacks. Its items are counted in C (``bytes.count``, see
MAX_XML_ITEMS) before a tree is built, and for openpyxl, whose parser has no depth limit, every XML
part is run through libxml2 once, nesting counted (MAX_XML_DEPTH), its root element noted (so a
worksheet is known as one whatever its name). The whole file is read into memory once (within its
limit), so what is checked is what the libraries read.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from export.importing import ImportFailed
from export.reading.blocks import SourceRefused
from model.files import Refused, read_limited, size_text
from model.limits import (
    MAX_SOURCE_FILE_BYTES,
    MAX_TEXT_FILE_BYTES,
    MAX_XML_DEPTH,
    MAX_XML_ITEMS,
    MAX_ZIP_MEMBER_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL_BYTES,
    MiB,
)

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"
_DTD = re.compile(rb"<!\s{0,16}(DOCTYPE|ENTITY)", re.I)
_DTD_CARRY = 32  # bytes kept from one chunk to the next, so a declaration cut in two is still found
_CHUNK = MiB  # expanded bytes handled at a time
_HEAD = 64 * 1024  # what is looked at to tell XML from other data, and to read the XML declaration
_WHITE = b" \t\r\n"
_DECLARATION = re.compile(rb"<\?xml\s(.*?)\?>", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
_UTF16_NAMES = {"utf-16", "utf16", "utf-16le", "utf-16be"}
# the first bytes by which libxml2 and expat recognise an XML document in another encoding (XML 1.0,
# appendix F): UCS-4 in every byte order, UTF-16 without a BOM, EBCDIC
_ODD_STARTS = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xfe\xff\x00\x00", b"\x00\x00\xff\xfe",
               b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00\x00<\x00", b"\x00<\x00\x00", b"\x00<", b"<\x00",
               b"\x4c\x6f\xa7\x94")


class NotAPackage(Exception):
    """The file is no zip at all (or a broken one)."""


@contextmanager
def refusals_named(path: Path) -> Iterator[None]:
    """A source refused for a limit becomes an ImportFailed that names the file."""
    try:
        yield
    except SourceRefused as refused:
        raise ImportFailed(f"无法导入“{path.name}”：{refused.reason}") from None


def read_source_bytes(path: Path, limit: int = MAX_SOURCE_FILE_BYTES) -> bytes:
    """A regular file's bytes within ``limit``; SourceRefused (naming the limit) otherwise."""
    try:
        return read_limited(path, limit)
    except Refused as refused:
        raise SourceRefused(refused.reason) from None


def read_text_source(path: Path) -> bytes:
    return read_source_bytes(path, MAX_TEXT_FILE_BYTES)


def _central_directory(data: bytes) -> tuple[int, int]:
    """(members, central directory bytes) as the zip's end records state them — read before
    ``zipfile`` builds an object for every member."""
    tail_start = max(0, len(data) - (65536 + 22))
    at = data.rfind(_EOCD, tail_start)
    if at < 0:
        raise NotAPackage
    count, size = struct.unpack_from("<HI", data, at + 10)
    locator = at - 20
    if (count == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data[locator:locator + 4] == _EOCD64_LOCATOR:
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 48 <= len(data) and data[record:record + 4] == b"PK\x06\x06":
            count, size = struct.unpack_from("<QQ", data, record + 32)
    return count, size


def _check_member(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_ZIP_MEMBER_BYTES:
        raise SourceRefused(f"压缩包中的“{info.filename[:60]}”解压后过大（{size_text(info.file_size)}，"
                             f"超过 {size_text(MAX_ZIP_MEMBER_BYTES)} 的上限），可能是“压缩炸弹”")
    if info.file_size > MiB and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
        raise SourceRefused(f"压缩包中的“{info.filename[:60]}”压缩比异常（超过 {MAX_ZIP_RATIO} 倍），可能是“压缩炸弹”")


class Package(zipfile.ZipFile):
    """A checked package; ``xml_roots`` gives each XML part's root element ("{namespace}name") when the
    package was opened with ``check_depth`` (the parts were then run through a parser)."""

    xml_roots: dict[str, str]
    xml_items: int  # what its XML parts hold, counted as MAX_XML_ITEMS says


def open_package(path: Path, *, check_depth: bool = False) -> tuple[Package, io.BytesIO]:
    """The package as a checked ZipFile, and the in-memory copy it reads from (for python-docx/openpyxl);
    ``check_depth`` for a library whose parser does not limit nesting itself (openpyxl)."""
    return check_package(read_source_bytes(path), check_depth=check_depth)


def check_package(data: bytes, *, check_depth: bool = False) -> tuple[Package, io.BytesIO]:
    """``data`` (a package already read within its limit) as open_package checks it."""
    if not data.startswith(b"PK"):
        raise NotAPackage
    members_stated, directory_bytes = _central_directory(data)
    if members_stated > MAX_ZIP_MEMBERS or directory_bytes > MAX_ZIP_MEMBERS * 1024:
        raise SourceRefused(f"压缩包中的文件过多（超过 {MAX_ZIP_MEMBERS} 个）")
    buffer = io.BytesIO(data)
    try:
        package = Package(buffer)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as error:
        raise NotAPackage from error
    package.xml_roots = {}
    members = package.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise SourceRefused(f"压缩包中的文件过多（超过 {MAX_ZIP_MEMBERS} 个）")
    total = 0
    for info in members:
        _check_member(info)
        total += info.file_size
        if total > MAX_ZIP_TOTAL_BYTES:
            raise SourceRefused(f"压缩包解压后过大（超过 {size_text(MAX_ZIP_TOTAL_BYTES)} 的上限），可能是“压缩炸弹”")
    starts = _check_layout(data, members, package.start_dir)
    counter = _Items()
    for info in members:
        _check_contents(data, info, starts[info.filename], counter, package.xml_roots if check_depth else None)
    package.xml_items = counter.count
    buffer.seek(0)
    return package, buffer


def _part_name(info: zipfile.ZipInfo) -> str:
    return info.filename[:60]


def _check_layout(data: bytes, members: list[zipfile.ZipInfo], directory: int) -> dict[str, int]:
    """Where each member's data starts; refused when a member's compressed data would run into the next
    member (or the central directory, or past the end), when two members share their data, or when a
    member is compressed other than stored or deflated."""
    starts: dict[str, int] = {}
    ordered = sorted(members, key=lambda info: info.header_offset)
    for index, info in enumerate(ordered):
        name = _part_name(info)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SourceRefused(f"压缩包中的“{name}”使用了不支持的压缩方式（只接受 Office 文件所用的“存储”和 deflate）")
        if info.flag_bits & 0x1:
            raise SourceRefused(f"压缩包中的“{name}”已加密，无法读取")
        at = info.header_offset
        if at < 0 or at + 30 > len(data) or data[at:at + 4] != _LOCAL:
            raise NotAPackage
        name_length, extra_length = struct.unpack_from("<HH", data, at + 26)
        start = at + 30 + name_length + extra_length
        end = ordered[index + 1].header_offset if index + 1 < len(ordered) else min(directory, len(data))
        if start + info.compress_size > end or info.filename in starts:
            raise SourceRefused(f"压缩包中的“{name}”记录的压缩后大小与实际位置不符（与其他文件重叠或超出压缩包），文件可能被篡改")
        starts[info.filename] = start
    return starts


def _expanded(data: bytes, info: zipfile.ZipInfo, start: int) -> Iterator[bytes]:
    """The member's bytes, in chunks, expanded by our own loop: never more than its stated size plus one
    byte, and refused unless it is exactly that size (with that CRC)."""
    stated = info.file_size
    raw = memoryview(data)[start:start + info.compress_size]
    grown = f"压缩包中的“{_part_name(info)}”解压后的实际大小与记录的大小（{size_text(stated)}）不符，文件可能被篡改"
    crc = 0
    produced = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) != stated:
            raise SourceRefused(grown)
        for at in range(0, stated, _CHUNK):
            chunk = bytes(raw[at:at + _CHUNK])
            crc = zlib.crc32(chunk, crc)
            yield chunk
        produced = stated
    else:
        inflate = zlib.decompressobj(-15)
        at = 0
        pending: bytes | memoryview = b""
        try:
            while not inflate.eof:
                if not pending and at < len(raw):
                    pending, at = raw[at:at + _CHUNK], at + _CHUNK
                fed = len(pending)
                chunk = inflate.decompress(pending, min(_CHUNK, stated - produced + 1))
                pending = inflate.unconsumed_tail  # what did not fit: fed again, never expanded past the limit
                produced += len(chunk)
                if produced > stated:
                    raise SourceRefused(grown)
                if chunk:
                    crc = zlib.crc32(chunk, crc)
                    yield chunk
                elif len(pending) == fed:  # nothing taken, nothing given: the data has ended, or zlib is stuck
                    if fed:
                        raise NotAPackage
                    break
        except zlib.error as error:
            raise NotAPackage from error
        if not inflate.eof:
            raise NotAPackage  # the compressed data ends before the stream does
    if produced != stated:
        raise SourceRefused(grown)
    if crc != info.CRC:
        raise NotAPackage


class _Items:
    """The package's XML items, counted as MAX_XML_ITEMS says."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, text: bytes) -> None:
        self.count += text.count(b"<") + 2 * text.count(b"=") + len(text) // 64
        if self.count > MAX_XML_ITEMS:
            raise SourceRefused(f"文件内容过多（标记、属性和文字超过 {MAX_XML_ITEMS} 项）")


def _check_contents(data: bytes, info: zipfile.ZipInfo, start: int, items: _Items, roots: dict[str, str] | None) -> None:
    """Expands the member; an XML part is checked (encoding, no DTD, items, with ``roots`` its nesting and
    root element) as it goes."""
    chunks = _expanded(data, info, start)
    head = b""
    for chunk in chunks:  # enough of the start to know what the member is
        head += chunk
        if len(head) >= _HEAD:
            break
    scan = _XmlScan.of(info, head, roots is not None)
    if scan is None:
        for _chunk in chunks:  # other data: expanded only to prove its size and CRC
            pass
        return
    scan.feed(head, items)
    for chunk in chunks:
        scan.feed(chunk, items)
    root = scan.close()
    if roots is not None and root is not None:
        roots[info.filename] = root


class _Nesting:
    """A libxml2 parser target that only counts nesting and notes the root: no tree is built."""

    __slots__ = ("depth", "root")

    def __init__(self) -> None:
        self.depth = 0
        self.root: str | None = None

    def start(self, tag: str, _attrib: object) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooDeep
        if self.root is None:
            self.root = tag

    def end(self, _tag: str) -> None:
        self.depth -= 1

    def close(self) -> str | None:
        return self.root


class _TooDeep(Exception):
    pass


class _XmlScan:
    """One XML part, fed chunk by chunk."""

    def __init__(self, info: zipfile.ZipInfo, utf16: bool, parse: bool) -> None:
        self.name = _part_name(info)
        self.decoder = codecs.getincrementaldecoder("utf-16")("replace") if utf16 else None
        self.carry = b""
        self.blank = True
        self.target = _Nesting() if parse else None
        self.parser = etree.XMLParser(target=self.target, resolve_entities=False, no_network=True, load_dtd=False,
                                      huge_tree=False) if parse else None

    @classmethod
    def of(cls, info: zipfile.ZipInfo, head: bytes, parse: bool) -> _XmlScan | None:
        """A scan when the member's first bytes are XML (whatever its name); None for other data; refused
        when they are XML in an encoding other than UTF-8 or UTF-16 with a BOM."""
        odd = f"压缩包中的“{_part_name(info)}”是编码不受支持的 XML（只接受 UTF-8 和带 BOM 的 UTF-16），为安全起见未读取"
        if head.startswith(_ODD_STARTS):
            raise SourceRefused(odd)
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        if utf16:
            text = head[2:].decode("utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be", "replace").encode("utf-8")
            allowed = _UTF16_NAMES
        else:
            text = head[3:] if head.startswith(codecs.BOM_UTF8) else head
            allowed = _UTF8_NAMES
        body = text.lstrip(_WHITE)
        if not text or (body and not body.startswith(b"<")):
            return None  # empty (a folder's entry), or not XML (a picture, a font…); a blank start counts as XML
        if body.startswith(b"<?xml"):
            declaration = _DECLARATION.match(body, 0, _HEAD)
            if declaration is None:
                raise SourceRefused(odd)
            encoding = _ENCODING.search(declaration.group(1))
            if encoding is not None and encoding.group(1).decode("ascii", "replace").lower() not in allowed:
                raise SourceRefused(odd)
        return cls(info, utf16, parse)

    def feed(self, chunk: bytes, items: _Items) -> None:
        text = self.decoder.decode(chunk).encode("utf-8", "replace") if self.decoder else chunk
        window = self.carry + text
        if b"<!" in window and _DTD.search(window):  # (most parts have no "<!" at all: found in C at once)
            raise SourceRefused(f"压缩包中的“{self.name}”含有 DTD 声明（Office 文件不应有），为安全起见未读取")
        self.carry = window[-_DTD_CARRY:]
        self.blank = self.blank and not text.strip(_WHITE)
        items.add(text)
        if self.parser is not None:
            try:
                self.parser.feed(chunk)
            except _TooDeep:
                raise SourceRefused(f"压缩包中的“{self.name}”嵌套超过 {MAX_XML_DEPTH} 层") from None
            except etree.XMLSyntaxError as error:
                raise NotAPackage from error

    def close(self) -> str | None:
        if self.parser is None:
            return None
        try:
            return self.parser.close()
        except _TooDeep:
            raise SourceRefused(f"压缩包中的“{self.name}”嵌套超过 {MAX_XML_DEPTH} 层") from None
        except etree.XMLSyntaxError as error:
            if self.blank:
                return None  # only blanks: nothing any parser could build from it
            raise NotAPackage from error
