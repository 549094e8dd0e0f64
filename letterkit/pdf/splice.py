"""PDF files from reusable parts: ReportLab and pypdf output → numbered objects →
one file, written without parsing again what is reused.

The letters of a bundle differ in the top of page 1 (addresses, salutation)
and in the addressee of the running header; the body, the signatories, the
footers and the annexes are the same. The layout stage therefore draws what
depends on the recipient as one small ReportLab document (the *own* part)
and the rest once, page for page (the *shared* part). This module joins them:

* :func:`read` cuts a PDF written by ReportLab or pypdf into its objects, using
  the cross-reference table (both write a classic one).
* :func:`template` renders the parts every letter of a layout shares, once:
  the template document made by pypdf (annexes, outline, page labels,
  catalogue) with the shared pages as form XObjects, numbered after it, as
  ready-to-write bytes.
* :func:`join` writes one letter: the template bytes, the own part's objects
  renumbered after them, the letter's page objects (own content plus the
  shared page's form), its information dictionary and the cross-reference
  table. The same inputs give the same bytes, in a bundle or alone.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

_OBJ_HEAD = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\s*")
_STRING = rb"\((?:\\.|[^\\()])*\)"
_HEX = rb"<[0-9A-Fa-f\s]*>"
#: A literal string, a hex string or an indirect reference (only the last is renumbered).
_TOKEN = re.compile(_STRING + rb"|" + _HEX + rb"|(\d+) 0 R\b")
_SKIP = re.compile(_STRING + rb"|" + _HEX)
_STREAM = re.compile(rb">>\s*stream\r?\n")
_SUBSET_NAME = re.compile(rb"/([A-Z]{6}\+[^\s/\[\]<>()]+)")
_FONT_FILE = re.compile(rb"/FontFile[23]? (\d+) 0 R")


class SpliceError(ValueError):
    """A PDF part is not shaped as this module expects (a bug, not bad input)."""


@dataclass
class Obj:
    """One object: its value (a dictionary's text…) and, for a stream, the raw
    bytes from ``stream`` to ``endstream`` inclusive."""

    head: bytes
    tail: bytes = b""


@dataclass
class Parsed:
    """A PDF cut into objects, with its catalogue, information and page objects."""

    header: bytes
    objects: dict[int, Obj]
    raw: dict[int, bytes]
    root: int
    info: int | None
    pages_root: int
    pages: list[int]


def _ref(text: bytes, key: bytes) -> int | None:
    m = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", text)
    return int(m.group(1)) if m else None


def _refs(text: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb"(\d+)\s+0\s+R", text)]


def _value(text: bytes, key: bytes) -> bytes | None:
    """The text of a dictionary or array value of *key* (nesting counted)."""
    m = re.search(rb"/" + key + rb"\s*(<<|\[)", text)
    if m is None:
        return None
    start = m.start(1)
    depth = 0
    i = start
    while i < len(text):
        two = text[i : i + 2]
        if two in (b"<<", b">>"):
            depth += 1 if two == b"<<" else -1
            i += 2
        else:
            c = text[i : i + 1]
            if c == b"[":
                depth += 1
            elif c == b"]":
                depth -= 1
            elif c in b"(<":  # a string: skip it, escapes included
                s = _SKIP.match(text, i)
                if s is not None:
                    i = s.end()
                    continue
            i += 1
        if depth == 0:
            return text[start:i]
    raise SpliceError(f"unbalanced value of /{key.decode()}")


def read(pdf: bytes, *, whole: bool = False) -> Parsed:
    """Cut a PDF with a classic cross-reference table into its objects (with
    *whole*, also keep each object's bytes as written, for :func:`template`).
    Raises :class:`SpliceError` for anything else."""
    try:
        return _read(pdf, whole)
    except (ValueError, IndexError, KeyError) as exc:
        raise SpliceError(f"not a PDF as ReportLab or pypdf write it ({exc})") from exc


def _read(pdf: bytes, whole: bool) -> Parsed:
    at = pdf.rfind(b"startxref")
    if at < 0:
        raise SpliceError("no startxref")
    xref = int(pdf[at + 9 :].split()[0])
    if not pdf.startswith(b"xref", xref):
        raise SpliceError("not a classic cross-reference table")
    lines = pdf[xref:].split(b"trailer", 1)
    rows = lines[0].split(b"\n")[1:]
    offsets: dict[int, int] = {}
    number = 0
    for row in rows:
        parts = row.split()
        if len(parts) == 2:
            number = int(parts[0])
        elif len(parts) == 3:
            if parts[2] == b"n":
                offsets[number] = int(parts[0])
            number += 1
    trailer = lines[1]
    order = sorted(offsets.items(), key=lambda item: item[1])
    ends = [off for _, off in order[1:]] + [xref]
    objects: dict[int, Obj] = {}
    raw: dict[int, bytes] = {}
    for (num, start), end in zip(order, ends, strict=True):
        chunk = pdf[start:end]
        m = _OBJ_HEAD.match(chunk)
        if m is None or int(m.group(1)) != num:
            raise SpliceError(f"object {num} is not where the table says")
        body = chunk[m.end() : chunk.rindex(b"endobj")]
        if whole:
            raw[num] = chunk.rstrip() + b"\n"
        s = _STREAM.search(body)
        if s is not None:
            objects[num] = Obj(body[: s.start() + 2], body[s.start() + 2 :].rstrip())
        else:
            objects[num] = Obj(body.rstrip())
    root = _ref(trailer, b"Root")
    if root is None:
        raise SpliceError("no /Root")
    pages_root = _ref(objects[root].head, b"Pages")
    if pages_root is None:
        raise SpliceError("no /Pages")
    kids = _value(objects[pages_root].head, b"Kids") or b"[]"
    first_object = pdf.find(b" 0 obj")
    header = pdf[: pdf.rfind(b"\n", 0, first_object) + 1]
    return Parsed(header, objects, raw, root, _ref(trailer, b"Info"), pages_root, _refs(kids))


def renumber(text: bytes, mapping: dict[int, int]) -> bytes:
    """*text* with every reference ``n 0 R`` renumbered (strings untouched)."""

    def sub(m: re.Match[bytes]) -> bytes:
        if m.group(1) is None:
            return m.group(0)
        number = mapping.get(int(m.group(1)))
        if number is None:
            raise SpliceError(f"a reference to object {int(m.group(1))}, which is not carried over")
        return b"%d 0 R" % number

    return _TOKEN.sub(sub, text)


def subset_tag(program: bytes) -> str:
    """The six-letter tag of a font subset, made from its (decoded) program."""
    digest = hashlib.sha256(program).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def _stream_data(obj: Obj) -> bytes:
    """A stream's data, decoded when it is Flate-compressed (as ReportLab's are)."""
    length = re.search(rb"/Length (\d+)", obj.head)
    start = obj.tail.index(b"stream") + 6
    start += 2 if obj.tail[start : start + 2] == b"\r\n" else 1
    data = obj.tail[start : start + int(length.group(1))] if length else obj.tail[start:]
    if b"/FlateDecode" in obj.head and b"/ASCII85Decode" not in obj.head:
        try:
            return zlib.decompress(data)
        except zlib.error as exc:
            raise SpliceError(f"a font program that does not inflate ({exc})") from exc
    return data


def name_subsets(parsed: Parsed) -> None:
    """Name each font subset after its content (``/QXHKBF+NotoSerif``).

    ReportLab tags the subsets ``AAAAAA+``… anew in each document; parts
    joined into one file would have different subsets under one name. A tag
    made from the font program is the same for the same subset, everywhere.
    """
    names: dict[bytes, bytes] = {}
    for obj in parsed.objects.values():
        if b"/FontDescriptor" not in obj.head or b"/FontName" not in obj.head:
            continue
        m = re.search(rb"/FontName\s*/([A-Z]{6})\+([^\s/\[\]<>()]+)", obj.head)
        program = _FONT_FILE.search(obj.head)
        if m is None or program is None:
            continue
        tag = subset_tag(_stream_data(parsed.objects[int(program.group(1))])).encode()
        names[m.group(1) + b"+" + m.group(2)] = tag + b"+" + m.group(2)
    if not names:
        return
    for obj in parsed.objects.values():
        if b"+" in obj.head:
            obj.head = _SUBSET_NAME.sub(
                lambda m: b"/" + names.get(m.group(1), m.group(1)), obj.head
            )


@dataclass
class Page:
    """What a ReportLab page object holds that a joined page needs."""

    contents: list[int]
    resources: bytes
    annots: list[int]
    media_box: bytes


def page_of(parsed: Parsed, number: int) -> Page:
    head = parsed.objects[number].head
    contents = _value(head, b"Contents")
    refs = _refs(contents) if contents is not None else []
    if contents is None:
        single = _ref(head, b"Contents")
        refs = [single] if single is not None else []
    annots = _value(head, b"Annots")
    resources = _value(head, b"Resources")
    media_box = _value(head, b"MediaBox")
    if resources is None or media_box is None or not resources.startswith(b"<<"):
        raise SpliceError(f"page object {number} has no direct /Resources and /MediaBox")
    return Page(
        contents=refs,
        resources=resources,
        annots=_refs(annots) if annots is not None else [],
        media_box=media_box,
    )


#: The content stream that draws a page's shared part (its form XObject /LKShared).
_CALL = b"q /LKShared Do Q"


@dataclass
class Template:
    """What every letter of one layout writes first, ready to copy."""

    blob: bytes
    offsets: list[int | None]
    root: int
    info: int
    pages_root: int
    letter_pages: list[int]
    forms: list[int | None]
    shared_annots: list[list[int]]
    call: int | None
    size: int
    digest: bytes


def _header(header: bytes) -> bytes:
    """The file header: the template's version, at least 1.4 (the letter's parts
    use 1.4 features: /Lang, transparency in images)."""
    m = re.match(rb"%PDF-(\d+)\.(\d+)", header)
    if m is None or (int(m.group(1)), int(m.group(2))) < (1, 4):
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return header


def _carry_over(part: Parsed, pages: list[int], start: int) -> tuple[set[int], dict[int, int], int]:
    """How *part*'s objects enter the joined file: the ones left behind (its
    catalogue, page tree, information, outline root), the new number of each
    other one (its pages become *pages*, the rest count up from *start*), and
    the next free number."""
    dropped = {part.root, part.pages_root}
    if part.info is not None:
        dropped.add(part.info)
    outlines = _ref(part.objects[part.root].head, b"Outlines")
    if outlines is not None:
        dropped.add(outlines)
    mapping = dict(zip(part.pages, pages, strict=True))
    for num in sorted(part.objects):
        if num not in dropped and num not in mapping:
            mapping[num] = start
            start += 1
    return dropped, mapping, start


def template(base: bytes, letter_pages: int, shared: Parsed | None) -> Template:
    """The bytes every letter of a layout shares.

    *base* is a pypdf document whose first *letter_pages* pages are blank
    placeholders for the letter's pages (the annexes, outline, labels and
    catalogue refer to them); *shared* is the ReportLab document of what the
    letter pages share, page for page, if anything. Its pages become form
    XObjects, numbered after *base*, drawn after the own part's content; its
    links point at the letter's pages.
    """
    doc = read(base, whole=True)
    placeholders = doc.pages[:letter_pages]
    if doc.info is None:
        raise SpliceError("the template has no /Info")
    skip = {*placeholders, doc.info}
    out = bytearray(_header(doc.header))
    size = max(doc.raw) + 1
    offsets: list[int | None] = [None] * size
    for num in sorted(doc.raw):
        if num in skip:
            continue
        offsets[num] = len(out)
        out += doc.raw[num]
    forms: list[int | None] = [None] * letter_pages
    annots: list[list[int]] = [[] for _ in range(letter_pages)]
    call: int | None = None
    if shared is not None:
        if len(shared.pages) != letter_pages:
            raise SpliceError("the shared part and the letter disagree on pages")
        dropped, mapping, size = _carry_over(shared, placeholders, size)
        pages = [page_of(shared, number) for number in shared.pages]
        page_by_stream: dict[int, Page] = {}
        for index, page in enumerate(pages):
            if len(page.contents) != 1:
                raise SpliceError("a shared page has not exactly one content stream")
            page_by_stream[page.contents[0]] = page
            forms[index] = mapping[page.contents[0]]
            annots[index] = [mapping[a] for a in page.annots]
        new: dict[int, bytes] = {}
        for num, obj in shared.objects.items():
            if num in dropped or num in shared.pages:
                continue
            head = renumber(obj.head, mapping)
            owner = page_by_stream.get(num)
            if owner is not None:  # the page's content stream becomes its form
                inner = head.strip()[2:-2]
                head = (
                    b"<< /Type /XObject /Subtype /Form /BBox " + owner.media_box
                    + b" /Resources " + renumber(owner.resources, mapping) + inner + b">>"
                )  # fmt: skip
            new[mapping[num]] = head + obj.tail
        call = size
        size += 1
        new[call] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_CALL), _CALL)
        offsets += [None] * (size - len(offsets))
        for num in sorted(new):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + new[num] + b"\nendobj\n"
    blob = bytes(out)
    return Template(
        blob=blob,
        offsets=offsets,
        root=doc.root,
        info=doc.info,
        pages_root=doc.pages_root,
        letter_pages=placeholders,
        forms=forms,
        shared_annots=annots,
        call=call,
        size=size,
        digest=hashlib.md5(blob, usedforsecurity=False).digest(),
    )


def join(tmpl: Template, own: Parsed, info: bytes) -> bytes:
    """One letter: *tmpl*'s bytes, then the own part's objects (renumbered), the
    letter's page objects and its information dictionary *info*."""
    if len(own.pages) != len(tmpl.letter_pages):
        raise SpliceError("the letter's own part and its template disagree on pages")
    out = bytearray(tmpl.blob)
    offsets = list(tmpl.offsets)
    dropped, mapping, size = _carry_over(own, tmpl.letter_pages, tmpl.size)
    offsets += [None] * (size - len(offsets))
    for num in sorted(own.objects):
        if num in dropped or num in own.pages:
            continue
        new = mapping[num]
        offsets[new] = len(out)
        obj = own.objects[num]
        out += b"%d 0 obj\n" % new + renumber(obj.head, mapping) + obj.tail + b"\nendobj\n"
    for index, number in enumerate(own.pages):
        page = page_of(own, number)
        contents = [mapping[c] for c in page.contents]
        resources = renumber(page.resources, mapping)
        form = tmpl.forms[index]
        if form is not None and tmpl.call is not None:
            contents = [*contents, tmpl.call]  # the running header, then the shared page
            entry = b"/LKShared %d 0 R" % form
            if b"/XObject <<" in resources:
                resources = resources.replace(b"/XObject <<", b"/XObject << " + entry, 1)
            else:
                resources = resources.rstrip()[:-2] + b"/XObject << " + entry + b" >> >>"
        annots = [mapping[a] for a in page.annots] + tmpl.shared_annots[index]
        text = (
            b"<< /Type /Page /Parent %d 0 R /MediaBox " % tmpl.pages_root + page.media_box
            + b" /Resources " + resources
            + b" /Contents [ " + b" ".join(b"%d 0 R" % c for c in contents) + b" ]"
        )  # fmt: skip
        if annots:
            text += b" /Annots [ " + b" ".join(b"%d 0 R" % a for a in annots) + b" ]"
        offsets[tmpl.letter_pages[index]] = len(out)
        out += b"%d 0 obj\n" % tmpl.letter_pages[index] + text + b" >>\nendobj\n"
    offsets[tmpl.info] = len(out)
    out += b"%d 0 obj\n" % tmpl.info + info + b"\nendobj\n"
    xref = len(out)
    digest = hashlib.md5(tmpl.digest, usedforsecurity=False)
    digest.update(memoryview(out)[len(tmpl.blob) :])
    ident = digest.hexdigest().encode()
    rows = [b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets)]
    rows += [
        b"%010d 00000 n \n" % off if off is not None else b"0000000000 65535 f \n"
        for off in offsets[1:]
    ]
    out += b"".join(rows)
    out += (
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [ <%s> <%s> ] >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (len(offsets), tmpl.root, tmpl.info, ident, ident, xref)
    )
    return bytes(out)
