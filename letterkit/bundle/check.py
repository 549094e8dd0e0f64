"""A spec or a campaign → every problem with it, writing nothing.

The front door of ``letterkit check``: a campaign is checked as a whole
(:func:`~letterkit.bundle.campaign.check_campaign`), a letter spec or a
:class:`Letter` by building it (:func:`~letterkit.pipeline.check_letter`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem, path_argument
from ..input.campaign import is_campaign
from ..limits import Limits
from ..model import Letter
from ..pipeline import PathLike, check_letter
from ..validate.hygiene import codes, silenced
from .campaign import check_campaign


def check(
    letter: Letter | PathLike,
    *,
    allow_outside: bool = False,
    limits: Limits | None = None,
    no_warn: Iterable[str] = (),
) -> list[Problem]:
    """Every problem with a letter or a campaign (errors and warnings); ``[]`` when
    it is fine. Bad input is reported, not raised; nothing is written.

    *no_warn* lists warning codes not to report (``["LK123"]``), beside the
    spec's own ``warnings: {ignore: [...]}``; errors are always reported.
    An unknown code is a :class:`~letterkit.errors.UsageError`."""
    off = codes(no_warn, "no_warn")
    if not isinstance(letter, Letter):
        path_argument(letter, "check's argument (a Letter or a spec)")
    if not isinstance(letter, Letter) and is_campaign(Path(letter)):
        found = check_campaign(Path(letter), allow_outside=allow_outside, limits=limits)
    else:
        found = check_letter(letter, allow_outside=allow_outside, limits=limits)
    return silenced(found, off)
