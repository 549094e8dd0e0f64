"""An annex file → a pypdf reader of what its maker meant, what reading it
costs and a repair note, or an AnnexError saying why not in a user's words.

The file is read with pypdf in its forgiving mode. qpdf (through pikepdf, in
a bounded child process: :mod:`letterkit.pdf.repair`) reads more files right,
so it rebuilds the file first when pypdf's view is suspect (see
:mod:`letterkit.pdf.suspect`), and whenever pypdf fails on it in any way (a
missing header, an encryption pypdf cannot open without a password, an
exception of any kind); a file is refused only when qpdf cannot read it either,
or when it passes a limit (a decompression bomb, too many objects).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader, apply_configuration
from pypdf.errors import DependencyError, PdfReadError
from pypdf.generic import BooleanObject

from .. import files, limits
from ..model import Annex
from ..typeset.generated import AnnexError
from . import inflation, names, suspect
from ._pypdf import is_xref_entries_limit

#: How deep a page tree may nest (pypdf stops at 100; qpdf's own tests nest 100
#: deep, and pypdf walks the tree without recursion).
PAGE_TREE_DEPTH = 1_000


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


def password(annex: Annex) -> str:
    """The password of *annex*: given in the spec, or read from its variable."""
    if annex.password:
        return annex.password
    return os.environ.get(annex.password_env, "") if annex.password_env else ""


class _Locked(AnnexError):
    """pypdf cannot open the file without a password (qpdf sometimes can)."""


def _decrypt(reader: PdfReader, annex: Annex) -> None:
    if not reader.is_encrypted:
        return
    given = password(annex)
    try:
        ok = reader.decrypt(given)
    except DependencyError as exc:
        raise AnnexError(
            f"is encrypted with AES, which needs the 'cryptography' package ({exc}); "
            "pip install 'pypdf[crypto]'"
        ) from exc
    if not ok:
        if given:
            raise AnnexError("is encrypted and the password given is wrong; check it")
        raise _Locked(
            "is encrypted and needs a password; give 'password' or 'password_env' in the spec"
        )


def _reader(data: bytes, budget: inflation.Cost) -> PdfReader:
    """A forgiving reader of *data* that stops at the cross-reference entries
    left in *budget* (LimitReachedError, see :func:`_refusal`)."""
    return PdfReader(
        io.BytesIO(data), strict=False, xref_stream_maximum_entries=max(budget.entries, 0)
    )


def _refusal(exc: Exception) -> AnnexError | None:
    """Why a file that failed to read is refused whatever repair could do
    (a limit passed); None when the failure is damage that qpdf may mend."""
    if isinstance(exc, AnnexError) and not isinstance(exc, _Locked):
        return exc
    if is_xref_entries_limit(exc):  # pypdf may raise it inside a PdfReadError
        return inflation.too_many_entries()
    if suspect.is_bomb(exc):
        return AnnexError(inflation.BOMB)
    if isinstance(exc, MemoryError):
        return AnnexError("needs more memory to read than there is")
    return None


def _read_pages(reader: PdfReader) -> None:
    """Count the pages against the limit and read every page object now, not
    while writing; raise PdfReadError if there are none, or if a page is not
    an object of its own (pypdf cannot copy such a page)."""
    count = len(reader.pages)
    if count > limits.current().annex_pages:
        raise AnnexError(
            f"has {count:,} pages; the limit is {limits.current().annex_pages:,} "
            "(take a selection with 'pages')"
        )
    if _needs_rendering(reader):
        raise AnnexError(
            "is a dynamic XFA form: its pages only ask to wait while a viewer that runs "
            "XFA draws the form, and an annex carries pages, not programs; open it in "
            "Adobe Acrobat Reader, print it to PDF, and use that file"
        )
    for page in reader.pages:
        page.mediabox  # noqa: B018
        if page.indirect_reference is None:
            raise PdfReadError("its pages are written inside the page tree")
    if count == 0:
        raise PdfReadError("no pages")


def _needs_rendering(reader: PdfReader) -> bool:
    """Whether the document says its pages are a stand-in for its XFA form
    (``/NeedsRendering true``), as Adobe's dynamic forms do."""
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    if not isinstance(root, dict):
        return False
    value = root.get("/NeedsRendering")
    return isinstance(value, BooleanObject) and bool(value)


def _read(
    data: bytes, annex: Annex | None, budget: inflation.Cost
) -> tuple[PdfReader, inflation.Cost]:
    """A reader of *data* with every page read, and what it costs; raises what pypdf raises."""
    with apply_configuration(page_tree_maximum_depth=PAGE_TREE_DEPTH):
        reader = _reader(data, budget)
        if annex is not None:
            _decrypt(reader, annex)
        cost = inflation.measure(reader, budget)
        _read_pages(reader)
    return reader, cost


