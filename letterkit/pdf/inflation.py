"""An annex's bytes → a reader whose cost is known: the entries of its
cross-reference streams and the bytes pypdf will inflate from its object
streams, counted before pypdf reads or inflates them, or a refusal.

A reader keeps every entry of its cross-reference streams (a 20 KB file can
list two million objects: 10 s and 250 MB), so pypdf is told to stop at what
is left of :data:`XREF_ENTRIES` for the letter.

pypdf stops each stream at 75 MB, but a file may hold many object streams,
and pypdf keeps every one it inflates in memory while the reader lives. So
the object streams of an annex are measured first, on their raw bytes, with
a decompressor that keeps nothing: the total of one annex, and of all the
annexes of one letter together, must stay within ``Limits.annex_inflated``.

pypdf also reads the blank space between the objects of a stream one byte
at a time (about a second for 10 MB); a stream with a run of more than
:data:`BLANK_RUN` blank bytes, which no producer writes, is refused too.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import NameObject, StreamObject

from .. import limits
from ..typeset.generated import AnnexError
from ._pypdf import object_stream_numbers, raw_data, xref_entries, zlib_limit

#: Entries of the cross-reference streams of all the annexes of one letter together.
XREF_ENTRIES = 500_000
#: The longest run of blank bytes (spaces, line ends, tabs, NULs, form feeds)
#: accepted in an object stream.
BLANK_RUN = 1_000_000
#: The bytes pypdf treats as blank between objects.
_BLANK = b" \n\r\t\x00\x0c"
#: How much is inflated at a time while counting.
_CHUNK = 1_000_000

#: Why a file with a decompression bomb is refused.
BOMB = (
    f"has a stream that inflates beyond {zlib_limit() // 1_000_000} MB "
    "(a decompression bomb?); export the document again as PDF"
)


@dataclass(frozen=True)
class Cost:
    """What reading annexes costs, or what is left for them: bytes inflated
    from object streams, and cross-reference entries."""

    inflated: int
    entries: int

    def __sub__(self, other: Cost) -> Cost:
        return Cost(self.inflated - other.inflated, self.entries - other.entries)


def letter_budget() -> Cost:
    """What all the annexes of one letter may cost together."""
    return Cost(limits.current().annex_inflated, XREF_ENTRIES)


def measure(reader: PdfReader, budget: Cost) -> Cost:
    """What *reader* costs, checked against *budget* before pypdf inflates
    any object stream. Raises AnnexError."""
    entries = xref_entries(reader)
    if entries > budget.entries:
        raise too_many_entries()
    return Cost(object_streams(reader, budget.inflated), entries)


def too_many_entries() -> OverBudget:
    """The refusal of an annex that lists more objects than are left for it."""
    return OverBudget(
        "lists objects that, with those of the annexes before it, pass "
        f"{XREF_ENTRIES:,} (the limit for one letter); "
        "export the document again as PDF, or take fewer annexes"
    )


def object_streams(reader: PdfReader, budget: int) -> int:
    """The bytes pypdf will inflate from *reader*'s object streams; raises
    AnnexError when they pass *budget* (before pypdf inflates them), when one
    passes pypdf's own limit, or when one holds a run of blank bytes longer
    than :data:`BLANK_RUN`."""
    total = 0
    for number in object_stream_numbers(reader):
        stream = reader.get_object(number)
        if not isinstance(stream, StreamObject):
            continue  # pypdf reports it when it reads an object from it
        total += _size(stream, budget - total)
    return total


class OverBudget(AnnexError):
    """The annexes of one letter inflate more than ``Limits.annex_inflated``."""


def over_budget() -> OverBudget:
    """The refusal of an annex whose object streams pass what is left of
    ``Limits.annex_inflated``."""
    limit = limits.current().annex_inflated
    return OverBudget(
        "has object streams that inflate, with those of the annexes before it, beyond "
        f"{limit // 1_000_000} MB (the limit for one letter; a decompression bomb?); "
        "export the document again as PDF, or take fewer annexes"
    )


def _size(stream: StreamObject, budget: int) -> int:
    """The inflated size of one object stream, within *budget* bytes."""
    filters = stream.get("/Filter")
    if isinstance(filters, list) and len(filters) == 1:
        filters = filters[0]
    counter = _Counter(budget)
    if filters == NameObject("/FlateDecode") and _inflate(raw_data(stream), counter):
        return counter.done()
    # Another filter, or damage pypdf may mend: pypdf inflates it (to its limit at most).
    data = stream.get_data()
    for start in range(0, len(data), _CHUNK):
        counter.add(data[start : start + _CHUNK])
    return counter.done()


def _inflate(raw: bytes, counter: _Counter) -> bool:
    """Count what *raw* inflates to, a chunk at a time, keeping nothing;
    False when zlib cannot read it (pypdf may mend it)."""
    inflater = zlib.decompressobj()
    pending = raw
    try:
        while pending and not inflater.eof:
            counter.add(inflater.decompress(pending, _CHUNK))
            pending = inflater.unconsumed_tail
        counter.add(inflater.flush())
    except zlib.error:
        return False
    return True


class _Counter:
    """The bytes of one stream, chunk by chunk: their number against the
    budget and pypdf's limit, and the longest run of blank bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.total = self.run = self.longest = 0

    def add(self, chunk: bytes) -> None:
        """Count *chunk* (at most :data:`_CHUNK` bytes, no more than
        :data:`BLANK_RUN`, so only a run touching one of its ends can pass it)."""
        self.total += len(chunk)
        if self.total > zlib_limit():
            raise AnnexError(BOMB)
        if self.total > self.budget:
            raise over_budget()
        lead = len(chunk) - len(chunk.lstrip(_BLANK))
        if lead == len(chunk):
            self.run += lead
        else:
            self.longest = max(self.longest, self.run + lead)
            self.run = len(chunk) - len(chunk.rstrip(_BLANK))
        self.longest = max(self.longest, self.run)

    def done(self) -> int:
        """The bytes counted; raises AnnexError if a blank run was too long."""
        if self.longest > BLANK_RUN:
            raise AnnexError(
                f"has an object stream padded with more than {BLANK_RUN // 1_000_000} MB "
                "of blank space, which takes minutes to read; export the document again as PDF"
            )
        return self.total


#: Object references (``12 0 R``) an annex may hold in its uncompressed
#: parts. pypdf keeps an object of about 150 bytes for each one it reads, so a
#: 46 MB file of nothing but references (5,000 pages, each with its own array
#: of the same 1,000 annotations) would take 850 MB to read.
MAX_REFERENCES = 1_000_000


def refuse_dense(data: bytes) -> None:
    """Refuse a file with more references than :data:`MAX_REFERENCES` before
    pypdf reads it (counted as an ``R`` after white space: a bound from above)."""
    found = sum(data.count(space + b"R") for space in (b" ", b"\n", b"\r", b"\t"))
    if found > MAX_REFERENCES:
        raise AnnexError(
            f"holds about {found:,} object references, more than the {MAX_REFERENCES:,} "
            "an annex may have; save it again with fewer annotations or pages"
        )
