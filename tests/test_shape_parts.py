"""A letter in several languages in one PDF (``parts``, ``signatories_in``),
read back from the PDF: the outline, the page numbers counted within each
part, where the signatories, the annex list and the annexes go, right-to-left
parts, bundles, and nothing else."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
from pypdf import PdfReader

import letterkit
from letterkit.bundle.build import build_bundle

from .bundles import manifest_letters, rendered_alone
from .conftest import EXAMPLE, ROOT, ExamplePdfs, page_texts, pdf_text, qpdf_problems
from .pdfcheck import char_boxes, outside, overlaps, page_fonts

SHAPES = ROOT / "examples" / "shapes"
L13B = "shapes/L13b-english-turkish"
MARGIN = 25 * 72 / 25.4
EN_TITLE = "Free the defenders detained on Marmara Island"
TR_TITLE = "Marmara Adası'nda gözaltına alınan savunucular serbest bırakılsın"


def _outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every outline entry, in order."""
    reader = PdfReader(io.BytesIO(pdf))
    out: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)  # type: ignore[arg-type]
                out.append((depth, str(item.title), page))  # type: ignore[attr-defined]

    walk(reader.outline, 0)
    return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def _copy_l13b(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("L13b-english-turkish.yaml", "L13b.en.md", "L13b.tr.md"):
        shutil.copy(SHAPES / name, folder / name)
    shutil.copy(SHAPES / "signatories-41-countries.csv", folder / "signatories-41-countries.csv")
    return folder / "L13b-english-turkish.yaml"


def test_english_then_turkish_is_two_letters_one_list_and_the_annex_once(
    example_pdfs: ExamplePdfs,
) -> None:
    """This test ensures that the English + Turkish letter has one outline entry
    per part (its subject, in its language) and the annex once, "Page 1 of N"
    then "Sayfa 1 / M", the signatory list and the annex list once, after the
    Turkish part, and the chronology once, at the end."""
    pdf = example_pdfs[L13B]
    pages = page_texts(pdf)
    assert len(pages) == 4
    outline = _outline(pdf)
    assert outline == [
        (0, EN_TITLE, 0),
        (0, TR_TITLE, 1),
        (1, "İmzacılar", 1),
        (0, "Annex 1 – Chronology", 3),
    ]
    english, turkish, annex = pages[:1], pages[1:3], pages[3]
    assert "Page 1 of 1" in english[0]
    assert "Sayfa 1 / 2" in turkish[0]
    assert "Sayfa 2 / 2" in turkish[1]
    assert not any("Sayfa" in p for p in english)
    assert not any("Page" in p for p in turkish)
    whole = pdf_text(pdf)
    # one signatory list, after the Turkish closing; no English heading at all
    assert whole.count("İmzacılar") == 2  # its heading, and "(devam)" on the next page
    assert whole.count("İmzacılar (devam)") == 1
    assert turkish[1].split("\n")[1].strip() == "İmzacılar (devam)"
    assert "Signatories" not in whole
    assert whole.count("Union for Minority Rights") == 1
    # the last signer, the country named in Turkish
    assert "41. Council for Legal Aid, Türkiye" in " ".join(turkish[1].split())
    assert "Sincerely," in english[0]
    assert "Union for" not in english[0]
    assert turkish[0].index("Saygılarımızla,") < turkish[0].index("İmzacılar")
    # the annex list once, in Turkish, and the annex itself once, last
    assert whole.count("Kronoloji (1 sayfa)") == 1
    assert "Annexes" not in whole
    assert "(1 page)" not in whole
    assert "Annex 1\u00a0– page 1 of 1" in annex
    assert whole.count("Annex 1\u00a0– page") == 1
    # each part is a letter of its own language
    assert "Istanbul, 13\u00a0July 2017" in english[0]
    assert "İstanbul, 13\u00a0Temmuz 2017" in turkish[0]
    assert "13\u00a0Temmuz 2017" in turkish[1]
    assert "13 Temmuz 2017 · 2" not in turkish[1]
    assert "Deniz Örnek, director of a human rights association" in _squash(english[0])
    assert "Deniz Örnek, bir insan hakları derneğinin direktörü" in _squash(turkish[0])


def test_parts_have_their_own_page_labels_language_and_metadata(example_pdfs: ExamplePdfs) -> None:
    """This test ensures that page labels count within each part (1-1, 2-1, 2-2)
    and the annex as A1-1, the document's language and metadata are the first
    part's, and qpdf finds nothing wrong."""
    pdf = example_pdfs[L13B]
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.page_labels == ["1-1", "2-1", "2-2", "A1-1"]
    assert qpdf_problems(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.Root.Lang) == "en-GB"
        assert str(doc.docinfo["/Title"]) == EN_TITLE
        assert str(doc.Root.PageMode) == "/UseOutlines"
        assert "the Marmara ten" in str(doc.docinfo["/Subject"])
        for page in doc.pages:
            for font in page_fonts(page.Resources):
                for each in font.get("/DescendantFonts", [font]):
                    described = each.get("/FontDescriptor")
                    assert described is None or "/FontFile2" in described, font.BaseFont


def test_parts_are_reproducible_and_clean(example_pdfs: ExamplePdfs) -> None:
    """This test ensures that the same parts give the same bytes (render, build
    with and without reuse), and no text crosses the margins or another text."""
    pdf = example_pdfs[L13B]
    letter = letterkit.load_letter(SHAPES / "L13b-english-turkish.yaml")
    assert letterkit.render(letter) == pdf
    assert letterkit.build(letter, reuse=False).pdf == pdf
    built = letterkit.build(letter)
    assert (built.pages, built.letter_pages) == (4, 3)
    for number, (width, height, boxes) in enumerate(char_boxes(pdf)[:3], start=1):
        assert not outside(boxes, width, height, MARGIN), f"page {number}"
        # The dotless ı is narrower than the kerning that pulls a neighbour under it.
        found = [pair for pair in overlaps(boxes) if "ı" not in (pair[0].char, pair[1].char)]
        assert not found, f"page {number}: {found}"


def test_each_part_prints_the_signatories_when_asked(tmp_path: Path) -> None:
    """This test ensures that with ``signatories_in: each`` every part prints
    its closing, its own heading over the signatory list and its annex list."""
    spec = _copy_l13b(tmp_path)
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("signatories_in: last", "signatories_in: each"),
        encoding="utf-8",
    )
    pdf = letterkit.render(spec)
    whole = pdf_text(pdf)
    assert whole.count("Union for Minority Rights") == 2
    # each heading once, and once more "(continued)" where its list runs over
    assert whole.count("Signatories") - whole.count("Signatories (continued)") == 1
    assert whole.count("İmzacılar") - whole.count("İmzacılar (devam)") == 1
    assert whole.index("Signatories") < whole.index("İmzacılar")
    assert whole.count("Chronology (1 page)") == 1
    assert whole.count("Kronoloji (1 sayfa)") == 1
    titles = [(depth, title) for depth, title, _ in _outline(pdf)]
    assert titles == [
        (0, EN_TITLE),
        (1, "Signatories"),
        (0, TR_TITLE),
        (1, "İmzacılar"),
        (0, "Annex 1 – Chronology"),
    ]


