"""A source read within the limits (model/limits.py), before any parser sees it.

Text (.html, .txt): a regular file of at most MAX_TEXT_FILE_BYTES. A package (.docx, .xlsx, a zip):
a zip states how many members it has and how large each expands; both are checked before a member
is read (a zip bomb: 1 GiB from a few KB), and ``zipfile`` never returns more than a member's stated
size. An OOXML part may not declare a DTD (ECMA-376 Part 2), so a part that does — the way to
entity-expansion and external-entity attacks — is refused outright, whatever the XML parser below
would have done with it. The package's tags are counted (MAX_XML_TAGS) before a tree is built, and
for openpyxl, whose parser has no depth limit, every part is parsed once by libxml2, which has. The whole file is read into memory once (within its limit), so what is
checked is what the libraries read.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
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
    MAX_XML_TAGS,
    MAX_ZIP_MEMBER_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL_BYTES,
    MiB,
)

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_XML_PARTS = (".xml", ".rels", ".vml")


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


def open_package(path: Path, *, check_depth: bool = False) -> tuple[zipfile.ZipFile, io.BytesIO]:
    """The package as a checked ZipFile, and the in-memory copy it reads from (for python-docx/openpyxl);
    ``check_depth`` for a library whose parser does not limit nesting itself (openpyxl)."""
    data = read_source_bytes(path)
    if not data.startswith(b"PK"):
        raise NotAPackage
    members_stated, directory_bytes = _central_directory(data)
    if members_stated > MAX_ZIP_MEMBERS or directory_bytes > MAX_ZIP_MEMBERS * 1024:
        raise SourceRefused(f"压缩包中的文件过多（超过 {MAX_ZIP_MEMBERS} 个）")
    buffer = io.BytesIO(data)
    try:
        package = zipfile.ZipFile(buffer)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as error:
        raise NotAPackage from error
    members = package.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise SourceRefused(f"压缩包中的文件过多（超过 {MAX_ZIP_MEMBERS} 个）")
    total = 0
    for info in members:
        _check_member(info)
        total += info.file_size
        if total > MAX_ZIP_TOTAL_BYTES:
            raise SourceRefused(f"压缩包解压后过大（超过 {size_text(MAX_ZIP_TOTAL_BYTES)} 的上限），可能是“压缩炸弹”")
    tags = 0
    for info in members:
        if info.filename.lower().endswith(_XML_PARTS):
            tags = _check_part(package, info, tags, check_depth)
    buffer.seek(0)
    return package, buffer


def _check_part(package: zipfile.ZipFile, info: zipfile.ZipInfo, tags: int, depth: bool) -> int:
    """An XML part without a DTD; the package's tags counted (each costs the libraries a tree node);
    with ``depth``, parsed once by libxml2, which refuses nesting beyond MAX_XML_DEPTH (256) — for
    openpyxl, whose own parser has no such limit and whose readers recurse (python-docx parses with
    libxml2 itself). Returns the new tag count."""
    try:
        raw = package.read(info)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise NotAPackage from error  # a broken member, bad CRC, an encrypted one
    name = info.filename[:60]
    text = raw.decode("utf-16", errors="replace").encode("utf-8") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw
    if _DTD.search(text):
        raise SourceRefused(f"压缩包中的“{name}”含有 DTD 声明（Office 文件不应有），为安全起见未读取")
    tags += text.count(b"<")  # an element is one or two tags: counted in C, before any tree is built
    if tags > MAX_XML_TAGS:
        raise SourceRefused(f"文件内容过多（超过 {MAX_XML_TAGS} 个标记）")
    if depth:
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
            etree.fromstring(raw, parser)  # (a parser per call: lxml's parsers are not shared between threads)
        except etree.XMLSyntaxError as error:
            if "depth" in str(error).lower():
                raise SourceRefused(f"压缩包中的“{name}”嵌套超过 {MAX_XML_DEPTH} 层") from None
            raise NotAPackage from error
    return tags
