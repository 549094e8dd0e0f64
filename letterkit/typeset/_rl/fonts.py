"""ReportLab's TrueType fonts → fonts parsed once per font program (their
tables kept in the cache), subsets made once per font program and failures
that name their font. Every reliance on ReportLab's private parts says what
it relies on."""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from ... import cache, memo
from .. import sfnt

#: A face's attributes that are not plain data: the font file's bytes (read
#: again), its name strings (bytes that carry their text) and its scale function.
_DATA, _SCALE = "_ttf_data", "_pdfScale"
#: A TTFont's attributes made afresh for each font object.
_FRESH = ("fontName", "face", "encoding", "state")


def load_font(
    name: str,
    data: bytes,
    filename: str | None = None,
    index: int = 0,
    identity: Sequence[object] = (),
) -> Any:
    """A TrueType font file's bytes → a ReportLab ``TTFont`` named *name* (face
    *index* of a collection), as ``TTFont(name, file)`` makes it, its parsed
    tables taken from the cache when it holds them for these very bytes.
    *filename* is the path ReportLab records (None: read from memory).
    *identity* stands for the bytes in the cache's key (the path, size and
    modification time of a file letterkit installs); by default, their sha256.

    Relies on: a ``TTFontFace`` is its ``__dict__`` of plain data (tables,
    metrics, cmap), its name strings (``TTFNameBytes``: bytes with ``ustr``),
    the file's bytes in ``_ttf_data`` and a scale function ``_pdfScale`` that
    multiplies by ``1000 / unitsPerEm`` (the identity at 1000); a ``TTFont`` is
    ``fontName``, ``face``, a ``TTEncoding``, a ``WeakKeyDictionary`` ``state``
    and settings of plain data (``_asciiReadable``, ``_shapable``).
    """
    from reportlab import Version, rl_config
    from reportlab.pdfbase.ttfonts import TTFont

    def parse() -> Any:
        source = io.BytesIO(data)
        if filename is not None:
            source.name = filename
        return TTFont(name, source, subfontIndex=index)

    ident = list(identity) or [hashlib.sha256(data).hexdigest()]
    key = ["ttf", Version, *ident, len(data), index, name, rl_config.ttfAsciiReadable]
    return cache.cached(
        "ttf", key, parse, _font_entry, lambda e: _font(e, name, data, filename), keep=256
    )


def _plain(value: object) -> bool:
    """Whether *value* is marshal data of exactly the built-in types (no subclass
    that marshal would turn into its base silently)."""
    kind = type(value)
    if kind in (int, float, str, bytes, bool, type(None)):
        return True
    if kind in (list, tuple):
        return all(_plain(v) for v in value)  # type: ignore[attr-defined]
    if kind is dict:
        return all(_plain(k) and _plain(v) for k, v in value.items())  # type: ignore[attr-defined]
    return False


def _font_entry(font: Any) -> object:
    """A freshly parsed TTFont → its cache entry (raises when it holds anything
    but plain data, names and the known attributes: it is then not kept)."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    face: dict[str, object] = {}
    names: dict[str, str] = {}
    for attr, value in vars(font.face).items():
        if attr in (_DATA, _SCALE, "filename"):
            continue
        if type(value) is TTFNameBytes:
            face[attr], names[attr] = bytes(value), value.ustr
        elif _plain(value):
            face[attr] = value
        else:
            raise TypeError(f"a font face's {attr} is not plain data")
    settings = {k: v for k, v in vars(font).items() if k not in _FRESH}
    if not _plain(settings) or not isinstance(face.get("unitsPerEm"), int):
        raise TypeError("a font's settings are not plain data")
    # ReportLab before 4.2.3 or so keeps no scale function on the face
    scaled = _SCALE in vars(font.face)
    return {"face": face, "names": names, "font": settings, "scaled": scaled}


def _font(entry: object, name: str, data: bytes, filename: str | None) -> Any:
    """A cache entry of :func:`_font_entry` → the TTFont it was made from."""
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

    if not isinstance(entry, dict):
        raise TypeError("not a font entry")
    state = dict(entry["face"])
    for attr, text in entry["names"].items():
        named = bytes.__new__(TTFNameBytes, state[attr])
        named.ustr = text
        state[attr] = named
    units = state["unitsPerEm"]
    scale = 1000 / units
    if entry.get("scaled", True):
        state[_SCALE] = (lambda x: x) if units == 1000 else (lambda x: x * scale)
    state[_DATA] = data
    state["filename"] = filename if filename is not None else "(ttf)"
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    font = TTFont.__new__(TTFont)
    font.__dict__.update(entry["font"])
    font.fontName, font.face = name, face
    font.encoding, font.state = TTEncoding(), WeakKeyDictionary()
    return font


def on_subset_failure(font: Any, error: Callable[[Exception], Exception]) -> None:
    """Make a failure to embed a subset of *font* (a damaged glyph table that
    ReportLab reads only then) raise ``error(exc)``, an error that names the font.

    Relies on: ``TTFontFace.addSubsetObjects(doc, name, subset)`` makes a
    subset's program by calling ``self.makeSubset(subset)`` on the font's
    ``face``, in the same thread; only documents of letterkit's canvases
    (marked by :func:`keep_ties_in`) get the slimmed program.
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
    make, add = face.makeSubset, face.addSubsetObjects
    made: dict[tuple[bool, tuple[int, ...]], bytes] = memo.table({})
    lock = threading.Lock()
    # Whether the subset being made is for a document of letterkit's: a host's
    # document drawing with this very font object gets ReportLab's own bytes.
    ours = threading.local()

    def add_subset_objects(doc: Any, fontname: str, subset: Any) -> Any:
        ours.doc = bool(getattr(doc, _MARK, False))
        try:
            return add(doc, fontname, subset)
        finally:
            ours.doc = False

    def make_subset(subset: Any) -> bytes:
        slim = getattr(ours, "doc", False)
        key = (slim, tuple(subset))
        with lock:
            data = made.get(key)
            if data is None:
                program = make(subset)
                data = memo.keep(made, key, sfnt.slim(program) if slim else program, 32)
            return data

    face.makeSubset = make_subset
    face.addSubsetObjects = add_subset_objects
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


