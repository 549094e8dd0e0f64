"""A letter's :class:`~letterkit.typeset.tags.Tags` → its structure tree, as PDF objects.

Used by :mod:`letterkit.pdf.splice` when a letter is tagged. The parts of a
letter are written in two steps, as their pages are:

* :func:`shared` (once per layout, into the template): the shared part's
  elements, each marked-content reference naming the letter page and the
  page's form (``<< /Type /MCR /Pg … /Stm … /MCID n >>``), the parent tree's
  arrays for the forms, and the keys of the forms and of the shared links.
* :func:`letter` (for each letter): the own part's elements, the
  ``Document`` element (own elements, then shared ones: reading order), the
  parent tree and the structure tree root. The catalogue points at the root
  and the shared elements at the ``Document``, under two numbers the
  template keeps (:attr:`Tree.root`, :attr:`Tree.document`).

Parent tree keys: letter page *i* is key *i*, the form of its shared part
key *n + i* (*n* letter pages), then the shared links, then the own links.

The annexes keep no structure (their pages are left as they are) but for
their stamps, drawn as artifacts (:func:`artifacts`, in the template).
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Letter
from ..typeset.tags import Element, LinkMark, Mark, Tags
from .objstreams import stream_of
from .parts import Parsed
from .stamp import FORM_NAME
from .syntax import Dict, Hex, Name, Raw, Ref, SpliceError, Str, dict_of, parse, write

__all__ = [
    "Tags", "Tree", "artifacts", "catalogue", "combined", "keyed", "letter", "linked", "shared",
    "shared_tags", "tagged_base", "tags_of",
]  # fmt: skip

#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4): the tree
#: uses no other, so that it needs no role map.
_TYPES = (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form"
)
_STANDARD = frozenset(_TYPES.split())
_SCOPES = frozenset({"Row", "Column", "Both"})


@dataclass(frozen=True)
class Tree:
    """What a template holds of a letter's structure tree: the numbers kept for
    the root and the ``Document`` element, the shared part's top elements,
    the parent tree entries of the shared part (key, object number), its
    identifiers, and the first key left for the letter's own links."""

    root: int
    document: int
    tops: list[int] = field(default_factory=list)
    nums: list[tuple[int, int]] = field(default_factory=list)
    ids: list[tuple[bytes, int]] = field(default_factory=list)
    next_key: int = 0


def text(value: str) -> bytes:
    """A PDF text string: literal for printable ASCII, else UTF-16BE with its mark."""
    if value.isascii() and value.isprintable():
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<feff" + value.encode("utf-16-be").hex().encode("ascii") + b">"


