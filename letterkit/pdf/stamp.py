"""Annex pages → the same pages with "Annex 1 – page 2 of 12" at their foot.

The stamps are drawn by the typeset stage (:mod:`letterkit.typeset.stamps`:
one overlay page per stamp, placed for the page's crop box and rotation);
this module measures the annex pages for it, merges each overlay onto its
page with pypdf and compresses the stamped pages' content streams again.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter

from ..typeset.stamps import Spot, overlay
from ..typeset.styles import Styles
from ._pypdf import own_contents


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
    """Merge each stamp onto its page and recompress the page's content.

    Pages may share one content stream (a producer's shortcut, or the same
    annex page taken twice); pypdf rewrites a page's content stream in place,
    so each stamped page first gets a content stream of its own.
    """
    if not stamps:
        return
    for stamp, page in zip(stamps, overlays(stamps, styles), strict=True):
        own_contents(writer, stamp.page)
        stamp.page.merge_page(page, over=True)
        stamp.page.compress_content_streams()
