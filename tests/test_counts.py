"""Counts of organisations and individuals, country names, and the type split,
read back from the PDF.

The built-in templates and the ``count`` style name organisations and
individuals apart, each with its CLDR plural form; ``country_name`` in the
case wins over CLDR's and the UN's names; ``signatory_block: {split: types}``
prints organisations, then individuals, under localized sub-headings.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import letterkit
from letterkit.model import Case, Letter, Signatory, SignatoryBlock
from letterkit.text.merge import merge

from .conftest import EXAMPLE, pdf_text


def signers(organizations: int, individuals: int) -> tuple[Signatory, ...]:
    orgs = [Signatory(name=f"Org {i:03d}") for i in range(organizations)]
    people = [Signatory(name=f"Person {i:03d}", type="individual") for i in range(individuals)]
    return (*orgs, *people)


def appeal(locale: str, organizations: int, individuals: int, **changes: Any) -> Letter:
    letter = letterkit.load_letter(EXAMPLE / f"appeal.{locale}.yaml")
    people = signers(organizations, individuals)
    return dataclasses.replace(
        letter, signatories=people, expected_signatories=None, annexes=(), **changes
    )


def flat(pdf: bytes) -> str:
    """The PDF's text with its line breaks as spaces."""
    return " ".join(pdf_text(pdf).split())


def case_with(letter: Letter, **changes: Any) -> Letter:
    assert isinstance(letter.case, Case)
    return dataclasses.replace(letter, case=dataclasses.replace(letter.case, **changes))


#: (locale, template, organisations, individuals, what the letter says)
COUNTS = [
    ("en-GB", None, 32, 13, "We, the undersigned, 32 organisations and 13 individuals, are"),
    ("en-GB", None, 1, 1, "We, the undersigned, 1 organisation and 1 individual, are"),
    ("en-GB", None, 21, 0, "We, the undersigned, 21 organisations, are writing"),
    ("en-GB", None, 0, 13, "We, the undersigned, 13 individuals, are writing"),
    ("en-US", None, 32, 13, "We, the undersigned, 32 organizations and 13 individuals, are"),
    ("en-US", None, 1, 0, "We, the undersigned, 1 organization, are"),
    ("fr", None, 32, 13, "(32 organisations et 13 personnes à titre individuel),"),
    ("fr", None, 1, 1, "(1 organisation et 1 personne à titre individuel),"),
    ("es", None, 32, 13, "(32 organizaciones y 13 personas a título individual) nos"),
    ("es", None, 1, 0, "(1 organización) nos dirigimos"),
    ("ru", None, 21, 22, "(подписанты: 21 организация и 22 частных лица)."),
    ("ru", None, 22, 21, "(подписанты: 22 организации и 21 частное лицо)."),
    ("ru", None, 25, 11, "(подписанты: 25 организаций и 11 частных лиц)."),
    ("ru", None, 0, 5, "(подписанты: 5 частных лиц)."),
    ("ky", None, 32, 13, "Биз, төмөндө кол койгон 32 уюм жана 13 жеке адам,"),
    ("en-GB", "eu-partners", 32, 13, "We, the undersigned, 32 organisations and 13 individuals,"),
    ("fr", "eu-partners", 2, 3, "(2 organisations et 3 personnes à titre individuel),"),
    ("ru", "eu-partners", 21, 2, "(подписанты: 21 организация и 2 частных лица)."),
]


@pytest.mark.parametrize(("locale", "template", "orgs", "people", "expected"), COUNTS)
def test_built_in_templates_count_organisations_and_individuals(
    locale: str, template: str | None, orgs: int, people: int, expected: str
) -> None:
    changes = {"template": template} if template else {}
    text = flat(letterkit.render(appeal(locale, orgs, people, **changes)))
    assert expected in text
    assert "undersigned organisations" not in text
    assert "undersigned organizations" not in text
    assert "подписантов" not in text
    assert "или частное лицо" not in text
    if not people:
        assert "individual" not in text.split("Signatories")[0]


def test_the_arabic_template_counts_without_a_counted_noun() -> None:
    letter = appeal("ar", 32, 13)
    merged = merge(letter, letter.signatories, [], "appeal.ar.yaml").markdown.replace("\\", "")
    assert "نحن الموقّعون أدناه (عدد المنظمات: 32، عدد الأفراد: 13)، نتوجه" in merged
    only = appeal("ar", 3, 0)
    merged = merge(only, only.signatories, [], "appeal.ar.yaml").markdown.replace("\\", "")
    assert "(عدد المنظمات: 3)، نتوجه" in merged
    assert "الأفراد" not in merged.split("نتوجه")[0]


