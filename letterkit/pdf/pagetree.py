"""A letter file's page tree → its pages in order, each with what it inherits,
for :mod:`letterkit.pdf.combine`.

A letter's pages may take their resources, boxes and rotation from the page
tree nodes above them; a combined file hangs them under nodes of its own, so
each such page is given what it inherited. A tagged letter's page keys
(``/StructParents``) are left out: the combined file carries no structure
tree for them to point into.
"""

from __future__ import annotations

from .. import memo
from .parts import Parsed
from .syntax import Array, Ref, SpliceError, Value, copy, dict_of

#: What a page takes from the page tree nodes above it when it has none of its own.
_INHERITED = (b"/Resources", b"/MediaBox", b"/CropBox", b"/Rotate")
#: What a page of a tagged letter keys into its structure tree.
_TAGGED = b"/StructParents"

#: Values of page tree nodes, pages, catalogues and outline roots read in this
#: process, by their bytes: the letters of a layout repeat them. Shared, so
#: never changed.
_VALUES: dict[bytes, Value] = memo.table({})
_VALUES_MAX = 1024
_VALUE_BODY_MAX = 4096


def value_of(doc: Parsed, num: int) -> Value | None:
    """The value of object *num* of *doc* (None if it has none)."""
    obj = doc.objects.get(num)
    if obj is None:
        return None
    found = _VALUES.get(obj.body)
    if found is None:
        found = obj.value
        if len(obj.body) <= _VALUE_BODY_MAX:
            memo.keep(_VALUES, obj.body, found, _VALUES_MAX)
    return found


def deref(doc: Parsed, item: Value | None) -> Value | None:
    """*item*, or what it refers to."""
    return value_of(doc, item.num) if isinstance(item, Ref) else item


def page_tree(doc: Parsed) -> tuple[list[int], list[int], dict[int, Value]]:
    """The letter's pages in order, its page tree nodes, and the value of each
    page that inherits from the nodes above it, with what it inherits (or
    that keys a structure tree, without that key)."""
    pages: list[int] = []
    nodes: list[int] = []
    values: dict[int, Value] = {}
    seen: set[int] = set()

    def visit(num: int, inherited: dict[bytes, Value], depth: int) -> None:
        if num in seen or depth > 32:
            raise SpliceError(f"the page tree loops or is too deep at object {num}")
        seen.add(num)
        value = dict_of(value_of(doc, num), f"page tree node {num}")
        kids = value.get(b"/Kids")
        if value.get(b"/Type") == b"/Pages" or (kids is not None and value.get(b"/Type") is None):
            nodes.append(num)
            below = dict(inherited)
            below.update({k: v for k in _INHERITED if (v := value.get(k)) is not None})
            items = deref(doc, kids)
            for kid in items.items if isinstance(items, Array) else []:
                if not isinstance(kid, Ref):
                    raise SpliceError(f"the page tree node {num} has a kid that is no reference")
                visit(kid.num, below, depth + 1)
            return
        missing = [k for k in _INHERITED if k in inherited and value.get(k) is None]
        if missing or _TAGGED in value:
            value = copy(value)  # type: ignore[assignment]
            for key in missing:
                value.set(key, inherited[key])
            value.drop(_TAGGED)
            values[num] = value
        pages.append(num)

    visit(doc.pages_root, {}, 0)
    return pages, nodes, values
