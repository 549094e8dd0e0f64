"""The letter's own words given as plain text → LK116 where they print in
another language (for :mod:`.hygiene`).

A plain ``subject``, ``place``, ``salutation`` or ``closing`` (a string, not a
``{locale: text}`` mapping) prints as written in every letter made from the
spec. The rule is kept narrow, so that it raises no false alarms:

1. **Script:** the text's letters are all of one script (Latin, Cyrillic,
   Greek, Hebrew, Arabic; at least three letters), and the letter's language
   is written in another (a Russian letter with ``subject: Free Askarov``).
   Mixed text (a Russian sentence with a Latin name) is never flagged.
2. **Inherited:** a part of a letter in several languages, or a campaign's
   letter for a row, is in another language than the spec's ``locale`` and
   prints the spec's plain ``subject``, ``salutation`` or ``closing``: these are
   taken to be written in the spec's language. ``place`` is left to rule 1,
   since a town's name is often the same in both languages.

A recipient's own salutation or closing (a campaign row's) is the row's, not
the spec's, and is not looked at.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

from ..model import Letter, LetterPart, Recipient
from ._check import Check

#: A campaign row as :func:`campaign_texts` needs it: id, locale, origin, recipient.
Row = tuple[str, str, tuple[str, int | None, int | None], Recipient]

FIELDS = ("subject", "place", "salutation", "closing")
#: The fields rule 2 looks at: sentences, not names.
_SENTENCES = ("subject", "salutation", "closing")
_SCRIPTS = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "ARABIC": "Arab",
}
_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Hebr": "Hebrew", "Arab": "Arabic"}
_SILENCE = "(silence with --no-warn LK116 or 'warnings: {ignore: [LK116]}' in the spec)"


def language(tag: str) -> str:
    """``en-GB`` → ``en``."""
    return tag.replace("_", "-").split("-")[0].lower()


@functools.lru_cache(maxsize=64)
def _locale_script(tag: str) -> str | None:
    from .. import l10n

    try:
        found = l10n.script(tag)
    except (ValueError, LookupError):  # a locale Babel does not know: LK105's
        return None
    return found if found in _NAMES else None


def text_script(text: str) -> str | None:
    """The one script the letters of *text* are written in, or None (fewer than
    three letters, several scripts, or none of :data:`_SCRIPTS`).

    >>> text_script("Free Askarov"), text_script("Свобода Askarov"), text_script("ЕС")
    ('Latn', None, None)
    """
    seen: set[str] = set()
    count = 0
    for char in text:
        if char.isalpha():
            script = _SCRIPTS.get(unicodedata.name(char, "").split(" ", 1)[0])
            if script is not None:
                seen.add(script)
                count += 1
    return seen.pop() if count >= 3 and len(seen) == 1 else None


def clash(text: str, tag: str) -> tuple[str, str] | None:
    """(the text's script, the language's) when they differ, else None."""
    own = _locale_script(tag)
    written = text_script(text)
    if own is None or written is None or own == written:
        return None
    return _NAMES[written], _NAMES[own]


def _plain(letter: Letter, field: str) -> str | None:
    value = getattr(letter, field)
    return value if isinstance(value, str) and value.strip() else None


def plain_texts(letter: Letter, check: Check) -> None:
    """Rule 1 for the letter, and rule 2 for each of its parts."""
    if not isinstance(letter.locale, str):
        return
    for field in FIELDS:
        value = _plain(letter, field)
        hit = clash(value, letter.locale) if value is not None else None
        if hit is not None:
            check.add(
                f"letter.{field}", "LK116",
                f"'{field}' is plain text in {hit[0]} script ('{value}'), and the letter is in "
                f"{letter.locale}, written in {hit[1]}: it prints as written; translate it, or "
                f"give it per language ({field}: {{{language(letter.locale)}: ...}}) {_SILENCE}",
                "warning",
            )  # fmt: skip
    parts = letter.parts if isinstance(letter.parts, tuple | list) else ()
    for index, part in enumerate(parts):
        if not isinstance(part, LetterPart) or not isinstance(part.locale, str):
            continue
        if language(part.locale) == language(letter.locale):
            continue
        for field in _SENTENCES:
            value = _plain(letter, field)
            if value is None or getattr(part, field) is not None or clash(value, part.locale):
                continue  # rule 1 speaks of the part's own clash
            check.add(
                f"letter.{field}", "LK116",
                f"'{field}' is plain text, so part {index + 1} ({part.locale}) prints it as "
                f"written, in the spec's language ({letter.locale}); give it in the part, or "
                f"per language ({field}: {{{language(letter.locale)}: ..., "
                f"{language(part.locale)}: ...}}) {_SILENCE}",
                "warning",
            )  # fmt: skip


def campaign_texts(letter: Letter, rows: Sequence[Row], check: Check) -> None:
    """Rules 1 and 2 for a campaign: one warning per field of the spec, naming
    the languages and the first rows whose letters print it."""
    if not isinstance(letter.locale, str):
        return
    base = language(letter.locale)
    hits: dict[str, list[tuple[str, str]]] = {}
    for rid, locale, _, recipient in rows:
        if not isinstance(locale, str) or language(locale) == base:
            continue  # the spec's own language: the letter's validation speaks of it
        for field in FIELDS:
            value = _plain(letter, field)
            if value is None or getattr(recipient, field, None) is not None:
                continue
            if field in _SENTENCES or clash(value, locale):
                hits.setdefault(field, []).append((rid, locale))
    for field, found in hits.items():
        locales = list(dict.fromkeys(locale for _, locale in found))
        ids = [rid for rid, _ in found]
        rows_shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        check.add(
            f"letter.{field}", "LK116",
            f"'{field}' is plain text, so the letters in {', '.join(locales)} (recipients "
            f"{rows_shown}) print it as written, in the spec's language ({letter.locale}); "
            f"give it per language ({field}: {{{base}: ..., {language(locales[0])}: ...}}) "
            f"{_SILENCE}",
            "warning",
        )  # fmt: skip


__all__ = ["FIELDS", "Row", "campaign_texts", "clash", "language", "plain_texts", "text_script"]
