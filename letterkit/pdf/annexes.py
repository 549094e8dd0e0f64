"""Annex entries → opened PDFs with their selected pages, or problems naming the file.

An annex is a PDF file, a PNG or JPEG image (made into a page of the
letter's paper), or a generated document (``chronology``: the case events;
``signatories``: the full list). Every annex is opened before anything is
laid out or written, so a broken or locked one stops the render with a clear
error and no output.

PDF files are opened by :mod:`letterkit.pdf.opening` (pypdf, and qpdf where
pypdf's view is suspect or fails); a file that had to be repaired is carried
with a warning naming it; a file nobody can read is an error naming it and why.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PdfReader

from .. import files, l10n, limits, memo
from ..input.sources import Reporter, display_path
from ..l10n import _
from ..model import Annex, Letter
from ..typeset.generated import AnnexError, Maker
from . import inflation
from .contentsize import inflates_beyond, stored
from .marks import CONTENT_MAX, read_page
from .opening import open_file, password, pypdf_messages, rebuild
from .suspect import reason

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


@dataclass
class OpenAnnex:
    """An annex ready to append (with the file its language picked): its reader, the pages."""

    annex: Annex
    number: int
    title: str
    reader: PdfReader
    pages: list[int]
    #: The 1-based annex pages that got a strip for their stamp (set when stamped).
    strips: tuple[int, ...] = ()


def parse_ranges(spec: str, count: int) -> list[int]:
    """``"1-3,7"`` → ``[0, 1, 2, 6]``; raises ValueError for pages outside 1..count,
    or for more pages in all than an annex may have.

    >>> parse_ranges("1-3,7", 10)
    [0, 1, 2, 6]
    """
    if not spec.strip():
        return list(range(count))
    out: list[int] = []
    for part in spec.split(","):
        lo_s, _, hi_s = part.strip().partition("-")
        lo = int(lo_s)
        hi = int(hi_s) if hi_s else lo
        if lo < 1 or hi > count or lo > hi:
            raise ValueError(f"pages '{part.strip()}' is outside 1-{count}")
        out += range(lo - 1, hi)
        if len(out) > limits.current().annex_pages:
            raise ValueError(
                f"pages selects more than {limits.current().annex_pages:,} pages "
                "(a page may be listed once or a few times, not thousands)"
            )
    return out


#: Annexes already opened in this process, by file identity and password: a
#: bundle parses each annex once per worker, not once per letter.
_Key = tuple[str, int, int, str, int]
_OPENED: dict[_Key, tuple[PdfReader, str, inflation.Cost]] = memo.table({})
_OPENED_MAX = 32


def open_pdf(
    path: Path, annex: Annex, number: int = 0, budget: inflation.Cost | None = None
) -> tuple[PdfReader, str, inflation.Cost]:
    """Open a PDF annex: (reader, repair note or "", what reading it costs).
    Raises AnnexError, also when that cost passes *budget* (a letter's whole
    budget when not given).

    The reader is kept for the next letter that appends the same, unchanged
    file as the same annex *number* (a reader can be appended into many
    writers, but not twice into one).
    """
    if budget is None:
        budget = inflation.letter_budget()
    try:
        stat = files.regular_file(path, "annex")
    except files.Refused as exc:
        raise AnnexError(exc.reason) from exc
    key = _key(path, annex, number, stat.st_size, stat.st_mtime_ns)
    if key not in _OPENED:
        opened = _open_pdf(path, annex, budget)
        _make_room(opened[2])
        memo.keep(_OPENED, key, opened, _OPENED_MAX)
    opened = _OPENED[key]
    if opened[2].entries > budget.entries:
        raise inflation.too_many_entries()
    if opened[2].inflated > budget.inflated:
        raise inflation.over_budget()
    return opened


def _key(path: Path, annex: Annex, number: int, size: int, mtime: int) -> _Key:
    return (str(path.resolve()), size, mtime, password(annex), number)


def _open_pdf(
    path: Path, annex: Annex, budget: inflation.Cost | None = None
) -> tuple[PdfReader, str, inflation.Cost]:
    return open_file(path, annex, inflation.letter_budget() if budget is None else budget)


def rebuilt(item: OpenAnnex, failure: BaseException) -> OpenAnnex:
    """*item* read again from the file as qpdf rebuilds it, after pypdf failed
    with *failure* while copying it (the next letter takes the rebuilt reader
    too); raises AnnexError when qpdf cannot mend it."""
    path = item.annex.path
    if not isinstance(path, Path):
        raise AnnexError(f"cannot be copied ({reason(failure)})")
    stat = path.stat()
    reader, cost = rebuild(path, item.annex, inflation.letter_budget())
    key = _key(path, item.annex, item.number, stat.st_size, stat.st_mtime_ns)
    note = f"it is damaged ({reason(failure)}) and was rebuilt with qpdf"
    _OPENED.pop(key, None)
    memo.keep(_OPENED, key, (reader, note, cost), _OPENED_MAX)
    return replace(item, reader=reader)


def _make_room(cost: inflation.Cost) -> None:
    """Forget the oldest annexes opened until the ones kept, with one that
    costs *cost*, cost no more than one letter may: a reader keeps what pypdf
    inflated, so a bundle whose letters take different annexes would
    otherwise keep up to 32 letters' worth."""
    whole = inflation.letter_budget()
    while _OPENED:
        kept = [opened[2] for opened in _OPENED.values()]
        inflated = cost.inflated + sum(c.inflated for c in kept)
        if (
            inflated <= whole.inflated
            and cost.entries + sum(c.entries for c in kept) <= whole.entries
        ):
            return
        del _OPENED[next(iter(_OPENED))]


