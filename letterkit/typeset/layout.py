"""Merged text + letter data → the letter's PDF pages (ReportLab Platypus), in two parts.

Stage 4 of the pipeline. Draws the letterhead on the first page and a short
continuation header (addressee, date, page) on the others, then flows the
address blocks, dateline, subject, salutation, body, closing, signatories, cc
line and annex list. What names the recipient (up to the salutation, with
what ReportLab keeps with it, and the addressee in the header) is the
letter's *own* document; the rest, from where page 1 leaves it, is the
*shared* document, laid out once for every letter that leaves it the same
room (:class:`_Splitter`) and joined page for page by :mod:`letterkit.pdf.splice`. Footnotes go to the foot of the page that references them
(:mod:`letterkit.typeset.notes`); signatories go into balanced columns
(:mod:`letterkit.typeset.columns`); every page gets "Page X of Y" in the letter's
language. Output bytes are deterministic (ReportLab's invariant mode).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.doctemplate import LayoutError

from .. import l10n, memo
from ..l10n import N_, _
from ..model import Letter, Signatory
from ..text.merge import MergedText
from . import fonts
from .bidi import is_rtl_locale
from .breaks import slash_breaks
from .columns import SignatoryColumns, TooLarge
from .compose import Composed, xml
from .notes import NoteArea, wrap_references
from .styles import GREY, RULE, Page, Styles, make_styles, page_for

Words = Callable[..., str]


@dataclass(frozen=True)
class AnnexInfo:
    """What the layout needs to list an annex."""

    number: int
    title: str
    pages: int


@dataclass
class Shared:
    """What of the letter pages does not depend on the recipient, laid out once
    for every letter whose page 1 leaves it the same room (see :class:`_Splitter`)."""

    key: tuple[Any, ...]
    pages: int
    marks: dict[str, int]
    pdf: bytes


@dataclass
class LaidOut:
    """The letter's own pages as PDF bytes, with the page (0-based) of named
    places, the page size and the shared pages drawn over them (if any)."""

    pdf: bytes
    pages: int
    marks: dict[str, int] = field(default_factory=dict)
    size: tuple[float, float] = (595.2756, 841.8898)
    shared: Shared | None = None


def _numbered_canvas(footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each can say "of Y".

    Link targets set while a page is held back would all point at the first
    page, so they wait too (:meth:`lk_bookmark`) and are set as each page is
    finally written.
    """

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._lk_pages: list[dict[str, Any]] = []
            self._lk_bookmarks: list[tuple[str, float, float]] = []

        def lk_bookmark(self, key: str, x: float, y: float) -> None:
            self._lk_bookmarks.append((key, x, y))

        def showPage(self) -> None:
            self._lk_pages.append(dict(self.__dict__))
            self._startPage()
            self._lk_bookmarks = []

        def save(self) -> None:
            total = len(self._lk_pages)
            for state in self._lk_pages:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                for key, x, y in self._lk_bookmarks:
                    self.bookmarkHorizontal(key, x, y)
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
            styles.para(xml(l10n.localize(sender.name, loc)), styles.letterhead_name)
        )
        details = [l10n.localize(line, loc) for line in sender.address]
        if sender.email:
            details.append(sender.email)
        if details:
            self.paragraphs.append(
                styles.para("  ·  ".join(xml(d) for d in details), styles.letterhead_line)
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
        self.rtl = styles.rtl
        self.height = max(text_h, logo_h) + 5 * mm

    def draw(self, canvas: Canvas) -> None:
        if not self.paragraphs:
            return
        page = self.page
        top = page.height - page.top
        y = top
        # The logo sits at the outer edge: right in a left-to-right letter, left in RTL.
        text_x = page.width - page.right - self.text_width if self.rtl else page.left
        for p in self.paragraphs:
            _, h = p.wrap(self.text_width, page.height)
            p.drawOn(canvas, text_x, y - h)
            y -= h + 2
        if self.logo is not None:
            w, h = self.logo_size
            x = page.left if self.rtl else page.width - page.right - w
            canvas.drawImage(self.logo, x, top - h, w, h, mask="auto")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        rule_y = page.height - page.top - self.height + 2 * mm
        canvas.line(page.left, rule_y, page.width - page.right, rule_y)


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
    return text


def signatory_block(
    letter: Letter,
    signatories: Sequence[Signatory],
    styles: Styles,
    marks: dict[str, int],
    lead_in: list[Flowable],
    heading: bool = True,
) -> list[Flowable]:
    """The closing (in *lead_in*), the heading and the signatories, group by group."""
    loc = letter.locale
    title = l10n.word(loc, _("Signatories")) if heading else ""
    head: list[Flowable] = [
        *lead_in,
        styles.para(xml(title), styles.section if heading else styles.small,
                    mark=(marks, "signatories")),
    ]  # fmt: skip
    if len(signatories) == 1 and letter.signatory_style != "count" and not signatories[0].group:
        # One signatory signs under the closing, without a heading.
        head = [*lead_in, styles.para("", styles.small, mark=(marks, "signatories"))]
    if any(s.type == "individual" and s.affiliation and not s.withhold for s in signatories):
        note = l10n.word(loc, _("Affiliations are given for identification purposes only."))
        head.append(styles.para(xml(note), styles.small_note))
    style = letter.signatory_style
    if style == "count":
        count = l10n.nword(
            loc,
            *N_("{n} organisation or individual", "{n} organisations and individuals"),
            len(signatories),
        )
        return [SignatoryColumns([styles.para(xml(count), styles.small)], [count], head=head)]
    columns = letter.signatory_columns if style == "columns" else 1
    out: list[Flowable] = []
    for group, entries, labels in _entries(letter, tuple(signatories), styles):
        if group:
            head.append(styles.para(xml(group), styles.group, auto=True))
        # A short run stays in one piece; a long one leaves at least two rows.
        keep = len(entries) if len(entries) <= 8 else 2
        out.append(
            SignatoryColumns(
                entries, labels, columns=columns, gap=14, head=head, min_rows=keep, rtl=styles.rtl
            )
        )
        head = []
    return out


_ENTRIES: dict[tuple[int, str, str, tuple[Signatory, ...]], Any] = memo.table({})


def _entries(
    letter: Letter, signatories: tuple[Signatory, ...], styles: Styles
) -> list[tuple[str, list[Paragraph], list[str]]]:
    """Each group's signatory entries as paragraphs, made once for all the letters
    of a bundle that share the list, the style and the language."""
    style = letter.signatory_style
    key = (id(styles), letter.locale, style, signatories)
    cached = _ENTRIES.get(key)
    if cached is not None and cached[0] is styles:
        return cached[1]  # type: ignore[no-any-return]
    groups: dict[str, list[Signatory]] = {}
    for s in signatories:
        groups.setdefault(s.group, []).append(s)
    entry_style = styles.numbered if style == "numbered" else styles.signatory
    out: list[tuple[str, list[Paragraph], list[str]]] = []
    number = 0
    for group, members in groups.items():
        entries: list[Paragraph] = []
        labels: list[str] = []
        for s in members:
            number += 1
            markup = signatory_markup(s, letter, style, number)
            bullet = f"{number}." if style == "numbered" else None
            entries.append(styles.para(markup, entry_style, bullet=bullet, auto=True))
            labels.append(s.name if not s.withhold else f"#{number}")
        out.append((group, entries, labels))
    memo.keep(_ENTRIES, key, (styles, out), 8)
    return out


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


class _Blank(Flowable):  # type: ignore[misc]
    """Nothing, taking no room: it makes a page of the own document exist (for
    its header) under a shared page."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0.0

    def draw(self) -> None:
        pass


#: What a footnote is when it still runs on after the four pages kept for it.
_RUNAWAY_NOTE = "the last footnote (it runs on for more than four pages)"

#: Header and footer lines ("Page 2 of 6"…), made once for the letters of a bundle.
_LINES: dict[tuple[tuple[bool, bool, Path | None], str, str, float], Paragraph] = memo.table({})

#: Letter pages after the first, by what determines them (see :class:`_Splitter`).
_SHARED: dict[tuple[Any, ...], Shared] = memo.table({})


class _Splitter:
    """Lays out what does not depend on the recipient once, for all the letters
    that leave it the same room.

    The own document (letterhead, addresses, date, subject and salutation; the
    addressee in the running header) watches the layout of page 1. When the
    first flowable that does not depend on the recipient comes up on page 1,
    all that follows is fixed by that flowable, the frame's state and the
    shared text's *fingerprint*: together they are the key. Those flowables are
    then laid out into a document of their own, from that very place on page 1
    on (or the one made for the same key is reused), and the own document gets
    empty pages instead, to carry its header over the shared ones.
    """

    def __init__(
        self,
        shared: dict[int, int],
        fingerprint: tuple[Any, ...],
        build: Callable[[tuple[Any, ...], list[Flowable], dict[str, float]], Shared],
        empty: NoteArea,
    ) -> None:
        self.shared = shared
        self.fingerprint = fingerprint
        self.build = build
        self.empty = empty
        self.off = False
        self.result: Shared | None = None

    def seen(self, doc: _LetterDoc, flowables: list[Flowable]) -> None:
        """Called before the document handles ``flowables[0]``: at the first shared
        flowable on page 1, hand it and all after it to the shared document."""
        if self.off or not flowables or flowables is doc._hanging or doc.page < 1:
            return
        if doc.page > 1:  # page 1 is over: nothing is shared
            self.off = True
            return
        index = self.shared.get(id(flowables[0]))
        if index is None:
            return
        self.off = True
        notes = doc.lk_notes
        if notes.carry or notes.page or notes.placed:
            return
        f = doc.frame
        state = {
            "_y": f._y, "_y1p": f._y1p, "_prevASpace": f._prevASpace, "_atTop": f._atTop,
            "_leftExtraIndent": f._leftExtraIndent, "_rightExtraIndent": f._rightExtraIndent,
        }  # fmt: skip
        geometry = (f._x1, f._y1, f._width, f._height)
        key = (self.fingerprint, index, geometry, *sorted(state.items()))
        shared = _SHARED.get(key)
        if shared is None:
            shared = memo.keep(_SHARED, key, self.build(key, list(flowables), state), 8)
        self.result = shared
        flowables[:] = [PageBreak(), _Blank()] * (shared.pages - 1)
        doc.lk_notes = self.empty


class _LetterDoc(BaseDocTemplate):  # type: ignore[misc]
    """The page machinery: note areas at the page foot, clear errors for giants,
    and flowables left as they were found (letters share them)."""

    #: Frame state to take on page 1 (a shared part starts where page 1 left it).
    lk_resume: dict[str, float] | None = None

    def __init__(
        self,
        buffer: io.BytesIO,
        notes: NoteArea,
        splitter: _Splitter | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(buffer, **kwargs)
        self.lk_notes = notes
        self.lk_splitter = splitter

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:
        """ReportLab's build, then its changes to the flowables undone.

        Keeping a heading with the next paragraph, ReportLab clears the
        heading's ``keepWithNext``; a flowable it puts back marks itself
        ``_postponed``. The body's paragraphs serve every letter of a bundle,
        so each change is undone (most recent first) with the record ReportLab
        keeps for its multi-pass builds.
        """
        edits: list[tuple[Any, ...]] = []
        self._multiBuildEdits = edits.append
        try:
            super().build(flowables, **kwargs)
        finally:
            del self._multiBuildEdits
            for undo, *args in reversed(edits):
                # A "postponed" mark may be gone already (the flowable was drawn).
                with suppress(AttributeError):
                    undo(*args)

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self.lk_notes.begin_page(self.frame)
        if self.page == 1 and self.lk_resume is not None:
            self.frame.__dict__.update(self.lk_resume)

    def handle_pageEnd(self) -> None:
        self.lk_notes.draw(self.canv)
        super().handle_pageEnd()

    def afterFlowable(self, flowable: Flowable) -> None:
        """A paragraph with notes took room for them below itself: move that room
        to the page foot, where the notes are drawn."""
        room = getattr(flowable, "notes_room", 0.0)
        if room:
            self.frame._y += room
            self.frame._y1p += room

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if self.lk_splitter is not None:
            self.lk_splitter.seen(self, flowables)
            if not flowables:
                return
        current = flowables[0] if flowables else None
        try:
            super().handle_flowable(flowables)
        except LayoutError as exc:
            raise TooLarge(_what(current)) from exc


def _what(flowable: Flowable | None) -> str:
    """A flowable as a reader knows it: the first words of its text."""
    inner: Any = getattr(flowable, "paragraph", flowable)
    text = " ".join(inner.getPlainText().split()) if hasattr(inner, "getPlainText") else ""
    if not text:
        return "a part of the letter"
    return f"the paragraph beginning '{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def styles_for(letter: Letter) -> Styles:
    """The styles of a letter: justified or not, mirrored for right-to-left
    languages, with the fonts of its ``fonts:`` folder. Letters that share
    these share one Styles object (and so the paragraphs cached for it)."""
    return _styles(*styles_key(letter))


def styles_key(letter: Letter) -> tuple[bool, bool, Path | None]:
    """What a letter's styles are made from: the part of a cache key that stands
    for them (an ``id()`` could be reused by other styles later)."""
    return letter.justify, is_rtl_locale(letter.locale), letter.fonts


@functools.lru_cache(maxsize=16)
def _styles(justify: bool, rtl: bool, folder: Path | None) -> Styles:
    fonts.register()
    extra = fonts.register_folder(folder) if folder is not None else ()
    return make_styles(justify=justify, rtl=rtl, extra_fonts=extra)


def lay_out(
    letter: Letter,
    merged: MergedText,
    body: Composed,
    signatories: Sequence[Signatory],
    annexes: Sequence[AnnexInfo],
    styles: Styles,
) -> LaidOut:
    """Typeset the letter pages with *styles* (:func:`styles_for`): the own
    document as PDF bytes and, unless the body cannot start on page 1, the
    :class:`Shared` part drawn over it. The annexes are appended later.

    Raises :class:`~letterkit.typeset.columns.TooLarge` when a part of the letter
    cannot fit on an empty page; nothing is ever clipped.
    """
    fonts.register()
    page = page_for(letter.paper)
    loc = letter.locale
    looks = styles_key(letter)
    letterhead = _Letterhead(letter, styles, page)
    if letterhead.height > page.height / 3:
        raise TooLarge("the letterhead (sender name, address and logo)")
    footer_gap = 8 * mm
    header_date = l10n.format_date(letter.date, loc, letter.dateline.format)
    header_to = addressee_line(letter)

    def line(canvas: Canvas, text: str, style: Any, x: float, y: float, width: float) -> None:
        """One line of small text with its baseline at *y* (shaped, in visual order)."""
        key = (looks, style.name, text, width)
        p = _LINES.get(key)
        if p is None:
            p = memo.keep(_LINES, key, styles.para(xml(text), style, auto=True), 512)
        p.wrap(width, page.height)
        p.drawOn(canvas, x, y - style.fontSize * 0.25)

    def footer(canvas: Canvas, number: int, total: int) -> None:
        text = l10n.word(loc, _("Page {page} of {pages}"), page=number, pages=total)
        line(canvas, text, styles.footer, page.left, page.bottom - footer_gap, page.measure)

    start = styles.footer.clone("header-start", alignment=TA_RIGHT if styles.rtl else TA_LEFT)
    end = styles.footer.clone("header-end", alignment=TA_LEFT if styles.rtl else TA_RIGHT)

    header_y = page.height - page.top + 5 * mm

    def addressee(canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The start of a continuation page's header line: whom the letter is to."""
        when = f"{header_date} · {doc.page}"
        font, size = styles.footer.fontName, styles.footer.fontSize
        room = page.measure - stringWidth(when, font, size) - 8 * mm
        text = fit_text(header_to, font, size, room)
        line(canvas, text, start, page.left, header_y, page.measure)

    def date_and_rule(canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The end of a continuation page's header line (date and page), and its rule."""
        line(canvas, f"{header_date} · {doc.page}", end, page.left, header_y, page.measure)
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(page.left, header_y - 2.5 * mm, page.width - page.right, header_y - 2.5 * mm)
        canvas.restoreState()

    first_top = page.height - page.top - letterhead.height - (6 * mm if letterhead.height else 0)

    def first_frame() -> Frame:
        return Frame(
            page.left, page.bottom, page.measure, first_top - page.bottom,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first",
        )  # fmt: skip

    def later() -> Frame:
        return Frame(
            page.left, page.bottom, page.measure, page.height - page.top - page.bottom,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later",
        )  # fmt: skip

    def note_area(notes: dict[int, Paragraph]) -> NoteArea:
        return NoteArea(notes, width=page.measure, bottom=page.bottom, left=page.left,
                        rtl=styles.rtl)  # fmt: skip

    def new_doc(buffer: io.BytesIO, notes: NoteArea, splitter: _Splitter | None) -> _LetterDoc:
        return _LetterDoc(
            buffer,
            notes,
            splitter,
            pagesize=(page.width, page.height),
            leftMargin=page.left,
            rightMargin=page.right,
            topMargin=page.top,
            bottomMargin=page.bottom,
            invariant=1,
            initialFontName=fonts.SERIF,
            initialFontSize=10.5,
            creator="letterkit",
            lang=loc,
        )

    notes = note_area(
        {
            number: styles.para(markup, styles.note, bullet=f"{number}")
            for number, markup in enumerate(body.notes, start=1)
        }
    )
    marks: dict[str, int] = {}

    def lay_out_shared(
        key: tuple[Any, ...], rest: list[Flowable], resume: dict[str, float]
    ) -> Shared:
        """What does not depend on the recipient, from where page 1 leaves it on:
        the body, the signatories…, each page's footer and the date in its header."""
        buffer = io.BytesIO()
        doc = new_doc(buffer, notes, None)
        doc.lk_resume = resume
        doc.addPageTemplates(
            [
                PageTemplate("first", [first_frame()], autoNextPageTemplate="later"),
                PageTemplate("later", [later()], onPage=date_and_rule),
            ]
        )
        doc.build(rest, canvasmaker=_numbered_canvas(footer))
        if notes.finish():
            raise TooLarge(_RUNAWAY_NOTE)
        return Shared(key, doc.page, dict(marks), buffer.getvalue())

    flowables, shared_from = story(letter, merged, body, signatories, annexes, styles, marks, notes)
    cc = tuple(l10n.localize(c, loc) for c in letter.cc)
    # Everything the shared document draws comes from these (with the styles).
    fingerprint = (
        merged.markdown, merged.closing, tuple(signatories), letter.signatory_style,
        letter.signatory_columns, cc, tuple(annexes), loc, looks, page, header_date,
    )  # fmt: skip
    splitter = _Splitter(
        {id(f): i - shared_from for i, f in enumerate(flowables) if i >= shared_from},
        fingerprint,
        lay_out_shared,
        note_area({}),
    )

    def header(canvas: Canvas, doc: BaseDocTemplate) -> None:
        addressee(canvas, doc)
        if splitter.result is None:  # else the shared pages have the rest
            date_and_rule(canvas, doc)

    buffer = io.BytesIO()
    doc = new_doc(buffer, notes, splitter)
    doc.addPageTemplates(
        [
            PageTemplate(
                "first",
                [first_frame()],
                onPage=lambda c, d: letterhead.draw(c),
                autoNextPageTemplate="later",
            ),
            PageTemplate("later", [later()], onPage=header),
        ]
    )

    def own_footer(canvas: Canvas, number: int, total: int) -> None:
        if splitter.result is None:
            footer(canvas, number, total)

    with slash_breaks(), _flate_only():
        doc.build(flowables, canvasmaker=_numbered_canvas(own_footer))
    shared = splitter.result
    if shared is None and notes.finish():
        raise TooLarge(_RUNAWAY_NOTE)
    if shared is not None:
        for key, value in shared.marks.items():
            marks.setdefault(key, value)
    return LaidOut(
        pdf=buffer.getvalue(),
        pages=doc.page,
        marks=marks,
        size=(page.width, page.height),
        shared=shared,
    )


@contextmanager
def _flate_only() -> Iterator[None]:
    """Page streams compressed with Flate alone, within the block: ReportLab
    adds ASCII85 by default, which makes them a quarter bigger and is slow."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """*text*, cut with an ellipsis so that it is at most *width* points wide."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip(" ,;") + "…"
