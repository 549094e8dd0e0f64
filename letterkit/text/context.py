"""Letter → template context: the names and values a template sees.

The context holds ``letter``, ``case``, ``person``, ``recipients`` (and
``recipient`` when there is one), ``sender``, ``signatories``,
``signatory_counts`` (``total``, ``organizations``, ``individuals``),
``annexes`` and ``variables``. Mappings in it are :class:`Data`, which know their dotted name,
so a missing value is reported as ``case.facts.nope``. A withheld signatory's
name, acronym, affiliation and title never enter it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import l10n
from ..model import GENDER_WORDS, Case, Letter, LocalText, Recipient, Signatory
from .address_forms import gender_of, office_of


class Data(dict[str, Any]):
    """A mapping in the template context that knows its dotted name (for error messages)."""

    def __init__(self, lk_name: str, /, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lk_name = lk_name


def person_name(letter: Letter) -> str:
    """The case person's name as spelled in the letter's language ("" without a case)."""
    if letter.case is None:
        return ""
    person = letter.case.person
    return person.names.get(letter.locale) or next(
        (person.names[k] for k in l10n.locale_chain(letter.locale) if k in person.names),
        person.name,
    )


def build_context(
    letter: Letter, signatories: Sequence[Signatory], annexes: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The names a template sees: letter, case, person, recipients, recipient, sender,
    signatories, signatory_counts, annexes, variables. A letter without a case has no ``case`` and
    no ``person`` (``{% if case is defined %}`` tells)."""
    recipients = [_recipient(r) for r in letter.recipients]
    sender = letter.sender
    context: dict[str, Any] = {
        "letter": Data(
            "letter",
            date=letter.date,
            locale=letter.locale,
            digits=letter.digits,
            place=letter.place,
            subject=letter.subject,
            paper=letter.paper,
        ),
        "recipients": recipients,
        "sender": Data(
            "sender",
            name=sender.name if sender else "",
            address=list(sender.address) if sender else [],
            email=sender.email if sender else "",
        ),
        "signatories": [_signatory(s) for s in signatories],
        "signatory_counts": _counts(signatories),
        "annexes": [Data("annex", a) for a in annexes],
        "variables": _data("variables", letter.variables),
    }
    if len(recipients) == 1:
        context["recipient"] = recipients[0]
    if letter.case is not None:
        context["person"] = _person(letter, letter.case)
        context["case"] = _case(letter.case, context["person"])
    return context


def _person(letter: Letter, case: Case) -> Data:
    person = case.person
    age = person.age
    if age is None and person.born is not None:
        age = l10n.age(person.born, letter.date)
    return Data(
        "person",
        name=person.name,
        names=Data("person.names", person.names),
        display_name=person_name(letter),
        gender=GENDER_WORDS.get(str(person.gender).strip().lower(), person.gender),
        age=age,
        born=person.born,
        role=person.role,
        hometown=person.hometown,
    )


def _counts(signatories: Sequence[Signatory]) -> Data:
    """How many sign, by type (withheld names count too)."""
    individuals = sum(1 for s in signatories if s.type == "individual")
    return Data(
        "signatory_counts",
        total=len(signatories),
        organizations=len(signatories) - individuals,
        individuals=individuals,
    )


def _case(case: Case, person: Data) -> Data:
    return Data(
        "case",
        person=person,
        country=case.country,
        country_name=case.country_name,
        detained_on=case.detained_on,
        sentence=case.sentence,
        events=[Data("event", date=e.date, text=e.text) for e in case.events],
        demands=list(case.demands),
        facts=_data("case.facts", case.facts),
    )


def _recipient(r: Recipient) -> Data:
    return Data(
        "recipient",
        honorific=r.honorific,
        name=r.name,
        title=r.title,
        organization=r.organization,
        address=list(r.address),
        email=r.email,
        salutation=r.salutation or "",
        gender=gender_of(r, _all_spellings(r.honorific)),
        office=office_of(r, (_all_spellings(r.title), _all_spellings(r.name))),
    )


def _all_spellings(text: LocalText) -> str:
    """Every spelling of a localizable text, for the words that say gender or office."""
    return text if isinstance(text, str) else " ".join(str(v) for v in text.values() if v)


def _signatory(s: Signatory) -> Data:
    return Data(
        "signatory",
        name="" if s.withhold else s.name,
        type=s.type,
        acronym="" if s.withhold else s.acronym,
        country=s.country,
        affiliation="" if s.withhold else s.affiliation,
        title="" if s.withhold else s.title,
        group=s.group,
        lead=s.lead,
        withheld=s.withhold,
    )


def _data(name: str, value: Any) -> Any:
    if isinstance(value, Mapping) and not l10n.is_localizable_mapping(value):
        return Data(name, {k: _data(f"{name}.{k}", v) for k, v in value.items()})
    if isinstance(value, list):
        return [_data(name, v) for v in value]
    return value


__all__ = ["Data", "build_context", "person_name"]
