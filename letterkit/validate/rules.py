"""The letter's own fields: template, locale, date, words and numbers, case, signatories, people.

Each rule takes the letter and a :class:`~letterkit.validate._check.Check`
and adds a finding per problem, naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path

from .. import limits, memo
from .._resources import builtin_templates, names_a_file
from ..model import (
    Archive,
    Case,
    Collation,
    Dateline,
    DatelinePosition,
    Letter,
    Paper,
    Person,
    Privacy,
    Recipient,
    Sender,
    Signatory,
    SignatoryOrder,
    SignatoryStyle,
    SignatoryType,
)
from . import letterhead, same
from ._check import Check, Finding, literal
from .files import logo

#: Whole-number fields and their ranges.
COLUMNS = (1, 3)
EXPECTED = (0, 1_000_000)
AGE = (0, 150)
DATE_PRESETS = ("short", "medium", "long", "full")


def shapes(letter: Letter, check: Check) -> None:
    """The letter's lists are lists (a tuple or list, not None or one text) and
    its folder is a path: the other rules walk them."""
    if not isinstance(letter.base_dir, str | PathLike):
        check.error("letter.base_dir", "LK105", "'base_dir' must be a folder path")
    lists: list[tuple[str, object]] = [
        ("letter.signatories", letter.signatories),
        ("letter.recipients", letter.recipients),
        ("letter.annexes", letter.annexes),
        ("letter.cc", letter.cc),
    ]
    if isinstance(letter.sender, Sender):
        lists.append(("letter.sender.address", letter.sender.address))
    for index, recipient in enumerate(_listed(letter.recipients)):
        if isinstance(recipient, Recipient):
            lists.append((f"letter.recipients[{index}].address", recipient.address))
    if isinstance(letter.case, Case):
        lists.append(("letter.case.events", letter.case.events))
        lists.append(("letter.case.demands", letter.case.demands))
    for path, value in lists:
        if not isinstance(value, tuple | list):
            key = path.rsplit(".", 1)[-1]
            shown = "None" if value is None else f"a {type(value).__name__}"
            check.error(
                path, "LK105", f"'{key}' must be a tuple or list (use () for none), not {shown}"
            )


def _listed(value: object) -> tuple[object, ...] | list[object]:
    return value if isinstance(value, tuple | list) else ()


def template(letter: Letter, check: Check) -> None:
    value: object = letter.template
    if value is None or value == "" or (isinstance(value, Mapping) and not value):
        check.error(
            "letter.template",
            "LK104",
            "'template' is required: a built-in name such as appeal-release, or a .md file",
        )
        return
    if isinstance(value, Mapping):
        names = list(value.values())
    elif isinstance(value, str):
        names = [value]
    else:
        check.error(
            "letter.template", "LK105", "'template' must be a name, a path or {locale: path}"
        )
        return
    for name in names:
        if not isinstance(name, str):
            check.error("letter.template", "LK105", f"template '{name}' must be a name or a path")
        elif names_a_file(name):
            if not (Path(letter.base_dir) / name).is_file():
                check.error(
                    "letter.template", "LK110", f"template file '{name}' not found; check the path"
                )
        elif name not in builtin_templates():
            known = ", ".join(builtin_templates()) or "none"
            check.error(
                "letter.template",
                "LK110",
                f"unknown template '{name}'; built-in templates: {known}; "
                "or give a path to a .md file",
            )


def locale_ok(letter: Letter) -> bool:
    from .. import l10n

    try:
        l10n.parse_locale(letter.locale)
    except (ValueError, AttributeError):
        return False
    return isinstance(letter.locale, str)


def date(letter: Letter, check: Check) -> None:
    if letter.date is None:
        check.error("letter.date", "LK104", "'date' is required (the letter's date, YYYY-MM-DD)")
    else:
        check.date("letter.date", letter.date, "date")


def choices(letter: Letter, check: Check) -> None:
    check.choice("letter.paper", letter.paper, literal(Paper))
    check.choice("letter.signatory_order", letter.signatory_order, literal(SignatoryOrder))
    check.choice("letter.signatory_style", letter.signatory_style, literal(SignatoryStyle))
    check.whole("letter.signatory_columns", letter.signatory_columns, COLUMNS)
    check.choice("letter.privacy", letter.privacy, literal(Privacy))
    if letter.archive is not None:
        check.choice("letter.archive", letter.archive, literal(Archive))
    check.choice("letter.collation", letter.collation, literal(Collation))
    if letter.collation == "icu" and not icu_available():
        check.error(
            "letter.collation",
            "LK105",
            "collation 'icu' needs PyICU, which is not installed: pip install 'letterkit[icu]' "
            "(it builds against the ICU library), or use 'uca'",
        )
    for name in ("justify",):
        if not isinstance(getattr(letter, name), bool):
            check.error(f"letter.{name}", "LK105", f"'{name}' must be true or false")
    if letter.subject_prefix is not None and not isinstance(letter.subject_prefix, str):
        check.error("letter.subject_prefix", "LK105", "'subject_prefix' must be text")
    if not isinstance(letter.variables, Mapping):
        check.error("letter.variables", "LK105", "'variables' must be a mapping")


def dateline(letter: Letter, check: Check) -> None:
    line = letter.dateline
    if not isinstance(line, Dateline):
        check.error("letter.dateline", "LK105", "'dateline' must be a Dateline")
        return
    check.choice("letter.dateline.position", line.position, literal(DatelinePosition))
    if not isinstance(line.format, str) or not valid_date_format(line.format):
        check.error(
            "letter.dateline.format",
            "LK105",
            f"dateline format '{line.format}' is not short, medium, long, full or a Babel "
            "date pattern with d, M and y (e.g. 'd MMMM y')",
        )
    if not isinstance(line.trailing_comma, bool):
        check.error(
            "letter.dateline.trailing_comma", "LK105", "'trailing_comma' must be true or false"
        )


def valid_date_format(fmt: str) -> bool:
    """A preset, or a Babel pattern that formats a date and shows day, month and year."""
    from .. import l10n

    if fmt in DATE_PRESETS:
        return True
    letters = set(re.sub(r"'[^']*'", "", fmt))
    if not {"d", "M", "y"} <= letters or letters & set("HhKkmsSaAzZvVOXx"):
        return False
    try:
        l10n.format_date(dt.date(2018, 12, 6), "en", fmt)
    except Exception:  # Babel raises several kinds for a bad pattern
        return False
    return True


def icu_available() -> bool:
    """Whether PyICU (the ``icu`` extra) can be imported."""
    try:
        import icu  # noqa: F401
    except ImportError:
        return False
    return True


def case(letter: Letter, check: Check) -> None:
    from .. import countries, l10n

    case = letter.case
    if case is None:  # a letter about no one case; templates that need one say so
        return
    if not isinstance(case, Case):
        check.error("letter.case", "LK105", f"'case' must be a Case, not a {type(case).__name__}")
        return
    _person(case.person, check)
    if case.country:
        try:
            countries.country_name(str(case.country), "en")
        except (ValueError, LookupError):
            code = countries.code_for(str(case.country))
            hint = f"write its code, {code}" if code else "e.g. KG"
            check.error(
                "letter.case.country",
                "LK105",
                f"'{case.country}' is not an ISO 3166 country code ({hint})",
            )
    given = case.country_name
    if not isinstance(given, str) and not l10n.is_localizable_mapping(given):
        check.error(  # a mapping may leave languages out: they keep their own name
            "letter.case.country_name", "LK105",
            "'country_name' must be text or a mapping {locale: text}",
        )  # fmt: skip
    if case.detained_on is not None:
        check.date("letter.case.detained_on", case.detained_on, "detained_on")
    for index, event in enumerate(case.events):
        path = f"letter.case.events[{index}]"
        check.date(f"{path}.date", getattr(event, "date", None), "date")
        if not getattr(event, "text", ""):
            check.error(f"{path}.text", "LK104", "'event text' is required; add it")
    if not isinstance(case.facts, Mapping):
        check.error("letter.case.facts", "LK105", "'facts' must be a mapping")


def _person(person: object, check: Check) -> None:
    if not isinstance(person, Person):
        check.error("letter.case.person", "LK105", "'person' must be a Person with at least a name")
        return
    if not person.name or (isinstance(person.name, str) and not person.name.strip()):
        check.error("letter.case.person.name", "LK104", "'person.name' is required; add it")
    elif not isinstance(person.name, str):
        check.error("letter.case.person.name", "LK105", "'person.name' must be text")
    names = person.names
    if not isinstance(names, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in names.items()
    ):
        check.error("letter.case.person.names", "LK105", "'names' must be a mapping {locale: name}")
    if person.age is not None:
        check.whole("letter.case.person.age", person.age, AGE)
    born = person.born
    if born is not None and not (isinstance(born, int) and not isinstance(born, bool)):
        check.date("letter.case.person.born", born, "born")


#: The findings of a signatory list, by the list itself: the letters of a
#: bundle share one tuple of signatories, checked once for all of them.
_LISTS: dict[int, tuple[object, tuple[Finding, ...]]] = memo.table({})


def signatories(letter: Letter, check: Check) -> None:
    entries = letter.signatories
    cached = _LISTS.get(id(entries))
    if cached is not None and cached[0] is entries:
        found = cached[1]
    else:
        found = _list(entries)
        if isinstance(entries, tuple):  # immutable, so its findings stay true
            memo.keep(_LISTS, id(entries), (entries, found), 8)
    check.found.extend(found)
    _text(entries, check)
    _count(letter, check)


def text_too_long(most: int) -> str:
    """The LK105 message for a signatory list whose text passes *most* characters,
    printed at the row that passes it."""
    return (
        f"the signatory list passes {most:,} characters of text here (names, affiliations, "
        "titles… together), more than a letter can carry; shorten the affiliations or "
        "split the list"
    )


#: The fields of a signatory whose text counts towards the limit.
TEXT_FIELDS = (
    "name", "acronym", "country", "affiliation", "title", "group", "sort_as", "note", "signed_by",
)  # fmt: skip


def _text(entries: Sequence[object], check: Check) -> None:
    """The list's text within :attr:`~letterkit.Limits.signatory_text`, reported at
    the signatory that passes it."""
    most = limits.current().signatory_text
    total = 0
    for index, s in enumerate(entries):
        if not isinstance(s, Signatory):
            continue
        total += sum(len(v) for v in (getattr(s, k) for k in TEXT_FIELDS) if isinstance(v, str))
        if total > most:
            check.add(f"letter.signatories[{index}]", "LK105", text_too_long(most), at=s.origin)
            return


def _list(entries: Sequence[object]) -> tuple[Finding, ...]:
    """Each signatory's own problems, and names listed twice."""
    check = Check()
    seen: dict[str, list[Signatory]] = {}
    allowed = literal(SignatoryType)
    for index, s in enumerate(entries):
        path = f"letter.signatories[{index}]"
        if not isinstance(s, Signatory):
            check.error(path, "LK105", f"a signatory must be a Signatory, not a {type(s).__name__}")
            continue
        at = s.origin
        if not isinstance(s.name, str) or not s.name.strip():
            check.add(
                f"{path}.name", "LK120",
                "signatory has no name; fill in the 'name' cell or delete the row", at=at,
            )  # fmt: skip
            continue
        for key in TEXT_FIELDS[1:]:
            if not isinstance(getattr(s, key), str):
                check.add(f"{path}.{key}", "LK105", f"'{key}' must be text ('' for none)", at=at)
        for key in ("lead", "withhold"):
            if not isinstance(getattr(s, key), bool):
                check.add(f"{path}.{key}", "LK105", f"'{key}' must be True or False", at=at)
        if s.type not in allowed:
            check.add(
                f"{path}.type", "LK105",
                f"type must be 'organization' or 'individual', not '{s.type}'", at=at,
            )  # fmt: skip
        # Rows of one name that differ in an identifying field may be two
        # people: the hygiene check warns of them (LK123).
        twin = next((t for t in seen.get(s.name.casefold(), ()) if not _apart(s, t)), None)
        if twin is not None:
            first = twin.origin
            also = f"{first[0]}:{first[1]}" if first and first[1] else "earlier in the list"
            # A withheld name is never printed: CI logs may be public.
            who = "a withheld signatory" if s.withhold or twin.withhold else f"'{s.name}'"
            check.add(path, "LK121", f"{who} is listed twice (also at {also}); delete one", at=at)
        else:
            seen.setdefault(s.name.casefold(), []).append(s)
    return tuple(check.found)


