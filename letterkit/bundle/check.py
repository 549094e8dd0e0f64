"""A spec or a campaign → every problem with it, and what was read, writing nothing.

The front door of ``letterkit check``: a campaign is checked as a whole, every
recipient row included (:func:`~letterkit.bundle.campaign.check_campaign`), a
letter spec or a :class:`Letter` by building it. Every check runs whatever
else failed: when the letter cannot be built, the letter as far as it could
be read is still merged with its template and its characters checked against
the fonts (:mod:`.drawn`), so one run finds what several would. A check whose
input could not be read has nothing to say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import InternalError, Problem, ValidationError, path_argument
from ..input.campaign import is_campaign
from ..input.letter_spec import ArchiveChoice, archived, load_letter
from ..input.sources import display_path
from ..limits import Limits, applied
from ..model import Letter, part_letter
from ..pipeline import PathLike, build, reported
from ..validate import findings
from ..validate.hygiene import codes, silenced
from .campaign import checked_campaign
from .counts import CheckResult, counted
from .drawn import MERGED_FROM, SOME_DATE, drawn_problems, read_partly, signatories_of

__all__ = ["CheckResult", "check", "checked"]


def check(
    letter: Letter | PathLike,
    *,
    allow_outside: bool = False,
    limits: Limits | None = None,
    no_warn: Iterable[str] = (),
    archive: ArchiveChoice = None,
) -> list[Problem]:
    """Every problem with a letter or a campaign (errors and warnings); ``[]`` when
    it is fine. Bad input is reported, not raised; nothing is written.

    *no_warn* lists warning codes not to report (``["LK123"]``), beside the
    spec's own ``warnings: {ignore: [...]}``; errors are always reported.
    An unknown code is a :class:`~letterkit.errors.UsageError`. *archive*
    (``"pdfa"``, ``"plain"``) checks the letter as ``--archive`` or
    ``--no-archive`` builds it (an annex that keeps it from PDF/A: LK135)."""
    return checked(
        letter, allow_outside=allow_outside, limits=limits, no_warn=no_warn, archive=archive
    ).problems


def checked(
    letter: Letter | PathLike,
    *,
    allow_outside: bool = False,
    limits: Limits | None = None,
    no_warn: Iterable[str] = (),
    archive: ArchiveChoice = None,
) -> CheckResult:
    """:func:`check`'s problems, with the counts of what it read (letters,
    signatories, withheld names, annexes) for its summary line; *archive*
    checks the letter as ``--archive`` (``"pdfa"``) or ``--no-archive``
    (``"plain"``) builds it."""
    off = codes(no_warn, "no_warn")
    if not isinstance(letter, Letter):
        path_argument(letter, "check's argument (a Letter or a spec)")
    if not isinstance(letter, Letter) and is_campaign(Path(letter)):
        result = checked_campaign(
            Path(letter), allow_outside=allow_outside, limits=limits, archive=archive
        )
        return replace(result, problems=silenced(result.problems, off))
    found: list[Problem] = []
    with applied(limits):
        read, unread = _letter(letter, allow_outside, found)
        if read is not None:
            read = archived(read, archive)
            found += _built(read, _failed(found), unread)
    ignore = {*off, *(read.ignore_warnings if read is not None else ())}
    return counted(silenced(list(dict.fromkeys(found)), ignore), 1, read)


def _failed(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def _letter(
    letter: Letter | PathLike, allow_outside: bool, found: list[Problem]
) -> tuple[Letter | None, bool]:
    """The letter to check: *letter* itself (its problems added to *found*), or
    the spec read (as far as it can be, when it has errors); and whether its
    template or case could not be read (then it is not merged)."""
    if isinstance(letter, Letter):
        found += [f.problem for f in findings(letter)]
        return letter, False
    try:
        with reported(letter):
            return load_letter(letter, allow_outside=allow_outside, problems=found), False
    except ValidationError as exc:
        found += exc.problems
    except InternalError as exc:
        found.append(exc.problem)
        return None, False
    return read_partly(Path(letter), allow_outside)


#: The problems of a template that cannot be merged.
_TEMPLATE = ("LK110", "LK111", "LK112", "LK113", "LK114")


def _built(letter: Letter, failed: bool, unread: bool) -> list[Problem]:
    """The problems found by building *letter*; when it has errors (*failed*) or
    its build stops at one, the checks the build did not reach, run on their own."""
    if not failed:
        try:
            with reported(letter):
                return list(build(letter).warnings)
        except ValidationError as exc:
            if any(p.code == "LK140" for p in exc.problems):
                return exc.problems  # every stage before the layout ran
            merged = not any(p.code in _TEMPLATE for p in exc.problems)  # else not twice
            return exc.problems + _drawn(letter, merge=merged and not unread, whole=True)
        except InternalError as exc:
            return [exc.problem]
    return _drawn(letter, merge=not unread, whole=False)


def _kept(problem: Problem) -> bool:
    """Whether a problem of merging a letter that has errors of its own says
    something true of the template whatever the data: it cannot be found, has a
    syntax error, or requires a case field the case lacks. Anything else (a
    value missing, a date that makes no sense) may come from what was not read."""
    if problem.code == "LK112":
        return problem.message.startswith("the template requires case field")
    return problem.code not in _TEMPLATE or problem.code in ("LK110", "LK111")


def _drawn(letter: Letter, *, merge: bool, whole: bool) -> list[Problem]:
    """:func:`~letterkit.bundle.drawn.drawn_problems` of a letter that has errors
    (*whole* when it was read without any, and its build stopped at one): run for
    each language it is written in, on what could be read. A check that fails on
    what is missing has nothing to say."""
    bad = {f.field for f in findings(letter) if f.problem.severity == "error"}
    if not isinstance(letter.date, dt.date):
        letter = replace(letter, date=SOME_DATE)
    if any(f.startswith("letter.fonts") for f in bad):
        letter = replace(letter, fonts=None)  # its characters checked against the bundled fonts
    if any(f == "letter" or f.startswith(("letter.signatories", "letter.parts")) for f in bad):
        return []  # the lists the checks walk are not lists
    merged_ok = merge and not any(f.startswith(MERGED_FROM) for f in bad)
    spec = display_path(letter.inputs[0]) if letter.inputs else "<letter>"
    found: list[Problem] = []
    versions = [part_letter(letter, i) for i in range(len(letter.parts))] or [letter]
    for version in versions:
        try:
            with reported(version):
                found += drawn_problems(version, signatories_of(version), spec, merged_ok=merged_ok)
        except (ValidationError, InternalError):
            continue
    return found if whole else [p for p in found if _kept(p)]
