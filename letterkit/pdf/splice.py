"""PDF files from reusable parts: ReportLab and pypdf output → numbered objects →
one file, written without parsing again what is reused.

The letters of a bundle differ in the top of page 1 (addresses, salutation)
and in the addressee of the running header; the body, the signatories, the
footers and the annexes are the same. The layout stage therefore draws what
depends on the recipient as one small ReportLab document (the *own* part)
and the rest once, page for page (the *shared* part). This module joins them:

* :func:`read` (:mod:`letterkit.pdf.parts`) cuts a PDF written by ReportLab
  or pypdf into its objects; the dictionaries this module changes are read
  and written with :mod:`letterkit.pdf.syntax`, never matched as bytes.
* :func:`template` renders the parts every letter of a layout shares, once:
  the template document made by pypdf (annexes, outline, page labels,
  catalogue) with the shared pages as form XObjects, numbered after it, as
  ready-to-write bytes and cross-reference rows.
* :func:`join` writes one letter: the template bytes, the own part's objects
  renumbered after them, the letter's page objects (own content plus the
  shared page's form), its information dictionary and the cross-reference
  stream. The same inputs give the same bytes, in a bundle or alone.

Letters are PDF 1.5 files: the objects that are not streams sit in
Flate-compressed object streams, indexed by a compressed cross-reference
stream (:mod:`letterkit.pdf.objstreams`); the template's are packed and
indexed once per layout, a letter adds one object stream of its own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .objstreams import MAX_PER_STREAM, Xref, is_stream, obj_stream, self_contained
from .parts import Page, Parsed, page_of, read
from .subsets import name_subsets
from .syntax import (
    Array,
    Dict,
    Name,
    Raw,
    Ref,
    SpliceError,
    Value,
    copy,
    dict_of,
    parse,
    refs,
    write,
)

__all__ = [
    "Parsed", "SpliceError", "Template", "concatenate", "join", "name_subsets", "read", "template",
]  # fmt: skip

#: The name under which a letter page's resources hold its shared page (a form XObject).
_FORM = b"/LKShared"
#: The content stream that draws a page's shared part.
_CALL = b"q " + _FORM + b" Do Q"


@dataclass
class Template:
    """What every letter of one layout writes first, ready to copy: the bytes,
    the compressed cross-reference rows of its objects, and the numbers a
    letter fills in (its pages and information dictionary, packed into the
    letter's own object stream, number *letter_stream*, at fixed places)."""

    blob: bytes
    xref: Xref
    root: int
    info: int
    pages_root: int
    letter_pages: list[int]
    forms: list[int | None]
    shared_annots: list[list[int]]
    call: int | None
    letter_stream: int
    size: int
    digest: bytes
    #: Its streams that refer to no other object, by a hash of their text: a
    #: letter's own stream with the same text (a logo in the letterhead and
    #: the body, a font subset both parts embed) is written as this one.
    streams: dict[bytes, int]


def _header(header: bytes) -> bytes:
    """The file header: the template's version, at least 1.5 (object and
    cross-reference streams; the letter's parts use 1.4 features too: /Lang,
    transparency in images)."""
    m = re.match(rb"%PDF-(\d+)\.(\d+)", header)
    if m is None or (int(m.group(1)), int(m.group(2))) < (1, 5):
        return b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    return header


def _carry_over(part: Parsed, pages: list[int], start: int) -> tuple[set[int], dict[int, int], int]:
    """How *part*'s objects enter the joined file: the ones left behind (its
    catalogue, page tree, information, outline root), the new number of each
    other one (its pages become *pages*, the rest count up from *start*), and
    the next free number."""
    dropped = {part.root, part.pages_root}
    if part.info is not None:
        dropped.add(part.info)
    outlines = part.dict(part.root, "the catalogue").ref(b"/Outlines")
    if outlines is not None:
        dropped.add(outlines)
    mapping = dict(zip(part.pages, pages, strict=True))
    for num in sorted(part.objects):
        if num not in dropped and num not in mapping:
            mapping[num] = start
            start += 1
    return dropped, mapping, start


def _obj(number: int, text: bytes) -> bytes:
    return b"%d 0 obj\n" % number + text + b"\nendobj\n"


def template(base: bytes, letter_pages: int, shared: Parsed | None) -> Template:
    """The bytes every letter of a layout shares.

    *base* is a pypdf document whose first *letter_pages* pages are blank
    placeholders for the letter's pages (the annexes, outline, labels and
    catalogue refer to them); its font subsets are named after their content
    here. *shared* is the ReportLab document of what the letter pages share,
    page for page, if anything, its subsets named already. Its pages become
    form XObjects, numbered after *base*, drawn after the own part's
    content; its links point at the letter's pages.
    """
    doc = read(base, whole=True)
    placeholders = doc.pages[:letter_pages]
    if doc.info is None:
        raise SpliceError("the template has no /Info")
    renamed = name_subsets(doc)
    skip = {*placeholders, doc.info}
    out = bytearray(_header(doc.header))
    size = max(doc.raw) + 1
    rows: dict[int, tuple[int, int, int]] = {}
    packable: list[tuple[int, bytes]] = []
    streams: dict[bytes, int] = {}
    for num in sorted(doc.raw):
        if num in skip:
            continue
        obj = doc.objects[num]
        text = obj.text() if num in renamed else obj.body.strip()
        if is_stream(text):
            rows[num] = (1, len(out), 0)
            out += _obj(num, text) if num in renamed else doc.raw[num]
            _remember(streams, text, num)
        else:
            packable.append((num, text))
    forms: list[int | None] = [None] * letter_pages
    annots: list[list[int]] = [[] for _ in range(letter_pages)]
    call: int | None = None
    if shared is not None:
        new, size = _forms(shared, placeholders, size, forms, annots)
        call = size
        size += 1
        new[call] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_CALL), _CALL)
        for num in sorted(new):
            if is_stream(new[num]):
                rows[num] = (1, len(out), 0)
                out += _obj(num, new[num])
                _remember(streams, new[num], num)
            else:
                packable.append((num, new[num]))
    for first in range(0, len(packable), MAX_PER_STREAM):
        chunk = packable[first : first + MAX_PER_STREAM]
        rows[size] = (1, len(out), 0)
        out += _obj(size, obj_stream(chunk, 9))
        rows.update((num, (2, size, index)) for index, (num, _) in enumerate(chunk))
        size += 1
    letter_stream = size  # the letter's own object stream: its pages, then its /Info
    for index, num in enumerate([*placeholders, doc.info]):
        rows[num] = (2, letter_stream, index)
    xref = Xref()
    xref.add([rows.get(num, (0, 0, 65535)) for num in range(letter_stream)])
    blob = bytes(out)
    return Template(
        blob=blob,
        xref=xref,
        root=doc.root,
        info=doc.info,
        pages_root=doc.pages_root,
        letter_pages=placeholders,
        forms=forms,
        shared_annots=annots,
        call=call,
        letter_stream=letter_stream,
        size=letter_stream + 1,
        digest=hashlib.md5(blob, usedforsecurity=False).digest(),
        streams=streams,
    )


