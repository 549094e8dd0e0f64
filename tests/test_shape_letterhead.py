"""Letterheads, read back from the PDF: the sender's logo on either side or on
top, a row of co-signers' logos at one height, and no letterhead at all.

Where an image is drawn comes from page 1's content stream (the ``cm`` in
force at each ``Do``); where text is, from pdfium's character boxes.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

import letterkit
from letterkit.validate.images import segments

from .bundles import bundled, rendered_alone
from .conftest import ROOT, ExamplePdfs, page_texts
from .hostile import pictures
from .pdfcheck import Box, DrawnImage, char_boxes, drawn_images, outside, overlaps
from .test_bundle import _campaign
from .test_layout_images import _compare

SHAPES = ROOT / "examples" / "shapes"
MM = 72 / 25.4
MARGIN = 25 * MM
A4_WIDTH = 595.2756
#: The top margin of an A4 letter, from the foot of the page.
TOP = 841.89 - 20 * MM
LOGOS = ["logo-steppe.png", "logo-legal.png", "logo-press.png", "logo-women.png", "logo-trials.png"]


def _images(pdf: bytes, page: int = 0) -> tuple[list[DrawnImage], dict[str, tuple[int, int]]]:
    """Every image drawn by the page's own content, in drawing order, and the
    size in pixels of each, by name."""
    drawn = drawn_images(pdf, page, forms=False)
    return drawn, {d.name: d.pixels for d in drawn}


def _boxes(pdf: bytes, page: int = 0) -> list[Box]:
    return char_boxes(pdf, page + 1)[page][2]


def _word_box(boxes: list[Box], word: str) -> Box:
    """The box around the first run of characters that spells *word* (the boxes
    hold no spaces)."""
    chars = "".join(b.char for b in boxes)
    word = "".join(word.split())
    start = chars.index(word)
    run = boxes[start : start + len(word)]
    return Box(
        word,
        min(b.left for b in run),
        min(b.bottom for b in run),
        max(b.right for b in run),
        max(b.top for b in run),
    )


def _covers(image: DrawnImage, box: Box) -> bool:
    return (
        box.left < image.x + image.width
        and box.right > image.x
        and box.bottom < image.y + image.height
        and box.top > image.y
    )


def _letter(tmp_path: Path, sender: str, *, extra: str = "") -> Path:
    """A copy of L10 (a letterhead with one logo) with *sender* as its sender block."""
    for name in ("generic.md", "case.yaml", "logo.png", *LOGOS):
        shutil.copy(SHAPES / name, tmp_path / name)
    text = (SHAPES / "L10-letterhead.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^sender:\n(  .*?\n)+", lambda _: sender, text)
    spec = tmp_path / "letter.yaml"
    spec.write_text(text + extra, encoding="utf-8")
    return spec


SENDER = """sender:
  name: Example Rights Watch
  address: [Avenue des Exemples 12, 1000 Brussels, Belgium]
  email: brussels@rights.example.org
  logo: logo.png
