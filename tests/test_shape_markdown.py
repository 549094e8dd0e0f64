"""The body's Markdown, read back from the PDF: pipe tables, images, heading
levels, notes of several paragraphs, and the problems for what is not drawn."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

import letterkit
from letterkit.errors import Problem
from letterkit.typeset.body_images import MAX_FILES, MAX_IMAGES

from .bundles import bundled, rendered_alone
from .conftest import ROOT, ExamplePdfs, page_texts, pdf_text
from .letters import body_letter
from .pdfcheck import char_boxes, drawn_images

SHAPES = ROOT / "examples" / "shapes"
#: The A4 measure: 210 mm less 25 mm each side.
MEASURE = (210 - 50) * 72 / 25.4
FILLER = (
    "This paragraph is here to fill the page so that what follows it lands where "
    "the test needs it; it says nothing and wraps over a few lines of the body.\n\n"
)


def _letter(tmp_path: Path, body: str, locale: str = "en-GB", **spec: str) -> Path:
    """A letter in *tmp_path* whose template body is *body*."""
    return body_letter(tmp_path, body, locale=locale, **spec)


def _table(rows: int, columns: int = 3) -> str:
    head = "| " + " | ".join(f"Heading {c + 1}" for c in range(columns)) + " |\n"
    rule = "|" + "---|" * columns + "\n"
    body = "".join(
        "| " + " | ".join(f"r{r + 1}c{c + 1}" for c in range(columns)) + " |\n" for r in range(rows)
    )
    return head + rule + body


def _problems(spec: Path, **options: Any) -> list[Problem]:
    return letterkit.check(spec, **options)


# -- tables ---------------------------------------------------------------------------


def test_a_long_table_splits_with_its_header_on_both_pages(tmp_path: Path) -> None:
    spec = _letter(tmp_path, FILLER * 9 + _table(30) + "\nAfter the table.\n")
    pages = [" ".join(text.split()) for text in page_texts(letterkit.render(spec))]
    holding = [i for i, text in enumerate(pages) if "r1c1" in text or "r30c1" in text]
    assert holding == [0, 1], "the table should start on page 1 and end on page 2"
    for index in holding:
        assert pages[index].count("Heading 1 Heading 2 Heading 3") == 1, pages[index]
    everything = "\n".join(pages)
    for row in range(1, 31):
        assert everything.count(f"r{row}c1 r{row}c2 r{row}c3") == 1, row
    assert "|" not in everything
    assert "---" not in everything
    assert pages[1].index("Heading 1") < pages[1].index("r30c1") < pages[1].index("After")


def test_a_heading_over_a_long_table_stands_with_its_first_rows(tmp_path: Path) -> None:
    """A heading keeps the first rows with it, not the whole table: the table
    still starts on the page where the heading is, and splits."""
    body = FILLER * 9 + "## By country\n\n" + _table(30) + "\nAfter the table.\n"
    pages = [
        " ".join(text.split()) for text in page_texts(letterkit.render(_letter(tmp_path, body)))
    ]
    assert "By country Heading 1 Heading 2 Heading 3 r1c1" in pages[0]
    assert "r30c1" in pages[1]
    assert "By country" not in pages[1]
    # at the foot of a page, the heading goes over with the table's first rows
    crowded = FILLER * 14 + "## By country\n\n" + _table(30)
    (tmp_path / "b").mkdir()
    spec = _letter(tmp_path / "b", crowded)
    split = [" ".join(t.split()) for t in page_texts(letterkit.render(spec))]
    heading_page = next(i for i, text in enumerate(split) if "By country" in text)
    assert "r1c1" in split[heading_page]
    assert split[heading_page].index("By country") < split[heading_page].index("r1c1")


def test_table_header_bold_and_alignment(tmp_path: Path) -> None:
    body = "| Name | Count |\n| :--- | ---: |\n| *Alpha* & co | 7 |\n| Beta | 1234 |\n"
    pdf = letterkit.render(_letter(tmp_path, body))
    runs: list[tuple[str, str]] = []

    def seen(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip() and font is not None:
            runs.append((text.strip(), str(font.get("/BaseFont"))))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=seen)
    fonts = dict(runs)
    assert "Bold" in fonts["Name"]
    assert "Bold" in fonts["Count"]
    assert "Bold" not in fonts["Beta"]
    assert "Italic" in fonts["Alpha"]
    assert "Alpha & co" in pdf_text(pdf)  # data escaped, printed as written
    [(_, _, boxes)] = char_boxes(pdf, 1)
    right = {
        text: max(b.right for b in boxes if b.char == text[-1] and _near(boxes, b, text))
        for text in ("7", "1234")
    }
    assert abs(right["7"] - right["1234"]) < 0.5, right  # right-aligned column


def _near(boxes: list[Any], box: Any, text: str) -> bool:
    """*box* ends the run *text* on its line."""
    line = sorted((b for b in boxes if abs(b.bottom - box.bottom) < 1), key=lambda b: b.left)
    chars = "".join(b.char for b in line)
    return (text in chars and chars.endswith(text)) or chars.rstrip().endswith(text)


def test_right_to_left_table_mirrors_its_columns(tmp_path: Path) -> None:
    body = "نص الرسالة.\n\n| الأول | الثاني |\n| --- | --- |\n| أ | ب |\n"
    pdf = letterkit.render(_letter(tmp_path, body, locale="ar"))
    [(width, _, boxes)] = char_boxes(pdf, 1)
    first = [b for b in boxes if b.char == "أ"]
    second = [b for b in boxes if b.char == "ب"]
    assert first
    assert second
    assert min(b.left for b in first) > max(b.right for b in second), "first column on the right"
    assert max(b.right for b in first) > width / 2


def test_too_many_columns_is_an_error_naming_the_line(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "Text.\n\n" + _table(2, columns=21))
    problems = [p for p in _problems(spec) if p.severity == "error"]
    assert [(p.code, p.line) for p in problems] == [("LK150", 3)]
    assert "21" not in problems[0].message or "columns" in problems[0].message
    assert "columns" in problems[0].message


# -- images ---------------------------------------------------------------------------


def _png(path: Path, size: tuple[int, int]) -> None:
    Image.new("RGB", size, (40, 80, 140)).save(path, format="PNG")


def _drawn_images(pdf: bytes) -> list[tuple[int, int, float, float]]:
    """(pixel width, pixel height, drawn width, drawn height) of each image drawn,
    through the form XObjects that hold a page's shared content."""
    return [(*d.pixels, d.width, d.height) for d in drawn_images(pdf)]


