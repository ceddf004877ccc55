"""Small PDFs written byte by byte: a scan (an image and no text), and hostile files that try to
cost more than a report (a page count past the limit, a compression bomb, deep nesting, a million
objects). Each is a valid PDF with a correct cross-reference table."""

from __future__ import annotations

import zlib


def build_pdf(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """Objects 1…n (their bodies, without "n 0 obj"), a cross-reference table and a trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_objects(content: bytes, resources: bytes = b"<< >>", compress: bool = False) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 4 0 R >>" % resources,
        stream(content, compress=compress),
    ]


def image_pdf() -> bytes:
    """A scan: one page that is an image, no text."""
    objects = _page_objects(b"q 495 0 0 742 50 50 cm /Im1 Do Q", b"<< /XObject << /Im1 5 0 R >> >>")
    objects.append(
        stream(
            bytes([0, 255, 255, 0] * 4),
            b"/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8 ",
        )
    )
    return build_pdf(objects)


def many_pages_pdf(count: int) -> bytes:
    """``count`` empty pages."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    return build_pdf(objects)


def lying_count_pdf() -> bytes:
    """One page whose page tree claims a billion."""
    objects = _page_objects(b"BT ET")
    objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>"
    return build_pdf(objects)


def bomb_pdf(expanded: int, *, indirect_length: bool = False, short_length: bool = False) -> bytes:
    """A page whose content stream inflates from a few hundred KB to ``expanded`` bytes of spaces;
    its /Length stated in another object, or stated too short (PDFium then looks for endstream)."""
    packer = zlib.compressobj(9)
    piece = b" " * (16 * 1024 * 1024)
    packed = bytearray()
    for _ in range(expanded // len(piece)):
        packed += packer.compress(piece)
    packed += packer.flush()
    objects = _page_objects(b"")
    length = b"15 0 R" if indirect_length else b"%d" % (10 if short_length else len(packed))
    objects[3] = b"<< /Length %s /Filter /FlateDecode >>\nstream\n" % length + bytes(packed) + b"\nendstream"
    if indirect_length:  # object 15: a two-digit number, as real files have
        objects += [b"null"] * 10 + [b"%d" % len(packed)]
    return build_pdf(objects)


def many_bombs_pdf(count: int, expanded: int) -> bytes:
    """``count`` streams each just under the one-stream limit: together far past the total."""
    packed = zlib.compress(b" " * expanded, 9)
    objects = _page_objects(b"")
    objects += [
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    ] * count
    return build_pdf(objects)


def deep_pdf(depth: int) -> bytes:
    """Arrays nested ``depth`` deep, in the page's dictionary and in its content stream."""
    nested = b"[" * depth + b"]" * depth
    objects = _page_objects(b"BT /F1 12 Tf " + nested + b" TJ ET", b"<< /Deep " + nested + b" >>")
    return build_pdf(objects)


def many_objects_pdf(count: int) -> bytes:
    """A page and ``count`` more objects that nothing uses."""
    objects = _page_objects(b"BT ET") + [b"null"] * count
    return build_pdf(objects)


def claimed_objects_pdf(claimed: int) -> bytes:
    """An object stream that says it holds ``claimed`` objects."""
    objects = _page_objects(b"BT ET")
    objects.append(stream(b"5 0 null", b"/Type /ObjStm /N %d /First 4 " % claimed, compress=True))
    return build_pdf(objects)


# ---- what a page draws: forms within forms, text, filters (the guard of pdf_guard.py) ----------------

_FONT = b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"


def form(content: bytes, resources: bytes = b"", *, compress: bool = True) -> bytes:
    """A form XObject drawing ``content`` (with its own resources when given)."""
    extra = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
    if resources:
        extra += b"/Resources " + resources + b" "
    return stream(content, extra, compress=compress)


def _draws(name: bytes, times: int) -> bytes:
    return b"q " + (b"/" + name + b" Do ") * times + b"Q"


def nested_forms_pdf(
    depth: int, fanout: int, inner: bytes = b"0 0 m 10 10 l S", inner_resources: bytes = b""
) -> bytes:
    """The page draws form 1 ``fanout`` times, form k draws form k+1 ``fanout`` times, ``depth``
    forms deep; the last draws ``inner``: fanout**depth draws of it from a few hundred bytes."""
    objects = _page_objects(_draws(b"X1", fanout), b"<< /XObject << /X1 5 0 R >> >>", compress=True)
    for level in range(1, depth + 1):
        if level < depth:
            objects.append(
                form(
                    _draws(b"X%d" % (level + 1), fanout),
                    b"<< /XObject << /X%d %d 0 R >> >>" % (level + 1, 5 + level),
                )
            )
        else:
            objects.append(form(inner, inner_resources))
    return build_pdf(objects)


def cycle_pdf() -> bytes:
    """A form that draws itself twice (PDFium stops at 40 levels: 2⁴⁰ draws)."""
    objects = _page_objects(_draws(b"X1", 1), b"<< /XObject << /X1 5 0 R >> >>", compress=True)
    objects.append(form(_draws(b"X1", 2), b"<< /XObject << /X1 5 0 R >> >>"))
    return build_pdf(objects)


def inherited_forms_pdf(depth: int, fanout: int) -> bytes:
    """Nested forms as nested_forms_pdf, the page's resources inherited from the page tree's root
    and each form's resources left out (a form then uses its drawer's: one dictionary for all)."""
    names = b" ".join(b"/X%d %d 0 R" % (level, 4 + level) for level in range(1, depth + 1))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /XObject << %s >> >> >>" % names,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        stream(_draws(b"X1", fanout), compress=True),
    ]
    for level in range(1, depth + 1):
        objects.append(form(_draws(b"X%d" % (level + 1), fanout) if level < depth else b"0 0 m 10 10 l S"))
    return build_pdf(objects)


def build_pdf_with_object_stream(direct: list[bytes], packed: dict[int, bytes], *, root: int = 1) -> bytes:
    """Objects 1…len(direct) written out (a None body: the number is packed), ``packed`` (number →
    body) inside one object stream, and a cross-reference stream that finds them all."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in enumerate(direct, 1):
        if body is None:
            continue
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    numbers = sorted(packed)
    bodies = [packed[n] + b"\n" for n in numbers]
    header, at = b"", 0
    for number, body in zip(numbers, bodies, strict=True):
        header += b"%d %d " % (number, at)
        at += len(body)
    box = len(direct) + 1
    offsets[box] = len(out)
    out += (
        b"%d 0 obj\n" % box
        + stream(
            header + b"".join(bodies),
            b"/Type /ObjStm /N %d /First %d " % (len(numbers), len(header)),
            compress=True,
        )
        + b"\nendobj\n"
    )
    xref_number = box + 1
    offsets[xref_number] = len(out)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        else:
            rows += b"\x02" + box.to_bytes(4, "big") + numbers.index(number).to_bytes(2, "big")
    out += b"%d 0 obj\n" % xref_number + stream(
        bytes(rows), b"/Type /XRef /Size %d /W [1 4 2] /Root %d 0 R " % (xref_number + 1, root)
    )
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def packed_forms_pdf(depth: int, fanout: int) -> bytes:
    """Nested forms whose page, page tree, catalogue and resources all sit in an object stream."""
    forms = [
        form(
            _draws(b"X%d" % (level + 1), fanout) if level < depth else b"0 0 m 10 10 l S",
            b"<< /XObject << /X%d %d 0 R >> >>" % (level + 1, 6 + level) if level < depth else b"",
        )
        for level in range(1, depth + 1)
    ]
    direct: list = [None, None, None, stream(_draws(b"X1", fanout), compress=True), None, *forms]
    packed = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 5 0 R /Contents 4 0 R >>",
        5: b"<< /XObject << /X1 6 0 R >> >>",
    }
    return build_pdf_with_object_stream(direct, packed)


def filtered_content_pdf(
    filters: bytes, data: bytes, extra_objects: list[bytes] = (), params: bytes = b""
) -> bytes:
    """A page whose content stream has the /Filter ``filters`` (written as it stands) over ``data``."""
    objects = _page_objects(b"")
    objects[3] = (
        b"<< /Length %d /Filter %s %s>>\nstream\n" % (len(data), filters, params) + data + b"\nendstream"
    )
    return build_pdf([*objects, *extra_objects])


def indirect_filter_bomb_pdf() -> bytes:
    """A content bomb (256 MB of spaces) whose /Filter is object 5: /FlateDecode."""
    packed = zlib.compress(b" " * (256 * 1024 * 1024), 9)
    return filtered_content_pdf(b"5 0 R", packed, [b"/FlateDecode"])


def unresolvable_filter_pdf() -> bytes:
    return filtered_content_pdf(b"99 0 R", zlib.compress(b"BT ET"))


def lzw_content_pdf() -> bytes:
    """Content in LZW (PDFium decodes it without a bound we check): 'BT ET' as 9-bit codes."""
    codes = [256, *b"BT ET", 257]
    bits = "".join(format(code, "09b") for code in codes)
    bits += "0" * (-len(bits) % 8)
    return filtered_content_pdf(b"/LZWDecode", int(bits, 2).to_bytes(len(bits) // 8, "big"))


def run_length_chain_pdf() -> bytes:
    """Deflate over RunLength: every 2 bytes of the RunLength data are 128 spaces — 2 MB of them
    (a few KB deflated) are 128 MB of content (a filter chain)."""
    return filtered_content_pdf(
        b"[/FlateDecode /RunLengthDecode]", zlib.compress(b"\x81 " * (1024 * 1024), 9)
    )


def predictor_content_pdf() -> bytes:
    return filtered_content_pdf(
        b"/FlateDecode", zlib.compress(b"\x00BT ET"), params=b"/DecodeParms << /Predictor 12 /Columns 5 >> "
    )


def text_pdf(pages: int, characters: int, *, shared: bool = True) -> bytes:
    """``pages`` pages showing ``characters`` letters each (one content stream for all when ``shared``;
    strings of 10 000: PDFium reads at most 32 767 bytes of one)."""
    strings = [b"(" + b"A" * min(10_000, characters - at) + b") Tj" for at in range(0, characters, 10_000)]
    content = b"BT /F1 1 Tf 10 10 Td " + b" ".join(strings) + b" ET"
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    first_content = 3 + pages
    for i in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>"
            % (_FONT, first_content if shared else first_content + i)
        )
    objects += [stream(content, compress=True)] * (1 if shared else pages)
    return build_pdf(objects)


def repeated_text_pdf(depth: int, fanout: int, characters: int) -> bytes:
    """A tiny text stream ("A" × ``characters``) drawn fanout**depth times through nested forms."""
    inner = b"BT /F1 1 Tf 10 10 Td (" + b"A" * characters + b") Tj ET"
    return nested_forms_pdf(depth, fanout, inner, b"<< " + _FONT + b" >>")


def contents_over_the_file_pdf(pages: int, each: int) -> bytes:
    """``pages`` pages, each its own content stream of ``each`` bytes of spaces (within a page's limit)."""
    packed = zlib.compress(b" " * each, 9)
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (3 + pages + i)
        for i in range(pages)
    ]
    objects += [
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    ] * pages
    return build_pdf(objects)


def type3_forms_pdf(depth: int, fanout: int) -> bytes:
    """A Type 3 font whose one glyph's procedure draws nested forms (fanout**depth draws): PDFium
    parses the procedure when it measures the glyph, the page itself draws nothing."""
    forms = [
        form(
            _draws(b"X%d" % (level + 1), fanout) if level < depth else b"0 0 m 10 10 l S",
            b"<< /XObject << /X%d %d 0 R >> >>" % (level + 1, 7 + level) if level < depth else b"",
        )
        for level in range(1, depth + 1)
    ]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /T3 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"BT /T3 12 Tf 50 700 Td (a) Tj ET"),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << /a 6 0 R >> /Encoding << /Differences [97 /a] >> /FirstChar 97 /LastChar 97 /Widths [1000] "
        b"/Resources << /XObject << /X1 7 0 R >> >> >>",
        stream(b"1000 0 0 0 1000 1000 d1 " + _draws(b"X1", fanout), compress=True),
        *forms,
    ]
    return build_pdf(objects)


