"""The letter made from reused parts is the letter laid out whole.

``build(letter, reuse=False)`` lays the letter pages out as one ReportLab
document, with nothing shared; the default lays out the recipient's own part
and joins it to a part shared with other letters. Over every example letter,
a few recipients of the example campaign, every letter shape and every
language the examples ship, the two must put the same characters at the same
places and the same pixels on every page.

pypdf's text of a page is compared line by line without the blanks at the
ends of lines: pypdf adds a blank before a line that starts a new piece of
the page's content, and a shared page is a separate piece (a form) in the
reused letter. pdfium's text, which is made from where the characters are,
is compared exactly, as are the origins of the characters.
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from pypdf import PdfReader

import letterkit
from letterkit.bundle.campaign import letter_for, load_campaign
from letterkit.model import Letter
from letterkit.pipeline import BuildResult, build

from .conftest import ROOT
from .test_languages import LOCALES
from .test_shapes import SIGNATORY_LISTS, _generator, _signatory_letter

EXAMPLES = ROOT / "examples"
SCALE = 100 / 72  # 100 dpi
#: Recipients of the example campaign: English and French, addresses of other
#: shapes, and some after others with the same shared part.
RECIPIENTS = ["AT", "BE", "BG", "FR", "DE", "LU"]


def _letter_specs() -> list[Path]:
    """Every example YAML that is a letter (not a case, a campaign or its base)."""
    specs = []
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        if path.name in {"case.yaml", "campaign.yaml", "campaign-letter.yaml"}:
            continue
        specs.append(path)
    return specs


def _cases() -> dict[str, Callable[[Path], Letter]]:
    cases: dict[str, Callable[[Path], Letter]] = {}
    for spec in _letter_specs():
        cases[str(spec.relative_to(EXAMPLES))] = lambda _, spec=spec: letterkit.load_letter(spec)
    campaign = EXAMPLES / "askarov-eu-2018" / "campaign.yaml"
    for rid in RECIPIENTS:
        cases[f"campaign-{rid}"] = lambda _, rid=rid: letter_for(load_campaign(campaign), rid)
    for count, style, columns, order in SIGNATORY_LISTS:

        def shape(folder: Path, count: int = count, style: str = style, columns: int = columns,
                  order: str = order) -> Letter:  # fmt: skip
            rows = _generator().signatories(count, individuals=count == 41, groups=count == 244)
            spec = _signatory_letter(
                folder, rows, signatory_style=style, signatory_columns=str(columns),
                signatory_order=order, expected_signatories=str(count),
            )  # fmt: skip
            return letterkit.load_letter(spec)

        cases[f"signatories-{count}-{style}-{columns}"] = shape
    return cases


CASES = _cases()


@dataclass
class Drawn:
    """A page as pdfium sees it: its text, each character (code point) with
    its origin, and the page drawn at 100 dpi (raw bytes, size, bytes a pixel)."""

    text: str
    chars: list[tuple[int, float, float]]
    pixels: bytes
    size: tuple[int, int]
    channels: int


@dataclass
class Pair:
    """One letter built both ways."""

    letter: Letter
    spliced: BuildResult
    whole: BuildResult

    @cached_property
    def drawn(self) -> tuple[list[Drawn], list[Drawn]]:
        return _draw(self.spliced.pdf), _draw(self.whole.pdf)


class Layouts:
    """Each case built both ways once per session, on first use."""

    def __init__(self, folder: Callable[[str], Path]) -> None:
        self.folder = folder
        self.built: dict[str, Pair] = {}

    def __getitem__(self, name: str) -> Pair:
        if name not in self.built:
            folder = self.folder(name)
            letter = CASES[name](folder)
            self.built[name] = Pair(letter, build(letter), build(letter, reuse=False))
        return self.built[name]


@pytest.fixture(scope="session")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> Layouts:
    return Layouts(lambda name: tmp_path_factory.mktemp(name.replace("/", "-")))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _draw(pdf: bytes) -> list[Drawn]:
    """Every page of *pdf* as pdfium sees it."""
    doc = pdfium.PdfDocument(pdf)
    pages = []
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        for page in doc:
            text = page.get_textpage()
            chars = []
            for k in range(text.count_chars()):
                pdfium_raw.FPDFText_GetCharOrigin(text.raw, k, ctypes.byref(x), ctypes.byref(y))
                code = pdfium_raw.FPDFText_GetUnicode(text.raw, k)
                chars.append((code, round(x.value, 3), round(y.value, 3)))
            bitmap = page.render(scale=SCALE)
            pages.append(
                Drawn(
                    text.get_text_range(0, text.count_chars()), chars, bytes(bitmap.buffer),
                    (bitmap.width, bitmap.height), bitmap.n_channels,
                )
            )  # fmt: skip
    finally:
        doc.close()
    return pages


def _differing_pixels(a: Drawn, b: Drawn) -> int:
    if a.pixels == b.pixels:
        return 0
    step = a.channels
    if a.size != b.size or step != b.channels:
        return max(len(a.pixels), len(b.pixels)) // step
    pairs = range(0, len(a.pixels), step)
    return sum(a.pixels[i : i + step] != b.pixels[i : i + step] for i in pairs)


def _forms(pdf: bytes, pages: int) -> int:
    """How many of the first *pages* pages draw a form XObject (a shared page)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        count = 0
        for page in doc.pages[:pages]:
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            count += any(x.get("/Subtype") == "/Form" for _, x in xobjects.items())
        return count


