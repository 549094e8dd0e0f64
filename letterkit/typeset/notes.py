"""Footnotes at the foot of the page that references them.

ReportLab has no footnotes, so the layout stage builds them from two parts:

* :class:`Noted` wraps a body paragraph that references notes. It asks the
  frame for its own height *plus* the height of the notes it brings to the
  page; once it is drawn, the document moves that extra room from below the
  paragraph to the page foot (``notes_room``), so the body never runs into
  the notes. When it has to split, it finds the largest first part whose text
  and notes fit together.
* :class:`NoteArea` is the document's per-page state: which notes the page
  holds, which note text continues from the page before, and how to draw
  them above the bottom margin, under a short rule.

A note too long for the space left on its page is split: its first lines stay
on the page of the reference and the rest continues at the foot of the next
page, before that page's own notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.frames import Frame

from . import _rl, marking
from .styles import RULE

_NOTE_LINK = re.compile(r"#lk-note-(\d+)$")

#: Space between the body and the note rule, the rule and the first note.
RULE_GAP = 9.0
#: The least of a note that may be left on a page when the note is split.
MIN_NOTE_PART = 2


def references(paragraph: Paragraph) -> list[int]:
    """The note numbers a (wrapped) paragraph references, in reading order."""
    found: list[int] = []
    for target in _rl.raised_link_targets(paragraph):
        m = _NOTE_LINK.search(target)
        if m and int(m.group(1)) not in found:
            found.append(int(m.group(1)))
    return found


@dataclass
class NoteArea:
    """The notes of the page being laid out, and the text carried to the next."""

    notes: dict[int, Paragraph]
    width: float
    bottom: float
    left: float
    rtl: bool = False
    placed: set[int] = field(default_factory=set)
    page: list[Paragraph] = field(default_factory=list)
    carry: list[Paragraph] = field(default_factory=list)
    reserved: float = 0.0
    #: id() of the paragraphs on this page that begin a note → its number
    anchors: dict[int, int] = field(default_factory=dict)
    _heights: dict[int, tuple[Paragraph, float]] = field(default_factory=dict)

    # -- measuring -----------------------------------------------------------

    def height(self, paragraphs: Iterable[Paragraph]) -> float:
        total = 0.0
        for p in paragraphs:
            known = self._heights.get(id(p))
            if known is None or known[0] is not p:
                known = self._heights[id(p)] = (p, p.wrap(self.width, 1e6)[1])
            total += known[1] + p.style.spaceAfter
        return total

    def new(self, numbers: Iterable[int]) -> list[int]:
        """Numbers whose notes are not on a page yet."""
        return [n for n in numbers if n not in self.placed and n in self.notes]

    def cost(self, numbers: Iterable[int]) -> float:
        """Height the notes *numbers* add to the current page (with the rule if first)."""
        fresh = self.new(numbers)
        if not fresh:
            return 0.0
        gap = 0.0 if (self.page or self.carry) else RULE_GAP
        return gap + self.height(self.notes[n] for n in fresh)

    # -- page events ---------------------------------------------------------

    def begin_page(self, frame: Frame) -> None:
        """Start a page: put the carried note text first and keep room for it."""
        self.page = []
        self.anchors = {}
        self.reserved = 0.0
        _rl.reset_frame_floor(frame)
        if not self.carry:
            return
        room = _rl.frame_room(frame) * 0.6
        carried, rest = _fit(self.carry, self.width, room - RULE_GAP)
        if not carried:  # nothing can be split off: carry it all, however tall
            carried, rest = self.carry, []
        self.page = carried
        self.carry = rest
        self.reserved = RULE_GAP + self.height(carried)
        _rl.raise_frame_floor(frame, self.reserved)

    def place(self, numbers: Sequence[int], split: tuple[int, list[Paragraph]] | None) -> None:
        """The paragraph referencing *numbers* was drawn on this page."""
        fresh = self.new(numbers)
        for n in fresh:
            self.placed.add(n)
            if split is not None and n == split[0]:
                head, *tail = split[1]
                self.page.append(head)
                self.anchors[id(head)] = n
                self.carry.extend(tail)
            elif split is not None and fresh.index(n) > fresh.index(split[0]):
                self.carry.append(self.notes[n])
            else:
                self.page.append(self.notes[n])
                self.anchors[id(self.notes[n])] = n

    def draw(self, canvas: Canvas) -> None:
        """Draw this page's notes above the bottom margin, under a short rule."""
        if not self.page:
            return
        total = self.height(self.page)
        y = self.bottom + total
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        rule_y = y + RULE_GAP / 2
        start = self.left + self.width * 2 / 3 if self.rtl else self.left
        canvas.line(start, rule_y, start + self.width / 3, rule_y)
        canvas.restoreState()
        for p in self.page:
            _, h = p.wrap(self.width, 1e6)
            number = self.anchors.get(id(p))
            if number is not None:  # the target of the reference's link
                mark = getattr(canvas, "lk_bookmark", canvas.bookmarkHorizontal)
                mark(f"lk-note-{number}", self.left, y)
            y -= h
            with marking.within(canvas, marking.Within("note", self._number(p))):
                p.drawOn(canvas, self.left, y)
            y -= p.style.spaceAfter

    def _number(self, part: Paragraph) -> int:
        """The number of the note *part* is (a part of)."""
        number = self.anchors.get(id(part))
        if number is not None:
            return number
        part = marking.origin(part)
        return next((n for n, p in self.notes.items() if p is part), 0)

    def finish(self) -> list[Paragraph]:
        """Note text still waiting when the letter ends (drawn on no page)."""
        return self.carry

    def flushers(self, pages: int = 4) -> list[Flowable]:
        """End-of-letter flowables that add up to *pages* pages for running-over notes."""
        return [FlushNotes(self) for _ in range(pages)]


