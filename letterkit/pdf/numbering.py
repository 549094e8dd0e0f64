"""Objects of several PDF parts → one numbering (for :mod:`letterkit.pdf.splice`
and :mod:`letterkit.pdf.languages`): which objects a part carries into the
joined file and under which numbers, and the plain concatenation of parts'
pages with a classic cross-reference table."""

from __future__ import annotations

import re

from .parts import Parsed

__all__ = ["carry_over", "concatenate", "obj"]


def carry_over(
    part: Parsed,
    pages: list[int],
    start: int,
    placed: dict[int, int] | None = None,
    left: set[int] | None = None,
) -> tuple[set[int], dict[int, int], int]:
    """How *part*'s objects enter the joined file: the ones left behind (its
    catalogue, page tree, information, outline root, the objects *left*),
    the new number of each other one (its pages become *pages*, the objects
    of *placed* their numbers there, the rest count up from *start*), and
    the next free number."""
    dropped = {part.root, part.pages_root, *(left or ())}
    if part.info is not None:
        dropped.add(part.info)
    outlines = part.dict(part.root, "the catalogue").ref(b"/Outlines")
    if outlines is not None:
        dropped.add(outlines)
    mapping = dict(zip(part.pages, pages, strict=True))
    mapping.update(placed or {})
    for num in sorted(part.objects):
        if num not in dropped and num not in mapping:
            mapping[num] = start
            start += 1
    return dropped, mapping, start


def obj(number: int, text: bytes) -> bytes:
    """Object *number* with value *text*, as a classic file writes it."""
    return b"%d 0 obj\n" % number + text + b"\nendobj\n"


def concatenate(docs: list[Parsed]) -> bytes:
    """The pages of *docs*, in order, as one document with a classic
    cross-reference table (a catalogue and a flat page tree; no outline and no
    information), for :func:`read`: the parts of a letter in several languages."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int | None] = [None, None, None]  # 1: the catalogue, 2: the page tree
    kids: list[int] = []
    size = 3
    for doc in docs:
        pages = list(range(size, size + len(doc.pages)))
        dropped, mapping, size = carry_over(doc, pages, size + len(pages))
        mapping[doc.pages_root] = 2  # each page's /Parent
        offsets += [None] * (size - len(offsets))
        for num in sorted(doc.objects):
            if num not in dropped:
                offsets[mapping[num]] = len(out)
                out += obj(mapping[num], doc.objects[num].text(mapping))
        kids += pages
    offsets[1] = len(out)
    out += obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    offsets[2] = len(out)
    listed = b" ".join(b"%d 0 R" % k for k in kids)
    out += obj(2, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (listed, len(kids)))
    xref = len(out)
    rows = [b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets)]
    rows += [
        b"%010d 00000 n \n" % off if off is not None else b"0000000000 65535 f \n"
        for off in offsets[1:]
    ]
    out += b"".join(rows)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets), xref)
    return bytes(out)


def file_header(header: bytes) -> bytes:
    """The file header: the template's version, at least 1.5 (object and
    cross-reference streams; the letter's parts use 1.4 features too: /Lang,
    transparency in images)."""
    m = re.match(rb"%PDF-(\d+)\.(\d+)", header)
    if m is None or (int(m.group(1)), int(m.group(2))) < (1, 5):
        return b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    return header