@pytest.mark.parametrize(
    ("size", "width"),
    [((300, 200), 300 * 72 / 150), ((3000, 600), MEASURE)],
    ids=["natural-size", "shrunk-to-measure"],
)
def test_an_image_keeps_its_aspect_ratio_inside_the_measure(
    tmp_path: Path, size: tuple[int, int], width: float
) -> None:
    _png(tmp_path / "chart.png", size)
    pdf = letterkit.render(_letter(tmp_path, "Before.\n\n![A chart](chart.png)\n\nAfter.\n"))
    [(pw, ph, dw, dh)] = _drawn_images(pdf)
    assert (pw, ph) == size
    assert dw == pytest.approx(width, abs=0.1)
    assert dw / dh == pytest.approx(pw / ph, rel=0.005)
    text = pdf_text(pdf)
    assert "A chart" not in text
    assert "chart.png" not in text


def test_example_l19_draws_its_chart_and_table(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L19-table-image"]
    [(pw, ph, dw, dh)] = _drawn_images(pdf)
    assert (pw, ph) == (900, 420)
    assert dw <= MEASURE + 0.01
    assert dw / dh == pytest.approx(900 / 420, rel=0.005)
    text = " ".join(pdf_text(pdf).split())
    assert "Country In detention Sentenced Longest held" in text
    assert "Country B 9 9 14 years" in text
    assert "|" not in text
    assert "![" not in text
    assert "#" not in text


def test_alt_text_is_kept_on_the_flowable(tmp_path: Path) -> None:
    from letterkit.typeset.body_images import BodyImage, BodySetting
    from letterkit.typeset.compose import compose
    from letterkit.typeset.styles import make_styles

    _png(tmp_path / "c.png", (10, 10))
    body = compose("![Deaths *per* year](c.png)\n", make_styles(), BodySetting(base=tmp_path))
    [image] = body.flowables
    assert isinstance(image, BodyImage)
    assert image.alt == "Deaths per year"
    assert body.problems == []


@pytest.mark.parametrize(
    ("markdown", "code", "words"),
    [
        ("![x](missing.png)", "LK101", "'missing.png' not found"),
        ("![x](https://example.org/c.png)", "LK107", "never fetches"),
        ("![x](../outside.png)", "LK107", "outside the folder"),
        ("![x](notes.txt)", "LK105", "PNG or JPEG"),
        ("![x](fake.png)", "LK105", "not a PNG or JPEG"),
    ],
    ids=["missing", "url", "outside", "suffix", "not-an-image"],
)
def test_an_image_that_cannot_be_drawn_is_an_error_naming_its_line(
    tmp_path: Path, markdown: str, code: str, words: str
) -> None:
    folder = tmp_path / "letter"
    folder.mkdir()
    _png(tmp_path / "outside.png", (4, 4))
    (folder / "notes.txt").write_text("text", encoding="utf-8")
    (folder / "fake.png").write_text("not an image", encoding="utf-8")
    spec = _letter(folder, f"First line.\n\n{markdown}\n")
    problems = [p for p in _problems(spec) if p.severity == "error"]
    assert [(p.code, Path(p.path).name, p.line) for p in problems] == [(code, "body.md", 3)], (
        problems
    )
    assert words in problems[0].message


def test_allow_outside_lets_an_image_outside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "letter"
    folder.mkdir()
    _png(tmp_path / "outside.png", (40, 20))
    spec = _letter(folder, "Text.\n\n![x](../outside.png)\n")
    pdf = letterkit.render(spec, allow_outside=True)
    assert len(_drawn_images(pdf)) == 1


def test_jpeg_metadata_does_not_reach_the_pdf(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    Image.new("RGB", (60, 40), "red").save(tmp_path / "photo.jpg", format="JPEG", exif=exif)
    pdf = letterkit.render(_letter(tmp_path, "Text.\n\n![A photo](photo.jpg)\n"))
    assert b"SecretCameraMaker" not in pdf
    assert len(_drawn_images(pdf)) == 1


# -- headings and notes ----------------------------------------------------------------


def test_heading_levels_look_different(tmp_path: Path) -> None:
    body = "# Alpha one\n\nText.\n\n## Bravo two\n\nText.\n\n### Charlie three\n\nText.\n"
    pdf = letterkit.render(_letter(tmp_path, body))
    looks: dict[str, tuple[str, float]] = {}

    def seen(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        word = text.strip().split(" ")[0] if text.strip() else ""
        if word in {"Alpha", "Bravo", "Charlie"} and font is not None:
            looks[word] = (str(font.get("/BaseFont")), float(size) * float(tm[0]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=seen)
    assert looks["Alpha"][1] > looks["Bravo"][1] >= looks["Charlie"][1]
    assert len({font for font, _ in looks.values()}) >= 2
    assert looks["Bravo"][0] != looks["Charlie"][0]
    assert "#" not in pdf_text(pdf)


def test_a_note_of_several_paragraphs_prints_them_all(tmp_path: Path) -> None:
    body = (
        "Text with a note.[^a]\n\n[^a]: The first paragraph of the note.\n\n"
        "    The second paragraph of the note.\n\n    The third one.\n"
    )
    pdf = letterkit.render(_letter(tmp_path, body))
    text = pdf_text(pdf)
    lines = [line.strip() for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if "The first paragraph" in line)
    assert lines[first + 1].startswith("The second paragraph of the note.")
    assert lines[first + 2].startswith("The third one.")


# -- warnings ---------------------------------------------------------------------------


def test_what_is_not_drawn_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    body = (
        "A paragraph with <b>raw</b> HTML and a value {{ person.display_name }}.\n"
        "\n"
        "***\n"
        "\n"
        "Text.[^used]\n"
        "\n"
        "[^used]: A note.\n"
        "[^spare]: A note nothing refers to.\n"
    )
    spec = _letter(tmp_path, body)
    problems = _problems(spec)
    assert all(p.severity == "warning" and p.code == "LK115" for p in problems), problems
    found = {(p.line, p.message.split(" ")[0]) for p in problems}
    assert found == {(1, "raw"), (3, "a"), (8, "the")}, problems
    assert any("<b>" in p.message for p in problems)
    assert any("</b>" in p.message for p in problems)
    assert any("horizontal rule" in p.message for p in problems)
    assert any("[^spare]" in p.message for p in problems)
    text = pdf_text(letterkit.render(spec))
    assert "<b>raw</b>" in text  # printed literally, as before
    assert "nothing refers to" not in text


def test_escaped_values_are_not_raw_html(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "To {{ variables.who }}.\n", variables="{who: '<i>Ms. X</i>'}")
    assert _problems(spec) == []
    assert "<i>Ms. X</i>" in pdf_text(letterkit.render(spec))


def test_check_reports_errors_and_warnings_together(tmp_path: Path) -> None:
    body = "Text <u>x</u>.\n\n![x](gone.png)\n\n---\n\n![y](http://example.org/y.png)\n"
    problems = _problems(_letter(tmp_path, body))
    codes = sorted((p.severity, p.code, p.line) for p in problems)
    assert codes == [
        ("error", "LK101", 3),
        ("error", "LK107", 7),
        ("warning", "LK115", 1),
        ("warning", "LK115", 5),
    ]


def test_letters_with_the_same_text_and_other_pictures_do_not_share_pages(
    tmp_path: Path,
) -> None:
    """The pages letters share are known by the images they draw, not only by their text."""
    drawn = []
    for index, size in enumerate([(300, 200), (200, 300)]):
        folder = tmp_path / str(index)
        folder.mkdir()
        _png(folder / "chart.png", size)
        spec = _letter(folder, "Before.\n\n![A chart](chart.png)\n")
        drawn.append(_drawn_images(letterkit.render(spec))[0][:2])
    assert drawn == [(300, 200), (200, 300)]


def test_a_note_referred_to_in_a_table_prints_on_its_page(tmp_path: Path) -> None:
    body = "Text.\n\n| A | B |\n|---|---|\n| x[^n] | y |\n\n[^n]: The note of the table.\n"
    spec = _letter(tmp_path, body)
    assert _problems(spec) == []
    [page] = page_texts(letterkit.render(spec))
    assert "1 The note of the table." in page


def test_a_table_of_a_header_alone_and_a_row_too_short(tmp_path: Path) -> None:
    body = "| A | B | C |\n|---|---|---|\n\nThen.\n\n| D | E |\n|---|---|\n| 1 |\n"
    spec = _letter(tmp_path, body)
    assert _problems(spec) == []
    text = " ".join(pdf_text(letterkit.render(spec)).split())
    assert "A B C Then. D E 1 Yours" in text


def test_an_image_in_a_table_prints_its_alt_text_with_a_warning(tmp_path: Path) -> None:
    _png(tmp_path / "c.png", (20, 10))
    spec = _letter(tmp_path, "| A |\n|---|\n| ![the chart](c.png) |\n")
    [problem] = _problems(spec)
    assert (problem.severity, problem.code, problem.line) == ("warning", "LK115", 3)
    pdf = letterkit.render(spec)
    assert "the chart" in pdf_text(pdf)
    assert _drawn_images(pdf) == []


@pytest.mark.parametrize(
    ("rows", "columns", "said"),
    [(1_001, 2, "more than 1,000 rows"), (600, 20, "more than 10,000 cells")],
)
def test_too_many_rows_or_cells_is_an_error(
    tmp_path: Path, rows: int, columns: int, said: str
) -> None:
    spec = _letter(tmp_path, "Text.\n\n" + _table(rows, columns))
    [problem] = _problems(spec)
    assert (problem.severity, problem.code, problem.line) == ("error", "LK150", 3)
    assert said in problem.message


def test_a_bundle_draws_the_table_and_image_in_every_letter(tmp_path: Path) -> None:
    """Each letter of a bundle has the body's table and chart, and `render
    --recipient` gives the bundle's very bytes."""

    from .test_bundle import _campaign

    campaign = _campaign(tmp_path / "c", 4)
    folder = campaign.parent
    _png(folder / "chart.png", (600, 300))
    template = (folder / "generic.md").read_text(encoding="utf-8")
    extra = "\n![A chart](chart.png)\n\n| Year | Count |\n|---|--:|\n| 2023 | 28 |\n\n"
    (folder / "generic.md").write_text(template.replace("\nWe thank", extra + "We thank"))
    out = tmp_path / "dist"
    letters = bundled(campaign, out)
    for entry in letters:
        pdf = (out / entry["file"]).read_bytes()
        assert [d[:2] for d in _drawn_images(pdf)] == [(600, 300)]
        assert "Year Count 2023 28" in " ".join(pdf_text(pdf).split())
    rendered_alone(campaign, next(e for e in letters if e["id"] == "R0001"), tmp_path)


def test_an_image_past_the_pixel_limit_is_an_error(tmp_path: Path) -> None:
    _png(tmp_path / "big.png", (40, 30))
    spec = _letter(tmp_path, "Text.\n\n![A big picture](big.png)\n")
    [problem] = letterkit.check(spec, limits=letterkit.Limits(image_pixels=1_000))
    assert (problem.severity, problem.code, problem.line) == ("error", "LK105", 3)
    assert "1,200" in problem.message


def test_the_same_picture_many_times_is_read_once_and_bounded(tmp_path: Path) -> None:
    _png(tmp_path / "c.png", (30, 20))
    for n in range(MAX_FILES + 1):
        _png(tmp_path / f"f{n}.png", (30, 20 + n))
    many = "".join("![x](c.png)\n\n" for _ in range(MAX_IMAGES))
    pdf = letterkit.render(_letter(tmp_path, "Text.\n\n" + many))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pictures = [
            o
            for o in doc.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
    assert len(pictures) == 1  # one image object, drawn many times
    too_many = _letter(tmp_path, "Text.\n\n" + many + "![y](c.png)\n")
    [problem] = _problems(too_many)
    assert (problem.code, problem.line) == ("LK150", 3 + 2 * MAX_IMAGES)
    files = "".join(f"![x](f{n}.png)\n\n" for n in range(MAX_FILES + 1))
    [problem] = _problems(_letter(tmp_path, "Text.\n\n" + files))
    assert problem.code == "LK150"
    assert f"f{MAX_FILES}.png" in problem.message


def test_a_row_taller_than_a_page_splits_and_short_rows_stay_whole(tmp_path: Path) -> None:
    words = "word " * 3000
    body = (
        FILLER * 8 + "| A | B |\n|---|---|\n| one two three four five six seven eight nine ten " * 1
    )
    body += (
        "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen " * 8 + "| short |\n"
    )
    body += f"| {words} | y |\n| last | row |\n"
    spec = _letter(tmp_path, body)
    assert _problems(spec) == []
    pages = [" ".join(t.split()) for t in page_texts(letterkit.render(spec))]
    assert sum(p.count("word") for p in pages) == 3000
    # the first row (several lines) is not cut between pages
    first = [i for i, p in enumerate(pages) if "one two three" in p or "eighteen short" in p]
    assert len(set(first)) == 1
    assert "last row" in pages[-1]


def test_a_reference_to_a_missing_note_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "First paragraph.\n\nText with a call[^2].\n\n[^1]: The only note.\n")
    found = [p for p in _problems(spec) if p.code == "LK115"]
    missing = [p for p in found if "no note [^2]" in p.message]
    assert len(missing) == 1
    assert missing[0].severity == "warning"
    assert missing[0].line == 3  # the line of the template that holds the call
    assert any("[^1] is never referred to" in p.message for p in found)
    (tmp_path / "e").mkdir()
    escaped = _letter(tmp_path / "e", "A \\[^2] sign.\n")
    assert not [p for p in _problems(escaped) if "no note" in p.message]


def test_a_letter_that_opens_on_a_long_table_starts_it_under_the_salutation(
    tmp_path: Path,
) -> None:
    pages = [
        " ".join(t.split()) for t in page_texts(letterkit.render(_letter(tmp_path, _table(60))))
    ]
    assert "Dear Ms. Example, Heading 1 Heading 2 Heading 3 r1c1" in pages[0]
    assert "r60c1" in pages[-1]


def test_a_code_block_prints_as_text_with_a_warning(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "First paragraph.\n\n    An indented paragraph by mistake.\n")
    [warning] = [p for p in _problems(spec) if p.code == "LK115"]
    assert warning.severity == "warning"
    assert warning.line == 3
    assert "code block" in warning.message
    assert "An indented paragraph by mistake." in pdf_text(letterkit.render(spec))
