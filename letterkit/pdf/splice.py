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
  stream. Each font subset the parts share is written once, in the slot the
  template keeps for it (:mod:`letterkit.pdf.once`). The same inputs give
  the same bytes, in a bundle or alone.

Letters are PDF 1.5 files: the objects that are not streams sit in
Flate-compressed object streams, indexed by a compressed cross-reference
stream (:mod:`letterkit.pdf.objstreams`); the template's are packed and
indexed once per layout, a letter adds one object stream of its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .numbering import carry_over as _carry_over
from .numbering import concatenate, file_header
from .numbering import obj as _obj
from .objstreams import Xref, metadata_slot, obj_stream, pack
from .once import (
    Key,
    Slot,
    as_template,
    embedded,
    moved_slots,
    place,
    placed_subsets,
    repeated,
    same_streams,
    stamp_slots,
)
from .parts import Page, Parsed, page_of, read
from .structure import Tags, Tree, linked, tagged_base
from .structure import letter as letter_tree
from .structure import shared as shared_tree
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
    """What every letter of one layout writes first, ready to copy: the bytes,
    the compressed cross-reference rows of its objects, and the numbers a
    letter fills in (its pages, information dictionary and the slots'
    dictionaries, packed into the letter's own object stream, number
    *letter_stream*, at fixed places)."""

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
    #: the body) is written as this one.
    streams: dict[bytes, int] = field(default_factory=dict)
    #: The shared part's font subsets, written by each letter (see :func:`join`):
    #: their streams numbered after *letter_stream*, their dictionaries at
    #: fixed places of the letter's object stream (*fixed*, in order).
    slots: dict[Key, Slot] = field(default_factory=dict)
    fixed: list[int] = field(default_factory=list)
    #: The fonts whose slots are the annexes' stamps' subsets (see :func:`template`).
    extended: set[bytes] = field(default_factory=set)
    #: A tagged letter's structure tree, as far as the template holds it.
    tree: Tree | None = None
    #: With ``template(metadata=True)``: the number kept for the letter's metadata
    #: stream, which the catalogue points at; and whether it has a structure tree.
    metadata: int | None = None
    tagged: bool = False


