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
from dataclasses import dataclass

from .. import memo
from .subsets import name_subsets
from .syntax import (
    Array,
    Dict,
    Name,
    Numbers,
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

__all__ = ["Obj", "Parsed", "SpliceError", "Template", "join", "read", "template"]

_OBJ_HEAD = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\s*")
_STREAM = re.compile(rb"[\x00\t\n\x0c\r ]*stream\r?\n")


#: Object values read in this process, by their text: the letters of a bundle
#: have many objects alike (fonts, descriptors, pages). Values here are shared,
#: so they are never changed: :meth:`Obj.edit` changes a copy.
_VALUES: dict[bytes, tuple[Value, int]] = memo.table({})
_VALUES_MAX = 4096
_VALUE_TEXT_MAX = 2048


class Obj:
    """One object: its value (read when first asked for) and, for a stream,
    the raw bytes from ``stream`` to ``endstream`` inclusive."""

    __slots__ = ("_own", "_tail", "_value", "body")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self._value: Value | None = None
        self._tail = b""
        self._own = False

    @property
    def value(self) -> Value:
        """The object's value; not to be changed (see :meth:`edit`)."""
        if self._value is None:
            value, end = self._parse()
            rest = self.body[end:]
            if rest.strip():
                if not isinstance(value, Dict) or _STREAM.match(rest) is None:
                    shown = rest.strip()[:16]
                    raise SpliceError(f"an object with {shown!r} after its value")
                self._tail = rest.rstrip()
            self._value = value
        return self._value

    def _parse(self) -> tuple[Value, int]:
        # A stream's value ends before its first "stream"; what parsing reads
        # then lies inside the key (checked before the value is kept).
        at = self.body.find(b"stream")
        key = self.body if at < 0 else self.body[: at + 6]
        found = _VALUES.get(key)
        if found is None:
            found = parse(self.body)
            if len(key) <= _VALUE_TEXT_MAX and found[1] < len(key):
                memo.keep(_VALUES, key, found, _VALUES_MAX)
        return found

    def edit(self) -> Dict:
        """The object's dictionary, to change (this object's own copy)."""
        if not self._own:
            self._value = copy(self.value)
            self._own = True
        return dict_of(self.value, "an object to change")

    @property
    def tail(self) -> bytes:
        self.value  # noqa: B018 (the tail is known once the value is read)
        return self._tail

    def text(self, renumber: dict[int, int] | None = None) -> bytes:
        """The object's value and stream as PDF text, references renumbered."""
        return write(self.value, renumber) + self.tail


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

    def dict(self, number: int, what: str) -> Dict:
        """Object *number* as a dictionary (SpliceError naming *what* if it is not one)."""
        obj = self.objects.get(number)
        if obj is None:
            raise SpliceError(f"{what} (object {number}) is missing")
        return dict_of(obj.value, f"{what} (object {number})")


def read(pdf: bytes, *, whole: bool = False) -> Parsed:
    """Cut a PDF with a classic cross-reference table into its objects (with
    *whole*, also keep each object's bytes as written, for :func:`template`).
    Raises :class:`SpliceError` for anything else."""
    try:
        return _read(pdf, whole)
    except (ValueError, IndexError, KeyError) as exc:
        if isinstance(exc, SpliceError):
            raise
        raise SpliceError(f"not a PDF as ReportLab or pypdf write it ({exc})") from exc


def _offsets(pdf: bytes, xref: int) -> tuple[dict[int, int], bytes]:
    """The classic cross-reference table at *xref*: {object: offset} and the
    text after ``trailer``."""
    if not pdf.startswith(b"xref", xref):
        raise SpliceError("not a classic cross-reference table")
    table, trailer = pdf[xref:].split(b"trailer", 1)
    offsets: dict[int, int] = {}
    number = 0
    for row in table.split(b"\n")[1:]:
        parts = row.split()
        if len(parts) == 2:
            number = int(parts[0])
        elif len(parts) == 3:
            if parts[2] == b"n":
                offsets[number] = int(parts[0])
            number += 1
    return offsets, trailer


def _read(pdf: bytes, whole: bool) -> Parsed:
    at = pdf.rfind(b"startxref")
    if at < 0:
        raise SpliceError("no startxref")
    xref = int(pdf[at + 9 :].split()[0])
    offsets, trailer_text = _offsets(pdf, xref)
    order = sorted(offsets.items(), key=lambda item: item[1])
    ends = [off for _, off in order[1:]] + [xref]
    objects: dict[int, Obj] = {}
    raw: dict[int, bytes] = {}
    for (num, start), end in zip(order, ends, strict=True):
        chunk = pdf[start:end]
        m = _OBJ_HEAD.match(chunk)
        if m is None or int(m.group(1)) != num:
            raise SpliceError(f"object {num} is not where the table says")
        objects[num] = Obj(chunk[m.end() : chunk.rindex(b"endobj")])
        if whole:
            raw[num] = chunk.rstrip() + b"\n"
    trailer = dict_of(parse(trailer_text)[0], "the trailer")
    root = trailer.ref(b"/Root")
    if root is None:
        raise SpliceError("no /Root")
    doc = Parsed(b"", objects, raw, root, trailer.ref(b"/Info"), 0, [])
    pages_root = doc.dict(root, "the catalogue").ref(b"/Pages")
    if pages_root is None:
        raise SpliceError("no /Pages")
    kids = doc.dict(pages_root, "the page tree").get(b"/Kids")
    if kids is not None and (
        not isinstance(kids, Array) or not all(isinstance(k, Ref) for k in kids.items)
    ):
        raise SpliceError("the page tree's /Kids is not an array of references")
    doc.pages_root = pages_root
    doc.pages = list(refs(kids)) if kids is not None else []
    first_object = pdf.find(b" 0 obj")
    doc.header = pdf[: pdf.rfind(b"\n", 0, first_object) + 1]
    return doc


@dataclass
class Page:
    """What a ReportLab page object holds that a joined page needs."""

    contents: list[int]
    resources: Dict
    annots: list[int]
    media_box: Value


def page_of(parsed: Parsed, number: int) -> Page:
    """The parts of page object *number* that a joined page is made of."""
    page = parsed.dict(number, "a page")
    contents = page.get(b"/Contents")
    if contents is not None and not isinstance(contents, Ref | Array):
        raise SpliceError(f"page object {number} has a /Contents that is not a reference")
    annots = page.get(b"/Annots")
    if annots is not None and not isinstance(annots, Array):
        raise SpliceError(f"page object {number} has an indirect /Annots")
    resources = page.get(b"/Resources")
    media_box = page.get(b"/MediaBox")
    if not isinstance(resources, Dict) or not isinstance(media_box, Array | Numbers):
        raise SpliceError(f"page object {number} has no direct /Resources and /MediaBox")
    return Page(
        contents=list(refs(contents)) if contents is not None else [],
        resources=resources,
        annots=list(refs(annots)) if annots is not None else [],
        media_box=media_box,
    )


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
    offsets: list[int | None] = [None] * size
    for num in sorted(doc.raw):
        if num in skip:
            continue
        offsets[num] = len(out)
        out += _obj(num, doc.objects[num].text()) if num in renamed else doc.raw[num]
    forms: list[int | None] = [None] * letter_pages
    annots: list[list[int]] = [[] for _ in range(letter_pages)]
    call: int | None = None
    if shared is not None:
        new, size = _forms(shared, placeholders, size, forms, annots)
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
    )


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