def _fit(
    paragraphs: Sequence[Paragraph], width: float, room: float
) -> tuple[list[Paragraph], list[Paragraph]]:
    """Split a run of note paragraphs at *room* points: (what fits, the rest)."""
    taken: list[Paragraph] = []
    for i, p in enumerate(paragraphs):
        _, h = p.wrap(width, 1e6)
        need = h + p.style.spaceAfter
        if need <= room:
            taken.append(p)
            room -= need
            continue
        # The part that stays needs its space after too.
        space = room - p.style.spaceAfter
        parts = p.split(width, space) if space > p.style.leading * MIN_NOTE_PART else []
        if len(parts) == 2:
            return [*taken, parts[0]], [parts[1], *paragraphs[i + 1 :]]
        return taken, list(paragraphs[i:])
    return taken, []


class Noted(Flowable):  # type: ignore[misc]
    """A body paragraph that brings its footnotes to the page it lands on."""

    def __init__(
        self,
        paragraph: Paragraph,
        area: NoteArea,
        split_note: tuple[int, list[Paragraph]] | None = None,
        next_frame: bool = False,
    ) -> None:
        super().__init__()
        self.paragraph = paragraph
        self.area = area
        self.split_note = split_note
        #: The rest of a split paragraph: it begins on the next page.
        self.next_frame = next_frame
        self.keepWithNext = getattr(paragraph.style, "keepWithNext", 0)
        self._para_h = 0.0
        self._numbers: list[int] = []
        #: Room taken for the notes below the paragraph; the document moves it
        #: to the page foot once the paragraph is drawn.
        self.notes_room = 0.0

    def getSpaceBefore(self) -> float:
        return float(self.paragraph.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.paragraph.getSpaceAfter())

    def identity(self, maxLen: int | None = None) -> str:
        return str(self.paragraph.identity(maxLen))

    def _notes_height(self) -> float:
        if self.split_note is None:
            return self.area.cost(self._numbers)
        number, parts = self.split_note
        fresh = self.area.new(self._numbers)
        before = [self.area.notes[n] for n in fresh[: fresh.index(number)]]
        gap = 0.0 if (self.area.page or self.area.carry) else RULE_GAP
        return gap + self.area.height([*before, parts[0]])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.next_frame and not _rl.at_top(self):
            self.width, self.height = availWidth, availHeight + 1.0  # too tall here
            return self.width, self.height
        _, self._para_h = self.paragraph.wrap(availWidth, availHeight)
        self._numbers = references(self.paragraph)
        self.notes_room = self._notes_height()
        self.width = availWidth
        self.height = self._para_h + self.notes_room
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """As many of the paragraph's lines as fit here with their notes (the
        last note cut to run over when that lets more lines stay), the rest on
        the next page: the lines run on to the floor above the notes, and the
        rest never comes back to this page below a gap."""
        if self.next_frame and not _rl.at_top(self):
            return []
        leading = self.paragraph.style.leading
        room = availHeight
        for _ in range(200):
            parts = self.paragraph.split(availWidth, room)
            if not parts:
                break
            first = parts[0]
            _, h1 = first.wrap(availWidth, availHeight)
            numbers = references(first)
            cut = None
            if h1 + self.area.cost(numbers) > availHeight + 1e-6:
                cut = self._cut_note(numbers, availHeight - h1)
                if cut is None:
                    room = h1 - leading + 1e-3
                    if room <= 0:
                        break
                    continue
            out: list[Flowable] = [Noted(first, self.area, split_note=cut)]
            if len(parts) == 2:
                out.append(Noted(parts[1], self.area, next_frame=True))
            return out
        return []

    def _cut_note(self, numbers: Sequence[int], room: float) -> tuple[int, list[Paragraph]] | None:
        """The note to cut so that the notes of *numbers* take at most *room*
        points here (its first lines here, the rest on the next page), or None
        when no note can be cut so."""
        area = self.area
        fresh = area.new(numbers)
        gap = 0.0 if (area.page or area.carry) else RULE_GAP
        whole = [area.notes[n] for n in fresh]
        taken, rest = _fit(whole, area.width, room - gap)
        if not rest or not taken or taken[-1] is whole[len(taken) - 1]:
            return None  # no note was cut: nothing of a note would stay here
        return fresh[len(taken) - 1], [taken[-1], rest[0]]

    def draw(self) -> None:
        self.area.place(self._numbers, self.split_note)
        self.paragraph.drawOn(self.canv, 0, self.notes_room)


