"""An annex's copy for the letter → the same pages with nothing in them that runs,
and the annex's embedded files → left out, or carried into the letter.

An annex travels as a document, never as a program. :func:`strip` walks every
object of the copy pypdf makes of an annex's selected pages (a
:class:`~pypdf.PdfWriter` that holds only what the letter carries: the pages,
their annotations and fields, the annex's outline and form) and removes:

* actions that run a script or reach outside the document: JavaScript
  (and a ``javascript:`` URI), a URI to anything but a web page or a mail
  address (a local file, a network share, ``data:``), Launch, SubmitForm, ImportData, GoToR, GoToE,
  and the multimedia actions (Rendition, Movie, Sound, GoTo3DView,
  RichMediaExecute), wherever they stand (an annotation's or outline item's
  ``/A``, the ``/AA`` of a page, field or annotation, a ``/Next`` chain: a
  removed action is replaced by what follows it in the chain);
* an XFA form (``/AcroForm /XFA``) and document JavaScript (``/Names
  /JavaScript``);
* RichMedia, Screen, Movie, Sound and 3D annotations, with their pop-ups;
* unless the annex says ``attachments: keep``, FileAttachment annotations
  and any other embedded file (``/EF``).

Web and mail links, GoTo, named actions (next page, print…), ResetForm, Hide,
SetOCGState and form fields with their appearances stay. What the annex's
catalogue holds and pypdf does not copy (``/OpenAction``, ``/AA``, document
JavaScript, the ``/EmbeddedFiles`` name tree) is counted as removed too: it
does not reach the letter either.

:func:`carry_files` copies an annex's ``/EmbeddedFiles`` into the letter's
own name tree when the annex keeps its attachments, each name unique in the
letter. :func:`report` turns what was removed into LK132 and LK134 warnings.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    PdfObject,
)

from .. import memo
from ..input.sources import Reporter, display_path
from ..typeset.markup import link_target
from .annexes import OpenAnnex
from .attached import MOST, copy_files, embedded, file_name, get, leaves, name_at, resolve, text

#: Actions that run a script, open or fetch a file, or send data: removed.
ACTIONS = (
    "JavaScript", "Launch", "SubmitForm", "ImportData", "GoToR", "GoToE",
    "Rendition", "Movie", "Sound", "GoTo3DView", "RichMediaExecute",
)  # fmt: skip
_ACTIONS = {f"/{kind}" for kind in ACTIONS}
#: Annotations that play embedded media or 3D content: removed.
MEDIA = ("RichMedia", "Screen", "Movie", "Sound", "3D")
_MEDIA = {f"/{kind}" for kind in MEDIA}
_SCRIPT_URI = re.compile(r"[\x00-\x20]*(javascript|vbscript)\s*:", re.IGNORECASE)
#: The count of URI links to anything else (a local file, a network share, data).
OTHER_LINK = "other link"


@dataclass
class Removed:
    """What was taken out of one annex: actions and annotations by kind, XFA
    forms, and the names of the embedded files left out."""

    actions: Counter[str] = field(default_factory=Counter)
    annotations: Counter[str] = field(default_factory=Counter)
    xfa: int = 0
    files: list[str] = field(default_factory=list)

    def kinds(self) -> list[str]:
        """What was removed, in words: ``["JavaScript (3 actions)", "a Launch action"]``."""
        out = []
        if self.actions["JavaScript"]:
            out.append(f"JavaScript ({_counted(self.actions['JavaScript'], 'action')})")
        if self.actions[OTHER_LINK]:
            number = self.actions[OTHER_LINK]
            out.append(
                f"{_counted(number, 'link')} to a local file, a network share or data "
                "(only web and mail links stay)"
            )
        out += [_count(self.actions[k], f"{k} action") for k in ACTIONS[1:] if self.actions[k]]
        out += [
            _count(self.annotations[k], f"{k} annotation") for k in MEDIA if self.annotations[k]
        ]
        if self.xfa:
            out.append("an XFA form")
        return out


def _count(number: int, what: str) -> str:
    """``1, "Launch action"`` → "a Launch action"; ``1, "embedded file"`` → "an
    embedded file"; ``2`` → "2 Launch actions"."""
    if number == 1:
        return f"{'an' if what[0].lower() in 'aeiou' or what.startswith('X') else 'a'} {what}"
    return f"{number} {what}s"


