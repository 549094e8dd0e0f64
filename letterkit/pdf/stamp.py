"""Annex pages → the same pages with "Annex 1 – page 2 of 12" at their foot.

The stamps are drawn by the typeset stage (:mod:`letterkit.typeset.stamps`:
one overlay page per stamp, placed for the page's crop box and rotation);
this module measures the annex pages for it and puts each overlay on its
page as a form XObject, drawn after the page's own content.

The page's own content streams are never decoded, parsed or copied: its
``/Contents`` becomes an array that brackets them with two small streams,
``q`` before and ``Q /LKStamp Do`` after, and its resources gain the form
under a name they do not use yet. Stamping costs the same for a page that
draws 70 MB as for an empty one, and a stream that many pages share stays
one stream.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from ..typeset.generated import AnnexError
from ..typeset.stamps import Spot, overlay
from ..typeset.styles import Styles
from ._pypdf import add_object

#: The name the pages' resources give their stamps' forms (a number is added
#: when a page uses the name already).
FORM_NAME = "/LKStamp"


@dataclass(frozen=True)
class Stamp:
    """One annex page to stamp and the text to put on it."""

    page: PageObject
    text: str


def spot(stamp: Stamp) -> Spot:
    """Where the stamp goes, from its page's boxes and rotation."""
    media, crop = stamp.page.mediabox, stamp.page.cropbox
    return Spot(
        text=stamp.text,
        media=(float(media.right), float(media.top)),
        crop=(float(crop.left), float(crop.bottom), float(crop.width), float(crop.height)),
        rotation=stamp.page.rotation or 0,
    )


def overlays(stamps: Sequence[Stamp], styles: Styles) -> list[PageObject]:
    """One overlay page per stamp, in the coordinates of its target page."""
    drawn = overlay([spot(s) for s in stamps], styles)
    return list(PdfReader(io.BytesIO(drawn)).pages)


def apply(stamps: Sequence[Stamp], styles: Styles, writer: PdfWriter) -> None:
    """Put each stamp on its page, after the page's own content.

    Every page gets its form under one name, in resources of its own
    (shallow copies: what pages share stays shared), so pages that share
    content or resources (a producer's shortcut, or the same annex page
    taken twice) each show their own stamp. Pages whose content streams are
    the same share one ``/Contents`` array, written once (pypdf copies the
    streams of each array it copies). Raises :class:`StampCost` when the
    copies would pass :data:`COPY_MAX` entries.
    """
    if not stamps:
        return
    pages = [s.page for s in stamps]
    _check_cost(pages)
    name = _free_name(pages)
    opening = add_object(writer, _stream(b"q\n"))
    closing = add_object(writer, _stream(b"\nQ %s Do\n" % name.encode()))
    arrays: dict[tuple[int, ...], IndirectObject] = {}
    for stamp, page in zip(stamps, overlays(stamps, styles), strict=True):
        _give_form(stamp.page, name, add_object(writer, _form(page, writer)))
        streams = _streams(stamp.page)
        key = tuple(s.idnum if isinstance(s, IndirectObject) else -id(s) for s in streams)
        if key not in arrays:
            arrays[key] = add_object(writer, ArrayObject([opening, *streams, closing]))
        stamp.page[NameObject("/Contents")] = arrays[key]


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


def _form(page: PageObject, writer: PdfWriter) -> PdfObject:
    """The overlay *page* as a form XObject of *writer*: its (small) content,
    its box and its resources (the stamp's font, copied once per writer)."""
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    form = _stream(data)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(page.mediabox)
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
