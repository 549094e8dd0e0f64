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
)

from ..typeset.stamps import Spot, overlay
from ..typeset.styles import Styles
from ._pypdf import add_object

#: The name a page's resources give its stamp's form (a number is added when
#: the page uses the name already).
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

    Each page gets resources and a ``/Contents`` array of its own (shallow
    copies: what pages share stays shared), so pages that share a content
    stream or resources (a producer's shortcut, or the same annex page taken
    twice) each show their own stamp.
    """
    if not stamps:
        return
    opening = add_object(writer, _stream(b"q\n"))
    closings: dict[str, IndirectObject] = {}
    for stamp, page in zip(stamps, overlays(stamps, styles), strict=True):
        form = add_object(writer, _form(page, writer))
        name = _free_name(stamp.page)
        if name not in closings:
            closings[name] = add_object(writer, _stream(b"\nQ %s Do\n" % name.encode()))
        _wrap(stamp.page, opening, closings[name], name, form)


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


def _free_name(page: PageObject) -> str:
    """A name for the stamp's form that the page's resources do not use yet."""
    used = _dict(_dict(page.get("/Resources")).get("/XObject"))
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


def _wrap(
    page: PageObject, opening: IndirectObject, closing: IndirectObject, name: str, form: PdfObject
) -> None:
    """Bracket *page*'s content streams with *opening* and *closing* and give
    its resources *form* under *name*, copying only the page's own dictionaries."""
    resources = DictionaryObject(_dict(page.get("/Resources")))
    forms = DictionaryObject(_dict(resources.get("/XObject")))
    forms[NameObject(name)] = form
    resources[NameObject("/XObject")] = forms
    page[NameObject("/Resources")] = resources
    own = page.raw_get("/Contents") if "/Contents" in page else None
    resolved = own.get_object() if isinstance(own, IndirectObject) else own
    if isinstance(resolved, ArrayObject):
        streams = list(resolved)
    else:
        streams = [own] if own is not None else []
    page[NameObject("/Contents")] = ArrayObject([opening, *streams, closing])
