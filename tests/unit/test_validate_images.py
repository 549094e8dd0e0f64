"""PNG and JPEG bytes → kind, size and a JPEG without its metadata (letterkit.validate.images),
with no decoder run."""

from __future__ import annotations

import io
import random
import struct

import pytest
from PIL import Image, ImageCms

from letterkit.validate.images import MAX_SCANS, BadImage, pixel_size, segments, strip_jpeg

from ..hostile import pictures
from ..hostile.pictures import METADATA_MARKERS, SECRET, jpeg_markers

#: Markers a stripped JPEG may hold: SOI, EOI, frames, tables, scans, restarts,
#: JFIF, ICC profile, Adobe.
ALLOWED = {0xD8, 0xD9, 0xDA, 0xDB, 0xDD, 0xE0, 0xE2, 0xEE, *range(0xC0, 0xD0), *range(0xD0, 0xD8)}


def _scan_data(data: bytes) -> bytes:
    """Everything from the first scan to the end-of-image marker."""
    return data[data.index(b"\xff\xda") : data.index(b"\xff\xd9", data.index(b"\xff\xda")) + 2]


def test_sizes_come_from_the_headers() -> None:
    """This test ensures that the size is read from a PNG's IHDR and a JPEG's
    frame header, even when they claim billions of pixels in a few KB."""
    assert pixel_size(pictures.png_bomb(12_000, 12_000)) == (12_000, 12_000)
    assert pixel_size(pictures.jpeg_bomb(60_000, 50_000)) == (60_000, 50_000)
    assert pixel_size(pictures.small_jpeg((64, 48))) == (64, 48)
    assert len(pictures.png_bomb()) < 20_000


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%!PS-Adobe-3.0 EPSF-3.0\n", "not a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDX" + b"\0" * 17, "no IHDR"),
        (b"\x89PNG\r\n\x1a\n" + b"\0\0\0\x0dIHDR" + b"\0" * 17, "size of 0 × 0"),
        (b"\xff\xd8\xff\xd9", "no frame header"),
    ],
    ids=["eps", "png without IHDR", "png of no pixels", "jpeg without a frame"],
)
def test_what_is_not_an_image_says_so(data: bytes, why: str) -> None:
    with pytest.raises(BadImage, match=why):
        pixel_size(data)


def test_a_photo_loses_its_metadata_and_keeps_its_pixels_as_they_were() -> None:
    """This test ensures that Exif (GPS, photographer, serial), XMP, IPTC, the
    comment, another application's segment and the picture after the end are
    gone, and that the scans are the same bytes (no re-encoding)."""
    photo = pictures.photo()
    assert {0xE1, 0xED, 0xFE, 0xE5} <= set(jpeg_markers(photo))
    stripped = strip_jpeg(photo)
    assert set(jpeg_markers(stripped)) <= ALLOWED
    assert not METADATA_MARKERS & set(jpeg_markers(stripped))
    assert SECRET not in stripped
    assert stripped.endswith(b"\xff\xd9")
    assert _scan_data(stripped) == _scan_data(photo)
    with Image.open(io.BytesIO(photo)) as a, Image.open(io.BytesIO(stripped)) as b:
        assert a.tobytes() == b.tobytes()
        assert "exif" not in b.info
        assert "comment" not in b.info


def test_a_jpeg_without_metadata_comes_back_as_it_was() -> None:
    plain = pictures.small_jpeg()
    assert strip_jpeg(plain) == plain


def test_colour_segments_stay() -> None:
    """This test ensures that the ICC profile (colours) and the Adobe segment
    (how CMYK is coded) are kept, so the image looks the same."""
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("CMYK", (32, 32), (10, 20, 30, 40)).save(out, "JPEG", icc_profile=icc, comment=b"x")
    data = out.getvalue()
    stripped = strip_jpeg(data)
    assert 0xFE not in jpeg_markers(stripped)
    assert b"ICC_PROFILE\0" in stripped
    assert 0xEE in jpeg_markers(stripped)
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.mode == "CMYK"
        assert image.info.get("icc_profile") == icc


