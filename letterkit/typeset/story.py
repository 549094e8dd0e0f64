"""The letter's text → its flowables, in reading order (ReportLab Platypus).

What the letter says, in order: the address blocks, the dateline, the subject,
the salutation, the body (with its footnote references), the closing, the
signatories (:mod:`letterkit.typeset.signatory_list`), the cc line and the annex
list. :func:`story` also says where the part that does not depend on the
recipient begins (:mod:`letterkit.typeset.reuse`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from .. import l10n
from ..l10n import N_, _
from ..model import Letter, Signatory
from ..text.merge import MergedText
from .compose import Composed, xml
from .notes import NoteArea, wrap_references
from .signatory_list import signatory_block
from .styles import Styles, page_for


@dataclass(frozen=True)
class AnnexInfo:
    """What the layout needs to list an annex."""

    number: int
    title: str
    pages: int


def _title_lines(title: str, style: Any, width: float) -> list[str]:
    """A long title of several offices joined by " / " → one line per office."""
    if " / " not in title or stringWidth(title, style.fontName, style.fontSize) <= width:
        return [title]
    parts = title.split(" / ")
    return [p + " /" for p in parts[:-1]] + [parts[-1]]


def _recipient_block(letter: Letter, styles: Styles, width: float) -> list[Flowable]:
    """One address block per addressee, each kept on one page."""
    loc = letter.locale
    out: list[Flowable] = []
    for index, r in enumerate(letter.recipients):
        lines: list[str] = []
        name = " ".join(
            t for t in (l10n.localize(r.honorific, loc), l10n.localize(r.name, loc)) if t
        )
        if not (r.honorific or r.title or r.organization or r.address or r.email):
            name = labelled(loc, l10n.word(loc, _("To")), name)  # a group addressee
        lines.append(name)
        title = l10n.localize(r.title, loc)
        if title:
            lines += _title_lines(title, styles.address, width)
        organization = l10n.localize(r.organization, loc)
        if organization:
            lines.append(organization)
        lines += [l10n.localize(a, loc) for a in r.address]
        block = [styles.para(xml(line), styles.address, auto=True) for line in lines]
        if r.email:
            via = l10n.word(loc, _("Via email"))
            block.append(styles.para(xml(labelled(loc, via, r.email)), styles.address, auto=True))
        if index:
            out.append(Spacer(1, 5 * mm))
        out.append(KeepTogether(block))
    return out


def dateline_text(letter: Letter) -> str:
    """ "Brussels, 6 December 2018" (place optional, comma optional), punctuated
    for the locale ("بروكسل، 6 ديسمبر 2018")."""
    loc = letter.locale
    date = l10n.format_date(letter.date, loc, letter.dateline.format)
    place = l10n.localize(letter.place, loc)
    text = l10n.word(loc, _("{place}, {date}"), place=place, date=date) if place else date
    if letter.dateline.trailing_comma:
        text += "،" if l10n.parse_locale(loc).language in {"ar", "fa", "ur"} else ","
    return text


def labelled(loc: str, label: str, text: str) -> str:
    """ "cc: Name" with the locale's punctuation ("Copie : Name" in French)."""
    return l10n.word(loc, _("{label}: {text}"), label=label, text=text)


def _annex_list(letter: Letter, annexes: Sequence[AnnexInfo], styles: Styles) -> list[Flowable]:
    if not annexes:
        return []
    loc = letter.locale
    title = l10n.word(loc, _("Annex")) if len(annexes) == 1 else l10n.word(loc, _("Annexes"))
    out: list[Flowable] = [styles.para(xml(title), styles.section)]
    for a in annexes:
        pages = l10n.nword(loc, *N_("{n} page", "{n} pages"), a.pages)
        out.append(styles.para(f"{a.number}. {xml(a.title)} ({xml(pages)})", styles.note))
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
    loc = letter.locale
    flow: list[Flowable] = []
    flow += _recipient_block(letter, styles, page_for(letter.paper).measure)
    if flow:
        flow.append(Spacer(1, 9 * mm))
    dateline = styles.para(xml(dateline_text(letter)), styles.dateline, auto=True)
    subject = _subject(letter, merged, styles)
    if letter.dateline.position == "before-subject":
        flow += [dateline, Spacer(1, 7 * mm)]
        if subject:
            flow += [subject, Spacer(1, 5 * mm)]
    else:
        if subject:
            flow += [subject, Spacer(1, 4 * mm)]
        flow += [dateline, Spacer(1, 6 * mm)]
    if merged.salutation:
        flow.append(styles.para(xml(merged.salutation), styles.salutation, auto=True))
    shared_from = len(flow)
    flow += wrap_references(body.flowables, notes)
    closing = (
        [styles.para(xml(merged.closing), styles.closing, auto=True)] if merged.closing else []
    )
    if signatories:
        flow += signatory_block(letter, signatories, styles, marks, closing)
    else:
        flow += closing
    if letter.cc:
        cc = "; ".join(l10n.localize(c, loc) for c in letter.cc)
        label = l10n.word(loc, _("cc"))
        flow += [Spacer(1, 4 * mm), styles.para(xml(labelled(loc, label, cc)), styles.small)]
    flow += _annex_list(letter, annexes, styles)
    flow += notes.flushers()
    return flow, shared_from


def addressee_line(letter: Letter) -> str:
    """Who the letter is to, in one short line (for the continuation header)."""
    loc = letter.locale
    names = [
        " ".join(t for t in (l10n.localize(r.honorific, loc), l10n.localize(r.name, loc)) if t)
        for r in letter.recipients
    ]
    return l10n.join_list(names, loc) if names else ""
