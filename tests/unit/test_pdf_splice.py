"""Joining a letter's own part, its shared part and the template, as objects."""

from __future__ import annotations

import base64
import io
import zlib

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from letterkit.errors import LetterkitError
from letterkit.pdf import _pypdf, splice
from letterkit.pdf.parts import Obj
from letterkit.pdf.subsets import name_subsets, subset_tag
from letterkit.pdf.syntax import Dict
from letterkit.typeset import fonts

SIZE = (300.0, 400.0)


def _part(lines: list[str], *, link: bool = False) -> bytes:
    """A ReportLab document: one page per line of text."""
    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=SIZE, invariant=1, initialFontName=fonts.SERIF)
    for line in lines:
        canvas.setFont(fonts.SERIF, 12)
        canvas.drawString(20, 300, line)
        if link:
            canvas.linkURL("https://example.org/(1 0 R)", (20, 290, 120, 310))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _base(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*SIZE)
    return _pypdf.write_classic(writer)


def _join(own: list[str], shared: list[str] | None) -> bytes:
    part = None
    if shared is not None:
        part = splice.read(_part(shared, link=True))
        name_subsets(part)
    tmpl = splice.template(_base(len(own)), len(own), part)
    mine = splice.read(_part(own))
    name_subsets(mine)
    return splice.join(tmpl, mine, b"<< /Title (Joined) >>")


def _texts(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_a_joined_page_draws_the_own_part_then_the_shared_one() -> None:
    """This test ensures that each joined page shows its own text, then the
    shared page's, and that the file is sound for qpdf."""
    pdf = _join(["Dear Anna", "To Anna"], ["Body one", "Body two"])
    assert _texts(pdf) == ["Dear Anna Body one", "To Anna Body two"]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        # pikepdf 10 names it check_pdf_syntax, pikepdf 9 check.
        check = getattr(doc, "check_pdf_syntax", None) or getattr(doc, "check")  # noqa: B009
        assert check() == []
        assert str(doc.docinfo["/Title"]) == "Joined"
        link = doc.pages[0].Annots[0]
        assert str(link.A.URI) == "https://example.org/(1 0 R)"


def test_without_a_shared_part_the_own_pages_stand_alone() -> None:
    """This test ensures that a letter laid out whole keeps its pages as they are."""
    pdf = _join(["Only page"], None)
    assert _texts(pdf) == ["Only page"]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert "/XObject" not in doc.pages[0].Resources


def test_the_same_inputs_give_the_same_bytes() -> None:
    """This test ensures that joining is deterministic."""
    assert _join(["A"], ["B"]) == _join(["A"], ["B"])


def test_subsets_are_named_after_their_content() -> None:
    """This test ensures that ReportLab's per-document tags (AAAAAA+) become tags
    made from the font program: equal subsets get equal names, and each font's
    /BaseFont matches its descriptor's /FontName."""

    def names(pdf: bytes) -> list[tuple[str, str]]:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            table = doc.pages[0].Resources.Font
            fonts_ = [table[key] for key in table.keys()]  # noqa: SIM118 (pikepdf 9: no values())
            return [(str(f.BaseFont), str(f.FontDescriptor.FontName)) for f in fonts_]

    first = names(_join(["Same text"], None))
    second = names(_join(["Same text"], None))
    other = names(_join(["Привет, Анна"], None))  # a second subset: Cyrillic
    assert first == second
    assert all(base == name and not base.startswith("/AAAA") for base, name in first + other)
    assert len({base for base, _ in first + other}) == 2


def test_parts_that_disagree_on_pages_are_refused() -> None:
    """This test ensures that a shared part with another page count is refused
    with a LetterkitError saying so."""
    part = splice.read(_part(["one", "two"]))
    with pytest.raises(splice.SpliceError, match="disagree on pages") as caught:
        splice.template(_base(1), 1, part)
    assert isinstance(caught.value, LetterkitError)


def test_a_pdf_with_object_streams_is_read() -> None:
    """This test ensures that the reader reads a file whose objects sit in
    object streams behind a cross-reference stream, as qpdf writes it (PNG
    predictor, its own field widths): the same pages and page objects as
    the classic file it was made from."""
    classic = _part(["one", "two"])
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(classic)) as doc:
        doc.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    packed = buffer.getvalue()
    assert b"/ObjStm" in packed
    assert b"\nxref" not in packed
    parsed = splice.read(packed)
    assert len(parsed.pages) == 2
    for number in parsed.pages:
        assert parsed.dict(number, "a page").get(b"/Type") == b"/Page"
    assert len(parsed.objects) == len(splice.read(classic).objects)


