"""Composed letter → every character it draws checked against the fonts (LK140).

The stage between composing and laying out: it lists every piece of text the
PDF will draw, with where it came from (a spec key, a recipient, a signatory's
row, the template), and reports each character no font has, so a letter never
prints an empty box.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

from .. import files, memo
from ..input.sources import Origin, Reporter, Source, display_path, where_of
from ..model import Letter, Signatory
from ..text.merge import MergedText
from . import font_hints, fonts
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
    origins = {s.name: s for s in signatories if s.origin is not None and not s.withhold}
    sources = list(_texts(letter, merged, signatories)) + [
        (f"text from {merged.template}", t) for t in body_text
    ]
    spec_keys = {label: key for key, label, _ in spec_texts(letter)} | {
        "dateline": "place", "cc": "cc", "subject": "subject", "signatory_block": "signatory_block"
    }  # fmt: skip
    body_lines = merged.source.splitlines()
    reported: set[tuple[str, str]] = set()
    for where, text in sources:
        missing = [c for c in fonts.uncovered([text], extra) if (where, c) not in reported]
        if not missing:
            continue
        reported.update((where, c) for c in missing)
        at: Origin = (spec, None, None)
        if where in spec_keys and letter.inputs:
            at = (spec, *key_position(letter.inputs[0], spec_keys[where]))
        if where.startswith("signatory '"):  # at the field's cell when it is known
            name, _, column = where[len("signatory '") :].rpartition("' ")
            signatory = origins.get(name)
            if signatory is not None:
                at = dict(signatory.cells).get(column, signatory.origin) or at
        if where.startswith("text from "):  # at its line when the template holds it
            line = next((n for n, t in enumerate(body_lines, 1) if missing[0] in t), None)
            at = (merged.template, line, None) if line else at
        reporter.error(where_of(at), "LK140", f"{where}: {missing_message(missing, letter, extra)}")


#: The bundled fonts, as LK140 lists the fonts it tried.
BUNDLED = "Noto Serif, Noto Sans, Noto Naskh Arabic, Noto Serif Hebrew"


def missing_message(
    missing: list[str], letter: Letter, extra: tuple[fonts.UserFont, ...] = ()
) -> str:
    """LK140's words for *missing* characters: each with its code point and
    script, the fonts tried, and the ``fonts:`` line (and font file) that
    would draw them."""
    shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:6])
    more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
    hints = list(dict.fromkeys(h for h in map(font_hints.hint, missing) if h is not None))
    scripts = list(dict.fromkeys(h.script for h in hints))
    plural = "s" if len(scripts) > 1 else ""
    more += f", of the {' and '.join(scripts)} script{plural}," if scripts else ""
    word = "character" if len(missing) == 1 else "characters"
    if all(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in missing):
        return (
            f"{word} {shown}{more}: a control character prints as nothing; replace it or delete it"
        )
    folder = (
        os.path.relpath(letter.fonts, letter.base_dir).replace(os.sep, "/")
        if letter.fonts is not None
        else None
    )
    tried = BUNDLED + "".join(f", {folder}/{font.path.name}" for font in extra)
    font = (
        " and ".join(f"{h.file} ({h.family}, TrueType)" for h in hints[:2])
        if hints
        else "a TrueType (.ttf) font that has it"
    )
    line = (
        f"in the folder of the spec's line '{_fonts_line(letter, folder)}'"
        if folder is not None
        else f"in a folder 'fonts' beside the spec and add the line "
        f"'{_fonts_line(letter, 'fonts/')}' to the spec"
    )
    return (
        f"{word} {shown}{more} cannot be drawn by the fonts tried ({tried}); replace it, "
        f"or put {font} {line}"
    )


def _fonts_line(letter: Letter, folder: str) -> str:
    """The spec's ``fonts`` line as its format writes it (YAML, TOML or JSON)."""
    suffix = letter.inputs[0].suffix.lower() if letter.inputs else ".yaml"
    if suffix == ".toml":
        return f'fonts = "{folder}"'
    if suffix == ".json":
        return f'"fonts": "{folder}"'
    return f"fonts: {folder}"
