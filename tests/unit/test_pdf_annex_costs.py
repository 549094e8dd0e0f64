"""Annex costs, in process: stamping leaves a page's own content alone, a
shared annotation array is copied once, repair runs within its limits,
whatever a parser raises becomes a problem naming the annex."""

from __future__ import annotations

import io
import signal
import time
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from letterkit.model import Annex
from letterkit.pdf import annexes, annots, opening, repair, stamp, subsets
from letterkit.pdf._pypdf import add_object
from letterkit.typeset.generated import AnnexError
from letterkit.typeset.styles import Styles, make_styles

from ..hostile import annex_pdfs


def _styles() -> Styles:
    return make_styles()


def _shared_page_writer(pages: int) -> tuple[PdfWriter, StreamObject, DictionaryObject]:
    """A writer whose pages share one content stream (undecodable on purpose:
    stamping must leave it as it is, and count the page as all marks) and one
    resources dictionary."""
    writer = PdfWriter()
    raw = StreamObject()
    raw[NameObject("/Filter")] = NameObject("/FlateDecode")
    raw._data = b"not flate data at all"  # an encoded stream, written as is
    ref = add_object(writer, raw)
    resources = DictionaryObject({NameObject("/XObject"): DictionaryObject()})
    resources_ref = add_object(writer, resources)
    for _ in range(pages):
        page = writer.add_blank_page(200, 300)
        page[NameObject("/Contents")] = ref
        page[NameObject("/Resources")] = resources_ref
    return writer, raw, resources


def test_stamping_brackets_the_page_content_without_changing_it() -> None:
    """This test ensures that a stamp wraps the page's own (shared, even
    undecodable) content stream without changing it, and that pages sharing
    resources each get their own stamp under a free name. Content that cannot
    be read leaves no room for the stamp: each page gets a strip, and its own
    content is clipped to the box it showed, the stamp drawn before it."""
    writer, raw, resources = _shared_page_writer(3)
    resources["/XObject"][NameObject("/LKStamp")] = DictionaryObject()  # the name is taken
    stamps = [
        stamp.Stamp(page, f"Annex 1 – page {n} of 3") for n, page in enumerate(writer.pages, 1)
    ]
    assert stamp.apply(stamps, _styles(), writer) == [1, 2, 3]
    assert raw._data == b"not flate data at all"
    assert list(resources["/XObject"]) == ["/LKStamp"]  # the shared dictionary is unchanged
    forms = set()
    arrays = {page.raw_get("/Contents").idnum for page in writer.pages}
    assert len(arrays) == 1  # the same streams: one array, written once
    for page in writer.pages:
        contents = page["/Contents"]
        assert isinstance(contents, ArrayObject)
        assert len(contents) == 3
        assert contents[1].get_object() is raw
        # The stamp first (in its strip, outside the clip): a viewer that stops at
        # the unreadable stream has drawn it already; then the content, clipped.
        assert contents[0].get_object().get_data() == (
            b"q /LKStamp1 Do Q\nq\n0.0000 0.0000 200.0000 300.0000 re W n\n"
        )
        assert page.cropbox.bottom < 0  # the strip below the page
        assert contents[2].get_object().get_data() == b"\nQ \n"
        form = page["/Resources"]["/XObject"]["/LKStamp1"]
        assert form["/Subtype"] == "/Form"
        forms.add(form.indirect_reference.idnum)
    assert len(forms) == 3
    data = io.BytesIO()
    writer.write(data)
    texts = [p.extract_text() for p in PdfReader(data).pages]
    assert [f"Annex 1\u00a0– page {n} of 3" in t for n, t in enumerate(texts, 1)] == [True] * 3


def test_stamp_on_a_page_with_a_contents_array_and_none() -> None:
    writer = PdfWriter()
    bare = writer.add_blank_page(200, 300)
    listed = writer.add_blank_page(200, 300)
    parts = []
    for ops in (b"0 0 m", b"10 10 l S"):
        part = DecodedStreamObject()
        part.set_data(ops)
        parts.append(add_object(writer, part))
    listed[NameObject("/Contents")] = ArrayObject(parts)
    stamps = [
        stamp.Stamp(bare, "Annex 2 – page 1 of 2"),
        stamp.Stamp(listed, "Annex 2 – page 2 of 2"),
    ]
    stamp.apply(stamps, _styles(), writer)
    assert len(bare["/Contents"]) == 2
    assert list(listed["/Contents"])[1:3] == parts


