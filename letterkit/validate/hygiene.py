"""A letter's data → warnings about what spreadsheets and haste do to a list.

Warnings, never errors: each names the row or field (both rows of a pair),
says what a person should look at and how to fix it, and can be turned off
by its code (``--no-warn LK123``, or ``warnings: {ignore: [LK123]}`` in the
spec; :func:`silenced`).

- LK123: two signatories whose names are the same once case, apostrophes,
  quote marks, punctuation, spaces, a leading "The" and a bracketed acronym
  are set aside ("The Lantern Fund" / "Lantern Fund"), or a name that is
  another row's acronym ("HRW" / "Human Rights Watch (HRW)"), or rows of one
  name (but for case) that differ in an identifying field, who may be two
  people (:mod:`.same`); equal names with nothing to tell them apart are the
  LK121 error, not this. Rows are put in buckets by their folded name, so
  10,000 signatories take one pass.
- LK124: text that was damaged on the way: only question marks, the
  replacement character ``�``, UTF-8 read as Windows-1252 (``Ã©``), or
  Cyrillic and Arabic opened in the wrong encoding (``РџСЂ``, ``Ïðà``,
  ``ظ…``), with the repaired text when it can be repaired (:mod:`.damage`);
  Excel's way to save UTF-8 is named only for a CSV or XLSX file.
- LK125: a name wrapped in quote marks (``"Amnesty International"``).
- LK116: a plain (not per-language) text of the letter's own words
  (``subject``, ``place``, ``salutation``, ``closing``) that prints in a
  letter of another language: in a script the letter's language does not
  use (Latin in a Russian letter), or, in a part or a campaign's letter whose
  language differs from the spec's ``locale``, inherited from the spec
  (:mod:`.plain_texts`).

A withheld signatory's name is never shown: its problems cite its row.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence

from .. import memo
from ..errors import CODES, Problem, UsageError
from ..model import Letter, LocalText, Recipient, Signatory
from ._check import Check, Finding
from .damage import lost, misread, mojibake, wrapped
from .plain_texts import Row, campaign_texts, plain_texts
from .same import differing, fields

#: Signatory fields a quote mark should not wrap (a note may be a quotation).
_NAMED = ("name", "acronym", "country", "affiliation", "title", "signed_by")
_SIGNATORY_TEXT = (*_NAMED, "group", "sort_as", "note")
_ACRONYM = re.compile(r"\s*[(\[]\s*([^\s()\[\]]{2,15})\s*[)\]]\s*$")
_THE = re.compile(r"^the\s+")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
_SHEET = re.compile(r"\.(csv|tsv|txt|xlsx)(\[[^\]]*\]!.*)?$", re.IGNORECASE)
_LOCALE_ENTRY = re.compile(r"\[([^\]\d][^\]]*)\]$")
_INVISIBLE = frozenset(("Cf", "Cc", "Zs", "Zl", "Zp"))
_SILENCE = "(silence with --no-warn {code} or 'warnings: {{ignore: [{code}]}}' in the spec)"
#: Texts whose damage (LK124) is kept in memory, a few large lists' worth.
_TEXTS_KEPT = 50_000
_FOUND: dict[int, tuple[tuple[Signatory, ...], tuple[Finding, ...]]] = memo.table({})


def codes(values: Iterable[str], what: str = "--no-warn") -> tuple[str, ...]:
    """Problem codes as given by a user (``lk123`` too) → the known codes;
    :class:`UsageError` naming any that letterkit does not have."""
    if isinstance(values, str):
        values = [values]
    out = tuple(dict.fromkeys(str(v).strip().upper() for v in values))
    unknown = [c for c in out if c not in CODES]
    if unknown:
        raise UsageError(
            f"{what} {', '.join(unknown)}: not a problem code of letterkit; write a code "
            "as problems print it (e.g. LK123; the README's table lists them)"
        )
    return out


def silenced(problems: Iterable[Problem], ignore: Iterable[str]) -> list[Problem]:
    """*problems* without the warnings whose code is in *ignore*; errors always stay."""
    off = set(ignore) if not isinstance(ignore, str) else {ignore}
    return [p for p in problems if p.severity == "error" or p.code not in off]


def hygiene(letter: Letter, check: Check) -> None:
    """The letter's warnings about its data: near-duplicate signatories,
    damaged or quoted text, plain texts in another language."""
    _ignore_field(letter, check)
    check.found += _signatories(letter.signatories)
    for path, value, named in _letter_texts(letter):
        _text(path, value, named, None, check)
    plain_texts(letter, check)


def campaign(letter: Letter, rows: Sequence[Row], *, cells: bool = True) -> list[Problem]:
    """What a campaign's rows add: damaged or quoted text in the recipients
    table (unless *cells* is false: each row's own check names the cell), and
    the base letter's plain texts printed in a row's language. Problems about
    the base letter's fields name the field (``letter.subject``)."""
    check = Check()
    for _, _, origin, recipient in rows if cells else ():
        for path, value, named in _recipient_texts("recipient", recipient):
            _text(path, value, named, origin, check)
    campaign_texts(letter, rows, check)
    return [f.problem for f in check.found]


def _ignore_field(letter: Letter, check: Check) -> None:
    """``ignore_warnings`` is a tuple of letterkit's codes."""
    value = letter.ignore_warnings
    if not isinstance(value, tuple | list) or not all(isinstance(c, str) for c in value):
        check.error("letter.ignore_warnings", "LK105", "'ignore_warnings' must be a tuple of codes")
        return
    unknown = [c for c in value if c not in CODES]
    if unknown:
        check.error(
            "letter.ignore_warnings", "LK105",
            f"'{unknown[0]}' is not a problem code of letterkit (e.g. LK123)",
        )  # fmt: skip


# -- LK123 ---------------------------------------------------------------------


def fold(name: str) -> tuple[str, str]:
    """A name → (its folded key, its bracketed acronym or "").

    >>> fold("The Lantern Fund"), fold("Human Rights Watch (HRW)")
    (('lanternfund', ''), ('humanrightswatch', 'HRW'))
    >>> fold("Ligue des droits de l’Homme") == fold("Ligue des Droits de l'Homme")
    True
    """
    acronym = ""
    found = _ACRONYM.search(name)
    if found and sum(c.isupper() for c in found.group(1)) >= 2 and found.start() > 0:
        acronym = found.group(1)
        name = name[: found.start()]
    text = _THE.sub("", unicodedata.normalize("NFKC", name).casefold().strip())
    if text.isascii():
        return _NOT_ASCII_WORD.sub("", text), acronym
    return "".join(
        c for c in text if unicodedata.category(c)[0] in "LMN" and c not in "ʼʻ"
    ), acronym


#: :func:`fold` kept by the name: a list read again has its names folded already.
_folded = memo.table(functools.lru_cache(maxsize=_TEXTS_KEPT)(fold))


def _cite(origin: tuple[str, int | None, int | None] | None, index: int) -> str:
    if origin is None:
        return f"letter.signatories[{index}]"
    path, line = origin[0], origin[1]
    return path if "]!" in path or line is None else f"{path}:{line}"


def _signatories(entries: tuple[Signatory, ...]) -> tuple[Finding, ...]:
    """LK123, LK124 and LK125 for the list, remembered: the letters of a
    campaign share one list, and a bundle validates each."""
    if not isinstance(entries, tuple):
        entries = tuple(entries)
    kept = _FOUND.get(id(entries))
    if kept is not None and kept[0] is entries:
        return kept[1]
    check = Check()
    names: dict[str, int] = {}
    acronyms: dict[str, int] = {}
    rows = [(i, s) for i, s in enumerate(entries) if isinstance(s, Signatory)]
    rows = [(i, s) for i, s in rows if isinstance(s.name, str) and s.name.strip()]
    keys = {}
    for index, s in rows:
        key, bracketed = _folded(s.name)
        keys[index] = key
        acronym = s.acronym if isinstance(s.acronym, str) and s.acronym.strip() else bracketed
        if acronym:
            acronyms.setdefault(_folded(acronym)[0], index)
        for field in _SIGNATORY_TEXT:
            value = getattr(s, field)
            if isinstance(value, str) and value:
                path = f"letter.signatories[{index}].{field}"
                _text(path, value, field in _NAMED, s.origin, check, s.withhold)
        if not key:
            continue
        first = names.setdefault(key, index)
        if first != index:
            other = entries[first]
            if s.name.casefold() != other.name.casefold():
                _pair(index, s, first, other, "name", check)
            elif differing(fields(s), fields(other)):  # else the LK121 error says it
                _pair(index, s, first, other, "same", check)
    for index, s in rows:
        other_index = acronyms.get(keys[index])
        if other_index is None or keys.get(other_index) == keys[index]:
            continue
        _pair(index, s, other_index, entries[other_index], "acronym", check)
    found = tuple(check.found)
    memo.keep(_FOUND, id(entries), (entries, found), 4)
    return found


def _pair(index: int, s: Signatory, first: int, other: Signatory, how: str, check: Check) -> None:
    """LK123 at row *index*, citing row *first*."""
    also = _cite(other.origin, first)
    hidden = s.withhold or other.withhold
    if hidden:
        what = f"a withheld signatory and the one at {also} have"
        what += " a name and an acronym alike" if how == "acronym" else " names alike"
    elif how == "acronym":
        what = f"'{_visible(s.name)}' is the acronym of '{_visible(other.name)}' at {also}"
    elif how == "same":
        told = " and ".join(differing(fields(s), fields(other)))
        what = f"'{_visible(s.name)}' at {also} has the same name with a different {told}"
    else:
        what = (
            f"'{_visible(s.name)}' and '{_visible(other.name)}' at {also} differ only in case, "
            "punctuation, a leading 'The' or an acronym"
        )
    if how == "same":
        fix = "if they are two people, keep both; if one, delete a row"
    elif "individual" in (s.type, other.type) and how == "name":
        apart = (s.affiliation, s.country) != (other.affiliation, other.country)
        kind = "people" if apart else "people of one name"
        fix = f"if they are two {kind}, keep both; if one, delete a row"
    else:
        fix = "if they are one signatory, delete a row; if two, keep both"
    message = f"{what}: {fix} {_SILENCE.format(code='LK123')}"
    check.add(f"letter.signatories[{index}]", "LK123", message, "warning", s.origin)


def _visible(name: str) -> str:
    r"""*name* with its invisible characters (zero-width spaces and joiners,
    controls, spaces other than U+0020) written as escapes, so that two names
    that print alike can be told apart.

    >>> _visible("Amnesty\u200bInternational")
    'Amnesty\\u200bInternational'
    """
    return "".join(
        f"\\u{ord(c):04x}" if c != " " and unicodedata.category(c) in _INVISIBLE else c
        for c in name
    )


# -- LK124, LK125 --------------------------------------------------------------


def _local(path: str, value: LocalText | None) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, text in value.items():
            if isinstance(text, str):
                yield f"{path}[{key}]", text


def _recipient_texts(path: str, r: object) -> Iterator[tuple[str, str, bool]]:
    if not isinstance(r, Recipient):
        return
    for field in ("name", "honorific", "title", "organization", "salutation", "closing", "surname"):
        named = field in ("name", "title", "organization", "surname")
        for where, text in _local(f"{path}.{field}", getattr(r, field)):
            yield where, text, named
    if isinstance(r.address, tuple):
        for i, line in enumerate(r.address):
            for where, text in _local(f"{path}.address[{i}]", line):
                yield where, text, False


def _letter_texts(letter: Letter) -> Iterator[tuple[str, str, bool]]:
    """Every text of the letter but the signatories', with whether it is a name."""
    for field in ("subject", "place", "salutation", "closing"):
        for where, text in _local(f"letter.{field}", getattr(letter, field)):
            yield where, text, False
    for index, r in enumerate(letter.recipients):
        yield from _recipient_texts(f"letter.recipients[{index}]", r)
    sender = letter.sender
    if sender is not None:
        for where, text in _local("letter.sender.name", getattr(sender, "name", None)):
            yield where, text, True
    case = letter.case
    person = getattr(case, "person", None)
    if person is not None and isinstance(getattr(person, "name", None), str):
        yield "letter.case.person.name", person.name, True
    if person is not None:
        for field in ("role", "hometown"):
            for where, text in _local(f"letter.case.person.{field}", getattr(person, field, "")):
                yield where, text, False
    for where, text in _local("letter.case.sentence", getattr(case, "sentence", "")):
        yield where, text, False
    for name in ("events", "demands"):
        items = getattr(case, name, ())
        for i, item in enumerate(items if isinstance(items, tuple | list) else ()):
            value = getattr(item, "text", None) if name == "events" else item
            for where, text in _local(f"letter.case.{name}[{i}]", value):
                yield where, text, False


@memo.table
@functools.lru_cache(maxsize=_TEXTS_KEPT)
def _damage(value: str) -> tuple[str | None, bool, str, str | None]:
    """How *value* was damaged: (what was lost, whether it was misread, how, its
    repair). Kept by the text alone, so a list read again (a watched letter
    saved with one row changed) has only its new texts looked at again."""
    why = lost(value)
    bad, repaired = mojibake(value) if why is None else (False, None)
    how = "UTF-8 text opened as Windows-1252 or Latin-1 ('Ã©' for 'é')"
    other = misread(value) if why is None and not bad else None
    if other is not None:
        bad, (how, repaired) = True, other
    return why, bad, how, repaired


def _text(
    path: str,
    value: str,
    named: bool,
    at: tuple[str, int | None, int | None] | None,
    check: Check,
    withheld: bool = False,
) -> None:
    """LK124 for damaged text, LK125 for a quoted name, at *path* (or at *at*)."""
    label = _LOCALE_ENTRY.sub(r" (\1)", path.rsplit(".", 1)[-1])  # role[fr] → role (fr)
    shown = "(withheld, not shown)" if withheld else f"'{value}'"
    why, bad, how, repaired = _damage(value)
    fix = "save the file as UTF-8"
    if at is not None and _SHEET.search(at[0]):  # Excel's advice for Excel's files only
        fix += " (in Excel: 'CSV UTF-8 (Comma delimited)')"
    if why == "question":
        message = (
            f"{label} {shown} has question marks where its letters were: they were lost when "
            f"the file was saved in an encoding that cannot hold them; type them again and {fix}"
        )
    elif why == "replacement":
        message = (
            f"{label} {shown} holds '\ufffd', a character lost when the file was read in the "
            f"wrong encoding; type it again and {fix}"
        )
    elif bad:
        if repaired is not None and not withheld:
            guess = f"it probably reads '{repaired}'; correct it and "
        else:
            guess = "correct it and "
        message = f"{label} {shown} looks like {how}: {guess}{fix}"
    else:
        message = ""
    if message:
        check.add(path, "LK124", message, "warning", at)
    inner = wrapped(value) if named else None
    if inner is not None:
        bare = "the text" if withheld else f"'{inner}'"
        check.add(
            path, "LK125",
            f"{label} {shown} is wrapped in quote marks, which print as written (a spreadsheet "
            f"adds them when a cell is quoted twice); write it as {bare}",
            "warning", at,
        )  # fmt: skip


__all__ = ["campaign", "codes", "fold", "hygiene", "silenced"]
