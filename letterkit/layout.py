"""Merged text + letter data → the letter's PDF pages (ReportLab Platypus).

Stage 4 of the pipeline. Draws the letterhead on the first page, then flows
the address block, dateline, subject, salutation, body, closing, signatories,
cc line, annex list and notes; every page gets "Page X of Y" in the letter's
language. Output bytes are deterministic (ReportLab's invariant mode).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import BalancedColumns

from . import fonts, l10n
from .compose import Composed, xml
from .l10n import N_, _
from .model import Letter, Signatory
from .styles import GREY, RULE, Page, Styles, make_styles, page_for
from .templating import MergedText

Words = Callable[..., str]


@dataclass(frozen=True)
class AnnexInfo:
    """What the layout needs to list an annex."""

    number: int
    title: str
    pages: int


@dataclass
class LaidOut:
    """The letter pages as PDF bytes, with the page (0-based) of named places."""

    pdf: bytes
    pages: int
    marks: dict[str, int] = field(default_factory=dict)


class _Marked(Paragraph):  # type: ignore[misc]
    """A paragraph that records the page it lands on (for the outline)."""

    def __init__(self, text: str, style: Any, marks: dict[str, int], key: str) -> None:
        super().__init__(text, style)
        self._lk_marks = marks
        self._lk_key = key

    def draw(self) -> None:
        self._lk_marks.setdefault(self._lk_key, self.canv.getPageNumber() - 1)
        super().draw()


def _numbered_canvas(footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each can say "of Y"."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._lk_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._lk_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._lk_pages)
            for state in self._lk_pages:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class _Letterhead:
    """The sender's block at the top of the first page."""

    def __init__(self, letter: Letter, styles: Styles, page: Page) -> None:
        self.page = page
        self.logo = None
        sender = letter.sender
        self.paragraphs: list[Paragraph] = []
        if sender is None:
            self.height = 0.0
            return
        loc = letter.locale
        self.paragraphs.append(
            Paragraph(xml(l10n.localize(sender.name, loc)), styles.letterhead_name)
        )
        details = [l10n.localize(line, loc) for line in sender.address]
        if sender.email:
            details.append(sender.email)
        if details:
            self.paragraphs.append(
                Paragraph("  ·  ".join(xml(d) for d in details), styles.letterhead_line)
            )
        text_width = page.measure
        logo_h = logo_w = 0.0
        if sender.logo is not None:
            self.logo = ImageReader(str(sender.logo))
            iw, ih = self.logo.getSize()
            logo_h = 16 * mm
            logo_w = logo_h * iw / ih
            if logo_w > 50 * mm:
                logo_w, logo_h = 50 * mm, 50 * mm * ih / iw
            text_width -= logo_w + 6 * mm
        self.logo_size = (logo_w, logo_h)
        text_h = 0.0
        for p in self.paragraphs:
            _, h = p.wrap(text_width, page.height)
            text_h += h + 2
        self.text_width = text_width
        self.height = max(text_h, logo_h) + 5 * mm

    def draw(self, canvas: Canvas) -> None:
        if not self.paragraphs:
            return
        page = self.page
        top = page.height - page.top
        y = top
        for p in self.paragraphs:
            _, h = p.wrap(self.text_width, page.height)
            p.drawOn(canvas, page.left, y - h)
            y -= h + 2
        if self.logo is not None:
            w, h = self.logo_size
            canvas.drawImage(self.logo, page.width - page.right - w, top - h, w, h, mask="auto")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        rule_y = page.height - page.top - self.height + 2 * mm
        canvas.line(page.left, rule_y, page.width - page.right, rule_y)


def _recipient_block(letter: Letter, styles: Styles) -> list[Flowable]:
    loc = letter.locale
    out: list[Flowable] = []
    for index, r in enumerate(letter.recipients):
        lines: list[str] = []
        name = " ".join(
            t for t in (l10n.localize(r.honorific, loc), l10n.localize(r.name, loc)) if t
        )
        lines.append(name)
        for item in (r.title, r.organization):
            text = l10n.localize(item, loc)
            if text:
                lines.append(text)
        lines += [l10n.localize(a, loc) for a in r.address]
        if r.email:
            via = l10n.word(loc, _("Via email"))
            lines.append(f"{via}: {r.email}")
        block = [Paragraph(xml(line), styles.address) for line in lines]
        if index:
            out.append(Spacer(1, 8))
        out.append(KeepTogether(block))
    return out


