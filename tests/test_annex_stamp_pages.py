"""Annex pages that are awkward to stamp: content pypdf cannot decode, pages of
no size or a few points, annotation arrays holding what is no annotation,
and colours that only look white. Each is carried, its stamp where it hides
nothing, read back from the letter's PDF."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from PIL import ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
)

import letterkit
from letterkit.model import Annex
from letterkit.pdf import annots, placing
from letterkit.pdf._pypdf import add_object
from letterkit.pdf.marks import page_marks
from letterkit.typeset.styles import make_styles

from .conftest import EXAMPLE
from .hostile.pdfs import make_pdf
from .test_annex_stamp import MM, _check_page, _render, _stamped

pdfium = pytest.importorskip("pypdfium2")

#: LZW codes a decoder cannot follow, nine bits each: clear the table, then
#: codes 300 and 301, which name entries that do not exist yet, then the end
#: (pypdf raises; other readers draw what they can).
BAD_LZW = bytes.fromhex("804b25b010")
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(
    content: bytes, *, media: bytes = b"[0 0 595 842]", stream: bytes = b"", page: bytes = b""
) -> bytes:
    """A one-page PDF: *content* as its stream (with *stream* in the stream's
    dictionary), *page* added to the page's dictionary; objects 6 and 7 are
    annotations a test may point at."""
    return make_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> %s >>" % (media, page),
            4: b"<< /Length %d %s >>\nstream\n" % (len(content), stream) + content + b"\nendstream",
            5: HELVETICA,
            6: b"<< /Type /Annot /Subtype /Square /Rect [100 600 200 700] /C [1 0 0] >>",
            7: b"<< /Type /Annot /Subtype /Text /Rect [300 600 320 620] /Contents (Note) >>",
        }
    )


def _letter(tmp_path: Path, pdf: bytes) -> tuple[letterkit.BuildResult, bytes]:
    """The example letter with *pdf* as its one annex: the result and the annex's bytes."""
    path = tmp_path / "annex.pdf"
    path.write_bytes(pdf)
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return letterkit.build(replace(base, annexes=(Annex(path=path, title="Scan"),))), pdf


def _letter_pages() -> int:
    """The pages of the example letter without annexes."""
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return len(PdfReader(io.BytesIO(letterkit.build(replace(base, annexes=())).pdf)).pages)


def _text_points(page: object) -> list[tuple[str, float, float]]:
    """Each text run pypdf extracts from *page*, with where it starts (user space)."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


def test_an_lzw_stream_pypdf_cannot_decode_is_carried_and_stamped(tmp_path: Path) -> None:
    """This test ensures that a page whose content stream pypdf cannot decode
    is carried with that stream's bytes as they were, and stamped in a strip."""
    pdf = _page(BAD_LZW, stream=b"/Filter /LZWDecode")
    source = PdfReader(io.BytesIO(pdf))
    with pytest.raises(Exception, match="LZW"):
        source.pages[0].get_contents().get_data()  # type: ignore[union-attr]
    assert page_marks(source.pages[0]) is None

    result, _ = _letter(tmp_path, pdf)
    out = PdfReader(io.BytesIO(result.pdf))
    assert len(out.pages) == _letter_pages() + 1
    assert [p.code for p in result.warnings if p.code == "LK133"] == ["LK133"]
    # pypdf cannot read the page's text (its stream again); a viewer reads the stamp.
    doc = pdfium.PdfDocument(result.pdf)
    try:
        text = doc[len(doc) - 1].get_textpage()
        shown = text.get_text_range(0, text.count_chars())
    finally:
        doc.close()
    assert "Annex 1\u00a0– page 1 of 1" in shown
    form = out.pages[-1]["/Resources"]["/XObject"]["/LKStamp"].get_object()
    assert form.get_data()
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        contents = doc.pages[-1].obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        carried = [s for s in streams if s.get("/Filter") == pikepdf.Name.LZWDecode]
        assert len(carried) == 1
        assert carried[0].read_raw_bytes() == BAD_LZW


