"""Annexes that are damaged but carried: the LK131 warning says what is wrong
in words (never a Python exception or bytes as Python writes them)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import letterkit
from letterkit.model import Annex
from letterkit.pdf import suspect

from .conftest import EXAMPLE
from .hostile.pdfs import make_pdf, page_tree

#: What shows Python's text rather than a user's.
PYTHON = re.compile(r"Error|Exception|\bb'|\bb\"|@\d|\\n|\\x")
ODD_VALUE = "an object holds something that is not a PDF value"


def _lk131(tmp_path: Path, pdf: bytes) -> list[str]:
    """The LK131 lines of the example letter with *pdf* as its one annex."""
    path = tmp_path / "annex.pdf"
    path.write_bytes(pdf)
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    result = letterkit.build(replace(base, annexes=(Annex(path=path, title="Damaged"),)))
    return [p.message for p in result.warnings if p.code == "LK131"]


@pytest.mark.parametrize(
    ("trailer", "said"),
    [
        (b"/Something {", ODD_VALUE),
        (b"/Something }", ODD_VALUE),
        (b"/Something ]", ODD_VALUE),
        (b"/Something )", ODD_VALUE),
        (b"/Something >", ODD_VALUE),
        (b"/Something[>>", ODD_VALUE),
        (b"x /Something", ODD_VALUE),
        (b"/Something <abqd>", "a hex string holds characters that are not hex digits"),
    ],
)
def test_a_trailer_holding_what_is_no_pdf_value_is_told_in_words(
    tmp_path: Path, trailer: bytes, said: str
) -> None:
    """This test ensures that a file whose trailer holds a broken value is
    carried with an LK131 warning that says so in words, whole."""
    lines = _lk131(tmp_path, make_pdf(page_tree(1, b"0 0 10 10 re f"), trailer=trailer))
    assert len(lines) == 1
    assert f"annex 1: it is damaged ({said}) and was read in repair mode" in lines[0]
    assert not PYTHON.search(lines[0]), lines[0]


def test_a_wrong_startxref_is_told_in_words(tmp_path: Path) -> None:
    """This test ensures that a file whose startxref points to the wrong place
    is carried with a warning naming its index of objects, not pypdf's text."""
    pdf = make_pdf(page_tree(1, b"0 0 10 10 re f"))
    head, sep, tail = pdf.rpartition(b"startxref\n")
    pdf = head + sep + b"%d" % (int(tail.split()[0]) - 3) + b"\n%%EOF\n"
    lines = _lk131(tmp_path, pdf)
    assert len(lines) == 1
    assert "the cross-reference table" in lines[0]
    assert "pointer(" not in lines[0]
    assert not PYTHON.search(lines[0]), lines[0]


@pytest.mark.parametrize(
    ("message", "said"),
    [
        (
            "PdfReadError(\"Invalid Elementary Object starting with b'{' @753: b' 1 0 R\\n "
            "/Something {\\n>>\\nst",
            ODD_VALUE,
        ),
        ("incorrect startxref pointer(3)", "is not where the file says"),
        ("invalid pdf header: b'# A P'", "something stands before its PDF header"),
        ("entry 2 in Xref table invalid but object found", "points to wrong places"),
        ("Invalid Root object in trailer", "does not lead to the document's catalog"),
        ("invalid offset 0 in object stream 1", "an object stream says"),
        ("Could not read Null object", "an object it refers to cannot be read"),
        ("PdfStreamError('Stream has ended unexpectedly')", suspect.BROKEN),
        (
            "Unable to find 'endstream' marker for obj starting at 341.",
            "unable to find 'endstream'",
        ),
        ("x" * 101, suspect.BROKEN),
        ("NumberObject(b'1.2.3') invalid; use 0 instead", suspect.BROKEN),
        ("EOF marker not found", "EOF marker not found"),
    ],
)
def test_pypdf_messages_about_damage_are_told_in_words(message: str, said: str) -> None:
    """This test ensures that every message pypdf gives about a damaged file
    reads as words: known ones by what they mean, the rest as they are when
    they read as words, else as a structure that cannot be followed."""
    words = suspect.damage(message)
    assert said in words
    assert not PYTHON.search(words)
    assert words.count("(") == words.count(")")


#: Run-length data with no end marker that decodes to a string left open.
BAD_RUNS = b"\x09q 0 g (abc"


def _headless(contents: list[bytes]) -> bytes:
    """A PDF without its header (qpdf rebuilds it), one page per stream of
    *contents*, each run-length encoded."""
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(contents)))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
    }
    for i, content in enumerate(contents):
        objects[3 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>"
            % (4 + 2 * i)
        )
        objects[4 + 2 * i] = (
            b"<< /Length %d /Filter /RunLengthDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
    pdf = make_pdf(objects)
    return pdf[pdf.index(b"\n") + 1 :]


def test_a_rebuilt_page_whose_content_cannot_be_read_is_named(tmp_path: Path) -> None:
    """This test ensures that when a file qpdf rebuilt keeps a page whose
    content cannot be read, the LK131 warning names it and says it may show
    blank."""
    lines = _lk131(tmp_path, _headless([BAD_RUNS]))
    assert lines == [
        "annex 1: it has no PDF header and was rebuilt with qpdf; page 1's content "
        "cannot be read: it may show blank; check its pages in the output"
    ]


def test_rebuilt_pages_whose_content_cannot_be_read_are_named_as_ranges(tmp_path: Path) -> None:
    """This test ensures that several such pages are named as ranges, and
    pages that read well are not named."""
    good = b"\x0d0 0 10 10 re f\x80"
    lines = _lk131(tmp_path, _headless([BAD_RUNS, BAD_RUNS, good, BAD_RUNS]))
    assert len(lines) == 1
    assert "; the content of pages 1-2, 4 cannot be read: they may show blank;" in lines[0]


def test_a_rebuilt_file_whose_pages_read_well_says_nothing_of_blank_pages(tmp_path: Path) -> None:
    """This test ensures that the note about blank pages is given only when a
    page's content cannot be read."""
    lines = _lk131(tmp_path, _headless([b"\x0d0 0 10 10 re f\x80"]))
    assert lines == [
        "annex 1: it has no PDF header and was rebuilt with qpdf; check its pages in the output"
    ]
