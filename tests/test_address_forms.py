"""`gender` and `office` as read from files and held by the model: any case of
female/male/f/m, the known offices, and one LK105 with file and line for
anything else (letter, case, campaign row, a letter built in code)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

import letterkit
from letterkit.model import Case, Letter, Person, Recipient, Signatory
from letterkit.validate import validate

from .conftest import EXAMPLES

CASE = (
    "person: {{name: Temir Sample, role: defender{gender}}}\ncountry: KG\ndetained_on: 2010-06-15\n"
)


def _folder(tmp_path: Path, recipient: str, gender: str = "") -> Path:
    (tmp_path / "case.yaml").write_text(
        CASE.format(gender=f", gender: {gender}" if gender else ""), encoding="utf-8"
    )
    shutil.copy(EXAMPLES / "shapes" / "signatories-6.csv", tmp_path / "signatories.csv")
    (tmp_path / "body.md").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "letter.yaml").write_text(
        "template: body.md\nlocale: en-GB\ndate: 2024-11-20\nsubject: Detention\n"
        "case: case.yaml\nsignatories: signatories.csv\n"
        f"recipients:\n  - {recipient}\n",
        encoding="utf-8",
    )
    return tmp_path / "letter.yaml"


@pytest.mark.parametrize("spelled", ["female", "Female", "F", "f", "MALE", "m", "Male"])
def test_any_case_of_female_male_f_m_is_a_gender(tmp_path: Path, spelled: str) -> None:
    spec = _folder(tmp_path, f"{{name: Ada Smith, title: Expert, gender: {spelled}}}", spelled)
    assert letterkit.check(spec) == []
    letter = letterkit.load_letter(spec)
    expected = "female" if spelled.lower().startswith("f") else "male"
    assert letter.recipients[0].gender == expected
    assert letter.case is not None
    assert letter.case.person.gender == expected


def test_another_gender_word_is_lk105_at_its_line(tmp_path: Path) -> None:
    spec = _folder(tmp_path, "{name: Ada Smith, title: Expert, gender: woman}", "feminine")
    problems = letterkit.check(spec)
    found = sorted((Path(p.path).name, p.line, p.code) for p in problems)
    assert found == [("case.yaml", 1, "LK105"), ("letter.yaml", 8, "LK105")]
    assert all("'gender' must be female, male" in p.message for p in problems)
    assert {p.message.rsplit("'", 2)[-2] for p in problems} == {"woman", "feminine"}


def test_office_takes_the_known_words_and_reports_others(tmp_path: Path) -> None:
    good = _folder(tmp_path, "{name: Ada Smith, honorific: Ms., office: Head of State}")
    assert letterkit.check(good) == []
    assert letterkit.load_letter(good).recipients[0].office == "head-of-state"
    bad = _folder(tmp_path, "{name: Ada Smith, honorific: Ms., office: pope}")
    [problem] = letterkit.check(bad)
    assert (problem.code, problem.line) == ("LK105", 8)
    assert "'office' must be one of head-of-state, monarch" in problem.message


def test_a_misspelt_key_is_offered_gender(tmp_path: Path) -> None:
    spec = _folder(tmp_path, "{name: Ada Smith, honorific: Ms., gendre: f}")
    [problem] = letterkit.check(spec)
    assert "gender" in problem.message
    assert problem.line == 8


def test_a_campaign_row_reports_its_gender_and_office(tmp_path: Path) -> None:
    spec = _folder(tmp_path, "{name: x}")
    text = spec.read_text(encoding="utf-8").split("recipients:")[0]
    (tmp_path / "base.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        "id,honorific,name,gender,office\n"
        "A,Ms.,Ada Smith,F,minister\n"
        "B,,Bo Smith,x,\n"
        "C,,Cy Smith,,pope\n",
        encoding="utf-8",
    )
    (tmp_path / "campaign.yaml").write_text(
        "letter: base.yaml\nrecipients: rows.csv\n", encoding="utf-8"
    )
    problems = letterkit.check(tmp_path / "campaign.yaml")
    assert sorted((p.line, p.code) for p in problems) == [(3, "LK105"), (4, "LK105")]
    assert any("'gender' must be one of female, male, not 'x'" in p.message for p in problems)


def test_a_letter_built_in_code_is_held_to_the_same_words() -> None:
    letter = Letter(
        template="appeal-release",
        locale="en-GB",
        date=dt.date(2018, 12, 6),
        case=Case(person=Person(name="A", gender="F")),
        signatories=(Signatory("Org"),),
        recipients=(Recipient(name="Ada Smith", honorific="Ms.", gender="female"),),
    )
    assert validate(letter) == []
    wrong = dataclasses.replace(
        letter, recipients=(Recipient(name="Ada Smith", gender="x", office="pope"),)
    )
    assert sorted(p.path for p in validate(wrong)) == [
        "letter.recipients[0].gender",
        "letter.recipients[0].office",
    ]


@pytest.mark.parametrize(
    ("written", "meant"),
    [("president", "head-of-state"), ("ambasador", "ambassador"), ("MEP", "parliamentarian")],
)
def test_an_office_in_other_words_gets_a_did_you_mean(written: str, meant: str) -> None:
    from letterkit.validate.address_forms import office_hint

    assert office_hint(written) == f"; did you mean '{meant}'?"
    assert office_hint("xyz") == ""
