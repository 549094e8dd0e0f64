"""The letter's optional parts: dateline display, page numbers, and what needs a case.

A letter may leave out its case, its addressees, its dateline, its salutation,
its closing and its page numbers. These rules check the words that choose
those shapes, and that nothing left in the letter still needs what was left
out (a generated chronology lists the case's events).
"""

from __future__ import annotations

from ..model import Annex, Dateline, DatelineAlign, Letter, PageNumbers
from ._check import Check, literal


def optional_parts(letter: Letter, check: Check) -> None:
    """``dateline.show`` and ``align``, ``page_numbers``, a chronology without a case."""
    line = letter.dateline
    if isinstance(line, Dateline):
        if not isinstance(line.show, bool):
            check.error("letter.dateline.show", "LK105", "'show' must be true or false")
        check.choice("letter.dateline.align", line.align, literal(DatelineAlign))
    check.choice("letter.page_numbers", letter.page_numbers, literal(PageNumbers))
    if letter.case is not None:
        return
    for index, annex in enumerate(letter.annexes):
        if isinstance(annex, Annex) and annex.generate == "chronology":
            check.error(
                f"letter.annexes[{index}].generate",
                "LK104",
                "'generate: chronology' lists the case's events, and the letter has no case; "
                "add 'case:' to the spec or remove this annex",
            )


__all__ = ["optional_parts"]