@pytest.mark.parametrize(
    ("media", "shown"),
    [(b"[0 0 0 0]", (612.0, 792.0)), (b"[0 0 90 34]", (90.0, 34.0))],
    ids=["zero", "90x34"],
)
def test_a_page_of_no_size_or_a_few_points_gets_its_stamp_in_a_strip(
    tmp_path: Path, media: bytes, shown: tuple[float, float]
) -> None:
    """This test ensures that a page of no size (shown as a Letter page) or of
    90 x 34 pt keeps its content as shown and gets its stamp, one line that
    fits the page's width, in a strip added below it."""
    content = b"0.2 g 0 0 90 34 re f BT /F1 8 Tf 1 g 4 12 Td (Receipt 12.50) Tj ET"
    result, pdf = _letter(tmp_path, _page(content, media=media))
    out = PdfReader(io.BytesIO(result.pdf))
    page = out.pages[-1]
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    assert (x0, x1, y1) == (0, shown[0], shown[1])
    assert y0 < 0, "the strip adds height at the foot"
    assert [p.code for p in result.warnings if p.code == "LK133"] == ["LK133"]

    stamp = [(t, x, y) for t, x, y in _text_points(page) if "1" in t and "Receipt" not in t]
    assert len(stamp) == 1, _text_points(page)
    text, x, y = stamp[0]
    assert text == ("A1-1/1" if shown[0] < 100 else "Annex 1\u00a0– page 1 of 1")
    assert y0 + 8 * MM - 1 <= y < 0, "the stamp's text sits in the strip, 8 mm from its foot"
    assert 8 * MM - 1 <= x < shown[0] / 2

    (before,) = _render(pdf)
    after = _render(result.pdf)[-1]
    assert before.size == (round(shown[0]), round(shown[1]))
    w, h = before.size
    assert after.size[0] == w
    assert after.size[1] > h
    assert ImageChops.difference(before, after.crop((0, 0, w, h))).getbbox() is None
    label = ImageChops.invert(after.crop((0, h, w, after.size[1]))).getbbox()
    assert label is not None
    edge = 8 * MM - 2
    assert min(label[0], w - label[2], after.size[1] - h - label[3]) >= edge, label


def test_a_page_narrower_than_the_short_wording_gets_a_wider_strip(tmp_path: Path) -> None:
    """This test ensures that a page too narrow even for the short wording
    between its margins gets a strip wider than itself, by as much on either side."""
    result, pdf = _letter(tmp_path, _page(b"0 g 0 0 20 300 re f", media=b"[0 0 20 300]"))
    page = PdfReader(io.BytesIO(result.pdf)).pages[-1]
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    assert x0 < 0 < 20 < x1
    assert abs(x0 + (x1 - 20)) <= 1
    assert (y1, y0 < 0) == (300, True)
    assert "A1-1/1" in page.extract_text()
    (before,) = _render(pdf)
    after = _render(result.pdf)[-1]
    left = round(-x0)
    area = after.crop((left, 0, left + 20, 300))
    assert ImageChops.difference(before, area).getbbox() is None


def test_the_wording_fits_the_room_it_has() -> None:
    """This test ensures that a label is one line: the full words while they
    fit, then smaller text, then the short wording."""
    styles = make_styles()
    page = PdfWriter().add_blank_page(100, 100)
    stamp = placing.Stamp(page, "Annex 1 – page 12 of 12", "A1-12/12")
    assert placing.wording(stamp, styles, 500) == ("Annex 1 – page 12 of 12", 7.5)
    text, size = placing.wording(stamp, styles, 80)
    assert (text, size < 7.5) == ("Annex 1 – page 12 of 12", True)
    assert placing.wording(stamp, styles, 45)[0] == "A1-12/12"
    assert placing.wording(stamp, styles, 5) == ("A1-12/12", 5.5)


