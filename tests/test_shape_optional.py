"""Letters that leave parts out (no case, no addressee, no dateline, no
salutation or closing, no page numbers), read back from the PDF: exactly the
parts asked for, in order, and no stand-in for what was left out."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

import letterkit
from letterkit.bundle.build import build_bundle
from letterkit.bundle.campaign import letter_for
from letterkit.model import Dateline, Letter, Signatory

from .conftest import ROOT, ExamplePdfs, page_texts
from .pdfcheck import Box, char_boxes

SHAPES = ROOT / "examples" / "shapes"
MARGIN = 25 * 72 / 25.4
LONG_BODY = "\n\n".join(
    f"Paragraph {n} is made-up text that fills the measure of the page and wraps over "
    "several lines, so that the letter runs past its first page. " * 3
    for n in range(12)
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _metadata(pdf: bytes) -> dict[str, str]:
    info = PdfReader(io.BytesIO(pdf)).metadata or {}
    return {str(k): str(v) for k, v in info.items()}


def _span(boxes: list[Box], text: str) -> tuple[float, float, float]:
    """(left, right, top) of the first place *text* (spaces ignored) is drawn."""
    chars = [b for b in boxes if b.char.strip()]
    joined = "".join(b.char for b in chars)
    wanted = "".join(text.split())
    at = joined.find(wanted)
    assert at >= 0, f"{text!r} is not on the page"
    run = chars[at : at + len(wanted)]
    return run[0].left, run[-1].right, max(b.top for b in run)


def _letter(tmp_path: Path, body: str, *lines: str, front: str = "") -> Path:
    """A spec in *tmp_path* with a template whose body is *body*; *lines* are
    more spec keys."""
    template = (f"---\n{front}---\n" if front else "") + body + "\n"
    (tmp_path / "t.md").write_text(template, encoding="utf-8")
    spec = [
        "template: t.md",
        "locale: en-GB",
        "date: 2019-03-01",
        "signatories: [Org Alpha, Org Beta]",
        *lines,
    ]
    (tmp_path / "letter.yaml").write_text("\n".join(spec) + "\n", encoding="utf-8")
    return tmp_path / "letter.yaml"


# --- the two example letters -----------------------------------------------------------


def test_thematic_letter_has_its_parts_in_order_and_no_case(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L11-thematic"]
    pages = page_texts(pdf)
    lines = _lines("\n".join(pages))
    order = [
        "Brussels, 14\u00a0October 2019",
        "Ms. Frederike Example",
        "European External Action Service",
        "Re: Human rights defenders in Central Asia",
        "Dear High Representative,",
        "We, the undersigned organisations",
        "Kazakhstan",
        "Kyrgyzstan",
        "Tajikistan",
        "Turkmenistan",
        "Uzbekistan",
        "Sincerely,",
        "Partnership for Rights Example (PRE, Belgium)",
        "Association for Human Rights Example (AHRE, France, founded by emigrants)",
    ]
    found = [next(i for i, line in enumerate(lines) if line.startswith(t)) for t in order]
    assert found == sorted(found), lines
    text = "\n".join(pages)
    for word in ("Dear Sir or Madam", "Temir", "Sample", "Yours sincerely", "()"):
        assert word not in text
    # Two pages: page_numbers: auto keeps them.
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0]
    assert "Page 2 of 2" in pages[1]
    meta = _metadata(pdf)
    subject = (
        "Human rights defenders in Central Asia ahead of the EU–Central Asia ministerial meeting"
    )
    assert meta["/Title"] == subject
    assert meta["/Subject"] == subject
    assert meta["/Keywords"] == "Frederike Example"
    for value in meta.values():
        for word in ("Temir", "Sample", "Letter", "()", "Kyrgyzstan"):
            assert word not in value


def test_thematic_letter_has_its_date_on_the_left_above_the_addressee(
    example_pdfs: ExamplePdfs,
) -> None:
    _, _, boxes = char_boxes(example_pdfs["shapes/L11-thematic"], 1)[0]
    date_left, _, date_top = _span(boxes, "Brussels, 14 October 2019")
    name_left, _, name_top = _span(boxes, "Ms. Frederike Example")
    assert date_top > name_top
    assert abs(date_left - MARGIN) < 1.0
    assert abs(name_left - MARGIN) < 1.0


def test_statement_has_a_title_text_and_signers_and_nothing_else(
    example_pdfs: ExamplePdfs,
) -> None:
    pdf = example_pdfs["shapes/L15-statement"]
    pages = page_texts(pdf)
    assert len(pages) == 1
    lines = _lines(pages[0])
    assert lines[0] == "Заявление о преследовании независимых юристов"
    assert lines[1].startswith("Мы, нижеподписавшиеся")
    names = [
        "Анна Примерова", "Борис Образцов", "Валентина Условная", "Григорий Тестов",
        "Дарья Выдуманная", "Евгений Вымыслов", "Жанна Сочинённая", "Зиновий Придуманный",
    ]  # fmt: skip
    at = [lines.index(name) for name in names]
    assert at == sorted(at)
    body_end = max(i for i, line in enumerate(lines) if "упомянутых в нём людей" in line)
    assert body_end < at[0]
    # Between the body and the signers: at most a heading, never a closing.
    assert at[0] - body_end <= 2
    text = pages[0]
    for word in (
        "2020", "мая", "Страница", "Page", "Уважаем", "С уважением", "Re:", "Тема",
        "Кому", "Temir", "Темир",
    ):  # fmt: skip
        assert word not in text, word
    meta = _metadata(pdf)
    assert meta["/Title"] == meta["/Subject"] == "Заявление о преследовании независимых юристов"
    assert "/Keywords" not in meta
    assert meta["/CreationDate"].startswith("D:20200518")


# --- the case ------------------------------------------------------------------------


def test_a_letter_built_in_code_needs_no_case(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("A letter about several countries.\n", encoding="utf-8")
    letter = Letter(
        template="t.md",
        locale="en-GB",
        date=dt.date(2019, 3, 1),
        signatories=(Signatory("Org Alpha"),),
        base_dir=tmp_path,
    )
    pdf = letterkit.render(letter)
    assert "A letter about several countries." in page_texts(pdf)[0]
    meta = _metadata(pdf)
    for key in ("/Title", "/Subject", "/Keywords"):
        assert key not in meta  # nothing to say: no stand-in


def test_a_template_may_ask_whether_there_is_a_case(tmp_path: Path) -> None:
    body = "{% if case is defined %}About {{ person.name }}.{% else %}About many people.{% endif %}"
    spec = _letter(tmp_path, body, "recipients: [{name: Jo Example, title: Minister}]")
    text = page_texts(letterkit.render(spec))[0]
    assert "About many people." in text


# --- addressees and salutation -------------------------------------------------------


@pytest.mark.parametrize("recipients", ["", "recipients: []"])
def test_a_statement_without_addressees_has_no_greeting(tmp_path: Path, recipients: str) -> None:
    spec = _letter(tmp_path, "We state this.", *([recipients] if recipients else []))
    lines = _lines(page_texts(letterkit.render(spec))[0])
    assert lines[0] == "1\u00a0March 2019"
    assert lines[1] == "We state this."
    assert "Dear Sir or Madam," not in lines


def test_a_statement_takes_a_greeting_from_its_template(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "We state this.", "recipients: []", front="salutation: Friends,\n")
    lines = _lines(page_texts(letterkit.render(spec))[0])
    assert lines[1:3] == ["Friends,", "We state this."]


@pytest.mark.parametrize(
    ("keys", "front"),
    [
        (['salutation: ""', 'closing: ""'], ""),
        ([], 'salutation: ""\nclosing: ""\n'),
        (['recipients: [{name: Jo Example, title: Minister, salutation: "", closing: ""}]'], ""),
    ],
    ids=["spec", "front-matter", "addressee"],
)
def test_empty_salutation_and_closing_print_none(
    tmp_path: Path, keys: list[str], front: str
) -> None:
    if not any(k.startswith("recipients") for k in keys):
        keys = [*keys, "recipients: [{name: Jo Example, title: Minister}]"]
    spec = _letter(tmp_path, "Body text.", *keys, front=front)
    lines = _lines(page_texts(letterkit.render(spec))[0])
    at = lines.index("Body text.")
    assert lines[at - 1] == "1\u00a0March 2019"  # no greeting between the date and the body
    assert lines[at + 1] == "Signatories"  # no closing after it
    text = "\n".join(lines)
    for word in ("Dear", "Yours sincerely", "Sir or Madam"):
        assert word not in text


def test_an_absent_salutation_is_still_built(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "Body text.", "recipients: [{honorific: Ms., name: Jo Example}]")
    lines = _lines(page_texts(letterkit.render(spec))[0])
    assert "Dear Ms. Example," in lines
    assert "Yours sincerely," in lines


# --- the dateline --------------------------------------------------------------------


def test_a_hidden_dateline_prints_no_date_anywhere_but_dates_the_pdf(tmp_path: Path) -> None:
    spec = _letter(
        tmp_path, LONG_BODY, "recipients: [{name: Jo Example, title: Minister}]",
        "place: Brussels", "dateline: {show: false}",
    )  # fmt: skip
    pdf = letterkit.render(spec)
    pages = page_texts(pdf)
    assert len(pages) >= 2
    for text in pages:
        assert "2019" not in text
        assert "March" not in text
        assert "Brussels" not in text
    # The running head keeps the addressee, without the date; the number is in the foot.
    assert _lines(pages[1])[0] == "Jo Example"
    assert _lines(pages[1])[1] != "2"
    assert _metadata(pdf)["/CreationDate"].startswith("D:20190301")


@pytest.mark.parametrize("position", ["before-subject", "after-subject", "top"])
@pytest.mark.parametrize("align", ["left", "right"])
def test_the_dateline_goes_where_and_to_the_side_asked(
    tmp_path: Path, position: str, align: str
) -> None:
    spec = _letter(
        tmp_path, "Body text.", "recipients: [{name: Jo Example, title: Minister}]",
        "subject: The subject line", "place: Brussels",
        f"dateline: {{position: {position}, align: {align}}}",
    )  # fmt: skip
    width, _, boxes = char_boxes(letterkit.render(spec), 1)[0]
    date_left, date_right, date_top = _span(boxes, "Brussels, 1 March 2019")
    _, _, name_top = _span(boxes, "Jo Example")
    _, _, subject_top = _span(boxes, "Re: The subject line")
    if align == "left":
        assert abs(date_left - MARGIN) < 1.0
    else:
        assert abs(date_right - (width - MARGIN)) < 1.5
    if position == "top":
        assert date_top > name_top > subject_top
    elif position == "before-subject":
        assert name_top > date_top > subject_top
    else:
        assert name_top > subject_top > date_top


def test_a_right_to_left_letter_mirrors_the_sides(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "نص الرسالة.", "dateline: {align: left}")
    spec.write_text(spec.read_text().replace("en-GB", "ar"), encoding="utf-8")
    width, _, boxes = char_boxes(letterkit.render(spec), 1)[0]
    top = max(b.top for b in boxes)
    first_line = [b for b in boxes if abs(b.top - top) < 2]
    assert abs(max(b.right for b in first_line) - (width - MARGIN)) < 1.5


# --- page numbers --------------------------------------------------------------------


def _annex(tmp_path: Path) -> str:
    shutil.copy(SHAPES / "logo.png", tmp_path / "photo.png")
    return "annexes: [{path: photo.png, title: A photograph}]"


@pytest.mark.parametrize(
    ("mode", "long", "expected"),
    [
        ("always", False, ["Page 1 of 1"]),
        ("auto", False, []),
        ("never", False, []),
        ("auto", True, ["Page 1 of", "Page 2 of"]),
        ("never", True, []),
    ],
)
def test_page_numbers(tmp_path: Path, mode: str, long: bool, expected: list[str]) -> None:
    spec = _letter(
        tmp_path, LONG_BODY if long else "Body text.",
        "recipients: [{name: Jo Example, title: Minister}]",
        f"page_numbers: {mode}", _annex(tmp_path),
    )  # fmt: skip
    pdf = letterkit.render(spec)
    pages = page_texts(pdf)
    letter_pages = [p for p in pages if "Annex 1" not in p]
    feet = [line for p in letter_pages for line in _lines(p) if line.startswith("Page ")]
    assert [f for f in feet if any(f.startswith(e) for e in expected)] == feet
    assert len(feet) == len(expected)
    if long:  # the running head has the date; the page's number is only in its foot
        head = _lines(letter_pages[1])[:2]
        assert head == ["Jo Example", "1\u00a0March 2019"]


# --- campaigns -----------------------------------------------------------------------


def _campaign(tmp_path: Path) -> Path:
    (tmp_path / "t.md").write_text("Body text for {{ recipient.name }}.\n", encoding="utf-8")
    (tmp_path / "base.yaml").write_text(
        "template: t.md\nlocale: en-GB\ndate: 2019-03-01\nsignatories: [Org Alpha, Org Beta]\n"
        "dateline: {show: false}\npage_numbers: auto\n",
        encoding="utf-8",
    )
    rows = [
        {"id": "A", "honorific": "Ms.", "name": "Ann Example", "salutation": "", "closing": ""},
        {"id": "B", "honorific": "Mr.", "name": "Bo Example", "salutation": "-", "closing": "-"},
        {
            "id": "C",
            "honorific": "Mr.",
            "name": "Cy Example",
            "salutation": "Dear friend,",
            "closing": "Warm regards,",
        },
    ]
    with (tmp_path / "recipients.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (tmp_path / "campaign.yaml").write_text(
        "letter: base.yaml\nrecipients: recipients.csv\n", encoding="utf-8"
    )
    return tmp_path / "campaign.yaml"


def test_a_campaign_row_asks_for_no_salutation_or_closing_with_a_dash(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path)
    out = tmp_path / "dist"
    result = build_bundle(campaign, out, jobs=1)
    assert sorted(result.built) == ["A", "B", "C"]
    loaded = letterkit.load_campaign(campaign)
    greetings, closings = {}, {}
    for rid in ("A", "B", "C"):
        [pdf_path] = out.glob(f"{rid}-*.pdf")
        pdf = pdf_path.read_bytes()
        assert pdf == letterkit.render(letter_for(loaded, rid))  # as `render --recipient`
        lines = _lines(page_texts(pdf)[0])
        at = next(i for i, line in enumerate(lines) if line.startswith("Body text"))
        greetings[rid] = lines[at - 1]
        closings[rid] = lines[at + 1]
        assert "2019" not in "\n".join(lines)
        assert "Page 1" not in "\n".join(lines)
    assert greetings["A"] == "Dear Ms. Example,"
    assert greetings["B"] == "Mr. Bo Example"  # the address block, then the body
    assert greetings["C"] == "Dear friend,"
    assert closings == {"A": "Yours sincerely,", "B": "Signatories", "C": "Warm regards,"}


def test_dataclass_defaults_keep_todays_shape() -> None:
    line = Dateline()
    assert (line.show, line.align, line.position) == (True, "right", "before-subject")
    fields = {f.name: f.default for f in dataclasses.fields(Letter)}
    assert fields["case"] is None
    assert fields["salutation"] is None
    assert fields["closing"] is None
    assert fields["page_numbers"] == "always"
