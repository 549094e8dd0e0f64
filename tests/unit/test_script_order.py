"""Signatory order per script: names in the letter's script first, the rest after,
each run in the collation's order; lead signatories first; ``split: types``."""

from __future__ import annotations

import pytest

from letterkit import l10n
from letterkit.input import signatories
from letterkit.input.script_order import name_script, split_types
from letterkit.model import Signatory

LATIN = ["Amnesty International", "Freedom Now", "Zeta Watch"]
CYRILLIC = ["Бюро по правам человека", "Мемориал", "Өмүр"]
ARABIC = ["الشبكة العربية", "مركز القاهرة"]


def names(order: list[Signatory]) -> list[str]:
    return [s.name for s in order]


def mixed() -> list[Signatory]:
    everyone = [*LATIN, *CYRILLIC, *ARABIC]
    return [Signatory(name=n) for n in reversed(everyone)]


@pytest.mark.parametrize("locale", ["ru", "ky", "kk", "uz-Cyrl"])
def test_a_cyrillic_letter_lists_cyrillic_names_first(locale: str) -> None:
    order = names(signatories.ordered(mixed(), "alphabetical", "uca", locale))
    assert order[:3] == CYRILLIC
    assert order[3:] == LATIN + ARABIC  # the rest in the collation's (DUCET) order


@pytest.mark.parametrize("locale", ["en-GB", "en-US", "fr", "de", "tr", "uz"])
def test_a_latin_letter_lists_latin_names_first(locale: str) -> None:
    order = names(signatories.ordered(mixed(), "alphabetical", "uca", locale))
    assert order == LATIN + CYRILLIC + ARABIC


def test_an_arabic_letter_lists_arabic_names_first() -> None:
    order = names(signatories.ordered(mixed(), "alphabetical", "uca", "ar"))
    assert order == ARABIC + LATIN + CYRILLIC


def test_within_a_script_the_order_is_the_collations() -> None:
    people = [Signatory(name=n, sort_as=s) for n, s in [("Яна Б", "Б Яна"), ("Анна Я", "Я Анна")]]
    order = names(signatories.ordered(people, "alphabetical", "uca", "ru"))
    assert order == ["Яна Б", "Анна Я"]  # sort_as decides, as before


def test_sort_as_decides_the_script_too() -> None:
    people = [Signatory(name="Мемориал"), Signatory(name="HRC Memorial", sort_as="Правозащитный")]
    order = names(signatories.ordered(people, "alphabetical", "uca", "ru"))
    assert order == ["Мемориал", "HRC Memorial"]


def test_lead_signatories_stay_first() -> None:
    people = [Signatory(name="Zeta Lead", lead=True), *mixed()]
    order = names(signatories.ordered(people, "alphabetical", "uca", "ru"))
    assert order[0] == "Zeta Lead"
    assert order[1:4] == CYRILLIC


def test_as_given_keeps_the_given_order() -> None:
    people = mixed()
    assert names(signatories.ordered(people, "as-given", "uca", "ru")) == names(people)


def test_a_name_without_letters_goes_with_the_letters_script() -> None:
    people = [Signatory(name="Мемориал"), Signatory(name="19 Марта"), Signatory(name="Amnesty")]
    order = names(signatories.ordered(people, "alphabetical", "uca", "ru"))
    assert order == ["19 Марта", "Мемориал", "Amnesty"]
    assert name_script("2019") == ""
    assert name_script("«Мемориал»") == "CYRILLIC"


def test_locale_scripts() -> None:
    assert [l10n.script(t) for t in ("ru", "ky", "kk", "uz", "uz-Cyrl", "ar", "en-US")] == [
        "Cyrl", "Cyrl", "Cyrl", "Latn", "Cyrl", "Arab", "Latn",
    ]  # fmt: skip


def test_split_types_puts_organisations_first_under_sub_headings() -> None:
    people = [
        Signatory(name="Ivan", type="individual"),
        Signatory(name="Amnesty"),
        Signatory(name="Withheld", withhold=True),
        Signatory(name="Anna", type="individual", lead=True),
    ]
    order = signatories.ordered(people, "alphabetical", "uca", "en-GB", "types")
    assert [(s.name, s.group) for s in order] == [
        ("Amnesty", "Organisations"),
        ("Withheld", "Organisations"),
        ("Anna", "Individuals"),
        ("Ivan", "Individuals"),
    ]
    ru = signatories.ordered(people, "alphabetical", "uca", "ru", "types")
    assert [s.group for s in ru] == ["Организации"] * 2 + ["Частные лица"] * 2


def test_split_types_within_groups() -> None:
    people = [
        Signatory(name="Ivan", type="individual", group="Europe"),
        Signatory(name="Amnesty", group="Europe"),
        Signatory(name="Asia Org", group="Asia"),
    ]
    order = split_types(signatories.ordered(people, "alphabetical")[:2], "en-GB")
    assert [s.group for s in order] == ["Europe – Organisations", "Europe – Individuals"]


def test_split_types_leaves_out_an_empty_kind() -> None:
    order = signatories.ordered([Signatory(name="A")], "alphabetical", "uca", "en-GB", "types")
    assert [s.group for s in order] == ["Organisations"]
