"""Hostile pictures as a logo or an image annex, each run in its own bounded
process (see ``harness``): pixel bombs refused by their header before any
decoder, damaged JPEG segments refused cleanly, a photo's metadata kept out of
the PDF."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from . import pictures
from .harness import assert_clean_end, letterkit, tree_digest
from .harness import edit as _edit


def _logo(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)
    _edit(folder, "\nsender:\n", f"\nsender:\n  logo: {name}\n")


def _annex(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)
    _edit(folder, "\nannexes:\n", f"\nannexes:\n  - {{path: {name}, title: Photo}}\n")


def _cut_short() -> bytes:
    """A photo cut in the middle of its image data (an upload that stopped)."""
    data = pictures.small_jpeg((256, 256))
    return data[: (data.index(b"\xff\xda") + len(data)) // 2]


def _overlong_segment() -> bytes:
    """A JPEG whose comment claims 65,000 bytes where a few follow."""
    data = pictures.small_jpeg()
    return data[:2] + b"\xff\xfe\xfd\xe8 short" + data[2:]


def _many_scans() -> bytes:
    """A JPEG with 5,000 scans: each one a pass over every block when decoded."""
    data = pictures.small_jpeg()
    sos = data.index(b"\xff\xda")
    return data[:sos] + data[sos:-2] * 5_000 + b"\xff\xd9"


CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    # (case, setup, code expected, text the problem line names)
    ("PNG bomb as annex", lambda f: _annex(f, "bomb.png", pictures.png_bomb()), "LK130", "bomb.png"),
    ("PNG bomb as logo", lambda f: _logo(f, "bomb.png", pictures.png_bomb()), "LK105", "letter.yaml"),
    ("JPEG frame header bomb as annex", lambda f: _annex(f, "bomb.jpg", pictures.jpeg_bomb()), "LK130", "bomb.jpg"),
    ("JPEG frame header bomb as logo", lambda f: _logo(f, "bomb.jpg", pictures.jpeg_bomb()), "LK105", "letter.yaml"),
    ("JPEG cut short as annex", lambda f: _annex(f, "cut.jpg", _cut_short()), "LK130", "cut.jpg"),
    ("JPEG segment past the end as logo", lambda f: _logo(f, "long.jpg", _overlong_segment()), "LK105", "letter.yaml"),
    ("JPEG segment past the end as annex", lambda f: _annex(f, "long.jpg", _overlong_segment()), "LK130", "long.jpg"),
    ("JPEG of 5,000 scans as annex", lambda f: _annex(f, "scans.jpg", _many_scans()), "LK130", "scans.jpg"),
]  # fmt: skip

#: What each case's problem says, after the file's name.
SAYS = {
    "PNG bomb as annex": "is 12,000 × 12,000 pixels (144,000,000), more than the 12,500,000",
    "PNG bomb as logo": "'bomb.png' is 12,000 × 12,000 pixels (144,000,000), more than the 12,500,000",
    "JPEG frame header bomb as annex": "is 60,000 × 60,000 pixels",
    "JPEG frame header bomb as logo": "'bomb.jpg' is 60,000 × 60,000 pixels",
    "JPEG cut short as annex": "is cut short",
    "JPEG segment past the end as logo": "runs past the end",
    "JPEG segment past the end as annex": "runs past the end",
    "JPEG of 5,000 scans as annex": "more than 100 scans",
}


@pytest.mark.slow  # a process per case, about 1 s each: together well over 10 s
@pytest.mark.parametrize(("case", "setup", "code", "names"), CASES, ids=[c[0] for c in CASES])
def test_hostile_picture_ends_cleanly(
    folder: Path, case: str, setup: Callable[[Path], None], code: str, names: str
) -> None:
    setup(folder)
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, code, names, output=folder / "out.pdf")
    assert SAYS[case] in result.problem_lines(code)[0]
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before


def _dct_streams(pdf: Path) -> list[bytes]:
    """The JPEG bytes of every DCT image of *pdf* (its ASCII85 layer taken off)."""
    found = []
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != "/Image":
                continue
            filters = obj.get("/Filter")
            names = [str(f) for f in (filters if isinstance(filters, pikepdf.Array) else [filters])]
            if names[-1] != "/DCTDecode":
                continue
            data = obj.read_raw_bytes()
            if names[0] == "/ASCII85Decode":
                data = base64.a85decode(data.strip(), adobe=True)
            found.append(data)
    return found


@pytest.mark.slow
def test_a_photo_under_minimal_privacy_reaches_the_pdf_without_its_metadata(folder: Path) -> None:
    """This test ensures that a JPEG with GPS Exif, XMP, IPTC and a comment, as
    logo and as photo annex under ``privacy: minimal``, renders (exit 0) with
    no Exif, XMP, IPTC or comment segment in any image stream of the output."""
    photo = pictures.photo()
    _logo(folder, "photo.jpg", photo)
    _annex(folder, "site.jpg", photo)
    _edit(folder, "\nsender:\n", "\nprivacy: minimal\nsender:\n")
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "ok")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
    jpegs = _dct_streams(folder / "out.pdf")
    assert len(jpegs) == 2
    for data in jpegs:
        assert not pictures.METADATA_MARKERS & set(pictures.jpeg_markers(data))
        assert pictures.SECRET not in data
    assert pictures.SECRET not in (folder / "out.pdf").read_bytes()
