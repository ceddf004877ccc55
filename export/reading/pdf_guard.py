"""A PDF from outside, measured before PDFium parses it: objects, pages, what each page draws.

PDFium inflates a stream whole when it needs it (up to 1 GiB each), parses a form XObject again
each time a page draws it (a form drawn ten times by a form drawn ten times … ten deep: 10¹⁰
draws from a few hundred bytes), and keeps every glyph a page shows. So before the document is
opened, within the limits of model/limits.py:

- every object is found — written out in the file ("12 0 obj") or packed in an object stream
  (/ObjStm, inflated here within a cap) — and counted;
- the page tree is walked from every /Root (and every object that says /Type /Page is a page
  too), each page's resources inherited through /Parent as PDFium does;
- each page's content streams are decoded (their filter chain read from the dictionary, an
  indirect /Filter resolved), each form XObject the page draws too, and the glyph procedures
  of its Type 3 fonts (PDFium parses them as it measures glyphs); every "Do" is counted as
  often as it is reached: draws, nesting depth, cycles, decoded content bytes and the bytes of
  text strings per page, decoded content bytes over the file (a page listed twice, or a stream
  listed twice in /Contents, counts twice). A content stream PDFium would decode without any
  bound we can check cheaply (LZW, RunLength, a predictor) is refused;
- the other streams PDFium inflates (fonts, CMaps, object and cross-reference streams …) are
  bounded without being inflated where the deflate ratio (at most 1032) already keeps them
  within the limits, the largest inflated (in capped pieces, thrown away) until the rest must.
  Images are never decoded for text and are not measured.

The answer says, page by page, whether a page paints anything but text (pdf_page.py then
spares looking at each of its text objects). Characters and page objects are counted by the
page reader before anything is built for them (pdf_reader.py).

Only content and form streams are decoded in full, each at most once, each with a cap
(zlib's ``max_length``), so a bomb costs its cap and not its size. The file is searched with
``bytes.find`` and a few regular expressions whose literal prefixes the engine jumps to.

An encrypted file (a report protected against copying, which PDFium opens without a password)
has its streams enciphered: the structure PDFium itself must read to open it (object and
cross-reference streams) is bounded here by stored size; the rest is measured in the decrypted
copy PDFium writes without inflating anything (pdf_reader.py).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
from collections import Counter
from dataclasses import dataclass

from zlib_ng import zlib_ng

from export.importing import ImportFailed
from model.limits import (
    MAX_PDF_CONTENT_BYTES,
    MAX_PDF_FORM_DEPTH,
    MAX_PDF_OBJECTS,
    MAX_PDF_PAGE_CONTENT_BYTES,
    MAX_PDF_PAGE_DRAWS,
    MAX_PDF_PAGE_TEXT_BYTES,
    MAX_PDF_PAGES,
    MAX_PDF_STREAM_BYTES,
    MAX_PDF_TOTAL_STREAM_BYTES,
)

_DEFLATE_MAX_RATIO = 1032
_HELD = 64 * 1024  # more than an inflater stopped at its output limit can still give from input it has taken
_PIECE = 256 * 1024  # inflated bytes held at once while measuring a stream that is not content (fits a cache)
_WS = b"\x00\t\n\x0c\r "
_HEAD = re.compile(rb"(\d{1,10})[\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+$")
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*(?:%[^\r\n]*[\x00\t\n\x0c\r ]*)*"
    rb"(?:(<<|>>|\[|\]|\(|<|\{|\})|/([^\x00\t\n\x0c\r /\[\]()<>{}%]*)|([-+]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'\"*]+)|(.))",
    re.S,
)
_FAST_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*(?:%[^\r\n]*[\x00\t\n\x0c\r ]*)*"
    rb"(?:(<<|>>|\[|\]|\{|\})|/([^\x00\t\n\x0c\r /\[\]()<>{}%]*)"
    rb"|(\d{1,10})[\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+R(?![A-Za-z0-9])"
    rb"|([-+]?(?:\d+\.?\d*|\.\d+))|(\((?:[^()\\]|\\.)*\))|(<[^<>]*>)|([A-Za-z'\"*]+)|(.))",
    re.S,
)
_ENDS = frozenset((b"stream", b"endobj", b"obj", b"endstream", b"xref", b"trailer", b"startxref"))
_REF = re.compile(rb"(\d{1,10})[\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+R(?![A-Za-z0-9])")
_ROOT = re.compile(rb"/Root[\x00\t\n\x0c\r ]*(\d{1,10})[\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+R")
_PAGE_TYPE = re.compile(rb"/Type[\x00\t\n\x0c\r ]*/Page(?![A-Za-z0-9#])")
_FONT_FILE = re.compile(
    rb"/FontFile[23]?[\x00\t\n\x0c\r ]*(\d{1,10})[\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+R"
)
_LENGTH = re.compile(
    rb"/Length[\x00\t\n\x0c\r ]*(\d{1,12})(?![\d.])([\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+R)?"
)
_NUMBER = re.compile(rb"[\x00\t\n\x0c\r ]*(\d{1,12})(?![\d.])")
_ESCAPED_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /\[\]()<>{}%]*#[^\x00\t\n\x0c\r /\[\]()<>{}%]*)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# the strings of a content stream: literal (no nesting; escapes kept) and hexadecimal ("<<" never starts one)
_LITERAL = re.compile(rb"\([^()\\]*(?:\\.[^()\\]*)*\)", re.S)
_HEXADECIMAL = re.compile(rb"<[^<>]*>")
_SPECIAL = re.compile(rb"[()\\]")
_DELIMITERS = frozenset(_WS + b"/[]()<>{}%")
_FLATE = (b"FlateDecode", b"Fl")
_HEX = (b"ASCIIHexDecode", b"AHx")
_A85 = (b"ASCII85Decode", b"A85")
_UNBOUNDED = {
    b"LZWDecode": "LZWDecode",
    b"LZW": "LZWDecode",
    b"RunLengthDecode": "RunLengthDecode",
    b"RL": "RunLengthDecode",
}


def too_big(name: str, what: str) -> ImportFailed:
    return ImportFailed(
        f"“{name}”{what}，超出了本程序读取 PDF 的限度，未导入（文件可能已损坏，或并非普通的年度报告）。"
    )


def _mb(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"


class _Name(bytes):
    """A PDF name, its #xx escapes decoded."""


