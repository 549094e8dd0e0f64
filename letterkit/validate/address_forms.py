"""The words a greeting agrees with: the person's and each recipient's
``gender`` (female or male, in any case, or f/m) and each recipient's
``office`` (see :data:`letterkit.model.OFFICE_WORDS`)."""

from __future__ import annotations

import difflib

from ..model import GENDER_WORDS, OFFICE_WORDS, Case, Letter, Person, Recipient
from ._check import Check

_GENDERS = "female, male (or f, m, in any case)"


def address_forms(letter: Letter, check: Check) -> None:
    """``gender`` is female or male; ``office`` is one of the known offices."""
    case = letter.case
    if isinstance(case, Case) and isinstance(case.person, Person):
        _gender(check, "letter.case.person.gender", case.person.gender)
    for index, recipient in enumerate(letter.recipients):
        if not isinstance(recipient, Recipient):
            continue  # reported with the recipients
        path = f"letter.recipients[{index}]"
        _gender(check, f"{path}.gender", recipient.gender)
        office = recipient.office
        if office and OFFICE_WORDS.get(str(office).strip().lower()) is None:
            allowed = ", ".join(dict.fromkeys(OFFICE_WORDS.values()))
            check.error(
                f"{path}.office", "LK105",
                f"'office' must be one of {allowed}, not '{office}'{office_hint(str(office))}",
            )  # fmt: skip


#: Words a user may write for an office, and the office letterkit calls it.
_OFFICE_SYNONYMS = {
    "president": "head-of-state", "king": "monarch", "queen": "monarch",
    "emir": "monarch", "sultan": "monarch", "prime minister": "head-of-government",
    "premier": "head-of-government", "chancellor": "head-of-government",
    "foreign minister": "minister", "secretary of state": "minister",
    "mp": "parliamentarian", "mep": "parliamentarian", "member of parliament":
    "parliamentarian", "senator": "parliamentarian", "deputy": "parliamentarian",
    "envoy": "ambassador", "high commissioner": "ambassador",
}  # fmt: skip


def office_hint(text: str) -> str:
    """ "; did you mean 'head-of-state'?" for an office written in other words or
    misspelt ("" when nothing is close)."""
    word = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    known = _OFFICE_SYNONYMS.get(word)
    if known is None:
        close = difflib.get_close_matches(word, list(dict.fromkeys(OFFICE_WORDS.values())), 1)
        known = close[0] if close else None
    return f"; did you mean '{known}'?" if known else ""


def _gender(check: Check, path: str, value: object) -> None:
    if value and (not isinstance(value, str) or value.strip().lower() not in GENDER_WORDS):
        check.error(path, "LK105", f"'gender' must be {_GENDERS}, not '{value}'")
