"""Greetings written as each language writes them: by gender, by office, for groups.

The tables are written from each language's usage, not from the catalogs: a
woman is "Уважаемая госпожа Могерини!", a French minister "Madame la
Ministre,", an Arabic head of state alone صاحب الفخامة. No greeting hedges
between two forms ("Уважаемый(-ая)", "Estimado/a", "Sehr geehrte(r)").
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import letterkit
from letterkit.model import Letter, Recipient
from letterkit.text.salutation import built_salutation

from .conftest import EXAMPLES, pdf_text

LOCALES = ["en-GB", "en-US", "fr", "es", "de", "ru", "ky", "kk", "uz", "ar", "tr"]

MS = Recipient(
    honorific={"default": "Ms.", "ru": "г-же"},
    name={
        "default": "Federica Mogherini",
        "ru": "Федерика Могерини",
        "ky": "Федерика Могерини",
        "kk": "Федерика Могерини",
        "uz": "Federika Mogerini",
        "ar": "فيديريكا موغيريني",
    },
    organization="European External Action Service",
)
MR = Recipient(
    honorific={"default": "Mr", "en-US": "Mr."},
    name={
        "default": "Donald Tusk",
        "ru": "Дональд Туск",
        "ky": "Дональд Туск",
        "kk": "Дональд Туск",
        "ar": "دونالد توسك",
    },
    organization="European Council",
)
GROUP = Recipient(name="Member States of the UN Human Rights Council")

#: locale: (Ms., Mr, a group addressee)
GREETINGS = {
    "en-GB": ("Dear Ms. Mogherini,", "Dear Mr Tusk,", "Dear Sir or Madam,"),
    "en-US": ("Dear Ms. Mogherini:", "Dear Mr. Tusk:", "Dear Sir or Madam:"),
    "fr": ("Madame,", "Monsieur,", "Madame, Monsieur,"),
    "es": ("Estimada Sra. Mogherini:", "Estimado Sr. Tusk:", "Estimados señores y señoras:"),
    "de": ("Sehr geehrte Frau Mogherini,", "Sehr geehrter Herr Tusk,", "Sehr geehrte Damen und Herren,"),
    "ru": ("Уважаемая госпожа Могерини!", "Уважаемый господин Туск!", "Уважаемые господа!"),
    "ky": ("Урматтуу Могерини айым!", "Урматтуу Туск мырза!", "Урматтуу айымдар жана мырзалар!"),
    "kk": ("Құрметті Могерини ханым!", "Құрметті Туск мырза!", "Құрметті ханымдар мен мырзалар!"),
    "uz": ("Hurmatli Mogerini xonim!", "Hurmatli Tusk janoblari!", "Hurmatli xonimlar va janoblar!"),
    "ar": (
        "حضرة السيدة موغيريني المحترمة،",
        "حضرة السيد توسك المحترم،",
        "حضرات السيدات والسادة المحترمين،",
    ),
    "tr": ("Sayın Mogherini,", "Sayın Tusk,", "Sayın Yetkili,"),
}  # fmt: skip

HEDGES = ("(", ")", "/", "-ая", "(r)", "(e)", "/a", "/as")


def greeting(locale: str, *recipients: Recipient) -> str:
    letter = Letter(
        template="appeal-release", locale=locale, date=dt.date(2018, 12, 6), recipients=recipients
    )
    return built_salutation(letter)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_woman_a_man_and_a_group_are_greeted_as_the_language_does(locale: str) -> None:
    assert (greeting(locale, MS), greeting(locale, MR), greeting(locale, GROUP)) == GREETINGS[
        locale
    ]


NEUTRAL = Recipient(
    name={"default": "Federica Mogherini", "ru": "Федерика Могерини"}, title="Expert"
)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-GB", "Dear Federica Mogherini,"),
        ("de", "Guten Tag Federica Mogherini,"),
        ("ru", "Здравствуйте, Федерика Могерини!"),
        ("es", "Saludos, Federica Mogherini:"),
        ("fr", "Madame, Monsieur,"),
        ("ar", "حضرة Federica Mogherini، تحية طيبة وبعد،"),
    ],
)
def test_an_unknown_gender_gets_the_neutral_greeting_not_a_hedge(
    locale: str, expected: str
) -> None:
    assert greeting(locale, NEUTRAL) == expected


@pytest.mark.parametrize("locale", LOCALES)
def test_no_greeting_hedges(locale: str) -> None:
    doctor = Recipient(honorific="Dr.", name="Ada Smith", title="Rapporteur")
    excellency = Recipient(honorific="H.E. Ms.", name="Ada Smith", title="Ambassador")
    found = [
        greeting(locale, *people)
        for people in [(MS,), (MR,), (GROUP,), (NEUTRAL,), (doctor,), (excellency,), (MR, MS)]
    ]
    assert not [g for g in found if any(h in g for h in HEDGES)], found


def test_several_addressees_are_named_in_one_line() -> None:
    assert greeting("en-GB", MR, MS) == "Dear Mr Tusk and Ms. Mogherini,"
    assert greeting("ru", MR, MS) == "Уважаемые господин Туск и госпожа Могерини!"
    assert greeting("es", MS, MS) == "Estimadas Sra. Mogherini y Sra. Mogherini:"
    assert greeting("de", MR, MS) == "Sehr geehrter Herr Tusk und sehr geehrte Frau Mogherini,"
    assert greeting("fr", MR, MS) == "Mesdames, Messieurs,"


def test_the_russian_greeting_is_in_the_nominative_whatever_the_address_block_says() -> None:
    text = greeting("ru", MS)
    assert text == "Уважаемая госпожа Могерини!"
    assert "г-же" not in text
    assert "Уважаемый" not in text


def _person(
    honorific: str, title: str, name: str = "Ada Smith", gender: str = "", office: str = ""
) -> Recipient:
    return Recipient(honorific=honorific, name=name, title=title, gender=gender, office=office)


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [
        (_person("Mme", "Ministre des Affaires étrangères"), "Madame la Ministre,"),
        (_person("S.E. M.", "Ministre des Affaires étrangères"), "Monsieur le Ministre,"),
        (_person("Ms.", "Minister of Foreign Affairs"), "Madame la Ministre,"),
        (_person("Mme", "Ambassadrice de France auprès de l'ONU"), "Madame l’Ambassadrice,"),
        (_person("H.E. Mr", "Ambassador of Norway"), "Monsieur l’Ambassadeur,"),
        (_person("M.", "Président de la République kirghize"), "Monsieur le Président,"),
        (_person("M.", "Premier ministre"), "Monsieur le Premier ministre,"),
        (
            _person("Ms.", "High Representative … / Vice-President of the European Commission"),
            "Madame la Haute Représentante,",
        ),
        (_person("Mr", "Vice-President of the European Commission"), "Monsieur,"),
        (_person("Mme", "Ministre", office="other"), "Madame,"),
        (
            _person("", "Rapporteuse", gender="female", office="ambassador"),
            "Madame l’Ambassadrice,",
        ),
        (_person("S.E.", "Ministre des Affaires étrangères"), "Excellence,"),
    ],
)
def test_french_greets_by_office(recipient: Recipient, expected: str) -> None:
    assert greeting("fr", recipient) == expected


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [
        (_person("H.E. Mr", "President of the Kyrgyz Republic"), "صاحب الفخامة،"),
        (_person("فخامة", "رئيس جمهورية قيرغيزستان", gender="male"), "صاحب الفخامة،"),
        (_person("H.E. Ms.", "Minister of Foreign Affairs"), "صاحبة المعالي،"),
        (_person("H.E. Mr", "Prime Minister"), "صاحب المعالي،"),
        (_person("H.E. Ms.", "High Representative of the Union"), "صاحبة المعالي،"),
        (_person("H.E. Mr", "Ambassador of Norway"), "صاحب السعادة،"),
        (_person("H.E. Ms.", "Member of the European Parliament"), "صاحبة السعادة،"),
        (_person("H.E.", "King of Jordan"), "صاحب الجلالة،"),
        (_person("Mr", "Special adviser", office="head-of-state"), "صاحب الفخامة،"),
    ],
)
def test_arabic_gives_the_rank_of_the_office(recipient: Recipient, expected: str) -> None:
    assert greeting("ar", recipient) == expected


def test_arabic_keeps_the_highest_rank_for_heads_of_state() -> None:
    minister = _person("H.E. Mr", "Minister of Foreign Affairs")
    assert "الفخامة" not in greeting("ar", minister)


@pytest.mark.parametrize(
    ("locale", "recipient", "expected"),
    [
        (
            "ky",
            _person("мырза", "Кыргыз Республикасынын Президенти", name="Садыр Жапаров"),
            "Улуу урматтуу Садыр Жапаров мырза!",
        ),
        (
            "ky",
            _person("H.E. Ms.", "Ambassador", name="Федерика Могерини"),
            "Улуу урматтуу Федерика Могерини айым!",
        ),
        (
            "kk",
            _person("мырза", "Қазақстан Республикасының Президенті", name="Қасым-Жомарт Тоқаев"),
            "Аса құрметті Қасым-Жомарт Тоқаев мырза!",
        ),
        ("kk", _person("ханым", "Депутат", name="Айгүл Сапарова"), "Құрметті Сапарова ханым!"),
        ("uz", _person("janob", "Vazir", name="Bakhtiyor Saidov"), "Hurmatli Saidov janoblari!"),
        ("uz", _person("H.E. Mr", "Vazir", name="Bakhtiyor Saidov"), "Janobi Oliylari!"),
        ("uz", _person("xonim", "Ekspert", name="Dilnoza Karimova"), "Hurmatli Karimova xonim!"),
    ],
)
def test_kyrgyz_kazakh_and_uzbek_put_the_name_before_the_title(
    locale: str, recipient: Recipient, expected: str
) -> None:
    assert greeting(locale, recipient) == expected


def test_gender_given_wins_over_the_honorific() -> None:
    dr = _person("Dr.", "Expert", gender="female")
    assert greeting("ru", dr).startswith("Уважаемая ")
    assert greeting("es", _person("", "Experta", name="Ada Smith", gender="F")) == (
        "Estimada Sra. Smith:"
    )


def test_en_us_closes_and_counts_the_american_way() -> None:
    from letterkit import l10n

    assert l10n.word("en-US", "Yours sincerely,") == "Sincerely,"
    assert l10n.word("en-GB", "Yours sincerely,") == "Yours sincerely,"
    assert l10n.nword("en-US", "{n} organisation", "{n} organisations", 3) == "3 organizations"
    assert l10n.word("en-US", "Organisations") == "Organizations"


# -- read back from the PDF -----------------------------------------------------------


def _letter(tmp_path: Path, locale: str, recipient: str) -> Path:
    (tmp_path / "case.yaml").write_text(
        "person: {name: Temir Sample, role: defender, gender: F}\ncountry: KG\n"
        "detained_on: 2010-06-15\n",
        encoding="utf-8",
    )
    shutil.copy(EXAMPLES / "shapes" / "signatories-6.csv", tmp_path / "signatories.csv")
    (tmp_path / "body.md").write_text(
        "{% if person.gender == 'female' %}She{% else %}He{% endif %} is detained.\n",
        encoding="utf-8",
    )
    (tmp_path / "letter.yaml").write_text(
        f"template: body.md\nlocale: {locale}\ndate: 2024-11-20\nsubject: Detention\n"
        f"recipients: [{recipient}]\ncase: case.yaml\nsignatories: signatories.csv\n",
        encoding="utf-8",
    )
    return tmp_path / "letter.yaml"


@pytest.mark.parametrize(
    ("locale", "recipient", "expected"),
    [
        ("ru", "{honorific: г-же, name: Федерика Могерини, title: Эксперт}", "Уважаемая госпожа Могерини!"),
        ("de", "{honorific: Herr, name: Donald Tusk, title: Experte}", "Sehr geehrter Herr Tusk,"),
        ("es", "{honorific: Sra., name: Ana Pérez, title: Experta}", "Estimada Sra. Pérez:"),
        (
            "fr",
            "{honorific: Mme, name: Anne Dupont, title: Ministre des Affaires étrangères}",
            "Madame la Ministre,",
        ),
        ("en-US", "{honorific: Ms., name: Ada Smith, title: Expert}", "Dear Ms. Smith:"),
        ("ky", "{name: Садыр Жапаров, gender: m, title: Президент}", "Улуу урматтуу Садыр Жапаров мырза!"),
    ],
)  # fmt: skip
def test_the_greeting_prints_in_the_pdf(
    tmp_path: Path, locale: str, recipient: str, expected: str
) -> None:
    text = pdf_text(letterkit.render(_letter(tmp_path, locale, recipient)))
    assert expected in text
    assert not any(h in text for h in ("(-ая)", "/a ", "(r)", "г-же Могерини!"))


def test_a_female_person_written_f_is_female_in_the_template(tmp_path: Path) -> None:
    text = pdf_text(letterkit.render(_letter(tmp_path, "en-GB", "{honorific: Ms., name: A B}")))
    assert "She is detained." in text
    assert "He is detained." not in text


def test_the_french_appeal_closes_with_the_greeting_words(tmp_path: Path) -> None:
    from .conftest import EXAMPLE

    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE, folder)
    spec = (folder / "appeal.fr.yaml").read_text(encoding="utf-8")
    spec = spec.replace("honorific: Son Excellence", "honorific: Mme")
    spec = "\n".join(ln for ln in spec.splitlines() if "gender: male" not in ln)
    spec = spec.replace("title: Président de la République kirghize", "title: Ministre")
    (folder / "minister.fr.yaml").write_text(spec, encoding="utf-8")
    text = " ".join(pdf_text(letterkit.render(folder / "minister.fr.yaml")).split())
    assert "Madame la Ministre," in text
    assert "Veuillez agréer, Madame la Ministre, l’expression" in text
    assert "Excellence" not in text


def test_templates_see_the_recipients_gender_and_office(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "en-GB", "{honorific: Mme, name: Anne Dupont, title: Ambassadrice}")
    (tmp_path / "body.md").write_text(
        "Gender {{ recipient.gender }}, office {{ recipient.office }}.\n", encoding="utf-8"
    )
    text = " ".join(pdf_text(letterkit.render(spec)).split())
    assert "Gender female, office ambassador." in text
