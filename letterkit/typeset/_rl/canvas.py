"""ReportLab's canvas and document writer → letterkit's own canvases, which write
the same PDF sooner (a font program compressed once, whole numbers written
plainly, Flate-only pages) and keep pages back until the page count is known.
Every reliance on ReportLab's private parts says what it relies on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from reportlab.lib.rl_accel import asciiBase85Decode
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from ... import memo
from .fonts import keep_ties_in
from .marking import artifacts
from .textlayer import TiedText

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
    """A canvas that writes what ReportLab's own canvas writes, sooner and with
    no-break spaces kept:

    * a large stream (a font program) is compressed once per process;
    * a justified line stretches its breaking spaces, not its no-break
      spaces (:class:`~.textlayer.TiedText`);
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
        keep_ties_in(doc)

    def beginText(self, x: float = 0, y: float = 0, **kwargs: Any) -> Any:
        """A text object whose justified lines keep no-break spaces at their
        width (:class:`~.textlayer.TiedText`)."""
        return TiedText(self, x, y, **kwargs)


class LKCanvas(FastCanvas):
    """The canvas of letterkit's own documents: the PDF that ReportLab writes
    with ``rl_config.useA85`` off, made sooner, without touching ``rl_config``:
    page content streams are compressed with Flate alone (ASCII85 makes them
    a quarter bigger and is slow), and images are stored without ASCII85."""

    lk_flate_only = True

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:
        """A link of a tagged layout's canvas (one with an ``lk_marker``, made
        for an archived letter) is marked to print (``/F 4``), as PDF/A asks;
        other canvases write their links as ReportLab does."""
        if getattr(self, "lk_marker", None) is not None:
            if hasattr(annotation, "otherkw"):  # linkRect's LinkAnnotation
                annotation.otherkw["F"] = 4
            else:  # linkURL's dictionary
                annotation["F"] = 4
        super()._addAnnotation(annotation, name, addtopage)


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
            if getattr(self, "lk_marker", None) is not None:  # a tagged layout's
                artifacts(self)
            Canvas.showPage(self)
        Canvas.save(self)

    def lk_finish_page(self, number: int, total: int) -> None:
        """Draw what a held page needs the count for (page *number* of *total*)."""
