"""pyuca's collation table (the DUCET text file it ships) → a collator whose
parsed table is kept in the cache (:mod:`letterkit.cache`), so a process sorts
its signatories without parsing 30,000 lines again.

The first process parses the file with pyuca itself and writes the table in
a compact form (:class:`FlatTable`); later processes load that, and it
answers pyuca's one question of its table (``find_prefix``) exactly as
pyuca's trie does, so every sort key is the one pyuca computes.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from array import array
from bisect import bisect_left
from itertools import chain
from pathlib import Path
from typing import Any

from .. import cache, memo

#: A table entry: the code points of a key → its collation elements.
Table = dict[tuple[int, ...], tuple[tuple[int, ...], ...]]
#: Weights per collation element (primary, secondary, tertiary).
WIDTH = 3


class FlatTable:
    """pyuca's table in a compact form: the one-character keys as a sorted array
    of code points with their weights in one array (looked up by bisection), the
    few longer keys (contractions) in a dict, and the starts of those longer keys
    (the trie's inner nodes). Loading it makes a handful of objects, not one per
    entry; the elements of a key are made when a name asks for them."""

    def __init__(
        self, codes: array[int], spans: array[int], weights: array[int], longer: Table
    ) -> None:
        if len(spans) != len(codes) + 1 or (spans and spans[-1] != len(weights)):
            raise ValueError("the arrays of a collation table do not fit together")
        self.codes, self.spans, self.weights, self.longer = codes, spans, weights, longer
        self.starts = {key[:n] for key in longer for n in range(1, len(key))}
        self.made: dict[int, tuple[tuple[int, ...], ...]] = {}

    @classmethod
    def of(cls, values: Table) -> FlatTable:
        """The compact form of a table of every key."""
        codes, spans, weights = array("I"), array("I", [0]), array("H")
        for key in sorted(k for k in values if len(k) == 1):
            codes.append(key[0])
            for element in values[key]:
                weights.extend(element[:WIDTH])
            spans.append(len(weights))
        return cls(codes, spans, weights, {k: v for k, v in values.items() if len(k) > 1})

    def _single(self, code: int) -> tuple[tuple[int, ...], ...] | None:
        made = self.made.get(code)
        if made is not None:
            return made
        at = bisect_left(self.codes, code)
        if at == len(self.codes) or self.codes[at] != code:
            return None
        w, start, end = self.weights, self.spans[at], self.spans[at + 1]
        made = tuple(tuple(w[i : i + WIDTH]) for i in range(start, end, WIDTH))
        self.made[code] = made
        return made

    def find_prefix(self, key: list[int]) -> tuple[list[int], Any, list[int]]:
        """The longest start of *key* that has collation elements, those elements
        (None when no start has), and the rest of *key*: pyuca's ``Trie.find_prefix``."""
        found, value = 0, None
        for n in range(1, len(key) + 1):
            head = tuple(key[:n])
            elements = self._single(head[0]) if n == 1 else self.longer.get(head)
            if elements is None and head not in self.starts:
                break
            if elements:
                found, value = n, elements
        return key[:found], value, key[found:]


def _flatten(node: Any, prefix: tuple[int, ...], out: Table) -> None:
    """The entries under one node of pyuca's trie (``value``, ``children``) → *out*."""
    if node.value is not None:
        out[prefix] = tuple(tuple(element) for element in node.value)
    for code, child in (node.children or {}).items():
        _flatten(child, (*prefix, code), out)


def _encode(collator: Any) -> object:
    values: Table = {}
    _flatten(collator.table.root, (), values)
    if any(
        len(e) != WIDTH or not all(0 <= w <= 0xFFFF for w in e) for v in values.values() for e in v
    ):
        raise ValueError("collation elements of another shape: not kept")
    table = FlatTable.of(values)
    return {
        "implicit": [tuple(w) for w in collator.implicit_weights],
        "codes": table.codes.tobytes(),
        "spans": table.spans.tobytes(),
        "weights": table.weights.tobytes(),
        "longer": table.longer,
    }


def _array(kind: str, data: object) -> array[int]:
    if not isinstance(data, bytes):
        raise ValueError("not a collation table")
    out = array(kind)
    out.frombytes(data)
    return out


def _decode(data: object) -> Any:
    import pyuca

    if not isinstance(data, dict) or not isinstance(data.get("longer"), dict):
        raise ValueError("not a collation table")
    codes, spans = _array("I", data["codes"]), _array("I", data["spans"])
    table = FlatTable(codes, spans, _array("H", data["weights"]), data["longer"])
    collator = pyuca.Collator.__new__(pyuca.Collator)
    collator.table = table
    collator.implicit_weights = [
        [int(start), int(end), int(base)] for start, end, base in data["implicit"]
    ]
    return collator


def table_file() -> Path:
    """The DUCET text file pyuca's default collator reads."""
    import pyuca.collator

    version = pyuca.Collator.UCA_VERSION
    return Path(pyuca.collator.__file__).parent / f"allkeys-{version}.txt"


#: How many signatory lists' sort keys the user cache keeps (the newest).
_LISTS_KEPT = 64
#: Single texts whose sort keys are kept in memory (a few large signatory lists).
_TEXTS_KEPT = 20_000


def _table_key() -> list[object] | None:
    """What pyuca's table file is, for the cache's keys (None when pyuca finds
    its file some other way). The file of an installed package changes only with
    a new install, which changes its size or modification time; the arrays are
    in this machine's layout."""
    import pyuca

    try:
        path = table_file()
        stat = path.stat()
    except OSError:
        return None
    layout = (sys.byteorder, array("I").itemsize, array("H").itemsize)
    return ["pyuca", pyuca.Collator.UCA_VERSION, str(path), stat.st_size, stat.st_mtime_ns, layout]


@functools.cache
def collator() -> Any:
    """pyuca's default collator (DUCET), its table loaded from the cache when it
    holds one for this very table file."""
    import pyuca

    key = _table_key()
    if key is None:  # pyuca finds its file some other way: let it
        return pyuca.Collator()
    return cache.cached("uca", key, pyuca.Collator, _encode, _decode)


SortKey = tuple[int, ...]


@memo.table
@functools.lru_cache(maxsize=16)
def sort_keys(texts: tuple[str, ...]) -> tuple[SortKey, ...]:
    """The sort keys of *texts* (distinct, in order), one per text, as pyuca's
    default collator gives them; those of a list sorted before, in this process
    or an earlier one, read back from the cache (a signatory list is the same
    from one render of a letter to the next)."""

    def build() -> tuple[SortKey, ...]:
        return tuple(_sort_key(text) for text in texts)

    table = _table_key()
    if table is None:
        return build()
    names = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        names.update(len(data).to_bytes(8, "big") + data)
    key = [*table, len(texts), names.hexdigest()]
    return cache.cached(
        "ucakeys", key, build, list, lambda data: _keys(data, len(texts)), keep=_LISTS_KEPT
    )


@memo.table
@functools.lru_cache(maxsize=_TEXTS_KEPT)
def _sort_key(text: str) -> SortKey:
    """The sort key of one text, kept in this process: a list edited in one row
    (a watched letter saved again) has its other keys made already."""
    return tuple(collator().sort_key(text))


def _keys(data: object, count: int) -> tuple[SortKey, ...]:
    """A cache entry of :func:`sort_keys` → the keys, checked to be *count* tuples of ints."""
    if not isinstance(data, list) or len(data) != count:
        raise ValueError("not the sort keys of these texts")
    keys = tuple(data)
    if not {type(k) for k in keys} <= {tuple} or not set(map(type, chain(*keys))) <= {int}:
        raise ValueError("sort keys of another shape")
    return keys
