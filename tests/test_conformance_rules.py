"""The tests' own PDF/UA-1 and PDF/A-2 checker: each rule passes on the crafted
good page and fails, with its ID and a message naming the place, on a file
broken for that rule alone.

Matterhorn Protocol 1.1 failure conditions are named ``matterhorn_NN_NNN``,
veraPDF PDF/A-2 rules ``verapdf_<clause>_<test>``, the font rules of ISO
14289-1 ``ua1_<clause>_<test>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pikepdf
import pytest

from .conformance import (
    Failure,
    check_pdfa2,
    check_pdfua,
    reading_text,
    rule_ids,
    structure_text,
    untagged_glyphs,
)
from .conformance.crafted import INFO, TEXT, _xmp, append_content, broken, element, good_pdf
from .conformance.fonts import parse_cmap
from .conformance.pdfa import pdf_date
from .conftest import CORPUS


@pytest.fixture(scope="module")
def good() -> bytes:
    return good_pdf()


def _ua(change: Callable[[pikepdf.Pdf], None], **options: object) -> list[Failure]:
    return check_pdfua(broken(change, **options))


def _a(change: Callable[[pikepdf.Pdf], None], **options: object) -> list[Failure]:
    return check_pdfa2(broken(change, **options))


def _only(failures: list[Failure], rule: str, words: str) -> None:
    """*rule* is among *failures*, and its message says *words*."""
    found = [f for f in failures if f.rule == rule]
    assert found, f"{rule} not reported; got {[str(f) for f in failures]}"
    assert any(words in f.message for f in found), [str(f) for f in found]


def _font(pdf: pikepdf.Pdf) -> Any:
    return pdf.pages[0].Resources.Font["/F2+0"]


# -- the good page ---------------------------------------------------------


def test_good_page_passes_both_checkers(good: bytes) -> None:
    """This test ensures that the crafted tagged page breaks no rule of either checker."""
    assert check_pdfua(good) == []
    assert check_pdfa2(good) == []


def test_structure_text_reads_the_tree_in_order(good: bytes) -> None:
    """This test ensures that the walker gives each element's text from its MCIDs,
    also from a form's own numbering (/Stm), in the tree's order."""
    leaves = [(role, text) for role, text in structure_text(good) if role in dict(TEXT)]
    assert leaves == [(r, t) for r, t in TEXT if r not in ("L", "LI")]
    assert reading_text(good) == " ".join(t for _, t in TEXT)
    assert ("LI", "1. Release him now.") in structure_text(good)
    assert untagged_glyphs(good) == []


def test_untagged_glyphs_names_text_outside_the_tree() -> None:
    pdf = broken(lambda p: append_content(p, b"BT /F2+0 11 Tf 60 300 Td (\x01\x02) Tj ET"))
    stray = untagged_glyphs(pdf)
    assert len(stray) == 1
    assert stray[0].startswith("page 1: ")


def test_actual_text_stands_for_the_glyphs() -> None:
    """This test ensures that a marked-content sequence's /ActualText is its text."""

    def change(p: pikepdf.Pdf) -> None:
        data = p.pages[0].Contents.read_bytes()
        data = data.replace(b"/H1 <</MCID 0>> BDC", b"/H1 <</MCID 0 /ActualText (Heading)>> BDC")
        p.pages[0].Contents.write(data)

    assert structure_text(broken(change))[1] == ("H1", "Heading")


def test_reversed_chars_read_back_in_logical_order() -> None:
    """This test ensures that a show string inside ReversedChars marked content
    (right-to-left text written in visual order) reads in logical order."""

    def change(p: pikepdf.Pdf) -> None:
        data = p.pages[0].Contents.read_bytes()
        start = data.index(b"/H1 <</MCID 0>> BDC")
        end = data.index(b"EMC", start)
        p.pages[0].Contents.write(
            data[:start] + b"/ReversedChars BMC " + data[start:end] + b"EMC " + data[end:]
        )

    assert structure_text(broken(change))[1] == ("H1", TEXT[0][1][::-1])


