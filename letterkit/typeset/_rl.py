"""letterkit's reliance on ReportLab's private parts, all of it, in one module.

ReportLab offers no public way to do a few things the letters need: resume a
frame where another document left it, keep a page back until the page count
is known, undo the marks a build leaves on shared flowables, break long URLs
after any slash, reorder a paragraph's laid-out lines for right-to-left text.
Each such reliance is here, with a comment saying what it relies on; the
rest of letterkit calls the small functions below.
``tests/unit/test_rl_contract.py`` checks every one against the installed
ReportLab and names the attribute when a new version changes it.

The module is one piece on purpose, though it is longer than the 400 lines
other modules keep to: its job is that every reliance on ReportLab's private
parts is found in one file, so that a new ReportLab is checked by reading
one module against one contract test. Split into several, the list would be
scattered again, which is what it exists to prevent.

Nothing here changes ReportLab for anyone else in the process: no function
or setting of ReportLab's modules is replaced, even for a moment. What
letterkit does differently applies to its own objects only: its canvases and
their documents (:class:`FastCanvas`, :class:`LKCanvas`), its fonts
(:func:`remember_subsets`) and its paragraphs (:func:`slash_break_lines`).
"""

from __future__ import annotations

import copy
import threading
import types
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from reportlab import Version
from reportlab.lib.rl_accel import asciiBase85Decode
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.frames import Frame

from .. import memo

#: The installed ReportLab's version (the contract test names it when it fails).
VERSION: str = Version

# -- Canvases ------------------------------------------------------------------

#: Shorter streams are compressed each time: they seldom repeat.
_LARGE = 4096
#: Whole numbers that ReportLab's number formatting writes as ``str`` does.
_EXACT = 2**52

_PACKED: dict[bytes, bytes] = memo.table({})
_PACKING = threading.Lock()


class _RememberedFlate:
    """Flate compression that remembers large streams by their bytes: the letters
    of a bundle embed the same font subsets again and again.

    Relies on: a stream filter is any object with ``pdfname`` and ``encode``
    (``PDFStream.format`` calls ``encode`` on the content, and names the filter
    by ``pdfname``), as ``pdfdoc.PDFZCompress`` is.
    """

    pdfname = pdfdoc.PDFZCompress.pdfname

    def encode(self, data: bytes) -> bytes:
        packed = _PACKED.get(data)
        if packed is None:
            packed = pdfdoc.PDFZCompress.encode(data)
            with _PACKING:
                memo.keep(_PACKED, data, packed, 32)
        return packed


_REMEMBERED = _RememberedFlate()


class FastCanvas(Canvas):  # type: ignore[misc]
    """A canvas that writes the bytes ReportLab's own canvas writes, sooner:

    * a large stream (a font program) is compressed once per process;
    * a font's whole numbers (glyph widths, metrics) are written by ``str``
      rather than by ReportLab's general (pure-Python) number formatting,
      which gives the same text for them.
    """

    #: Whether pages and images are stored without ASCII85 (:class:`LKCanvas`).
    lk_flate_only = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Compressed pages whatever the host set in rl_config.pageCompression
        # (ReportLab's default, and what letterkit's bytes are made with).
        if kwargs.get("pageCompression") is None and len(args) < 4:
            kwargs["pageCompression"] = 1
        super().__init__(*args, **kwargs)
        # Relies on: ``Canvas._doc`` is the PDFDocument the canvas writes, and
        # every object enters it through ``doc.Reference(obj, name)`` (called
        # on the instance), with the attributes used below already set: a page
        # from ``Canvas.showPage``, an image from ``Canvas.drawImage``, a font,
        # its descriptor and its program from ``TTFont.addObjects``.
        doc = self._doc
        doc.Reference = _Referencer(doc.Reference, self.lk_flate_only)


class LKCanvas(FastCanvas):
    """The canvas of letterkit's own documents: the PDF that ReportLab writes
    with ``rl_config.useA85`` off, made sooner, without touching ``rl_config``:
    page content streams are compressed with Flate alone (ASCII85 makes them
    a quarter bigger and is slow), and images are stored without ASCII85."""

    lk_flate_only = True


class _Referencer:
    """A document's ``Reference``, adjusting letterkit's objects as they enter it."""

    def __init__(self, plain: Callable[..., Any], flate_only: bool) -> None:
        self.plain = plain
        self.flate_only = flate_only

    def __call__(self, obj: Any, name: str | None = None) -> Any:
        kind = type(obj)
        if kind is pdfdoc.PDFStream:
            _remember(obj)
            _plain_numbers(obj)
        elif kind is pdfdoc.PDFTrueTypeFont or kind is pdfdoc.PDFDictionary:
            _plain_numbers(obj)
        elif self.flate_only and kind is pdfdoc.PDFPage:
            _flate_page(obj)
        elif self.flate_only and kind is pdfdoc.PDFImageXObject:
            _no_a85(obj)
        return self.plain(obj, name)


