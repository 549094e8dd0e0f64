"""Arabic and Hebrew text read back from the PDF: logical order, base letters.

The page draws joined letters (presentation forms) in visual order; what a
program copies or searches is the text layer: the ToUnicode maps give the
letters a presentation form stands for, and each line's pieces are written
in reading order. The glyphs drawn stay the same, pixel for pixel.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from reportlab.platypus import Paragraph

import letterkit
from letterkit import memo
from letterkit.typeset.bidi import LKParagraph

from .conftest import EXAMPLE, ExamplePdfs, page_texts, qpdf_problems
from .test_languages import hebrew_letter

#: Arabic presentation forms A and B: never in the text read back.
FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def _spaced(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def arabic(example_pdfs: ExamplePdfs) -> bytes:
    return example_pdfs["askarov-eu-2018/appeal.ar"]


def test_arabic_page_reads_in_logical_order(arabic: bytes) -> None:
    first = _spaced(page_texts(arabic)[0])
    for expected in (
        "صاحب الفخامة،",  # the salutation
        "بروكسل، 6 ديسمبر 2018",  # the dateline: Arabic, then digits
        "عدد المنظمات: 32، عدد الأفراد: 13",  # counts, Arabic then digits
        "نتوجه إليكم بهذه الرسالة راجين",
        "محتجز في قيرغيزستان منذ 15 يونيو 2010، وقد مضى على احتجازه",
        "الموضوع: مناشدة للإفراج عن عظيمجان أسكاروف",  # lam-alef: one glyph, two letters
        "15 يونيو 2010: احتُجز إثر اندلاع أعمال عنف",  # a list item after its bullet (harakat kept)
        "الصفحة 1 من 2",
    ):
        assert expected in first, expected
    # Not the visual order: the salutation read from the left is not there.
    assert "صاحب الفخامة"[::-1] not in first
    assert "2010 يونيو 15" not in first


def test_no_presentation_forms_are_read_back(arabic: bytes) -> None:
    text = "".join(page_texts(arabic))
    assert not FORMS.search(text), FORMS.findall(text)[:10]
    assert sum("\u0621" <= c <= "\u064a" for c in text) > 1000


def test_the_running_head_reads_the_date_and_the_foot_the_page(arabic: bytes) -> None:
    second = _spaced(page_texts(arabic)[1])
    assert "6 ديسمبر 2018" in second
    assert second.count("2 من 2") == 1
    assert "الصفحة 2 من 2" in second


def test_lam_alef_maps_to_two_letters_in_tounicode(arabic: bytes) -> None:
    maps = []
    for page in PdfReader(io.BytesIO(arabic)).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = font.get_object()
            if "/ToUnicode" in font:
                maps.append(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
    joined = "\n".join(maps)
    assert "<06440625>" in joined or "<06440627>" in joined  # lam + alef (with hamza)
    assert not re.search(r"<[0-9A-F]{2}> <F[BCDE][0-9A-F]{2}>", joined)


def test_the_pdf_structure_is_sound(arabic: bytes) -> None:
    assert qpdf_problems(arabic) == []


def _arabic_letter(tmp_path: Path, body: str) -> Path:
    shutil.copy(EXAMPLE / "case.yaml", tmp_path / "case.yaml")
    (tmp_path / "t.md").write_text(body, encoding="utf-8")
    (tmp_path / "letter.yaml").write_text(
        "template: t.md\nlocale: ar\ndate: 2018-12-06\ncase: case.yaml\n"
        "signatories: [منظمة العفو الدولية]\n",
        encoding="utf-8",
    )
    return tmp_path / "letter.yaml"


def test_a_latin_name_inside_an_arabic_line_keeps_its_place(tmp_path: Path) -> None:
    body = (
        "وقد أيدت منظمة هيومن رايتس ووتش Human Rights Watch (HRW) هذا النداء "
        "في تقريرها الصادر عام 2019.\n"
    )
    text = _spaced(page_texts(letterkit.render(_arabic_letter(tmp_path, body)))[0])
    assert "وقد أيدت منظمة هيومن رايتس ووتش Human Rights Watch" in text
    assert "هذا النداء في تقريرها الصادر عام 2019" in text
    assert "HRW" in text
    assert text.index("وقد أيدت") < text.index("Human") < text.index("هذا النداء")
    assert not FORMS.search(text)


def test_a_hebrew_line_reads_in_logical_order(tmp_path: Path) -> None:
    hebrew_letter(tmp_path)
    text = _spaced(page_texts(letterkit.render(tmp_path / "letter.yaml"))[0])
    assert "שלום רב, אנו כותבים אליכם בעניין Azimjon Askarov" in text
    assert "ארגון זכויות האדם" in text
    assert "שלום רב"[::-1] not in text


def _pages(pdf: bytes) -> list[Image.Image]:
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        return [doc[i].render(scale=1.5).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def test_the_glyphs_drawn_are_unchanged(arabic: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same letter drawn with ReportLab's own text objects renders the
    same pixels: only the text layer differs."""
    monkeypatch.setattr(LKParagraph, "beginText", Paragraph.beginText)
    memo.forget()
    try:
        plain = letterkit.render(EXAMPLE / "appeal.ar.yaml")
    finally:
        memo.forget()
    assert plain != arabic
    assert "وعددها 45، نتوجه" not in _spaced(page_texts(plain)[0])  # visual order
    ours, theirs = _pages(arabic), _pages(plain)
    assert len(ours) == len(theirs)
    for n, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {n} differs"


