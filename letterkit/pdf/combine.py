"""Letters of a bundle → one PDF, written as the letters come, in bounded memory.

:class:`Combined` appends one letter file after the other to a temporary
file beside the target: each letter's pages, what they need, its outline
nested under an entry for its recipient, and its page labels behind the
recipient id (``R07:2``, ``R07:A1-3``). What the letters share (annex
streams, forms, font programs) is written once (:mod:`letterkit.pdf.reuse`).
At the end come the page tree (a node per letter, a node per
:data:`GROUP` letters, the root), the outline root, the catalogue, the
information dictionary and the cross-reference table; the file is then put
in place with one rename. A failure or an interruption on the way deletes
the temporary file and leaves the target as it was.

Only the object offsets, one pending outline entry, the page tree's nodes
and the label ranges grow with the letters. The same letters give the same
bytes. Tagged letters come in without their structure trees: the combined
file is for reading through, not tagged (:mod:`letterkit.pdf.pagetree`).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from pypdf.generic import TextStringObject, read_object

from ..files import TEMP_PREFIX, TEMP_SUFFIX
from .pagetree import deref as _deref
from .pagetree import page_tree
from .pagetree import value_of as _value
from .parts import Parsed, read
from .reuse import Store
from .syntax import (
    Array,
    Dict,
    Hex,
    Name,
    Num,
    Ref,
    SpliceError,
    Str,
    Value,
    dict_of,
    refs,
    write,
)  # fmt: skip

__all__ = ["Combined", "CombinedFile", "combine"]

#: Letters under one node of the page tree.
GROUP = 64
#: Fixed numbers: the catalogue, the page tree root, the outline root, the information.
_CATALOG, _PAGES, _OUTLINES, _INFO = 1, 2, 3, 4
_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
_VERSION = re.compile(rb"%PDF-(\d+)\.(\d+)")
_INT = re.compile(rb"[+-]?\d+")


@dataclass(frozen=True)
class CombinedFile:
    """What was written: the file, its pages, its size and its sha256."""

    path: Path
    pages: int
    bytes: int
    sha256: str


def combine(letters: Sequence[tuple[Path, str, str]], target: Path) -> CombinedFile:
    """(file, recipient id, outline title) of each letter → the combined PDF at *target*."""
    with Combined(target) as out:
        for path, rid, title in letters:
            out.add(path, rid, title)
        return out.finish()


def _text(value: str) -> bytes:
    """A text string as PDF text (PDFDocEncoding, or UTF-16 where it cannot)."""
    out = io.BytesIO()
    TextStringObject(value).write_to_stream(out)
    return out.getvalue()


def _read_text(value: Value | None) -> str:
    """The text of a PDF string value ("" for anything else)."""
    if not isinstance(value, Str | Hex):
        return ""
    return str(read_object(io.BytesIO(bytes(value)), None))


class Combined:
    """The combined PDF being written to a temporary file beside *target*."""

    def __init__(self, target: Path) -> None:
        self.target = target
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        self._tmp = Path(tmp)
        self._file: BinaryIO = os.fdopen(fd, "wb", buffering=1 << 18)
        self._hash = hashlib.sha256()
        self._size = 0
        self._offsets = array("q", [-1] * (_INFO + 1))
        self._store = Store(self._emit, self._allocate)
        self._version = (1, 4)
        self._pages = 0
        self._info: bytes | None = None
        self._labels = bytearray()  # the page label ranges, as PDF text
        self._first = self._last = 0  # the first and last recipients' outline entries
        self._pending = b""  # the last entry's text, until the next one is known
        self._open = 0  # outline entries shown: the recipients', each closed
        self._groups: list[tuple[int, int]] = []  # (node, pages) under the root
        self._group_kids: list[int] = []
        self._group_pages = 0
        self._group_node = 0
        self._put(_HEADER)

    def __enter__(self) -> Combined:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is not None:
            self.abort()

    def _put(self, data: bytes) -> None:
        self._file.write(data)
        self._hash.update(data)
        self._size += len(data)

    def _allocate(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def _emit(self, number: int, text: bytes) -> None:
        self._offsets[number] = self._size
        self._put(b"%d 0 obj\n%s\nendobj\n" % (number, text))

    def add(self, path: Path, rid: str, title: str) -> int:
        """Append the letter in *path*, its outline under *title*, its page
        labels behind *rid*; return its number of pages."""
        data = path.read_bytes()
        try:
            return self._add(data, rid, title)
        except SpliceError as exc:
            raise SpliceError(f"{path}: cannot add the letter to the combined PDF: {exc}") from exc

    def _add(self, data: bytes, rid: str, title: str) -> int:
        doc = read(data)
        m = _VERSION.match(data)
        if m is not None:
            self._version = max(self._version, (int(m.group(1)), int(m.group(2))))
        if self._info is None:
            self._info = _information(doc)
        catalog = dict_of(_value(doc, doc.root), "the catalogue")
        pages, nodes, values = page_tree(doc)
        if not pages:
            raise SpliceError("the letter has no pages")
        if not self._group_kids:
            self._group_node = self._allocate()
        node, entry = self._allocate(), self._allocate()
        fixed = dict.fromkeys(nodes, node)
        fixed[doc.root] = _CATALOG
        roots = list(pages)
        held = catalog.get(b"/Outlines")  # an outline root (a direct one holds no items)
        outline = _deref(doc, held) if isinstance(held, Ref) else None
        if isinstance(held, Ref) and isinstance(outline, Dict):
            fixed[held.num] = entry
            roots += [n for n in refs(outline) if n not in fixed]
        mapping = self._store.place(doc, len(data), roots, fixed, set(pages), values)
        kids = b" ".join(b"%d 0 R" % mapping[p] for p in pages)
        self._emit(
            node,
            b"<< /Type /Pages /Parent %d 0 R /Kids [ %s ] /Count %d >>"
            % (self._group_node, kids, len(pages)),
        )
        self._outline_entry(entry, title, mapping[pages[0]], outline, mapping)
        self._labels += b" ".join(_labels(doc, catalog, rid, self._pages, len(pages))) + b" "
        self._pages += len(pages)
        self._group_kids.append(node)
        self._group_pages += len(pages)
        if len(self._group_kids) == GROUP:
            self._close_group()
        return len(pages)

    def _outline_entry(
        self,
        entry: int,
        title: str,
        first_page: int,
        outline: Value | None,
        mapping: dict[int, int],
    ) -> None:
        """The recipient's outline entry (written when the next one is known)."""
        text = b"<< /Title %s /Parent %d 0 R /Dest [ %d 0 R /Fit ]" % (
            _text(title), _OUTLINES, first_page,
        )  # fmt: skip
        if isinstance(outline, Dict):
            first, last = outline.get(b"/First"), outline.get(b"/Last")
            if isinstance(first, Ref) and isinstance(last, Ref):
                count = outline.get(b"/Count")
                shown = int(count) if isinstance(count, Num) and _INT.fullmatch(count) else 0
                # Closed (a negative count: the entries shown once it is opened), so
                # that a viewer lists one line per recipient.
                text += b" /First %d 0 R /Last %d 0 R /Count %d" % (
                    mapping[first.num], mapping[last.num], -max(abs(shown), 1),
                )  # fmt: skip
        self._open += 1  # the root shows the recipients' entries only
        if self._last:
            self._emit(self._last, self._pending + b" /Next %d 0 R >>" % entry)
            text += b" /Prev %d 0 R" % self._last
        else:
            self._first = entry
        self._last = entry
        self._pending = text

    def _close_group(self) -> None:
        kids = b" ".join(b"%d 0 R" % k for k in self._group_kids)
        self._emit(
            self._group_node,
            b"<< /Type /Pages /Parent %d 0 R /Kids [ %s ] /Count %d >>"
            % (_PAGES, kids, self._group_pages),
        )
        self._groups.append((self._group_node, self._group_pages))
        self._group_kids, self._group_pages = [], 0

    def finish(self) -> CombinedFile:
        """Write the page tree, outline, labels, catalogue and cross-reference
        table; put the file in place."""
        if self._group_kids:
            self._close_group()
        kids = b" ".join(b"%d 0 R" % node for node, _ in self._groups)
        self._emit(_PAGES, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (kids, self._pages))
        catalog = b"<< /Type /Catalog /Pages %d 0 R" % _PAGES
        if self._last:
            self._emit(self._last, self._pending + b" >>")
            self._emit(
                _OUTLINES,
                b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
                % (self._first, self._last, self._open),
            )
            catalog += b" /Outlines %d 0 R" % _OUTLINES
        if self._labels:
            catalog += b" /PageLabels << /Nums [ %s] >>" % self._labels
        catalog += b" /PageMode /UseOutlines"
        if self._version > (1, 4):
            catalog += b" /Version /%d.%d" % self._version
        self._emit(_CATALOG, catalog + b" >>")
        self._emit(_INFO, self._info or b"<< >>")
        self._xref()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.chmod(self._tmp, 0o666 & ~_umask())
        os.replace(self._tmp, self.target)
        return CombinedFile(self.target, self._pages, self._size, self._hash.hexdigest())

    def _xref(self) -> None:
        start = self._size
        ident = self._hash.copy().hexdigest()[:32].encode()
        self._put(b"xref\n0 %d\n0000000000 65535 f \n" % len(self._offsets))
        rows: list[bytes] = []
        for offset in self._offsets[1:]:
            if offset < 0:
                raise SpliceError("an object of the combined PDF was numbered but not written")
            rows.append(b"%010d 00000 n \n" % offset)
            if len(rows) == 4096:
                self._put(b"".join(rows))
                rows = []
        self._put(b"".join(rows))
        self._put(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [ <%s> <%s> ] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (len(self._offsets), _CATALOG, _INFO, ident, ident, start)
        )

    def abort(self) -> None:
        """Drop the temporary file; the target stays as it was."""
        self._file.close()
        self._tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _information(doc: Parsed) -> bytes:
    """The combined PDF's information: who made the letters, and when."""
    info = _deref(doc, Ref(doc.info)) if doc.info is not None else None
    if not isinstance(info, Dict):
        return b"<< >>"
    kept = Dict()
    for key in (b"/Creator", b"/Producer", b"/CreationDate"):
        value = info.get(key)
        if isinstance(value, Str | Hex):
            kept.set(key, value)
    return write(kept)


