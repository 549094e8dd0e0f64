"""Letters of every shape (letter-shapes.md L1–L10), read back from the PDF.

The specs live in examples/shapes/; the signatory lists of other lengths are
made by the same generator (examples/shapes/make_signatories.py).
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import letterkit
from letterkit.input.signatories import ordered

from .conftest import ROOT, ExamplePdfs, qpdf_problems
from .pdfcheck import char_boxes, outside, overlaps, page_fonts

SHAPES = ROOT / "examples" / "shapes"
MARGIN = 25 * 72 / 25.4


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_signatories", SHAPES / "make_signatories.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _squash(text: str) -> str:
    return " ".join(text.split())


def _assert_clean_geometry(pdf: bytes) -> None:
    for number, (width, height, boxes) in enumerate(char_boxes(pdf), start=1):
        assert boxes, f"page {number} has no text"
        assert not outside(boxes, width, height, MARGIN), f"text beyond the margin on page {number}"
        assert not overlaps(boxes), f"text drawn over text on page {number}"


def test_geometry_checks_see_overlap_and_overflow() -> None:
    """The checks used below do find text on text and text past the margin."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "Overlapping text")
    canvas.drawString(102, 703, "Different words")
    canvas.drawString(500, 600, "runs past the right margin of the page")
    canvas.save()
    [(width, height, boxes)] = char_boxes(buffer.getvalue())
    assert overlaps(boxes)
    assert outside(boxes, width, height, MARGIN)


