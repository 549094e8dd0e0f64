"""A PDF written by ReportLab or pypdf → its numbered objects, each read when asked for.

:func:`read` cuts a file with a classic cross-reference table (both write
one), or with a cross-reference stream and object streams (letterkit's
letters, :mod:`letterkit.pdf.objstreams`), into :class:`Obj` s: an object's value is read with
:mod:`letterkit.pdf.syntax` the first time it is needed, and a stream's
data is kept as written. :func:`page_of` reads what a page object holds.
Anything shaped otherwise raises :class:`~letterkit.pdf.syntax.SpliceError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import memo
from .objstreams import read_xref_stream, unpack
from .syntax import Array, Dict, Numbers, Ref, SpliceError, Value, copy, dict_of, parse, refs, write

__all__ = ["Obj", "Page", "Parsed", "page_of", "read"]

_OBJ_HEAD = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\s*")
_STREAM = re.compile(rb"[\x00\t\n\x0c\r ]*stream\r?\n")


#: Object values read in this process, by their text: the letters of a bundle
#: have many objects alike (fonts, descriptors, pages). Values here are shared,
#: so they are never changed: :meth:`Obj.edit` changes a copy.
_VALUES: dict[bytes, tuple[Value, int]] = memo.table({})
_VALUES_MAX = 1024
#: Object streams read in this process, by their text: the letters of a bundle
#: share their template's; the last one of a file (a letter's own) is not kept.
_PACKED: dict[tuple[bytes, int], dict[int, bytes]] = memo.table({})
_PACKED_MAX = 32
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
        # The key is the text up to the first "stream" (or all of it). A
        # dictionary that ends inside the key was read from the key's bytes
        # alone (its last token, >>, looks no further), so the same key gives
        # the same value; so does an object without a stream (its key is all
        # its text, as an object stream holds it, nothing after the value);
        # anything else is read but not kept.
        at = self.body.find(b"stream")
        key = self.body if at < 0 else self.body[: at + 6]
        found = _VALUES.get(key)
        if found is None:
            found = parse(self.body)
            if len(key) <= _VALUE_TEXT_MAX and (
                at < 0 or (found[1] < len(key) and isinstance(found[0], Dict))
            ):
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
    """Cut a PDF with a classic cross-reference table, or with one
    cross-reference stream and object streams, into its objects (with
    *whole*, also keep each object's bytes as written, for
    :func:`~letterkit.pdf.splice.template`). Raises :class:`SpliceError` for
    anything else."""
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
    packed: dict[int, tuple[int, int]] = {}
    if pdf.startswith(b"xref", xref):
        offsets, trailer_text = _offsets(pdf, xref)
        trailer = dict_of(parse(trailer_text)[0], "the trailer")
    else:  # a cross-reference stream (PDF 1.5), as letterkit writes letters
        table = read_xref_stream(pdf, xref)
        offsets = {n: off for n, off in table.offsets.items() if off != xref}
        packed, trailer = table.packed, table.trailer
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
    containers = sorted({stream for stream, _ in packed.values()})
    last = max(containers, key=lambda n: offsets.get(n, 0), default=None)
    for container in containers:
        holder = objects.pop(container, None)
        raw.pop(container, None)
        if holder is None:
            raise SpliceError(f"object stream {container} is missing")
        for num, body in _unpacked(holder.body, container, container != last).items():
            if packed.get(num, (None, 0))[0] == container:
                objects[num] = Obj(body)
                if whole:
                    raw[num] = b"%d 0 obj\n%s\nendobj\n" % (num, body)
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


def _unpacked(body: bytes, number: int, keep: bool) -> dict[int, bytes]:
    """The objects of object stream *number* (:func:`unpack`), from the table
    when read before; kept there if *keep*."""
    found = _PACKED.get((body, number))
    if found is None:
        found = unpack(body, number)
        if keep:
            memo.keep(_PACKED, (body, number), found, _PACKED_MAX)
    return found


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
