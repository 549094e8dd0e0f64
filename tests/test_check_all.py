"""``check`` finds every problem at once: a letter's, whatever else fails, and
every recipient row's of a campaign, each at the cell it comes from; the
bundle refuses those rows with the same lines; a summary line says what was read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLE
from .letters import SHAPES
from .test_cli import run

CJK = "外交部"


def _campaign(folder: Path, rows: int | None = None) -> Path:
    """A copy of the example campaign in *folder* (its first *rows* recipients)."""
    shutil.copytree(EXAMPLE, folder, dirs_exist_ok=True)
    if rows is not None:
        table = folder / "recipients.csv"
        lines = table.read_text(encoding="utf-8").splitlines()[: rows + 1]
        table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "campaign.yaml"


def _cell(folder: Path, line: int, column: int, text: str) -> str:
    """Write *text* into a cell of ``recipients.csv``; return the row's id."""
    table = folder / "recipients.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    cells = lines[line - 1].split(",")
    cells[column - 1] = text
    lines[line - 1] = ",".join(cells)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cells[0]


def _errors(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": error: [" in line]


def test_a_name_no_font_draws_in_row_17_fails_check_at_its_cell_and_the_bundle_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a character no font has, in the name of the 16th
    recipient (physical line 17 of the CSV, column 3), fails ``check`` there,
    once (not again for the greeting that prints the name), and that the bundle
    refuses that letter with the very same line."""
    _campaign(tmp_path, rows=17)
    rid = _cell(tmp_path, 17, 3, CJK)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    [line] = _errors(out)
    assert line.startswith("recipients.csv:17:3: error: [LK140] recipient name: characters '外'")
    assert "(U+5916)" in line
    status, _, err = run("bundle", "campaign.yaml", "-o", "dist", "--jobs", "1", "--keep-going")
    assert status == 1
    assert f"{line} (recipient {rid})" in err.splitlines()
    built = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert rid not in [letter["id"] for letter in built["letters"]]
    assert len(built["letters"]) == 16
    # The one letter rendered alone is refused at the same cell.
    status, _, err = run("render", "campaign.yaml", "--recipient", rid, "-o", "one.pdf")
    assert status == 1
    assert line in err.splitlines()
    assert not (tmp_path / "one.pdf").exists()


def test_every_row_is_checked_not_only_the_first_of_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that rows of the same language are each checked: an
    organisation in one, an address line in another, both named at their cell."""
    _campaign(tmp_path)
    first = _cell(tmp_path, 4, 4, f"Ministry {CJK}")
    second = _cell(tmp_path, 9, 5, f"Riga | {CJK}")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    errors = _errors(out)
    assert [e.split(": error: ")[0] for e in errors] == ["recipients.csv:4:4", "recipients.csv:9:5"]
    assert "recipient organization: characters" in errors[0]
    assert "recipient address: characters" in errors[1]
    assert first != second


def test_a_gender_in_a_csv_row_is_reported_at_its_own_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a gender the greetings do not know is named at the
    gender cell (column 7), and that the bundle refuses it on the same line."""
    _campaign(tmp_path, rows=5)
    table = tmp_path / "recipients.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",gender"] + [row + ("," if n != 3 else ",femme") for n, row in
                                      enumerate(lines[1:], start=2)]  # fmt: skip
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    [line] = _errors(out)
    assert line.startswith("recipients.csv:3:7: error: [LK105] recipient 'BE': 'gender' must be")
    status, _, err = run("bundle", "campaign.yaml", "-o", "dist", "--jobs", "1")
    assert status == 1
    assert line in err.splitlines()


def test_a_quoted_address_over_two_lines_moves_the_cells_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a cell after a quoted cell that spans lines is
    named at its own physical line."""
    _campaign(tmp_path, rows=3)
    table = tmp_path / "recipients.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[2] = f'BE,S.E.,Ministre,Ministère,"Bruxelles\nBelgique",fr,{CJK}'
    lines[0] += ",title"
    lines = [lines[0], lines[1] + ",", lines[2], lines[3] + ","]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    [line] = _errors(out)
    assert line.startswith("recipients.csv:4:7: error: [LK140] recipient title:")