def _drawn(paragraph: LKParagraph) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    paragraph.wrapOn(canvas, 300, 800)
    paragraph.drawOn(canvas, 100, 400)
    canvas.save()
    return out.getvalue()


@pytest.mark.parametrize("justified", [False, True])
def test_a_justified_or_ragged_arabic_paragraph_keeps_its_glyphs(justified: bool) -> None:
    """Word spacing (justified lines) and style runs (bold, fallback fonts for
    digits and Latin) move each piece by exactly what ReportLab advances."""
    from reportlab.lib.enums import TA_JUSTIFY

    from letterkit.typeset import fonts
    from letterkit.typeset.styles import make_styles

    fonts.register()
    styles = make_styles(rtl=True)
    style = styles.body.clone("justified", alignment=TA_JUSTIFY) if justified else styles.body
    text = (
        "نحن المنظمات الموقعة أدناه، وعددها 45، نتوجه إليكم بهذه الرسالة راجين من حكومتكم "
        "<b>الموقرة</b> الإفراج دون مزيد من الإبطاء عن عظيمجان أسكاروف (HRW)، وهو مدافع "
        "عن حقوق الإنسان منذ 15 يونيو 2010. "
    ) * 2
    ours = styles.para(text, style)
    plain = styles.para(text, style)
    plain.beginText = lambda x, y: Paragraph.beginText(plain, x, y)  # type: ignore[method-assign]
    a, b = _drawn(ours), _drawn(plain)
    [image_a], [image_b] = _pages(a), _pages(b)
    difference = ImageChops.difference(image_a, image_b).convert("L")
    assert sum(difference.histogram()[3:]) == 0  # rounding of the moves: a grey level at most
    read = _spaced(page_texts(a)[0])
    assert "نحن المنظمات الموقعة أدناه، وعددها 45، نتوجه إليكم" in read
    assert "حكومتكم الموقرة الإفراج" in read
    assert "منذ 15 يونيو 2010" in read
    assert not FORMS.search(read)


def test_arabic_indic_digits_keep_their_order() -> None:
    from letterkit.typeset import fonts
    from letterkit.typeset.styles import make_styles

    fonts.register()
    styles = make_styles(rtl=True)
    text = "محتجز منذ ١٥ يونيو ٢٠١٠، وقد مضى ۱۲ شهرا"
    read = _spaced(page_texts(_drawn(styles.para(text, styles.body)))[0])
    assert read == text
