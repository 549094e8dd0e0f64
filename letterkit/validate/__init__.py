"""A :class:`~letterkit.model.Letter` → every problem with it: the model's rules, in one place.

A letter loaded from a file, built from plain data, built in code or changed
with :func:`dataclasses.replace` is held to the same rules: allowed values
(paper, signatory style and order, collation, privacy, dateline position),
ranges (columns, expected count), the locale, the dateline's date pattern, the
template, the fonts folder, annex page ranges and kinds, localized texts, and
the types the model's fields declare. Problems name the field
(``letter.paper: error: [LK105] ...``); the loaders map them back to the file
and line they read the field from. Nothing here imports a stage: fonts and
images are checked by their first bytes (and an image's size by its header),
and fully parsed when the letter is typeset.

:func:`validate` is also ``letterkit.validate``; the package imports it when
it starts, so Babel (through :mod:`letterkit.l10n`) is imported inside the
rules that need it, on the first validation.

- :mod:`.rules`: the letter's own fields (template, locale, date, words and
  numbers, case, signatories, people);
- :mod:`.files`: the files it names (logo, fonts folder, annexes and their pages);
- :mod:`.letterhead`: where the sender's logo goes, and the row of co-signers' logos;
- :mod:`.signatures`: the signatories' signature images;
- :mod:`.images`: PNG and JPEG bytes (kind, size in pixels, JPEG metadata);
- :mod:`.optional`: the optional parts (dateline display, page numbers, a
  chronology that needs a case);
- :mod:`.signatory_block`: the signatory block's settings and its entry template;
- :mod:`.address_forms`: the genders and offices a greeting agrees with;
- :mod:`.texts`: the localizable texts, each with an entry for the letter's locale;
- :mod:`.script`: the digits a letter in Arabic script prints;
- :mod:`.locales`: the locale, and whether the layout words speak it;
- :mod:`.languages`: a letter in several languages, each part checked as a letter;
- :mod:`.hygiene`: warnings about what spreadsheets and haste do to the data
  (near-duplicate signatories, damaged or quoted text, plain texts in another
  language); the letter's ``ignore_warnings`` drops the warnings it names;
- :mod:`._check`: what the rules share (the collector of findings).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Problem
from ..model import Letter
from . import (
    address_forms,
    addressees,
    files,
    hygiene,
    languages,
    locales,
    optional,
    rules,
    script,
    signatory_block,
    signatures,
    texts,
)
from ._check import Check, Finding
from .files import FONT_SUFFIXES, collection_faces, font_problem, outline_problem
from .rules import AGE, COLUMNS, EXPECTED, TEXT_FIELDS, text_too_long, valid_date_format


def _parts(letter: Letter, check: Check) -> None:
    languages.parts(letter, check, findings)


_RULES: tuple[Callable[[Letter, Check], None], ...] = (
    locales.locale,
    rules.date,
    rules.people,
    rules.case,
    rules.signatories,
    signatory_block.signatory_block,
    rules.dateline,
    optional.optional_parts,
    rules.choices,
    script.digits,
    addressees.addressees,
    address_forms.address_forms,
    files.fonts,
    files.annexes,
    signatures.signatures,
    rules.template,
    texts.localized,
    hygiene.hygiene,
    _parts,
)


def validate(letter: Letter) -> list[Problem]:
    """Every problem with *letter* (errors and warnings); ``[]`` when it is fine.

    >>> import datetime, dataclasses
    >>> from letterkit.model import Case, Person, Signatory
    >>> letter = Letter(template="appeal-release", locale="en-GB",
    ...     date=datetime.date(2018, 12, 6), case=Case(person=Person(name="A")),
    ...     signatories=(Signatory("Org"),))
    >>> validate(letter)
    []
    >>> [str(p) for p in validate(dataclasses.replace(letter, paper="A5"))]
    ["letter.paper: error: [LK105] 'paper' must be one of A4, letter, not 'A5'"]
    """
    return [f.problem for f in findings(letter)]


def findings(letter: Letter) -> list[Finding]:
    """:func:`validate`'s problems, each with the field it is about."""
    check = Check()
    if not isinstance(letter, Letter):
        check.error("letter", "LK105", f"expected a Letter, not a {type(letter).__name__}")
        return check.found
    rules.shapes(letter, check)
    if check.found:  # the rules below walk the lists
        return check.found
    for rule in _RULES:
        rule(letter, check)
    ignore = letter.ignore_warnings
    if ignore and isinstance(ignore, tuple | list):
        check.found[:] = [f for f in check.found if hygiene.silenced([f.problem], ignore)]
    return check.found


__all__ = [
    "AGE",
    "COLUMNS",
    "EXPECTED",
    "FONT_SUFFIXES",
    "TEXT_FIELDS",
    "Finding",
    "collection_faces",
    "findings",
    "font_problem",
    "outline_problem",
    "text_too_long",
    "valid_date_format",
    "validate",
]
