"""Letters made from reused parts are the letters made alone.

The layout draws what depends on the recipient as the letter's own ReportLab
document and the rest once per layout (:mod:`letterkit.typeset.reuse`); the two are
joined as bytes (:mod:`letterkit.pdf.splice`). These tests hold the reuse to
giving, in one process, exactly the bytes a fresh process gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf

import letterkit
from letterkit import memo
from letterkit.bundle.campaign import letter_for, load_campaign

from .conftest import EXAMPLE, page_texts, qpdf_problems
from .pdfcheck import page_fonts

CAMPAIGN = EXAMPLE / "campaign.yaml"


def _fresh_render(rid: str, out: Path) -> bytes:
    """The letter of *rid* rendered by a new process (nothing reused)."""
    subprocess.run(
        [sys.executable, "-m", "letterkit", "render", str(CAMPAIGN), "--recipient", rid,
         "-o", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return out.read_bytes()


def test_letters_of_one_process_equal_letters_made_alone(tmp_path: Path) -> None:
    """This test ensures that rendering several recipients in one process (with
    parts reused between them, in English and French, with addresses of other
    shapes) gives each the bytes a fresh process gives."""
    campaign = load_campaign(CAMPAIGN)
    order = ["AT", "BE", "BG", "AT", "FR", "BE"]
    in_process = {rid: letterkit.render(letter_for(campaign, rid)) for rid in order}
    for rid in dict.fromkeys(order):
        alone = _fresh_render(rid, tmp_path / f"{rid}.pdf")
        assert in_process[rid] == alone, rid
        assert qpdf_problems(alone) == []


def test_shared_pages_are_forms_drawn_after_the_own_header() -> None:
    """This test ensures that a page after the first draws the letter's own part
    (the addressee in the header) and then the shared page as a form XObject,
    so text comes out in reading order: header, body, footer."""
    campaign = load_campaign(CAMPAIGN)
    pdf = letterkit.render(letter_for(campaign, "AT"))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        second = doc.pages[1]
        contents = second.obj.Contents
        assert isinstance(contents, pikepdf.Array)
        assert len(contents) == 2
        [form] = [x for _, x in second.Resources.XObject.items() if x.Subtype == "/Form"]
        assert "/Font" in form.Resources
    text = " ".join(page_texts(pdf)[1].split())
    assert text.startswith("H.E. Minister of Foreign Affairs")
    assert text.index("6 December 2018") < text.index("Page 2 of")
    assert "6 December 2018 · 2" not in text  # the page's number stands once, in its foot
    assert re.search(r"Page 2 of \d+$", text), text[-80:]


def test_a_new_date_reaches_the_shared_pages() -> None:
    """This test ensures that the date in the running header of later pages (drawn
    by the shared part) follows the letter: a letter with another date in the
    same process does not reuse the pages of the first."""
    campaign = load_campaign(CAMPAIGN)
    first = letter_for(campaign, "AT")
    later = dataclasses.replace(first, date=dt.date(2019, 3, 1))
    letterkit.render(first)
    texts = page_texts(letterkit.render(later))
    assert "1\u00a0March 2019" in texts[1]
    assert "6 December 2018" not in " ".join(texts[1].split())


def test_the_same_subset_gets_the_same_name_in_every_letter() -> None:
    """This test ensures that font subsets are named after their content: the
    shared pages of two letters name their subsets alike, and no name keeps
    ReportLab's per-document tag (``AAAAAA+``)."""
    campaign = load_campaign(CAMPAIGN)

    def names(pdf: bytes) -> tuple[set[str], set[str]]:
        """The page's own subsets, and those of the shared page it draws as a form."""
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            page = doc.pages[1]
            own = {str(f.BaseFont) for _, f in page.Resources.Font.items()}
            [form] = [x for _, x in page.Resources.XObject.items() if x.Subtype == "/Form"]
            shared = {str(f.BaseFont) for f in page_fonts(form.Resources)}
            return own, shared

    at_own, at_shared = names(letterkit.render(letter_for(campaign, "AT")))
    bg_own, bg_shared = names(letterkit.render(letter_for(campaign, "BG")))
    assert at_shared == bg_shared
    assert at_own
    assert all(name[7] == "+" and name[1:7].isupper() for name in at_own | at_shared)
    assert not any(name.startswith("/AAAAA") for name in at_own | at_shared | bg_own)