def _flate_page(page: Any) -> None:
    """Give a compressed page the content stream ``PDFPage.check_format`` makes
    when ``rl_config.useA85`` is off.

    Relies on: ``check_format`` keeps a ``Contents`` set before it runs, and
    otherwise makes ``PDFStream()`` with ``filters`` ``[PDFZCompress]`` (when
    ``compression``), ``content`` the page's ``stream`` and the comment
    "page stream".
    """
    if page.Contents is not None or not page.stream or not page.compression:
        return
    if page.Override_default_compilation:
        return
    contents = pdfdoc.PDFStream()
    contents.filters = [pdfdoc.PDFZCompress]
    contents.content = page.stream
    contents.__Comment__ = "page stream"
    page.Contents = contents


def _remember(stream: Any) -> None:
    """A large Flate stream (a font program) is compressed once per process.

    Relies on: ``TTFontFace.addSubsetObjects`` sets ``content`` (bytes) and
    ``filters`` (``[PDFZCompress]``) before it references the stream.
    """
    content = stream.content
    large = type(content) is bytes and len(content) >= _LARGE
    if large and stream.filters == [pdfdoc.PDFZCompress]:
        stream.filters = [_REMEMBERED]


def _no_a85(image: Any) -> None:
    """An image stored as ReportLab stores it when ``rl_config.useA85`` is off.

    Relies on: ``PDFImageXObject._filters`` lists the filters of
    ``streamContent``, ASCII85 first when ReportLab added it on top of the
    stored data (``('ASCII85Decode', 'FlateDecode')`` or ``(…, 'DCTDecode')``).
    """
    filters = tuple(image._filters)
    if filters[:1] == ("ASCII85Decode",):
        image.streamContent = asciiBase85Decode(image.streamContent)
        image._filters = filters[1:]


def _text(value: Any) -> Any:
    """A whole number as the bytes ``pdfdoc.format`` writes for it; else *value*."""
    if type(value) is int and -_EXACT < value < _EXACT:
        return str(value).encode("ascii")
    return value


def _plain_numbers(obj: Any) -> None:
    """The whole numbers of an embedded font, written by ``str``: hundreds of
    glyph widths, the descriptor's metrics and box, the program's length.

    Relies on: ``pdfdoc.format`` writes a ``bytes`` element as it is and a
    whole number through ``fp_str``, which gives ``str(n)`` for it. A font
    (``PDFTrueTypeFont``) has its ``Widths`` (a ``PDFArray``: ``sequence``),
    ``FirstChar`` and ``LastChar`` set, its descriptor (a ``PDFDictionary``
    whose ``Type`` is ``/FontDescriptor``) its entries and its program stream
    its ``Length1``, when they are referenced; nothing reads them again.
    """
    if type(obj) is pdfdoc.PDFTrueTypeFont:
        widths: Any = getattr(obj, "Widths", None)
        if type(widths) is pdfdoc.PDFArray:
            widths.sequence = [_text(v) for v in widths.sequence]
        obj.FirstChar = _text(obj.FirstChar)
        obj.LastChar = _text(obj.LastChar)
        return
    entries = obj.dict if type(obj) is pdfdoc.PDFDictionary else obj.dictionary.dict
    if type(obj) is pdfdoc.PDFStream:
        if "Length1" in entries:
            entries["Length1"] = _text(entries["Length1"])
        return
    if entries.get("Type") != "/FontDescriptor":
        return
    for key, value in entries.items():
        if type(value) is pdfdoc.PDFArray:
            value.sequence = [_text(v) for v in value.sequence]
        else:
            entries[key] = _text(value)


