"""Readers of data files and tables (letterkit.input.data, jsondata, tables, xlsx):
what they build, where they place it, and where they stop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import letterkit
from letterkit import limits
from letterkit.input import xlsx
from letterkit.input.budget import Budget
from letterkit.input.data import load_data_file
from letterkit.input.signatories import SIGNATORY_TABLE
from letterkit.input.sources import Located, LocatedList, Reporter, Source
from letterkit.input.tables import read_rows

from ..hostile import workbooks
from ..hostile.workbooks import cell, sheet


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # problems name files relative to the working folder


def _load(tmp_path: Path, name: str, text: str, budget: Budget | None = None) -> tuple[Any, list[tuple[str, int | None, int | None, str]]]:  # fmt: skip
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    reporter = Reporter()
    data = load_data_file(path, reporter, "file", budget)
    return data, [(p.code, p.line, p.col, p.message) for p in reporter.problems]


def _rows(path: Path, **kinds: int) -> tuple[list[Any], list[tuple[str, str, str]]]:
    reporter = Reporter()
    where = (Source(path.parent / "l.yaml", "l.yaml"), (1, 1))
    with limits.applied(letterkit.Limits(**kinds)):
        rows = read_rows(path, where, reporter, SIGNATORY_TABLE)
    return rows, [(p.code, p.path, p.message) for p in reporter.problems]


# --- JSON ------------------------------------------------------------------------------


def test_json_gives_values_and_exact_positions(tmp_path: Path) -> None:
    data, problems = _load(tmp_path, "a.json", '{"a": [1, 2.5, "x",\n  {"b": null}], "c": true}')
    assert problems == []
    assert data == {"a": [1, 2.5, "x", {"b": None}], "c": True}
    assert isinstance(data, Located)
    assert isinstance(data["a"], LocatedList)
    assert data.key_pos == {"a": (1, 2), "c": (2, 17)}
    assert data["a"].item_pos == [(1, 8), (1, 11), (1, 16), (2, 3)]
    assert data["a"][3].key_pos == {"b": (2, 4)}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"a" 1}', (1, 6), "Expecting ':' delimiter"),
        ("[1, 2] x", (1, 8), "Extra data"),
        ("[1,\n 2", (2, 3), "Expecting ',' delimiter"),
        ("", (1, 1), "Expecting value"),
        ("[" * 101, (1, 101), "nests deeper than 100 levels"),
        ("[" + "9" * 5_000 + "]", (1, 2), "a number has more than 4,300 digits"),
    ],
)
def test_json_problems_are_lk102_at_their_place(
    tmp_path: Path, text: str, where: tuple[int, int], message: str
) -> None:
    data, [(code, line, col, text_)] = _load(tmp_path, "a.json", text)
    assert data is None
    assert (code, (line, col)) == ("LK102", where)
    assert message in text_


def test_json_list_stops_one_item_past_a_table_limit(tmp_path: Path) -> None:
    data, problems = _load(
        tmp_path, "a.json", "[" + ",".join(["1"] * 1000) + ", oops", Budget(items=10)
    )
    assert problems == []
    assert len(data) == 11


def test_json_node_budget_holds_while_reading(tmp_path: Path) -> None:
    _, [(code, _, _, message)] = _load(
        tmp_path, "a.json", "[" + "[]," * 200 + "[]]", Budget(nodes=100)
    )
    assert code == "LK102"
    assert "more than 100 values" in message


# --- YAML ------------------------------------------------------------------------------


def test_yaml_scalars_stay_text_and_aliases_are_fresh_copies(tmp_path: Path) -> None:
    data, problems = _load(tmp_path, "a.yaml", "a: &x [1, ~, {q: 'null'}]\nb: *x\nc:\n")
    assert problems == []
    assert data == {"a": ["1", None, {"q": "null"}], "b": ["1", None, {"q": "null"}], "c": None}
    assert data["a"] is not data["b"]
    assert data["a"][2] is not data["b"][2]
    assert data.key_pos == {"a": (1, 1), "b": (2, 1), "c": (3, 1)}
    assert data["b"].item_pos == [(1, 8), (1, 11), (1, 14)]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\n---\nb: 2\n", 2, "second document"),
        ("a: *nope\n", 1, "names no anchor"),
        ("a: &x 1\nb: &x 2\n", 2, "defined twice"),
        ("".join(" " * n + f"k{n}:\n" for n in range(150)), 100, "nests deeper than 100"),
        ("a: [b\n", 1, "is not closed by ']'"),
    ],
)
def test_yaml_problems_are_lk102(tmp_path: Path, text: str, line: int, message: str) -> None:
    data, [(code, at, _, text_)] = _load(tmp_path, "a.yaml", text)
    assert data is None
    assert code == "LK102"
    assert at == line
    assert message in text_


def test_yaml_alias_expansions_count_against_the_budget(tmp_path: Path) -> None:
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]" for n in range(6)
    ]
    _, [(code, _, _, message)] = _load(tmp_path, "a.yaml", "\n".join(laughs) + "\n")
    assert code == "LK102"
    assert "more than 500,000 values" in message


def test_yaml_duplicate_key_is_reported_and_the_last_kept(tmp_path: Path) -> None:
    data, problems = _load(tmp_path, "a.yaml", "a: 1\na: 2\n")
    assert data == {"a": "2"}
    assert problems == [("LK102", 2, 1, "key 'a' appears twice (first on line 1); keep one")]


# --- TOML ------------------------------------------------------------------------------


def test_toml_positions_and_bounds(tmp_path: Path) -> None:
    data, problems = _load(tmp_path, "a.toml", 'x = 1\n[sec]\n"my key" = 2\n')
    assert problems == []
    assert data == {"x": 1, "sec": {"my key": 2}}
    assert data["sec"].key_pos == {"my key": (3, 1)}
    _, [(code, _, _, message)] = _load(tmp_path, "b.toml", "a = " + "[" * 2000 + "]" * 2000)
    assert code == "LK102"
    assert "nests deeper" in message
    _, [(code, line, _, message)] = _load(tmp_path, "c.toml", "\na = " + "1" * 5000)
    assert (code, line) == ("LK102", 2)
    assert "4,300 digits" in message
    for key in ("a", '"a"'):  # tomllib's work grows with the square of a dotted key's length
        text = "\n" + ".".join([key] * 100_000) + " = 1\n"
        _, [(code, line, _, message)] = _load(tmp_path, "d.toml", text)
        assert (code, line) == ("LK102", 2)
        assert "dotted key nests deeper than 100 levels" in message
    data, problems = _load(tmp_path, "e.toml", 'a.b.c = "1.2.3.4"\nv = 1.5\n')
    assert (problems, data) == ([], {"a": {"b": {"c": "1.2.3.4"}}, "v": 1.5})


# --- CSV -------------------------------------------------------------------------------


def test_a_csv_line_of_millions_of_cells_is_refused_before_the_row_is_built(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name,type\nOrg,organization\n" + "," * 5_000_000, encoding="utf-8")
    rows, [(code, where, message)] = _rows(path)
    assert (rows, code, where) == ([], "LK105", "s.csv")
    assert "a line holds more than 500,000 characters" in message


def test_csv_stops_at_the_first_row_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name\n" + "".join(f"Org {n}\n\n" for n in range(100)), encoding="utf-8")
    rows, problems = _rows(path, signatories=5)
    assert rows == []
    [(code, where, message)] = problems
    assert (code, where) == ("LK105", "s.csv")
    assert "more than 5 signatories" in message


def test_csv_rows_with_problems_count_towards_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name\n" + "a,b\n" * 50, encoding="utf-8")
    _, problems = _rows(path, signatories=5)
    assert [c for c, _, _ in problems] == ["LK105"] * 6
    assert "more than 5 signatories" in problems[-1][2]


def test_csv_long_cell_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name,affiliation\nA," + "x" * 50 + "\nB,y\n", encoding="utf-8")
    rows, problems = _rows(path, cell=20)
    assert [r[0]["name"] for r in rows] == ["B"]
    assert problems == [("LK105", "s.csv", "'affiliation' holds more than 20 characters; "
                         "a cell holds at most 20")]  # fmt: skip


def test_csv_line_ends_of_every_kind_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b'name\r\nA\rB\n"C\r\nD"\r\nE')
    rows, problems = _rows(path)
    assert problems == []
    assert [(r[0]["name"], r[1][1][0]) for r in rows] == [
        ("A", 2),
        ("B", 3),
        ("C\r\nD", 4),
        ("E", 6),
    ]


# --- XLSX ------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    """What openpyxl's value shows as text in a table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_cells_read_as_openpyxl_reads_them(tmp_path: Path, write_only: bool) -> None:
    book = openpyxl.Workbook(write_only=write_only)
    ws = book.create_sheet("S") if write_only else book.active
    assert ws is not None
    for row in (
        ["Name", "x", "y"],
        ["  Spaced  ", 1, 2.5],
        [True, False, 1e20],
        [dt.date(2020, 1, 5), dt.datetime(2021, 2, 3, 4, 5, 6), dt.time(3, 4)],
        [None, None, None],
        ["=1+1", "x\ny", -0.0001],
        [12345678901234567890, 1.5e-7, "ünï"],
    ):
        ws.append(row)
    book.save(tmp_path / "b.xlsx")
    theirs = openpyxl.load_workbook(tmp_path / "b.xlsx", read_only=True, data_only=True)
    expected = {
        (r, c): _shown(v)
        for r, row in enumerate(theirs.worksheets[0].iter_rows(values_only=True), start=1)
        for c, v in enumerate(row, start=1)
        if _shown(v)
    }
    theirs.close()
    with xlsx.Workbook(tmp_path / "b.xlsx", 2000) as mine:
        rows = list(mine.rows(next(iter(mine.sheets))))
        strings = mine.strings(
            {v for _, cells in rows for v in cells.values() if isinstance(v, int)}
        )
    found = {
        (r, c): strings[v] if isinstance(v, int) else v
        for r, cells in rows
        for c, v in cells.items()
    }
    assert found == expected


