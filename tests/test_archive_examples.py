"""Every example letter with ``archive: pdfa``: tagged, and clean by the tests'
own PDF/UA-1 and PDF/A-2 checkers; the structure tree reads the letter's text
in order, every drawn glyph is in it or an artifact, each signatory is one
list item, each note follows its reference; the Arabic appeal reads in
logical order with its Latin runs in place and marked as English.

The letter's text to compare with is the plain render of the same letter
(``archive`` unset), as pypdf reads it in drawing order: the tree's words
(notes aside, which a tree places after their reference rather than at the
page foot) come in that order.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pypdf
import pytest

import letterkit

from .conformance import (
    check_pdfa2,
    check_pdfua,
    reading_text,
    rule_ids,
    structure_text,
    untagged_glyphs,
)
from .conformance.tree import Node, Reader
from .conformance.xmp import xmp_of
from .conftest import EXAMPLES, within

SPECS = [
    p
    for folder in (EXAMPLES / "askarov-eu-2018", EXAMPLES / "shapes")
    for p in sorted(folder.glob("*.yaml"))
    if p.name not in ("campaign.yaml", "case.yaml")
]
#: Seconds a tagged render may take before the test calls it stuck.
BLOCKED = 60
ARABIC = EXAMPLES / "askarov-eu-2018" / "appeal.ar.yaml"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) not installed",
)


@dataclasses.dataclass
class Rendered:
    """One example: its letter, the tagged build, the plain PDF, the tree read once."""

    letter: letterkit.Letter
    tagged: letterkit.BuildResult
    plain: bytes
    reader: Reader

    @property
    def letter_pages(self) -> list[int]:
        return list(range(self.tagged.letter_pages))


class Examples:
    """The examples rendered once for the module, each on first use."""

    def __init__(self) -> None:
        self._done: dict[Path, Rendered] = {}
        self._blocked: str | None = None

    def __getitem__(self, spec: Path) -> Rendered:
        if spec not in self._done:
            # A render that never ends holds the pipeline's lock: the rest then fail at once.
            assert self._blocked is None, f"{self._blocked} did not finish rendering"
            letter = letterkit.load_letter(spec)
            self._blocked = spec.name
            try:
                tagged = within(
                    BLOCKED, lambda: letterkit.build(dataclasses.replace(letter, archive="pdfa"))
                )
            except AssertionError as exc:
                raise AssertionError(
                    f"{spec.name}: the tagged render took over {BLOCKED} s"
                ) from exc
            self._blocked = None
            plain = letterkit.build(letter).pdf
            pages = list(range(tagged.letter_pages))
            reader = Reader(pikepdf.open(io.BytesIO(tagged.pdf)), pages)
            self._done[spec] = Rendered(letter, tagged, plain, reader)
        return self._done[spec]


@pytest.fixture(scope="module")
def examples() -> Examples:
    return Examples()


def _pdftotext(pdf: bytes, last_page: int, *options: str) -> str:
    run = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", "-l", str(last_page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return run.stdout.decode("utf-8")


def _words(text: str) -> list[str]:
    """Words to compare: soft hyphens gone, words broken at a line end joined, and
    hyphens dropped (a hyphenated compound may break at its hyphen)."""
    text = text.replace("\u00ad", "").replace("\u00a0", " ")
    text = re.sub(r"-\s*\n\s*", "", text).replace("-", "")
    # A note's raised number sits on the word before it in the plain text.
    text = re.sub(r"(?<=[^\W\d_]|[.,;:!?)\]»”’])\d+(?=\s|$)", "", text)
    return text.split()


def _subsequence(small: list[str], big: list[str]) -> tuple[int, str]:
    """How many of *small*'s words are found in order in *big*, and the first not found."""
    it = iter(big)
    for count, word in enumerate(small):
        if not any(word == other for other in it):
            return count, word
    return len(small), ""


def _name(spec: Path) -> str:
    return spec.name


