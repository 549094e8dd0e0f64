"""The combined PDF written as the letters come: its structure read back with
pikepdf, pypdf and pdfium, its bytes whatever the number of processes, no
half-written file after a failure, and memory that does not grow per letter."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from letterkit.bundle.build import build_bundle
from letterkit.bundle.manifest import LetterResult, combine_letters
from letterkit.files import TEMP_PREFIX, TEMP_SUFFIX
from letterkit.pdf import reuse
from letterkit.pdf.combine import Combined

from .conftest import ROOT, qpdf_problems
from .test_bundle import _campaign, _rename

pdfium = pytest.importorskip("pypdfium2")

COUNT = 16
ANNEX_PAGES = 3


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One campaign (English and French letters, a 3-page annex) built with one
    process and with two."""
    root = tmp_path_factory.mktemp("combined")
    campaign = _campaign(root / "c", COUNT, annex_pages=ANNEX_PAGES, combined="all.pdf")
    build_bundle(campaign, root / "one", jobs=1)
    build_bundle(campaign, root / "two", jobs=2)
    return root / "one", root / "two"


def _manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return data


def _temporary(folder: Path) -> list[str]:
    """The temporary files in *folder* (named as letterkit names them)."""
    return [
        p.name
        for p in folder.iterdir()
        if p.name.startswith(TEMP_PREFIX) and p.suffix == TEMP_SUFFIX
    ]


def test_same_bytes_with_one_process_or_two(bundles: tuple[Path, Path]) -> None:
    """This test ensures that the combined PDF does not depend on which worker
    finished first, and that the manifest records its size and hash."""
    one, two = bundles
    data = (two / "all.pdf").read_bytes()
    assert (one / "all.pdf").read_bytes() == data
    entry = _manifest(two)["combined"]
    assert entry["bytes"] == len(data)
    assert entry["pages"] == sum(e["pages"] for e in _manifest(two)["letters"])
    assert not _temporary(two)


def test_combining_the_files_afterwards_gives_the_same_bytes(
    bundles: tuple[Path, Path], tmp_path: Path
) -> None:
    """This test ensures that the combined PDF written while the letters are
    built is the one ``manifest merge`` writes from the finished files."""
    _, two = bundles
    letters = [LetterResult.from_entry(e) for e in _manifest(two)["letters"]]
    entry = combine_letters(letters, tmp_path / "again.pdf", [two / r.file for r in letters])
    assert (tmp_path / "again.pdf").read_bytes() == (two / "all.pdf").read_bytes()
    assert entry == {**_manifest(two)["combined"], "file": "again.pdf"}


def test_structure_outline_labels_and_shared_objects(bundles: tuple[Path, Path]) -> None:
    """This test ensures that every page is there in order, that the outline has
    one entry per recipient with the letter's own outline under it, that page
    labels read ``R0003:1`` and ``R0003:A1-3``, and that each annex stream and
    each font program is stored once."""
    _, out = bundles
    letters = _manifest(out)["letters"]
    combined = out / "all.pdf"
    with pikepdf.open(combined) as pdf:
        assert qpdf_problems(combined) == []
        assert len(pdf.pages) == sum(e["pages"] for e in letters)
        # Every recipient's entry is closed (a negative count of what opening it
        # shows): the root shows one line per recipient.
        assert int(pdf.Root.Outlines.Count) == len(letters)
        item, counts = pdf.Root.Outlines.First, []
        while True:
            counts.append(int(item.Count))
            if "/Next" not in item:
                break
            item = item.Next
        with pikepdf.open(out / letters[0]["file"]) as alone:
            assert counts[0] == -int(alone.Root.Outlines.Count)
        assert len(counts) == len(letters)
        assert all(c < 0 for c in counts), counts
        with pdf.open_outline() as outline:
            entries = list(outline.root)
            assert [e.title for e in entries] == [f"{e['id']} – {e['recipient']}" for e in letters]
            first = 0
            for entry, letter in zip(entries, letters, strict=True):
                with pikepdf.open(out / letter["file"]) as alone, alone.open_outline() as own:
                    assert [c.title for c in entry.children] == [c.title for c in own.root]
                assert entry.is_closed
                assert pdf.pages.index(pikepdf.Page(entry.destination[0])) == first
                first += letter["pages"]
        annex: dict[bytes, set[tuple[int, int]]] = {}
        for page in pdf.pages:
            for stream in page.obj.Contents:
                data = stream.read_bytes()
                if b"Supporting document, page" in data:
                    annex.setdefault(data, set()).add(stream.objgen)
        assert len(annex) == ANNEX_PAGES
        assert all(len(objs) == 1 for objs in annex.values()), annex
        programs: dict[str, set[tuple[int, int]]] = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                programs.setdefault(str(obj.FontName), set()).add(obj.FontFile2.objgen)
        assert programs
        assert all(len(objs) == 1 for objs in programs.values()), programs
        info = pdf.docinfo
        with pikepdf.open(out / letters[0]["file"]) as alone:
            assert str(info.Creator) == str(alone.docinfo.Creator)
            assert str(info.CreationDate) == str(alone.docinfo.CreationDate)
    labels = list(PdfReader(combined).page_labels)
    expected: list[str] = []
    for letter in letters:
        expected += [
            f"{letter['id']}:{label}" for label in PdfReader(out / letter["file"]).page_labels
        ]
    assert labels == expected
    assert "R0003:1" in labels
    assert f"R0003:A1-{ANNEX_PAGES}" in labels