@dataclass(frozen=True, slots=True)
class _Ref:
    number: int


class _Stream:
    """A stream object: its dictionary (parsed when first asked for) and where its data lies."""

    __slots__ = ("_dictionary", "buffer", "end", "number", "raw", "start")

    def __init__(self, raw: bytes, buffer: int, start: int, end: int, number: int) -> None:
        self.raw = raw  # the dictionary as written
        self.buffer, self.start, self.end, self.number = buffer, start, end, number
        self._dictionary: dict | None = None

    @property
    def dictionary(self) -> dict:
        if self._dictionary is None:
            parsed = parse(self.raw, 0, len(self.raw))
            self._dictionary = parsed if isinstance(parsed, dict) else {}
        return self._dictionary


def _name(raw: bytes) -> _Name:
    return _Name(_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw)


def _dictionary(items: list) -> dict:
    out: dict = {}
    i = 0
    while i + 1 < len(items):
        key = items[i]
        if isinstance(key, _Name):
            out[bytes(key)] = items[i + 1]
            i += 2
        else:
            i += 1
    return out


def _unterminated(stack: list[list], kinds: list[bytes]) -> object:
    """What an object never closed holds so far: its open arrays and dictionaries closed from the inside out."""
    item = None
    while stack:
        items, kind = stack.pop(), kinds.pop()
        item = _dictionary(items) if kind == b"<<" else items
        if stack:
            stack[-1].append(item)
    return item


def _literal_end(data: bytes, pos: int, end: int) -> int:
    """Where the literal string opened just before ``pos`` closes (nesting and escapes followed)."""
    depth = 1
    escaped_at = -2
    for match in _SPECIAL.finditer(data, pos, end):
        at = match.start()
        if at == escaped_at:
            continue
        char = data[at]
        if char == 0x5C:  # backslash: the next byte is taken as it is
            escaped_at = at + 1
        elif char == 0x28:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return at + 1
    return end


def parse(data: bytes, pos: int, end: int) -> object:
    """The PDF object written at ``data[pos:end]`` (no recursion: nesting costs a list per level).
    Tokens come from one ``finditer``; a literal string with parentheses inside (rare in a
    dictionary) sends the object to the token-by-token reader."""
    stack: list[list] = []
    kinds: list[bytes] = []
    for match in _FAST_TOKEN.finditer(data, pos, end):
        kind = match.lastindex
        if kind is None:
            continue  # trailing white space or a comment
        if kind == 1:
            delimiter = match.group(1)
            if delimiter == b"<<" or delimiter == b"[":
                stack.append([])
                kinds.append(delimiter)
                continue
            if delimiter == b">>" or delimiter == b"]":
                if not stack:
                    continue
                items, opened = stack.pop(), kinds.pop()
                item: object = _dictionary(items) if opened == b"<<" else items
            else:
                item = None
        elif kind == 2:
            item = _name(match.group(2))
        elif kind == 3:
            item = _Ref(int(match.group(3)))
        elif kind == 4:
            number = match.group(4)
            try:
                item = float(number) if b"." in number else int(number)
            except ValueError:
                item = 0
        elif kind == 5 or kind == 6:
            item = b""
        elif kind == 7:
            word = match.group(7)
            if word in _ENDS:
                break
            item = True if word == b"true" else False if word == b"false" else None
        else:
            if match.group(8) == b"(":
                return _parse_slowly(data, pos, end)
            item = None
        if not stack:
            return item
        stack[-1].append(item)
    return _unterminated(stack, kinds)


def _parse_slowly(data: bytes, pos: int, end: int) -> object:
    """As parse, token by token: a literal string's nested parentheses followed."""
    stack: list[list] = []
    kinds: list[bytes] = []
    while pos < end:
        match = _TOKEN.match(data, pos, end)
        if match is None:
            break
        pos = match.end()
        delimiter, name, number, word, _other = match.groups()
        item: object = None
        if delimiter is not None:
            if delimiter in (b"<<", b"["):
                stack.append([])
                kinds.append(delimiter)
                continue
            if delimiter in (b">>", b"]"):
                if not stack:
                    continue
                items, kind = stack.pop(), kinds.pop()
                item = _dictionary(items) if kind == b"<<" else items
            elif delimiter == b"(":
                pos = _literal_end(data, pos, end)
                item = b""
            elif delimiter == b"<":
                close = data.find(b">", pos, end)
                pos = end if close < 0 else close + 1
                item = b""
        elif name is not None:
            item = _name(name)
        elif number is not None:
            reference = _REF.match(data, match.start(3), end)
            if reference is not None:
                item = _Ref(int(reference.group(1)))
                pos = reference.end()
            else:
                try:
                    item = float(number) if b"." in number else int(number)
                except ValueError:
                    item = 0
        elif word is not None:
            if word in (b"stream", b"endobj", b"obj", b"endstream", b"xref", b"trailer", b"startxref"):
                break
            item = True if word == b"true" else False if word == b"false" else None
        if not stack:
            return item
        stack[-1].append(item)
    return _unterminated(stack, kinds)


