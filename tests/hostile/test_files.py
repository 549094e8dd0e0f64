"""Hostile files where a letter names its inputs: each case ends cleanly, in its own
bounded process (see ``harness``).

FIFOs, devices, link loops, links out of a folder, files too large to read,
fonts with hostile names or bodies, and output names no system can hold. A
FIFO that letterkit opened would hang the run, so those cases get a short
time limit: a failure costs seconds, not minutes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..conftest import ROOT
from .harness import Outcome, assert_clean_end, tree_digest
from .harness import edit as _set
from .harness import letterkit as run_letterkit

GEORGIA = ROOT / "tests" / "fonts" / "NotoSerifGeorgian-subset.ttf"
GEORGIAN = "თბილისი"
#: Seconds a run may take where a FIFO could make it wait for ever.
SHORT = 30


def letterkit(args: list[str], cwd: Path, seconds: int = 60) -> Outcome:
    """A bounded run; ``check`` prints its problems on stdout, the others on stderr:
    both are read as the run's problems."""
    result = run_letterkit(args, cwd, seconds)
    return replace(result, err=result.out + result.err) if args[0] == "check" else result


def _fifo(folder: Path, name: str) -> None:
    (folder / name).unlink(missing_ok=True)
    os.mkfifo(folder / name)


def _logo(folder: Path, make: Callable[[Path], None]) -> None:
    make(folder / "logo.png")
    _set(folder, "  email: office@example.org", "  email: office@example.org\n  logo: logo.png")


def _fonts(folder: Path, make: Callable[[Path], None], text: str = "") -> None:
    """A ``fonts: f`` folder made by *make* (and a template that needs it, given *text*)."""
    (folder / "f").mkdir()
    make(folder / "f")
    _set(folder, "paper: A4", "paper: A4\nfonts: f")
    if text:
        (folder / "t.md").write_text(f"From {text} with regards.\n", encoding="utf-8")
        _set(folder, "template: eu-partners.en.md", "template: t.md")


def _outside(folder: Path, name: str) -> None:
    """An entry of the fonts folder that links to a font outside the letter's folder."""
    shutil.copy(GEORGIA, folder.parent.parent / "elsewhere.ttf")
    (folder / name).symlink_to(folder.parent.parent / "elsewhere.ttf")


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


def _folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()


CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    # (case, setup, code expected or "ok", text the problem's message holds)
    ("FIFO as the signatories", lambda f: _fifo(f, "signatories.csv"), "LK102", "'signatories.csv' is a FIFO"),
    ("FIFO as the case", lambda f: _fifo(f, "case.yaml"), "LK102", "'case.yaml' is a FIFO"),
    ("FIFO as the template", lambda f: _fifo(f, "eu-partners.en.md"), "LK102", "'eu-partners.en.md' is a FIFO"),
    ("FIFO as an annex", lambda f: _fifo(f, "chronology.pdf"), "LK102", "'chronology.pdf' is a FIFO"),
    ("FIFO as the logo", lambda f: _logo(f, os.mkfifo), "LK102", "'logo.png' is a FIFO"),
    ("FIFO as a font", lambda f: _fonts(f, lambda d: os.mkfifo(d / "Pipe.ttf")), "LK102", "Pipe.ttf: is a FIFO"),
    ("link loop as the case", lambda f: _loop(f / "case.yaml"), "LK102", "'case.yaml' is a symbolic link that loops"),
    ("folder as the case", lambda f: _folder_instead(f / "case.yaml"), "LK102", "'case.yaml' is a folder"),
    ("font linked to /dev/zero", lambda f: _fonts(f, lambda d: (d / "Zero.ttf").symlink_to("/dev/zero")), "LK102", "Zero.ttf: leads outside"),
    ("font linked out of the folder", lambda f: _fonts(f, lambda d: _outside(d, "Out.ttf")), "LK102", "Out.ttf: leads outside"),
    ("truncated font", lambda f: _fonts(f, lambda d: (d / "Cut.ttf").write_bytes(GEORGIA.read_bytes()[:1000]), GEORGIAN), "LK141", "Cut.ttf: not a usable TrueType font"),
]  # fmt: skip


