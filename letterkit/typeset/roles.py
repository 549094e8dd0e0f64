"""A paragraph of a tagged layout → what it is: its kind (by its style's name)
and, when its glyphs are not its text, what it says (its ActualText): drawn
in visual order (right to left), in reading order; hyphenated at a line's
end, its words whole."""

from __future__ import annotations

import unicodedata
from typing import Any

from . import _rl


def kind_of(name: str) -> str:
    """What a style (by name) sets: a heading, a list item, a signatory…"""
    base = name.split("-")[0]
    if base in ("subject", "title"):
        return "H1"
    if base in ("heading1", "heading", "heading3", "section"):
        return base
    if base.rstrip("0123456789") == "bullet":  # right to left: bullet1, bullet2… by depth
        return "li"
    if base in ("signatory", "numbered", "signature_name", "signature_detail"):
        return "sig"
    if base == "group":
        return "group"
    if base in ("footer", "header", "stamp"):
        return "artifact"
    if base == "note":
        return "annex"
    return "P"


def logical(para: Any, text: str) -> str | None:
    """What a paragraph drawn in visual order (right-to-left text) says, in
    reading order and in base letters (its number first, for a note or an
    item whose number is drawn at its right); None for one drawn as written."""
    if getattr(para, "lk_base", None) is None:
        return _unhyphenated(para, text)
    if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return None
    bullet = getattr(para, "lk_bullet", None)
    said = f"{bullet.getPlainText()} {text}" if bullet is not None else text
    return " ".join(unicodedata.normalize("NFKC", said).split())


def said_apart(para: Any) -> bool:
    """Whether a paragraph's glyphs, as drawn, are not its text: drawn in
    visual order (right to left), or with hyphens that break its words."""
    if getattr(para, "lk_base", None) is not None:
        return True
    drawn = _drawn(para)
    return drawn is not None and drawn.count("-") > spoken(para).count("-")


def _unhyphenated(para: Any, text: str) -> str | None:
    """A paragraph's text when its lines break words with a hyphen the text
    does not have (justified text, hyphenated): the words whole again."""
    drawn = _drawn(para)
    if drawn is None or drawn.count("-") <= text.count("-"):
        return None
    return " ".join(text.split())


def spoken(para: Any) -> str:
    """A paragraph's text in reading order and base letters, without its raised
    note numbers (each is a Reference of its own). Read as ReportLab's
    ``getPlainText`` reads it: frags, or words of (style, text) pieces once
    split (a word followed by a space is an ``_HSFrag``)."""
    frags = getattr(para, "lk_frags", None) or getattr(para, "frags", None) or []
    pieces: list[str] = []
    for frag in frags:
        if isinstance(frag, list):  # a word: its width, then (style, text) pieces
            pieces += [str(text) for style, text in frag[1:] if not getattr(style, "rise", 0)]
            if type(frag).__name__ == "_HSFrag":
                pieces.append(" ")
        elif getattr(frag, "lineBreak", False):
            pieces.append(" ")
        elif not getattr(frag, "rise", 0):
            pieces.append(str(getattr(frag, "text", "")))
    return " ".join(unicodedata.normalize("NFKC", "".join(pieces)).split())


def plain_text(para: Any) -> str:
    """A paragraph's text; for the part of a paragraph split over pages (which
    ReportLab keeps as its broken lines, with no frags), its lines' text."""
    text = str(para.getPlainText()) if hasattr(para, "getPlainText") else ""
    return text if text.strip() else (_drawn(para) or text)


def _drawn(para: Any) -> str | None:
    """The text of a paragraph's broken lines, as drawn; None before it is broken."""
    broken = _rl.broken_lines(para)
    if broken is None:
        return None
    if getattr(broken, "kind", 0) == 1:  # lines of style runs
        return " ".join(_rl.run_text(run) for line in broken.lines for run in _rl.line_runs(line))
    return " ".join(" ".join(map(str, line[1])) for line in broken.lines)  # (space, words)