def dateline_text(letter: Letter) -> str:
    """ "Brussels, 6 December 2018" (place optional, comma optional)."""
    date = l10n.format_date(letter.date, letter.locale, letter.dateline.format)
    place = l10n.localize(letter.place, letter.locale)
    text = f"{place}, {date}" if place else date
    return text + ("," if letter.dateline.trailing_comma else "")


def signatory_markup(s: Signatory, letter: Letter, style: str, number: int) -> str:
    """One signatory as paragraph markup, in the letter's signatory style."""
    loc = letter.locale
    if s.withhold:
        withheld = l10n.word(loc, _("Name withheld"))
        text = f"<i>{xml(withheld)}</i>"
    elif style == "list" and (s.acronym or s.country):
        inner = ", ".join(xml(t) for t in (s.acronym, s.country) if t)
        text = f"{xml(s.name)} ({inner})"
    else:
        text = xml(s.name)
    if not s.withhold and s.type == "individual":
        detail = ", ".join(t for t in (s.title, s.affiliation) if t)
        if detail:
            text += f'<br/><font color="{GREY.hexval()}">{xml(detail)}</font>'
    if style == "numbered":
        text = f"{number}. {text}"
    return text


def _signatory_block(
    letter: Letter, signatories: Sequence[Signatory], styles: Styles, marks: dict[str, int]
) -> list[Flowable]:
    loc = letter.locale
    heading = _Marked(xml(l10n.word(loc, _("Signatories"))), styles.section, marks, "signatories")
    out: list[Flowable] = [heading]
    if any(s.type == "individual" and s.affiliation and not s.withhold for s in signatories):
        note = l10n.word(loc, _("Affiliations are given for identification purposes only."))
        out.append(Paragraph(xml(note), styles.small_note))
    if letter.signatory_style == "count":
        count = l10n.nword(
            loc,
            *N_("{n} organisation or individual", "{n} organisations and individuals"),
            len(signatories),
        )
        out.append(Paragraph(xml(count), styles.small))
        return out
    groups: dict[str, list[Signatory]] = {}
    for s in signatories:
        groups.setdefault(s.group, []).append(s)
    number = 0
    columns = letter.signatory_columns if letter.signatory_style == "columns" else 1
    for group, members in groups.items():
        entries: list[Flowable] = []
        if group:
            out.append(Paragraph(xml(group), styles.group))
        for s in members:
            number += 1
            entries.append(
                Paragraph(
                    signatory_markup(s, letter, letter.signatory_style, number), styles.signatory
                )
            )
        if columns > 1 and len(entries) > 1:
            out.append(
                BalancedColumns(
                    entries, nCols=columns, innerPadding=12, name=f"signatories-{group}"
                )
            )
        else:
            out += entries
    return out


def _annex_list(letter: Letter, annexes: Sequence[AnnexInfo], styles: Styles) -> list[Flowable]:
    if not annexes:
        return []
    loc = letter.locale
    title = l10n.word(loc, _("Annex")) if len(annexes) == 1 else l10n.word(loc, _("Annexes"))
    out: list[Flowable] = [Paragraph(xml(title), styles.section)]
    for a in annexes:
        pages = l10n.nword(loc, *N_("{n} page", "{n} pages"), a.pages)
        out.append(Paragraph(f"{a.number}. {xml(a.title)} ({xml(pages)})", styles.note))
    return out


def _notes(letter: Letter, notes: Sequence[str], styles: Styles) -> list[Flowable]:
    if not notes:
        return []
    out: list[Flowable] = [Paragraph(xml(l10n.word(letter.locale, _("Notes"))), styles.section)]
    for number, markup in enumerate(notes, start=1):
        out.append(
            Paragraph(f'<a name="lk-note-{number}"/>{markup}', styles.note, bulletText=f"{number}")
        )
    return out