def test_stamping_refuses_to_copy_huge_shared_resources() -> None:
    writer, _raw, resources = _shared_page_writer(3)
    forms = resources["/XObject"]
    for n in range(stamp.COPY_MAX // 3 + 1):
        forms[NameObject(f"/X{n}")] = DictionaryObject()
    stamps = [stamp.Stamp(page, "Annex 1") for page in writer.pages]
    with pytest.raises(stamp.StampCost, match="set 'stamp: false'"):
        stamp.apply(stamps, _styles(), writer)


def test_shared_annotation_array_is_copied_once() -> None:
    reader = PdfReader(io.BytesIO(annex_pdfs.shared_annots(pages=40, annots=9)))
    source = reader.pages[5].raw_get("/Annots")
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    annots.append(writer, reader, list(range(2, 40)), import_outline=True)
    arrays = {id(p.raw_get("/Annots")) for p in writer.pages[1:]}
    refs = {p.raw_get("/Annots").idnum for p in writer.pages[1:]}
    assert len(refs) == 1
    assert len(arrays) <= 38
    shared = writer.pages[1]["/Annots"]
    # Links to the first source page, which is not taken, are dropped, as pypdf does.
    assert len(shared) == 6
    assert reader.pages[5].raw_get("/Annots") is source  # the source is left as it was


def test_shared_annotation_links_point_at_the_copied_page() -> None:
    reader = PdfReader(io.BytesIO(annex_pdfs.shared_annots(pages=30, annots=6)))
    writer = PdfWriter()
    annots.append(writer, reader, list(range(30)))
    shared = writer.pages[0]["/Annots"]
    assert len(shared) == 6
    links = [a.get_object() for a in shared if "/Dest" in a.get_object()]
    assert links
    assert all(a["/Dest"][0].idnum == writer.pages[0].indirect_reference.idnum for a in links)
    assert {p.raw_get("/Annots").idnum for p in writer.pages} == {
        writer.pages[0].raw_get("/Annots").idnum
    }


def test_repair_rebuilds_a_truncated_file_in_a_child(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(annex_pdfs.shared_content(pages=3, megabytes=1, damaged=True))
    data = repair.rebuild(path, "")
    assert len(PdfReader(io.BytesIO(data)).pages) == 3


def test_repair_passes_the_password_on_stdin(tmp_path: Path) -> None:
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(annex_pdfs.shared_content(pages=2, megabytes=1))
    with pikepdf.open(whole) as pdf:
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(user="s3cret", owner="o"))
    locked = (tmp_path / "locked.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(annex_pdfs.truncated(locked))
    assert len(PdfReader(io.BytesIO(repair.rebuild(path, "s3cret"))).pages) == 2
    with pytest.raises(
        AnnexError, match="needs a password, or the one given is wrong; give the right one"
    ):
        repair.rebuild(path, "wrong")


def test_repair_bomb_is_refused_within_the_limits(tmp_path: Path) -> None:
    """A truncated file whose catalogue is in a 1.5 GB object stream: qpdf
    would read it all. The child's limits end it, quickly, without naming
    the absolute path."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(annex_pdfs.truncated(annex_pdfs.objstm_bomb(1536)))
    start = time.monotonic()
    with pytest.raises(AnnexError) as caught:
        repair.rebuild(path, "")
    assert time.monotonic() - start < 30
    assert "passes the limits of 256 MB and 20 s (out of memory" in str(caught.value)
    assert str(tmp_path) not in str(caught.value)


def test_repair_limits_are_told() -> None:
    cap = repair.largest(1_000_000)
    assert "takes longer than 20 s" in repair._why(-signal.SIGXCPU, "", cap)
    assert "over 18 MB" in repair._why(-signal.SIGXFSZ, "", cap)
    assert "256 MB and 20 s" in repair._why(0, "limit memory", cap)
    assert "256 MB and 20 s" in repair._why(-signal.SIGABRT, "", cap)
    assert "(bad xref)" in repair._why(0, "damaged bad xref", cap)


def test_any_parser_error_is_a_problem_naming_the_annex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever pypdf raises on a file (here an IndexError) sends it to repair,
    and what repair cannot mend is LK130 with the annex's name."""
    path = tmp_path / "odd.pdf"
    path.write_bytes(annex_pdfs.shared_content(pages=2, megabytes=1))

    def explode(*args: object, **kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(opening, "PdfReader", explode)
    with pytest.raises(AnnexError, match="damaged beyond repair") as caught:
        annexes._open_pdf(path, Annex(path=path))
    assert "IndexError" not in str(caught.value)
    assert "list index" not in str(caught.value)


def test_object_stream_bomb_is_refused_before_any_repair(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(annex_pdfs.objstm_bomb(100))
    with pytest.raises(AnnexError, match="inflates beyond 75 MB"):
        annexes._open_pdf(path, Annex(path=path))


def test_font_programs_inflate_within_a_bound() -> None:
    import zlib

    small = zlib.compress(b"font" * 1000)
    assert subsets._inflate(small) == b"font" * 1000
    packer = zlib.compressobj(9)
    block = b"\0" * (1 << 20)
    bomb = b"".join(packer.compress(block) for _ in range(40)) + packer.flush()
    assert subsets._inflate(bomb) is None


def test_a_page_selection_counts_against_the_page_limit() -> None:
    assert annexes.parse_ranges("1-3,7,1", 10) == [0, 1, 2, 6, 0]
    with pytest.raises(ValueError, match="selects more than 5,000 pages"):
        annexes.parse_ranges(",".join(["1"] * 200_000), 10)
    with pytest.raises(ValueError, match="selects more than 5,000 pages"):
        annexes.parse_ranges(",".join(["1-10"] * 501), 10)
