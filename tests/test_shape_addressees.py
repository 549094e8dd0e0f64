"""Addressees as lines after a label, and cc lines at the top (L12, L16), read back
from the PDF: the lines, their order, their spacing, their alignment, and what is
not printed (no cc in the running header, no cc line at the end)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import letterkit
from letterkit import Addressees, Case, Event, Letter, Person, Recipient, Signatory
from letterkit.errors import ValidationError

from .conftest import ROOT, ExamplePdfs, page_texts, pdf_text
from .pdfcheck import Box
from .test_cli import run

SHAPES = ROOT / "examples" / "shapes"
LEADING = 14.0  # the address style's leading, in points


def char_boxes(pdf: bytes, count: int) -> list[tuple[float, float, list[Box]]]:
    """(width, height, boxes) of the first *count* pages, each box from the glyph's
    origin and the font's ascent and descent (so one line's boxes share a bottom)."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    out = []
    try:
        for i in range(count):
            page = doc[i]
            text = page.get_textpage()
            boxes = []
            for k in range(text.count_chars()):
                char = text.get_text_range(k, 1)
                if char.strip():
                    boxes.append(Box(char, *text.get_charbox(k, loose=True)))
            out.append((*page.get_size(), boxes))
            text.close()
            page.close()
    finally:
        doc.close()
    return out


def _lines(boxes: list[Box]) -> list[tuple[float, float, str]]:
    """The page's text lines, top down: (baseline-ish y, left x, text)."""
    rows: dict[float, list[Box]] = {}
    for b in sorted(boxes, key=lambda b: -b.bottom):
        key = next((y for y in rows if abs(y - b.bottom) < 1), b.bottom)
        rows.setdefault(key, []).append(b)
    out = []
    for y, row in sorted(rows.items(), key=lambda item: -item[0]):
        row.sort(key=lambda b: b.left)
        text, last = "", None
        for b in row:
            if last is not None and b.left - last > 1:
                text += " "
            text += b.char
            last = b.right
        out.append((y, row[0].left, text))
    return out


def _start_of(boxes: list[Box], y: float, word: str) -> float:
    """The left x of *word* on the line at *y*."""
    row = sorted((b for b in boxes if abs(b.bottom - y) < 1), key=lambda b: b.left)
    text = "".join(b.char for b in row)
    return row[text.index(word)].left


def _spec(tmp_path: Path, extra: str, name: str = "letter.yaml") -> Path:
    for file in ("generic.md", "case.yaml", "signatories-9.csv"):
        shutil.copy(SHAPES / file, tmp_path / file)
    base = (
        "template: generic.md\nlocale: en-GB\ndate: 2018-12-06\n"
        "subject: Release of Temir Sample\ncase: case.yaml\nsignatories: signatories-9.csv\n"
    )
    (tmp_path / name).write_text(base + extra, encoding="utf-8")
    return tmp_path / name