def story(
    letter: Letter,
    merged: MergedText,
    body: Composed,
    signatories: Sequence[Signatory],
    annexes: Sequence[AnnexInfo],
    styles: Styles,
    marks: dict[str, int],
) -> list[Flowable]:
    """Every flowable of the letter, in reading order."""
    loc = letter.locale
    flow: list[Flowable] = []
    flow += _recipient_block(letter, styles)
    if flow:
        flow.append(Spacer(1, 9 * mm))
    dateline = Paragraph(xml(dateline_text(letter)), styles.dateline)
    subject_parts = (
        [p for p in (letter.subject_prefix, merged.subject) if p] if merged.subject else []
    )
    subject = Paragraph(xml(" ".join(subject_parts)), styles.subject) if subject_parts else None
    if letter.dateline.position == "before-subject":
        flow += [dateline, Spacer(1, 7 * mm)]
        if subject:
            flow += [subject, Spacer(1, 5 * mm)]
    else:
        if subject:
            flow += [subject, Spacer(1, 4 * mm)]
        flow += [dateline, Spacer(1, 6 * mm)]
    if merged.salutation:
        flow.append(Paragraph(xml(merged.salutation), styles.salutation))
    flow += body.flowables
    closing = [Paragraph(xml(merged.closing), styles.closing)] if merged.closing else []
    block = _signatory_block(letter, signatories, styles, marks) if signatories else []
    # The closing and the heading keep with the next flowable (keepWithNext).
    flow += closing + block
    if letter.cc:
        cc = "; ".join(l10n.localize(c, loc) for c in letter.cc)
        label = l10n.word(loc, _("cc"))
        flow += [Spacer(1, 4 * mm), Paragraph(f"{xml(label)}: {xml(cc)}", styles.small)]
    flow += _annex_list(letter, annexes, styles)
    flow += _notes(letter, body.notes, styles)
    return flow


def lay_out(
    letter: Letter,
    merged: MergedText,
    body: Composed,
    signatories: Sequence[Signatory],
    annexes: Sequence[AnnexInfo],
) -> LaidOut:
    """Typeset the letter pages; the annexes are appended later."""
    fonts.register()
    styles = make_styles()
    page = page_for(letter.paper)
    loc = letter.locale
    letterhead = _Letterhead(letter, styles, page)
    footer_gap = 8 * mm

    def footer(canvas: Canvas, number: int, total: int) -> None:
        text = l10n.word(loc, _("Page {page} of {pages}"), page=number, pages=total)
        canvas.saveState()
        canvas.setFont(styles.footer.fontName, styles.footer.fontSize)
        canvas.setFillColor(styles.footer.textColor)
        canvas.drawCentredString(page.width / 2, page.bottom - footer_gap, text)
        canvas.restoreState()

    first_top = page.height - page.top - letterhead.height - (6 * mm if letterhead.height else 0)
    first = Frame(
        page.left, page.bottom, page.measure, first_top - page.bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first",
    )  # fmt: skip
    later = Frame(
        page.left, page.bottom, page.measure, page.height - page.top - page.bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later",
    )  # fmt: skip
    buffer = io.BytesIO()
    subject = merged.subject
    sender_name = l10n.localize(letter.sender.name, loc) if letter.sender else ""
    minimal = letter.privacy == "minimal"
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page.width, page.height),
        leftMargin=page.left,
        rightMargin=page.right,
        topMargin=page.top,
        bottomMargin=page.bottom,
        invariant=1,
        initialFontName=fonts.SERIF,
        initialFontSize=10.5,
        title="" if minimal else subject,
        author="" if minimal else sender_name,
        creator="letterkit",
        lang=loc,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "first",
                [first],
                onPage=lambda c, d: letterhead.draw(c),
                autoNextPageTemplate="later",
            ),
            PageTemplate("later", [later]),
        ]
    )
    marks: dict[str, int] = {}
    flowables = story(letter, merged, body, signatories, annexes, styles, marks)
    doc.build(flowables, canvasmaker=_numbered_canvas(footer))
    return LaidOut(pdf=buffer.getvalue(), pages=doc.page, marks=marks)