def test_xlsx_ignores_the_dimension_and_reads_far_rows(tmp_path: Path) -> None:
    rows = f'<row r="1">{cell("A1", "name")}</row><row r="1048576">{cell("A1048576", "Far")}</row>'
    path = workbooks.workbook(tmp_path / "s.xlsx", sheet(rows, "A1:XFD1048576"))
    found, problems = _rows(path)
    assert problems == []
    assert [(r[0]["name"], r[1][1]) for r in found] == [("Far", (1048576, 1))]


def test_xlsx_stops_at_the_first_row_past_the_limit(tmp_path: Path) -> None:
    rows = "".join(
        f'<row r="{n}">{cell(f"A{n}", "name" if n == 1 else f"Org {n}")}</row>'
        for n in range(1, 50)
    )
    path = workbooks.workbook(tmp_path / "s.xlsx", sheet(rows))
    found, problems = _rows(path, signatories=5)
    assert found == []
    assert problems == [("LK105", "s.xlsx[Sheet1]!A7", "the list holds more than 5 signatories, the limit; split it")]  # fmt: skip


def test_xlsx_long_shared_string_is_cut_while_reading(tmp_path: Path) -> None:
    strings = f'<sst xmlns="{workbooks.MAIN}"><si><t>{"x" * 100_000}</t></si></sst>'
    rows = f'<row r="1">{cell("A1", "name")}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    path = workbooks.workbook(tmp_path / "s.xlsx", sheet(rows), strings)
    _, [(code, where, message)] = _rows(path, cell=10)
    assert (code, where) == ("LK105", "s.xlsx[Sheet1]!A2")
    assert "more than 10 characters" in message


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("name\nOrg\n"), "not a zip file"),
        (lambda p: workbooks.workbook(p, sheet('<row r="1"><c r="A1">')), "not well-formed XML"),
        (lambda p: workbooks.workbook(p, '<!DOCTYPE w [<!ENTITY a "b">]><worksheet/>'), "document type"),
        (lambda p: workbooks.workbook(p, sheet('<row r="1"><c r="A1" t="s"><v>3</v></c></row>'),
                                      f'<sst xmlns="{workbooks.MAIN}"/>'), "shared string 3"),
        (lambda p: workbooks.workbook(p, sheet(""), extra={f"m/{n}": "" for n in range(10_001)}), "10,000 entries"),
        (lambda p: workbooks.workbook(p, "<w>" + " " * 2_000_000 + "</w>"), "without a '>'"),
    ],
)  # fmt: skip
def test_xlsx_unreadable_is_one_lk102_naming_the_file(
    tmp_path: Path, make: Any, message: str
) -> None:
    path = tmp_path / "s.xlsx"
    make(path)
    found, [(code, where, text)] = _rows(path)
    assert found == []
    assert code == "LK102"
    assert where.startswith("s.xlsx")
    assert message in text


