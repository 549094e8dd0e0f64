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
  ready-to-write bytes.
* :func:`join` writes one letter: the template bytes, the own part's objects
  renumbered after them, the letter's page objects (own content plus the
  shared page's form), its information dictionary and the cross-reference
  table. Each font subset the parts share is written once, in the slot the
  template keeps for it (:mod:`letterkit.pdf.once`). The same inputs give
  the same bytes, in a bundle or alone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .once import (
    Key,
    Slot,
    embedded,
    placed_subsets,
    repeated,
    same_streams,
    stamp_subsets,
)
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
    #: The shared part's font subsets, written by each letter (see :func:`join`).
    slots: dict[Key, Slot] = field(default_factory=dict)
    #: The fonts whose slots are the annexes' stamps' subsets (see :func:`template`).
    extended: set[bytes] = field(default_factory=set)


def _header(header: bytes) -> bytes:
    """The file header: the template's version, at least 1.4 (the letter's parts
    use 1.4 features: /Lang, transparency in images)."""
    m = re.match(rb"%PDF-(\d+)\.(\d+)", header)
    if m is None or (int(m.group(1)), int(m.group(2))) < (1, 4):
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return header


def _carry_over(
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


def _obj(number: int, text: bytes) -> bytes:
    return b"%d 0 obj\n" % number + text + b"\nendobj\n"


def template(
    base: bytes, letter_pages: int, shared: Parsed | None, extend: dict[bytes, int] | None = None
) -> Template:
    """The bytes every letter of a layout shares.

    *base* is a pypdf document whose first *letter_pages* pages are blank
    placeholders for the letter's pages (the annexes, outline, labels and
    catalogue refer to them); its font subsets are named after their content
    here. *shared* is the ReportLab document of what the letter pages share,
    page for page, if anything, its subsets named already. Its pages become
    form XObjects, numbered after *base*, drawn after the own part's
    content; its links point at the letter's pages.

    The shared part's font subsets are kept out of the bytes, as slots each
    letter fills (:func:`join`). *extend* names the fonts (PostScript name:
    number of subsets) whose subsets in the annexes' stamps hold all that
    the shared part draws with them: where the stamps of *base* draw each
    such subset from one font object, that object is the slot, drawn by
    the shared pages too (:attr:`Template.extended` lists those fonts).
    """
    doc = read(base, whole=True)
    placeholders = doc.pages[:letter_pages]
    if doc.info is None:
        raise SpliceError("the template has no /Info")
    renamed = name_subsets(doc)
    again, rewritten = same_streams(doc)
    slots, extended = _stamp_slots(doc, doc.pages[letter_pages:], extend or {}, again)
    skip = {*placeholders, doc.info, *again}
    for slot in slots.values():
        skip.update(slot.numbers)
    out = bytearray(_header(doc.header))
    size = max(doc.raw) + 1
    offsets: list[int | None] = [None] * size
    for num in sorted(doc.raw):
        if num in skip:
            continue
        offsets[num] = len(out)
        if num in rewritten:
            out += _obj(num, rewritten[num])
        else:
            out += _obj(num, doc.objects[num].text()) if num in renamed else doc.raw[num]
    forms: list[int | None] = [None] * letter_pages
    annots: list[list[int]] = [[] for _ in range(letter_pages)]
    call: int | None = None
    if shared is not None:
        new, size = _forms(shared, placeholders, size, forms, annots, slots)
        call = size
        size += 1
        new[call] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_CALL), _CALL)
        offsets += [None] * (size - len(offsets))
        for num in sorted(new):
            offsets[num] = len(out)
            out += _obj(num, new[num])
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
        slots=slots,
        extended=extended,
    )


