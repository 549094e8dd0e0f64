"""A TrueType font subset as ReportLab writes it → the same outlines without what
a PDF viewer never uses: the font's names and its hinting.

A subset embedded in a PDF (``/FontFile2``) is drawn from its ``glyf``
outlines, its metrics (``head``, ``hhea``, ``hmtx``, ``maxp``), ``loca`` and
the ``cmap`` that maps a simple font's codes to glyphs. ReportLab's subsets
also carry the ``name`` table (the font's names and licence text, about
1.6 KB) and the hinting: the ``fpgm``, ``prep`` and ``cvt`` tables (about
4 KB) and each glyph's instructions (a third of ``glyf``). PDF viewers
rasterise without the hinting at print resolution, and read the font's name
from the PDF's font dictionary, so :func:`slim` leaves them out: about 40 % of
each program, the glyphs drawn the same.

The result is deterministic (same input bytes, same output bytes). A program
shaped otherwise than expected (a collection, CFF outlines, a table that does
not parse) is returned unchanged: slimming is an optimisation, never a
reason to fail.
"""

from __future__ import annotations

import itertools
import struct

from ..errors import LetterkitError

__all__ = ["DROPPED", "slim", "tables"]

#: Tables a PDF viewer does not use: names, hinting programs and the device
#: metrics that hinting produces.
DROPPED = frozenset({b"name", b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX"})

_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
#: Composite glyph flags (OpenType 'glyf').
_ARGS_ARE_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_2X2 = 0x0080
_HAVE_INSTRUCTIONS = 0x0100


class _Malformed(LetterkitError, ValueError):
    """A font program this module does not rewrite (caught here: never raised
    to a caller)."""


def tables(program: bytes) -> dict[bytes, bytes]:
    """The tables of a TrueType font *program*, by tag, in directory order."""
    if len(program) < 12 or program[:4] not in _TRUETYPE:
        raise _Malformed("not a TrueType font")
    (count,) = struct.unpack_from(">H", program, 4)
    found: dict[bytes, bytes] = {}
    for index in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", program, 12 + 16 * index)
        if offset + length > len(program):
            raise _Malformed(f"table {tag!r} runs past the end")
        found[tag] = program[offset : offset + length]
    return found


def slim(program: bytes) -> bytes:
    """*program* without the tables in :data:`DROPPED` and without glyph
    instructions; *program* itself if it is not a TrueType font this module
    reads, or if there is nothing to leave out."""
    try:
        found = tables(program)
        if not {b"head", b"maxp", b"loca", b"glyf"} <= found.keys():
            return program
        return _slim(found)
    except (_Malformed, struct.error, IndexError):
        return program


def _slim(found: dict[bytes, bytes]) -> bytes:
    head = bytearray(found[b"head"])
    maxp = bytearray(found[b"maxp"])
    if len(head) < 54 or len(maxp) < 6:
        raise _Malformed("short head or maxp")
    (glyph_count,) = struct.unpack_from(">H", maxp, 4)
    (long_loca,) = struct.unpack_from(">h", head, 50)
    loca = found[b"loca"]
    if long_loca:
        offsets = list(struct.unpack_from(f">{glyph_count + 1}I", loca))
    else:
        offsets = [2 * o for o in struct.unpack_from(f">{glyph_count + 1}H", loca)]
    glyf = found[b"glyf"]
    records: list[bytes] = []
    for start, end in itertools.pairwise(offsets):
        if end < start or end > len(glyf):
            raise _Malformed("loca out of order")
        record = _without_instructions(glyf[start:end]) if end > start else b""
        records.append(record + b"\0" * (-len(record) % 4))
    new_glyf = b"".join(records)
    new_offsets = [0]
    for record in records:
        new_offsets.append(new_offsets[-1] + len(record))
    if new_offsets[-1] // 2 <= 0xFFFF:
        new_loca = struct.pack(f">{len(new_offsets)}H", *(o // 2 for o in new_offsets))
        struct.pack_into(">h", head, 50, 0)
    else:
        new_loca = struct.pack(f">{len(new_offsets)}I", *new_offsets)
        struct.pack_into(">h", head, 50, 1)
    if len(maxp) >= 32:  # version 1.0: no function, storage or instructions any more
        struct.pack_into(">HHHHHH", maxp, 16, 0, 0, 0, 0, 0, 0)
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
    kept = {tag: data for tag, data in found.items() if tag not in DROPPED}
    kept.update({b"glyf": new_glyf, b"loca": new_loca, b"head": bytes(head), b"maxp": bytes(maxp)})
    out, head_at = _assemble(kept)
    adjustment = (0xB1B0AFBA - _checksum(out)) & 0xFFFFFFFF
    struct.pack_into(">I", out, head_at + 8, adjustment)
    return bytes(out)


def _assemble(kept: dict[bytes, bytes]) -> tuple[bytearray, int]:
    """An sfnt file of *kept*'s tables, in tag order, each 4-byte aligned, and
    where its head table starts."""
    tags = sorted(kept)
    count = len(tags)
    power = 1
    while power * 2 <= count:
        power *= 2
    search = power * 16
    out = bytearray(struct.pack(">4sHHHH", _TRUETYPE[0], count, search, power.bit_length() - 1,
                                count * 16 - search))  # fmt: skip
    offset = 12 + 16 * count
    body = bytearray()
    head_at = 0
    for tag in tags:
        data = kept[tag]
        if tag == b"head":
            head_at = offset + len(body)
        out += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return out + body, head_at


def _checksum(data: bytes | bytearray) -> int:
    """The sfnt checksum: the sum of big-endian 32-bit words, zero-padded."""
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


def _without_instructions(record: bytes) -> bytes:
    """One glyph record without its instructions (a simple glyph keeps what
    follows them, its points and any padding, as they are)."""
    (contours,) = struct.unpack_from(">h", record, 0)
    if contours >= 0:
        at = 10 + 2 * contours
        (length,) = struct.unpack_from(">H", record, at)
        if at + 2 + length > len(record):
            raise _Malformed("a glyph's instructions run past its record")
        return record[:at] + b"\0\0" + record[at + 2 + length :]
    at = 10
    flags = _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        flags_at = at
        (flags,) = struct.unpack_from(">H", record, at)
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            at += 2
        elif flags & _HAVE_XY_SCALE:
            at += 4
        elif flags & _HAVE_2X2:
            at += 8
    if at > len(record):
        raise _Malformed("a composite glyph runs past its record")
    if not flags & _HAVE_INSTRUCTIONS:
        return record[:at]
    out = bytearray(record[:at])
    struct.pack_into(">H", out, flags_at, flags & ~_HAVE_INSTRUCTIONS)
    return bytes(out)
