"""What a tagged layout draws → marked content in its pages (the switch and the hooks).

A tagged layout puts a :class:`~.marker.Marker` on its canvas
(``canvas.lk_marker``; an untagged canvas has none and draws exactly as
before). The drawing code tells it what it draws: a paragraph
(:func:`draw_paragraph`, from :class:`~letterkit.typeset.bidi.LKParagraph`),
a picture (:func:`figure`), a table's cells (:func:`table`), where it draws
(:func:`within`: a footnote, a signatory's entry, an artifact). What the page
draws outside all of them (rules, running heads, "Page X of Y", repeated
table heads) becomes an artifact when the page is finished
(:func:`finish_page`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from typing import Any

from babel import Locale

from ._rl import marking as code
from ._rl.marking import latin_only
from .marker import Marker, Within, origin

#: What is drawn as an artifact.
ARTIFACT = Within("artifact")


@functools.lru_cache(maxsize=64)
def _latin_locale(locale: str) -> bool:
    """Whether the language of *locale* is written in Latin script (by its own name)."""
    try:
        name = Locale.parse(locale.replace("-", "_")).display_name or ""
    except (ValueError, TypeError):
        return True
    return latin_only(name)


def for_letter(locale: str, subject: bool, body: Sequence[Any]) -> Marker:
    """A marker for a letter in *locale* whose body draws *body* (its headings
    take the levels below the subject, when it has one: H1)."""
    used = {str(getattr(getattr(f, "style", None), "name", "")).split("-")[0] for f in body}
    first = 2 if subject else 1
    order = [name for name in ("heading1", "heading", "heading3") if name in used]
    levels: dict[str, str] = {name: f"H{min(first + n, 6)}" for n, name in enumerate(order)}
    levels["section"] = f"H{first}"
    foreign = None if _latin_locale(locale) else "en"
    return Marker(levels, foreign, f"{locale}-")


def marker_of(canvas: Any) -> Marker | None:
    """The marker of a tagged layout's canvas; None when untagged."""
    return getattr(canvas, "lk_marker", None)


@contextlib.contextmanager
def within(canvas: Any, where: Within) -> Iterator[None]:
    """What is drawn inside is of *where* (no-op on an untagged canvas)."""
    marker = marker_of(canvas)
    if marker is None:
        yield
        return
    marker.context.append(where)
    try:
        yield
    finally:
        marker.context.pop()


def draw_paragraph(para: Any, canvas: Any, x: float, y: float, _sW: float, draw: Any) -> None:
    """Draw *para* with *draw* as one marked-content sequence."""
    marker = marker_of(canvas)
    if marker is None or marker.busy:
        draw(canvas, x, y, _sW=_sW)
        return
    start, links = code.position(canvas), code.annotation_count(canvas)
    marker.busy = True
    try:
        draw(canvas, x, y, _sW=_sW)
    finally:
        marker.busy = False
    marker.paragraph(canvas, start, links, para)


@contextlib.contextmanager
def figure(canvas: Any, alt: str) -> Iterator[None]:
    """What is drawn inside is a picture with the alternative text *alt*."""
    marker = marker_of(canvas)
    if marker is None or marker.busy:
        yield
        return
    start = code.position(canvas)
    marker.busy = True
    try:
        yield
    finally:
        marker.busy = False
    marker.figure(canvas, start, alt or "")


def table(canvas: Any, table: Any) -> None:
    """*table*'s cells are about to be drawn (no-op on an untagged canvas)."""
    marker = marker_of(canvas)
    if marker is not None:
        marker.table(table)


def finish_page(canvas: Any) -> None:
    """Wrap what the page draws outside any marked content as artifacts."""
    if marker_of(canvas) is not None:
        code.artifacts(canvas)


__all__ = [
    "ARTIFACT",
    "Marker",
    "Within",
    "draw_paragraph",
    "figure",
    "finish_page",
    "for_letter",
    "marker_of",
    "origin",
    "table",
    "within",
]
