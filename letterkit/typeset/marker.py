"""A tagged layout's drawing → its pages' marked content and the part's :class:`Tags`.

A :class:`Marker` rides on the canvas of a tagged layout (see
:mod:`letterkit.typeset.marking`). Each paragraph and picture it is told of
becomes one marked-content sequence with the next MCID of its page, filed
under the structure element it belongs to, in the order the layout draws:
the letter's reading order (a frame fills from the top; the notes at a
page's foot are filed under the paragraph that references them). What a
paragraph is, it reads from its style's name and from where it is drawn
(:class:`Within`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ._rl import marking as code
from ._rl.marking import latin_only
from .roles import kind_of, logical, plain_text, said_apart, spoken
from .tags import Element, LinkMark, Mark, Tags

#: A note's link target, as the body's markup writes it.
_NOTE = re.compile(r"^lk-note-(\d+)$")


@dataclass(frozen=True)
class Within:
    """Where a paragraph is drawn: ``kind`` ``"artifact"``, ``"note"``
    (*number*), ``"item"`` (a signatory's entry), ``"cell"`` (of a table:
    *number* its row, *head* whether a header cell)."""

    kind: str
    number: int = 0
    head: bool = False
    owner: Any = None


class Marker:
    """Marks what one layout draws and builds the part's :class:`Tags`.

    *levels* maps the body's heading styles and the section headings to the
    roles that keep the letter's headings from skipping a level; *foreign*
    is the language of a Latin-script paragraph in a letter whose script is
    not Latin (None when the letter's is); *notes* prefixes the notes' IDs.
    """

    def __init__(self, levels: dict[str, str], foreign: str | None, notes: str) -> None:
        self.levels = levels
        self.foreign = foreign
        self.note_prefix = notes
        self.tags = Tags()
        self.busy = False
        self.context: list[Within] = []
        self.elements: dict[int, Element] = {}
        self.kept: list[Any] = []
        self.notes: dict[int, Element] = {}
        self.note_links: dict[int, list[Element]] = {}  # to notes not yet drawn
        self.lists: list[tuple[float, Element]] = []
        self.signatories: Element | None = None
        self.group: Element | None = None
        self.annexes: Element | None = None
        self.item: tuple[Any, Element] | None = None
        self.tables: dict[int, tuple[Element, dict[int, Element]]] = {}
        self.cells: dict[int, Within] = {}
        #: The sequences a paragraph being drawn opened inside its text objects.
        self.inlined: list[tuple[str, Mark]] = []

    # -- marked content ---------------------------------------------------

    def next_mark(self, canvas: Any) -> Mark:
        """A new MCID on the canvas's page."""
        page = canvas.getPageNumber() - 1
        counts = self.tags.mcids
        while len(counts) <= page:
            counts.append(0)
        counts[page] += 1
        return Mark(page, counts[page] - 1)

    def wrap(self, canvas: Any, start: int, role: str) -> Mark | None:
        """What was drawn since *start* as one sequence of *role*; None when nothing was."""
        page = canvas.getPageNumber() - 1
        counts = self.tags.mcids
        mcid = counts[page] if page < len(counts) else 0
        if not code.wrap(canvas, start, f"/{role} <</MCID {mcid}>> BDC"):
            return None
        return self.next_mark(canvas)

    def pages(self, count: int) -> None:
        """The part has *count* pages: one MCID count for each."""
        while len(self.tags.mcids) < count:
            self.tags.mcids.append(0)

    # -- what is drawn ----------------------------------------------------

    def paragraph(self, canvas: Any, start: int, links: int, para: Any) -> None:
        """File *para*, drawn since *start* (its links from annotation *links* on)."""
        inlined, self.inlined = self.inlined, []
        root = origin(para)
        where = self.cells.get(id(para)) or (self.context[-1] if self.context else None)
        kind = kind_of(str(getattr(para.style, "name", "")))
        text = plain_text(para)
        seen = self.elements.get(id(root))
        repeated = seen is None and getattr(para, "lk_artifact", False)
        if (
            kind == "artifact"
            or repeated
            or not text.strip()
            or (where and where.kind == "artifact")
        ):
            code.wrap(canvas, start, "/Artifact BMC")
            return
        if where is not None and where.kind == "cell":
            seen = self._cell(root, where, seen)
            if seen is None:  # a header row drawn again on the next page
                code.wrap(canvas, start, "/Artifact BMC")
                return
        if seen is None:
            seen = self._place(kind, where, root, text)
            self.elements[id(root)] = seen
            self.kept.append(root)
        if inlined:
            code.settle(canvas, start)
            said = spoken(para) if said_apart(para) else None
            self._inlined(canvas, links, seen, inlined, said)
            return
        if (
            kind == "li"
            and getattr(para, "bulletText", None)
            and self._labelled(canvas, start, seen)
        ):
            self._links(canvas, links, seen, canvas.getPageNumber() - 1)
            return
        holder = seen
        lang = self.foreign if self.foreign and latin_only(text) else None
        if lang is not None and holder.role not in ("P", "LBody", "Lbl", "TD", "TH", "Note"):
            lang = None
        actual = logical(para, text)
        mark = self.wrap(canvas, start, "Span" if lang or actual else holder.role)
        if mark is None:
            return
        if lang or actual:
            holder.kids.append(Element("Span", [mark], lang=lang, actual=actual))
        else:
            holder.kids.append(mark)
        self._links(canvas, links, holder, mark.page)

    def _labelled(self, canvas: Any, start: int, body: Element) -> bool:
        """A list item drawn since *start* with its bullet: the bullet its LI's
        Lbl, the text its LBody (*body*). False when not drawn so."""
        page = canvas.getPageNumber() - 1
        first = self.tags.mcids[page] if page < len(self.tags.mcids) else 0
        opened = (f"/Lbl <</MCID {first}>> BDC", f"/LBody <</MCID {first + 1}>> BDC")
        item = next((e for e in self._items() if body in e.kids), None)
        if item is None or not code.wrap_label(canvas, start, *opened):
            return False
        item.kids.insert(0, Element("Lbl", [self.next_mark(canvas)]))
        body.kids.append(self.next_mark(canvas))
        return True

    def _items(self) -> Iterator[Element]:
        """The items of the open body lists, the latest first."""
        for _, opened in reversed(self.lists):
            for item in reversed(opened.kids):
                if isinstance(item, Element):
                    yield item

    def figure(self, canvas: Any, start: int, alt: str) -> None:
        """File a picture drawn since *start*, with its alternative text *alt*."""
        if self.context and self.context[-1].kind == "artifact":
            code.wrap(canvas, start, "/Artifact BMC")
            return
        mark = self.wrap(canvas, start, "Figure")
        if mark is None:
            return
        element = Element("Figure", [mark], alt=alt)
        where = self.context[-1] if self.context else None
        if where is not None and where.kind == "item":  # a signature: in the LI's body
            self._entry(where, False).kids.append(element)
        else:
            self._close(keep=())
            self.tags.elements.append(element)

    def inline(self, canvas: Any, role: str) -> str:
        """The operator that opens a sequence of *role* inside a paragraph's
        text object (its text, a note's raised number), with the next MCID."""
        mark = self.next_mark(canvas)
        self.inlined.append((role, mark))
        return f"/{role} <</MCID {mark.mcid}>> BDC"

    def _inlined(
        self,
        canvas: Any,
        start: int,
        holder: Element,
        inlined: list[tuple[str, Mark]],
        said: str | None = None,
    ) -> None:
        """File a paragraph drawn as sequences of its own text and of raised
        note numbers: each number a Reference holding the link to its note,
        and the Note right after it. A paragraph drawn in visual order (*said*:
        its text in reading order, without the numbers) has its text's
        sequences in one Span that says it, its references and notes after."""
        if said is not None:
            holder.kids.append(
                Element("Span", [m for r, m in inlined if r != "Reference"], actual=said)
            )
            inlined = [(role, mark) for role, mark in inlined if role == "Reference"]
        targets = code.annotation_targets(canvas, start)
        page = inlined[0][1].page
        links = [LinkMark(page, start + n) for n in range(len(targets))]
        notes = [(int(m.group(1)), link) for t, link in zip(targets, links, strict=True)
                 if (m := _NOTE.match(t))]  # fmt: skip
        for role, mark in inlined:
            if role != "Reference":
                holder.kids.append(mark)
                continue
            if not notes:
                holder.kids.append(Element("Reference", [mark]))
                continue
            number, link = notes.pop(0)
            holder.kids.append(Element("Reference", [self._to_note(number, [mark, link])]))
            holder.kids.append(self.note(number))
            links.remove(link)
        for number, link in notes:
            holder.kids += [
                Element("Reference", [self._to_note(number, [link])]),
                self.note(number),
            ]
            links.remove(link)
        holder.kids += [Element("Link", [link]) for link in links]

    def _links(self, canvas: Any, start: int, holder: Element, page: int) -> None:
        """The paragraph's links: a note's reference, then the note; a web link."""
        for offset, target in enumerate(code.annotation_targets(canvas, start)):
            link = Element("Link", [LinkMark(page, start + offset)])
            found = _NOTE.match(target)
            if found is None:
                holder.kids.append(link)
                continue
            number = int(found.group(1))
            holder.kids.append(Element("Reference", [self._to_note(number, link.kids)]))
            holder.kids.append(self.note(number))

    def _to_note(self, number: int, kids: list[Element | Mark | LinkMark]) -> Element:
        """A note number's Link, described (``/Alt``) by the note once drawn."""
        link = Element("Link", kids)
        self.note_links.setdefault(number, []).append(link)
        return link

    def note(self, number: int) -> Element:
        """The element of note *number* (made when first wanted)."""
        element = self.notes.get(number)
        if element is None:
            element = Element("Note", ident=f"{self.note_prefix}note-{number}")
            self.notes[number] = element
        return element

    # -- where an element goes --------------------------------------------

    def _close(self, keep: tuple[str, ...]) -> None:
        """End the open lists but those of the kinds in *keep*."""
        if "li" not in keep:
            self.lists = []
        if "sig" not in keep:
            self.signatories = self.group = None
        if "annex" not in keep:
            self.annexes = None

    def _place(self, kind: str, where: Within | None, root: Any, text: str) -> Element:
        """A new element for a paragraph of *kind*, put where it is read."""
        top = self.tags.elements
        if where is not None and where.kind == "note":
            element = self.note(where.number)
            for link in self.note_links.pop(where.number, []):
                link.alt = " ".join(unicodedata.normalize("NFKC", text).split())
            if not any(element is e for e in self._all_notes_placed()):
                top.append(element)
            return element
        if where is not None and where.kind == "item":
            return self._entry(where, "numbered-number" in str(root.style.name))
        if kind == "li":
            return self._list_item(float(root.style.leftIndent))
        if kind == "sig":
            return self._entry(None, False)
        if kind == "group":
            self._close(keep=("sig",))
            outer = self._signatory_list()
            self.group = Element("L")
            label = Element("Lbl")
            outer.kids.append(Element("LI", [label, Element("LBody", [self.group])]))
            return label
        if kind == "annex":
            self._close(keep=("annex",))
            if self.annexes is None:
                self.annexes = Element("L")
                top.append(self.annexes)
            body = Element("LBody")
            self.annexes.kids.append(Element("LI", [body]))
            return body
        self._close(keep=())
        role = self.levels.get(kind, "P") if kind not in ("H1", "P") else kind
        element = Element(role)
        top.append(element)
        return element

    def _all_notes_placed(self) -> Iterator[Element]:
        """Every note already in the tree (under its reference or on its own)."""
        stack: list[Any] = list(self.tags.elements)
        while stack:
            e = stack.pop()
            if isinstance(e, Element):
                if e.role == "Note":
                    yield e
                stack.extend(e.kids)

    def _signatory_list(self) -> Element:
        if self.signatories is None:
            self._close(keep=("sig",))
            self.signatories = Element("L")
            self.tags.elements.append(self.signatories)
        return self.signatories

    def _item(self, where: Within | None) -> Element:
        """The LI of the signatory drawn (*where* holds its entry), or a new one."""
        if where is not None and self.item is not None and self.item[0] is where.owner:
            return self.item[1]
        outer = self.group if self.group is not None else self._signatory_list()
        item = Element("LI")
        outer.kids.append(item)
        if where is not None:
            self.item = (where.owner, item)
            self.kept.append(where.owner)
        return item

    def _entry(self, where: Within | None, label: bool) -> Element:
        """A signatory's entry: one LI (its number a Lbl, its text the LBody)."""
        item = self._item(where)
        role = "Lbl" if label else "LBody"
        if role == "LBody":
            for kid in item.kids:
                if isinstance(kid, Element) and kid.role == role:
                    return kid
        part = Element(role)
        item.kids.append(part)
        return part

    def _list_item(self, indent: float) -> Element:
        """A body list's item at *indent*: a new LI in the list of that depth."""
        self._close(keep=("li",))
        while self.lists and self.lists[-1][0] > indent:
            self.lists.pop()
        if not self.lists or self.lists[-1][0] < indent:
            fresh = Element("L")
            if self.lists and self.lists[-1][1].kids:
                last = self.lists[-1][1].kids[-1]
                assert isinstance(last, Element)
                last.kids[-1].kids.append(fresh)  # type: ignore[union-attr]
            else:
                self.tags.elements.append(fresh)
            self.lists.append((indent, fresh))
        body = Element("LBody")
        self.lists[-1][1].kids.append(Element("LI", [body]))
        return body

    def _cell(self, root: Any, where: Within, seen: Element | None) -> Element | None:
        """A table cell's element (TH or TD in its row's TR); None for a
        header cell drawn again (the header row repeated on the next page)."""
        if seen is not None:
            return None if where.head else seen
        table, rows = self.tables.setdefault(id(where.owner), (Element("Table"), {}))
        if not rows:
            self._close(keep=())
            self.tags.elements.append(table)
            self.kept.append(where.owner)
        row = rows.get(where.number)
        if row is None:
            row = rows[where.number] = Element("TR")
            table.kids.append(row)
        cell = Element("TH", scope="Column") if where.head else Element("TD")
        row.kids.append(cell)
        self.elements[id(root)] = cell
        self.kept.append(root)
        return cell

    def table(self, table: Any) -> None:
        """The cells of *table* (a part of a split table too) are about to be drawn."""
        whole = origin(table)
        for row, head, cells in code.table_rows(table):
            for cell in cells:
                self.cells[id(cell)] = Within("cell", id(row), head, whole)
                self.kept.append(cell)


def origin(part: Any) -> Any:
    """The flowable *part* was split off (itself when it is whole)."""
    return getattr(part, "lk_origin", None) or part