def test_l12_prints_to_and_cc_lines_at_the_top_in_order(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L12-council-candidates"]
    pages = page_texts(pdf)
    first = " ".join(pages[0].split())
    to = "To: Candidates for membership of the UN Human Rights Council for the term 2027–2029"
    cc1 = "Cc: Permanent Missions to the United Nations in New York and Geneva"
    cc2 = "The President of the United Nations General Assembly"
    assert first.startswith(f"{to} {cc1} {cc2} ")
    assert first.index(cc2) < first.index("Pledges for candidates") < first.index("Excellencies,")
    assert "2026" not in first.split("Excellencies,")[0]  # no date line: the date dates the PDF
    assert "List of signatory organisations" in first
    assert "Signatories" not in pdf_text(pdf)
    whole = pdf_text(pdf)
    # the cc lines print once, at the top: no cc line at the end, none in a header
    assert whole.count("Permanent Missions") == 1
    assert whole.count("General Assembly") == 1
    assert "cc:" not in whole
    for later in pages[1:]:
        assert "Cc" not in later
        assert "Permanent" not in later
        assert later.lstrip().startswith("Candidates for membership")


def test_l12_labels_and_texts_stand_on_one_edge_one_leading_apart(
    example_pdfs: ExamplePdfs,
) -> None:
    [(_w, _h, boxes)] = char_boxes(example_pdfs["shapes/L12-council-candidates"], 1)
    top = _lines(boxes)[:3]
    assert [t.split()[0] for _y, _x, t in top] == ["To:", "Cc:", "The"]
    (y0, x_to, _), (y1, x_cc, _), (y2, _x_more, _) = top
    assert abs(x_to - x_cc) < 0.3  # the labels on one edge
    texts = [
        _start_of(boxes, y0, "Candidates"),
        _start_of(boxes, y1, "Permanent"),
        _start_of(boxes, y2, "The"),
    ]
    assert max(texts) - min(texts) < 0.3  # the texts after them on another
    assert texts[0] > x_to + 15
    assert abs((y0 - y1) - LEADING) < 0.5
    assert abs((y1 - y2) - LEADING) < 0.5


def test_l16_nine_compact_lines_then_the_dateline(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L16-parliamentarians"]
    [(_w, _h, boxes)] = char_boxes(pdf, 1)
    lines = _lines(boxes)
    top = lines[:9]
    presidents = [t for _y, _x, t in top[:7]]
    assert all(t.startswith("H.E. M") and "President of the Republic of" in t for t in presidents)
    assert [t.split(",")[-1].split()[-1] for t in presidents] == [
        "Aldoria", "Borevia", "Calmaria", "Dunmark", "Estoria", "Fennland", "Galdora",
    ]  # fmt: skip
    assert top[7][2].startswith("CC: Ms. Helga Example")
    assert top[8][2].startswith("Mr. Jonas Example")
    gaps = [a[0] - b[0] for a, b in itertools.pairwise(top)]
    assert all(abs(g - LEADING) < 0.5 for g in gaps), gaps  # no gap anywhere
    assert lines[9][2] == "Strasbourg, 2 March 2026"
    assert lines[9][0] < top[8][0] - 2 * LEADING
    # no label before the addressees: they start at the margin, as the "CC:" label does
    assert max(x for _y, x, _t in top[:8]) - min(x for _y, x, _t in top[:8]) < 0.3
    assert abs(_start_of(boxes, top[7][0], "Ms.") - top[8][1]) < 0.3


def test_l16_later_pages_name_the_addressees_never_a_cc(example_pdfs: ExamplePdfs) -> None:
    pages = page_texts(example_pdfs["shapes/L16-parliamentarians"])
    assert len(pages) >= 2
    for later in pages[1:]:
        head = later.splitlines()[0]
        assert head.startswith("7 addressees")  # seven names do not fit the head
        assert "CC" not in later
        assert "Helga" not in later
        assert "Jonas" not in later
    assert "cc:" not in pdf_text(example_pdfs["shapes/L16-parliamentarians"])


def test_a_long_line_wraps_under_itself_with_a_hanging_indent(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "addressees: {layout: lines, label: 'To:'}\n"
        "recipients:\n"
        "  - honorific: Ms.\n    name: Frederike Example\n"
        "    title: High Representative of the Union for Foreign Affairs and Security Policy"
        " / Vice-President of the European Commission\n"
        "    organization: European External Action Service\n"
        "    address: [Rond-point Robert Schuman 9A, 1046 Brussels]\n"
        "    email: hr@example.org\n"
        "  - {name: Member States of the Council}\n",
    )
    pdf = letterkit.render(spec)
    [(_w, _h, boxes)] = char_boxes(pdf, 1)
    lines = _lines(boxes)
    group = next(i for i, (_y, _x, t) in enumerate(lines) if t.startswith("Member States"))
    top = lines[: group + 1]
    first = _start_of(boxes, top[0][0], "Ms.")
    assert top[0][2].startswith("To: Ms. Frederike Example, High Representative")
    assert " ".join(t for _y, _x, t in top[:-1]).endswith("European External Action Service")
    assert group >= 2
    for _y, x, _t in top[1:-1]:
        assert abs(x - (first + 12)) < 0.3  # the wrapped part hangs by 12 pt
    assert top[-1][2] == "Member States of the Council"  # no "To:" stand-in for a group
    assert abs(top[-1][1] - first) < 0.3
    gaps = [a[0] - b[0] for a, b in itertools.pairwise(top)]
    assert all(abs(g - LEADING) < 0.5 for g in gaps), gaps
    text = pdf_text(pdf)
    # the lines layout prints neither the address nor the e-mail
    assert "Rond-point" not in text
    assert "hr@example.org" not in text
    assert "Via email" not in text


def test_a_cc_mapping_at_the_end_prints_its_label_and_lines_once(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "recipients: [{honorific: Ms., name: Frederike Example}]\n"
        "cc: {position: end, label: 'Copy to:', lines: [Ms A Example, Mr B Example]}\n",
    )
    text = " ".join(pdf_text(letterkit.render(spec)).split())
    assert text.count("Copy to: Ms A Example; Mr B Example") == 1
    assert "cc:" not in text
    assert text.index("Copy to:") > text.index("League for Minority Rights")
    spec = _spec(
        tmp_path, "recipients: [{name: A Group}]\ncc: {label: '', lines: [Ms A Example]}\n"
    )
    text = " ".join(pdf_text(letterkit.render(spec)).split())
    assert "Ms A Example" in text
    assert "cc" not in text.split("Ms A Example")[0][-6:]


def test_cc_at_the_top_under_address_blocks_takes_the_locales_word(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "recipients: [{honorific: Ms., name: Frederike Example, address: [Rue 1, Brussels]}]\n"
        "cc: {position: top, lines: [Ms A Example, Mr B Example]}\n",
    )
    pdf = letterkit.render(spec)
    [(_w, _h, boxes)] = char_boxes(pdf, 1)
    lines = _lines(boxes)
    assert [t for _y, _x, t in lines[:5]] == [
        "Ms. Frederike Example", "Rue 1", "Brussels", "cc: Ms A Example", "Mr B Example",
    ]  # fmt: skip
    assert lines[2][0] - lines[3][0] > LEADING + 10  # the gap between address blocks
    assert abs(_start_of(boxes, lines[3][0], "Ms") - lines[4][1]) < 0.3
    assert pdf_text(pdf).count("Mr B Example") == 1


def test_blocks_after_a_label_align_with_the_cc_lines(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "addressees: {label: 'To:'}\n"
        "recipients:\n  - {honorific: Ms., name: Frederike Example, address: [Rue 1]}\n"
        "  - {name: All Member States}\n"
        "cc: {position: top, label: 'Cc:', lines: [Ms A Example]}\n",
    )
    [(_w, _h, boxes)] = char_boxes(letterkit.render(spec), 1)
    lines = _lines(boxes)[:4]
    assert [t for _y, _x, t in lines] == [
        "To: Ms. Frederike Example", "Rue 1", "All Member States", "Cc: Ms A Example",
    ]  # fmt: skip
    texts = [lines[1][1], lines[2][1], _start_of(boxes, lines[3][0], "Ms")]
    assert max(texts) - min(texts) < 0.3
    assert abs(_start_of(boxes, lines[0][0], "Ms") - texts[0]) < 0.3


def test_an_arabic_letter_puts_the_labels_on_the_right(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "addressees: {layout: lines, label: 'إلى:'}\n"
        "recipients: [{honorific: السيد, name: أحمد مثال, title: رئيس الجمهورية}]\n"
        "cc: {position: top, lines: [الأمين العام]}\n",
    )
    case = (tmp_path / "case.yaml").read_text(encoding="utf-8")
    (tmp_path / "case.yaml").write_text(
        case.replace("{en: human rights defender, ru: правозащитник}", "{default: defender}"),
        encoding="utf-8",
    )
    spec.write_text(spec.read_text(encoding="utf-8").replace("en-GB", "ar"), encoding="utf-8")
    [(width, _h, boxes)] = char_boxes(letterkit.render(spec), 1)
    top = [b for b in boxes if b.bottom > boxes[0].bottom - 2 * LEADING - 2]
    first_row = [b for b in top if abs(b.bottom - top[0].bottom) < 1]
    right = max(b.right for b in first_row)
    assert right > width - 72 - 2  # the label ends at the right margin
    assert "،" in pdf_text(letterkit.render(spec)).split("\n")[0]  # the Arabic comma


def test_every_bad_value_is_one_problem_at_its_line(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "recipients: [{name: A Group}]\n"
        "addressees: {layout: line, lable: 'To:'}\n"
        "cc:\n  position: middle\n  label: [x]\n  lines: {a: b}\n  line: x\n",
    )
    problems = letterkit.check(spec)
    shown = sorted(f"{p.line} {p.code} {p.message}" for p in problems)
    assert len(problems) == 6, shown
    assert any(p.line == 8 and "'layout' must be one of blocks, lines, not 'line'" in p.message
               for p in problems)  # fmt: skip
    assert any(p.line == 8 and p.code == "LK103" and "did you mean 'label'" in p.message
               for p in problems)  # fmt: skip
    assert any(p.line == 10 and "'position' must be one of top, end" in p.message
               for p in problems)  # fmt: skip
    assert any(p.line == 11 and p.code == "LK105" and "label" in p.message for p in problems)
    assert any(p.line == 12 and "list of lines" in p.message for p in problems)
    assert any(p.line == 13 and "did you mean 'lines'" in p.message for p in problems)
    # The spec lies outside the working folder: named from its own folder, never absolutely.
    assert all(p.severity == "error" and p.path == spec.name for p in problems)


def test_a_label_without_the_letters_language_is_lk108(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "recipients: [{name: A Group}]\n"
        "addressees: [lines]\n"
        "cc: {label: {fr: Copie}, lines: [x]}\n",
    )
    problems = letterkit.check(spec)
    assert sorted((p.line, p.code) for p in problems) == [(8, "LK105"), (9, "LK108")]


def test_plain_data_reads_the_same_keys() -> None:
    data = {
        "template": "appeal-release", "locale": "en-GB", "date": "2018-12-06",
        "case": {"person": {"name": "Jane Doe"}}, "signatories": ["Org A"],
        "recipients": [{"name": "A Group"}],
        "addressees": {"layout": "lines", "label": "To:"},
        "cc": {"position": "top", "lines": ["Ms A"]},
    }  # fmt: skip
    letter = letterkit.letter_from_data(data, ".")
    assert letter.addressees == Addressees("lines", "To:")
    assert (letter.cc, letter.cc_position, letter.cc_label) == (("Ms A",), "top", None)
    data["cc"] = {"position": "side", "lines": ["Ms A"]}
    with pytest.raises(ValidationError) as caught:
        letterkit.letter_from_data(data, ".")
    assert [p.path for p in caught.value.problems] == ["letter.cc.position"]
    plain = letterkit.letter_from_data({**data, "cc": ["Ms A"]}, ".")
    assert (plain.cc_position, plain.cc_label, plain.addressees.layout) == ("end", None, "lines")


def _coded() -> Letter:
    return Letter(
        template="appeal-release", locale="en-GB", date=dt.date(2018, 12, 6),
        case=Case(
            person=Person(name="Jane Doe", role="defender"), country="KG",
            detained_on=dt.date(2010, 6, 15), sentence="life", demands=("Free her",),
            events=(Event(dt.date(2010, 6, 15), "Arrested"),),
        ),
        signatories=(Signatory("Org A"),),
        recipients=(Recipient(name="Jane Example", honorific="Ms.", title="Minister"),),
    )  # fmt: skip


def test_code_built_letters_keep_working_and_are_validated() -> None:
    letter = _coded()
    assert letter.addressees == Addressees()
    assert letter.cc_position == "end"
    assert letterkit.validate(letter) == []
    lines = dataclasses.replace(
        letter, addressees=Addressees("lines", "To:"), cc=("Ms A",), cc_position="top"
    )
    text = " ".join(pdf_text(letterkit.render(lines)).split())
    assert text.startswith("To: Ms. Jane Example, Minister cc: Ms A ")
    bad = dataclasses.replace(letter, addressees=Addressees("rows"), cc_position="side")  # type: ignore[arg-type]
    assert sorted(p.path for p in letterkit.validate(bad)) == [
        "letter.addressees.layout", "letter.cc_position",
    ]  # fmt: skip
    worse = dataclasses.replace(letter, addressees="lines", cc_label=["x"])  # type: ignore[arg-type]
    assert sorted(p.path for p in letterkit.validate(worse)) == [
        "letter.addressees", "letter.cc_label",
    ]  # fmt: skip


def test_the_running_header_has_no_stand_in_without_addressees() -> None:
    from letterkit.typeset.addressees import addressee_line

    letter = dataclasses.replace(_coded(), recipients=(), cc=("Ms A",), cc_position="top")
    assert addressee_line(letter) == ""
    assert addressee_line(_coded()) == "Ms. Jane Example"


def test_a_cc_label_that_differs_is_never_taken_from_another_letter(tmp_path: Path) -> None:
    """Letters that share their pages after page 1 differ in the cc line's label."""
    texts = []
    for label in ("Copy:", "Also to:"):
        spec = _spec(
            tmp_path,
            f"recipients: [{{name: A Group}}]\ncc: {{label: '{label}', lines: [Ms A Example]}}\n",
            name=f"{label[:4]}.yaml",
        )
        texts.append(" ".join(pdf_text(letterkit.render(spec)).split()))
    assert "Copy: Ms A Example" in texts[0]
    assert "Also to:" not in texts[0]
    assert "Also to: Ms A Example" in texts[1]
    assert "Copy:" not in texts[1]


def test_a_bundle_prints_each_letter_as_lines_and_render_gives_the_same_bytes(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    for file in ("generic.md", "case.yaml", "signatories-9.csv"):
        shutil.copy(SHAPES / file, folder / file)
    (folder / "letter.yaml").write_text(
        "template: generic.md\nlocale: en-GB\ndate: 2018-12-06\n"
        "subject: Release of Temir Sample\ncase: case.yaml\nsignatories: signatories-9.csv\n"
        "addressees: {layout: lines, label: 'To:'}\n"
        "cc: {position: top, label: 'Cc:', lines: [The President of the Council]}\n",
        encoding="utf-8",
    )
    with (folder / "recipients.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "honorific", "name", "title", "address"])
        for n in range(3):
            out.writerow([f"R{n}", "Ms", f"Member {n} Example", "Member of Parliament", "Rue 1"])
    campaign = folder / "campaign.yaml"
    campaign.write_text("letter: letter.yaml\nrecipients: recipients.csv\n", encoding="utf-8")
    dist = tmp_path / "dist"
    status, _, err = run("bundle", str(campaign), "-o", str(dist), "--quiet")
    assert status == 0, err
    manifest = json.loads((dist / "manifest.json").read_text())
    for entry in manifest["letters"]:
        pdf = (dist / entry["file"]).read_bytes()
        n = entry["id"][1:]
        first = " ".join(page_texts(pdf)[0].split())
        assert first.startswith(
            f"To: Ms Member {n} Example, Member of Parliament Cc: The President of the Council "
        )
        assert "Rue 1" not in first
    single = tmp_path / "R1.pdf"
    status, _, err = run("render", str(campaign), "--recipient", "R1", "-o", str(single))
    assert status == 0, err
    entry = next(e for e in manifest["letters"] if e["id"] == "R1")
    assert hashlib.sha256(single.read_bytes()).hexdigest() == entry["sha256"]
