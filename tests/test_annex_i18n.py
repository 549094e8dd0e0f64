"""Annex files per language: ``annexes[].path`` as ``{locale: file}``, in a
one-language letter, a campaign with a locale per row, and a letter in
several languages; a language without a file is an error like a missing title."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import letterkit
from letterkit.model import Annex

from .conftest import EXAMPLE
from .test_cli import run


def _pdf(path: Path, text: str) -> None:
    canvas = Canvas(str(path), pagesize=(595, 842), invariant=1)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, 760, text)
    canvas.showPage()
    canvas.save()


def _folder(tmp_path: Path) -> Path:
    """The example's folder with an English and a French chronology."""
    folder = tmp_path / "letter"
    shutil.copytree(EXAMPLE, folder)
    _pdf(folder / "chronology-en.pdf", "CHRONOLOGY IN ENGLISH")
    _pdf(folder / "chronologie-fr.pdf", "CHRONOLOGIE EN FRANCAIS")
    return folder


ANNEXES = """annexes:
  - path: {en: chronology-en.pdf, fr: chronologie-fr.pdf}
    title: {en: Chronology, fr: Chronologie}
"""


def _spec(folder: Path, locale: str, annexes: str = ANNEXES) -> Path:
    text = (folder / "letter.yaml").read_text(encoding="utf-8")
    head = text.split("annexes:")[0].replace("locale: en-GB", f"locale: {locale}")
    spec = folder / f"letter-{locale}.yaml"
    spec.write_text(head + annexes, encoding="utf-8")
    return spec


def _annex_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    first = list(reader.page_labels).index("A1-1")
    return "\n".join(p.extract_text() for p in reader.pages[first:])


def test_a_french_letter_encloses_the_french_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    french = _annex_text(letterkit.render(_spec(folder, "fr")))
    assert "CHRONOLOGIE EN FRANCAIS" in french
    assert "CHRONOLOGY IN ENGLISH" not in french
    english = _annex_text(letterkit.render(_spec(folder, "en-GB")))
    assert "CHRONOLOGY IN ENGLISH" in english
    assert "CHRONOLOGIE EN FRANCAIS" not in english
    # Both files are inputs of the letter (a bundle watches them).
    letter = letterkit.load_letter(_spec(folder, "fr"))
    assert {p.name for p in letter.inputs} >= {"chronology-en.pdf", "chronologie-fr.pdf"}


