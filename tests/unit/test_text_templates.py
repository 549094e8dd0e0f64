"""Finding a letter's template and splitting it into front matter and body."""

from __future__ import annotations

from pathlib import Path

from letterkit._resources import builtin_templates
from letterkit.input.sources import Reporter
from letterkit.text.templates import locate_template, read_template

from ._letters import letter


def test_builtin_templates_list_their_locales() -> None:
    known = builtin_templates()
    assert {"en-GB", "fr", "ru"} <= set(known["appeal-release"])


def test_a_builtin_template_is_found_for_the_locale_or_its_language() -> None:
    """This test ensures that fr-BE falls back to fr and en-AU to en-GB."""
    reporter = Reporter()
    french = locate_template(letter(locale="fr-BE"), reporter, "spec")
    english = locate_template(letter(locale="en-AU"), reporter, "spec")
    assert reporter.problems == []
    assert french is not None
    assert french.name == "fr.md"
    assert english is not None
    assert english.name == "en-GB.md"


def test_an_unknown_template_names_the_known_ones() -> None:
    reporter = Reporter()
    assert locate_template(letter(template="nope"), reporter, "letter.yaml") is None
    [problem] = reporter.problems
    assert problem.code == "LK110"
    assert "appeal-release" in problem.message


def test_a_missing_template_file_is_reported(tmp_path: Path) -> None:
    reporter = Reporter()
    assert locate_template(letter(tmp_path, template="t.md"), reporter, "letter.yaml") is None
    assert [p.code for p in reporter.problems] == ["LK110"]


def test_front_matter_is_split_off_and_lines_are_kept(tmp_path: Path) -> None:
    """This test ensures that the body keeps the file's line numbers for error messages."""
    path = tmp_path / "t.md"
    path.write_text("---\nsubject: Free {{ person.name }}\n---\nFirst line\n", encoding="utf-8")
    reporter = Reporter()
    source = read_template(path, reporter)
    assert reporter.problems == []
    assert source is not None
    assert source.front == {"subject": "Free {{ person.name }}"}
    assert source.body.splitlines()[3] == "First line"


def test_bad_front_matter_is_a_problem_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("---\nsubject: x\nsubjet: y\n---\nBody\n", encoding="utf-8")
    reporter = Reporter()
    read_template(path, reporter)
    [problem] = reporter.problems
    assert (problem.code, problem.line) == ("LK103", 3)
    path.write_text("---\nsubject: [x\n---\nBody\n", encoding="utf-8")
    reporter = Reporter()
    assert read_template(path, reporter) is None
    assert [p.code for p in reporter.problems] == ["LK111"]


def test_deeply_nested_front_matter_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("---\nsubject: " + "[" * 1000 + "]" * 1000 + "\n---\nBody\n", "utf-8")
    reporter = Reporter()
    assert read_template(path, reporter) is None
    assert [p.code for p in reporter.problems] == ["LK111"]
