"""Annexes whose cost lies in their totals: many object streams each under
pypdf's own limit, and the same large annex listed many times.

Each case runs ``letterkit render`` in its own bounded process (see
``harness``) and ends with one LK130 line naming the annex that passes the
total, within 60 s and 300 MB, every file but the output left as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import annex_pdfs
from .harness import assert_clean_end, edit, letterkit, tree_digest


def _render(folder: Path, listed: int, code: str) -> list[str]:
    """Render the example letter with ``evil.pdf`` as its annex, *listed*
    times; assert a clean end with *code*; the problem lines with it."""
    entries = "".join(f"  - path: evil.pdf\n    title: Copy {n}\n" for n in range(2, listed + 1))
    edit(folder, "  - path: chronology.pdf", entries + "  - path: evil.pdf")
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, code, "evil.pdf", output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
    return result.problem_lines(code) if code != "ok" else []


@pytest.mark.slow  # a process per case, several seconds each
@pytest.mark.parametrize("streams", [8, 20])
def test_object_streams_padded_with_blank_space(folder: Path, streams: int) -> None:
    (folder / "evil.pdf").write_bytes(annex_pdfs.page_object_streams(streams, 70))
    lines = _render(folder, 1, "LK130")
    assert "annex 1 has an object stream padded with more than 1 MB" in lines[0], lines


@pytest.mark.slow
@pytest.mark.parametrize("streams", [8, 20])
def test_object_streams_past_the_total(folder: Path, streams: int) -> None:
    """Each stream is under pypdf's 75 MB, together they pass 100 MB."""
    (folder / "evil.pdf").write_bytes(annex_pdfs.page_object_streams(streams, 70, b"x"))
    lines = _render(folder, 1, "LK130")
    assert "annex 1 has object streams that inflate" in lines[0], lines
    assert "beyond 100 MB" in lines[0], lines


@pytest.mark.slow
def test_one_object_stream_per_annex_past_the_letter_total(folder: Path) -> None:
    """One 70 MB object stream is carried; the same annex listed twice is
    refused at the second, which passes the letter's 100 MB."""
    (folder / "evil.pdf").write_bytes(annex_pdfs.page_object_streams(1, 70, b"x"))
    lines = _render(folder, 2, "LK130")
    assert len(lines) == 1, lines
    assert "annex 2 has object streams that inflate" in lines[0], lines


@pytest.mark.slow
def test_a_5000_page_annex_listed_20_times(folder: Path) -> None:
    (folder / "evil.pdf").write_bytes(annex_pdfs.shared_content(pages=5000, megabytes=1))
    lines = _render(folder, 20, "LK130")
    assert len(lines) == 1, lines
    assert "annex 2: its 5,000 pages bring the annexes of this letter to 10,000" in lines[0]
    assert "the limit is 5,000" in lines[0], lines


@pytest.mark.slow
def test_two_million_objects_listed(folder: Path) -> None:
    (folder / "evil.pdf").write_bytes(annex_pdfs.object_listing(2_000_000))
    lines = _render(folder, 1, "LK130")
    assert (
        "annex 1 lists objects that, with those of the annexes before it, pass 500,000"
        in (lines[0])
    ), lines
