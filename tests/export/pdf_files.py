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
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, xref)
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
    objects.append(stream(bytes([0, 255, 255, 0] * 4),
                          b"/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8 "))
    return build_pdf(objects)


def many_pages_pdf(count: int) -> bytes:
    """``count`` empty pages."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
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
    objects += [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"] * count
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
