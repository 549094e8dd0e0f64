"""Files a letter names: special files refused where the spec names them, fonts
with hostile names or bodies, and output names no system can hold.

Calls that meet a FIFO run in a thread the test waits for a few seconds only:
opening a FIFO would wait for a writer for ever.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

import letterkit
from letterkit.bundle.campaign import check_campaign
from letterkit.errors import Problem
from letterkit.input.campaign import filename_problem
from letterkit.typeset.fonts import family_name

from .conftest import EXAMPLE, ROOT, pdf_text
from .conftest import within as _within

T = TypeVar("T")
GEORGIA = ROOT / "tests" / "fonts" / "NotoSerifGeorgian-subset.ttf"
GEORGIAN = "თბილისი"


def _set(folder: Path, old: str, new: str, file: str = "letter.yaml") -> None:
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, old
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(spec: Path) -> list[Problem]:
    return _within(20, lambda: letterkit.check(spec))


@pytest.mark.parametrize(
    ("name", "key", "line"),
    [
        ("signatories.csv", "signatories", 21),
        ("case.yaml", "case", 20),
        ("eu-partners.en.md", "template", 3),
        ("chronology.pdf", "annex", 27),
    ],
)
def test_a_fifo_named_by_the_spec_is_refused_where_it_is_named(
    example_copy: Path, name: str, key: str, line: int
) -> None:
    (example_copy / name).unlink()
    os.mkfifo(example_copy / name)
    problems = _check(example_copy / "letter.yaml")
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.path.endswith("letter.yaml")
    assert (problem.line, problem.code) == (line, "LK102")
    assert problem.message == f"'{name}' is a FIFO (a named pipe), not a regular file: give a file"


@pytest.mark.parametrize(
    ("written", "line"),
    [
        ("signatories: signatories.csv", 21),
        ("case: case.yaml", 20),
        ("template: eu-partners.en.md", 3),
        ("  - path: chronology.pdf", 27),
    ],
)
def test_a_nul_in_a_path_is_one_problem_where_it_is_named(
    example_copy: Path, written: str, line: int
) -> None:
    key, _, value = written.partition(": ")
    _set(example_copy, written, f'{key}: "x\\0{value}"')
    [problem] = _check(example_copy / "letter.yaml")
    assert (problem.line, problem.code) == (line, "LK105")
    assert (
        problem.message
        == f"'x\\x00{value}' holds a NUL character, which no file name can hold; remove it"
    )


def test_a_nul_in_a_path_of_a_code_built_letter_is_refused(example_copy: Path) -> None:
    letter = letterkit.load_letter(example_copy / "letter.yaml")
    annex = dataclasses.replace(letter.annexes[0], path=str(example_copy / "a\0.pdf"))
    with pytest.raises(letterkit.ValidationError) as caught:
        letterkit.render(dataclasses.replace(letter, annexes=(annex,)))
    [problem] = caught.value.problems
    assert problem.code in {"LK105", "LK130"}
    assert "NUL character" in problem.message


def test_a_folder_or_a_link_loop_named_as_the_case_is_one_problem(example_copy: Path) -> None:
    (example_copy / "case.yaml").unlink()
    (example_copy / "case.yaml").mkdir()
    [problem] = _check(example_copy / "letter.yaml")
    assert (problem.line, problem.code) == (20, "LK102")
    assert "is a folder" in problem.message
    (example_copy / "case.yaml").rmdir()
    (example_copy / "case.yaml").symlink_to("case.yaml")
    [problem] = _check(example_copy / "letter.yaml")
    assert (problem.line, problem.code) == (20, "LK102")
    assert "'case.yaml' is a symbolic link that loops back on itself" in problem.message


def test_a_spec_given_as_a_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "letter.yaml")
    with pytest.raises(letterkit.ValidationError) as info:
        _within(20, lambda: letterkit.load_letter(tmp_path / "letter.yaml"))
    [problem] = info.value.problems
    assert problem.code == "LK102"
    assert "letter spec is a FIFO" in problem.message


def _fonts(folder: Path, text: str = "") -> Path:
    """The example letter with a ``fonts: f`` folder (and, given *text*, a template
    that needs it)."""
    _set(folder, "paper: A4", "paper: A4\nfonts: f")
    if text:
        (folder / "evil.md").write_text(f"From {text} with regards.\n", encoding="utf-8")
        _set(folder, "template: eu-partners.en.md", "template: evil.md")
    (folder / "f").mkdir()
    return folder / "f"


def test_font_names_are_safe_in_paragraph_markup() -> None:
    assert family_name(Path("/f/NotoSerifGeorgian-subset.ttf")).endswith(
        "-NotoSerifGeorgian-subset"
    )
    for stem in ('Evil"', "a<b>c", "x&amp;", "it's", "a b"):
        name = family_name(Path(f"/f/{stem}.ttf"))
        assert not set(name) & set("\"'<>& "), name
    assert family_name(Path("/a/F.ttf")) != family_name(Path("/b/F.ttf"))


def test_a_quote_in_a_font_file_name_does_not_reach_the_markup(example_copy: Path) -> None:
    fonts = _fonts(example_copy, GEORGIAN)
    shutil.copy(GEORGIA, fonts / 'Evil" name="LKSerif.ttf')
    pdf = letterkit.render(example_copy / "letter.yaml")
    assert f"From {GEORGIAN} with regards." in pdf_text(pdf)


def test_a_truncated_font_is_a_problem_naming_it(example_copy: Path) -> None:
    fonts = _fonts(example_copy)
    (fonts / "Cut.ttf").write_bytes(GEORGIA.read_bytes()[:1000])
    letter = letterkit.load_letter(example_copy / "letter.yaml")
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    [problem] = info.value.problems
    assert problem.path.endswith("letter.yaml")
    assert (problem.line, problem.code) == (9, "LK141")
    assert problem.message.startswith("font Cut.ttf: not a usable TrueType font")


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda f: os.mkfifo(f / "Pipe.ttf"), "font Pipe.ttf: is a FIFO (a named pipe)"),
        (lambda f: (f / "Zero.ttf").symlink_to("/dev/zero"), "font Zero.ttf: leads outside"),
        (lambda f: (f / "Out.ttf").symlink_to(GEORGIA), "font Out.ttf: leads outside"),
    ],
    ids=["a FIFO", "a link to /dev/zero", "a link out of the folder"],
)
def test_a_fonts_folder_entry_that_is_no_font_file_inside_it_is_refused(
    example_copy: Path, make: Callable[[Path], None], says: str
) -> None:
    fonts = _fonts(example_copy)
    shutil.copy(GEORGIA, fonts / "Good.ttf")
    letter = letterkit.load_letter(example_copy / "letter.yaml")
    make(fonts)  # after the spec was read: the render's own checks refuse it
    with pytest.raises(letterkit.ValidationError) as info:
        _within(20, lambda: letterkit.render(letter))
    [problem] = info.value.problems
    assert problem.code == "LK102"
    assert problem.message.startswith(says)
    [problem] = _check(example_copy / "letter.yaml")
    assert (problem.line, problem.code) == (9, "LK102")
    assert problem.message.startswith(says)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("CON.pdf", "a name Windows keeps for a device"),
        ("lpt3.final.pdf", "a name Windows keeps for a device"),
        ("Nul .pdf", "a name Windows keeps for a device"),
        ("AT\nx.pdf", "holds U+000A"),
        ("AT\x07.pdf", "holds U+0007"),
        ("AT\u202efdp.exe.pdf", "holds U+202E"),
        ("AT\u200ffdp.exe.pdf", "holds U+200F"),
        ("a:b.pdf", "holds ':'"),
        ("AT.pdf.", "ends in a dot or a space"),
        ("x" * 252 + ".pdf", "a name of 256 bytes"),
        ("é" * 126 + ".pdf", "a name of 256 bytes"),
    ],
)
def test_names_no_system_can_hold_are_refused(name: str, says: str) -> None:
    problem = filename_problem(name)
    assert problem is not None
    assert says in problem
    assert "\n" not in problem
    assert len(problem) < 250


@pytest.mark.parametrize("name", ["AT-austria.pdf", "CONSOLE.pdf", "x" * 251 + ".pdf", "é.pdf"])
def test_plain_names_pass(name: str) -> None:
    assert filename_problem(name) is None


def test_a_reserved_output_name_is_reported_at_the_recipient_row(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "c")
    campaign = tmp_path / "c" / "campaign.yaml"
    _set(tmp_path / "c", '"{{ recipient.id }}-{{ recipient.organization | slug }}.pdf"',
         '"{{ recipient.id }}.pdf"', "campaign.yaml")  # fmt: skip
    _set(tmp_path / "c", "\nBE,", "\nCON,", "recipients.csv")
    [problem] = [p for p in check_campaign(campaign) if p.code == "LK160"]
    assert problem.path.endswith("recipients.csv")
    assert problem.line == 3
    assert "recipient 'CON'" in problem.message


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda f: os.mkfifo(f / "Pipe.ttf"), "Pipe.ttf: is a FIFO"),
        (lambda f: (f / "Zero.ttf").symlink_to("/dev/zero"), "Zero.ttf: leads outside"),
        (lambda f: (f / "Cut.ttf").write_bytes(b"\0\1\0\0" + bytes(996)), "Cut.ttf: not a usable"),
    ],
    ids=["a FIFO", "a link to /dev/zero", "a truncated font"],
)
def test_the_typesetter_refuses_what_validation_refuses(
    tmp_path: Path, make: Callable[[Path], None], says: str
) -> None:
    from letterkit.typeset.fonts import FontError
    from letterkit.typeset.user_fonts import register_folder

    make(tmp_path)
    with pytest.raises(FontError, match=says):
        _within(20, lambda: register_folder(tmp_path))


def test_a_fonts_folder_too_large_to_load_is_refused_before_a_font_is_read(
    example_copy: Path,
) -> None:
    from letterkit.typeset.fonts import FontError
    from letterkit.typeset.user_fonts import register_folder

    fonts = _fonts(example_copy)
    for name in ("A.ttf", "B.ttf", "C.ttf"):
        with (fonts / name).open("wb") as handle:  # sparse: 25 MB that take no disk
            handle.write(b"\0\1\0\0")
            handle.truncate(25_000_000)
    problems = _check(example_copy / "letter.yaml")
    assert [p.code for p in problems] == ["LK102"]
    assert problems[0].message == (
        "fonts folder f: the fonts in the folder come to 75 MB; the limit for a fonts folder "
        "is 60 MB: keep only the fonts the letter needs"
    )
    with pytest.raises(FontError, match="come to 75 MB"):
        register_folder(fonts)
