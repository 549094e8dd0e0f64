"""An annex that declares PDF/A → the first font its pages draw with but do not
embed, if any.

An annex's XMP may say ``pdfaid`` while its pages use a font the file does
not carry (a word processor's "save as PDF/A" that was not, an edited file):
PDF/A needs every font embedded, so such an annex cannot keep the claim
(:func:`letterkit.pdf.archive.annex_verdict`). The walk goes through each
page's fonts and those of the forms it draws, a Type 0 font's descendant,
and stops after :data:`LOOKS` dictionaries: a file larger than that is taken
at its word for the rest.
"""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject

from .attached import get, resolve

#: Dictionaries looked at, at most, in one annex.
LOOKS = 5000
#: The keys of a font descriptor that hold an embedded font program.
_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


def unembedded_font(reader: PdfReader) -> str | None:
    """The name of a font the annex's pages draw with and do not embed; None
    when every font it reaches (within :data:`LOOKS`) is embedded or Type 3."""
    seen: set[int] = set()
    todo: list[PdfObject | None] = []
    for page in reader.pages:
        todo.append(page.get("/Resources"))
    looks = 0
    while todo and looks < LOOKS:
        looks += 1
        resources = _dict(todo.pop())
        if resources is None or id(resources) in seen:
            continue
        seen.add(id(resources))
        fonts = _dict(get(resources, "/Font"))
        for font in (fonts or {}).values():
            name = _missing(_dict(font))
            if name is not None:
                return name
        forms = _dict(get(resources, "/XObject"))
        for form in (forms or {}).values():
            form = _dict(form)
            if form is not None and _is(form, "/Subtype", "/Form"):
                todo.append(get(form, "/Resources"))
    return None


def _is(obj: DictionaryObject, key: str, name: str) -> bool:
    return str(get(obj, key)) == name


def _dict(value: PdfObject | None) -> DictionaryObject | None:
    value = resolve(value) if value is not None else None
    return value if isinstance(value, DictionaryObject) else None


def _missing(font: DictionaryObject | None) -> str | None:
    """The font's name when it is not embedded (a Type 0 font by its descendant)."""
    if font is None or _is(font, "/Subtype", "/Type3"):
        return None
    if _is(font, "/Subtype", "/Type0"):
        kids = get(font, "/DescendantFonts")
        kids = resolve(kids) if kids is not None else None
        first = _dict(kids[0]) if isinstance(kids, ArrayObject) and len(kids) else None
        return None if first is None or _embedded(first) else _name(font)
    return None if _embedded(font) else _name(font)


def _embedded(font: DictionaryObject) -> bool:
    descriptor = _dict(get(font, "/FontDescriptor"))
    return descriptor is not None and any(get(descriptor, key) is not None for key in _PROGRAMS)


def _name(font: DictionaryObject) -> str:
    name = get(font, "/BaseFont")
    return str(name).lstrip("/") if name is not None else "a font without a name"
