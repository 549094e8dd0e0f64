"""Text copied out of every example letter: each word in reading order, as
the characters the letter has.

Each example is rendered while its paragraphs are recorded as they are
drawn (their logical text: what the letter says, before shaping, reordering
and line breaking); the text that pypdf and poppler's ``pdftotext`` read back
must hold every paragraph, in the order each part of the letter draws them,
with no word split by a space. Line breaks and the furniture of a page break
(running head, page foot, notes) may fall inside a paragraph.

poppler orders the characters of a right-to-left line by itself: it reverses
the letters a single glyph stands for (lam-alef, drawn as one glyph, reads
alef-lam) and puts digits, with the spaces and punctuation next to them, in
runs of their own. For the Arabic letter its text is compared letter by
letter, with that reversal made and spaces and punctuation left out.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

import letterkit
from letterkit import memo
from letterkit.typeset.textlayer import base_letters

from .conftest import EXAMPLE, EXAMPLES
from .test_rtl_text import _arabic_letter

SPECS = [
    *(f"askarov-eu-2018/{p.stem}" for p in sorted(EXAMPLE.glob("appeal.*.yaml"))),
    "askarov-eu-2018/letter",
    "askarov-eu-2018/letter.ru",
    *(f"shapes/{p.stem}" for p in sorted((EXAMPLES / "shapes").glob("L*.yaml"))),
]
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="poppler's pdftotext is not installed"
)

#: Direction marks and embeddings (pdftotext writes them around runs), soft hyphens.
_CONTROLS = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
#: Arabic presentation forms: never in the text read back.
_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
#: A paragraph drawn only when a list runs on to another page ("Signatories (continued)").
_RUNS_ON = re.compile(r"\((continued|продолжение|suite|continuación|тап|تابع)\)$")


@dataclass(frozen=True)
class Drawn:
    """One paragraph as drawn: the document it is in (in the order the
    documents were made), its page there (from 1) and its text."""

    document: int
    page: int
    text: str


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    paragraphs: tuple[Drawn, ...]


def _plain(paragraph: Paragraph) -> str:
    """A paragraph's logical text: its runs (or, in the part of a split
    paragraph, its words: lists of runs), a line break as a space."""
    pieces = []
    for frag in getattr(paragraph, "frags", None) or []:
        if not isinstance(frag, list):
            pieces.append(" " if getattr(frag, "lineBreak", False) else getattr(frag, "text", ""))
            continue
        word = "".join(" " if getattr(f, "lineBreak", False) else str(t) for f, t in frag[1:])
        kind = type(frag).__name__
        if kind == "_SplitFragHY" and word.endswith("-"):  # a hyphen added by the split
            word = word[:-1]
        pieces.append(word + (" " if "HS" in kind or kind == "_SplitFragLL" else ""))
    return " ".join(base_letters("".join(pieces)).split())


@contextlib.contextmanager
def _recording(into: list[Drawn]) -> Iterator[None]:
    """Record every paragraph drawn while inside, with its document and page."""
    draw = Paragraph.drawPara
    documents: dict[int, int] = {}

    def draw_para(self: Paragraph, debug: int = 0) -> None:
        canvas = self.canv
        number = documents.setdefault(id(canvas), len(documents))
        text = _plain(self)
        if text:
            into.append(Drawn(number, canvas.getPageNumber(), text))
        draw(self, debug)

    Paragraph.drawPara = draw_para  # type: ignore[method-assign]
    try:
        yield
    finally:
        Paragraph.drawPara = draw  # type: ignore[method-assign]


@functools.cache
def rendered(name: str) -> Rendered:
    """The example *name* rendered afresh (nothing remembered from another
    render), with its paragraphs as drawn."""
    drawn: list[Drawn] = []
    memo.forget()
    try:
        with _recording(drawn):
            pdf = letterkit.render(EXAMPLES / f"{name}.yaml")
    finally:
        memo.forget()
    return Rendered(pdf, tuple(d for d in drawn if not _RUNS_ON.search(d.text)))


def normalised(text: str) -> str:
    """*text* with controls dropped, every run of spaces one space, and none
    after a slash, an underscore or a hyphen that ends a line (a long
    address breaks there)."""
    text = _CONTROLS.sub("", text).replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"(?<=\S[/_-])\n", "", text)
    return " ".join(text.split())


def pypdf_text(pdf: bytes, vocabulary: frozenset[str] = frozenset()) -> str:
    """pypdf's text of every page; a word hyphenated at a line's end is
    joined where the joined word is one of *vocabulary*."""
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)

    def join(match: re.Match[str]) -> str:
        whole = match.group(1) + match.group(2)
        return whole if whole in vocabulary else match.group(0)

    return re.sub(r"(\w+)-\n(\w+)", join, text)


def poppler_text(pdf: bytes, *options: str) -> str:
    assert PDFTOTEXT is not None
    done = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", *options, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def find(piece: str, text: str, start: int = 0) -> int:
    """Where *piece* is in *text* (from *start*), allowing a page break (a
    stretch of up to 1,500 characters: foot, notes, running head) between
    two of its words; -1 when it is not."""
    at = text.find(piece, start)
    if at >= 0:
        return at
    words = piece.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]) + " ", " ".join(words[cut:])
        at = text.find(head, start)
        while at >= 0:
            after = text.find(tail, at + len(head))
            if 0 <= after - at - len(head) <= 1500:
                return at
            at = text.find(head, at + 1)
    return -1


def missing_or_out_of_order(paragraphs: tuple[Drawn, ...], text: str) -> list[str]:
    """The paragraphs *text* lacks, and the sentences (40 characters or more,
    ending in a full stop, a colon…) it holds before one that the same
    document draws earlier on the page. (The rest need only be there: page
    numbers are drawn once the page count is known, names in columns that
    poppler may read across.)"""
    problems = []
    last: dict[tuple[int, int], int] = {}
    for drawn in paragraphs:
        wanted = normalised(drawn.text)
        if len(wanted) < 40 or not re.search(r"[.:;!?…»)]$", wanted):
            if find(wanted, text) < 0:
                problems.append(f"missing: {wanted!r}")
            continue
        at = find(wanted, text, last.get((drawn.document, drawn.page), 0))
        if at < 0:
            where = "out of order" if find(wanted, text) >= 0 else "missing"
            problems.append(f"{where}: {wanted[:120]!r}")
        else:
            last[drawn.document, drawn.page] = at
    return problems


def vocabulary(paragraphs: tuple[Drawn, ...]) -> frozenset[str]:
    return frozenset(w for d in paragraphs for w in re.findall(r"\w+", normalised(d.text)))


def split_words(text: str, words: frozenset[str]) -> list[str]:
    """Words of *words* that *text* has with a space inside ("hu man")."""
    tokens = re.findall(r"\w+|\S", text)
    return [
        f"{a} {b}"
        for a, b in itertools.pairwise(tokens)
        if a + b in words and not (a in words and b in words)
    ]


def _rtl(name: str) -> bool:
    return name.endswith(".ar")


@pytest.mark.parametrize("name", SPECS)
def test_pypdf_reads_every_paragraph_in_order(name: str) -> None:
    """This test ensures that pypdf reads each paragraph of the letter whole,
    in the order of the letter, with no word split and no presentation form."""
    letter = rendered(name)
    words = vocabulary(letter.paragraphs)
    raw = pypdf_text(letter.pdf, words)
    text = normalised(raw)
    assert len(letter.paragraphs) >= 10
    assert missing_or_out_of_order(letter.paragraphs, text) == []
    assert split_words(text, words) == []
    assert not _FORMS.search(raw), _FORMS.findall(raw)[:10]


@needs_pdftotext
@pytest.mark.parametrize("name", [n for n in SPECS if not _rtl(n)])
def test_pdftotext_reads_every_paragraph_in_order(name: str) -> None:
    """This test ensures that poppler's pdftotext reads each paragraph whole,
    in the order of the letter (a hyphenated word joined again), with no
    word split."""
    letter = rendered(name)
    text = normalised(poppler_text(letter.pdf))
    assert missing_or_out_of_order(letter.paragraphs, text) == []
    assert split_words(text, vocabulary(letter.paragraphs)) == []


def _letters(text: str) -> str:
    """The letters and digits of *text* in order: no spaces, no punctuation."""
    return "".join(re.findall(r"\w", normalised(text)))


def _as_poppler_reads(text: str) -> str:
    """*text* as poppler reads a right-to-left line: lam-alef (one glyph) as
    alef, then lam."""
    return _letters(re.sub("\u0644([\u0622\u0623\u0625\u0627])", "\\1\u0644", text))


@needs_pdftotext
def test_pdftotext_reads_the_arabic_page_in_logical_order() -> None:
    """This test ensures that pdftotext reads the Arabic appeal's first page
    (a right-to-left page to poppler) word after word in logical order, the
    digits and Latin words of a line in their places."""
    letter = rendered("askarov-eu-2018/appeal.ar")
    first = poppler_text(letter.pdf, "-l", "1")
    read = _letters(first)
    on_page = [d for d in letter.paragraphs if d.page == 1 and re.search(r"\w", d.text)]
    assert len(on_page) >= 20
    # Whole paragraphs, or the part on the page (one runs on to page 2).
    lost = [d.text for d in on_page if _as_poppler_reads(d.text) not in read]
    assert all(_as_poppler_reads(" ".join(t.split()[:8])) in read for t in lost), lost
    assert len(lost) <= 1, lost
    spaced = normalised(first)
    for words in ("صاحب الفخامة", "تحية طيبة وبعد", "الموضوع", "حكم بالسجن المؤبد"):
        assert words in spaced, words
        assert words[::-1] not in spaced
    assert "Coalition for Human Rights Defenders in Central Asia" in spaced
    assert "(عدد المنظمات" in spaced  # a bracket as the text has it, not as drawn
    assert _as_poppler_reads("منذ 15 يونيو 2010، وقد مضى") in read


BRACKETS = (
    "وقد أيدت منظمة هيومن رايتس ووتش Human Rights Watch (HRW) هذا النداء [انظر الملحق] "
    "في تقريرها «الاحتجاز التعسفي» الصادر عام 2019.\n"
)


def test_brackets_drawn_mirrored_copy_as_the_text_has_them(tmp_path: Path) -> None:
    """This test ensures that a bracket a right-to-left line draws as its
    mirror image is read back as the bracket the text has, in its place
    (pypdf, which takes "[" and "«" for left-to-right letters)."""
    pdf = letterkit.render(_arabic_letter(tmp_path, BRACKETS))
    text = normalised(pypdf_text(pdf))
    assert (
        "وقد أيدت منظمة هيومن رايتس ووتش Human Rights Watch (HRW) هذا النداء [انظر الملحق] "
        "في تقريرها «الاحتجاز التعسفي» الصادر عام 2019."
    ) in text
    assert not re.search("[\ufdd0-\ufdef]", text)  # no stand-in is read back


@needs_pdftotext
def test_pdftotext_reads_brackets_and_a_latin_name_in_an_arabic_line(tmp_path: Path) -> None:
    """This test ensures that pdftotext reads the brackets of an Arabic line
    as the text has them, and a Latin name inside it in place. (poppler puts
    a bracket that ends a left-to-right stretch with the right-to-left text
    after it: only the letters are compared there.)"""
    pdf = letterkit.render(_arabic_letter(tmp_path, BRACKETS))
    page = poppler_text(pdf, "-l", "1")
    text = normalised(page)
    assert "[انظر الملحق]" in text
    assert "«" in text
    assert text.index("«") < text.index("التعسفي") < text.index("»")
    assert text.index("[انظر الملحق]") < text.index("«") < text.index("الصادر عام")
    sentence = "وقد أيدت منظمة هيومن رايتس ووتش Human Rights Watch HRW هذا النداء"
    assert _as_poppler_reads(sentence) in _letters(page)


def test_the_stand_ins_map_to_brackets_in_tounicode(tmp_path: Path) -> None:
    """This test ensures that the ToUnicode map of the code that draws a
    mirrored bracket gives the bracket the text has, and the glyph drawn is
    the mirror image's."""
    pdf = letterkit.render(_arabic_letter(tmp_path, BRACKETS))
    maps = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = font.get_object()
            if "/ToUnicode" in font:
                maps.append(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
    joined = "\n".join(maps)
    codes = re.findall(r"<([0-9A-F]{2})> <(00(?:28|29|5B|5D|AB|BB))>", joined)
    assert len(codes) >= 6  # "(" and ")" drawn each way, "[" "]" "«" "»"
    assert not re.search(r"<[0-9A-F]{2}> <FD[D-E][0-9A-F]>", joined)


@pytest.mark.parametrize("reader", ["pypdf", "pdftotext"])
def test_a_word_hyphenated_at_a_line_end_reads_whole(reader: str) -> None:
    """This test ensures that a word the justified text hyphenates at a
    line's end reads back whole: pdftotext joins it, pypdf's line ends with
    the hyphen and the word goes on at the next line's start."""
    letter = rendered("shapes/L7-un-council")
    if reader == "pdftotext":
        if PDFTOTEXT is None:
            pytest.skip("poppler's pdftotext is not installed")
        text = normalised(poppler_text(letter.pdf))
    else:
        raw = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.pdf)).pages)
        assert "a hu-\nman rights defender" in raw
        text = normalised(pypdf_text(letter.pdf, vocabulary(letter.paragraphs)))
    assert "Temir Sample, a human rights defender from Kyrgyzstan" in text


