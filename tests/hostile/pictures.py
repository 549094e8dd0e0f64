"""Hostile and revealing pictures, made in a few bytes for the image tests.

* :func:`png_bomb`: a real PNG of one-bit pixels, a few KB on disk, that
  claims millions of pixels (each one a byte or more once decoded);
* :func:`jpeg_bomb`: a small JPEG whose frame header claims a huge size;
* :func:`photo`: a JPEG that carries what a phone puts in a photo: Exif with a
  GPS position, the photographer and the camera's serial number, XMP,
  Photoshop/IPTC, a comment, and a second picture after its end with Exif of
  its own; every revealing text holds :data:`SECRET`;
* :func:`png_with_text`: a PNG with text chunks and an Exif chunk holding
  :data:`SECRET`;
* :func:`jpeg_markers`: the markers of a JPEG, to see which segments it holds.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

#: What every piece of photo metadata made here contains.
SECRET = b"LKSECRET"

#: Markers that carry a photo's metadata: APP1 (Exif, XMP), APP13 (IPTC), COM.
METADATA_MARKERS = {0xE1, 0xED, 0xFE}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 12_000, height: int = 12_000) -> bytes:
    """A valid black-and-white PNG of *width* × *height* pixels (about 18 KB for 12,000²)."""
    row = b"\0" * (1 + (width + 7) // 8)
    squeeze = zlib.compressobj(9)
    parts = [squeeze.compress(row * 1000) for _ in range(height // 1000)]
    parts += [squeeze.compress(row * (height % 1000)), squeeze.flush()]
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def small_jpeg(size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 30)).save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def jpeg_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A 64 × 48 JPEG whose frame header says *width* × *height*."""
    data = bytearray(small_jpeg())
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def photo(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG with every kind of metadata a photo of a detention site may carry."""
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Photographer " + SECRET.decode()
    exif[ExifTags.Base.Make] = "Camera " + SECRET.decode()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (42.0, 52.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (74.0, 35.0, 10.0)
    gps[ExifTags.GPS.GPSProcessingMethod] = b"ASCII\0\0\0" + SECRET
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-" + SECRET.decode()
    data = small_jpeg(size, exif=exif.tobytes(), comment=b"taken at the gate " + SECRET)
    xmp = _segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:creator>" + SECRET + b"</dc:creator>"
        b"</x:xmpmeta>",
    )
    iptc = _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x50\0\x08" + SECRET)
    other = _segment(0xE5, b"Vendor\0" + SECRET)
    trailer = small_jpeg((8, 8), exif=exif.tobytes())  # a second picture after the end
    return data[:2] + xmp + iptc + other + data[2:] + trailer


def png_with_text(size: tuple[int, int] = (64, 48)) -> bytes:
    """A PNG with tEXt, zTXt, iTXt and eXIf chunks holding :data:`SECRET`."""
    out = io.BytesIO()
    Image.new("RGB", size, (30, 60, 200)).save(out, "PNG")
    data = out.getvalue()
    chunks = (
        _chunk(b"tEXt", b"Author\0" + SECRET)
        + _chunk(b"zTXt", b"Comment\0\0" + zlib.compress(SECRET))
        + _chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + SECRET)
        + _chunk(b"eXIf", b"MM\0*\0\0\0\x08" + SECRET)
    )
    at = 8 + 25  # after the signature and IHDR
    return data[:at] + chunks + data[at:]


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG up to its end-of-image, by a walk written apart
    from letterkit's (a scan's data is skipped to its next marker)."""
    assert data[:2] == b"\xff\xd8", data[:16]
    found, pos = [0xD8], 2
    while pos < len(data):
        assert data[pos] == 0xFF, f"no marker at {pos}"
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        found.append(marker)
        if marker == 0xD9:
            break
        if 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker == 0xDA:
            while not (data[pos] == 0xFF and data[pos + 1] not in (0x00, *range(0xD0, 0xD8))):
                pos += 1
    return found