def font_bomb_pdf(expanded: int) -> bytes:
    """A TrueType font file inflating to ``expanded`` bytes of zeros, used by the page's text:
    PDFium inflates a font whole when it measures the glyphs (512 MB: its peak was 1060 MB)."""
    packer = zlib.compressobj(9)
    piece = b"\x00" * (16 * 1024 * 1024)
    packed = bytearray()
    for _ in range(expanded // len(piece)):
        packed += packer.compress(piece)
    packed += packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 50 700 Td (Hello) Tj ET"),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 126 /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 "
        b"/Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>",
        b"<< /Length %d /Length1 1000 /Filter /FlateDecode >>\nstream\n" % len(packed)
        + bytes(packed)
        + b"\nendstream",
    ]
    return build_pdf(objects)


def repeated_contents_pdf(times: int, each: int) -> bytes:
    """A page whose /Contents lists one stream (``each`` bytes of spaces) ``times`` times: PDFium
    reads them all, one after another."""
    packed = zlib.compress(b" " * each, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [" + b"4 0 R " * times + b"] >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    return build_pdf(objects)


def paths_pdf(pages: int, paths: int, *, same_page: bool = False) -> bytes:
    """``pages`` pages each drawing ``paths`` short strokes (one content stream for all); with
    ``same_page`` the page tree lists one page ``pages`` times."""
    content = b"0.5 w " + b"10 10 m 20 20 l S\n" * paths
    kids = b" ".join([b"3 0 R" if same_page else b"%d 0 R" % (4 + i) for i in range(pages)])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        stream(content, compress=True),
    ]
    if same_page:
        objects[2:2] = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]
    else:
        objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    return build_pdf(objects)


