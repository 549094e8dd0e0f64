"""Objects as PDF text → compressed object streams and a cross-reference stream
(PDF 1.5), and back.

A letter is mostly small dictionaries (fonts, widths, pages, annotations,
outline entries) beside a few large streams. Written one by one with a
classic cross-reference table (20 bytes an object), they take a tenth of the
file; packed into a Flate-compressed ``/ObjStm`` and indexed by a compressed
``/XRef`` stream they take a few hundred bytes. :mod:`letterkit.pdf.splice`
packs the template's objects once per layout and each letter's own objects
when it joins the letter; :class:`Xref` keeps the compressed index of the
template's objects so that a letter only adds its own rows.

:func:`read_xref_stream` and :func:`unpack` read such a file back for
:func:`letterkit.pdf.parts.read` (the letter files, and any PDF whose
cross-reference stream uses Flate with or without the PNG predictors).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from .. import memo
from .syntax import (
    Array,
    Dict,
    Name,
    Num,
    Numbers,
    Raw,
    SpliceError,
    Value,
    dict_of,
    parse,
    refs,
    write,
)  # fmt: skip

__all__ = [
    "Xref",
    "is_stream",
    "obj_stream",
    "pack",
    "read_xref_stream",
    "self_contained",
    "unpack",
]

#: Field widths of a cross-reference row: type, offset (or object stream), generation (or index).
_W = (1, 4, 2)
_ROW = struct.Struct(">BIH")
#: The last cross-reference data each row width undid the predictors of, and
#: what it undid to.
_UNDONE: dict[int, tuple[bytes, bytes]] = memo.table({})
#: Objects in one object stream at most (indexes must fit the row's last field).
MAX_PER_STREAM = 1000


def _read_stream(text: bytes) -> Value | None:
    """The dictionary of a stream object's text (after ``N 0 obj``); None if it
    is not a stream's."""
    value, end = parse(text)
    return value if text[end:].lstrip().startswith(b"stream") else None


def is_stream(text: bytes) -> bool:
    """Whether an object's text is a stream's, which an object stream cannot
    hold; text that does not read is taken for one too (written as it is)."""
    if b"stream" not in text:
        return False
    try:
        return _read_stream(text) is not None
    except SpliceError:
        return True


def self_contained(text: bytes) -> bytes | None:
    """A key (a hash of *text*) for a stream that refers to no other object,
    so that any file can use one copy of it; None for anything else."""
    if b"stream" not in text:
        return None
    try:
        head = _read_stream(text)
    except SpliceError:
        return None
    if head is None or next(refs(head), None) is not None:
        return None
    return hashlib.sha256(text).digest()


def obj_stream(objects: list[tuple[int, bytes]], level: int = 6) -> bytes:
    """The text of an object stream holding *objects* ((number, value as PDF
    text) pairs, in the order their indexes count), Flate-compressed."""
    heads: list[bytes] = []
    bodies: list[bytes] = []
    at = 0
    for number, text in objects:
        heads.append(b"%d %d" % (number, at))
        bodies.append(text)
        at += len(text) + 1
    head = b" ".join(heads) + b"\n"
    data = zlib.compress(head + b"\n".join(bodies) + b"\n", level)
    return (
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(objects), len(head), len(data), data)
    )


def pack(
    packable: list[tuple[int, bytes]],
    out: bytearray,
    rows: dict[int, tuple[int, int, int]],
    size: int,
) -> int:
    """*packable* objects → object streams appended to *out*, numbered from
    *size* on, their rows and theirs in *rows*; the next free number."""
    for first in range(0, len(packable), MAX_PER_STREAM):
        chunk = packable[first : first + MAX_PER_STREAM]
        rows[size] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (size, obj_stream(chunk, 9))
        rows.update((num, (2, size, index)) for index, (num, _) in enumerate(chunk))
        size += 1
    return size


def metadata_slot(
    packable: list[tuple[int, bytes]], root: int, size: int, slots: int
) -> dict[str, Any]:
    """The number a template keeps for each letter's metadata stream: the first
    after the object streams :func:`pack` will number from *size*, the letter's
    own one and its *slots* font subsets' two streams each. The catalogue
    among *packable* (number *root*) is made to point at it; and whether it
    has a structure tree (as :class:`~letterkit.pdf.splice.Template` fields)."""
    number = size + -(-len(packable) // MAX_PER_STREAM) + 1 + 2 * slots
    for index, (num, text) in enumerate(packable):
        if num == root:
            found, end = parse(text)
            catalogue = dict_of(found, "the catalogue")
            catalogue.set(b"/Metadata", Raw(b"%d 0 R" % number))
            packable[index] = (num, write(catalogue) + text[end:])
            return {"metadata": number, "tagged": catalogue.get(b"/StructTreeRoot") is not None}
    raise SpliceError("the template has no catalogue among its objects")


def _up(row: bytes, previous: bytes) -> bytes:
    """One row under the PNG "Up" predictor (filter type 2)."""
    return b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, previous, strict=True))


