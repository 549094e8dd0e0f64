"""Signatory entries → balanced columns that continue across pages.

:class:`SignatoryColumns` is one flowable for a run of signatory entries (a
group, or the whole list) in one to three columns. Each entry is wrapped once
at the column width and never split, so a name and its affiliation stay
together. On a page where the run does not end, the columns are filled top to
bottom, left to right; where it ends, they are balanced. Read in drawing
order, the entries come out in print order, column after column.

The flowables in ``head`` (the closing, the "Signatories" heading, a group
heading) are drawn above the first part, so they always stand with at least
the first rows of names and never alone at the foot of a page; those in
``continued`` ("Signatories (continued)") above each part on a later page;
those in ``resumed`` ("Signatories (continued)" again) above ``head`` when a
run that is not the list's first (the next group) begins at the top of a page.
The flowables in ``tail`` (the identification note) follow the run: its last
part keeps room for them, so they never stand alone on a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, Paragraph

from ..errors import LetterkitError
from . import _rl

#: A list's last part this short (a share of the page) stands alone as a runt…
RUNT = 0.2
#: …so entries move over until it fills this share.
RUNT_FILL = 0.25


class TooLarge(LetterkitError):
    """A part of the letter that cannot fit on an empty page."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _height(entry: Paragraph, width: float) -> float:
    """An entry's height at *width*, with the space after it. Its lines are not
    kept: they are broken again when it is drawn, so a list of thousands holds
    the lines of one page at a time, not of every entry."""
    height = float(entry.wrap(width, 1e6)[1] + entry.style.spaceAfter)
    _rl.forget_lines(entry)
    return height


def draw_head(canvas: Any, head: Sequence[Flowable], heights: Sequence[float], y: float) -> float:
    """Draw *head* (the closing, the headings: already wrapped to *heights*) from
    *y* down; return the *y* where the entries begin."""
    for i, (f, h) in enumerate(zip(head, heights, strict=True)):
        if i:
            y -= f.getSpaceBefore()
        f.drawOn(canvas, 0, y - h)
        y -= h + f.getSpaceAfter()
    return y


