"""Arabic letters read back from the PDF: brackets in the right place, bold runs
in the bold Naskh, harakat kept, digits per locale, indents mirrored, justified
lines. Positions come from the glyphs drawn (pypdfium2's character boxes)."""

from __future__ import annotations

import ctypes
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from pypdf import PdfReader

import letterkit

from .conftest import ROOT, page_texts, pdf_text
from .letters import body_letter
from .pdfcheck import Box, char_boxes

SHAPES = ROOT / "examples" / "shapes"
#: A4 with 25 mm margins: the text's left and right edges.
LEFT = 25 * 72 / 25.4
RIGHT = (210 - 25) * 72 / 25.4
HRW = "أصدرت منظمة Human Rights Watch (HRW) تقريرا عن الاحتجاز."
SYMBOL = "انظر الوثيقة A/HRC/40/60 (2019)."
HARAKAT = "بِسْمِ ٱللَّهِ، وَالسَّلَامُ عَلَيْكُمْ"
LONG = (
    "إن المدافعين عن حقوق الإنسان يؤدون عملًا لا غنى عنه لأي مجتمع، فهم يوثقون "
    "الانتهاكات، ويساعدون الضحايا على إسماع أصواتهم، ويذكرون أصحاب السلطة بالتعهدات "
    "التي قطعتها دولتهم على نفسها، ونحن على قناعة بأن الاحتجاز مرتبط بنشاطه."
)
ITEM = (
    "الإفراج الفوري وغير المشروط عن المدافع عن حقوق الإنسان وجميع المحتجزين معه "
    "بسبب نشاطهم السلمي في الدفاع عن الحقوق والحريات."
)


def _letter(tmp_path: Path, body: str, locale: str = "ar", **spec: str) -> Path:
    """An Arabic letter in *tmp_path* whose template body is *body*."""
    return body_letter(
        tmp_path, body, locale=locale,
        case="person: {name: تيمير, role: مدافع}\ncountry: KG\ndetained_on: 2010-06-15\n",
        date="2018-12-06", subject="الإفراج عن المدافعين",
        recipients="[{name: حكومة الجمهورية}]", page_numbers="always", **spec,
    )  # fmt: skip


def _boxes(pdf: bytes) -> list[Box]:
    return char_boxes(pdf, 1)[0][2]


def _line_of(boxes: list[Box], char: str, nth: int = 0) -> list[Box]:
    """The glyphs on the line of the *nth* glyph *char* (those that reach into
    its height), left to right."""
    mark = [b for b in boxes if b.char == char][nth]
    return sorted(
        (b for b in boxes if b.top > mark.bottom + 1 and b.bottom < mark.top - 1),
        key=lambda b: b.left,
    )


def _lines(pdf: bytes) -> list[list[Box]]:
    """The glyph boxes of page 1, one list a line, as pdfium's text page splits them."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    text = doc[0].get_textpage()
    lines: list[list[Box]] = [[]]
    for k in range(text.count_chars()):
        char = text.get_text_range(k, 1)
        if char == "\n":
            lines.append([])
        elif char.strip():
            lines[-1].append(Box(char, *text.get_charbox(k)))
    return [line for line in lines if line]


def _ascii(line: list[Box]) -> str:
    return "".join(b.char for b in line if b.char.isascii())


def _fonts(pdf: bytes) -> Iterator[tuple[str, str]]:
    """(character, font name) of each glyph of the first page."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    text = doc[0].get_textpage()
    for k in range(text.count_chars()):
        size = pdfium_raw.FPDFText_GetFontInfo(text, k, None, 0, None)
        name = ctypes.create_string_buffer(size)
        pdfium_raw.FPDFText_GetFontInfo(text, k, name, size, None)
        yield text.get_text_range(k, 1), name.value.decode()


def _shown_runs(pdf: bytes) -> list[str]:
    """The text of each text-showing operation of page 1, as drawn (left to right)."""
    runs: list[str] = []
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(
        visitor_text=lambda text, *_: runs.append(text.strip())
    )
    return runs


