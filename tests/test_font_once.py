"""Each font program letterkit draws with is stored once per letter.

A letter is joined from its own part (addresses, salutation, the addressee
in the running head) and a part shared with other letters (the body, the
signatories, the feet), each a ReportLab document of its own. The own part
writes every character the shared part draws with the shared part's code,
so one subset of each font serves both, written once. These tests read the
letters back with pikepdf (which font programs, drawn by which pages), pypdf
(the text) and pdfium (the pixels, against the letter laid out whole).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest

import letterkit
from letterkit.bundle.campaign import letter_for, load_campaign
from letterkit.model import Letter
from letterkit.pipeline import build

from .conftest import EXAMPLE, ROOT, ExamplePdfs, page_texts, qpdf_problems

#: Example letters in Latin, Cyrillic and Arabic script.
EXAMPLES = ["askarov-eu-2018/letter", "askarov-eu-2018/letter.ru", "askarov-eu-2018/appeal.ky",
            "askarov-eu-2018/appeal.ar"]  # fmt: skip


def _fonts(resources: Any) -> list[Any]:
    """The font dictionaries of *resources* and of the forms it draws."""
    found: list[Any] = []
    if resources is None:
        return found
    for _name, font in (resources.get("/Font") or {}).items():
        found.append(font)
    for _name, form in (resources.get("/XObject") or {}).items():
        if form.get("/Subtype") == "/Form":
            found += _fonts(form.get("/Resources"))
    return found


def _programs(fonts: list[Any]) -> dict[str, set[tuple[int, int]]]:
    """The font programs (object ids) of *fonts*, by font name without the subset tag."""
    found: dict[str, set[tuple[int, int]]] = {}
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or "/FontFile2" not in descriptor:
            continue
        name = str(font.BaseFont).split("+", 1)[-1]
        found.setdefault(name, set()).add(descriptor.FontFile2.objgen)
    return found


def _letter_programs(pdf: bytes, pages: int) -> dict[str, set[tuple[int, int]]]:
    """The font programs letterkit draws with: those of the first *pages*
    pages (their own and their forms') and of the annex pages' stamps (the
    ``/LKStamp`` forms; an annex file's own fonts are its own)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        fonts = [f for page in doc.pages[:pages] for f in _fonts(page.obj.get("/Resources"))]
        for page in doc.pages[pages:]:
            forms = page.obj.get("/Resources", {}).get("/XObject") or {}
            for name, form in forms.items():
                if name.startswith("/LKStamp"):
                    fonts += _fonts(form.get("/Resources"))
        return {name: set(ids) for name, ids in _programs(fonts).items()}


def _stamp_fonts(pdf: bytes, pages: int) -> set[str]:
    """The fonts the annex pages' stamps draw with."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {
            str(font.BaseFont).split("+", 1)[-1]
            for page in doc.pages[pages:]
            for name, form in (page.obj.get("/Resources", {}).get("/XObject") or {}).items()
            if name.startswith("/LKStamp")
            for font in _fonts(form.get("/Resources"))
        }


def _repeated_streams(pdf: bytes) -> list[tuple[int, int]]:
    """Streams written more than once with the same dictionary and bytes."""
    seen: Counter[bytes] = Counter()
    first: dict[bytes, tuple[int, int]] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                head = sorted((k, str(v)) for k, v in obj.stream_dict.items() if k != "/Length")
                key = hashlib.sha256(repr(head).encode() + obj.read_raw_bytes()).digest()
                seen[key] += 1
                first.setdefault(key, obj.objgen)
    return [first[key] for key, count in seen.items() if count > 1]


def _letter_pages(pdf: bytes) -> int:
    """How many pages the letter has before its annexes (from the page labels)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        labels = [str(pikepdf.Page(p).label) for p in doc.pages]
    return sum(1 for label in labels if not label.startswith("A"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_font_of_the_letter_pages_is_stored_once(example_pdfs: ExamplePdfs, name: str) -> None:
    """This test ensures that the letter pages of each example (own part and
    shared forms) and the stamps of its annex draw every font from one font
    program, and that no stream is written twice."""
    pdf = example_pdfs[name]
    pages = _letter_pages(pdf)
    programs = _letter_programs(pdf, pages)
    assert programs, name
    if "letter" in name:  # the examples with an annex: its stamps share the footer's font
        assert _stamp_fonts(pdf, pages) == {"NotoSans-Regular"}, name
    assert {font: len(ids) for font, ids in programs.items() if len(ids) > 1} == {}, name
    assert _repeated_streams(pdf) == [], name


def test_the_benchmark_letter_stores_each_font_once(tmp_path: Path) -> None:
    """This test ensures that the reference letter of benchmarks/run.py (six
    letter pages, Cyrillic signatories, a 12-page annex) stores each font
    of its letter pages once."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from run import make_workload  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    make_workload(tmp_path, recipients=2)
    pdf = letterkit.render(tmp_path / "single.yaml")
    pages = _letter_pages(pdf)
    assert pages >= 5
    programs = _letter_programs(pdf, pages)
    assert {"NotoSerif-Regular", "NotoSans-Regular"} <= set(programs)
    assert _stamp_fonts(pdf, pages) == {"NotoSans-Regular"}
    assert {font: len(ids) for font, ids in programs.items() if len(ids) > 1} == {}
    assert _repeated_streams(pdf) == []


#: Addressees whose letters the English body does not have: the own part's
#: subsets grow the shared part's.
NAMES = ["Seán Ó Súilleabháin", "Мирлан Жээнбеков", "Ǆemal Đurić"]


def _addressed(name: str) -> Letter:
    """The example campaign's English letter to AT, addressed to *name*."""
    letter = letter_for(load_campaign(EXAMPLE / "campaign.yaml"), "AT")
    first = dataclasses.replace(letter.recipients[0], name=name, honorific="")
    return dataclasses.replace(letter, recipients=(first, *letter.recipients[1:]))


def _pixels(pdf: bytes, pages: int) -> list[bytes]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=100 / 72).to_pil().tobytes() for i in range(pages)]
    finally:
        doc.close()


@pytest.mark.parametrize("name", NAMES)
def test_an_addressee_with_letters_of_its_own_shares_the_fonts(name: str) -> None:
    """This test ensures that an addressee whose name has letters the shared
    part lacks gets them in the one subset both parts draw with: its name
    reads back on page 1 and in the running head of page 2, and the pages
    show the very pixels of the letter laid out as one document."""
    letter = _addressed(name)
    pdf = letterkit.render(letter)
    pages = _letter_pages(pdf)
    programs = _letter_programs(pdf, pages)
    assert {font: len(ids) for font, ids in programs.items() if len(ids) > 1} == {}
    texts = page_texts(pdf)
    assert name in texts[0]
    assert name in " ".join(texts[1].split())
    whole = build(letter, reuse=False).pdf
    # pypdf puts a blank before the text of a form (the shared page): words compared
    assert [t.split() for t in page_texts(whole)[:pages]] == [t.split() for t in texts[:pages]]
    assert _pixels(pdf, pages) == _pixels(whole, pages)
    assert qpdf_problems(pdf) == []


def test_an_addressee_with_letters_of_its_own_gives_the_same_bytes_alone(tmp_path: Path) -> None:
    """This test ensures that a letter whose own part grows the shared
    subsets is the same bytes after other letters of the campaign (the
    shared part reused) as in a fresh process, and from the command line's
    ``render CAMPAIGN --recipient``."""
    folder = tmp_path / "example"
    folder.mkdir()
    for item in EXAMPLE.iterdir():
        if item.is_file():
            (folder / item.name).write_bytes(item.read_bytes())
    rows = (folder / "recipients.csv").read_text(encoding="utf-8")
    extra = "XI,,Seán Ó Súilleabháin,Department of Foreign Affairs,Dublin | Éire,en-GB\n"
    (folder / "recipients.csv").write_text(rows.rstrip("\n") + "\n" + extra, encoding="utf-8")
    campaign = load_campaign(folder / "campaign.yaml")
    in_process = [letterkit.render(letter_for(campaign, rid)) for rid in ("AT", "XI", "BG", "XI")]
    assert in_process[1] == in_process[3]
    out = tmp_path / "xi.pdf"
    subprocess.run(
        [sys.executable, "-m", "letterkit", "render", str(folder / "campaign.yaml"),
         "--recipient", "XI", "-o", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    assert out.read_bytes() == in_process[1]
    assert "Seán Ó Súilleabháin" in page_texts(in_process[1])[0]


def test_the_stamps_of_several_annexes_share_one_font_program() -> None:
    """This test ensures that the stamps of three annexes (two files and a
    generated chronology) and the letter pages draw the stamps' font from
    one font program, and that the pages show the pixels of the letter laid
    out whole (where nothing is shared)."""
    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    annex = letter.annexes[0]
    again = dataclasses.replace(annex, title="Хронология", path=EXAMPLE / "chronology.ru.pdf")
    made = dataclasses.replace(annex, title="Events", path=None, generate="chronology")
    letter = dataclasses.replace(letter, annexes=(annex, again, made))
    pdf = letterkit.render(letter)
    pages = _letter_pages(pdf)
    programs = _letter_programs(pdf, pages)
    assert len(programs["NotoSans-Regular"]) == 1
    assert _stamp_fonts(pdf, pages) == {"NotoSans-Regular"}
    assert _repeated_streams(pdf) == []
    whole = build(letter, reuse=False).pdf
    total = len(page_texts(pdf))
    assert total == pages + 3
    assert _pixels(pdf, total) == _pixels(whole, total)


_HASH_ALL = """
import hashlib, json, sys
import letterkit
from letterkit.bundle.campaign import letter_for, load_campaign
campaign = load_campaign(sys.argv[1])
ids = list(campaign.filenames)[::-1]
print(json.dumps({i: hashlib.sha256(letterkit.render(letter_for(campaign, i))).hexdigest()
                  for i in ids}))
"""


def test_every_letter_of_the_campaign_is_the_same_in_any_order() -> None:
    """This test ensures that the letters of the example campaign (two
    languages, addresses of several shapes, so several shared parts and
    templates) are the same bytes made in one order in this process and in
    the opposite order in another: where the own part's codes started from
    never shows in a letter."""
    campaign = load_campaign(EXAMPLE / "campaign.yaml")
    here = {
        rid: hashlib.sha256(letterkit.render(letter_for(campaign, rid))).hexdigest()
        for rid in campaign.filenames
    }
    done = subprocess.run(
        [sys.executable, "-c", _HASH_ALL, str(EXAMPLE / "campaign.yaml")],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert json.loads(done.stdout) == here
