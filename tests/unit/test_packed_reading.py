"""Reading letters whose objects sit in object streams behind a cross-reference
stream: the values of packed objects are read once per process, the rows a
letter shares with the letter read before it are not undone again, and a
cross-reference stream written by another tool reads the same."""

from __future__ import annotations

import io

import pikepdf
from pypdf import PdfWriter

from letterkit import memo
from letterkit.pdf import _pypdf, objstreams, splice
from letterkit.pdf.subsets import name_subsets

from .test_pdf_splice import SIZE, _part


def _letters(names: list[str]) -> list[bytes]:
    """One letter per name, all from one template (a shared body)."""
    writer = PdfWriter()
    writer.add_blank_page(*SIZE)
    shared = splice.read(_part(["The same body"]))
    name_subsets(shared)
    tmpl = splice.template(_pypdf.write_classic(writer), 1, shared)
    out = []
    for name in names:
        own = splice.read(_part([f"Dear {name}"]))
        name_subsets(own)
        out.append(splice.join(tmpl, own, b"<< /Title (A letter) >>"))
    return out


def _xref_at(pdf: bytes) -> int:
    return int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])


def test_a_packed_object_is_read_once_per_process() -> None:
    """This test ensures that the value of an object read from an object
    stream (nothing after its value) is kept like a classic object's, so a
    second reading of a letter does not parse it again."""
    [pdf] = _letters(["Anna"])
    assert b"/Type /ObjStm" in pdf
    assert b"/Type /XRef" in pdf
    first, second = splice.read(pdf), splice.read(pdf)
    catalogue = first.root
    assert first.objects[catalogue].body.rstrip().endswith(b">>")  # packed: nothing after
    assert first.objects[catalogue].value is second.objects[catalogue].value


def test_rows_shared_with_the_letter_read_before_read_the_same() -> None:
    """This test ensures that a letter's cross-reference rows read after
    another letter of its layout (their template's rows undone once) are the
    rows read from nothing, and each offset is where its object starts."""
    anna, boris = _letters(["Anna", "Boris Borisovich Borisov"])
    memo.forget()
    cold = objstreams.read_xref_stream(boris, _xref_at(boris))
    objstreams.read_xref_stream(anna, _xref_at(anna))
    warm = objstreams.read_xref_stream(boris, _xref_at(boris))
    assert (warm.offsets, warm.packed) == (cold.offsets, cold.packed)
    assert cold.packed
    assert cold.offsets
    for number, offset in cold.offsets.items():
        assert boris[offset:].startswith(b"%d 0 obj" % number)
    with pikepdf.open(io.BytesIO(boris)) as pdf:
        assert len(pdf.pages) == 1
        assert all(pdf.get_object(n, 0) is not None for n in cold.packed)


def test_a_cross_reference_stream_of_other_widths_reads_the_same() -> None:
    """This test ensures that a file qpdf wrote with object streams (its own
    field widths and predictor) is cut into the objects qpdf lists."""
    [pdf] = _letters(["Anna"])
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as src:
        src.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    data = out.getvalue()
    table = objstreams.read_xref_stream(data, _xref_at(data))
    assert table.packed
    assert table.trailer.get(b"/Root") is not None
    parsed = splice.read(data)
    with pikepdf.open(io.BytesIO(data)) as again:
        numbers = {o.objgen[0] for o in again.objects if o is not None and o.objgen[0]}
        holders = {n for n in numbers if again.get_object(n, 0).get("/Type") == "/ObjStm"}
        xrefs = {n for n in numbers if again.get_object(n, 0).get("/Type") == "/XRef"}
    assert set(parsed.objects) == numbers - holders - xrefs
    assert len(parsed.pages) == 1
    assert holders


def test_the_template_object_stream_is_unpacked_once_per_process() -> None:
    """This test ensures that the object streams letters share (their
    template's) are unpacked once for all of them, and that a letter's own,
    the last in its file, is not kept."""
    from letterkit.pdf import parts

    anna, boris = _letters(["Anna", "Boris"])
    memo.forget()
    first, second = splice.read(anna), splice.read(boris)
    kept = {number for _, number in parts._PACKED}
    table = objstreams.read_xref_stream(anna, _xref_at(anna))
    containers = {stream for stream, _ in table.packed.values()}
    own = max(containers, key=lambda n: table.offsets[n])
    assert kept == containers - {own}
    assert kept
    shared = [n for n, (stream, _) in table.packed.items() if stream in kept]
    assert all(first.objects[n].body == second.objects[n].body for n in shared)
    own_objects = [n for n, (stream, _) in table.packed.items() if stream == own]
    assert own_objects
    assert anna != boris