def test_xlsx_part_size_is_checked_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_PART", 1000)
    path = workbooks.workbook(
        tmp_path / "s.xlsx", sheet(f'<row r="1">{cell("A1", "name")}</row>' + " " * 2000)
    )
    _, [(code, _, message)] = _rows(path)
    assert code == "LK102"
    assert "inflates to" in message


def test_xlsx_reads_from_a_stream_too(tmp_path: Path) -> None:
    import io

    path = workbooks.workbook(tmp_path / "s.xlsx", sheet(f'<row r="1">{cell("A1", "name")}</row>'))
    stream = io.BytesIO(path.read_bytes())
    with xlsx.Workbook(stream, 2000) as book:
        assert list(book.rows("Sheet1")) == [(1, {1: "name"})]
    assert not stream.closed


def test_xlsx_that_is_a_fifo_is_refused_unopened(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "s.xlsx")
    found, [(code, _, message)] = _rows(tmp_path / "s.xlsx")
    assert found == []
    assert code == "LK102"
    assert "not a regular file" in message


def test_csv_rows_of_nothing_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('name,country\n\n\r\n , \n,,\nA,x\n"B\n\n,\nC",y\n' + ",\n" * 10_000 + "D,z\n")
    rows, problems = _rows(path)
    assert problems == []
    assert [(r[0]["name"], r[1][1][0]) for r in rows] == [("A", 6), ("B\n\n,\nC", 7), ("D", 10_011)]


