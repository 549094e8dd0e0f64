"""Merged text + letter data → the letter's PDF pages (ReportLab Platypus).

Stage 3 (typeset), last step. :class:`LetterLayout` puts the parts together: the
page furniture (:mod:`letterkit.typeset.pages`), the story
(:mod:`letterkit.typeset.story`) and, unless asked to lay the letter out
whole, the part shared with other letters (:mod:`letterkit.typeset.reuse`).
Footnotes go to the foot of the page that references them
(:mod:`letterkit.typeset.notes`). Output bytes are deterministic (ReportLab's
invariant mode).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import BaseDocTemplate, Flowable
from reportlab.platypus.doctemplate import LayoutError

from .. import memo
from ..model import Letter, Signatory
from ..text.merge import MergedText
from . import _rl, bounds, fonts, marking
from .breaks import slash_breaks
from .columns import TooLarge
from .compose import Composed
from .labels import label_width, labelled
from .notes import NoteArea
from .pages import PageFurniture
from .reuse import Fingerprint, Shared, SharedKey, Splitter, serving
from .story import AnnexInfo, story
from .styles import Styles, page_for
from .tags import Tags


@dataclass
class LaidOut:
    """The letter's own pages as PDF bytes, with the page (0-based) of named
    places, the page size, the shared pages drawn over them (if any) and the
    codes the own pages gave each font's characters."""

    pdf: bytes
    pages: int
    marks: dict[str, int] = field(default_factory=dict)
    size: tuple[float, float] = (595.2756, 841.8898)
    shared: Shared | None = None
    fonts: _rl.FontStates = field(default_factory=dict)
    #: Lays the own pages out again, each character with the code the given
    #: states give it (the template's: see :func:`letterkit.pdf.assemble.assemble`).
    again: Callable[[_rl.FontStates], LaidOut] | None = field(
        default=None, compare=False, repr=False
    )
    #: The codes the own pages started from, if not ReportLab's own.
    seeded: _rl.FontStates | None = field(default=None, compare=False, repr=False)
    #: The own pages' structure, when tagged (None: a plain PDF).
    tags: Tags | None = None


def sharing(laid: LaidOut, fonts: _rl.FontStates) -> tuple[LaidOut, dict[bytes, bool] | None]:
    """*laid*, laid out again from *fonts* (the codes of the template's
    subsets) unless it started from them, or from ReportLab's codes and gave
    each character the code *fonts* give it (then it is what starting from
    them gives: the letter never depends on where the own part started);
    and for each font whose subsets serve both parts (see
    :func:`letterkit.pdf.splice.join`), None without a shared part."""
    if laid.shared is None:
        return laid, None
    started = laid.seeded == fonts or (laid.seeded is None and _rl.agree(laid.fonts, fonts))
    if laid.again is not None and not started:
        laid = laid.again(fonts)
    return laid, serving(laid.fonts, fonts)


#: The codes the letters of each fingerprint's template give their fonts'
#: characters, as last used: the next letter's own part starts from them.
_SEEDS: dict[Fingerprint, _rl.FontStates] = memo.table({})


def _seed(key: Fingerprint) -> _rl.FontStates | None:
    """The codes to start a letter of fingerprint *key* from: its template's
    last ones, else the newest of another template's (a letter saved again
    with one signatory changed draws its template's characters as before).
    Wrong codes only cost laying the own part out again: see :func:`sharing`."""
    seed = _SEEDS.get(key)
    return seed if seed is not None else next(reversed(_SEEDS.values()), None)


#: What a footnote is when it still runs on after the four pages kept for it.
_RUNAWAY_NOTE = "the last footnote (it runs on for more than four pages)"


