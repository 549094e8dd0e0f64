"""A campaign's rows checked: each problem of a row at its cell, none hidden by another."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from letterkit.bundle.campaign import build_row, check_campaign, load_campaign
from letterkit.errors import Problem, ValidationError, in_order

from .conftest import ROOT
from .test_cli import run

EXAMPLE = ROOT / "examples" / "askarov-eu-2018"
HEADER = "id,honorific,name,organization,address,locale\n"


def _campaign(tmp_path: Path, rows: str, **letter: str) -> Path:
    """The example campaign with recipients *rows* (CSV lines after the header)
    and the base letter's lines *letter* replaced (``date="2018-12-32"``)."""
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLE, folder)
    (folder / "recipients.csv").write_text(HEADER + rows, encoding="utf-8")
    spec = folder / "campaign-letter.yaml"
    lines = spec.read_text(encoding="utf-8").splitlines()
    for key, value in letter.items():
        lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "campaign.yaml"


def _at(problems: list[Problem], code: str) -> list[str]:
    return [f"{p.path}:{p.line}:{p.col}" for p in problems if p.code == code]


ROWS = (
    "AT,H.E.,Minister,Ministry of Austria,Vienna,en-GB\n"
    "DE,H.E.,Minister,Ministry of Germany,Berlin,de\n"
    "KZ,H.E.,Minister,Ministry of Kazakhstan,Astana,kk\n"
    "GE,H.E.,ილია,Ministry of Georgia,Tbilisi,de\n"
)


def test_a_locale_the_template_lacks_is_one_problem_at_the_locale_cell(tmp_path: Path) -> None:
    problems = check_campaign(_campaign(tmp_path, ROWS))
    assert _at(problems, "LK110") == [
        "recipients.csv:3:6", "recipients.csv:4:6", "recipients.csv:5:6",
    ]  # fmt: skip
    assert "has no 'de' version" in next(p for p in problems if p.code == "LK110").message
    assert not [p for p in problems if p.code == "LK108"], problems
    # the missing template version does not hide the name no font draws
    assert _at(problems, "LK140") == ["recipients.csv:5:3"]


def test_an_error_in_the_base_letter_leaves_the_rows_checked(tmp_path: Path) -> None:
    problems = check_campaign(_campaign(tmp_path, ROWS, date="2018-12-32"))
    assert [p.code for p in problems if p.path.endswith("campaign-letter.yaml")] == ["LK106"]
    assert _at(problems, "LK110") == [
        "recipients.csv:3:6", "recipients.csv:4:6", "recipients.csv:5:6",
    ]  # fmt: skip
    assert _at(problems, "LK140") == ["recipients.csv:5:3"]


def test_texts_lacking_the_row_locale_are_one_problem_at_the_locale_cell(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path, ROWS, template="eu-partners.en.md")
    problems = check_campaign(campaign)
    lacking = [p for p in problems if p.code == "LK108"]
    assert _at(problems, "LK108") == [
        "recipients.csv:3:6", "recipients.csv:4:6", "recipients.csv:5:6",
    ]  # fmt: skip
    assert "have no 'de' entry: place, case.sentence, case.person.role" in lacking[0].message
    assert "case.events[1].text and 10 more; add a 'de' or 'default' entry" in lacking[0].message
    assert "'kk'" in lacking[1].message
    assert not [p for p in problems if p.code == "LK110"]
    assert _at(problems, "LK140") == ["recipients.csv:5:3"]


YAML_ROWS = """\
- id: CN
  name: 王毅
  organization: Ministry of China
  locale: en-GB
- id: GE
  name: ილია
  organization: "“Ministry of Georgia”"
  locale: en-GB
"""


def test_problems_of_a_file_print_by_line_and_column(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path, "")
    (campaign.parent / "rows.yaml").write_text(YAML_ROWS, encoding="utf-8")
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("recipients.csv", "rows.yaml"), encoding="utf-8")
    status, out, _ = run("check", str(campaign))
    assert status == 1
    places = [line.split(": ")[0] for line in out.splitlines() if "rows.yaml" in line]
    # the GE name (line 6) is found after the GE organization's quote marks (line 7)
    assert places == ["rows.yaml:2:3", "rows.yaml:6:3", "rows.yaml:7:3"], out
    _, out, _ = run("check", "--format", "json", str(campaign))
    found = [(p["line"], p["col"]) for p in json.loads(out)["problems"] if p["path"] == "rows.yaml"]
    assert found == [(2, 3), (6, 3), (7, 3)]


def test_in_order_keeps_files_apart_and_ties_as_found() -> None:
    def problem(path: str, line: int | None, message: str) -> Problem:
        return Problem(path, line, 1 if line else None, "error", "LK105", message)

    found = [
        problem("b.csv", 9, "b9"), problem("a.yaml", 8, "a8"), problem("b.csv", 2, "b2"),
        problem("a.yaml", 6, "a6"), problem("a.yaml", None, "a"), problem("a.yaml", 6, "a6 again"),
        problem("s.xlsx[S]!A9", 9, "s9"), problem("s.xlsx[S]!B2", 2, "s2"),
    ]  # fmt: skip
    assert [p.message for p in in_order(found)] == [
        "b2", "b9", "a", "a6", "a6 again", "a8", "s2", "s9",
    ]  # fmt: skip