def _forms(
    shared: Parsed,
    placeholders: list[int],
    size: int,
    forms: list[int | None],
    annots: list[list[int]],
    slots: dict[Key, Slot],
) -> tuple[dict[int, bytes], int]:
    """The shared part's objects as text, numbered from *size* on, each page's
    content stream made a form XObject (its number put in *forms*, its links
    in *annots*), its font subsets kept out as *slots* (a subset that has a
    slot already, the stamps' that holds it, takes its place); and the next
    free number."""
    if len(shared.pages) != len(placeholders):
        raise SpliceError("the shared part and the letter disagree on pages")
    subsets = embedded(shared)
    placed = {
        num: at
        for key, subset in subsets.items()
        if key in slots
        for num, at in zip(subset.objects, slots[key].numbers, strict=True)
    }
    dropped, mapping, size = _carry_over(shared, placeholders, size, placed)
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
    for key, subset in subsets.items():
        a, b, c, d = (mapping[num] for num in subset.objects)
        texts = (new.pop(a), new.pop(b), new.pop(c), new.pop(d))
        if key not in slots:
            slots[key] = Slot((a, b, c, d), texts)
    return new, size


def _stamp_slots(
    doc: Parsed, pages: list[int], extend: dict[bytes, int], again: dict[int, int]
) -> tuple[dict[Key, Slot], set[bytes]]:
    """The slots of the fonts of *extend* that the stamps of *pages* draw
    each subset of from one font object, once the objects *again* are
    written as the ones they repeat (see :func:`template`); and those fonts."""
    if not extend:
        return {}, set()
    found = {
        key: {num: subset for num, subset in subsets.items() if num not in again}
        for key, subsets in stamp_subsets(doc, pages).items()
    }
    slots: dict[Key, Slot] = {}
    extended: set[bytes] = set()
    for face, count in sorted(extend.items()):
        keys = [(face, index) for index in range(count)]
        if any(len(found.get(key, ())) != 1 for key in keys) or (face, count) in found:
            continue
        for key in keys:
            [subset] = found[key].values()
            a, b, c, d = subset.objects
            texts = tuple(doc.objects[num].text() for num in subset.objects)
            slots[key] = Slot((a, b, c, d), (texts[0], texts[1], texts[2], texts[3]))
        extended.add(face)
    return slots, extended


def join(tmpl: Template, own: Parsed, info: bytes, serve: dict[bytes, bool] | None = None) -> bytes:
    """One letter: *tmpl*'s bytes, then the own part's objects (renumbered), the
    letter's page objects and its information dictionary *info*.

    *serve* says, for each font (by PostScript name) that both parts embed
    with the same codes for the same characters, whose subsets draw what
    both parts draw: the own part's (True: they grew the shared part's) or
    the shared part's (False). That subset is written once, under the
    numbers the template kept for it, and both parts' pages use it.
    """
    if len(own.pages) != len(tmpl.letter_pages):
        raise SpliceError("the letter's own part and its template disagree on pages")
    out = bytearray(tmpl.blob)
    offsets = list(tmpl.offsets)
    placed, skipped, filled = placed_subsets(tmpl.slots, own, serve or {})
    again = repeated(own)
    left = skipped | set(again)
    dropped, mapping, size = _carry_over(own, tmpl.letter_pages, tmpl.size, placed, left)
    for num, first in again.items():
        mapping[num] = mapping[first]
    offsets += [None] * (size - len(offsets))
    for key in sorted(tmpl.slots):
        if key in filled:
            continue
        slot = tmpl.slots[key]
        for num, text in zip(slot.numbers, slot.texts, strict=True):
            offsets[num] = len(out)
            out += _obj(num, text)
    for num in sorted(own.objects):
        if num in dropped or num in own.pages:
            continue
        offsets[mapping[num]] = len(out)
        out += _obj(mapping[num], own.objects[num].text(mapping))
    for index, number in enumerate(own.pages):
        offsets[tmpl.letter_pages[index]] = len(out)
        out += _obj(tmpl.letter_pages[index], _page(tmpl, index, page_of(own, number), mapping))
    offsets[tmpl.info] = len(out)
    out += _obj(tmpl.info, info)
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
