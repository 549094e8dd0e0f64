"""Crafted .xlsx workbooks: the zip parts written by hand, so a test controls every byte.

``workbook`` writes a minimal valid workbook (one sheet, optional shared
strings) around sheet XML the test gives; ``bomb`` writes the zip structure
itself, so a part can inflate to gigabytes from a few megabytes (or declare
a size it does not have).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
#: The parts around a sheet, by name.
FRAME = {
    "[Content_Types].xml": _TYPES,
    "_rels/.rels": _RELS,
    "xl/workbook.xml": _BOOK,
    "xl/_rels/workbook.xml.rels": _BOOK_RELS,
}


def cell(ref: str, text: str) -> str:
    """An inline-string cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows: str, dimension: str = "A1") -> str:
    """A worksheet part around the XML of its rows."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def workbook(
    path: Path,
    sheet_xml: str | Iterable[bytes],
    shared: str | Iterable[bytes] | None = None,
    extra: dict[str, str] | None = None,
) -> Path:
    """Write a workbook whose first sheet is *sheet_xml* (text, or chunks streamed in)."""
    parts: dict[str, str | Iterable[bytes]] = {**FRAME, "xl/worksheets/sheet1.xml": sheet_xml}
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, content in parts.items():
            if isinstance(content, str):
                book.writestr(name, content)
                continue
            with book.open(name, "w", force_zip64=True) as part:
                for chunk in content:
                    part.write(chunk)
    return path


def bomb(path: Path, head: bytes, mebibytes: int, tail: bytes, declared: int | None = None) -> Path:
    """A workbook whose sheet is *head*, *mebibytes* MiB of spaces, then *tail*.

    The spaces are deflated once and repeated (each block starts afresh), so a
    few megabytes inflate to gigabytes without the test compressing them.
    *declared* replaces the sheet's uncompressed size in the zip's directory.
    """
    spaces = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(mebibytes):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + (mebibytes << 20) + len(tail)
    entries = [(name, _deflate(text.encode())) for name, text in FRAME.items()]
    parts = [(name, data, zlib.crc32(text.encode()), len(text.encode()))
             for (name, data), text in zip(entries, FRAME.values(), strict=True)]  # fmt: skip
    sheet_data = start + block * mebibytes + end
    parts.append(("xl/worksheets/sheet1.xml", sheet_data, crc, declared or size))
    path.write_bytes(_zip(parts))
    return path


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of deflated *parts* (name, data, crc, size), sizes under 4 GiB."""
    out = bytearray()
    directory = bytearray()
    for name, data, crc, size in parts:
        offset = len(out)
        raw = name.encode()
        out += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size,
                           len(raw), 0) + raw + data  # fmt: skip
        directory += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                                 len(data), size, len(raw), 0, 0, 0, 0, 0, offset) + raw  # fmt: skip
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory),
                      len(out), 0)  # fmt: skip
    return bytes(out + directory + end)
