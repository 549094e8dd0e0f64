"""Letter → salutation: the greeting made from the addressees when no one gives one.

The conventions: an Excellency is greeted as such; French greets by title
alone ("Monsieur,", "Mesdames, Messieurs,"); other languages name every
addressee by honorific and last name in one line; a group addressee gets the
language's "Dear Sir or Madam,".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .. import l10n
from ..model import Letter

_EXCELLENCY = re.compile(
    r"excellen|exzellenz|excelencia|превосходительств|\b[HS]\.\s?E\.|\bS\.\s?Exc", re.IGNORECASE
)


_FRENCH_TITLES = {
    "m": "Monsieur", "m.": "Monsieur", "monsieur": "Monsieur", "mr": "Monsieur", "mr.": "Monsieur",
    "mme": "Madame", "mme.": "Madame", "madame": "Madame", "ms": "Madame", "ms.": "Madame",
    "mrs": "Madame", "mrs.": "Madame",
}  # fmt: skip


def _french_salutation(people: Sequence[Any], honorifics: Sequence[str]) -> str:
    """French letters greet by title alone: "Monsieur,", "Madame,", "Mesdames, Messieurs,"."""
    titles = [_FRENCH_TITLES.get(h.strip().lower(), "") for h in honorifics]
    if len(people) == 1 and titles[0]:
        return f"{titles[0]},"
    if len(people) > 1 and titles and all(titles) and len(set(titles)) == 1:
        return "Messieurs," if titles[0] == "Monsieur" else "Mesdames,"
    return "Mesdames, Messieurs," if len(people) > 1 else "Madame, Monsieur,"


def built_salutation(letter: Letter) -> str:
    """The salutation made from the addressees when no one gives one.

    One addressee who is an Excellency: "Your Excellency,"; several: "Excellencies,".
    Otherwise one combined line, "Dear Ms. Mogherini," or "Dear Mr Tusk, Mr Juncker
    and Ms Mogherini," (honorific and last name; the whole name without an
    honorific). A group addressee (a name alone) or none: "Dear Sir or Madam,".
    """
    loc = letter.locale
    people = letter.recipients
    if not people:
        return l10n.word(loc, l10n._("Dear Sir or Madam,"))
    honorifics = [l10n.localize(r.honorific, loc) for r in people]
    if all(_EXCELLENCY.search(h) for h in honorifics):
        if len(people) == 1:
            return l10n.word(loc, l10n._("Your Excellency,"))
        return l10n.word(loc, l10n._("Excellencies,"))
    if l10n.parse_locale(loc).language == "fr":
        return _french_salutation(people, honorifics)
    names: list[str] = []
    for r, honorific in zip(people, honorifics, strict=True):
        name = l10n.localize(r.name, loc)
        if not (honorific or r.title or r.organization or r.address):
            return l10n.word(loc, l10n._("Dear Sir or Madam,"))
        if honorific and not _EXCELLENCY.search(honorific):
            names.append(f"{honorific} {name.split()[-1]}")
        else:
            names.append(name)
    return l10n.nword(
        loc,
        *l10n.N_("Dear {names},", "Dear {names},"),
        len(names),
        names=l10n.join_list(names, loc),
    )


__all__ = ["built_salutation"]