@dataclass
class Xref:
    """A cross-reference stream written in two steps: the rows every letter of a
    layout shares (objects 0…n-1 of the template), compressed once; then, per
    letter, the rows of what it adds (:meth:`finish`)."""

    rows: int = 0
    _packed: bytes = b""
    _last: bytes = field(default=b"\0" * _ROW.size)
    #: zlib's compressor (its type is private to zlib): fed the shared rows, copied per letter.
    _packer: Any = field(default_factory=lambda: zlib.compressobj(9))

    def add(self, entries: list[tuple[int, int, int]]) -> None:
        """Append rows (type, field 2, field 3) to the shared part."""
        self._packed += self._packer.compress(self._encoded(entries, self._last))
        if entries:
            self._last = _ROW.pack(*entries[-1])
        self.rows += len(entries)

    @staticmethod
    def _encoded(entries: list[tuple[int, int, int]], last: bytes) -> bytes:
        out = bytearray()
        for entry in entries:
            row = _ROW.pack(*entry)
            out += _up(row, last)
            last = row
        return bytes(out)

    def finish(self, number: int, entries: list[tuple[int, int, int]], trailer: bytes) -> bytes:
        """The cross-reference stream object *number* (whose own row is the last
        of *entries*): the shared rows, then *entries*, with *trailer*'s keys
        (``/Root``, ``/Info``, ``/ID``) in its dictionary."""
        packer = self._packer.copy()
        data = self._packed + packer.compress(self._encoded(entries, self._last)) + packer.flush()
        size = self.rows + len(entries)
        return b"%d 0 obj\n<< /Type /XRef /Size %d /W [ %d %d %d ] %s /Filter /FlateDecode " \
            b"/DecodeParms << /Predictor 12 /Columns %d >> /Length %d >>\nstream\n%s\nendstream\n" \
            b"endobj\n" % (number, size, *_W, trailer, _ROW.size, len(data), data)  # fmt: skip


@dataclass
class XrefTable:
    """What a cross-reference stream says: where each object is and the trailer."""

    offsets: dict[int, int]
    packed: dict[int, tuple[int, int]]
    trailer: Dict


def _int(value: Value | None, what: str) -> int:
    if isinstance(value, Num) and value.lstrip(b"+").isdigit():
        return int(value)
    raise SpliceError(f"a cross-reference stream with no whole number for {what}")


def _numbers(value: Value | None, what: str) -> list[int]:
    if isinstance(value, Numbers):
        return [int(n) for n in value.strip(b"[] \t\r\n").split()]
    if isinstance(value, Array):
        return [_int(v, what) for v in value.items]
    raise SpliceError(f"a cross-reference stream with no array for {what}")


def stream_of(text: bytes, what: str) -> tuple[Dict, bytes]:
    """An object's text (after ``N 0 obj``) → its dictionary and its stream's
    data, Flate-decoded if so filtered."""
    head, end = parse(text)
    head = dict_of(head, what)
    rest = text[end:]
    start = rest.find(b"stream")
    if start < 0:
        raise SpliceError(f"{what} is not a stream")
    start += 6
    start += 2 if rest[start : start + 2] == b"\r\n" else 1
    data = rest[start : start + _int(head.get(b"/Length"), f"the /Length of {what}")]
    found = head.get(b"/Filter")
    if found is None:
        return head, data
    if found != Name(b"/FlateDecode") and not (
        isinstance(found, Array) and found.items == [Name(b"/FlateDecode")]
    ):
        raise SpliceError(f"{what} is not Flate-compressed")
    try:
        return head, zlib.decompress(data)
    except zlib.error as exc:
        raise SpliceError(f"{what} does not decompress ({exc})") from exc


