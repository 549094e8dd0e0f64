"""letterkit's reliance on ReportLab's private parts, all of it, in one package.

ReportLab offers no public way to do a few things the letters need: resume a
frame where another document left it, keep a page back until the page count
is known, undo the marks a build leaves on shared flowables, break long URLs
after any slash, reorder a paragraph's laid-out lines for right-to-left text
and write their text in reading order. Each such reliance is in this
package, with a comment saying what it relies on, in one of five modules:
:mod:`.canvas` (the canvases that write the PDF), :mod:`.layout` (frames,
documents and paragraphs), :mod:`.fonts` (parsed fonts, subsets), :mod:`.textlayer`
(text objects and ToUnicode maps) and :mod:`.marking` (a page's code wrapped
in marked content, for tagged letters). The rest of letterkit calls the small functions named here, and
nothing outside this folder touches ReportLab's private parts.
``tests/unit/test_rl_contract.py`` checks every reliance against the
installed ReportLab and names the attribute when a new version changes it.

Nothing here changes ReportLab for anyone else in the process: no function
or setting of ReportLab's modules is replaced, even for a moment. What
letterkit does differently applies to its own objects only: its canvases and
their documents (:class:`FastCanvas`, :class:`LKCanvas`), its fonts
(:func:`remember_subsets`, :func:`map_forms_to_letters`, :func:`draw_stand_ins`,
:func:`keep_no_break_spaces`, :func:`record_states`), its paragraphs
(:func:`slash_break_lines`) and their text objects (:class:`ReadingOrderText`).
"""

from __future__ import annotations

from reportlab import Version

from .canvas import FastCanvas, HeldPagesCanvas, LKCanvas
from .fonts import (
    FontState,
    FontStates,
    StatesCanvas,
    agree,
    keep_no_break_spaces,
    keep_ties_in,
    load_font,
    on_subset_failure,
    record_states,
    remember_subsets,
    seed_states,
    within,
)
from .layout import (
    _BREAK_CHAIN,
    _FRAME_BOX,
    _FRAME_STATE,
    at_top,
    broken_lines,
    edits_undone,
    forget_lines,
    frame_box,
    frame_height,
    frame_room,
    frame_state,
    is_hanging,
    lift_frame,
    line_runs,
    line_slack,
    line_with_runs,
    lines_replaced,
    lines_shifted,
    raise_frame_floor,
    raised_link_targets,
    reset_frame_floor,
    resume_frame,
    run_font,
    run_text,
    run_with_text,
    slash_break_lines,
    uri_split_pairs,
)
from .textlayer import ReadingOrderText, draw_stand_ins, draws, map_forms_to_letters

#: The installed ReportLab's version (the contract test names it when it fails).
VERSION: str = Version

__all__ = [
    "VERSION",
    "_BREAK_CHAIN",
    "_FRAME_BOX",
    "_FRAME_STATE",
    "FastCanvas",
    "FontState",
    "FontStates",
    "HeldPagesCanvas",
    "LKCanvas",
    "ReadingOrderText",
    "StatesCanvas",
    "agree",
    "at_top",
    "broken_lines",
    "draw_stand_ins",
    "draws",
    "edits_undone",
    "forget_lines",
    "frame_box",
    "frame_height",
    "frame_room",
    "frame_state",
    "is_hanging",
    "keep_no_break_spaces",
    "keep_ties_in",
    "lift_frame",
    "line_runs",
    "line_slack",
    "line_with_runs",
    "lines_replaced",
    "lines_shifted",
    "load_font",
    "map_forms_to_letters",
    "on_subset_failure",
    "raise_frame_floor",
    "raised_link_targets",
    "record_states",
    "remember_subsets",
    "reset_frame_floor",
    "resume_frame",
    "run_font",
    "run_text",
    "run_with_text",
    "seed_states",
    "slash_break_lines",
    "uri_split_pairs",
    "within",
]
