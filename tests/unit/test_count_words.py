"""The count style's words: organisations and individuals apart, each number
with its language's plural form; the UN's country names where CLDR's differ."""

from __future__ import annotations

import pytest

from letterkit import countries, l10n

COUNTS = [
    ("en-GB", 32, 13, "32 organisations and 13 individuals"),
    ("en-GB", 1, 1, "1 organisation and 1 individual"),
    ("en-GB", 0, 0, "0 organisations"),
    ("ru", 21, 22, "21 организация и 22 частных лица"),
    ("ru", 22, 21, "22 организации и 21 частное лицо"),
    ("ru", 25, 11, "25 организаций и 11 частных лиц"),
    ("ru", 111, 0, "111 организаций"),
    ("ar", 2, 1, "منظمتان وفرد واحد"),
    ("ar", 5, 11, "5 منظمات و11 فردًا"),
    ("ar", 100, 0, "100 منظمة"),
    ("fr", 2, 1, "2 organisations et 1 personne à titre individuel"),
    ("es", 1, 2, "1 organización y 2 personas a título individual"),
    ("de", 1, 2, "1 Organisation und 2 Einzelpersonen"),
    ("ky", 32, 13, "32 уюм жана 13 жеке адам"),
    ("kk", 32, 13, "32 ұйым және 13 жеке тұлға"),
    ("tr", 32, 13, "32 kuruluş ve 13 birey"),
    ("uz", 32, 13, "32 tashkilot va 13 jismoniy shaxs"),
]


@pytest.mark.parametrize(("locale", "orgs", "people", "expected"), COUNTS)
def test_counts_by_type(locale: str, orgs: int, people: int, expected: str) -> None:
    assert l10n.signatory_counts(orgs, people, locale) == expected


@pytest.mark.parametrize(
    ("locale", "organisations", "individuals"),
    [("en-GB", "Organisations", "Individuals"), ("ru", "Организации", "Частные лица"),
     ("fr", "Organisations", "Personnes à titre individuel"), ("ar", "المنظمات", "الأفراد")],
)  # fmt: skip
def test_sub_headings(locale: str, organisations: str, individuals: str) -> None:
    assert l10n.word(locale, "Organisations") == organisations
    assert l10n.word(locale, "Individuals") == individuals


@pytest.mark.parametrize(
    ("locale", "code", "name"),
    [("ru", "KG", "Кыргызстан"), ("fr", "KG", "Kirghizistan"), ("en-GB", "KG", "Kyrgyzstan"),
     ("ky", "KG", "Кыргызстан"), ("ru", "KZ", "Казахстан"), ("ru", "UZ", "Узбекистан"),
     ("es", "KG", "Kirguistán"), ("ar", "KG", "قيرغيزستان"), ("ru", "kg", "Кыргызстан")],
)  # fmt: skip
def test_country_names_follow_the_un(locale: str, code: str, name: str) -> None:
    assert countries.country_name(code, locale) == name


def test_a_given_name_wins_where_it_has_the_language() -> None:
    given = {"ru": "Кыргызская Республика", "default": "Kyrgyz Republic"}
    assert countries.country_name("KG", "ru", given) == "Кыргызская Республика"
    assert countries.country_name("KG", "fr", given) == "Kyrgyz Republic"
    assert countries.country_name("KG", "fr", {"ru": "Кыргызская Республика"}) == "Kirghizistan"
    assert countries.country_name("KG", "de", "Kirgisische Republik") == "Kirgisische Republik"


@pytest.mark.parametrize(
    ("code", "in_text", "alone"),
    [
        ("PH", "the Philippines", "Philippines"),
        ("US", "the United States", "United States"),
        ("CD", "the Democratic Republic of the Congo", "Democratic Republic of the Congo"),
        ("KG", "Kyrgyzstan", "Kyrgyzstan"),
    ],
)
def test_english_running_text_gives_a_country_its_article(
    code: str, in_text: str, alone: str
) -> None:
    assert countries.country_name(code, "en-GB", article=True) == in_text
    assert countries.country_name(code, "en-US") == alone
    assert not countries.country_name(code, "fr", article=True).startswith("the ")


def test_the_country_filter_writes_running_text() -> None:
    from letterkit.text.context import Data
    from letterkit.text.sandbox import PLAIN_ENV, compiled, render_bounded

    context = {"letter": Data("letter", locale="en-GB"), "case": Data("case", country="KG")}

    def render(source: str) -> str:
        return render_bounded(compiled(PLAIN_ENV, source, "/t/unit.md"), context)

    assert render("in {{ 'PH'|country }}") == "in the Philippines"
    assert render("{{ 'PH'|country(article=false) }}") == "Philippines"
