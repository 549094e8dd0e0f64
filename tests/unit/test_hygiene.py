"""The data hygiene warnings (LK116, LK123, LK124, LK125) on letters built in code:
what each one finds, what it names, and what it leaves alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
import importlib

import pytest

from letterkit.errors import Problem, UsageError
from letterkit.model import Case, Event, Letter, LetterPart, Person, Recipient, Signatory
from letterkit.validate import validate
from letterkit.validate.damage import lost, misread, mojibake, wrapped
from letterkit.validate.hygiene import campaign, codes, fold, silenced

HYGIENE = {"LK116", "LK123", "LK124", "LK125"}

#: Real names in the languages letters are written in: none of them is damage.
REAL_NAMES = [
    "Ligue des droits de l’Homme", "Fédération internationale pour les droits humains (FIDH)",
    "Élise Lucet", "François Hollande", "Noël Mamère", "Raphaël Glucksmann", "Hélène Flautre",
    "Marie-Thérèse Aïssa", "Œuvre d’Orient", "Ça suffit !", "Châtelet", "Loïc Jérôme", "Ève",
    "ÉCOLE NORMALE SUPÉRIEURE", "À l’écoute", "Zoë Ménétrier", "Île-de-France",
    "Азимжан Аскаров", "Правозащитный центр «Мемориал»", "Людмила Алексеева", "Ёлкин Дмитрий",
    "Бир Дүйнө Кыргызстан", "Қазақстан халықаралық бюросы", "Адилет",
    "منظمة العفو الدولية", "مركز القاهرة لدراسات حقوق الإنسان", "عبد الهادي الخواجة",
    "Şebnem Korur Fincancı", "İnsan Hakları Derneği", "Çağlayan Öztürk", "Türkiye İnsan Hakları Vakfı",
    "Gesellschaft für bedrohte Völker", "Asociación Pro Derechos Humanos de España",
    "São Paulo", "JOÃO CONCEIÇÃO", "ØSTERGAARD", "Łódź", "Šťastný", "Ó Súilleabháin", "ÄRZTE",
    "CAFÉ–BAR", "Âge d’or", "Oʻzbekiston", "Human Rights Watch", "Amnesty International",
    "Ирина Щербакова", "Ассоциация «Голос»", "Хьюман Райтс Вотч", "Ёж и Ёлка", "Игорь Каляпин",
    "Жогорку Кеңеш", "Бактыгүл Өмүрбекова", "Толекан Исмаилова", "Кыргыз Республикасы",
    "Әділет", "Қайрат Жұмабаев", "Евгений Жовтис", "Қазақстан Республикасы",
    "مركز البحرين لحقوق الإنسان", "الشبكة العربية لمعلومات حقوق الإنسان", "رزان زيتونة",
    "Françoise Dorléac", "Hélène Ségara", "Éléonore Aïcha Bouzid", "Noël Cœur", "Où êtes-vous ?",
    "Emeğin Sesi", "Ümit Öğüt", "Gülşen Çiçek", "Ağrı Dağı", "İstanbul Barosu", "Åsa Östlund",
]  # fmt: skip


def _letter(*names: str | Signatory, **fields: object) -> Letter:
    signatories = tuple(
        n if isinstance(n, Signatory) else Signatory(n, origin=("signatories.csv", i + 2, 1))
        for i, n in enumerate(names)
    )
    letter = Letter(
        template="appeal-release", locale="en-GB", date=dt.date(2018, 12, 6),
        case=Case(person=Person(name="Azimjon Askarov")), signatories=signatories,
    )  # fmt: skip
    return dataclasses.replace(letter, **fields)


def _found(letter: Letter, code: str) -> list[Problem]:
    return [p for p in validate(letter) if p.code == code]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ligue des droits de l’Homme", "Ligue des droits de l'Homme"),
        ("Ligue des droits de l’Homme", "Ligue des droits de lʼHomme"),
        ("The Lantern Fund", "Lantern Fund"),
        ("Human Rights Watch (HRW)", "HRW"),
        ("Human Rights Watch (HRW)", "Human Rights Watch"),
        ("“Open Dialog” Foundation", "Open Dialog Foundation"),
        ("Steppe  Legal-Aid Network.", "Steppe Legal Aid Network"),
    ],
)
def test_near_duplicates_warn_once_naming_both_rows(first: str, second: str) -> None:
    """This test ensures that each near-duplicate pair gives one LK123 at the later
    row that names both rows and both names."""
    found = _found(_letter("Amnesty International", first, "Nota Example", second), "LK123")
    assert len(found) == 1, found
    (problem,) = found
    assert (problem.path, problem.line, problem.severity) == ("signatories.csv", 5, "warning")
    assert "signatories.csv:3" in problem.message
    assert f"'{first}'" in problem.message
    assert f"'{second}'" in problem.message


def test_a_name_that_is_another_rows_acronym_column() -> None:
    """This test ensures that "HRW" warns against a row whose acronym column is HRW."""
    hrw = Signatory("Human Rights Watch", acronym="HRW", origin=("s.csv", 7, 1))
    found = _found(_letter(hrw, Signatory("HRW", origin=("s.csv", 9, 1))), "LK123")
    assert [(p.path, p.line) for p in found] == [("s.csv", 9)]
    assert "'HRW' is the acronym of 'Human Rights Watch' at s.csv:7" in found[0].message


def test_two_people_of_one_name_are_for_a_human_to_look_at() -> None:
    """This test ensures that two individuals with one name and different affiliations
    are warned about, the message saying what to do if they are two people."""
    a = Signatory(
        "Anna Petrova", type="individual", affiliation="Bishkek Bar", origin=("s.csv", 2, 1)
    )
    b = Signatory(
        "Anna Petrova.", type="individual", affiliation="Almaty Bar", origin=("s.csv", 3, 1)
    )
    (problem,) = _found(_letter(a, b), "LK123")
    assert "if they are two people, keep both" in problem.message
    assert "s.csv:2" in problem.message
    assert problem.line == 3


def test_exact_duplicates_stay_an_error_only() -> None:
    """This test ensures that names equal but for case give LK121, not also LK123."""
    letter = _letter("Lantern Fund", "LANTERN FUND")
    assert [p.code for p in validate(letter) if p.code in {"LK121", "LK123"}] == ["LK121"]


def test_two_people_of_one_name_are_a_warning() -> None:
    """This test ensures that rows of one name that differ in an identifying
    field (affiliation, title, country, type, acronym) give the LK123 warning,
    naming the fields, and not the LK121 error."""
    a = Signatory(
        "Ahmed Hassan", type="individual", affiliation="Cairo University", title="Professor",
        country="EG", origin=("s.csv", 2, 1),
    )  # fmt: skip
    b = Signatory(
        "Ahmed Hassan", type="individual", affiliation="Lawyers Union", title="Lawyer",
        country="SD", origin=("s.csv", 3, 1),
    )  # fmt: skip
    problems = [p for p in validate(_letter(a, b)) if p.code in {"LK121", "LK123"}]
    assert [(p.code, p.severity, p.line) for p in problems] == [("LK123", "warning", 3)]
    message = problems[0].message
    assert "'Ahmed Hassan' at s.csv:2 has the same name" in message
    assert "affiliation and title and country" in message
    assert "if they are two people, keep both" in message
    quiet = dataclasses.replace(_letter(a, b), ignore_warnings=("LK123",))
    assert [p.code for p in validate(quiet)] == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({}, {}),
        ({"affiliation": "Cairo University"}, {}),  # one row leaves it blank
        ({"affiliation": "Cairo University"}, {"affiliation": " cairo university "}),
        ({"country": "EG", "title": "Professor"}, {"country": "eg"}),
    ],
)
def test_rows_with_nothing_to_tell_apart_are_one_signatory(
    first: dict[str, str], second: dict[str, str]
) -> None:
    """This test ensures that one name whose identifying fields agree wherever
    both rows fill them in stays the LK121 error."""
    a = Signatory("Ahmed Hassan", origin=("s.csv", 2, 1), **first)  # type: ignore[arg-type]
    b = Signatory("ahmed hassan", origin=("s.csv", 3, 1), **second)  # type: ignore[arg-type]
    codes = [p.code for p in validate(_letter(a, b)) if p.code in {"LK121", "LK123"}]
    assert codes == ["LK121"]


def test_a_withheld_name_is_never_shown() -> None:
    """This test ensures that LK123 and LK124 cite a withheld row, never its name."""
    hidden = Signatory("Lantern Fund", withhold=True, origin=("s.csv", 3, 1))
    broken = Signatory("Ã‰lise Secret", withhold=True, origin=("s.csv", 4, 1))
    problems = validate(_letter("The Lantern Fund", hidden, broken))
    texts = [p.message for p in problems if p.code in HYGIENE]
    assert len(texts) == 2
    assert all("Lantern Fund'" not in t and "Secret" not in t and "lise" not in t for t in texts)


def test_real_names_raise_nothing() -> None:
    """This test ensures that real French, Russian, Kyrgyz, Kazakh, Arabic and Turkish
    names (and others) give no hygiene warning."""
    problems = validate(_letter(*REAL_NAMES))
    assert [p for p in problems if p.code in HYGIENE] == []


def test_ten_thousand_signatories_in_one_pass() -> None:
    """This test ensures that a list of 10,000 distinct names gives only the one pair
    it holds (the rows are bucketed by folded name, not compared two by two)."""
    names = [f"Defenders Network {i}" for i in range(10_000)]
    names[9_999] = "The Defenders Network 17"
    found = _found(_letter(*names), "LK123")
    assert [(p.line, "signatories.csv:19" in p.message) for p in found] == [(10_001, True)]


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("Ligue des droits de lâ€™Homme", "Ligue des droits de l’Homme"),
        ("Ã‰lise Ã©crit", "Élise écrit"),
        ("FÃ©dÃ©ration", "Fédération"),
        ("ÐŸÑ€Ð°Ð²Ð¾Ð·Ð°Ñ‰Ð¸Ñ‚Ð½Ð¸Ðº", "Правозащитник"),
        ("Ø§Ù„Ù…Ù†Ø¸Ù…Ø©", "المنظمة"),
        ("Ã‡aÄŸlayan", "Çağlayan"),
    ],
)
def test_mojibake_is_named_with_its_repair(text: str, repaired: str) -> None:
    """This test ensures that UTF-8 read as Windows-1252 gives LK124 with the repaired
    text and the fix (Excel's "CSV UTF-8")."""
    assert mojibake(text) == (True, repaired)
    (problem,) = _found(_letter("Amnesty International", text), "LK124")
    assert problem.line == 3
    assert f"it probably reads '{repaired}'" in problem.message
    assert "CSV UTF-8" in problem.message


@pytest.mark.parametrize(
    ("text", "how", "repaired"),
    [
        ("РџСЂР°РІРѕР·Р°С‰РёС‚РЅС‹Р№ С†РµРЅС‚СЂ РњРµРјРѕСЂРёР°Р»", "UTF-8 text opened as Windows-1251",
         "Правозащитный центр Мемориал"),
        ("Ïðàâîçàùèòíûé öåíòð Ìåìîðèàë", "Windows-1251 text opened as Windows-1252",
         "Правозащитный центр Мемориал"),
        ("Àçèìæàí Àñêàðîâ", "Windows-1251 text opened as Windows-1252", "Азимжан Аскаров"),
        ("ظ…ظ†ط¸ظ…ط© ط§ظ„ط¹ظپظˆ ط§ظ„ط¯ظˆظ„ظٹط©", "UTF-8 text opened as Windows-1256",
         "منظمة العفو الدولية"),
    ],
)  # fmt: skip
def test_cyrillic_and_arabic_in_the_wrong_encoding_are_named(
    text: str, how: str, repaired: str
) -> None:
    """This test ensures that Cyrillic or Arabic opened in the wrong encoding
    gives LK124 naming the two encodings, with the repaired text."""
    assert misread(text) == (how, repaired)
    (problem,) = _found(_letter("Amnesty International", text), "LK124")
    assert problem.line == 3
    assert f"looks like {how}: it probably reads '{repaired}'" in problem.message


def test_excel_is_named_only_for_a_spreadsheet() -> None:
    """This test ensures that LK124's advice names Excel's 'CSV UTF-8' for a
    CSV or XLSX row, and not for a text of the spec or the case."""
    letter = _letter(
        Signatory("Ã‰cole", origin=("s.xlsx[Signers]!A2", 2, 1)),
        subject="Ã‰cole", case=Case(person=Person(name="Azimjon Askarov"), sentence="Ã‰cole"),
    )  # fmt: skip
    found = {p.path: p.message for p in _found(letter, "LK124")}
    assert "CSV UTF-8" in found["s.xlsx[Signers]!A2"]
    assert "CSV UTF-8" not in found["letter.subject"]
    assert found["letter.case.sentence"].endswith("correct it and save the file as UTF-8")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("???? ?????", "question marks"),
        ("Правозащитный центр ??????", "question marks"),
        ("Memo\ufffdial", "'\ufffd'"),
        ("Ð\ufffdÑ\ufffd", "'\ufffd'"),
        ("Ñ\ufffd Ð¡Ð²", "'\ufffd'"),
    ],
)
def test_lost_characters(text: str, says: str) -> None:
    """This test ensures that characters lost to a wrong encoding give LK124 (without
    a repair, since the bytes are gone)."""
    (problem,) = _found(_letter("Amnesty International", text), "LK124")
    assert says in problem.message
    assert "probably reads" not in problem.message