@pytest.mark.parametrize(
    ("annots", "kept"),
    [
        (b"/Annots [null 6 0 R 99 0 R (x) 42 /Name 7 0 R]", ["/Square", "/Text"]),
        (b"/Annots null", []),
        (b"/Annots 6 0 R", []),
        (b"/Annots 42", []),
        (b"/Annots [null]", []),
    ],
    ids=["null-entries", "null", "a-dictionary", "a-number", "only-null"],
)
def test_annotations_that_are_none_are_dropped(
    tmp_path: Path, annots: bytes, kept: list[str]
) -> None:
    """This test ensures that a page whose /Annots holds null (or is null, or
    no array) is carried with its real annotations and without the rest."""
    result, _ = _letter(tmp_path, _page(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET", page=annots))
    assert not [p for p in result.warnings if p.severity == "error"]
    page = PdfReader(io.BytesIO(result.pdf)).pages[-1]
    assert "Hello" in page.extract_text()
    subtypes = [a.get_object()["/Subtype"] for a in page.get("/Annots") or []]
    assert subtypes == kept


def test_cleaning_a_shared_annotation_array_keeps_it_shared() -> None:
    """This test ensures that an annotation array several pages share is
    cleaned once, and stays one array."""
    writer = PdfWriter()
    square = add_object(writer, DictionaryObject({NameObject("/Subtype"): NameObject("/Square")}))
    shared = add_object(writer, ArrayObject([NullObject(), square, NumberObject(3)]))
    pages = [writer.add_blank_page(100, 100) for _ in range(3)]
    for page in pages:
        page[NameObject("/Annots")] = shared
    seen: set[int] = set()
    assert [annots.clean(page, seen) for page in pages] == [2, 0, 0]
    assert list(shared.get_object()) == [square]
    assert all(page.raw_get("/Annots") == shared for page in pages)


def _colours() -> bytes:
    """A page whose foot is taken, across its middle, by paint that only
    looks as if it might be white: red given as ``999999 0 0 rg``, a full
    tint of a spot colour (``1 scn``), black given as ``-5 g``; at its head,
    white given as ``999999 g`` over the left of a black band."""
    content = (
        b"999999 0 0 rg 60 20 160 50 re f\n"
        b"/Spot cs 1 scn 220 20 160 50 re f\n"
        b"-5 g 380 20 155 50 re f\n"
        b"0 g 60 800 190 15 re f 999999 g 60 800 190 15 re f\n"
    )
    spot = (
        b"[/Separation /Spot /DeviceGray << /FunctionType 2 /Domain [0 1] /C0 [1] /C1 [0] /N 1 >>]"
    )
    return make_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /ColorSpace << /Spot %s >> >> >>" % spot,
            4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        }
    )


def test_colours_beyond_their_range_and_spot_tints_are_marks() -> None:
    """This test ensures that the stamp never goes over paint given in values
    beyond the range or in a spot colour, and changes no pixel outside its label."""
    pdf = _colours()
    stamped, strips = _stamped(PdfReader(io.BytesIO(pdf)))
    assert strips == []
    (before,), (after,) = _render(pdf), _render(stamped)
    _check_page(before, after, False, "colours")
    box = ImageChops.difference(before, after).getbbox()
    assert box is not None
    assert box[3] < after.size[1] / 2, "the foot is taken: the stamp is at the head"
    assert box[0] > 250, "the band painted over in white is still a mark"


