"""The command line: exit codes, problem lines, no traceback, no half-written output."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from letterkit.cli.main import main

from .conftest import EXAMPLE, pdf_text


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _bad_spec(folder: Path) -> None:
    (folder / "letter.yaml").unlink()


def _unknown_template(folder: Path) -> None:
    _edit(folder / "letter.yaml", "template: eu-partners.en.md", "template: no-such-template")


def _bad_date(folder: Path) -> None:
    _edit(folder / "letter.yaml", "date: 2018-12-06", "date: 2018-13-45")


def _unknown_column(folder: Path) -> None:
    _edit(folder / "signatories.csv", "sort_as", "sortas")


def _nameless_signatory(folder: Path) -> None:
    _edit(folder / "signatories.csv", "\nNordic Forum for Fair Trials,", "\n,")


def _missing_case_field(folder: Path) -> None:
    _edit(folder / "eu-partners.en.md", "facts.un_decision]", "]")
    _edit(folder / "case.yaml", 'un_decision: "CCPR/C/116/D/2231/2012"', "")


def _missing_required_field(folder: Path) -> None:
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    without = re.sub(r"^sentence:\n(?:  .*\n)+", "", text, flags=re.MULTILINE)
    assert without != text
    (folder / "case.yaml").write_text(without, encoding="utf-8")


def _missing_translation(folder: Path) -> None:
    _edit(folder / "letter.yaml", "place: Brussels", "place: {fr: Bruxelles}")


def _both_recipient_keys(folder: Path) -> None:
    _edit(folder / "letter.yaml", "case: case.yaml", "recipient: {name: X}\ncase: case.yaml")


def _annex_outside(folder: Path) -> None:
    _edit(folder / "letter.yaml", "path: chronology.pdf", "path: ../chronology.pdf")


def _annex_not_pdf(folder: Path) -> None:
    (folder / "chronology.pdf").write_text("<html>not a pdf</html>")


def _duplicate_signatory(folder: Path) -> None:
    with (folder / "signatories.csv").open("a", encoding="utf-8") as f:
        f.write("Nordic Forum for Fair Trials,organization,,,,,,,,\n")


def _wrong_count(folder: Path) -> None:
    _edit(folder / "letter.yaml", "expected_signatories: 45", "expected_signatories: 44")


def _unknown_key(folder: Path) -> None:
    _edit(folder / "letter.yaml", "paper: A4", "papper: A4")


def _uncovered_character(folder: Path) -> None:
    _edit(
        folder / "signatories.csv",
        "Nordic Forum for Fair Trials",
        "Nordic Forum 王 for Fair Trials",
    )


def _bad_logo(folder: Path) -> None:
    (folder / "logo.png").write_text("not an image")
    _edit(
        folder / "letter.yaml",
        "  email: office@example.org",
        "  email: office@example.org\n  logo: logo.png",
    )


def _bad_dateline_format(folder: Path) -> None:
    _edit(folder / "letter.yaml", "paper: A4", "paper: A4\ndateline: {format: HH:mm}")


def _duplicate_column(folder: Path) -> None:
    _edit(folder / "signatories.csv", "name,type", "name,Name")


def _empty_case(folder: Path) -> None:
    (folder / "case.yaml").write_text("")


def _control_character(folder: Path) -> None:
    _edit(folder / "letter.yaml", "place: Brussels", 'place: "Brus\\0sels"')


def _newline_in_value(folder: Path) -> None:
    _edit(folder / "case.yaml", '"CCPR/C/116/D/2231/2012"', '"CCPR/C/116\\n\\n# HEADING"')


def _list_printed_as_text(folder: Path) -> None:
    _edit(folder / "case.yaml", '"CCPR/C/116/D/2231/2012"', "[a, b]")


def _front_matter_yaml(folder: Path) -> None:
    _edit(folder / "eu-partners.en.md", "---\n", "---\nbroken: [a\n")


def _xlsx(folder: Path, edit: Callable[[Any], None] | None = None) -> None:
    """Replace the CSV list by the same rows in sheet 'Signers' of an XLSX workbook."""
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Signers")
    with (folder / "signatories.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    if edit is not None:
        edit(sheet)
    book.save(folder / "signatories.xlsx")
    _edit(
        folder / "letter.yaml",
        "signatories: signatories.csv",
        "signatories: {path: signatories.xlsx, sheet: Signers}",
    )


def _xlsx_unknown_column(folder: Path) -> None:
    _xlsx(folder, lambda sheet: sheet.cell(row=1, column=2, value="tipe"))


def _xlsx_duplicate(folder: Path) -> None:
    """Row 9 repeats row 8, every cell (a row of one name but another country
    may be another signer: a warning, not this error)."""

    def copy(sheet: Any) -> None:
        for column in range(1, sheet.max_column + 1):
            sheet.cell(row=9, column=column, value=sheet.cell(row=8, column=column).value)

    _xlsx(folder, copy)


def _xlsx_missing_sheet(folder: Path) -> None:
    _xlsx(folder)
    _edit(folder / "letter.yaml", "sheet: Signers", "sheet: Signers2")


def _xlsx_uncovered(folder: Path) -> None:
    _xlsx(folder, lambda sheet: sheet.cell(row=6, column=1, value="Forum 王"))


def _too_many_columns(folder: Path) -> None:
    _edit(folder / "letter.yaml", "signatory_columns: 2", "signatory_columns: 5")


def _bad_privacy(folder: Path) -> None:
    _edit(folder / "letter.yaml", "paper: A4", "paper: A4\nprivacy: secret")


def _bad_style(folder: Path) -> None:
    _edit(folder / "letter.yaml", "signatory_style: columns", "signatory_style: grid")


def _bad_lead_flag(folder: Path) -> None:
    _edit(folder / "signatories.csv", "Fair Trials,organization,", "Fair Trials,robot,")


def _extra_cells(folder: Path) -> None:
    _edit(
        folder / "signatories.csv",
        "\nNordic Forum for Fair Trials,",
        "\nNordic Forum for Fair Trials,,,,,,,,,,,,,",
    )


def _empty_signatories(folder: Path) -> None:
    (folder / "signatories.csv").write_text("")


def _missing_annex(folder: Path) -> None:
    (folder / "chronology.pdf").unlink()


def _encrypted_annex(folder: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(folder / "chronology.pdf"))
    writer.encrypt("secret", algorithm="AES-128")
    with (folder / "chronology.pdf").open("wb") as handle:
        writer.write(handle)


def _signatories_not_a_list(folder: Path) -> None:
    (folder / "signatories.json").write_text('{"name": "One"}\n')
    _edit(folder / "letter.yaml", "signatories: signatories.csv", "signatories: signatories.json")


def _sender_without_name(folder: Path) -> None:
    _edit(
        folder / "letter.yaml",
        "  name: Coalition for Human Rights Defenders in Central Asia\n",
        "",
    )


def _event_without_date(folder: Path) -> None:
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    assert "  - date: " in text
    (folder / "case.yaml").write_text(text.replace("  - date: ", "  - when: ", 1), encoding="utf-8")


BAD_INPUTS = [
    # (case, edit, file named in the problem, line, code, field or value named, fix named)
    ("missing spec", _bad_spec, "letter.yaml", None, "LK101", "letter.yaml", "not found"),
    ("unknown template", _unknown_template, "letter.yaml", 3, "LK110", "no-such-template",
     "built-in templates"),
    ("impossible date", _bad_date, "letter.yaml", 5, "LK106", "'date'", "YYYY-MM-DD"),
    ("unknown CSV column", _unknown_column, "signatories.csv", 1, "LK103", "'sortas'",
     "did you mean 'sort_as'"),
    ("signatory without a name", _nameless_signatory, "signatories.csv", 3, "LK120", "'name'",
     "fill in"),
    ("template variable missing", _missing_case_field, "eu-partners.en.md", 30, "LK112",
     "case.facts.un_decision", "add it to the case file"),
    ("required case field", _missing_required_field, "eu-partners.en.md", 4, "LK112",
     "'sentence'", "add it"),
    ("missing translation", _missing_translation, "letter.yaml", 6, "LK108", "en-GB", "add"),
    ("recipient and recipients", _both_recipient_keys, "letter.yaml", 13, "LK105",
     "'recipient'", "not both"),
    ("annex outside the folder", _annex_outside, "letter.yaml", 27, "LK107", "../", "--allow-outside"),
    ("annex that is not a PDF", _annex_not_pdf, "chronology.pdf", None, "LK130", "annex 1",
     "is an HTML page"),
    ("duplicate signatory", _duplicate_signatory, "signatories.csv", 47, "LK121",
     "listed twice", "delete one row"),
    ("wrong signatory count", _wrong_count, "letter.yaml", 22, "LK122", "expected_signatories",
     "fix the list or the number"),
    ("unknown spec key", _unknown_key, "letter.yaml", 8, "LK103", "'papper'", "did you mean 'paper'"),
    ("character no font has", _uncovered_character, "signatories.csv", 3, "LK140", "U+738B",
     "replace it"),
    ("logo that is not an image", _bad_logo, "letter.yaml", 13, "LK105", "logo",
     "not a readable PNG or JPEG"),
    ("dateline format", _bad_dateline_format, "letter.yaml", 9, "LK105", "HH:mm", "d MMMM y"),
    ("duplicate CSV column", _duplicate_column, "signatories.csv", 1, "LK103", "'name'",
     "keep one"),
    ("empty case file", _empty_case, "case.yaml", None, "LK104", "case", "empty"),
    ("control character", _control_character, "letter.yaml", 6, "LK140", "U+0000", "replace it"),
    ("line break in a value", _newline_in_value, "eu-partners.en.md", 30, "LK113",
     "line break", "keep it on one line"),
    ("list printed as text", _list_printed_as_text, "eu-partners.en.md", 30, "LK113", "list",
     "join_list"),
    ("front matter YAML", _front_matter_yaml, "eu-partners.en.md", 2, "LK111", "front matter",
     "not valid YAML"),
    ("XLSX unknown column", _xlsx_unknown_column, "signatories.xlsx[Signers]!B1", 1, "LK103",
     "'tipe'", "did you mean 'type'"),
    ("XLSX duplicate row", _xlsx_duplicate, "signatories.xlsx[Signers]!A9", 9, "LK121",
     "signatories.xlsx[Signers]!A8", "delete one row"),
    ("XLSX sheet that is not there", _xlsx_missing_sheet, "letter.yaml", 21, "LK105",
     "'Signers2'", "its sheets are: Notes, Signers"),
    ("XLSX cell no font has", _xlsx_uncovered, "signatories.xlsx[Signers]!A6", 6, "LK140",
     "U+738B", "replace it"),
    ("too many columns", _too_many_columns, "letter.yaml", 25, "LK105", "signatory_columns", "3"),
    ("unknown privacy", _bad_privacy, "letter.yaml", 9, "LK105", "privacy", "minimal"),
    ("unknown signatory style", _bad_style, "letter.yaml", 24, "LK105", "signatory_style",
     "numbered"),
    ("signatory type", _bad_lead_flag, "signatories.csv", 3, "LK105", "type",
     "'organization' or 'individual'"),
    ("row wider than the header", _extra_cells, "signatories.csv", 3, "LK105", "cells",
     "quote cells"),
    ("empty signatories file", _empty_signatories, "signatories.csv", 1, "LK104", "header",
     "'name' column"),
    ("annex file missing", _missing_annex, "letter.yaml", 27, "LK101", "chronology.pdf", "not found"),
    ("encrypted annex, no password", _encrypted_annex, "chronology.pdf", None, "LK130",
     "password", "password_env"),
    ("signatories JSON not a list", _signatories_not_a_list, "signatories.json", 1, "LK105",
     "list", "signatories"),
    ("sender without a name", _sender_without_name, "letter.yaml", 10, "LK104", "'sender.name'",
     "add it"),
    ("event with an unknown key", _event_without_date, "case.yaml", 33, "LK103", "'when'",
     "known keys: date, text"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "filename", "line", "code", "field", "fix"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_exits_1_with_a_problem_line(
    example_copy: Path, edit, filename: str, line: int | None, code: str, field: str, fix: str
) -> None:
    """Bad input names the file, line, field and fix, exits 1 and writes nothing."""
    edit(example_copy)
    output = example_copy / "out.pdf"
    status, _out, err = run("render", str(example_copy / "letter.yaml"), "-o", str(output))
    assert status == 1, err
    assert not output.exists()
    assert not list(example_copy.glob(".out.pdf.*"))
    assert "Traceback" not in err
    lines = [entry for entry in err.splitlines() if f"[{code}" in entry]
    assert lines, err
    problem = lines[0]
    where = problem.split(": ")[0]
    path = where if "]!" in where else where.split(":")[0]
    assert path == filename or path.endswith("/" + filename), problem
    if line is not None and "]!" not in where:
        assert where.split(":")[1] == str(line), problem
    assert field in problem, problem
    assert fix in problem, problem
    assert ": error: " in problem
    # check --format json gives the same problem with its line
    status, out, _ = run("check", str(example_copy / "letter.yaml"), "--format", "json")
    assert status == 1
    found = [p for p in json.loads(out)["problems"] if p["code"] == code]
    assert found
    if line is not None:
        assert found[0]["line"] == line


def test_several_problems_are_reported_at_once(example_copy: Path) -> None:
    """This test ensures that every problem of an input is reported in one run."""
    _bad_date(example_copy)
    _unknown_key(example_copy)
    _unknown_column(example_copy)
    status, out, _ = run("check", str(example_copy / "letter.yaml"))
    assert status == 1
    codes = {c for c in ("LK106", "LK103") if f"[{c}]" in out}
    assert codes == {"LK106", "LK103"}
    assert out.count("[LK103]") == 2


def test_check_json_format(example_copy: Path) -> None:
    _bad_date(example_copy)
    status, out, _ = run("check", str(example_copy / "letter.yaml"), "--format", "json")
    import json

    problems = json.loads(out)["problems"]
    assert status == 1
    assert problems[0]["code"] == "LK106"
    assert problems[0]["line"] == 5
    assert set(problems[0]) == {"path", "line", "col", "severity", "code", "message"}


def test_check_passes_on_the_examples() -> None:
    for spec in ("letter.yaml", "letter.ru.yaml"):
        status, out, _ = run("check", str(EXAMPLE / spec))
        assert status == 0, out
        assert "no problems" in out


def test_render_writes_the_pdf(tmp_path: Path) -> None:
    output = tmp_path / "x.pdf"
    status, out, _ = run("render", str(EXAMPLE / "letter.yaml"), "-o", str(output))
    assert status == 0
    assert output.read_bytes().startswith(b"%PDF-")
    assert "wrote" in out


def test_output_that_is_an_input_is_refused(example_copy: Path) -> None:
    """This test ensures that an output path naming an input is refused, input untouched."""
    csv_before = (example_copy / "signatories.csv").read_bytes()
    status, _, err = run(
        "render", str(example_copy / "letter.yaml"), "-o", str(example_copy / "signatories.csv")
    )
    assert status == 2
    assert "one of the letter's inputs" in err
    assert (example_copy / "signatories.csv").read_bytes() == csv_before


def test_usage_errors_exit_2() -> None:
    assert run("render")[0] == 2
    assert run("no-such-command")[0] == 2


def test_debug_shows_the_traceback(example_copy: Path) -> None:
    _bad_date(example_copy)
    status, _, err = run("render", str(example_copy / "letter.yaml"), "--debug")
    assert status == 1
    assert "Traceback" in err


def test_templates_lists_builtins() -> None:
    status, out, _ = run("templates")
    assert status == 0
    assert "appeal-release" in out
    assert "en-GB" in out
    assert "ru" in out
    assert "person.name" in out


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    """This test ensures that `python -m letterkit` runs the same command line."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "letterkit",
            "render",
            str(EXAMPLE / "letter.yaml"),
            "-o",
            str(tmp_path / "m.pdf"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert result.returncode == 0, result.stderr
    assert "6\u00a0December 2018" in pdf_text((tmp_path / "m.pdf").read_bytes())


def test_unwritable_output_is_a_clean_error(tmp_path: Path) -> None:
    """This test ensures that an output folder that cannot exist gives one error line."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    status, _, err = run("render", str(EXAMPLE / "letter.yaml"), "-o", str(blocker / "x.pdf"))
    assert status == 1
    assert "Traceback" not in err
    assert err.startswith("letterkit: error: cannot write")


def test_a_path_outside_the_folder_is_reported_once(example_copy: Path) -> None:
    """This test ensures that a refused signatories path gives exactly one problem."""
    _edit(example_copy / "letter.yaml", "signatories: signatories.csv", "signatories: ../s.csv")
    status, out, _ = run("check", str(example_copy / "letter.yaml"))
    assert status == 1
    assert out.count("[LK107]") == 1


def test_output_names_must_match_what_is_written(tmp_path: Path) -> None:
    status, _, err = run("render", str(EXAMPLE / "letter.yaml"), "-o", str(tmp_path / "x.txt"))
    assert status == 2
    assert "should end in .pdf" in err
    status, _, err = run("preview", str(EXAMPLE / "letter.yaml"), "-o", str(tmp_path / "p.pdf"))
    assert status == 2
    assert "end its name in .png" in err
    assert not list(tmp_path.iterdir())


#: Runs letterkit.__main__.run with a stand-in main; reports the collector's settings.
_RUN = """
import atexit, gc, sys
import letterkit.__main__ as entry
print("collecting", gc.isenabled())
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0))
entry.main = lambda: (print("threshold", gc.get_threshold()), int(sys.argv[1]))[1]
entry.run()
"""


def test_the_command_runs_as_a_process_of_its_own() -> None:
    """This test ensures that the ``letterkit`` script is ``letterkit.__main__:run``,
    which exits with main's status, with the collector set for a short process
    (fewer sweeps, and the objects alive at the end frozen; importing the entry
    module leaves the collector on), and that
    ``python -m letterkit`` takes the same way."""
    import tomllib

    from .conftest import ROOT

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["letterkit"] == "letterkit.__main__:run"
    for status in (0, 3):
        done = subprocess.run(
            [sys.executable, "-c", _RUN, str(status)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == status, done.stderr
        assert done.stdout.split("\n")[:3] == [
            "collecting True", "threshold (50000, 10, 10)", "frozen True",
        ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "letterkit", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.startswith("letterkit ")


#: Put first on the path of a letterkit process: Ctrl-C (KeyboardInterrupt) arrives
#: as the module named in LETTERKIT_TEST_INTERRUPT starts to load.
_SITE = """
import os, sys

