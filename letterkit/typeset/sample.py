"""A few lines of text → a one-page PDF: the example annex of ``letterkit init``."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4

from . import fonts
from ._rl import FastCanvas


def text_page(title: str, lines: Sequence[str]) -> bytes:
    """An A4 page with *title* in bold and *lines* below it, as PDF bytes."""
    fonts.register()
    buffer = io.BytesIO()
    canvas = FastCanvas(buffer, pagesize=A4, invariant=1, initialFontName=fonts.SERIF)
    canvas.setFont(fonts.SANS + "-Bold", 16)
    canvas.drawString(72, 760, title)
    canvas.setFont(fonts.SERIF, 11)
    text = canvas.beginText(72, 730)
    for line in lines:
        text.textLine(line)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
