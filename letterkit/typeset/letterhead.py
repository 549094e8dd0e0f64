"""A letter's sender → the letterhead at the top of its first page (ReportLab).

The sender's name and a line of address details, with the sender's logo at
the outer edge (``logo_position: auto``), on a side of its own choosing
(``left``, ``right``) or above them (``top``); above it all, when the sender
names co-signers' ``logos``, a row of them at one height, spread across the
measure; a light rule below. A letter without a sender has no letterhead, and
its first page's text starts at the top margin.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .. import l10n
from ..model import Letter
from . import images, marking
from .compose import xml
from .styles import RULE, Page, Styles

#: The sender's logo: its height, and its widest (a wide logo is made lower instead).
LOGO_HEIGHT = 16 * mm
LOGO_WIDEST = 50 * mm
#: Between the logo and the sender's text: beside it, and below it (``top``).
LOGO_SIDE_GAP = 6 * mm
LOGO_TOP_GAP = 3 * mm
#: The co-signers' row: the logos' common height (lower when they would not fit
#: the measure), the least space between two, and the space below the row.
ROW_HEIGHT = 12 * mm
ROW_LEAST_GAP = 4 * mm
ROW_BELOW = 5 * mm


def load(path: Path) -> ImageReader:
    """A logo, never with the photo's metadata: a letterhead is sent to everyone.
    An :class:`~letterkit.typeset.images.ImageError` names the file."""
    try:
        return images.load(path, strip=True)
    except images.ImageError as exc:
        exc.path = path
        raise


#: Between two parts of the sender's address line: a middle dot, never at the
#: start or end of a line (the spaces around it do not break).
SEPARATOR = "\u00a0·\u00a0"


def detail_lines(details: list[str], font: str, size: float, width: float) -> str:
    """The sender's address parts → the markup of their line(s): the parts side
    by side with a "·" between two, a new line only between two parts (so no
    "·" ends or starts a line; a part longer than the line wraps by itself), and
    empty parts left out."""
    parts = [" ".join(d.split()) for d in details]
    parts = [p for p in parts if p.strip(" ·")]
    lines: list[str] = []
    line_width = 0.0
    gap = stringWidth(SEPARATOR, font, size)
    for part in parts:
        w = stringWidth(part, font, size)
        if lines and line_width + gap + w <= width:
            lines[-1] += SEPARATOR + part
            line_width += gap + w
        else:
            lines.append(part)
            line_width = w
    return "<br/>".join(xml(line) for line in lines)


class LogoRow:
    """The co-signers' logos in reading order → one row across the measure:
    one height for all (each keeps its aspect ratio), equal gaps between them,
    the first at the start edge and the last at the end edge."""

    def __init__(self, paths: tuple[Path, ...], measure: float, rtl: bool) -> None:
        self.images = [load(Path(p)) for p in paths]
        #: Each logo's alternative text: its file's name, in words ("amnesty international").
        self.alts = [re.sub(r"[-_.]+", " ", Path(p).stem).strip() or "logo" for p in paths]
        ratios = [w / h for w, h in (image.getSize() for image in self.images)]
        gaps = ROW_LEAST_GAP * (len(ratios) - 1)
        self.height = min(ROW_HEIGHT, (measure - gaps) / sum(ratios))
        widths = [self.height * r for r in ratios]
        gap = (measure - sum(widths)) / max(len(widths) - 1, 1)
        #: (offset from the start edge, width) of each logo.
        self.places: list[tuple[float, float]] = []
        offset = 0.0
        for width in widths:
            self.places.append((measure - offset - width if rtl else offset, width))
            offset += width + gap

    def draw(self, canvas: Canvas, left: float, top: float) -> None:
        """Draw the row with its top at *top*, from the left margin *left*."""
        for image, alt, (x, width) in zip(self.images, self.alts, self.places, strict=True):
            with marking.figure(canvas, alt):
                canvas.drawImage(
                    image, left + x, top - self.height, width, self.height, mask="auto"
                )


class Letterhead:
    """The sender's block at the top of the first page."""

    def __init__(self, letter: Letter, styles: Styles, page: Page) -> None:
        self.page = page
        self.logo = None
        self.row: LogoRow | None = None
        sender = letter.sender
        self.paragraphs: list[Paragraph] = []
        if sender is None:
            self.height = 0.0
            return
        loc = letter.locale
        #: What the logos stand for (their alternative text): the sender's name.
        self.alt = l10n.localize(sender.name, loc)
        self.paragraphs.append(
            styles.para(xml(l10n.localize(sender.name, loc)), styles.letterhead_name)
        )
        details = [l10n.localize(line, loc) for line in sender.address]
        if sender.email:
            details.append(sender.email)
        self.position = sender.logo_position
        text_width = page.measure
        logo_h = logo_w = 0.0
        if sender.logo is not None:
            self.logo = load(Path(sender.logo))
            iw, ih = self.logo.getSize()
            logo_h = LOGO_HEIGHT
            logo_w = logo_h * iw / ih
            if logo_w > LOGO_WIDEST:
                logo_w, logo_h = LOGO_WIDEST, LOGO_WIDEST * ih / iw
            if self.position != "top":
                text_width -= logo_w + LOGO_SIDE_GAP
        self.logo_size = (logo_w, logo_h)
        if any(d.strip() for d in details):
            style = styles.letterhead_line
            markup = detail_lines(details, style.fontName, style.fontSize, text_width)
            self.paragraphs.append(styles.para(markup, style))
        text_h = 0.0
        for p in self.paragraphs:
            _, h = p.wrap(text_width, page.height)
            text_h += h + 2
        self.text_width = text_width
        self.rtl = styles.rtl
        if self.position == "top" and self.logo is not None:
            self.height = logo_h + LOGO_TOP_GAP + text_h + 5 * mm
        else:
            self.height = max(text_h, logo_h) + 5 * mm
        if sender.logos:
            self.row = LogoRow(sender.logos, page.measure, self.rtl)
            self.height += self.row.height + ROW_BELOW

    def _text_x(self) -> float:
        """Where the sender's text starts: beside the logo, or at the left margin."""
        page = self.page
        beside = page.width - page.right - self.text_width
        if self.position == "auto":
            # The logo sits at the outer edge: right in a left-to-right letter, left in RTL.
            return beside if self.rtl else page.left
        return beside if self.position == "left" else page.left

    def _logo_x(self) -> float:
        page = self.page
        w = self.logo_size[0]
        at_left = {"auto": self.rtl, "left": True, "right": False, "top": not self.rtl}
        return page.left if at_left[self.position] else page.width - page.right - w

    def draw(self, canvas: Canvas) -> None:
        if not self.paragraphs:
            return
        page = self.page
        top = page.height - page.top
        if self.row is not None:
            self.row.draw(canvas, page.left, top)
            top -= self.row.height + ROW_BELOW
        y = top
        text_x = self._text_x()
        w, h = self.logo_size
        if self.logo is not None and self.position == "top":
            with marking.figure(canvas, self.alt):
                canvas.drawImage(self.logo, self._logo_x(), top - h, w, h, mask="auto")
            y -= h + LOGO_TOP_GAP
        for p in self.paragraphs:
            _, ph = p.wrap(self.text_width, page.height)
            p.drawOn(canvas, text_x, y - ph)
            y -= ph + 2
        if self.logo is not None and self.position != "top":
            with marking.figure(canvas, self.alt):
                canvas.drawImage(self.logo, self._logo_x(), top - h, w, h, mask="auto")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        rule_y = page.height - page.top - self.height + 2 * mm
        canvas.line(page.left, rule_y, page.width - page.right, rule_y)
