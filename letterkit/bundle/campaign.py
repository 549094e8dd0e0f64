"""A campaign → its letters: loaded with their file names, one letter per recipient,
and checked as a whole, every row's letter included.

Reading the file is :mod:`letterkit.input.campaign`, rendering the file names
:mod:`letterkit.text.filenames`; this module puts the two together and says
what the bundle makes of a row (:func:`letter_for`), so that ``render
CAMPAIGN --recipient ID`` and the bundle make the same letter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .. import limits as limits_
from ..errors import InternalError, Problem, ValidationError
from ..input.campaign import Campaign, CampaignRecipient, read_campaign
from ..input.letter_spec import ArchiveChoice, archived, load_letter
from ..input.sources import Origin, Reporter, placed_in_spec, where_of
from ..limits import Limits
from ..model import Letter, Signatory
from ..pipeline import BuildResult, build, reported
from ..text.filenames import output_names
from ..validate import hygiene
from ..validate.hygiene import silenced
from .counts import CheckResult, counted
from .drawn import SOME_DATE, read_partly, signatories_of
from .manifest import MANIFEST
from .rows import place, row_problems, too_tall
from .state import STATE

__all__ = ["build_row", "check_campaign", "checked_campaign", "letter_for", "load_campaign"]

#: File names a bundle keeps for its own records.
RESERVED = {MANIFEST, STATE}


def load_campaign(
    path: str | Path,
    *,
    allow_outside: bool = False,
    problems: list[Problem] | None = None,
    limits: Limits | None = None,
    archive: ArchiveChoice = None,
) -> Campaign:
    """Read and check a campaign, its recipients and their file names; raise
    :class:`ValidationError` with every problem (warnings go to *problems*).
    *archive* overrides what the files say: ``"pdfa"``, ``"plain"``, or None
    (as the campaign and its base spec say)."""
    reporter = Reporter()
    with limits_.applied(limits), reported(Path(path)):
        campaign = read_campaign(path, reporter, allow_outside=allow_outside, problems=problems)
        if campaign is not None:
            campaign = replace(campaign, letter=archived(campaign.letter, archive))
            campaign = replace(campaign, filenames=output_names(campaign, reporter))
            _reserved_names(campaign, reporter)
            _hygiene(campaign, reporter)
    if problems is not None:
        ignore = campaign.letter.ignore_warnings if campaign is not None else ()
        problems.extend(silenced([p for p in reporter.problems if p.severity != "error"], ignore))
    reporter.raise_if_failed()
    assert campaign is not None
    return campaign


def _hygiene(campaign: Campaign, reporter: Reporter, *, cells: bool = True) -> None:
    """The rows' damaged or quoted text (unless *cells* is false), and the base
    spec's plain texts that print in a row's other language (at their line in
    the base spec)."""
    letter = campaign.letter
    rows = [(r.id, r.locale, r.origin, r.recipient) for r in campaign.recipients]
    spec = letter.inputs[0] if letter.inputs else None
    found = hygiene.campaign(letter, rows, cells=cells)
    by_origin = {r.origin: r for r in campaign.recipients}
    reporter.problems += [placed_in_spec(_in_cell(p, by_origin), spec) for p in found]


def _in_cell(problem: Problem, rows: dict[Origin, CampaignRecipient]) -> Problem:
    """A problem of a row's text, which names the row, at the cell it names
    (``organization '"Ministère"' is wrapped…`` at the organization cell)."""
    row = rows.get((problem.path, problem.line, problem.col))
    named = re.match(r"\w+", problem.message)
    if row is None or named is None or named.group() not in row.cells:
        return problem
    path, line, col = row.at(named.group())
    return replace(problem, path=path, line=line, col=col)


def _reserved_names(campaign: Campaign, reporter: Reporter) -> None:
    """Report a letter or combined PDF that would take a name the bundle keeps."""
    combined = campaign.combined.lower()
    for rid, name in campaign.filenames.items():
        if name.lower() in RESERVED or (combined and name.lower() == combined):
            row = campaign.get(rid)
            use = "the combined PDF" if name.lower() == combined else "its records"
            reporter.error(
                where_of(row.origin), "LK160",
                f"recipient '{rid}' gets the file name '{name}', which the bundle uses for "
                f"{use}; change output.filename or output.combined",
            )  # fmt: skip
    # output.combined cannot be one of RESERVED: it ends in .pdf (checked at its key).


def letter_for(campaign: Campaign, rid: str) -> Letter:
    """The letter of recipient *rid*, exactly as the bundle renders it."""
    row = campaign.get(rid)
    return replace(campaign.letter, recipients=(row.recipient,), locale=row.locale)


def check_campaign(
    path: str | Path, *, allow_outside: bool = False, limits: Limits | None = None
) -> list[Problem]:
    """Every problem of a campaign: its file, its recipients and every letter they
    get (see :func:`checked_campaign`)."""
    return checked_campaign(path, allow_outside=allow_outside, limits=limits).problems


def checked_campaign(
    path: str | Path,
    *,
    allow_outside: bool = False,
    limits: Limits | None = None,
    archive: ArchiveChoice = None,
) -> CheckResult:
    """Every problem of a campaign, with the counts of what was read: its file, its
    recipients and their file names; every row's letter checked without layout
    (its rules, its template merged with the row, every character it draws:
    :func:`~letterkit.bundle.rows.row_problems`); and one letter per language
    built whole, for what only a layout finds. A problem of a row is printed at
    its cell; one that the row's letter shares with others, once, naming the
    first recipient that has it. *archive* overrides the files' ``archive``
    as :func:`load_campaign`'s does."""
    problems: list[Problem] = []
    reporter = Reporter()
    campaign: Campaign | None = None
    base: list[Problem] = []  # the base letter's errors: its rows are checked all the same
    try:
        with limits_.applied(limits), reported(Path(path)):
            campaign = read_campaign(
                path, reporter, allow_outside=allow_outside, problems=problems,
                load=_leniently(base),
            )  # fmt: skip
            if campaign is not None:
                campaign = replace(campaign, letter=archived(campaign.letter, archive))
                campaign = replace(campaign, filenames=output_names(campaign, reporter))
                _reserved_names(campaign, reporter)
                _hygiene(campaign, reporter, cells=False)  # each row's check names its cells
    except ValidationError as exc:
        reporter.problems += exc.problems
    except InternalError as exc:
        reporter.problems.append(exc.problem)
    problems += base + reporter.problems
    if campaign is None:
        return counted(list(dict.fromkeys(problems)), 0, None)
    found = _Found(problems)
    with limits_.applied(limits):
        _check_rows(campaign, found, not base)
        if not base:
            _build_languages(campaign, found, limits)
    found_ = silenced(found.problems, campaign.letter.ignore_warnings)
    return counted(found_, len(campaign.recipients), campaign.letter)