class SignatoryColumns(Flowable):  # type: ignore[misc]
    """Signatory entries in 1–3 columns, split across pages between entries."""

    def __init__(
        self,
        entries: Sequence[Paragraph],
        labels: Sequence[str],
        columns: int = 1,
        gap: float = 12.0,
        head: Sequence[Flowable] = (),
        min_rows: int = 2,
        fixed: list[list[int]] | None = None,
        rtl: bool = False,
        measured: tuple[float, list[float]] | None = None,
        continued: Sequence[Flowable] = (),
        not_on: int = 0,
        resumed: Sequence[Flowable] = (),
        tail: Sequence[Flowable] = (),
    ) -> None:
        super().__init__()
        self.entries = list(entries)
        self.labels = list(labels)
        self.columns = max(1, min(columns, len(self.entries) or 1))
        self.gap = gap
        self.head = list(head)
        #: The head as it stands when the run does not begin at the top of a page.
        self.own_head = list(head)
        #: What goes above the head when the run begins at the top of a page.
        self.resumed = list(resumed)
        #: What follows the run's last part on its page (the identification note).
        self.tail = list(tail)
        #: The head of the part on the next page ("Signatories (continued)").
        self.continued = list(continued)
        #: The page a part that follows a split may not go on (the page it was split on).
        self.not_on = not_on
        self.min_rows = min_rows
        self.fixed = fixed
        #: Right-to-left letters start with the rightmost column.
        self.rtl = rtl
        self._width = -1.0
        self._heights: list[float] = []
        if measured is not None:  # entry heights a split already measured at this width
            self._width, self._heights = measured
        self._head_heights: list[float] = []
        self._plan: list[list[int]] = []

    # -- measuring -------------------------------------------------------------

    def _measure(self, width: float) -> None:
        if width != self._width or len(self._heights) != len(self.entries):
            self._width = width
            col = self.column_width(width)
            self._heights = [_height(e, col) for e in self.entries]
        if self.resumed:
            head = [*self.resumed, *self.own_head] if _rl.at_top(self) else self.own_head
            if head != self.head:
                self.head, self._head_heights = head, []
        if len(self._head_heights) != len(self.head):
            self._head_heights = [f.wrap(width, 1e6)[1] for f in self.head]

    def tail_height(self) -> float:
        """The height the tail takes under the run, with the space above it."""
        return float(sum(f.wrap(self._width, 1e6)[1] + f.getSpaceBefore() for f in self.tail))

    def column_width(self, width: float) -> float:
        return (width - self.gap * (self.columns - 1)) / self.columns

    def head_height(self) -> float:
        total = 0.0
        for i, (f, h) in enumerate(zip(self.head, self._head_heights, strict=True)):
            total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0.0)
        return total

    def _fill(self, limit: float) -> list[list[int]]:
        """Columns of entry indices, each column at most *limit* tall, in order."""
        cols: list[list[int]] = [[]]
        used = 0.0
        for i, h in enumerate(self._heights):
            if used + h > limit + 1e-6 and cols[-1]:
                if len(cols) == self.columns:
                    break
                cols.append([])
                used = 0.0
            if used + h > limit + 1e-6:
                break
            cols[-1].append(i)
            used += h
        return cols

    def _tall(self, cols: list[list[int]]) -> float:
        return max((sum(self._heights[i] for i in c) for c in cols), default=0.0)

    def _balanced(self) -> list[list[int]]:
        """The shortest columns that hold every entry."""
        n = len(self._heights)
        if not n:
            return [[]]
        lo = max(max(self._heights), sum(self._heights) / self.columns)
        hi = sum(self._heights)
        for _ in range(40):
            if sum(len(c) for c in self._fill(lo)) == n:
                break
            mid = (lo + hi) / 2
            if sum(len(c) for c in self._fill(mid)) == n:
                hi = mid
            else:
                lo = mid
            if hi - lo < 0.25:
                lo = hi
        return self._fill(lo)

    def _rest_height(self, taken: int) -> float:
        """About how tall the entries after the first *taken* stand on the next
        page, balanced, under their continued heading."""
        heads = sum(f.wrap(self._width, 1e6)[1] for f in self.continued)
        return float(heads) + sum(self._heights[taken:]) / self.columns

    def _short_of_all(self, limit: float) -> tuple[list[list[int]], float]:
        """The fullest columns under *limit* that leave at least one entry over,
        and the height they were filled to."""
        step = min(self._heights)
        lower = min(limit, self._tall(self._fill(limit)))
        while lower > 0:
            lower -= step
            cols = self._fill(lower)
            if sum(len(c) for c in cols) < len(self.entries):
                return cols, lower
        return [[]], 0.0

    def _no_runt(self, cols: list[list[int]], limit: float) -> list[list[int]]:
        """*cols*, or shorter columns when the rest would stand alone on the next
        page as a runt (at most :data:`RUNT` of the page): entries move over
        until the rest fills :data:`RUNT_FILL` of it, as long as the part here
        keeps its least rows."""
        page = _rl.frame_height(self)
        if page is None:
            return cols
        taken = sum(len(c) for c in cols)
        rest = self._rest_height(taken)
        if rest > RUNT * page:
            return cols
        step = min(self._heights)
        least = min(self.min_rows, len(self.entries))
        lower = limit - step
        while lower > 0:
            fewer = self._fill(lower)
            count = sum(len(c) for c in fewer)
            if count < least:
                break
            if self._rest_height(count) >= RUNT_FILL * page:
                return fewer
            lower -= step
        return cols

    # -- flowable protocol ---------------------------------------------------

    def getSpaceBefore(self) -> float:
        return float(self.head[0].getSpaceBefore()) if self.head else 0.0

    def identity(self, maxLen: int | None = None) -> str:
        first = self.labels[0] if self.labels else "the signatory list"
        return f"the signatory entry '{first}'"

    def _barred(self) -> bool:
        """Whether this part is being put on the page it was split off (it may not)."""
        canvas = getattr(self, "canv", None)
        return bool(self.not_on) and canvas is not None and canvas.getPageNumber() == self.not_on

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._measure(availWidth)
        self.width = availWidth
        if self._barred():  # too tall here: it goes on the next page
            self._plan = []
            self.height = availHeight + 1.0
            return self.width, self.height
        least = sum(self._heights) / self.columns
        if self.fixed is None and self.head_height() + least > availHeight:
            # Cannot fit here whatever the balance: skip balancing, let the frame split.
            self._plan = []
            self.height = self.head_height() + least
            return self.width, self.height
        self._plan = self.fixed if self.fixed is not None else self._balanced()
        self.height = self.head_height() + self._tall(self._plan)
        if self.tail and self.height + self.tail_height() > availHeight + 1e-6:
            self.height += self.tail_height()  # the tail would stand alone: split
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._barred():
            return []
        self._measure(availWidth)
        limit = availHeight - self.head_height()
        cols = self._fill(limit)
        taken = sum(len(c) for c in cols)
        least = min(self.min_rows, len(self.entries))
        at_top = _rl.at_top(self)
        if taken >= len(self.entries):
            whole = self.head_height() + self._tall(self._balanced()) + self.tail_height()
            if not self.tail or whole <= availHeight + 1e-6:
                return [self]
            cols, limit = self._short_of_all(limit)  # the last entries go over with the tail
            if at_top:
                least = 1
        cols = self._no_runt(cols, limit)
        taken = sum(len(c) for c in cols)
        if taken < least:
            if at_top:
                label = self.labels[taken] if taken < len(self.labels) else ""
                raise TooLarge(
                    f"the signatory entry '{label}'" if label else "the signatory list heading"
                )
            return []
        first = SignatoryColumns(
            self.entries[:taken], self.labels[:taken], self.columns, self.gap,
            self.head, self.min_rows, fixed=cols, rtl=self.rtl,
            measured=(self._width, self._heights[:taken]),
        )  # fmt: skip
        first._head_heights = self._head_heights
        rest = SignatoryColumns(
            self.entries[taken:], self.labels[taken:], self.columns, self.gap, self.continued,
            self.min_rows, rtl=self.rtl, measured=(self._width, self._heights[taken:]),
            continued=self.continued, not_on=_page(self), tail=self.tail,
        )  # fmt: skip
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        y = draw_head(canvas, self.head, self._head_heights, self.height)
        col_w = self.column_width(self.width)
        for c, indices in enumerate(self._plan):
            slot = self.columns - 1 - c if self.rtl else c
            x = slot * (col_w + self.gap)
            top = y
            for i in indices:
                entry = self.entries[i]
                h = self._heights[i] - entry.style.spaceAfter
                entry.wrap(col_w, 1e6)
                entry.drawOn(canvas, x, top - h)
                _rl.forget_lines(entry)
                top -= self._heights[i]


def _page(flowable: Flowable) -> int:
    """The number of the page a flowable is being laid out on (0 when unknown)."""
    canvas = getattr(flowable, "canv", None)
    return int(canvas.getPageNumber()) if canvas is not None else 0
