"""The annex stamp: at least 8 mm from every edge, never over a mark of the
source page, and a strip (with a warning) where a page has no room."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject, RectangleObject

import letterkit
from letterkit.model import Annex
from letterkit.pdf import annexes, annots, stamp
from letterkit.pdf._pypdf import add_object
from letterkit.pdf.assemble import _detach_widgets
from letterkit.pdf.marks import page_marks
from letterkit.typeset.styles import make_styles

from .conftest import CORPUS, EXAMPLE

pdfium = pytest.importorskip("pypdfium2")

MM = 72 / 25.4
SCALE = 1.0  # pixels per point
MANIFEST = CORPUS / "MANIFEST.csv"
ROWS = (
    [
        row
        for row in csv.DictReader(io.StringIO(MANIFEST.read_text(encoding="utf-8")))
        if row["expect"] == "carry"
    ]
    if MANIFEST.exists()
    else []
)


def _render(pdf: bytes, password: str = "") -> list[Image.Image]:
    doc = pdfium.PdfDocument(io.BytesIO(pdf), password=password or None)
    try:
        return [doc[i].render(scale=SCALE).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def _copy(source: PdfReader) -> PdfWriter:
    """The annex's pages as the assembly carries them, not yet stamped."""
    seen: set[tuple[tuple[int, int], ...]] = set()
    for page in source.pages:
        _detach_widgets(page, seen)
    writer = PdfWriter()
    annots.append(writer, source, range(len(source.pages)))
    return writer


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamped(source: PdfReader) -> tuple[bytes, list[int]]:
    writer = _copy(source)
    count = len(writer.pages)
    stamps = [
        stamp.Stamp(page, f"Annex 12 – page {n} of {count}")
        for n, page in enumerate(writer.pages, start=1)
    ]
    strips = stamp.apply(stamps, make_styles(), writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), strips


def _changed(a: Image.Image, b: Image.Image) -> tuple[int, int, int, int] | None:
    """The box of pixels that differ by more than rendering noise."""
    box = ImageChops.difference(a, b).point(lambda v: 255 if v > 8 else 0).getbbox()
    return None if box is None else (box[0], box[1], box[2], box[3])


def _check_page(before: Image.Image, after: Image.Image, strip: bool, where: str) -> None:
    """The stamped rendering differs from the source only inside one label
    that keeps 8 mm from the edges, over what was blank in the source (or,
    with a strip, only below the source's area)."""
    w, h = before.size
    if strip:
        assert after.size[0] == w, where
        assert after.size[1] > h, where
        top = after.crop((0, 0, w, h))
        assert _changed(before, top) is None, where
        label = ImageChops.invert(after.crop((0, h, w, after.size[1]))).getbbox()
        assert label is not None, f"{where}: no stamp in the strip"
        assert after.size[1] - (h + label[3]) >= 8 * MM * SCALE - 2, where
        return
    assert after.size == before.size, where
    box = _changed(before, after)
    assert box is not None, f"{where}: no stamp"
    x0, y0, x1, y1 = box
    edge = 8 * MM * SCALE - 2
    assert min(x0, y0, w - x1, h - y1) >= edge, (where, box, (w, h))
    # One label: a line of 7.5 pt text on its padding (or two lines on a narrow page).
    assert min(x1 - x0, y1 - y0) <= 32 * SCALE, (where, box)
    # Never over a mark: what the label covers was blank in the source.
    covered = before.crop((max(x0 - 1, 0), max(y0 - 1, 0), min(x1 + 1, w), min(y1 + 1, h)))
    darkest = covered.getextrema()[0]
    assert isinstance(darkest, int)
    assert darkest >= 250, f"{where}: the stamp covers a mark at {box}"


@pytest.mark.parametrize("size", [(595.28, 841.89), (612, 792)], ids=["A4", "Letter"])
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_stamp_keeps_8_mm_from_every_edge(size: tuple[float, float], rotation: int) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(*size)
    page.rotation = rotation
    source = io.BytesIO()
    writer.write(source)
    pdf, strips = _stamped(PdfReader(source))
    assert strips == []
    (before,), (after,) = _render(source.getvalue()), _render(pdf)
    _check_page(before, after, False, f"{size} rotated {rotation}")
    # At the shown foot, centred.
    box = ImageChops.difference(before, after).getbbox()
    w, h = after.size
    assert box is not None
    assert box[3] > h - 20 * MM
    assert abs((box[0] + box[2]) / 2 - w / 2) < 3


def test_stamp_with_an_offset_crop_box_keeps_inside_it() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(700, 900)
    page[NameObject("/MediaBox")] = RectangleObject((-50, -80, 650, 820))
    page.cropbox = RectangleObject((20, 30, 420, 600))
    source = io.BytesIO()
    writer.write(source)
    pdf, strips = _stamped(PdfReader(source))
    assert strips == []
    (before,), (after,) = _render(source.getvalue()), _render(pdf)
    _check_page(before, after, False, "offset crop box")


def _receipt(path: Path, *, full: bool) -> None:
    """A small page (a receipt) with its total at the middle of the foot and
    its number at the head's left, or covered by a full-bleed picture."""
    content = b"BT /F1 9 Tf 95 20 Td (12.50) Tj ET\n"
    content += b"BT /F1 9 Tf 12 250 Td (No. 4711) Tj ET\n"
    if full:
        content += b"0.8 g 0 0 226 283 re f\n"
    writer = PdfWriter()
    page = writer.add_blank_page(226, 283)  # 80 x 100 mm
    from pypdf.generic import DecodedStreamObject, DictionaryObject

    stream = DecodedStreamObject()
    stream.set_data(content)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Contents")] = add_object(writer, stream)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    writer.write(path)


