"""Plain data as located data: problems name fields (letterkit.input.sources)."""

from __future__ import annotations

from pathlib import Path

from letterkit.input.sources import Located, LocatedList, Reporter, Source, check_keys, from_data


def test_from_data_gives_field_paths(tmp_path: Path) -> None:
    data = from_data(
        {"case": {"person": {"name": "A"}}, "list": ["x", {"k": 1}]}, "letter", tmp_path
    )
    assert isinstance(data, Located)
    person = data["case"]["person"]
    assert person.where("name") == ("letter.case.person.name", (None, None))
    assert person.here() == ("letter.case.person", (None, None))
    items = data["list"]
    assert isinstance(items, LocatedList)
    assert items.where(1) == ("letter.list[1]", (None, None))
    assert items[1].where("k") == ("letter.list[1].k", (None, None))
    assert items[1]["k"] == 1


def test_file_data_still_gives_positions() -> None:
    src = Source(Path("a.yaml"), "a.yaml")
    data = Located(src, (2, 1))
    data["k"] = "v"
    data.key_pos["k"] = (3, 5)
    assert data.where("k") == (src, (3, 5))
    assert data.where("absent") == (src, (2, 1))


def test_unknown_keys_of_plain_data_name_the_field(tmp_path: Path) -> None:
    reporter = Reporter()
    check_keys(from_data({"papper": "A4"}, "letter", tmp_path), ("paper",), "letter spec", reporter)
    [problem] = reporter.problems
    assert str(problem).startswith("letter.papper: error: [LK103] unknown letter spec key")
    assert "did you mean 'paper'" in problem.message
