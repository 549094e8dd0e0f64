"""The text a reader copies or searches: right-to-left lines in reading order.

Arabic and Hebrew lines are drawn in visual order and Arabic letters as their
presentation forms (see :mod:`.bidi`), which is what the reader sees but not
what a program that reads the PDF's text should get. This module turns a
drawn line into a plan for its text layer, and presentation forms into the
letters they show:

- :func:`line_plan` turns the logical index of each drawn character (the
  bidi step's output) into segments: stretches that are contiguous both on
  the line and in the text. The line's segments are written to the page in
  reading order, each at the place where it is drawn, so that extraction
  that follows the content stream and reverses right-to-left stretches
  (pypdf) reads the line in logical order;
- :func:`base_form` gives the letters a presentation form stands for
  (lam-alef: two letters), for the fonts' ToUnicode maps (and
  :func:`copied_as` those of a ligature the text has: "ﬁ" copies as "fi");
- :func:`mirrored` gives a bracket that right-to-left text draws as its
  mirror image (the "(" of "(HRW)" drawn as ")") a code of its own: the
  glyph of its mirror image, copied as the bracket the text has
  (:func:`copied_as`), where a shared code would copy as the glyph's bracket.

Viewers that order a line's characters by their places on the page (PDFium,
for one) read the same text whatever the stream order. Two things they do
on their own are left to them: poppler and PDFium read the letters of one
glyph (lam-alef) in reverse order in a right-to-left line, and PDFium
mirrors the brackets of such a line again.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

#: Arabic presentation forms A and B, which arabic-reshaper writes.
_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
#: Arabic-Indic digits and separators: extraction takes them for neutrals and
#: would turn a number around inside a right-to-left stretch, so each is a
#: segment of its own.
_SOLO = frozenset(map(chr, [*range(0x0660, 0x066E), *range(0x06F0, 0x06FA)]))
#: Brackets and quotation marks: extractors differ on their direction (pypdf
#: takes "[" and "«" for left-to-right letters and would end a right-to-left
#: stretch there), so in right-to-left text each is a segment of its own too.
_PAIRED = frozenset(("Ps", "Pe", "Pi", "Pf"))


def _paired(char: str) -> bool:
    """Whether *char* is a bracket or a quotation mark."""
    return unicodedata.category(char) in _PAIRED


#: The brackets right-to-left text draws mirrored, each with its mirror image.
MIRRORS = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
#: For each bracket of :data:`MIRRORS`, the character a line drawn in visual
#: order holds where the bracket is drawn mirrored: a noncharacter (never
#: interchanged as text; the no-break space's stand-in is one of the first,
#: from U+FDD0), which letterkit's fonts draw with the mirror image's glyph
#: and copy as the bracket.
MIRRORED = {bracket: chr(0xFDE0 + n) for n, bracket in enumerate(MIRRORS)}
_COPIED = {stand_in: bracket for bracket, stand_in in MIRRORED.items()}


def mirrored(bracket: str) -> str | None:
    """The character that draws *bracket* as its mirror image and copies as
    *bracket* (None for a character that is not one of :data:`MIRRORS`)."""
    return MIRRORED.get(bracket)


#: Latin and Armenian ligatures (ﬁ, ﬂ, ﬀ…): one glyph for two or three letters.
_LIGATURES = re.compile("[\ufb00-\ufb06\ufb13-\ufb17]")


def copied_as(char: str) -> str:
    """The text a character drawn by letterkit's fonts copies as: a mirrored
    bracket's stand-in as the bracket, a ligature ("ﬁ" in the text) or an
    Arabic presentation form as its letters."""
    if _LIGATURES.fullmatch(char):
        return unicodedata.normalize("NFKC", char)
    return _COPIED.get(char) or base_form(char)


@dataclass(frozen=True)
class LinePlan:
    """How one drawn line is written. For the i-th drawn character (left to
    right): ``segments[i]`` names its segment, ``order[i]`` is its index in the
    logical text, ``kinds[i]`` is "R" (right-to-left letter), "L" (left-to-right
    letter or digit) or "N" (neutral); ``rtl`` holds the segments with a
    right-to-left letter.

    Each piece of a segment is written as drawn, left to right, after a font
    selection (extraction reverses a right-to-left piece and starts afresh at
    a font selection), the pieces in reading order; the neutrals at the left
    end of a right-to-left piece (the end of its text) become pieces of their
    own, so that they follow its letters whatever direction precedes them."""

    segments: tuple[int, ...]
    order: tuple[int, ...]
    kinds: str
    rtl: frozenset[int]


@functools.lru_cache(maxsize=4096)
def base_form(char: str) -> str:
    """The letters an Arabic presentation form stands for (itself for any other
    character): the compatibility decomposition without the space or tatweel
    that carries an isolated or medial vowel sign."""
    if not _FORMS.fullmatch(char):
        return char
    decomposition = unicodedata.decomposition(char).split()
    if not decomposition or not decomposition[0].startswith("<"):
        return char
    letters = "".join(chr(int(code, 16)) for code in decomposition[1:])
    if len(letters) > 1 and letters[0] in (" ", "\u0640") and unicodedata.combining(letters[1]):
        letters = letters[1:]
    return letters


def base_letters(text: str) -> str:
    """*text* with every Arabic presentation form replaced by its letters."""
    if not _FORMS.search(text):
        return text
    return _FORMS.sub(lambda match: base_form(match.group()), text)


def _strong(char: str) -> str | None:
    """ "R" for a right-to-left letter, "L" for a left-to-right one or a digit,
    None for a neutral (space, punctuation)."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind in ("L", "EN", "AN"):
        return "L"
    return None


def line_plan(logical: str, order: list[int]) -> LinePlan | None:
    """The plan for a line whose logical text is *logical* and whose drawn
    characters, left to right, are ``logical[order[0]]``, ``logical[order[1]]``…
    None for a line without right-to-left letters (written as drawn).

    A segment runs on while the logical index steps by one in one direction
    (down in right-to-left text, up in left-to-right text) and its letters
    keep that direction; an Arabic-Indic digit, and a bracket or quotation
    mark in right-to-left text, is a segment of its own."""
    if not order or not _RTL.search(logical):
        return None
    ids: list[int] = []
    step = 0
    strong: str | None = None
    for i, index in enumerate(order):
        kind = _strong(logical[index])
        if i and logical[index] not in _SOLO and logical[order[i - 1]] not in _SOLO:
            diff = index - order[i - 1]
            if diff < 0 and (_paired(logical[index]) or _paired(logical[order[i - 1]])):
                diff = 0  # a bracket in right-to-left text: a segment of its own
            joined = strong or kind
            fits = joined is None or joined == ("R" if diff < 0 else "L")
            same = kind is None or strong is None or kind == strong
            if abs(diff) == 1 and step in (0, diff) and same and fits:
                step = diff
                strong = strong or kind
                ids.append(ids[-1])
                continue
        step = 0
        strong = kind
        ids.append(i)
    kinds = "".join(_strong(logical[index]) or "N" for index in order)
    rtl = frozenset(segment for segment, kind in zip(ids, kinds, strict=True) if kind == "R")
    return LinePlan(tuple(ids), tuple(order), kinds, rtl)