class FontState(NamedTuple):
    """The codes a document gave one font's characters, as the font's state
    holds them before its objects are written."""

    #: The font's PostScript name (its subsets' ``/BaseFont`` after the tag).
    face: bytes
    #: Each character's code.
    assignments: dict[int, int]
    #: The characters of each subset, by code.
    subsets: tuple[tuple[int, ...], ...]
    #: The code the next new character gets.
    next_code: int


#: The fonts' states of one document, by the name the font is registered under.
FontStates = dict[str, FontState]

#: The attribute of a PDFDocument where :func:`record_states` puts its fonts' states.
_STATES = "lk_font_states"


def record_states(font: Any) -> Any:
    """*font* (a TTFont of letterkit's own), recording in each document that
    asks for it (:class:`StatesCanvas`) the codes the document gave its
    characters, as they are when the font's objects are written.

    Relies on: ``TTFont.addObjects(doc)`` writes the font's subsets from
    ``font.state[doc]``, a ``TTFont.State`` whose ``assignments`` map each
    character to its code, whose ``subsets`` list the characters of each
    subset by code and whose ``nextCode`` is the code the next new character
    gets (``splitString`` grows them); ``addObjects`` deletes the state.
    """
    add = font.addObjects

    def add_objects(doc: Any) -> None:
        states = getattr(doc, _STATES, None)
        state = font.state.get(doc)
        if states is not None and state is not None:
            face = font.face.name + font.face.subfontNameX
            subsets = tuple(tuple(s) for s in state.subsets)
            states[font.fontName] = FontState(
                face, dict(state.assignments), subsets, state.nextCode
            )
        add(doc)

    font.addObjects = add_objects
    return font


def seed_states(doc: Any, states: FontStates) -> None:
    """Give each font of *states* in *doc* (a PDFDocument about to be drawn)
    the codes another document gave its characters: the same character gets
    the same code, a new one the next code after them.

    Relies on: ``TTFont.state`` maps a document to its ``TTFont.State``
    (made by ``TTFont.State(asciiReadable, font)``), which ``splitString``
    takes as it finds it; its fields are as :func:`record_states` says.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, known in sorted(states.items()):
        font = pdfmetrics.getFont(name)
        state = TTFont.State(font._asciiReadable, font)
        state.assignments = dict(known.assignments)
        state.subsets = [list(s) for s in known.subsets]
        state.nextCode = known.next_code
        font.state[doc] = state


def within(part: FontState, whole: FontState) -> bool:
    """Whether every character of *part* has the code *whole* gives it: then
    each subset of *part* draws what *whole*'s subset of that number draws."""
    theirs = whole.assignments
    return part.face == whole.face and all(
        theirs.get(char) == code for char, code in part.assignments.items()
    )


def agree(own: FontStates, shared: FontStates) -> bool:
    """Whether *own*'s codes are all *shared*'s, in the fonts both use."""
    return all(name not in shared or within(state, shared[name]) for name, state in own.items())


class StatesCanvas:
    """Makes canvases with *maker*, whose documents start from the codes
    *seed* gives (:func:`seed_states`), and keeps the codes each document
    ended with in :attr:`states` (:func:`record_states`).

    Relies on: a canvas's PDFDocument is its ``_doc``, made by its ``__init__``.
    """

    def __init__(self, maker: Callable[..., Any], seed: FontStates | None = None) -> None:
        self.maker = maker
        self.seed = seed
        self.states: FontStates = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        canvas = self.maker(*args, **kwargs)
        doc = canvas._doc
        if self.seed:
            seed_states(doc, self.seed)
        setattr(doc, _STATES, self.states)
        return canvas