class _Writer:
    """Numbers a part's elements from *start* and writes each as text, noting
    which element holds each marked-content sequence and each link."""

    def __init__(
        self,
        tags: Tags,
        start: int,
        pages: Sequence[int],
        forms: Sequence[int | None] | None,
        annots: Sequence[Sequence[int]],
    ) -> None:
        self.tags = tags
        self.next = start
        self.pages = pages
        self.forms = forms
        self.annots = annots
        self.objects: list[tuple[int, bytes]] = []
        self.owner: dict[tuple[int, int], int] = {}
        #: (annotation, element, the element's description)
        self.links: list[tuple[int, int, str | None]] = []
        self.ids: list[tuple[bytes, int]] = []

    def tops(self, parent: int) -> list[int]:
        return [self.element(el, parent) for el in self.tags.elements]

    def element(self, el: Element, parent: int) -> int:
        """Element *el* under *parent* and its kids → their objects; its number."""
        if el.role not in _STANDARD:
            raise SpliceError(f"a structure element with the role {el.role!r}, no standard type")
        num = self.next
        self.next += 1
        kids: list[bytes] = []
        for kid in el.kids:
            if isinstance(kid, Element):
                kids.append(b"%d 0 R" % self.element(kid, num))
            elif isinstance(kid, Mark):
                kids.append(self._mcr(kid, num))
            else:
                kids.append(self._objr(kid, num, el.alt or el.actual))
        out = [b"<< /Type /StructElem /S /%s /P %d 0 R" % (el.role.encode(), parent)]
        out.append(b" /K [%s]" % b" ".join(kids))
        if el.ident is not None:
            self.ids.append((el.ident.encode("utf-8"), num))
            out.append(b" /ID " + text(el.ident))
        if el.lang is not None:
            out.append(b" /Lang " + text(el.lang))
        if el.alt is not None:
            out.append(b" /Alt " + text(el.alt))
        if el.actual is not None:
            out.append(b" /ActualText " + text(el.actual))
        if el.scope is not None:
            if el.scope not in _SCOPES:
                raise SpliceError(f"a table header with the scope {el.scope!r}")
            out.append(b" /A << /O /Table /Scope /%s >>" % el.scope.encode())
        out.append(b" >>")
        self.objects.append((num, b"".join(out)))
        return num

    def _page(self, page: int, what: str) -> int:
        if not 0 <= page < len(self.pages):
            raise SpliceError(
                f"the tags name {what} on page {page + 1} of a part of {len(self.pages)}"
            )
        return self.pages[page]

    def _mcr(self, mark: Mark, element: int) -> bytes:
        page = self._page(mark.page, f"MCID {mark.mcid}")
        drawn = self.tags.mcids[mark.page] if mark.page < len(self.tags.mcids) else 0
        if not 0 <= mark.mcid < drawn:
            raise SpliceError(
                f"the tags name MCID {mark.mcid} on page {mark.page + 1}, which draws {drawn}"
            )
        if (mark.page, mark.mcid) in self.owner:
            raise SpliceError(f"MCID {mark.mcid} of page {mark.page + 1} is in two elements")
        self.owner[mark.page, mark.mcid] = element
        if self.forms is None:
            return b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (page, mark.mcid)
        form = self.forms[mark.page]
        if form is None:
            raise SpliceError(
                f"the tags name MCID {mark.mcid} on page {mark.page + 1}, which has no form"
            )
        return b"<< /Type /MCR /Pg %d 0 R /Stm %d 0 R /MCID %d >>" % (page, form, mark.mcid)

    def _objr(self, link: LinkMark, element: int, about: str | None) -> bytes:
        page = self._page(link.page, f"link {link.index + 1}")
        annots = self.annots[link.page] if link.page < len(self.annots) else []
        if not 0 <= link.index < len(annots):
            raise SpliceError(
                f"the tags name link {link.index + 1} of page {link.page + 1}, which has {len(annots)}"
            )
        annot = annots[link.index]
        if any(a == annot for a, _, _ in self.links):
            raise SpliceError(f"link {link.index + 1} of page {link.page + 1} is in two elements")
        self.links.append((annot, element, about))
        return b"<< /Type /OBJR /Obj %d 0 R /Pg %d 0 R >>" % (annot, page)

    def owners(self, page: int) -> bytes:
        """The parent tree's array for *page* of the part: each MCID's element."""
        drawn = self.tags.mcids[page] if page < len(self.tags.mcids) else 0
        held = (self.owner.get((page, mcid)) for mcid in range(drawn))
        return b"[%s]" % b" ".join(b"null" if e is None else b"%d 0 R" % e for e in held)


def shared(
    tags: Tags | None,
    texts: dict[int, bytes],
    pages: Sequence[int],
    forms: Sequence[int | None],
    annots: Sequence[Sequence[int]],
    start: int,
    kept: Sequence[int],
) -> tuple[Tree | None, int]:
    """A template's structure: the shared part's *tags* (its page *i* drawn on
    letter page *pages[i]* by form *forms[i]*, with the links *annots[i]*)
    → its elements and the parent tree's arrays for the forms, numbered
    from *start* and put in *texts*, where each form (``/StructParents``)
    and link annotation (``/StructParent``, :func:`linked`) gets its key; the template's
    :class:`Tree` (its root and ``Document`` at the numbers *kept*) and the
    next free number. None and *start* for an untagged template."""
    if tags is None:
        return None, start
    writer = _Writer(tags, start, pages, forms, annots)
    tops = writer.tops(kept[1])
    nums: list[tuple[int, int]] = []
    n = len(pages)
    for index, form in enumerate(forms):
        if form is not None:
            writer.objects.append((writer.next, writer.owners(index)))
            nums.append((n + index, writer.next))
            texts[form] = keyed(texts[form], b"/StructParents", n + index)
            writer.next += 1
    for key, (annot, element, about) in enumerate(writer.links, start=2 * n):
        texts[annot] = linked(texts[annot], key, about)
        nums.append((key, element))
    texts.update(writer.objects)
    tree = Tree(kept[0], kept[1], tops, nums, writer.ids, 2 * n + len(writer.links))
    return tree, writer.next


