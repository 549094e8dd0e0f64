"""Composed letter → every character it draws checked against the fonts (LK140).

The stage between composing and laying out: it lists every piece of text the
PDF will draw, with where it came from (a spec key, a recipient, a signatory's
row, the template), and reports each character no font has, so a letter never
prints an empty box.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from .. import files, memo
from ..input.sources import Origin, Reporter, Source, display_path, where_of
from ..model import Letter, Signatory
from ..text.merge import MergedText
from . import fonts
from .spec_texts import spec_texts
from .story import dateline_text


def _texts(
    letter: Letter, merged: MergedText, signatories: list[Signatory]
) -> Iterator[tuple[str, str]]:
    """Every piece of text the PDF will draw, with where it came from (of the
    signatories, only the fields with a character the main fonts lack)."""
    yield "subject", merged.subject
    yield "salutation", merged.salutation
    yield "closing", merged.closing
    yield "dateline", dateline_text(letter)
    # the place prints within the dateline, above
    yield from ((label, text) for key, label, text in spec_texts(letter) if key != "place")
    yield from _signatory_texts(tuple(signatories))


@memo.table
@functools.lru_cache(maxsize=8)
def _signatory_texts(signatories: tuple[Signatory, ...]) -> tuple[tuple[str, str], ...]:
    """The signatory fields the main fonts lack a character of, with their labels
    (found once for the letters of a bundle, which share the list)."""
    found: list[tuple[str, str]] = []
    for s in signatories:
        if s.withhold:
            continue
        for name, value in (
            ("name", s.name),
            ("acronym", s.acronym),
            ("country", s.country),
            ("title", s.title),
            ("affiliation", s.affiliation),
            ("group", s.group),
            ("note", s.note),
            ("signed_by", s.signed_by),
        ):
            if value and fonts.uncovered([value]):
                found.append((f"signatory '{s.name}' {name}", value))
    return tuple(found)


def key_position(path: Path, key: str) -> tuple[int | None, int | None]:
    """Where a top-level *key* is written in the spec file (best effort)."""
    try:
        text = files.read_bounded(path, "spec").decode("utf-8-sig")
    except (files.Refused, UnicodeDecodeError):
        return None, None
    return Source(path, str(path), text).find_key(key)


def check_glyphs(
    letter: Letter,
    merged: MergedText,
    signatories: list[Signatory],
    body_text: list[str],
    reporter: Reporter,
    extra: tuple[fonts.UserFont, ...] = (),
) -> None:
    """Report (LK140) every character of the letter that no font can draw: the
    spec's fields, the recipients, the signatories and the composed body text."""
    spec = display_path(letter.inputs[0]) if letter.inputs else "<letter>"
    origins = {s.name: s.origin for s in signatories if s.origin is not None and not s.withhold}
    sources = list(_texts(letter, merged, signatories)) + [
        (f"text from {merged.template}", t) for t in body_text
    ]
    spec_keys = {
        "dateline": "place", "cc": "cc", "subject": "subject", "signatory_block": "signatory_block"
    }  # fmt: skip
    reported: set[tuple[str, str]] = set()
    for where, text in sources:
        missing = [c for c in fonts.uncovered([text], extra) if (where, c) not in reported]
        if not missing:
            continue
        reported.update((where, c) for c in missing)
        at: Origin = (spec, None, None)
        if where in spec_keys and letter.inputs:
            at = (spec, *key_position(letter.inputs[0], spec_keys[where]))
        if where.startswith("signatory '"):
            at = origins.get(where[len("signatory '") : where.rindex("'")], at)
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        word = "character" if len(missing) == 1 else "characters"
        reporter.error(
            where_of(at),
            "LK140",
            f"{where}: {word} {shown}{more} cannot be drawn by the bundled fonts"
            + (" or those of 'fonts'" if extra else "")
            + "; replace it, or add a TrueType font that has it to a 'fonts' folder",
        )
