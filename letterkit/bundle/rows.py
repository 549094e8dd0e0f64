"""A campaign's recipient row → the problems of its letter, each at the cell it comes from.

:func:`place` is shared by ``check`` and the bundle, so that both print a
row's problem on the same line: a field of the recipient (a value the
letter's rules refuse, a character no font has) at its cell
(``recipients.csv:17:3``, ``recipients.xlsx[Sheet]!C17``, a YAML key's
line), a field of the base letter at its line in the base spec.
:func:`row_problems` finds them for ``check`` without typesetting: the
letter's rules, its template merged with the row, and its characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from .. import l10n, memo
from ..errors import InternalError, Problem, ValidationError
from ..input.campaign import Campaign, CampaignRecipient
from ..input.sources import Reporter, display_path, placed_in_spec
from ..model import Letter, Signatory
from ..pipeline import reported
from ..text.templates import locate_template
from ..typeset import bounds
from ..typeset.columns import TooLarge
from ..typeset.pages import PageFurniture
from ..typeset.paper import page_for
from ..typeset.styles import styles_for
from ..validate import findings
from .drawn import drawn_problems

__all__ = ["overlong", "place", "row_problems", "too_tall"]

#: A field of the row's recipient, as the letter's rules name it.
_FIELD = re.compile(r"letter\.recipients\[0\]\.(\w+)")
#: A recipient's text whose characters no font has, as the glyph check names it.
_DRAWN = re.compile(r"recipient (honorific|name|title|organization|address|email): ")
#: The row's own greetings, when the row gives them.
_GREETING = re.compile(r"(salutation|closing): ")
_CHAR = re.compile(r"\(U\+([0-9A-F]{4,6})\)")
#: How a build names a recipient's text too long to lay out (not saying which).
_RECIPIENTS = "the text of 'recipients' "
#: How a build says a text of the spec lacks the letter's locale, naming none.
_UNNAMED = "a text of the spec "
#: How many of the texts lacking a row's locale its one problem names.
_NAMED = 6


def _at(problem: Problem, row: CampaignRecipient, column: str) -> Problem:
    path, line, col = row.at(column)
    return replace(problem, path=path, line=line, col=col)


def _chars(problem: Problem) -> set[str]:
    return set(_CHAR.findall(problem.message))


def _of_locale(problem: Problem, locale: str) -> bool:
    """Whether *problem* says the base letter has nothing in the row's *locale*:
    its template has no version of it (LK110), or a text of the base letter no
    entry for it (LK108, not a field of the row)."""
    if problem.code == "LK110":
        return f"'{locale}'" in problem.message
    named = f"locale '{locale}'" in problem.message or f"locale {locale!r}" in problem.message
    return problem.code == "LK108" and named and not _FIELD.match(problem.path)


def _by_locale(problems: Sequence[Problem], row: CampaignRecipient) -> list[Problem]:
    """*problems* with those caused by the row's locale at its locale cell, once:
    the template having no version of it says it all; otherwise the texts of the
    base letter lacking an entry for it, in one problem naming them all."""
    caused = [p for p in problems if _of_locale(p, row.locale)]
    rest = [p for p in problems if p not in caused]
    versions = [p for p in caused if p.code == "LK110"]
    texts = [p for p in caused if p.code == "LK108"]
    if versions:
        return [_at(versions[0], row, "locale"), *rest]
    if len(texts) < 2:
        return list(problems)
    named = [
        p.path.removeprefix("letter.")
        for p in texts
        if p.path.startswith("letter.") and not p.message.startswith(_UNNAMED)
    ]
    fields = ", ".join(named[:_NAMED])
    if len(named) > _NAMED:
        fields += f" and {len(named) - _NAMED} more"
    message = (
        f"the base letter's texts have no '{row.locale}' entry: {fields}; add a "
        f"'{row.locale}' or 'default' entry to each, or give the row another locale"
    )
    return [_at(replace(texts[0], message=message), row, "locale"), *rest]


def place(problems: Sequence[Problem], row: CampaignRecipient, spec: Path | None) -> list[Problem]:
    """*problems* of the letter of *row* at the places they come from: the
    recipient's fields at their cells, the base letter's fields at their line in
    *spec*, what the row's locale lacks at its locale cell (:func:`_by_locale`).
    A character the row's name lacks is reported at the name only, not again for
    the greeting or the text that print the name."""
    out: list[tuple[Problem, bool]] = []  # each problem, and whether it is at the row's cells
    own: set[str] = set()  # the characters reported there
    locale_cell = row.at("locale")
    for p in _by_locale(problems, row):
        if p.code == "LK150" and p.message.startswith(_RECIPIENTS):
            out += [(at_cell, True) for at_cell in overlong(row)[:1]] or [(p, False)]
            continue
        if (p.path, p.line, p.col) == locale_cell and _of_locale(p, row.locale):
            out.append((p, True))
            continue
        field = _FIELD.match(p.path) if p.line is None else None
        drawn = _DRAWN.match(p.message) if p.code == "LK140" else None
        greeting = _GREETING.match(p.message) if p.code == "LK140" else None
        if greeting is not None and not getattr(row.recipient, greeting.group(1)):
            greeting = None  # the template's or the spec's greeting
        cell = field or drawn or greeting
        if cell is not None:
            out.append((_at(p, row, cell.group(1)), True))
            own |= _chars(p) if p.code == "LK140" else set()
        else:
            out.append((placed_in_spec(p, spec), False))
    return [
        p
        for p, at_row in out
        if at_row or p.code != "LK140" or not (_chars(p) and _chars(p) <= own)
    ]


def _texts(row: CampaignRecipient) -> Iterator[tuple[str, str]]:
    """The recipient's texts the letter prints, each with its column."""
    r = row.recipient
    for column, value in (
        ("honorific", r.honorific), ("name", r.name), ("title", r.title),
        ("organization", r.organization), *(("address", line) for line in r.address),
        ("email", r.email),
    ):  # fmt: skip
        try:
            yield column, l10n.localize(value, row.locale)
        except l10n.LocalizationError:  # reported by the letter's rules
            continue