def _apart(a: Signatory, b: Signatory) -> bool:
    return bool(same.differing(same.fields(a), same.fields(b)))


def _count(letter: Letter, check: Check) -> None:
    expected = letter.expected_signatories
    counted = expected is not None and check.whole(
        "letter.expected_signatories", expected, EXPECTED
    )
    if counted and expected != len(letter.signatories):
        check.error(
            "letter.expected_signatories",
            "LK122",
            f"expected_signatories is {expected} but the list has "
            f"{len(letter.signatories)}; fix the list or the number",
        )
    if not letter.signatories:
        check.add(
            "letter.signatories", "LK122",
            "the letter has no signatories; add them in 'signatories'", "warning",
        )  # fmt: skip


def people(letter: Letter, check: Check) -> None:
    sender = letter.sender
    if sender is not None:
        if not isinstance(sender, Sender):
            check.error("letter.sender", "LK105", "'sender' must be a Sender")
        else:
            if not sender.name:
                check.error("letter.sender.name", "LK104", "'sender.name' is required; add it")
            if sender.logo is not None:
                logo(Path(sender.logo), letter.base_dir, check)
            letterhead.sender(sender, Path(letter.base_dir), check)
    for index, recipient in enumerate(letter.recipients):
        path = f"letter.recipients[{index}]"
        if not isinstance(recipient, Recipient):
            check.error(path, "LK105", "a recipient must be a Recipient")
        elif not recipient.name:
            check.error(f"{path}.name", "LK104", "'recipient name' is required; add it")
