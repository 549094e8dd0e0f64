"""The spec → a validated letter: problems at their key's line, or named by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import letterkit
from letterkit.input.letter_spec import letter_from_data, load_letter

MINIMAL = (
    "template: appeal-release\nlocale: en-GB\ndate: 2018-12-06\n"
    "case: {person: {name: Jane Doe}}\nsignatories: [Org A]\n"
)


def test_minimal_spec(tmp_path: Path) -> None:
    (tmp_path / "letter.yaml").write_text(MINIMAL, encoding="utf-8")
    letter = load_letter(tmp_path / "letter.yaml")
    assert (letter.date, letter.paper, letter.signatory_columns) == (dt.date(2018, 12, 6), "A4", 2)
    assert letter.inputs == ((tmp_path / "letter.yaml").resolve(),)
    assert letter.base_dir == tmp_path.resolve()


def test_rules_are_reported_at_the_line_of_their_key(tmp_path: Path) -> None:
    (tmp_path / "letter.yaml").write_text(
        MINIMAL + "signatory_columns: 0\nprivacy: secret\n", encoding="utf-8"
    )
    with pytest.raises(letterkit.ValidationError) as info:
        load_letter(tmp_path / "letter.yaml")
    assert [(p.line, p.code) for p in info.value.problems] == [(6, "LK105"), (7, "LK105")]
    assert "from 1 to 3, not '0'" in info.value.problems[0].message


def test_missing_keys_are_reported_at_the_top(tmp_path: Path) -> None:
    (tmp_path / "letter.yaml").write_text("# a comment\nlocale: en-GB\n", encoding="utf-8")
    with pytest.raises(letterkit.ValidationError) as info:
        load_letter(tmp_path / "letter.yaml")
    found = {(p.line, p.code, p.message.split(" ")[0]) for p in info.value.problems}
    # A letter without a case is a thematic letter: only its template may need one.
    # Its warnings come with its errors: it has no signatories either.
    assert found == {(1, "LK104", "'date'"), (1, "LK104", "'template'"), (1, "LK122", "the")}


def test_a_value_that_cannot_be_read_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "letter.yaml").write_text(
        MINIMAL.replace("2018-12-06", "yesterday"), encoding="utf-8"
    )
    with pytest.raises(letterkit.ValidationError) as info:
        load_letter(tmp_path / "letter.yaml")
    assert [(p.line, p.code) for p in info.value.problems] == [(3, "LK106")]


def test_warnings_go_to_problems(tmp_path: Path) -> None:
    (tmp_path / "letter.yaml").write_text(
        MINIMAL.replace("en-GB", "sw").replace("signatories: [Org A]\n", ""), encoding="utf-8"
    )
    warnings: list[letterkit.Problem] = []
    load_letter(tmp_path / "letter.yaml", problems=warnings)
    assert sorted((p.code, p.line) for p in warnings) == [("LK109", 2), ("LK122", 1)]


def test_letter_from_data_takes_dates_and_inline_parts(tmp_path: Path) -> None:
    letter = letter_from_data(
        {
            "template": "appeal-release",
            "locale": "en-GB",
            "date": dt.date(2018, 12, 6),
            "case": {"person": {"name": "Jane Doe"}, "detained_on": dt.date(2017, 7, 5)},
            "signatories": [{"name": "Org A", "lead": True}, "Org B"],
            "paper": "letter",
        },
        tmp_path,
    )
    assert letter.case.detained_on == dt.date(2017, 7, 5)
    assert [(s.name, s.lead) for s in letter.signatories] == [("Org A", True), ("Org B", False)]
    assert letter.signatories[1].origin == ("letter.signatories[1]", None, None)
    assert letter.inputs == ()


def test_letter_from_data_problems_name_fields(tmp_path: Path) -> None:
    with pytest.raises(letterkit.ValidationError) as info:
        letter_from_data({"template": "appeal-release", "dateline": {"align": "centre"}}, tmp_path)
    assert [str(p) for p in info.value.problems] == [
        "letter.date: error: [LK104] 'date' is required (the letter's date, YYYY-MM-DD)",
        "letter.signatories: warning: [LK122] the letter has no signatories; add them in 'signatories'",
        "letter.dateline.align: error: [LK105] 'align' must be one of right, left, not 'centre'",
    ]
