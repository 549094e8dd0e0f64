"""An annex page and its marks → where its stamp goes, as the page is shown.

The label goes where the page, as shown, is blank: at least 8 mm from every
edge, at the foot as near the middle as it can, else at the head. A page
with no such room (a full-page scan, a receipt filled to its edges, a page
whose marks are unknown) gets a strip at its shown foot, and the label goes
in the strip. A page whose boxes are empty (``[0 0 0 0]``) is shown by
viewers as a Letter page: it is taken at that size and always gets a strip.
A narrow page's label uses smaller text, then the stamp's shorter wording,
so that it stays one line; where even that is wider than the page less its
margins, the strip is wider than the page, by as much on either side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject

from ..typeset.stamps import CLEARANCE, MARGIN, SIZES, Spot, label, line_width
from ..typeset.styles import Styles
from .marks import Rect, intersect

#: What viewers show for a page whose media box is empty: a Letter page.
LETTER: Rect = (0.0, 0.0, 612.0, 792.0)


@dataclass(frozen=True)
class Stamp:
    """One annex page to stamp, the text to put on it, and a shorter
    wording for a page too narrow for the text ("" when there is none)."""

    page: PageObject
    text: str
    short: str = ""


@dataclass(frozen=True)
class Placed:
    """Where a stamp goes on its page: the spot for the overlay, the page's
    visible box (left, bottom, right, top) as the source shows it, and that
    box with the strip added at the shown foot (the same box when the page
    had room)."""

    spot: Spot
    visible: Rect
    shown: Rect

    @property
    def strip(self) -> bool:
        return self.shown != self.visible


def box_of(value: object) -> Rect | None:
    """A box entry as (left, bottom, right, top), corners in any order; None
    when it is no box of four finite numbers or encloses nothing."""
    try:
        a, b, c, d = (float(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (a, b, c, d)):
        return None
    box = (min(a, c), min(b, d), max(a, c), max(b, d))
    return box if box[2] > box[0] and box[3] > box[1] else None


def visible(page: PageObject) -> tuple[Rect, bool]:
    """The box the page shows (its crop box within its media box) and
    whether it is a real one (False: the media box is empty, and viewers
    show a Letter page instead)."""
    try:
        media, crop = box_of(page.mediabox), box_of(page.cropbox)
    except Exception:  # a box pypdf cannot read at all
        media = crop = None
    if media is None:
        return LETTER, False
    shown = intersect(media, crop) if crop is not None else media
    if shown is None or shown[2] <= shown[0] or shown[3] <= shown[1]:
        return media, True  # a crop box that shows nothing is ignored
    return shown, True


def crop_ignored(page: PageObject) -> bool:
    """Whether *page*'s crop box shows nothing of its media box, so that
    :func:`visible` ignores it (viewers disagree: some show the media box,
    some an empty page)."""
    try:
        media, crop = box_of(page.mediabox), box_of(page.cropbox)
    except Exception:  # a box pypdf cannot read at all
        return False
    if media is None:
        return False
    shown = intersect(media, crop) if crop is not None else None
    return shown is None or shown[2] <= shown[0] or shown[3] <= shown[1]


def _to_shown(rect: Rect, box: Rect, rotation: int) -> Rect:
    """*rect* (user space) in the coordinates of the page as shown, with the
    shown bottom-left corner of *box* at the origin."""
    x0, y0, x1, y1 = box
    a, b, c, d = rect
    if rotation == 90:  # shown (u, v) = (y - y0, x1 - x)
        return (b - y0, x1 - c, d - y0, x1 - a)
    if rotation == 180:
        return (x1 - c, y1 - d, x1 - a, y1 - b)
    if rotation == 270:  # shown (u, v) = (y1 - y, x - x0)
        return (y1 - d, a - x0, y1 - b, c - x0)
    return (a - x0, b - y0, c - x0, d - y0)


def _to_user(u: float, v: float, box: Rect, rotation: int) -> tuple[float, float]:
    """The user-space point shown at (*u*, *v*), measured from the shown
    bottom-left corner of *box* (any point, inside the box or not)."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return x1 - v, y0 + u
    if rotation == 180:
        return x1 - u, y1 - v
    if rotation == 270:
        return x0 + v, y1 - u
    return x0 + u, y0 + v


