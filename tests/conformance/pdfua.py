"""A PDF → the PDF/UA-1 rules it breaks that a program can check (Matterhorn
Protocol 1.1 failure conditions; the font rules by ISO 14289-1 clause).

*pages* limits the content rules (marked content, fonts, annotations) to the
letter's own pages: annexes appended untagged are left as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pikepdf

from .failure import Failure
from .fonts import font_faults
from .tree import Node, Reader, role_map
from .xmp import xmp_of

STANDARD = set(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def _metadata(pdf: pikepdf.Pdf, claimed: bool, out: list[Failure]) -> None:
    xmp = xmp_of(pdf)
    if xmp is None:
        out.append(Failure("06-001", "the catalogue has no XMP /Metadata stream"))
        return
    if claimed and xmp.get("pdfuaid:part") is None:
        out.append(Failure("06-002", "the XMP metadata has no pdfuaid:part (PDF/UA identifier)"))
    if not xmp.get("dc:title"):
        out.append(Failure("06-003", "the XMP metadata has no dc:title"))
    prefs = pdf.Root.get("/ViewerPreferences")
    shown = prefs.get("/DisplayDocTitle") if prefs is not None else None
    if shown is None:
        out.append(Failure("07-001", "/ViewerPreferences has no /DisplayDocTitle"))
    elif not bool(shown):
        out.append(Failure("07-002", "/ViewerPreferences /DisplayDocTitle is false"))


def _roles(pdf: pikepdf.Pdf, nodes: list[Node], out: list[Failure]) -> None:
    roles = role_map(pdf)
    for name, target in roles.items():
        if name in STANDARD:
            out.append(Failure("02-004", f"the standard type {name} is remapped to {target}"))
        seen = {name}
        while target in roles:
            if target in seen:
                out.append(Failure("02-003", f"the role map of {name} is circular"))
                break
            seen.add(target)
            target = roles[target]
    for node in nodes:
        if node.role not in STANDARD:
            out.append(
                Failure(
                    "02-001", f"structure type {node.raw_role} is not mapped to a standard type"
                )
            )


def _parent(node: Node) -> str:
    return node.parent.role if node.parent is not None else "StructTreeRoot"


def _structure(reader: Reader, nodes: list[Node], out: list[Failure]) -> None:
    last_heading = 0
    ids: Counter[str] = Counter()
    for node in nodes:
        role, kids = node.role, [k.role for k in node.kids]
        where = f"{node.raw_role} element {node.obj.objgen}"
        if role in ("Table", "THead", "TBody", "TFoot"):
            allowed = {"TR", "THead", "TBody", "TFoot", "Caption"} if role == "Table" else {"TR"}
            for kid in kids:
                if kid not in allowed:
                    out.append(Failure("09-004", f"{where} holds a {kid}"))
        if role == "TR" and _parent(node) not in ("Table", "THead", "TBody", "TFoot"):
            out.append(Failure("09-004", f"{where} sits in {_parent(node)}, not in a Table"))
        if role == "TR" and any(k not in ("TH", "TD") for k in kids):
            out.append(Failure("09-004", f"{where} holds {kids}: only TH and TD belong in a TR"))
        if role in ("TH", "TD") and _parent(node) != "TR":
            out.append(Failure("09-004", f"{where} sits in {_parent(node)}, not in a TR"))
        if role == "L" and any(k not in ("L", "LI", "Caption") for k in kids):
            out.append(Failure("09-005", f"{where} holds {kids}: a list holds L, LI, Caption"))
        if role == "LI" and _parent(node) != "L":
            out.append(Failure("09-005", f"{where} sits in {_parent(node)}, not in an L"))
        if role == "LI" and any(k not in ("Lbl", "LBody") for k in kids):
            out.append(Failure("09-005", f"{where} holds {kids}: an LI holds Lbl and LBody"))
        if role == "LBody" and _parent(node) != "LI":
            out.append(Failure("09-005", f"{where} sits in {_parent(node)}, not in an LI"))
        if role == "Figure" and "/Alt" not in node.obj and "/ActualText" not in node.obj:
            out.append(Failure("13-004", f"{where} has no /Alt text"))
        if re.fullmatch(r"H[1-6]", role):
            level = int(role[1])
            if level > last_heading + 1:
                out.append(
                    Failure(
                        "14-003", f"{where}: heading H{level} follows H{last_heading or '(none)'}"
                    )
                )
            last_heading = level
        if role == "TH" and not _has_scope(node) and "/Headers" not in node.obj:
            out.append(Failure("15-003", f"{where} has no /Scope attribute"))
        if role == "Note":
            ident = node.obj.get("/ID")
            if ident is None:
                out.append(Failure("19-003", f"{where} has no /ID"))
            else:
                ids[bytes(ident).hex()] += 1
                if ids[bytes(ident).hex()] == 2:
                    out.append(Failure("19-004", f"{where}: /ID {ident} is not unique"))
        lang = node.obj.get("/Lang")
        if lang is not None and not _LANG.match(str(lang)):
            out.append(Failure("11-001", f"{where}: /Lang {str(lang)!r} is no language tag"))


def _has_scope(node: Node) -> bool:
    attrs = node.obj.get("/A")
    for a in attrs if isinstance(attrs, pikepdf.Array) else [attrs]:
        if isinstance(a, pikepdf.Dictionary) and a.get("/O") == "/Table" and "/Scope" in a:
            return True
    return False


def _content(reader: Reader, nodes: list[Node], out: list[Failure]) -> None:
    for problem in reader.walk.nesting:
        rule, _, message = problem.partition(" ")
        if re.fullmatch(r"\d\d-\d\d\d", rule):
            out.append(Failure(rule, message))
        else:
            out.append(Failure("01-005", problem))
    held = {item for node in nodes for item in node.items}
    reported: set[tuple[int, str]] = set()
    for d in reader.walk.drawn:
        if d.artifact or (d.mcid is not None and (d.stream, d.mcid) in held):
            continue
        what = f"MCID {d.mcid} in no structure element" if d.mcid is not None else "unmarked"
        if (d.page, what) in reported:
            continue
        reported.add((d.page, what))
        sample = f" ({d.text[:30]!r})" if d.text else ""
        out.append(Failure("01-005", f"page {d.page + 1}: {d.kind}{sample} is {what}"))
    out += [Failure(_FONT_RULES[f], m) for f, m in font_faults(reader.walk.fonts.values())]


#: The rule each fault of a font breaks (:func:`~.fonts.font_faults`).
_FONT_RULES = {
    "embedded": "UA1:7.21.4.1-1", "tounicode": "10-001", "unmapped": "10-001",
    "reserved": "UA1:7.21.7-2",
}  # fmt: skip


def _parent_tree(pdf: pikepdf.Pdf, reader: Reader, nodes: list[Node], out: list[Failure]) -> None:
    root = pdf.Root.get("/StructTreeRoot")
    tree = root.get("/ParentTree") if root is not None else None
    entries: dict[int, Any] = {}
    if tree is not None:
        entries = {int(k): v for k, v in pikepdf.NumberTree(tree).items()}
    owner: dict[tuple[tuple[int, int], int], Node] = {}
    for node in nodes:
        for item in node.items:
            owner[item] = node
    streams: dict[tuple[int, int], Any] = {}
    for page in pdf.pages:
        streams[page.obj.objgen] = page.obj
    for d in reader.walk.drawn:
        if d.mcid is None or (d.stream, d.mcid) not in owner:
            continue
        holder = streams.get(d.stream) or pdf.get_object(d.stream)
        key = holder.get("/StructParents")
        where = f"MCID {d.mcid} of object {d.stream}"
        if key is None:
            out.append(Failure("ISO32000-1:14.7.4.4", f"{where}: its stream has no /StructParents"))
            streams[d.stream] = {"/StructParents": -1}
            continue
        array = entries.get(int(key))
        if int(key) < 0:
            continue
        if array is None:
            out.append(
                Failure("ISO32000-1:14.7.4.4", f"{where}: /ParentTree has no entry {int(key)}")
            )
            streams[d.stream] = {"/StructParents": -1}
            continue
        if d.mcid >= len(array) or array[d.mcid].objgen != owner[(d.stream, d.mcid)].obj.objgen:
            out.append(
                Failure("ISO32000-1:14.7.4.4", f"{where}: /ParentTree names another element")
            )


def _forms(reader: Reader, out: list[Failure]) -> None:
    for form, count in reader.walk.forms.items():
        if count > 1 and form in reader.walk.marked_forms:
            out.append(Failure("30-002", f"form {form} holds MCIDs and is drawn {count} times"))


def _annotations(pdf: pikepdf.Pdf, nodes: list[Node], pages: list[int], out: list[Failure]) -> None:
    links = {
        objr.Obj.objgen: node
        for node in nodes
        for objr in node.objrs
        if "/Obj" in objr and objr.Obj.is_indirect
    }
    for index in pages:
        page = pdf.pages[index].obj
        annots = page.get("/Annots")
        if not annots:
            continue
        tabs = page.get("/Tabs")
        if tabs is None:
            out.append(Failure("28-008", f"page {index + 1} has annotations and no /Tabs"))
        elif tabs != "/S":
            out.append(Failure("28-009", f"page {index + 1}: /Tabs is {tabs}, not /S"))
        for annot in annots:
            if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != "/Link":
                continue
            node = links.get(annot.objgen) if annot.is_indirect else None
            where = f"page {index + 1}: link annotation {annot.objgen}"
            if node is None or node.role != "Link":
                out.append(Failure("28-011", f"{where} is in no Link element"))
            elif "/StructParent" not in annot:
                out.append(Failure("28-011", f"{where} has no /StructParent"))
            said = str(annot.get("/Contents", "")).strip("\ufeff \t\r\n")
            if not said:
                out.append(Failure("28-012", f"{where} has no /Contents description"))


def check_pdfua(
    pdf: pikepdf.Pdf | bytes | Reader, pages: list[int] | None = None, *, claimed: bool = True
) -> list[Failure]:
    """Every PDF/UA-1 failure of *pdf* (content rules on *pages*, 0-based; all when
    None). A :class:`Reader` given as *pdf* has walked the pages it was made for.
    ``claimed=False`` checks a file that does not declare PDF/UA (a tagged letter
    with untagged annexes): every rule but the identifier's (06-002)."""
    reader = pdf if isinstance(pdf, Reader) else Reader(pdf, pages)
    doc = reader.pdf
    chosen = list(range(len(doc.pages))) if pages is None else pages
    out: list[Failure] = []
    mark = doc.Root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        out.append(Failure("UA1:6.2-1", "the catalogue's /MarkInfo has no /Marked true"))
    if mark is not None and bool(mark.get("/Suspects", False)):
        out.append(Failure("01-007", "/MarkInfo /Suspects is true"))
    if "/StructTreeRoot" not in doc.Root:
        out.append(Failure("UA1:7.1-11", "the catalogue has no /StructTreeRoot"))
    _metadata(doc, claimed, out)
    lang = doc.Root.get("/Lang")
    if lang is None or not _LANG.match(str(lang)):
        out.append(Failure("11-001", f"the catalogue's /Lang is {lang!r}, no language tag"))
    nodes = reader.nodes()
    _roles(doc, nodes, out)
    _structure(reader, nodes, out)
    _content(reader, nodes, out)
    _parent_tree(doc, reader, nodes, out)
    _forms(reader, out)
    _annotations(doc, nodes, chosen, out)
    return out