def rebuild(path: Path, annex: Annex, budget: inflation.Cost) -> tuple[PdfReader, inflation.Cost]:
    """Let qpdf rebuild *path* (in a bounded child process: :mod:`letterkit.pdf.repair`)
    and read that; raise AnnexError if it can't. Also what reading it costs
    (within *budget*)."""
    from . import repair  # only a damaged annex needs qpdf

    data = repair.rebuild(path, password(annex))
    inflation.refuse_dense(data)
    try:
        reader, cost = _read(data, None, budget)
    except PdfReadError as exc:
        if str(exc) == "no pages":
            raise AnnexError(
                "has no pages (its list of pages is empty, also as qpdf reads it); "
                "export the document again as PDF, or ask for a new copy"
            ) from exc
        raise _beyond_repair(exc) from exc
    except Exception as exc:  # whatever pypdf raises on a hostile file
        refusal = _refusal(exc)
        if refusal is exc:
            raise
        raise refusal or _beyond_repair(exc) from exc
    names.keep(reader, names.of_reader(reader, data))
    return reader, cost


def _beyond_repair(exc: BaseException) -> AnnexError:
    return AnnexError(
        f"is damaged beyond repair ({suspect.reason(exc)}); ask for a new copy of the document"
    )


def open_file(
    path: Path, annex: Annex, budget: inflation.Cost
) -> tuple[PdfReader, str, inflation.Cost]:
    """Open the PDF file of *annex*: (reader, repair note or "", what reading it costs)."""
    try:  # the bytes pypdf would read, but not past the size cap for annexes
        data = files.read_bounded(path, "annex")
    except files.Refused as exc:
        raise AnnexError(exc.reason) from exc
    head = data[:1024]
    if not data:
        raise AnnexError("is empty (0 bytes); export the document again as PDF")
    if b"%PDF-" not in head:
        return _headless(path, annex, budget, data)
    inflation.refuse_dense(data)
    misread = suspect.misread_by_pypdf(data)
    if misread:
        try:  # qpdf reads it as its maker meant; pypdf's own reading is the fallback
            reader, cost = rebuild(path, annex, budget)
            return reader, "", cost
        except AnnexError:
            pass
    note = ""
    with pypdf_messages() as seen:
        try:
            reader, cost = _read(data, annex, budget)
        except Exception as exc:  # whatever pypdf raises on a hostile file
            refusal = _refusal(exc)
            if refusal is exc:
                raise
            if refusal is not None:
                raise refusal from exc
            reader, cost = _rebuild_locked(path, annex, budget, exc)
            if not isinstance(exc, _Locked):
                note = f"it is damaged ({suspect.reason(exc)}) and was rebuilt with qpdf"
        else:
            names.keep(reader, names.of_reader(reader, data))
    damaged = [m for m in seen.messages if _is_damage(m)]
    if damaged and not note:
        note = f"it is damaged ({suspect.damage(damaged[0])}) and was read in repair mode"
    return reader, note, cost


def _rebuild_locked(
    path: Path, annex: Annex, budget: inflation.Cost, exc: Exception
) -> tuple[PdfReader, inflation.Cost]:
    """qpdf's rebuild after pypdf failed with *exc*; a file pypdf found locked
    stays refused as locked when qpdf cannot open it either."""
    try:
        return rebuild(path, annex, budget)
    except AnnexError as failed:
        if isinstance(exc, _Locked):
            raise AnnexError(str(exc)) from exc
        raise failed from exc


def _headless(
    path: Path, annex: Annex, budget: inflation.Cost, data: bytes
) -> tuple[PdfReader, str, inflation.Cost]:
    """A file without a ``%PDF-`` header: what it is when that is plain, else
    what qpdf can recover of it."""
    kind = suspect.what_it_is(data)
    if kind is not None:
        raise AnnexError(f"is {kind[0]}, although its name ends in .pdf; {kind[1]}")
    try:
        reader, cost = rebuild(path, annex, budget)
    except AnnexError as exc:
        if isinstance(exc, inflation.OverBudget) or "bomb" in str(exc):
            raise
        raise AnnexError(
            f"is not a PDF, although its name ends in .pdf ({suspect.shown(data[:1024])}), "
            "and no PDF could be recovered from it; download or export the actual PDF"
        ) from exc
    return reader, "it has no PDF header and was rebuilt with qpdf", cost


def _is_damage(message: str) -> bool:
    text = message.lower()
    return any(
        word in text
        for word in ("xref", "startxref", "invalid", "damaged", "eof", "corrupt", "could not")
    )