def test_templates_see_the_counts_by_type(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text(
        "{{ signatory_counts.total }}/{{ signatory_counts.organizations }}/"
        "{{ signatory_counts.individuals }}\n"
    )
    people = (*signers(3, 1), Signatory(name="X", type="individual", withhold=True))
    letter = dataclasses.replace(
        appeal("en-GB", 0, 0), template="t.md", base_dir=tmp_path, signatories=people
    )
    assert merge(letter, people, [], "x").markdown.strip() == "5/3/2"


@pytest.mark.parametrize(
    ("locale", "orgs", "people", "expected"),
    [
        ("ru", 21, 22, "21 организация и 22 частных лица"),
        ("ru", 25, 1, "25 организаций и 1 частное лицо"),
        ("ru", 2, 0, "2 организации"),
        ("en-GB", 1, 0, "1 organisation"),
        ("en-GB", 3, 2, "3 organisations and 2 individuals"),
        ("fr", 2, 1, "2 organisations et 1 personne à titre individuel"),
        ("ky", 5, 2, "5 уюм жана 2 жеке адам"),
    ],
)
def test_the_count_style_counts_each_type(
    locale: str, orgs: int, people: int, expected: str
) -> None:
    text = flat(letterkit.render(appeal(locale, orgs, people, signatory_style="count")))
    assert expected in text
    assert "или частное лицо" not in text
    assert "Org 000" not in text  # the count style prints no names
    if not people:
        assert "individual" not in text
        assert "частных лиц" not in text
        assert "лицо" not in text


def subject_line(pdf: bytes, label: str) -> str:
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    return next(line for line in first.splitlines() if label in line)


def test_russian_names_kyrgyzstan_as_the_un_does() -> None:
    pdf = letterkit.render(appeal("ru", 2, 1))
    line = subject_line(pdf, "Тема:")
    assert "(Кыргызстан)" in line
    assert "Киргиз" not in line
    assert "Кыргызстан" in (PdfReader(io.BytesIO(pdf)).metadata or {}).get("/Subject", "")


def test_french_names_kyrgyzstan_as_the_un_does() -> None:
    line = subject_line(letterkit.render(appeal("fr", 2, 1)), "Objet")
    assert "(Kirghizistan)" in line


def test_country_name_wins_in_its_language_only() -> None:
    names = {"ru": "Кыргызская Республика", "fr": "République kirghize"}
    ru = letterkit.render(case_with(appeal("ru", 2, 1), country_name=names))
    line = subject_line(ru, "Тема:")
    assert "(Кыргызская Республика)" in line
    assert "(Кыргызстан)" not in line
    meta = PdfReader(io.BytesIO(ru)).metadata or {}
    assert "Кыргызская Республика" in meta.get("/Subject", "")
    en = flat(letterkit.render(case_with(appeal("en-GB", 2, 1), country_name=names)))
    assert "in detention in Kyrgyzstan since" in en
    assert "Республика" not in en.split("Signatories")[0].split("Release of")[-1]


def test_a_plain_country_name_wins_everywhere() -> None:
    letter = case_with(appeal("en-GB", 2, 1), country_name="the Kyrgyz Republic")
    text = flat(letterkit.render(letter))
    assert "in detention in the Kyrgyz Republic since" in text
    assert "in Kyrgyzstan" not in text


def test_a_case_file_gives_country_name(example_copy: Path) -> None:
    case = example_copy / "case.yaml"
    named = "country: KG\ncountry_name: {ru: Кыргызская Республика}"
    case.write_text(case.read_text().replace("country: KG", named))
    letter = letterkit.load_letter(example_copy / "appeal.ru.yaml")
    assert isinstance(letter.case, Case)
    assert letter.case.country_name == {"ru": "Кыргызская Республика"}


def test_a_wrong_country_name_is_one_problem_at_its_line(example_copy: Path) -> None:
    case = example_copy / "case.yaml"
    text = case.read_text().replace("country: KG", "country: KG\ncountry_name: [Kyrgyzstan]")
    case.write_text(text)
    line = text.splitlines().index("country_name: [Kyrgyzstan]") + 1
    problems = letterkit.check(example_copy / "appeal.ru.yaml")
    problems = [p for p in problems if p.severity == "error"]
    assert [(p.code, p.line, Path(p.path).name) for p in problems] == [("LK105", line, "case.yaml")]
    assert "country_name" in problems[0].message


def test_a_misspelt_case_key_is_offered_country_name(example_copy: Path) -> None:
    case = example_copy / "case.yaml"
    case.write_text(case.read_text().replace("country: KG", "country: KG\ncountry_nme: X"))
    problems = letterkit.check(example_copy / "appeal.ru.yaml")
    assert any("country_name" in p.message for p in problems if p.severity == "error")


def split_text(locale: str, style: str) -> str:
    block = SignatoryBlock(split="types")
    letter = appeal(locale, 3, 2, signatory_style=style, signatory_block=block)
    return flat(letterkit.render(letter))


@pytest.mark.parametrize("style", ["columns", "list", "numbered"])
@pytest.mark.parametrize(
    ("locale", "organisations", "individuals"),
    [("en-GB", "Organisations", "Individuals"), ("ru", "Организации", "Частные лица")],
)
def test_split_types_lists_organisations_then_individuals(
    locale: str, organisations: str, individuals: str, style: str
) -> None:
    text = split_text(locale, style)
    listed = text[text.rindex(organisations + " ") :]
    assert listed.index("Org 000") < listed.index("Org 002") < listed.index(individuals)
    assert listed.index(individuals) < listed.index("Person 000") < listed.index("Person 001")
    assert listed.count(individuals + " ") == 1


def test_without_split_there_are_no_sub_headings() -> None:
    text = flat(letterkit.render(appeal("en-GB", 3, 2, signatory_block=SignatoryBlock())))
    listed = text[text.rindex("Signatories") :]
    assert "Organisations" not in listed
    assert "Individuals" not in listed
    assert listed.index("Org 002") < listed.index("Person 000")


def test_split_is_read_from_the_spec_and_checked(example_copy: Path) -> None:
    spec = example_copy / "appeal.en-GB.yaml"
    spec.write_text(spec.read_text() + "signatory_block: {split: types}\n")
    block = letterkit.load_letter(spec).signatory_block
    assert block is not None
    assert block.split == "types"
    spec.write_text(spec.read_text().replace("split: types", "split: kinds"))
    problems = [p for p in letterkit.check(spec) if p.severity == "error"]
    assert [p.code for p in problems] == ["LK105"]
    assert problems[0].line == len(spec.read_text().splitlines())
    assert "types" in problems[0].message
