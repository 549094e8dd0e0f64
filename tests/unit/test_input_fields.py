"""Typed field readers and the path policy (letterkit.input.fields)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from letterkit.input.fields import Reader
from letterkit.input.sources import Located, Reporter, Source, from_data


def _reader(base: Path, allow_outside: bool = False) -> Reader:
    return Reader(Reporter(), base, allow_outside)


def _file_data(**values: object) -> Located:
    """A mapping as if read from letter.yaml, key n on line n."""
    data = Located(Source(Path("letter.yaml"), "letter.yaml"), (1, 1))
    for line, (key, value) in enumerate(values.items(), start=1):
        data[key] = value
        data.key_pos[key] = (line, 1)
    return data


def test_text_cleans_and_keeps_locale_mappings(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    data = _file_data(a="  two\u00a0 words ", b={"en": "x", "ru": None}, c=12, d=["no"])
    assert reader.text(data, "a", "letter.a") == "two words"
    assert reader.text(data, "b", "letter.b") == {"en": "x"}
    assert reader.text(data, "c", "letter.c") == "12"
    assert reader.text(data, "d", "letter.d") == ""
    [problem] = reader.reporter.problems
    assert (problem.line, problem.code) == (4, "LK105")
    assert reader.reported == {"letter.d"}
    assert reader.places["letter.a"] == (data.src, (1, 1))


def test_word_maps_spellings_and_keeps_the_rest_for_validation(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    data = _file_data(paper="US-Letter", other="A5")
    aliases = {"a4": "A4", "us-letter": "letter"}
    assert reader.word(data, "paper", "letter.paper", aliases, "A4") == "letter"
    assert reader.word(data, "other", "letter.other", aliases, "A4") == "A5"
    assert reader.word(data, "absent", "letter.absent", aliases, "A4") == "A4"
    assert reader.reporter.problems == []


@pytest.mark.parametrize(
    ("value", "expected", "problems"),
    [("yes", True, 0), ("Off", False, 0), (True, True, 0), ("maybe", False, 1)],
)
def test_flag(tmp_path: Path, value: object, expected: bool, problems: int) -> None:
    reader = _reader(tmp_path)
    assert reader.flag(_file_data(f=value), "f", "letter.f", False) is expected
    assert len(reader.reporter.problems) == problems


def test_whole_reads_numbers_and_leaves_ranges_to_validation(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    data = _file_data(a="7", b=2.5, c="two", d=True)
    assert reader.whole(data, "a", "letter.a", (1, 3)) == 7
    for key in "bcd":
        assert reader.whole(data, key, f"letter.{key}", (1, 3)) is None
    assert [p.line for p in reader.reporter.problems] == [2, 3, 4]
    assert "from 1 to 3" in reader.reporter.problems[0].message


def test_date_reads_iso_text_and_date_values(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    where = (Source(Path("x.yaml"), "x.yaml"), (3, 7))
    assert reader.date("2018-12-06", where, "letter.date", "date") == dt.date(2018, 12, 6)
    assert reader.date(dt.datetime(2018, 12, 6, 9), where, "f", "date") == dt.date(2018, 12, 6)
    assert reader.date("6.12.2018", where, "letter.x", "date") is None
    assert reader.date("2018-02-30", where, "letter.y", "date") is None
    assert [(p.code, p.line, p.col) for p in reader.reporter.problems] == [("LK106", 3, 7)] * 2
    assert "not a real date" in reader.reporter.problems[1].message


def test_lines_split_text_and_read_lists(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    data = from_data({"a": "One\nTwo | Three", "b": ["x", {"en": "y"}, ""], "c": 5}, "l", tmp_path)
    assert reader.lines(data, "a", "l.a") == ("One", "Two", "Three")
    assert reader.lines(data, "b", "l.b") == ("x", {"en": "y"})
    assert reader.lines(data, "c", "l.c") == ()
    assert [str(p) for p in reader.reporter.problems] == [
        "l.c: error: [LK105] 'c' must be a list of lines"
    ]


def test_paths_stay_inside_the_folder_and_urls_are_refused(tmp_path: Path) -> None:
    where = (Source(Path("letter.yaml"), "letter.yaml"), (2, 1))
    reader = _reader(tmp_path)
    assert reader.resolve("sub/a.pdf", where, "f") == (tmp_path / "sub" / "a.pdf").resolve()
    assert reader.resolve("../a.pdf", where, "g") is None
    assert reader.resolve("https://example.org/a.pdf", where, "h") is None
    assert [p.code for p in reader.reporter.problems] == ["LK107", "LK107"]
    assert "--allow-outside" in reader.reporter.problems[0].message
    assert "never fetches" in reader.reporter.problems[1].message
    assert reader.reported == {"g", "h"}
    free = _reader(tmp_path, allow_outside=True)
    assert free.resolve("../a.pdf", where, "f") == (tmp_path.parent / "a.pdf").resolve()


def test_place_falls_back_to_the_nearest_field(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    reader.mark("letter", ("letter.yaml", (1, 1)))
    reader.mark("letter.annexes[0]", ("letter.yaml", (9, 3)))
    assert reader.place("letter.annexes[0].pages") == ("letter.yaml", (9, 3))
    assert reader.place("letter.paper") == ("letter.yaml", (1, 1))
    assert _reader(tmp_path).place("letter.paper") is None


def test_mapping_reports_other_shapes(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    where = ("letter.sender", (None, None))
    assert reader.mapping("text", where, "sender", "letter.sender") is None
    assert [str(p) for p in reader.reporter.problems] == [
        "letter.sender: error: [LK105] 'sender' must be a mapping of keys and values"
    ]
