"""Tagged layouts: every mark a letter page draws is in marked content, and the
parts' :class:`~letterkit.typeset.tags.Tags` hold the letter's structure.

Each example is built with ``archive: pdfa``; the own part and the shared
part the layout made (``LaidOut.pdf``, ``Shared.pdf``) are read back with
pikepdf and their content streams walked operator by operator.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

import letterkit
from letterkit import pipeline
from letterkit.typeset.document import LaidOut
from letterkit.typeset.tags import Element, LinkMark, Mark, Tags

from .conftest import EXAMPLE, EXAMPLES

SHAPES = EXAMPLES / "shapes"
#: Operators that leave marks on the page.
PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "BI"}

LETTERS = {
    "askarov": EXAMPLE / "letter.yaml",
    "askarov-ar": EXAMPLE / "appeal.ar.yaml",
    "footnotes-lists": SHAPES / "L1-lead-list.yaml",
    "table-image": SHAPES / "L19-table-image.yaml",
    "numbered": SHAPES / "L8-numbered.yaml",
    "signatures": SHAPES / "L18-coalition.yaml",
    "council": SHAPES / "L12-council-candidates.yaml",
    "groups": SHAPES / "L7-un-council.yaml",
}


def _laid(path: Path, monkeypatch: pytest.MonkeyPatch, archive: str | None = "pdfa") -> LaidOut:
    """The layout of the letter at *path* as the pipeline hands it to assembly."""
    seen: list[LaidOut] = []
    assemble = pipeline.assemble

    def spy(letter: letterkit.Letter, laid: LaidOut, *args: object, **kwargs: object) -> bytes:
        seen.append(laid)
        return assemble(letter, laid, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "assemble", spy)
    letter = dataclasses.replace(letterkit.load_letter(path), archive=archive)
    letterkit.build(letter)
    return seen[-1]


def _parts(laid: LaidOut) -> Iterator[tuple[str, bytes, Tags]]:
    assert laid.tags is not None
    yield "own", laid.pdf, laid.tags
    if laid.shared is not None:
        assert laid.shared.tags is not None
        yield "shared", laid.shared.pdf, laid.shared.tags


def _walk(elements: list[Element]) -> Iterator[Element]:
    for e in elements:
        yield e
        yield from _walk([k for k in e.kids if isinstance(k, Element)])


def _marks(elements: list[Element]) -> list[Mark]:
    return [k for e in _walk(elements) for k in e.kids if isinstance(k, Mark)]


def _page_mcids(pdf: bytes) -> list[list[int]]:
    """Each page's MCIDs in stream order, after checking that every painting
    operator is inside marked content and that marked content nests (with
    q/Q and BT/ET: a sequence begun in a text object ends in it)."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            stack: list[bool] = []  # for each open sequence: begun inside BT
            in_text = False
            mcids: list[int] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    mcid = operands[1].get("/MCID") if op == "BDC" else None
                    if mcid is not None:
                        mcids.append(int(mcid))
                    else:  # an artifact, or a language span inside a sequence
                        assert op == "BMC" or stack, f"page {number}: {operands[0]} on its own"
                    stack.append(in_text)
                elif op == "EMC":
                    assert stack, f"page {number}: EMC without BDC"
                    assert stack.pop() == in_text, f"page {number}: a sequence crosses BT/ET"
                elif op == "BT":
                    in_text = True
                elif op == "ET":
                    assert not (stack and stack[-1]), f"page {number}: ET inside a sequence"
                    in_text = False
                elif op in PAINT:
                    assert stack, f"page {number}: {op} outside marked content"
            assert not stack, f"page {number}: marked content left open"
            found.append(mcids)
    return found


