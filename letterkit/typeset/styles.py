"""Paper, margins and paragraph styles: the typographic decisions in one place."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import ps2tt
from reportlab.lib.styles import ParagraphStyle

from .. import l10n
from ..model import Letter
from ..text.typography import Typographer
from . import bounds, fonts, user_fonts
from .bidi import Direction, LKParagraph, first_direction, is_rtl_locale, needs_bidi, shape
from .fonts import SANS, SERIF, UserFont, with_fallback
from .hyphenation import hyphenator_for
from .labels import label_start, label_width, labelled, room_for_bullet
from .paper import Page as Page
from .paper import page_for as page_for

#: A tag of ReportLab's paragraph markup (its text is what lies between tags).
_TAG = re.compile(r"(<[^>]*>)")

INK = colors.Color(0.1, 0.1, 0.1)
GREY = colors.Color(0.38, 0.38, 0.38)
RULE = colors.Color(0.6, 0.6, 0.6)
LINK = colors.Color(0.1, 0.25, 0.55)


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
    #: ``#`` and ``###`` (and deeper) headings of the body; ``##`` is ``heading``.
    heading1: ParagraphStyle
    heading3: ParagraphStyle
    #: A table's header row and its other cells.
    table_head: ParagraphStyle
    table_cell: ParagraphStyle
    #: Right-to-left letter: alignments and indents are mirrored.
    rtl: bool = False
    #: Fonts of the letter's ``fonts:`` folder, tried after the bundled ones.
    extra_fonts: tuple[UserFont, ...] = ()
    #: The numbering system of list, note and signatory numbers (``latn``, ``arab``).
    digits: str = "latn"

    def numeral(self, n: int | str) -> str:
        """A number printed by the layout (a list's, a note's; or the numbers of
        a layout phrase such as an annex stamp) in the letter's digits."""
        text = str(n)
        return text if self.digits == "latn" else text.translate(l10n.digit_table(self.digits))

    #: The letter's language: its quotation marks and no-break ties (:meth:`educate`).
    locale: str = "en"
    #: False prints straight quotes and apostrophes as written.
    smart_quotes: bool = True

    def educate(self, markup: str) -> str:
        """Paragraph markup with its text (not its tags) typeset for the locale:
        quotation marks, apostrophes and no-break ties
        (:class:`~letterkit.text.typography.Typographer`)."""
        typographer = Typographer(self.locale, self.smart_quotes)
        if "<" not in markup:
            return typographer.text(markup)
        parts = _TAG.split(markup)
        parts[::2] = [typographer.text(text) for text in parts[::2]]
        return "".join(parts)

    def para(
        self,
        markup: str,
        style: ParagraphStyle,
        bullet: str | None = None,
        mark: tuple[dict[str, int], str] | None = None,
        auto: bool = False,
        educated: bool = False,
    ) -> LKParagraph:
        """A paragraph of *markup*: fonts chosen per run, Arabic joined, and drawn
        in visual order when it holds right-to-left text or the letter is RTL.

        *auto*: a paragraph that is one value (a name, an address line) takes
        its direction from its first letter, so "Human Rights Watch (HRW)"
        reads left to right in an Arabic letter (still aligned to the right).
        *educated*: the markup's quotes and ties are already typeset (the body's
        text, educated token by token so that code spans stay as written).
        Raises :class:`~letterkit.typeset.bounds.Overlong` for a text too long to lay out.
        """
        bounds.check(markup)
        if not educated:
            markup = self.educate(markup)
        rtl_text = self.rtl or needs_bidi(markup)
        mirrored_bullet = None
        if self.rtl and bullet:
            mirrored_bullet, bullet = self._bullet(bullet, style), None
            style = room_for_bullet(style, float(mirrored_bullet.minWidth()))
        elif bullet and style.bulletAnchor == "end":
            style = label_start(style, label_width([bullet], style))
        if rtl_text:
            markup = shape(markup)
        _, bold, italic = ps2tt(style.fontName)
        fallback = with_fallback(markup, self.extra_fonts, bool(bold), bool(italic))
        p = LKParagraph(fallback, style, bulletText=bullet)
        base: Direction = "R" if self.rtl else "L"
        if auto:
            base = first_direction(markup) or base
        p.lk_base = base if rtl_text else None
        p.lk_mark = mark
        p.lk_mirror = self.rtl
        p.lk_bullet = mirrored_bullet
        return p

    def _bullet(self, bullet: str, style: ParagraphStyle) -> LKParagraph:
        """A right-to-left item's bullet or number: a paragraph of its own, set
        ``bulletIndent`` from the right edge (the item's text hangs at its
        ``rightIndent``, the mirror of ``leftIndent``). A label that ends at
        ``bulletIndent`` left to right starts there right to left, so numbers of
        any width keep one edge next to their text."""
        indent = float(style.bulletIndent)
        if style.bulletAnchor == "end":
            indent = max(0.0, indent - label_width([bullet], style))
        bullet_style = style.clone(
            style.name + "-bullet",
            fontName=style.bulletFontName,
            leftIndent=0,
            rightIndent=indent,
            firstLineIndent=0,
            alignment=TA_RIGHT,
            spaceBefore=0,
            spaceAfter=0,
        )
        return self.para(_escaped(bullet), bullet_style)


