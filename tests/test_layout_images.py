"""Reference renders of the example letter's pages, compared pixel by pixel.

Run ``pytest tests/test_layout_images.py --regenerate`` after an intended
layout change, look at the new PNGs in tests/reference/, and commit them.
On a mismatch the actual page is saved in tests/_output/ beside the reference.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

from .conftest import ExamplePdfs

HERE = Path(__file__).parent
REFERENCE = HERE / "reference"
OUTPUT = HERE / "_output"
SCALE = 60 / 72  # 60 dpi: enough to see layout, small enough to keep in the repo


def _pages(pdf: bytes, count: int) -> list[Image.Image]:
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        return [
            doc[i].render(scale=SCALE, grayscale=True).to_pil().convert("L") for i in range(count)
        ]
    finally:
        doc.close()


def _compare(name: str, image: Image.Image, regenerate: bool) -> None:
    reference = REFERENCE / f"{name}.png"
    if regenerate or not reference.exists():
        REFERENCE.mkdir(exist_ok=True)
        image.save(reference, optimize=True)
        if not regenerate:
            pytest.fail(
                f"no reference image {reference.name}; wrote one: look at it, then commit it"
            )
        return
    expected = Image.open(reference).convert("L")
    assert image.size == expected.size, f"{name}: page size changed"
    difference = ImageChops.difference(image, expected)
    mean = ImageStat.Stat(difference).mean[0]
    changed = sum(difference.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (
        image.width * image.height
    )
    if mean > 0.5 or changed > 0.002:
        OUTPUT.mkdir(exist_ok=True)
        image.save(OUTPUT / f"{name}.png")
        pytest.fail(
            f"{name}: layout differs from tests/reference/{name}.png (mean {mean:.2f}, {changed:.2%} of pixels); "
            f"see tests/_output/{name}.png, and rerun with --regenerate if the change is intended"
        )


@pytest.mark.parametrize(
    ("fixture", "prefix"), [("english_pdf", "askarov-en"), ("russian_pdf", "askarov-ru")]
)
def test_example_pages_match_reference(
    request: pytest.FixtureRequest, fixture: str, prefix: str, regenerate: bool
) -> None:
    """This test ensures that the example letter's first two pages look as they did when reviewed."""
    pdf: bytes = request.getfixturevalue(fixture)
    for number, image in enumerate(_pages(pdf, 2), start=1):
        _compare(f"{prefix}-p{number}", image, regenerate)


SHAPES = Path(__file__).resolve().parent.parent / "examples" / "shapes"


@pytest.mark.parametrize("name", sorted(p.stem for p in SHAPES.glob("L*.yaml")))
def test_shape_pages_match_reference(
    name: str, regenerate: bool, example_pdfs: ExamplePdfs
) -> None:
    """Every page of every letter shape (examples/shapes), at 60 dpi."""
    pdf = example_pdfs[f"shapes/{name}"]
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    count = len(doc)
    doc.close()
    for number, image in enumerate(_pages(pdf, count), start=1):
        _compare(f"shape-{name}-p{number}", image, regenerate)


@pytest.mark.parametrize("locale", ["en-GB", "en-US", "fr", "es", "ru", "ky", "ar"])
def test_appeal_first_page_matches_reference(
    locale: str, regenerate: bool, example_pdfs: ExamplePdfs
) -> None:
    """The built-in appeal-release letter in each of its languages, first page."""
    pdf = example_pdfs[f"askarov-eu-2018/appeal.{locale}"]
    [image] = _pages(pdf, 1)
    _compare(f"appeal-{locale}-p1", image, regenerate)