def template(
    base: bytes, letter_pages: int, shared: Parsed | None, extend: dict[bytes, int] | None = None,
    metadata: bool = False, *, tags: Tags | None = None,
) -> Template:  # fmt: skip
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
    With *tags* (the shared part's), letters are tagged (:mod:`.structure`).
    """
    doc = read(base, whole=True)
    placeholders = doc.pages[:letter_pages]
    if doc.info is None:
        raise SpliceError("the template has no /Info")
    renamed = name_subsets(doc)
    again, rewritten = same_streams(doc)
    size = max(doc.raw) + 1
    kept = [size, size + 1] if tags is not None else []  # the tree's root and Document
    size += len(kept)
    if kept:
        rewritten.update(tagged_base(doc, doc.pages[letter_pages:], rewritten, kept[0]))
    slots, extended = stamp_slots(doc, doc.pages[letter_pages:], extend or {}, again)
    skip = {*placeholders, doc.info, *again}
    for slot in slots.values():
        skip.update(slot.numbers)
    out = bytearray(file_header(doc.header))
    rows, packable, streams = _carried(doc, skip, {*rewritten, *renamed}, rewritten, out)
    forms: list[int | None] = [None] * letter_pages
    annots: list[list[int]] = [[] for _ in range(letter_pages)]
    call: int | None = None
    new: dict[int, bytes] = {}
    if shared is not None:
        new, size = _forms(shared, placeholders, size, forms, annots, slots)
        call = size
        size += 1
        new[call] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_CALL), _CALL)
    tree, size = shared_tree(tags, new, placeholders, forms, annots, size, kept)
    for num in sorted(new):
        place(num, new[num], None, out, rows, packable, streams)
    xmp = metadata_slot(packable, doc.root, size, len(slots)) if metadata else {}
    letter_stream = pack(packable, out, rows, size)  # next, the letter's: pages, /Info, slots
    slots, _ = moved_slots(slots, letter_stream + 1)
    fixed = [num for key in sorted(slots) for num in slots[key].numbers[:2]]
    for index, num in enumerate([*placeholders, doc.info, *fixed, *kept]):
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
        size=letter_stream + 1 + 2 * len(slots) + bool(xmp),
        digest=hashlib.md5(blob, usedforsecurity=False).digest(),
        streams=streams,
        slots=slots,
        fixed=fixed,
        extended=extended,
        tree=tree,
        **xmp,
    )


def _carried(
    doc: Parsed, skip: set[int], fresh: set[int], rewritten: dict[int, bytes], out: bytearray
) -> tuple[dict[int, tuple[int, int, int]], list[tuple[int, bytes]], dict[bytes, int]]:
    """The objects of a template's pypdf document but *skip*, put after *out*
    (:func:`place`), as written already but *fresh* ones (text *rewritten*
    or read again): their rows, the objects to pack, the streams by text."""
    rows: dict[int, tuple[int, int, int]] = {}
    packable: list[tuple[int, bytes]] = []
    streams: dict[bytes, int] = {}
    for num in sorted(doc.raw):
        if num in skip:
            continue
        text = rewritten.get(num) or (doc.objects[num].text() if num in fresh else b"")
        text = text or doc.objects[num].body.strip()
        raw = None if num in fresh else doc.raw[num]
        place(num, text, raw, out, rows, packable, streams)
    return rows, packable, streams


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


def join(
    tmpl: Template, own: Parsed, info: bytes, serve: dict[bytes, bool] | None = None,
    metadata: bytes | None = None, *, tags: Tags | None = None,
) -> bytes:  # fmt: skip
    """One letter: *tmpl*'s bytes, then the streams of its slots and of the own
    part (renumbered), one object stream with the letter's page objects, its
    information dictionary *info*, the slots' dictionaries and the own
    part's other objects, and the cross-reference stream.

    *serve* says, for each font (by PostScript name) that both parts embed
    with the same codes for the same characters, whose subsets draw what
    both parts draw: the own part's (True: they grew the shared part's) or
    the shared part's (False). That subset is written once, under the
    numbers the template kept for it, and both parts' pages use it.
    *metadata* is the text of its metadata stream (when the template keeps a number for it).

    A tagged template's letter gets its structure tree, with the own part's
    elements (*tags*; none if None) before the shared ones.
    """
    if len(own.pages) != len(tmpl.letter_pages):
        raise SpliceError("the letter's own part and its template disagree on pages")
    out = bytearray(tmpl.blob)
    placed, skipped, filled = placed_subsets(tmpl.slots, own, serve or {})
    again = repeated(own)
    dropped, mapping, size = _carry_over(
        own, tmpl.letter_pages, tmpl.size, placed, {*skipped, *again}
    )
    texts = as_template(tmpl.streams, own, dropped | set(placed), mapping)
    for num, first in again.items():
        mapping[num] = mapping[first]
    rows: dict[int, tuple[int, int, int]] = {}
    at: dict[int, bytes] = {}  # the slots' dictionaries, by number
    for key in sorted(tmpl.slots.keys() - filled):
        slot = tmpl.slots[key]
        at[slot.numbers[0]], at[slot.numbers[1]] = slot.texts[0], slot.texts[1]
        for num, text in zip(slot.numbers[2:], slot.texts[2:], strict=True):
            rows[num] = (1, len(out), 0)
            out += _obj(num, text)
    if tmpl.metadata is not None:  # the metadata stream, at the number kept for it
        rows[tmpl.metadata], out = (1, len(out), 0), out + _obj(tmpl.metadata, metadata or b"")
    fixed = set(tmpl.fixed)
    packed: list[tuple[int, bytes]] = []
    links = [[mapping[a] for a in page_of(own, n).annots] for n in own.pages]
    tree, keys, size = letter_tree(tmpl.tree, tags, tmpl.letter_pages, links, size)
    for num in sorted(own.objects):
        if num in dropped or num in own.pages or texts.get(num) == b"":
            continue
        new, text = mapping[num], texts.get(num) or own.objects[num].text(mapping)
        if new in keys:
            text = linked(text, *keys[new])
        if new in fixed:
            at[new] = text
        elif own.objects[num].tail:
            rows[new] = (1, len(out), 0)
            out += _obj(new, text)
        else:
            packed.append((new, text))
    if not fixed <= at.keys():
        raise SpliceError("a font subset the template keeps a place for is missing")
    pages = [_page(tmpl, i, page_of(own, number), mapping) for i, number in enumerate(own.pages)]
    packed[:0] = [*zip(tmpl.letter_pages, pages, strict=True), (tmpl.info, info)]
    packed[len(pages) + 1 : len(pages) + 1] = [(num, at[num]) for num in tmpl.fixed]
    at_tree = len(pages) + 1 + len(tmpl.fixed)  # the root and Document at their places
    packed[at_tree:at_tree] = tree
    if len(packed) > 0xFFFF:
        raise SpliceError("a letter with more objects than one object stream holds")
    rows.update((num, (2, tmpl.letter_stream, index)) for index, (num, _) in enumerate(packed))
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
    if tmpl.tree is not None:
        text.set(b"/StructParents", Raw(b"%d" % index))
        text.set(b"/Tabs", Name(b"/S"))
    return write(text)
