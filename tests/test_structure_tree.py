"""The structure tree of a tagged letter, read back from the joined PDF with pikepdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pikepdf
import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas

from letterkit.errors import LetterkitError
from letterkit.pdf import _pypdf, splice, structure
from letterkit.pdf.subsets import name_subsets
from letterkit.typeset import fonts
from letterkit.typeset.tags import Element, LinkMark, Mark, Tags

SIZE = (300.0, 400.0)


def _part(pages: list[list[str]], links: frozenset[int] = frozenset()) -> bytes:
    """A ReportLab document: on each page, each line as one marked-content
    sequence (MCID 0, 1…), a link on the pages *links* names."""
    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=SIZE, invariant=1, initialFontName=fonts.SERIF)
    for index, lines in enumerate(pages):
        canvas.setFont(fonts.SERIF, 12)
        for mcid, line in enumerate(lines):
            canvas.addLiteral(f"/P <</MCID {mcid}>> BDC")
            canvas.drawString(20, 300 - 20 * mcid, line)
            canvas.addLiteral("EMC")
        if index in links:
            canvas.linkURL("https://example.org/", (20, 290, 120, 310))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _base(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*SIZE)
    writer.root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    return _pypdf.write_classic(writer)


OWN = [["Ms. Ilse Example", "Dear Ms. Example,"], ["To Ms. Example"]]
SHARED = [["Appeal", "We write about Temir.", "Logo", "example.org"], ["Signed: Anna Li"]]


def _own_tags() -> Tags:
    return Tags(
        [
            Element("P", [Mark(0, 0)]),
            Element("P", [Mark(0, 1), Element("Link", [LinkMark(0, 0)])]),
            Element("P", [Mark(1, 0)], lang="en"),
        ],
        [2, 1],
    )


def _shared_tags() -> Tags:
    return Tags(
        [
            Element("H1", [Mark(0, 0)]),
            Element("P", [Mark(0, 1)], actual="We write about Temir."),
            Element("Figure", [Mark(0, 2)], alt="The organisation's logo"),
            Element("Link", [Mark(0, 3), LinkMark(0, 0)]),
            Element(
                "Table",
                [Element("TR", [Element("TH", [Mark(1, 0)], scope="Column", ident="sig-1")])],
            ),
        ],
        [4, 1],
    )


def _tagged(own_tags: Tags | None = None, shared_tags: Tags | None = None) -> bytes:
    shared = splice.read(_part(SHARED, links=frozenset({0})))
    name_subsets(shared)
    tmpl = splice.template(_base(2), 2, shared, tags=shared_tags or _shared_tags())
    own = splice.read(_part(OWN, links=frozenset({0})))
    name_subsets(own)
    return splice.join(tmpl, own, b"<< /Title (Appeal) >>", tags=own_tags or _own_tags())


def _kids(elem: pikepdf.Dictionary) -> list[pikepdf.Object]:
    kids = elem.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _walk(elem: pikepdf.Dictionary, out: list[pikepdf.Dictionary]) -> None:
    for kid in _kids(elem):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            out.append(kid)
            _walk(kid, out)


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    out: list[pikepdf.Dictionary] = []
    _walk(pdf.Root.StructTreeRoot, out)
    return out


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def test_the_catalogue_declares_a_tagged_letter() -> None:
    """This test ensures that the catalogue of a tagged letter points at its
    structure tree, says it is marked, keeps its language and asks viewers
    to show the title."""
    with pikepdf.open(io.BytesIO(_tagged())) as pdf:
        root = pdf.Root
        assert root.StructTreeRoot.Type == "/StructTreeRoot"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(root.Lang) == "en-GB"
        assert str(pdf.docinfo["/Title"]) == "Appeal"
        # pikepdf 10 names it check_pdf_syntax, pikepdf 9 check.
        check = getattr(pdf, "check_pdf_syntax", None) or getattr(pdf, "check")  # noqa: B009
        assert check() == []


def test_the_document_holds_the_own_elements_then_the_shared_ones() -> None:
    """This test ensures that the tree's single Document element lists the own
    part's elements before the shared part's (reading order), each with its
    /P back to its parent."""
    with pikepdf.open(io.BytesIO(_tagged())) as pdf:
        tree = pdf.Root.StructTreeRoot
        document = tree.K
        assert document.S == "/Document"
        assert document.P.objgen == tree.objgen
        roles = [str(kid.S) for kid in document.K]
        assert roles == ["/P", "/P", "/P", "/H1", "/P", "/Figure", "/Link", "/Table"]
        for elem in _elements(pdf):
            assert any(kid.objgen == elem.objgen for kid in _kids(elem.P))


def test_every_mcid_of_pages_and_forms_resolves_to_its_element() -> None:
    """This test ensures that each page's /StructParents and each shared form's
    /StructParents key the parent tree, whose arrays give, for every MCID the
    content draws, the element that holds its marked-content reference."""
    with pikepdf.open(io.BytesIO(_tagged())) as pdf:
        parents = _parent_tree(pdf)
        held: dict[tuple[tuple[int, int], tuple[int, int] | None, int], tuple[int, int]] = {}
        for elem in _elements(pdf):
            for kid in _kids(elem):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    stm = kid.Stm.objgen if "/Stm" in kid else None
                    held[kid.Pg.objgen, stm, int(kid.MCID)] = elem.objgen
        assert len(held) == 3 + 5
        drawn = {0: (2, 4), 1: (1, 1)}
        for index, page in enumerate(pdf.pages):
            assert page.Tabs == "/S"
            key = int(page.StructParents)
            assert key == index
            array = parents[key]
            assert len(array) == drawn[index][0]
            for mcid, elem in enumerate(array):
                assert held[page.objgen, None, mcid] == elem.objgen
            form = page.Resources.XObject.LKShared
            array = parents[int(form.StructParents)]
            assert len(array) == drawn[index][1]
            for mcid, elem in enumerate(array):
                assert held[page.objgen, form.objgen, mcid] == elem.objgen
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(parents) + 1


def test_links_are_object_references_with_their_annotations_keyed() -> None:
    """This test ensures that a Link element holds an OBJR to its annotation on
    its page, and that the annotation's /StructParent keys the Link."""
    with pikepdf.open(io.BytesIO(_tagged())) as pdf:
        parents = _parent_tree(pdf)
        page = pdf.pages[0]
        links = [e for e in _elements(pdf) if e.S == "/Link"]
        assert len(links) == 2
        seen = set()
        for link in links:
            (objr,) = [
                k
                for k in _kids(link)
                if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
            ]
            assert objr.Pg.objgen == page.objgen
            annot = objr.Obj
            assert annot.Subtype == "/Link"
            assert parents[int(annot.StructParent)].objgen == link.objgen
            seen.add(annot.objgen)
        assert seen == {a.objgen for a in page.Annots}


