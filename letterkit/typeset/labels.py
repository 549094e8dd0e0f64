"""Labels before text (a list's bullet or number, a note's number, a numbered
signatory's number): the label at its text's size, labels' right edges on one
line, and the text after them at one left edge."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth


def label_gap(style: ParagraphStyle) -> float:
    """The space between a label (a list's number or bullet, a note's number) and
    its text: a little more than the 0.6 of the label's size that ReportLab keeps
    after it, else ReportLab moves the first line's text to the right."""
    return 0.6 * float(style.bulletFontSize) + 0.25


def labelled(style: ParagraphStyle, widest: float = 0.0, start: float = 0.0) -> ParagraphStyle:
    """*style* for text after labels: each label at the text's size, its right
    edge on one line, and the text (every line of it) at one left edge after
    it. The text starts *start* + the style's ``leftIndent`` in, or further
    when the *widest* label needs the room."""
    return _labelled(style, round(widest, 2), round(start, 2))


@functools.lru_cache(maxsize=128)
def _labelled(style: ParagraphStyle, widest: float, start: float) -> ParagraphStyle:
    gap = label_gap(style)
    edge = start + max(float(style.leftIndent), widest + gap)
    if edge == style.leftIndent and style.bulletIndent == edge - gap:
        return style
    return style.clone(
        style.name if not (widest or start) else f"{style.name}-{edge:g}",
        leftIndent=edge,
        bulletIndent=edge - gap,
        bulletAnchor="end",
        bulletFontSize=style.fontSize,
    )


@functools.lru_cache(maxsize=256)
def label_start(style: ParagraphStyle, width: float) -> ParagraphStyle:
    """*style*, whose labels end at ``bulletIndent``, for a label *width* wide: the
    same label drawn from where it starts. ReportLab shortens a paragraph's
    first line as if every label started at ``bulletIndent``, whatever its
    anchor, so a label that ends there would cost its first line the label's width."""
    return style.clone(
        f"{style.name}-{width:g}", bulletIndent=style.bulletIndent - width, bulletAnchor="start"
    )


def label_width(labels: Iterable[str], style: ParagraphStyle) -> float:
    """The width of the widest of *labels* in *style*'s label font."""
    return max((stringWidth(t, style.bulletFontName, style.bulletFontSize) for t in labels),
               default=0.0)  # fmt: skip


def room_for_bullet(style: ParagraphStyle, width: float) -> ParagraphStyle:
    """*style*, its first line starting after a right-to-left bullet *width*
    wide that is wider than the hanging indent leaves (as ReportLab moves the
    first line of a left-to-right item with a wide bullet). A label that ends
    at ``bulletIndent`` left to right starts there right to left (see
    :meth:`~letterkit.typeset.styles.Styles._bullet`), and needs room only when wider than that indent."""
    if style.bulletAnchor == "end":
        needed = max(float(style.bulletIndent), width) + label_gap(style) - style.rightIndent
    else:
        needed = style.bulletIndent + width + 0.6 * style.fontSize - style.rightIndent
    if needed <= 1e-6:
        return style
    return style.clone(style.name + "-wide", firstLineIndent=style.firstLineIndent + needed)


def nested_rtl(bullet: ParagraphStyle, depth: int) -> ParagraphStyle:
    """A right-to-left list item's style *depth* lists deep: each list one
    indent further in from the right, its labels with it."""
    return bullet.clone(
        f"bullet{depth}-rtl",
        rightIndent=bullet.rightIndent * depth,
        bulletIndent=bullet.bulletIndent + bullet.rightIndent * (depth - 1),
    )
