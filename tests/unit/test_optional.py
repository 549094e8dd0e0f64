"""The optional parts' keys → the model, and their problems: each with its
file and line, all reported at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

import letterkit
from letterkit.input.campaign import _greeting
from letterkit.input.letter_spec import letter_from_data, load_letter
from letterkit.input.sources import Source
from letterkit.model import Case, Dateline, Letter, Person, Recipient, Signatory
from letterkit.pdf.assemble import describe

BASE = "template: t.md\nlocale: en-GB\ndate: 2019-03-01\nsignatories: [Org A]\n"


def _spec(tmp_path: Path, extra: str, body: str = "Text.\n") -> Path:
    (tmp_path / "t.md").write_text(body, encoding="utf-8")
    (tmp_path / "letter.yaml").write_text(BASE + extra, encoding="utf-8")
    return tmp_path / "letter.yaml"


def _problems(path: Path) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.code, p.message) for p in letterkit.check(path)]


def test_new_keys_are_read(tmp_path: Path) -> None:
    letter = load_letter(
        _spec(
            tmp_path,
            "dateline: {show: false, align: Left, position: top}\npage_numbers: AUTO\n"
            'salutation: ""\nclosing: Regards,\n'
            'recipients: [{name: A, salutation: ""}, {name: B}]\n',
        )
    )
    assert letter.dateline == Dateline(position="top", show=False, align="left")
    assert letter.page_numbers == "auto"
    assert (letter.salutation, letter.closing, letter.case) == ("", "Regards,", None)
    assert [r.salutation for r in letter.recipients] == ["", None]


def test_absent_keys_keep_the_defaults(tmp_path: Path) -> None:
    letter = load_letter(_spec(tmp_path, ""))
    assert letter.dateline == Dateline()
    assert (letter.salutation, letter.closing, letter.page_numbers) == (None, None, "always")


def test_plain_data_takes_the_same_keys(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("Text.\n", encoding="utf-8")
    letter = letter_from_data(
        {
            "template": "t.md", "date": "2019-03-01", "signatories": ["Org A"],
            "salutation": "", "page_numbers": "never", "dateline": {"show": False},
        },
        tmp_path,
    )  # fmt: skip
    assert (letter.salutation, letter.page_numbers, letter.dateline.show) == ("", "never", False)


def test_every_wrong_key_is_one_problem_at_its_line(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "page_numbers: sometimes\n"
        "dateline: {show: maybe, align: centre, positon: top}\n"
        "annexes:\n  - generate: chronology\n"
        "salutation: [Dear all]\n",
    )
    found = _problems(spec)
    assert sorted((line or 0, code) for line, code, _ in found) == [
        (5, "LK105"), (6, "LK103"), (6, "LK105"), (6, "LK105"), (8, "LK104"), (9, "LK105"),
    ]  # fmt: skip
    messages = "\n".join(m for _, _, m in found)
    assert "did you mean 'position'" in messages
    assert "'show' must be true or false, not 'maybe'" in messages
    assert "'align' must be one of right, left, not 'centre'" in messages
    assert "'page_numbers' must be one of always, auto, never, not 'sometimes'" in messages
    assert "'generate: chronology' lists the case's events, and the letter has no case" in messages
    assert "'salutation' must be text" in messages


def test_a_position_that_is_not_one_of_the_three(tmp_path: Path) -> None:
    [(line, code, message)] = _problems(_spec(tmp_path, "dateline: {position: bottom}\n"))
    assert (line, code) == (5, "LK105")
    assert "before-subject, after-subject, top, not 'bottom'" in message


@pytest.mark.parametrize("name", ["case.country", "person.name"])
def test_a_template_that_uses_the_case_needs_one(tmp_path: Path, name: str) -> None:
    spec = _spec(tmp_path, "", body=f"First line.\nAbout {{{{ {name} }}}}.\n")
    [problem] = letterkit.check(spec)
    assert (Path(problem.path).name, problem.line, problem.code) == ("t.md", 2, "LK112")
    root = name.split(".")[0]
    assert problem.message == (
        f"body: '{root}' is not defined: the letter has no case; add 'case:' to the spec "
        "or leave case and person out of the template"
    )


def test_a_built_in_template_that_needs_a_case_is_named(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "")
    spec.write_text(spec.read_text().replace("t.md", "appeal-release"), encoding="utf-8")
    [problem] = letterkit.check(spec)
    assert problem.code == "LK112"
    assert problem.message.startswith(
        "the template 'appeal-release' needs a case (person.name, person.role, country"
    )
    assert "add 'case:' to the spec" in problem.message


def test_a_template_requires_list_without_a_case(tmp_path: Path) -> None:
    body = "---\nrequires: [person.name]\n---\nText.\n"
    [problem] = letterkit.check(_spec(tmp_path, "", body=body))
    assert (problem.line, problem.code) == (2, "LK112")
    assert "needs a case (person.name)" in problem.message


def test_code_built_letters_are_held_to_the_same_rules(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("Text.\n", encoding="utf-8")
    letter = Letter(
        template="t.md", locale="en-GB", date=dt.date(2019, 3, 1),
        signatories=(Signatory("Org A"),), base_dir=tmp_path,
    )  # fmt: skip
    assert letterkit.validate(letter) == []
    wrong = dataclasses.replace(
        letter,
        page_numbers="sometimes",  # type: ignore[arg-type]
        dateline=Dateline(show="no", align="centre"),  # type: ignore[arg-type]
    )
    assert sorted(str(p) for p in letterkit.validate(wrong)) == [
        "letter.dateline.align: error: [LK105] 'align' must be one of right, left, not 'centre'",
        "letter.dateline.show: error: [LK105] 'show' must be true or false",
        "letter.page_numbers: error: [LK105] 'page_numbers' must be one of always, auto, never, "
        "not 'sometimes'",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("", None), ("  ", None), ("-", ""), (" - ", ""), ('""', ""), ("Hi,", "Hi,")],
)
def test_a_campaign_cell_asks_for_no_salutation_with_a_dash(
    cell: str, expected: str | None
) -> None:
    sheet = Source(Path("recipients.csv"), "recipients.csv")
    assert _greeting({"salutation": cell}, "salutation", sheet) == expected


def _letter(**changes: object) -> Letter:
    letter = Letter(template="t.md", locale="en-GB", date=dt.date(2019, 3, 1))
    return dataclasses.replace(letter, **changes)


def test_metadata_without_a_case_says_only_what_the_letter_says() -> None:
    people = (Recipient(name="Ann Example"), Recipient(name="Bo Example"))
    assert describe(_letter(recipients=people), "Defenders") == {
        "/Title": "Defenders",
        "/Subject": "Defenders",
        "/Keywords": "Ann Example, Bo Example",
    }
    assert describe(_letter(), "") == {}


def test_metadata_with_a_case_is_as_before() -> None:
    case = Case(person=Person(name="Temir Sample"), country="KG")
    assert describe(_letter(case=case), "") == {
        "/Title": "Letter",
        "/Subject": "Temir Sample (Kyrgyzstan)",
        "/Keywords": "Temir Sample, Kyrgyzstan",
    }
