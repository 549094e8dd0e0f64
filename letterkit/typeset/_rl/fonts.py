"""ReportLab's TrueType subsetting → subsets made once per font program and
failures that name their font. Every reliance on ReportLab's private parts
says what it relies on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ... import memo


def on_subset_failure(font: Any, error: Callable[[Exception], Exception]) -> None:
    """Make a failure to embed a subset of *font* (a damaged glyph table that
    ReportLab reads only then) raise ``error(exc)``, an error that names the font.

    Relies on: ``TTFontFace.addSubsetObjects`` makes a subset's program by
    calling ``self.makeSubset(subset)`` on the font's ``face``.
    """
    face = font.face
    make = face.makeSubset

    def make_subset(subset: Any) -> bytes:
        try:
            data: bytes = make(subset)
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # TTFError, struct.error, IndexError… from damaged tables
            raise error(exc) from exc
        return data

    face.makeSubset = make_subset


def remember_subsets(font: Any) -> Any:
    """*font* (a TTFont of letterkit's own), making each distinct subset once:
    the letters of a bundle embed the same few subsets again and again (the
    bytes depend on the glyphs only).

    Relies on: ``TTFontFace.addSubsetObjects`` makes a subset's program by
    calling ``self.makeSubset(subset)`` on the font's ``face``. ReportLab
    gives a font name registered later for the same face (a host's own name
    for the same file) this very font object; subsets are made one at a time,
    as ``makeSubset`` reads the font file through a position it keeps.
    """
    face = font.face
    make = face.makeSubset
    made: dict[tuple[int, ...], bytes] = memo.table({})
    lock = threading.Lock()

    def make_subset(subset: Any) -> bytes:
        key = tuple(subset)
        with lock:
            data = made.get(key)
            return data if data is not None else memo.keep(made, key, make(subset), 32)

    face.makeSubset = make_subset
    return font