def test_a_transform_that_overflows_counts_as_marks_everywhere() -> None:
    """This test ensures that coordinates that are not numbers after a
    transform (NaN) count as marks all over, never as no mark."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 300)
    stream = DecodedStreamObject()
    big = b"1" + b"0" * 40  # ten of them overflow a float
    stream.set_data(b"%s 0 0 %s 0 0 cm " % (big, big) * 10 + b"0 0 m 1 1 l S")
    page[NameObject("/Contents")] = add_object(writer, stream)
    marks = page_marks(page)
    assert marks is not None
    assert any(m[0] <= 0 and m[2] >= 200 and m[1] <= 0 and m[3] >= 300 for m in marks)


@pytest.mark.parametrize(
    ("fields", "renamed"),
    [(b"/potato", []), (b"[6 0 R (x) 42 null 99 0 R]", ["annex1", "annex1.Name"]), (b"7", [])],
    ids=["a-name", "some-no-fields", "a-number"],
)
def test_form_fields_that_are_none_are_dropped(
    tmp_path: Path, fields: bytes, renamed: list[str]
) -> None:
    """This test ensures that a form whose /Fields is no array, or holds what
    is no field, is carried with its real fields renamed for the annex."""
    widget = (
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Name) /Rect [72 600 272 620] /P 3 0 R >>"
    )
    pdf = make_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields %s >> >>" % fields,
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>",
            4: b"<< /Length 36 >>\nstream\nBT /F1 12 Tf 72 720 Td (Form) Tj ET\nendstream",
            5: HELVETICA,
            6: widget,
            7: b"42",
        }
    )
    result, _ = _letter(tmp_path, pdf)
    out = PdfReader(io.BytesIO(result.pdf))
    assert len(out.pages) == _letter_pages() + 1
    assert "Form" in out.pages[-1].extract_text()
    assert [f for f in (out.get_fields() or {}) if f.startswith("annex")] == renamed


@pytest.mark.parametrize("crop", [b"[0 0 0 0]", b"[600 842 900 1000]"], ids=["empty", "outside"])
def test_a_crop_box_that_shows_nothing_is_replaced_by_the_media_box(
    tmp_path: Path, crop: bytes
) -> None:
    """This test ensures that a page whose crop box shows nothing of its media
    box (viewers disagree on what to show) is shown whole, stamped inside it."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    result, _ = _letter(tmp_path, _page(content, media=b"[0 0 595 842] /CropBox " + crop))
    page = PdfReader(io.BytesIO(result.pdf)).pages[-1]
    assert [float(v) for v in page.cropbox] == [0, 0, 595, 842]
    assert not [p for p in result.warnings if p.code == "LK133"]
    ((_text, x, y),) = [t for t in _text_points(page) if "Annex" in t[0]]
    assert 8 * MM - 1 <= y <= 60
    assert 8 * MM <= x < 595 / 2
    doc = pdfium.PdfDocument(result.pdf)
    try:
        last = doc[len(doc) - 1]
        assert last.get_size() == (595, 842)
        text = last.get_textpage()
        assert "Annex 1\u00a0– page 1 of 1" in text.get_text_range(0, text.count_chars())
    finally:
        doc.close()


@pytest.mark.parametrize(
    "content",
    [
        b"q 0.5 0 0 0.5 0 0 cm q 0 g 100 1200 200 200 re f",
        b"Q Q 2 0 0 2 0 0 cm 0 g 50 300 100 100 re f",
    ],
    ids=["left-open", "stray-Q"],
)
def test_a_page_with_unbalanced_q_and_Q_keeps_its_stamp_in_place(content: bytes) -> None:
    """This test ensures that a page that leaves a ``q`` open with a transform,
    or has a ``Q`` that restores nothing, neither moves nor scales its stamp,
    and is drawn as before."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = add_object(writer, stream)
    source = io.BytesIO()
    writer.write(source)
    pdf, strips = _stamped(PdfReader(source))
    assert strips == []
    (before,), (after,) = _render(source.getvalue()), _render(pdf)
    _check_page(before, after, False, "unbalanced")
    box = ImageChops.difference(before, after).getbbox()
    assert box is not None
    w, h = after.size
    assert box[3] > h - 20 * MM
    assert abs((box[0] + box[2]) / 2 - w / 2) < 3
    assert box[2] - box[0] < 120, "the label has its own size"
