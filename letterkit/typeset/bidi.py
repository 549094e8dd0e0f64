"""Right-to-left text: shaping, then visual order line by line.

ReportLab lays text out left to right and cannot reorder it (its bidi support
needs a library that is not on PyPI). So a paragraph that holds Arabic or
Hebrew goes through two steps:

1. :func:`shape` joins Arabic letters (arabic-reshaper turns them into their
   contextual presentation forms) before ReportLab measures the text;
2. ReportLab breaks the paragraph into lines in logical order, and
   :class:`LKParagraph` puts each *line* into visual order just before it is
   drawn (reordering a whole paragraph first would reverse its lines).

The reordering is the Unicode bidirectional algorithm of python-bidi, run on
each line with the paragraph's direction (right-to-left in an Arabic or
Hebrew letter, left-to-right for an Arabic name in an English one); style
runs (bold, links, note numbers) are split where the visual order changes,
so each keeps its font and link.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any, Literal

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.platypus import Paragraph

from .. import memo
from . import _rl, brackets, breaks, marking, textlayer

Direction = Literal["L", "R"]

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_TAGS = re.compile(r"(<[^>]*>|&[#\w]+;)")
#: Direction marks: they steer the algorithm and are not drawn.
_MARKS = {"\u200e", "\u200f"}

#: Locales whose letters are written right to left.
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "ps", "yi", "ckb", "dv"}


def is_rtl_locale(tag: str) -> bool:
    """``ar``, ``he``… (any region) read right to left."""
    return tag.replace("_", "-").split("-")[0].lower() in RTL_LANGUAGES


def needs_bidi(text: str) -> bool:
    """Whether *text* holds right-to-left letters (and so needs shaping and reordering)."""
    return bool(_RTL.search(text))


def shape(markup: str) -> str:
    """Join the Arabic letters of paragraph markup (tags and entities untouched)."""
    if not needs_bidi(markup):
        return markup
    reshape = _reshaper().reshape
    return "".join(part if _TAGS.fullmatch(part) else reshape(part) for part in _TAGS.split(markup))


@functools.cache
def _reshaper() -> Any:
    """arabic-reshaper set to keep the harakat (vowel marks): it deletes them by default."""
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def first_direction(markup: str) -> Direction | None:
    """The direction of the first strong letter of paragraph markup (tags skipped)."""
    import unicodedata

    for part in _TAGS.split(markup):
        if _TAGS.fullmatch(part):
            continue
        for char in part:
            kind = unicodedata.bidirectional(char)
            if kind in ("R", "AL"):
                return "R"
            if kind == "L":
                return "L"
    return None


def visual_chars(text: str, base: Direction) -> list[tuple[int, str]]:
    """The Unicode bidirectional algorithm (python-bidi) on one line: each visible
    character, left to right, as (its index in *text*, the character mirrored
    if needed)."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if base == "R" else 0
    storage["base_dir"] = base
    uba.get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["lk_index"] = index
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    brackets.resolve_brackets(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    # A combining mark stays before its letter in visual order (rule L3 is not
    # applied): the marks of the bundled Arabic font are drawn to the right
    # of the pen, over the letter that follows them on the line.
    return [(char["lk_index"], char["ch"]) for char in storage["chars"] if char["ch"] not in _MARKS]


def _copyable(char: str, logical: str, font: str) -> str:
    """The character drawn for *logical* where the bidi step draws *char*: a
    bracket drawn mirrored becomes the stand-in that copies as *logical*
    (:func:`.textlayer.mirrored`), where *font* draws it."""
    if char != logical:
        stand_in = textlayer.mirrored(logical)
        if stand_in is not None and _rl.draws(font, stand_in):
            return stand_in
    return char


def visual_line(line: Any, base: Direction, plans: list[Any] | None = None, font: str = "") -> Any:
    """One laid-out line (ReportLab's tuple of words, or a line of style runs)
    in visual order, style runs split where the order changes; with *plans*,
    the line's text-layer plan (:func:`.textlayer.line_plan`) is appended to it.
    *font* is the font of a line of words (a style run names its own)."""
    if isinstance(line, tuple):
        extra, words = line
        logical = " ".join(words)
        chars = visual_chars(logical, base)
        if plans is not None:
            plans.append(textlayer.line_plan(logical, [i for i, _ in chars]))
        shown = "".join(_copyable(c, logical[i], font) for i, c in chars)
        return (extra, shown.split(" "))
    runs = _rl.line_runs(line)
    owners: list[int] = []
    for n, run in enumerate(runs):
        owners += [n] * len(_rl.run_text(run))
    text = "".join(_rl.run_text(run) for run in runs)
    chars = visual_chars(text, base) if text else []
    if plans is not None:
        plans.append(textlayer.line_plan(text, [i for i, _ in chars]))
    if not text:
        return line
    pieces: list[tuple[int, list[str]]] = []
    for index, char in chars:
        owner = owners[index]
        char = _copyable(char, text[index], _rl.run_font(runs[owner]))
        if pieces and pieces[-1][0] == owner:
            pieces[-1][1].append(char)
        else:
            pieces.append((owner, [char]))
    shown_runs = [_rl.run_with_text(runs[n], "".join(chars)) for n, chars in pieces]
    # Zero-width runs (anchors, images) keep their place at the line's start.
    shown_runs[:0] = [run for run in runs if not _rl.run_text(run)]
    return _rl.line_with_runs(line, shown_runs)


class LKParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph that may be drawn in visual (bidi) order and may mark its page.

    ``lk_base`` is the paragraph direction ("L"/"R") when its lines need
    reordering, else None; ``lk_mark`` is ``(marks, key)`` to record the
    0-based page the paragraph is drawn on (for the outline).
    """

    lk_base: Direction | None = None
    lk_mark: tuple[dict[str, int], str] | None = None
    #: In a right-to-left letter: the first-line indent is mirrored (a hanging
    #: line starts at the right), and ``lk_bullet`` (a list's bullet, a note's
    #: number) is drawn at the right of the first line, ``bulletIndent`` from
    #: the right edge.
    lk_mirror: bool = False
    lk_bullet: Paragraph | None = None
    #: The paragraph this one is a part of (split off by :meth:`split`).
    lk_origin: Paragraph | None = None
    #: Whether it repeats what was read before (a heading "(continued)"): an
    #: artifact in a tagged letter.
    lk_artifact: bool = False
    _lk_plans: list[Any] | None = None
    _lk_wrapped: tuple[float, float, float] | None = None
    #: Its frags as parsed: its text before lines break it (ReportLab puts the
    #: hyphens of hyphenated words into the frags it keeps).
    lk_frags: list[Any] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lk_frags = self.frags

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Break into lines once per width: the layout asks many times (frames,
        keep-with-next, footnote room, columns), and letters of a bundle share
        paragraphs."""
        known = self._lk_wrapped
        if known is not None and known[0] == availWidth and _rl.broken_lines(self) is not None:
            return known[1], known[2]
        width, height = super().wrap(availWidth, availHeight)
        self._lk_wrapped = (availWidth, width, height)
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        """Split as ReportLab does, once per room: the letters of a bundle split
        the same paragraph at the same place (and the layout asks again)."""
        splits = self.__dict__.setdefault("_lk_splits", {})
        known = splits.get((availWidth, availHeight))
        if known is not None:
            return list(known)
        parts: list[Any] = super().split(availWidth, availHeight)
        memo.keep(splits, (availWidth, availHeight), tuple(parts), 8)
        for i, part in enumerate(parts):
            if isinstance(part, LKParagraph):
                part.lk_base = self.lk_base
                part.lk_mark = self.lk_mark if i == 0 else None
                part.lk_mirror = self.lk_mirror
                part.lk_bullet = self.lk_bullet if i == 0 else None
                if part is not self:
                    part.lk_origin = self.lk_origin or self
        return parts

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw as ReportLab does; on a tagged layout's canvas, as one
        marked-content sequence (:mod:`.marking`)."""
        marking.draw_paragraph(self, canvas, x, y, _sW, super().drawOn)

    def breakLines(self, width: Any) -> Any:
        """ReportLab's line breaking, with the slash rule within
        :func:`~letterkit.typeset.breaks.slash_breaks`."""
        if breaks.active():
            return breaks.break_lines()(self, width)
        return super().breakLines(width)

    def draw(self) -> None:
        if self.lk_mark is not None:
            marks, key = self.lk_mark
            marks.setdefault(key, self.canv.getPageNumber() - 1)
        super().draw()

    def drawPara(self, debug: int = 0) -> None:
        """Draw the lines (in visual order when needed), the first line's indent
        and the bullet mirrored in a right-to-left letter."""
        if self.lk_base is None and not self.lk_mirror:
            super().drawPara(debug)
            return
        with contextlib.ExitStack() as stack:
            offsets = self._mirrored_offsets() if self.lk_mirror else None
            if offsets:
                stack.enter_context(_rl.lines_shifted(self, offsets))
            logical = _rl.broken_lines(self) if self.lk_base is not None else None
            plans: list[textlayer.LinePlan | None] = []
            if logical is not None:
                base = self.lk_base or "R"
                font = _rl.run_font(logical) or self.style.fontName
                shown = [visual_line(line, base, plans, font) for line in logical.lines]
                stack.enter_context(_rl.lines_replaced(self, shown))
            self._lk_plans = plans
            try:
                super().drawPara(debug)
            finally:
                self._lk_plans = None
        self._draw_bullet()

    def _mirrored_offsets(self) -> list[float] | None:
        """How far each line moves right in a right-to-left letter: the first by
        the first-line indent (mirrored), and in justified text each line
        ReportLab leaves unjustified (the last, one before a forced break, a
        line of one word) by its slack, so that it ends at the right edge.
        None when no line moves."""
        first = -float(self.style.firstLineIndent)
        broken = _rl.broken_lines(self)
        if self.style.alignment != TA_JUSTIFY or broken is None:
            return [first, 0.0] if first else None
        lines = broken.lines
        offsets = []
        for n, line in enumerate(lines):
            slack, forced, words = _rl.line_slack(line)
            loose = n == len(lines) - 1 or forced or words <= 1
            offsets.append((first if n == 0 else 0.0) + (max(0.0, slack) if loose else 0.0))
        return [*offsets, 0.0] if any(offsets) else None

    def _draw_bullet(self) -> None:
        """The mirrored bullet, its top on the first line's, at the right."""
        bullet = self.lk_bullet
        if bullet is None:
            return
        _, height = bullet.wrap(self.width, self.height)
        bullet.drawOn(self.canv, 0, self.height - height)

    def beginText(self, x: float, y: float) -> Any:
        """The text object lines are drawn with: right-to-left lines are written
        in reading order (:mod:`.textlayer`), drawn as ReportLab draws them."""
        plans = self._lk_plans
        if plans and any(plans):
            return _rl.ReadingOrderText(self.canv, x, y, plans)
        return super().beginText(x, y)
