"""Images reach a decoder only when they are PNG or JPEG by their bytes, and
within the pixel limit by their header; a photo's metadata stays out of the PDF."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

import letterkit
from letterkit.validate.images import segments, strip_jpeg

from .hostile import pictures

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "askarov-eu-2018"

#: A tiny Encapsulated PostScript file: Pillow opens such a file with Ghostscript.
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\nshowpage\n"


def _render_with_a_recording_gs(folder: Path, tmp_path: Path) -> tuple[int, str, Path]:
    """Render *folder*/letter.yaml in a process whose PATH starts with a ``gs``
    that only writes down that it ran."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "gs-ran"
    gs = bin_dir / "gs"
    gs.write_text(f"#!/bin/sh\necho \"$@\" >> '{record}'\nexit 1\n", encoding="utf-8")
    gs.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [sys.executable, "-m", "letterkit", "render", "letter.yaml", "-o", "out.pdf"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.returncode, done.stderr, record


def _letter_with_eps(folder: Path, name: str, key: str, entry: str) -> None:
    """The example letter in *folder*, with an EPS file saved as *name* and
    *entry* added under the spec's *key* (a line that must be there)."""
    shutil.copytree(EXAMPLE, folder)
    (folder / name).write_bytes(EPS)
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    assert f"\n{key}:\n" in text
    spec.write_text(text.replace(f"\n{key}:\n", f"\n{key}:\n  {entry}\n"), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "key", "entry", "code", "says"),
    [
        ("photo.png", "annexes", "- {path: photo.png, title: Photo}", "LK130", "not a PNG or JPEG"),
        ("logo.png", "sender", "logo: logo.png", "LK105", "not a readable PNG or JPEG"),
    ],
    ids=["image annex", "logo"],
)
def test_an_eps_file_named_png_is_refused_before_any_decoder(
    tmp_path: Path, name: str, key: str, entry: str, code: str, says: str
) -> None:
    """This test ensures that a PostScript file named like a PNG, given as an
    image annex or as the logo, is refused by its first bytes, and Ghostscript
    never runs."""
    folder = tmp_path / "letter"
    _letter_with_eps(folder, name, key, entry)
    status, err, record = _render_with_a_recording_gs(folder, tmp_path)
    assert status == 1, err
    assert f"[{code}]" in err, err
    assert name in err
    assert says in err
    assert "Traceback" not in err
    assert not record.exists(), record.read_text()
    assert not (folder / "out.pdf").exists()


# Photo metadata and pixel limits, in process: the letter is built through the API.

PHOTO = pictures.photo()


def _letter(
    folder: Path, files: dict[str, bytes], *, logo: str = "", annex: str = "", minimal: bool = False
) -> Path:
    """The example letter in *folder* with *files* saved beside it, *logo* as
    the sender's logo and *annex* as a first annex."""
    shutil.copytree(EXAMPLE, folder)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    if logo:
        text = text.replace("\nsender:\n", f"\nsender:\n  logo: {logo}\n", 1)
    if annex:
        text = text.replace("\nannexes:\n", f"\nannexes:\n  - {{path: {annex}, title: Photo}}\n", 1)
    if minimal:
        text = "privacy: minimal\n" + text
    spec.write_text(text, encoding="utf-8")
    return spec


