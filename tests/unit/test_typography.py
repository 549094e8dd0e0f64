"""Quotes, apostrophes and no-break ties per locale (letterkit.text.typography),
and which words the hyphenator may break (letterkit.typeset.hyphenation)."""

from __future__ import annotations

import pytest

from letterkit.text.typography import NBSP, Typographer, educate, marks_for
from letterkit.typeset.hyphenation import dictionary_for, hyphenator_for

QUOTES = [
    ("en-GB", '"Free him," they said.', "“Free him,” they said."),
    ("en-US", "She said 'no' twice", "She said ‘no’ twice"),
    ("fr", 'Il a dit "Libérez-le"', f"Il a dit «{NBSP}Libérez-le{NBSP}»"),
    ("ru", 'Фонд "Ачык Терезе"', "Фонд «Ачык Терезе»"),
    ("ru", '"Слово "внутри" цитаты"', "«Слово „внутри“ цитаты»"),
    ("ky", '"Ачык Терезе" фонду', "«Ачык Терезе» фонду"),
    ("kk", '"Қамқор Құқық"', "«Қамқор Құқық»"),
    ("de", "\"Ein 'kleines' Wort\"", "„Ein ‚kleines‘ Wort“"),
    ("es", 'la "liberación"', "la «liberación»"),
    ("tr", '"serbest"', "“serbest”"),
    ("ar", '"حرية"', "”حرية“"),
]


@pytest.mark.parametrize(("locale", "text", "expected"), QUOTES)
def test_quotes_follow_the_locale(locale: str, text: str, expected: str) -> None:
    assert educate(text, locale) == expected


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en-GB", "don't", "don’t"),
        ("en-GB", "O'Brien's", "O’Brien’s"),
        ("en-GB", "the organisations' work", "the organisations’ work"),
        ("en-GB", "the '90s", "the ’90s"),
        ("fr", "l'Union d'abord", "l’Union d’abord"),
        ("uz", "o'zbek ma'lumot", "o\u02bbzbek ma\u02bclumot"),
    ],
)
def test_apostrophes_in_words(locale: str, text: str, expected: str) -> None:
    assert educate(text, locale) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/a?'b'=\"c\"",
        "www.example.org/it's",
        "mailto:o'brien@example.org",
        "o'brien@example.org",
    ],
)
def test_urls_and_email_addresses_stay_as_written(text: str) -> None:
    assert educate(f"See {text} now", "en-GB") == f"See {text} now"


def test_smart_quotes_off_keeps_quotes_but_still_ties() -> None:
    out = educate('"Free" O\'Brien on 31 March', "en-GB", smart_quotes=False)
    assert out == f'"Free" O\'Brien on 31{NBSP}March'


def test_a_catalog_apostrophe_stays() -> None:
    assert educate("l’Union", "fr") == "l’Union"


def test_quotes_across_runs_pair_up() -> None:
    """A quote that closes after bold text (another run) closes."""
    t = Typographer("en-GB")
    assert [t.text('"Free'), t.text(" him"), t.text('"')] == ["“Free", " him", "”"]


def test_a_code_span_moves_the_context_only() -> None:
    t = Typographer("en-GB")
    t.skip("x")
    assert t.text('" after') == "” after"


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en-GB", "on 31 March 2019", f"on 31{NBSP}March 2019"),
        ("en-US", "on March 31, 2019", f"on March{NBSP}31, 2019"),
        ("fr", "le 6 décembre 2018", f"le 6{NBSP}décembre 2018"),
        ("ru", "6 декабря 2018", f"6{NBSP}декабря 2018"),
        ("de", "am 6. Dezember", f"am 6.{NBSP}Dezember"),
        ("en-GB", "No. 5, p. 12 and pp. 3-4", f"No.{NBSP}5, p.{NBSP}12 and pp.{NBSP}3-4"),
        ("ru", "№ 5", f"№{NBSP}5"),
        ("en-GB", "45 % of 10 km", f"45{NBSP}% of 10{NBSP}km"),
        ("en-GB", "prison – for life", f"prison{NBSP}– for life"),
        ("fr", "Objet : non ! « oui »", f"Objet{NBSP}: non{NBSP}! «{NBSP}oui{NBSP}»"),
    ],
)
def test_no_break_ties(locale: str, text: str, expected: str) -> None:
    assert educate(text, locale) == expected


def test_no_ties_where_none_belong() -> None:
    assert educate("In 2010 the court met 3 times", "en-GB") == "In 2010 the court met 3 times"
    assert educate("Re: the case", "en-GB") == "Re: the case"  # only French spaces a colon


def test_marks_for_unknown_language_are_english() -> None:
    assert marks_for("xx") == marks_for("en")


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("en-GB", "en_GB"),
        ("en-US", "en_US"),
        ("fr", "fr"),
        ("de", "de"),
        ("es", "es"),
        ("ru", "ru"),
    ],
)
def test_shipped_locales_with_a_dictionary(locale: str, language: str) -> None:
    assert dictionary_for(locale) == language


@pytest.mark.parametrize("locale", ["ky", "kk", "uz", "tr", "ar"])
def test_locales_without_a_dictionary_are_not_hyphenated(locale: str) -> None:
    assert hyphenator_for(locale) is None


def test_names_are_never_offered_break_points() -> None:
    h = hyphenator_for("en-GB")
    assert h is not None
    assert list(h("organisations"))  # a common word has break points
    assert not list(h("Konstantinopolskaya"))  # a capitalized word (a name) has none
    assert not list(h("Mogherini"))


def test_german_sch_is_never_split() -> None:
    h = hyphenator_for("de")
    assert h is not None
    heads = [head for head, _ in h("fortschreitenden")]
    assert "forts" not in heads
    assert "fort" in heads


def test_at_least_three_letters_go_to_the_next_line() -> None:
    h = hyphenator_for("en-GB")
    assert h is not None
    assert all(len(tail) >= 3 and len(head) >= 2 for head, tail in h("organisations"))
