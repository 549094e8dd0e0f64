"""A page's content streams (and the forms they draw) → what each drawing operator
draws, inside which marked content.

Every operator that paints (text, paths, images, shadings, forms' contents) is
one :class:`Drawn`, with the marked-content sequence it belongs to: the
nearest enclosing MCID (in the page's numbering, or in a form's own when the
form has ``/StructParents``) and whether an ``Artifact`` encloses it. The
walk also notes marked content nested the wrong way (an artifact inside
tagged content, tagged content inside an artifact). Text inside
``ReversedChars`` marked content is turned back to logical order; an
``/ActualText`` goes with what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pikepdf

from .fonts import Font, font_of

_TEXT = {"Tj", "TJ", "'", '"'}
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
_LINE = {"Td", "TD", "Tm", "T*", "BT", "'", '"'}
#: A TJ adjustment (thousandths of an em) wider than this stands for a space.
_GAP = 200


@dataclass(frozen=True)
class Drawn:
    """One painting operator: its page (0-based), the content stream whose MCID
    numbering it is in (the page's or a form's object number), the MCID
    (None outside any), whether an artifact holds it, its kind, its text."""

    page: int
    stream: tuple[int, int]
    mcid: int | None
    artifact: bool
    kind: str
    text: str = ""
    font: str = ""
    #: Whether a line move came between this text and the text before it.
    newline: bool = False
    #: The ``/ActualText`` of the innermost marked content holding it.
    actual: str | None = None
    #: Colour spaces the operator's colour came from (DeviceRGB…).
    colours: tuple[str, ...] = ()
    #: The ``/Lang`` of the innermost marked content that gives one.
    lang: str | None = None


@dataclass
class Walk:
    """What one walk over a page gives: the drawn items, nesting faults, the fonts
    met, the device colour spaces used."""

    drawn: list[Drawn] = field(default_factory=list)
    nesting: list[str] = field(default_factory=list)
    fonts: dict[tuple[int, int], Font] = field(default_factory=dict)
    #: Every font a Tf chose, used or not (the fonts above drew text).
    known: dict[tuple[int, int], Font] = field(default_factory=dict)
    devices: set[str] = field(default_factory=set)
    #: How many times each form XObject is drawn, and the forms that open MCIDs.
    forms: dict[tuple[int, int], int] = field(default_factory=dict)
    marked_forms: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class _Mark:
    tag: str
    mcid: int | None
    stream: tuple[int, int]
    actual: str | None
    lang: str | None = None


def _props(operands: list[Any], resources: Any) -> Any:
    if len(operands) < 2:
        return None
    props = operands[1]
    if isinstance(props, pikepdf.Name):
        table = resources.get("/Properties") if resources is not None else None
        return table.get(props) if table is not None else None
    return props


def _string(obj: Any) -> str | None:
    return str(obj) if isinstance(obj, pikepdf.String) else None


class _Walker:
    def __init__(self, walk: Walk, page: int) -> None:
        self.walk = walk
        self.page = page
        self.depth = 0

    def run(
        self,
        stream: Any,
        resources: Any,
        key: tuple[int, int],
        marks: list[_Mark],
        label: str,
        form: tuple[int, int] | None = None,
    ) -> None:
        if self.depth > 12:  # a form drawing itself
            return
        try:
            ops = pikepdf.parse_content_stream(stream)
        except (pikepdf.PdfError, pikepdf.DependencyError) as exc:
            self.walk.nesting.append(f"{label}: content stream does not parse ({exc})")
            return
        self.depth += 1
        try:
            self._ops(ops, resources, key, marks, label, form)
        finally:
            self.depth -= 1

    def _ops(
        self,
        ops: list[Any],
        resources: Any,
        key: tuple[int, int],
        marks: list[_Mark],
        label: str,
        form: tuple[int, int] | None,
    ) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        font: Font | None = None
        font_stack: list[Font | None] = []
        moved = True
        stroke = fill = "/DeviceGray"
        colour_stack: list[tuple[str, str]] = []
        own = list(marks)
        base = len(own)
        for item in ops:
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                self._draw(own, "image", label)
                continue
            op = str(item.operator)
            operands = list(item.operands)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])[1:] if operands else ""
                props = _props(operands, resources) if op == "BDC" else None
                mcid = props.get("/MCID") if props is not None else None
                actual = _string(props.get("/ActualText")) if props is not None else None
                lang = _string(props.get("/Lang")) if props is not None else None
                inside_art = any(m.tag == "Artifact" for m in own)
                inside_mcid = any(m.mcid is not None for m in own)
                if tag == "Artifact" and inside_mcid:
                    self.walk.nesting.append(f"01-003 {label}: an Artifact inside tagged content")
                if mcid is not None and inside_art:
                    self.walk.nesting.append(
                        f"01-004 {label}: MCID {int(mcid)} inside content marked as Artifact"
                    )
                if mcid is not None and form is not None:
                    self.walk.marked_forms.add(form)
                own.append(_Mark(tag, int(mcid) if mcid is not None else None, key, actual, lang))
            elif op == "EMC":
                if len(own) > base:
                    own.pop()
                else:
                    self.walk.nesting.append(f"{label}: EMC without its BDC/BMC")
            elif op == "q":
                font_stack.append(font)
                colour_stack.append((stroke, fill))
            elif op == "Q":
                font = font_stack.pop() if font_stack else font
                stroke, fill = colour_stack.pop() if colour_stack else (stroke, fill)
            elif op == "Tf" and operands:
                res = fonts.get(operands[0]) if fonts is not None else None
                font = (
                    font_of(str(operands[0]), res, self.walk.known)
                    if isinstance(res, pikepdf.Dictionary)
                    else None
                )
            elif op in ("g", "G", "rg", "RG", "k", "K"):
                space = {"g": "/DeviceGray", "rg": "/DeviceRGB", "k": "/DeviceCMYK"}[op.lower()]
                if op.islower():
                    fill = space
                else:
                    stroke = space
            elif op in ("cs", "CS") and operands:
                space = str(operands[0])
                if op == "cs":
                    fill = space
                else:
                    stroke = space
            if op in _LINE:
                moved = True
            if op in _TEXT:
                if font is not None:
                    self.walk.fonts[font.objgen] = font
                text = self._text(op, operands, font)
                self._draw(own, "text", label, text, font, moved, (fill,))
                moved = False
            elif op in _PAINT:
                self._draw(own, "path", label, colours=(fill, stroke))
            elif op == "sh":
                self._draw(own, "shading", label)
            elif op == "Do" and operands:
                self._do(operands[0], resources, key, own, label)

    def _text(self, op: str, operands: list[Any], font: Font | None) -> str:
        if op == "TJ":
            parts = []
            for piece in operands[0] if operands else []:
                if isinstance(piece, pikepdf.String):
                    parts.append(self._decode(bytes(piece), font))
                elif float(piece) < -_GAP:
                    parts.append(" ")
            return "".join(parts)
        raw = operands[-1] if operands else b""
        return self._decode(bytes(raw), font)

    def _decode(self, raw: bytes, font: Font | None) -> str:
        if font is None:
            return raw.decode("latin-1")
        return font.text(raw)

    def _do(
        self, name: Any, resources: Any, key: tuple[int, int], own: list[_Mark], label: str
    ) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        xobj = xobjects.get(name) if xobjects is not None else None
        if xobj is None:
            return
        if xobj.get("/Subtype") == "/Image":
            self._draw(own, "image", label, colours=(str(xobj.get("/ColorSpace", "")),))
            return
        if xobj.get("/Subtype") != "/Form":
            return
        form_key = xobj.objgen if "/StructParents" in xobj else key
        self.walk.forms[xobj.objgen] = self.walk.forms.get(xobj.objgen, 0) + 1
        inner = xobj.get("/Resources", resources)
        self.run(xobj, inner, form_key, own, f"{label} form {name}", xobj.objgen)

    def _draw(
        self,
        own: list[_Mark],
        kind: str,
        label: str,
        text: str = "",
        font: Font | None = None,
        newline: bool = False,
        colours: tuple[str, ...] = (),
    ) -> None:
        mcid_mark = next((m for m in reversed(own) if m.mcid is not None), None)
        actual = next((m.actual for m in reversed(own) if m.actual is not None), None)
        lang = next((m.lang for m in reversed(own) if m.lang is not None), None)
        if any(m.tag == "ReversedChars" for m in own):  # ISO 32000-1, 14.8.2.3.3
            text = text[::-1]
        for space in colours:
            if space in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray"):
                self.walk.devices.add(space)
        self.walk.drawn.append(
            Drawn(
                page=self.page,
                stream=mcid_mark.stream if mcid_mark else (0, 0),
                mcid=mcid_mark.mcid if mcid_mark else None,
                artifact=any(m.tag == "Artifact" for m in own),
                kind=kind,
                text=text,
                font=font.name if font else "",
                newline=newline,
                actual=actual,
                colours=colours,
                lang=lang,
            )
        )


def drawn_on(pdf: pikepdf.Pdf, pages: list[int] | None = None) -> Walk:
    """Walk the content of *pages* (every page when None) of *pdf*."""
    walk = Walk()
    for index, page in enumerate(pdf.pages):
        if pages is not None and index not in pages:
            continue
        walker = _Walker(walk, index)
        key = page.obj.objgen
        walker.run(page.obj, page.obj.get("/Resources"), key, [], f"page {index + 1}")
    return walk
