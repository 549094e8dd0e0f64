"""Frames, documents and paragraphs as laid out by ReportLab → what letterkit
reads and sets of them: a frame's cursor and floor, the undo records of a
build, a paragraph's broken lines and their runs, and line breaks after a
slash. Every reliance on ReportLab's private parts says what it relies on."""

from __future__ import annotations

import copy
import types
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.frames import Frame

#: Relies on: these attributes hold all a Frame knows of what was put in it:
#: the cursor (``_y``), the floor (``_y1p``), the space after the last
#: flowable, whether nothing was put in yet, and indents of enclosing flowables.
_FRAME_STATE = ("_y", "_y1p", "_prevASpace", "_atTop", "_leftExtraIndent", "_rightExtraIndent")
#: Relies on: a Frame's box is ``_x1``, ``_y1``, ``_width``, ``_height``.
_FRAME_BOX = ("_x1", "_y1", "_width", "_height")


def frame_state(frame: Frame) -> dict[str, float]:
    """Where a frame stands: what :func:`resume_frame` needs to continue there."""
    return {name: getattr(frame, name) for name in _FRAME_STATE}


def frame_box(frame: Frame) -> tuple[float, float, float, float]:
    """A frame's box: x, y, width, height."""
    x, y, width, height = (getattr(frame, name) for name in _FRAME_BOX)
    return x, y, width, height


def resume_frame(frame: Frame, state: dict[str, float]) -> None:
    """Put a fresh frame where :func:`frame_state` found another one."""
    for name in _FRAME_STATE:
        setattr(frame, name, state[name])


def frame_room(frame: Frame) -> float:
    """Height left in a frame, between its cursor and its floor."""
    return float(frame._y - frame._y1p)


def reset_frame_floor(frame: Frame) -> None:
    """Put a frame's floor back at its bottom edge (relies on ``_y1p`` being the
    floor and ``_y1 + _bottomPadding`` its place in a new frame)."""
    frame._y1p = frame._y1 + frame._bottomPadding


def raise_frame_floor(frame: Frame, by: float) -> None:
    """Keep *by* points at a frame's foot: nothing more is put there."""
    frame._y1p += by


def lift_frame(frame: Frame, by: float) -> None:
    """Move a frame's cursor and floor up: room taken below the last flowable is
    given back there and kept at the foot instead."""
    frame._y += by
    frame._y1p += by


def at_top(flowable: Any) -> bool:
    """Whether the frame a flowable is being split in holds nothing yet.

    Relies on: ``Frame.add``/``split`` set ``flowable._frame`` to the frame, and
    ``Frame._atTop`` is true until something is put in it.
    """
    return bool(getattr(getattr(flowable, "_frame", None), "_atTop", False))


def frame_height(flowable: Any) -> float | None:
    """The height of the frame a flowable is being laid out in (None outside one).

    Relies on: ``Frame.add``/``split`` set ``flowable._frame`` to the frame.
    """
    frame = getattr(flowable, "_frame", None)
    return None if frame is None else float(frame_box(frame)[3])


def is_hanging(doc: Any, flowables: list[Any]) -> bool:
    """Whether *flowables* is a document's own list of page-top flowables
    (``BaseDocTemplate._hanging``), not the story."""
    return flowables is doc._hanging


@contextmanager
def edits_undone(doc: Any) -> Iterator[None]:
    """Within the block, a build's changes to the flowables are undone after it.

    Relies on: while ``BaseDocTemplate._multiBuildEdits`` is set,
    ``handle_keepWithNext`` and ``handle_flowable`` call it with
    ``(function, *args)`` that undo each change they make to a flowable
    (a cleared ``keepWithNext``, a ``_postponed`` mark), as ``multiBuild`` does.
    """
    edits: list[tuple[Any, weakref.ref[Any], tuple[Any, ...]]] = []

    def record(edit: tuple[Any, ...]) -> None:
        # The flowable is held weakly: one gone by the end (the rest of a split,
        # once drawn) needs no undoing, and holding each would keep every page's
        # remainder of a long signatory list alive until the build ends.
        undo, flowable, *args = edit
        edits.append((undo, weakref.ref(flowable), tuple(args)))

    doc._multiBuildEdits = record
    try:
        yield
    finally:
        del doc._multiBuildEdits
        for undo, ref, args in reversed(edits):
            flowable = ref()
            # A "postponed" mark may be gone already (the flowable was drawn).
            if flowable is not None:
                with suppress(AttributeError):
                    undo(flowable, *args)


def broken_lines(paragraph: Any) -> Any | None:
    """A wrapped paragraph's lines (ReportLab's ``blPara``), or None before wrap.

    Relies on: ``wrap`` sets ``blPara``; its ``kind`` is 0 (``lines`` are
    ``(extra space, [words])``) or 1 (``lines`` have ``words``: style runs, each
    with ``text``, ``rise``, ``link`` and ``clone(**changes)``).
    """
    return paragraph.__dict__.get("blPara")


