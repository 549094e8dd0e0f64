"""Every language the letter goes out in: dates, page words, scripts, right to left."""

from __future__ import annotations

import ctypes
import io
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from babel.dates import format_date
from pypdf import PdfReader

import letterkit
from letterkit import l10n

from .conftest import EXAMPLE, ROOT, ExamplePdfs, page_texts, pdf_text
from .pdfcheck import page_fonts
from .test_cli import run

LOCALES = ["en-GB", "en-US", "fr", "es", "ru", "ky", "ar"]
LETTER = EXAMPLE.parent / "askarov-eu-2018"


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _visual_lines(pdf: bytes, page: int = 0) -> list[tuple[float, str]]:
    """(baseline y, characters left to right) of each line of a page, as drawn."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        text = doc[page].get_textpage()
        rows: dict[int, list[tuple[float, str]]] = {}
        x, y = ctypes.c_double(), ctypes.c_double()
        for k in range(text.count_chars()):
            char = text.get_text_range(k, 1)
            if char in "\r\n":
                continue
            pdfium_raw.FPDFText_GetCharOrigin(text.raw, k, ctypes.byref(x), ctypes.byref(y))
            rows.setdefault(round(y.value), []).append((x.value, char))
        return [
            (y, "".join(c for _, c in sorted(chars)))
            for y, chars in sorted(rows.items(), reverse=True)
        ]
    finally:
        doc.close()


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "ar"])
def test_appeal_in_each_language(locale: str, example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs[f"askarov-eu-2018/appeal.{locale}"]
    pages = page_texts(pdf)
    first = pages[0]
    date = _fold(format_date(LETTER_DATE, "long", locale=locale.replace("-", "_")))
    lines = [_fold(line) for line in first.splitlines()]
    assert any(date in line for line in lines), (date, lines[:12])  # the date is on one line
    numbering = l10n.word(locale, "Page {page} of {pages}", page=1, pages=len(pages))
    assert _fold(numbering) in _fold(first)
    assert "Page 1 of" not in first or locale.startswith("en")
    assert letterkit.check(LETTER / f"appeal.{locale}.yaml") == []


LETTER_DATE = __import__("datetime").date(2018, 12, 6)


def _drawn_text(pdf: bytes) -> str:
    """The text as drawn (glyph code points, before any reordering by a reader)."""
    runs: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, *_: runs.append(text))
    return "".join(runs)


def test_arabic_appeal_reads_right_to_left(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["askarov-eu-2018/appeal.ar"]
    assert letterkit.check(LETTER / "appeal.ar.yaml") == []
    drawn = _drawn_text(pdf)
    # The page draws joined letters (presentation forms: the reference image
    # shows them), and its text layer gives the letters they stand for.
    joined = sum(0xFB50 <= ord(c) <= 0xFEFC for c in drawn)
    bare = sum(0x0621 <= ord(c) <= 0x064A for c in drawn)
    assert bare > 500
    assert joined == 0
    lines = [text for _, text in _visual_lines(pdf)]
    # Each line is in visual order: read from the right, it is the logical text.
    assert any(t[::-1].startswith("الصفحة 1 من") for t in lines), lines[-3:]
    assert any("صاحب الفخامة" in t[::-1] for t in lines)
    dateline = "بروكسل، " + l10n.format_date(LETTER_DATE, "ar")
    assert dateline in [_logical(t) for t in lines]


def _logical(visual: str) -> str:
    """A right-to-left line read from the right (numbers keep their digit order)."""
    return re.sub(r"\d+", lambda m: m.group()[::-1], visual[::-1]).strip()


def _arabic_letter(tmp_path: Path) -> Path:
    for name in ("case.yaml",):
        shutil.copy(LETTER / name, tmp_path / name)
    (tmp_path / "t.md").write_text(
        "---\nsubject: الإفراج عن {{ person.display_name }}\n---\n"
        "نحن المنظمات الموقعة أدناه، وعددها {{ signatories|length }}، نكتب إليكم بشأن "
        "{{ person.display_name }} المحتجز منذ {{ case.detained_on|date }}.\n",
        encoding="utf-8",
    )
    (tmp_path / "letter.yaml").write_text(
        "template: t.md\nlocale: ar\ndate: 2018-12-06\n"
        "recipients: [{name: رئيس الجمهورية, address: [بيشكيك]}]\n"
        "case: case.yaml\nsignatories:\n"
        "  - {name: Human Rights Watch (HRW), lead: 'true'}\n"
        "  - منظمة العفو الدولية\n  - مركز الدفاع عن الحقوق\n",
        encoding="utf-8",
    )
    return tmp_path / "letter.yaml"


def test_latin_name_reads_left_to_right_in_an_arabic_letter(tmp_path: Path) -> None:
    pdf = letterkit.render(_arabic_letter(tmp_path))
    lines = [t for _, t in _visual_lines(pdf)]
    assert any("Human Rights Watch (HRW)" in t for t in lines), lines
    # The body's first logical word is drawn last (rightmost).
    body = next(t for t in lines if "نحن"[::-1] in t)
    assert body[::-1].lstrip().startswith("نحن")
    # Signatory columns start on the right: the lead signatory is right of the others.
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        text = doc[0].get_textpage()
        found = text.search("Human Rights Watch")
        start = found.get_next()
        assert start is not None
        left, *_ = text.get_charbox(start[0])
        assert left > doc[0].get_width() / 2
    finally:
        doc.close()


@pytest.mark.parametrize(
    ("locale", "numbers", "categories"),
    [
        ("ar", [0, 1, 2, 3, 11, 100], ["zero", "one", "two", "few", "many", "other"]),
        ("ru", [1, 2, 5, 21], ["one", "few", "many", "one"]),
    ],
)
def test_plural_categories(locale: str, numbers: list[int], categories: list[str]) -> None:
    assert [l10n.plural_category(n, locale) for n in numbers] == categories


def test_russian_plural_strings() -> None:
    forms = {"one": "организация", "few": "организации", "many": "организаций"}
    assert [l10n.plural(n, "ru", forms) for n in (1, 2, 5, 21)] == [
        "1 организация",
        "2 организации",
        "5 организаций",
        "21 организация",
    ]


def test_kyrgyz_and_kazakh_letters_print(tmp_path: Path) -> None:
    letter = letterkit.load_letter(LETTER / "appeal.ky.yaml")
    from dataclasses import replace

    names = ("Ңаамат Өмүрбек Үмүт", "Әсем Ғалым Қайрат Ұлан Һ Іңкәр")
    letter = replace(
        letter,
        signatories=tuple(letterkit.Signatory(name=n) for n in names),
        expected_signatories=None,
    )
    text = pdf_text(letterkit.render(letter))
    for name in names:
        assert name in text


def test_layout_words_in_every_catalog() -> None:
    for locale in ["en", "ru", "fr", "es", "ky", "ar", "de", "kk", "uz", "tr"]:
        words = l10n.word(locale, "Page {page} of {pages}", page=2, pages=3)
        assert "2" in words
        assert "3" in words
        if locale != "en":
            assert words != "Page 2 of 3", locale
            assert l10n.word(locale, "Signatories") != "Signatories", locale


def test_templates_command_lists_locales() -> None:
    status, out, _ = run("templates")
    assert status == 0
    assert "appeal-release" in out
    assert "eu-partners" in out
    for locale in LOCALES:
        assert locale in out


# -- user fonts ---------------------------------------------------------------------

GEORGIAN = "თბილისი"


def _georgian_letter(tmp_path: Path, fonts: str | None) -> Path:
    shutil.copy(LETTER / "case.yaml", tmp_path / "case.yaml")
    (tmp_path / "t.md").write_text(f"From {GEORGIAN} with regards.\n", encoding="utf-8")
    lines = [
        "template: t.md", "locale: en-GB", "date: 2018-12-06", "case: case.yaml",
        f"signatories: [Centre {GEORGIAN}]",
    ]  # fmt: skip
    if fonts:
        lines.append(f"fonts: {fonts}")
    (tmp_path / "letter.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "letter.yaml"


def test_script_without_a_font_is_an_error_naming_a_fonts_folder(tmp_path: Path) -> None:
    problems = letterkit.check(_georgian_letter(tmp_path, None))
    assert {p.code for p in problems} == {"LK140"}
    assert "U+10D7" in problems[0].message
    assert "Georgian script" in problems[0].message
    assert "put NotoSansGeorgian-Regular.ttf (Noto Sans Georgian, TrueType)" in problems[0].message
    assert "add the line 'fonts: fonts/' to the spec" in problems[0].message


def test_user_fonts_folder_draws_other_scripts(tmp_path: Path) -> None:
    (tmp_path / "my-fonts").mkdir()
    shutil.copy(ROOT / "tests" / "fonts" / "NotoSerifGeorgian-subset.ttf", tmp_path / "my-fonts")
    pdf = letterkit.render(_georgian_letter(tmp_path, "my-fonts"))
    text = pdf_text(pdf)
    assert f"From {GEORGIAN} with regards." in text
    assert f"Centre {GEORGIAN}" in text
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        fonts = {str(f.BaseFont) for page in doc.pages for f in page_fonts(page.Resources)}
    assert any("Georgian" in f for f in fonts), fonts


def test_otf_in_the_fonts_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "my-fonts").mkdir()
    (tmp_path / "my-fonts" / "Some-Font.otf").write_bytes(b"OTTO")
    problems = letterkit.check(_georgian_letter(tmp_path, "my-fonts"))
    [problem] = [p for p in problems if p.code == "LK141"]
    assert "Some-Font.otf" in problem.message
    assert ".ttf" in problem.message
    assert problem.line == 6


def hebrew_letter(tmp_path: Path) -> Path:
    """A one-line Hebrew letter with a Latin name in it."""
    (tmp_path / "t.md").write_text("שלום רב, אנו כותבים אליכם בעניין {{ person.name }}.\n")
    (tmp_path / "letter.yaml").write_text(
        "template: t.md\nlocale: he\ndate: 2018-12-06\n"
        "case: {person: {name: Azimjon Askarov}}\n"
        "signatories: [ארגון זכויות האדם]\n",
        encoding="utf-8",
    )
    return tmp_path / "letter.yaml"


def test_hebrew_letter_is_mirrored_and_drawn(tmp_path: Path) -> None:
    hebrew_letter(tmp_path)
    from bidi import get_display

    pdf = letterkit.render(tmp_path / "letter.yaml")
    lines = [t.strip() for _, t in _visual_lines(pdf)]
    logical = "שלום רב, אנו כותבים אליכם בעניין Azimjon Askarov."
    assert get_display(logical, base_dir="R") in lines, lines
    assert "Yours sincerely," in lines  # no Hebrew catalog yet: the English words, left to right


def test_a_language_without_layout_words_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("Olá.\n")
    (tmp_path / "letter.yaml").write_text(
        "template: t.md\nlocale: pt-BR\ndate: 2018-12-06\n"
        "case: {person: {name: Azimjon Askarov}}\nsignatories: [Organização Exemplo]\n",
        encoding="utf-8",
    )
    problems = letterkit.check(tmp_path / "letter.yaml")
    assert [(p.code, p.severity, p.line) for p in problems] == [("LK109", "warning", 2)]
