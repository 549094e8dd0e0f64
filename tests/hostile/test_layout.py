"""Hostile text for the layout: each case ends cleanly, in its own bounded process.

One word of 100,000 letters, a paragraph of a million, a table of thousands
of columns or thousands of italic pieces end as one LK150 problem naming
their source within seconds; text within the bounds makes a correct PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from .harness import assert_clean_end, letterkit, tree_digest
from .harness import edit as _set


def _template(folder: Path, body: str) -> None:
    (folder / "evil.md").write_text(
        "---\nsubject: S\nclosing: Yours,\n---\n" + body, encoding="utf-8"
    )
    _set(folder, "template: eu-partners.en.md", "template: evil.md")


def _signatories(folder: Path, rows: int, length: int) -> None:
    lines = "".join(f"{n:02d}" + "x" * (length - 2) + ",organization\n" for n in range(rows))
    (folder / "signatories.csv").write_text("name,type\n" + lines, encoding="utf-8")
    _set(folder, "expected_signatories: 45\n", "")


def _table(columns: int) -> str:
    return "|a" * columns + "\n" + "|-" * columns + "\n" + "|b" * columns + "\n"


CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    # (case, setup, code expected or "ok", text the problem line names)
    ("place of 100,000 letters", lambda f: _set(f, "place: Brussels", "place: " + "x" * 100_000), "LK150", "letter.yaml:6"),
    ("place of 20,000 letters", lambda f: _set(f, "place: Brussels", "place: " + "x" * 20_000), "LK150", "letter.yaml:6"),
    ("30 signatories of one 2,000-letter word", lambda f: _signatories(f, 30, 2_000), "LK150", "signatories.csv:2"),
    ("template prints a 5,000-letter word", lambda f: _template(f, '{{ "x" * 5000 }}\n'), "LK150", "evil.md"),
    ("template prints a 100,000-letter word", lambda f: _template(f, '{{ "x" * 100000 }}\n'), "LK150", "evil.md"),
    ("20,000 italic pieces in one word", lambda f: _template(f, "*a" * 20_000 + "\n"), "LK150", "evil.md"),
    ("a 900 KB paragraph", lambda f: _template(f, '{{ "lorem ipsum dolor " * 50000 }}\n'), "LK150", "evil.md"),
    ("a table of 2,000 columns", lambda f: _template(f, _table(2_000)), "LK150", "evil.md:5"),
    ("a table of 4,000 columns", lambda f: _template(f, _table(4_000)), "LK150", "evil.md:5"),
    ("45 paragraphs of 150-letter words", lambda f: _template(
        f, '{% for i in range(45) %}{{ ("x" * 149 + " ") * 133 }}\n\n{% endfor %}'), "LK150", "evil.md"),
    ("60,000 Markdown marks", lambda f: _template(f, "*a* " * 15_000 + "\n"), "LK150", "evil.md"),
]  # fmt: skip


@pytest.mark.slow  # a process per case, about 1 s each
@pytest.mark.parametrize(
    ("setup", "code", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_layout_ends_cleanly(
    folder: Path, setup: Callable[[Path], None], code: str, names: str
) -> None:
    setup(folder)
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, code, names, output=folder / "out.pdf")
    assert "LK900" not in result.err
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before


@pytest.mark.slow
def test_text_at_the_bounds_makes_a_correct_pdf(folder: Path) -> None:
    """The worst text within the bounds: a 20,000-character paragraph of 149-letter
    words and long web addresses, and 19,000 italic pieces, in bounded time."""
    address = "https://example.org/" + "/".join(["q" * 149] * 2)
    _template(
        folder,
        ("r" * 149 + " ") * 100
        + f"\n\nSee {address} now.\n\n"
        + ("*a*b*c*d " * 2_000 + "\n\n") * 2
        + ("lorem ipsum dolor " * 1_100 + "\n\n") * 3,
    )
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "ok", output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
    text = "".join(page.extract_text() for page in PdfReader(folder / "out.pdf").pages)
    assert text.count("lorem") == 3 * 1_100
    assert "q" * 60 in text