@needs_poppler
@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_pdfinfo_says_tagged(examples: Examples, spec: Path) -> None:
    run = subprocess.run(
        ["pdfinfo", "-"], input=examples[spec].tagged.pdf, capture_output=True, check=True
    )
    assert re.search(r"^Tagged:\s+yes", run.stdout.decode(), re.M), run.stdout.decode()


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_letter_pages_pass_pdfua(examples: Examples, spec: Path) -> None:
    """This test ensures that the letter's own pages break no PDF/UA-1 rule the
    checker knows (annexes are left untagged as they came), and that a file
    declaring PDF/UA (pdfuaid) meets it on every page: never a false claim."""
    done = examples[spec]
    failures = check_pdfua(done.reader, done.letter_pages, claimed=False)
    assert failures == [], "\n".join(map(str, failures))
    if (xmp_of(done.reader.pdf) or {}).get("pdfuaid:part") is not None:
        whole = check_pdfua(done.tagged.pdf)
        assert whole == [], "declares PDF/UA, yet:\n" + "\n".join(map(str, whole))


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_whole_file_passes_pdfa2(examples: Examples, spec: Path) -> None:
    """This test ensures that the file breaks no PDF/A-2 rule the checker knows,
    or declares no PDF/A at all (an annex that does not conform)."""
    done = examples[spec]
    failures = check_pdfa2(done.tagged.pdf)
    if any(w.code == "LK135" for w in done.tagged.warnings):
        assert "6.6.4-1" in rule_ids(failures), "an annex does not conform, yet pdfaid is declared"
        return
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_every_glyph_in_tree_or_artifact(examples: Examples, spec: Path) -> None:
    done = examples[spec]
    assert any(role == "Document" for role, _ in structure_text(done.reader))
    assert untagged_glyphs(done.reader) == []


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_tree_reads_the_letter_in_order(examples: Examples, spec: Path) -> None:
    """This test ensures that the tree's text, notes and their raised numbers
    aside, is the letter's text in order: each of its words found, in turn, in
    the plain letter's text as pypdf reads it in drawing order. In a
    right-to-left letter, pypdf places the digits and Latin runs of a line
    by their drawing, not where the sentence reads them: there the order is
    that of the right-to-left words, and every other word must be in the
    letter as often."""
    done = examples[spec]
    r = pypdf.PdfReader(io.BytesIO(done.plain))
    plain = _words("\n".join(r.pages[i].extract_text() for i in done.letter_pages))
    notes = {id(n) for n in done.reader.nodes() if n.role in ("Note", "Reference")}
    tree = _words(" ".join(_text_without(done.reader, top, notes) for top in done.reader.top))
    if any(_RTL.fullmatch(word) for word in tree):
        others = Counter(w for w in tree if not _RTL.fullmatch(w))
        assert others <= Counter(plain), others - Counter(plain)
        tree = [w for w in tree if _RTL.fullmatch(w)]
        plain = [w for w in plain if _RTL.fullmatch(w)]
    found, missing = _subsequence(tree, plain)
    assert found == len(tree), f"word {found} {missing!r} of the tree is not next in the letter"
    # What the tree leaves out is what is drawn as an artifact (running heads,
    # page numbers, "continued" headings): no word of the letter is lost.
    left_out = Counter(_words("\n".join(r.pages[i].extract_text() for i in done.letter_pages)))
    left_out -= Counter(_words(reading_text(done.reader)))
    drawn = _words(" ".join(d.text for d in done.reader.walk.drawn if d.artifact))
    artifacts = Counter([*drawn, *(w[::-1] for w in drawn)])  # right to left: as drawn
    assert left_out <= artifacts, f"left out of the tree: {left_out - artifacts}"


#: A word of right-to-left letters (Arabic, Hebrew and their marks).
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+")