def test_cmap_reader_handles_bfchar_bfrange_and_arrays() -> None:
    cmap = b"""1 begincodespacerange <0000> <FFFF> endcodespacerange
    2 beginbfchar <0003> <0041> <0004> <00660069> endbfchar
    1 beginbfrange <0010> <0012> <0061> endbfrange
    1 beginbfrange <0020> <0021> [<0627> <D83DDE00>] endbfrange"""
    mapping, width = parse_cmap(cmap)
    assert width == 2
    assert mapping[b"\x00\x03"] == "A"
    assert mapping[b"\x00\x04"] == "fi"
    assert [mapping[bytes([0, c])] for c in (0x10, 0x11, 0x12)] == ["a", "b", "c"]
    assert mapping[b"\x00\x20"] == "\u0627"
    assert mapping[b"\x00\x21"] == "\U0001f600"


def test_dates_compare_across_info_and_xmp() -> None:
    assert pdf_date("D:20181206120000+01'00'") == pdf_date("2018-12-06T12:00:00+01:00")
    assert pdf_date("D:20181206120000Z") != pdf_date("2018-12-06T12:00:00+01:00")


def test_annex_pages_can_be_left_out_of_the_ua_content_rules() -> None:
    """This test ensures that untagged annex pages fail UA only when checked."""

    def add_annex(p: pikepdf.Pdf) -> None:
        annex = p.add_blank_page(page_size=(595, 842))
        annex.Resources = pikepdf.Dictionary(Font=p.pages[0].Resources.Font)
        annex.Contents = p.make_stream(b"BT /F2+0 11 Tf 60 300 Td (\x01) Tj ET")

    pdf = broken(add_annex)
    _only(check_pdfua(pdf), "01-005", "page 2")
    assert check_pdfua(pdf, pages=[0]) == []


# -- PDF/UA-1 --------------------------------------------------------------


def test_ua1_6_2_1_and_7_1_11_untagged_file() -> None:
    """This test ensures that a file without /MarkInfo and structure tree fails
    both, and its text counts as neither tagged nor artifact (01-005)."""

    def change(p: pikepdf.Pdf) -> None:
        del p.Root["/MarkInfo"]
        del p.Root["/StructTreeRoot"]

    failures = _ua(change)
    _only(failures, "UA1:6.2-1", "/MarkInfo")
    _only(failures, "UA1:7.1-11", "/StructTreeRoot")
    _only(failures, "01-005", "page 1: text")


def test_matterhorn_01_005_text_outside_marked_content() -> None:
    pdf = broken(lambda p: append_content(p, b"BT /F2+0 11 Tf 60 300 Td (\x01) Tj ET"))
    _only(check_pdfua(pdf), "01-005", "page 1: text")


def test_matterhorn_01_005_path_outside_marked_content() -> None:
    _only(_ua(lambda p: append_content(p, b"0 0 10 10 re f")), "01-005", "path")


def test_matterhorn_01_005_mcid_in_no_element() -> None:
    code = b"/P <</MCID 40>> BDC BT /F2+0 11 Tf 60 300 Td (\x01) Tj ET EMC"
    _only(_ua(lambda p: append_content(p, code)), "01-005", "MCID 40 in no structure element")


def test_matterhorn_01_003_artifact_inside_tagged_content() -> None:
    code = b"/P <</MCID 0>> BDC /Artifact BMC 0 0 5 5 re f EMC EMC"
    _only(_ua(lambda p: append_content(p, code)), "01-003", "Artifact inside tagged")


def test_matterhorn_01_004_tagged_content_inside_artifact() -> None:
    code = b"/Artifact BMC /P <</MCID 0>> BDC 0 0 5 5 re f EMC EMC"
    _only(_ua(lambda p: append_content(p, code)), "01-004", "MCID 0 inside")