def test_a_page_1_without_shared_text_falls_back_to_one_document() -> None:
    """This test ensures that a letter whose body cannot start on page 1 (an
    address of 46 lines) is laid out whole as its own document: no shared
    forms, every page numbered, the salutation after the address."""
    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    recipient = dataclasses.replace(
        letter.recipients[0], address=tuple(f"Address line {n}" for n in range(1, 47))
    )
    pdf = letterkit.render(dataclasses.replace(letter, recipients=(recipient,)))
    assert qpdf_problems(pdf) == []
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    letter_pages = [i for i, t in enumerate(texts) if re.search(r"Page \d+ of \d+$", t)]
    assert len(letter_pages) >= 3
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert all("/XObject" not in doc.pages[i].Resources for i in letter_pages)
    assert "Dear" not in texts[0]
    salutation = next(i for i, t in enumerate(texts) if "Dear" in t)
    assert "Address line 46" in " ".join(texts[: salutation + 1])


def test_threads_get_the_letters_one_thread_gets() -> None:
    """This test ensures that letters rendered from several threads at once (which
    take turns inside the pipeline) are the letters rendered one by one."""
    campaign = load_campaign(CAMPAIGN)
    ids = ["AT", "BE", "BG", "FR"]
    alone = {rid: letterkit.render(letter_for(campaign, rid)) for rid in ids}
    got: dict[tuple[str, int], bytes] = {}

    def work(rid: str, n: int) -> None:
        got[rid, n] = letterkit.render(letter_for(campaign, rid))

    threads = [threading.Thread(target=work, args=(rid, n)) for rid in ids for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 8
    assert all(got[rid, n] == alone[rid] for rid, n in got)


HEADINGS = """---
subject: Headings
closing: Yours sincerely,
---
{% for i in range(12) %}
Paragraph {{ i }}. The defender was detained without charge and held in
conditions that the committee found to breach the covenant; his lawyers were
refused access to the file for months, and the court did not hear them.

## Heading {{ i }}

{% endfor %}
The end.
"""


def test_headings_stay_with_their_paragraph_after_other_letters(tmp_path: Path) -> None:
    """This test ensures that what ReportLab changes on shared paragraphs while
    laying out one letter (a heading's keep-with-next) is undone before the
    next: letters whose addresses differ in length, rendered one after the
    other, equal the same letters rendered from nothing, and no heading ends
    a page."""
    (tmp_path / "body.md").write_text(HEADINGS, encoding="utf-8")
    (tmp_path / "signatories.csv").write_text("name\nGroup A\nGroup B\n", encoding="utf-8")
    (tmp_path / "letter.yaml").write_text(
        "template: body.md\nlocale: en-GB\ndate: 2018-12-06\n"
        "recipients: [{name: X Y, address: [A]}]\nsignatories: signatories.csv\n"
        "case: {person: {name: Temir Sample}, country: KG}\n",
        encoding="utf-8",
    )
    letter = letterkit.load_letter(tmp_path / "letter.yaml")

    def variant(lines: int) -> letterkit.Letter:
        address = tuple(f"Line {n}" for n in range(lines))
        recipient = dataclasses.replace(letter.recipients[0], address=address)
        return dataclasses.replace(letter, recipients=(recipient,))

    in_turn = [letterkit.render(variant(n)) for n in range(14)]
    for n, pdf in enumerate(in_turn):
        memo.forget()
        assert pdf == letterkit.render(variant(n)), n
        for text in page_texts(pdf):
            body = [line for line in text.splitlines() if not line.startswith("Page ")]
            assert not re.fullmatch(r"Heading \d+", body[-1].strip()), (n, body[-1])
