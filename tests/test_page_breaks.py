"""Page breaks, measured on the rendered letters: no gap inside a paragraph, a
paragraph that runs over fills its page down to the notes, no page that
begins with the closing, no runt last page, a list that runs over repeats its
heading with "(continued)", and the annex list between the closing and the
signatories."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from unittest import mock

import pypdfium2 as pdfium
import pytest

import letterkit
from letterkit import pipeline
from letterkit.model import Signatory
from letterkit.text.merge import merge
from letterkit.typeset.notes import MIN_NOTE_PART, RULE_GAP
from letterkit.typeset.styles import page_for

from .conftest import EXAMPLE, EXAMPLES, page_texts

NOTE_LEADING = 11.0  # the notes' 8.5/11 pt

SPECS = sorted(
    [
        *EXAMPLE.glob("appeal.*.yaml"),
        EXAMPLE / "letter.yaml",
        EXAMPLE / "letter.ru.yaml",
        *(EXAMPLES / "shapes").glob("L*.yaml"),
    ]
)


@dataclass
class Line:
    """A run of text on one line of a page (both columns of a list are one line)."""

    text: str
    left: float
    bottom: float
    top: float
    sizes: list[float] = field(default_factory=list)

    @property
    def size(self) -> float:
        """The line's height as the font gives it (the loose box of its largest glyphs)."""
        return max(self.sizes)


def page_lines(pdf: bytes, pages: int) -> list[list[Line]]:
    """Each of the first *pages* pages as lines, top to bottom. A glyph belongs to the
    line whose box holds its middle, the largest glyphs placed first (a raised
    note number joins its line)."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    out: list[list[Line]] = []
    try:
        for i in range(pages):
            text = doc[i].get_textpage()
            glyphs = []
            for k in range(text.count_chars()):
                char = text.get_text_range(k, 1)
                left, bottom, _, top = text.get_charbox(k, loose=True)
                glyphs.append((k, char, left, bottom, top))
            lines: list[Line] = []
            members: dict[int, list[tuple[int, str]]] = {}
            for k, char, left, bottom, top in sorted(glyphs, key=lambda g: (g[3] - g[4], -g[4])):
                middle = (bottom + top) / 2
                home = next((ln for ln in lines if ln.bottom <= middle <= ln.top), None)
                if home is None:
                    home = Line("", left, bottom, top)
                    lines.append(home)
                home.sizes.append(top - bottom)
                home.left = min(home.left, left)
                members.setdefault(id(home), []).append((k, char))
            for ln in lines:  # in the order the page draws them
                ln.text = "".join(c for _, c in sorted(members[id(ln)]))
            out.append(sorted(lines, key=lambda ln: -ln.top))
    finally:
        doc.close()
    for lines in out:
        for ln in lines:
            ln.text = " ".join(ln.text.split())
    return [[ln for ln in lines if ln.text] for lines in out]


@dataclass
class Rendered:
    pdf: bytes
    letter_pages: int
    closing: str
    lines: list[list[Line]]
    frame_top: float
    frame_bottom: float


_CACHE: dict[str, Rendered] = {}


def rendered(spec: Path | letterkit.Letter, key: str | None = None) -> Rendered:
    """A letter built, with its closing's text and its own pages' lines."""
    name = key or str(spec)
    if name in _CACHE:
        return _CACHE[name]
    letter = spec if isinstance(spec, letterkit.Letter) else letterkit.load_letter(spec)
    closings: list[str] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        merged = merge(*args, **kwargs)
        closings.append(merged.closing)
        return merged

    with mock.patch.object(pipeline, "merge", spy):
        result = letterkit.build(letter)
    page = page_for(letter.paper)
    lines = page_lines(result.pdf, result.letter_pages)
    closing = " ".join(closings[-1].split()) if closings else ""
    _CACHE[name] = Rendered(
        result.pdf, result.letter_pages, closing, lines, page.height - page.top, page.bottom
    )
    return _CACHE[name]


def body_lines(r: Rendered, index: int) -> list[Line]:
    """The lines of a page inside its text frame (no running head, no footer)."""
    return [
        ln for ln in r.lines[index] if ln.top <= r.frame_top + 1 and ln.bottom >= r.frame_bottom - 1
    ]


def leading(r: Rendered) -> float:
    """The body's line spacing: the most common distance between line bottoms."""
    gaps: dict[float, int] = {}
    for i in range(r.letter_pages):
        lines = body_lines(r, i)
        for a, b in itertools.pairwise(lines):
            gap = round(a.bottom - b.bottom, 1)
            # (entries of side-by-side columns that wrap differently stand a few
            # points apart: no leading is that small)
            if abs(a.size - b.size) < 0.5 and gap > 8:
                gaps[gap] = gaps.get(gap, 0) + 1
    return max(gaps, key=lambda g: gaps[g])


def body_size(r: Rendered) -> float:
    """The body text's line height: the most common one."""
    count: dict[float, int] = {}
    for lines in r.lines:
        for ln in lines:
            count[round(ln.size, 1)] = count.get(round(ln.size, 1), 0) + 1
    return max(count, key=lambda s: count[s])


def _continues(line: Line) -> bool:
    """Whether a line reads as the middle of a sentence (it begins in lower case)."""
    first = line.text[0]
    return first.isalpha() and first.islower()


