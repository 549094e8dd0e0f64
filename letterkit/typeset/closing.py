"""The body's last lines + the closing block → one unit that never leaves the
closing at the top of a page.

:class:`KeepClosing` holds the end of the body (its last flowable and the
headings kept with it) and the flowable that opens the closing block (the
closing, the annex list, the signatories' heading and first entries, drawn
together by :class:`~letterkit.typeset.columns.SignatoryColumns`). Where the
closing block cannot begin on the page after the whole body, the body's last
paragraph is split so that at least two of its lines go over with the
closing; a body end that cannot be split goes over whole. Either way the
pieces are handed back to the document, which lays them out as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.doctemplate import NullActionFlowable

from . import _rl
from .notes import Noted

#: Lines of the body's last paragraph that go over with the closing, at least.
MIN_LINES = 2
#: A body end taller than this share of the page is never moved whole.
MOVABLE = 1 / 3
#: The height ReportLab's keep-together groups measure their flowables in.
_MEASURING = 0xFFFFFF


class KeepClosing(Flowable):  # type: ignore[misc]
    """The body's last flowables and the closing block's first, kept together
    as far as they go on one page (the body may still end on the page before,
    as long as two of its lines come over)."""

    def __init__(
        self, tail: Sequence[Flowable], lead: Flowable, last: int = 0, not_on: int = 0
    ) -> None:
        super().__init__()
        self.tail = list(tail)
        self.lead = lead
        #: Where the body's last paragraph (with the headings kept with it) begins in *tail*.
        self.last = last
        #: The page where this piece may not go (its body part was cut there).
        self.not_on = not_on

    def getSpaceBefore(self) -> float:
        return float(self.tail[0].getSpaceBefore())

    def identity(self, maxLen: int | None = None) -> str:
        return str(self.lead.identity(maxLen))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if availHeight >= _MEASURING:
            # Measured by a keep-together group (the salutation kept with the body):
            # what must go with the flowable before is the body's first piece.
            self.height = _height(self.tail[0], availWidth)
        else:
            # Too tall: the document asks :meth:`split`, which hands the parts back.
            self.height = availHeight + 1.0
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        page = self.canv.getPageNumber()
        if page == self.not_on:
            return []
        everything: list[Flowable] = [NullActionFlowable(), *self.tail, self.lead]
        if _rl.at_top(self):
            return everything
        free, kept = self._kept(availWidth)
        heights = [_height(f, availWidth) for f in self.tail]
        spaces = [f.getSpaceAfter() for f in self.tail]
        body = sum(heights) + sum(spaces[:-1])
        room = availHeight - body - max(spaces[-1], self.lead.getSpaceBefore())
        if body <= availHeight and _begins(self.lead, availWidth, room):
            return everything
        before = availHeight - (body - heights[-1])
        cut = _cut(self.tail[-1], availWidth, min(before, heights[-1]))
        if cut is not None:
            head, rest = cut
            return [
                NullActionFlowable(),
                *self.tail[:-1],
                head,
                KeepClosing([rest], self.lead, not_on=page),
            ]
        moved = sum(heights[len(free) :])
        if moved > (_rl.frame_height(self) or availHeight) * MOVABLE:
            return everything  # too much to move: let it flow
        if not free:
            return []  # all of it on the next page
        return [NullActionFlowable(), *free, KeepClosing(kept, self.lead, not_on=page)]

    def _kept(self, width: float) -> tuple[list[Flowable], list[Flowable]]:
        """The body's end split into what may stay and what goes with the
        closing: its last paragraph (with its headings), and the one before
        when the last has fewer than :data:`MIN_LINES` lines."""
        last = self.tail[self.last :]
        if self.last and sum(_lines(f, width) for f in last) < MIN_LINES:
            return [], self.tail
        return self.tail[: self.last], last


def _height(flowable: Flowable, width: float) -> float:
    return float(flowable.wrap(width, 1e6)[1])


def _begins(lead: Flowable, width: float, room: float) -> bool:
    """Whether the closing block can begin in *room* points."""
    if room <= 0:
        return False
    if lead.wrap(width, room)[1] <= room + 1e-6:
        return True
    return bool(lead.split(width, room))


def _leading(flowable: Any) -> float:
    inner = getattr(flowable, "paragraph", flowable)
    return float(inner.style.leading)


def _lines(flowable: Any, width: float | None = None) -> int:
    """How many lines a paragraph holds (wrapped at *width*, or as it was
    last wrapped); anything else counts as one line."""
    inner = getattr(flowable, "paragraph", flowable)
    if isinstance(inner, Spacer):
        return 0
    if not isinstance(inner, Paragraph):
        return 1
    if width is not None:
        inner.wrap(width, 1e6)
    lines = _rl.broken_lines(inner)
    return len(lines.lines) if lines is not None else 1


def _cut(last: Flowable, width: float, room: float) -> tuple[Flowable, Flowable] | None:
    """The body's last paragraph cut into the lines that stay in *room* points
    and at least :data:`MIN_LINES` lines that go over, or None."""
    if not isinstance(last, Paragraph | Noted):
        return None
    leading = _leading(last)
    limit = min(room, _height(last, width) - MIN_LINES * leading + 1e-3)
    while limit > 0:
        parts = last.split(width, limit)
        if len(parts) != 2:
            return None
        parts[1].wrap(width, 1e6)
        if _lines(parts[1]) >= MIN_LINES:
            return parts[0], parts[1]
        limit -= leading
    return None


def _unit_start(body: Sequence[Flowable], end: int) -> int:
    """Where the unit that ends before *end* begins: a flowable with the
    headings (``keepWithNext``) and the space before it."""
    start = end - 1
    while start > 0 and (body[start - 1].getKeepWithNext() or isinstance(body[start - 1], Spacer)):
        start -= 1
    return start


def keep_closing(body: list[Flowable], block: list[Flowable]) -> list[Flowable]:
    """The body and the closing block as one list, the body's last two
    paragraphs (each with its headings) held with the block's first flowable."""
    if not body or not block:
        return [*body, *block]
    last = _unit_start(body, len(body))
    start = _unit_start(body, last) if last > 0 else last
    return [*body[:start], KeepClosing(body[start:], block[0], last - start), *block[1:]]
