"""Annex pages → the same pages with "Annex 1 – page 2 of 12" at their foot.

The stamp is real, extractable text in the letter's language, centred 4 mm
above the bottom edge of the page *as it is shown*: a page with ``/Rotate``
90 gets its stamp turned so it still reads upright, at the edge that is at
the bottom on screen. It sits on a small white label so it stays legible on
scans. All stamps of a letter are drawn in one ReportLab document (so their
font is embedded once) and merged onto the annex pages with pypdf; the
stamped pages' content streams are compressed again.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..typeset import fonts
from ..typeset.compose import xml
from ..typeset.styles import Styles

#: Distance from the shown bottom edge to the stamp's baseline.
EDGE = 4 * mm
PADDING = 1.2 * mm


@dataclass(frozen=True)
class Stamp:
    """One annex page to stamp and the text to put on it."""

    page: PageObject
    text: str


def _placement(page: PageObject) -> tuple[float, float, float, float]:
    """(x, y, angle, shown width) of the stamp's centre point in user space."""
    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    rotation = (page.rotation or 0) % 360
    if rotation == 90:  # shown (u, v) ↦ user (x0 + w - v, y0 + u)
        return x0 + w - EDGE, y0 + h / 2, 90, h
    if rotation == 180:  # (u, v) ↦ (x0 + w - u, y0 + h - v)
        return x0 + w / 2, y0 + h - EDGE, 180, w
    if rotation == 270:  # (u, v) ↦ (x0 + v, y0 + h - u)
        return x0 + EDGE, y0 + h / 2, 270, h
    return x0 + w / 2, y0 + EDGE, 0, w


def overlays(stamps: Sequence[Stamp], styles: Styles) -> list[PageObject]:
    """One overlay page per stamp, in the coordinates of its target page."""
    fonts.register()
    style = styles.footer.clone("stamp", fontSize=7.5, leading=9, textColor=colors.black)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=fonts.SANS, initialFontSize=7.5)
    for stamp in stamps:
        box = stamp.page.mediabox
        canvas.setPageSize((max(float(box.right), 1.0), max(float(box.top), 1.0)))
        x, y, angle, shown = _placement(stamp.page)
        text_w = min(stringWidth(stamp.text, style.fontName, style.fontSize) * 1.15 + 2, shown)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.rotate(angle)
        canvas.setFillColor(colors.white)
        canvas.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
        canvas.setLineWidth(0.3)
        canvas.roundRect(
            -text_w / 2 - PADDING, -PADDING - 1.5, text_w + 2 * PADDING,
            style.leading + 2 * PADDING, 1.5, stroke=1, fill=1,
        )  # fmt: skip
        paragraph = styles.para(xml(stamp.text), style, auto=True)
        paragraph.wrap(text_w, 100)
        paragraph.drawOn(canvas, -text_w / 2, -1.5)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return list(PdfReader(io.BytesIO(buffer.getvalue())).pages)


def apply(stamps: Sequence[Stamp], styles: Styles, writer: PdfWriter) -> None:
    """Merge each stamp onto its page and recompress the page's content.

    Pages may share one content stream (a producer's shortcut, or the same
    annex page taken twice); pypdf rewrites a page's content stream in place,
    so each stamped page first gets a content stream of its own.
    """
    if not stamps:
        return
    for stamp, overlay in zip(stamps, overlays(stamps, styles), strict=True):
        contents = stamp.page.get_contents()
        if contents is not None:
            stamp.page[NameObject("/Contents")] = writer._add_object(contents)
        stamp.page.merge_page(overlay, over=True)
        stamp.page.compress_content_streams()
