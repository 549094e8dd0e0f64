"""Sizes and page furniture, read back from the PDF: every label (list number,
bullet, note number, signatory number) at its text's size with its right edge
on one line, note references at about 65 % of the body, the running head cut at
a word or counting the addressees, the page number once per page, and a
letterhead line that never starts or ends with its separator."""

from __future__ import annotations

import ctypes
import dataclasses
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.lib.units import mm

import letterkit
from letterkit.model import Recipient
from letterkit.typeset import fonts
from letterkit.typeset.letterhead import detail_lines
from letterkit.typeset.pages import running_head

from .conftest import ROOT, ExamplePdfs, page_texts
from .unit._letters import letter as code_letter

SHAPES = ROOT / "examples" / "shapes"
BODY_SIZE, NOTE_SIZE = 10.5, 8.5
LONG_NAME = (
    "Sooronbay Jeenbekovich Example-Longnamesson Extraordinarily-Longsurname Bishkekovich "
    "of the Presidential Administration of the Kyrgyz Republic"
)
ITEMS, NOTES, SIGNATORIES = 120, 12, 120


@dataclass(frozen=True)
class Glyph:
    char: str
    x0: float
    x1: float
    y: float  # the baseline
    size: float


@dataclass(frozen=True)
class Line:
    page: int
    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def glyphs(pdf: bytes) -> list[tuple[float, list[Glyph]]]:
    """(page height, the page's visible characters with their font size) for each page."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    out = []
    try:
        for page in doc:
            text = page.get_textpage()
            found = []
            x, y = ctypes.c_double(), ctypes.c_double()
            for k in range(text.count_chars()):
                char = text.get_text_range(k, 1)
                if not char.strip():
                    continue
                # the loose box: from the origin across the advance, not the ink
                left, _bottom, right, _top = text.get_charbox(k, loose=True)
                pdfium_c.FPDFText_GetCharOrigin(text.raw, k, ctypes.byref(x), ctypes.byref(y))
                size = pdfium_c.FPDFText_GetFontSize(text.raw, k)
                found.append(Glyph(char, left, right, y.value, round(size, 2)))
            out.append((page.get_size()[1], found))
            text.close()
            page.close()
    finally:
        doc.close()
    return out


def lines(pdf: bytes) -> Iterator[Line]:
    """The lines of every page, top to bottom, each left to right (glyphs on one baseline)."""
    for number, (_height, found) in enumerate(glyphs(pdf)):
        rows: dict[float, list[Glyph]] = {}
        for g in found:
            rows.setdefault(round(g.y, 1), []).append(g)
        for y in sorted(rows, reverse=True):
            yield Line(number, sorted(rows[y], key=lambda g: g.x0))


def _body(items: int = ITEMS) -> str:
    parts = ["Dear Sir,", ""]
    for n in range(1, NOTES + 1):
        parts += [
            f"Paragraph {n} refers to a note here.[^n{n}] It goes on for a while to make a "
            "line that wraps once or twice in the measure of the letter.",
            "",
        ]
    parts += ["The list:", ""]
    parts += [
        f"{n}. Item {n} is long enough to wrap onto a second line in the measure of the "
        "letter, so that the wrapped line shows."
        for n in range(1, items + 1)
    ]
    parts += ["", "- A bullet long enough to wrap onto a second line in the measure of the "
              "letter, so that its second line shows.", "- A short bullet", ""]  # fmt: skip
    parts += [
        f"[^n{n}]: Note {n} is long enough to wrap onto a second line at the foot of the "
        "page, in the size of the notes, which is smaller than the body text of the letter."
        for n in range(1, NOTES + 1)
    ]
    return "\n".join(parts) + "\n"


def _write(folder: Path, recipients: str, **extra: str) -> Path:
    (folder / "case.yaml").write_text((SHAPES / "case.yaml").read_text("utf-8"), "utf-8")
    (folder / "body.md").write_text(_body(), encoding="utf-8")
    signatories = "\n".join(f"  - {{name: Organisation {n}}}" for n in range(1, SIGNATORIES + 1))
    more = "".join(f"{k}: {v}\n" for k, v in extra.items())
    (folder / "letter.yaml").write_text(
        "template: body.md\nlocale: en-GB\ndate: 2019-06-19\nsubject: Furniture\n"
        f"recipients: {recipients}\ncase: case.yaml\nsignatory_style: numbered\n"
        "signatory_order: as-given\n"
        f"{more}signatories:\n{signatories}\n",
        encoding="utf-8",
    )
    return folder / "letter.yaml"


SENDER = (
    "{name: Example Rights Watch, address: [Avenue des Exemples 12, 1000 Brussels, "
    '"", Belgium, "Tel: +32 2 000 00 00", A second office at Rue des Exemples 8 in Geneva, '
    "Switzerland], email: brussels@rights.example.org}"
)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("furniture")
    spec = _write(folder, f"[{{honorific: H.E. Mr., name: {LONG_NAME}}}]", sender=SENDER)
    return letterkit.render(spec)


@pytest.fixture(scope="module")
def all_lines(pdf: bytes) -> list[Line]:
    return list(lines(pdf))


def _same(values: list[float], within: float = 0.2) -> bool:
    return max(values) - min(values) <= within


# --- sizes ---------------------------------------------------------------------


def test_no_text_is_set_in_reportlabs_default_label_size(pdf: bytes) -> None:
    sizes = {g.size for _h, found in glyphs(pdf) for g in found}
    assert 10.0 not in sizes
    assert {BODY_SIZE, NOTE_SIZE} <= sizes


def test_note_references_are_about_two_thirds_of_the_body(all_lines: list[Line]) -> None:
    refs = [g for line in all_lines for g in line.glyphs
            if g.size < NOTE_SIZE - 0.5 and g.char.isdigit()]  # fmt: skip
    assert len(refs) == sum(len(str(n)) for n in range(1, NOTES + 1))
    for g in refs:
        assert g.size == pytest.approx(0.65 * BODY_SIZE, abs=0.05)


def test_note_numbers_take_the_notes_size_on_one_right_edge(all_lines: list[Line]) -> None:
    notes = [line for line in all_lines if re.match(r"\d+Note\d+is", line.text)]
    assert [int(re.match(r"\d+", n.text)[0]) for n in notes] == list(range(1, NOTES + 1))  # type: ignore[index]
    ends, starts = [], []
    for note in notes:
        digits = len(re.match(r"\d+", note.text)[0])  # type: ignore[index]
        number, text = note.glyphs[:digits], note.glyphs[digits:]
        assert {g.size for g in number} == {NOTE_SIZE} == {g.size for g in text}
        ends.append(number[-1].x1)
        starts.append(text[0].x0)
    assert _same(ends)
    assert _same(starts)
    # a note's second line starts where its text does
    wrapped = [line for line in all_lines
               if line.text.endswith("bodytextoftheletter.") and not line.text[0].isdigit()]  # fmt: skip
    assert len(wrapped) == NOTES
    assert _same([w.glyphs[0].x0 for w in wrapped] + starts)


def _labelled(all_lines: list[Line], pattern: str) -> list[tuple[Line, int]]:
    """Lines that begin with a label matching *pattern*, with the label's length."""
    out = []
    for line in all_lines:
        m = re.match(pattern, line.text)
        if m:
            out.append((line, len(m.group(1))))
    return out