# name → (file name, builder): the attacks on the guard, each a fixed case (tests/hostile/cases.py)
GUARD_ATTACKS = {
    "pdf forms 10 deep, each drawn 10×": ("nested.pdf", lambda: nested_forms_pdf(10, 10)),
    "pdf forms 13 deep": ("deep13.pdf", lambda: nested_forms_pdf(13, 1)),
    "pdf a form drawing itself": ("cycle.pdf", cycle_pdf),
    "pdf nested forms, inherited resources": ("inherited.pdf", lambda: inherited_forms_pdf(10, 10)),
    "pdf nested forms hidden in an object stream": ("packed.pdf", lambda: packed_forms_pdf(10, 10)),
    "pdf content bomb, indirect /Filter": ("indirect.pdf", indirect_filter_bomb_pdf),
    "pdf /Filter that cannot be resolved": ("nofilter.pdf", unresolvable_filter_pdf),
    "pdf LZW content": ("lzw.pdf", lzw_content_pdf),
    "pdf deflate over RunLength (128 MB)": ("runlength.pdf", run_length_chain_pdf),
    "pdf content with a predictor": ("predictor.pdf", predictor_content_pdf),
    "pdf 10⁶ glyphs from a tiny stream": ("glyphs.pdf", lambda: repeated_text_pdf(3, 10, 1000)),
    "pdf 60 000 glyphs on a page": ("page60k.pdf", lambda: text_pdf(1, 60_000)),
    "pdf 11 pages of 49 000 glyphs": ("file539k.pdf", lambda: text_pdf(11, 49_000)),
    "pdf 20 pages of 3.9 MB content": ("contents.pdf", lambda: contents_over_the_file_pdf(20, 3_900_000)),
    "pdf a Type 3 glyph drawing nested forms": ("type3.pdf", lambda: type3_forms_pdf(10, 10)),
    "pdf a font inflating to 128 MB": ("fontbomb.pdf", lambda: font_bomb_pdf(128 * 1024 * 1024)),
    "pdf a page of 200 000 strokes": ("strokes.pdf", lambda: paths_pdf(1, 200_000)),
    "pdf 6 pages of 45 000 strokes": ("strokes6.pdf", lambda: paths_pdf(6, 45_000)),
    "pdf one page of 1.6 MB listed 300 times": ("listed.pdf", lambda: paths_pdf(300, 90_000, same_page=True)),
    "pdf a form of 60 000 strokes": (
        "formstrokes.pdf",
        lambda: nested_forms_pdf(1, 1, b"0.5 w " + b"10 10 m 20 20 l S\n" * 60_000),
    ),
    "pdf one 3.9 MB content listed 10 000 times": (
        "repeat.pdf",
        lambda: repeated_contents_pdf(10_000, 3_900_000),
    ),
}