class HeldPagesCanvas(LKCanvas):
    """A canvas that holds every page back until :meth:`save`, then finishes each
    (:meth:`lk_finish_page`) knowing the page count: for "Page X of Y".

    Relies on: a canvas keeps the whole state of the page being drawn in its
    ``__dict__``, and ``Canvas._startPage`` begins the next page (it is what
    ``showPage`` calls after writing one); ``Canvas._pageNumber`` is the
    number of the page being drawn.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lk_held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._lk_held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._lk_held)
        for state in self._lk_held:
            self.__dict__.update(state)
            self.lk_finish_page(self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def lk_finish_page(self, number: int, total: int) -> None:
        """Draw what a held page needs the count for (page *number* of *total*)."""


# -- Frames and documents ----------------------------------------------------------

#: Relies on: these attributes hold all a Frame knows of what was put in it:
#: the cursor (``_y``), the floor (``_y1p``), the space after the last
#: flowable, whether nothing was put in yet, and indents of enclosing flowables.
_FRAME_STATE = ("_y", "_y1p", "_prevASpace", "_atTop", "_leftExtraIndent", "_rightExtraIndent")
#: Relies on: a Frame's box is ``_x1``, ``_y1``, ``_width``, ``_height``.
_FRAME_BOX = ("_x1", "_y1", "_width", "_height")


def frame_state(frame: Frame) -> dict[str, float]:
    """Where a frame stands: what :func:`resume_frame` needs to continue there."""
    return {name: getattr(frame, name) for name in _FRAME_STATE}


def frame_box(frame: Frame) -> tuple[float, float, float, float]:
    """A frame's box: x, y, width, height."""
    x, y, width, height = (getattr(frame, name) for name in _FRAME_BOX)
    return x, y, width, height


def resume_frame(frame: Frame, state: dict[str, float]) -> None:
    """Put a fresh frame where :func:`frame_state` found another one."""
    for name in _FRAME_STATE:
        setattr(frame, name, state[name])


def frame_room(frame: Frame) -> float:
    """Height left in a frame, between its cursor and its floor."""
    return float(frame._y - frame._y1p)


def reset_frame_floor(frame: Frame) -> None:
    """Put a frame's floor back at its bottom edge (relies on ``_y1p`` being the
    floor and ``_y1 + _bottomPadding`` its place in a new frame)."""
    frame._y1p = frame._y1 + frame._bottomPadding


def raise_frame_floor(frame: Frame, by: float) -> None:
    """Keep *by* points at a frame's foot: nothing more is put there."""
    frame._y1p += by


def lift_frame(frame: Frame, by: float) -> None:
    """Move a frame's cursor and floor up: room taken below the last flowable is
    given back there and kept at the foot instead."""
    frame._y += by
    frame._y1p += by


def at_top(flowable: Any) -> bool:
    """Whether the frame a flowable is being split in holds nothing yet.

    Relies on: ``Frame.add``/``split`` set ``flowable._frame`` to the frame, and
    ``Frame._atTop`` is true until something is put in it.
    """
    return bool(getattr(getattr(flowable, "_frame", None), "_atTop", False))


def is_hanging(doc: Any, flowables: list[Any]) -> bool:
    """Whether *flowables* is a document's own list of page-top flowables
    (``BaseDocTemplate._hanging``), not the story."""
    return flowables is doc._hanging


@contextmanager
def edits_undone(doc: Any) -> Iterator[None]:
    """Within the block, a build's changes to the flowables are undone after it.

    Relies on: while ``BaseDocTemplate._multiBuildEdits`` is set,
    ``handle_keepWithNext`` and ``handle_flowable`` call it with
    ``(function, *args)`` that undo each change they make to a flowable
    (a cleared ``keepWithNext``, a ``_postponed`` mark), as ``multiBuild`` does.
    """
    edits: list[tuple[Any, weakref.ref[Any], tuple[Any, ...]]] = []

    def record(edit: tuple[Any, ...]) -> None:
        # The flowable is held weakly: one gone by the end (the rest of a split,
        # once drawn) needs no undoing, and holding each would keep every page's
        # remainder of a long signatory list alive until the build ends.
        undo, flowable, *args = edit
        edits.append((undo, weakref.ref(flowable), tuple(args)))

    doc._multiBuildEdits = record
    try:
        yield
    finally:
        del doc._multiBuildEdits
        for undo, ref, args in reversed(edits):
            flowable = ref()
            # A "postponed" mark may be gone already (the flowable was drawn).
            if flowable is not None:
                with suppress(AttributeError):
                    undo(flowable, *args)


# -- Paragraphs ----------------------------------------------------------------


def broken_lines(paragraph: Any) -> Any | None:
    """A wrapped paragraph's lines (ReportLab's ``blPara``), or None before wrap.

    Relies on: ``wrap`` sets ``blPara``; its ``kind`` is 0 (``lines`` are
    ``(extra space, [words])``) or 1 (``lines`` have ``words``: style runs, each
    with ``text``, ``rise``, ``link`` and ``clone(**changes)``).
    """
    return paragraph.__dict__.get("blPara")


def forget_lines(paragraph: Any) -> None:
    """Drop a wrapped paragraph's lines (``blPara``); its next ``wrap`` breaks it again."""
    paragraph.__dict__.pop("blPara", None)


@contextmanager
def lines_replaced(paragraph: Any, lines: list[Any]) -> Iterator[None]:
    """Within the block, the paragraph draws *lines* instead of its own."""
    own = paragraph.blPara
    shown = copy.copy(own)
    shown.lines = lines
    paragraph.blPara = shown
    try:
        yield
    finally:
        paragraph.blPara = own


