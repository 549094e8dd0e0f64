"""Annexes open whatever qpdf can carry, as their makers meant them; a file that
cannot be carried is refused in one line that says what it is and why."""

from __future__ import annotations

import doctest
import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PdfReadError

import letterkit
from letterkit.model import Annex
from letterkit.pdf import suspect

from .conftest import EXAMPLE
from .hostile.pdfs import make_pdf, page_tree


def _build(path: Path) -> letterkit.Document:
    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return letterkit.build(replace(letter, annexes=(Annex(path=path, title="Annex"),)))


def _annex_pages(pdf: bytes) -> list[int]:
    labels = list(PdfReader(io.BytesIO(pdf)).page_labels)
    return [i for i, label in enumerate(labels) if label.startswith("A1-")]


def _refusal(path: Path) -> str:
    with pytest.raises(letterkit.ValidationError) as caught:
        _build(path)
    [problem] = caught.value.problems
    assert problem.code == "LK130"
    assert "\n" not in problem.message
    assert str(path.parent) not in problem.message
    return problem.message


def _text(content: bytes) -> dict[int, bytes]:
    objects = page_tree(1, content)
    objects[3] = objects[3].replace(b">>", b" /Resources << /Font << /F1 5 0 R >> >> >>")
    objects[5] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return objects


def test_a_file_without_a_header_is_rebuilt_by_qpdf(tmp_path: Path) -> None:
    """This test ensures that a PDF whose header was lost is carried, not called "not a PDF"."""
    pdf = make_pdf(_text(b"BT /F1 24 Tf 72 720 Td (Headless) Tj ET"))
    path = tmp_path / "headless.pdf"
    path.write_bytes(b"garbage\n" + pdf[len(b"%PDF-1.7") :])
    built = _build(path)
    [page] = _annex_pages(built.pdf)
    assert "Headless" in PdfReader(io.BytesIO(built.pdf)).pages[page].extract_text()
    assert any("no PDF header" in str(w) for w in built.warnings)


def _image_pdf(between: bytes) -> bytes:
    pixels = b"\xff\x00\x00" * 4
    objects = page_tree(1, b"q 200 0 0 200 100 400 cm /Im0 Do Q")
    objects[3] = objects[3].replace(b">>", b" /Resources << /XObject << /Im0 5 0 R >> >> >>")
    objects[5] = (
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length 12 >>" + between + b"stream\n" + pixels + b"\nendstream"
    )
    return make_pdf(objects)


def test_a_comment_before_stream_keeps_the_image(tmp_path: Path) -> None:
    """This test ensures that an image whose dictionary is followed by a comment keeps its data."""
    path = tmp_path / "comment.pdf"
    path.write_bytes(_image_pdf(b"\n% made by hand\n"))
    built = _build(path)
    [page] = _annex_pages(built.pdf)
    with pikepdf.open(io.BytesIO(built.pdf)) as out:
        image = out.pages[page].Resources.XObject.Im0
        assert isinstance(image, pikepdf.Stream)
        assert image.read_bytes() == b"\xff\x00\x00" * 4


def _gbk_plain() -> bytes:
    objects = _text(b"BT /F1 24 Tf 72 720 Td (Hei) Tj ET")
    objects[5] = b"<< /Type /Font /Subtype /TrueType /BaseFont /#BA#DA#CC#E5,Bold >>"
    return make_pdf(objects)


def _gbk_in_object_stream() -> bytes:
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(595, 842))
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=pikepdf.Object.parse(b"/#BA#DA#CC#E5,Bold"),
        )
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
        page.Contents = pdf.make_stream(b"BT /F1 24 Tf 72 720 Td (Hei) Tj ET")
        buffer = io.BytesIO()
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/ObjStm" in buffer.getvalue()
    return buffer.getvalue()


@pytest.mark.parametrize("make", [_gbk_plain, _gbk_in_object_stream])
def test_a_gbk_font_name_keeps_its_bytes(make: Callable[[], bytes], tmp_path: Path) -> None:
    """This test ensures that a font name written in GBK (黑体) reaches the output byte for byte."""
    path = tmp_path / "gbk.pdf"
    path.write_bytes(make())
    built = _build(path)
    [page] = _annex_pages(built.pdf)
    with pikepdf.open(path) as source, pikepdf.open(io.BytesIO(built.pdf)) as out:
        want = source.pages[0].Resources.Font.F1.BaseFont.unparse()
        got = out.pages[page].Resources.Font.F1.BaseFont.unparse()
    assert want == b"/#ba#da#cc#e5,Bold"
    assert got == want