def test_matterhorn_01_007_suspects() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.Root.MarkInfo.Suspects = True

    _only(_ua(change), "01-007", "Suspects")


def test_matterhorn_02_001_unmapped_nonstandard_type() -> None:
    def change(p: pikepdf.Pdf) -> None:
        element(p, "P").S = pikepdf.Name("/Para")

    _only(_ua(change), "02-001", "Para")


def test_matterhorn_02_003_circular_role_map() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(A=pikepdf.Name.B, B=pikepdf.Name.A)

    _only(_ua(change), "02-003", "circular")


def test_matterhorn_02_004_standard_type_remapped() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(P=pikepdf.Name.Span)

    _only(_ua(change), "02-004", "standard type P")


def test_matterhorn_06_001_no_xmp() -> None:
    _only(_ua(lambda p: p.Root.__delitem__("/Metadata")), "06-001", "XMP")


def test_matterhorn_06_002_no_pdfua_identifier() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.Root.Metadata.write(_xmp(INFO, ua=False))

    _only(_ua(change), "06-002", "pdfuaid:part")


def test_matterhorn_06_002_identifier_not_required_when_not_claimed() -> None:
    """This test ensures that a file that does not declare PDF/UA is checked for
    every other rule."""
    pdf = broken(lambda p: p.Root.Metadata.write(_xmp(INFO, ua=False)))
    assert check_pdfua(pdf, claimed=False) == []


def test_matterhorn_06_003_no_dc_title() -> None:
    def change(p: pikepdf.Pdf) -> None:
        xmp = re.sub(rb"<dc:title>.*?</dc:title>", b"", _xmp(INFO), flags=re.S)
        p.Root.Metadata.write(xmp)

    _only(_ua(change), "06-003", "dc:title")


def test_matterhorn_07_001_no_display_doc_title() -> None:
    _only(_ua(lambda p: p.Root.__delitem__("/ViewerPreferences")), "07-001", "DisplayDocTitle")


def test_matterhorn_07_002_display_doc_title_false() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.Root.ViewerPreferences.DisplayDocTitle = False

    _only(_ua(change), "07-002", "false")


def test_matterhorn_09_004_table_cells_outside_a_row() -> None:
    def change(p: pikepdf.Pdf) -> None:
        element(p, "TR").S = pikepdf.Name.Div

    failures = _ua(change)
    _only(failures, "09-004", "TH element")
    _only(failures, "09-004", "not in a TR")


def test_matterhorn_09_005_list_item_outside_a_list() -> None:
    def change(p: pikepdf.Pdf) -> None:
        element(p, "L").S = pikepdf.Name.Div

    _only(_ua(change), "09-005", "not in an L")


def test_matterhorn_10_001_font_without_tounicode() -> None:
    _only(_ua(lambda p: _font(p).__delitem__("/ToUnicode")), "10-001", "no /ToUnicode")


def test_matterhorn_10_001_code_without_mapping() -> None:
    def change(p: pikepdf.Pdf) -> None:
        _font(p).ToUnicode = p.make_stream(
            b"begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <01> <0052> endbfchar"
        )

    _only(_ua(change), "10-001", "have no Unicode mapping")


def test_matterhorn_11_001_no_document_language() -> None:
    _only(_ua(lambda p: p.Root.__delitem__("/Lang")), "11-001", "/Lang")


def test_matterhorn_11_001_malformed_span_language() -> None:
    def change(p: pikepdf.Pdf) -> None:
        element(p, "P").Lang = pikepdf.String("english please")

    _only(_ua(change), "11-001", "english please")


def test_matterhorn_13_004_figure_without_alt() -> None:
    _only(_ua(lambda p: element(p, "Figure").__delitem__("/Alt")), "13-004", "Figure element")


def test_matterhorn_14_003_heading_level_skipped() -> None:
    def change(p: pikepdf.Pdf) -> None:
        element(p, "P").S = pikepdf.Name.H3

    _only(_ua(change), "14-003", "H3 follows H1")