def test_a_language_without_a_file_is_an_error_naming_the_field(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    spec = _spec(folder, "ru")
    annexes = ANNEXES.replace("fr: Chronologie}", "fr: Chronologie, ru: Хронология}")
    spec = _spec(folder, "ru", annexes)
    problems = letterkit.check(spec)
    found = [p for p in problems if p.code == "LK108"]
    assert len(found) == 1, problems
    assert "'path' has no file for locale 'ru'" in found[0].message
    assert found[0].path.endswith("letter-ru.yaml")
    assert found[0].line == len(spec.read_text().split("annexes:")[0].splitlines()) + 2
    # A 'default' entry serves every other language.
    spec = _spec(
        folder, "ru", annexes.replace("fr: chronologie-fr.pdf", "default: chronologie-fr.pdf")
    )
    assert not [p for p in letterkit.check(spec) if p.severity == "error"]


def test_each_missing_or_refused_file_is_reported(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    annexes = """annexes:
  - path: {en: chronology-en.pdf, fr: absent-fr.pdf}
    title: {en: Chronology, fr: Chronologie}
  - path: {en: chronology-en.pdf, "not a locale!": x.pdf}
  - path: {en: ../outside.pdf}
"""
    problems = letterkit.check(_spec(folder, "en-GB", annexes))
    messages = [(p.code, p.message) for p in problems if p.severity == "error"]
    assert any(c == "LK101" and "absent-fr.pdf' (for fr) not found" in m for c, m in messages)
    assert any(c == "LK105" and "mapping {locale: file name}" in m for c, m in messages)
    assert any(c == "LK107" for c, _m in messages), messages


def test_a_code_built_letter_takes_a_path_per_language(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    base = letterkit.load_letter(folder / "letter.yaml")
    files = {"en": folder / "chronology-en.pdf", "fr": folder / "chronologie-fr.pdf"}
    from dataclasses import replace

    letter = replace(base, locale="fr", annexes=(Annex(path=files, title="Chronologie"),))
    assert "CHRONOLOGIE EN FRANCAIS" in _annex_text(letterkit.render(letter))
    missing = replace(letter, locale="de")
    with pytest.raises(letterkit.ValidationError, match="no file for locale 'de'"):
        letterkit.render(missing)


def test_a_campaign_encloses_each_rows_language(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    spec = folder / "campaign-letter.yaml"
    text = spec.read_text(encoding="utf-8").replace(
        "  - path: chronology.pdf\n",
        "  - path: {en: chronology-en.pdf, fr: chronologie-fr.pdf}\n",
    )
    spec.write_text(text, encoding="utf-8")
    for rid, present, absent in (
        ("BE", "CHRONOLOGIE EN FRANCAIS", "CHRONOLOGY IN ENGLISH"),
        ("AT", "CHRONOLOGY IN ENGLISH", "CHRONOLOGIE EN FRANCAIS"),
    ):
        out = tmp_path / f"{rid}.pdf"
        status, _, err = run(
            "render", str(folder / "campaign.yaml"), "--recipient", rid, "-o", str(out)
        )
        assert status == 0, err
        annex = _annex_text(out.read_bytes())
        assert present in annex
        assert absent not in annex


def test_a_letter_in_several_languages_encloses_its_first_languages_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    spec = _spec(folder, "fr", ANNEXES + "parts:\n  - {}\n  - {locale: en-GB}\n")
    annex = _annex_text(letterkit.render(spec))
    assert "CHRONOLOGIE EN FRANCAIS" in annex
    assert "CHRONOLOGY IN ENGLISH" not in annex


def _sizes(pdf: bytes, page: int) -> dict[str, float]:
    """Each line's first characters → their font size, on one page."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        text = doc[page].get_textpage()
        whole = text.get_text_range(0, text.count_chars())
        out: dict[str, float] = {}
        start = 0
        for line in whole.splitlines(keepends=True):
            if line.strip():
                out[line.strip()] = pdfium.raw.FPDFText_GetFontSize(text.raw, start)
            start += len(line.replace("\r\n", "\n"))
        return out
    finally:
        doc.close()


def _generated(folder: Path, locale: str, style: str = "columns") -> Path:
    annexes = "annexes:\n  - generate: chronology\n  - generate: signatories\n"
    spec = _spec(folder, locale, annexes)
    text = spec.read_text(encoding="utf-8").replace(
        "signatory_style: columns", f"signatory_style: {style}"
    )
    spec.write_text(text, encoding="utf-8")
    return spec


@pytest.mark.parametrize(
    ("locale", "first", "second"),
    [
        ("en-GB", "Annex 1\u00a0– Chronology", "Annex 2\u00a0– Signatories"),
        ("fr", "Annexe 1\u00a0– Chronologie", "Annexe 2\u00a0– Signataires"),
        ("ru", "Приложение 1\u00a0— Хронология", "Приложение 2\u00a0— Подписавшие"),
    ],
)
def test_generated_annexes_are_titled_with_their_number(
    tmp_path: Path, locale: str, first: str, second: str
) -> None:
    folder = _folder(tmp_path)
    pdf = letterkit.render(_generated(folder, locale))
    reader = PdfReader(io.BytesIO(pdf))
    labels = list(reader.page_labels)
    one, two = labels.index("A1-1"), labels.index("A2-1")
    assert reader.pages[one].extract_text().splitlines()[0] == first
    assert reader.pages[two].extract_text().splitlines()[0] == second
    # In the style of the letter's first heading (13 pt), larger than the entries.
    sizes = _sizes(pdf, one)
    assert round(sizes[first], 1) == 13.0
    assert max(v for k, v in sizes.items() if k != first and "–" not in k[:12]) < 13.0


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        ("en-GB", "32 organisations and 13 individuals; the full list is in Annex 2"),
        ("fr", "la liste complète figure à l’annexe 2"),
        ("ru", "полный список\u00a0— в приложении 2"),
        ("es", "la lista completa figura en el anexo 2"),
    ],
)
def test_a_count_says_which_annex_lists_the_names(tmp_path: Path, locale: str, says: str) -> None:
    folder = _folder(tmp_path)
    pdf = letterkit.render(_generated(folder, locale, "count"))
    reader = PdfReader(io.BytesIO(pdf))
    first_annex = list(reader.page_labels).index("A1-1")
    letter = " ".join(p.extract_text() for p in reader.pages[:first_annex]).replace("\n", " ")
    assert says in letter
    annexes = " ".join(p.extract_text() for p in reader.pages[first_annex:])
    assert says not in annexes


def test_a_count_without_a_full_list_names_no_annex(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    spec = _spec(folder, "en-GB", "annexes:\n  - generate: chronology\n")
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "signatory_style: columns", "signatory_style: count"
        ),
        encoding="utf-8",
    )
    pdf = letterkit.render(spec)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "32 organisations and 13 individuals" in text
    assert "full list" not in text
