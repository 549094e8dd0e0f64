"""Template stage: literal values, filters, front matter, errors with template lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

import letterkit
from letterkit import countries, l10n
from letterkit.text.sandbox import escape_markdown

from .conftest import EXAMPLE, pdf_text

NASTY = "Justice & <Peace> *Now* [KG]_\\"


def _letter_with_template(tmp_path: Path, body: str, **changes: object) -> letterkit.Letter:
    template = tmp_path / "t.md"
    template.write_text(body, encoding="utf-8")
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return replace(base, template=str(template), base_dir=tmp_path, annexes=(), **changes)


def test_signatory_name_prints_literally_in_the_signature_block(tmp_path: Path) -> None:
    """This test ensures that markup characters in a signatory name print as written."""
    letter = _letter_with_template(
        tmp_path,
        "We, {{ signatories|length }} signers, including {{ signatories[-1].name }}, write.\n",
        signatories=(letterkit.Signatory(name=NASTY), letterkit.Signatory(name="B")),
        expected_signatories=None,
    )
    text = pdf_text(letterkit.render(letter))
    assert text.count(NASTY) == 2


@pytest.mark.parametrize(
    "value",
    [
        "*bold*",
        "<b>x</b>",
        "R&D",
        "[link](http://x)",
        "1. not a list",
        "# not a heading",
        "a_b_c",
        "&amp;",
        "`code`",
    ],
)
def test_values_never_become_markup(tmp_path: Path, value: str) -> None:
    letter = _letter_with_template(
        tmp_path, "Value: {{ variables.v }} end\n", variables={"v": value}
    )
    text = pdf_text(letterkit.render(letter))
    assert f"Value: {value} end" in text


def test_markdown_filter_opts_in(tmp_path: Path) -> None:
    letter = _letter_with_template(
        tmp_path, "A {{ variables.v|markdown }} B\n", variables={"v": "*it*"}
    )
    text = pdf_text(letterkit.render(letter))
    assert "A it B" in text


def test_escape_markdown_round_trip() -> None:
    assert escape_markdown("a*b") == "a\\*b"


def test_filters_in_english_and_russian() -> None:
    """This test ensures that the documented filter examples give the documented results."""
    start, end = dt.date(2010, 6, 15), dt.date(2018, 12, 6)
    assert l10n.format_date(start, "en-GB") == "15 June 2010"
    assert l10n.duration(start, end, "en-GB") == "8 years and 5 months"
    assert l10n.duration(start, end, "ru") == "8 лет и 5 месяцев"
    assert l10n.duration(start, end, "en-GB", "day") == "8 years, 5 months and 21 days"
    assert l10n.age(1950, end) == 68
    assert l10n.age(dt.date(1951, 12, 7), end) == 66
    assert l10n.join_list(["A", "B", "C"], "en-GB") == "A, B and C"
    assert l10n.join_list(["A", "B", "C"], "ru") == "A, B и C"
    assert l10n.format_number(12345, "en-GB") == "12,345"
    forms = {
        "one": "организация",
        "few": "организации",
        "many": "организаций",
        "other": "организации",
    }
    assert [l10n.plural(n, "ru", forms) for n in (1, 2, 5, 21)] == [
        "1 организация",
        "2 организации",
        "5 организаций",
        "21 организация",
    ]
    assert (
        l10n.plural(2, "en-GB", {"one": "organisation", "other": "organisations"})
        == "2 organisations"
    )
    assert countries.country_name("KG", "en-GB") == "Kyrgyzstan"
    assert l10n.slug("Federica Mogherini") == "federica-mogherini"
    assert "\u202f" not in l10n.format_date(end, "ru")
    assert l10n.format_date(end, "ru") == "6 декабря 2018\u00a0г."


def test_undefined_value_names_the_template_line(tmp_path: Path) -> None:
    letter = _letter_with_template(tmp_path, "line one\n\nHello {{ case.facts.nope }}\n")
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    problem = info.value.problems[0]
    assert problem.code == "LK112"
    assert problem.path.endswith("t.md")
    assert problem.line == 3
    assert "case.facts.nope" in problem.message


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    letter = _letter_with_template(tmp_path, "---\nclosing: Bye\n---\nok\n{% if %}\n")
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    assert info.value.problems[0].code == "LK111"
    assert info.value.problems[0].line == 5


def test_sandbox_refuses_attribute_tricks(tmp_path: Path) -> None:
    letter = _letter_with_template(tmp_path, "{{ ''.__class__.__mro__ }}\n")
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    assert info.value.problems[0].code in {"LK112", "LK113"}


def test_front_matter_precedence(tmp_path: Path) -> None:
    """The spec's subject wins over the front matter's; the front matter's closing applies."""
    body = "---\nsubject: From the template\nclosing: With respect,\n---\nText.\n"
    letter = _letter_with_template(tmp_path, body, subject="From the spec")
    text = pdf_text(letterkit.render(letter))
    assert "Re: From the spec" in text
    assert "From the template" not in text
    assert "With respect," in text


