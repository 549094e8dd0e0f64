"""The ends of a signatory list split into organisations and individuals, read
back from the rendered letters: the identification note stands on the page of
the last entries (never on a page of its own), and every page the list
continues on opens with the list's heading and its localized "(continued)",
before the group's sub-heading. Each case is swept over the number of
organisations, so the individuals' group meets the page foot at every height.
"""

from __future__ import annotations

import io
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

import letterkit
from letterkit.model import Signatory, SignatoryBlock

from .conftest import EXAMPLE

#: spec, the list heading, its "(continued)" form, the sub-headings, the note.
CASES = {
    "en": (
        EXAMPLE / "letter.yaml",
        "Signatories",
        "Signatories (continued)",
        ("Organisations", "Individuals"),
        "Affiliations are given for identification purposes only.",
    ),
    "ru": (
        EXAMPLE / "letter.ru.yaml",
        "Подписавшие",
        "Подписавшие (продолжение)",
        ("Организации", "Частные лица"),
        "Места работы указаны только для идентификации.",
    ),
    "ar": (
        EXAMPLE / "appeal.ar.yaml",
        "الموقعون",
        "الموقعون (تابع)",
        ("المنظمات", "الأفراد"),
        "الانتماءات المؤسسية مذكورة لأغراض التعريف فقط.",
    ),
}
#: Organisations in the swept letters: the individuals start on every part of a page.
SWEEP = range(0, 64, 1)


def _letter(spec: Path, organisations: int, individuals: int) -> letterkit.Letter:
    people = [
        Signatory(name=f"Organisation {n:02d} for human rights", type="organization")
        for n in range(organisations)
    ]
    people += [
        Signatory(f"Person {n:02d}", "individual", title="Professor", affiliation=f"Uni {n:02d}")
        for n in range(individuals)
    ]
    return replace(
        letterkit.load_letter(spec), signatories=tuple(people), expected_signatories=None,
        signatory_block=SignatoryBlock(split="types"), signatory_style="columns",
    )  # fmt: skip


def _normal(line: str) -> str:
    """A line as compared: trimmed, its brackets as written (a right-to-left
    line's text comes back with them mirrored)."""
    line = line.strip()
    if ")" in line and line.index(")") < line.rfind("("):
        line = line.translate(str.maketrans("()", ")("))
    return line


@cache
def _pages(case: str, organisations: int, individuals: int) -> list[list[str]]:
    """The lines of each of the letter's own pages."""
    result = letterkit.build(_letter(CASES[case][0], organisations, individuals))
    pages = PdfReader(io.BytesIO(result.pdf)).pages[: result.letter_pages]
    return [
        [_normal(ln) for ln in (p.extract_text() or "").splitlines() if ln.strip()] for p in pages
    ]


def _entry(line: str) -> bool:
    return line.startswith(("Organisation ", "Person ", "Uni ", "Professor"))


def _check(case: str, organisations: int, individuals: int) -> None:
    _, heading, continued, subheadings, note = CASES[case]
    pages = _pages(case, organisations, individuals)
    with_entries = [i for i, lines in enumerate(pages) if any(_entry(ln) for ln in lines)]
    with_note = [i for i, lines in enumerate(pages) if note in lines]
    where = f"{case}, {organisations} organisations, {individuals} individuals"
    # The note: once, under the last entry, on the page of the last entries.
    assert len(with_note) == 1, where
    assert with_note[0] == with_entries[-1], where
    last = pages[with_note[0]]
    assert max(k for k, ln in enumerate(last) if _entry(ln)) < last.index(note), where
    # The heading on the list's first page; "(continued)" first on every later one.
    first = next(i for i, lines in enumerate(pages) if heading in lines)
    assert first == with_entries[0], where
    assert continued not in pages[first], where
    for i in with_entries[1:]:
        lines = pages[i]
        assert lines.count(continued) == 1, (where, i)
        assert heading not in lines, (where, i)
        top = lines.index(continued)
        later = [k for k, ln in enumerate(lines) if _entry(ln) or ln in subheadings]
        assert top < min(later), (where, i)
    # Every signatory once, in order.
    names = [ln for lines in pages for ln in lines if ln.startswith(("Organisation ", "Person "))]
    assert len(names) == organisations + individuals, where
    assert names == sorted(names, key=lambda n: (n.startswith("Person"), n)), where


#: Organisations where the lists meet a page end in today's letters (a quick run).
QUICK = [
    ("en", 6, range(20, 40)),
    ("en", 14, range(5, 25)),
    ("ru", 6, range(0, 20)),
    ("ru", 14, range(10, 30)),
    ("ar", 12, range(52, 64)),
]


@pytest.mark.parametrize(("case", "individuals", "sweep"), QUICK, ids=lambda v: str(v))
def test_the_list_ends_with_its_note_and_continues_under_its_heading(
    case: str, individuals: int, sweep: range
) -> None:
    for organisations in sweep:
        _check(case, organisations, individuals)


@pytest.mark.slow
@pytest.mark.parametrize(("case", "individuals"), [(c, n) for c in CASES for n in (4, 6, 14)])
def test_every_length_of_list_ends_and_continues_so(case: str, individuals: int) -> None:
    for organisations in SWEEP:
        _check(case, organisations, individuals)


@pytest.mark.slow
def test_the_sweep_meets_both_page_ends() -> None:
    """The swept letters hold the cases the rules are about: the individuals'
    group beginning a page, and the list's last page holding a few entries with
    the note (before: the note alone)."""
    starts = ends = 0
    for organisations in SWEEP:
        pages = _pages("en", organisations, 6)
        for lines in pages[1:]:
            entries = [ln for ln in lines if _entry(ln)]
            starts += bool(entries) and entries[0] == "Person 00"
        last = [ln for ln in pages[-1] if _entry(ln)]
        ends += 0 < len(last) <= 12
    assert starts
    assert ends
