"""What a PDF page holds for us, through PDFium (pypdfium2): its glyphs and its ruling lines.

The only module that speaks PDFium. Everything comes out in the page as a person reads it: x to
the right, y downward, in points, turned so that the page's text runs left to right (a landscape
page, a page with /Rotate, a table set sideways). The layout (pdf_layout.py) never sees PDFium.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from model.limits import MAX_PDF_PAGE_GLYPHS, MAX_PDF_PAGE_OBJECTS

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 8  # form XObjects inside form XObjects: real files nest one or two


class TooManyObjects(Exception):
    """A page with more page objects than a report's page (``page``) or than the file has left."""

    def __init__(self, count: int, *, page: bool) -> None:
        super().__init__(count)
        self.count = count
        self.page = page


class TooManyGlyphs(Exception):
    """A page with more characters than a report's page (``page``) or than the file has left."""

    def __init__(self, count: int, *, page: bool) -> None:
        super().__init__(count)
        self.count = count
        self.page = page


@dataclass(slots=True)
class Glyph:
    """One character with its box (x0 < x1, y0 < y1; y grows downward)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Rule:
    """A ruling line: horizontal when y0 == y1, vertical when x0 == x1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule]
    images: int  # image objects: a page of images and no glyphs is a scan
    objects: int = 0  # page objects PDFium made of the page (counted against MAX_PDF_OBJECTS_READ)


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """m then n (row vectors, as PDF writes them)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


class _Frame:
    """User space → the reading frame: turned by the text's angle, y downward, origin top-left."""

    def __init__(self, width: float, height: float, quarter_turns: int) -> None:
        self.turns = quarter_turns % 4
        self.user_width, self.user_height = width, height
        self.width, self.height = (height, width) if self.turns % 2 else (width, height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        w, h = self.user_width, self.user_height
        if self.turns == 0:
            return x, h - y
        if self.turns == 1:  # text runs upward: turn the page clockwise
            return y, x
        if self.turns == 2:
            return w - x, y
        return h - y, w - x

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


# The entry points called once per glyph or page object (thousands of calls a page) are made as
# PYFUNCTYPE: the call keeps the GIL (a CFUNCTYPE releases and retakes it on every call, about a
# tenth of such a call). Only for calls that do a fixed, small amount of work and never call back.


def _unchecked(function: object, restype: type, *argtypes: type) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    """The same PDFium entry point without ctypes' per-call argument checks, for the loops that run
    once per glyph or page object (thousands of calls a page): handles are passed as plain ints."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.PYFUNCTYPE(restype, *argtypes)(address)


def _bare(function: object, restype: type) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    """The entry point with no argument types at all, for the calls made once per glyph or page
    object: ctypes converts nothing (a third less per call). Every pointer goes as a ctypes object
    (a c_void_p, a byref): a plain int would be passed as a C int."""
    return ctypes.PYFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)


class _Object(ctypes.c_void_p):
    """A page object's handle as _GET_OBJECT returns it (a c_void_p subclass stays a ctypes object)."""


_LOOSE_BOX = _bare(raw.FPDFText_GetLooseCharBox, ctypes.c_int)  # (text page, index, byref(rect))
_GET_OBJECT = _bare(raw.FPDFPage_GetObject, _Object)  # (page, index)
_OBJECT_TYPE = _bare(raw.FPDFPageObj_GetType, ctypes.c_int)  # (_Object)
_CHAR_ANGLE = _unchecked(raw.FPDFText_GetCharAngle, ctypes.c_float, ctypes.c_void_p, ctypes.c_int)
_FORM_OBJECT = _unchecked(raw.FPDFFormObj_GetObject, _Object, ctypes.c_void_p, ctypes.c_ulong)
_RECT_BYTES = ctypes.sizeof(raw.FS_RECTF)  # left, top, right, bottom: four floats
_BOUNDS = _bare(raw.FPDFPageObj_GetBounds, ctypes.c_int)  # (_Object, byref left, bottom, right, top)
_DRAW_MODE = _bare(raw.FPDFPath_GetDrawMode, ctypes.c_int)  # (_Object, byref fill mode, byref stroke)
_STROKE_COLOUR = _bare(raw.FPDFPageObj_GetStrokeColor, ctypes.c_int)  # (_Object, byref red, green, blue, alpha)
_FILL_COLOUR = _bare(raw.FPDFPageObj_GetFillColor, ctypes.c_int)


def _handle(pointer: object) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


def _text_of(textpage: raw.FPDF_TEXTPAGE, count: int) -> str:
    """The page's characters, one per character index (in one call: far faster than one by one)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, buffer)
    text = ctypes.string_at(buffer, max(0, written - 1) * 2).decode("utf-16-le", errors="replace")
    if len(text) != count:  # characters beyond the BMP: ask one by one, so indices stay aligned
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i) or 0xFFFE) for i in range(count))
    return text


_KANGXI = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def _fold(text: str) -> str:
    """Kangxi radicals (⼀ U+2F00 …) that some PDF makers map CJK glyphs to: the ideograph itself."""
    return _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text) if _KANGXI.search(text) else text


@dataclass
class _Boxes:
    """A page's glyphs in user space, one list per coordinate: each box is
    (left[k], bottom[k], right[k], top[k]) around chars[k], character ``indices[k]`` of the text page."""

    indices: list[int]
    chars: list[str]
    left: list[float]
    bottom: list[float]
    right: list[float]
    top: list[float]


def _quarter_turns(textpage: raw.FPDF_TEXTPAGE, indices: list[int]) -> int:
    """The page's text direction in quarter turns (0: left to right), by most of a sample of glyphs."""
    sample = indices[::max(1, len(indices) // 60)]
    angles = list(map(_CHAR_ANGLE, itertools.repeat(_handle(textpage), len(sample)), sample))
    if not any(angles):  # all upright (most pages)
        return 0
    votes = Counter(round(angle / (math.pi / 2)) % 4 for angle in angles if angle >= 0)
    return votes.most_common(1)[0][0] if votes else 0


def _glyphs(textpage: raw.FPDF_TEXTPAGE, glyphs_left: int) -> tuple[_Boxes, int]:
    """The page's glyphs — white space left out: the positions tell the gaps — and its text
    direction. PDFium writes every loose box into one array (a call per glyph, no Python between).
    At most MAX_PDF_PAGE_GLYPHS characters and ``left`` for the file, counted before anything is
    built for them (TooManyGlyphs): ``glyphs_left``."""
    count = raw.FPDFText_CountChars(textpage)
    if count > MAX_PDF_PAGE_GLYPHS:
        raise TooManyGlyphs(count, page=True)
    if count > glyphs_left:
        raise TooManyGlyphs(count, page=False)
    text = _fold(_text_of(textpage, count)) if count > 0 else ""
    indices = [i for i, ch in enumerate(text) if not ch.isspace() and ch not in "\ufffe\uffff\x00"]
    n = len(indices)
    rects = (ctypes.c_float * (4 * n))()
    boxed = list(map(_LOOSE_BOX, itertools.repeat(textpage, n), indices,
                     map(ctypes.byref, itertools.repeat(rects, n), range(0, n * _RECT_BYTES, _RECT_BYTES))))
    flat = memoryview(rects).cast("B").cast("f").tolist()  # (far faster than rects[:])
    left, top, right, bottom = flat[0::4], flat[1::4], flat[2::4], flat[3::4]
    if not all(boxed):  # a character PDFium gives no box for is left out
        indices, left, top, right, bottom = (list(itertools.compress(column, boxed))
                                             for column in (indices, left, top, right, bottom))
    boxes = _Boxes(indices, list(map(text.__getitem__, indices)), left, bottom, right, top)
    _mend_boxes(textpage, boxes)
    return boxes, _quarter_turns(textpage, indices) if indices else 0


def _mend_boxes(textpage: raw.FPDF_TEXTPAGE, boxes: _Boxes) -> None:
    """Glyph boxes at the height of their line: the loose box (from the font's ascent and descent,
    so "一" stands as tall as "国"), unless a font's metrics make it absurd (far larger than the
    page's usual glyph) — then the ink box, made square as CJK glyphs are."""
    if not boxes.indices:
        return
    heights = list(map(operator.sub, boxes.top, boxes.bottom))
    usual = sorted(heights)[len(heights) // 2]
    limit = 2.5 * usual + 1
    widths = list(map(operator.sub, boxes.right, boxes.left))
    if max(heights) <= limit and max(widths) <= limit:
        return  # every box within reason (most pages): nothing to mend
    absurd = [k for k, (height, width) in enumerate(zip(heights, widths, strict=True)) if not (height <= limit and width <= limit)]
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    for k in absurd:
        if raw.FPDFText_GetCharBox(textpage, boxes.indices[k], left, right, bottom, top):
            side = max(right.value - left.value, top.value - bottom.value) / 2
            middle = (bottom.value + top.value) / 2
            boxes.left[k], boxes.bottom[k] = left.value, middle - side
            boxes.right[k], boxes.top[k] = right.value, middle + side


def _object_matrix(obj: raw.FPDF_PAGEOBJECT) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


class _Rules:
    """The ruling lines a page's paths draw (ctypes buffers made once: a page has hundreds)."""

    def __init__(self, frame: _Frame, seen: int = 0, page_left: int = MAX_PDF_PAGE_OBJECTS, file_left: int = MAX_PDF_PAGE_OBJECTS) -> None:
        self.frame = frame
        self.rules: list[Rule] = []
        self.images = 0
        self.seen = seen  # page objects met so far, those inside forms too
        self.page_left, self.file_left = page_left, file_left
        self._bounds = (ctypes.c_float * 4)()  # left, bottom, right, top
        self._modes = (ctypes.c_int * 2)()  # fill mode, stroke
        self._colour = (ctypes.c_uint * 4)()  # red, green, blue, alpha
        self._bounds_at = [ctypes.byref(self._bounds, 4 * i) for i in range(4)]
        self._modes_at = [ctypes.byref(self._modes, 4 * i) for i in range(2)]
        self._colour_at = [ctypes.byref(self._colour, 4 * i) for i in range(4)]
        self._point = [ctypes.c_float() for _ in range(2)]

    def walk(self, objects: list[_Object], matrix: Matrix, depth: int = 0) -> None:
        """Page objects: paths give rules, images are counted, forms entered."""
        text, path, image, form = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
        kinds = list(map(_OBJECT_TYPE, objects))
        wanted = list(map(text.__ne__, kinds))  # text objects (most of a page) left out without a Python step each
        for handle, kind in zip(itertools.compress(objects, wanted), itertools.compress(kinds, wanted), strict=True):
            if kind == path:
                self.path(handle, matrix)
            elif kind == image:
                self.images += 1
            elif kind == form and depth < _MAX_FORM_DEPTH:
                obj = ctypes.cast(handle, raw.FPDF_PAGEOBJECT)
                inner = _compose(_object_matrix(obj), matrix)
                count = raw.FPDFFormObj_CountObjects(obj)
                self.seen += count  # a form's objects count as the page's (before any is looked at)
                if self.seen > self.page_left:
                    raise TooManyObjects(self.seen, page=True)
                if self.seen > self.file_left:
                    raise TooManyObjects(self.seen, page=False)
                self.walk(list(map(_FORM_OBJECT, itertools.repeat(handle, count), range(count))), inner, depth + 1)

    def _white(self, handle: _Object, stroke: bool) -> bool:
        if not (_STROKE_COLOUR if stroke else _FILL_COLOUR)(handle, *self._colour_at):
            return False
        r, g, b, a = self._colour
        return a == 0 or min(r, g, b) >= 245

    def _add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A thin box as one rule along its middle."""
        if x1 - x0 >= y1 - y0:
            self.rules.append(Rule(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
        else:
            self.rules.append(Rule((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))

    def path(self, handle: _Object, matrix: Matrix) -> None:
        """A thin bar or a line (a border, as Word and WPS draw them) from the path's bounds alone;
        a stroked outline (a cell drawn as a rectangle) edge by edge; a filled area (shading) not."""
        if not _BOUNDS(handle, *self._bounds_at):
            return
        left, bottom, right, top = self._bounds
        a, b, c, d, e, f = matrix
        xa, xb = a * left + c * bottom + e, a * right + c * top + e
        ya, yb = b * left + d * bottom + f, b * right + d * top + f
        x0, y0, x1, y1 = self.frame.box(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))
        w, h = x1 - x0, y1 - y0
        if max(w, h) < 2:
            return
        _DRAW_MODE(handle, *self._modes_at)
        fill, stroke = self._modes
        stroked = bool(stroke) and not self._white(handle, stroke=True)
        if min(w, h) <= 3 and max(w, h) >= 3 * min(w, h):
            if stroked or (fill and not self._white(handle, stroke=False)):
                self._add(x0, y0, x1, y1)
            return
        if stroked:
            obj = ctypes.cast(handle, raw.FPDF_PAGEOBJECT)
            for points in self._subpaths(obj, _compose(_object_matrix(obj), matrix)):
                for (ax, ay), (bx, by) in itertools.pairwise(points):
                    sx0, sy0, sx1, sy1 = self.frame.box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                    if min(sx1 - sx0, sy1 - sy0) < 0.5 and max(sx1 - sx0, sy1 - sy0) >= 2:
                        self._add(sx0, sy0, sx1, sy1)

    def _subpaths(self, obj: raw.FPDF_PAGEOBJECT, matrix: Matrix) -> Iterator[list[tuple[float, float]]]:
        """The path's straight subpaths as point lists in user space (a curve ends a subpath)."""
        x, y = self._point
        a, b, c, d, e, f = matrix
        points: list[tuple[float, float]] = []
        for i in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, i)
            kind = raw.FPDFPathSegment_GetType(segment)
            raw.FPDFPathSegment_GetPoint(segment, x, y)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if kind != raw.FPDF_SEGMENT_LINETO:
                if len(points) > 1:
                    yield points
                points = [point] if kind == raw.FPDF_SEGMENT_MOVETO else []
                continue
            points.append(point)
            if raw.FPDFPathSegment_GetClose(segment):
                points.append(points[0])
        if len(points) > 1:
            yield points


def read_page(
    document: pdfium.PdfDocument, index: int, glyphs_left: int, *, objects: bool = True, objects_left: int = MAX_PDF_PAGE_OBJECTS
) -> PageContent:
    """Page ``index`` (0-based); TooManyGlyphs past the page's limit or the ``glyphs_left`` of the
    file, TooManyObjects past MAX_PDF_PAGE_OBJECTS or ``objects_left`` (before any is looked at).
    ``objects``: the page may hold paths, images or forms (False — the guard read its content and
    found only text — spares a call for each of its thousands of text objects)."""
    page = document[index]
    try:
        count = raw.FPDFPage_CountObjects(page.raw)
        if count > MAX_PDF_PAGE_OBJECTS:
            raise TooManyObjects(count, page=True)
        if count > objects_left:
            raise TooManyObjects(count, page=False)
        textpage = raw.FPDFText_LoadPage(page.raw)
        try:
            boxes, turns = _glyphs(textpage, glyphs_left)
        finally:
            raw.FPDFText_ClosePage(textpage)
        media_left, media_bottom, media_right, media_top = page.get_mediabox()
        # PDFium reports text in user space; the media box origin may sit anywhere
        frame = _Frame(media_right - media_left, media_top - media_bottom, turns)
        shift = (1.0, 0.0, 0.0, 1.0, -media_left, -media_bottom)
        if turns == 0:  # the common case, a list at a time
            top_edge = (media_top - media_bottom) + media_bottom
            sub, left_edge, top_edges = operator.sub, itertools.repeat(media_left), itertools.repeat(top_edge)
            if media_left == 0:  # (most pages: x as it is)
                lefts, rights = boxes.left, boxes.right
            else:
                lefts, rights = map(sub, boxes.left, left_edge), map(sub, boxes.right, left_edge)
            glyphs = list(map(Glyph, boxes.chars, lefts, map(sub, top_edges, boxes.top), rights, map(sub, top_edges, boxes.bottom)))
        else:
            glyphs = [Glyph(ch, *frame.box(x0 - media_left, y0 - media_bottom, x1 - media_left, y1 - media_bottom))
                      for ch, x0, y0, x1, y1 in zip(boxes.chars, boxes.left, boxes.bottom, boxes.right, boxes.top, strict=True)]
        paths = _Rules(frame, count, MAX_PDF_PAGE_OBJECTS, objects_left)
        if objects:
            paths.walk(list(map(_GET_OBJECT, itertools.repeat(page.raw, count), range(count))), shift)
        return PageContent(index + 1, frame.width, frame.height, glyphs, paths.rules, paths.images, paths.seen)
    finally:
        page.close()
