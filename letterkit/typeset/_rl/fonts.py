"""ReportLab's TrueType subsetting → subsets made once per font program and
failures that name their font. Every reliance on ReportLab's private parts
says what it relies on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ... import memo
from .. import sfnt


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
    """*font* (a TTFont of letterkit's own), making each distinct subset once
    and without what a viewer does not use (:func:`letterkit.typeset.sfnt.slim`):
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
            if data is None:
                data = memo.keep(made, key, sfnt.slim(make(subset)), 32)
            return data

    face.makeSubset = make_subset
    return font


#: The attribute that marks a PDFDocument of letterkit's own canvases.
_MARK = "lk_keeps_ties"


def keep_ties_in(doc: Any) -> None:
    """Have the fonts of :func:`keep_no_break_spaces` write U+00A0 with its own
    code in *doc* (a PDFDocument of letterkit's own)."""
    setattr(doc, _MARK, True)


#: Noncharacters (never interchanged as text), one of which stands for U+00A0
#: between a font's ``splitString`` and its ``addObjects``.
_STAND_INS = range(0xFDD0, 0xFDF0)


def keep_no_break_spaces(font: Any) -> Any:
    """*font* (a TTFont of letterkit's own), writing U+00A0 with a code of its
    own in each subset, drawn with the space's glyph and width, so that its
    ToUnicode map (and so text copied from the PDF) says U+00A0. ReportLab
    writes it as the space's code: a text layer of plain spaces. Only the
    documents of letterkit's canvases (marked by :func:`keep_ties_in`) are
    written so: a host that registers the same face gets this font object
    from ReportLab, and its own documents stay as ReportLab writes them. A
    font without a space is left as it is.

    Relies on: ``TTFont.splitString(text, doc)`` turns U+00A0 into U+0020,
    gives each other character of ``face.charToGlyph`` a code of the subset
    it grows, and records each subset as a list of code points in
    ``font.state[doc].subsets``; ``TTFont.addObjects(doc)`` writes each
    subset's glyphs (``face.charToGlyph``), widths (``face.getCharWidth``)
    and ToUnicode map from those lists, and on loading ReportLab gives
    U+00A0 the space's glyph and width in ``charToGlyph`` and ``charWidths``.
    """
    face = font.face
    glyphs = face.charToGlyph
    if 0x20 not in glyphs or 0xA0 not in glyphs:
        return font
    code = next((c for c in _STAND_INS if c not in glyphs), None)
    if code is None:
        return font
    glyphs[code] = glyphs[0x20]
    face.charWidths[code] = face.charWidths[0x20]
    stand_in = chr(code)
    split = font.splitString
    add = font.addObjects

    def split_string(text: Any, doc: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(text, str) and "\u00a0" in text and getattr(doc, _MARK, False):
            text = text.replace("\u00a0", stand_in)
        return split(text, doc, *args, **kwargs)

    def add_objects(doc: Any) -> None:
        state = font.state.get(doc)
        if state is not None:
            for subset in state.subsets:
                if code in subset:
                    subset[subset.index(code)] = 0xA0
        add(doc)

    font.splitString = split_string
    font.addObjects = add_objects
    return font