def test_the_jfif_thumbnail_goes() -> None:
    """This test ensures that a JFIF header keeps its densities but loses its
    thumbnail (a small copy of the photo as it was before any crop)."""
    plain = pictures.small_jpeg()
    thumb = b"JFIF\0\x01\x02\x01\x00\x48\x00\x48\x02\x02" + SECRET[:12]
    with_thumb = plain[:2] + b"\xff\xe0" + struct.pack(">H", len(thumb) + 2) + thumb + plain[20:]
    stripped = strip_jpeg(with_thumb)
    assert SECRET[:12] not in stripped
    assert stripped[2:20] == b"\xff\xe0\x00\x10JFIF\0\x01\x02\x01\x00\x48\x00\x48\0\0"


def _many_scans(count: int) -> bytes:
    data = pictures.small_jpeg()
    scan = _scan_data(data)[:-2]
    return data[: data.index(b"\xff\xda")] + scan * count + b"\xff\xd9"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (pictures.small_jpeg()[:-2], "cut short"),
        (pictures.small_jpeg()[:300], "runs past the end"),
        (b"\xff\xd8\xff\xe0\x00\x01", "runs past the end"),
        (b"\xff\xd8\xff\xe0\x00\x04ab\x00\x00", "no marker at byte 8"),
        (b"\xff\xd8\xff\x00", "bad marker"),
        (_many_scans(MAX_SCANS + 1), f"more than {MAX_SCANS} scans"),
    ],
    ids=["no end marker", "cut in a table", "length below 2", "stray bytes", "marker 00", "scans"],
)
def test_damaged_segments_are_bad_images(data: bytes, why: str) -> None:
    with pytest.raises(BadImage, match=why):
        strip_jpeg(data)


def test_no_damage_raises_anything_but_bad_image() -> None:
    """This test ensures that every truncation and 2,000 random byte changes of
    a photo end in BadImage or a result, never another exception."""
    photo = pictures.photo()
    end = photo.index(b"\xff\xd9") + 2  # the picture appended after it is not read
    assert list(segments(photo))[-1] == (0xD9, end - 2, end)
    for cut in range(end):
        with pytest.raises(BadImage):
            list(segments(photo[:cut]))
    rng = random.Random(15)
    for _ in range(2_000):
        damaged = bytearray(photo)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            strip_jpeg(bytes(damaged))
            pixel_size(bytes(damaged))
        except BadImage:
            pass


def test_a_progressive_jpeg_with_restarts_keeps_every_scan() -> None:
    """This test ensures that the scans of a progressive JPEG with restart
    markers are kept, byte for byte, while a comment between two scans goes."""
    out = io.BytesIO()
    image = Image.effect_noise((96, 64), 40).convert("RGB")
    image.save(out, "JPEG", progressive=True, restart_marker_blocks=2)
    data = out.getvalue()
    second = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    with_comment = data[:second] + b"\xff\xfe\x00\x0a" + SECRET + data[second:]
    stripped = strip_jpeg(with_comment)
    assert stripped == data
    markers = jpeg_markers(stripped)
    assert markers.count(0xDA) > 2
    assert 0xDD in markers  # the restart interval
    assert b"\xff\xd0" in stripped  # a restart marker, inside a scan


@pytest.mark.parametrize(("marker", "bits"), [(0xC3, 8), (0xC9, 8), (0xC0, 12)])
def test_a_jpeg_a_pdf_cannot_carry_is_refused(marker: int, bits: int) -> None:
    """This test ensures that a lossless, arithmetic-coded or 12-bit JPEG (which
    ReportLab would replace with a placeholder picture) is refused by its header."""
    data = bytearray(pictures.small_jpeg())
    at = data.index(b"\xff\xc0")
    data[at + 1], data[at + 4] = marker, bits
    with pytest.raises(BadImage, match="a kind of JPEG a PDF cannot show"):
        pixel_size(bytes(data))
