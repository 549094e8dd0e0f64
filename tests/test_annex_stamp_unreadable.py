"""Annex pages whose content cannot be read: the stamp, in its strip, is
drawn before the page's own content, so a viewer that stops at a stream it
cannot decode has drawn the stamp already; pages that read well keep the
stamp after their content."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfStreamError
from pypdf.generic import DecodedStreamObject, NameObject

import letterkit
from letterkit.model import Annex
from letterkit.pdf._pypdf import add_object

from .conftest import EXAMPLE
from .hostile.pdfs import make_pdf

pdfium = pytest.importorskip("pypdfium2")

#: Run-length data with no end marker that decodes to a string left open: the
#: page's marks cannot be read, and pdfium takes every stream after it (the
#: stamp's, when it comes last) as part of that string, drawing none of it.
BAD_RUNS = b"\x09q 0 g (abc"
LABEL = "Annex 1\u00a0– page 1 of 1"


def _annex(content: bytes, stream: bytes = b"") -> bytes:
    """A one-page A4 annex with *content* as its one content stream."""
    return make_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            4: b"<< /Length %d %s >>\nstream\n" % (len(content), stream) + content + b"\nendstream",
            5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        }
    )


def _build(tmp_path: Path, pdf: bytes) -> letterkit.BuildResult:
    path = tmp_path / "annex.pdf"
    path.write_bytes(pdf)
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return letterkit.build(replace(base, annexes=(Annex(path=path, title="Scan"),)))


def _last_page(pdf: bytes) -> Image.Image:
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        return doc[len(doc) - 1].render(scale=1).to_pil().convert("L")
    finally:
        doc.close()


def _dark_pixels(image: Image.Image) -> int:
    return sum(1 for v in image.tobytes() if v < 128)


def _contents(pdf: bytes) -> list[bytes]:
    """The last page's content streams as stored, in drawing order."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        contents = doc.pages[-1].obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        return [bytes(s.read_raw_bytes()) for s in streams]


def test_stamp_on_a_page_whose_content_cannot_be_decoded_is_drawn(tmp_path: Path) -> None:
    """This test ensures that a page whose content stream cannot be decoded
    shows its stamp, in the strip below the page's own area, in pdfium (which
    stops at the broken stream), and that pypdf reads the stamp's text."""
    pdf = _annex(BAD_RUNS, b"/Filter /RunLengthDecode")
    result = _build(tmp_path, pdf)
    assert [p.code for p in result.warnings if p.code == "LK133"] == ["LK133"]

    image = _last_page(result.pdf)
    assert image.size[1] > 842  # the strip was added at the foot
    strip = image.crop((0, 842, image.size[0], image.size[1]))
    assert _dark_pixels(strip) > 50, "no stamp drawn in the strip"

    streams = _contents(result.pdf)
    assert streams[0].startswith(b"q /LKStamp Do Q")
    assert BAD_RUNS in streams  # the page's own stream, carried as it was
    assert streams.index(BAD_RUNS) > 0

    # pypdf stops at the page's broken string too; the form the page draws
    # first, drawn alone with the page's resources, reads as the stamp.
    page = PdfReader(io.BytesIO(result.pdf)).pages[-1]
    with pytest.raises(PdfStreamError):
        page.extract_text()
    assert LABEL in _first_stream_text(page, streams[0])


def _first_stream_text(page: PageObject, first: bytes) -> str:
    """The text pypdf extracts from *page* drawing only its *first* stream."""
    writer = PdfWriter()
    alone = writer.add_page(page)
    stream = DecodedStreamObject()
    stream.set_data(first)
    alone[NameObject("/Contents")] = add_object(writer, stream)
    return alone.extract_text()


def test_a_readable_page_keeps_its_stamp_after_its_content(tmp_path: Path) -> None:
    """This test ensures that a page whose content reads well is stamped as
    before: its own content first, the stamp drawn last."""
    result = _build(tmp_path, _annex(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"))
    streams = _contents(result.pdf)
    assert streams[0] == b"q\n"
    assert streams[-1].endswith(b"/LKStamp Do\n")