def _english_then_arabic(folder: Path) -> Path:
    shutil.copytree(EXAMPLE, folder)
    spec = folder / "en-ar.yaml"
    spec.write_text(
        "\n".join(
            [
                "template: appeal-release",
                "locale: en-GB",
                "date: 2018-12-06",
                "place: {en: Brussels, ar: بروكسل}",
                "recipient:",
                "  honorific: {en: His Excellency, ar: فخامة}",
                "  name: {en: Sooronbay Jeenbekov, ar: الرئيس سورونباي جينبيكوف}",
                "case: case.yaml",
                "signatories: signatories.csv",
                "parts:",
                "  - {}",
                "  - {locale: ar}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return spec


def test_english_then_arabic_reads_right_to_left_in_its_part(tmp_path: Path) -> None:
    """This test ensures that a right-to-left part is set right to left (its lines
    end at the right margin), numbered "الصفحة 1 من N" within itself, with an
    Arabic outline entry, after a left-to-right English part."""
    pdf = letterkit.render(_english_then_arabic(tmp_path / "ex"))
    reader = PdfReader(io.BytesIO(pdf))
    labels = reader.page_labels
    english = [i for i, label in enumerate(labels) if label.startswith("1-")]
    arabic = [i for i, label in enumerate(labels) if label.startswith("2-")]
    assert english == [0, 1]
    assert arabic == [2, 3]
    outline = _outline(pdf)
    assert [t for d, t, _ in outline if d == 0] == [
        "Release of Azimjon Askarov",
        "مناشدة للإفراج عن عظيمجان أسكاروف",
    ]
    assert (1, "الموقعون", 3) in outline
    assert all(t != "Signatories" for _, t, _ in outline)
    pages = char_boxes(pdf)
    width = pages[2][0]
    right = width - MARGIN
    for index in english:
        lefts = [b.left for b in pages[index][2] if b.char.isalpha()]
        assert min(lefts) < MARGIN + 2
    # The Arabic body lines are flush right: most lines end at the right margin.
    arabic_boxes = [b for b in pages[2][2] if "\u0600" <= b.char <= "\u06ff" or b.char > "\ufb4f"]
    assert arabic_boxes
    assert max(b.right for b in arabic_boxes) > right - 2
    assert min(b.left for b in arabic_boxes) > MARGIN - 2
    text = page_texts(pdf)
    assert "Page 1 of 2" in text[0]
    assert "Page 2 of 2" in text[1]
    assert not any("Page" in t for t in text[2:])


def _campaign(folder: Path, count: int) -> Path:
    spec = _copy_l13b(folder)
    (folder / "letter.yaml").write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    rows = ["id,honorific,name,title,address"]
    rows += [f"R{n},H.E.,Minister {n},Minister of Justice,Ankara | Türkiye" for n in range(count)]
    (folder / "recipients.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    campaign = folder / "campaign.yaml"
    campaign.write_text(
        "letter: letter.yaml\nrecipients: recipients.csv\noutput:\n  combined: all.pdf\n",
        encoding="utf-8",
    )
    return campaign


def test_a_bundle_of_letters_in_two_languages_equals_render(tmp_path: Path) -> None:
    """This test ensures that a campaign whose letter has parts bundles, each
    letter addressed in both parts, and that ``render CAMPAIGN --recipient ID``
    gives the bundle's bytes."""
    campaign = _campaign(tmp_path / "c", 3)
    out = tmp_path / "dist"
    result = build_bundle(campaign, out, jobs=1)
    assert len(result.built) == 3
    for entry in manifest_letters(out):
        pages = page_texts(rendered_alone(campaign, entry, tmp_path))
        name = f"H.E. Minister {entry['id'][1:]}"
        assert name in pages[0]
        assert name in pages[1]
        assert entry["letter_pages"] == 3
        assert entry["pages"] == 4
    combined = PdfReader(out / "all.pdf")
    assert len(combined.pages) == 12
    assert combined.page_labels[:5] == ["R0:1-1", "R0:2-1", "R0:2-2", "R0:A1-1", "R1:1-1"]
    again = build_bundle(campaign, out, jobs=1)
    assert again.built == []
    assert len(again.skipped) == 3
    (tmp_path / "c" / "L13b.tr.md").write_text(
        (tmp_path / "c" / "L13b.tr.md").read_text(encoding="utf-8") + "\nEk bir paragraf.\n",
        encoding="utf-8",
    )
    third = build_bundle(campaign, out, jobs=1)
    assert len(third.built) == 3  # a part's template is an input of every letter
    assert "Ek bir paragraf." in pdf_text((out / manifest_letters(out)[0]["file"]).read_bytes())
