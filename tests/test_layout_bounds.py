"""Texts too long to lay out in bounded time: refused before layout (LK150), at their source."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

import letterkit
from letterkit.errors import Problem, ValidationError
from letterkit.typeset import bounds


def _edit(folder: Path, old: str, new: str, file: str = "letter.yaml") -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _template(folder: Path, body: str) -> None:
    (folder / "t.md").write_text("---\nsubject: S\nclosing: Yours,\n---\n" + body, "utf-8")
    _edit(folder, "template: eu-partners.en.md", "template: t.md")


def _problem(folder: Path) -> Problem:
    with pytest.raises(ValidationError) as caught:
        letterkit.build(letterkit.load_letter(folder / "letter.yaml"))
    (problem,) = caught.value.errors
    assert problem.code == "LK150", problem
    return problem


def test_check_passes_ordinary_text_and_long_web_addresses() -> None:
    bounds.check("lorem ipsum " * 1500)
    bounds.check("see https://example.org/" + "/".join(["a" * 140] * 2) + " and <i>x</i> " * 10)
    bounds.check("<br/>".join(["x" * 100] * 150))  # a code block's lines


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("x" * 151, "151 characters without a space or '/' (at most 150"),
        ("a/" * 201, "402 characters without a space (at most 400"),
        ("<i>a</i>" * 200, "200 characters without a space or '/'"),
        ("a&#160;" * 100, "200 characters without a space or '/'"),  # no break at a no-break space
        (
            "lorem " * 3334,
            "too large to lay out: 20,004 characters (at most 20,000 in one paragraph)",
        ),
    ],
)
def test_check_refuses_what_reportlab_breaks_slowly(markup: str, reason: str) -> None:
    with pytest.raises(bounds.Overlong) as caught:
        bounds.check(markup)
    assert reason in caught.value.reason


def test_long_place_names_its_key(example_copy: Path) -> None:
    _edit(example_copy, "place: Brussels", "place: " + "x" * 20_000)
    problem = _problem(example_copy)
    assert (Path(problem.path).name, problem.line) == ("letter.yaml", 6)
    assert "'place'" in problem.message
    assert "shorten it" in problem.message


def test_long_signatory_name_names_its_row_only(example_copy: Path) -> None:
    _edit(example_copy, "expected_signatories: 45\n", "")
    with (example_copy / "signatories.csv").open("a", encoding="utf-8") as handle:
        handle.write("y" * 1_000 + ",organization,,,,,,,,true\n")  # withheld: never laid out
        handle.write("z" * 1_000 + ",organization,,,,,,,,\n")
    problem = _problem(example_copy)
    assert Path(problem.path).name == "signatories.csv"
    assert problem.line == 48
    assert problem.message.startswith(
        "the entry '" + "z" * 60 + "…' is too large to lay out: 1,000 characters"
    )
    assert "yyyy" not in problem.message


def test_withheld_signatory_is_never_named(example_copy: Path) -> None:
    _edit(example_copy, "expected_signatories: 45\n", "")
    with (example_copy / "signatories.csv").open("a", encoding="utf-8") as handle:
        handle.write("Secret Name,individual,,,," + "w" * 500 + ",Group " + "g" * 300 + ",,,true\n")
    problem = _problem(example_copy)
    assert Path(problem.path).name == "signatories.csv"
    assert problem.line == 47
    assert "Secret" not in str(problem)


@pytest.mark.parametrize(
    ("body", "line", "said"),
    [
        ('{{ "x" * 5000 }}\n', None, "5,000 characters without a space or '/'"),
        ('{{ "lorem ipsum dolor " * 2000 }}\n', None, "35,999 characters (at most 20,000"),
        ("Text\n\n" + "|a" * 2000 + "\n" + "|-" * 2000 + "\n", 7, "more than 20 columns"),
        ("*a " * 21_000 + "\n", None, "21,000 Markdown marks"),
        ("word " + "v" * 160 + " word\n", 5, "160 characters without a space or '/'"),
    ],
)
def test_body_names_the_template(
    example_copy: Path, body: str, line: int | None, said: str
) -> None:
    _template(example_copy, body)
    problem = _problem(example_copy)
    assert (Path(problem.path).name, problem.line) == ("t.md", line)
    assert said in problem.message


def test_long_words_are_bounded_for_the_whole_letter(example_copy: Path) -> None:
    _template(example_copy, ("w" * 100 + " ") * 201)
    problem = _problem(example_copy)
    assert "20,100 characters in words longer than 40" in problem.message


def test_text_within_the_bounds_is_laid_out(example_copy: Path) -> None:
    address = "https://example.org/" + "/".join(["p" * 140] * 2)
    _template(example_copy, f"See {address}.\n\n" + "lorem ipsum dolor " * 1100 + "\n")
    pdf = letterkit.build(letterkit.load_letter(example_copy / "letter.yaml")).pdf
    path = example_copy / "out.pdf"
    path.write_bytes(pdf)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "p" * 60 in text
    assert text.count("lorem") == 1100
