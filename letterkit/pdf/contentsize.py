"""An annex page → how many bytes its content streams take, stored and
inflated, found without inflating more than is asked.

The stamping stage reads a page's content (:mod:`letterkit.pdf.marks`) only
when it is small enough; these are the checks made first, on the bytes as
the file holds them.
"""

from __future__ import annotations

import zlib

from pypdf import PageObject
from pypdf.generic import IndirectObject, StreamObject

from ._pypdf import raw_data


def stored(page: PageObject) -> int:
    """The bytes the page's content streams take in the file (their /Length)."""
    own = page.get("/Contents")
    own = own.get_object() if isinstance(own, IndirectObject) else own
    streams = own if isinstance(own, list) else [own]
    total = 0
    for stream in streams:
        stream = stream.get_object() if isinstance(stream, IndirectObject) else stream
        if isinstance(stream, StreamObject):
            length = stream.get("/Length", 0)
            length = length.get_object() if isinstance(length, IndirectObject) else length
            total += int(length) if isinstance(length, int) else 0
    return total


def inflates_beyond(page: PageObject, limit: int) -> bool:
    """Whether the page's Flate-compressed content inflates to more than *limit*
    bytes, found by inflating at most that much (a small stream of repeated
    operators can stand for tens of megabytes)."""
    own = page.get("/Contents")
    own = own.get_object() if isinstance(own, IndirectObject) else own
    total = 0
    for stream in own if isinstance(own, list) else [own]:
        stream = stream.get_object() if isinstance(stream, IndirectObject) else stream
        if not isinstance(stream, StreamObject):
            continue
        filters = stream.get("/Filter")
        filters = filters.get_object() if isinstance(filters, IndirectObject) else filters
        names = list(filters) if isinstance(filters, list) else [filters]
        raw = raw_data(stream)  # the stored bytes, not inflated
        if names == ["/FlateDecode"]:
            try:
                total += len(zlib.decompressobj().decompress(raw, limit + 1 - total))
            except zlib.error:
                continue  # left to pypdf, which reports it
        else:
            total += len(raw)
        if total > limit:
            return True
    return False