@pytest.mark.slow
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_no_gap_inside_a_paragraph(spec: Path) -> None:
    """A line that continues a sentence sits one leading under the line before, or
    tops its page; the line before a page turn inside a paragraph sits at the
    page's floor (above the notes)."""
    r = rendered(spec)
    lead = leading(r)
    size = body_size(r)
    for i in range(r.letter_pages):
        lines = body_lines(r, i)
        for a, b in itertools.pairwise(lines):
            same = abs(a.size - size) < 0.5 and abs(b.size - size) < 0.5
            if same and _continues(b) and b.left >= a.left - 1:
                assert a.bottom - b.bottom <= lead + 1, (i + 1, a.text, b.text)
        if i + 1 < r.letter_pages:
            after = body_lines(r, i + 1)
            body = [ln for ln in lines if abs(ln.size - after[0].size) < 0.5] if after else []
            if after and body and _continues(after[0]):
                notes = [ln for ln in lines if ln.bottom < body[-1].bottom]
                floor = notes[0].top if notes else r.frame_bottom
                slack = 3 * lead  # two lines kept from a widow, and rounding
                if not notes and _calls_a_note(after[:2], size):
                    # the lines that went over need their note here: a rule and
                    # its first lines, which did not fit
                    slack += RULE_GAP + MIN_NOTE_PART * NOTE_LEADING + 2
                assert body[-1].bottom - floor <= slack, (i + 1, body[-1].text)


def _calls_a_note(lines: list[Line], size: float) -> bool:
    """Whether *lines* hold a note's number (a raised figure about 65 % of *size*)."""
    return any(0 < s < 0.8 * size for ln in lines for s in ln.sizes)


@pytest.mark.slow
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_no_page_begins_with_the_closing(spec: Path) -> None:
    """The closing has body text above it on its page, and is not the page's last line."""
    r = rendered(spec)
    if not r.closing:
        return
    for i in range(r.letter_pages):
        lines = body_lines(r, i)
        at = [k for k, ln in enumerate(lines) if ln.text == r.closing]
        for k in at:
            assert k >= 1, f"page {i + 1} begins with the closing"
            assert k + 1 < len(lines), f"the closing ends page {i + 1}"


@pytest.mark.slow
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_no_runt_last_page(spec: Path) -> None:
    """A last page that holds no closing (the tail of a list, say) fills at least a
    fifth of its frame."""
    r = rendered(spec)
    if r.letter_pages < 2:
        return
    last = body_lines(r, r.letter_pages - 1)
    if any(ln.text == r.closing for ln in last) or not last:
        return
    filled = last[0].top - last[-1].bottom
    assert filled > 0.2 * (r.frame_top - r.frame_bottom), [ln.text for ln in last]


def test_french_and_spanish_appeals_split_their_noted_paragraph_cleanly() -> None:
    """The paragraph with the first note: its lines on page 1 evenly spaced down to
    the page's foot, the rest (the line with the note's number) at the top of page
    2 with the note under it, never back on page 1 under a gap."""
    for name, start, end in (
        ("fr", "Les défenseurs des droits humains", "représailles.1"),
        ("es", "Las personas defensoras de derechos", "represalias.1"),
    ):
        r = rendered(EXAMPLE / f"appeal.{name}.yaml")
        one = [ln.text for ln in body_lines(r, 0)]
        first = next(k for k, t in enumerate(one) if t.startswith(start))
        assert not any(t.endswith(end) for t in one)
        bottoms = [ln.bottom for ln in body_lines(r, 0)[first:]]
        gaps = {round(a - b, 1) for a, b in itertools.pairwise(bottoms)}
        assert len(gaps) == 1, gaps  # evenly spaced: no gap inside
        two = [ln.text for ln in body_lines(r, 1)]
        assert next(k for k, t in enumerate(two) if t.endswith(end)) <= 1
        assert any(ln.text.startswith("1 ") for ln in r.lines[1])  # the note, under it


def _many(letter: letterkit.Letter, count: int) -> letterkit.Letter:
    people = tuple(
        Signatory(name=f"Organisation number {n:03d} for human rights", type="organization")
        for n in range(count)
    )
    return replace(letter, signatories=people, expected_signatories=None)


@pytest.mark.parametrize(
    ("spec", "heading", "continued"),
    [
        (EXAMPLE / "letter.yaml", "Signatories", "Signatories (continued)"),
        (EXAMPLE / "letter.ru.yaml", "Подписавшие", "Подписавшие (продолжение)"),
    ],
    ids=["en", "ru"],
)
def test_a_long_list_repeats_its_heading(spec: Path, heading: str, continued: str) -> None:
    letter = _many(letterkit.load_letter(spec), 260)
    r = rendered(letter, key=f"{spec}-260")
    assert r.letter_pages >= 4
    shown = [[ln.text for ln in body_lines(r, i)] for i in range(r.letter_pages)]
    first = next(i for i, texts in enumerate(shown) if heading in texts)
    assert continued not in shown[first]
    for texts in shown[first + 1 :]:
        assert texts[0] == continued
        assert texts.count(continued) == 1
        assert heading not in texts


def test_the_annex_list_follows_the_closing() -> None:
    """Closing, annex list, then the signatories' heading (English and Russian)."""
    for spec, annex, heading in (
        (EXAMPLE / "letter.yaml", "Annex", "Signatories"),
        (EXAMPLE / "letter.ru.yaml", "Приложение", "Подписавшие"),
    ):
        r = rendered(spec)
        texts = [ln.text for i in range(r.letter_pages) for ln in body_lines(r, i)]
        at = texts.index(r.closing)
        assert texts[at + 1] == annex
        assert texts[at + 2].startswith("1. ")
        assert texts[at + 3] == heading
        assert annex not in texts[at + 4 :]


def test_text_is_all_there() -> None:
    """Nothing is lost in the moves: every signatory of the long list prints once."""
    letter = _many(letterkit.load_letter(EXAMPLE / "letter.yaml"), 260)
    r = rendered(letter, key=f"{EXAMPLE / 'letter.yaml'}-260")
    text = "\n".join(page_texts(r.pdf))
    for n in range(260):
        assert text.count(f"Organisation number {n:03d} for human rights") == 1