def _leniently(failed: list[Problem]) -> Callable[..., Letter]:
    """A loader of a campaign's base letter that, when the letter has errors,
    adds them to *failed* and returns the letter as far as it could be read, so
    that the rows are checked against it."""

    def load(path: Path, *, allow_outside: bool, problems: list[Problem] | None) -> Letter:
        try:
            return load_letter(path, allow_outside=allow_outside, problems=problems)
        except ValidationError as exc:
            letter, _ = read_partly(Path(path), allow_outside)
            if letter is None:
                raise
            failed.extend(exc.problems)
            dated = isinstance(letter.date, dt.date)
            return letter if dated else replace(letter, date=SOME_DATE)

    return load


class _Found:
    """The problems of a campaign, each once: a row's own at its cells, the others
    (shared by the letters of a language, say) prefixed with the first row."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(dict.fromkeys(problems))
        self.seen = set(self.problems)
        self.failed: set[str] = set()

    def add(self, problem: Problem, row: CampaignRecipient) -> None:
        if problem.severity == "error":
            self.failed.add(row.id)
        at_row = (problem.path, problem.line, problem.col) in {row.origin, *row.cells.values()}
        if problem in self.seen:
            return
        self.seen.add(problem)
        if not at_row and problem.severity == "error":
            message = f"recipient '{row.id}' ({row.locale}): {problem.message}"
            problem = Problem(problem.path, problem.line, problem.col, problem.severity,
                              problem.code, message)  # fmt: skip
        self.problems.append(problem)


def _check_rows(campaign: Campaign, found: _Found, base_ok: bool) -> None:
    """Every row's letter, checked without layout (when the base letter has
    errors, *base_ok* is false: only what the row itself brings)."""
    orders: dict[str, list[Signatory]] = {}
    for row in campaign.recipients:
        if row.locale not in orders:
            try:
                with reported(campaign.path):
                    orders[row.locale] = signatories_of(letter_for(campaign, row.id))
            except ValidationError as exc:
                for problem in exc.problems:
                    found.add(problem, row)
            except InternalError as exc:
                found.add(exc.problem, row)
            orders.setdefault(row.locale, [])
        for problem in row_problems(campaign, row, orders[row.locale], base_ok=base_ok):
            found.add(problem, row)


def _build_languages(campaign: Campaign, found: _Found, limits: Limits | None) -> None:
    """One whole letter per language, built (a row whose letter has errors of its
    own is passed over): what only a layout and the annexes find."""
    tried: set[str] = set()
    for row in campaign.recipients:
        if row.locale in tried or row.id in found.failed:
            continue
        tried.add(row.locale)
        try:
            for problem in build_row(campaign, row.id, limits).warnings:
                found.add(problem, row)
        except ValidationError as exc:
            for problem in exc.problems:
                found.add(problem, row)


def build_row(campaign: Campaign, rid: str, limits: Limits | None = None) -> BuildResult:
    """The letter of recipient *rid*, built; its problems about the recipient's
    fields print at their cells, those about the base letter's fields at their
    line in the base spec (the letter was made from the spec and a row, so no
    reader placed them: :func:`~letterkit.bundle.rows.place`)."""
    letter = letter_for(campaign, rid)
    tall = too_tall(campaign.letter, campaign.get(rid))
    if tall:  # it would build, with a blank page 1
        raise ValidationError(tall)
    try:
        return build(letter, limits=limits)
    except ValidationError as exc:
        spec = letter.inputs[0] if letter.inputs else None
        raise ValidationError(place(exc.problems, campaign.get(rid), spec)) from None