def test_damage_in_any_text_field() -> None:
    """This test ensures that LK124 looks at every text of a signatory, a recipient,
    the letter and the case, naming the field."""
    sig = Signatory("Amnesty", country="Franﾃｧe?", affiliation="Caf\ufffd", origin=("s.csv", 2, 1))
    letter = _letter(
        sig, recipients=(Recipient(name="Ministre", title="MinistÃ¨re des Affaires"),),
        subject="????",
    )  # fmt: skip
    case = Case(
        person=Person(name="Temir", role={"fr": "dÃ©fenseur"}),
        events=(Event(dt.date(2010, 6, 15), "ArrÃªtÃ©"),), demands=("Free him", "???? ???"),
    )  # fmt: skip
    letter = dataclasses.replace(letter, case=case)
    found = {(p.path, p.message.split(" ", 1)[0]) for p in _found(letter, "LK124")}
    assert found == {
        ("s.csv", "affiliation"), ("letter.recipients[0].title", "title"),
        ("letter.subject", "subject"), ("letter.case.person.role[fr]", "role"),
        ("letter.case.events[0]", "events[0]"), ("letter.case.demands[1]", "demands[1]"),
    }  # fmt: skip


@pytest.mark.parametrize(
    "text", ['"Amnesty International"', "“Amnesty International”", "«Amnesty International»"]
)
def test_quoted_values(text: str) -> None:
    """This test ensures that a name wholly in quote marks gives LK125 with the bare name."""
    (problem,) = _found(_letter("Nota Example", text), "LK125")
    assert problem.line == 3
    assert "write it as 'Amnesty International'" in problem.message
    recipient = Recipient(name=text)
    assert _found(_letter("Nota", recipients=(recipient,)), "LK125")[0].path == (
        "letter.recipients[0].name"
    )