def _with_strip(box: Rect, rotation: int, height: float, sides: float) -> Rect:
    """*box* grown by *height* on the side that is shown at the bottom and
    by *sides* on the sides shown left and right."""
    shown = _to_shown(box, box, rotation)
    corners = (
        _to_user(shown[0] - sides, shown[1] - height, box, rotation),
        _to_user(shown[2] + sides, shown[3], box, rotation),
    )
    (a, b), (c, d) = corners
    return (min(a, c), min(b, d), max(a, c), max(b, d))


def _room(
    marks: Sequence[Rect], size: tuple[float, float], label: tuple[float, float]
) -> tuple[float, float] | None:
    """The centre (shown coordinates) of a label of size *label* that keeps
    :data:`MARGIN` from the edges and :data:`CLEARANCE` from every mark: at
    the foot, as near the middle as there is room, else at the head; None
    when neither band has room."""
    width, height = size
    bw, bh = label
    for v0 in (MARGIN, height - MARGIN - bh):
        if v0 < MARGIN or v0 + bh > height - MARGIN + 0.01:
            continue
        taken = sorted(
            (m[0] - CLEARANCE, m[2] + CLEARANCE)
            for m in marks
            if m[1] - CLEARANCE < v0 + bh and m[3] + CLEARANCE > v0
        )
        best: float | None = None
        start = MARGIN
        for lo, hi in [*taken, (width - MARGIN, width - MARGIN)]:
            end = min(lo, width - MARGIN)
            if end - start >= bw:
                c = min(max(width / 2, start + bw / 2), end - bw / 2)
                if best is None or abs(c - width / 2) < abs(best - width / 2):
                    best = c
            start = max(start, hi)
        if best is not None:
            return best, v0 + bh / 2
    return None


def wording(stamp: Stamp, styles: Styles, room: float) -> tuple[str, float]:
    """The text and font size of *stamp*'s label for a page *room* wide
    between its margins: the full text at the largest size whose label fits
    on one line, else the short wording so, else the short wording at the
    smallest size."""
    texts = [stamp.text, stamp.short] if stamp.short else [stamp.text]
    for text in texts:
        for size in SIZES:
            if line_width(text, styles, size) <= room:
                return text, size
    return texts[-1], SIZES[-1]


def place(stamp: Stamp, styles: Styles, marks: Sequence[Rect] | None) -> Placed:
    """Where *stamp* goes on its page, given the page's *marks* (None: the
    whole page counts as marked): in free room at the shown foot or head,
    else in a strip added at the shown foot."""
    rotation = (stamp.page.rotation or 0) % 360
    box, real = visible(stamp.page)
    shown = _to_shown(box, box, rotation)
    width, height = shown[2] - shown[0], shown[3] - shown[1]
    text, size = wording(stamp, styles, width - 2 * MARGIN)
    one_line = line_width(text, styles, size)
    text_w, bw, bh = label(text, styles, max(width - 2 * MARGIN, one_line), size)
    if marks is not None and real:
        seen = [_to_shown(m, box, rotation) for m in marks]
        centre = _room(seen, (width, height), (bw, bh))
        if centre is not None:
            at = _to_user(*centre, box, rotation)
            return Placed(Spot(text, at, rotation, text_w, size), box, box)
    strip = math.ceil(MARGIN + bh + CLEARANCE)
    sides = math.ceil(max(0.0, bw + 2 * MARGIN - width) / 2)
    grown = _with_strip(box, rotation, strip, sides)
    at = _to_user(width / 2, MARGIN + bh / 2 - strip, box, rotation)
    return Placed(Spot(text, at, rotation, text_w, size), box, grown)
