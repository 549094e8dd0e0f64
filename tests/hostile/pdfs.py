"""Hand-made hostile PDFs (bombs, loops, lies), built byte by byte."""

from __future__ import annotations

import zlib


def make_pdf(objects: dict[int, bytes], *, trailer: bytes = b"", prev_self: bool = False) -> bytes:
    """A PDF with the given objects (number → body) and a correct xref table.

    *prev_self* makes the trailer's /Prev point at its own xref table (a loop).
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    prev = b" /Prev %d" % xref if prev_self else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, prev, trailer, xref,
    )  # fmt: skip
    return bytes(out)


def page_tree(count: int = 1, content: bytes = b"") -> dict[int, bytes]:
    """Catalog, a page tree claiming *count* pages, one real page and its content."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    }


def bomb(megabytes: int = 1024) -> bytes:
    """A page whose content stream inflates to *megabytes* of zeros."""
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    data = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    objects = page_tree()
    objects[4] = (
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    )
    return make_pdf(objects)


def deep_nesting(depth: int = 100_000) -> bytes:
    objects = page_tree(content=b"BT ET")
    objects[5] = b"[" * depth + b"]" * depth
    objects[3] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /X 5 0 R >>"
    return make_pdf(objects)


def lying_count(count: int = 1_000_000_000) -> bytes:
    return make_pdf(page_tree(count=count, content=b"BT ET"))


def xref_loop() -> bytes:
    return make_pdf(page_tree(content=b"BT ET"), prev_self=True)
