"""Letters rendered with ``archive`` set: their catalogue, pages, shared forms
and annexes as a tagged PDF holds them, read back with pikepdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

import letterkit
from letterkit import memo
from letterkit.bundle.campaign import letter_for

from .bundles import bundled, rendered_alone
from .conftest import EXAMPLE, EXAMPLES, qpdf_problems


def _tagged(letter: letterkit.Letter) -> bytes:
    return letterkit.render(replace(letter, archive="pdfa"))


def test_a_letter_with_archive_is_tagged_and_its_annex_left_as_it_is() -> None:
    """This test ensures that a letter asked for as an archive gets a structure
    tree, marked content declared, its language, its subject as the title
    shown, each letter page and its shared form keyed in the parent tree;
    the annex pages get no key and their stamps are drawn as artifacts."""
    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    result = letterkit.build(replace(letter, archive="pdfa"))
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        root = pdf.Root
        assert root.StructTreeRoot.K.S == "/Document"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(root.Lang) == letter.locale
        title = str(pdf.docinfo["/Title"])
        assert title.startswith("The case of Azimjon Askarov")
        first_page = PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
        assert title in " ".join(first_page.split())  # the subject line, as printed
        keys = _parent_keys(pdf)
        for index, page in enumerate(pdf.pages[: result.letter_pages]):
            assert int(page.StructParents) == index
            assert page.Tabs == "/S"
            assert index in keys
            form = page.Resources.XObject.LKShared
            assert int(form.StructParents) in keys
        annex = pdf.pages[result.letter_pages :]
        assert annex, "the example letter has an annex"
        for page in annex:
            assert "/StructParents" not in page
            stamps = [
                x for name, x in page.Resources.XObject.items() if name.startswith("/LKStamp")
            ]
            assert len(stamps) == 1
            drawn = stamps[0].read_bytes()
            assert drawn.startswith(b"/Artifact BMC\n")
            assert drawn.rstrip().endswith(b"EMC")
        check = getattr(pdf, "check_pdf_syntax", None) or getattr(pdf, "check")  # noqa: B009
        assert check() == []


def _parent_keys(pdf: pikepdf.Pdf) -> set[int]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]) for i in range(0, len(nums), 2)}


def test_a_plain_letter_has_no_structure() -> None:
    """This test ensures that without ``archive`` nothing of the tree is written."""
    pdf_bytes = letterkit.render(letterkit.load_letter(EXAMPLE / "letter.yaml"))
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for key in ("/StructTreeRoot", "/MarkInfo", "/ViewerPreferences"):
            assert key not in pdf.Root
        assert all("/StructParents" not in page for page in pdf.pages)
    assert b"/Artifact" not in pdf_bytes


def test_a_bundles_letter_is_its_render_alone_when_tagged() -> None:
    """This test ensures that a tagged letter joined from a template other
    letters used first has the bytes of the same letter rendered alone in a
    fresh process state, and that the same letter twice is the same bytes."""
    campaign = letterkit.load_campaign(EXAMPLE / "campaign.yaml")
    first, second = (letter_for(campaign, rid) for rid in ("AT", "BG"))
    _tagged(first)
    in_bundle = _tagged(second)
    assert _tagged(second) == in_bundle
    memo.forget()
    assert _tagged(second) == in_bundle
    with pikepdf.open(io.BytesIO(in_bundle)) as pdf:
        assert "/StructTreeRoot" in pdf.Root


def test_a_tagged_bundles_letters_are_their_renders_alone(tmp_path: Path) -> None:
    """This test ensures that the letters of a bundle with ``archive: pdfa``,
    in two languages, are tagged and byte for byte ``render CAMPAIGN
    --recipient ID``."""
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    campaign = folder / "campaign.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8") + "archive: pdfa\n", encoding="utf-8")
    letters = bundled(campaign, tmp_path / "dist")
    chosen = [e for e in letters if e["id"] in ("AT", "BE")]
    assert [e["locale"] for e in chosen] == ["en-GB", "fr"]
    for entry in chosen:
        with pikepdf.open(io.BytesIO(rendered_alone(campaign, entry, tmp_path))) as pdf:
            assert pdf.Root.StructTreeRoot.K.S == "/Document"
            assert str(pdf.Root.Lang) == entry["locale"]
    # The combined PDF carries no structure tree, and no page keys into one.
    with pikepdf.open(tmp_path / "dist" / "all-letters.pdf") as combined:
        assert "/StructTreeRoot" not in combined.Root
        assert "/MarkInfo" not in combined.Root
        assert len(combined.pages) >= 2 * len(letters)
        assert not [p for p in combined.pages if "/StructParents" in p.obj]
    assert qpdf_problems(tmp_path / "dist" / "all-letters.pdf") == []


def test_a_letter_in_two_languages_has_a_section_for_each() -> None:
    """This test ensures that each part of a letter in several languages is a
    section of the Document in the part's language, in the parts' order."""
    letter = letterkit.load_letter(EXAMPLES / "shapes" / "L13b-english-turkish.yaml")
    with pikepdf.open(io.BytesIO(_tagged(letter))) as pdf:
        document = pdf.Root.StructTreeRoot.K
        assert [(str(k.S), str(k.Lang)) for k in document.K] == [
            ("/Sect", "en-GB"),
            ("/Sect", "tr"),
        ]
        pages = [p for p in pdf.pages if "/StructParents" in p]
        assert [int(p.StructParents) for p in pages] == list(range(len(pages)))


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is absent")
def test_pdfinfo_says_an_example_letter_is_tagged(tmp_path: Path) -> None:
    """This test ensures that poppler reads a tagged example letter as tagged."""
    path = tmp_path / "tagged.pdf"
    path.write_bytes(_tagged(letterkit.load_letter(EXAMPLE / "appeal.ar.yaml")))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.MULTILINE), info.stdout