def _mirrored(style: ParagraphStyle) -> ParagraphStyle:
    """The right-to-left form of a style: alignment and indents swapped. The
    first-line indent is kept: :class:`LKParagraph` draws it at the right (a
    hanging first line starts at the right edge, the others ``leftIndent``
    (now ``rightIndent``) in from it)."""
    flip = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT}
    return style.clone(
        style.name + "-rtl",
        alignment=flip.get(style.alignment, style.alignment),
        leftIndent=style.rightIndent,
        rightIndent=style.leftIndent,
    )


def make_styles(
    justify: bool = False,
    rtl: bool = False,
    extra_fonts: tuple[UserFont, ...] = (),
    locale: str = "en",
    smart_quotes: bool = True,
) -> Styles:
    """Body 10.5/14 serif, notes and signatories 8.5/11, letterhead and headings sans.

    Body text is ragged right unless *justify*. Long URLs and titles joined
    by "/" break after a slash rather than at an arbitrary letter. With *rtl*
    every style is mirrored: ragged left, or justified with the last line
    of a paragraph set at the right. Justified body text (paragraphs, list
    items, quotations) is hyphenated with the dictionary of *locale* where
    pyphen has one; no other style is (names, addresses and signatory entries
    are never hyphenated).
    """
    styles = _make_styles(justify)
    hyphenator = hyphenator_for(locale) if justify and not rtl else None
    if hyphenator is not None:
        styles = replace(
            styles,
            **{
                name: getattr(styles, name).clone(
                    getattr(styles, name).name, hyphenationLang=hyphenator
                )
                for name in ("body", "bullet", "quote")
            },
        )
    if rtl:
        styles = replace(
            styles,
            **{
                f.name: _mirrored(getattr(styles, f.name))
                for f in fields(Styles)
                if f.type == "ParagraphStyle"
            },
        )
    return replace(
        styles, rtl=rtl, extra_fonts=extra_fonts, locale=locale, smart_quotes=smart_quotes
    )


def _make_styles(justify: bool) -> Styles:
    """Every paragraph style of a letter, each derived from the body style.

    The function is one piece: it is the table of styles (sizes, leading,
    spacing, fonts) that a typesetter reads and changes together.
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
        bulletFontSize=10.5,
        bulletAnchor="end",
        hyphenationLang="",
        embeddedHyphenation=0,
    )
    small = ParagraphStyle(
        "small", parent=body, fontSize=8.5, leading=11, spaceAfter=0, alignment=TA_LEFT,
        bulletFontSize=8.5,
    )  # fmt: skip
    cell = ParagraphStyle(
        "table_cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0, alignment=TA_LEFT
    )
    return Styles(
        heading1=ParagraphStyle(
            "heading1",
            parent=body,
            fontName=SANS + "-Bold",
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
            alignment=TA_LEFT,
        ),
        heading3=ParagraphStyle(
            "heading3",
            parent=body,
            fontName=SERIF + "-BoldItalic",
            fontSize=10.5,
            leading=14,
            spaceBefore=4,
            spaceAfter=2,
            keepWithNext=1,
        ),
        table_head=ParagraphStyle("table_head", parent=cell, fontName=SERIF + "-Bold"),
        table_cell=cell,
        body=body,
        bullet=labelled(ParagraphStyle("bullet", parent=body, leftIndent=14, spaceAfter=3)),
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
        numbered=labelled(ParagraphStyle("numbered", parent=small, spaceAfter=2.5, leftIndent=18)),
        signatory_detail=ParagraphStyle("signatory_detail", parent=small, textColor=GREY),
        group=ParagraphStyle(
            "group",
            parent=small,
            fontName=SANS + "-Bold",
            spaceBefore=4,
            spaceAfter=3,
            keepWithNext=1,
        ),
        note=labelled(ParagraphStyle("note", parent=small, leftIndent=12, spaceAfter=2)),
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


def styles_for(letter: Letter) -> Styles:
    """The styles of a letter: justified or not, mirrored for right-to-left
    languages, with the fonts of its ``fonts:`` folder. Letters that share
    these share one Styles object (and so the paragraphs cached for it)."""
    return _styles(*styles_key(letter))


#: What a letter's styles are made from: justified, right-to-left, its fonts
#: folder, its locale, whether quotes are educated, and its digits.
LooksKey = tuple[bool, bool, Path | None, str, bool, str]


def styles_key(letter: Letter) -> LooksKey:
    """What a letter's styles are made from: the part of a cache key that stands
    for them (an ``id()`` could be reused by other styles later)."""
    return (
        letter.justify,
        is_rtl_locale(letter.locale),
        letter.fonts,
        letter.locale,
        letter.typography.smart_quotes,
        l10n.numbering(letter.locale, letter.digits),
    )


@functools.lru_cache(maxsize=32)
def _styles(
    justify: bool, rtl: bool, folder: Path | None, locale: str, smart: bool, digits: str
) -> Styles:
    fonts.register()
    extra = user_fonts.register_folder(folder) if folder is not None else ()
    made = make_styles(
        justify=justify, rtl=rtl, extra_fonts=extra, locale=locale, smart_quotes=smart
    )
    return replace(made, digits=digits)


def _escaped(text: str) -> str:
    """*text* escaped for paragraph markup (``&``, ``<``, ``>``), as :func:`.markup.xml` does."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