def test_a_word_hyphenated_in_a_paragraph_with_a_note_reads_whole(examples: Examples) -> None:
    """This test ensures that a word the layout breaks with a hyphen at a line's
    end reads whole in the tree also in a paragraph that refers to a note
    (L7's first paragraph: "hu-" / "man")."""
    done = examples[EXAMPLES / "shapes" / "L7-un-council.yaml"]
    text = " ".join(reading_text(done.reader).split())
    assert "Temir Sample, a human rights defender" in text
    assert "hu-man" not in text


def _text_without(reader: Reader, node: Node, skip: set[int]) -> str:
    """The text of *node* leaving out the elements in *skip* (by id)."""
    if id(node) in skip:
        return ""
    if node.obj.get("/ActualText") is not None:
        return str(node.obj.ActualText)
    parts = []
    for entry in node.order:
        if isinstance(entry, Node):
            parts.append(_text_without(reader, entry, skip))
        else:
            parts.append(reader.text_of_item(entry))
    return " ".join(parts)


def _plain(text: str) -> str:
    """*text* with typographic quotes as typed ones and spaces collapsed."""
    text = text.translate(str.maketrans("\u2019\u2018\u201c\u201d\u00a0", "''\"\" "))
    return " ".join(text.split())


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_each_signatory_is_one_list_item(examples: Examples, spec: Path) -> None:
    done = examples[spec]
    items = [_plain(text) for role, text in structure_text(done.reader) if role == "LI"]
    for signatory in done.letter.signatories:
        if signatory.withhold:  # printed as "name withheld", in the locale's words
            continue
        holding = [text for text in items if _plain(signatory.name) in text]
        assert len(holding) >= 1, f"{signatory.name} is in no LI"
        assert min(len(t) for t in holding) < len(signatory.name) + 200, holding


def _has_footnotes(letter: letterkit.Letter) -> bool:
    return any(
        Path(p).suffix == ".md" and "[^" in Path(p).read_text(encoding="utf-8")
        for p in letter.inputs
    )


@pytest.mark.parametrize("spec", SPECS, ids=_name)
def test_each_note_follows_its_reference(examples: Examples, spec: Path) -> None:
    """This test ensures that a letter with footnotes has a Note for each, each
    after the Reference that carries its label."""
    done = examples[spec]
    seen: list[str] = []
    notes = 0
    for role, text in structure_text(done.reader):
        if role == "Reference":
            seen.append(text.strip())
        elif role == "Note":
            notes += 1
            label = text.split()[0] if text.split() else ""
            assert label in seen, f"note {text[:40]!r} comes before a reference {label!r}"
    if _has_footnotes(done.letter):
        assert notes > 0, "the letter's Markdown has footnotes, the tree no Note"
    assert notes == len(seen), f"{notes} notes, {len(seen)} references"


@needs_poppler
def test_arabic_appeal_reads_in_logical_order(examples: Examples) -> None:
    """This test ensures that the Arabic appeal's tree and pdftotext give logical
    order Arabic with the Latin runs in place, /Lang ar with en spans."""
    done = examples[ARABIC]
    doc = pikepdf.open(io.BytesIO(done.tagged.pdf))
    assert str(doc.Root.Lang).startswith("ar")
    recipient = done.letter.recipients[0].name
    sender = done.letter.sender.name if done.letter.sender else None
    assert isinstance(recipient, str)
    assert isinstance(sender, str)  # the Latin run: the English name of the sender
    tree = reading_text(done.reader)
    text = " ".join(_pdftotext(done.tagged.pdf, done.tagged.letter_pages).split())
    for got in (tree, text):
        assert recipient in got
        assert sender in got
    english = [
        done.reader.text(node)
        for node in done.reader.nodes()
        if str(node.obj.get("/Lang", "")).startswith("en")
    ] + [d.text for d in done.reader.walk.drawn if (d.lang or "").startswith("en")]
    english = [" ".join(english)]  # a span may be marked content split over lines
    assert any(sender in t for t in english), english[:5]
