"""A letter → the problems of the text it draws, found without laying it out.

What ``check`` runs on each letter it cannot build whole, and on every row of a
campaign: the template merged with the letter's data (LK110–LK113), every
character the letter draws checked against the fonts (LK140), and the words
too long to break (LK150). Nothing is typeset, so a campaign of hundreds of
recipients is checked in about as many milliseconds per row as its template
takes to render. When the template cannot be merged, its own words (the text
outside ``{{ }}`` and ``{% %}``) are still checked for characters no font has.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2

from .. import l10n
from ..errors import InternalError, Problem, ValidationError
from ..input.data import load_data_file
from ..input.fields import Reader
from ..input.letter_spec import read_spec
from ..input.signatories import ordered
from ..input.sources import Located, Reporter
from ..model import Letter, Signatory
from ..pipeline import reported
from ..text.merge import MergedText, merge
from ..text.templates import locate_template, read_template
from ..typeset import bounds
from ..typeset.glyphs import check_glyphs, key_position
from ..typeset.styles import styles_for

__all__ = ["MERGED_FROM", "SOME_DATE", "drawn_problems", "read_partly", "signatories_of"]

#: Where a Markdown link or image points: not drawn, so not checked for glyphs.
_LINK_TARGET = re.compile(r"\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
#: The fields a template is merged with: when one has an error, it is not merged.
MERGED_FROM = ("letter.template", "letter.case", "letter.locale", "letter.variables")
#: A date for a letter whose own could not be read: its template is still merged
#: (what the template makes of this date is not reported).
SOME_DATE = dt.date(2000, 1, 1)


def signatories_of(letter: Letter) -> list[Signatory]:
    """The letter's signatories in the order it prints them."""
    split = letter.signatory_block.split if letter.signatory_block is not None else "none"
    return ordered(
        letter.signatories, letter.signatory_order, letter.collation, letter.locale, split
    )


def _annexes(letter: Letter) -> list[dict[str, Any]]:
    """What the template is told of the annexes (their pages are not counted here:
    the annexes are opened when the letter is built)."""
    out: list[dict[str, Any]] = []
    for number, annex in enumerate(letter.annexes, start=1):
        try:
            title = l10n.localize(annex.title, letter.locale)
        except l10n.LocalizationError:  # reported by the letter's rules
            title = ""
        out.append({"number": number, "title": title, "pages": 0})
    return out


def drawn_problems(
    letter: Letter,
    signatories: list[Signatory],
    spec: str,
    *,
    merged_ok: bool = True,
) -> list[Problem]:
    """The problems of the text *letter* draws: its template merged (unless
    *merged_ok* is false: the data it needs was not read), its long words, and
    every character no font has, with where each comes from. *spec* is the
    spec's path as problems print it."""
    problems: list[Problem] = []
    merged: MergedText | None = None
    if merged_ok:
        try:
            merged = merge(letter, signatories, _annexes(letter), spec)
        except ValidationError as exc:
            problems += exc.problems
    if merged is not None:
        body = [_LINK_TARGET.sub("]", line) for line in merged.markdown.splitlines()]
        overlong = bounds.check_long_words(letter, merged, signatories, spec, key_position)
        if overlong is not None:
            problems.append(overlong)
    else:
        merged, body = _unmerged(letter, spec)
    reporter = Reporter()
    extra = styles_for(letter).extra_fonts
    check_glyphs(letter, merged, signatories, body, reporter, extra)
    return problems + reporter.problems


def _given(text: object, locale: str) -> str:
    """A text of the spec in the letter's language ("" when it has none)."""
    try:
        return l10n.localize(text, locale) if text else ""
    except l10n.LocalizationError:  # reported by the letter's rules
        return ""


def _unmerged(letter: Letter, spec: str) -> tuple[MergedText, list[str]]:
    """The texts of a letter whose template could not be merged: the spec's own
    subject and greetings, and the template's words outside its tags."""
    locale = letter.locale
    texts = MergedText(
        markdown="",
        subject=_given(letter.subject, locale),
        salutation=_given(letter.salutation, locale),
        closing=_given(letter.closing, locale),
        template=spec,
    )
    reporter = Reporter()
    path = locate_template(letter, reporter, spec)
    tpl = read_template(path, reporter) if path is not None else None
    if tpl is None:
        return texts, []
    try:
        words = [value for _, kind, value in jinja2.Environment().lex(tpl.body) if kind == "data"]
    except jinja2.TemplateSyntaxError:  # reported when it is merged
        words = []
    merged = MergedText("", texts.subject, texts.salutation, texts.closing, tpl.display, tpl.text)
    return merged, words


def read_partly(path: Path, allow_outside: bool) -> tuple[Letter | None, bool]:
    """The spec as far as it can be read (its problems are already reported):
    unreadable values left out; and whether its template or case was unreadable.
    None when the spec itself is no mapping."""
    reporter = Reporter()
    try:
        with reported(path):
            data = load_data_file(path, reporter, "letter spec")
            if not isinstance(data, Located):
                return None, False
            reader = Reader(reporter, path.resolve().parent, allow_outside)
            reader.inputs.append(path.resolve())
            data.pos = (1, 1)
            letter = read_spec(data, reader)
    except (ValidationError, InternalError):
        return None, False
    return letter, any(f.startswith(MERGED_FROM) for f in reader.reported)
