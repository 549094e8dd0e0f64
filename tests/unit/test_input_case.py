"""The case, inline or from its file (letterkit.input.case)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from letterkit.input.case import read_case
from letterkit.input.fields import Reader
from letterkit.input.sources import Reporter, from_data
from letterkit.model import Event


def _read(value: object, base: Path) -> tuple[object, Reader]:
    reader = Reader(Reporter(), base, False)
    data = from_data({"case": value}, "letter", base)
    return read_case(data["case"], data.where("case"), reader), reader


def test_inline_case_is_read_into_the_model(tmp_path: Path) -> None:
    case, reader = _read(
        {
            "person": {
                "name": " Jane  Doe ",
                "names": {"ru": "Джейн"},
                "born": "1956",
                "age": "62",
            },
            "country": "kg",
            "detained_on": "2010-06-15",
            "events": [{"date": dt.date(2010, 9, 15), "text": "Sentenced"}],
            "demands": ["Release her"],
            "facts": {"un": "CCPR/1"},
        },
        tmp_path,
    )
    assert reader.reporter.problems == []
    assert case is not None
    assert case.person.name == "Jane Doe"  # type: ignore[attr-defined]
    assert case.person.names == {"ru": "Джейн"}  # type: ignore[attr-defined]
    assert (case.person.born, case.person.age) == (1956, 62)  # type: ignore[attr-defined]
    assert case.country == "KG"  # type: ignore[attr-defined]
    assert case.detained_on == dt.date(2010, 6, 15)  # type: ignore[attr-defined]
    assert case.events == (Event(dt.date(2010, 9, 15), "Sentenced"),)  # type: ignore[attr-defined]
    assert case.demands == ("Release her",)  # type: ignore[attr-defined]
    assert case.facts == {"un": "CCPR/1"}  # type: ignore[attr-defined]


def test_shapes_that_cannot_be_read_name_their_field(tmp_path: Path) -> None:
    case, reader = _read(
        {
            "person": {"name": "A", "names": ["x"], "born": "June 1956"},
            "events": [{"text": "no date"}, "not a mapping", {"date": "2010-1-1", "text": "x"}],
            "facts": ["x"],
            "colour": "red",
        },
        tmp_path,
    )
    assert case is not None
    assert [str(p).split(": ")[0] for p in reader.reporter.problems] == [
        "letter.case.colour",
        "letter.case.facts",
        "letter.case.person.names",
        "letter.case.person.born",
        "letter.case.events[0]",
        "letter.case.events[1]",
        "letter.case.events[2].date",
    ]
    assert case.events == ()  # type: ignore[attr-defined]


def test_case_file_is_read_and_counted_as_an_input(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("person:\n  name: A\ncountry: NO\n", encoding="utf-8")
    case, reader = _read("case.yaml", tmp_path)
    assert case is not None
    assert case.country == "NO"  # type: ignore[attr-defined]
    assert reader.inputs == [(tmp_path / "case.yaml").resolve()]


def test_empty_case_file_is_one_problem_and_no_case(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("", encoding="utf-8")
    case, reader = _read("case.yaml", tmp_path)
    assert case is None
    [problem] = reader.reporter.problems
    assert (problem.code, problem.path) == ("LK104", "case.yaml")
    assert "letter.case" in reader.reported
