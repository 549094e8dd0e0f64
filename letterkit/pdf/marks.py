"""An annex page → the rectangles where it puts marks (ink), in user space.

The stamp must never cover what a page shows, so the stamping stage asks
where the page draws. This module reads the page's content streams with
pypdf's content-stream parser and follows the graphics state (``q``/``Q``,
``cm``, the clip, the fill and stroke colours) to turn each painting
operator into the rectangle that bounds it: filled and stroked paths, text
runs (advance from the font's widths, or a generous em where it has none;
invisible text such as a scan's OCR layer is no mark), images (inline or
XObject), form XObjects (followed, within their box), shadings, and the
page's visible annotations. Paint in white is not a mark: it hides nothing a
stamp would hide. White is known only in the device colour spaces (``1 g``,
``1 1 1 rg``, ``0 0 0 0 k``; a value beyond the range counts as its end of
the range, as viewers draw it); a colour in any other space (a tint, an ICC
profile, a pattern) counts as ink.

Every bound is generous (a curve's control points, a line's width, a
glyph's full em), never short. A page whose content is too large to read
within :data:`CONTENT_MAX` bytes, or that cannot be decoded (an LZW stream
with bad codes, a filter pypdf lacks) or parsed, is reported as unknown
(``None``): the stamping stage then treats all of it as marked. pypdf's
decoders are held to :data:`CONTENT_MAX` bytes of output here, whatever the
filter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from pypdf import PageObject, apply_configuration
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, StreamObject

from ..errors import LetterkitError
from .annots import shown_rects
from .contentsize import inflates_beyond, stored

Rect = tuple[float, float, float, float]  # left, bottom, right, top
Matrix = tuple[float, float, float, float, float, float]

#: Decoded content bytes (page and forms together) at most read to find the marks.
CONTENT_MAX = 4_000_000
#: How deep form XObjects are followed inside each other.
DEPTH_MAX = 6
#: Operators at most interpreted per page (forms included).
OPS_MAX = 400_000

#: Every operator of PDF 2.0's content streams (and pypdf's name for an inline
#: image): anything else outside BX/EX means the stream is not what it seems.
_KNOWN = set(
    b"b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i "
    b"ID j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL "
    b"Tm Tr Ts Tw Tz v w W W* y ' \"".split()
) | {b"INLINE IMAGE"}
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_EVERYWHERE: Rect = (-1e9, -1e9, 1e9, 1e9)
_PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_STROKES = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
_FILLS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


class Unknown(LetterkitError):
    """The page's marks cannot be found within the limits (caught here: the
    page then counts as marked all over)."""


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix that applies *m*, then *n* (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)  # fmt: skip


def bound(points: Iterable[tuple[float, float]], m: Matrix) -> Rect:
    """The rectangle around *points* mapped by *m*."""
    xs: list[float] = []
    ys: list[float] = []
    a, b, c, d, e, f = m
    for x, y in points:
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


def intersect(r: Rect, s: Rect) -> Rect | None:
    """The common part of two rectangles, or None."""
    out = (max(r[0], s[0]), max(r[1], s[1]), min(r[2], s[2]), min(r[3], s[3]))
    return out if out[0] <= out[2] and out[1] <= out[3] else None


@dataclass
class _State:
    ctm: Matrix = _IDENTITY
    clip: Rect = _EVERYWHERE
    line_width: float = 1.0
    fill_white: bool = False
    stroke_white: bool = False
    fill_space: str = "/DeviceGray"
    stroke_space: str = "/DeviceGray"
    font: DictionaryObject | None = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render: int = 0


@dataclass
class _Reader:
    """Follows one page's operators, collecting mark rectangles."""

    marks: list[Rect] = field(default_factory=list)
    read: int = 0
    ops: int = 0
    #: The page's own ``Q`` that restore nothing (viewers skip them), and the
    #: ``q`` it leaves open at its end: its stamp's brackets balance them.
    stray: int = 0
    left_open: int = 0

    def add(self, rect: Rect, state: _State) -> None:
        if any(math.isnan(v) for v in rect):
            rect = _EVERYWHERE  # a transform that overflowed: it may be anywhere
        clipped = intersect(rect, state.clip)
        if clipped is not None:
            self.marks.append(clipped)

    def run(self, stream: object, resources: DictionaryObject, state: _State, depth: int) -> None:
        if depth > DEPTH_MAX:
            self.add(_EVERYWHERE, state)
            return
        contents = stream if isinstance(stream, ContentStream) else ContentStream(stream, None)
        self.read += len(contents.get_data())
        if self.read > CONTENT_MAX:
            raise Unknown
        self._interpret(contents.operations, resources, state, depth)

    def _interpret(
        self, operations: Sequence[tuple[list[object], bytes]], resources: DictionaryObject,
        state: _State, depth: int,
    ) -> None:  # fmt: skip
        stack: list[_State] = []
        path: list[list[tuple[float, float]]] = []  # subpaths
        clipping = False
        tm = lm = _IDENTITY
        compatible = 0
        for operands, op in operations:
            self.ops += 1
            if self.ops > OPS_MAX:
                raise Unknown
            if op not in _KNOWN:
                if not compatible:
                    raise Unknown
                continue
            compatible += (op == b"BX") - (op == b"EX")
            nums = [float(o) for o in operands if isinstance(o, int | float)]
            if op == b"q":
                stack.append(replace(state))
            elif op == b"Q":
                if stack:
                    state = stack.pop()
                elif depth == 0:
                    self.stray += 1
            elif op == b"cm" and len(nums) == 6:
                state.ctm = multiply(tuple(nums), state.ctm)  # type: ignore[arg-type]
            elif op == b"w" and nums:
                state.line_width = nums[0]
            elif op == b"m" and len(nums) == 2:
                path.append([(nums[0], nums[1])])
            elif op in (b"l", b"c", b"v", b"y") and path:
                path[-1] += list(zip(nums[0::2], nums[1::2], strict=False))
            elif op == b"re" and len(nums) == 4:
                x, y, w, h = nums
                path.append([(x, y), (x + w, y + h)])
            elif op in (b"W", b"W*"):
                clipping = True
            elif op in _PAINT or op == b"n":
                self._paint(op, path, state)
                if clipping and path:
                    whole = bound([p for sub in path for p in sub], state.ctm)
                    state.clip = intersect(state.clip, whole) or (0, 0, 0, 0)
                path, clipping = [], False
            elif op in (b"g", b"rg", b"k", b"sc", b"scn", b"G", b"RG", b"K", b"SC", b"SCN"):
                fill = op.islower()
                space = _DEVICE.get(op.lower())
                if space is None:  # sc, scn: in the space cs chose
                    space = state.fill_space if fill else state.stroke_space
                white = _is_white(space, operands, nums)
                if fill:
                    state.fill_space, state.fill_white = space, white
                else:
                    state.stroke_space, state.stroke_white = space, white
            elif op in (b"cs", b"CS"):
                space = str(operands[0]) if operands else ""
                if op == b"cs":  # a space's first colour is black (or no ink)
                    state.fill_space, state.fill_white = space, False
                else:
                    state.stroke_space, state.stroke_white = space, False
            elif op == b"BT":
                tm = lm = _IDENTITY
            elif op in _TEXT_STATE:
                tm, lm = _text_state(op, operands, nums, state, resources, tm, lm)
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                if op in (b"'", b'"'):
                    if op == b'"' and len(nums) >= 2:
                        state.word_space, state.char_space = nums[0], nums[1]
                    lm = tm = multiply((1, 0, 0, 1, 0, -state.leading), lm)
                tm = self._show(operands, state, tm)
            elif op == b"Do" and operands:
                self._draw(operands[0], resources, state, depth)
            elif op == b"INLINE IMAGE":
                self.add(bound(((0, 0), (1, 1), (0, 1), (1, 0)), state.ctm), state)
            elif op == b"sh":
                self.add(_EVERYWHERE, state)
        if depth == 0:
            self.left_open = len(stack)

    def _paint(self, op: bytes, path: list[list[tuple[float, float]]], state: _State) -> None:
        """One rectangle per subpath: what a fill covers lies inside the hull of
        a subpath that winds around it; a stroke, within its width of one."""
        stroke = op in _STROKES and not state.stroke_white
        fill = op in _FILLS and not state.fill_white
        if not (stroke or fill):
            return
        pad = 0.0
        if stroke:
            a, b, c, d, _e, _f = state.ctm
            pad = max(state.line_width, 1.0) * max(abs(a) + abs(c), abs(b) + abs(d)) / 2 + 0.5
        for sub in path:
            x0, y0, x1, y1 = bound(sub, state.ctm)
            self.add((x0 - pad, y0 - pad, x1 + pad, y1 + pad), state)

    def _show(self, operands: list[object], state: _State, tm: Matrix) -> Matrix:
        """Bound one text-showing operator's run; the text matrix after it."""
        advance = 0.0
        for item in operands[-1] if operands and isinstance(operands[-1], list) else operands[-1:]:
            if isinstance(item, int | float):
                advance -= float(item) / 1000 * state.size * state.scale
            elif isinstance(item, str | bytes):
                advance += _advance(_bytes(item), state)
        if state.render not in (3, 7):
            size = abs(state.size) or 1.0
            box = ((min(0.0, advance), -0.35 * size + state.rise),
                   (max(0.0, advance), 1.1 * size + state.rise))  # fmt: skip
            corners = [box[0], box[1], (box[0][0], box[1][1]), (box[1][0], box[0][1])]
            self.add(bound(corners, multiply(tm, state.ctm)), state)
        return multiply((1, 0, 0, 1, advance, 0), tm)

    def _draw(self, name: object, resources: DictionaryObject, state: _State, depth: int) -> None:
        xobject = _dict(_dict(resources.get("/XObject")).get(str(name)))
        if not isinstance(xobject, StreamObject):
            return
        if xobject.get("/Subtype") == "/Image":
            self.add(bound(((0, 0), (1, 1), (0, 1), (1, 0)), state.ctm), state)
            return
        matrix = xobject.get("/Matrix")
        m = tuple(float(v) for v in matrix) if matrix is not None and len(matrix) == 6 else None
        inner = replace(state, ctm=multiply(m, state.ctm) if m else state.ctm)  # type: ignore[arg-type]
        box = xobject.get("/BBox")
        if box is not None and len(box) == 4:
            x0, y0, x1, y1 = (float(v) for v in box)
            inner.clip = intersect(state.clip, bound(((x0, y0), (x1, y1), (x0, y1), (x1, y0)), inner.ctm)) or (0, 0, 0, 0)  # fmt: skip
        own = _dict(xobject.get("/Resources"))
        self.run(xobject, own if own else resources, inner, depth + 1)


