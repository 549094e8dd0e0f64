"""Annex pages that share annotations → appended with the shared ones copied once.

pypdf copies a page's annotations page by page, and makes a new copy of
every link that points at a page for each page it is on: 5,000 pages that
share one array of 100 annotations would cost 500,000 copies. Here each
distinct annotation array (the same annotations in the same order) is
copied with the first page that has it; the other pages get the copy of
that array, as one shared object, as they had it in the source.

Before that, :func:`clean` drops what a page's ``/Annots`` holds that is no
annotation (``null``, numbers, names, references to nothing), and the
``/Annots`` entry itself when it is no array: viewers skip those, so the
page is carried as they show it. :func:`clean_fields` does the same for
the form's ``/Fields``, before its fields are renamed per annex, and
:func:`shown_rects` gives the stamping stage the boxes of the annotations a
viewer shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from ._pypdf import add_object

_ANNOTS = NameObject("/Annots")


def clean(page: PageObject, seen: set[int] | None = None) -> int:
    """Drop from *page*'s ``/Annots`` every entry that is not an annotation
    dictionary, and ``/Annots`` itself when it is not an array; how many
    entries were dropped. The array is changed where it is (an array that
    pages share is cleaned once for all: *seen* holds the ids of the arrays
    looked at already)."""
    if _ANNOTS not in page:
        return 0
    array = page.raw_get(_ANNOTS)
    if isinstance(array, IndirectObject):
        array = array.get_object()
    if not isinstance(array, ArrayObject):
        del page[_ANNOTS]
        return 1
    if seen is not None:
        if id(array) in seen:
            return 0
        seen.add(id(array))
    return _keep_dictionaries(array)


def clean_fields(reader: PdfReader) -> int:
    """Drop from the document's form (``/AcroForm``) every field that is not
    a dictionary, its ``/Fields`` when that is not an array, and the form
    when it is not a dictionary; how many entries were dropped."""
    root = reader.root_object
    if "/AcroForm" not in root:
        return 0
    form = _resolved(root.raw_get("/AcroForm"))
    if not isinstance(form, DictionaryObject):
        del root[NameObject("/AcroForm")]
        return 1
    if "/Fields" not in form:
        return 0
    fields = _resolved(form.raw_get("/Fields"))
    if not isinstance(fields, ArrayObject):
        del form[NameObject("/Fields")]
        return 1
    return _keep_dictionaries(fields)


def _keep_dictionaries(array: ArrayObject) -> int:
    """Drop from *array*, in place, every entry that is not an annotation or
    field dictionary; how many were dropped."""
    kept = [item for item in array if _is_annotation(item)]
    dropped = len(array) - len(kept)
    if dropped:
        array[:] = kept
    return dropped


def _resolved(value: object) -> object:
    """*value*, followed if it is a reference (None when it leads nowhere)."""
    try:
        return value.get_object() if isinstance(value, IndirectObject) else value
    except Exception:  # a reference pypdf cannot resolve
        return None


def _is_annotation(item: object) -> bool:
    """Whether *item* is (or refers to) a dictionary, as an annotation is."""
    return isinstance(_resolved(item), DictionaryObject)


def annotation_key(page: PageObject) -> tuple[tuple[int, int], ...] | None:
    """The annotations of *page*, by object number, when all are objects of
    their own (the only ones that can be shared); None otherwise."""
    if _ANNOTS not in page:
        return None
    array = page.raw_get(_ANNOTS)
    if isinstance(array, IndirectObject):
        array = array.get_object()
    if not isinstance(array, ArrayObject) or not array:
        return None
    if not all(isinstance(item, IndirectObject) for item in array):
        return None
    return tuple((item.idnum, item.generation) for item in array)


def append(writer: PdfWriter, reader: PdfReader, pages: Sequence[int], **options: Any) -> None:
    """``writer.append(reader, pages=pages, **options)``, each annotation array
    that several of the *pages* share copied once and shared again."""
    start = len(writer.pages)
    leaders: dict[tuple[tuple[int, int], ...], int] = {}  # key → position of its first page
    followers: list[tuple[int, int]] = []  # (position, position of its leader)
    taken: list[tuple[PageObject, Any]] = []  # source pages whose /Annots is held back
    leader_pages: set[int] = set()
    cleaned: set[int] = set()
    try:
        for position, index in enumerate(pages):
            page = reader.pages[index]
            clean(page, cleaned)
            key = annotation_key(page)
            if key is None:
                continue
            lead = leaders.setdefault(key, position)
            if lead == position:
                leader_pages.add(id(page))
                continue
            followers.append((position, lead))
            if id(page) not in leader_pages and _ANNOTS in page:
                taken.append((page, page.raw_get(_ANNOTS)))
                del page[_ANNOTS]
        writer.append(reader, pages=list(pages), **options)
    finally:
        for page, array in taken:
            page[_ANNOTS] = array
    _share(writer, start, followers)


def _share(writer: PdfWriter, start: int, followers: list[tuple[int, int]]) -> None:
    """Give each follower page the copied annotation array of its leader, as
    one object."""
    shared: dict[int, IndirectObject | None] = {}
    for position, lead in followers:
        if lead not in shared:
            page = writer.pages[start + lead]
            array = page.raw_get(_ANNOTS) if _ANNOTS in page else None
            if isinstance(array, ArrayObject):
                array = add_object(writer, array)
                page[_ANNOTS] = array
            shared[lead] = array if isinstance(array, IndirectObject) else None
        ref = shared[lead]
        if ref is not None:
            writer.pages[start + position][_ANNOTS] = ref


def shown_rects(page: PageObject) -> list[tuple[float, float, float, float]]:
    """The rectangles of the annotations a viewer shows on the page."""
    out: list[tuple[float, float, float, float]] = []
    annots = page.get("/Annots")
    annots = annots.get_object() if isinstance(annots, IndirectObject) else annots
    for ref in annots if isinstance(annots, list) else []:
        annot = _resolved(ref)
        if not isinstance(annot, DictionaryObject):
            continue
        flags = int(annot.get("/F", 0) or 0)
        if annot.get("/Subtype") in ("/Link", "/Popup") or flags & (2 | 32):
            continue
        rect = annot.get("/Rect")
        if rect is not None and len(rect) == 4:
            x0, y0, x1, y1 = (float(v) for v in rect)
            out.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return out
