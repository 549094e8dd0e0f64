"""Footnotes at the foot of the page that references them."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from pypdf import PdfReader

import letterkit

from .conftest import ROOT, pdf_text
from .pdfcheck import char_boxes, overlaps

SHAPES = ROOT / "examples" / "shapes"

PARAGRAPH = (
    "Paragraph {n} is made-up text of ordinary length that stands for an argument of the "
    "letter. It goes on for a few lines so that the pages fill at a natural pace and the "
    "notes fall where they would in a real letter, some near the top of a page and some "
    "near its foot.[^{n}] It then ends with two more sentences of the same kind, which "
    "make the paragraph long enough to be a real one. Nothing in it refers to a real case."
)
NOTE = (
    "Note {n} text. «Источник №{n}: доклад о положении правозащитников», "
    "<https://reports.example.org/central-asia/{n}/2019/annual-report-on-the-situation-of-"
    "civil-society/full_text_with_annexes.pdf?lang=ru&part={n}>."
)


def _letter(tmp_path: Path, body: str) -> Path:
    shutil.copy(SHAPES / "case.yaml", tmp_path / "case.yaml")
    (tmp_path / "body.md").write_text(body, encoding="utf-8")
    (tmp_path / "letter.yaml").write_text(
        "template: body.md\nlocale: en-GB\ndate: 2019-06-19\nsubject: Notes\n"
        "recipients: [{name: Frederike Example, title: High Representative}]\n"
        "case: case.yaml\nsignatories: [{name: Example Coalition}]\n",
        encoding="utf-8",
    )
    return tmp_path / "letter.yaml"


def _links(reader: PdfReader) -> list[tuple[int, int]]:
    """(page of the reference, page of the note) for each note link, in order.

    Each note in these letters is referenced once, so the n-th link is note n.
    """
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    found: list[tuple[int, int]] = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []):
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                found.append((index, pages[dest[0].idnum]))
    return found


def test_twelve_notes_at_the_foot_of_their_pages(tmp_path: Path) -> None:
    body = "\n\n".join(PARAGRAPH.format(n=n) for n in range(1, 13))
    body += "\n\n" + "\n".join(f"[^{n}]: " + NOTE.format(n=n) for n in range(1, 13)) + "\n"
    pdf = letterkit.render(_letter(tmp_path, body))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    links = _links(reader)
    assert len(links) == 12
    assert all(ref == note for ref, note in links), "a note is not on the page of its reference"
    refs = {n: ref for n, (ref, _) in enumerate(links, start=1)}
    assert len(set(refs.values())) >= 2
    for index, page in enumerate(reader.pages):
        text = " ".join(page.extract_text().split())
        numbers = [n for n, p in refs.items() if p == index]
        if not numbers:
            continue
        positions = [text.index(f"Note {n} text.") for n in numbers]
        assert positions == sorted(positions), "notes out of order"
        last_paragraph = max(text.rfind(f"Paragraph {n} is") for n in range(1, 13))
        assert all(p > last_paragraph for p in positions), "a note above the body text"
        assert "Источник №" in text
    for _, _, boxes in char_boxes(pdf):
        assert not overlaps(boxes)


def _long_note_body(sentences: int, citing: str) -> str:
    """Five paragraphs, then *citing* with a note of *sentences* numbered sentences."""
    filler = "\n\n".join(PARAGRAPH.format(n=n).replace(f"[^{n}]", "") for n in range(1, 6))
    note = " ".join(f"Sentence {i} of the long note." for i in range(1, sentences + 1))
    return f"{filler}\n\n{citing}[^1]\n\n[^1]: {note}\n"


def test_a_long_note_continues_on_the_next_page(tmp_path: Path) -> None:
    body = _long_note_body(159, "The paragraph that cites the long note.")
    pdf = letterkit.render(_letter(tmp_path, body))
    reader = PdfReader(io.BytesIO(pdf))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    [(start, note_page)] = _links(reader)
    assert note_page == start
    assert "Sentence 1 of the long note." in pages[start]
    assert "Sentence 159 of the long note." not in pages[start]
    assert "Sentence 159 of the long note." in pages[start + 1]
    whole = " ".join(pages)
    numbers = [int(n) for n in re.findall(r"Sentence (\d+) of", whole)]
    assert numbers == list(range(1, 160)), "the note lost or reordered text across pages"
    for _, _, boxes in char_boxes(pdf):
        assert not overlaps(boxes)


def test_a_long_note_on_the_last_page_runs_onto_a_page_of_its_own(tmp_path: Path) -> None:
    body = _long_note_body(259, "The last paragraph cites the long note.")
    pdf = letterkit.render(_letter(tmp_path, body))
    reader = PdfReader(io.BytesIO(pdf))
    whole = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    numbers = [int(n) for n in re.findall(r"Sentence (\d+) of", whole)]
    assert numbers == list(range(1, 260))
    assert "Example Coalition" in whole
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in whole
    for _, _, boxes in char_boxes(pdf):
        assert not overlaps(boxes)


def test_a_note_longer_than_four_pages_is_an_error(tmp_path: Path) -> None:
    long_note = " ".join(f"Sentence {i} of the endless note." for i in range(1, 3000))
    body = f"The only paragraph.[^1]\n\n[^1]: {long_note}\n"
    problems = letterkit.check(_letter(tmp_path, body))
    assert [p.code for p in problems] == ["LK150"]
    assert "footnote" in problems[0].message


def test_a_long_note_whose_reference_ends_a_split_paragraph(tmp_path: Path) -> None:
    """This test ensures that a paragraph split at the page foot, whose second
    part holds the reference to a note longer than the room left, keeps its
    note's first lines on that page and runs the rest over (no false LK150),
    whatever the exact length of the note."""
    line = "This paragraph stands for the body of a real letter, made-up text of ordinary length. "
    note = "A very long note that goes on and on, with more words to run over the page foot and onto the next page. "
    (tmp_path / "letter.yaml").write_text(
        "template: body.md\ndate: 2019-03-04\nsubject: Release\n"
        "case: {person: {name: A B}, country: KG}\n"
        "recipients: [{name: Person 1, address: [L0]}]\n"
        "signatories: [{name: Org One}, {name: Org Two}]\n",
        encoding="utf-8",
    )
    for repeat in range(36, 52):
        (tmp_path / "body.md").write_text(
            f"Opening paragraph. {line * 2}\n\nParagraph 2. {line * 4}[^1]\n\n"
            f"Paragraph 3. {line * 4}\n\n[^1]: {note * repeat}The end of the note.\n",
            encoding="utf-8",
        )
        whole = " ".join(pdf_text(letterkit.render(tmp_path / "letter.yaml")).split())
        assert "The end of the note." in whole, repeat
        assert "Paragraph 3." in whole, repeat
