"""Annex pages → the same pages with "Annex 1 – page 2 of 12" where they have room.

Each page's marks are found (:mod:`letterkit.pdf.marks`) and the stamp's
label goes where the page, as shown, is blank (:mod:`letterkit.pdf.placing`).
A page with no such room (a full-page scan, a receipt filled to its edges, a
page too large or too damaged to read, a page of no size) grows a strip at
its shown foot, and the stamp goes in the strip; the caller reports those
pages. Stamping never needs a page's content decoded: a page whose content
cannot be decoded or read counts as marked all over. The label is drawn by
the typeset stage (:mod:`letterkit.typeset.stamps`, one overlay page per
stamp) and put on its page as a form XObject, drawn after the page's own
content, or before it when that content could not be read (a viewer may stop
at a stream it cannot decode; the stamp's strip is outside the content's clip).

The page's own content streams are read, never changed or copied: its
``/Contents`` becomes an array that brackets them with two small streams,
``q`` before (with a clip to the box it showed, when it got a strip) and
``Q /LKStamp Do`` after (one ``q`` more for each ``Q`` of the page that
restores nothing, one ``Q`` more for each ``q`` it leaves open; for content
that could not be read, ``q /LKStamp Do Q q`` and the clip before, ``Q``
after), and its
resources gain the form under a name they do not use yet. A stream that
many pages share stays one stream.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    RectangleObject,
    StreamObject,
)

from ..input.sources import Reporter, display_path
from ..typeset.generated import AnnexError
from ..typeset.reuse import FontStates
from ..typeset.stamps import Spot, overlay
from ..typeset.styles import Styles
from ._pypdf import add_object
from .annexes import OpenAnnex, page_ranges
from .marks import Reading, Rect, read_page
from .placing import Placed, Stamp, box_of, crop_ignored, place

__all__ = [
    "COPY_MAX",
    "FORM_NAME",
    "Placed",
    "Stamp",
    "StampCost",
    "apply",
    "place",
    "report_strips",
]

#: The name the pages' resources give their stamps' forms (a number is added
#: when a page uses the name already).
FORM_NAME = "/LKStamp"


def overlays(
    spots: Sequence[Spot],
    styles: Styles,
    seed: FontStates | None = None,
    states: FontStates | None = None,
) -> list[PageObject]:
    """One overlay page per spot, in the coordinates of its target page (its
    fonts' codes starting from *seed*, ending in *states*: see
    :func:`letterkit.typeset.stamps.overlay`)."""
    drawn = overlay(spots, styles, seed, states)
    return list(PdfReader(io.BytesIO(drawn)).pages)


def apply(
    stamps: Sequence[Stamp],
    styles: Styles,
    writer: PdfWriter,
    seed: FontStates | None = None,
    states: FontStates | None = None,
) -> list[int]:
    """Put each stamp on its page, after the page's own content (before it
    when that content could not be read); the
    1-based positions (in *stamps*) of the pages that got a strip. The
    stamps' fonts give the characters of *seed* their codes there; the codes
    they end with are put in *states*.

    Each page's marks are found first (:mod:`letterkit.pdf.marks`) so the
    stamp goes where the page is blank; a page with no room gets a strip
    at its shown foot (its boxes grow, its own content is clipped to what
    it showed before) and the stamp goes there. Every page gets its form
    under one name, in resources of its own (shallow copies: what pages
    share stays shared), so pages that share content or resources (a
    producer's shortcut, or the same annex page taken twice) each show
    their own stamp. Pages whose content streams and clip are the same
    share one ``/Contents`` array, written once (pypdf copies the streams
    of each array it copies). Raises :class:`StampCost` when the copies
    would pass :data:`COPY_MAX` entries.
    """
    if not stamps:
        return []
    pages = [s.page for s in stamps]
    _check_cost(pages)
    name = _free_name(pages)
    readings = _readings(pages)
    placed = [
        place(s, styles, r.marks if r is not None else None)
        for s, r in zip(stamps, readings, strict=True)
    ]
    brackets: dict[bytes, IndirectObject] = {}
    arrays: dict[tuple[int, ...], IndirectObject] = {}
    for stamp, where, page, reading in zip(
        stamps,
        placed,
        overlays([p.spot for p in placed], styles, seed, states),
        readings,
        strict=True,
    ):
        if where.strip:
            _grow(stamp.page, where.shown)
        elif crop_ignored(stamp.page):  # shown as every viewer will show it
            stamp.page.cropbox = RectangleObject(where.visible)
        form = add_object(writer, _form(page, writer, where.shown))
        _give_form(stamp.page, name, form)
        # One q more than the page's own Q that restore nothing take, and as
        # many Q after it as it leaves open, so that the stamp is drawn in the
        # page's first state.
        stray, left_open = (reading.stray, reading.left_open) if reading else (0, 0)
        head = b"q\n" * (1 + stray)
        if where.strip:
            x0, y0, x1, y1 = where.visible
            head += b"%.4f %.4f %.4f %.4f re W n\n" % (x0, y0, x1 - x0, y1 - y0)
        tail = b"\n" + b"Q " * (1 + left_open)
        if reading is None:
            # Content that could not be read may stop a viewer part way: the
            # stamp, in its strip outside the clip, is drawn before it.
            head = b"q %s Do Q\n" % name.encode() + head
            tail += b"\n"
        else:
            tail += b"%s Do\n" % name.encode()
        opening, closing = (_bracket(writer, brackets, part) for part in (head, tail))
        streams = _streams(stamp.page)
        key = (
            opening.idnum,
            closing.idnum,
            *(s.idnum if isinstance(s, IndirectObject) else -id(s) for s in streams),
        )
        if key not in arrays:
            arrays[key] = add_object(writer, ArrayObject([opening, *streams, closing]))
        stamp.page[NameObject("/Contents")] = arrays[key]
    return [n for n, where in enumerate(placed, start=1) if where.strip]


def _bracket(writer: PdfWriter, made: dict[bytes, IndirectObject], data: bytes) -> IndirectObject:
    """The stream of *data* in *writer*, made once (*made*) for all pages."""
    if data not in made:
        made[data] = add_object(writer, _stream(data))
    return made[data]


def _readings(pages: Sequence[PageObject]) -> list[Reading | None]:
    """Each page's reading, made once for pages that draw the same content
    streams with the same resources and annotations (a producer's shortcut)."""
    known: dict[tuple[int, ...], Reading | None] = {}
    out = []
    for page in pages:
        shared = [page.raw_get(k) if k in page else None for k in ("/Resources", "/Annots")]
        parts = [*_streams(page), *shared]
        if all(isinstance(p, IndirectObject) for p in parts):
            key = tuple(p.idnum for p in parts if isinstance(p, IndirectObject))
            if key not in known:
                known[key] = read_page(page)
            out.append(known[key])
        else:
            out.append(read_page(page))
    return out


def _grow(page: PageObject, box: Rect) -> None:
    """Give *page* the visible *box*: its crop box, and a media box that holds it."""
    try:
        media = box_of(page.mediabox)
    except Exception:  # a box pypdf cannot read: the strip's box replaces it
        media = None
    x0, y0, x1, y1 = box
    if media is not None:
        x0, y0 = min(x0, media[0]), min(y0, media[1])
        x1, y1 = max(x1, media[2]), max(y1, media[3])
    page.mediabox = RectangleObject((x0, y0, x1, y1))
    page.cropbox = RectangleObject(box)


#: The most resource entries stamping may copy for one annex (each page gets a
#: copy of its resources and of its form XObjects' dictionary).
COPY_MAX = 500_000


class StampCost(AnnexError):
    """Stamping an annex would copy more than :data:`COPY_MAX` resource entries."""


def _check_cost(pages: Sequence[PageObject]) -> None:
    total = 0
    for page in pages:
        resources = _dict(page.get("/Resources"))
        total += len(resources) + len(_dict(resources.get("/XObject")))
    if total > COPY_MAX:
        raise StampCost(
            f"names {total:,} resources on its pages, too many to stamp each page "
            f"(at most {COPY_MAX:,}); set 'stamp: false' for it"
        )


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _form(page: PageObject, writer: PdfWriter, box: Rect) -> PdfObject:
    """The overlay *page* as a form XObject of *writer*: its (small) content,
    the target page's visible *box* as its bounding box, and its resources
    (the stamp's font, copied once per writer)."""
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    form = _stream(data)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = RectangleObject(box)
    resources = page.get("/Resources")
    if isinstance(resources, DictionaryObject):
        form[NameObject("/Resources")] = resources.clone(writer)
    return form.flate_encode()


def _free_name(pages: Sequence[PageObject]) -> str:
    """A name for the stamp's form that no page's resources use yet (each
    distinct dictionary looked at once)."""
    used: set[str] = set()
    seen: set[int] = set()
    for page in pages:
        forms = _dict(_dict(page.get("/Resources")).get("/XObject"))
        if id(forms) not in seen:
            seen.add(id(forms))
            used.update(str(k) for k in forms if str(k).startswith(FORM_NAME))
    name, n = FORM_NAME, 0
    while name in used:
        n += 1
        name = f"{FORM_NAME}{n}"
    return name


def _dict(value: object) -> DictionaryObject:
    """*value* resolved if it is a dictionary, else an empty one."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _give_form(page: PageObject, name: str, form: PdfObject) -> None:
    """Give *page*'s resources *form* under *name*, in copies of the page's
    resources and form XObject dictionaries (what they refer to is shared)."""
    resources = DictionaryObject(_dict(page.get("/Resources")))
    forms = DictionaryObject(_dict(resources.get("/XObject")))
    forms[NameObject(name)] = form
    resources[NameObject("/XObject")] = forms
    page[NameObject("/Resources")] = resources


def _streams(page: PageObject) -> list[PdfObject]:
    """The page's content streams as it refers to them, read no further."""
    own = page.raw_get("/Contents") if "/Contents" in page else None
    resolved = own.get_object() if isinstance(own, IndirectObject) else own
    if isinstance(resolved, ArrayObject):
        return list(resolved)
    if isinstance(resolved, StreamObject):
        return [own] if own is not None else []
    return []


def report_strips(annexes: Sequence[OpenAnnex], reporter: Reporter) -> None:
    """Warn (LK133) about each annex whose pages got a strip for the stamp."""
    for item in annexes:
        if not item.strips:
            continue
        display = (
            display_path(item.annex.path)
            if isinstance(item.annex.path, Path)
            else f"annex {item.number}"
        )
        pages = page_ranges(item.strips)
        reporter.warning(
            (display, (None, None)),
            "LK133",
            f"annex {item.number}: page{'s' if len(item.strips) > 1 else ''} {pages} had no "
            "blank room for the stamp 8 mm from the edges, so a strip was added at the foot "
            "to hold it; check those pages, or set 'stamp: false' for the annex",
        )
