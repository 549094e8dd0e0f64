"""The data hygiene warnings from the command line and the API: printed by
``check``, ``render`` and ``bundle`` at the rows and keys they name, silenced
by ``--no-warn``, ``no_warn=`` and the spec's ``warnings: {ignore: [...]}``,
and absent from every example."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

import letterkit
from letterkit.bundle.campaign import load_campaign
from letterkit.errors import Problem
from letterkit.input.campaign import is_campaign
from letterkit.input.letter_spec import load_letter

from .conftest import EXAMPLES, ROOT
from .test_cli import run

SHAPES = ROOT / "examples" / "shapes"
HYGIENE = ("LK116", "LK123", "LK124", "LK125")
#: Rows of the list (line 1 is the header): each pair is one near-duplicate.
ROWS = [
    ("Ligue des droits de l’Homme", ""),  # 2
    ("The Lantern Fund", ""),  # 3
    ("Human Rights Watch (HRW)", ""),  # 4
    ("Front Line Defenders", "FLD"),  # 5
    ("Ligue des droits de l'Homme", ""),  # 6
    ("Lantern Fund", ""),  # 7
    ("HRW", ""),  # 8
    ("FLD", ""),  # 9
    ("Ligue des droits de lâ€™Homme (Paris)", ""),  # 10
    ('"Amnesty Kyrgyzstan"', ""),  # 11
    ("???? ?????", ""),  # 12
]
PAIRS = [(6, 2), (7, 3), (8, 4), (9, 5)]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files relative to the working folder: the letter's."""
    monkeypatch.chdir(tmp_path)