def test_quotes_inside_a_value_are_names() -> None:
    """This test ensures that quote marks inside a name, and a quoted note, are left alone."""
    names = ["“Memorial” Human Rights Centre", 'The "A" and "B" Fund', "'t Hooft Stichting"]
    noted = Signatory("Nota", note='"signed in a personal capacity"')
    assert [p for p in validate(_letter(*names, noted)) if p.code == "LK125"] == []
    assert wrapped("«Мемориал»") == "Мемориал"
    assert lost("Who?") is None


def test_plain_latin_text_in_a_cyrillic_or_arabic_letter() -> None:
    """This test ensures that a plain Latin subject or place in a ru, ky or ar letter
    gives LK116 at the field, and that mixed text or a localized map does not."""
    for locale in ("ru", "ky", "ar"):
        letter = _letter("Nota", locale=locale, subject="Free Azimjon Askarov", place="Brussels")
        assert sorted(p.path for p in _found(letter, "LK116")) == ["letter.place", "letter.subject"]
    calm = _letter(
        "Nota", locale="ru", subject="Освободить Azimjon Askarov",
        place={"ru": "Брюссель", "en": "Brussels"}, closing="С уважением,",
    )  # fmt: skip
    assert _found(calm, "LK116") == []
    assert _found(_letter("Nota", locale="fr", subject="Free Azimjon Askarov"), "LK116") == []
    assert len(_found(_letter("Nota", locale="fr", subject="Свобода Аскарову"), "LK116")) == 1