def test_an_updated_pdf_is_refused() -> None:
    """This test ensures that the reader refuses a cross-reference stream that
    continues an earlier section (an updated file) instead of misreading it."""
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(_part(["one"]))) as doc:
        doc.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    packed = buffer.getvalue().replace(b"/Type /XRef", b"/Prev 9 /Type /XRef", 1)
    with pytest.raises(splice.SpliceError, match="updated file"):
        splice.read(packed)


def test_a_letter_is_written_with_object_streams() -> None:
    """This test ensures that a joined letter keeps its small objects in
    object streams behind a compressed cross-reference stream (PDF 1.5),
    that qpdf and the reader of the parts read it back, and that the
    reader finds the same letter pages and information."""
    pdf = _join(["Dear Anna", "To Anna"], ["Body one", "Body two"])
    assert pdf.startswith(b"%PDF-1.5")
    assert b"/Type /ObjStm" in pdf
    assert b"/Type /XRef" in pdf
    assert b"\nxref\n" not in pdf
    assert b"trailer" not in pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        kinds = {str(o.get("/Type")) for o in doc.objects if isinstance(o, pikepdf.Stream)}
        assert {"/ObjStm", "/XRef"} <= kinds
    parsed = splice.read(pdf, whole=True)
    assert len(parsed.pages) == 2
    assert parsed.info is not None
    assert parsed.dict(parsed.info, "the information").get(b"/Title") == b"(Joined)"
    assert parsed.raw[parsed.info] == b"%d 0 obj\n<< /Title (Joined) >>\nendobj\n" % parsed.info
    kinds = {
        parsed.objects[n].value.get(b"/Type") for n in parsed.objects if parsed.objects[n].tail
    }
    assert b"/ObjStm" not in kinds  # the containers are not objects of the document
    assert b"/XRef" not in kinds
    assert _texts(pdf) == ["Dear Anna Body one", "To Anna Body two"]


def _parsed(objects: dict[int, bytes]) -> splice.Parsed:
    return splice.Parsed(b"", {n: Obj(body) for n, body in objects.items()}, {}, 0, None, 0, [])


def test_every_kind_of_font_is_renamed_from_its_program() -> None:
    """This test ensures that the renamer follows fonts to their descriptors
    (simple and composite fonts), decodes ASCII85 and Flate programs, keeps a
    composite font's suffix and leaves tags not made by ReportLab's counter."""
    program = base64.a85encode(zlib.compress(b"program"), adobe=True)
    doc = _parsed(
        {
            1: b"<< /Type /Font /BaseFont /AAAAAB+Sans /FontDescriptor 2 0 R >>",
            2: b"<< /FontName /AAAAAB+Sans /FontFile2 3 0 R >>",
            3: b"<< /Filter [ /ASCII85Decode /FlateDecode ] /Length %d >>\nstream\n%s\nendstream"
            % (len(program), program),
            4: b"<< /BaseFont /AAAAAC+Mono-Identity-H /DescendantFonts [ 5 0 R ] >>",
            5: b"<< /BaseFont /AAAAAC+Mono /FontDescriptor 6 0 R >>",
            6: b"<< /FontName /AAAAAC+Mono /FontFile2 7 0 R >>",
            7: b"<< /Length 5 >>\nstream\nhello\nendstream",
            8: b"<< /BaseFont /XYZQRS+Other /FontDescriptor 9 0 R >>",
            9: b"<< /FontName /XYZQRS+Other /FontFile2 7 0 R >>",
        }
    )
    assert name_subsets(doc) == {1, 2, 4, 5, 6}
    sans, mono = subset_tag(b"program"), subset_tag(b"hello")

    def name(number: int, key: bytes) -> bytes:
        value = doc.objects[number].value
        assert isinstance(value, Dict)
        found = value.get(key)
        assert isinstance(found, bytes)
        return found

    assert name(1, b"/BaseFont") == name(2, b"/FontName") == f"/{sans}+Sans".encode()
    assert name(4, b"/BaseFont") == f"/{mono}+Mono-Identity-H".encode()
    assert name(5, b"/BaseFont") == name(6, b"/FontName") == f"/{mono}+Mono".encode()
    assert name(8, b"/BaseFont") == name(9, b"/FontName") == b"/XYZQRS+Other"
    assert (
        doc.objects[1].text()
        == f"<< /Type /Font /BaseFont /{sans}+Sans /FontDescriptor 2 0 R >>".encode()
    )