def letter(
    tree: Tree | None,
    tags: Tags | None,
    pages: Sequence[int],
    annots: Sequence[Sequence[int]],
    start: int,
) -> tuple[list[tuple[int, bytes]], dict[int, tuple[int, str | None]], int]:
    """The own part's *tags* (its page *i* is letter page *pages[i]*, with the
    links *annots[i]*) and the template's *tree* → the letter's objects
    (the root and the ``Document`` first, then its elements numbered from
    *start* and the parent tree), the key and description of each own link
    annotation (for :func:`linked`), and the next free number. Nothing, and
    *start*, for an untagged template; no own elements for *tags* None."""
    if tree is None:
        return [], {}, start
    writer = _Writer(tags or Tags(), start, pages, None, annots)
    tops = writer.tops(tree.document)
    nums = [(index, writer.owners(index)) for index in range(len(pages))]
    nums += [(key, b"%d 0 R" % num) for key, num in tree.nums]
    keys: dict[int, tuple[int, str | None]] = {}
    for key, (annot, element, about) in enumerate(writer.links, start=tree.next_key):
        keys[annot] = (key, about)
        nums.append((key, b"%d 0 R" % element))
    nums.sort()
    parent_tree = writer.next
    kids = b" ".join(b"%d 0 R" % num for num in [*tops, *tree.tops])
    document = b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>" % (tree.root, kids)
    root = [b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R" % (tree.document, parent_tree)]
    root.append(b" /ParentTreeNextKey %d" % (tree.next_key + len(writer.links)))
    ids = sorted([*tree.ids, *writer.ids])
    for (a, _), (b, _) in itertools.pairwise(ids):
        if a == b:
            raise SpliceError(f"two structure elements with the identifier {a.decode()!r}")
    if ids:
        names = b" ".join(text(i.decode("utf-8")) + b" %d 0 R" % num for i, num in ids)
        root.append(b" /IDTree << /Names [%s] >>" % names)
    numbers = b"<< /Nums [%s] >>" % b" ".join(b"%d %s" % kv for kv in nums)
    objects = [(tree.root, b"".join(root) + b" >>"), (tree.document, document)]
    objects += [*sorted(writer.objects), (parent_tree, numbers)]
    return objects, keys, parent_tree + 1


def tags_of(part: object) -> Tags | None:
    """The structure a tagged layout gave *part* (a laid-out letter, or the
    part it shares), if any."""
    tags = getattr(part, "tags", None)
    return tags if isinstance(tags, Tags) else None


def shared_tags(letter: Letter, part: object) -> Tags | None:
    """What :func:`letterkit.pdf.splice.template` is given for *letter*'s
    shared *part*: None for a plain PDF, else its tags (empty if none)."""
    if letter.archive is None:
        return None
    return tags_of(part) or Tags()


def artifacts(doc: Parsed, pages: Sequence[int], texts: dict[int, bytes]) -> dict[int, bytes]:
    """The annex stamps' forms on *pages* of *doc* (under :data:`FORM_NAME`),
    their content wrapped as an artifact (``/Artifact BMC … EMC``): their
    new text by number (from *texts* where that holds a newer one)."""
    out: dict[int, bytes] = {}
    for number in pages:
        resources = doc.dict(number, "an annex page").get(b"/Resources")
        if isinstance(resources, Ref):
            resources = doc.dict(resources.num, "an annex page's resources")
        forms = resources.get(b"/XObject") if isinstance(resources, Dict) else None
        if isinstance(forms, Ref):
            forms = doc.dict(forms.num, "an annex page's forms")
        if not isinstance(forms, Dict):
            continue
        for name, form in zip(forms.keys, forms.values, strict=True):
            if (
                name.startswith(FORM_NAME.encode())
                and isinstance(form, Ref)
                and form.num not in out
            ):
                text = texts.get(form.num) or doc.objects[form.num].text()
                head, data = stream_of(text, f"the stamp's form (object {form.num})")
                data = zlib.compress(b"/Artifact BMC\n" + data + b"\nEMC\n")
                head.set(b"/Filter", Name(b"/FlateDecode"))
                head.set(b"/Length", Raw(b"%d" % len(data)))
                out[form.num] = write(head) + b"\nstream\n" + data + b"\nendstream"
    return out


def linked(obj: bytes, key: int, about: str | None) -> bytes:
    """A link annotation's text with its key (``/StructParent``) and, when it
    has no description (``/Contents``), *about* (its element's alternative
    text), else the address it opens."""
    found, end = parse(obj)
    entries = dict_of(found, "a link annotation")
    entries.set(b"/StructParent", Raw(b"%d" % key))
    if _undescribed(entries.get(b"/Contents")):
        action = entries.get(b"/A")
        uri = action.get(b"/URI") if isinstance(action, Dict) else None
        if about is not None:
            entries.set(b"/Contents", Raw(text(about)))
        elif isinstance(uri, Str | Hex):
            entries.set(b"/Contents", uri)
    return write(entries) + obj[end:]


def _undescribed(value: object) -> bool:
    """Whether a ``/Contents`` value says nothing (absent, or an empty string)."""
    if isinstance(value, Str):
        return value in (b"()", b"(\xfe\xff)")
    if isinstance(value, Hex):
        return value[1:-1].strip().upper() in (b"", b"FEFF")
    return value is None


def keyed(obj: bytes, key: bytes, value: int) -> bytes:
    """A dictionary object's text (a stream's too) with *key* set to *value*."""
    found, end = parse(obj)
    entries = dict_of(found, "an object to key")
    entries.set(key, Raw(b"%d" % value))
    return write(entries) + obj[end:]


def tagged_base(
    doc: Parsed, annexes: Sequence[int], texts: dict[int, bytes], tree_root: int
) -> dict[int, bytes]:
    """A template's pypdf document made tagged: the new text of its catalogue
    (:func:`catalogue`) and of its annex stamps' forms (:func:`artifacts`),
    by number (from *texts* where that holds a newer one)."""
    root = doc.objects[doc.root].edit()
    catalogue(root, tree_root)
    return {doc.root: write(root), **artifacts(doc, annexes, texts)}


def catalogue(root: Dict, tree_root: int) -> None:
    """A tagged letter's catalogue: its structure tree, marked, and viewers
    asked to show its title rather than its file name."""
    root.set(b"/StructTreeRoot", Ref(tree_root))
    root.set(b"/MarkInfo", Raw(b"<< /Marked true >>"))
    prefs = root.get(b"/ViewerPreferences")
    if isinstance(prefs, Dict):
        prefs.set(b"/DisplayDocTitle", Raw(b"true"))
    else:
        root.set(b"/ViewerPreferences", Raw(b"<< /DisplayDocTitle true >>"))


def combined(parts: Sequence[tuple[Tags, int, str]]) -> Tags:
    """The tags of parts put one after the other (each *(tags, pages, lang)*)
    as one part's: each part's elements in a ``Sect`` in its language, its
    pages counted on after the parts before it."""
    out = Tags()
    offset = 0
    for tags, pages, lang in parts:
        kids: list[Element | Mark | LinkMark] = [_shifted(el, offset) for el in tags.elements]
        out.elements.append(Element("Sect", kids, lang=lang))
        out.mcids += [*tags.mcids[:pages], *[0] * (pages - len(tags.mcids))]
        offset += pages
    return out


def _shifted(el: Element, offset: int) -> Element:
    kids: list[Element | Mark | LinkMark] = []
    for kid in el.kids:
        if isinstance(kid, Element):
            kids.append(_shifted(kid, offset))
        elif isinstance(kid, Mark):
            kids.append(Mark(kid.page + offset, kid.mcid))
        else:
            kids.append(LinkMark(kid.page + offset, kid.index))
    return Element(el.role, kids, el.alt, el.lang, el.actual, el.scope, el.ident)