_TEXT_STATE = {b"Tf", b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Tr", b"Td", b"TD", b"Tm", b"T*"}


def _text_state(
    op: bytes, operands: list[object], nums: list[float], state: _State,
    resources: DictionaryObject, tm: Matrix, lm: Matrix,
) -> tuple[Matrix, Matrix]:  # fmt: skip
    """Apply one text-state or text-positioning operator; the new (Tm, Tlm)."""
    if op == b"Tf" and operands:
        state.font = _dict(_dict(resources.get("/Font")).get(str(operands[0]))) or None
        state.size = nums[-1] if nums else state.size
    elif op == b"Tm" and len(nums) == 6:
        tm = lm = tuple(nums)  # type: ignore[assignment]
    elif op in (b"Td", b"TD") and len(nums) == 2:
        if op == b"TD":
            state.leading = -nums[1]
        tm = lm = multiply((1, 0, 0, 1, nums[0], nums[1]), lm)
    elif op == b"T*":
        tm = lm = multiply((1, 0, 0, 1, 0, -state.leading), lm)
    elif nums:
        value = nums[0]
        if op == b"Tc":
            state.char_space = value
        elif op == b"Tw":
            state.word_space = value
        elif op == b"Tz":
            state.scale = value / 100
        elif op == b"TL":
            state.leading = value
        elif op == b"Ts":
            state.rise = value
        elif op == b"Tr":
            state.render = int(value)
    return tm, lm


def _bytes(item: str | bytes) -> bytes:
    if isinstance(item, bytes):
        return item
    original = getattr(item, "original_bytes", None)
    return original if isinstance(original, bytes) else item.encode("latin-1", "replace")


def _advance(data: bytes, state: _State) -> float:
    """How far a string moves the pen, in unscaled text space (widths from
    the font where it gives them, a full em per code where it does not)."""
    font = state.font if state.font is not None else DictionaryObject()
    size = state.size
    if font.get("/Subtype") == "/Type0":
        codes = len(data) // 2 or len(data)
        return (codes * (size + state.char_space)) * state.scale
    widths = font.get("/Widths")
    first = int(font.get("/FirstChar", 0) or 0)
    table = [float(w) for w in widths] if isinstance(widths, list) else []
    total = 0.0
    for code in data:
        i = code - first
        w = table[i] if 0 <= i < len(table) else 1000.0
        total += w / 1000 * size + state.char_space + (state.word_space if code == 32 else 0)
    return total * state.scale


#: The colour space each device colour operator sets.
_DEVICE = {b"g": "/DeviceGray", b"rg": "/DeviceRGB", b"k": "/DeviceCMYK"}


def _is_white(space: str, operands: list[object], nums: list[float]) -> bool:
    """Whether the colour *operands* in *space* paint white (values beyond
    the range taken at its end, as viewers clamp them)."""
    if any(not isinstance(o, int | float) for o in operands) or not nums:
        return False  # a pattern
    if not all(math.isfinite(n) for n in nums):
        return False
    if space == "/DeviceCMYK":
        return len(nums) == 4 and all(n <= 0 for n in nums)
    wanted = {"/DeviceGray": 1, "/DeviceRGB": 3}.get(space)
    return len(nums) == wanted and all(n >= 1 for n in nums)


def _dict(value: object) -> DictionaryObject:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


@dataclass(frozen=True)
class Reading:
    """What a page's content says: the rectangles of its marks, how many of
    its ``Q`` restore nothing, and how many ``q`` it leaves open at its end."""

    marks: list[Rect]
    stray: int = 0
    left_open: int = 0


def page_marks(page: PageObject) -> list[Rect] | None:
    """Rectangles (user space) covering every mark *page* draws, or None
    when they cannot be found within the limits (a stream pypdf cannot
    inflate reads as its raw bytes: their unknown operators say so)."""
    reading = read_page(page)
    return reading.marks if reading is not None else None


def read_page(page: PageObject) -> Reading | None:
    """The page's :class:`Reading`, or None when its content cannot be read
    within the limits (see :func:`page_marks`)."""
    reader = _Reader()
    try:
        if stored(page) > CONTENT_MAX or inflates_beyond(page, CONTENT_MAX):
            return None  # not inflated at all: too large to read for a stamp
        with apply_configuration(
            zlib_maximum_output_length=CONTENT_MAX,
            lzw_maximum_output_length=CONTENT_MAX,
            run_length_maximum_output_length=CONTENT_MAX,
            array_based_stream_maximum_output_length=CONTENT_MAX,
        ):
            contents = page.get_contents()
            if contents is not None:
                resources = _dict(page.get("/Resources"))
                reader.run(contents, resources, _State(), 0)
        reader.marks += shown_rects(page)
    except Exception:  # a page that cannot be read counts as all marks
        return None
    return Reading(reader.marks, reader.stray, reader.left_open)