def overlong(row: CampaignRecipient) -> list[Problem]:
    """LK150 at each cell of *row* whose text is too long to lay out (a run of
    letters no line can break): what the bundle would stop at, found without it."""
    out: list[Problem] = []
    for column, text in _texts(row):
        try:
            bounds.check(html.escape(text, quote=False))
        except bounds.Overlong as exc:
            path, line, col = row.at(column)
            message = f"the text of '{column}' {exc.reason}; shorten it"
            out.append(Problem(path, line, col, "error", "LK150", message))
    return out


#: Page 1's room for the text below the letterhead, and the address lines' leading,
#: by base letter (kept, so that a letter freed is not taken for another) and language.
_ROOM: dict[tuple[int, str], tuple[Letter, float, float]] = memo.table({})


def _room(base: Letter, locale: str) -> tuple[float, float]:
    found = _ROOM.get((id(base), locale))
    if found is None or found[0] is not base:
        letter = replace(base, locale=locale)
        styles = styles_for(letter)
        room = PageFurniture(letter, styles, page_for(letter.paper)).first_frame().height
        found = memo.keep(_ROOM, (id(base), locale), (base, room, styles.address.leading), 16)
    return found[1], found[2]


def too_tall(base: Letter, row: CampaignRecipient) -> list[Problem]:
    """LK150 at the address cell of *row* when its address block, one line a
    field (a long line wraps, so it is taller still), is taller than page 1 of
    its letter (from the campaign's *base* letter) holds below the letterhead:
    the block is never split, so it would start on page 2, leaving page 1 blank."""
    if base.addressees.layout == "lines":
        return []  # one line, no address
    r = row.recipient
    lines = 1 + sum(1 for v in (r.title, r.organization, r.email) if v) + len(r.address)
    try:
        room, leading = _room(base, row.locale)
    except (TooLarge, ValidationError, InternalError, l10n.LocalizationError):
        return []  # the letterhead's own problem, reported when the letter is built
    if lines * leading <= room:
        return []
    path, line, col = row.at("address" if r.address else "name")
    return [Problem(path, line, col, "error", "LK150", (
        f"the address block has {lines} lines, more than page 1 holds below the letterhead "
        f"(at most {int(room // leading)}); it would start on page 2 and leave page 1 blank: "
        "shorten the address"
    ))]  # fmt: skip


def _version(letter: Letter, spec: Path | None) -> list[Problem]:
    """The template's lack of a version in *letter*'s locale (LK110), found
    whatever else is wrong with the letter."""
    reporter = Reporter()
    shown = display_path(spec) if spec else "<letter>"
    try:
        locate_template(letter, reporter, shown)
    except (ValidationError, InternalError):
        return []
    return [p for p in reporter.problems if _of_locale(p, letter.locale)]


def row_problems(
    campaign: Campaign,
    row: CampaignRecipient,
    signatories: list[Signatory],
    *,
    base_ok: bool = True,
) -> list[Problem]:
    """The problems of *row*'s letter that need no layout: the letter's rules (the
    row's gender, office, greeting, its locale's texts), its template merged with
    the row, every character it draws, the recipient's texts too long to lay
    out (:func:`overlong`) and an address block taller than page 1
    (:func:`too_tall`); placed by :func:`place`.
    *signatories* are the letter's, in the order of the row's language. When the
    base letter has errors (not *base_ok*), only the rules about the row's own
    fields, and the characters of the letter's texts (its template unmerged).
    When the row's letter has errors, its template is not merged either, but
    its characters are still checked; a template with no version in the row's
    locale is reported in any case."""
    letter = replace(campaign.letter, recipients=(row.recipient,), locale=row.locale)
    spec = letter.inputs[0] if letter.inputs else None
    found = [f.problem for f in findings(letter)]
    errors = [p for p in found if p.severity == "error"]
    # the base letter's own warnings and errors were reported when it was read
    version = _version(letter, spec)
    problems = [p for p in found if _FIELD.match(p.path)]
    if base_ok:
        problems = errors + [p for p in problems if p.severity != "error"]
    tall = too_tall(campaign.letter, row) if base_ok else []  # its letterhead read whole
    problems = version + overlong(row) + tall + problems
    merged_ok = base_ok and not errors and not version
    shown = display_path(spec) if spec else "<letter>"
    try:
        with reported(letter):
            problems += drawn_problems(letter, signatories, shown, merged_ok=merged_ok)
    except (ValidationError, InternalError) as exc:
        if isinstance(exc, ValidationError):
            problems += exc.problems
        elif merged_ok:
            problems.append(exc.problem)
        if not merged_ok:  # a text of the base letter may lack the row's locale
            problems += _recipient_drawn(replace(letter, locale=campaign.letter.locale), shown)
    return place(list(dict.fromkeys(problems)), row, spec)


def _recipient_drawn(letter: Letter, shown: str) -> list[Problem]:
    """The characters of the recipient's fields no font has, checked in the base
    letter's locale when the row's own leaves the letter's texts unprintable."""
    try:
        with reported(letter):
            found = drawn_problems(letter, [], shown, merged_ok=False)
    except (ValidationError, InternalError):
        return []
    return [p for p in found if p.code == "LK140" and _DRAWN.match(p.message)]