def test_link_annotations_get_a_description() -> None:
    """This test ensures that a link annotation without /Contents gets its Link
    element's alternative text, or else the address it opens."""
    tags = Tags([Element("Link", [Mark(0, 0), LinkMark(0, 0)], alt="Anna's report")], [2, 1])
    with pikepdf.open(io.BytesIO(_tagged(own_tags=tags))) as pdf:
        contents = {}
        for link in (e for e in _elements(pdf) if e.S == "/Link"):
            for kid in _kids(link):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    contents[kid.Obj.objgen] = str(kid.Obj.Contents)
        assert sorted(contents.values()) == ["Anna's report", "https://example.org/"]


def test_element_attributes_are_written() -> None:
    """This test ensures that alt text, language, actual text, identifiers and
    a header cell's scope reach the elements, and identifiers the IDTree."""
    with pikepdf.open(io.BytesIO(_tagged())) as pdf:
        by_role = {str(e.S): e for e in _elements(pdf)}
        assert str(by_role["/Figure"].Alt) == "The organisation's logo"
        assert str(by_role["/H1"].get("/Lang", "")) == ""
        assert str(by_role["/TH"].A.Scope) == "/Column"
        assert by_role["/TH"].A.O == "/Table"
        assert str(by_role["/TH"].ID) == "sig-1"
        names = pdf.Root.StructTreeRoot.IDTree.Names
        assert str(names[0]) == "sig-1"
        assert names[1].objgen == by_role["/TH"].objgen
        langs = [str(e.Lang) for e in _elements(pdf) if "/Lang" in e]
        assert langs == ["en"]
        actual = [str(e.ActualText) for e in _elements(pdf) if "/ActualText" in e]
        assert actual == ["We write about Temir."]