def test_pdfium_and_pypdf_read_every_page(bundles: tuple[Path, Path]) -> None:
    """This test ensures that pdfium and pypdf read the combined PDF whole: each
    letter's first page shows its recipient."""
    _, out = bundles
    letters = _manifest(out)["letters"]
    doc = pdfium.PdfDocument(str(out / "all.pdf"))
    try:
        assert len(doc) == sum(e["pages"] for e in letters)
        first = 0
        for letter in letters[:4]:
            page = doc[first]
            textpage = page.get_textpage()
            text = textpage.get_text_range(0, textpage.count_chars())  # pypdfium2 4.30 too
            assert f"Member {int(letter['id'][1:])} Example" in text
            first += letter["pages"]
    finally:
        doc.close()
    reader = PdfReader(out / "all.pdf")
    assert all(page.extract_text() is not None for page in reader.pages)


def test_a_failed_letter_leaves_no_combined_pdf(tmp_path: Path) -> None:
    """This test ensures that a run in which a letter fails (going on with the
    others) writes no combined PDF and leaves no temporary file behind."""
    campaign = _campaign(tmp_path / "c", 4, combined="all.pdf")
    _rename(campaign, "Member 2 Example", "Member 王")
    out = tmp_path / "dist"
    result = build_bundle(campaign, out, jobs=2, keep_going=True)
    assert list(result.failed) == ["R0002"]
    assert not (out / "all.pdf").exists()
    assert not _temporary(out)
    assert "combined" not in _manifest(out)


def _combine(files: list[Path], target: Path) -> None:
    """The letters *files* combined into *target*."""
    with Combined(target) as writer:
        for n, path in enumerate(files):
            writer.add(path, f"R{n}", f"R{n}")
        writer.finish()


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_keeps_the_earlier_file(
    bundles: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type
) -> None:
    """This test ensures that Ctrl-C or an error in the middle of the combined
    PDF leaves the file that was there untouched and no temporary file."""
    _, out = bundles
    files = [out / e["file"] for e in _manifest(out)["letters"]]
    target = tmp_path / "all.pdf"
    target.write_bytes(b"the earlier file")
    calls = []
    place = reuse.Store.place

    def failing(self: reuse.Store, *args: Any) -> dict[int, int]:
        calls.append(1)
        if len(calls) == 3:
            raise error("stopped")
        return place(self, *args)

    monkeypatch.setattr(reuse.Store, "place", failing)
    with pytest.raises(error):
        _combine(files, target)
    assert target.read_bytes() == b"the earlier file"
    assert not _temporary(tmp_path)


def test_a_letter_that_is_not_a_pdf_is_named(bundles: tuple[Path, Path], tmp_path: Path) -> None:
    """This test ensures that a letter file that cannot be read stops the
    combined PDF with a message naming the file."""
    _, out = bundles
    bad = tmp_path / "R9.pdf"
    bad.write_bytes(b"not a PDF")
    first = out / _manifest(out)["letters"][0]["file"]
    with pytest.raises(ValueError, match=r"R9\.pdf: cannot add the letter"):
        _combine([first, bad], tmp_path / "all.pdf")
    assert not (tmp_path / "all.pdf").exists()
    assert not _temporary(tmp_path)


_MEMORY = """
import sys
from pathlib import Path
from letterkit.pdf.combine import Combined

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

files = [Path(p) for p in sys.argv[2:]]
with Combined(Path(sys.argv[1])) as writer:
    for n in range(320):
        writer.add(files[n % len(files)], f"R{n:04d}", f"R{n:04d} - Member")
        if n == 59:
            early = rss()
    late = rss()
    writer.finish()
print(early, late)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_memory_does_not_grow_per_letter(bundles: tuple[Path, Path], tmp_path: Path) -> None:
    """This test ensures that the process writing a combined PDF of 320 letters
    holds about as much memory after the last letter as after the 60th (the
    whole PDF in memory took about a megabyte a letter)."""
    _, out = bundles
    files = [str(out / e["file"]) for e in _manifest(out)["letters"]]
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(tmp_path / "all.pdf"), *files],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    early, late = (int(v) for v in done.stdout.split())
    grown = (late - early) / 260
    said = f"RSS after 60 letters {early} kB, after 320 {late} kB: {grown:.1f} kB a letter"
    sys.stdout.write(said + "\n")  # seen with -s
    assert grown < 30, said
    with pikepdf.open(tmp_path / "all.pdf") as pdf, pdf.open_outline() as outline:
        assert len(outline.root) == 320


@pytest.mark.slow
def test_ctrl_c_during_a_bundle_leaves_no_combined_pdf(tmp_path: Path) -> None:
    """This test ensures that Ctrl-C in the middle of a two-process bundle, with
    the combined PDF half written, leaves neither the combined PDF nor its
    temporary file, and that the next run writes it whole."""
    campaign = _campaign(tmp_path / "c", 40, combined="all.pdf")
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "letterkit", "bundle", str(campaign), "-o", str(out),
               "--jobs", "2", "--quiet"]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("R*.pdf"))) < 6:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert 6 <= len(list(out.glob("R*.pdf"))) < 40, "the run was not stopped midway"
    assert not (out / "all.pdf").exists()
    assert not _temporary(out)
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    with pikepdf.open(out / "all.pdf") as pdf, pdf.open_outline() as outline:
        assert len(outline.root) == 40
