"""A person's name → the surname a greeting uses ("Ursula von der Leyen" → "von der Leyen").

The surname is the last word of the name with the particles written before it
that belong to it:

- lowercase particles of the European languages, as written ("Charles de
  Gaulle" → "de Gaulle", "Ludwig van Beethoven" → "van Beethoven", "Урсула
  фон дер Ляйен" → "фон дер Ляйен"); a capitalised one only directly before a
  lowercase one ("Alexander Van der Bellen" → "Van der Bellen"), since a
  capitalised "Van" or "Le" alone may be a middle name (Vietnamese "Nguyen Van
  Nam"), and a ``surname`` given by the user settles those;
- the Irish and Scottish Gaelic particles in any case ("Seán Ó Súilleabháin",
  "Máire Ní Bhraonáin", "Seán Mac Giolla Phádraig": "Giolla" after a particle
  is part of the surname).

Nothing else is guessed: a Spanish double surname or a name written family
name first needs the recipient's ``surname``. A hyphenated word is one word
("Jean-Luc Mélenchon" → "Mélenchon"; "al-Sharif" stays whole).
"""

from __future__ import annotations

import unicodedata

#: Particles taken only as written, in lowercase.
_LOWERCASE = frozenset(
    {
        "von", "van", "vom", "zu", "zum", "zur", "der", "den", "des", "de", "del", "della",
        "dei", "degli", "di", "da", "do", "dos", "das", "du", "la", "le", "ten", "ter",
        "af", "av", "bin", "ibn", "al", "el",
        "фон", "ван", "дер", "де", "ди", "да", "дель", "ла", "ле", "дю", "цу",
    }
)  # fmt: skip

#: Particles taken in any case: Irish and Scottish Gaelic (casefolded, NFC).
_GAELIC = frozenset(
    {"ó", "o'", "o’", "ní", "nic", "mac", "mc", "ua", "uí", "mhic", "nig"}
)  # fmt: skip

#: A word that is part of the surname after a Gaelic particle ("Mac Giolla Phádraig").
_GAELIC_SECOND = frozenset({"giolla", "ghiolla"})


def _gaelic(word: str) -> bool:
    return unicodedata.normalize("NFC", word).casefold() in _GAELIC


def _lowercase(word: str) -> bool:
    return unicodedata.normalize("NFC", word) in _LOWERCASE


def _capitalised(word: str) -> bool:
    """A lowercase particle written with a capital ("Van", "De")."""
    return word[:1].isupper() and word[1:].islower() and _lowercase(word.lower())


def surname_of(name: str) -> str:
    """The surname a greeting uses: the last word of *name* and the particles before it."""
    words = name.split()
    if len(words) < 2:
        return name.strip()
    start = len(words) - 1
    while start > 0:
        before = words[start - 1]
        if _lowercase(before) or _gaelic(before):
            start -= 1
        elif (
            unicodedata.normalize("NFC", before).casefold() in _GAELIC_SECOND
            and start > 1
            and _gaelic(words[start - 2])
        ):
            start -= 2
        elif _capitalised(before) and _lowercase(words[start]) and start < len(words) - 1:
            start -= 1
        else:
            break
    return " ".join(words[start:])


__all__ = ["surname_of"]