# --- columns with no heading -------------------------------------------------------


def _table(path: Path, table: Any = SIGNATORY_TABLE) -> tuple[list[Any], list[tuple[str, str, int | None, int | None, str]]]:  # fmt: skip
    reporter = Reporter()
    rows = read_rows(path, (Source(path.parent / "l.yaml", "l.yaml"), (1, 1)), reporter, table)
    problems = [(p.code, p.path, p.line, p.col, p.message) for p in reporter.problems]
    return rows, problems


def _book(path: Path, *rows: list[Any]) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "S"
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_excel_empty_columns_are_ignored(tmp_path: Path) -> None:
    """This test ensures that Excel's empty columns (no heading, no values) are
    ignored in a CSV header and in a sheet, between and after the named ones."""
    (tmp_path / "s.csv").write_text(
        "Name,Type,Affiliation,Title,,,\nAmnesty,organization,,,,,\nAhmed,individual,Uni,Prof,,,\n",
        encoding="utf-8",
    )
    rows, problems = _table(tmp_path / "s.csv")
    assert problems == []
    assert [cells for cells, _ in rows][1] == {
        "name": "Ahmed", "type": "individual", "affiliation": "Uni", "title": "Prof",
    }  # fmt: skip
    _book(tmp_path / "s.xlsx", ["name", None, "type"], ["Amnesty", None, "organization"])
    rows, problems = _table(tmp_path / "s.xlsx")
    assert problems == []
    assert [cells for cells, _ in rows] == [{"name": "Amnesty", "type": "organization"}]


def test_a_column_with_values_but_no_heading_is_named_once(tmp_path: Path) -> None:
    """This test ensures that values under an empty heading give one LK103 per
    column, at its heading, naming the column and its first value's place."""
    (tmp_path / "s.csv").write_text(
        "name,type,,title,,\nA,organization,x,,,y\nB,organization,z,,,\n", encoding="utf-8"
    )
    _, problems = _table(tmp_path / "s.csv")
    assert problems == [
        ("LK103", "s.csv", 1, 3, "column 3 has values but no heading (first at line 2): name it or delete it"),
        ("LK103", "s.csv", 1, 6, "column 6 has values but no heading (first at line 2): name it or delete it"),
    ]  # fmt: skip
    _book(tmp_path / "s.xlsx", ["name", None, "type"], ["A", None, "organization"], ["B", "x"])
    _, problems = _table(tmp_path / "s.xlsx")
    assert problems == [
        ("LK103", "s.xlsx[S]!B1", 1, 2, "column B has values but no heading (first at B3): name it or delete it"),
    ]  # fmt: skip


def test_values_right_of_a_sheets_header_are_one_line_per_column(tmp_path: Path) -> None:
    """This test ensures that cells right of the last heading give one LK103 per
    column (not one per row), naming the column and its first value."""
    _book(
        tmp_path / "s.xlsx",
        ["name", "type"], ["A", "organization", None, "x"], ["B", "organization", "", "y"],
        ["C", "organization", "z"],
    )  # fmt: skip
    rows, problems = _table(tmp_path / "s.xlsx")
    assert [(code, path, message) for code, path, _, _, message in problems] == [
        ("LK103", "s.xlsx[S]!C1", "column C has values but no heading (first at C4): name it or delete it"),
        ("LK103", "s.xlsx[S]!D1", "column D has values but no heading (first at D2): name it or delete it"),
    ]  # fmt: skip
    assert [cells["name"] for cells, _ in rows] == ["A", "B", "C"]


def test_a_recipients_table_ignores_empty_columns_too(tmp_path: Path) -> None:
    """This test ensures that a campaign's recipients table reads past Excel's empty columns."""
    from letterkit.input.campaign import RECIPIENT_TABLE

    (tmp_path / "r.csv").write_text("id,name,,\nDE,Ministry,,\n", encoding="utf-8")
    rows, problems = _table(tmp_path / "r.csv", RECIPIENT_TABLE)
    assert problems == []
    assert [cells for cells, _ in rows] == [{"id": "DE", "name": "Ministry"}]