def test_list_numbers_1_to_120_share_one_right_edge_and_one_text_edge(
    all_lines: list[Line],
) -> None:
    items = _labelled(all_lines, r"(\d+\.)Item\d+is")
    assert len(items) == ITEMS
    ends = [line.glyphs[n - 1].x1 for line, n in items]
    starts = [line.glyphs[n].x0 for line, n in items]
    assert _same(ends)
    assert _same(starts)
    for line, n in items:
        assert {g.size for g in line.glyphs[:n]} == {BODY_SIZE}
    # every wrapped line of an item starts at the item's text edge
    wrapped = [line for line in all_lines
               if line.text.endswith("wrappedlineshows.") and not line.text[0].isdigit()]  # fmt: skip
    assert len(wrapped) >= ITEMS
    assert _same([w.glyphs[0].x0 for w in wrapped] + starts)


def test_a_label_costs_its_first_line_no_width(tmp_path: Path) -> None:
    """Justified, the first line of every wrapped item and bullet reaches the right
    margin like the lines after it: the label is not taken off its measure."""
    pdf = letterkit.render(_write(tmp_path, "[{name: Jo Example}]", justify="true"))
    right = 595.28 - 25 * mm
    found = list(lines(pdf))
    firsts = [
        line for line, after in itertools.pairwise(found)
        if re.match(r"(\d+\.Item|•Abullet)", line.text) and after.page == line.page
        and not after.text[0].isdigit() and after.text.endswith("lineshows.")
    ]  # fmt: skip
    assert len(firsts) == ITEMS + 1
    for line in firsts:
        assert line.glyphs[-1].x1 == pytest.approx(right, abs=0.5), line.text


def test_a_bullet_is_at_the_texts_size_and_its_wrapped_line_aligns(
    all_lines: list[Line],
) -> None:
    [bullet] = [line for line in all_lines if line.text.startswith("•Abullet")]
    assert bullet.glyphs[0].size == BODY_SIZE
    after = all_lines[all_lines.index(bullet) + 1]
    assert after.text.endswith("secondlineshows.")
    assert after.glyphs[0].x0 == pytest.approx(bullet.glyphs[1].x0, abs=0.2)
    [short] = [line for line in all_lines if line.text == "•Ashortbullet"]
    assert short.glyphs[0].x1 == pytest.approx(bullet.glyphs[0].x1, abs=0.2)