def test_small_page_stamp_avoids_the_text(tmp_path: Path) -> None:
    _receipt(tmp_path / "receipt.pdf", full=False)
    source = (tmp_path / "receipt.pdf").read_bytes()
    pdf, strips = _stamped(PdfReader(io.BytesIO(source)))
    (before,), (after,) = _render(source), _render(pdf)
    assert strips == []
    _check_page(before, after, False, "receipt")
    # The foot's middle is taken: the stamp went to the head, right of the number.
    box = ImageChops.difference(before, after).getbbox()
    assert box is not None
    assert box[3] < after.size[1] / 2
    assert box[0] > 84


def test_full_page_gets_a_strip_and_a_warning(tmp_path: Path) -> None:
    _receipt(tmp_path / "scan.pdf", full=True)
    source = (tmp_path / "scan.pdf").read_bytes()
    pdf, strips = _stamped(PdfReader(io.BytesIO(source)))
    assert strips == [1]
    (before,), (after,) = _render(source), _render(pdf)
    _check_page(before, after, True, "full page")
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    letter = replace(base, annexes=(Annex(path=tmp_path / "scan.pdf", title="Receipt"),))
    result = letterkit.build(letter)
    strip_warnings = [p for p in result.warnings if p.code == "LK133"]
    assert len(strip_warnings) == 1
    assert "annex 1: page 1 had no blank room" in strip_warnings[0].message
    assert (
        "Annex 1\u00a0– page 1 of 1" in PdfReader(io.BytesIO(result.pdf)).pages[-1].extract_text()
    )
    # A page with room gets no warning.
    _receipt(tmp_path / "receipt.pdf", full=False)
    letter = replace(base, annexes=(Annex(path=tmp_path / "receipt.pdf", title="Receipt"),))
    assert not [p for p in letterkit.build(letter).warnings if p.code == "LK133"]


def test_unreadable_content_counts_as_all_marks() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 300)
    from pypdf.generic import StreamObject

    raw = StreamObject()
    raw[NameObject("/Filter")] = NameObject("/FlateDecode")
    raw._data = b"not flate data"
    page[NameObject("/Contents")] = add_object(writer, raw)
    assert page_marks(page) is None


@pytest.mark.slow
@pytest.mark.skipif(not ROWS, reason="the annex corpus is not here")
@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_every_corpus_page_is_stamped_only_where_it_was_blank(row: dict[str, str]) -> None:
    path = CORPUS / row["file"]
    password = row["user_password"]
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        reader.decrypt(password)
    try:
        pages = len(reader.pages)
    except Exception:
        pytest.skip("pypdf cannot read the page tree (the annex path repairs it first)")
    # The source as the assembly carries it (the same pages, before stamping).
    before = _render(_written(_copy(reader)))
    pdf, strips = _stamped(reader)
    after = _render(pdf)
    assert len(after) == pages == len(before)
    for n, (b, a) in enumerate(zip(before, after, strict=True), start=1):
        _check_page(b, a, n in strips, f"{row['file']} page {n}")


def test_a_page_too_large_to_read_counts_as_all_marks() -> None:
    from pypdf.generic import DecodedStreamObject

    from letterkit.pdf import marks

    writer = PdfWriter()
    page = writer.add_blank_page(200, 300)
    stream = DecodedStreamObject()
    stream.set_data(b"0 0 m 1 1 l S\n" * (marks.CONTENT_MAX // 14 + 10))
    page[NameObject("/Contents")] = add_object(writer, stream)
    assert page_marks(page) is None
    small = writer.add_blank_page(200, 300)
    stream = DecodedStreamObject()
    stream.set_data(b"10 10 m 20 30 l S\n")
    small[NameObject("/Contents")] = add_object(writer, stream)
    marked = page_marks(small)
    assert marked is not None
    assert len(marked) == 1
    x0, y0, x1, y1 = marked[0]
    assert max(x0, y0) <= 10
    assert min(x1 - 20, y1 - 30) >= 0
    assert max(x1 - x0 - 14, y1 - y0 - 24) < 0  # the line and its width, not the page


def test_a_small_stream_that_inflates_beyond_the_limit_is_not_inflated() -> None:
    """A few kilobytes of Flate that stand for megabytes of operators count as
    marks all over without being inflated whole (memory stays bounded)."""
    from unittest import mock

    from letterkit.pdf import contentsize, marks

    writer = PdfWriter()
    page = writer.add_blank_page(200, 300)
    stream = DecodedStreamObject()
    stream.set_data(b"0 0 m 1 1 l S\n" * (marks.CONTENT_MAX // 14 + 10))
    page[NameObject("/Contents")] = add_object(writer, stream.flate_encode())
    assert contentsize.stored(page) < marks.CONTENT_MAX // 100
    reader = PdfReader(io.BytesIO(_written(writer)))
    with mock.patch.object(PageObject, "get_contents") as inflate:
        assert page_marks(reader.pages[0]) is None
    inflate.assert_not_called()


def test_strip_warnings_name_pages_as_ranges() -> None:
    assert annexes.page_ranges([1, 2, 3, 7, 9, 10, 11]) == "1-3, 7, 9-11"
    assert annexes.page_ranges(list(range(1, 5001))) == "1-5000"