def test_a_part_in_another_language_inheriting_a_plain_text() -> None:
    """This test ensures that a part in another language that prints the spec's plain
    subject gives LK116 naming the part, and that a part giving its own does not."""
    parts = (LetterPart(), LetterPart(locale="fr", template="appeal-release"))
    letter = _letter("Nota", subject="Release Azimjon Askarov", place="Geneva", parts=parts)
    (problem,) = _found(letter, "LK116")
    assert problem.path == "letter.subject"
    assert "part 2 (fr)" in problem.message
    own = (LetterPart(), LetterPart(locale="fr", template="appeal-release", subject="Libérez"))
    assert _found(dataclasses.replace(letter, parts=own), "LK116") == []


def test_a_campaign_row_in_another_language() -> None:
    """This test ensures that a campaign's rows in another language than the spec's give
    one LK116 per plain field, naming the languages and rows; damaged rows give LK124."""
    letter = _letter("Nota", subject="Release Azimjon Askarov", place="Brussels")
    rows = [
        ("AT", "en-GB", ("recipients.csv", 2, 1), Recipient(name="Minister")),
        ("BE", "fr", ("recipients.csv", 3, 1), Recipient(name="MinistÃ¨re")),
        ("FR", "fr", ("recipients.csv", 4, 1), Recipient(name="Ministre")),
        ("RU", "ru", ("recipients.csv", 5, 1), Recipient(name="Министр", salutation="Уважаемый!")),
    ]
    found = campaign(letter, rows)
    plain = [p for p in found if p.code == "LK116"]
    assert sorted(p.path for p in plain) == ["letter.place", "letter.subject"]
    subject = next(p for p in plain if p.path == "letter.subject")
    assert "fr, ru" in subject.message
    assert "BE, FR, RU" in subject.message
    place = next(p for p in plain if p.path == "letter.place")
    assert "in ru" in place.message
    assert "fr" not in place.message.split("(recipients")[0]
    (damaged,) = [p for p in found if p.code == "LK124"]
    assert (damaged.path, damaged.line) == ("recipients.csv", 3)
    assert "Ministère" in damaged.message


