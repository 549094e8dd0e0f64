"""Annex entries → opened PDFs with their selected pages, or problems naming the file.

An annex is a PDF file, a PNG or JPEG image (made into a page of the
letter's paper), or a generated document (``chronology``: the case events;
``signatories``: the full list). Every annex is opened before anything is
laid out or written, so a broken or locked one stops the render with a clear
error and no output.

PDF files are read with pypdf in its forgiving mode; a file pypdf had to
repair, or that only qpdf (through pikepdf) can repair, is carried with a
warning naming it; a file nobody can read is an error naming it and why.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError, PdfReadError

from .. import files, l10n, limits, memo
from ..input.sources import Reporter, display_path
from ..l10n import _
from ..model import Annex, Letter
from ..typeset.generated import AnnexError, Maker
from . import inflation, repair
from ._pypdf import is_xref_entries_limit

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


class _Warnings(logging.Handler):
    """Collects what pypdf reports while it reads a damaged file."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def pypdf_messages() -> Iterator[_Warnings]:
    """Collect what pypdf logs in the block instead of letting it reach the
    application's log: letterkit reports it as a problem of its own."""
    logger = logging.getLogger("pypdf")
    handler = _Warnings()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _password(annex: Annex) -> str:
    if annex.password:
        return annex.password
    return os.environ.get(annex.password_env, "") if annex.password_env else ""


def _sniff(head: bytes) -> None:
    """Refuse what is plainly not a PDF (given its first bytes) before any parser sees it."""
    if not head:
        raise AnnexError("is empty (0 bytes); export the document again as PDF")
    if b"%PDF-" not in head:
        lead = head.lstrip()[:15].lower()
        kind = "an HTML page" if lead.startswith((b"<!doctype", b"<html")) else "not a PDF"
        shown = head[:24].decode("utf-8", "replace").split("\n")[0].strip()
        raise AnnexError(
            f"is {kind}, although its name ends in .pdf (it starts with “{shown}”); "
            "download or export the actual PDF"
        )


def _decrypt(reader: PdfReader, annex: Annex) -> None:
    if not reader.is_encrypted:
        return
    password = _password(annex)
    try:
        ok = reader.decrypt(password)
    except DependencyError as exc:
        raise AnnexError(
            f"is encrypted with AES, which needs the 'cryptography' package ({exc}); "
            "pip install 'pypdf[crypto]'"
        ) from exc
    if not ok:
        if password:
            raise AnnexError("is encrypted and the password given is wrong; check it")
        raise AnnexError(
            "is encrypted and needs a password; give 'password' or 'password_env' in the spec"
        )


def _repair(path: Path, annex: Annex, budget: inflation.Cost) -> tuple[PdfReader, inflation.Cost]:
    """Let qpdf rebuild a file pypdf cannot read (in a bounded child process:
    :mod:`letterkit.pdf.repair`); raise AnnexError if it can't. Also what
    reading it costs (within *budget*)."""
    data = repair.rebuild(path, _password(annex))
    try:
        reader = _reader(data, budget)
        cost = inflation.measure(reader, budget)
        if len(reader.pages) == 0:
            raise AnnexError("has no pages that can be recovered; ask for a new copy")
        _read_pages(reader)
    except Exception as exc:  # whatever pypdf raises on a hostile file
        refusal = _refusal(exc)
        if refusal is exc:
            raise
        raise refusal or AnnexError(
            f"is damaged beyond repair ({_reason(exc)}); ask for a new copy of the document"
        ) from exc
    return reader, cost


def _reader(data: bytes, budget: inflation.Cost) -> PdfReader:
    """A forgiving reader of *data* that stops at the cross-reference entries
    left in *budget* (LimitReachedError, see :func:`_refusal`)."""
    return PdfReader(
        io.BytesIO(data), strict=False, xref_stream_maximum_entries=max(budget.entries, 0)
    )


def _refusal(exc: Exception) -> AnnexError | None:
    """Why a file that failed to read is refused whatever repair could do
    (a limit passed); None when the failure is damage that qpdf may mend."""
    if isinstance(exc, AnnexError):
        return exc
    if is_xref_entries_limit(exc):  # pypdf may raise it inside a PdfReadError
        return inflation.too_many_entries()
    if isinstance(exc, LimitReachedError):
        return AnnexError(_BOMB)
    if isinstance(exc, RecursionError):
        return AnnexError("nests its objects too deeply to be read safely")
    if isinstance(exc, MemoryError):
        return AnnexError("needs more memory to read than there is")
    return None


def _read_pages(reader: PdfReader) -> None:
    """Count the pages against the limit and read every page object now, not
    while writing; raise PdfReadError if there are none."""
    count = len(reader.pages)
    if count > limits.current().annex_pages:
        raise AnnexError(
            f"has {count:,} pages; the limit is {limits.current().annex_pages:,} "
            "(take a selection with 'pages')"
        )
    for page in reader.pages:
        page.mediabox  # noqa: B018
    if count == 0:
        raise PdfReadError("no pages")


def _reason(exc: BaseException) -> str:
    """The first line of what a parser said, short; its class name if it said nothing."""
    text = str(exc).splitlines()[0][:100] if str(exc).strip() else ""
    return text or exc.__class__.__name__


#: Why a file with a decompression bomb is refused.
_BOMB = inflation.BOMB


#: Annexes already opened in this process, by file identity and password: a
#: bundle parses each annex once per worker, not once per letter.
_OPENED: dict[tuple[str, int, int, str, int], tuple[PdfReader, str, inflation.Cost]] = memo.table(
    {}
)
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
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, _password(annex), number)
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


def _open_pdf(
    path: Path, annex: Annex, budget: inflation.Cost | None = None
) -> tuple[PdfReader, str, inflation.Cost]:
    try:  # the bytes pypdf would read, but not past the size cap for annexes
        data = files.read_bounded(path, "annex")
    except files.Refused as exc:
        raise AnnexError(exc.reason) from exc
    _sniff(data[:1024])
    inflation.refuse_dense(data)
    if budget is None:
        budget = inflation.letter_budget()
    note = ""
    with pypdf_messages() as seen:
        try:
            reader = _reader(data, budget)
            _decrypt(reader, annex)
            cost = inflation.measure(reader, budget)
            _read_pages(reader)
        except Exception as exc:  # whatever pypdf raises on a hostile file
            refusal = _refusal(exc)
            if refusal is exc:
                raise
            if refusal is not None:
                raise refusal from exc
            reader, cost = _repair(path, annex, budget)
            note = f"it is damaged ({_reason(exc)}) and was rebuilt with qpdf"
    damaged = [m for m in seen.messages if _is_damage(m)]
    if damaged and not note:
        note = f"it is damaged ({damaged[0][:100]}) and was read in repair mode"
    return reader, note, cost


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


def _is_damage(message: str) -> bool:
    text = message.lower()
    return any(
        word in text
        for word in ("xref", "startxref", "invalid", "damaged", "eof", "corrupt", "could not")
    )


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


__all__ = ["AnnexError", "Maker", "OpenAnnex", "open_annexes", "open_pdf", "parse_ranges"]
