"""A justified line that breaks at a hyphen the word already has ends with that
hyphen, and the next line starts with the letter after it."""

from __future__ import annotations

from pathlib import Path

import letterkit
from letterkit.typeset.hyphenation import Hyphenator

from .conftest import page_texts


def test_a_break_at_a_hyphen_adds_no_second_one() -> None:
    pairs = list(Hyphenator("en_GB")("counter-extremism"))
    assert ("counter", "extremism") in pairs
    assert not [p for p in pairs if p[1].startswith("-") or p[0].endswith("-")]


def test_justified_lines_never_start_with_a_hyphen(tmp_path: Path) -> None:
    # words of every length before the hyphenated one, so that lines end inside it
    words = " ".join(f"{'policy'[: 1 + i % 6]}s counter-extremism" for i in range(240))
    (tmp_path / "body.md").write_text(words + "\n", encoding="utf-8")
    spec = tmp_path / "letter.yaml"
    spec.write_text(
        "template: body.md\nlocale: en-GB\ndate: 2024-05-02\njustify: true\n"
        "subject: Policy\nsignatories: [{name: An organisation}]\n",
        encoding="utf-8",
    )
    lines = [ln.strip() for page in page_texts(letterkit.render(spec)) for ln in page.splitlines()]
    assert any(ln.endswith("-") for ln in lines)  # some lines do break at a hyphen
    assert not [ln for ln in lines if ln.startswith("-")]
