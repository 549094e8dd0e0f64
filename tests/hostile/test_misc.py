"""Hostile cases that must end as one clean problem: a font whose glyph index is
damaged, a CSV header of a hundred thousand columns, and control characters
in a name that a problem quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import ROOT
from ..unit.test_guards import damaged_glyph_index
from .harness import assert_clean_end, edit, letterkit, tree_digest

GEORGIA = ROOT / "tests" / "fonts" / "NotoSerifGeorgian-subset.ttf"


@pytest.mark.slow
def test_a_font_with_a_damaged_glyph_index_is_lk141_naming_it(folder: Path) -> None:
    (folder / "f").mkdir()
    (folder / "f" / "Bad.ttf").write_bytes(damaged_glyph_index(GEORGIA.read_bytes()))
    edit(folder, "paper: A4", "paper: A4\nfonts: f")
    (folder / "t.md").write_text("From თბილისი with regards.\n", encoding="utf-8")
    edit(folder, "template: eu-partners.en.md", "template: t.md")
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK141", "letter.yaml", output=folder / "out.pdf")
    assert "font Bad.ttf: not a usable TrueType font" in result.problem_lines("LK141")[0]
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before


@pytest.mark.slow
def test_a_csv_header_of_fifty_thousand_columns_ends_quickly(folder: Path) -> None:
    header = ",".join(f"c{i}" for i in range(50_000))
    (folder / "signatories.csv").write_text(header + "\nA\n", encoding="utf-8")
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK105", "signatories.csv:1:201", output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before


@pytest.mark.slow
def test_control_characters_in_a_name_are_printed_as_escapes(folder: Path) -> None:
    lines = (folder / "signatories.csv").read_text(encoding="utf-8").split("\n")
    lines[1] = "Evil \x1b[31mRed\x1b]0;TITLE\x07 \u202eOrg," + lines[1].split(",", 1)[1]
    (folder / "signatories.csv").write_text("\n".join(lines), encoding="utf-8")
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK140", "signatories.csv:2:1", output=folder / "out.pdf")
    assert "'Evil \\x1b[31mRed\\x1b]0;TITLE\\x07 \\u202eOrg'" in result.problem_lines("LK140")[0]
    assert not any(c in result.err for c in "\x1b\x07\u202e")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before


@pytest.mark.slow
def test_a_huge_value_quoted_by_a_problem_is_cut(folder: Path) -> None:
    (folder / "t.md").write_text('Dear all, {{ ("x" * 900000)|country }}\n', encoding="utf-8")
    edit(folder, "template: eu-partners.en.md", "template: t.md")
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK113", "t.md:1", output=folder / "out.pdf")
    assert len(result.err) < 1000, len(result.err)
    assert "unknown country code 'xxx" in result.problem_lines("LK113")[0]
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
