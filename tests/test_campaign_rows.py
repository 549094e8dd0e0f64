"""A campaign's rows checked: each problem of a row at its cell, none hidden by another."""

from __future__ import annotations

import shutil
from pathlib import Path

from letterkit.bundle.campaign import check_campaign
from letterkit.errors import Problem

from .conftest import ROOT

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
