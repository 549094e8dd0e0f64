"""Annex totals, in process: the object streams of an annex are measured on
their raw bytes before pypdf inflates them, blank padding is refused, and the
annexes of one letter share one budget of inflated bytes and one of pages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

import letterkit
from letterkit import limits
from letterkit.input.sources import Reporter
from letterkit.model import Annex
from letterkit.pdf import annexes, inflation
from letterkit.typeset.generated import AnnexError

from ..conftest import EXAMPLE
from ..hostile import annex_pdfs


def _open(path: Path, **bounds: int) -> tuple[PdfReader, str, inflation.Cost]:
    with limits.applied(limits.Limits(**bounds)):
        return annexes._open_pdf(path, Annex(path=path))


def test_blank_padding_is_refused_before_pypdf_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "padded.pdf"
    path.write_bytes(annex_pdfs.page_object_streams(8, 70))
    with pytest.raises(AnnexError, match="padded with more than 1 MB of blank space"):
        _open(path)


def test_object_streams_count_together(tmp_path: Path) -> None:
    """Three 3 MB streams: 9.4 MB inflated, counted exactly; refused under a
    budget of 9 MB, carried under 10 MB."""
    path = tmp_path / "streams.pdf"
    path.write_bytes(annex_pdfs.page_object_streams(3, 3, b"x"))
    with pytest.raises(inflation.OverBudget, match="beyond 9 MB"):
        _open(path, annex_inflated=9_000_000)
    reader, note, cost = _open(path, annex_inflated=10_000_000)
    assert (len(reader.pages), note, cost.entries) == (3, "", 9)  # 6 objects, 3 in streams
    heads = sum(len(b"%d 0 " % (10 + i)) for i in range(3))
    page = len(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> ")
    assert cost.inflated == 3 * (3 * (1 << 20) + page) + heads


def test_one_stream_under_pypdf_limit_still_counts(tmp_path: Path) -> None:
    path = tmp_path / "streams.pdf"
    path.write_bytes(annex_pdfs.page_object_streams(8, 70, b"x"))
    with pytest.raises(inflation.OverBudget, match="beyond 100 MB"):
        _open(path)


def test_a_stream_past_pypdf_limit_keeps_its_own_message(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(annex_pdfs.page_object_streams(1, 80, b"x"))
    with pytest.raises(AnnexError, match="inflates beyond 75 MB"):
        _open(path, annex_inflated=200_000_000)


def test_blank_runs_are_followed_across_chunks() -> None:
    counter = inflation._Counter(10_000_000)
    counter.add(b"x" + b" " * 999_999)
    counter.add(b" \n" + b"x")
    with pytest.raises(AnnexError, match="padded"):
        counter.done()
    counter = inflation._Counter(10_000_000)
    counter.add(b"x" + b" " * 999_999)
    counter.add(b" x")
    assert counter.done() == 1_000_002


def _pages(tmp_path: Path, count: int) -> Path:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(595, 842)
    path = tmp_path / "three.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def _letter(tmp_path: Path, path: Path, listed: int) -> letterkit.Letter:
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    listing = tuple(Annex(path=path, title=f"Copy {n}") for n in range(1, listed + 1))
    return replace(base, base_dir=tmp_path, annexes=listing)


def test_pages_of_all_annexes_count_together(tmp_path: Path) -> None:
    """Three pages listed four times under a limit of 7: the third annex
    passes it, is named, and the fourth is not opened."""
    letter = _letter(tmp_path, _pages(tmp_path, 3), 4)
    reporter = Reporter()
    with limits.applied(limits.Limits(annex_pages=7)):
        opened = annexes.open_annexes(letter, reporter)
    assert [a.number for a in opened] == [1, 2]
    [problem] = reporter.problems
    assert problem.code == "LK130"
    assert "annex 3: its 3 pages bring the annexes of this letter to 9 pages" in problem.message
    assert "the limit is 7 for all of them together" in problem.message


def test_inflated_bytes_of_all_annexes_count_together(tmp_path: Path) -> None:
    """A 3 MB object stream listed three times under 7 MB: the third is
    refused, and stays refused when it comes from the table of opened files."""
    path = tmp_path / "one.pdf"
    path.write_bytes(annex_pdfs.page_object_streams(1, 3, b"x"))
    letter = _letter(tmp_path, path, 3)
    for _ in range(2):
        reporter = Reporter()
        with limits.applied(limits.Limits(annex_inflated=7_000_000)):
            opened = annexes.open_annexes(letter, reporter)
        assert [a.number for a in opened] == [1, 2]
        [problem] = reporter.problems
        assert problem.message.startswith("annex 3 has object streams that inflate"), problem


def test_cross_reference_entries_count_together(tmp_path: Path) -> None:
    """A 20 KB file listing two million objects is refused before pypdf reads
    the entries; 300,000 pass, but not twice in one letter."""
    path = tmp_path / "listing.pdf"
    path.write_bytes(annex_pdfs.object_listing(2_000_000))
    with pytest.raises(inflation.OverBudget, match="pass 500,000"):
        _open(path)
    path.write_bytes(annex_pdfs.object_listing(300_000))
    letter = _letter(tmp_path, path, 2)
    reporter = Reporter()
    opened = annexes.open_annexes(letter, reporter)
    assert [a.number for a in opened] == [1]
    [problem] = reporter.problems
    assert problem.message.startswith("annex 2 lists objects that, with those of the annexes")


def test_opened_annexes_kept_cost_no_more_than_one_letter(tmp_path: Path) -> None:
    """Readers kept for the next letter hold what pypdf inflated: three files
    of 3 MB each under a 7 MB budget keep the last two only."""
    annexes._OPENED.clear()
    paths = []
    for name in "abc":
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(annex_pdfs.page_object_streams(1, 3, bytes(name, "ascii")))
        paths.append(path)
    with limits.applied(limits.Limits(annex_inflated=7_000_000)):
        for path in paths:
            annexes.open_pdf(path, Annex(path=path))
    kept = sorted(Path(key[0]).name for key in annexes._OPENED)
    assert kept == ["b.pdf", "c.pdf"]
    annexes._OPENED.clear()
