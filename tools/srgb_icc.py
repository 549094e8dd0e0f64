"""The sRGB ICC profile letterkit declares as its PDF/A output intent, made from
the numbers IEC 61966-2.1 publishes → ``letterkit/pdf/icc/sRGB-v2.icc``.

An ICC version 2 display ("mntr") profile, RGB to the XYZ connection space:

* the primaries' and the white point's chromaticities (ITU-R BT.709 primaries,
  D65 white), turned into the RGB → XYZ matrix, adapted to the connection
  space's D50 white with the Bradford transform (as ICC.1 asks of v2
  profiles in practice: the colorants under D50, the media white as D65);
* the sRGB tone curve (linear below 0.04045, else a 2.4 power with an
  offset), sampled at 1024 points, one curve shared by the three channels.

Run it to write the file again (``python tools/srgb_icc.py``); a test checks
that the shipped file is what it makes. Every byte is fixed: the header's
date is a constant, and no profile ID is written (v2 has none).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

#: Chromaticities (x, y) of IEC 61966-2.1: the BT.709 primaries and D65.
PRIMARIES = {"r": (0.64, 0.33), "g": (0.30, 0.60), "b": (0.15, 0.06)}
WHITE = (0.3127, 0.3290)
#: The ICC connection space's white (D50), as ICC.1 gives it.
D50 = (0.9642, 1.0, 0.8249)
#: The Bradford cone response matrix.
BRADFORD = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))
CURVE_POINTS = 1024
DESCRIPTION = "sRGB IEC61966-2.1 (letterkit)"
COPYRIGHT = "No copyright: letterkit's own profile, use freely (CC0-1.0)"
#: The header's creation date: fixed, so that the file is the same wherever it is made.
DATE = (2026, 1, 1, 0, 0, 0)

Matrix = tuple[tuple[float, float, float], ...]


def _xyz(x: float, y: float) -> tuple[float, float, float]:
    return (x / y, 1.0, (1.0 - x - y) / y)


def _inverse(m: Matrix) -> Matrix:
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return (
        ((e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det),
        ((f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det),
        ((d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det),
    )


def _times(m: Matrix, v: tuple[float, float, float]) -> tuple[float, float, float]:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _product(a: Matrix, b: Matrix) -> Matrix:
    cols = [(b[0][j], b[1][j], b[2][j]) for j in range(3)]
    rows = [_times(a, col) for col in cols]  # a × each column of b
    return tuple((rows[0][i], rows[1][i], rows[2][i]) for i in range(3))


def colorants() -> dict[str, tuple[float, float, float]]:
    """The XYZ (D50) of each primary at full intensity: the columns of the
    RGB → XYZ matrix made from the chromaticities, Bradford-adapted to D50."""
    white = _xyz(*WHITE)
    columns = [_xyz(*PRIMARIES[c]) for c in "rgb"]
    m = tuple((columns[0][i], columns[1][i], columns[2][i]) for i in range(3))
    scale = _times(_inverse(m), white)  # each primary's share of white
    rgb_to_xyz = tuple(tuple(m[i][j] * scale[j] for j in range(3)) for i in range(3))
    cone_src, cone_dst = _times(BRADFORD, white), _times(BRADFORD, D50)
    gain = tuple(
        tuple(cone_dst[i] / cone_src[i] if i == j else 0.0 for j in range(3)) for i in range(3)
    )
    adapt = _product(_inverse(BRADFORD), _product(gain, BRADFORD))
    adapted = _product(adapt, rgb_to_xyz)
    return {c: (adapted[0][j], adapted[1][j], adapted[2][j]) for j, c in enumerate("rgb")}


def tone(v: float) -> float:
    """The sRGB tone curve: encoded value (0…1) → linear light."""
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(xyz: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in xyz)


def _text_tag(text: str) -> bytes:
    return b"text\0\0\0\0" + text.encode("ascii") + b"\0"


def _desc_tag(text: str) -> bytes:
    ascii_ = text.encode("ascii") + b"\0"
    # ASCII, then an empty Unicode and an empty ScriptCode description.
    return (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(ascii_))
        + ascii_
        + b"\0" * 8
        + b"\0" * 3
        + b"\0" * 67
    )


def _curve_tag() -> bytes:
    last = CURVE_POINTS - 1
    points = [round(tone(i / last) * 65535) for i in range(CURVE_POINTS)]
    return (
        b"curv\0\0\0\0"
        + struct.pack(">I", CURVE_POINTS)
        + struct.pack(f">{CURVE_POINTS}H", *points)
    )


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def profile() -> bytes:
    """The whole profile's bytes."""
    colour = colorants()
    white = _xyz(*WHITE)
    curve = _curve_tag()
    tags: list[tuple[bytes, bytes]] = [
        (b"desc", _desc_tag(DESCRIPTION)),
        (b"cprt", _text_tag(COPYRIGHT)),
        (b"wtpt", _xyz_tag(white)),
        (b"rXYZ", _xyz_tag(colour["r"])),
        (b"gXYZ", _xyz_tag(colour["g"])),
        (b"bXYZ", _xyz_tag(colour["b"])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table = struct.pack(">I", len(tags))
    body = b""
    placed: dict[bytes, int] = {}
    for signature, data in tags:
        if data not in placed:  # the three curves are one
            placed[data] = offset + len(body)
            body += _padded(data)
        table += signature + struct.pack(">II", placed[data], len(data))
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"  # preferred CMM: none
        + bytes((2, 0x10, 0, 0))  # version 2.1
        + b"mntr"
        + b"RGB "
        + b"XYZ "
        + struct.pack(">6H", *DATE)
        + b"acsp"
        + b"\0" * 4  # primary platform: none
        + b"\0" * 4  # flags
        + b"\0" * 8  # device manufacturer and model
        + b"\0" * 8  # device attributes
        + struct.pack(">I", 0)  # perceptual rendering intent
        + b"".join(_s15(v) for v in D50)
        + b"\0" * 4  # creator
        + b"\0" * 44  # profile ID (none in v2) and reserved bytes
    )
    assert len(header) == 128
    return header + table + body


OUTPUT = Path(__file__).resolve().parent.parent / "letterkit" / "pdf" / "icc" / "sRGB-v2.icc"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    target.write_bytes(profile())
    sys.stdout.write(f"wrote {target} ({target.stat().st_size} bytes)\n")
