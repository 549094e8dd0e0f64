"""The bytes of a PNG or JPEG file → its kind, its size in pixels, and (for a
JPEG) the same image without the segments that describe the photo.

Everything here reads bytes only; no image decoder runs. The size comes from
the PNG's ``IHDR`` chunk or the JPEG's frame header (``SOFn``), so an image
too large to decode is refused before anything decodes it.

A JPEG is a list of marker segments. :func:`strip_jpeg` keeps those a decoder
needs (frame and scan headers, tables, the entropy-coded data itself,
untouched), the ``JFIF`` header (without its thumbnail), the ``ICC_PROFILE``
(colours) and the ``Adobe`` segment (how CMYK is coded), and drops the rest:
Exif (GPS position, camera serial, date, thumbnail), XMP, Photoshop/IPTC,
comments, other applications' segments, and whatever follows the end of the
image (phones append more pictures there, each with its own Exif). Nothing is
re-encoded: the pixels are the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from ..errors import LetterkitError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
#: The first bytes of the only image formats a letter may hold.
SIGNATURES = (PNG_SIGNATURE, JPEG_SIGNATURE)

#: Scans in one JPEG: a progressive photo has about ten; each scan costs a
#: pass over every block of the image, so thousands of tiny scans are a way to
#: keep a decoder busy for hours.
MAX_SCANS = 100

#: Frame headers (SOF0–SOF15; C4 is DHT, C8 reserved, CC is DAC).
_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: Frames ReportLab copies into a PDF as they are: baseline, extended and
#: progressive Huffman coding (SOF0–SOF2), 8 bits a sample.
_EMBEDDED = frozenset({0xC0, 0xC1, 0xC2})
#: Markers without a length: restart markers and TEM.
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}
#: Segments a decoder needs: frames, DHT, DAC, DQT, DNL, DRI, DHP, EXP.
_DECODING = _FRAMES | {0xC4, 0xCC, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF}
_SOS, _EOI, _APP0, _APP2, _APP14 = 0xDA, 0xD9, 0xE0, 0xE2, 0xEE


class BadImage(LetterkitError, ValueError):
    """Why the bytes are not a PNG or JPEG image letterkit can use (a phrase
    that follows the file's name: "is not a PNG or JPEG image")."""


def kind(data: bytes) -> str | None:
    """``"PNG"`` or ``"JPEG"`` by the first bytes (Pillow's format names), else None."""
    if data.startswith(PNG_SIGNATURE):
        return "PNG"
    if data.startswith(JPEG_SIGNATURE):
        return "JPEG"
    return None


def pixel_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the header; raises :class:`BadImage`.

    A JPEG's segments are all walked (a damaged one is found here, before a
    decoder), and the largest frame it declares counts.
    """
    found = kind(data)
    if found == "PNG":
        if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\x00\x00\x00\x0d":
            raise BadImage("is not a readable PNG image (it has no IHDR header)")
        width, height = struct.unpack(">II", data[16:24])
    elif found == "JPEG":
        frames = [
            (marker, data[start + 4], *struct.unpack(">HH", data[start + 5 : start + 9]))
            for marker, start, end in segments(data)
            if marker in _FRAMES and end - start >= 10
        ]
        if not frames:
            raise BadImage("is not a readable JPEG image (it has no frame header)")
        if any(marker not in _EMBEDDED or bits != 8 for marker, bits, _, _ in frames):
            raise BadImage(
                "is a kind of JPEG a PDF cannot show as it is (lossless, 12-bit, "
                "arithmetic or hierarchical coding); save it again as an ordinary JPEG or PNG"
            )
        _, _, height, width = max(frames, key=lambda f: f[2] * f[3])
    else:
        raise BadImage("is not a PNG or JPEG image, whatever its name says; save it again as PNG")
    if not width or not height:
        raise BadImage(f"declares a size of {width} × {height} pixels; save it again")
    return width, height


def too_many_pixels(size: tuple[int, int], limit: int) -> str:
    """Why an image of *size* is too large (a phrase), or "" within *limit* pixels."""
    width, height = size
    if width * height <= limit:
        return ""
    return (
        f"is {width:,} × {height:,} pixels ({width * height:,}), more than the "
        f"{limit:,} an image may have; save a smaller copy"
    )


def segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """Every marker segment of a JPEG as (marker, start, end), SOI to EOI.

    A scan (``SOS``) runs to the end of its entropy-coded data. Raises
    :class:`BadImage` for a segment that runs past the end, stray bytes where
    a marker should be, more than :data:`MAX_SCANS` scans, or no end marker.
    """
    if not data.startswith(b"\xff\xd8"):
        raise BadImage("is not a JPEG image")
    yield 0xD8, 0, 2
    pos, size, scans = 2, len(data), 0
    while True:
        if pos + 1 >= size:
            raise BadImage("is cut short (it ends before its end-of-image marker); save it again")
        if data[pos] != 0xFF:
            raise BadImage(f"is damaged (no marker at byte {pos:,}); save it again")
        while pos + 2 < size and data[pos + 1] == 0xFF:
            pos += 1  # fill bytes before a marker
        marker = data[pos + 1]
        if marker == _EOI:
            yield marker, pos, pos + 2
            return
        if marker in _STANDALONE:
            yield marker, pos, pos + 2
            pos += 2
            continue
        if marker in (0x00, 0xD8, 0xFF) or pos + 4 > size:
            raise BadImage(f"is damaged (a bad marker at byte {pos:,}); save it again")
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > size or end < pos + 4:
            raise BadImage(
                f"is damaged (a segment at byte {pos:,} runs past the end); save it again"
            )
        if marker == _SOS:
            scans += 1
            if scans > MAX_SCANS:
                raise BadImage(f"has more than {MAX_SCANS} scans; save it again")
            end = _scan_end(data, end)
        yield marker, pos, end
        pos = end


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data from *pos* ends: the next marker that is
    not a stuffed zero byte, a fill byte or a restart marker."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise BadImage("is cut short (it ends inside its image data); save it again")
        after = data[pos + 1]
        if after == 0x00 or 0xD0 <= after <= 0xD7:
            pos += 2
        elif after == 0xFF:
            pos += 1
        else:
            return pos


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without its Exif, XMP, IPTC, comments and other applications'
    segments, and without what follows its end (see the module's docstring).

    The same bytes come back for a JPEG that has none of them. Raises
    :class:`BadImage` for a damaged file.
    """
    kept: list[bytes] = []
    for marker, start, end in segments(data):
        part = data[start:end]
        if marker in _DECODING or marker in _STANDALONE or marker in (0xD8, _SOS, _EOI):
            kept.append(part)
        elif marker == _APP0 and part[4:9] == b"JFIF\x00" and len(part) >= 18:
            # The header without its thumbnail (a picture of the photo before
            # it was cropped or edited).
            kept.append(part if len(part) == 18 else b"\xff\xe0\x00\x10" + part[4:16] + b"\0\0")
        elif (marker == _APP2 and part[4:16] == b"ICC_PROFILE\x00") or (
            marker == _APP14 and part[4:9] == b"Adobe"
        ):
            kept.append(part)
    return b"".join(kept)


__all__ = [
    "MAX_SCANS",
    "SIGNATURES",
    "BadImage",
    "kind",
    "pixel_size",
    "segments",
    "strip_jpeg",
    "too_many_pixels",
]
