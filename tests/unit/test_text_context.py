"""What a template sees: the letter's data under dotted names, withheld names left out."""

from __future__ import annotations

import datetime as dt

from letterkit.model import Person, Signatory
from letterkit.text.context import Data, build_context, person_name

from ._letters import letter


def test_the_context_has_every_documented_name() -> None:
    context = build_context(letter(variables={"campaign": {"year": 2018}}), [], [])
    assert set(context) == {
        "letter", "case", "person", "recipients", "recipient", "sender", "signatories",
        "signatory_counts", "annexes", "variables",
    }  # fmt: skip
    assert context["recipient"]["name"] == "Federica Mogherini"
    assert context["letter"]["date"] == dt.date(2018, 12, 6)
    assert context["variables"]["campaign"].lk_name == "variables.campaign"


def test_age_comes_from_the_birth_year() -> None:
    assert build_context(letter(), [], [])["person"]["age"] == 67


def test_a_withheld_signatory_keeps_only_what_is_counted() -> None:
    """This test ensures that a withheld signatory's name never reaches a template."""
    hidden = Signatory(name="Secret Name", acronym="SN", affiliation="Secret", withhold=True)
    [entry] = build_context(letter(), [hidden], [])["signatories"]
    assert isinstance(entry, Data)
    assert entry["withheld"] is True
    assert "Secret" not in repr(dict(entry))


def test_person_name_follows_the_locale() -> None:
    case = letter().case
    person = Person(name="Azimjon Askarov", names={"ru": "Азимжан Аскаров"})
    localized = letter(locale="ru-RU", case=type(case)(person=person))
    assert person_name(localized) == "Азимжан Аскаров"
    assert person_name(letter(case=type(case)(person=person))) == "Azimjon Askarov"
