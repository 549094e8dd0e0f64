"""Signatory entries as the letter wants them, read back from the PDF: the
``signatory_block`` heading, note, size and entry template, the ``note`` and
``signed_by`` columns, and numbers right-aligned on one edge."""

from __future__ import annotations

import csv
import ctypes
import io
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

import letterkit

from .conftest import ROOT, ExamplePdfs, pdf_text
from .pdfcheck import Box, char_boxes

SHAPES = ROOT / "examples" / "shapes"
COLUMNS = (
    "name", "type", "acronym", "country", "affiliation", "title", "note", "signed_by", "group",
    "withhold",
)  # fmt: skip


def _letter(
    folder: Path,
    rows: Sequence[dict[str, str]],
    block: str = "",
    *extra: str,
    locale: str = "en-GB",
) -> Path:
    """A letter spec in *folder* with *rows* as its signatory list and *block* as its
    ``signatory_block`` (YAML flow mapping, "" for none)."""
    shutil.copy(SHAPES / "case.yaml", folder / "case.yaml")
    (folder / "letter.md").write_text(
        '---\nclosing: "Sincerely,"\n---\nWe write about {{ person.display_name }}.\n',
        encoding="utf-8",
    )
    with (folder / "signatories.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    lines = [
        "template: letter.md",
        f"locale: {locale}",
        "date: 2018-12-06",
        "subject: Release of Temir Sample",
        "recipients: [{name: The Government of Example}]",
        "case: case.yaml",
        "signatories: signatories.csv",
        "signatory_order: as-given",
        *extra,
    ]
    if block:
        lines.append(f"signatory_block: {block}")
    (folder / "letter.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "letter.yaml"


def _tail(pdf: bytes, start: str = "Sincerely,") -> str:
    """The text from the closing on, headers and page numbers left out, spaces folded."""
    text = pdf_text(pdf)
    text = re.sub(r"The Government of Example \d+ \S+ \d{4} · \d+|Page \d+ of \d+", " ", text)
    return " ".join(text[text.index(start) + len(start) :].split())


ORGS = [
    {"name": "Alpha Watch", "acronym": "AW", "country": "Norway"},
    {"name": "Beta Rights", "acronym": "BR", "country": "Chile", "note": "observer"},
    {"name": "Gamma Forum", "title": "Director", "signed_by": "Ida Stone"},
]


def test_default_formats_print_note_and_signed_by(tmp_path: Path) -> None:
    """``list``: ``Name (ACRONYM, Country; note)``; ``signed_by``: ``Person, Title, Name``."""
    pdf = letterkit.render(_letter(tmp_path, ORGS, "", "signatory_style: list"))
    assert _tail(pdf) == (
        "Signatories Alpha Watch (AW, Norway) Beta Rights (BR, Chile; observer) "
        "Ida Stone, Director, Gamma Forum"
    )
    pdf = letterkit.render(_letter(tmp_path, ORGS, "", "signatory_style: columns"))
    tail = _tail(pdf)
    assert "Beta Rights (observer)" in tail
    assert "Ida Stone, Director, Gamma Forum" in tail
    assert "Chile" not in tail  # columns print no country, as before


def test_heading_text_none_and_auto(tmp_path: Path) -> None:
    rows = ORGS[:2]
    assert _tail(letterkit.render(_letter(tmp_path, rows, "{heading: auto}"))).startswith(
        "Signatories "
    )
    pdf = letterkit.render(_letter(tmp_path, rows, '{heading: ""}'))
    assert _tail(pdf) == "Alpha Watch Beta Rights (observer)"
    assert "Signatories" not in pdf_text(pdf)
    pdf = letterkit.render(_letter(tmp_path, rows, "{heading: List of signatory organisations}"))
    assert _tail(pdf) == "List of signatory organisations Alpha Watch Beta Rights (observer)"
    assert "Signatories" not in pdf_text(pdf)


NOTE = "Affiliations are given for identification purposes only."
GROUPED = [
    {"name": "Alpha Watch", "group": "Organisations"},
    {"name": "Beta Rights", "group": "Organisations"},
    {"name": "Ida Stone", "type": "individual", "affiliation": "Univ. of Lowport",
     "group": "Individuals"},
    {"name": "Jon Reed", "type": "individual", "group": "Individuals"},
    {"name": "Zeta Union", "group": "Networks"},
]  # fmt: skip


def test_the_note_follows_the_last_group_with_an_affiliation(tmp_path: Path) -> None:
    """``note: auto`` prints the note once, after the group that needs it, not at the top."""
    pdf = letterkit.render(_letter(tmp_path, GROUPED, "{note: auto}"))
    assert _tail(pdf) == (
        "Signatories Organisations Alpha Watch Beta Rights Individuals Ida Stone "
        f"Univ. of Lowport Jon Reed {NOTE} Networks Zeta Union"
    )
    assert pdf_text(pdf).count("identification purposes") == 1


def test_the_note_none_text_and_absent(tmp_path: Path) -> None:
    pdf = letterkit.render(_letter(tmp_path, GROUPED, '{note: ""}'))
    assert "identification" not in pdf_text(pdf)
    pdf = letterkit.render(_letter(tmp_path, GROUPED, "{note: Titles for identification.}"))
    assert "Jon Reed Titles for identification. Networks" in _tail(pdf)
    assert NOTE not in pdf_text(pdf)
    # Entries that print no affiliation need no note.
    pdf = letterkit.render(_letter(tmp_path, GROUPED, '{entry: "{{ name }}"}'))
    assert "identification" not in pdf_text(pdf)
    pdf = letterkit.render(_letter(tmp_path, GROUPED, '{entry: "{{ name }}, {{ affiliation }}"}'))
    assert "Ida Stone, Univ. of Lowport Jon Reed " + NOTE in _tail(pdf)
    # No individual with an affiliation: auto prints no note.
    pdf = letterkit.render(_letter(tmp_path, GROUPED[:2] + GROUPED[3:], "{note: auto}"))
    assert "identification" not in pdf_text(pdf)
    # Without signatory_block, the note stays under the heading, as before.
    pdf = letterkit.render(_letter(tmp_path, GROUPED))
    assert _tail(pdf).startswith(f"Signatories {NOTE} Organisations Alpha Watch")


def test_the_entry_template_writes_each_entry(tmp_path: Path) -> None:
    rows = [
        {"name": "Alpha Watch", "acronym": "AW", "country": "KG"},
        {"name": "Ida Stone", "type": "individual", "title": "Professor", "country": "Elbonia"},
        {"name": "Secret Org", "country": "NO", "withhold": "true"},
    ]
    spec = _letter(
        tmp_path,
        rows,
        '{entry: "{{ number }}: {{ name }}, {{ title }}, {{ country }} ({{ type }})"}',
    )
    pdf = letterkit.render(spec)
    assert _tail(pdf) == (
        "Signatories 1: Alpha Watch, Kyrgyzstan (organization) "
        "2: Ida Stone, Professor, Elbonia (individual) Name withheld"
    )
    assert "Secret" not in pdf_text(pdf)
    assert "Norway" not in pdf_text(pdf)


def test_russian_entries_name_iso_countries_in_russian(tmp_path: Path) -> None:
    rows = [{"name": "Анна Мирошина", "type": "individual", "country": "KG", "title": "юрист"}]
    spec = _letter(tmp_path, rows, '{entry: "{{ name }}, {{ title }}, {{ country }}"}')
    spec.write_text(
        spec.read_text().replace("locale: en-GB", "locale: ru").replace("Sincerely", "x"),
        encoding="utf-8",
    )
    assert "Анна Мирошина, юрист, Кыргызстан" in pdf_text(letterkit.render(spec))


def _lines(pdf: bytes) -> list[list[tuple[str, float, float, float]]]:
    """Every line of text on every page, by baseline: (char, left, right, font size)
    for each visible character, left to right."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    out = []
    for page in doc:
        text = page.get_textpage()
        lines: dict[float, list[tuple[str, float, float, float]]] = {}
        for k in range(text.count_chars()):
            char = text.get_text_range(k, 1)
            if not char.strip():
                continue
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium.raw.FPDFText_GetCharOrigin(text.raw, k, x, y)
            left, _, right, _ = text.get_charbox(k)
            size = round(pdfium.raw.FPDFText_GetFontSize(text.raw, k), 2)
            lines.setdefault(round(y.value, 1), []).append((char, left, right, size))
        out += [sorted(line, key=lambda c: c[1]) for _, line in sorted(lines.items())]
    doc.close()
    return out


def _numbered_rows(count: int) -> list[dict[str, str]]:
    countries = ["Norway", "Chile", "Kenya", "Peru", "Georgia"]
    return [
        {"name": f"Group {chr(65 + n % 26)}{n}", "country": countries[n % 5]}
        for n in range(1, count + 1)
    ]


def _number_edges(pdf: bytes) -> tuple[list[float], list[float], set[float]]:
    """For every numbered entry line: the right edge of its number, the left edge
    of its text, and the font sizes on those lines."""
    rights, lefts, sizes = [], [], set()
    for line in _lines(pdf):
        found = re.match(r"(\d+)\.Group", "".join(c[0] for c in line))
        if not found:
            continue
        dot = len(found.group(1))
        rights.append(line[dot][2])
        lefts.append(line[dot + 1][1])
        sizes |= {c[3] for c in line}
    return rights, lefts, sizes


@pytest.mark.parametrize("size", ["small", "body"])
def test_numbers_right_aligned_on_one_edge(tmp_path: Path, size: str) -> None:
    """1 to 120: every number's right edge at one x, every entry's text at one x,
    number and text at the entry's size."""
    spec = _letter(
        tmp_path, _numbered_rows(120), f'{{size: {size}, entry: "{{{{ name }}}}, {{{{ country }}}}"}}',
        "signatory_style: numbered",
    )  # fmt: skip
    pdf = letterkit.render(spec)
    rights, lefts, sizes = _number_edges(pdf)
    assert len(rights) >= 100
    assert max(rights) - min(rights) <= 0.3
    assert max(lefts) - min(lefts) <= 0.3
    assert min(lefts) > max(rights)
    tail = _tail(pdf)
    assert "1. Group B1, Chile" in tail
    assert "120. Group Q120, Norway" in tail
    assert sizes == {8.5 if size == "small" else 10.5}


def test_four_digit_numbers_stay_aligned(tmp_path: Path) -> None:
    """Up to four digits: the number column is as wide as the largest number."""
    spec = _letter(tmp_path, _numbered_rows(1200), "{size: small}", "signatory_style: numbered")
    pdf = letterkit.render(spec)
    rights, lefts, sizes = _number_edges(pdf)
    assert len(rights) > 1000
    assert sizes == {8.5}
    assert max(rights) - min(rights) <= 0.3
    assert max(lefts) - min(lefts) <= 0.3
    assert "1200. Group" in _tail(pdf)


def test_right_to_left_numbers_mirror(tmp_path: Path) -> None:
    """Arabic: numbers in a column on the right, their inner (left) edges aligned,
    every entry's text ending at one x left of them."""
    case = (SHAPES / "case.yaml").read_text(encoding="utf-8")
    rows = [{"name": f"منظمة حقوق الإنسان {n}", "country": "EG"} for n in range(1, 31)]
    spec = _letter(
        tmp_path, rows, '{entry: "{{ name }}"}', "signatory_style: numbered", locale="ar"
    )
    (tmp_path / "case.yaml").write_text(
        case.replace("ru: правозащитник}", "ru: правозащитник, ar: مدافع عن حقوق الإنسان}"),
        encoding="utf-8",
    )
    pdf = letterkit.render(spec)
    width = PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width
    inner, text_ends = [], []
    for _, _, boxes in char_boxes(pdf):
        lines: dict[int, list[Box]] = {}
        for b in boxes:
            lines.setdefault(round(b.bottom), []).append(b)
        for line in lines.values():
            number = [b for b in line if b.left > float(width) - 80 and b.char in ".0123456789"]
            rest = [b for b in line if b not in number]
            if number and any("\u0600" <= b.char <= "\u06ff" for b in rest):
                inner.append(min(b.left for b in number))
                text_ends.append(max(b.right for b in rest))
    assert len(inner) >= 25
    assert max(inner) - min(inner) <= 0.3
    assert max(text_ends) - min(text_ends) <= 1.0
    assert max(text_ends) < min(inner)


def test_example_l13_numbered_countries(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L13-numbered-countries"]
    tail = _tail(pdf)
    assert tail.startswith("List of signatories 1. Union for Minority Rights, Estonia ")
    assert "4. Ilse Marrow, University of Eastmere, Argentina" in tail
    assert "7. Foundation for Fair Trials, Northern Region" in tail
    assert tail.endswith(f"41. Council for Legal Aid, Türkiye {NOTE}")
    assert "Signatories" not in pdf_text(pdf).replace("List of signatories", "")
    numbers = [int(n) for n in re.findall(r"(?:^| )(\d+)\. [A-Z]", tail)]
    assert numbers == list(range(1, 42))


def test_example_l17_russian_entries(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L17-russian-entries"]
    text = pdf_text(pdf)
    start = "расследовать его заявления о жестоком обращении."
    tail = " ".join(text[text.index(start) + len(start) :].split())
    tail = re.sub(r"Страница \d+ из \d+", "", tail).strip()
    entries = [
        "Анна Мирошина, директор Центра правовой поддержки «Вектор»",
        "Борис Ларионов, председатель Комитета защиты журналистов «Пресс-щит»",
        "Вера Гольцева, координатор Сети наблюдателей за судами",
        "Глеб Сорокин, юрист Бюро по правам человека «Статья»",
        "Дарья Кольцова, исполнительный директор Фонда открытого общества «Горизонт»",
        "Егор Пашутин, руководитель Клуба свободы слова",
        "Жанна Ремезова, член правления Ассоциации адвокатов «Защита»",
        "Ильдар Нуриев, эксперт Института прав человека «Меридиан»",
    ]
    assert tail == " ".join(entries)
    for absent in ("Подписавшие", "Signatories", "идентификации", "identification"):
        assert absent not in text


def test_a_bundle_with_a_signatory_block_matches_single_renders(tmp_path: Path) -> None:
    """Every letter of a bundle (some in French, sharing pages) is the letter
    rendered alone, with the block's heading in each letter's language."""
    from letterkit.bundle.build import build_bundle
    from letterkit.bundle.campaign import letter_for

    from .test_bundle import _campaign

    path = _campaign(tmp_path / "c", 8)
    spec = path.parent / "letter.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8")
        + "signatory_style: numbered\nsignatory_block:\n"
        + "  heading: {en: Signed by, fr: Signé par}\n  size: body\n"
        + '  entry: "{{ name }} ({{ acronym }})"\n',
        encoding="utf-8",
    )
    build_bundle(path, tmp_path / "out", jobs=1)
    campaign = letterkit.load_campaign(path)
    seen = set()
    for rid, name in campaign.filenames.items():
        pdf = (tmp_path / "out" / name).read_bytes()
        assert pdf == letterkit.render(letter_for(campaign, rid)), name
        text = pdf_text(pdf)
        seen.add("Signé par" in text)
        assert ("Signed by" in text) != ("Signé par" in text)
        assert "Signatories" not in text
        assert "Signataires" not in text
    assert seen == {True, False}


def test_a_heading_too_long_to_lay_out_is_named_at_its_key(tmp_path: Path) -> None:
    rows = [{"name": "Org A"}, {"name": "Org B"}]
    spec = _letter(tmp_path, rows, "{heading: " + "H" * 500 + "}")
    [problem] = letterkit.check(spec)
    assert problem.code == "LK150"
    assert problem.path.endswith("letter.yaml")
    assert problem.line == 9  # the signatory_block line, not the template
    assert "'signatory_block'" in problem.message
