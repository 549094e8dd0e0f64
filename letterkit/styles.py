"""Paper, margins and paragraph styles: the typographic decisions in one place."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm

from .fonts import SANS, SERIF

INK = colors.Color(0.1, 0.1, 0.1)
GREY = colors.Color(0.38, 0.38, 0.38)
RULE = colors.Color(0.6, 0.6, 0.6)
LINK = colors.Color(0.1, 0.25, 0.55)


@dataclass(frozen=True)
class Page:
    """Paper size and margins, in points."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def measure(self) -> float:
        return self.width - self.left - self.right


def page_for(paper: str) -> Page:
    """A4 with 25 mm sides and 20 mm top/bottom, or US Letter with 1 in all round."""
    if paper == "letter":
        w, h = LETTER
        return Page(w, h, inch, inch, inch, inch)
    w, h = A4
    return Page(w, h, 25 * mm, 25 * mm, 20 * mm, 20 * mm)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    heading: ParagraphStyle
    quote: ParagraphStyle
    address: ParagraphStyle
    dateline: ParagraphStyle
    subject: ParagraphStyle
    title: ParagraphStyle
    salutation: ParagraphStyle
    closing: ParagraphStyle
    section: ParagraphStyle
    small: ParagraphStyle
    small_note: ParagraphStyle
    signatory: ParagraphStyle
    numbered: ParagraphStyle
    signatory_detail: ParagraphStyle
    group: ParagraphStyle
    note: ParagraphStyle
    letterhead_name: ParagraphStyle
    letterhead_line: ParagraphStyle
    footer: ParagraphStyle


def make_styles(justify: bool = False) -> Styles:
    """Body 10.5/14 serif, notes and signatories 8.5/11, letterhead and headings sans.

    Body text is ragged right unless *justify*. Long URLs and titles joined
    by "/" break after a slash rather than at an arbitrary letter.
    """
    body = ParagraphStyle(
        "body",
        fontName=SERIF,
        fontSize=10.5,
        leading=14,
        textColor=INK,
        spaceAfter=6,
        alignment=TA_JUSTIFY if justify else TA_LEFT,
        uriWasteReduce=0.3,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=SERIF,
        hyphenationLang="",
        embeddedHyphenation=0,
    )
    small = ParagraphStyle(
        "small", parent=body, fontSize=8.5, leading=11, spaceAfter=0, alignment=TA_LEFT
    )
    return Styles(
        body=body,
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3, spaceAfter=3),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=SANS + "-Bold",
            fontSize=10.5,
            leading=14,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        quote=ParagraphStyle("quote", parent=body, leftIndent=18, rightIndent=18, textColor=GREY),
        address=ParagraphStyle("address", parent=body, spaceAfter=0, alignment=TA_LEFT),
        dateline=ParagraphStyle("dateline", parent=body, spaceAfter=0, alignment=TA_RIGHT),
        subject=ParagraphStyle(
            "subject",
            parent=body,
            fontName=SERIF + "-Bold",
            alignment=TA_LEFT,
            spaceBefore=0,
            spaceAfter=0,
            keepWithNext=1,
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=SANS + "-Bold",
            fontSize=11.5,
            leading=15,
            alignment=TA_CENTER,
            spaceAfter=0,
            keepWithNext=1,
        ),
        salutation=ParagraphStyle("salutation", parent=body, keepWithNext=1, alignment=TA_LEFT),
        closing=ParagraphStyle(
            "closing", parent=body, spaceBefore=4, keepWithNext=1, alignment=TA_LEFT
        ),
        section=ParagraphStyle(
            "section",
            parent=body,
            fontName=SANS + "-Bold",
            fontSize=9.5,
            leading=12,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        small=small,
        small_note=ParagraphStyle(
            "small_note", parent=small, fontName=SERIF + "-Italic", textColor=GREY, spaceAfter=5
        ),
        signatory=ParagraphStyle(
            "signatory", parent=small, spaceAfter=2.5, leftIndent=8, firstLineIndent=-8
        ),
        numbered=ParagraphStyle(
            "numbered", parent=small, spaceAfter=2.5, leftIndent=18, bulletIndent=0
        ),
        signatory_detail=ParagraphStyle("signatory_detail", parent=small, textColor=GREY),
        group=ParagraphStyle(
            "group",
            parent=small,
            fontName=SANS + "-Bold",
            spaceBefore=4,
            spaceAfter=3,
            keepWithNext=1,
        ),
        note=ParagraphStyle("note", parent=small, leftIndent=12, bulletIndent=0, spaceAfter=2),
        letterhead_name=ParagraphStyle(
            "letterhead_name", fontName=SANS + "-Bold", fontSize=12.5, leading=15, textColor=INK
        ),
        letterhead_line=ParagraphStyle(
            "letterhead_line", fontName=SANS, fontSize=8, leading=10, textColor=GREY
        ),
        footer=ParagraphStyle(
            "footer", fontName=SANS, fontSize=8, leading=10, textColor=GREY, alignment=TA_CENTER
        ),
    )
