"""A PDF's structure tree → its elements in reading order, each with the content
items it holds and the text drawn in them.

A content item is a marked-content sequence, named by the content stream whose
MCID numbering it is in (a page, or a form by ``/Stm``) and its MCID; or an
object reference (``/OBJR``, an annotation).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from .content import Drawn, Walk, drawn_on

Item = tuple[tuple[int, int], int]


@dataclass
class Node:
    """One structure element: its role (after the role map), its dictionary, its
    parent's role, the content items and object references directly in it, and
    its element children, in order."""

    role: str
    raw_role: str
    obj: Any
    parent: Node | None
    items: list[Item] = field(default_factory=list)
    objrs: list[Any] = field(default_factory=list)
    kids: list[Node] = field(default_factory=list)
    #: The order of its items and element kids as written.
    order: list[Item | Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        """This element and every element under it, in reading order."""
        out = [self]
        for kid in self.kids:
            out.extend(kid.walk())
        return out


def role_map(pdf: pikepdf.Pdf) -> dict[str, str]:
    """The role map of the structure tree root, names without their slash."""
    root = pdf.Root.get("/StructTreeRoot")
    mapping = root.get("/RoleMap") if root is not None else None
    if mapping is None:
        return {}
    return {str(k)[1:]: str(v)[1:] for k, v in mapping.items()}


def mapped(role: str, roles: dict[str, str]) -> str:
    """*role* followed through the role map (at most as many steps as it has)."""
    seen = set()
    while role in roles and role not in seen:
        seen.add(role)
        role = roles[role]
    return role


def _stream_key(kid: Any, page: Any) -> tuple[int, int]:
    if "/Stm" in kid:
        stm: tuple[int, int] = kid.Stm.objgen
        return stm
    pg = kid.get("/Pg", page)
    return (pg.objgen[0], pg.objgen[1]) if pg is not None else (0, 0)


def build_tree(pdf: pikepdf.Pdf) -> list[Node]:
    """The top elements of the structure tree (under ``/StructTreeRoot``'s ``/K``)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/K" not in root:
        return []
    roles = role_map(pdf)
    seen: set[tuple[int, int]] = set()

    def element(obj: Any, parent: Node | None, page: Any) -> Node | None:
        if obj.is_indirect:
            if obj.objgen in seen:
                return None
            seen.add(obj.objgen)
        raw = str(obj.get("/S", "/"))[1:]
        node = Node(mapped(raw, roles), raw, obj, parent)
        page = obj.get("/Pg", page)
        kids = obj.get("/K")
        if kids is None:
            return node
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int) or (not isinstance(kid, pikepdf.Dictionary)):
                if page is not None:
                    item = ((page.objgen[0], page.objgen[1]), int(kid))
                    node.items.append(item)
                    node.order.append(item)
            elif kid.get("/Type") == "/MCR":
                item = (_stream_key(kid, page), int(kid.MCID))
                node.items.append(item)
                node.order.append(item)
            elif kid.get("/Type") == "/OBJR":
                node.objrs.append(kid)
            else:
                child = element(kid, node, page)
                if child is not None:
                    node.kids.append(child)
                    node.order.append(child)
        return node

    top = root.K
    out = []
    for obj in top if isinstance(top, pikepdf.Array) else [top]:
        if isinstance(obj, pikepdf.Dictionary):
            made = element(obj, None, None)
            if made is not None:
                out.append(made)
    return out


def _join(pieces: list[Drawn]) -> str:
    text = ""
    actual_done: set[str] = set()
    for d in pieces:
        if d.kind != "text":
            continue
        if d.actual is not None:
            if d.actual in actual_done:
                continue
            actual_done.add(d.actual)
            piece = d.actual
        else:
            piece = d.text
        if d.newline and text and not text.endswith((" ", "\u00ad", "-")):
            text += " "
        text += piece
    return text


class Reader:
    """A PDF read once: its tree, and the drawn items of each content item."""

    def __init__(self, pdf: pikepdf.Pdf | bytes, pages: list[int] | None = None) -> None:
        self.pdf = pdf if isinstance(pdf, pikepdf.Pdf) else pikepdf.open(io.BytesIO(pdf))
        self.walk: Walk = drawn_on(self.pdf, pages)
        self.by_item: dict[Item, list[Drawn]] = {}
        for d in self.walk.drawn:
            if d.mcid is not None:
                self.by_item.setdefault((d.stream, d.mcid), []).append(d)
        self.top = build_tree(self.pdf)

    def nodes(self) -> list[Node]:
        """Every element in reading order."""
        out: list[Node] = []
        for top in self.top:
            out.extend(top.walk())
        return out

    def text(self, node: Node) -> str:
        """The text of *node*: its ``/ActualText`` when it has one, else the text of
        its items and element kids in order."""
        actual = node.obj.get("/ActualText")
        if actual is not None:
            return str(actual)
        parts = []
        for entry in node.order:
            if isinstance(entry, Node):
                parts.append(self.text(entry))
            else:
                parts.append(self.text_of_item(entry))
        return _clean(" ".join(parts))

    def text_of_item(self, item: Item) -> str:
        """The text drawn in one content item."""
        return _join(self.by_item.get(item, []))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def _reader(pdf: pikepdf.Pdf | bytes | Reader) -> Reader:
    return pdf if isinstance(pdf, Reader) else Reader(pdf)


def structure_text(pdf: pikepdf.Pdf | bytes | Reader) -> list[tuple[str, str]]:
    """Every structure element in reading order as (role after the role map, the
    text of everything under it)."""
    reader = _reader(pdf)
    return [(node.role, reader.text(node)) for node in reader.nodes()]


def reading_text(pdf: pikepdf.Pdf | bytes | Reader) -> str:
    """The tree's text once through, in reading order, whitespace collapsed."""
    reader = _reader(pdf)
    return _clean(" ".join(reader.text(top) for top in reader.top))


def untagged_glyphs(pdf: pikepdf.Pdf | bytes | Reader) -> list[str]:
    """Text drawn neither in a content item the tree holds nor as an artifact, as
    ``page N: 'text'`` (an empty list when every glyph is accounted for)."""
    reader = _reader(pdf)
    held = {item for node in reader.nodes() for item in node.items}
    out = []
    for d in reader.walk.drawn:
        if d.kind != "text" or d.artifact or not d.text.strip():
            continue
        if d.mcid is None or (d.stream, d.mcid) not in held:
            out.append(f"page {d.page + 1}: {d.text!r}")
    return out
