"""Geometry checks on rendered PDFs: text inside the margins, no text on text, where images are drawn."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import pikepdf
import pypdfium2 as pdfium


@dataclass(frozen=True)
class Box:
    char: str
    left: float
    bottom: float
    right: float
    top: float


def char_boxes(pdf: bytes, page_count: int | None = None) -> list[tuple[float, float, list[Box]]]:
    """(width, height, character boxes) for each page (or the first *page_count*)."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    out = []
    try:
        for i in range(page_count if page_count is not None else len(doc)):
            page = doc[i]
            width, height = page.get_size()
            text = page.get_textpage()
            boxes = []
            for k in range(text.count_chars()):
                char = text.get_text_range(k, 1)
                if not char.strip():
                    continue
                left, bottom, right, top = text.get_charbox(k)
                boxes.append(Box(char, left, bottom, right, top))
            out.append((width, height, boxes))
            text.close()
            page.close()
    finally:
        doc.close()
    return out


def outside(boxes: list[Box], width: float, height: float, margin: float) -> list[Box]:
    """Boxes that cross the page edge less *margin* (clipped or overflowing text)."""
    return [
        b
        for b in boxes
        if b.left < margin - 1 or b.right > width - margin + 1 or b.bottom < 0 or b.top > height
    ]


def overlaps(boxes: list[Box], share: float = 0.3) -> list[tuple[Box, Box]]:
    """Pairs of glyphs that cover each other by more than *share* of the smaller one
    (twice that on one line, where italic letters overhang their neighbours)."""
    found: list[tuple[Box, Box]] = []
    ordered = sorted(boxes, key=lambda b: b.left)
    active: list[Box] = []
    for b in ordered:
        active = [a for a in active if a.right > b.left]
        for a in active:
            w = min(a.right, b.right) - max(a.left, b.left)
            h = min(a.top, b.top) - max(a.bottom, b.bottom)
            if w <= 0 or h <= 0:
                continue
            smaller = min(
                (a.right - a.left) * (a.top - a.bottom), (b.right - b.left) * (b.top - b.bottom)
            )
            same_line = h >= 0.6 * min(a.top - a.bottom, b.top - b.bottom)
            limit = share * (2 if same_line else 1)
            if smaller > 0 and w * h > limit * smaller:
                found.append((a, b))
        active.append(b)
    return found


def page_fonts(resources: Any, seen: set[tuple[int, int]] | None = None) -> list[Any]:
    """Every font dictionary a page uses (pikepdf), also those of the form
    XObjects it draws (a letter's shared pages are forms)."""
    seen = set() if seen is None else seen
    found: list[Any] = []
    if resources is None:
        return found
    for _, font in resources.get("/Font", {}).items():
        found.append(font)
    for _, xobject in resources.get("/XObject", {}).items():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found += page_fonts(xobject.get("/Resources"), seen)
    return found


@dataclass(frozen=True)
class DrawnImage:
    """An image drawn on a page: its XObject's name and size in pixels, and the box
    it is drawn in, in points."""

    name: str
    pixels: tuple[int, int]
    x: float
    y: float
    width: float
    height: float


def drawn_images(pdf: bytes, page: int | None = None, forms: bool = True) -> list[DrawnImage]:
    """Every image drawn, in drawing order, on *page* (0-based; every page when
    None), through the form XObjects that hold a page's shared content unless
    *forms* is False (the page's own content only)."""
    found: list[DrawnImage] = []

    def walk(content: Any, resources: Any, ctm: pikepdf.Matrix) -> None:
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        stack: list[pikepdf.Matrix] = []
        for operands, operator in pikepdf.parse_content_stream(content):
            op = str(operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop()
            elif op == "cm":
                ctm = pikepdf.Matrix(*[float(v) for v in operands]) @ ctm
            elif op == "Do" and str(operands[0]) in xobjects:
                xobject = xobjects[str(operands[0])]
                if xobject.get("/Subtype") == "/Image":
                    a, b, c, d, e, f = ctm.shorthand
                    pixels = (int(xobject.Width), int(xobject.Height))
                    found.append(
                        DrawnImage(
                            str(operands[0]), pixels, e, f, math.hypot(a, b), math.hypot(c, d)
                        )
                    )
                elif forms and xobject.get("/Subtype") == "/Form":
                    inner = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources"), pikepdf.Matrix(*inner) @ ctm)

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = list(doc.pages) if page is None else [doc.pages[page]]
        for each in pages:
            walk(each, each.Resources, pikepdf.Matrix())
    return found