#: Annexes letterkit made (a chronology, a signatory list, an image's page), by
#: content and annex number: letters that make the same share one reader.
_MADE: dict[tuple[bytes, int], PdfReader] = memo.table({})


def _made(pdf: bytes, number: int) -> PdfReader:
    """A reader of a PDF letterkit made, the same one for the same bytes."""
    key = (hashlib.sha256(pdf).digest(), number)
    reader = _MADE.get(key)
    if reader is None:
        reader = memo.keep(_MADE, key, PdfReader(io.BytesIO(pdf)), _OPENED_MAX)
    return reader


def open_annexes(letter: Letter, reporter: Reporter, make: Maker | None = None) -> list[OpenAnnex]:
    """Open every annex of *letter*; report each one that cannot be used.

    The pages taken from all the annexes together stay within
    ``Limits.annex_pages``, and the bytes inflated from their object streams
    within ``Limits.annex_inflated``, and the entries of their cross-reference
    streams within :data:`inflation.XREF_ENTRIES`: the annex that passes a total is
    reported, and no annex after it is opened.
    """
    out: list[OpenAnnex] = []
    bound = limits.current()
    taken = 0
    left = inflation.letter_budget()
    for number, annex in enumerate(letter.annexes, start=1):
        if isinstance(annex.path, Mapping):  # a file per language (validated): this letter's
            annex = replace(annex, path=l10n.localize_path(annex.path, letter.locale))
        display = display_path(annex.path) if isinstance(annex.path, Path) else f"annex {number}"
        where = (display, (None, None))
        title = l10n.localize(annex.title, letter.locale) if annex.title else ""
        try:
            reader, title, note, cost = _open_one(annex, number, title, letter.locale, make, left)
        except AnnexError as exc:
            reporter.error(where, "LK130", f"annex {number} {exc}")
            if isinstance(exc, inflation.OverBudget):
                break  # the annexes after it cannot be afforded either
            continue
        if note:
            blank = _unreadable(reader, annex.pages)
            if blank:
                one = len(blank) == 1
                note += (
                    f"; page {blank[0]}'s content cannot be read: it may show blank"
                    if one
                    else f"; the content of pages {page_ranges(blank)} cannot be read: "
                    "they may show blank"
                )
            reporter.warning(
                where, "LK131", f"annex {number}: {note}; check its pages in the output"
            )
        left -= cost
        try:
            pages = parse_ranges(annex.pages, len(reader.pages))
        except ValueError as exc:
            reporter.error(where, "LK130", f"annex {number}: {exc}; fix 'pages' in the spec")
            continue
        taken += len(pages)
        if taken > bound.annex_pages:
            reporter.error(
                where, "LK130",
                f"annex {number}: its {len(pages):,} pages bring the annexes of this letter "
                f"to {taken:,} pages; the limit is {bound.annex_pages:,} for all of them "
                "together (take a selection with 'pages', or fewer annexes)",
            )  # fmt: skip
            break
        out.append(OpenAnnex(annex, number, title or display, reader, pages))
    return out


def _unreadable(reader: PdfReader, spec: str) -> list[int]:
    """The pages of *reader* taken by *spec* (1-based, as stamped) whose
    content is within the size limits but cannot be decoded or read: a
    viewer may show them blank; none when *spec* is wrong (reported later)."""
    try:
        taken = parse_ranges(spec, len(reader.pages))
    except ValueError:
        return []
    out = []
    for n, index in enumerate(taken, start=1):
        page = reader.pages[index]
        try:
            large = stored(page) > CONTENT_MAX or inflates_beyond(page, CONTENT_MAX)
        except Exception:  # a stream whose size cannot be found is read below
            large = False
        if not large and read_page(page) is None:
            out.append(n)
    return out


def page_ranges(numbers: Sequence[int]) -> str:
    """Page numbers as ranges, the way ``pages:`` takes them: "1-3, 7, 9-5000"."""
    out: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [n]
    if run:
        out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)


def _open_one(
    annex: Annex, number: int, title: str, loc: str, make: Maker | None, budget: inflation.Cost
) -> tuple[PdfReader, str, str, inflation.Cost]:
    """Open one annex: its reader, title, repair note or "", and what reading
    it costs (within *budget*). Raises AnnexError."""
    if annex.generate:
        title = title or _generated_title(annex.generate, loc)
        if make is None:
            raise AnnexError("cannot be generated here")
        return _made(make(annex.generate, title, number), number), title, "", _FREE
    assert isinstance(annex.path, Path)  # one file: the letter's language picked it
    if annex.path.suffix.lower() in IMAGE_SUFFIXES:
        if make is None:
            raise AnnexError("cannot be laid out here")
        return _made(make(str(annex.path), title, number), number), title, "", _FREE
    reader, note, cost = open_pdf(annex.path, annex, number, budget)
    return reader, title, note, cost


#: What an annex letterkit made costs against the budget: nothing.
_FREE = inflation.Cost(0, 0)


def _generated_title(kind: str, loc: str) -> str:
    if kind == "chronology":
        return l10n.word(loc, _("Chronology"))
    return l10n.word(loc, _("Signatories"))


__all__ = [
    "AnnexError",
    "Maker",
    "OpenAnnex",
    "open_annexes",
    "open_pdf",
    "page_ranges",
    "parse_ranges",
    "pypdf_messages",
    "rebuilt",
]
