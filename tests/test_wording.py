"""Small things a first run meets: a country written as a name, a campaign's
recipients in a named sheet, a fonts folder without fonts, names that differ
by an invisible character, and output piped into ``head``."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from letterkit.cli.main import main
from letterkit.model import Signatory
from letterkit.validate import validate

from .conftest import EXAMPLE, ROOT
from .test_cli import run
from .test_hygiene import _letter, _lines


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("Kyrgyzstan", "'Kyrgyzstan' is not an ISO 3166 country code (write its code, KG)"),
        ("the Philippines", "'the Philippines' is not an ISO 3166 country code (write its code, PH)"),
        ("Narnia", "'Narnia' is not an ISO 3166 country code (e.g. KG)"),
    ],
)  # fmt: skip
def test_a_country_name_is_quoted_as_written_with_its_code(
    tmp_path: Path, written: str, says: str
) -> None:
    """This test ensures that a case's country written as a name is quoted as
    written (not upper-cased) and, when it is a country's English name, its
    code is suggested; a lower-case code still reads."""
    spec = _letter(tmp_path, "warnings: {ignore: [LK123, LK124, LK125]}")
    case = tmp_path / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("country: KG", f"country: {written}"))
    status, out, _ = run("check", str(spec))
    assert status == 1
    [line] = _lines(out, "LK105")
    assert line == f"case.yaml:8:1: error: [LK105] {says}"
    case.write_text(case.read_text(encoding="utf-8").replace(f"country: {written}", "country: kg"))
    assert run("check", str(spec))[0] == 0


def _recipients_in_sheet(folder: Path, sheet: str) -> Path:
    shutil.copytree(EXAMPLE, folder, dirs_exist_ok=True)
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    table = book.create_sheet(sheet)
    with (folder / "recipients.csv").open(encoding="utf-8", newline="") as handle:
        for row in list(csv.reader(handle))[:4]:
            table.append(row)
    book.save(folder / "recipients.xlsx")
    return folder / "campaign.yaml"


def test_a_campaigns_recipients_may_name_their_sheet(tmp_path: Path) -> None:
    """This test ensures that ``recipients: {path, sheet}`` reads that sheet of
    a workbook, as ``signatories`` does, and that a sheet for a CSV is refused."""
    spec = _recipients_in_sheet(tmp_path, "Ministries")
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("recipients: recipients.csv", "recipients: {path: recipients.xlsx, sheet: Ministries}"))  # fmt: skip
    status, out, err = run("check", "campaign.yaml")
    assert status == 0, out + err
    assert out.splitlines()[-1].startswith("3 letters,")
    spec.write_text(text.replace("recipients: recipients.csv", "recipients: {path: recipients.csv, sheet: Ministries}"))  # fmt: skip
    status, out, _ = run("check", "campaign.yaml")
    assert status == 1
    assert (
        "campaign.yaml:6:14: error: [LK105] 'sheet' applies only to an .xlsx file; remove it" in out
    )
    spec.write_text(text.replace("recipients: recipients.csv", "recipients: {path: recipients.xlsx, sheet: Other}"))  # fmt: skip
    status, out, _ = run("check", "campaign.yaml")
    assert "recipients.xlsx has no sheet 'Other'; its sheets are: Notes, Ministries" in out


def test_names_that_differ_by_an_invisible_character_show_it() -> None:
    """This test ensures that LK123 writes a zero-width space as an escape, so
    the two names it cites can be told apart."""
    hidden = Signatory("Amnesty\u200bInternational", origin=("s.csv", 3, 1))
    [problem] = [p for p in validate(_letter_in_code(hidden)) if p.code == "LK123"]
    assert problem.message.startswith(
        "'Amnesty\\u200bInternational' and 'Amnesty International' at s.csv:2 differ only"
    )


def _letter_in_code(*signatories: Signatory) -> object:
    from .unit.test_hygiene import _letter as in_code

    return in_code(Signatory("Amnesty International", origin=("s.csv", 2, 1)), *signatories)


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """This test ensures that ``check ... | head -1`` ends without a message
    when ``head`` closes the pipe, with the shell's status for SIGPIPE (141)."""
    spec = _letter(tmp_path)
    err = io.StringIO()
    assert main(["check", str(spec)], stdout=_Closed(), stderr=err) == 141
    assert err.getvalue() == ""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    shell = f"{sys.executable} -m letterkit check {spec} | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, env=env, check=True
    )
    assert done.stderr == ""
    assert done.stdout.strip() in ("141", "0")  # 0: all was written before head stopped
