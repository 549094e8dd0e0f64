"""What letterkit relies on in pypdf beyond its documented API still holds.

Each test checks one reliance of :mod:`letterkit.pdf._pypdf` against the
installed pypdf and names the attribute and the version when it fails.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import ContentStream, IndirectObject, StreamObject

from letterkit.pdf import _pypdf, splice

VERSION = f"pypdf {pypdf.__version__} (last checked with {_pypdf.CHECKED})"


def _broken(what: str) -> str:
    return f"{VERSION}: {what} changed; update letterkit/pdf/_pypdf.py"


def test_private_add_object_adds_and_returns_a_reference() -> None:
    """This test ensures that ``PdfWriter._add_object`` still adds an object and
    returns its indirect reference (used for the streams and forms that stamp
    an annex page)."""
    writer = PdfWriter()
    assert hasattr(writer, "_add_object"), _broken("PdfWriter._add_object (missing)")
    stream = ContentStream(None, writer)
    stream.set_data(b"0 0 m")
    ref = writer._add_object(stream)
    assert isinstance(ref, IndirectObject), _broken("PdfWriter._add_object's return value")
    assert ref.get_object() is stream, _broken("PdfWriter._add_object's reference")


def test_add_object_needs_no_generic_attribute_on_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This test ensures that add_object works when the ``pypdf`` package has
    no ``generic`` attribute: the state a process is left in when the host's
    watchdog or a Ctrl-C interrupts the first ``import pypdf`` after
    ``pypdf.generic`` was loaded (Python keeps the submodule, and the package
    imported again does not get the attribute back). Every later letter with
    an annex then failed with LK130 "module 'pypdf' has no attribute 'generic'"."""
    writer = PdfWriter()
    stream = ContentStream(None, writer)
    stream.set_data(b"0 0 m")
    monkeypatch.delattr(pypdf, "generic")
    ref = _pypdf.add_object(writer, stream)
    assert isinstance(ref, IndirectObject)
    assert ref.get_object() is stream


def test_count_objects_sees_identical_objects_merged() -> None:
    """This test ensures that ``PdfWriter._objects`` still lists the writer's
    objects, with None where ``compress_identical_objects`` merged one away."""
    writer = PdfWriter()
    assert isinstance(getattr(writer, "_objects", None), list), _broken("PdfWriter._objects")
    for _ in range(2):
        stream = ContentStream(None, writer)
        stream.set_data(b"0 0 m")
        writer.add_blank_page(100, 100)[pypdf.generic.NameObject("/Contents")] = writer._add_object(
            stream
        )
    before = _pypdf.count_objects(writer)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    assert _pypdf.count_objects(writer) == before - 1, _broken("PdfWriter._objects")


def test_zlib_limit_is_a_number_of_bytes() -> None:
    """This test ensures that ``pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH`` (named in
    LK130's message for decompression bombs) is still there and an integer."""
    from pypdf import filters

    value = getattr(filters, "ZLIB_MAX_OUTPUT_LENGTH", None)
    assert isinstance(value, int), _broken("pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH")
    assert value > 1_000_000, _broken("pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH (its size)")
    assert _pypdf.zlib_limit() == value


@pytest.mark.parametrize("outline", [False, True])
def test_the_writer_writes_what_splice_reads(outline: bool) -> None:
    """This test ensures that ``PdfWriter.write`` still writes a classic
    cross-reference table, objects of generation 0 and an /Info dictionary:
    the template of every letter is cut from it."""
    writer = PdfWriter()
    writer.add_blank_page(200, 300)
    writer.add_blank_page(200, 300)
    if outline:
        writer.add_outline_item(title="Letter", page_number=0)
        writer.set_page_label(0, 1, prefix="A-")
    data = _pypdf.write_classic(writer)
    assert b"\nxref\n" in data, _broken("PdfWriter.write (no classic xref table)")
    assert b"/ObjStm" not in data, _broken("PdfWriter.write (object streams)")
    try:
        parsed = splice.read(data, whole=True)
    except splice.SpliceError as exc:
        pytest.fail(_broken(f"PdfWriter.write's output ({exc})"))
    assert parsed.info is not None, _broken("PdfWriter.write (no /Info)")
    assert len(parsed.pages) == 2
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_object_stream_numbers_and_their_raw_bytes() -> None:
    """This test ensures that ``PdfReader.xref_objStm`` still maps the objects
    in object streams to their stream's number, and that ``StreamObject._data``
    still holds the stream's bytes undecoded (read by
    :mod:`letterkit.pdf.inflation` before pypdf inflates them)."""
    from ..hostile import annex_pdfs

    reader = PdfReader(io.BytesIO(annex_pdfs.page_object_streams(2, 1, b"x")))
    assert _pypdf.object_stream_numbers(reader) == [1000, 1001], _broken("PdfReader.xref_objStm")
    stream = reader.get_object(1000)
    assert isinstance(stream, StreamObject)
    raw = _pypdf.raw_data(stream)
    assert raw[:2] == b"\x78\xda", _broken("StreamObject._data")
    assert len(stream.get_data()) > len(raw), _broken("StreamObject._data")


def test_xref_entries_and_their_limit() -> None:
    """This test ensures that ``PdfReader.xref`` and ``xref_objStm`` still
    list a file's objects, and that pypdf's refusal of more cross-reference
    stream entries than ``xref_stream_maximum_entries`` still says so."""
    from ..hostile import annex_pdfs

    data = annex_pdfs.page_object_streams(2, 1, b"x")
    reader = PdfReader(io.BytesIO(data))
    assert _pypdf.xref_entries(reader) == 7, _broken("PdfReader.xref or xref_objStm")
    with pytest.raises((LimitReachedError, PdfReadError)) as refused:
        PdfReader(io.BytesIO(data), xref_stream_maximum_entries=3)
    assert _pypdf.is_xref_entries_limit(refused.value), _broken("LimitReachedError's text")