def test_matterhorn_15_003_header_cell_without_scope() -> None:
    _only(_ua(lambda p: element(p, "TH").__delitem__("/A")), "15-003", "TH element")


def test_matterhorn_19_003_note_without_id() -> None:
    _only(_ua(lambda p: element(p, "Note").__delitem__("/ID")), "19-003", "Note element")


def test_matterhorn_19_004_note_ids_not_unique() -> None:
    def change(p: pikepdf.Pdf) -> None:
        ref = element(p, "Reference")
        ref.S, ref.ID = pikepdf.Name.Note, pikepdf.String("note-1")

    _only(_ua(change), "19-004", "not unique")


def test_matterhorn_28_008_annotations_without_tabs() -> None:
    _only(_ua(lambda p: p.pages[0].obj.__delitem__("/Tabs")), "28-008", "page 1")


def test_matterhorn_28_009_tabs_not_structure_order() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.pages[0].Tabs = pikepdf.Name.R

    _only(_ua(change), "28-009", "/R")


def test_matterhorn_28_011_link_annotation_in_no_link_element() -> None:
    def change(p: pikepdf.Pdf) -> None:
        link = element(p, "Link")
        link.K = pikepdf.Array([link.K[0]])

    _only(_ua(change), "28-011", "in no Link element")


def test_matterhorn_28_011_link_annotation_without_struct_parent() -> None:
    _only(
        _ua(lambda p: p.pages[0].Annots[0].__delitem__("/StructParent")), "28-011", "StructParent"
    )


def test_matterhorn_28_012_link_without_description() -> None:
    _only(_ua(lambda p: p.pages[0].Annots[0].__delitem__("/Contents")), "28-012", "/Contents")


def test_matterhorn_28_012_link_with_an_empty_description() -> None:
    def empty(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].Annots[0].Contents = pikepdf.String("")

    _only(_ua(empty), "28-012", "/Contents")


def test_ua1_7_21_4_1_1_font_not_embedded() -> None:
    _only(_ua(lambda p: _font(p).FontDescriptor.__delitem__("/FontFile2")), "UA1:7.21.4.1-1", "F2")


def test_iso32000_14_7_4_4_parent_tree_names_another_element() -> None:
    def change(p: pikepdf.Pdf) -> None:
        nums = p.Root.StructTreeRoot.ParentTree.Nums
        first = nums[1]
        first[0], first[1] = first[1], first[0]

    _only(_ua(change), "ISO32000-1:14.7.4.4", "MCID 0")


def test_iso32000_14_7_4_4_page_without_struct_parents() -> None:
    _only(
        _ua(lambda p: p.pages[0].obj.__delitem__("/StructParents")),
        "ISO32000-1:14.7.4.4",
        "no /StructParents",
    )


def test_iso32000_14_7_4_4_parent_tree_without_the_page() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.pages[0].StructParents = 7

    _only(_ua(change), "ISO32000-1:14.7.4.4", "no entry 7")


def test_matterhorn_30_002_form_with_mcids_drawn_twice() -> None:
    pdf = broken(lambda p: append_content(p, b"q 1 0 0 1 0 -40 cm /FormXob.shared Do Q"))
    _only(check_pdfua(pdf), "30-002", "drawn 2 times")


# -- PDF/A-2 ---------------------------------------------------------------


def test_verapdf_6_1_2_1_header_not_at_byte_zero(good: bytes) -> None:
    _only(check_pdfa2(b"\n" + good), "6.1.2-1", "begins")


def test_verapdf_6_1_2_2_no_binary_comment(good: bytes) -> None:
    line = good.split(b"\n")[1]
    plain = good.replace(line, b"%" + b"a" * (len(line) - 1), 1)
    _only(check_pdfa2(plain), "6.1.2-2", "127")


