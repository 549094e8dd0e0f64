"""Arabic vowel marks drawn on their letters: at a word's end before punctuation
and at both edges of a bold run, where the text layer writes a mark as a
piece of its own. Positions come from the glyphs drawn (pypdfium2's
character boxes); the text read back stays in logical order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import letterkit

from .conftest import ROOT, pdf_text
from .pdfcheck import Box, char_boxes

SHAPES = ROOT / "examples" / "shapes"
#: One paragraph (one line) each, with the places a mark used to leave its letter.
LINES = [
    "إنّ **الإفراجَ الفوريَّ** عنه واجبٌ.",  # marks at a bold run's edges, before "."
    "كتبَ الولدُ درسَهُ.",  # two marks before "."
    "قالَ المديرُ، ثمّ ذهبَ.",  # a mark before "،"
    "انظرْ (القرارَ) اليومَ.",  # a mark before ")"
    "**كتبَ** الولدُ **درسَهُ**.",  # bold words ending in marks
]


def _is_mark(char: str) -> bool:
    return "\u064b" <= char <= "\u065f" or char == "\u0670"


def _letter(tmp_path: Path, body: str) -> Path:
    (tmp_path / "case.yaml").write_text(
        "person: {name: تيمير, role: مدافع}\ncountry: KG\ndetained_on: 2010-06-15\n",
        encoding="utf-8",
    )
    shutil.copy(SHAPES / "signatories-6.csv", tmp_path / "signatories.csv")
    (tmp_path / "body.md").write_text(body, encoding="utf-8")
    spec = [
        "template: body.md",
        "locale: ar",
        "date: 2018-12-06",
        "subject: اختبار",
        "recipients: [{name: حكومة الجمهورية}]",
        "case: case.yaml",
        "signatories: signatories.csv",
    ]
    (tmp_path / "letter.yaml").write_text("\n".join(spec) + "\n", encoding="utf-8")
    return tmp_path / "letter.yaml"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("harakat")
    return letterkit.render(_letter(folder, "\n\n".join(LINES) + "\n"))


def _lines(boxes: list[Box]) -> list[list[Box]]:
    """The page's glyphs grouped into lines (by their vertical middles)."""
    ordered = sorted(boxes, key=lambda b: -(b.bottom + b.top) / 2)
    lines: list[list[Box]] = []
    last = None
    for box in ordered:
        middle = (box.bottom + box.top) / 2
        if last is None or last - middle > 6:
            lines.append([])
        lines[-1].append(box)
        last = middle
    return lines


def _glyphs(line: list[Box]) -> list[Box]:
    """The line's glyphs that are not marks, from the right (reading order for
    Arabic); a ligature's letters share one box."""
    return sorted((b for b in line if not _is_mark(b.char)), key=lambda b: -b.right)


def _expected(text: str) -> tuple[str, list[tuple[str, int]]]:
    """A line's glyph characters from the right (marks and spaces left out,
    brackets mirrored) and each mark with the index of its letter among them."""
    plain = text.replace("*", "").replace(" ", "")
    plain = plain.translate(str.maketrans("()", ")("))
    letters: list[str] = []
    marks: list[tuple[str, int]] = []
    for char in plain:
        if _is_mark(char):
            marks.append((char, len(letters) - 1))
        else:
            letters.append(char)
    return "".join(letters), marks


def _find_line(lines: list[list[Box]], letters: str) -> list[Box]:
    for line in lines:
        shown = [b.char for b in _glyphs(line)]
        if sorted(shown) == sorted(letters) and len(shown) == len(letters):
            return line
    raise AssertionError(f"no line shows {letters!r}")


def _overlap(a: Box, b: Box) -> float:
    return min(a.right, b.right) - max(a.left, b.left)


def _same(a: Box, b: Box) -> bool:
    return (a.left, a.right, a.bottom, a.top) == (b.left, b.right, b.bottom, b.top)


@pytest.mark.parametrize(
    "text", LINES, ids=["bold-run-and-stop", "stop", "comma", "bracket", "bold-words"]
)
def test_each_mark_is_drawn_on_its_letter(pdf: bytes, text: str) -> None:
    letters, marks = _expected(text)
    line = _find_line(_lines(char_boxes(pdf, 1)[0][2]), letters)
    glyphs = _glyphs(line)
    drawn = [b for b in line if _is_mark(b.char)]
    assert sorted(b.char for b in drawn) == sorted(m for m, _ in marks)
    for char, index in marks:
        base = glyphs[index]
        assert base.char in letters
        # The mark drawn over this letter: the one of its kind that covers it most.
        over = max((b for b in drawn if b.char == char), key=lambda b: _overlap(b, base))
        assert _overlap(over, base) > 0.3 * (over.right - over.left), (text, char, base)
        # ... and no other glyph of the line lies more under it.
        under = max(glyphs, key=lambda b: _overlap(over, b))
        assert _same(under, base), (text, char, base, under)
        drawn.remove(over)
    assert not drawn


def test_marks_are_all_present_and_read_back_in_order(pdf: bytes) -> None:
    # Brackets are left out: pypdf reads a right-to-left line's brackets
    # turned around, marks or not.
    text = " ".join(pdf_text(pdf).split()).translate(str.maketrans("", "", "()"))
    for line in LINES:
        assert line.translate(str.maketrans("", "", "*()")) in text
    boxes = char_boxes(pdf, 1)[0][2]
    expected = sum(_is_mark(c) for line in LINES for c in line)
    assert sum(_is_mark(b.char) for b in boxes) == expected
