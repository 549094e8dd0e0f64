"""Every use of pypdf beyond its documented API, in one place.

Each function says what it relies on; ``tests/unit/test_pypdf_contract.py``
checks each reliance against the installed pypdf and names the attribute and
the version when one no longer holds. Everything else in :mod:`letterkit.pdf`
uses pypdf's public API only.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.filters import ZLIB_MAX_OUTPUT_LENGTH
from pypdf.generic import IndirectObject, PdfObject, StreamObject

#: The pypdf version these reliances were checked against last.
CHECKED = "7.1.1"


def add_object(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """Add *obj* to *writer* as an object of its own; its indirect reference.

    Relies on ``PdfWriter._add_object`` (private): pypdf has no public way to
    add an object to a writer. Used for the streams and forms that stamp an
    annex page without touching its own content streams.
    """
    return writer._add_object(obj)


def count_objects(writer: PdfWriter) -> int:
    """How many objects *writer* holds (those merged away not counted).

    Relies on ``PdfWriter._objects`` (private): the writer's objects by
    number, ``None`` where ``compress_identical_objects`` removed one.
    """
    return sum(obj is not None for obj in writer._objects)


def zlib_limit() -> int:
    """The most bytes pypdf inflates from one Flate stream before it raises
    ``LimitReachedError``.

    Relies on ``pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH``: not in the documented
    API (pypdf 7 marks it deprecated in favour of its configuration), but
    still the limit pypdf applies by default.
    """
    return int(ZLIB_MAX_OUTPUT_LENGTH)


def write_classic(writer: PdfWriter) -> bytes:
    """The bytes of *writer*'s document, for :mod:`letterkit.pdf.splice` to cut.

    Relies on what ``PdfWriter.write`` produces without being asked
    (undocumented): a classic cross-reference table (no cross-reference or
    object streams), every object written as ``n 0 obj … endobj`` with
    generation 0, and a document information dictionary (``/Info``) in the
    trailer.
    """
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def object_stream_numbers(reader: PdfReader) -> list[int]:
    """The numbers of the object streams *reader* will inflate to find objects
    in them, in order.

    Relies on ``PdfReader.xref_objStm`` (undocumented): object number →
    (object stream number, index), filled from the cross-reference streams
    when the reader is made.
    """
    return sorted({int(stream) for stream, _index in reader.xref_objStm.values()})


def raw_data(stream: StreamObject) -> bytes:
    """The bytes of *stream* as the file holds them (still encoded).

    Relies on ``StreamObject._data`` (private): an encoded stream read from a
    file keeps its undecoded bytes there until ``get_data`` is called.
    """
    data = stream._data
    return data if isinstance(data, bytes) else bytes(data)


def xref_entries(reader: PdfReader) -> int:
    """How many objects *reader*'s cross-reference tables and streams list.

    Relies on ``PdfReader.xref`` (generation → object number → offset) and
    ``PdfReader.xref_objStm`` (undocumented), filled when the reader is made.
    """
    return len(reader.xref_objStm) + sum(len(table) for table in reader.xref.values())


def is_xref_entries_limit(exc: Exception) -> bool:
    """Whether *exc* is pypdf refusing more cross-reference stream entries
    than ``PdfReader(xref_stream_maximum_entries=...)`` allows.

    Relies on the text of pypdf's ``LimitReachedError`` (undocumented):
    "Maximum XRef stream entry limit reached", which pypdf may repeat in a
    ``PdfReadError`` about the trailer.
    """
    return "xref stream entry limit" in str(exc).lower()
