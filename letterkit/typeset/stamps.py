"""Stamp texts and page geometry → one overlay PDF, a page per stamp.

The stamp ("Annex 1 – page 2 of 12") is real, extractable text in the
letter's language, centred 4 mm above the bottom edge of the page *as it is
shown*: a page with ``/Rotate`` 90 gets its stamp turned so it still reads
upright, at the edge that is at the bottom on screen. It sits on a small
white label so it stays legible on scans. All stamps of a letter are drawn
in one ReportLab document, so their font is embedded once; the pdf stage
merges each overlay page onto its annex page (:mod:`letterkit.pdf.stamp`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts
from ._rl import FastCanvas
from .compose import xml
from .styles import Styles

#: Distance from the shown bottom edge to the stamp's baseline.
EDGE = 4 * mm
PADDING = 1.2 * mm


@dataclass(frozen=True)
class Spot:
    """Where one stamp goes: the text, the page's media box size (width and
    height from the origin), its crop box (left, bottom, width, height) and
    its rotation in degrees."""

    text: str
    media: tuple[float, float]
    crop: tuple[float, float, float, float]
    rotation: int = 0


def placement(spot: Spot) -> tuple[float, float, float, float]:
    """(x, y, angle, shown width) of the stamp's centre point in user space."""
    x0, y0, w, h = spot.crop
    rotation = spot.rotation % 360
    if rotation == 90:  # shown (u, v) ↦ user (x0 + w - v, y0 + u)
        return x0 + w - EDGE, y0 + h / 2, 90, h
    if rotation == 180:  # (u, v) ↦ (x0 + w - u, y0 + h - v)
        return x0 + w / 2, y0 + h - EDGE, 180, w
    if rotation == 270:  # (u, v) ↦ (x0 + v, y0 + h - u)
        return x0 + EDGE, y0 + h / 2, 270, h
    return x0 + w / 2, y0 + EDGE, 0, w


def overlay(spots: Sequence[Spot], styles: Styles) -> bytes:
    """The overlay document: one page per spot, in the coordinates of its
    target page, with that stamp drawn on it."""
    fonts.register()
    style = styles.footer.clone("stamp", fontSize=7.5, leading=9, textColor=colors.black)
    buffer = io.BytesIO()
    canvas = FastCanvas(buffer, invariant=1, initialFontName=fonts.SANS, initialFontSize=7.5)
    for spot in spots:
        canvas.setPageSize((max(spot.media[0], 1.0), max(spot.media[1], 1.0)))
        x, y, angle, shown = placement(spot)
        text_w = min(stringWidth(spot.text, style.fontName, style.fontSize) * 1.15 + 2, shown)
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
        paragraph = styles.para(xml(spot.text), style, auto=True)
        paragraph.wrap(text_w, 100)
        paragraph.drawOn(canvas, -text_w / 2, -1.5)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
