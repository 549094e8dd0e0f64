"""``letterkit check --format github``: each problem as a GitHub Actions workflow
command (an annotation on the file and line), paths from the repository's
root, values escaped as GitHub reads them, then the plain lines."""

from __future__ import annotations

import doctest
import io
import json
import shutil
from pathlib import Path

import pytest

from letterkit.cli import formats
from letterkit.cli.formats import (
    escape_data,
    escape_property,
    github_commands,
    repository_root,
)
from letterkit.cli.main import main
from letterkit.errors import Problem

from .conftest import EXAMPLE


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_doctests() -> None:
    result = doctest.testmod(formats, raise_on_error=False)
    assert result.attempted >= 2
    assert result.failed == 0


def test_escape_data_follows_githubs_rules() -> None:
    assert escape_data("50% off\r\nnext: a, b") == "50%25 off%0D%0Anext: a, b"
    assert escape_data("%0A") == "%250A"  # a literal %0A stays literal


def test_escape_property_escapes_colon_and_comma_too() -> None:
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_repository_root_is_the_nearest_folder_with_git(tmp_path: Path) -> None:
    """This test ensures that ``.git`` may be a folder or a worktree's file."""
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "sub" / "wt"
    inner.mkdir(parents=True)
    (outer / ".git").mkdir()
    (inner / ".git").write_text("gitdir: /elsewhere\n")
    assert repository_root(outer / "sub") == outer.resolve()
    assert repository_root(inner / "x") == inner.resolve()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a letter folder, the working folder at its root."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    letters = tmp_path / "repo" / "letters"
    letters.mkdir()
    for name in ("letter.yaml", "book.xlsx", "a,b:c.csv"):
        (letters / name).write_text("x\n")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def _problem(path: str, line: int | None, col: int | None, message: str = "m") -> Problem:
    return Problem(path, line, col, "error", "LK105", message)


def test_each_problem_is_one_command(repo: Path) -> None:
    """This test ensures that each kind of path becomes the file GitHub can
    annotate, and that a message stays one line, escaped."""
    problems = [
        _problem("letters/letter.yaml", 5, 1, "100% wrong: 'a\nb'"),
        Problem("letters/letter.yaml", 9, None, "warning", "LK115", "raw HTML"),
        _problem("letters/book.xlsx[Signers]!B7", 7, 2, "listed twice"),
        _problem("letters/a,b:c.csv", 2, 3),
        _problem("<letter>", None, None, "no file"),
        _problem(str(repo.parent / "elsewhere.yaml"), 4, 2, "outside"),
        _problem("letters/" + "n" * 300 + ".csv", 1, 1, "a name too long for the system"),
    ]
    # Errors first (GitHub shows only 10 of them), the most specific first: the
    # cells and rows of tables, then lines of a spec, then no line; warnings last.
    assert github_commands(problems, "letters/letter.yaml") == [
        "::error file=letters/book.xlsx,title=LK105::[Signers]!B7: listed twice",
        "::error file=letters/a%2Cb%3Ac.csv,line=2,col=3,title=LK105::m",
        f"::error file=letters/{'n' * 300}.csv,line=1,col=1,title=LK105::a name too long"
        " for the system",
        "::error file=letters/letter.yaml,line=5,col=1,title=LK105::100%25 wrong: 'a\\x0ab'",
        f"::error title=LK105::{repo.parent / 'elsewhere.yaml'}:4:2: outside",
        "::error title=LK105::<letter>: no file",
        "::warning file=letters/letter.yaml,line=9,title=LK115::raw HTML",
    ]


def test_path_relative_to_the_spec_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that a path given relative to the spec's folder, not
    the working folder, still names the file from the repository's root."""
    monkeypatch.chdir(repo.parent)
    commands = github_commands([_problem("book.xlsx", 1, 1)], repo / "letters" / "letter.yaml")
    assert commands == ["::error file=letters/book.xlsx,line=1,col=1,title=LK105::m"]


def test_control_characters_cannot_start_another_command(repo: Path) -> None:
    """This test ensures that a message holding CR, LF or a workflow command
    prints as one line, shown as escapes, as in the plain lines."""
    problem = _problem("letters/letter.yaml", 1, 1, "x\r\n::error::forged\u202e")
    [command] = github_commands([problem], "letters/letter.yaml")
    assert "\n" not in command
    assert "\r" not in command
    assert command.endswith("::x\\x0d\\x0a::error::forged\\u202e")


@pytest.fixture
def example_in_repo(tmp_path: Path) -> Path:
    """The example letter in a folder ``letters`` of a repository."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    letters = tmp_path / "repo" / "letters"
    shutil.copytree(EXAMPLE, letters)
    spec = letters / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "date: 2018-12-06" in text
    spec.write_text(text.replace("date: 2018-12-06", "date: 2018-13-45"), encoding="utf-8")
    return letters


@pytest.mark.parametrize("where", ["outside", "root", "letters"])
def test_check_annotates_from_the_repository_root(
    example_in_repo: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that, wherever it runs, the command names the file from
    the repository's root, then the plain lines follow, and the exit status is 1."""
    cwd = {"outside": example_in_repo.parents[1], "root": example_in_repo.parent}
    monkeypatch.chdir(cwd.get(where, example_in_repo))
    spec = str((example_in_repo / "letter.yaml").relative_to(Path.cwd()))
    status, out, _ = run("check", spec, "--format", "github")
    _, plain, _ = run("check", spec)
    _, as_json, _ = run("check", spec, "--format", "json")
    assert status == 1
    [problem] = json.loads(as_json)["problems"]
    assert problem["code"] == "LK106"
    assert out.splitlines() == [
        f"::error file=letters/letter.yaml,line={problem['line']},col={problem['col']},"
        f"title=LK106::{problem['message']}",
        *plain.splitlines(),
    ]
    assert plain.startswith(f"{spec}:5:")


def test_check_warning_only_exits_0(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that a warning is a ``::warning`` and leaves the exit status 0."""
    body = example_copy / "eu-partners.en.md"
    body.write_text(body.read_text(encoding="utf-8") + "\nSee <b>this</b>.\n", encoding="utf-8")
    monkeypatch.chdir(example_copy)
    status, out, _ = run("check", "letter.yaml", "--format", "github")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].startswith("::warning file=")
    assert "eu-partners.en.md,line=" in lines[0]
    assert ",title=LK115::raw HTML '<b>'" in lines[0]
    assert lines[1].startswith("eu-partners.en.md:")
    assert ": warning: [LK115] raw HTML" in lines[1]
    assert lines[2] == "1 letter, 45 signatories (1 withheld), 1 annex"
    assert len(lines) == 3


def test_check_without_problems_prints_no_command(example_copy: Path) -> None:
    status, out, _ = run("check", str(example_copy / "letter.yaml"), "--format", "github")
    assert status == 0
    assert out.splitlines()[0] == f"{example_copy / 'letter.yaml'}: no problems"
    assert not any(line.startswith("::") for line in out.splitlines())