def test_non_ascii_text_strings_read_back() -> None:
    """This test ensures that an alt text outside ASCII (Arabic, an apostrophe)
    is written as a Unicode text string that reads back the same."""
    alt = "شعار المنظمة ’logo’"
    tags = Tags([Element("Figure", [Mark(0, 0)], alt=alt)], [1])
    with pikepdf.open(io.BytesIO(_tagged(own_tags=tags))) as pdf:
        (figure,) = [e for e in _elements(pdf) if e.S == "/Figure" and str(e.Alt) == alt]
        assert figure.P.S == "/Document"


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (Tags([Element("P", [Mark(0, 5)])], [2, 1]), "MCID 5 on page 1, which draws 2"),
        (Tags([Element("P", [Mark(3, 0)])], [2, 1]), "on page 4 of a part of 2"),
        (Tags([Element("P", [Mark(0, 0)]), Element("P", [Mark(0, 0)])], [2, 1]), "in two elements"),
        (Tags([Element("Link", [LinkMark(1, 0)])], [2, 1]), "link 1 of page 2, which has 0"),
        (Tags([Element("P /S", [Mark(0, 0)])], [2, 1]), "'P /S', no standard type"),
        (Tags([Element("Paragraph", [Mark(0, 0)])], [2, 1]), "'Paragraph', no standard type"),
        (Tags([Element("TH", [Mark(0, 0)], scope="Diagonal")], [2, 1]), "scope 'Diagonal'"),
        (
            Tags([Element("P", [Mark(0, 0)], ident="sig-1")], [2, 1]),
            "two structure elements with the identifier 'sig-1'",
        ),
    ],
)
def test_tags_that_do_not_fit_the_pages_are_refused(tags: Tags, message: str) -> None:
    """This test ensures that tags naming what the part does not draw (or
    twice) raise an error saying which, instead of writing a broken tree."""
    with pytest.raises(LetterkitError, match=message):
        _tagged(own_tags=tags)


def test_the_same_parts_give_the_same_bytes_and_untagged_stays_untagged() -> None:
    """This test ensures that a tagged letter's bytes are the same from one
    run to the next, and a template made without tags writes no tree."""
    assert _tagged() == _tagged()
    shared = splice.read(_part(SHARED, links=frozenset({0})))
    name_subsets(shared)
    tmpl = splice.template(_base(2), 2, shared)
    own = splice.read(_part(OWN, links=frozenset({0})))
    name_subsets(own)
    plain = splice.join(tmpl, own, b"<< /Title (Appeal) >>", tags=_own_tags())
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root
        assert "/StructParents" not in pdf.pages[0]


def test_one_template_serves_letters_with_different_own_parts() -> None:
    """This test ensures that letters joined from one tagged template, each with
    its own part, each get a complete tree of their own."""
    shared = splice.read(_part(SHARED, links=frozenset({0})))
    name_subsets(shared)
    tmpl = splice.template(_base(2), 2, shared, tags=_shared_tags())
    texts = []
    for name in ("Anna", "Bernd Müller"):
        own = splice.read(_part([[f"Dear {name},"], [f"To {name}"]]))
        name_subsets(own)
        tags = Tags([Element("P", [Mark(0, 0)]), Element("P", [Mark(1, 0)])], [1, 1])
        with pikepdf.open(io.BytesIO(splice.join(tmpl, own, b"<< >>", tags=tags))) as pdf:
            document = pdf.Root.StructTreeRoot.K
            assert [str(k.S) for k in document.K][:3] == ["/P", "/P", "/H1"]
            texts.append(len(_parent_tree(pdf)[0]))
    assert texts == [1, 1]


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is absent")
def test_pdfinfo_says_tagged(tmp_path: object) -> None:
    """This test ensures that poppler reads the letter as tagged."""
    path = f"{tmp_path}/tagged.pdf"
    with open(path, "wb") as out:
        out.write(_tagged())
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info


def test_combined_parts_each_get_a_section_in_their_language() -> None:
    """This test ensures that the parts of a letter in several languages are
    put one after the other, each in a Sect with its language, their marks
    counted on after the pages before them."""
    first = Tags([Element("P", [Mark(0, 0)])], [1])
    second = Tags([Element("P", [Mark(0, 0), LinkMark(1, 0)])], [1, 0])
    tags = structure.combined([(first, 1, "en-GB"), (second, 2, "ar")])
    assert [(e.role, e.lang) for e in tags.elements] == [("Sect", "en-GB"), ("Sect", "ar")]
    assert tags.mcids == [1, 1, 0]
    inner = tags.elements[1].kids[0]
    assert isinstance(inner, Element)
    assert inner.kids == [Mark(1, 0), LinkMark(2, 0)]
