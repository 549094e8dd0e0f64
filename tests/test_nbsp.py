"""No-break spaces in the PDF's text layer: U+00A0 is written with a code of its
own, drawn with the space's glyph and width, so that text read back from the
PDF keeps the ties (« », dates, "No. 5"), while ordinary spaces stay ordinary
and justified lines still end at the margin."""

from __future__ import annotations

import hashlib
import io
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph

import letterkit
from letterkit.typeset import _rl, fonts

from .conftest import ROOT, ExamplePdfs, pdf_text
from .pdfcheck import char_boxes

NBSP = "\u00a0"

BODY = (
    "Le Comité a déclaré le 31 mars 2016 que la détention était « arbitraire » et a "
    "demandé sa libération. Selon le rapport No. 5, les autorités ont répondu : « nous "
    "examinerons » la question — sans suite. La communauté internationale a exprimé "
    "régulièrement une préoccupation considérable concernant les conditions inacceptables "
    'de détention, et « Libérez-le » reste notre demande depuis le 15 juin 2010. "Justice" '
    "pour tous !\n"
)


def _french(tmp_path: Path, justify: bool = False) -> Path:
    (tmp_path / "case.yaml").write_text(
        'person: {name: "Temir Sample", role: defender}\ncountry: KG\ndetained_on: 2010-06-15\n',
        encoding="utf-8",
    )
    shutil.copy(ROOT / "examples" / "shapes" / "signatories-6.csv", tmp_path / "signatories.csv")
    (tmp_path / "body.md").write_text(BODY + "\n" + BODY, encoding="utf-8")
    lines = [
        "template: body.md",
        "locale: fr",
        "date: 2024-11-20",
        'recipients: [{honorific: Mme, name: Ilse Exemple, address: ["1 rue du Roi"]}]',
        "case: case.yaml",
        "signatories: signatories.csv",
        f"justify: {'true' if justify else 'false'}",
    ]
    (tmp_path / "letter.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "letter.yaml"


def test_french_text_layer_keeps_the_no_break_spaces(tmp_path: Path) -> None:
    text = pdf_text(letterkit.render(_french(tmp_path)))
    assert f"«{NBSP}arbitraire{NBSP}»" in text
    assert f"«{NBSP}Justice{NBSP}»" in text
    assert f"31{NBSP}mars 2016" in text
    assert f"20{NBSP}novembre 2024" in text
    assert f"No.{NBSP}5" in text
    assert f"répondu{NBSP}:" in text
    assert f"tous{NBSP}!" in text
    # The ties only: ordinary spaces are read as ordinary spaces.
    assert "a demandé sa" in text
    assert "« " not in text
    assert " »" not in text
    assert "31 mars" not in text


def test_english_letter_ties_its_dates(example_pdfs: ExamplePdfs) -> None:
    text = pdf_text(example_pdfs["askarov-eu-2018/letter"])
    assert f"6{NBSP}December 2018" in text
    assert "6 December" not in text
    assert "Human Rights Defenders in Central Asia" in text  # plain words, plain spaces


def _lines(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """The first page's characters in lines, top down, each from left to right,
    as (character, left, right) of the advance boxes (not the ink)."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        text = doc[0].get_textpage()
        rows: dict[float, list[tuple[str, float, float]]] = {}
        for k in range(text.count_chars()):
            char = text.get_text_range(k, 1)
            if char.strip():
                left, bottom, right, _ = text.get_charbox(k, loose=True)
                rows.setdefault(round(bottom, 1), []).append((char, left, right))
    finally:
        doc.close()
    return [sorted(row, key=lambda c: c[1]) for _, row in sorted(rows.items(), reverse=True)]


def test_justified_lines_end_at_the_margin_and_read_plain_spaces(tmp_path: Path) -> None:
    pdf = letterkit.render(_french(tmp_path, justify=True))
    text = pdf_text(pdf)
    assert f"«{NBSP}nous examinerons{NBSP}»" in text
    assert "La communauté internationale a exprimé" in " ".join(text.split("\n"))
    assert f"communauté{NBSP}internationale" not in text
    texts = ["".join(c for c, _, _ in row) for row in _lines(pdf)]
    rights = [row[-1][2] for row in _lines(pdf)]
    start = next(n for n, t in enumerate(texts) if t.startswith("LeComité"))
    end = next(n for n, t in enumerate(texts) if "considération" in t)
    # Every body line but each paragraph's last ends at the margin, ties or not.
    inner = [n for n in range(start, end) if not texts[n].endswith("!")]
    assert len(inner) >= 6
    assert end - start - len(inner) == 2
    margin = max(rights[start:end])
    assert [rights[n] for n in inner] == pytest.approx([margin] * len(inner), abs=0.05)
    assert sum("«" in texts[n] for n in inner) >= 3


def _draw(text: str, alignment: int, width: float = 230) -> bytes:
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.SERIF, fontSize=11, leading=14)
    style.alignment = alignment
    buffer = io.BytesIO()
    canvas = _rl.LKCanvas(buffer, invariant=1)
    paragraph = Paragraph(text, style)
    _, height = paragraph.wrap(width, 800)
    paragraph.drawOn(canvas, 72, 700 - height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _places(pdf: bytes) -> list[tuple[str, float, float]]:
    [(_w, _h, boxes)] = char_boxes(pdf, 1)
    return [(b.char, round(b.left, 3), round(b.bottom, 3)) for b in boxes]


def test_a_tie_takes_the_place_of_a_space_in_ragged_lines() -> None:
    """A no-break space is drawn where a space would be: same glyph, same width."""
    words = "le 31 mars 2016 à Bichkek, la question reste ouverte depuis des années"
    tied = words.replace("31 mars", f"31{NBSP}mars").replace("à Bichkek", f"à{NBSP}Bichkek")
    assert _places(_draw(tied, TA_LEFT, 600)) == _places(_draw(words, TA_LEFT, 600))


def test_justified_ties_keep_their_width_and_the_line_its_length() -> None:
    text = " ".join(["le 31 mars", "« libre »", "les autorités ont répondu", "la question"] * 6)
    tied = text.replace("31 mars", f"31{NBSP}mars")
    tied = tied.replace("« libre »", f"«{NBSP}libre{NBSP}»")
    pdf = _draw(tied, TA_JUSTIFY)
    assert "Tw" in pdf_content(pdf)
    lines = _lines(pdf)
    assert len(lines) > 3
    rights = [row[-1][2] for row in lines[:-1]]
    assert max(rights) - min(rights) < 0.05, rights  # every line but the last ends flush
    # Each « is followed by its tie at the space's width, where a space is wider.
    space = pdfmetrics.stringWidth(" ", fonts.SERIF, 11)
    gaps = []
    for row in lines[:-1]:
        for (char, _, right), (_, left, _) in itertools.pairwise(row):
            gaps.append((char, round(left - right, 3)))
    ties = {gap for char, gap in gaps if char == "«"}
    assert ties == {round(space, 3)}, (ties, space)
    assert any(gap > space + 0.5 for char, gap in gaps if char == "s")  # stretched spaces


def pdf_content(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return doc.pages[0].Contents.read_bytes().decode("latin-1")


def test_the_subset_maps_its_own_code_to_u00a0_with_the_space_width(tmp_path: Path) -> None:
    pdf = letterkit.render(_french(tmp_path))
    found = 0
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for _, font in page.Resources.Font.items():
                if "/ToUnicode" not in font:
                    continue
                cmap = font.ToUnicode.read_bytes().decode("latin-1")
                codes = {
                    line.split()[1]: int(line.split()[0][1:-1], 16)
                    for line in cmap.splitlines()
                    if line.startswith("<") and len(line.split()) == 2
                }
                if "<00A0>" in codes:
                    found += 1
                    nbsp = codes["<00A0>"]
                    assert nbsp != 32
                    assert codes.get("<0020>") == 32
                    widths = font.Widths
                    assert widths[nbsp] == widths[32]
    assert found


def test_fonts_outside_letterkit_are_left_as_reportlab_makes_them() -> None:
    """A program that imports letterkit keeps ReportLab's own behaviour for its
    documents, even with the faces letterkit registers: U+00A0 written as the space."""
    fonts.register()
    # The same face as letterkit's own: ReportLab hands back letterkit's font object.
    font = TTFont("HostSans", str(ROOT / "fonts" / "NotoSans-Regular.ttf"))
    pdfmetrics.registerFont(font)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    assert type(canvas.beginText(0, 0)) is PDFTextObject
    canvas.setFont("HostSans", 11)
    canvas.drawString(72, 700, f"31{NBSP}mars")
    canvas.showPage()
    canvas.save()
    text = pdf_text(buffer.getvalue())
    assert "31 mars" in text
    assert NBSP not in text


_RENDER = """
import hashlib, sys
import letterkit
print(hashlib.sha256(letterkit.render(sys.argv[1])).hexdigest())
"""


def test_the_same_bytes_in_two_processes(tmp_path: Path) -> None:
    spec = _french(tmp_path, justify=True)
    here = hashlib.sha256(letterkit.render(spec)).hexdigest()
    runs = [
        subprocess.run(
            [sys.executable, "-c", _RENDER, str(spec)],
            capture_output=True, text=True, check=True, timeout=120,
        ).stdout.strip()
        for _ in range(2)
    ]  # fmt: skip
    assert runs == [here, here]


@pytest.mark.parametrize("locale", ["ru", "ar"])
def test_other_scripts_keep_their_ties(example_pdfs: ExamplePdfs, locale: str) -> None:
    text = pdf_text(example_pdfs[f"askarov-eu-2018/appeal.{locale}"])
    assert NBSP in text