def _counted(number: int, what: str) -> str:
    """``1, "action"`` → "1 action"; ``3`` → "3 actions"."""
    return f"{number:,} {what}" + ("" if number == 1 else "s")


#: What :func:`strip` removed, by annex reader, then by (pages, keep): kept as
#: long as the reader, so that a letter whose annex copy was remembered
#: (:mod:`letterkit.pdf.assemble`) still reports what its copy lacks.
_FOUND: weakref.WeakKeyDictionary[PdfReader, dict[tuple[tuple[int, ...], bool], Removed]] = (
    memo.table(weakref.WeakKeyDictionary())
)


def strip(copy: PdfWriter, source: PdfReader, pages: Sequence[int], keep: bool) -> Removed:
    """Remove from *copy* (the selected *pages* of *source*, appended by pypdf)
    everything that runs or reaches outside it, and, unless *keep*, every
    embedded file; return what was removed (also remembered for :func:`report`)."""
    walker = _Walker(keep)
    walker.left_behind(source, copy.root_object)
    walker.walk(copy.root_object)
    _FOUND.setdefault(source, {})[(tuple(pages), keep)] = walker.removed
    return walker.removed


class _Walker:
    """One walk over a document's objects, from a root, removing as it goes."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.removed = Removed()
        self.seen: set[int] = set()  # the containers walked, by id
        self.counted: set[int] = set()  # the actions and annotations counted, by id

    def left_behind(self, reader: PdfReader, copy: DictionaryObject) -> None:
        """Count what *reader*'s catalogue holds and the copy's (*copy*) does not."""
        source = reader.root_object
        for key in ("/OpenAction", "/AA"):
            value = get(source, key)
            if value is not None and key not in copy:
                triggers = [value]
                if key == "/AA" and isinstance(value, DictionaryObject):
                    triggers = [value[trigger] for trigger in value]
                for action in triggers:
                    self.count_chain(action)
        names, copied = get(source, "/Names"), get(copy, "/Names")
        scripts = get(names, "/JavaScript")
        if scripts is not None and get(copied, "/JavaScript") is None:
            for _name, action in leaves(scripts):
                self.count_chain(action)
        xfa = get(get(source, "/AcroForm"), "/XFA")
        if xfa is not None and get(get(copy, "/AcroForm"), "/XFA") is None:
            self.removed.xfa += 1
        if not self.keep:
            self.removed.files += [file_name(spec, name) for name, spec in embedded(reader)]

    def walk(self, root: PdfObject) -> None:
        """Visit every dictionary and array reachable from *root* once."""
        stack: list[PdfObject] = [root]
        while stack:
            obj = stack.pop()
            if id(obj) in self.seen:
                continue
            self.seen.add(id(obj))
            if isinstance(obj, DictionaryObject):
                self._dict(obj, stack)
            elif isinstance(obj, ArrayObject):
                self._array(obj, stack)

    def _dict(self, obj: DictionaryObject, stack: list[PdfObject]) -> None:
        for key in list(obj.keys()):
            value = obj[key]
            if key == "/XFA":
                self.removed.xfa += 1
                del obj[key]
            elif key in ("/JavaScript", "/EmbeddedFiles") and isinstance(value, DictionaryObject):
                if key == "/JavaScript":  # a /Names dictionary's document scripts
                    for _name, action in leaves(value):
                        self.count_chain(action)
                del obj[key]  # the annex's files travel by :func:`carry_files` only
            elif key == "/EF" and not self.keep:
                self.removed.files.append(file_name(obj, ""))
                del obj[key]
            elif key == "/AA" and isinstance(value, DictionaryObject):
                for trigger in list(value.keys()):
                    self._place(value, NameObject(trigger), stack)
                if not value:
                    del obj[key]
            else:
                self._place(obj, NameObject(key), stack)

    def _place(self, obj: DictionaryObject, key: NameObject, stack: list[PdfObject]) -> None:
        """Keep, replace or delete the value at *key* of *obj*."""
        value = obj[key]
        if self._is_removed_annotation(value):
            del obj[key]
        elif _is_removed_action(value):
            rest = self.after(value)
            if rest is not None and key != "/Next":
                rest = self._head(rest)  # where one action stands (/A, a trigger)
            if rest is None:
                del obj[key]
            else:
                obj[key] = rest
                stack.append(resolve(rest))
        elif isinstance(value, DictionaryObject | ArrayObject):
            stack.append(value)

    def _head(self, rest: PdfObject) -> PdfObject | None:
        """*rest*, or when it is an array (a chain may go on in several), its
        first action that stays; the others are dropped, the removed ones
        counted."""
        items = resolve(rest)
        if not isinstance(items, ArrayObject):
            return rest
        head: PdfObject | None = None
        for item in items:
            value = resolve(item)
            stays = isinstance(value, DictionaryObject) and not _is_removed_action(value)
            if head is None and stays:
                head = item
            else:
                self.count_chain(value)
        return head

    def _array(self, obj: ArrayObject, stack: list[PdfObject]) -> None:
        kept: list[PdfObject] = []
        for item in obj:
            value = resolve(item)
            if self._is_removed_annotation(value) or self._is_orphan_popup(value):
                continue
            if _is_removed_action(value):
                rest = self.after(value)
                if rest is not None:
                    kept.append(rest)
                    stack.append(resolve(rest))
                continue
            kept.append(item)
            if isinstance(value, DictionaryObject | ArrayObject):
                stack.append(value)
        if len(kept) != len(obj):
            obj[:] = kept

    def after(self, action: PdfObject) -> PdfObject | None:
        """What stays of the chain that starts with *action*, a removed one: the
        first action after it that is kept (or the array that follows it, to
        be walked); None when nothing stays. Every removed action is counted."""
        current = resolve(action)
        for _step in range(MOST):
            if not isinstance(current, DictionaryObject) or id(current) in self.counted:
                break
            self._count_action(current)
            rest = get(current, "/Next")
            if rest is None:
                return None
            if not _is_removed_action(rest):
                return cast(PdfObject, current.raw_get("/Next"))
            current = rest
        return None

    def count_chain(self, action: PdfObject) -> None:
        """Count the removed actions of a chain that stays behind (read only)."""
        stack = [resolve(action)]
        for _step in range(MOST):
            if not stack:
                return
            current = stack.pop()
            if isinstance(current, ArrayObject):
                stack += [resolve(item) for item in current]
                continue
            if not isinstance(current, DictionaryObject) or id(current) in self.counted:
                continue
            if _is_removed_action(current):
                self._count_action(current)
            else:
                self.counted.add(id(current))
            rest = get(current, "/Next")
            if rest is not None:
                stack.append(rest)

    def _count_action(self, action: DictionaryObject) -> None:
        self.counted.add(id(action))
        kind = name_at(action, "/S")
        is_named = kind in _ACTIONS and kind != "/JavaScript"
        if kind == "/URI" and "/JS" not in action and not _is_script_uri(action):
            self.removed.actions[OTHER_LINK] += 1
            return
        self.removed.actions[kind[1:] if is_named else "JavaScript"] += 1

    def _is_removed_annotation(self, value: PdfObject) -> bool:
        """*value* is an annotation of a removed kind (counted the first time)."""
        if not _is_annotation(value):
            return False
        assert isinstance(value, DictionaryObject)
        kind = name_at(value, "/Subtype")
        if kind in _MEDIA:
            if id(value) not in self.counted:
                self.counted.add(id(value))
                self.removed.annotations[kind[1:]] += 1
            return True
        if kind == "/FileAttachment" and not self.keep:
            if id(value) not in self.counted:
                self.counted.add(id(value))
                spec = value.raw_get("/FS") if "/FS" in value else None
                self.removed.files.append(file_name(spec, "") if spec is not None else "unnamed")
            return True
        return False

    def _is_orphan_popup(self, value: PdfObject) -> bool:
        """*value* is the pop-up of an annotation that is removed."""
        if not _is_annotation(value) or name_at(value, "/Subtype") != "/Popup":
            return False
        parent = get(value, "/Parent")
        return parent is not None and self._is_removed_annotation(parent)


def _is_annotation(value: PdfObject) -> bool:
    return isinstance(value, DictionaryObject) and (
        name_at(value, "/Type") == "/Annot" or ("/Rect" in value and "/Subtype" in value)
    )


def _is_removed_action(value: PdfObject) -> bool:
    """*value* is an action that runs a script or reaches outside the document."""
    if not isinstance(value, DictionaryObject):
        return False
    kind = name_at(value, "/S")
    if kind in _ACTIONS or "/JS" in value:
        return True
    if kind != "/URI":
        return False
    uri = get(value, "/URI")
    if not isinstance(uri, str | bytes):
        return False
    target = text(uri).lstrip("\x00\t\n\x0c\r ")
    # What an annex may keep is what the letter's own text may link to: a web
    # page or a mail address (not a mailto: that attaches a file).
    return link_target(target, frozenset()) is not None


def _is_script_uri(action: DictionaryObject) -> bool:
    uri = get(action, "/URI")
    return isinstance(uri, str | bytes) and _SCRIPT_URI.match(text(uri)) is not None


def carry_files(writer: PdfWriter, item: OpenAnnex) -> None:
    """Copy *item*'s ``/EmbeddedFiles`` into *writer*'s when the annex says
    ``attachments: keep`` (:func:`letterkit.pdf.attached.copy_files`), with
    nothing that runs riding along in a file stream's dictionary."""
    if item.annex.attachments == "keep":
        for stream in copy_files(writer, item.reader, item.number):
            _Walker(keep=True).walk(stream)


