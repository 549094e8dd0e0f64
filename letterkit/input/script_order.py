"""Signatories → the order a letter's script and ``signatory_block.split`` ask for.

In a letter written in one script, names in that script come first, then the
others, each run in the collation's order: a Russian letter lists "Мемориал"
before "Amnesty International", an English one the other way round, an
Arabic one its Arabic names first. A name's script is that of its first
letter (of ``sort_as`` when given); a name that starts with no letter goes
with the letter's own script.

``split: types`` lists each group's organisations, then its individuals,
under the localized sub-headings "Organisations" and "Individuals" (after
the group's own name when the signatories have groups).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from .. import l10n, memo
from ..l10n import _
from ..model import Signatory

#: ISO 15924 code → the first word of Unicode's character names in that script.
_SCRIPT_WORDS = {
    "Latn": "LATIN", "Cyrl": "CYRILLIC", "Arab": "ARABIC", "Hebr": "HEBREW", "Grek": "GREEK",
    "Armn": "ARMENIAN", "Geor": "GEORGIAN",
}  # fmt: skip


@memo.table
@functools.lru_cache(maxsize=65536)
def name_script(text: str) -> str:
    """The first word of the Unicode name of *text*'s first letter ("LATIN",
    "CYRILLIC", "ARABIC"…), "" when it has no letter."""
    for char in text:
        if char.isalpha():
            return unicodedata.name(char, "").split(" ", 1)[0]
    return ""


def script_rank(locale: str) -> functools.partial[int]:
    """A key part for *locale*: 0 for a name in the letter's script (or with no
    letter), 1 for a name in another script."""
    return functools.partial(_rank, _SCRIPT_WORDS.get(l10n.script(locale), "LATIN"))


def _rank(own: str, signatory: Signatory) -> int:
    found = name_script(signatory.sort_as or signatory.name)
    return 0 if not found or found == own else 1


def split_types(members: Sequence[Signatory], locale: str) -> list[Signatory]:
    """A group's signatories (in print order), organisations first, then
    individuals, each carrying its sub-heading as its group."""
    out: list[Signatory] = []
    for kind, label in (
        ("organization", l10n.word(locale, _("Organisations"))),
        ("individual", l10n.word(locale, _("Individuals"))),
    ):
        run = [s for s in members if s.type == kind]
        if not run:
            continue
        heading = f"{run[0].group} – {label}" if run[0].group else label
        out += [replace(s, group=heading) for s in run]
    return out


__all__ = ["name_script", "script_rank", "split_types"]
