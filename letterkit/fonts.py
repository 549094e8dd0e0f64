"""The bundled font families → registered ReportLab fonts, and glyph coverage.

ReportLab's font registry is global, so :func:`register` runs once per
process. :func:`uncovered` tells which characters the fonts cannot draw, so
a missing glyph is an error instead of a silent box in the PDF.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from ._resources import fonts_dir

SERIF = "LKSerif"
SANS = "LKSans"

_FAMILIES = {SERIF: "NotoSerif", SANS: "NotoSans"}
_FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


@functools.cache
def register() -> None:
    """Register the serif and sans families (regular, bold, italic, bold italic)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = fonts_dir()
    for family, stem in _FAMILIES.items():
        for suffix, face in _FACES.items():
            path = folder / f"{stem}-{face}.ttf"
            pdfmetrics.registerFont(TTFont(family + suffix, str(path)))
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, family + "-Bold")
        addMapping(family, 0, 1, family + "-Italic")
        addMapping(family, 1, 1, family + "-BoldItalic")


@functools.cache
def _coverage() -> frozenset[int]:
    """Code points every face of both families can draw."""
    from reportlab.pdfbase import pdfmetrics

    register()
    common: set[int] | None = None
    for family in _FAMILIES:
        for suffix in _FACES:
            face = pdfmetrics.getFont(family + suffix).face
            cmap = set(face.charToGlyph)
            common = cmap if common is None else common & cmap
    return frozenset(common or ())


#: Characters that are layout controls, not glyphs.
_IGNORED = {0x0A, 0x0D, 0x09, 0x20, 0xA0, 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


def uncovered(text: Iterable[str]) -> list[str]:
    """The characters of *text* (in first-seen order) that no bundled font can draw."""
    coverage = _coverage()
    seen: dict[str, None] = {}
    for chunk in text:
        for char in chunk:
            code = ord(char)
            control = code < 0x20 and char not in "\n\r\t"
            if (control or code not in coverage) and code not in _IGNORED and char not in seen:
                seen[char] = None
    return list(seen)
