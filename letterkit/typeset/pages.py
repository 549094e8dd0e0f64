"""A letter's paper → what every page carries around the text (ReportLab).

The letterhead on the first page, the running head of the pages after it
(addressee on one side, the date on the other, a rule below), "Page X of Y"
at the foot of every page, the one place a page's number stands (unless
``page_numbers`` leaves it out), and the frames the text flows into.
:func:`numbered_canvas` holds the pages back until the last one is known, so
each foot can say "of Y".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from .. import l10n, memo
from ..l10n import N_, _
from ..model import Letter
from . import _rl, marking
from .addressees import addressee_line
from .columns import TooLarge
from .compose import xml
from .letterhead import Letterhead
from .notes import NoteArea
from .styles import RULE, LooksKey, Page, Styles, styles_key

#: Draws a page's foot: (canvas, page number, page count).
Footer = Callable[[Canvas, int, int], None]


def numbered_canvas(footer: Footer) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each can say "of Y".

    Link targets set while a page is held back would all point at the first
    page, so they wait too (:meth:`lk_bookmark`) and are set as each page is
    finally written.
    """

    class NumberedCanvas(_rl.HeldPagesCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.lk_bookmarks: list[tuple[str, float, float]] = []

        def lk_bookmark(self, key: str, x: float, y: float) -> None:
            self.lk_bookmarks.append((key, x, y))

        def showPage(self) -> None:
            super().showPage()
            self.lk_bookmarks = []

        def lk_finish_page(self, number: int, total: int) -> None:
            footer(self, number, total)
            for key, x, y in self.lk_bookmarks:
                self.bookmarkHorizontal(key, x, y)

    return NumberedCanvas


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """*text*, cut at a word with an ellipsis so that it is at most *width* points
    wide (inside a word only when its first word alone is too wide)."""
    if stringWidth(text, font, size) <= width:
        return text
    fits, over = 0, len(text)  # the longest prefix that fits with "…", by halves
    while over - fits > 1:
        middle = (fits + over) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            fits = middle
        else:
            over = middle
    kept = text[:fits]
    if fits < len(text) and not text[fits].isspace():  # the cut is inside a word
        word_start = max(kept.rfind(" "), kept.rfind("\u00a0"))
        if word_start > 0:
            kept = kept[:word_start]
    return kept.rstrip(" \u00a0,;:") + "…"


def running_head(letter: Letter, font: str, size: float, width: float) -> str:
    """Whom the letter is to, for the head of later pages, at most *width* wide:
    the addressees' names; several that do not fit say "4 addressees"; one
    name too long is cut at a word with "…"."""
    names = addressee_line(letter)
    count = len(letter.recipients)
    if count > 1 and stringWidth(names, font, size) > width:
        names = l10n.nword(letter.locale, *N_("{n} addressee", "{n} addressees"), count)
    return fit_text(names, font, size, width)


#: Header and footer lines ("Page 2 of 6"…), made once for the letters of a bundle.
_LINES: dict[tuple[LooksKey, str, str, float], Paragraph] = memo.table({})

#: A callable that says whether the shared part draws a page's date and foot.
Shared = Callable[[], bool]


def header_date(letter: Letter) -> str:
    """The date in the running head of later pages: the dateline's, or "" when
    the dateline is not shown."""
    if not letter.dateline.show:
        return ""
    return l10n.format_date(letter.date, letter.locale, letter.dateline.format, letter.digits)


class PageFurniture:
    """What a letter's pages carry around its text, and the frames for the text.

    Raises :class:`~letterkit.typeset.columns.TooLarge` when the letterhead
    takes more than a third of the page.
    """

    def __init__(self, letter: Letter, styles: Styles, page: Page) -> None:
        self.letter = letter
        self.styles = styles
        self.page = page
        self.looks = styles_key(letter)
        self.letterhead = Letterhead(letter, styles, page)
        if self.letterhead.height > page.height / 3:
            raise TooLarge("the letterhead (sender name, address and logo)")
        self.footer_gap = 8 * mm
        self.header_date = header_date(letter)
        footer = styles.footer
        room = page.measure - stringWidth(self.header_date, footer.fontName, footer.fontSize)
        self.header_to = running_head(letter, footer.fontName, footer.fontSize, room - 8 * mm)
        rtl = styles.rtl
        self.start = styles.footer.clone("header-start", alignment=TA_RIGHT if rtl else TA_LEFT)
        self.end = styles.footer.clone("header-end", alignment=TA_LEFT if rtl else TA_RIGHT)
        self.header_y = page.height - page.top + 5 * mm
        head = self.letterhead.height
        self.first_top = page.height - page.top - head - (6 * mm if head else 0)

    def line(self, canvas: Canvas, text: str, style: Any, x: float, y: float, width: float) -> None:
        """One line of small text with its baseline at *y* (shaped, in visual order)."""
        key = (self.looks, style.name, text, width)
        p = _LINES.get(key)
        if p is None:
            p = memo.keep(_LINES, key, self.styles.para(xml(text), style, auto=True), 512)
        p.wrap(width, self.page.height)
        with marking.within(canvas, marking.ARTIFACT):  # running heads, page numbers
            p.drawOn(canvas, x, y - style.fontSize * 0.25)

    def footer(self, canvas: Canvas, number: int, total: int) -> None:
        """ "Page X of Y" at the foot of the page, unless ``page_numbers`` says
        never, or auto and the letter has one page."""
        shown = self.letter.page_numbers
        if shown == "never" or (shown == "auto" and total == 1):
            return
        page = self.page
        loc = self.letter.locale
        text = l10n.word(loc, _("Page {page} of {pages}"), page=number, pages=total)
        text = l10n.with_digits(text, loc, self.letter.digits)
        self.line(
            canvas, text, self.styles.footer, page.left, page.bottom - self.footer_gap, page.measure
        )

    def addressee(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The start of a continuation page's header line: whom the letter is to."""
        page = self.page
        self.line(canvas, self.header_to, self.start, page.left, self.header_y, page.measure)

    def date_and_rule(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The end of a continuation page's header line (the date), and its rule."""
        page, y = self.page, self.header_y
        if self.header_date:  # the page's number is in its foot, not here as well
            self.line(canvas, self.header_date, self.end, page.left, y, page.measure)
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(page.left, y - 2.5 * mm, page.width - page.right, y - 2.5 * mm)
        canvas.restoreState()

    def first_frame(self) -> Frame:
        """Page 1's text: below the letterhead."""
        page = self.page
        return Frame(
            page.left, page.bottom, page.measure, self.first_top - page.bottom,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first",
        )  # fmt: skip

    def later_frame(self) -> Frame:
        """The text of the pages after the first: margin to margin."""
        page = self.page
        return Frame(
            page.left, page.bottom, page.measure, page.height - page.top - page.bottom,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later",
        )  # fmt: skip

    def note_area(self, notes: dict[int, Paragraph]) -> NoteArea:
        """Where the footnotes *notes* (by number) go: the foot of the text."""
        page = self.page
        return NoteArea(notes, width=page.measure, bottom=page.bottom, left=page.left,
                        rtl=self.styles.rtl)  # fmt: skip

    def own_templates(self, shared: Shared) -> list[PageTemplate]:
        """The letter's own pages: the letterhead on page 1, the running head
        after it (its date, page and rule only where *shared* says no)."""

        def header(canvas: Canvas, doc: BaseDocTemplate) -> None:
            self.addressee(canvas, doc)
            if not shared():  # else the shared pages have the rest
                self.date_and_rule(canvas, doc)

        return [
            PageTemplate(
                "first",
                [self.first_frame()],
                onPage=lambda c, d: self.letterhead.draw(c),
                autoNextPageTemplate="later",
            ),
            PageTemplate("later", [self.later_frame()], onPage=header),
        ]

    def own_canvas(self, shared: Shared) -> type[Canvas]:
        """The canvas of the letter's own pages: feet only where *shared* says no."""

        def own_footer(canvas: Canvas, number: int, total: int) -> None:
            if not shared():
                self.footer(canvas, number, total)

        return numbered_canvas(own_footer)

    def shared_templates(self) -> list[PageTemplate]:
        """The shared pages: no letterhead, and the date side of the running head."""
        return [
            PageTemplate("first", [self.first_frame()], autoNextPageTemplate="later"),
            PageTemplate("later", [self.later_frame()], onPage=self.date_and_rule),
        ]

    def shared_canvas(self) -> type[Canvas]:
        """The canvas of the shared pages: every page gets its foot."""
        return numbered_canvas(self.footer)
