"""Hostile annexes: files that cost a reader far more than their size.

Each case runs ``letterkit render`` in its own bounded process (see
``harness``) and ends cleanly: exit 0 with every annex page stamped, or
exit 1 with one LK130 line naming the annex by its name in the spec. Fast
in-process tests of the same defences are in ``tests/unit/test_annex_costs.py``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from . import annex_pdfs
from .harness import Outcome, assert_clean_end, letterkit, tree_digest


def _run(folder: Path, annex: bytes, code: str) -> Outcome:
    """Render the example letter with *annex* as its annex; assert a clean end
    with *code* and every file but the output left as it was."""
    (folder / "evil.pdf").write_bytes(annex)
    _use_evil(folder)
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, code, "evil.pdf", output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
    return result


def _use_evil(folder: Path) -> None:
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "  - path: chronology.pdf" in text
    spec.write_text(text.replace("  - path: chronology.pdf", "  - path: evil.pdf", 1), "utf-8")


#: (case, annex, code or "ok", what the problem says, annex pages when carried)
CASES: list[tuple[str, Callable[[], bytes], str, str, int]] = [
    ("repair of a 1.5 GB object stream", lambda: annex_pdfs.truncated(annex_pdfs.objstm_bomb()),
     "LK130", "passes the limits of 256 MB and 20 s", 0),
    ("object stream bomb pypdf stops", annex_pdfs.objstm_bomb, "LK130", "inflates beyond 75 MB", 0),
    ("5,000 pages share a 70 MB content stream, repaired by qpdf",
     lambda: annex_pdfs.shared_content(pages=5000, damaged=True), "ok", "", 5000),
    ("500 pages share resources nested 5,000 deep", annex_pdfs.deep_resources,
     "LK130", "nests its objects too deeply", 0),
    ("a font program inflates to 1 GB", annex_pdfs.font_bomb, "ok", "", 1),
]  # fmt: skip


@pytest.mark.slow  # a process per case, several seconds each
@pytest.mark.parametrize(
    ("make", "code", "says", "pages"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_costly_annex_ends_cleanly(
    folder: Path, make: Callable[[], bytes], code: str, says: str, pages: int
) -> None:
    result = _run(folder, make(), code)
    if code != "ok":
        line = result.problem_lines(code)[0]
        assert says in line, line
        assert str(folder) not in result.err, "the problem shows an absolute path"
        return
    _assert_stamped(folder / "out.pdf", pages)


def _assert_stamped(output: Path, pages: int) -> None:
    """Every annex page (the first, one in the middle, the last) carries its
    stamp, drawn by the last of its content streams. The text is read with
    the page's own streams left out: pypdf stops reading a 70 MB stream."""
    labels = list(PdfReader(output).page_labels)
    first = labels.index("A1-1")
    assert labels[-1] == f"A1-{pages}"
    numbers = sorted({1, (pages + 1) // 2, pages})
    with pikepdf.open(output) as pdf:
        stamps = pikepdf.Pdf.new()
        for n in numbers:
            page = pdf.pages[first + n - 1]
            streams = list(page.obj.Contents)
            page.obj.Contents = pikepdf.Array([streams[0], streams[-1]])
            stamps.pages.append(page)
        buffer = io.BytesIO()
        stamps.save(buffer)
    for n, page in zip(numbers, PdfReader(buffer).pages, strict=True):
        text = page.extract_text()
        assert f"Annex 1\u00a0– page {n} of {pages}" in text, text


@pytest.mark.slow
def test_shared_content_stream_stays_one_stream(folder: Path) -> None:
    """The 70 MB stream 50 pages draw is written once, untouched, and read once
    for the stamp's room: each page brackets it with the stamp's own small
    streams."""
    source = annex_pdfs.shared_content()
    _run(folder, source, "ok")
    _assert_stamped(folder / "out.pdf", 50)
    compressed = re.search(rb"stream\n(.*)\nendstream", source, re.S)
    assert compressed is not None
    with pikepdf.open(folder / "out.pdf") as pdf:
        shared = set()
        for page in list(pdf.pages)[-50:]:
            streams = list(page.obj.Contents)
            assert len(streams) == 3  # the stamp and q, the page's own stream, Q
            # A stream too large to read for the stamp's room counts as marks all
            # over: the stamp gets a strip, drawn first (a viewer that gives up on
            # the stream has drawn it), then q and a clip to the page's box.
            assert re.fullmatch(
                rb"q /LKStamp\d* Do Q\s+q\s+(\S+ ){4}re W n\s*", streams[0].read_bytes()
            )
            assert re.fullmatch(rb"\s*Q\s*", streams[2].read_bytes())
            shared.add(streams[1].objgen)
        assert len(shared) == 1
        (own,) = shared
        assert pdf.get_object(own).read_raw_bytes() == compressed.group(1)


@pytest.mark.slow
def test_shared_annotation_array_is_copied_once(folder: Path) -> None:
    _run(folder, annex_pdfs.shared_annots(pages=5000, annots=100), "ok")
    _assert_stamped(folder / "out.pdf", 5000)
    with pikepdf.open(folder / "out.pdf") as pdf:
        arrays = {page.obj.get("/Annots").objgen for page in list(pdf.pages)[-5000:]}
        assert len(arrays) == 1
        assert arrays != {(0, 0)}
        annots = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary)
            and o.get("/Type") == "/Annot"
            and [int(v) for v in o.Rect][1::2] == [10, 20]  # the annex's, not the letter's
        ]
        assert len(annots) == 100
        links = [a for a in annots if "/Dest" in a]
        first = list(pdf.pages)[-5000].obj.objgen
        assert links
        assert all(a.Dest[0].objgen == first for a in links)


def _annotations_per_page(pages: int, annotations: int) -> bytes:
    """*pages* pages, each with an array of its own holding the same *annotations*."""
    pdf = pikepdf.new()
    shared = [
        pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[0, 0, 10, 10]))
        for _ in range(annotations)
    ]  # fmt: skip
    for _ in range(pages):
        pdf.add_blank_page()
        pdf.pages[-1].Annots = pikepdf.Array(shared)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_an_annex_made_of_references_is_refused_before_it_is_read(folder: Path) -> None:
    result = _run(folder, _annotations_per_page(1_100, 1_000), "LK130")
    [line] = result.problem_lines("LK130")
    assert "holds about 1,10" in line
    assert "more than the 1,000,000 an annex may have" in line


def test_references_are_counted_after_any_white_space() -> None:
    from letterkit.pdf.inflation import MAX_REFERENCES
    from letterkit.pdf.inflation import refuse_dense as _refuse_dense
    from letterkit.typeset.generated import AnnexError

    _refuse_dense(b"1 0 R\n" * MAX_REFERENCES)
    for space in (b" ", b"\n", b"\r", b"\t"):
        with pytest.raises(AnnexError, match="more than the 1,000,000"):
            _refuse_dense((b"1 0" + space + b"R ") * (MAX_REFERENCES + 1))