def _remember(streams: dict[bytes, int], text: bytes, num: int) -> None:
    key = self_contained(text)
    if key is not None:
        streams.setdefault(key, num)


def _forms(
    shared: Parsed,
    placeholders: list[int],
    size: int,
    forms: list[int | None],
    annots: list[list[int]],
) -> tuple[dict[int, bytes], int]:
    """The shared part's objects as text, numbered from *size* on, each page's
    content stream made a form XObject (its number put in *forms*, its links
    in *annots*); and the next free number."""
    if len(shared.pages) != len(placeholders):
        raise SpliceError("the shared part and the letter disagree on pages")
    dropped, mapping, size = _carry_over(shared, placeholders, size)
    page_by_stream: dict[int, Page] = {}
    for index, number in enumerate(shared.pages):
        page = page_of(shared, number)
        if len(page.contents) != 1:
            raise SpliceError("a shared page has not exactly one content stream")
        page_by_stream[page.contents[0]] = page
        forms[index] = mapping[page.contents[0]]
        annots[index] = [mapping[a] for a in page.annots]
    new: dict[int, bytes] = {}
    for num, obj in shared.objects.items():
        if num in dropped or num in shared.pages:
            continue
        owner = page_by_stream.get(num)
        if owner is None:
            new[mapping[num]] = obj.text(mapping)
            continue
        # The page's content stream becomes its form: the same stream, with the
        # page's box and resources.
        form = dict_of(parse(obj.body)[0], f"content stream {num}")
        form.put_first(
            [
                (b"/Type", Name(b"/XObject")),
                (b"/Subtype", Name(b"/Form")),
                (b"/BBox", owner.media_box),
                (b"/Resources", owner.resources),
            ]
        )
        new[mapping[num]] = write(form, mapping) + obj.tail
    return new, size