def forget_lines(paragraph: Any) -> None:
    """Drop a wrapped paragraph's lines (``blPara``); its next ``wrap`` breaks it again."""
    paragraph.__dict__.pop("blPara", None)


@contextmanager
def lines_replaced(paragraph: Any, lines: list[Any]) -> Iterator[None]:
    """Within the block, the paragraph draws *lines* instead of its own."""
    own = paragraph.blPara
    shown = copy.copy(own)
    shown.lines = lines
    paragraph.blPara = shown
    try:
        yield
    finally:
        paragraph.blPara = own


@contextmanager
def lines_shifted(paragraph: Any, offsets: list[float]) -> Iterator[None]:
    """Within the block, the paragraph draws each line the *offsets* (one a line,
    the last for the lines after) to the right (ReportLab's ``_offsets``, which
    its text-around-an-image layout sets; drawing reads it, wrapping does not)."""
    own = paragraph.__dict__.get("_offsets")
    paragraph._offsets = list(offsets)
    try:
        yield
    finally:
        if own is None:
            del paragraph._offsets
        else:
            paragraph._offsets = own


def line_slack(line: Any) -> tuple[float, bool, int]:
    """A laid-out line's room left over, whether it ends at a forced break, and
    its number of words."""
    if isinstance(line, tuple):
        return float(line[0]), False, len(line[1])
    forced = bool(getattr(line, "lineBreak", False))
    return float(line.extraSpace), forced, int(getattr(line, "wordCount", 1))


def line_runs(line: Any) -> list[Any]:
    """The style runs of a line of a ``kind`` 1 paragraph."""
    return list(getattr(line, "words", ()))


def line_with_runs(line: Any, runs: list[Any]) -> Any:
    """A copy of a ``kind`` 1 line holding *runs*."""
    new = copy.copy(line)
    new.words = runs
    return new


def run_text(run: Any) -> str:
    """The text of a style run ("" for an anchor or an image)."""
    return str(getattr(run, "text", ""))


def run_font(run: Any) -> str:
    """The name of the font a style run, or a ``kind`` 0 paragraph's lines
    (``blPara``), are drawn with ("" when not known).

    Relies on: both carry it as ``fontName``.
    """
    return str(getattr(run, "fontName", "") or "")


def run_with_text(run: Any, text: str) -> Any:
    """A style run like *run* holding *text*."""
    return run.clone(text=text)


def raised_link_targets(paragraph: Any) -> Iterator[str]:
    """The link targets of a wrapped paragraph's raised runs (note references),
    in reading order."""
    lines = broken_lines(paragraph)
    if lines is None or getattr(lines, "kind", 0) != 1:
        return
    for line in lines.lines:
        for run in line_runs(line):
            if not getattr(run, "rise", 0):
                continue
            # Relies on: a run's ``link`` lists its links, each a tuple whose
            # second item is the target, or an object with ``link``.
            for link in getattr(run, "link", None) or ():
                yield str(link[1] if isinstance(link, tuple) else getattr(link, "link", ""))


#: Relies on: ``Paragraph.breakLines`` finds where a word too long for its line
#: may break through these module functions, in this order, and
#: ``_uri_split_pairs(word)`` gives the (head, tail) pairs to try, or None.
_BREAK_CHAIN = ("_hyGenPair", "_hyGenFragsPair", "_hyphenateWord", "_hyphenateFragWord")

#: The break pairs ReportLab itself gives a word (for what letterkit leaves to it).
uri_split_pairs: Callable[[str], list[tuple[str, str]] | None] = _paragraph._uri_split_pairs


def slash_break_lines(
    split_pairs: Callable[[Any], list[tuple[str, str]] | None],
) -> Callable[[Any, Any], Any]:
    """``Paragraph.breakLines`` that takes a word's break pairs from *split_pairs*.

    ReportLab's own functions, run in a copy of their module's namespace in
    which ``_uri_split_pairs`` is *split_pairs*: the module itself is never
    changed, so other paragraphs (and other threads) are not affected.
    """
    space = dict(vars(_paragraph))
    space["_uri_split_pairs"] = split_pairs
    for name in _BREAK_CHAIN:
        space[name] = _rebound(space[name], space)
    break_lines: Callable[[Any, Any], Any] = _rebound(_paragraph.Paragraph.breakLines, space)
    return break_lines


def _rebound(function: Any, space: dict[str, Any]) -> Any:
    """*function*, looking its global names up in *space*."""
    new = types.FunctionType(
        function.__code__, space, function.__name__, function.__defaults__, function.__closure__
    )
    new.__kwdefaults__ = function.__kwdefaults__
    new.__qualname__ = function.__qualname__
    new.__doc__ = function.__doc__
    return new