def line_runs(line: Any) -> list[Any]:
    """The style runs of a line of a ``kind`` 1 paragraph."""
    return list(getattr(line, "words", ()))


def line_with_runs(line: Any, runs: list[Any]) -> Any:
    """A copy of a ``kind`` 1 line holding *runs*."""
    new = copy.copy(line)
    new.words = runs
    return new


def run_text(run: Any) -> str:
    """The text of a style run ("" for an anchor or an image)."""
    return str(getattr(run, "text", ""))


def run_with_text(run: Any, text: str) -> Any:
    """A style run like *run* holding *text*."""
    return run.clone(text=text)


def raised_link_targets(paragraph: Any) -> Iterator[str]:
    """The link targets of a wrapped paragraph's raised runs (note references),
    in reading order."""
    lines = broken_lines(paragraph)
    if lines is None or getattr(lines, "kind", 0) != 1:
        return
    for line in lines.lines:
        for run in line_runs(line):
            if not getattr(run, "rise", 0):
                continue
            # Relies on: a run's ``link`` lists its links, each a tuple whose
            # second item is the target, or an object with ``link``.
            for link in getattr(run, "link", None) or ():
                yield str(link[1] if isinstance(link, tuple) else getattr(link, "link", ""))


#: Relies on: ``Paragraph.breakLines`` finds where a word too long for its line
#: may break through these module functions, in this order, and
#: ``_uri_split_pairs(word)`` gives the (head, tail) pairs to try, or None.
_BREAK_CHAIN = ("_hyGenPair", "_hyGenFragsPair", "_hyphenateWord", "_hyphenateFragWord")

#: The break pairs ReportLab itself gives a word (for what letterkit leaves to it).
uri_split_pairs: Callable[[str], list[tuple[str, str]] | None] = _paragraph._uri_split_pairs


def slash_break_lines(
    split_pairs: Callable[[Any], list[tuple[str, str]] | None],
) -> Callable[[Any, Any], Any]:
    """``Paragraph.breakLines`` that takes a word's break pairs from *split_pairs*.

    ReportLab's own functions, run in a copy of their module's namespace in
    which ``_uri_split_pairs`` is *split_pairs*: the module itself is never
    changed, so other paragraphs (and other threads) are not affected.
    """
    space = dict(vars(_paragraph))
    space["_uri_split_pairs"] = split_pairs
    for name in _BREAK_CHAIN:
        space[name] = _rebound(space[name], space)
    break_lines: Callable[[Any, Any], Any] = _rebound(_paragraph.Paragraph.breakLines, space)
    return break_lines


def _rebound(function: Any, space: dict[str, Any]) -> Any:
    """*function*, looking its global names up in *space*."""
    new = types.FunctionType(
        function.__code__, space, function.__name__, function.__defaults__, function.__closure__
    )
    new.__kwdefaults__ = function.__kwdefaults__
    new.__qualname__ = function.__qualname__
    new.__doc__ = function.__doc__
    return new


# -- Fonts -----------------------------------------------------------------------


def on_subset_failure(font: Any, error: Callable[[Exception], Exception]) -> None:
    """Make a failure to embed a subset of *font* (a damaged glyph table that
    ReportLab reads only then) raise ``error(exc)``, an error that names the font.

    Relies on: ``TTFontFace.addSubsetObjects`` makes a subset's program by
    calling ``self.makeSubset(subset)`` on the font's ``face``.
    """
    face = font.face
    make = face.makeSubset

    def make_subset(subset: Any) -> bytes:
        try:
            data: bytes = make(subset)
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # TTFError, struct.error, IndexError… from damaged tables
            raise error(exc) from exc
        return data

    face.makeSubset = make_subset


def remember_subsets(font: Any) -> Any:
    """*font* (a TTFont of letterkit's own), making each distinct subset once:
    the letters of a bundle embed the same few subsets again and again (the
    bytes depend on the glyphs only).

    Relies on: ``TTFontFace.addSubsetObjects`` makes a subset's program by
    calling ``self.makeSubset(subset)`` on the font's ``face``. ReportLab
    gives a font name registered later for the same face (a host's own name
    for the same file) this very font object; subsets are made one at a time,
    as ``makeSubset`` reads the font file through a position it keeps.
    """
    face = font.face
    make = face.makeSubset
    made: dict[tuple[int, ...], bytes] = memo.table({})
    lock = threading.Lock()

    def make_subset(subset: Any) -> bytes:
        key = tuple(subset)
        with lock:
            data = made.get(key)
            return data if data is not None else memo.keep(made, key, make(subset), 32)

    face.makeSubset = make_subset
    return font