"""


# -- the coalition's row of logos ---------------------------------------------------


def test_coalition_row_has_five_logos_at_one_height(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L18-coalition"]
    drawn, kinds = _images(pdf)
    assert len(kinds) == 5
    assert len(drawn) == 5
    assert len({d.name for d in drawn}) == 5
    heights = {round(d.height, 2) for d in drawn}
    assert len(heights) == 1
    assert abs(drawn[0].height - 12 * MM) < 0.01  # five logos fit at the full height
    for d in drawn:  # each keeps its aspect ratio
        w, h = kinds[d.name]
        assert d.width / d.height == pytest.approx(w / h, rel=1e-3)
    assert len({round(d.y, 2) for d in drawn}) == 1  # one row
    # spread across the measure: first at the left margin, last at the right, equal gaps
    assert drawn[0].x == pytest.approx(MARGIN, abs=0.01)
    assert drawn[-1].x + drawn[-1].width == pytest.approx(A4_WIDTH - MARGIN, abs=0.01)
    gaps = [b.x - (a.x + a.width) for a, b in itertools.pairwise(drawn)]
    assert max(gaps) - min(gaps) < 0.01
    assert min(gaps) >= 4 * MM
    # in the order given
    sizes = [kinds[d.name] for d in drawn]
    expected = []
    for name in LOGOS:
        with Image.open(SHAPES / name) as image:
            expected.append(image.size)
    assert sizes == expected


def test_coalition_sender_block_is_below_the_logos(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L18-coalition"]
    drawn, _ = _images(pdf)
    boxes = _boxes(pdf)
    name = _word_box(boxes, "Coalition for Defenders in Central Asia")
    address = _word_box(boxes, "Rue des Exemples 8")
    row_bottom = min(d.y for d in drawn)
    assert name.top < row_bottom - 2 * MM
    assert address.top <= name.bottom + 0.5
    assert not [b for d in drawn for b in boxes if _covers(d, b)], "text drawn over a logo"
    assert not overlaps(boxes)
    assert not outside(boxes, A4_WIDTH, 841.89, MARGIN)
    first = " ".join(page_texts(pdf)[0].split())
    assert first.startswith(
        "Coalition for Defenders in Central Asia Rue des Exemples 8 · 1201 Geneva · Switzerland"
    )
    assert first.index("Central Asia") < first.index("His Excellency Example Exampleov")


def test_the_same_logo_twice_is_embedded_once(tmp_path: Path) -> None:
    sender = SENDER.replace(
        "  logo: logo.png\n", "  logos: [logo-steppe.png, logo-legal.png, logo-steppe.png]\n"
    )
    pdf = letterkit.render(_letter(tmp_path, sender))
    drawn, kinds = _images(pdf)
    assert len(drawn) == 3
    assert len(kinds) == 2
    assert drawn[0].name == drawn[2].name != drawn[1].name


def test_wide_logos_are_made_lower_to_fit_the_measure(tmp_path: Path) -> None:
    Image.new("RGB", (400, 100), (20, 60, 120)).save(tmp_path / "wide.png")
    sender = SENDER.replace("  logo: logo.png\n", f"  logos: [{', '.join(['wide.png'] * 12)}]\n")
    pdf = letterkit.render(_letter(tmp_path, sender))
    drawn, kinds = _images(pdf)
    assert len(drawn) == 12
    assert len(kinds) == 1
    assert len({round(d.height, 3) for d in drawn}) == 1
    assert drawn[0].height < 12 * MM
    assert drawn[0].width == pytest.approx(4 * drawn[0].height, rel=1e-3)
    assert drawn[0].x == pytest.approx(MARGIN, abs=0.01)
    assert drawn[-1].x + drawn[-1].width == pytest.approx(A4_WIDTH - MARGIN, abs=0.01)
    gaps = [b.x - (a.x + a.width) for a, b in itertools.pairwise(drawn)]
    assert min(gaps) == pytest.approx(4 * MM, abs=0.01)


def test_a_row_logo_loses_its_jpeg_metadata(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x013B] = "Photographer Example-Name"  # Artist
    Image.new("RGB", (90, 60), (200, 30, 30)).save(tmp_path / "photo.jpg", exif=exif)
    assert b"SecretCameraMaker" in (tmp_path / "photo.jpg").read_bytes()
    sender = SENDER.replace("  logo: logo.png\n", "  logos: [photo.jpg, logo-legal.png]\n")
    pdf = letterkit.render(_letter(tmp_path, sender))
    assert b"SecretCameraMaker" not in pdf
    assert b"Photographer Example-Name" not in pdf
    assert len(_images(pdf)[0]) == 2


# -- where the sender's one logo goes -----------------------------------------------


def _logo_and_name(pdf: bytes) -> tuple[DrawnImage, Box]:
    [logo], _ = _images(pdf)
    return logo, _word_box(_boxes(pdf), "Example Rights Watch")


def test_logo_position_right_is_the_default_in_a_left_to_right_letter(tmp_path: Path) -> None:
    default = letterkit.render(_letter(tmp_path, SENDER))
    right = letterkit.render(_letter(tmp_path, SENDER + "  logo_position: right\n"))
    auto = letterkit.render(_letter(tmp_path, SENDER + "  logo_position: auto\n"))
    assert right == default == auto
    logo, name = _logo_and_name(right)
    assert logo.x + logo.width == pytest.approx(A4_WIDTH - MARGIN, abs=0.01)
    assert name.left == pytest.approx(MARGIN, abs=2)
    assert name.right < logo.x


def test_logo_position_left_puts_the_text_beside_it(tmp_path: Path) -> None:
    pdf = letterkit.render(_letter(tmp_path, SENDER + "  logo_position: left\n"))
    logo, name = _logo_and_name(pdf)
    assert logo.x == pytest.approx(MARGIN, abs=0.01)
    assert name.left == pytest.approx(logo.x + logo.width + 6 * MM, abs=2)
    address = _word_box(_boxes(pdf), "Avenue des Exemples 12")
    assert address.left == pytest.approx(name.left, abs=2)
    assert name.top == pytest.approx(logo.y + logo.height, abs=4)  # the tops line up


def test_logo_position_top_puts_the_logo_above_the_text(tmp_path: Path) -> None:
    pdf = letterkit.render(_letter(tmp_path, SENDER + "  logo_position: top\n"))
    logo, name = _logo_and_name(pdf)
    assert logo.x == pytest.approx(MARGIN, abs=0.01)
    assert logo.y + logo.height == pytest.approx(TOP, abs=0.01)
    assert name.top < logo.y
    assert name.left == pytest.approx(MARGIN, abs=2)
    # the address line runs the whole measure below the logo
    address = _word_box(_boxes(pdf), "brussels@rights.example.org")
    assert address.top < logo.y
    first = " ".join(page_texts(pdf)[0].split())
    assert first.index("Example Rights Watch") < first.index("Baroness Catherine Example")


@pytest.mark.parametrize("position", ["left", "right", "top"])
def test_logo_positions_look_as_reviewed(tmp_path: Path, position: str, regenerate: bool) -> None:
    """The letterhead's part of page 1 (the top third) for each logo position."""
    pdf = letterkit.render(_letter(tmp_path, SENDER + f"  logo_position: {position}\n"))
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        image = doc[0].render(scale=60 / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    top = image.crop((0, 0, image.width, image.height // 3))
    _compare(f"letterhead-logo-{position}-p1", top, regenerate)


def test_a_row_and_a_logo_together(tmp_path: Path) -> None:
    """The row on top, then the sender's own logo at the side of its block."""
    sender = SENDER + "  logos: [logo-steppe.png, logo-legal.png]\n"
    pdf = letterkit.render(_letter(tmp_path, sender))
    drawn, kinds = _images(pdf)
    assert len(drawn) == 3
    assert len(kinds) == 3
    row, own = drawn[:2], drawn[2]
    assert own.height == pytest.approx(16 * MM, abs=0.01)
    assert own.y + own.height < min(d.y for d in row)
    name = _word_box(_boxes(pdf), "Example Rights Watch")
    assert name.top < min(d.y for d in row)
    assert not overlaps(_boxes(pdf))


# -- no letterhead ------------------------------------------------------------------


def test_without_a_sender_there_is_no_letterhead(tmp_path: Path) -> None:
    pdf = letterkit.render(_letter(tmp_path, ""))
    drawn, kinds = _images(pdf)
    assert drawn == []
    assert kinds == {}
    first = " ".join(page_texts(pdf)[0].split())
    assert first.count("Example Rights Watch") == 1  # the signatory, not a letterhead
    assert "Avenue des Exemples" not in first
    assert first.startswith("Baroness Catherine Example")
    # page 1's text starts at the top margin
    top = max(b.top for b in _boxes(pdf))
    assert TOP - 12 < top <= TOP + 0.5


def test_an_example_without_a_sender_starts_at_the_top_margin(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L4-via-email"]
    assert _images(pdf) == ([], {})
    assert max(b.top for b in _boxes(pdf)) > TOP - 12


def test_a_row_logo_that_fails_to_decode_is_named(tmp_path: Path) -> None:
    """A JPEG whose header passes the checks but whose pixels cannot be decoded
    (no quantisation table) is a problem that names that logo, not the sender's."""
    plain = pictures.small_jpeg()
    broken = b"".join(plain[s:e] for m, s, e in segments(plain) if m != 0xDB)
    (tmp_path / "broken.jpg").write_bytes(broken)
    sender = SENDER + "  logos: [logo-steppe.png, broken.jpg]\n"
    with pytest.raises(letterkit.ValidationError) as caught:
        letterkit.render(_letter(tmp_path, sender))
    (problem,) = caught.value.problems
    assert problem.code == "LK105"
    assert "the logo 'broken.jpg' is not a readable PNG or JPEG image" in problem.message


def test_a_bundle_keeps_the_letterhead_and_its_bytes(tmp_path: Path) -> None:
    """Each letter of a bundle has the row and the logo on top, and is the same
    PDF as ``render CAMPAIGN --recipient ID``."""
    campaign = _campaign(tmp_path / "c", 4)
    for name in ("logo.png", *LOGOS):
        shutil.copy(SHAPES / name, tmp_path / "c" / name)
    spec = tmp_path / "c" / "letter.yaml"
    sender = SENDER + "  logo_position: top\n" + f"  logos: [{', '.join(LOGOS)}]\n"
    spec.write_text(spec.read_text(encoding="utf-8") + sender, encoding="utf-8")
    out = tmp_path / "dist"
    letters = bundled(campaign, out)
    for entry in letters:
        pdf = (out / entry["file"]).read_bytes()
        drawn, kinds = _images(pdf)
        assert len(drawn) == 6
        assert len(kinds) == 6
        assert " ".join(page_texts(pdf)[0].split()).startswith("Example Rights Watch")
    rendered_alone(campaign, letters[3], tmp_path)