def test_ignore_warnings_field_and_silenced() -> None:
    """This test ensures that a letter's ignore_warnings drops its warnings of those
    codes (never an error), and that an unknown code is LK105."""
    letter = _letter("The Lantern Fund", "Lantern Fund", '"Nota"', locale="ru", subject="Free")
    assert {p.code for p in validate(letter)} >= {"LK123", "LK125"}
    quiet = dataclasses.replace(letter, ignore_warnings=("LK123", "LK125"))
    assert not {p.code for p in validate(quiet)} & {"LK123", "LK125"}
    bad = dataclasses.replace(letter, ignore_warnings=("LK999",))
    assert [p.path for p in validate(bad) if p.code == "LK105"] == ["letter.ignore_warnings"]
    error = Problem("x", 1, 1, "error", "LK123", "an error stays")
    assert silenced([error], ["LK123"]) == [error]


def test_codes_from_a_user() -> None:
    """This test ensures that codes are read in any case and an unknown one is bad usage."""
    assert codes(["lk123", " LK116 ", "LK123"]) == ("LK123", "LK116")
    with pytest.raises(UsageError, match="LK999"):
        codes(["LK999"])


def test_fold() -> None:
    """This test ensures what a name folds to."""
    assert fold("The Lantern Fund") == ("lanternfund", "")
    assert fold("Human Rights Watch (HRW)") == ("humanrightswatch", "HRW")
    assert fold("Amnesty International (Kyrgyzstan)")[1] == ""


@pytest.mark.parametrize("name", ["damage", "hygiene", "plain_texts"])
def test_doctests(name: str) -> None:
    """This test ensures that the examples in the modules' docstrings hold."""
    result = doctest.testmod(importlib.import_module(f"letterkit.validate.{name}"))
    assert result.attempted > 0
    assert result.failed == 0
