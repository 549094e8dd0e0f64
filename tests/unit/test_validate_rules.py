"""The model's rules (letterkit.validate), one field at a time, with no stage loaded."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
import importlib
from pathlib import Path

import pytest

import letterkit
from letterkit.model import Annex, Case, Event, Letter, Person, Recipient, Sender, Signatory
from letterkit.validate import findings, font_problem, valid_date_format, validate


def _letter(tmp_path: Path, **changes: object) -> Letter:
    letter = Letter(
        template="appeal-release",
        locale="en-GB",
        date=dt.date(2018, 12, 6),
        case=Case(person=Person(name="Jane Doe")),
        signatories=(Signatory("Org A"),),
        base_dir=tmp_path,
    )
    return dataclasses.replace(letter, **changes)  # type: ignore[arg-type]


def _found(letter: Letter) -> list[tuple[str, str]]:
    return [(f.field, f.problem.code) for f in findings(letter)]


def test_doctests() -> None:
    for name in ("letterkit.validate", "letterkit.input.letter_spec"):
        result = doctest.testmod(importlib.import_module(name))
        assert result.attempted
        assert not result.failed


def test_the_package_name_is_the_function() -> None:
    importlib.import_module("letterkit.validate.rules")
    assert letterkit.validate is validate
    assert "validate" in letterkit.__all__
    assert "letter_from_data" in letterkit.__all__


def test_signatories_duplicates_and_types_use_their_rows(tmp_path: Path) -> None:
    first = Signatory("Org A", origin=("s.csv", 2, 1))
    letter = _letter(
        tmp_path,
        signatories=(first, Signatory("org a", origin=("s.csv", 5, 1)), Signatory("B", type="x")),  # type: ignore[arg-type]
    )
    problems = validate(letter)
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("s.csv", 5, "LK121"),
        ("letter.signatories[2].type", None, "LK105"),
    ]
    assert "also at s.csv:2" in problems[0].message


def test_count_and_empty_list(tmp_path: Path) -> None:
    assert _found(_letter(tmp_path, expected_signatories=2)) == [
        ("letter.expected_signatories", "LK122")
    ]
    [problem] = validate(_letter(tmp_path, signatories=()))
    assert (problem.severity, problem.code) == ("warning", "LK122")


def test_case_fields(tmp_path: Path) -> None:
    case = Case(
        person=Person(name="A", age=200, born="1956"),  # type: ignore[arg-type]
        country="XQ1",
        detained_on="2010-06-15",  # type: ignore[arg-type]
        events=(Event(dt.date(2010, 1, 1), ""),),
    )
    assert _found(_letter(tmp_path, case=case)) == [
        ("letter.case.person.age", "LK105"),
        ("letter.case.person.born", "LK106"),
        ("letter.case.country", "LK105"),
        ("letter.case.detained_on", "LK106"),
        ("letter.case.events[0].text", "LK104"),
    ]


def test_files_are_checked_by_their_first_bytes(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"GIF89a")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    letter = _letter(
        tmp_path,
        sender=Sender(name="S", logo=tmp_path / "logo.png"),
        annexes=(
            Annex(path=tmp_path / "a.pdf", password_env="LK_UNSET_VARIABLE_FOR_TEST"),
            Annex(path=tmp_path / "gone.pdf"),
            Annex(),
            Annex(path=tmp_path / "a.pdf", generate="chronology"),
        ),
    )
    problems = validate(letter)
    assert [(p.path, p.code) for p in problems] == [
        ("letter.sender.logo", "LK105"),
        ("letter.annexes[0].password_env", "LK104"),
        ("letter.annexes[1].path", "LK101"),
        ("letter.annexes[2]", "LK104"),
        ("letter.annexes[3].generate", "LK105"),
    ]
    assert "'gone.pdf'" in problems[2].message  # relative to the letter's folder


@pytest.mark.parametrize("cut", [None, 60])
def test_a_logo_is_read_by_its_header_and_checksums(tmp_path: Path, cut: int | None) -> None:
    """This test ensures that a real PNG passes and a cut one is refused before layout."""
    logo = (Path(__file__).parents[2] / "examples" / "shapes" / "logo.png").read_bytes()
    (tmp_path / "logo.png").write_bytes(logo[:cut])
    letter = _letter(tmp_path, sender=Sender(name="S", logo=tmp_path / "logo.png"))
    assert _found(letter) == ([] if cut is None else [("letter.sender.logo", "LK105")])


@pytest.mark.parametrize(
    ("head", "problem"),
    [
        (b"\x00\x01\x00\x00", ""),
        (b"true", ""),
        (b"OTTO", "CFF"),
        (b"wOF2", "WOFF2"),
        (b"<htm", "not a TrueType font"),
    ],
)
def test_font_problem(tmp_path: Path, head: bytes, problem: str) -> None:
    path = tmp_path / "F.ttf"
    path.write_bytes(head + bytes(20))
    found = font_problem(path)
    assert (problem in found) if problem else found == ""


def test_date_formats() -> None:
    assert valid_date_format("long")
    assert valid_date_format("d MMMM y")
    assert not valid_date_format("HH:mm")
    assert not valid_date_format("MMMM y")


def test_localized_texts_need_the_letters_locale(tmp_path: Path) -> None:
    letter = _letter(
        tmp_path,
        locale="ru",
        place={"en": "Brussels"},
        recipients=(Recipient(name="M", title={"ru": "Министр"}),),
        cc=(5,),  # type: ignore[arg-type]
    )
    assert _found(letter) == [("letter.place", "LK108"), ("letter.cc[0]", "LK105")]


def test_not_a_letter() -> None:
    [problem] = validate("letter.yaml")  # type: ignore[arg-type]
    assert (problem.path, problem.code) == ("letter", "LK105")
