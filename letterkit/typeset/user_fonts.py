"""A user's ``fonts:`` folder → registered ReportLab fonts, each named after its file.

Each ``.ttf`` file, ``.otf`` file with TrueType outlines, and font collection
(``.ttc``/``.otc``) of the folder becomes one :class:`~letterkit.typeset.fonts.UserFont`,
tried in the order of the file names. From a collection, the upright regular
face is taken (by its style name, else the first face with TrueType
outlines), and a bold face of the same family, when the collection has one,
draws the bold text. A font ReportLab cannot embed (CFF outlines, a web font,
a damaged file) is a :class:`~letterkit.typeset.fonts.FontError` naming the
file and what to use instead.
"""

from __future__ import annotations

import functools
import itertools
import struct
from pathlib import Path
from typing import Any

from .. import files
from ..validate import FONT_SUFFIXES, collection_faces, outline_problem
from . import _rl
from .fonts import FontError, UserFont, _map_family, _own, family_name, register

#: Style names of an upright regular face.
_REGULAR = {"regular", "book", "normal", "roman", "plain", "medium", ""}


@functools.cache
def register_folder(folder: Path) -> tuple[UserFont, ...]:
    """Register every font of *folder* (sorted by file name), after the bundled fonts.

    Each font must be a regular file inside the folder (a link leading out of
    it, a FIFO or a device is refused unopened) within the size cap for fonts,
    and all of them together within the cap for a fonts folder. Raises
    :class:`~letterkit.typeset.fonts.FontError` for a font that is not, or that
    ReportLab cannot embed.
    """
    register()
    found: list[UserFont] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise FontError(
            f"folder {folder.name}: cannot be read ({exc.strerror or exc})", "LK102"
        ) from exc
    fonts = [p for p in entries if p.suffix.lower() in FONT_SUFFIXES]
    too_large = files.fonts_folder_problem(fonts)
    if too_large:
        raise FontError(f"folder {folder.name}: {too_large}", "LK102")
    for path in fonts:
        try:
            data = files.read_bounded(path, "font", root=folder)
        except files.Refused as exc:
            raise FontError(f"{path.name}: {exc.reason}", "LK102") from exc
        problem = outline_problem(data)
        if problem:
            raise FontError(f"{path.name}: {problem}")
        found.append(_register(path, data))
    return tuple(found)


def _register(path: Path, data: bytes) -> UserFont:
    """One font file (a collection: its regular face, and its bold) → registered."""
    name = family_name(path)
    if data[:4] != b"ttcf":
        font = _own(_parse(name, path, data))
        _map_family(name, name, name, name, name)
        return UserFont(name, path, frozenset(font.face.charToGlyph))
    faces = [
        (index, _parse(f"{name}-{index}", path, data, index))
        for index, at in enumerate(collection_faces(data))
        if outline_problem(data[at : at + 4]) == ""
    ]
    index, regular = next(((i, f) for i, f in faces if _style(f) in _REGULAR), faces[0])
    bold = next(
        (f for _, f in faces if _style(f) == "bold" and _family(f) == _family(regular)), None
    )
    _own(regular)
    coverage = set(regular.face.charToGlyph)
    if bold is not None:
        _own(bold)
        coverage &= set(bold.face.charToGlyph)  # a bold run must draw what a regular one does
    heavy = bold.fontName if bold is not None else regular.fontName
    _map_family(regular.fontName, regular.fontName, heavy, regular.fontName, heavy)
    return UserFont(regular.fontName, path, frozenset(coverage), index)


def _style(font: Any) -> str:
    return _text(font.face.styleName).strip().lower()


def _family(font: Any) -> str:
    return _text(font.face.familyName).strip().lower()


def _text(name: Any) -> str:
    """A name of ReportLab's (bytes that may carry their text as ``ustr``) → text."""
    text = getattr(name, "ustr", name)
    return text.decode("latin-1") if isinstance(text, bytes) else str(text)


def _parse(family: str, path: Path, data: bytes, index: int = 0) -> Any:
    """A font file's bytes → a ReportLab TTFont (face *index* of a collection);
    :class:`FontError` naming the file when they are not a TrueType font
    ReportLab can embed (truncated, damaged)."""
    offset = collection_faces(data)[index] if data[:4] == b"ttcf" else 0
    try:
        font = _rl.load_font(family, data, index=index)
        damage = glyph_index_problem(data, offset)
    except Exception as exc:  # a damaged font fails in many ways (TTFError, struct.error…)
        raise _unusable(path, exc) from exc
    if damage:
        raise FontError(
            f"{path.name}: not a usable TrueType font ({damage}); use an undamaged .ttf file"
        )
    _rl.on_subset_failure(font, lambda exc: _unusable(path, exc))
    return font


def _unusable(path: Path, exc: Exception) -> FontError:
    reason = " ".join(str(exc).split())[:120] or type(exc).__name__
    return FontError(
        f"{path.name}: not a usable TrueType font ({reason}); use an undamaged .ttf file"
    )


def glyph_index_problem(data: bytes, offset: int = 0) -> str | None:
    """What is wrong with the glyph index (``loca``) of the TrueType font whose
    table directory starts at *offset* of *data*, which ReportLab reads only
    when it embeds a subset: each glyph must start where the one before it
    ends or later, and the last end within the ``glyf`` table. None when it is
    sound or the font has no ``loca`` (a :class:`struct.error` when the tables
    it names lie past the end of *data*)."""
    count = struct.unpack_from(">H", data, offset + 4)[0]
    tables: dict[bytes, tuple[int, int]] = {}
    for i in range(count):
        tag, _sum, start, length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        tables[tag] = (start, length)
    if not {b"loca", b"glyf", b"head", b"maxp"} <= tables.keys():
        return None
    long_offsets = struct.unpack_from(">h", data, tables[b"head"][0] + 50)[0]
    glyphs = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)[0]
    start = tables[b"loca"][0]
    if long_offsets:
        ends = struct.unpack_from(f">{glyphs + 1}I", data, start)
    else:
        ends = tuple(2 * e for e in struct.unpack_from(f">{glyphs + 1}H", data, start))
    if any(a > b for a, b in itertools.pairwise(ends)):
        return "its glyph index 'loca' is damaged: glyphs overlap"
    if ends[-1] > tables[b"glyf"][1]:
        return "its glyph index 'loca' points past the glyph table 'glyf'"
    return None
