"""The Askarov example, end to end, checked on the real PDF."""

from __future__ import annotations

import csv
import io

import pikepdf
from pypdf import PdfReader

from .conftest import EXAMPLE, page_texts, pdf_text, qpdf_problems
from .pdfcheck import page_fonts


def _signatory_names() -> list[tuple[str, bool]]:
    with (EXAMPLE / "signatories.csv").open(encoding="utf-8-sig", newline="") as f:
        return [
            (row["name"], row["withhold"].strip().lower() == "true") for row in csv.DictReader(f)
        ]


def _letter_pages(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    return sum(1 for label in reader.page_labels if not label.startswith("A"))


def test_english_text(english_pdf: bytes) -> None:
    """This test ensures that the date, the defender and the page numbering print."""
    text = pdf_text(english_pdf)
    assert "6\u00a0December 2018" in text
    assert "Azimjon Askarov" in text
    assert "Dear High Representative Mogherini," in text
    assert "8 years and 5 months" in text
    n = _letter_pages(english_pdf)
    assert n >= 2
    for number, page in enumerate(page_texts(english_pdf)[:n], start=1):
        assert f"Page {number} of {n}" in page


def test_every_signatory_prints_and_withheld_names_do_not(english_pdf: bytes) -> None:
    """This test ensures that each signatory's name is in the PDF as written (its
    apostrophes as ’)."""
    text = pdf_text(english_pdf).replace("\n", " ")
    names = _signatory_names()
    assert 30 <= len(names) <= 60
    for name, withheld in names:
        name = name.replace("'", "’")
        if withheld:
            assert name not in text
        else:
            assert name in text, name
    assert "Name withheld" in text
    assert "Affiliations are given for identification purposes only." in text


def test_outline_labels_and_annex_after_letter(english_pdf: bytes) -> None:
    """This test ensures that the outline names the letter, signatories and annex,
    and the annex pages come after the letter pages."""
    reader = PdfReader(io.BytesIO(english_pdf))
    n = _letter_pages(english_pdf)
    annex_pages = len(PdfReader(EXAMPLE / "chronology.pdf").pages)
    assert len(reader.pages) == n + annex_pages
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    titles = [t for t, _ in outline]
    assert titles[0] == "Letter"
    assert titles[1] == "Signatories"
    assert titles[2] == "Annex 1 – Chronology of the case of Azimjon Askarov, 2010–2018"
    assert outline[0][1] == 0
    assert 0 < outline[1][1] < n
    assert outline[2][1] == n
    assert reader.page_labels[:n] == [str(i) for i in range(1, n + 1)]
    assert reader.page_labels[n] == "A1-1"
    assert "Chronology of the case of Azimjon Askarov" in page_texts(english_pdf)[n]


def test_pdf_is_valid_and_embeds_every_font(english_pdf: bytes, russian_pdf: bytes) -> None:
    """This test ensures that qpdf finds no problem and no font is left unembedded."""
    for pdf in (english_pdf, russian_pdf):
        assert qpdf_problems(pdf) == []
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            seen = 0
            for page in doc.pages:
                for font in page_fonts(page.resources):
                    seen += 1
                    descriptor = font.get("/FontDescriptor")
                    assert descriptor is not None, f"unembedded font {font.get('/BaseFont')}"
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    assert "Helvetica" not in str(font.get("/BaseFont"))
            assert seen > 0


def test_metadata(english_pdf: bytes) -> None:
    """This test ensures that title, author, creator, language and dates are set."""
    with pikepdf.open(io.BytesIO(english_pdf)) as doc:
        info = doc.docinfo
        assert str(info["/Title"]).startswith("The case of Azimjon Askarov")
        assert str(info["/Author"]) == "Coalition for Human Rights Defenders in Central Asia"
        assert str(info["/Creator"]).startswith("letterkit ")
        assert str(info["/CreationDate"]).startswith("D:20181206")
        assert str(doc.Root.Lang) == "en-GB"


def test_russian_letter(russian_pdf: bytes) -> None:
    """This test ensures that the Russian letter has a Russian date, numbering and outline."""
    text = pdf_text(russian_pdf)
    assert "6\u00a0декабря 2018" in text
    assert "Азимжан Аскаров" in text
    n = _letter_pages(russian_pdf)
    for number, page in enumerate(page_texts(russian_pdf)[:n], start=1):
        assert f"Страница {number} из {n}" in page
    reader = PdfReader(io.BytesIO(russian_pdf))
    titles = [item.title for item in reader.outline]
    assert titles[:2] == ["Письмо", "Подписавшие"]
    assert titles[2].startswith("Приложение 1 — Хронология дела")
    assert "Имя не указывается" in text