class FlushNotes(Flowable):  # type: ignore[misc]
    """At the end of the letter: while note text still runs over, fill the page so
    that the next one (which draws the rest of the note) exists."""

    def __init__(self, area: NoteArea) -> None:
        super().__init__()
        self.area = area

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = availHeight if self.area.carry else 0.0
        return self.width, self.height

    def draw(self) -> None:
        pass


class NoteCall(Flowable):  # type: ignore[misc]
    """After a table whose cells refer to notes: brings those notes to the page
    it is drawn on (the table's last), taking their room like :class:`Noted`."""

    def __init__(self, numbers: Sequence[int], area: NoteArea) -> None:
        super().__init__()
        self.numbers = list(numbers)
        self.area = area
        self.notes_room = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.notes_room = self.area.cost(self.numbers)
        self.width, self.height = availWidth, self.notes_room
        return self.width, self.height

    def draw(self) -> None:
        self.area.place(self.numbers, None)


def wrap_references(flowables: Sequence[Any], area: NoteArea) -> list[Any]:
    """Wrap every body paragraph that references a note in :class:`Noted`, and
    follow a table that does by a :class:`NoteCall`."""
    out: list[Any] = []
    for f in flowables:
        if isinstance(f, Paragraph) and "#lk-note-" in f.text:
            out.append(Noted(f, area))
        elif getattr(f, "lk_notes", ()):
            out += [f, NoteCall(f.lk_notes, area)]
        else:
            out.append(f)
    return out
