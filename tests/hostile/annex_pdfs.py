"""Hand-made annexes that cost a reader far more than their size: an object
stream bomb behind a broken cross-reference table, one huge content stream or
one annotation array shared by thousands of pages, deeply nested resources."""

from __future__ import annotations

import zlib

from .pdfs import make_pdf

#: One line of drawing operators, repeated to fill a content stream.
_LINE = b"0.5 g 10 10 m 585 832 l S\n"


def _flate(chunk: bytes, megabytes: int, prefix: bytes = b"") -> bytes:
    """*prefix*, then *chunk* repeated to *megabytes* MB, as a zlib stream, made
    in well under a second: each 1 MB block is compressed after a full flush,
    so its compressed bytes are the same every time and are simply repeated."""
    block = chunk * ((1 << 20) // len(chunk))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH) if prefix else b""
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()
    check = zlib.adler32(prefix)
    for _ in range(megabytes):
        check = zlib.adler32(block, check)
    return b"\x78\xda" + head + again * megabytes + end + check.to_bytes(4, "big")


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(data), extra) + (
        data + b"\nendstream"
    )


def broken_xref(pdf: bytes) -> bytes:
    """*pdf* with its ``startxref`` pointing into nowhere, so every reader has
    to rebuild the cross-reference table by scanning the file."""
    head, sep, tail = pdf.rpartition(b"startxref\n")
    return head + sep + b"999999999" + tail[tail.index(b"\n") :]


def objstm_bomb(megabytes: int = 1536) -> bytes:
    """A file whose catalogue sits in an object stream that inflates to
    *megabytes* MB (it claims a million objects); its cross-reference stream
    is sound, but pypdf stops at its own inflation limit, so the file goes to
    qpdf for repair, which reads the whole object stream."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    head = b"1 0 "
    data = _flate(b" ", megabytes, head + b"<< /Type /Catalog /Pages 2 0 R >> ")
    objects = {
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        4: _stream(data, b" /Type /ObjStm /N 1000000 /First %d" % len(head)),
    }
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[5] = len(out)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"\x02\x00\x00\x00\x04\x00\x00"
    rows += b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in (2, 3, 4, 5))
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        len(rows)
    )
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[5]
    return bytes(out)


def truncated(pdf: bytes) -> bytes:
    """*pdf* without its ``%%EOF`` line, as a broken download leaves it: pypdf
    gives up, qpdf rebuilds it."""
    return pdf[: pdf.rindex(b"%%EOF")]


def shared_content(pages: int = 50, megabytes: int = 70, *, damaged: bool = False) -> bytes:
    """*pages* pages that all draw one content stream of *megabytes* MB."""
    kids = b" ".join(b"%d 0 R" % (10 + n) for n in range(pages))
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        3: _stream(_flate(_LINE, megabytes)),
        4: b"<< /ProcSet [/PDF] >>",
    }
    for n in range(pages):
        objects[10 + n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R"
            b" /Contents 3 0 R >>"
        )
    pdf = make_pdf(objects)
    return truncated(pdf) if damaged else pdf


def shared_annots(pages: int = 5000, annots: int = 100) -> bytes:
    """*pages* pages sharing one /Annots array of *annots* annotations: links to
    the first page, web links and notes."""
    first = 100
    kids = b" ".join(b"%d 0 R" % (first + n) for n in range(pages))
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        3: b"<< /Length 5 >>\nstream\nBT ET\nendstream",
    }
    refs = []
    for n in range(annots):
        num = first + pages + n
        rect = b"/Rect [%d 10 %d 20]" % (n, n + 5)
        kind = n % 3
        if kind == 0:
            objects[num] = b"<< /Type /Annot /Subtype /Link %s /Dest [%d 0 R /Fit] >>" % (
                rect, first,
            )  # fmt: skip
        elif kind == 1:
            objects[num] = (
                b"<< /Type /Annot /Subtype /Link %s /A << /S /URI /URI (https://example.org/%d) >> >>"
                % (rect, n)
            )
        else:
            objects[num] = b"<< /Type /Annot /Subtype /Text %s /Contents (Note %d) >>" % (rect, n)
        refs.append(b"%d 0 R" % num)
    array = first + pages + annots
    objects[array] = b"[" + b" ".join(refs) + b"]"
    for n in range(pages):
        objects[first + n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
            b" /Annots %d 0 R >>" % array
        )
    return make_pdf(objects)


def deep_resources(pages: int = 500, depth: int = 5000) -> bytes:
    """*pages* pages sharing one /Resources whose form XObjects nest *depth* deep,
    each form's resources naming the next form."""
    kids = b" ".join(b"%d 0 R" % (10 + n) for n in range(pages))
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        3: b"<< /Length 13 >>\nstream\nq /X0 Do Q BT\nendstream",
        4: b"<< /XObject << /X0 %d 0 R >> >>" % (10 + pages),
    }
    for n in range(pages):
        objects[10 + n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R"
            b" /Contents 3 0 R >>"
        )
    for d in range(depth):
        num = 10 + pages + d
        inner = b" /Resources << /XObject << /X0 %d 0 R >> >>" % (num + 1) if d + 1 < depth else b""
        body = b"q /X0 Do Q" if d + 1 < depth else b"0 0 m"
        objects[num] = (
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10]%s /Length %d >>\nstream\n"
            % (inner, len(body))
            + body
            + b"\nendstream"
        )
    return make_pdf(objects)


