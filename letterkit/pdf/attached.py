"""Files embedded in an annex → their names, and copies in the letter's own
``/EmbeddedFiles`` name tree.

A PDF embeds files in two places: its catalogue's ``/EmbeddedFiles`` name
tree (what a viewer's attachments panel lists) and the file specifications of
annotations (a FileAttachment's paper clip on a page). pypdf carries the
annotations with their page and leaves the name tree behind; :func:`copy_files`
copies the tree's files into the letter's, each under a name that no other
annex of the letter uses, the file's bytes copied as they are stored (never
inflated). :mod:`letterkit.pdf.active` decides whether they travel at all.

Also the small readers the annex walk shares: a value of a dictionary,
resolved (:func:`get`), a name tree's entries (:func:`leaves`) and the plain
name of a file specification (:func:`file_name`).
"""

from __future__ import annotations

import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NullObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from ._pypdf import add_object

#: The most entries read from one name tree (also the most steps along one
#: action chain, in :mod:`letterkit.pdf.active`).
MOST = 100_000


def resolve(obj: PdfObject) -> PdfObject:
    """*obj*, or the object it refers to (null when there is none)."""
    return obj.get_object() or NullObject()


def get(obj: PdfObject | None, key: str) -> PdfObject | None:
    """*obj*'s value at *key*, resolved; None when *obj* is no dictionary or
    has no such key (or it is null)."""
    if not isinstance(obj, DictionaryObject) or key not in obj:
        return None
    value = obj[key]
    return None if isinstance(value, NullObject) else value


def name_at(obj: PdfObject | None, key: str) -> str:
    """*obj*'s name at *key* (``"/Launch"``), or "" when it has none."""
    value = get(obj, key)
    return str(value) if isinstance(value, NameObject) else ""


def text(value: object) -> str:
    """A PDF string as text (a byte string read as Latin-1)."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def leaves(tree: PdfObject) -> list[tuple[str, PdfObject]]:
    """The (name, value) pairs of a name tree, in order; at most :data:`MOST`,
    each node read once (a tree that loops ends there)."""
    out: list[tuple[str, PdfObject]] = []
    seen: set[int] = set()
    stack = [resolve(tree)]
    while stack and len(out) < MOST:
        node = stack.pop()
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        names = get(node, "/Names")
        if isinstance(names, ArrayObject):
            items = list(names)
            out += [(text(resolve(k)), v) for k, v in zip(items[::2], items[1::2], strict=False)]
        kids = get(node, "/Kids")
        if isinstance(kids, ArrayObject):
            stack += [resolve(kid) for kid in reversed(kids)]
    return out[:MOST]


def embedded(reader: PdfReader) -> list[tuple[str, PdfObject]]:
    """The (name, file specification) pairs of *reader*'s ``/EmbeddedFiles``
    that hold a file."""
    tree = get(get(reader.root_object, "/Names"), "/EmbeddedFiles")
    if tree is None:
        return []
    return [(n, spec) for n, spec in leaves(tree) if get(resolve(spec), "/EF") is not None]


def file_name(spec: PdfObject, default: str) -> str:
    """The file name a file specification gives (its ``/UF``, else ``/F``), as
    a plain name: the last part of a path, at most 100 characters."""
    spec = resolve(spec)
    name = default
    if isinstance(spec, DictionaryObject):
        for key in ("/UF", "/F", "/Unix", "/DOS", "/Mac"):
            value = get(spec, key)
            if isinstance(value, str | bytes) and text(value).strip():
                name = text(value)
                break
    elif isinstance(spec, str | bytes):
        name = text(spec)
    name = re.split(r"[/\\:]", name.strip())[-1].strip()
    return (name or "unnamed")[:100]


def copy_files(writer: PdfWriter, reader: PdfReader, number: int) -> list[PdfObject]:
    """Copy the files of *reader*'s ``/EmbeddedFiles`` (annex *number*) into
    *writer*'s name tree, kept in order; a name another annex took already
    gets the annex number: ``data (annex 2).csv``. Returns the copied file
    streams."""
    files = embedded(reader)
    if not files:
        return []
    target = get(writer.root_object, "/Names")
    if not isinstance(target, DictionaryObject):
        target = DictionaryObject()
        writer.root_object[NameObject("/Names")] = target
    tree = get(target, "/EmbeddedFiles")
    if not isinstance(tree, DictionaryObject):
        tree = DictionaryObject({NameObject("/Names"): ArrayObject()})
        target[NameObject("/EmbeddedFiles")] = tree
    flat = get(tree, "/Names")
    flat = flat if isinstance(flat, ArrayObject) else ArrayObject()
    pairs: list[tuple[PdfObject, PdfObject]] = list(zip(flat[::2], flat[1::2], strict=False))
    taken = {text(k) for k, _v in pairs}
    streams: list[PdfObject] = []
    for name, spec in files:
        copied = _filespec(writer, spec)
        if copied is None:
            continue
        unique = _unique(file_name(spec, name), number, taken)
        copied[NameObject("/F")] = copied[NameObject("/UF")] = TextStringObject(unique)
        streams.append(resolve(copied["/EF"]["/F"]))  # type: ignore[index]
        pairs.append((TextStringObject(unique), add_object(writer, copied)))
    pairs.sort(key=lambda pair: TextStringObject(text(pair[0])).get_encoded_bytes())
    tree[NameObject("/Names")] = ArrayObject([x for pair in pairs for x in pair])
    return streams


def _filespec(writer: PdfWriter, spec: PdfObject) -> DictionaryObject | None:
    """A new file specification in *writer* holding *spec*'s embedded file
    (cloned as it is stored, never inflated) and its description; None when
    *spec* embeds no file."""
    spec = resolve(spec)
    files = get(spec, "/EF")
    if not isinstance(spec, DictionaryObject) or not isinstance(files, DictionaryObject):
        return None
    key = "/UF" if isinstance(get(files, "/UF"), StreamObject) else "/F"
    if not isinstance(get(files, key), StreamObject):
        return None
    stream = files.raw_get(key).clone(writer)
    out = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/EF"): DictionaryObject(
                {NameObject("/F"): stream, NameObject("/UF"): stream}
            ),
        }
    )
    desc = get(spec, "/Desc")
    if isinstance(desc, str):
        out[NameObject("/Desc")] = TextStringObject(str(desc))
    return out


def _unique(name: str, number: int, taken: set[str]) -> str:
    """*name*, or *name* with the annex *number* when another file has it."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, dot, suffix = name, "", ""
    candidate = name
    again = 1
    while candidate in taken:
        which = f"annex {number}" if again == 1 else f"annex {number}, {again}"
        candidate = f"{stem} ({which}){dot}{suffix}"
        again += 1
    taken.add(candidate)
    return candidate


__all__ = ["MOST", "copy_files", "embedded", "file_name", "get", "leaves", "name_at", "resolve"]