def test_a_page_tree_100_deep_is_carried(tmp_path: Path) -> None:
    """This test ensures that a page tree nested 100 levels deep is carried with every page."""
    depth = 100
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for level in range(depth):
        number = 2 + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        kids = b"%d 0 R" % (number + 1) if level < depth - 1 else b"500 0 R 501 0 R"
        objects[number] = b"<< /Type /Pages /Kids [%s] /Count 2%s >>" % (kids, parent)
    for page in (500, 501):
        objects[page] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (depth + 1)
    path = tmp_path / "deep.pdf"
    path.write_bytes(make_pdf(objects))
    built = _build(path)
    assert len(_annex_pages(built.pdf)) == 2
    assert not any("decompression" in str(w) for w in built.warnings)


def test_an_incremental_update_shows_its_latest_revision(tmp_path: Path) -> None:
    """This test ensures that a later revision that deletes the page's content is what is carried."""
    base = make_pdf(_text(b"BT /F1 24 Tf 72 720 Td (Superseded) Tj ET"))
    first = int(base.rsplit(b"startxref\n", 1)[1].split()[0])
    update = (
        b"xref\n0 1\n0000000004 65535 f \n4 1\n0000000000 00001 f \n"
        b"trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
    )
    path = tmp_path / "updated.pdf"
    path.write_bytes(base + update % (first, len(base)))
    built = _build(path)
    [page] = _annex_pages(built.pdf)
    assert "Superseded" not in PdfReader(io.BytesIO(built.pdf)).pages[page].extract_text()