def join(tmpl: Template, own: Parsed, info: bytes) -> bytes:
    """One letter: *tmpl*'s bytes, then the own part's streams (renumbered),
    one object stream with the letter's page objects, its information
    dictionary *info* and the own part's other objects, and the
    cross-reference stream."""
    if len(own.pages) != len(tmpl.letter_pages):
        raise SpliceError("the letter's own part and its template disagree on pages")
    out = bytearray(tmpl.blob)
    dropped, mapping, size = _carry_over(own, tmpl.letter_pages, tmpl.size)
    texts = _streams_once(tmpl, own, dropped, mapping)
    packed = [
        (tmpl.letter_pages[index], _page(tmpl, index, page_of(own, number), mapping))
        for index, number in enumerate(own.pages)
    ]
    packed.append((tmpl.info, info))
    rows: dict[int, tuple[int, int, int]] = {}
    for num in sorted(own.objects):
        if num in dropped or num in own.pages or texts.get(num) == b"":
            continue
        text = texts.get(num) or own.objects[num].text(mapping)
        if own.objects[num].tail:
            rows[mapping[num]] = (1, len(out), 0)
            out += _obj(mapping[num], text)
        else:
            rows[mapping[num]] = (2, tmpl.letter_stream, len(packed))
            packed.append((mapping[num], text))
    if len(packed) > 0xFFFF:
        raise SpliceError("a letter with more objects than one object stream holds")
    rows[tmpl.letter_stream] = (1, len(out), 0)
    out += _obj(tmpl.letter_stream, obj_stream(packed))
    digest = hashlib.md5(tmpl.digest, usedforsecurity=False)
    digest.update(memoryview(out)[len(tmpl.blob) :])
    ident = digest.hexdigest().encode()
    rows[size] = (1, len(out), 0)  # the cross-reference stream's own row
    entries = [rows.get(num, (0, 0, 65535)) for num in range(tmpl.letter_stream, size + 1)]
    trailer = b"/Root %d 0 R /Info %d 0 R /ID [ <%s> <%s> ]" % (tmpl.root, tmpl.info, ident, ident)
    xref = len(out)
    out += tmpl.xref.finish(size, entries, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _streams_once(
    tmpl: Template, own: Parsed, dropped: set[int], mapping: dict[int, int]
) -> dict[int, bytes]:
    """The text of each of *own*'s streams that refers to no other object (a
    page's content, an image, a font program), each distinct one written
    once: a stream equal to one of *tmpl*'s or to an earlier one of its own
    (the running header of pages 2, 3…) is given that one's number in
    *mapping*, and empty text here."""
    texts: dict[int, bytes] = {}
    first: dict[bytes, int] = {}
    for num in sorted(own.objects):
        obj = own.objects[num]
        if num in dropped or num in own.pages or not obj.tail:
            continue
        if next(refs(obj.value), None) is not None:
            continue
        text = obj.text(mapping)
        key = hashlib.sha256(text).digest()
        same = tmpl.streams.get(key)
        if same is None:
            earlier = first.setdefault(key, num)
            same = mapping[earlier] if earlier != num else None
        texts[num] = text if same is None else b""
        if same is not None:
            mapping[num] = same
    return texts


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
        dropped, mapping, size = _carry_over(doc, pages, size + len(pages))
        mapping[doc.pages_root] = 2  # each page's /Parent
        offsets += [None] * (size - len(offsets))
        for num in sorted(doc.objects):
            if num not in dropped:
                offsets[mapping[num]] = len(out)
                out += _obj(mapping[num], doc.objects[num].text(mapping))
        kids += pages
    offsets[1] = len(out)
    out += _obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    offsets[2] = len(out)
    listed = b" ".join(b"%d 0 R" % k for k in kids)
    out += _obj(2, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (listed, len(kids)))
    xref = len(out)
    rows = [b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets)]
    rows += [
        b"%010d 00000 n \n" % off if off is not None else b"0000000000 65535 f \n"
        for off in offsets[1:]
    ]
    out += b"".join(rows)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets), xref)
    return bytes(out)


def _page(tmpl: Template, index: int, page: Page, mapping: dict[int, int]) -> bytes:
    """The text of letter page *index*: the own part's page, then its shared form."""
    contents: list[Value] = [Ref(mapping[c]) for c in page.contents]
    resources = dict_of(copy(page.resources), "the resources")
    form = tmpl.forms[index]
    if form is not None and tmpl.call is not None:
        contents.append(Ref(tmpl.call))  # the running header, then the shared page
        entry = (_FORM, Raw(b"%d 0 R" % form))  # numbered for the joined file already
        forms = resources.get(b"/XObject")
        if forms is None:
            resources.set(b"/XObject", Dict([entry]))
        elif isinstance(forms, Dict):
            forms.put_first([entry])
        else:
            raise SpliceError("a page of the letter's own part has an indirect /XObject")
    annots = [Ref(mapping[a]) for a in page.annots] + [Ref(a) for a in tmpl.shared_annots[index]]
    text = Dict(
        [
            (b"/Type", Name(b"/Page")),
            (b"/Parent", Ref(tmpl.pages_root)),
            (b"/MediaBox", page.media_box),
            (b"/Resources", Raw(write(resources, mapping))),
            (b"/Contents", Array(contents)),
        ]
    )
    if annots:
        text.set(b"/Annots", Array(annots))
    return write(text)
