"""The spec's ``warnings:`` mapping → the warning codes the letter does not report.

``warnings: {ignore: [LK123, LK116]}`` (one code, or a list): a campaign's
letters take it from the base spec. Errors are never silenced; an unknown
code is an error naming the item, with the closest code letterkit has.
"""

from __future__ import annotations

import difflib

from ..errors import CODES
from .fields import Reader
from .sources import Located, LocatedList

WARNINGS_KEYS = ("ignore",)


def read_ignored(spec: Located, reader: Reader) -> tuple[str, ...]:
    """The codes under ``warnings.ignore``; each bad one reported at its item."""
    given = spec.get("warnings")
    if isinstance(given, str | list):  # the codes alone, where a mapping goes
        codes = ", ".join(str(c) for c in (given if isinstance(given, list) else [given]))
        reader.error(
            spec.where("warnings"), "LK105",
            f"'warnings' must be a mapping; write 'warnings: {{ignore: [{codes}]}}'",
            "letter.ignore_warnings",
        )  # fmt: skip
        return ()
    data = reader.section(spec, "warnings", WARNINGS_KEYS)
    if data is None:
        return ()
    value = data.get("ignore")
    where = reader.mark("letter.ignore_warnings", data.where("ignore"))
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for index, item in enumerate(items):
        at = value.where(index) if isinstance(value, LocatedList) else where
        code = str(item).strip().upper() if isinstance(item, str | int) else ""
        if code in CODES:
            out.append(code)
            continue
        close = difflib.get_close_matches(code, list(CODES), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        reader.error(
            at, "LK105",
            f"warnings.ignore: '{item}' is not a problem code of letterkit; {hint}"
            "write codes as they print, e.g. [LK123, LK116]",
            "letter.ignore_warnings",
        )  # fmt: skip
    return tuple(dict.fromkeys(out))


__all__ = ["WARNINGS_KEYS", "read_ignored"]
