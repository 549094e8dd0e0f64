"""A font resource → how its string bytes split into codes and what text each code is.

A small reader of ToUnicode CMaps (``codespacerange``, ``bfchar``,
``bfrange`` with a start value or an array), enough for what PDF writers put
there; no CMap ``usecmap`` chains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf

_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]|begin\w+|end\w+")


def _hex(token: bytes) -> bytes:
    return bytes.fromhex(re.sub(rb"\s", b"", token).decode("ascii"))


def _utf16(raw: bytes) -> str:
    return raw.decode("utf-16-be", errors="replace")


def parse_cmap(data: bytes) -> tuple[dict[bytes, str], int]:
    """A ToUnicode CMap → (code bytes → text, the code length in bytes)."""
    mapping: dict[bytes, str] = {}
    width = 0
    section = b""
    row: list[Any] = []
    array: list[bytes] | None = None
    for m in _TOKEN.finditer(data):
        token = m.group(0)
        if token.startswith(b"begin"):
            section, row = token[5:], []
        elif token.startswith(b"end"):
            section = b""
        elif token == b"[":
            array = []
        elif token == b"]":
            row.append(array)
            array = None
        elif array is not None:
            array.append(_hex(m.group(1)))
        else:
            row.append(_hex(m.group(1)))
        if section == b"codespacerange" and len(row) == 2:
            width = width or len(row[0])
            row = []
        elif section == b"bfchar" and len(row) == 2:
            mapping[row[0]] = _utf16(row[1])
            row = []
        elif section == b"bfrange" and len(row) == 3:
            lo, hi, dst = row
            n = len(lo)
            first, last = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            for i, code in enumerate(range(first, last + 1)):
                key = code.to_bytes(n, "big")
                if isinstance(dst, list):
                    if i < len(dst):
                        mapping[key] = _utf16(dst[i])
                else:
                    value = int.from_bytes(dst, "big") + i
                    mapping[key] = _utf16(value.to_bytes(len(dst), "big"))
            row = []
    if not width:
        width = len(next(iter(mapping), b"\0"))
    return mapping, width


@dataclass
class Font:
    """What the checks need of a font resource."""

    name: str
    objgen: tuple[int, int]
    subtype: str
    embedded: bool
    to_unicode: dict[bytes, str] | None
    width: int
    used: set[bytes] = field(default_factory=set)

    def codes(self, raw: bytes) -> list[bytes]:
        """*raw* split into character codes (1 byte, 2 for a composite font)."""
        w = self.width
        return [raw[i : i + w] for i in range(0, len(raw), w)]

    def text(self, raw: bytes) -> str:
        """*raw* decoded: by ToUnicode where it maps a code, else as Latin-1 for a
        simple font (U+FFFD for a composite one)."""
        out = []
        for code in self.codes(raw):
            self.used.add(code)
            if self.to_unicode is not None and code in self.to_unicode:
                out.append(self.to_unicode[code])
            elif self.width == 1:
                out.append(code.decode("latin-1"))
            else:
                out.append("\ufffd")
        return "".join(out)


def _descriptor(font: pikepdf.Dictionary) -> Any:
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if descendants is None or len(descendants) == 0:
            return None
        return descendants[0].get("/FontDescriptor")
    return font.get("/FontDescriptor")


def is_embedded(font: pikepdf.Dictionary) -> bool:
    """Whether the font's program is in the file (Type 3 fonts draw with their own
    procedures and count as embedded)."""
    if font.get("/Subtype") == "/Type3":
        return True
    desc = _descriptor(font)
    return desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def font_of(name: str, font: pikepdf.Dictionary, cache: dict[tuple[int, int], Font]) -> Font:
    """The :class:`Font` for a font dictionary, one per object in *cache*."""
    key = font.objgen if font.is_indirect else (-1, id(font))
    if key in cache:
        return cache[key]
    mapping: dict[bytes, str] | None = None
    composite = font.get("/Subtype") == "/Type0"
    width = 2 if composite else 1
    tu = font.get("/ToUnicode")
    if isinstance(tu, pikepdf.Stream):
        mapping, cmap_width = parse_cmap(tu.read_bytes())
        width = cmap_width if composite else 1
    made = Font(
        name=name,
        objgen=key,
        subtype=str(font.get("/Subtype", "")),
        embedded=is_embedded(font),
        to_unicode=mapping,
        width=width,
    )
    cache[key] = made
    return made


def font_faults(fonts: Iterable[Font]) -> Iterator[tuple[str, str]]:
    """What is wrong with the fonts a file draws with, for both checkers to
    name by their own rule IDs: ``(fault, message)``, the fault one of
    ``embedded`` (not embedded), ``tounicode`` (no map), ``unmapped`` (codes
    drawn that the map leaves out), ``reserved`` (codes mapped to 0/FEFF/FFFE)."""
    for font in fonts:
        if not font.embedded:
            yield "embedded", f"font {font.name} {font.objgen} is not embedded"
        if font.to_unicode is None:
            yield (
                "tounicode",
                f"font {font.name} {font.objgen} has no ToUnicode map (no /ToUnicode)",
            )
            continue
        missing = sorted(c.hex() for c in font.used if c not in font.to_unicode)
        if missing:
            yield "unmapped", f"font {font.name}: codes {missing[:8]} have no Unicode mapping"
        bad = [c.hex() for c in font.used if font.to_unicode.get(c) in ("\0", "\ufeff", "\ufffe")]
        if bad:
            yield "reserved", f"font {font.name}: codes {bad} map to 0/FEFF/FFFE"