def report(annexes: Sequence[OpenAnnex], reporter: Reporter) -> None:
    """Warn about each annex that had something removed (LK132), or embedded
    files left out (LK134)."""
    for item in annexes:
        keep = item.annex.attachments == "keep"
        removed = _FOUND.get(item.reader, {}).get((tuple(item.pages), keep))
        if removed is None:
            continue
        display = (
            display_path(item.annex.path)
            if isinstance(item.annex.path, Path)
            else f"annex {item.number}"
        )
        where = (display, (None, None))
        kinds = removed.kinds()
        if kinds:
            reporter.warning(
                where, "LK132",
                f"annex {item.number}: removed {', '.join(kinds)} (an annex travels as a "
                "document: its pages, links and form fields stay; send the original file "
                "separately if it must work as it was)",
            )  # fmt: skip
        if removed.files and not keep:
            files = list(dict.fromkeys(removed.files))
            shown = ", ".join(f"'{f}'" for f in files[:10])
            more = f" and {len(files) - 10} more" if len(files) > 10 else ""
            reporter.warning(
                where, "LK134",
                f"annex {item.number}: {_count(len(files), 'embedded file')} left out "
                f"({shown}{more}); add 'attachments: keep' to the annex to carry "
                f"{'it' if len(files) == 1 else 'them'} in the letter",
            )  # fmt: skip


__all__ = ["ACTIONS", "MEDIA", "Removed", "carry_files", "report", "strip"]