def _tags_in_stream(pdf: bytes) -> dict[tuple[int, int], str]:
    """The tag each (page, MCID) is opened with in the content streams."""
    found = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "BDC" and operands[1].get("/MCID") is not None:
                    found[(number, int(operands[1].MCID))] = str(operands[0])
    return found


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_every_mark_is_marked_content_and_mcids_match_tags(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    laid = _laid(LETTERS[name], monkeypatch)
    for part, pdf, tags in _parts(laid):
        pages = _page_mcids(pdf)
        assert len(tags.mcids) == len(pages), part
        for number, mcids in enumerate(pages):
            assert mcids == list(range(tags.mcids[number])), (part, number)
        marks = _marks(tags.elements)
        assert len(marks) == len(set(marks)), f"{part}: a sequence filed twice"
        assert sorted((m.page, m.mcid) for m in marks) == [
            (p, n) for p, count in enumerate(tags.mcids) for n in range(count)
        ], f"{part}: a sequence no element holds"


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_headings_do_not_skip_a_level(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    laid = _laid(LETTERS[name], monkeypatch)
    roles = [e.role for _, _, tags in _parts(laid) for e in _walk(tags.elements)]
    levels = [int(r[1:]) for r in roles if len(r) == 2 and r[0] == "H" and r[1].isdigit()]
    assert levels, "no heading"
    assert levels[0] == 1, roles
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def test_each_note_follows_its_reference_with_an_id_unique_in_the_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laid = _laid(LETTERS["askarov"], monkeypatch)
    idents = []
    raised: list[Mark] = []
    for _, _, tags in _parts(laid):
        for e in _walk(tags.elements):
            kids = [k for k in e.kids if isinstance(k, Element)]
            for i, kid in enumerate(kids):
                if kid.role == "Note":
                    assert i > 0, e.role
                    assert kids[i - 1].role == "Reference", e.role
                    assert any(isinstance(m, Mark) for m in kid.kids), kid.ident
                    idents.append(kid.ident)
                if kid.role == "Reference":
                    link = kid.kids[0]
                    assert isinstance(link, Element)
                    assert link.role == "Link"
                    number = [m for m in link.kids if isinstance(m, Mark)]
                    assert len(number) == 1  # the raised note number, its own sequence
                    assert isinstance(link.kids[-1], LinkMark)
                    raised.append(number[0])
    assert laid.shared is not None
    tagged = _tags_in_stream(laid.shared.pdf)
    assert [tagged[(m.page, m.mcid)] for m in raised] == ["/Reference"] * 3
    assert idents == ["en-GB-note-1", "en-GB-note-2", "en-GB-note-3"]


def _signatory_items(tags: Tags) -> list[Element]:
    """The LIs of the signatory list (the last list of the part), groups opened."""
    lists = [e for e in tags.elements if e.role == "L"]
    items = []
    for li in lists[-1].kids:
        assert isinstance(li, Element)
        assert li.role == "LI"
        nested = [k for b in li.kids if isinstance(b, Element) for k in b.kids]
        inner = [k for k in nested if isinstance(k, Element) and k.role == "L"]
        if inner:  # a group: its heading is the item's label
            assert isinstance(li.kids[0], Element)
            assert li.kids[0].role == "Lbl"
            items += [k for k in inner[0].kids if isinstance(k, Element)]
        else:
            items.append(li)
    return items


@pytest.mark.parametrize("name", ["askarov", "signatures", "numbered", "groups"])
def test_each_signatory_is_one_list_item(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    laid = _laid(LETTERS[name], monkeypatch)
    assert laid.shared is not None
    assert laid.shared.tags is not None
    items = _signatory_items(laid.shared.tags)
    assert len(items) == len(letterkit.load_letter(LETTERS[name]).signatories)
    assert all(any(isinstance(k, Element) and k.role == "LBody" for k in li.kids) for li in items)


def test_a_body_list_item_has_its_bullet_as_label_and_its_text_as_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laid = _laid(LETTERS["askarov"], monkeypatch)
    assert laid.shared is not None
    assert laid.shared.tags is not None
    lists = [e for e in laid.shared.tags.elements if e.role == "L"]
    items = [li for li in lists[0].kids if isinstance(li, Element)]
    assert len(items) == 4
    for li in items:
        assert [k.role for k in li.kids if isinstance(k, Element)] == ["Lbl", "LBody"]


def test_a_right_to_left_body_list_is_a_list_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that the Arabic appeal's bulleted body lists (their items
    drawn with the bullet at the right) are L and LI, as left to right."""
    laid = _laid(LETTERS["askarov-ar"], monkeypatch)
    assert laid.shared is not None
    assert laid.shared.tags is not None
    lists = [e for e in laid.shared.tags.elements if e.role == "L"]
    items = [li for li in lists[0].kids if isinstance(li, Element)]
    assert len(items) == 7  # the case's chronology
    assert all(li.role == "LI" for li in items)
    assert all(any(k.role == "LBody" for k in li.kids if isinstance(k, Element)) for li in items)


@pytest.mark.parametrize(
    "path",
    # (a letter in several languages: test_each_language_part_of_a_letter_has_its_tags)
    sorted(
        p
        for p in EXAMPLES.glob("*/*.yaml")
        if p.stem not in ("case", "campaign", "L13b-english-turkish")
    ),
    ids=lambda p: p.stem,
)
def test_every_example_is_marked_throughout(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    laid = _laid(path, monkeypatch)
    for part, pdf, tags in _parts(laid):
        assert [len(m) for m in _page_mcids(pdf)] == tags.mcids, part


def test_signature_images_and_logos_are_figures_with_alt_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laid = _laid(LETTERS["signatures"], monkeypatch)
    figures = [e for _, _, tags in _parts(laid) for e in _walk(tags.elements) if e.role == "Figure"]
    assert len(figures) == 10
    assert all(f.alt for f in figures)
    assert "Aigerim Example" in [f.alt for f in figures]


def test_a_table_is_rows_of_header_and_data_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    laid = _laid(LETTERS["table-image"], monkeypatch)
    assert laid.shared is not None
    assert laid.shared.tags is not None
    tables = [e for e in _walk(laid.shared.tags.elements) if e.role == "Table"]
    assert len(tables) == 1
    rows = [r for r in tables[0].kids if isinstance(r, Element)]
    assert all(r.role == "TR" for r in rows)
    head = [c for c in rows[0].kids if isinstance(c, Element)]
    assert head
    assert all(c.role == "TH" and c.scope == "Column" for c in head)
    for row in rows[1:]:
        assert {c.role for c in row.kids if isinstance(c, Element)} == {"TD"}


def test_latin_names_in_an_arabic_letter_are_english_spans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laid = _laid(LETTERS["askarov-ar"], monkeypatch)
    spans = [e for _, _, tags in _parts(laid) for e in _walk(tags.elements) if e.role == "Span"]
    english = [s for s in spans if s.lang]
    assert english
    assert all(s.lang == "en" for s in english)
    assert all(s.actual is None for s in english)  # drawn as written
    said = [s.actual for s in spans if s.actual]  # Arabic, drawn in visual order
    assert "فخامة الرئيس سورونباي جينبيكوف" in said


def test_a_latin_run_inside_an_arabic_paragraph_is_marked_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "body.md").write_text(
        "نطالب منظمة Human Rights Watch بالإفراج عن المدافع.\n", encoding="utf-8"
    )
    spec = "template: body.md\nlocale: ar\ndate: 2018-12-06\nsubject: نداء\n"
    (tmp_path / "letter.yaml").write_text(spec + "recipient:\n  name: الرئيس\n", "utf-8")
    laid = _laid(tmp_path / "letter.yaml", monkeypatch)
    spans = []
    for _, pdf, _ in _parts(laid):
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            for page in doc.pages:
                for operands, op in pikepdf.parse_content_stream(page):
                    if str(op) == "BDC" and "/Lang" in operands[1]:
                        spans.append(str(operands[1].Lang))
    assert spans == ["en"]
    for _, pdf, _ in _parts(laid):
        _page_mcids(pdf)  # nests inside its paragraph's sequence and text object


def test_a_word_hyphenated_at_a_line_end_is_whole_in_the_actual_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = (
        "The committee considered the communication about extraordinarily comprehensive "
        "and internationalisation of responsibilities, notwithstanding incomprehensibilities "
        "characteristically misunderstood by representatives of intergovernmental "
        "organisations and departmentalisation."
    )
    (tmp_path / "t.md").write_text(words + "\n", encoding="utf-8")
    (tmp_path / "case.yaml").write_bytes((EXAMPLE / "case.yaml").read_bytes())
    (tmp_path / "letter.yaml").write_text(
        "template: t.md\nlocale: en-GB\ndate: 2018-12-06\ncase: case.yaml\n"
        "signatories: [Amnesty International]\njustify: true\n",
        encoding="utf-8",
    )
    laid = _laid(tmp_path / "letter.yaml", monkeypatch)
    drawn = " ".join(
        page.extract_text()
        for _, pdf, _ in _parts(laid)
        for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "character-\nistically" in drawn  # the word is drawn broken
    said = [e.actual for _, _, tags in _parts(laid) for e in _walk(tags.elements) if e.actual]
    assert said == [words]


def test_a_paragraph_split_over_pages_is_one_element(monkeypatch: pytest.MonkeyPatch) -> None:
    laid = _laid(LETTERS["askarov"], monkeypatch)
    assert laid.shared is not None
    assert laid.shared.tags is not None
    split = [
        e
        for e in _walk(laid.shared.tags.elements)
        if len({k.page for k in e.kids if isinstance(k, Mark)}) > 1
    ]
    assert split, "the example has a paragraph across a page break"
    assert all(e.role == "P" for e in split)


def test_shared_tags_are_deterministic_and_travel_pickled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _laid(LETTERS["askarov"], monkeypatch)
    assert first.shared is not None
    again = pickle.loads(pickle.dumps(first.shared))
    assert again.tags == first.shared.tags
    whole = _laid(LETTERS["askarov"], monkeypatch)
    assert whole.shared is not None
    assert whole.shared.tags == first.shared.tags


def test_each_language_part_of_a_letter_has_its_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out: list[LaidOut] = []
    lay_out = pipeline._lay_out

    def spy(*args: Any, **kwargs: Any) -> Any:
        merged, laid = lay_out(*args, **kwargs)
        laid_out.append(laid)
        return merged, laid

    monkeypatch.setattr(pipeline, "_lay_out", spy)
    path = SHAPES / "L13b-english-turkish.yaml"
    letterkit.build(dataclasses.replace(letterkit.load_letter(path), archive="pdfa"))
    assert len(laid_out) == 2
    for laid in laid_out:
        for part, pdf, tags in _parts(laid):
            assert [len(m) for m in _page_mcids(pdf)] == tags.mcids, part
    idents = [e.ident for laid in laid_out for _, _, t in _parts(laid) for e in _walk(t.elements)]
    notes = [i for i in idents if i]
    assert len(notes) == len(set(notes))


def test_untagged_layouts_carry_no_tags_and_no_marked_content(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laid = _laid(LETTERS["askarov"], monkeypatch, archive=None)
    assert laid.tags is None
    assert laid.shared is not None
    assert laid.shared.tags is None
    with pikepdf.open(io.BytesIO(laid.shared.pdf)) as doc:
        ops = {str(op) for page in doc.pages for _, op in pikepdf.parse_content_stream(page)}
    assert not ops & {"BDC", "BMC", "EMC"}


def test_the_page_code_reliances_hold_for_the_installed_reportlab() -> None:
    """What :mod:`letterkit.typeset._rl.marking` relies on in ReportLab."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table

    from letterkit.typeset._rl import marking as code
    from letterkit.typeset.bidi import LKParagraph

    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=0)
    start, links = code.position(canvas), code.annotation_count(canvas)
    canvas.linkRect("", "lk-note-7", (0, 0, 10, 10), relative=1)
    canvas.line(0, 0, 10, 10)
    assert code.annotation_targets(canvas, links) == ["lk-note-7"]
    assert code.wrap(canvas, start, "/P <</MCID 0>> BDC")
    assert not code.wrap(canvas, code.position(canvas), "/P <</MCID 1>> BDC")
    bulleted = LKParagraph("an item", ParagraphStyle("bullet"), bulletText="1.")
    bulleted.wrap(200, 100)
    start = code.position(canvas)
    bulleted.drawOn(canvas, 0, 0)
    assert code.wrap_label(canvas, start, "/Lbl <</MCID 1>> BDC", "/LBody <</MCID 2>> BDC")
    canvas.rect(0, 0, 5, 5)
    code.artifacts(canvas)
    canvas.bookmarkPage("lk-note-7")
    canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(out.getvalue())) as doc:
        ops = [(str(op), [str(o) for o in operands]) for operands, op in
               pikepdf.parse_content_stream(doc.pages[0])]  # fmt: skip
    marked = [(op, args[0]) for op, args in ops if op in ("BDC", "BMC", "EMC") and args] + [
        (op, "") for op, args in ops if op == "EMC"
    ]
    assert [m for m in marked if m[0] != "EMC"] == [
        ("BDC", "/P"), ("BDC", "/Lbl"), ("BDC", "/LBody"), ("BMC", "/Artifact")
    ]  # fmt: skip
    assert len([m for m in marked if m[0] == "EMC"]) == 4
    assert ops[-2][0] == "S"  # the rectangle, last, inside the artifact
    table = Table([[bulleted, "x"], ["y", "z"]], repeatRows=1)
    rows = code.table_rows(table)
    assert [(head, len(cells)) for _, head, cells in rows] == [(True, 1)]
