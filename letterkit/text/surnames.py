"""A person's name → the surname a greeting uses ("Ursula von der Leyen" → "von der Leyen").

The surname is the last word of the name with the particles written before it
that belong to it:

- lowercase particles of the European languages, as written ("Charles de
  Gaulle" → "de Gaulle", "Ludwig van Beethoven" → "van Beethoven", "Урсула
  фон дер Ляйен" → "фон дер Ляйен"), and the Latin-script ones written with a
  capital as Belgian, Dutch, French and Italian names have them ("Herman Van
  Rompuy", "Jean-Yves Le Drian", "Luigi Di Maio", "Alexander Van der
  Bellen"), but never as the first word, which is a given name ("Van
  Morrison", "Della Reese"). A capitalised "Van" is a middle name in a
  Vietnamese name ("Nguyen Van Nam" gives "Van Nam"): a ``surname`` given by
  the user settles such names;
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


#: Particles that European names also write with a capital ("Van Rompuy", "Le Drian").
_CAPITALISED = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "des", "la", "le",
     "ten", "ter"}
)  # fmt: skip


def _capitalised(word: str) -> bool:
    """A particle written with a capital ("Van", "De", "Le")."""
    word = unicodedata.normalize("NFC", word)
    return word[:1].isupper() and word[1:].islower() and word.lower() in _CAPITALISED


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
        elif _capitalised(before) and start > 1:  # not the first word: a given name
            start -= 1
        else:
            break
    return " ".join(words[start:])


__all__ = ["surname_of"]