def _letter(folder: Path, *extra: str) -> Path:
    """A short letter signed by :data:`ROWS`, with *extra* lines in its spec."""
    for name in ("generic.md", "case.yaml"):
        shutil.copy(SHAPES / name, folder / name)
    with (folder / "signatories.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "acronym"])
        out.writerows(ROWS)
    spec = [
        "template: generic.md", "locale: en-GB", "date: 2018-12-06",
        "subject: Release of Temir Sample", "case: case.yaml",
        "recipient: {name: Ilse Example}", "signatories: signatories.csv", *extra,
    ]  # fmt: skip
    (folder / "letter.yaml").write_text("\n".join(spec) + "\n", encoding="utf-8")
    return folder / "letter.yaml"


def _lines(text: str, code: str) -> list[str]:
    """The lines of *code*, each starting at its file's name (``signatories.csv:6:1: …``)."""
    found = [line.split(": ", 1) for line in text.splitlines() if f"[{code}]" in line]
    return [f"{Path(where).name}: {rest}" for where, rest in found]


def test_check_names_both_rows_of_each_pair(tmp_path: Path) -> None:
    """This test ensures that ``check`` prints one LK123 per pair at the later row,
    citing the earlier one, and LK124 and LK125 at their rows; exit status 0."""
    status, out, _ = run("check", str(_letter(tmp_path)))
    assert status == 0, out
    found = _lines(out, "LK123")
    assert len(found) == len(PAIRS), out
    for later, first in PAIRS:
        (line,) = [f for f in found if f.startswith(f"signatories.csv:{later}:1: warning:")]
        assert f"at signatories.csv:{first}" in line
    (repaired,) = _lines(out, "LK124")[:1]
    assert repaired.startswith("signatories.csv:10:1: warning: [LK124]")
    assert "it probably reads 'Ligue des droits de l’Homme (Paris)'" in repaired
    assert _lines(out, "LK124")[1].startswith("signatories.csv:12:1:")
    (quoted,) = _lines(out, "LK125")
    assert quoted.startswith("signatories.csv:11:1:")
    assert "write it as 'Amnesty Kyrgyzstan'" in quoted


def test_no_warn_on_the_command_line_and_in_the_api(tmp_path: Path) -> None:
    """This test ensures that ``--no-warn CODE`` (repeatable, any case) and
    ``check(no_warn=...)`` leave out those warnings and no others; an unknown code
    is bad usage."""
    spec = _letter(tmp_path)
    status, out, _ = run("check", str(spec), "--no-warn", "LK123", "--no-warn", "lk125")
    assert status == 0
    assert _lines(out, "LK123") == []
    assert _lines(out, "LK125") == []
    assert len(_lines(out, "LK124")) == 2
    codes = {p.code for p in letterkit.check(spec, no_warn=["LK124", "LK123"])}
    assert codes == {"LK125"}
    status, _, err = run("check", str(spec), "--no-warn", "LK999")
    assert status == 2
    assert "LK999" in err


def test_the_spec_silences_its_warnings(tmp_path: Path) -> None:
    """This test ensures that ``warnings: {ignore: [...]}`` in the spec leaves out those
    warnings, and that an unknown code there is an LK105 error at its line."""
    spec = _letter(tmp_path, "warnings:", "  ignore: [LK123, LK124, LK125]")
    status, out, _ = run("check", str(spec))
    assert status == 0
    assert out.splitlines()[0] == f"{spec}: no problems"
    _letter(tmp_path, "warnings: {ignore: [LK123, LK12]}")
    status, out, _ = run("check", str(spec))
    assert status == 1
    (line,) = _lines(out, "LK105")
    assert re.match(r"letter\.yaml:8:\d+: error: \[LK105\] warnings\.ignore: 'LK12' ", line)
    _letter(tmp_path, "warnings: [LK123]")
    status, out, _ = run("check", str(spec))
    assert status == 1
    assert "write 'warnings: {ignore: [LK123]}'" in _lines(out, "LK105")[0]


def test_render_prints_the_warnings_it_is_not_told_to_leave_out(tmp_path: Path) -> None:
    """This test ensures that ``render`` prints the warnings on stderr and writes the
    PDF, and that ``--no-warn`` leaves them out."""
    spec = _letter(tmp_path)
    status, _, err = run("render", str(spec), "-o", str(tmp_path / "a.pdf"), "--no-warn", "LK123")
    assert status == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert _lines(err, "LK123") == []
    assert len(_lines(err, "LK124")) == 2
    assert len(_lines(err, "LK125")) == 1


def _campaign(folder: Path, *extra: str) -> Path:
    """A campaign whose base spec is in English with a plain subject, and whose rows
    are in English and French; one row's organization is mojibake."""
    _letter(folder, *extra)
    text = (folder / "letter.yaml").read_text(encoding="utf-8")
    (folder / "letter.yaml").write_text(
        text.replace("recipient: {name: Ilse Example}\n", ""), encoding="utf-8"
    )
    rows = [
        ["id", "name", "organization", "locale"],
        ["AT", "Minister", "Ministry of Foreign Affairs", "en-GB"],
        ["BE", "Ministre", "MinistÃ¨re des Affaires Ã©trangÃ¨res", "fr"],
        ["FR", "Ministre", "Ministère de l’Europe", "fr"],
    ]
    with (folder / "recipients.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    (folder / "campaign.yaml").write_text(
        "letter: letter.yaml\nrecipients: recipients.csv\n", encoding="utf-8"
    )
    case = (folder / "case.yaml").read_text(encoding="utf-8")
    case = case.replace("ru: правозащитник}", "ru: правозащитник, fr: défenseur}")
    (folder / "case.yaml").write_text(case, encoding="utf-8")
    return folder / "campaign.yaml"


def test_a_campaign_warns_once_per_plain_field_and_row(tmp_path: Path) -> None:
    """This test ensures that checking a campaign gives LK116 once, at the base spec's
    subject line, naming French and its rows, and LK124 at the damaged row."""
    status, out, _ = run("check", str(_campaign(tmp_path)))
    assert status == 0, out
    (plain,) = _lines(out, "LK116")
    assert plain.startswith("letter.yaml:4:")
    assert "letters in fr (recipients BE, FR)" in plain
    damaged = [line for line in _lines(out, "LK124") if "recipients.csv" in line]
    assert len(damaged) == 1
    assert damaged[0].startswith("recipients.csv:3:")
    assert "Ministère des Affaires étrangères" in damaged[0]


def test_a_campaign_takes_the_base_specs_switch(tmp_path: Path) -> None:
    """This test ensures that the base spec's ``warnings: {ignore: [...]}`` silences
    the campaign's own warnings too."""
    campaign = _campaign(tmp_path, "warnings: {ignore: [LK116, LK124]}")
    codes = {p.code for p in letterkit.check(campaign)}
    assert codes == {"LK123", "LK125"}


def test_bundle_prints_the_campaigns_warnings_once(tmp_path: Path) -> None:
    """This test ensures that ``bundle`` prints the campaign's warnings once (not once
    per letter), and that ``--no-warn`` leaves them out."""
    campaign = _campaign(tmp_path)
    status, out, err = run(
        "bundle", str(campaign), "-o", str(tmp_path / "dist"), "--jobs", "1",
        "--no-warn", "LK123", "--no-warn", "LK125",
    )  # fmt: skip
    assert status == 0, err
    assert "3 built" in out
    assert len(_lines(err, "LK116")) == 1
    assert _lines(err, "LK123") == []
    assert _lines(err, "LK125") == []


def _examples() -> list[Path]:
    found = sorted((EXAMPLES / "askarov-eu-2018").glob("*.yaml"))
    found += sorted((EXAMPLES / "shapes").glob("*.yaml"))
    return [p for p in found if p.name != "case.yaml"]


@pytest.mark.parametrize("spec", _examples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_hygiene_warning_on_the_examples(spec: Path) -> None:
    """This test ensures that the examples, letters and campaign, give none of the
    hygiene warnings (their data is clean, and the LK116 rule has no false alarm)."""
    problems: list[Problem] = []
    if is_campaign(spec):
        load_campaign(spec, problems=problems)
    else:
        load_letter(spec, problems=problems)
    assert [str(p) for p in problems if p.code in HYGIENE] == []
