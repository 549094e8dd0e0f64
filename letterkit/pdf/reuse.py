"""The objects of many letters → objects of one file, each identical one written once.

A bundle's letters repeat most of their objects: every letter of one layout
carries the same annexes, forms and font programs under the same numbers,
and letters of different layouts (languages) share annex streams under
other numbers. :class:`Store` takes the letters one after the other and
gives each object it keeps a number in the joined file:

* an object that refers, directly or not, to a page, a page tree node or an
  outline root (the caller's *fixed* objects) belongs to its letter: it is
  written again for every letter, renumbered;
* any other object is written once: a letter whose object has the bytes and
  the references of the same object of an earlier letter of its layout (a
  *layout* remembers, number by number, what the last letters held) takes
  the earlier one's number without being read; an object seen in no layout
  is renumbered, and written only if no object with the same text after
  renumbering was written before (a bounded table of digests).

Only the numbers, the layouts (a few, each the size of one letter) and the
digest table (capped) are kept: memory does not grow with the letters.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import memo
from .parts import Parsed
from .syntax import Array, Ref, SpliceError, Value

__all__ = ["Store"]

#: Most layouts remembered (each is about one letter's objects).
LAYOUTS = 8
#: Most digests of written objects remembered.
DIGESTS = 4_096
#: A layout fits a letter when it holds this share of the letter's bytes.
_FITS = 0.5


#: An object's text cut around its references: the text before each, after
#: the last, and the number each refers to (``[a, b], [5]`` is ``a 5 b``).
Pieces = tuple[tuple[bytes, ...], tuple[int, ...]]

#: The pieces of objects read in this process, with the stream that follows
#: (if any), by their bytes (letters repeat most of their objects); bounded
#: like :mod:`letterkit.pdf.parts`' values.
_PIECES: dict[bytes, tuple[Pieces, bytes]] = memo.table({})
_PIECES_MAX = 1024
_PIECE_BODY_MAX = 4096


def pieces(value: Value) -> Pieces:
    """*value* as text cut around its references (written as
    :func:`~letterkit.pdf.syntax.write` writes it)."""
    texts: list[bytes] = []
    numbers: list[int] = []
    current: list[bytes] = []

    def walk(item: Value) -> None:
        if isinstance(item, bytes):
            current.append(item)
        elif isinstance(item, Ref):
            texts.append(b"".join(current))
            current.clear()
            numbers.append(item.num)
            current.append(b"%s%d%sR" % (item.gaps[0], item.gen, item.gaps[1]))
        elif isinstance(item, Array):
            current.append(b"[")
            for gap, inner in zip(item.gaps, item.items, strict=False):
                current.append(gap)
                walk(inner)
            current.extend((item.gaps[-1], b"]"))
        else:
            current.append(b"<<")
            gaps = iter(item.gaps)
            for key, inner in zip(item.keys, item.values, strict=True):
                current.extend((next(gaps), key, next(gaps)))
                walk(inner)
            current.extend((next(gaps), b">>"))

    walk(value)
    texts.append(b"".join(current))
    return tuple(texts), tuple(numbers)


def renumbered(cut: Pieces, mapping: dict[int, int]) -> bytes:
    """The text of *cut* with each reference renumbered by *mapping*."""
    texts, numbers = cut
    out = [texts[0]]
    for number, text in zip(numbers, texts[1:], strict=True):
        new = mapping.get(number)
        if new is None:
            raise SpliceError(f"a reference to object {number}, which is not carried over")
        out += (b"%d" % new, text)
    return b"".join(out)


def _cut(doc: Parsed, num: int, values: dict[int, Value]) -> tuple[Pieces, bytes]:
    """The pieces of object *num* of *doc* (or of its value in *values*), and
    the stream after its value."""
    obj = doc.objects.get(num)
    if obj is None:
        raise SpliceError(f"a reference to object {num}, which the letter does not have")
    if num in values:
        return pieces(values[num]), obj.tail
    found = _PIECES.get(obj.body)
    if found is None:
        found = pieces(obj.value), obj.tail
        if len(obj.body) <= _PIECE_BODY_MAX:
            memo.keep(_PIECES, obj.body, found, _PIECES_MAX)
    return found


@dataclass(frozen=True)
class _Kept:
    """What a layout remembers of one object: its bytes, its number in the
    joined file, and each reference with the number it was given then."""

    body: bytes
    number: int
    refs: tuple[tuple[int, int], ...]


@dataclass
class _Layout:
    objects: dict[int, _Kept] = field(default_factory=dict)

    def matches(self, doc: Parsed, skip: set[int] | dict[int, int]) -> dict[int, int]:
        """The objects of *doc* known here: {number in doc: number in the joined
        file}, each with its bytes and all it refers to known alike."""
        found: dict[int, int] = {}
        for num, kept in self.objects.items():
            obj = doc.objects.get(num)
            if obj is not None and num not in skip and obj.body == kept.body:
                found[num] = kept.number
        changed = True
        while changed:
            changed = False
            for num in list(found):
                if any(found.get(ref) != new for ref, new in self.objects[num].refs):
                    del found[num]
                    changed = True
        return found


class Store:
    """Gives the objects of letters their numbers in one file, writing each
    through *emit* (number, text) and taking new numbers from *allocate*."""

    def __init__(self, emit: Callable[[int, bytes], None], allocate: Callable[[], int]) -> None:
        self._emit = emit
        self._allocate = allocate
        self._layouts: list[_Layout] = []
        self._digests: OrderedDict[bytes, int] = OrderedDict()

    def place(
        self,
        doc: Parsed,
        size: int,
        roots: list[int],
        fixed: dict[int, int],
        pages: set[int],
        values: dict[int, Value],
    ) -> dict[int, int]:
        """Write what *roots* lead to in *doc* (a letter of *size* bytes); return
        every such object's number in the joined file.

        *fixed* are objects not written but numbered already (the letter's
        page tree nodes, its outline root): what refers to them belongs to
        the letter, as *pages* do. *values* replace the values of some pages
        (with what they inherit)."""
        skip = set(fixed) | pages
        layout, known = self._layout(doc, size, skip)
        mapping = dict(fixed)
        mapping.update(known)
        own: list[int] = []  # written for this letter alone, once all are numbered
        own_set: set[int] = set()
        for group in _components(doc, roots, mapping, values):
            num = group[0]
            if len(group) == 1 and num not in pages:
                cut, tail = _cut(doc, num, values)
                targets = cut[1]
                if not any(t in fixed or t in own_set or t == num for t in targets):
                    text = renumbered(cut, mapping) + tail
                    mapping[num] = self._shared(text)
                    pairs = tuple((t, mapping[t]) for t in targets)
                    layout.objects[num] = _Kept(doc.objects[num].body, mapping[num], pairs)
                    continue
            for member in group:
                mapping[member] = self._allocate()
                own.append(member)
                own_set.add(member)
        for num in own:
            cut, tail = _cut(doc, num, values)
            self._emit(mapping[num], renumbered(cut, mapping) + tail)
        return mapping

    def _layout(self, doc: Parsed, size: int, skip: set[int]) -> tuple[_Layout, dict[int, int]]:
        """The remembered layout that fits *doc* best (made the latest), and
        what of *doc* it knows; a new layout when none knows enough."""
        best: tuple[int, int, dict[int, int]] | None = None
        for index, layout in enumerate(self._layouts):
            found = layout.matches(doc, skip)
            share = sum(len(layout.objects[n].body) for n in found)
            if best is None or share > best[0]:
                best = (share, index, found)
            if share >= size * _FITS:
                break
        if best is not None and best[0] >= size * _FITS:
            layout = self._layouts.pop(best[1])
            found = best[2]
        else:
            layout, found = _Layout(), {}
            if len(self._layouts) >= LAYOUTS:
                self._layouts.pop()
        self._layouts.insert(0, layout)
        return layout, found

    def _shared(self, text: bytes) -> int:
        """The number of an object that may be shared, with *text*: the one of
        an identical object written before, or a new one, written now."""
        digest = hashlib.blake2b(text, digest_size=20).digest()
        found = self._digests.get(digest)
        if found is not None:
            self._digests.move_to_end(digest)
            return found
        number = self._allocate()
        self._emit(number, text)
        if len(self._digests) >= DIGESTS:
            self._digests.popitem(last=False)
        self._digests[digest] = number
        return number


def _components(
    doc: Parsed, roots: list[int], known: dict[int, int], values: dict[int, Value]
) -> list[list[int]]:
    """The objects *roots* lead to that *known* does not number, in strongly
    connected components (Tarjan), each after every component it refers to."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    out: list[list[int]] = []

    def targets(num: int) -> list[int]:
        return [t for t in _cut(doc, num, values)[0][1] if t not in known]

    for root in roots:
        if root in index or root in known:
            continue
        work: list[tuple[int, list[int], int]] = [(root, targets(root), 0)]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            num, nexts, at = work[-1]
            if at < len(nexts):
                work[-1] = (num, nexts, at + 1)
                child = nexts[at]
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, targets(child), 0))
                elif child in on_stack:
                    low[num] = min(low[num], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[num])
            if low[num] == index[num]:
                group: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == num:
                        break
                out.append(group)
    return out
