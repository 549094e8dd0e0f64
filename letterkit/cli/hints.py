"""What went wrong on the command line → the line that says how to go on: the
recipient id that was meant, what a run stopped by a failure left.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ..errors import UsageError


def no_recipient(ids: Sequence[str], wanted: str) -> UsageError:
    """The error for ``--recipient WANTED`` that names no recipient, with the
    id that was probably meant (the same but for case, or a close one)."""
    same = [rid for rid in ids if rid.casefold() == wanted.casefold()]
    close = same or difflib.get_close_matches(wanted, list(ids), 1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return UsageError(f"the campaign has no recipient '{wanted}'{hint}")


def stopped_by_failure(written: int, total: int) -> str:
    """The line after the problems of a bundle stopped by a letter that failed."""
    return (
        f"letterkit: stopped at the first letter that failed: {written} "
        f"of {total} letters written; fix it and run the same command again, or add "
        "--keep-going to build the others"
    )