def _inflate(raw: bytes | memoryview, cap: int) -> bytes:
    """The deflate data inflated, at most ``cap + 1`` bytes (past ``cap``: too big); as much as
    decodes when the data is broken (as PDFium keeps what it could decode)."""
    inflater = zlib_ng.decompressobj()
    try:
        return inflater.decompress(raw, cap + 1)
    except zlib_ng.error:
        pass
    inflater = zlib_ng.decompressobj()
    pieces = []
    total = 0
    view = memoryview(raw)
    for at in range(0, len(view), 16384):
        try:
            piece = inflater.decompress(view[at : at + 16384], cap + 1 - total)
        except zlib_ng.error:
            break
        pieces.append(piece)
        total += len(piece)
        if total > cap or inflater.unconsumed_tail:
            break
    return b"".join(pieces)


def _inflated_size(raw: memoryview, budget: int, enough: int = -1) -> int | None:
    """Bytes deflate data expands to, counting at most ``budget + 1`` (in pieces thrown away);
    None when it is not deflate data. ``enough``: a size that would do — the count stops as soon as
    what is inflated, plus the most the rest of the data can make (_DEFLATE_MAX_RATIO to a byte, and
    what the inflater holds), is within it, and returns that bound (a font of real glyphs is cleared
    a part of the way in; a bomb keeps pace with its bound and is counted to the budget)."""
    inflater = zlib_ng.decompressobj()
    total = 0
    try:
        pending: bytes | memoryview = raw
        while pending and total <= budget and not inflater.eof:
            total += len(inflater.decompress(pending, _PIECE if enough < 0 else _PIECE // 4))
            pending = inflater.unconsumed_tail
            most = total + _HELD + len(pending) * _DEFLATE_MAX_RATIO
            if most <= enough and not inflater.eof:
                return most
        if total <= budget and not inflater.eof:
            total += len(inflater.flush())
    except zlib_ng.error:
        return None if total == 0 else total
    return total


def _unhex(raw: bytes) -> bytes:
    digits = bytes(raw).split(b">", 1)[0].translate(None, _WS)
    if len(digits) % 2:
        digits += b"0"
    try:
        return binascii.unhexlify(digits)
    except (binascii.Error, ValueError):
        return b""


def _a85(raw: bytes) -> bytes:
    text = bytes(raw).split(b"~>", 1)[0].translate(None, _WS)
    try:
        return base64.a85decode(text)
    except ValueError:
        return b""


class _Recount(Exception):
    """Text bounded by the content's size passed the limit: count the bytes of the strings instead."""


@dataclass
class _Cost:
    """What drawing a content stream once costs: draws, decoded bytes, text bytes, form depth below."""

    draws: int = 0
    content: int = 0
    text: int = 0
    depth: int = 0


@dataclass
class _Content:
    """A decoded content stream, summarised: its size, the text bytes it shows, the names it draws."""

    size: int
    text: int
    drawn: Counter
    unknown: int  # "Do" whose name could not be read: counted as the dearest XObject it might be
    paints: bool  # a path painted, an image or a form drawn, a shading: PDFium makes page objects of them


class _Doc:
    def __init__(self, data: bytes, name: str) -> None:
        self.data = data
        self.name = name
        self.buffers: list[bytes] = [data]
        self.definitions: dict[
            int, list[tuple[int, int, int]]
        ] = {}  # number → (buffer, body start, body end)
        self.streams: dict[tuple[int, int], _Stream] = {}  # (buffer, body start) → its stream
        self.parsed: dict[tuple[int, int], object] = {}
        self.heads: list[int] = []  # where each object written out in the file starts (sorted)
        self.head_numbers: list[int] = []
        self.contents: dict[int, _Content] = {}  # id(stream) → summary
        self.forms: dict[tuple[int, int], _Cost] = {}  # (id(stream), id(resources)) → cost of one draw
        self.decoded_total = 0  # content streams decoded here, each once
        self.drawn_total = 0  # content bytes of all pages, each counted as often as drawn
        self.checked: dict[int, tuple[int, bool]] = {}  # id(page) → its content bytes, whether it paints
        self.plain_tree = False  # (pages(): the page tree is plain, its order PDFium's)
        self.exact_text = False  # text bytes counted in the strings (else: the content's size bounds them)
        self.fonts_seen: set[int] = set()  # numbers of the font objects looked at for Type 3
        self.type3_seen: set[int] = set()  # id() of the Type 3 fonts whose glyph procedures are counted
        self.decoded: set[int] = set()  # id(stream) of the streams decoded here
        self.packed_total = 0  # bytes of object streams inflated here (and held)
        self.index: dict[
            int, tuple[list[int], list[tuple[int, int, int]]]
        ] = {}  # buffer → body starts, definitions

    # ---- objects ------------------------------------------------------------------------------

    def find_objects(self) -> int:
        """Every object written out in the file ("12 0 obj", wherever it stands: also inside another
        stream's data, where PDFium may find it through the cross-reference table), its body and
        its stream; and the file without its stream data (``skeleton``), for the searches below."""
        data = self.data
        find = data.find
        heads: list[tuple[int, int, int]] = []  # (head start, number, body start)
        position = 0
        while True:
            at = find(b"obj", position)
            if at < 0:
                break
            position = at + 3
            if data[at - 3 : at] == b"end":
                continue
            match = _HEAD.search(data, max(0, at - 28), at)
            if match is not None:
                heads.append((match.start(), int(match.group(1)), at + 3))
        self.heads = [head for head, _, _ in heads]
        self.head_numbers = [number for _, number, _ in heads]
        first_body = {number: body for _, number, body in reversed(heads)}
        pieces: list[bytes] = []
        offsets: list[int] = []  # where each piece starts in the skeleton
        owners: list[tuple[int, int, int] | None] = []  # the definition whose body a piece is
        size = 0
        previous_end = 0
        for k, (head, number, body) in enumerate(heads):
            if head > previous_end:  # between objects: cross-reference tables, trailers
                pieces.append(data[previous_end:head])
                offsets.append(size)
                owners.append(None)
                size += head - previous_end
            region = heads[k + 1][0] if k + 1 < len(heads) else len(data)
            keyword = find(b"stream", body, region)
            if keyword >= 0 and data[keyword - 3 : keyword] == b"end":
                keyword = -1
            if keyword >= 0:
                close = keyword
                after = self._add_stream(0, number, body, keyword, first_body)
            else:
                close = find(b"endobj", body, region)
                close = region if close < 0 else close
                after = close
            definition = (0, body, close)
            self.definitions.setdefault(number, []).append(definition)
            pieces.append(data[body:close])
            offsets.append(size)
            owners.append(definition)
            size += close - body
            previous_end = max(previous_end, after)
        if previous_end < len(data):
            pieces.append(data[previous_end:])
            offsets.append(size)
            owners.append(None)
        self.skeleton = b"\n".join(pieces)
        self.pieces = [offset + k for k, offset in enumerate(offsets)]  # the joins add a byte each
        self.owners = owners
        return len(heads)

    def _add_stream(
        self, buffer: int, number: int, body: int, keyword: int, first_body: dict[int, int]
    ) -> int:
        """Record the stream whose keyword is at ``keyword``; where its data ends."""
        data = self.buffers[buffer]
        start = keyword + 6
        if data[start : start + 2] == b"\r\n":
            start += 2
        elif data[start : start + 1] in (b"\n", b"\r"):
            start += 1
        raw = data[body:keyword]
        length = -1
        stated = _LENGTH.search(raw)
        if stated is not None:
            length = int(stated.group(1))
            if stated.group(2):  # "/Length 15 0 R": the number written in object 15
                target = first_body.get(length)
                value = _NUMBER.match(data, target) if target is not None else None
                length = int(value.group(1)) if value is not None else -1
        # PDFium takes the stated length when "endstream" follows it; otherwise it looks for
        # "endstream": then the data runs as far as either reaches (a wrong length hides nothing)
        end = start + length
        if length < 0 or end > len(data) or not data[end : end + 24].lstrip(_WS).startswith(b"endstream"):
            marker = data.find(b"endstream", start)
            end = max(len(data) if marker < 0 else marker, min(len(data), start + max(length, 0)))
        self.streams[(buffer, body)] = _Stream(raw, buffer, start, end, number)
        return end

    def unpack_object_streams(self, encrypted: bool) -> int:
        """Objects packed in object streams: their count, and (unless enciphered) the objects."""
        packed = [
            stream
            for stream in self.streams.values()
            if b"/ObjStm" in stream.raw and stream.dictionary.get(b"Type") == b"ObjStm"
        ]
        claimed = sum(
            max(0, count) for stream in packed if isinstance(count := stream.dictionary.get(b"N"), int)
        )
        if encrypted or not claimed:
            return claimed
        if len(self.heads) + claimed > MAX_PDF_OBJECTS:
            return claimed
        for stream in packed:
            count, first = stream.dictionary.get(b"N"), stream.dictionary.get(b"First")
            if not isinstance(count, int) or not isinstance(first, int) or count <= 0 or first < 0:
                continue
            decoded = self.decode(stream, MAX_PDF_STREAM_BYTES - self.packed_total, content=False)
            if decoded is None:
                continue
            self.decoded.add(id(stream))
            self.packed_total += len(decoded)
            if self.packed_total > MAX_PDF_STREAM_BYTES:
                raise too_big(self.name, f"中的对象流解压后共超过 {_mb(MAX_PDF_STREAM_BYTES)}")
            self.buffers.append(decoded)
            buffer = len(self.buffers) - 1
            numbers = [int(n) for n in re.findall(rb"\d+", decoded[:first])[: 2 * count]]
            offsets = [(numbers[i], first + numbers[i + 1]) for i in range(0, len(numbers) - 1, 2)]
            for k, (number, body) in enumerate(offsets):
                close = offsets[k + 1][1] if k + 1 < len(offsets) else len(decoded)
                if body < len(decoded) and close > body:
                    self.definitions.setdefault(number, []).append((buffer, body, close))
        return claimed

    def value(self, definition: tuple[int, int, int]) -> object:
        buffer, body, close = definition
        key = (buffer, body)
        if key in self.streams:
            return self.streams[key]
        if key not in self.parsed:
            self.parsed[key] = parse(self.buffers[buffer], body, close)
        return self.parsed[key]

    def values(self, item: object) -> list:
        """Every value ``item`` may be: itself, or each definition of the object it refers to."""
        if isinstance(item, _Ref):
            return [self.value(definition) for definition in self.definitions.get(item.number, ())]
        return [item]

    def first(self, item: object) -> object:
        """``item``, or the last definition of the object it refers to (None when there is none)."""
        if isinstance(item, _Ref):
            found = self.definitions.get(item.number)
            return self.value(found[-1]) if found else None
        return item

    def dictionaries(self, item: object) -> list[dict]:
        out = []
        for value in self.values(item):
            if isinstance(value, _Stream):
                out.append(value.dictionary)
            elif isinstance(value, dict):
                out.append(value)
        return out

    # ---- streams -------------------------------------------------------------------------------

    def _filters(self, stream: _Stream) -> tuple[list[bytes], list]:
        """The stream's filters and their parameters (an indirect /Filter resolved: refused when it
        cannot be — PDFium would decode the data with whatever it finds)."""
        raw_filter = stream.dictionary.get(b"Filter")
        if raw_filter is None:
            return [], []
        resolved = self.first(raw_filter)
        if resolved is None:
            raise too_big(self.name, "中有一段数据的压缩方式无法识别")
        chain = resolved if isinstance(resolved, list) else [resolved]
        names = []
        for item in chain:
            item = self.first(item)
            if not isinstance(item, _Name):
                raise too_big(self.name, "中有一段数据的压缩方式无法识别")
            names.append(bytes(item))
        params = self.first(stream.dictionary.get(b"DecodeParms", stream.dictionary.get(b"DP")))
        params = params if isinstance(params, list) else [params] * len(names)
        return names, [self.first(p) for p in params]

    def decode(self, stream: _Stream, cap: int, *, content: bool) -> bytes | None:
        """The stream's data decoded, at most ``cap + 1`` bytes; None when a filter is not one we
        decode (only for streams that are not content: those are refused instead)."""
        names, params = self._filters(stream)
        data: bytes | memoryview = memoryview(self.buffers[stream.buffer])[stream.start : stream.end]
        for k, filter_name in enumerate(names):
            param = params[k] if k < len(params) else None
            if content and isinstance(param, dict) and param.get(b"Predictor", 1) not in (1, None):
                raise too_big(self.name, "中有页面内容使用了不支持的编码方式（预测器 Predictor）")
            if filter_name in _FLATE:
                data = _inflate(data, cap)
            elif filter_name in _HEX:
                data = _unhex(data)
            elif filter_name in _A85:
                data = _a85(data)
            elif content:
                shown = _UNBOUNDED.get(filter_name, filter_name.decode("latin-1")[:40])
                raise too_big(self.name, f"中有页面内容使用了不支持的压缩方式（{shown}）")
            else:
                return None
            if len(data) > cap:
                return bytes(data)
        return bytes(data)

    def decoded_content(self, stream: _Stream, page: int) -> bytes:
        decoded = self.decode(stream, MAX_PDF_PAGE_CONTENT_BYTES, content=True) or b""
        if len(decoded) > MAX_PDF_PAGE_CONTENT_BYTES:
            raise too_big(self.name, f"第 {page} 页的内容解压后超过 {_mb(MAX_PDF_PAGE_CONTENT_BYTES)}")
        if id(stream) not in self.decoded:
            self.decoded.add(id(stream))
            self.count_decoded(len(decoded))
        return decoded

    def content(self, stream: _Stream, page: int) -> _Content:
        summary = self.contents.get(id(stream))
        if summary is None:
            summary = self.contents[id(stream)] = _summarise(
                self.decoded_content(stream, page), self.exact_text
            )
        return summary

    def count_decoded(self, size: int) -> None:
        self.decoded_total += size
        if self.decoded_total > MAX_PDF_CONTENT_BYTES:
            raise too_big(self.name, f"各页的内容解压后共超过 {_mb(MAX_PDF_CONTENT_BYTES)}")

    # ---- pages ---------------------------------------------------------------------------------

    def pages(self) -> list[dict]:
        """Every page: the leaves of each page tree, and every object that says /Type /Page."""
        found: list[dict] = []
        seen: set[int] = set()
        catalogs = [
            c
            for text in self.searched()
            for m in _ROOT.finditer(text)
            for c in self.values(_Ref(int(m.group(1))))
        ]
        stack = []
        # one catalogue, each kid one dictionary, no page twice and none outside the tree: the
        # pages in PDFium's order (else the order is not known here)
        self.plain_tree = len({id(c) for c in catalogs if isinstance(c, dict)}) == 1
        for catalog in catalogs:
            if isinstance(catalog, dict):
                stack.extend(reversed(self.dictionaries(catalog.get(b"Pages"))))
        while stack:
            node = stack.pop()
            kids = node.get(b"Kids")
            leaf = kids is None and node.get(b"Type") != b"Pages"
            if id(node) in seen:
                self.plain_tree = False
                if leaf:  # a page listed twice is read twice (a node met again: a cycle, or shared)
                    found.append(node)
                continue
            seen.add(id(node))
            if leaf:
                found.append(node)
                continue
            kids = self.first(kids)
            if isinstance(kids, list):
                for kid in reversed(kids):
                    nodes = self.dictionaries(kid)
                    self.plain_tree = self.plain_tree and len(nodes) == 1
                    stack.extend(reversed(nodes))
        for buffer, text in enumerate(self.searched()):
            for match in _PAGE_TYPE.finditer(text):
                for value in self._values_at(buffer, match.start()):
                    if isinstance(value, dict) and value.get(b"Type") == b"Page" and id(value) not in seen:
                        self.plain_tree = False
                        seen.add(id(value))
                        found.append(value)
        return found

    def searched(self) -> list[bytes]:
        """What the searches for keys look in: the file without stream data, each object stream."""
        return [self.skeleton, *self.buffers[1:]]

    def _values_at(self, buffer: int, position: int) -> list:
        """The object(s) whose body holds ``position`` (in the skeleton when ``buffer`` is 0)."""
        if buffer == 0:
            k = bisect.bisect_right(self.pieces, position) - 1
            owner = self.owners[k] if k >= 0 else None
            return [] if owner is None else [self.value(owner)]
        if buffer not in self.index:
            found = sorted(
                (d[1], d[2], number) for number, ds in self.definitions.items() for d in ds if d[0] == buffer
            )
            self.index[buffer] = ([body for body, _, _ in found], found)
        starts, found = self.index[buffer]
        k = bisect.bisect_right(starts, position) - 1  # objects do not nest: the last one to start before
        if k < 0 or position >= found[k][1]:
            return []
        body, close, _number = found[k]
        return [self.value((buffer, body, close))]

    def inherited(self, page: dict, key: bytes) -> object:
        node: object = page
        for _ in range(64):
            if not isinstance(node, dict):
                return None
            if key in node:
                return node[key]
            node = self.first(node.get(b"Parent"))
        return None

    def check_page(self, page: dict, number: int) -> bool:
        """Refuse the page past a limit; whether it may hold page objects other than text."""
        known = self.checked.get(id(page))
        if known is not None:  # the same page again: its content counts again
            content, paints = known
            self.drawn_total += content
            if self.drawn_total > MAX_PDF_CONTENT_BYTES:
                raise too_big(self.name, f"各页的内容解压后共超过 {_mb(MAX_PDF_CONTENT_BYTES)}")
            return paints
        try:
            return self._check_page(page, number)
        except _Recount:  # the content's size alone may pass the text limit: count its strings
            self.exact_text = True
            self.contents.clear()
            self.forms.clear()
            self.type3_seen.clear()
            return self._check_page(page, number)

    def _check_page(self, page: dict, number: int) -> bool:
        resources = self.dictionaries(self.inherited(page, b"Resources"))
        streams: list[_Stream] = []
        for item in self.values(page.get(b"Contents")):
            for part in item if isinstance(item, list) else [item]:
                streams += [value for value in self.values(part) if isinstance(value, _Stream)]
        if len(streams) == 1:
            summary = self.content(streams[0], number)
        else:  # PDFium reads the streams as one: a name may end in one and its "Do" be in the next
            decoded: dict[int, bytes] = {}  # (a stream listed many times is decoded once)
            pieces, size = [], 0
            for stream in streams:
                if id(stream) not in decoded:
                    decoded[id(stream)] = self.decoded_content(stream, number)
                pieces.append(decoded[id(stream)])
                size += len(pieces[-1]) + 1
                if size > MAX_PDF_PAGE_CONTENT_BYTES:
                    raise too_big(
                        self.name, f"第 {number} 页的内容解压后超过 {_mb(MAX_PDF_PAGE_CONTENT_BYTES)}"
                    )
            summary = _summarise(b" ".join(pieces), self.exact_text)
        cost = _Cost(content=summary.size, text=summary.text)
        self.add_glyph_procedures(cost, resources, resources, number, [], 0)
        self.add_draws(cost, summary, resources or [{}], resources or [{}], number, [], 0)
        self.drawn_total += cost.content  # PDFium parses a stream again for each page (and each draw)
        if self.drawn_total > MAX_PDF_CONTENT_BYTES:
            raise too_big(self.name, f"各页的内容解压后共超过 {_mb(MAX_PDF_CONTENT_BYTES)}")
        self.checked[id(page)] = (cost.content, summary.paints)
        return summary.paints

    def add_draws(
        self,
        cost: _Cost,
        summary: _Content,
        resources: list[dict],
        page_resources: list[dict],
        page: int,
        stack: list[int],
        depth: int,
    ) -> None:
        """Add to ``cost`` what the XObjects drawn by ``summary``'s content cost, as often as drawn."""
        drawn = list(summary.drawn.items())
        if summary.unknown:
            drawn.append((None, summary.unknown))
        for name, times in drawn:
            dearest = _Cost(draws=1)
            for target in self._xobjects(resources, name):
                if not isinstance(target, _Stream) or target.dictionary.get(b"Subtype") != b"Form":
                    continue
                one = self.form(target, resources, page_resources, page, stack, depth + 1)
                dearest = _Cost(
                    max(dearest.draws, one.draws + 1),
                    max(dearest.content, one.content),
                    max(dearest.text, one.text),
                    max(dearest.depth, one.depth),
                )
            cost.draws += times * dearest.draws
            cost.content += times * dearest.content
            cost.text += times * dearest.text
            cost.depth = max(cost.depth, dearest.depth)
            self._within(cost, page)

    def add_glyph_procedures(
        self,
        cost: _Cost,
        resources: list[dict],
        page_resources: list[dict],
        page: int,
        stack: list[int],
        depth: int,
    ) -> None:
        """Add to ``cost`` the glyph procedures of the Type 3 fonts in ``resources`` not met before:
        PDFium parses each (once) as it measures the glyphs, and one may draw forms as a page does."""
        for dictionary in resources:
            for fonts in self.dictionaries(dictionary.get(b"Font")):
                for item in fonts.values():
                    if isinstance(item, _Ref):
                        if item.number in self.fonts_seen:
                            continue
                        self.fonts_seen.add(item.number)
                        if not any(self._may_be_type3(d) for d in self.definitions.get(item.number, ())):
                            continue  # (most fonts: not parsed at all)
                    for font in self.dictionaries(item):
                        if font.get(b"Subtype") != b"Type3" or id(font) in self.type3_seen:
                            continue
                        self.type3_seen.add(id(font))
                        own = self.dictionaries(font.get(b"Resources")) or page_resources
                        for procedures in self.dictionaries(font.get(b"CharProcs")):
                            for procedure in procedures.values():
                                for stream in self.values(procedure):
                                    if not isinstance(stream, _Stream):
                                        continue
                                    one = self.form(stream, own, page_resources, page, stack, depth + 1)
                                    cost.draws += one.draws
                                    cost.content += one.content
                                    cost.text += one.text
                                    cost.depth = max(cost.depth, one.depth)
                                    self._within(cost, page)

    def _may_be_type3(self, definition: tuple[int, int, int]) -> bool:
        """The object's text says Type3, or has a #-escaped name that spells it (a Chinese font's
        escaped name does not)."""
        buffer, body, close = definition
        text = self.buffers[buffer][body:close]
        return b"Type3" in text or any(_name(m.group(1)) == b"Type3" for m in _ESCAPED_NAME.finditer(text))

    def _xobjects(self, resources: list[dict], name: bytes | None) -> list:
        out = []
        for dictionary in resources:
            for xobjects in self.dictionaries(dictionary.get(b"XObject")):
                if name is None:
                    for item in xobjects.values():
                        out += self.values(item)
                elif name in xobjects:
                    out += self.values(xobjects[name])
        return out

    def form(
        self,
        stream: _Stream,
        resources: list[dict],
        page_resources: list[dict],
        page: int,
        stack: list[int],
        depth: int,
    ) -> _Cost:
        """What one draw of a form costs (its own draws, content, text), memoised."""
        if depth > MAX_PDF_FORM_DEPTH:
            raise too_big(self.name, f"第 {page} 页的表单对象嵌套超过 {MAX_PDF_FORM_DEPTH} 层")
        if id(stream) in stack:
            raise too_big(self.name, f"第 {page} 页的表单对象引用了自身（循环引用）")
        own = self.dictionaries(stream.dictionary.get(b"Resources"))
        used = own or resources or page_resources  # as PDFium: the form's own, its drawer's, the page's
        key = (id(stream), id(used[0]) if used else 0)
        known = self.forms.get(key)
        if known is not None:
            if depth + known.depth - 1 > MAX_PDF_FORM_DEPTH:
                raise too_big(self.name, f"第 {page} 页的表单对象嵌套超过 {MAX_PDF_FORM_DEPTH} 层")
            return known
        summary = self.content(stream, page)
        cost = _Cost(content=summary.size, text=summary.text)
        self._within(cost, page)
        stack.append(id(stream))
        self.add_glyph_procedures(cost, used, page_resources, page, stack, depth)
        self.add_draws(cost, summary, used or [{}], page_resources, page, stack, depth)
        stack.pop()
        cost.depth += 1
        self.forms[key] = cost
        return cost

    def _within(self, cost: _Cost, page: int) -> None:
        if cost.draws > MAX_PDF_PAGE_DRAWS:
            raise too_big(self.name, f"第 {page} 页绘制表单或图片超过 {MAX_PDF_PAGE_DRAWS} 次")
        if cost.content > MAX_PDF_PAGE_CONTENT_BYTES:
            raise too_big(self.name, f"第 {page} 页的内容解压后超过 {_mb(MAX_PDF_PAGE_CONTENT_BYTES)}")
        if cost.text > MAX_PDF_PAGE_TEXT_BYTES:
            if not self.exact_text:
                raise _Recount
            raise too_big(self.name, f"第 {page} 页的文字超过 {MAX_PDF_PAGE_TEXT_BYTES // 1024} KB")

    # ---- the other streams ---------------------------------------------------------------------

    def check_other_streams(self) -> None:
        """Fonts, CMaps and the like: PDFium inflates each whole. Bounded by the deflate ratio, the
        largest inflated (counted, thrown away) until the rest cannot pass a limit."""
        fonts = {int(m.group(1)) for text in self.searched() for m in _FONT_FILE.finditer(text)}
        spans = []
        for stream in self.streams.values():
            if id(stream) in self.decoded:
                continue
            if b"/Filter" not in stream.raw:
                continue
            if (b"/Image" in stream.raw or b"/Metadata" in stream.raw) and stream.number not in fonts:
                continue  # never decoded for text (unless a font descriptor points at it)
            spans.append(stream)
        spans.sort(key=lambda s: s.end - s.start, reverse=True)
        bound = sum(s.end - s.start for s in spans) * _DEFLATE_MAX_RATIO
        total = self.decoded_total
        for stream in spans:
            stored = stream.end - stream.start
            if (
                total + bound <= MAX_PDF_TOTAL_STREAM_BYTES
                and stored * _DEFLATE_MAX_RATIO <= MAX_PDF_STREAM_BYTES
            ):
                break
            bound -= stored * _DEFLATE_MAX_RATIO
            try:
                names, _params = self._filters(stream)
            except ImportFailed:
                names = []
            if not names or names[0] not in _FLATE:
                continue  # images' own codecs, and chains PDFium bounds itself (hex, 85: smaller than stored)
            budget = min(MAX_PDF_STREAM_BYTES, MAX_PDF_TOTAL_STREAM_BYTES - total)
            # a bound that leaves room for the rest's bound does as well as the size (counted as the size)
            enough = min(MAX_PDF_STREAM_BYTES, MAX_PDF_TOTAL_STREAM_BYTES - total - bound)
            size = _inflated_size(memoryview(self.buffers[stream.buffer])[stream.start : stream.end], budget, enough)
            if size is None:
                continue
            if size > MAX_PDF_STREAM_BYTES:
                raise too_big(self.name, f"中有一段数据解压后超过 {_mb(MAX_PDF_STREAM_BYTES)}")
            total += size
            if total > MAX_PDF_TOTAL_STREAM_BYTES:
                raise too_big(self.name, f"中的数据解压后共超过 {_mb(MAX_PDF_TOTAL_STREAM_BYTES)}")


def _summarise(content: bytes, exact: bool) -> _Content:
    """A content stream's size, the bytes of the strings it shows (bounded by its size unless
    ``exact``), and the XObjects it draws."""
    text = len(content)
    if exact:
        rest = _LITERAL.sub(b"", content) if b"(" in content else content
        if (
            b"(" in rest or b")" in rest
        ):  # nested parentheses, a stray one, one in a comment: followed exactly
            text = _string_bytes(content)
        else:
            text = len(content) - len(_HEXADECIMAL.sub(b"", rest))
    drawn: Counter = Counter()
    unknown = 0
    find = content.find
    at = find(b"Do")
    while at >= 0:
        after = content[at + 2 : at + 3]
        before = content[at - 1 : at] if at else b" "
        if (not after or after[0] in _DELIMITERS) and before and before[0] in _DELIMITERS:
            name = _name_before(content, at)
            if name is None:
                unknown += 1
            else:
                drawn[name] += 1
        at = find(b"Do", at + 2)
    return _Content(len(content), text, drawn, unknown, _paints(content))


_SPACED = b"\x00\t\n\x0c\r()<>[]{}/%"
_TO_SPACE = bytes.maketrans(_SPACED, b" " * len(_SPACED))
# the operators that make page objects other than text (a path's painting, an XObject, an inline
# image, a shading), each standing alone between delimiters (all made spaces): one search in C
_PAINTING = re.compile(rb" (?:[SsfFBb]\*?|Do|BI|sh) ")


def _paints(content: bytes) -> bool:
    """Whether the content may make a page object other than text (never False when it does: a
    name or a string that looks like an operator only says True)."""
    return _PAINTING.search(b" " + content.translate(_TO_SPACE) + b" ") is not None


def _name_before(content: bytes, at: int) -> bytes | None:
    """The name operand of the "Do" at ``at`` ("/Im1 Do"), None when it is not written plainly."""
    end = at
    while end > 0 and content[end - 1] in _WS:
        end -= 1
    start = content.rfind(b"/", max(0, end - 128), end)
    if start < 0:
        return None
    raw = content[start + 1 : end]
    if any(byte in _DELIMITERS for byte in raw):
        return None
    return bytes(_name(raw))


def _string_bytes(content: bytes) -> int:
    """Bytes inside the content's strings, followed exactly (nesting, escapes); stray parentheses
    and every special byte count too, so the loop ends early on a hostile stream."""
    total = 0
    depth = 0
    escaped_at = -2
    opened = 0
    for match in _SPECIAL.finditer(content):
        at = match.start()
        if at == escaped_at:
            continue
        char = content[at]
        if char == 0x5C:
            escaped_at = at + 1
        elif char == 0x28:
            if depth == 0:
                opened = at
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                total += at + 1 - opened
        total += 1
        if total > MAX_PDF_PAGE_TEXT_BYTES:
            return total
    if depth:
        total += len(content) - opened
    return total + len(content) - len(_HEXADECIMAL.sub(b"", content))


def check_structure(data: bytes, name: str, *, encrypted: bool) -> list[bool] | None:
    """Refuse a file that would cost more than a report. ``encrypted``: only the structure PDFium
    reads to open it (the streams are enciphered; the decrypted copy is checked in full).
    Returns, page by page in PDFium's order, whether a page may hold page objects other than
    text (paths, images, forms) — None when the order is not known (or the file is enciphered)."""
    if len(data) > 8 * MAX_PDF_OBJECTS:  # room for that many objects: counted before a Python loop meets each
        direct = data.count(b"obj") - data.count(b"endobj")
        if direct > MAX_PDF_OBJECTS:
            raise too_big(name, f"含有{direct}个对象")
    document = _Doc(data, name)
    written = document.find_objects()
    claimed = document.unpack_object_streams(encrypted)
    if written + claimed > MAX_PDF_OBJECTS:
        raise too_big(name, f"含有{written + claimed}个对象")
    if encrypted:
        for stream in document.streams.values():
            if (b"/ObjStm" in stream.raw or b"/XRef" in stream.raw) and b"/Filter" in stream.raw:
                if (stream.end - stream.start) * _DEFLATE_MAX_RATIO > MAX_PDF_STREAM_BYTES:
                    raise too_big(name, "是加密文件，其中的对象流过大")
        return None
    pages = document.pages()
    if len(pages) > MAX_PDF_PAGES:
        raise too_big(name, f"有 {len(pages)} 页（最多读取 {MAX_PDF_PAGES} 页）")
    paints = [document.check_page(page, number) for number, page in enumerate(pages, 1)]
    document.check_other_streams()
    return paints if document.plain_tree else None