def test_the_cases_cover_every_locale_the_examples_ship() -> None:
    """This test ensures that the comparisons below run in every language."""
    locales = {letterkit.load_letter(spec).locale for spec in _letter_specs()}
    campaign = load_campaign(EXAMPLES / "askarov-eu-2018" / "campaign.yaml")
    locales |= {letter_for(campaign, rid).locale for rid in RECIPIENTS}
    assert set(LOCALES) <= locales
    assert "fr" in {letter_for(campaign, rid).locale for rid in RECIPIENTS}


@pytest.mark.parametrize("name", list(CASES))
def test_reuse_is_taken(layouts: Layouts, name: str) -> None:
    """This test ensures that the reused letter was indeed joined from a shared
    part (else the comparisons below compare a layout with itself)."""
    pair = layouts[name]
    assert pair.spliced.letter_pages == pair.whole.letter_pages
    if pair.letter.parts:  # each language version is laid out whole: nothing is shared
        assert pair.spliced.pdf == pair.whole.pdf
        return
    assert _forms(pair.spliced.pdf, pair.spliced.letter_pages) >= 1
    assert _forms(pair.whole.pdf, pair.whole.letter_pages) == 0


@pytest.mark.parametrize("name", list(CASES))
def test_same_text_on_every_page(layouts: Layouts, name: str) -> None:
    """This test ensures that each page of the reused letter has the text of the
    whole one: pypdf's lines, pdfium's text and every character's origin."""
    pair = layouts[name]
    spliced = [_lines(p.extract_text()) for p in PdfReader(io.BytesIO(pair.spliced.pdf)).pages]
    whole = [_lines(p.extract_text()) for p in PdfReader(io.BytesIO(pair.whole.pdf)).pages]
    assert len(spliced) == len(whole) == pair.whole.pages
    assert any(any(lines) for lines in whole)
    for number, (a, b) in enumerate(zip(spliced, whole, strict=True), start=1):
        assert a == b, f"{name}: page {number} reads differently"
    for number, (c, d) in enumerate(zip(*pair.drawn, strict=True), start=1):
        assert c.text == d.text, f"{name}: page {number}: pdfium's text differs"
        assert c.chars == d.chars, f"{name}: page {number}: characters at other places"


@pytest.mark.parametrize("name", list(CASES))
def test_same_pixels_on_every_page(layouts: Layouts, name: str) -> None:
    """This test ensures that every page of the reused letter, drawn at 100 dpi,
    has no pixel that differs from the whole one."""
    pair = layouts[name]
    spliced, whole = pair.drawn
    assert len(spliced) == len(whole) == pair.whole.pages
    for number, (a, b) in enumerate(zip(spliced, whole, strict=True), start=1):
        assert a.size == b.size, f"{name}: page {number} has another size"
        assert a.pixels.count(255) < len(a.pixels), f"{name}: page {number} is blank"
        differing = _differing_pixels(a, b)
        assert differing == 0, f"{name}: page {number}: {differing} pixels differ"