def test_a_ligature_in_the_text_copies_as_its_letters(tmp_path: Path) -> None:
    """This test ensures that a ligature character the text has ("ﬁ") is
    drawn as written and copied as its letters ("fi"), with pypdf and
    pdftotext alike, and that its ToUnicode entry gives them."""
    shutil.copy(EXAMPLE / "case.yaml", tmp_path / "case.yaml")
    (tmp_path / "t.md").write_text("The ﬁnal and ﬂuent oﬀer, a ﬃx.\n", encoding="utf-8")
    (tmp_path / "letter.yaml").write_text(
        "template: t.md\nlocale: en-GB\ndate: 2018-12-06\ncase: case.yaml\n"
        "signatories: [Amnesty International]\n",
        encoding="utf-8",
    )
    pdf = letterkit.render(tmp_path / "letter.yaml")
    assert "The final and fluent offer, a ffix." in normalised(pypdf_text(pdf))
    if PDFTOTEXT is not None:
        assert "The final and fluent offer, a ffix." in normalised(poppler_text(pdf))
    maps = [
        font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
        if "/ToUnicode" in font.get_object()
    ]
    joined = "\n".join(maps)
    assert "<00660069>" in joined  # fi
    assert "<006600660069>" in joined  # ffi
    assert not re.search(r"<[0-9A-F]{2}> <FB0[0-6]>", joined)
