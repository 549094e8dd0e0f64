"""Line breaks after "/" in long URLs and slash-joined titles.

ReportLab breaks a long URL once, after a slash, and then lets the rest run
past the margin or cuts it at an arbitrary letter; a title such as "High
Representative/Vice-President" it cuts anywhere too. Within
:func:`slash_breaks`, letterkit's paragraphs (:class:`~letterkit.typeset.bidi.LKParagraph`)
break such words after any slash (and, in long URL-like words, after ``_``,
``?``, ``&``, ``=`` or ``.``, and as a last resort between letters). Other
paragraphs, and other threads, never see the rule: ReportLab is not changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from . import _rl

_AFTER = "/_?&=."
#: Longer than this, a word is no ordinary word: it may be cut between letters
#: when it has no better break (no word of a language is this long; URL paths are).
_LONG = 40

_ACTIVE: ContextVar[bool] = ContextVar("letterkit_slash_breaks", default=False)


def _split_pairs(word: Any) -> list[tuple[str, str]] | None:
    """(head, tail) pairs in order of preference: after a slash in any word that
    has one, and after ``_ ? & = .`` in long URL-like words (never inside
    ``://``), longest head first; then, in words over 40 characters, between
    any two letters."""
    if not isinstance(word, str):
        return _rl.uri_split_pairs(word)
    long = len(word) > _LONG
    if "/" not in word.strip("/") and not long:
        return _rl.uri_split_pairs(word)
    scheme = word.find("://")
    skip = scheme + 3 if scheme >= 0 else 0
    cuts = range(max(skip, 1), len(word) - 1)
    good = [i for i in cuts if word[i] in _AFTER and word[i + 1] not in _AFTER]
    # The last resort never cuts right after a hyphen: ReportLab takes a head
    # ending in "-" for a hyphen of its own and drops it when it re-wraps.
    last = [i for i in cuts if word[i] != "-" and i not in good] if long else []
    return [(word[: i + 1], word[i + 1 :]) for i in [*good[::-1], *last[::-1]]] or None


@contextmanager
def slash_breaks() -> Iterator[None]:
    """Within the block (in this thread or task only), letterkit's paragraphs
    may break words after any slash."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active() -> bool:
    """Whether the calling code runs within :func:`slash_breaks`."""
    return _ACTIVE.get()


@functools.cache
def break_lines() -> Callable[[Any, Any], Any]:
    """ReportLab's line breaking of a paragraph, with the slash rule."""
    return _rl.slash_break_lines(_split_pairs)
