"""The letterhead's shape: where the sender's logo goes, and the row of co-signers' logos.

A :class:`~letterkit.model.Sender` → findings: ``logo_position`` is one of
its words (with a "did you mean" for a near miss), ``logos`` holds 2 to 12
files, each a PNG or JPEG held to the same rules as the sender's ``logo``.
"""

from __future__ import annotations

import difflib
from os import PathLike
from pathlib import Path

from ..model import LOGOS, LogoPosition, Sender
from ._check import Check, literal
from .files import logo


def sender(sender: Sender, base: Path, check: Check) -> None:
    """The letterhead keys of *sender* beyond its name, address and logo."""
    position = sender.logo_position
    allowed = literal(LogoPosition)
    if position not in allowed:
        close = difflib.get_close_matches(str(position), allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        check.error(
            "letter.sender.logo_position",
            "LK105",
            f"'logo_position' must be one of {', '.join(allowed)}, not '{position}'{hint}",
        )
    elif position != "auto" and sender.logo is None:
        check.add(
            "letter.sender.logo_position", "LK105",
            f"'logo_position: {position}' places the sender's 'logo', and there is none; "
            "add 'logo' or remove 'logo_position'",
            "warning",
        )  # fmt: skip
    _logos(sender.logos, base, check)


def _logos(logos: object, base: Path, check: Check) -> None:
    field = "letter.sender.logos"
    if not isinstance(logos, tuple | list):
        shown = "text" if isinstance(logos, str) else type(logos).__name__
        check.error(field, "LK105", f"'logos' must be a tuple or list of paths, not {shown}")
        return
    if not logos:
        return
    low, high = LOGOS
    if len(logos) == 1:
        check.error(
            field, "LK105",
            "'logos' holds one logo; a row needs 2 to 12: put a single logo in 'logo'",
        )  # fmt: skip
    elif len(logos) > high:
        check.error(
            field, "LK105",
            f"'logos' holds {len(logos)} logos; a row takes {low} to {high}: "
            "leave some out, or name the co-signers in the text",
        )  # fmt: skip
    for index, path in enumerate(logos):
        at = f"{field}[{index}]"
        if isinstance(path, str | PathLike):
            logo(Path(path), base, check, at)
        else:
            check.error(at, "LK105", f"a logo must be a path, not a {type(path).__name__}")