def _unpredict(data: bytes, parms: Value | None, columns_default: int) -> bytes:
    """*data* with the PNG predictors (10-15) undone, if *parms* asks for them."""
    if not isinstance(parms, Dict) or parms.get(b"/Predictor") is None:
        return data
    predictor = _int(parms.get(b"/Predictor"), "/Predictor")
    if predictor == 1:
        return data
    if predictor < 10:
        raise SpliceError("a cross-reference stream with a TIFF predictor")
    columns = parms.get(b"/Columns")
    width = _int(columns, "/Columns") if columns is not None else columns_default
    # The rows the data shares with the last data undone (the template's, in
    # the letters of one bundle) are undone the same: they are taken as they are.
    seen, undone = _UNDONE.get(width, (b"", b""))
    rows = _common(seen, data) // (width + 1)
    out = bytearray(undone[: rows * width])
    previous = bytearray(out[-width:] if rows else width)
    for at in range(rows * (width + 1), len(data) - width, width + 1):
        kind, row = data[at], bytearray(data[at + 1 : at + 1 + width])
        if kind == 1:
            for i in range(1, width):
                row[i] = (row[i] + row[i - 1]) & 0xFF
        elif kind == 2:
            for i in range(width):
                row[i] = (row[i] + previous[i]) & 0xFF
        elif kind != 0:
            raise SpliceError(f"a cross-reference stream with PNG filter {kind}")
        out += row
        previous = row
    _UNDONE[width] = (data, bytes(out))
    return _UNDONE[width][1]


def _common(a: bytes, b: bytes) -> int:
    """The length of the longest prefix *a* and *b* share."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def read_xref_stream(pdf: bytes, at: int) -> XrefTable:
    """The cross-reference stream object at offset *at* of *pdf*."""
    head = pdf.find(b"obj", at, at + 64)
    if head < 0:
        raise SpliceError("no cross-reference table or stream where startxref says")
    xref, data = stream_of(pdf[head + 3 :], "the cross-reference stream")
    if xref.get(b"/Type") != Name(b"/XRef"):
        raise SpliceError("not a classic cross-reference table, nor a stream")
    if xref.get(b"/Prev") is not None:
        raise SpliceError("an updated file (a /Prev cross-reference section)")
    widths = _numbers(xref.get(b"/W"), "/W")
    if len(widths) != 3 or any(w < 0 or w > 8 for w in widths) or not any(widths):
        raise SpliceError("a cross-reference stream with unusual /W")
    size = _int(xref.get(b"/Size"), "/Size")
    found = xref.get(b"/Index")
    index = _numbers(found, "/Index") if found is not None else [0, size]
    data = _unpredict(data, xref.get(b"/DecodeParms"), sum(widths))
    table = XrefTable({}, {}, xref)
    width = sum(widths)
    numbers = [n for first, count in zip(index[::2], index[1::2], strict=True)
               for n in range(first, first + count)]  # fmt: skip
    if len(data) < len(numbers) * width:
        raise SpliceError("a cross-reference stream shorter than its /Index")
    data = data[: len(numbers) * width]
    for number, (kind, second, third) in zip(numbers, _rows(data, widths), strict=True):
        if kind == 1 or not widths[0]:
            table.offsets[number] = second
        elif kind == 2:
            table.packed[number] = (second, third)
    return table


def _rows(data: bytes, widths: list[int]) -> list[tuple[int, int, int]]:
    """Cross-reference rows of fields *widths* wide → their three numbers."""
    if tuple(widths) == _W:  # as letterkit writes them
        return list(_ROW.iter_unpack(data))
    out: list[tuple[int, int, int]] = []
    first, second = widths[0], widths[0] + widths[1]
    for at in range(0, len(data), sum(widths)):
        row = data[at : at + sum(widths)]
        out.append(
            (
                int.from_bytes(row[:first]),
                int.from_bytes(row[first:second]),
                int.from_bytes(row[second:]),
            )
        )
    return out


def unpack(text: bytes, number: int) -> dict[int, bytes]:
    """The objects of object stream *number* (its text after ``N 0 obj``), by
    number: each one's value as PDF text."""
    what = f"object stream {number}"
    head, data = stream_of(text, what)
    count = _int(head.get(b"/N"), f"/N of {what}")
    first = _int(head.get(b"/First"), f"/First of {what}")
    pairs = data[:first].split()
    if len(pairs) < 2 * count:
        raise SpliceError(f"{what} lists fewer objects than its /N")
    numbers = [int(n) for n in pairs[0 : 2 * count : 2]]
    starts = [first + int(o) for o in pairs[1 : 2 * count : 2]]
    ends = [*starts[1:], len(data)]
    return {n: data[s:e].strip() for n, s, e in zip(numbers, starts, ends, strict=True)}