@pytest.mark.slow  # a process per case, one to three seconds each
@pytest.mark.parametrize(
    ("setup", "code", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_hostile_input_file_ends_cleanly(
    folder: Path, setup: Callable[[Path], None], code: str, says: str
) -> None:
    setup(folder)
    before = tree_digest(folder.parent.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder, seconds=SHORT)
    assert_clean_end(result, code, "letter.yaml", output=folder / "out.pdf")
    assert says in result.problem_lines(code)[0], result.err
    assert tree_digest(folder.parent.parent, skip=("letter/out.pdf",)) == before


@pytest.mark.slow
def test_a_spec_that_is_a_fifo_ends_cleanly(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    before = tree_digest(folder.parent)
    for command in (["check", "pipe.yaml"], ["render", "pipe.yaml", "-o", "out.pdf"]):
        result = letterkit(command, folder, seconds=SHORT)
        assert_clean_end(result, "LK102", "pipe.yaml", output=folder / "out.pdf")
        assert "letter spec is a FIFO" in result.problem_lines("LK102")[0]
    assert tree_digest(folder.parent) == before


@pytest.mark.slow
def test_a_logo_linked_to_dev_zero_is_refused_even_when_outside_is_allowed(folder: Path) -> None:
    _logo(folder, lambda p: p.symlink_to("/dev/zero"))
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(
        ["render", "letter.yaml", "-o", "out.pdf", "--allow-outside"], folder, seconds=SHORT
    )
    assert_clean_end(result, "LK102", "letter.yaml", output=folder / "out.pdf")
    assert "'logo.png' is a device, not a regular file" in result.problem_lines("LK102")[0]
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before


@pytest.mark.slow
def test_a_two_gigabyte_sparse_signatory_file_is_refused_by_its_size(folder: Path) -> None:
    """A sparse file takes no disk; read, it would take 2 GB of memory."""
    path = folder / "signatories.csv"
    with path.open("r+b") as handle:
        handle.truncate(2 * 1024**3)
    size = path.stat().st_size
    skip = ("letter/out.pdf", "letter/signatories.csv")  # hashing it would read 2 GB
    before = tree_digest(folder.parent, skip=skip)
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK102", "letter.yaml", output=folder / "out.pdf")
    line = result.problem_lines("LK102")[0]
    assert "'signatories.csv' is 2.1 GB; the limit for tables is 50 MB" in line
    assert tree_digest(folder.parent, skip=skip) == before
    assert path.stat().st_size == size


@pytest.mark.slow
def test_a_quote_in_a_font_file_name_does_not_reach_the_markup(folder: Path) -> None:
    """A file name ``Evil" name="LKSerif.ttf`` would turn a run of Georgian into
    the serif font, which lacks it: the letter is drawn in the user's font."""
    _fonts(folder, lambda d: shutil.copy(GEORGIA, d / 'Evil" name="LKSerif.ttf'), GEORGIAN)
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "ok")
    text = "".join(page.extract_text() for page in PdfReader(folder / "out.pdf").pages)
    assert f"From {GEORGIAN} with regards." in text
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before


def _campaign_names(folder: Path, template: str) -> None:
    _set(folder, '"{{ recipient.id }}-{{ recipient.organization | slug }}.pdf"', template,
         "campaign.yaml")  # fmt: skip


NAMES: list[tuple[str, Callable[[Path], None], str]] = [
    ("a Windows device name", lambda f: (
        _campaign_names(f, '"{{ recipient.id }}.pdf"'), _set(f, "\nBE,", "\nCON,", "recipients.csv")),
     "recipient 'CON': output.filename renders 'CON.pdf', a name Windows keeps for a device"),
    ("a newline", lambda f: _campaign_names(f, '"{{ recipient.id }}\\nx.pdf"'),
     "output.filename renders 'AT\\x0ax.pdf', which holds U+000A"),
    ("a 300-byte name", lambda f: _campaign_names(f, "\"{{ recipient.id }}{{ 'x' * 300 }}.pdf\""),
     "output.filename renders a name of 306 bytes"),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("setup", "says"), [c[1:] for c in NAMES], ids=[c[0] for c in NAMES])
def test_an_output_name_no_system_can_hold_is_refused_at_its_row(
    folder: Path, setup: Callable[[Path], None], says: str
) -> None:
    """One recipient's bad name is said at its row; a template that makes every
    name bad is said once, at the campaign file's output."""
    setup(folder)
    skip = ("letter/dist",)
    before = tree_digest(folder.parent, skip=skip)
    where = "recipients.csv:" if says.startswith("recipient '") else "campaign.yaml:"
    for command in (["check", "campaign.yaml"], ["bundle", "campaign.yaml", "-o", "dist"]):
        result = letterkit(command, folder)
        assert_clean_end(result, "LK160", where)
        lines = result.problem_lines("LK160")
        assert any(says in line for line in lines), result.err
        assert len(lines) == 1 or where == "recipients.csv:", result.err
        assert not list(folder.glob("dist/*.pdf"))
    assert tree_digest(folder.parent, skip=skip) == before


@pytest.mark.slow
def test_a_recipient_table_that_is_a_fifo_ends_cleanly(folder: Path) -> None:
    _fifo(folder, "recipients.csv")
    before = tree_digest(folder.parent, skip=("letter/dist",))
    for command in (["check", "campaign.yaml"], ["bundle", "campaign.yaml", "-o", "dist"]):
        result = letterkit(command, folder, seconds=SHORT)
        assert_clean_end(result, "LK102", "campaign.yaml")
        assert "'recipients.csv' is a FIFO" in result.problem_lines("LK102")[0]
    assert tree_digest(folder.parent, skip=("letter/dist",)) == before


@pytest.mark.slow
def test_a_spec_that_is_a_link_loop_ends_cleanly(folder: Path) -> None:
    (folder / "loop.yaml").symlink_to("loop.yaml")
    before = tree_digest(folder.parent, skip=("letter/out.pdf", "letter/dist"))
    for command in (
        ["check", "loop.yaml"],
        ["render", "loop.yaml", "-o", "out.pdf"],
        ["bundle", "loop.yaml", "-o", "dist"],
    ):
        result = letterkit(command, folder, seconds=SHORT)
        assert_clean_end(result, "LK102", "loop.yaml", output=folder / "out.pdf")
        assert "is a symbolic link that loops back on itself" in result.problem_lines("LK102")[0]
    assert tree_digest(folder.parent, skip=("letter/out.pdf", "letter/dist")) == before


@pytest.mark.slow
def test_an_output_that_is_a_link_loop_is_replaced_by_the_letter(folder: Path) -> None:
    (folder / "out.pdf").symlink_to("out.pdf")
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "ok")
    assert not (folder / "out.pdf").is_symlink()
    assert len(PdfReader(folder / "out.pdf").pages) >= 2
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
