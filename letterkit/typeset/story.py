"""The letter's text → its flowables, in reading order (ReportLab Platypus).

What the letter says, in order: the address blocks, the dateline, the subject,
the salutation, the body (with its footnote references), the closing, the
annex list, the signatories (:mod:`letterkit.typeset.signatory_list`) and the cc
line (the annex list comes last where the signatories sign under the closing);
the body's end is kept with the closing (:mod:`letterkit.typeset.closing`);
the addressees and the cc lines come from :mod:`letterkit.typeset.addressees`. :func:`story` also says where the part
that does not depend on the recipient begins (:mod:`letterkit.typeset.reuse`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from .. import l10n
from ..l10n import N_, _
from ..model import Letter, Signatory
from ..text.merge import MergedText
from .addressees import addressee_line as addressee_line
from .addressees import cc_end, top_block
from .closing import keep_closing
from .compose import Composed, xml
from .notes import NoteArea, wrap_references
from .signatory_list import listed_under_heading, signatory_block
from .styles import Styles, page_for
from .tables import LetterTable, with_first_rows


@dataclass(frozen=True)
class AnnexInfo:
    """What the layout needs to list an annex."""

    number: int
    title: str
    pages: int


def dateline_text(letter: Letter) -> str:
    """ "Brussels, 6 December 2018" (place optional, comma optional), punctuated
    for the locale ("بروكسل، 6 ديسمبر 2018")."""
    loc = letter.locale
    date = l10n.format_date(letter.date, loc, letter.dateline.format, letter.digits)
    place = l10n.localize(letter.place, loc)
    text = l10n.word(loc, _("{place}, {date}"), place=place, date=date) if place else date
    if letter.dateline.trailing_comma:
        text += l10n.comma(loc)
    return text


def _dateline(letter: Letter, styles: Styles) -> Paragraph | None:
    """The dateline paragraph on its side, or None when it is not shown."""
    line = letter.dateline
    if not line.show:
        return None
    style = styles.dateline
    if line.align == "left":  # the start side; the style is already mirrored for RTL
        style = styles.address
    return styles.para(xml(dateline_text(letter)), style, auto=True)


def _annex_list(letter: Letter, annexes: Sequence[AnnexInfo], styles: Styles) -> list[Flowable]:
    if not annexes:
        return []
    loc = letter.locale
    title = l10n.word(loc, _("Annex")) if len(annexes) == 1 else l10n.word(loc, _("Annexes"))
    out: list[Flowable] = [styles.para(xml(title), styles.section)]
    for a in annexes:
        pages = l10n.nword(loc, *N_("{n} page", "{n} pages"), a.pages, letter.digits)
        number = styles.numeral(a.number)
        out.append(styles.para(f"{number}. {xml(a.title)} ({xml(pages)})", styles.note))
    return out


def _subject(letter: Letter, merged: MergedText, styles: Styles) -> Paragraph | None:
    """ "Re: …" in bold, or (with an empty prefix) a centred heading line."""
    if not merged.subject:
        return None
    prefix = letter.subject_prefix
    if prefix is None:
        prefix = l10n.word(letter.locale, _("Re:"))
    if not prefix:
        return styles.para(xml(merged.subject), styles.title, auto=True)
    return styles.para(xml(f"{prefix} {merged.subject}"), styles.subject, auto=True)


def story(
    letter: Letter,
    merged: MergedText,
    body: Composed,
    signatories: Sequence[Signatory],
    annexes: Sequence[AnnexInfo],
    styles: Styles,
    marks: dict[str, int],
    notes: NoteArea,
) -> tuple[list[Flowable], int]:
    """Every flowable of the letter, in reading order, and the index of the
    first that does not depend on the recipient (the body's first paragraph)."""
    flow: list[Flowable] = []
    dateline = _dateline(letter, styles)
    position = letter.dateline.position
    if dateline is not None and position == "top":
        flow += [dateline, Spacer(1, 7 * mm)]
    addressees = top_block(letter, styles, page_for(letter.paper).measure)
    if addressees:
        flow += [*addressees, Spacer(1, 9 * mm)]
    subject = _subject(letter, merged, styles)
    if position == "before-subject":
        if dateline is not None:
            flow += [dateline, Spacer(1, 7 * mm)]
        if subject:
            flow += [subject, Spacer(1, 5 * mm)]
    else:
        if subject:
            flow += [
                subject,
                Spacer(1, 4 * mm if dateline is not None and position != "top" else 5 * mm),
            ]
        if dateline is not None and position != "top":
            flow += [dateline, Spacer(1, 6 * mm)]
    if merged.salutation:
        salutation = styles.para(xml(merged.salutation), styles.salutation, auto=True)
        if body.flowables and isinstance(body.flowables[0], LetterTable):
            flow.append(with_first_rows(salutation, styles))  # a letter that opens on a table
        flow.append(salutation)
    shared_from = len(flow)
    closing = (
        [styles.para(xml(merged.closing), styles.closing, auto=True)] if merged.closing else []
    )
    enclosures = _annex_list(letter, annexes, styles)
    end = cc_end(letter, styles)
    if signatories and listed_under_heading(letter, signatories):
        block = signatory_block(letter, signatories, styles, marks, closing + enclosures)
    elif signatories:  # signed under the closing: the annexes after the names
        block = signatory_block(letter, signatories, styles, marks, closing)
        end += enclosures
    else:
        block = closing
        end += enclosures
    flow += keep_closing(wrap_references(body.flowables, notes), block) + end
    flow += notes.flushers()
    return flow, shared_from