def _labels(doc: Parsed, catalog: Dict, rid: str, start: int, count: int) -> list[bytes]:
    """The letter's page label ranges, each behind ``rid:``, moved to *start*."""
    ranges: list[tuple[int, Dict]] = []
    tree = _deref(doc, catalog.get(b"/PageLabels"))
    nums = _deref(doc, tree.get(b"/Nums")) if isinstance(tree, Dict) else None
    if isinstance(nums, Array):
        items = nums.items
        for at in range(0, len(items) - 1, 2):
            key, label = items[at], _deref(doc, items[at + 1])
            if (
                isinstance(key, Num)
                and key.isdigit()
                and isinstance(label, Dict)
                and int(key) < count
            ):
                ranges.append((int(key), label))
    if not ranges or ranges[0][0] != 0:
        ranges.insert(0, (0, Dict([(b"/S", Name(b"/D"))])))
    out = []
    for index, label in ranges:
        text = b"<<"
        style = label.get(b"/S")
        if isinstance(style, Name):
            text += b" /S " + style
        text += b" /P " + _text(f"{rid}:{_read_text(label.get(b'/P'))}")
        first = label.get(b"/St")
        if isinstance(first, Num) and first.isdigit():
            text += b" /St " + first
        out.append(b"%d %s >>" % (start + index, text))
    return out