class LetterDoc(BaseDocTemplate):  # type: ignore[misc]
    """The page machinery: note areas at the page foot, clear errors for giants,
    and flowables left as they were found (letters share them)."""

    #: Frame state to take on page 1 (a shared part starts where page 1 left it).
    lk_resume: dict[str, float] | None = None
    #: What marks a tagged layout's pages (None: untagged).
    lk_marker: marking.Marker | None = None

    def __init__(
        self,
        buffer: io.BytesIO,
        notes: NoteArea,
        splitter: Splitter | None = None,
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
        with _rl.edits_undone(self):
            super().build(flowables, **kwargs)

    def handle_pageBegin(self) -> None:
        if self.lk_marker is not None:  # before the page template draws
            self.canv.lk_marker = self.lk_marker
        super().handle_pageBegin()
        self.lk_notes.begin_page(self.frame)
        if self.page == 1 and self.lk_resume is not None:
            _rl.resume_frame(self.frame, self.lk_resume)

    def handle_pageEnd(self) -> None:
        self.lk_notes.draw(self.canv)
        super().handle_pageEnd()

    def afterFlowable(self, flowable: Flowable) -> None:
        """A paragraph with notes took room for them below itself: move that room
        to the page foot, where the notes are drawn."""
        room = getattr(flowable, "notes_room", 0.0)
        if room:
            _rl.lift_frame(self.frame, room)

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


@dataclass
class Story:
    """The flowables of one layout, where the shared part may begin, the
    places they mark and the footnotes they reference."""

    flowables: list[Flowable]
    shared_from: int
    marks: dict[str, int]
    notes: NoteArea


class LetterLayout:
    """One letter's pages, from parts that can be made alone: the page
    furniture and frames (:attr:`furniture`), the story (:meth:`story`), the
    fingerprint of the shared part (:meth:`fingerprint`) and the shared part
    itself (:meth:`shared_part`); :meth:`lay_out` puts them together.

    Raises :class:`~letterkit.typeset.columns.TooLarge` when a part of the letter
    cannot fit on an empty page; nothing is ever clipped.
    """

    def __init__(
        self,
        letter: Letter,
        merged: MergedText,
        body: Composed,
        signatories: Sequence[Signatory],
        annexes: Sequence[AnnexInfo],
        styles: Styles,
        tagged: bool = False,
    ) -> None:
        fonts.register()
        #: Whether the pages are tagged: marked content, and :class:`Tags` for each part.
        self.tagged = tagged
        self.letter = letter
        self.merged = merged
        self.body = body
        self.signatories = tuple(signatories)
        self.annexes = tuple(annexes)
        self.styles = styles
        self.page = page_for(letter.paper)
        self.furniture = PageFurniture(letter, styles, self.page)

    def story(self) -> Story:
        """Every flowable of the letter, in reading order, with fresh marks and notes."""
        styles = self.styles
        paragraphs = {}
        widest = label_width([str(len(self.body.notes))], styles.note)
        # the numbers' right edges on one line (right to left, each number is set from the right edge)
        note = styles.note if styles.rtl else labelled(styles.note, widest)
        for number, markup in enumerate(self.body.notes, start=1):
            try:
                paragraphs[number] = styles.para(
                    markup, note, bullet=styles.numeral(number), educated=True
                )
            except bounds.Overlong as exc:
                exc.part = f"footnote {number}"
                raise
        notes = self.furniture.note_area(paragraphs)
        marks: dict[str, int] = {}
        flowables, shared_from = story(
            self.letter, self.merged, self.body, self.signatories, self.annexes, styles, marks,
            notes,
        )  # fmt: skip
        return Story(flowables, shared_from, marks, notes)

    def fingerprint(self) -> Fingerprint:
        """What the shared part of this letter draws."""
        return Fingerprint.of(
            self.letter, self.merged, self.signatories, self.annexes, tuple(self.body.images),
            self.tagged,
        )  # fmt: skip

    def document(
        self, buffer: io.BytesIO, notes: NoteArea, splitter: Splitter | None = None
    ) -> LetterDoc:
        """An empty ReportLab document on the letter's paper, writing to *buffer*."""
        page = self.page
        return LetterDoc(
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
            lang=self.letter.locale,
        )

    def shared_part(
        self, told: Story, key: SharedKey, rest: list[Flowable], resume: dict[str, float]
    ) -> Shared:
        """What does not depend on the recipient, from where page 1 leaves it on:
        the body, the signatories…, each page's footer and the date in its header."""
        buffer = io.BytesIO()
        doc = self.document(buffer, told.notes)
        doc.lk_resume = resume
        doc.lk_marker = self.marker()
        doc.addPageTemplates(self.furniture.shared_templates())
        maker = _rl.StatesCanvas(self.furniture.shared_canvas())
        doc.build(rest, canvasmaker=maker)
        if told.notes.finish():
            raise TooLarge(_RUNAWAY_NOTE)
        shared = Shared(key, doc.page, dict(told.marks), buffer.getvalue(), maker.states)
        shared.tags = self.tags_of(doc)
        return shared

    def marker(self) -> marking.Marker | None:
        """What marks a part's pages: None unless tagged."""
        if not self.tagged:
            return None
        subject = bool(self.merged.subject)
        return marking.for_letter(self.letter.locale, subject, self.body.flowables)

    @staticmethod
    def tags_of(doc: LetterDoc) -> Tags | None:
        """The structure a built document's marker recorded (None: untagged)."""
        if doc.lk_marker is None:
            return None
        doc.lk_marker.pages(doc.page)
        return doc.lk_marker.tags

    def lay_out(self, reuse: bool = True) -> LaidOut:
        """The own document as PDF bytes and, with *reuse* and unless the body
        cannot start on page 1, the :class:`Shared` part drawn over it. Without
        *reuse*, the whole letter is one document. The annexes come later.

        The joined letter stores one subset of each font for its own pages,
        its shared pages and its annexes' stamps
        (:func:`letterkit.pdf.splice.join`): the own document must write each
        character they draw with their code, and a character of its own with
        a code after those. They are known only once the template is made,
        so the own document starts from the codes the last letter with this
        fingerprint (or, new, the last one) ended with, and :attr:`LaidOut.again` lays it out again
        from the template's codes when it gave a character another code: the
        letter depends on its own text and the template alone.
        """
        key = self.fingerprint() if reuse else None
        laid = self._own(reuse, _seed(key) if key is not None else None)
        if key is not None:

            def again(fonts: _rl.FontStates) -> LaidOut:
                memo.keep(_SEEDS, key, fonts, 8)
                return self._own(reuse, fonts)

            laid.again = again
        return laid

    def _own(self, reuse: bool, seed: _rl.FontStates | None) -> LaidOut:
        """The own document, its fonts' codes starting from *seed*."""
        told = self.story()
        splitter = None
        if reuse:
            shared_from = told.shared_from
            splitter = Splitter(
                {id(f): i - shared_from for i, f in enumerate(told.flowables) if i >= shared_from},
                self.fingerprint(),
                lambda key, rest, resume: self.shared_part(told, key, rest, resume),
                self.furniture.note_area({}),
            )

        def shared() -> bool:
            return splitter is not None and splitter.result is not None

        buffer = io.BytesIO()
        doc = self.document(buffer, told.notes, splitter)
        doc.lk_marker = self.marker()
        doc.addPageTemplates(self.furniture.own_templates(shared))
        maker = _rl.StatesCanvas(self.furniture.own_canvas(shared), seed)
        with slash_breaks():
            doc.build(told.flowables, canvasmaker=maker)
        result = splitter.result if splitter is not None else None
        if result is None and told.notes.finish():
            raise TooLarge(_RUNAWAY_NOTE)
        marks = told.marks
        if result is not None:
            for name, value in result.marks.items():
                marks.setdefault(name, value)
        size = (self.page.width, self.page.height)
        laid = LaidOut(buffer.getvalue(), doc.page, marks, size, result, maker.states)
        laid.seeded = seed
        laid.tags = self.tags_of(doc)
        return laid