def test_xlsx_and_yaml_rows_are_named_at_the_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a workbook's problem names the field's cell
    (``recipients.xlsx[Ministers]!F3``, not the row's first cell) and a YAML
    list's the line of the field's key."""
    import openpyxl

    campaign = _campaign(tmp_path, rows=4)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ministers"
    sheet.append(["id", "honorific", "name", "organization", "address", "gender"])
    sheet.append(["AT", "H.E.", "Minister", "Ministry of Austria", "Vienna", "f"])
    sheet.append(["BE", "H.E.", "Minister", "Ministry of Belgium", "Brussels", "queen"])
    sheet.append(["BG", "H.E.", CJK, "Ministry of Bulgaria", "Sofia", "m"])
    book.save(tmp_path / "recipients.xlsx")
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("recipients.csv", "recipients.xlsx"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    wheres = [e.split(": error: ")[0] for e in _errors(out)]
    assert wheres == ["recipients.xlsx[Ministers]!F3", "recipients.xlsx[Ministers]!C4"]
    (tmp_path / "recipients.yaml").write_text(
        f"- id: AT\n  name: Minister\n- id: BE\n  honorific: S.E.\n  name: {CJK}\n",
        encoding="utf-8",
    )
    campaign.write_text(text.replace("recipients.csv", "recipients.yaml"), encoding="utf-8")
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    [line] = _errors(out)
    assert line.startswith("recipients.yaml:5:3: error: [LK140] recipient name:")


def _five_problems(folder: Path) -> Path:
    """A letter with five problems of five checks: an unknown key, a date that is
    no date, an unknown signatory column, a case field the template needs and
    the case lacks, and characters no font draws in the template's text."""
    (folder / "case.yaml").write_text(
        "person: {name: Temir Sample, role: defender}\ncountry: KG\n", encoding="utf-8"
    )
    rows = (SHAPES / "signatories-6.csv").read_text(encoding="utf-8").splitlines()
    rows = [rows[0] + ",colour"] + [row + ",blue" for row in rows[1:]]
    (folder / "signatories.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "body.md").write_text(
        f"---\nrequires: [person.hometown]\n---\nWe write about {{{{ person.name }}}}, held by {CJK}.\n",
        encoding="utf-8",
    )
    (folder / "letter.yaml").write_text(
        "template: body.md\nlocale: en-GB\ndate: 2024-13-45\nsubject: Defenders\n"
        "recipients: [{honorific: Ms., name: Ilse Example}]\ncase: case.yaml\n"
        "signatories: signatories.csv\ncolour: blue\n",
        encoding="utf-8",
    )
    return folder / "letter.yaml"


def test_a_letter_with_five_problems_prints_all_five_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that ``check`` runs every check whatever else failed."""
    _five_problems(tmp_path)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "letter.yaml")
    assert status == 1
    errors = _errors(out)
    assert len(errors) == 5, out
    expected = [  # each file's by line
        "letter.yaml:3:1: error: [LK106] 'date' is '2024-13-45'",
        "letter.yaml:8:1: error: [LK103] unknown letter spec key 'colour'",
        "signatories.csv:1:5: error: [LK103] unknown signatory column 'colour'",
        "body.md:2: error: [LK112] the template requires case field 'person.hometown'",
        "body.md:4: error: [LK140] text from body.md: characters '外' (U+5916)",
    ]
    for line, start in zip(errors, expected, strict=True):
        assert line.startswith(start), line
    assert out.splitlines()[-1] == "1 letter, 0 signatories, 0 annexes"


def test_a_template_that_fails_to_merge_still_has_its_characters_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a letter that reads well but whose template needs
    a case field it lacks is still checked for characters no font draws."""
    _five_problems(tmp_path)
    shutil.copy(SHAPES / "signatories-6.csv", tmp_path / "signatories.csv")
    text = (tmp_path / "letter.yaml").read_text(encoding="utf-8")
    text = text.replace("2024-13-45", "2024-11-20").replace("colour: blue\n", "")
    (tmp_path / "letter.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "letter.yaml")
    assert status == 1
    assert [e.split(": ")[2] for e in _errors(out)] == ["[LK112] the template requires case "
                                                        "field 'person.hometown', which the case "
                                                        "file does not give; add it", "[LK140] text from body.md"]  # fmt: skip
    assert out.splitlines()[-1] == "1 letter, 6 signatories, 0 annexes"


def test_the_summary_says_what_was_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that check ends with a summary line, and that the JSON
    form gives the same counts beside the problems."""
    _campaign(tmp_path)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "campaign.yaml")
    assert status == 0, out
    assert out.splitlines() == [
        "campaign.yaml: no problems",
        "27 letters, 45 signatories (1 withheld), 1 annex",
    ]
    status, out, _ = run("check", "campaign.yaml", "--format", "json")
    assert status == 0
    found = json.loads(out)
    assert found == {
        "problems": [],
        "summary": {"letters": 27, "signatories": 45, "withheld": 1, "annexes": 1},
    }
    status, out, _ = run("check", "letter.yaml")
    assert out.splitlines()[-1].startswith("1 letter, ")


def test_the_rows_are_checked_when_the_base_letter_has_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that an error in a campaign's base letter does not hide
    a row's: both are printed by the same run."""
    _campaign(tmp_path, rows=5)
    _cell(tmp_path, 5, 3, CJK)
    with (tmp_path / "campaign-letter.yaml").open("a", encoding="utf-8") as spec:
        spec.write("colour: blue\n")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    wheres = [e.split(": error: ")[0] for e in _errors(out)]
    assert wheres == ["campaign-letter.yaml:18:1", "recipients.csv:5:3"]
    assert out.splitlines()[-1] == "5 letters, 45 signatories (1 withheld), 1 annex"