def font_bomb(megabytes: int = 1024) -> bytes:
    """A page whose embedded font is a subset tagged like ReportLab's
    (``AAAAAA+``) and whose program inflates to *megabytes* MB: the font
    renamer hashes such programs."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        4: b"<< /Length 36 >>\nstream\nBT /F1 12 Tf 72 700 Td (Bomb) Tj ET\nendstream",
        5: b"<< /Type /Font /Subtype /TrueType /BaseFont /AAAAAA+Evil /FirstChar 32"
        b" /LastChar 32 /Widths [250] /FontDescriptor 6 0 R >>",
        6: b"<< /Type /FontDescriptor /FontName /AAAAAA+Evil /Flags 32"
        b" /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200"
        b" /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>",
        7: _stream(_flate(b"\0", megabytes)),
    }
    return make_pdf(objects)


def page_object_streams(pages: int = 8, megabytes: int = 70, filler: bytes = b" ") -> bytes:
    """*pages* pages, each page object alone in an object stream that inflates
    to *megabytes* MB: the page, then *filler* repeated (blank space by
    default), each stream under pypdf's own limit; a cross-reference stream
    lists them."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows: dict[int, bytes] = {}

    def add(number: int, body: bytes) -> None:
        rows[number] = b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00"
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    kids = b" ".join(b"%d 0 R" % (10 + i) for i in range(pages))
    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> "
    for i in range(pages):
        head = b"%d 0 " % (10 + i)
        data = _flate(filler, megabytes, head + page)
        add(1000 + i, _stream(data, b" /Type /ObjStm /N 1 /First %d" % len(head)))
        rows[10 + i] = b"\x02" + (1000 + i).to_bytes(4, "big") + b"\x00\x00"
    size = 1000 + pages + 1
    rows[size - 1] = b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00"
    table = b"".join(rows.get(n, b"\x00" * 7) for n in range(size))
    start = len(out)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\n" % (
        size - 1, size, len(table),
    )  # fmt: skip
    out += b"stream\n" + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def object_listing(count: int) -> bytes:
    """A one-page file whose cross-reference stream lists *count* objects
    (all but four of them the page again): 20 KB for two million."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(
        (
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ),
        start=1,
    ):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    row = b"\x01" + offsets[2].to_bytes(4, "big") + b"\x00\x00"
    rows = b"\x00" * 7 + b"".join(b"\x01" + o.to_bytes(4, "big") + b"\x00\x00" for o in offsets)
    data = zlib.compress(rows + row * (count - 4), 9)
    start = len(out)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d " % (
        count, count + 1, len(data),
    )  # fmt: skip
    out += b"/Filter /FlateDecode >>\nstream\n" + data + b"\nendstream\nendobj\n"
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % start)