def _image_streams(pdf: bytes) -> list[tuple[list[str], bytes]]:
    """Every image XObject of *pdf*: its filters and its bytes with only the
    ASCII85 and Flate layers taken off (a DCT image stays JPEG bytes)."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != "/Image":
                continue
            filters = obj.get("/Filter")
            names = [str(f) for f in (filters if isinstance(filters, pikepdf.Array) else [filters])]
            data = obj.read_raw_bytes()
            if names[0] == "/ASCII85Decode":
                data = base64.a85decode(data.strip(), adobe=True)
                names = names[1:]
            if names == ["/FlateDecode"]:
                data = zlib.decompress(data)
            found.append((names, data))
    return found


def _jpegs(pdf: bytes) -> list[bytes]:
    return [data for names, data in _image_streams(pdf) if names == ["/DCTDecode"]]


def test_a_photo_as_logo_and_annex_under_minimal_privacy_loses_its_metadata(
    tmp_path: Path,
) -> None:
    """This test ensures that a JPEG with a GPS position, the photographer, the
    camera's serial, XMP, IPTC and a comment, used as the logo and as a photo
    annex under ``privacy: minimal``, reaches the PDF without any of them,
    and with its scans as they were (not re-encoded)."""
    spec = _letter(
        tmp_path / "l", {"photo.jpg": PHOTO}, logo="photo.jpg", annex="photo.jpg", minimal=True
    )
    pdf = letterkit.render(spec)
    jpegs = _jpegs(pdf)
    assert len(jpegs) == 2  # the letterhead's and the annex page's
    for data in jpegs:
        assert not pictures.METADATA_MARKERS & set(pictures.jpeg_markers(data))
        assert set(pictures.jpeg_markers(data)) <= {0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA, 0xD9}
        assert data == strip_jpeg(PHOTO)
        assert data.endswith(b"\xff\xd9")
        scans = PHOTO[PHOTO.index(b"\xff\xda") : PHOTO.index(b"\xff\xd9") + 2]
        assert data.endswith(scans)
    assert all(pictures.SECRET not in data for _, data in _image_streams(pdf))
    assert pictures.SECRET not in pdf


def test_a_logo_loses_its_metadata_whatever_the_privacy(tmp_path: Path) -> None:
    """This test ensures that without ``privacy: minimal`` the logo is stripped
    all the same, while a photo annex is carried as it was given."""
    spec = _letter(tmp_path / "l", {"photo.jpg": PHOTO, "logo.jpg": PHOTO},
                   logo="logo.jpg", annex="photo.jpg")  # fmt: skip
    jpegs = _jpegs(letterkit.render(spec))
    assert sorted(jpegs, key=len) == [strip_jpeg(PHOTO), PHOTO]


def test_png_chunks_never_reach_the_pdf(tmp_path: Path) -> None:
    """This test ensures that ReportLab decodes a PNG and compresses its pixels
    again: its tEXt, zTXt, iTXt and eXIf chunks cannot survive, as logo or annex."""
    png = pictures.png_with_text((64, 48))
    spec = _letter(tmp_path / "l", {"text.png": png}, logo="text.png", annex="text.png")
    pdf = letterkit.render(spec)
    images = _image_streams(pdf)
    assert len(images) == 2
    for names, data in images:
        assert names == ["/FlateDecode"]
        assert len(data) == 64 * 48 * 3  # the pixels, and nothing else
        assert data == Image.new("RGB", (64, 48), (30, 60, 200)).tobytes()
    assert pictures.SECRET not in pdf


@pytest.mark.parametrize(("where", "code"), [("logo", "LK105"), ("annex", "LK130")])
def test_the_pixel_limit_is_an_option(tmp_path: Path, where: str, code: str) -> None:
    """This test ensures that ``Limits.image_pixels`` refuses a larger image,
    saying its size and the limit, for a logo and for an image annex."""
    spec = _letter(tmp_path / "l", {"photo.jpg": PHOTO}, **{where: "photo.jpg"})
    with pytest.raises(letterkit.ValidationError) as caught:
        letterkit.render(spec, limits=letterkit.Limits(image_pixels=3_000))
    (problem,) = caught.value.problems
    assert problem.code == code
    assert "photo.jpg" in str(problem)
    assert "64 × 48 pixels (3,072), more than the 3,000" in problem.message
    assert letterkit.render(spec, limits=letterkit.Limits(image_pixels=3_072))


def test_a_logo_that_fails_to_decode_is_a_problem(tmp_path: Path) -> None:
    """This test ensures that a JPEG logo whose segments are sound but whose
    pixels cannot be decoded (no quantisation table) is LK105, not a fault."""
    plain = pictures.small_jpeg()
    broken = b"".join(plain[s:e] for m, s, e in segments(plain) if m != 0xDB)
    spec = _letter(tmp_path / "l", {"logo.jpg": broken}, logo="logo.jpg")
    with pytest.raises(letterkit.ValidationError) as caught:
        letterkit.render(spec)
    (problem,) = caught.value.problems
    assert problem.code == "LK105"
    assert "the logo 'logo.jpg' is not a readable PNG or JPEG image" in problem.message


def test_images_reach_reportlab_and_pillow_through_one_door() -> None:
    """This test ensures that no module but ``typeset/images.py`` (and the
    logo's check, which has read the header first) makes an ImageReader or
    opens a file with Pillow, so every image passes the checks above."""
    root = Path(letterkit.__file__).parent
    allowed = {
        "ImageReader(": {"typeset/images.py"},
        "Image.open(": {"typeset/images.py", "validate/files.py"},
    }
    for call, files in allowed.items():
        found = {
            path.relative_to(root).as_posix()
            for path in root.rglob("*.py")
            if call in path.read_text(encoding="utf-8")
        }
        assert found == files, call
