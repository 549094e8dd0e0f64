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

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import InternalError, Problem, ValidationError
from ..input.campaign import Campaign, CampaignRecipient
from ..input.sources import display_path, placed_in_spec
from ..model import Signatory
from ..pipeline import reported
from ..validate import findings
from .drawn import drawn_problems

__all__ = ["place", "row_problems"]

#: A field of the row's recipient, as the letter's rules name it.
_FIELD = re.compile(r"letter\.recipients\[0\]\.(\w+)")
#: A recipient's text whose characters no font has, as the glyph check names it.
_DRAWN = re.compile(r"recipient (honorific|name|title|organization|address|email): ")
#: The row's own greetings, when the row gives them.
_GREETING = re.compile(r"(salutation|closing): ")
_CHAR = re.compile(r"\(U\+([0-9A-F]{4,6})\)")


def _at(problem: Problem, row: CampaignRecipient, column: str) -> Problem:
    path, line, col = row.at(column)
    return replace(problem, path=path, line=line, col=col)


def _chars(problem: Problem) -> set[str]:
    return set(_CHAR.findall(problem.message))


def place(problems: Sequence[Problem], row: CampaignRecipient, spec: Path | None) -> list[Problem]:
    """*problems* of the letter of *row* at the places they come from: the
    recipient's fields at their cells, the base letter's fields at their line in
    *spec*. A character the row's name lacks is reported at the name only, not
    again for the greeting or the text that print the name."""
    out: list[tuple[Problem, bool]] = []  # each problem, and whether it is at the row's cells
    own: set[str] = set()  # the characters reported there
    for p in problems:
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


def row_problems(
    campaign: Campaign,
    row: CampaignRecipient,
    signatories: list[Signatory],
    *,
    base_ok: bool = True,
) -> list[Problem]:
    """The problems of *row*'s letter that need no layout: the letter's rules (the
    row's gender, office, greeting, its locale's texts), its template merged with
    the row, and every character it draws; placed by :func:`place`.
    *signatories* are the letter's, in the order of the row's language. When the
    base letter has errors (not *base_ok*), only the rules about the row's own
    fields, and the characters of the letter's texts (its template unmerged)."""
    letter = replace(campaign.letter, recipients=(row.recipient,), locale=row.locale)
    spec = letter.inputs[0] if letter.inputs else None
    found = [f.problem for f in findings(letter)]
    errors = [p for p in found if p.severity == "error"]
    # the base letter's own warnings and errors were reported when it was read
    problems = [p for p in found if _FIELD.match(p.path)]
    if base_ok:
        problems = errors + [p for p in problems if p.severity != "error"]
    if not errors or not base_ok:
        try:
            with reported(letter):
                shown = display_path(spec) if spec else "<letter>"
                problems += drawn_problems(letter, signatories, shown, merged_ok=base_ok)
        except ValidationError as exc:
            problems += exc.problems
        except InternalError as exc:
            problems += [exc.problem] if base_ok else []
    return place(list(dict.fromkeys(problems)), row, spec)