def test_brackets_and_symbols_print_in_order(tmp_path: Path) -> None:
    pdf = letterkit.render(_letter(tmp_path, f"{HRW}\n\n{SYMBOL}\n"))
    boxes = _boxes(pdf)
    # Order from the glyphs' positions. pdfium reports a bracket drawn in an
    # Arabic line as its mirror, so which bracket it is comes from the drawn text.
    hrw = _ascii(_line_of(boxes, "H"))
    assert re.sub("[()]", "|", hrw) == "HumanRightsWatch|HRW|"
    symbol = _line_of(boxes, "/")
    assert re.sub("[()]", "|", _ascii(symbol)) == ".A/HRC/40/60|2019|"
    assert symbol[0].char == "."  # the full stop ends the sentence, at the line's left
    runs = _shown_runs(pdf)
    assert "Human Rights Watch (HRW)" in runs
    assert "A/HRC/40/60 (2019)" in runs
    assert not any(")Human" in run or "(HRW" + "(" in run for run in runs)


def test_bold_and_bold_italic_arabic_use_the_bold_naskh(tmp_path: Path) -> None:
    body = "عادي **عريض** و***عريض مائل*** و*مائل*.\n"
    fonts = list(_fonts(letterkit.render(_letter(tmp_path, body))))
    arabic = [(c, f) for c, f in fonts if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"]
    bold = "".join(c for c, f in arabic if f.endswith("NotoNaskhArabic-Bold"))
    assert bold.count("عريض") == 2  # the bold and the bold italic run
    assert "مائل" in bold  # pdfium reads the Arabic back in logical order
    assert "عادي" not in bold
    regular = "".join(c for c, f in arabic if f.endswith("NotoNaskhArabic-Regular"))
    assert "عادي" in regular
    assert regular.count("مائل") == 1  # the italic run stays upright and regular


def test_harakat_are_kept(tmp_path: Path) -> None:
    pdf = letterkit.render(_letter(tmp_path, f"{HARAKAT}\n"))
    marks = [b for b in _boxes(pdf) if "\u064b" <= b.char <= "\u065f" or b.char == "\u0670"]
    assert sum(b.char == "\u0650" for b in marks) >= 3  # kasra
    assert sum(b.char == "\u0651" for b in marks) >= 2  # shadda
    assert any(b.char == "\u0652" for b in marks)  # sukun


@pytest.mark.parametrize(
    ("locale", "digits", "arabic"),
    [("ar", None, False), ("ar-EG", None, True), ("ar-SA", None, True),
     ("ar", "arab", True), ("ar-EG", "latn", False)],
)  # fmt: skip
def test_digits_follow_the_locale_or_the_spec(
    tmp_path: Path, locale: str, digits: str | None, arabic: bool
) -> None:
    body = "نص فيه رقم الوثيقة A/HRC/40/60.[^1]\n\n1. أول\n2. ثان\n\n[^1]: ملاحظة.\n"
    spec = {"digits": digits} if digits else {}
    text = " ".join(pdf_text(letterkit.render(_letter(tmp_path, body, locale, **spec))).split())
    assert "40/60" in text  # digits of the data stay as written
    outside_data = text.replace("A/HRC/40/60", "")
    arabic_indic = set("٠١٢٦٨") & set(outside_data)
    latin = set("0126") & set(outside_data)
    assert arabic_indic == (set("٠١٢٦٨") if arabic else set())  # date, page, note, list
    assert latin == (set() if arabic else set("0126"))


def test_digits_errors_are_reported_with_their_line(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "نص.\n", digits="hindi")
    problems = [str(p) for p in letterkit.check(spec)]
    assert any("[LK105] 'digits' must be one of latn, arab, not 'hindi'" in p for p in problems)
    assert any("letter.yaml:9:" in p for p in problems if "digits" in p)
    typo = tmp_path / "typo"
    typo.mkdir()
    spec = _letter(typo, "نص.\n", digts="arab")
    problems = [str(p) for p in letterkit.check(spec)]
    assert any("did you mean 'digits'" in p for p in problems)


def test_list_bullets_and_note_numbers_hang_at_the_right(tmp_path: Path) -> None:
    body = f"قائمة:\n\n- {ITEM}\n\n1. {ITEM}\n\nنص مع ملاحظة.[^1]\n\n[^1]: {ITEM} {ITEM}\n"
    boxes = _boxes(letterkit.render(_letter(tmp_path, body)))
    bullet = next(b for b in boxes if b.char == "•")
    assert bullet.right == pytest.approx(RIGHT - 3, abs=1.5)  # bulletIndent from the right
    first = [b for b in _line_of(boxes, "•") if b.char != "•"]
    below = [b for b in boxes if bullet.bottom - 20 < b.top < bullet.bottom - 2]
    assert max(b.right for b in first) == pytest.approx(RIGHT - 14, abs=1.5)  # text hangs
    assert max(b.right for b in below) == pytest.approx(RIGHT - 14, abs=1.5)
    assert max(b.right for b in below) < bullet.left  # not under the bullet
    note = [b for b in boxes if b.char == "١" and b.top < 150]
    assert not note  # Latin digits in ar: the note's number is "1"
    number = min((b for b in boxes if b.char == "1" and b.bottom > 50), key=lambda b: b.bottom)
    # the mirror of a left-to-right note: the number starts where it would end
    assert RIGHT - 4 < number.right <= RIGHT + 0.5
    lines = [b for b in boxes if b.top < number.top - 4 and b.char != "1"]
    assert max(b.right for b in lines) == pytest.approx(RIGHT - 12, abs=1.5)
    assert 4 < number.left - max(b.right for b in lines) < 8  # the label's gap


def test_signatory_entries_start_at_the_right_edge(tmp_path: Path) -> None:
    boxes = _boxes(letterkit.render(_letter(tmp_path, "نص.\n")))
    heading = max(b.right for b in _line_of(boxes, "ع", -1))  # "الموقعون" is the last ع
    names = [b for b in boxes if b.char.isascii() and b.char.isalpha()]
    assert max(b.right for b in names) == pytest.approx(heading, abs=1.5)


def test_justified_arabic_fills_the_lines_and_sets_the_last_at_the_right(
    tmp_path: Path,
) -> None:
    body = f"{LONG} {LONG} وشكرا لكم.\n"
    found = _lines(letterkit.render(_letter(tmp_path, body, justify="true")))
    first = next(i for i, line in enumerate(found) if len(line) > 60)
    end = next(i for i in range(first, len(found)) if len(found[i]) <= 60)
    lines = found[first : end + 1]  # the full lines, then the last one
    assert len(lines) >= 3
    for line in lines[:-1]:
        assert min(b.left for b in line) == pytest.approx(LEFT, abs=2)
        assert max(b.right for b in line) == pytest.approx(RIGHT, abs=2)
    last = lines[-1]
    assert max(b.right for b in last) == pytest.approx(RIGHT, abs=2)
    assert min(b.left for b in last) > LEFT + 20


def test_ragged_arabic_stays_ragged_left(tmp_path: Path) -> None:
    boxes = _boxes(letterkit.render(_letter(tmp_path, f"{LONG} {LONG}\n")))
    lefts = {round(min(b.left for b in _line_of(boxes, c))) for c in "ضت"}
    assert all(left > LEFT + 2 for left in lefts)


def test_annex_stamp_and_list_take_the_digits(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "askarov-eu-2018" / "chronology.pdf", tmp_path)
    spec = _letter(tmp_path, "نص.\n", "ar-EG", annexes="[{path: chronology.pdf, title: وثيقة}]")
    pages = page_texts(letterkit.render(spec))
    found = re.search(r"[\u0600-\u06ff\ufb50-\ufeff0-9\s–]+$", pages[-1])
    assert found is not None  # the stamp ends the annex page's text
    stamp = found.group()
    assert stamp.count("١") == 3  # annex 1, page 1 of 1
    assert not set("0123456789") & set(stamp)
    letter = pages[0]
    assert "١" in letter