def test_verapdf_6_1_3_1_no_file_identifier(good: bytes) -> None:
    m = re.search(rb"/ID\s*\[[^\]]*\]", good)
    assert m is not None
    _only(check_pdfa2(good.replace(m.group(0), b" " * len(m.group(0)))), "6.1.3-1", "/ID")


def test_verapdf_6_1_3_2_encrypted() -> None:
    locked = pikepdf.Encryption(owner="owner", user="", R=4)
    _only(_a(lambda p: None, encryption=locked), "6.1.3-2", "encrypted")


def test_verapdf_6_6_2_1_1_no_xmp() -> None:
    _only(_a(lambda p: p.Root.__delitem__("/Metadata")), "6.6.2.1-1", "no XMP")


def test_verapdf_6_6_2_1_2_packet_header_with_bytes() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.Root.Metadata.write(_xmp(INFO).replace(b'id="', b'bytes="1200" id="', 1))

    _only(_a(change), "6.6.2.1-2", "bytes")


def test_verapdf_6_6_2_1_4_xmp_not_well_formed() -> None:
    _only(_a(lambda p: p.Root.Metadata.write(_xmp(INFO)[:-40])), "6.6.2.1-4", "not well-formed")


def test_verapdf_6_6_4_1_no_pdfaid() -> None:
    _only(_a(lambda p: p.Root.Metadata.write(_xmp(INFO, part_a=None))), "6.6.4-1", "pdfaid:part")


def test_verapdf_6_6_4_2_wrong_part() -> None:
    _only(_a(lambda p: p.Root.Metadata.write(_xmp(INFO, part_a="1"))), "6.6.4-2", "not 2")


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("/Title", "6.7.3-2"),
        ("/Author", "6.7.3-3"),
        ("/Producer", "6.7.3-7"),
        ("/CreationDate", "6.7.3-1"),
    ],
)
def test_verapdf_6_7_3_info_out_of_sync_with_xmp(key: str, rule: str) -> None:
    """This test ensures that every Info entry that differs from its XMP property
    fails, named by key (veraPDF numbers the rule 6.7.3-n in PDF/A-1)."""

    def change(p: pikepdf.Pdf) -> None:
        value = "D:20200101000000Z" if key.endswith("Date") else "Something else"
        p.trailer.Info[key] = pikepdf.String(value)

    _only(_a(change), rule, f"Info {key}")


def test_verapdf_6_2_3_1_output_profile_of_wrong_class() -> None:
    def change(p: pikepdf.Pdf) -> None:
        stream = p.Root.OutputIntents[0].DestOutputProfile
        data = bytearray(stream.read_bytes())
        data[12:16] = b"scnr"
        stream.write(bytes(data))

    _only(_a(change), "6.2.3-1", "scnr")


def test_verapdf_6_2_4_3_2_device_rgb_without_output_intent() -> None:
    failures = _a(lambda p: p.Root.__delitem__("/OutputIntents"))
    _only(failures, "6.2.4.3-2", "DeviceRGB")
    _only(failures, "6.2.4.3-4", "DeviceGray")


def test_verapdf_6_2_4_3_3_device_cmyk_with_rgb_intent() -> None:
    code = b"/Artifact BMC q 0 0 0 1 k 0 0 10 10 re f Q EMC"
    _only(_a(lambda p: append_content(p, code)), "6.2.4.3-3", "DeviceCMYK")


def test_verapdf_6_2_10_2_transparency_group_without_colour_space() -> None:
    def change(p: pikepdf.Pdf) -> None:
        del p.Root["/OutputIntents"]
        p.pages[0].Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency)

    _only(_a(change), "6.2.10-2", "page 1")


def test_verapdf_6_2_11_4_1_1_font_not_embedded() -> None:
    _only(_a(lambda p: _font(p).FontDescriptor.__delitem__("/FontFile2")), "6.2.11.4.1-1", "F2")


def test_verapdf_6_2_11_7_2_1_font_without_tounicode() -> None:
    _only(_a(lambda p: _font(p).__delitem__("/ToUnicode")), "6.2.11.7.2-1", "no ToUnicode")


