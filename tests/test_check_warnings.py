"""``check`` of a letter prints its errors and its data warnings in one run:
an error in the spec, the list or the count hides no LK123/LK124/LK125, and a
fonts folder that is missing still has the letter's characters checked
against the bundled fonts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli import run
from .test_hygiene import _letter, _lines

WARNED = {"LK123", "LK124", "LK125"}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _codes(spec: Path) -> list[tuple[str, str, int | None]]:
    status, out, err = run("check", str(spec), "--format", "json")
    assert status == 1, err
    problems = json.loads(out)["problems"]
    return [(p["code"], p["severity"], p["line"]) for p in problems]


def _edit(spec: Path, old: str, new: str) -> None:
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new), encoding="utf-8")


def test_a_bad_date_hides_no_warning(tmp_path: Path) -> None:
    """This test ensures that an impossible date (LK106) is printed with every
    data warning of the list, in text and in JSON."""
    spec = _letter(tmp_path)
    _, clean, _ = run("check", str(spec), "--format", "json")
    warned = [(p["code"], p["line"]) for p in json.loads(clean)["problems"]]
    assert {code for code, _ in warned} == WARNED
    _edit(spec, "date: 2018-12-06", "date: 2026-02-30")
    found = _codes(spec)
    assert ("LK106", "error", 3) in found
    assert [(c, line) for c, sev, line in found if sev == "warning"] == warned
    _, out, _ = run("check", str(spec))
    assert len(_lines(out, "LK123")) == 4
    assert _lines(out, "LK106")[0].startswith("letter.yaml:3:1: error: [LK106]")


def test_a_count_error_hides_no_warning(tmp_path: Path) -> None:
    """This test ensures that a wrong expected_signatories (LK122) comes with
    the list's warnings."""
    spec = _letter(tmp_path, "expected_signatories: 3")
    found = _codes(spec)
    assert ("LK122", "error", 8) in found
    assert {c for c, sev, _ in found if sev == "warning"} == WARNED


def test_a_duplicate_row_hides_no_warning(tmp_path: Path) -> None:
    """This test ensures that a row listed twice (LK121) comes with the other
    rows' warnings, and the count is not blamed for the row left out."""
    spec = _letter(tmp_path, "expected_signatories: 12")
    with (tmp_path / "signatories.csv").open("a", encoding="utf-8") as handle:
        handle.write("Front Line Defenders,FLD\n")
    found = _codes(spec)
    assert ("LK121", "error", 13) in found
    assert "LK122" not in {c for c, _, _ in found}
    assert {c for c, sev, _ in found if sev == "warning"} == WARNED


def test_a_silenced_warning_stays_silent_beside_an_error(tmp_path: Path) -> None:
    """This test ensures that the spec's ignored codes still apply when it has an error."""
    spec = _letter(tmp_path, "warnings: {ignore: [LK123, LK125]}")
    _edit(spec, "date: 2018-12-06", "date: 2026-02-30")
    assert {c for c, _, _ in _codes(spec)} == {"LK106", "LK124"}


def test_an_xlsx_list_warns_beside_an_error(tmp_path: Path) -> None:
    """This test ensures that damaged text in an XLSX cell is named at its cell
    when the spec has an error too."""
    import openpyxl

    spec = _letter(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "type"])
    sheet.append(["Amnesty International", "organization"])
    sheet.append(["Ã‰cole de Droit", "organization"])
    book.save(tmp_path / "s.xlsx")
    _edit(spec, "signatories: signatories.csv", "signatories: s.xlsx")
    _edit(spec, "date: 2018-12-06", "date: 2026-02-30")
    status, out, _ = run("check", str(spec))
    assert status == 1
    [line] = _lines(out, "LK124")
    assert line.startswith("s.xlsx[Sheet]!A3: warning: [LK124]")
    assert "'École de Droit'" in line
    assert len(_lines(out, "LK106")) == 1


def test_a_missing_fonts_folder_still_checks_the_characters(tmp_path: Path) -> None:
    """This test ensures that a fonts folder that is not there (LK101) does not
    hide a name the bundled fonts cannot draw (LK140)."""
    spec = _letter(tmp_path, "fonts: nofonts/")
    with (tmp_path / "signatories.csv").open("a", encoding="utf-8") as handle:
        handle.write("王全璋,\n")
    status, out, _ = run("check", str(spec))
    assert status == 1
    assert _lines(out, "LK101")[0].startswith("letter.yaml:8:1: error: [LK101] fonts folder")
    [drawn] = _lines(out, "LK140")
    assert drawn.startswith("signatories.csv:13:1: error: [LK140] signatory '王全璋' name")
    assert "(U+738B)" in drawn
