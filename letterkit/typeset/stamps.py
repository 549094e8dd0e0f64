"""Stamp texts and chosen places → one overlay PDF, a page per stamp.

The stamp ("Annex 1 – page 2 of 12") is real, extractable text in the
letter's language on a small white label (legible on scans). The pdf stage
(:mod:`letterkit.pdf.stamp`) asks :func:`label` how large the label is,
finds room for it on the page as the page is *shown* (at least
:data:`MARGIN` from every edge, clear of the page's marks) and gives its
centre and angle here: a page with ``/Rotate`` 90 gets its stamp turned so
it still reads upright. A narrow page gets smaller text (:data:`SIZES`) or
the pdf stage's shorter wording, so the label stays one line. All stamps of a letter are drawn in one ReportLab
document, so their font is embedded once; the pdf stage puts each overlay
page onto its annex page as a form.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts
from ._rl import FastCanvas, FontStates, StatesCanvas
from .compose import xml
from .styles import Styles

#: The least distance from the label to any edge of the shown page (printers
#: clip a few millimetres; 8 mm is safe on every office printer).
MARGIN = 8 * mm
PADDING = 1.2 * mm
#: The least gap between the label and a mark of the page.
CLEARANCE = 1.5 * mm
#: The stamp's font sizes, the usual one first, the smaller ones for narrow pages.
SIZES = (7.5, 6.5, 5.5)


@dataclass(frozen=True)
class Spot:
    """Where one stamp goes: its text, the centre of its label in the target
    page's user space, the angle it is turned by (the page's rotation), the
    width its text may take, and its font size (one of :data:`SIZES`)."""

    text: str
    centre: tuple[float, float]
    angle: int
    width: float
    size: float = SIZES[0]


def _style(styles: Styles, size: float = SIZES[0]) -> ParagraphStyle:
    return styles.footer.clone("stamp", fontSize=size, leading=size * 1.2, textColor=colors.black)


def line_width(text: str, styles: Styles, size: float = SIZES[0]) -> float:
    """The width of *text*'s label on one line at *size*, padding included
    (generous: the glyphs may come from a fallback font)."""
    fonts.register()
    drawn = float(stringWidth(text, _style(styles, size).fontName, size))
    return float(drawn * 1.15 + 2 + 2 * PADDING)


def label(
    text: str, styles: Styles, room: float, size: float = SIZES[0]
) -> tuple[float, float, float]:
    """(text width, label width, label height) of *text*'s label at *size*
    when the label may be at most *room* wide (longer text wraps)."""
    fonts.register()
    style = _style(styles, size)
    text_w = max(min(line_width(text, styles, size) - 2 * PADDING, room - 2 * PADDING), 20.0)
    paragraph = styles.para(xml(text), style, auto=True)
    _w, height = paragraph.wrap(text_w, 1000)
    return text_w, text_w + 2 * PADDING, max(height, style.leading) + 2 * PADDING


def overlay(
    spots: Sequence[Spot],
    styles: Styles,
    seed: FontStates | None = None,
    states: FontStates | None = None,
) -> bytes:
    """The overlay document: one page per spot, its label drawn in the
    coordinates of its target page. Its fonts give the characters of *seed*
    (the letter's shared pages) their codes there, so one subset of a font
    can serve both; the codes it ends with are put in *states*."""
    fonts.register()
    buffer = io.BytesIO()
    maker = StatesCanvas(FastCanvas, seed)
    canvas = maker(buffer, invariant=1, initialFontName=fonts.SANS, initialFontSize=7.5)
    for spot in spots:
        style = _style(styles, spot.size)
        paragraph = styles.para(xml(spot.text), style, auto=True)
        _w, height = paragraph.wrap(spot.width, 1000)
        height = max(height, style.leading)
        canvas.saveState()
        canvas.translate(*spot.centre)
        canvas.rotate(spot.angle)
        canvas.setFillColor(colors.white)
        canvas.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
        canvas.setLineWidth(0.3)
        canvas.roundRect(
            -spot.width / 2 - PADDING, -height / 2 - PADDING, spot.width + 2 * PADDING,
            height + 2 * PADDING, 1.5, stroke=1, fill=1,
        )  # fmt: skip
        paragraph.drawOn(canvas, -spot.width / 2, -height / 2)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    if states is not None:
        states.update(maker.states)
    return buffer.getvalue()
