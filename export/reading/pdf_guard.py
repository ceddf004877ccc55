"""A PDF from outside, measured before PDFium parses it: objects, decompressed streams, pages.

PDFium inflates a content stream, a font or an object stream whole when it needs it (up to 1 GiB
each), so a file of a few kilobytes can ask for gigabytes. Before the document is opened, every
FlateDecode stream is inflated here in chunks that are counted and thrown away — memory stays at
one chunk — and the file is refused when one stream or all of them together would pass the
limits of model/limits.py, or when it holds more objects than a report ever needs. The page
count is checked once the document is open and before any page is loaded (pdf_reader.py).

An encrypted file (a report protected against copying, which PDFium opens without a password)
has its streams enciphered: those are measured in a decrypted copy PDFium writes without
inflating anything; the object and cross-reference streams PDFium itself must read to write that
copy are bounded first by their stored size (deflate expands at most 1032 times).

The inflating is zlib-ng's (the same deflate format, byte for byte, about twice as fast as zlib):
a published report's fonts alone inflate to a megabyte or more, counted here before PDFium reads them.
"""

from __future__ import annotations

import re

from zlib_ng import zlib_ng

from export.importing import ImportFailed
from model.limits import MAX_PDF_OBJECTS, MAX_PDF_STREAM_BYTES, MAX_PDF_TOTAL_STREAM_BYTES

_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")  # "endstream" is skipped in _streams (a lookbehind is slow)
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\d)(?!\s+\d+\s+R)")  # a direct length, not "5 0 R"
_FLATE = re.compile(rb"/(FlateDecode|Fl)\b")
_OTHER_FILTER = re.compile(rb"/Filter\s*(\[\s*)?/(?!FlateDecode\b|Fl\b)")
_N = re.compile(rb"/N\s+(\d{1,12})")
_PIECE = 4 * 1024 * 1024  # inflated bytes held at once while measuring
_DEFLATE_MAX_RATIO = 1032
_DICT_WINDOW = 4096  # a stream's dictionary is this close before its data


def too_big(name: str, what: str) -> ImportFailed:
    return ImportFailed(f"“{name}”{what}，超出了本程序读取 PDF 的限度，未导入（文件可能已损坏，或并非普通的年度报告）。")


def _inflated_size(data: bytes, start: int, end: int, budget: int) -> int | None:
    """Bytes the deflate data at ``data[start:end]`` expands to, counting at most ``budget + 1``
    (in pieces of at most ``_PIECE``, each thrown away); None when it is not deflate data
    (enciphered, or another filter)."""
    inflater = zlib_ng.decompressobj()
    total = 0
    try:
        pending: bytes | memoryview = memoryview(data)[start:end]
        while pending and total <= budget and not inflater.eof:
            total += len(inflater.decompress(pending, _PIECE))
            pending = inflater.unconsumed_tail
        if total <= budget and not inflater.eof:
            total += len(inflater.flush())
    except zlib_ng.error:
        return None if total == 0 else total
    return total


def _streams(data: bytes) -> list[tuple[bytes, int, int]]:
    """(dictionary, data start, data end) of every stream in the file."""
    found = []
    for match in _STREAM.finditer(data):
        if data[max(0, match.start() - 3):match.start()] == b"end":
            continue
        start = match.end()
        head = data[max(0, match.start() - _DICT_WINDOW):match.start()]
        opened = head.rfind(b"obj")
        dictionary = head[opened + 3:] if opened >= 0 else head
        # the data runs to "endstream" or as far as a stated /Length: whichever is further (a wrong
        # length must not hide data from the count; inflating stops at the deflate stream's end)
        marker = data.find(b"endstream", start)
        end = len(data) if marker < 0 else marker
        length = _LENGTH.search(dictionary)
        if length is not None:
            end = min(len(data), max(end, start + int(length.group(1))))
        found.append((dictionary, start, end))
    return found


def _count_objects(data: bytes, streams: list[tuple[bytes, int, int]]) -> int:
    """Objects written out ("12 0 obj"), counted between the streams (whose data is not syntax)."""
    count = 0
    position = 0
    for _dictionary, start, end in [*streams, (b"", len(data), len(data))]:
        gap = data[position:start]
        count += sum(gap.count(space + b"obj") for space in (b" ", b"\n", b"\r", b"\t", b"\x00", b"\x0c"))
        position = max(position, end)
    return count


def check_structure(data: bytes, name: str, *, encrypted: bool) -> None:
    """Refuse a file that would cost more than a report: too many objects, a stream (or all of
    them) inflating past the limits. ``encrypted``: only the streams PDFium reads to open it."""
    streams = _streams(data)
    objects = _count_objects(data, streams)
    for dictionary, _start, _end in streams:
        if b"/ObjStm" in dictionary:
            count = _N.search(dictionary)
            objects += int(count.group(1)) if count else 0
    if objects > MAX_PDF_OBJECTS:
        raise too_big(name, f"含有{objects}个对象")
    flate = [(start, end) for dictionary, start, end in streams
             if _FLATE.search(dictionary) and not _OTHER_FILTER.search(dictionary)]
    # images (DCT, JBIG2, CCITT) are never decoded for text; other filter chains are rare
    if encrypted:
        for dictionary, start, end in streams:
            if (b"/ObjStm" in dictionary or b"/XRef" in dictionary) and _FLATE.search(dictionary):
                if (end - start) * _DEFLATE_MAX_RATIO > MAX_PDF_STREAM_BYTES:
                    raise too_big(name, "是加密文件，其中的对象流过大")
        return
    # deflate expands at most 1032 times: a stream (or all of them) that cannot pass a limit even so
    # needs no inflating; the largest are inflated until the rest cannot pass the total
    flate.sort(key=lambda span: span[1] - span[0], reverse=True)
    bound = sum(end - start for start, end in flate) * _DEFLATE_MAX_RATIO
    total = 0
    for start, end in flate:
        if bound + total <= MAX_PDF_TOTAL_STREAM_BYTES and (end - start) * _DEFLATE_MAX_RATIO <= MAX_PDF_STREAM_BYTES:
            break
        bound -= (end - start) * _DEFLATE_MAX_RATIO
        size = _inflated_size(data, start, end, min(MAX_PDF_STREAM_BYTES, MAX_PDF_TOTAL_STREAM_BYTES - total))
        if size is None:
            continue
        if size > MAX_PDF_STREAM_BYTES:
            raise too_big(name, f"中有一段数据解压后超过 {MAX_PDF_STREAM_BYTES // (1024 * 1024)} MB")
        total += size
        if total > MAX_PDF_TOTAL_STREAM_BYTES:
            raise too_big(name, f"中的数据解压后共超过 {MAX_PDF_TOTAL_STREAM_BYTES // (1024 * 1024)} MB")
