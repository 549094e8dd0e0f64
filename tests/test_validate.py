"""Letters built or changed in code, or made from plain data, meet the rules a spec file meets."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

import letterkit

from .conftest import EXAMPLE, pdf_text

CHANGES: list[tuple[str, dict[str, Any], str, str, str]] = [
    # (case, change, field, code, words of the message)
    ("A5 paper", {"paper": "A5"}, "letter.paper", "LK105", "one of A4, letter, not 'A5'"),
    ("seven columns", {"signatory_columns": 7}, "letter.signatory_columns", "LK105", "from 1 to 3"),
    ("date as text", {"date": "2018-12-06"}, "letter.date", "LK106", "datetime.date"),
    ("unknown locale", {"locale": "xx-YY"}, "letter.locale", "LK105", "unknown locale 'xx-YY'"),
    ("list style typo", {"signatory_style": "grid"}, "letter.signatory_style", "LK105", "grid"),
    ("dateline pattern", {"dateline": letterkit.Dateline(format="HH:mm")},
     "letter.dateline.format", "LK105", "d MMMM y"),
    ("generated annex kind", {"annexes": (letterkit.Annex(generate="photos"),)},  # type: ignore[arg-type]
     "letter.annexes[0].generate", "LK105", "chronology or signatories"),
    ("annex pages", {"annexes": (letterkit.Annex(generate="chronology", pages="first"),)},
     "letter.annexes[0].pages", "LK105", "1-3,7"),
    ("nameless defender", {"case": letterkit.Case(person=letterkit.Person(name=""))},
     "letter.case.person.name", "LK104", "'person.name' is required"),
    ("unknown template", {"template": "no-such-template"}, "letter.template", "LK110",
     "built-in templates: appeal-release"),
    ("no signatories list", {"signatories": None}, "letter.signatories", "LK105",
     "use () for none"),
    ("cc None", {"cc": None}, "letter.cc", "LK105", "not None"),
    ("annexes None", {"annexes": None}, "letter.annexes", "LK105", "not None"),
    ("address as one text", {"recipients": (letterkit.Recipient("Bob", address="Main St 1"),)},  # type: ignore[arg-type]
     "letter.recipients[0].address", "LK105", "not a str"),
    ("cc as one text", {"cc": "Council of Europe"}, "letter.cc", "LK105", "not a str"),
    ("events None", {"case": letterkit.Case(person=letterkit.Person(name="A"), events=None)},  # type: ignore[arg-type]
     "letter.case.events", "LK105", "not None"),
    ("no folder", {"base_dir": None}, "letter.base_dir", "LK105", "folder path"),
    ("acronym as a number", {"signatories": (letterkit.Signatory("Org", acronym=5),), "expected_signatories": None},  # type: ignore[arg-type]
     "letter.signatories[0].acronym", "LK105", "must be text"),
    ("withhold as text", {"signatories": (letterkit.Signatory("Org", withhold="no"),), "expected_signatories": None},  # type: ignore[arg-type]
     "letter.signatories[0].withhold", "LK105", "True or False"),
    ("blank signatory", {"signatories": (letterkit.Signatory("  "),), "expected_signatories": None},
     "letter.signatories[0].name", "LK120", "has no name"),
    ("blank defender", {"case": letterkit.Case(person=letterkit.Person(name=" "))},
     "letter.case.person.name", "LK104", "'person.name' is required"),
    ("names as a list", {"case": letterkit.Case(person=letterkit.Person(name="A", names=[]))},  # type: ignore[arg-type]
     "letter.case.person.names", "LK105", "{locale: name}"),
]  # fmt: skip


@pytest.fixture(scope="module")
def example() -> letterkit.Letter:
    return letterkit.load_letter(EXAMPLE / "letter.yaml")


@pytest.mark.parametrize(
    ("change", "field", "code", "words"),
    [c[1:] for c in CHANGES],
    ids=[c[0] for c in CHANGES],
)
def test_a_replaced_letter_gets_its_problem_from_validate_and_render(
    example: letterkit.Letter, change: dict[str, Any], field: str, code: str, words: str
) -> None:
    """This test ensures that a changed field is the problem validate and render report,
    named by the field, never a silent default or a traceback."""
    letter = replace(example, **change)
    [problem] = [p for p in letterkit.validate(letter) if p.severity == "error"]
    assert str(problem).startswith(f"{field}: error: [{code}] "), problem
    assert words in problem.message
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    assert [(p.path, p.code) for p in info.value.errors] == [(field, code)]
    assert letterkit.check(letter) == [problem]


def test_the_example_letter_is_valid(example: letterkit.Letter) -> None:
    assert letterkit.validate(example) == []


def test_check_gives_a_built_letters_warnings(example: letterkit.Letter) -> None:
    """This test ensures that check() warns about a letter built in code as it
    would about the same spec file: no signatories, layout words not translated."""
    letter = replace(example, signatories=(), expected_signatories=None, locale="sw")
    problems = letterkit.check(letter)
    assert sorted((p.path, p.code) for p in problems if p.severity == "warning") == [
        ("letter.locale", "LK109"),
        ("letter.signatories", "LK122"),
    ]
    assert {p.code for p in problems if p.severity == "error"} == {"LK108"}  # no Swahili texts


def test_valid_changes_still_render(example: letterkit.Letter) -> None:
    """This test ensures that a valid replace() renders what it says: US Letter, one column."""
    pdf = letterkit.render(replace(example, paper="letter", signatory_columns=1))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)


def test_a_spec_file_problem_keeps_its_file_and_line(example_copy: Path) -> None:
    spec = example_copy / "letter.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("paper: A4", "paper: A5"))
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.load_letter(spec)
    [problem] = info.value.problems
    assert (Path(problem.path).name, problem.line, problem.code) == ("letter.yaml", 8, "LK105")
    assert "'paper' must be one of A4, letter, not 'A5'" in problem.message


def test_several_rules_report_at_once_with_reading_problems(example_copy: Path) -> None:
    spec = example_copy / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    text = text.replace("date: 2018-12-06", "date: 2018-13-45")
    text = text.replace("signatory_columns: 2", "signatory_columns: 9")
    spec.write_text(text.replace("locale: en-GB", "locale: xx-YY"), encoding="utf-8")
    problems = letterkit.check(spec)
    assert sorted((p.line, p.code) for p in problems) == [(4, "LK105"), (5, "LK106"), (25, "LK105")]


# -- fonts: checked by their first bytes, parsed when typeset ---------------------------


def _with_fonts(folder: Path) -> Path:
    spec = folder / "letter.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("paper: A4", "paper: A4\nfonts: f"))
    (folder / "f").mkdir()
    return spec


def test_an_empty_fonts_folder_is_a_problem(example_copy: Path) -> None:
    [problem] = letterkit.check(_with_fonts(example_copy))
    assert (problem.code, problem.line) == ("LK101", 9)
    assert "holds no fonts (.ttf, .otf, .ttc or .otc files)" in problem.message


def test_a_cff_font_named_ttf_is_refused_by_name(example_copy: Path) -> None:
    spec = _with_fonts(example_copy)
    (example_copy / "f" / "Serif-CFF.ttf").write_bytes(b"OTTO" + bytes(60))
    [problem] = letterkit.check(spec)
    assert (problem.code, problem.line) == ("LK141", 9)
    assert "Serif-CFF.ttf" in problem.message
    assert "CFF" in problem.message


def test_a_damaged_truetype_font_is_reported_when_typeset(example_copy: Path) -> None:
    """This test ensures that a font that looks like TrueType but cannot be parsed
    is a problem at the fonts key from render, not a traceback."""
    spec = _with_fonts(example_copy)
    (example_copy / "f" / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"x" * 60)
    letter = letterkit.load_letter(spec)  # its first bytes are those of a TrueType font
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    [problem] = info.value.problems
    assert (problem.code, problem.line) == ("LK141", 9)
    assert "Broken.ttf" in problem.message


def test_a_user_font_folder_still_draws(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "l")
    spec = _with_fonts(tmp_path / "l")
    root = Path(__file__).resolve().parent
    shutil.copy(root / "fonts" / "NotoSerifGeorgian-subset.ttf", tmp_path / "l" / "f")
    letter = letterkit.load_letter(spec)
    assert letter.fonts == (tmp_path / "l" / "f").resolve()
    assert letterkit.validate(letter) == []


# -- letter_from_data ------------------------------------------------------------------


def _example_data() -> dict[str, Any]:
    """The example spec as plain data, its case and signatories inline."""
    data = yaml.safe_load((EXAMPLE / "letter.yaml").read_text(encoding="utf-8"))
    data["case"] = yaml.safe_load((EXAMPLE / "case.yaml").read_text(encoding="utf-8"))
    import csv

    with (EXAMPLE / "signatories.csv").open(encoding="utf-8", newline="") as handle:
        data["signatories"] = [
            {k: v for k, v in row.items() if v} for row in csv.DictReader(handle)
        ]
    return data


def test_letter_from_data_renders_the_same_letter_as_the_files() -> None:
    """This test ensures that a web form's data (case and signatories inline, dates as
    date objects) makes the same PDF as the spec files do."""
    data = _example_data()
    assert isinstance(data["date"], dt.date)
    letter = letterkit.letter_from_data(data, EXAMPLE)
    assert letter.case.person.name == "Azimjon Askarov"
    assert len(letter.signatories) == 45
    assert letterkit.render(letter) == letterkit.render(EXAMPLE / "letter.yaml")


def test_letter_from_data_names_the_fields_of_its_problems(tmp_path: Path) -> None:
    data = {
        "template": "appeal-release",
        "locale": "en-GB",
        "date": "2018-12-06",
        "paper": "A5",
        "case": {"person": {"nam": "Jane Doe"}, "detained_on": "5 July 2017"},
        "signatories": ["Org A", {"name": "Org B", "type": "robot"}],
        "annexes": ["https://example.org/a.pdf"],
    }
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.letter_from_data(data, tmp_path)
    found = {str(p).split(": ")[0]: p.code for p in info.value.problems}
    assert found == {
        "letter.case.person.nam": "LK103",
        "letter.case.person.name": "LK104",
        "letter.case.detained_on": "LK106",
        "letter.signatories[1]": "LK105",
        "letter.annexes[0].path": "LK107",
        "letter.paper": "LK105",
    }
    assert all(p.line is None for p in info.value.problems)


def test_letter_from_data_keeps_paths_inside_its_folder(example_copy: Path) -> None:
    data = _example_data()
    data["annexes"] = [{"path": str(EXAMPLE / "chronology.pdf")}]
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.letter_from_data(data, example_copy)
    assert [(p.path, p.code) for p in info.value.problems] == [("letter.annexes[0].path", "LK107")]
    letter = letterkit.letter_from_data(data, example_copy, allow_outside=True)
    assert "Chronology" in pdf_text(letterkit.render(letter))


def test_letter_from_data_refuses_what_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.letter_from_data(["template"], tmp_path)  # type: ignore[arg-type]
    assert str(info.value.problems[0]).startswith("letter: error: [LK105]")