def test_verapdf_6_2_11_7_2_2_mapping_to_byte_order_mark() -> None:
    def change(p: pikepdf.Pdf) -> None:
        marks = b" ".join([b"<FEFF>"] * 256)
        _font(p).ToUnicode = p.make_stream(b"1 beginbfrange <00> <FF> [" + marks + b"] endbfrange")

    _only(_a(change), "6.2.11.7.2-2", "FEFF")


def test_verapdf_6_3_1_1_forbidden_annotation_type() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.pages[0].Annots[0].Subtype = pikepdf.Name.Movie

    _only(_a(change), "6.3.1-1", "/Movie")


def test_verapdf_6_3_2_1_annotation_without_flags() -> None:
    _only(_a(lambda p: p.pages[0].Annots[0].__delitem__("/F")), "6.3.2-1", "no /F")


def test_verapdf_6_3_2_2_annotation_not_printed() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.pages[0].Annots[0].F = 2

    _only(_a(change), "6.3.2-2", "print")


def test_verapdf_6_5_1_1_javascript_action() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.pages[0].Annots[0].A = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )

    _only(_a(change), "6.5.1-1", "/JavaScript")


def test_verapdf_6_5_2_1_catalogue_additional_actions() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.Root.AA = pikepdf.Dictionary()

    _only(_a(change), "6.5.2-1", "/AA")


def test_verapdf_6_8_5_embedded_file_not_pdfa() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.attachments["data.csv"] = pikepdf.AttachedFileSpec(p, b"name\nTemir\n")

    _only(_a(change), "6.8-5", "no PDF/A")


def test_verapdf_6_8_2_embedded_file_without_uf() -> None:
    def change(p: pikepdf.Pdf) -> None:
        p.attachments["data.csv"] = pikepdf.AttachedFileSpec(p, b"name\n")
        for obj in p.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Filespec":
                del obj["/UF"]

    _only(_a(change), "6.8-2", "/UF")


def test_verapdf_6_7_2_2_1_level_a_not_marked() -> None:
    _only(_a(lambda p: p.Root.__delitem__("/MarkInfo")), "6.7.2.2-1", "/Marked")


def test_verapdf_6_7_3_3_1_level_a_without_structure_tree() -> None:
    _only(_a(lambda p: p.Root.__delitem__("/StructTreeRoot")), "6.7.3.3-1", "/StructTreeRoot")


def test_rule_ids_of_a_broken_file_are_only_its_own() -> None:
    """This test ensures that breaking one rule does not set off unrelated ones."""
    failures = _ua(lambda p: element(p, "Figure").__delitem__("/Alt"))
    assert rule_ids(failures) == {"13-004"}
    assert rule_ids(_a(lambda p: p.Root.__delitem__("/OutputIntents"))) <= {
        "6.2.4.3-2",
        "6.2.4.3-4",
    }


#: The corpus's files but its few large ones (kept quick; they add no new structure).
CORPUS_FILES = (
    sorted(p for p in CORPUS.glob("*.pdf") if p.stat().st_size < 1_000_000)
    if CORPUS.is_dir()
    else []
)


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/annex-corpus is not beside the project")
def test_checkers_read_every_annex_of_the_corpus() -> None:
    """This test ensures that the checkers, which also walk a letter's annexes,
    report on real-world files (broken, encrypted, odd) rather than raise:
    an untagged annex fails as untagged, and a file pikepdf cannot open is the
    only way out."""
    read = 0
    for path in CORPUS_FILES:
        data = path.read_bytes()
        try:
            failures = check_pdfua(data) + check_pdfa2(data)
        except (pikepdf.PdfError, pikepdf.PasswordError):  # unreadable or locked: no verdict
            continue
        read += 1
        assert all(isinstance(f, Failure) and f.rule and f.message for f in failures), path.name
    assert read > len(CORPUS_FILES) // 2
