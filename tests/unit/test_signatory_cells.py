"""A signatory list's bad cell → a problem at that cell, not at the row's first column."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from letterkit.input.signatories import load_signatories
from letterkit.input.sources import Reporter

ROWS = [
    ["name", "type", "acronym", "lead", "withhold"],
    ["Memorial", "organization", "", "", ""],
    ["Bob", "persn", "", "maybe", ""],
    ["", "individual", "", "", ""],
    ["Ann", "individual", "", "", "perhaps"],
]


def _problems(path: Path, sheet: str = "") -> list[str]:
    reporter = Reporter()
    load_signatories(path, ("letter.yaml", (5, 1)), reporter, sheet)
    return [str(p).split(" must")[0].split(" has")[0] for p in reporter.problems]


def test_a_csv_cell_is_named_by_its_column(tmp_path: Path) -> None:
    path = tmp_path / "signatories.csv"
    path.write_text("\n".join(",".join(row) for row in ROWS) + "\n", encoding="utf-8")
    assert _problems(path) == [
        "signatories.csv:3:2: error: [LK105] type",
        "signatories.csv:3:4: error: [LK105] lead",
        "signatories.csv:4:1: error: [LK120] signatory",
        "signatories.csv:5:5: error: [LK105] withhold",
    ]


def test_a_csv_cell_after_a_quoted_line_break_is_on_its_physical_line(tmp_path: Path) -> None:
    path = tmp_path / "signatories.csv"
    path.write_text('name,type,lead\n"Bob\nSmith",persn,maybe\n', encoding="utf-8")
    assert _problems(path) == [
        "signatories.csv:3:2: error: [LK105] type",
        "signatories.csv:3:3: error: [LK105] lead",
    ]


def test_a_workbook_cell_is_named_as_a_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    for row in ROWS:
        sheet.append(row)
    book.save(tmp_path / "cells.xlsx")
    assert _problems(tmp_path / "cells.xlsx", "S") == [
        "cells.xlsx[S]!B3: error: [LK105] type",
        "cells.xlsx[S]!D3: error: [LK105] lead",
        "cells.xlsx[S]!A4: error: [LK120] signatory",
        "cells.xlsx[S]!E5: error: [LK105] withhold",
    ]


def test_a_yaml_entry_is_named_by_its_key_line(tmp_path: Path) -> None:
    path = tmp_path / "signatories.yaml"
    path.write_text("- name: Bob\n  acronym: B\n  type: persn\n  lead: maybe\n", encoding="utf-8")
    assert _problems(path) == [
        "signatories.yaml:3:3: error: [LK105] type",
        "signatories.yaml:4:3: error: [LK105] lead",
    ]


def test_a_name_listed_twice_is_reported_at_its_name_cell(tmp_path: Path) -> None:
    path = tmp_path / "signatories.csv"
    path.write_text("type,name\nindividual,Ann Lee\nindividual,ann lee\n", encoding="utf-8")
    reporter = Reporter()
    load_signatories(path, ("letter.yaml", (5, 1)), reporter)
    assert [str(p) for p in reporter.problems] == [
        "signatories.csv:3:2: error: [LK121] 'ann lee' is listed twice "
        "(also at signatories.csv:2); delete one row"
    ]