def test_pages_pypdf_cannot_copy_are_rebuilt(tmp_path: Path) -> None:
    """This test ensures that pages written inside the page tree (pypdf fails on them) are carried."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Count 2 /Kids [<< /Type /Page /MediaBox [0 0 595 842] >> "
        b"<< /Type /Page /MediaBox [0 0 842 595] >>] >>",
    }
    path = tmp_path / "direct.pdf"
    path.write_bytes(make_pdf(objects))
    built = _build(path)
    assert len(_annex_pages(built.pdf)) == 2
    [warning] = [str(w) for w in built.warnings if "LK131" in str(w)]
    assert "rebuilt with qpdf" in warning
    assert "Error" not in warning


def test_a_form_field_that_is_not_a_field_is_dropped_and_the_annex_carried(
    tmp_path: Path,
) -> None:
    """This test ensures that a form whose field list holds something that is not a
    field (pypdf trips over it, even in qpdf's copy) is carried without it."""
    objects = _text(b"")
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [(not a field)] >> >>"
    path = tmp_path / "form.pdf"
    path.write_bytes(make_pdf(objects))
    assert _annex_pages(_build(path).pdf) != []


def _zipped(*members: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return buffer.getvalue()


def _docx() -> bytes:
    """A Word document whose first 2 KB name no file under word/ (as Word writes them)."""
    types = "<Types>" + "<Default Extension='xml' ContentType='application/xml'/>" * 40 + "</Types>"
    made = _zipped(("[Content_Types].xml", types), ("word/document.xml", "<w:document/>"))
    assert b"word/" not in made[:2048]
    return made


def _odt() -> bytes:
    return _zipped(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>"))


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (_docx(), "is a Word (.docx) document, although its name ends in .pdf; save it as PDF"),
        (
            _odt(),
            "is a LibreOffice (.odt) document, although its name ends in .pdf; save it as PDF",
        ),
        (_zipped(("photo.jpg", "x")), "is a ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "is an old Word (.doc)"),
        (b"<!DOCTYPE html><html><body>Login</body></html>", "is an HTML page, although"),
        (b"{\\rtf1\\ansi Hello}", "is an RTF document"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "is a PNG image"),
        (b"\x1b[2J\x07\x00\x01\x02 evil", "(it starts with binary data, not text)"),
        (b"potato salad\n", "(it starts with “potato salad”)"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_named_in_one_line(
    tmp_path: Path, content: bytes, said: str
) -> None:
    """This test ensures that a non-PDF named .pdf is said to be what it is, safely, in one line."""
    path = tmp_path / "annex.pdf"
    path.write_bytes(content)
    message = _refusal(path)
    assert said in message
    assert all(ch.isprintable() for ch in message)


def test_check_says_the_same_line(tmp_path: Path) -> None:
    """This test ensures that `check` reports a non-PDF annex as `render` does."""
    path = tmp_path / "annex.pdf"
    path.write_bytes(_docx())
    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    problems = letterkit.check(replace(letter, annexes=(Annex(path=path, title="Annex"),)))
    assert [p.code for p in problems if p.severity == "error"] == ["LK130"]
    assert [p.message for p in problems if p.code == "LK130"] == [_refusal(path)]


def test_what_qpdf_says_is_pasted_without_paths_or_control_bytes(tmp_path: Path) -> None:
    """This test ensures that a repair failure names no absolute path and holds no control byte."""
    from letterkit.pdf.repair import _without_paths

    source = tmp_path / "annex.pdf"
    said = f"damaged {source} (offset 3): see /tmp/letterkit-repair-x/rebuilt.pdf \x1b[2Jok"
    line = _without_paths(said, source)
    assert line == "damaged the file (offset 3): see the file [2Jok"


@pytest.mark.parametrize(
    ("failure", "bomb", "said"),
    [
        (LimitReachedError("Limit reached while decompressing: 80000001 > 75000000"), True,
         "decompression bomb"),
        (LimitReachedError("Maximum page tree depth reached: 101 > 100."), False, "nest deeper"),
        (LimitReachedError("Color value 40 exceeds limit of 16. "), False, "larger values"),
        (LimitReachedError("Detected cycle in /Pages hierarchy when retrieving page."), False,
         "in a loop"),
        (AssertionError(), False, "structure is broken"),
        (TypeError("'>=' not supported between instances of 'TextStringObject' and 'int'"), False,
         "structure is broken"),
        (PdfReadError("Unable to find 'endstream' marker for obj starting at 341."), False,
         "unable to find 'endstream' marker for obj starting at 341"),
    ],
)  # fmt: skip
def test_a_parser_failure_is_told_in_words(failure: Exception, bomb: bool, said: str) -> None:
    """This test ensures that only an inflation limit is called a bomb, and no Python text shows."""
    assert suspect.is_bomb(failure) is bomb
    words = suspect.reason(failure)
    assert said in words
    assert "Error" not in words
    assert "TextStringObject" not in words


def test_the_examples_in_the_sniffing_docstrings_hold() -> None:
    """This test ensures that the doctests of letterkit.pdf.suspect pass."""
    result = doctest.testmod(suspect)
    assert result.attempted >= 3
    assert result.failed == 0


def test_a_file_without_pages_says_so(tmp_path: Path) -> None:
    """This test ensures that an empty page tree is refused as such, in one line."""
    path = tmp_path / "empty.pdf"
    path.write_bytes(
        make_pdf(
            {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
        )
    )
    assert "has no pages (its list of pages is empty" in _refusal(path)


def test_a_rebuilt_file_with_damaged_xmp_metadata_is_carried(tmp_path: Path) -> None:
    """This test ensures that qpdf's rebuild leaves damaged XMP metadata as it is instead of failing."""
    xmp = b"not deflated at all"  # /FlateDecode data that cannot be inflated
    objects = _text(b"BT /F1 24 Tf 72 720 Td (Kept) Tj ET")
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>"
    objects[6] = (
        b"<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n" % len(xmp)
        + xmp
        + b"\nendstream"
    )
    pdf = make_pdf(objects)
    path = tmp_path / "xmp.pdf"
    path.write_bytes(b"garbage\n" + pdf[len(b"%PDF-1.7") :])
    built = _build(path)
    [page] = _annex_pages(built.pdf)
    assert "Kept" in PdfReader(io.BytesIO(built.pdf)).pages[page].extract_text()


def test_a_number_of_a_hundred_thousand_digits_is_rounded_in_the_copy(tmp_path: Path) -> None:
    """This test ensures that a file with a real number longer than any reader
    takes (``/Pi`` to 100,000 digits in the page's resources, as in a real test
    file of pdf.js) is carried through qpdf's copy, with its text, not refused."""
    objects = _text(b"BT /F1 24 Tf 72 720 Td (Long number) Tj ET")
    objects[3] = objects[3].replace(b"/Resources <<", b"/Resources << /Pi 3." + b"1" * 100_000)
    path = tmp_path / "pi.pdf"
    path.write_bytes(make_pdf(objects))
    built = _build(path)
    [page] = _annex_pages(built.pdf)
    assert "Long number" in PdfReader(io.BytesIO(built.pdf)).pages[page].extract_text()
    assert any("LK131" in str(w) and "rebuilt with qpdf" in str(w) for w in built.warnings)