def test_bundle_names_the_cell_of_a_quoted_name_as_check_does(tmp_path: Path) -> None:
    rows = 'AT,H.E.,Minister,"""Ministère""",Vienna,en-GB\nFR,M.,"""Ministre""",Quai,Paris,fr\n'
    campaign = _campaign(tmp_path, rows)
    warnings: list[Problem] = []
    load_campaign(campaign, problems=warnings)  # what bundle reads before it builds
    bundled = sorted(f"{p.path}:{p.line}:{p.col}" for p in warnings if p.code == "LK125")
    checked = sorted(_at(check_campaign(campaign), "LK125"))
    assert bundled == checked == ["recipients.csv:2:4", "recipients.csv:3:3"]


def test_a_recipient_text_too_long_to_lay_out_is_found_by_check_at_its_cell(
    tmp_path: Path,
) -> None:
    long = "Ministry " + "x" * 300
    campaign = _campaign(
        tmp_path, f"AT,H.E.,Minister,Ministry,Vienna,en-GB\nLONG,H.E.,M,{long},X,fr\n"
    )
    problems = check_campaign(campaign)
    assert _at(problems, "LK150") == ["recipients.csv:3:4"]
    message = next(p.message for p in problems if p.code == "LK150")
    assert message.startswith("the text of 'organization' is too large to lay out: 300 characters")
    # the bundle stops at the same text, and says so at the same cell
    with pytest.raises(ValidationError) as caught:
        build_row(load_campaign(campaign), "LONG")
    assert [str(p) for p in caught.value.problems] == [
        str(p) for p in problems if p.code == "LK150"
    ]


def _address(lines: int) -> str:
    """A row whose address block (name, organization, address) has *lines* lines."""
    return (
        "AT,H.E.,Minister,Ministry,"
        + " | ".join(f"Line {n}" for n in range(lines - 2))
        + ",en-GB\n"
    )


def test_an_address_block_taller_than_page_one_is_an_error_at_its_cell(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "tall", _address(48))
    problems = [p for p in check_campaign(campaign) if p.code == "LK150"]
    assert [f"{p.path}:{p.line}:{p.col}" for p in problems] == ["recipients.csv:2:5"]
    assert "has 48 lines, more than page 1 holds below the letterhead (at most 47)" in str(
        problems[0]
    )
    with pytest.raises(ValidationError) as caught:
        build_row(load_campaign(campaign), "AT")  # bundle and render refuse it too
    assert caught.value.problems == problems
    # one line fewer fits: page 1 holds the address block
    campaign = _campaign(tmp_path / "fits", _address(47))
    assert not [p for p in check_campaign(campaign) if p.code == "LK150"]
    pdf = PdfReader(io.BytesIO(build_row(load_campaign(campaign), "AT").pdf))
    assert "Line 44" in pdf.pages[0].extract_text()


def test_a_character_no_font_has_prints_at_its_spec_key_or_template_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes = ROOT / "examples" / "shapes"
    for name in ("case.yaml", "signatories-9.csv"):
        shutil.copy(shapes / name, tmp_path / name)
    (tmp_path / "body.md").write_text("Dear friends,\n\nWe write from 北京.\n", encoding="utf-8")
    (tmp_path / "letter.yaml").write_text(
        "template: body.md\nlocale: en-GB\ndate: 2018-12-06\nsubject: Release\n"
        "case: case.yaml\nsignatories: signatories-9.csv\n"
        "recipients:\n  - {honorific: H.E., name: 王毅}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "letter.yaml")
    assert status == 1
    lines = [line.split(" characters")[0] for line in out.splitlines() if "[LK140]" in line]
    assert lines == [
        "letter.yaml:7:1: error: [LK140] recipient name:",
        "body.md:3: error: [LK140] text from body.md:",
    ]


def test_a_signatory_field_no_font_draws_prints_at_its_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / "examples" / "shapes" / "case.yaml", tmp_path / "case.yaml")
    (tmp_path / "body.md").write_text("Dear friends,\n\nWe write.\n", encoding="utf-8")
    (tmp_path / "signatories.csv").write_text(
        "name,type,affiliation\nAnn Lee,individual,Uni\nWang Li,individual,北京大学\n",
        encoding="utf-8",
    )
    (tmp_path / "letter.yaml").write_text(
        "template: body.md\nlocale: en-GB\ndate: 2018-12-06\nsubject: Release\n"
        "case: case.yaml\nsignatories: signatories.csv\nrecipients: [{name: Jo}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("check", "letter.yaml")
    assert status == 1
    lines = [line.split(" characters")[0] for line in out.splitlines() if "[LK140]" in line]
    assert lines == ["signatories.csv:3:3: error: [LK140] signatory 'Wang Li' affiliation:"]