def test_builtin_template_renders_in_both_locales(tmp_path: Path) -> None:
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    english = pdf_text(letterkit.render(replace(base, template="appeal-release")))
    assert "Azimjon Askarov" in english
    russian_base = letterkit.load_letter(EXAMPLE / "letter.ru.yaml")
    russian = pdf_text(letterkit.render(replace(russian_base, template="appeal-release")))
    assert "Азимжан Аскаров" in russian
    assert "Страница 1 из" in russian


def test_markdown_body_bold_italic_links_lists_and_notes(tmp_path: Path) -> None:
    """This test ensures that the Markdown features of a letter body reach the PDF."""
    import io

    from pypdf import PdfReader

    body = (
        "Some **bold** and *italic* text with [a link](https://example.org/a?b=1&c=2).[^1]\n\n"
        "- first item\n- second item\n\n1. one\n2. two\n\n[^1]: A note with https://example.org/x.\n"
    )
    pdf = letterkit.render(_letter_with_template(tmp_path, body))
    text = pdf_text(pdf)
    for piece in (
        "Some bold and italic text with a link",
        "first item",
        "second item",
        "1. one",
    ):
        assert piece in text, piece
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "A note with https://example.org/x." in first_page
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]
    ]
    assert "https://example.org/a?b=1&c=2" in uris


def test_letterhead_with_logo(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (30, 80, 160)).save(logo)
    letter = _letter_with_template(tmp_path, "Text.\n")
    sender = replace(letter.sender, logo=logo) if letter.sender else None
    pdf = letterkit.render(replace(letter, sender=sender))
    import io

    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1


@pytest.mark.parametrize(
    ("recipients", "locale", "expected"),
    [
        ([], "en-GB", "Dear Sir or Madam,"),
        ([dict(honorific="Ms.", name="Federica Mogherini", title="HR/VP")], "en-GB",
         "Dear Ms. Mogherini,"),
        ([dict(honorific="Mr", name="Boris Johnson", title="Foreign Secretary")], "en-GB",
         "Dear Mr Johnson,"),
        ([dict(honorific="His Excellency", name="A. President", title="President")], "en-GB",
         "Your Excellency,"),
        ([dict(honorific="H.E.", name="A"), dict(honorific="Her Excellency", name="B")], "en-GB",
         "Excellencies,"),
        ([dict(honorific="Mr", name="Donald Tusk", title="P"),
          dict(honorific="Ms", name="Federica Mogherini", title="HR"),
          dict(name="Johannes Hahn", title="Commissioner")], "en-GB",
         "Dear Mr Tusk, Ms Mogherini and Johannes Hahn,"),
        ([dict(name="All Member States of the UN Human Rights Council")], "en-GB",
         "Dear Sir or Madam,"),
        ([dict(honorific="His Excellency", name="A", title="P")], "ru", "Ваше Превосходительство!"),
        ([dict(honorific="M.", name="Jean Dupont", title="Ministre")], "fr", "Monsieur le Ministre,"),
        ([dict(honorific="Mme", name="Marie Curie", title="Ministre")], "fr", "Madame la Ministre,"),
        ([dict(honorific="M.", name="A", title="P"), dict(honorific="Mme", name="B", title="P")],
         "fr", "Mesdames, Messieurs,"),
        ([dict(honorific="S.E.", name="A", title="P")], "fr", "Excellence,"),
        ([dict(honorific="г-н", name="Иван Иванов", title="P"),
          dict(honorific="г-жа", name="Анна Петрова", title="P")], "ru",
         "Уважаемые господин Иванов и госпожа Петрова!"),
    ],
)  # fmt: skip
def test_salutation_built_from_the_addressees(
    recipients: list[dict[str, str]], locale: str, expected: str
) -> None:
    from letterkit.model import Case, Letter, Person, Recipient
    from letterkit.text.salutation import built_salutation

    letter = Letter(
        template="appeal-release",
        locale=locale,
        date=dt.date(2018, 12, 6),
        case=Case(person=Person(name="X")),
        recipients=tuple(Recipient(**r) for r in recipients),
    )
    assert built_salutation(letter) == expected


def test_spec_salutation_and_closing_win_over_the_template(tmp_path: Path) -> None:
    letter = _letter_with_template(tmp_path, "Text.\n")
    pdf = letterkit.render(replace(letter, salutation="Excellencies,", closing="Respectfully,"))
    text = pdf_text(pdf)
    assert "Excellencies," in text
    assert "Respectfully," in text
