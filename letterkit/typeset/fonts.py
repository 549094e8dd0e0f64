"""Font families → registered ReportLab fonts, glyph coverage and per-run fallback.

ReportLab's font registry is global, so :func:`register` runs once per
process. A paragraph is set in the serif or sans family; runs of characters
those lack (Arabic, Hebrew, or whatever a user's ``fonts:`` folder covers) are
wrapped in ``<font name=…>`` by :func:`with_fallback`, so every character is
drawn by a font that has it. :func:`uncovered` tells which characters no font
can draw, so a missing glyph is an error instead of a silent box in the PDF.
The fonts of a user's ``fonts:`` folder are loaded by :mod:`.user_fonts`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import memo
from .._resources import fonts_dir
from ..errors import LetterkitError
from . import _rl, textlayer

SERIF = "LKSerif"
SANS = "LKSans"
ARABIC = "LKArabic"
HEBREW = "LKHebrew"

_FAMILIES = {SERIF: "NotoSerif", SANS: "NotoSans"}
_FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
#: Fallback families (regular and bold files; italics use the upright face).
_FALLBACKS = {ARABIC: "NotoNaskhArabic", HEBREW: "NotoSerifHebrew"}


class FontError(LetterkitError, ValueError):
    """A user font that cannot be used (named, with the reason): *code* is LK141
    for a font file, LK102 for a folder that cannot be read or is too large."""

    def __init__(self, message: str, code: str = "LK141") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UserFont:
    """One registered font of a ``fonts:`` folder."""

    family: str
    path: Path
    coverage: frozenset[int]
    #: The face of a collection (``.ttc``) it was taken from.
    index: int = 0


def _map_family(family: str, regular: str, bold: str, italic: str, bold_italic: str) -> None:
    from reportlab.lib.fonts import addMapping

    addMapping(family, 0, 0, regular)
    addMapping(family, 1, 0, bold)
    addMapping(family, 0, 1, italic)
    addMapping(family, 1, 1, bold_italic)


def _own(font: Any) -> Any:
    """Register *font* and return the font object its name now stands for, as
    letterkit embeds it: each subset made once, Arabic presentation forms
    copied as the letters they show, brackets drawn mirrored in right-to-left
    text copied as the brackets the text has, and no-break spaces copied as
    no-break spaces. ReportLab gives a name whose face a host registered first that
    host's font object: that object is the one prepared (once), and what it
    does for letterkit's documents leaves the host's documents as they were."""
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFont(font)
    registered = pdfmetrics.getFont(font.fontName)
    if getattr(registered, _PREPARED, False):
        return registered
    registered = _rl.keep_no_break_spaces(_rl.remember_subsets(registered))
    mirrored = {stand_in: textlayer.MIRRORS[c] for c, stand_in in textlayer.MIRRORED.items()}
    registered = _rl.draw_stand_ins(registered, mirrored)
    registered = _rl.map_forms_to_letters(registered, textlayer.copied_as)
    # Outermost: the codes are recorded as drawn, before the others change them.
    registered = _rl.record_states(registered)
    setattr(registered, _PREPARED, True)
    return registered


#: Marks a font object :func:`_own` has prepared.
_PREPARED = "lk_prepared"


@functools.cache
def register() -> None:
    """Register the serif and sans families (four faces each) and the fallbacks
    (each parsed once per machine: :func:`~._rl.load_font`)."""
    folder = fonts_dir()
    for family, stem in _FAMILIES.items():
        for suffix, face in _FACES.items():
            _own(_bundled(family + suffix, folder / f"{stem}-{face}.ttf"))
        _map_family(family, family, family + "-Bold", family + "-Italic", family + "-BoldItalic")
    for family, stem in _FALLBACKS.items():
        for name, face in ((family, "Regular"), (family + "-Bold", "Bold")):
            _own(_bundled(name, folder / f"{stem}-{face}.ttf"))
        _map_family(family, family, family + "-Bold", family, family + "-Bold")


def _bundled(name: str, path: Path) -> Any:
    """A bundled font file → its ReportLab font, as ``TTFont(name, str(path))`` makes
    it. A file of letterkit's own changes only with a new install, which changes its
    size or modification time: those identify it in the cache, unhashed."""
    data = path.read_bytes()
    stat = path.stat()
    return _rl.load_font(name, data, str(path), identity=(str(path), stat.st_mtime_ns))


def _cmap(name: str) -> set[int]:
    from reportlab.pdfbase import pdfmetrics

    return set(pdfmetrics.getFont(name).face.charToGlyph)


@functools.cache
def _coverage() -> frozenset[int]:
    """Code points every face of both main families can draw."""
    register()
    common: set[int] | None = None
    for family in _FAMILIES:
        for suffix in _FACES:
            cmap = _cmap(family + suffix)
            common = cmap if common is None else common & cmap
    return frozenset(common or ())


@functools.cache
def _fallback_coverage() -> tuple[tuple[str, frozenset[int]], ...]:
    register()
    return tuple(
        (family, frozenset(_cmap(family) & _cmap(family + "-Bold"))) for family in _FALLBACKS
    )


def family_name(path: Path) -> str:
    """The name a user font is registered under: unique to its path, and safe in
    paragraph markup (``<font name="…">``) whatever its file is called.

    >>> family_name(Path('/f/Evil" onload="x.ttf'))[16:]
    'Evil__onload__x'
    """
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    return f"LKUser-{digest}-{re.sub(r'[^A-Za-z0-9_-]', '_', path.stem)[:40]}"


#: Characters that are layout controls, not glyphs.
_IGNORED = {
    0x0A, 0x0D, 0x09, 0x20, 0xA0, 0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF,
}  # fmt: skip


def font_for(char: str, extra: Sequence[UserFont] = ()) -> str | None:
    """The fallback family that draws *char*, ``""`` for the main families, or
    None when no font has it."""
    code = ord(char)
    if code in _coverage() or code in _IGNORED:
        return ""
    for family, coverage in _fallback_coverage():
        if code in coverage:
            return family
    for font in extra:
        if code in font.coverage:
            return font.family
    return None


def uncovered(text: Iterable[str], extra: Sequence[UserFont] = ()) -> list[str]:
    """The characters of *text* (in first-seen order) that no font can draw."""
    seen: dict[str, None] = {}
    fonts = tuple(extra)
    for chunk in text:
        if chunk.isascii() and chunk.isprintable() and _ascii_covered():
            continue
        for char in _missing(chunk, fonts):
            seen[char] = None
    return list(seen)


@functools.lru_cache(maxsize=1)
def _ascii_covered() -> bool:
    return all(font_for(chr(code)) == "" for code in range(0x20, 0x7F))


@memo.table
@functools.lru_cache(maxsize=4096)
def _missing(chunk: str, extra: tuple[UserFont, ...]) -> tuple[str, ...]:
    """The characters of one text that no font draws (remembered: the letters of
    a bundle check the same signatory names again and again)."""
    seen: dict[str, None] = {}
    for char in chunk:
        if char in seen:
            continue
        control = ord(char) < 0x20 and char not in "\n\r\t"
        if control or font_for(char, extra) is None:
            seen[char] = None
    return tuple(seen)


_MARKUP = re.compile(r"(<[^>]*>|&[#\w]+;)")
#: Tags that make what they hold bold or italic: (closing?, tag name).
_FACE_TAG = re.compile(r"<(/?)(b|strong|i|em)\b[^>]*>", re.IGNORECASE)
_BOLD_TAGS = {"b", "strong"}


def with_fallback(
    markup: str, extra: Sequence[UserFont] = (), bold: bool = False, italic: bool = False
) -> str:
    """Paragraph markup with each run the main family lacks wrapped in its font.

    Spaces and punctuation both fonts have stay inside a run, so a phrase in
    Arabic is one run; tags and entities are left as they are. A run inside
    ``<b>``/``<i>`` (or in a style that is *bold*/*italic*) names the face of
    its family that fits (the bold Naskh for bold Arabic): ReportLab's
    ``<font name>`` sets the face itself and would drop the bold.
    """
    if markup.isascii():
        return markup
    out: list[str] = []
    depth = {True: int(bold), False: int(italic)}
    for piece in _MARKUP.split(markup):
        if not piece or (piece[0] in "<&" and _MARKUP.fullmatch(piece)):
            tag = _FACE_TAG.fullmatch(piece)
            if tag:
                key = tag.group(2).lower() in _BOLD_TAGS
                depth[key] = max(0, depth[key] + (-1 if tag.group(1) else 1))
            out.append(piece)
            continue
        current = ""
        run: list[str] = []
        for char in piece:
            family = font_for(char, extra) or ""
            if family != current and not (run and current and _neutral(char, current, extra)):
                _flush(out, run, _face(current, depth[True] > 0, depth[False] > 0))
                run, current = [], family
            run.append(char)
        _flush(out, run, _face(current, depth[True] > 0, depth[False] > 0))
    return "".join(out)


def _face(family: str, bold: bool, italic: bool) -> str:
    """The registered face of *family* for bold/italic text (``""`` stays ``""``)."""
    if not family or not (bold or italic):
        return family
    from reportlab.lib.fonts import tt2ps

    return str(tt2ps(family, int(bold), int(italic)))


def _neutral(char: str, family: str, extra: Sequence[UserFont]) -> bool:
    """A space or mark that the current fallback font can draw too (keeps the run whole)."""
    if char == " ":
        return True
    code = ord(char)
    for name, coverage in _fallback_coverage():
        if name == family:
            return code in coverage and not char.isalnum()
    for font in extra:
        if font.family == family:
            return code in font.coverage and not char.isalnum()
    return False


def _flush(out: list[str], run: list[str], family: str) -> None:
    if not run:
        return
    text = "".join(run)
    out.append(f'<font name="{family}">{text}</font>' if family else text)
