"""A campaign → its letters: loaded with their file names, one letter per recipient,
and checked as a whole.

Reading the file is :mod:`letterkit.input.campaign`, rendering the file names
:mod:`letterkit.text.filenames`; this module puts the two together and says
what the bundle makes of a row (:func:`letter_for`), so that ``render
CAMPAIGN --recipient ID`` and the bundle make the same letter.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import limits as limits_
from ..errors import Problem, ValidationError
from ..input.campaign import Campaign, read_campaign
from ..input.sources import Reporter, placed_in_spec, where_of
from ..limits import Limits
from ..model import Letter
from ..pipeline import BuildResult, build, reported
from ..text.filenames import output_names
from ..validate import hygiene
from ..validate.hygiene import silenced
from .manifest import MANIFEST
from .state import STATE

__all__ = ["build_row", "check_campaign", "letter_for", "load_campaign"]

#: File names a bundle keeps for its own records.
RESERVED = {MANIFEST, STATE}


def load_campaign(
    path: str | Path,
    *,
    allow_outside: bool = False,
    problems: list[Problem] | None = None,
    limits: Limits | None = None,
) -> Campaign:
    """Read and check a campaign, its recipients and their file names; raise
    :class:`ValidationError` with every problem (warnings go to *problems*)."""
    reporter = Reporter()
    with limits_.applied(limits), reported(Path(path)):
        campaign = read_campaign(path, reporter, allow_outside=allow_outside, problems=problems)
        if campaign is not None:
            campaign = replace(campaign, filenames=output_names(campaign, reporter))
            _reserved_names(campaign, reporter)
            _hygiene(campaign, reporter)
    if problems is not None:
        ignore = campaign.letter.ignore_warnings if campaign is not None else ()
        problems.extend(silenced([p for p in reporter.problems if p.severity != "error"], ignore))
    reporter.raise_if_failed()
    assert campaign is not None
    return campaign


def _hygiene(campaign: Campaign, reporter: Reporter) -> None:
    """The rows' damaged or quoted text, and the base spec's plain texts that
    print in a row's other language (at their line in the base spec)."""
    letter = campaign.letter
    rows = [(r.id, r.locale, r.origin, r.recipient) for r in campaign.recipients]
    spec = letter.inputs[0] if letter.inputs else None
    reporter.problems += [placed_in_spec(p, spec) for p in hygiene.campaign(letter, rows)]


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
    if combined in RESERVED:
        reporter.error(
            where_of(campaign.output_at), "LK160",
            f"output.combined '{campaign.combined}' is a name the bundle uses for its records",
        )  # fmt: skip


def letter_for(campaign: Campaign, rid: str) -> Letter:
    """The letter of recipient *rid*, exactly as the bundle renders it."""
    row = campaign.get(rid)
    return replace(campaign.letter, recipients=(row.recipient,), locale=row.locale)


def check_campaign(
    path: str | Path, *, allow_outside: bool = False, limits: Limits | None = None
) -> list[Problem]:
    """Every problem of a campaign: its file, its recipients, the file names, and one
    built letter per language (to catch template and translation problems)."""
    problems: list[Problem] = []
    try:
        campaign = load_campaign(
            path, allow_outside=allow_outside, problems=problems, limits=limits
        )
    except ValidationError as exc:
        return problems + exc.problems
    tried: set[str] = set()
    for row in campaign.recipients:
        if row.locale in tried:
            continue
        tried.add(row.locale)
        try:
            problems += build_row(campaign, row.id, limits).warnings
        except ValidationError as exc:
            problems += [
                Problem(p.path, p.line, p.col, p.severity, p.code,
                        f"recipient '{row.id}' ({row.locale}): {p.message}")
                for p in exc.problems
            ]  # fmt: skip
    return problems


def build_row(campaign: Campaign, rid: str, limits: Limits | None = None) -> BuildResult:
    """The letter of recipient *rid*, built; its problems about the base letter's
    fields print at their line in the base spec (the letter was made from the
    spec and a row, so no reader placed them)."""
    letter = letter_for(campaign, rid)
    try:
        return build(letter, limits=limits)
    except ValidationError as exc:
        spec = letter.inputs[0] if letter.inputs else None
        raise ValidationError([placed_in_spec(p, spec) for p in exc.problems]) from None