def test_numbered_signatories_take_their_names_size_on_one_right_edge(
    all_lines: list[Line],
) -> None:
    entries = _labelled(all_lines, r"(\d+\.)Organisation\d+$")
    assert len(entries) == SIGNATORIES
    for line, _n in entries:
        assert {g.size for g in line.glyphs} == {NOTE_SIZE}
    assert _same([line.glyphs[n - 1].x1 for line, n in entries])
    assert _same([line.glyphs[n].x0 for line, n in entries])


def test_an_example_with_numbered_signatories_has_them_at_their_size(
    example_pdfs: ExamplePdfs,
) -> None:
    entries = _labelled(list(lines(example_pdfs["shapes/L8-numbered"])), r"(\d+\.)\D")
    numbers = [int(line.text[: n - 1]) for line, n in entries]
    assert numbers == list(range(1, 42))
    assert {g.size for line, n in entries for g in line.glyphs[:n]} == {NOTE_SIZE}
    assert _same([line.glyphs[n - 1].x1 for line, n in entries])


# --- the running head and the page number ----------------------------------------


def _head(pdf: bytes, page: int) -> str:
    """The running head of *page* (0-based): the text above the top margin."""
    height, found = glyphs(pdf)[page]
    top = [g for g in found if g.y > height - 20 * mm]
    return "".join(g.char for g in sorted(top, key=lambda g: g.x0))


def test_a_long_addressee_is_cut_at_a_word_with_an_ellipsis(pdf: bytes) -> None:
    texts = page_texts(pdf)
    assert len(texts) > 3
    full = f"H.E. Mr. {LONG_NAME}"
    for text in texts[1:]:
        head = text.splitlines()[0]
        name = head[: head.index("…")]
        assert full.startswith(name)
        assert full[len(name)] == " "
        assert head.endswith("…")
        assert "19\u00a0June 2019" in text
    assert "…" not in texts[0]


def test_several_addressees_that_do_not_fit_are_counted(tmp_path: Path) -> None:
    recipients = ", ".join(
        f"{{honorific: H.E., name: Minister Number {n} of the Example Republic}}"
        for n in range(1, 6)
    )
    pdf = letterkit.render(_write(tmp_path, f"[{recipients}]"))
    for page in range(1, len(page_texts(pdf))):
        assert _head(pdf, page) == "5addressees19June2019"


@pytest.mark.parametrize(
    ("locale", "count", "words"),
    [
        ("en-GB", 2, "2 addressees"),
        ("fr", 3, "3 destinataires"),
        ("ru", 2, "2 адресата"),
        ("ru", 5, "5 адресатов"),
        ("ru", 21, "21 адресат"),
        ("de", 4, "4 Empfänger"),
    ],
)
def test_the_count_of_addressees_is_in_the_letters_language(
    locale: str, count: int, words: str
) -> None:
    fonts.register()
    people = tuple(Recipient(name=f"Person Number {n}", honorific="Ms") for n in range(count))
    letter = code_letter(locale=locale, recipients=people)
    assert running_head(letter, fonts.SANS, 8, 60) == words
    # the names when they fit
    assert running_head(letter, fonts.SANS, 8, 2000).startswith("Ms Person Number 0")
    one = dataclasses.replace(letter, recipients=people[:1])
    assert running_head(one, fonts.SANS, 8, 60).endswith("Person…")


def test_each_page_number_is_printed_once(pdf: bytes) -> None:
    texts = page_texts(pdf)
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert text.count(f"Page {number} of {total}") == 1
        assert text.count(f"Page {number} of") == 1
        if number > 1:
            head = _head(pdf, number - 1)
            assert not re.search(rf"(?<!\d){number}(?!\d)", head.replace("2019", "")), head


# --- the letterhead ----------------------------------------------------------------


def test_no_letterhead_line_starts_or_ends_with_a_separator(all_lines: list[Line]) -> None:
    first = [line for line in all_lines if line.page == 0]
    name = next(i for i, line in enumerate(first) if line.text == "ExampleRightsWatch")
    details = first[name + 1 : name + 3]
    assert len(details) == 2  # the address wraps
    for line in details:
        assert not line.text.startswith("·"), line.text
        assert not line.text.endswith("·"), line.text
        assert "··" not in line.text  # the empty part prints nothing
    assert "".join(line.text for line in details).count("·") == 5  # 7 parts, 1 line break


@pytest.mark.parametrize("width", [40.0, 90.0, 150.0, 220.0, 300.0, 450.0])
def test_the_address_line_breaks_only_between_parts(width: float) -> None:
    fonts.register()
    parts = ["Avenue des Exemples 12", "1000 Brussels", " ", "Belgium", "Tel: +32 2 000 00 00",
             "", "brussels@rights.example.org"]  # fmt: skip
    markup = detail_lines(parts, fonts.SANS, 8, width)
    rows = markup.split("<br/>")
    for row in rows:
        assert row.strip()
        assert not row.strip().startswith("·")
        assert not row.strip().endswith("·")
    assert [p for row in rows for p in row.split("\u00a0·\u00a0")] == [
        p for p in parts if p.strip()
    ]