def _signatory_letter(tmp_path: Path, rows: list[dict[str, str]], **spec: str) -> Path:
    for name in ("generic.md", "case.yaml"):
        shutil.copy(SHAPES / name, tmp_path / name)
    _generator().write(tmp_path / "signatories.csv", rows)
    lines = [
        "template: generic.md",
        "locale: en-GB",
        "date: 2018-12-06",
        "subject: Release of Temir Sample",
        "recipients: [{honorific: Ms., name: Frederike Example, title: High Representative}]",
        "case: case.yaml",
        "signatories: signatories.csv",
        *(f"{key}: {value}" for key, value in spec.items()),
    ]
    (tmp_path / "letter.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "letter.yaml"


def _signatory_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    start = text.index("Signatories")
    return _squash(
        re.sub(r"Ms\. Frederike Example \d+ \S+ \d{4} · \d+|Page \d+ of \d+", " ", text[start:])
    )


#: Signatory lists of every length: (count, style, columns, order).
SIGNATORY_LISTS = [
    (6, "list", 1, "as-given"),
    (9, "columns", 2, "alphabetical"),
    (41, "numbered", 1, "as-given"),
    (90, "columns", 3, "alphabetical"),
    (244, "columns", 3, "alphabetical"),
    (1000, "columns", 2, "alphabetical"),
]


@pytest.mark.parametrize(("count", "style", "columns", "order"), SIGNATORY_LISTS)
def test_signatory_lists_of_every_length(
    tmp_path: Path, count: int, style: str, columns: int, order: str
) -> None:
    """Every entry is printed once, in the expected order, inside the margins."""
    rows = _generator().signatories(count, individuals=count == 41, groups=count == 244)
    spec = _signatory_letter(
        tmp_path, rows, signatory_style=style, signatory_columns=str(columns),
        signatory_order=order, expected_signatories=str(count),
    )  # fmt: skip
    letter = letterkit.load_letter(spec)
    pdf = letterkit.render(letter)
    _assert_clean_geometry(pdf)
    text = _signatory_text(pdf)
    expected = ordered(letter.signatories, letter.signatory_order)
    assert len(expected) == count
    if order == "as-given":
        assert [s.name for s in expected] == [r["name"] for r in rows]
    position = 0
    for number, s in enumerate(expected, start=1):
        needle = _squash(s.name.replace("'", "’"))  # an apostrophe prints as ’
        if style == "numbered":
            needle = f"{number}. {needle}"
        found = text.find(needle, position)
        assert found >= 0, f"entry {number} '{s.name}' missing or out of order"
        position = found + len(needle)
    for s in expected:
        name = _squash(s.name.replace("'", "’"))
        assert text.count(name + " ") + text.endswith(name) >= 1


def test_entry_too_large_for_a_page_is_an_error(
    tmp_path: Path,
) -> None:
    from letterkit import limits

    rows = _generator().signatories(5)
    rows[2]["name"] = "Enormous " * 4000
    spec = _signatory_letter(tmp_path, rows)
    with (
        limits.applied(limits.Limits(cell=100_000)),  # past the cell limit, a page is next
        pytest.raises(letterkit.ValidationError) as info,
    ):
        letterkit.render(spec, tmp_path / "out.pdf")
    [problem] = info.value.problems
    assert problem.code == "LK150"
    assert "Enormous Enormous" in problem.message
    assert "too large" in problem.message
    assert not (tmp_path / "out.pdf").exists()


def test_letterhead_too_large_for_a_page_is_an_error(tmp_path: Path) -> None:
    spec = _signatory_letter(tmp_path, _generator().signatories(3))
    lines = ", ".join(f"Line {i}" for i in range(400))
    spec.write_text(
        spec.read_text() + f"sender: {{name: Example, address: [{lines}]}}\n", encoding="utf-8"
    )
    problems = letterkit.check(spec)
    assert [p.code for p in problems] == ["LK150"]
    assert "letterhead" in problems[0].message


#: Letters of one language about the shared case; a letter in several
#: languages (``parts``) has its own checks in test_shape_parts.py.
SHAPE_NAMES = sorted(
    p.stem for p in SHAPES.glob("L*.yaml") if "\nparts:" not in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_every_shape_is_a_clean_pdf(name: str, example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs[f"shapes/{name}"]
    assert qpdf_problems(pdf) == []
    _assert_clean_geometry(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.Root.Lang) in {"en-GB", "en-US", "ru"}
        info = doc.docinfo
        assert str(info.Title)
        assert str(info.Creator) == f"letterkit {letterkit.__version__}"
        person = "Темир Сэмпл" if str(doc.Root.Lang) == "ru" else "Temir Sample"
        if letterkit.load_letter(SHAPES / f"{name}.yaml").case is not None:
            assert str(info.Author)
            assert person in str(info.Subject)
            assert person in str(info.Keywords)
        else:  # a thematic letter, a statement: the metadata names no person
            meta = str(info.get("/Subject", "")) + str(info.get("/Keywords", ""))
            assert person not in meta
        for font in _fonts(doc):
            assert "/FontFile2" in font.FontDescriptor, f"{font.BaseFont} is not embedded"


def _fonts(doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found = {}
    for page in doc.pages:
        for font in page_fonts(page.Resources):
            if "/DescendantFonts" in font:
                font = font.DescendantFonts[0]
            found[font.objgen] = font
    return list(found.values())


def test_l5_four_addressees_and_a_combined_salutation(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L5-four-addressees"]
    first = _squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    for block in (
        "Mr Donald Example President of the European Council Rue de la Loi 175",
        "Mr Jean-Claude Sample President of the European Commission",
        "Ms Frederike Example High Representative of the Union for Foreign Affairs and "
        "Security Policy / Vice-President of the European Commission",
        "Mr Johannes Specimen Commissioner for European Neighbourhood Policy",
    ):
        assert block in first, block
    assert "February 1, 2017" in first
    assert first.index("Mr Johannes Specimen") < first.index("February 1, 2017")
    assert "Dear Mr Example, Mr Sample, Ms Example, and Mr Specimen:" in first


def test_l7_council_letter(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L7-un-council"]
    reader = PdfReader(io.BytesIO(pdf))
    first = _squash(reader.pages[0].extract_text())
    assert first.startswith("To: All Member States of the UN Human Rights Council")
    subject = first.index("Re: Civil society space resolution")
    assert "(A/HRC/32/L.29)" in first
    assert subject < first.index("29 June 2016") < first.index("Your Excellency,")
    assert "We, the 244 undersigned organisations" in first
    text = _squash(" ".join(p.extract_text() for p in reader.pages))
    heads = ["International organisations", "Regional organisations", "National organisations"]
    assert [text.index(h) for h in heads] == sorted(text.index(h) for h in heads)
    later = _squash(reader.pages[1].extract_text())
    assert later.startswith("All Member States of the UN Human Rights Council 29 June 2016 ")
    assert "29 June 2016 · 2" not in later


def test_l1_lead_first_list(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L1-lead-list"]
    text = _signatory_text(pdf)
    assert text.startswith(
        "Signatories Partnership for Rights Example (PRE, Belgium) "
        "Steppe Bureau for Human Rights (SBHR, Kazakhstan) "
        "Legal Prosperity Example Foundation (Kyrgyzstan) Nota Example (Tajikistan) "
        "Turkmen Example Initiative for Human Rights (TEIHR, Austria, based in exile) "
        "Association for Human Rights Example (AHRE, France, founded by emigrants)"
    )
    first = _squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert first.index("19 June 2019") < first.index("Re: Civil society in Central Asia")
    assert "Dear Ms. Example," in first
    for country in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"):
        assert country in first
    # The last section goes over with the closing: no page begins with "Sincerely,".
    second = _squash(PdfReader(io.BytesIO(pdf)).pages[1].extract_text())
    assert second.index("Uzbekistan") < second.index("Sincerely,")


def test_l3_dateline_after_subject_with_trailing_comma(example_pdfs: ExamplePdfs) -> None:
    first = _squash(
        PdfReader(io.BytesIO(example_pdfs["shapes/L3-re-then-dateline"])).pages[0].extract_text()
    )
    assert "Frederike Example High Representative" in first  # no honorific
    assert "Security Policy / Vice-President" in first
    assert "Rue de la Loi / Wetstraat 200 1049 Brussels Belgium" in first
    assert first.index("RE: Your upcoming visit") < first.index("Brussels, 17 February 2016,")
    assert "Dear High Representative/Vice-President Example," in first


def test_l4_via_email_and_your_excellency(example_pdfs: ExamplePdfs) -> None:
    first = _squash(
        PdfReader(io.BytesIO(example_pdfs["shapes/L4-via-email"])).pages[0].extract_text()
    )
    assert "Via email: office@president.example.kg, press@president.example.kg" in first
    assert "RE: Case of Temir Sample" in first
    assert "Brussels, 31 March 2020," in first
    assert "Your Excellency," in first


def test_l6_heading_instead_of_address_and_re_line(example_pdfs: ExamplePdfs) -> None:
    first = _squash(
        PdfReader(io.BytesIO(example_pdfs["shapes/L6-heading-count"])).pages[0].extract_text()
    )
    assert first.startswith("December 05, 2018 Open letter in support")
    assert "Re:" not in first
    assert "We, the 90 undersigned organisations" in first


def test_l10_letterhead_cc_and_single_signatory(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L10-letterhead"]
    reader = PdfReader(io.BytesIO(pdf))
    first = _squash(reader.pages[0].extract_text())
    assert first.startswith("Example Rights Watch Avenue des Exemples 12")
    assert "Baroness Catherine Example" in first
    assert "Brussels, November 20, 2012 Re:" in first  # no trailing comma
    assert "Sincerely, Example Rights Watch cc: Ms Helga Example" in first
    assert "Signatories" not in first
    assert len(reader.pages[0].images) == 1  # the logo
