"""Merging a letter: text, front matter, and one problem for each failing template."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.text.merge import MergedText, merge

from ._letters import letter


def _merge(tmp_path: Path, body: str, **changes: object) -> MergedText:
    (tmp_path / "t.md").write_text(body, encoding="utf-8")
    return merge(letter(tmp_path, template="t.md", **changes), [], [], "letter.yaml")


def test_body_and_front_matter_are_rendered(tmp_path: Path) -> None:
    merged = _merge(
        tmp_path,
        "---\nsubject: Free {{ person.name }}\nclosing: Respectfully,\n---\n"
        "Release {{ person.name }}.\n\n",
    )
    assert merged.markdown == "Release Azimjon Askarov.\n"
    assert merged.subject == "Free Azimjon Askarov"
    assert merged.salutation == "Dear Ms Mogherini,"
    assert merged.closing == "Respectfully,"


def test_the_spec_wins_over_the_front_matter(tmp_path: Path) -> None:
    merged = _merge(tmp_path, "---\nsubject: Template\n---\nText\n", subject="Spec")
    assert merged.subject == "Spec"


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [
        ("a\n{{ nope }}\n", "LK112", 2),
        ("{% for i in range(10**8) %}{% endfor %}\n", "LK114", 1),
        ("a\nb\n{{ 1 // 0 }}\n", "LK113", 3),
        ("---\nsubject: '{{ 1/0 }}'\n---\nText\n", "LK113", 1),
        ("{% if %}\n", "LK111", 1),
        ("Text \x00\n", "LK113", None),
    ],
)
def test_each_failure_is_one_problem(
    tmp_path: Path, body: str, code: str, line: int | None
) -> None:
    with pytest.raises(letterkit.ValidationError) as info:
        _merge(tmp_path, body)
    [problem] = info.value.problems
    assert (problem.code, problem.line) == (code, line)
    assert problem.path.endswith("t.md")


def test_required_case_fields_are_checked_first(tmp_path: Path) -> None:
    with pytest.raises(letterkit.ValidationError) as info:
        _merge(tmp_path, "---\nrequires: [sentence]\n---\n{{ nope }}\n")
    [problem] = info.value.problems
    assert (problem.code, problem.line) == ("LK112", 2)
    assert "'sentence'" in problem.message