class _Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == os.environ.get("LETTERKIT_TEST_INTERRUPT"):
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, _Interrupt())
"""


@pytest.mark.parametrize("module", ["letterkit.errors", "letterkit.model", "letterkit.cli.main"])
@pytest.mark.parametrize("how", ["script", "-m"])
def test_ctrl_c_while_the_command_starts_is_one_line_and_status_130(
    tmp_path: Path, module: str, how: str
) -> None:
    """This test ensures that Ctrl-C while the command's modules load (the
    package's own, or the command line's) prints ``letterkit: interrupted``
    and exits 130, with no traceback, for the ``letterkit`` script and for
    ``python -m letterkit`` alike, as an interrupt later in a command does."""
    import os

    from .conftest import ROOT

    (tmp_path / "sitecustomize.py").write_text(_SITE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
           "LETTERKIT_TEST_INTERRUPT": module}  # fmt: skip
    if how == "script":  # what the installed script does
        script = tmp_path / "letterkit"
        script.write_text(
            "import sys\nfrom letterkit.__main__ import run\nsys.exit(run())\n", encoding="utf-8"
        )
        argv = [sys.executable, str(script), "templates"]
    else:
        argv = [sys.executable, "-m", "letterkit", "templates"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)
    assert (done.returncode, done.stderr, done.stdout) == (130, "letterkit: interrupted\n", "")
    env.pop("LETTERKIT_TEST_INTERRUPT")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr  # the stand-in interrupts nothing else
