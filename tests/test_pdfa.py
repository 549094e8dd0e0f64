"""Archived letters (``archive: pdfa``): the spec key and the command-line switch,
the XMP metadata that repeats the information dictionary, the sRGB output
intent and its profile, and the PDF/A claim an annex allows or forbids."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import struct
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import letterkit
from letterkit.errors import CODES, ValidationError
from letterkit.pdf import archive

from .conftest import ROOT, qpdf_problems
from .letters import body_letter
from .test_bundle import _campaign
from .test_cli import run

BODY = "We write about the detention of {{ person.name }}.\n"
DC = "{http://purl.org/dc/elements/1.1/}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def _letter(folder: Path, **spec: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return body_letter(folder, BODY, **spec)


def _built(spec: Path) -> letterkit.BuildResult:
    problems: list[letterkit.Problem] = []
    return letterkit.build(letterkit.load_letter(spec, problems=problems))


def _metadata(pdf: bytes) -> dict[str, Any]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return dict(doc.open_metadata())


def _annex(folder: Path, name: str = "annex.pdf", **xmp: str) -> Path:
    """A one-page PDF whose XMP declares *xmp* (``part``, ``conformance``)."""
    doc = pikepdf.new()
    doc.add_blank_page()
    doc.pages[0].Contents = doc.make_stream(b"BT ET")
    if xmp:
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            for key, value in xmp.items():
                meta[f"pdfaid:{key}"] = value
    path = folder / name
    doc.save(path)
    return path


def _with_annex(tmp_path: Path, annex: Path, extra: str = "") -> Path:
    return _letter(
        tmp_path,
        archive="pdfa",
        annexes=f"[{{path: {annex.name}, title: Decision{extra}}}]",
    )


def _xmp_date(value: str) -> str:
    return archive.xmp_date(value)


# --- the switch -------------------------------------------------------------------------


def test_archive_pdfa_in_the_spec_reaches_the_letter_and_absent_or_null_is_plain(
    tmp_path: Path,
) -> None:
    """This test ensures that ``archive: pdfa`` (any case) asks for PDF/A, and
    that a spec without the key or with ``archive: null`` asks for a plain PDF."""
    assert letterkit.load_letter(_letter(tmp_path / "a", archive="PDFA")).archive == "pdfa"
    assert letterkit.load_letter(_letter(tmp_path / "b")).archive is None
    assert letterkit.load_letter(_letter(tmp_path / "c", archive="null")).archive is None


def test_a_bad_archive_value_is_an_error_at_its_line_naming_the_choices(tmp_path: Path) -> None:
    """This test ensures that a value other than pdfa is reported at the key's
    line, with the words it may be, as the other closed-set keys are."""
    spec = _letter(tmp_path, archive="pdf-x")
    with pytest.raises(ValidationError) as caught:
        letterkit.load_letter(spec)
    [problem] = caught.value.problems
    assert problem.code == "LK105"
    assert problem.path.endswith("letter.yaml")
    lines = spec.read_text(encoding="utf-8").splitlines()
    assert problem.line is not None
    assert lines[problem.line - 1].startswith("archive:")
    assert "'archive' must be one of pdfa, not 'pdf-x'" in problem.message
    status, _, err = run("check", str(spec))
    assert status == 1
    assert "[LK105] 'archive' must be one of pdfa, not 'pdf-x'" in err + _


def test_archive_in_a_language_part_is_refused_with_where_it_belongs(tmp_path: Path) -> None:
    """This test ensures that a part of a letter in several languages cannot set
    ``archive``: one file is archived or not, whatever its languages."""
    spec = _letter(tmp_path, parts="[{locale: en-GB}, {locale: fr, archive: pdfa}]")
    with pytest.raises(ValidationError) as caught:
        letterkit.load_letter(spec)
    assert any("archive" in p.message for p in caught.value.problems)


def test_the_command_line_switch_overrides_the_spec_both_ways(tmp_path: Path) -> None:
    """This test ensures that ``--archive`` archives a plain spec's letter and
    ``--no-archive`` writes an archived spec's letter as the plain one, byte for byte."""
    plain, archived = _letter(tmp_path / "plain"), _letter(tmp_path / "pdfa", archive="pdfa")
    outputs = {}
    for name, args in {
        "plain": [str(plain)],
        "forced": ["--archive", str(plain)],
        "spec": [str(archived)],
        "off": [str(archived), "--no-archive"],
    }.items():
        out = tmp_path / f"{name}.pdf"
        status, _, err = run("render", *args, "-o", str(out))
        assert status == 0, err
        outputs[name] = out.read_bytes()
    assert b"/OutputIntents" not in outputs["plain"]
    assert _metadata(outputs["forced"])[f"{PDFAID}part"] == "2"
    assert outputs["off"] == outputs["plain"]
    assert outputs["forced"] == outputs["spec"]


def test_check_with_archive_reports_the_annex_that_keeps_a_letter_from_pdfa(
    tmp_path: Path,
) -> None:
    """This test ensures that ``check --archive`` (and ``check(archive=...)``)
    says before a build what the archived build will warn: LK135 for an annex
    that is not PDF/A, for a letter and for a campaign; a plain check does not."""
    folder = tmp_path / "one"
    folder.mkdir()
    _annex(folder, "minutes.pdf")
    letter = _letter(folder, annexes="[{path: minutes.pdf, title: Minutes}]")
    campaign = _campaign(tmp_path / "c", 2, annex_pages=1)
    for spec in (letter, campaign):
        status, out, _ = run("check", str(spec))
        assert status == 0, out
        assert "LK135" not in out
        status, out, _ = run("check", str(spec), "--archive")
        assert status == 0, out
        assert "warning: [LK135] annex 1 is not PDF/A" in out
        assert [p.code for p in letterkit.check(spec, archive="pdfa")].count("LK135") >= 1
        assert "LK135" not in [p.code for p in letterkit.check(spec, archive="plain")]


def test_a_campaign_archive_key_overrides_its_base_letter_and_a_bad_one_is_reported(
    tmp_path: Path,
) -> None:
    """This test ensures that a campaign file's ``archive`` archives every
    letter, and that a bad value is an error at its line in the campaign file."""
    campaign = _campaign(tmp_path / "c", 2)
    with campaign.open("a", encoding="utf-8") as handle:
        handle.write("archive: pdfa\n")
    loaded = letterkit.load_campaign(campaign)
    assert loaded.letter.archive == "pdfa"
    campaign.write_text(
        campaign.read_text(encoding="utf-8").replace("archive: pdfa", "archive: tiff"),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        letterkit.load_campaign(campaign)
    [problem] = caught.value.problems
    assert problem.path.endswith("campaign.yaml")
    assert problem.line == 3
    assert "'archive' must be one of pdfa, not 'tiff'" in problem.message


# --- metadata ---------------------------------------------------------------------------


def test_xmp_says_what_the_information_dictionary_says(tmp_path: Path) -> None:
    """This test ensures that every entry of the document information is in the
    XMP packet with the same text (dates in XMP form), in an uncompressed
    metadata stream the catalogue points at, with the letter's language."""
    pdf = _built(_letter(tmp_path, archive="pdfa", subject="Release of «Ä» & <co>")).pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        info = {str(k): str(v) for k, v in doc.docinfo.items()}
        stream = doc.Root.Metadata
        assert stream.Type == "/Metadata"
        assert stream.Subtype == "/XML"
        assert "/Filter" not in stream
        assert stream.read_raw_bytes().startswith(b"<?xpacket begin=")
        meta = dict(doc.open_metadata())
    assert info["/Title"] == "Release of «Ä» & <co>"
    pairs = {
        "/Title": f"{DC}title",
        "/Subject": f"{DC}description",
        "/Keywords": f"{PDF}Keywords",
        "/Producer": f"{PDF}Producer",
        "/Creator": f"{XMP}CreatorTool",
    }
    assert set(info) == {*pairs, "/Author", "/CreationDate", "/ModDate"}
    for key, name in pairs.items():
        assert meta[name] == info[key], key
    assert meta[f"{DC}creator"] == [info["/Author"]]
    assert (
        meta[f"{XMP}CreateDate"] == _xmp_date(info["/CreationDate"]) == "2024-11-20T00:00:00+00:00"
    )
    assert meta[f"{XMP}ModifyDate"] == _xmp_date(info["/ModDate"])
    assert meta[f"{DC}language"] == {"en-GB"}
    assert qpdf_problems(pdf) == []


def test_privacy_minimal_keeps_only_the_dates_and_the_creator_in_the_xmp_too(
    tmp_path: Path,
) -> None:
    """This test ensures that under ``privacy: minimal`` the XMP says no more
    than the information dictionary does: the dates and the creator."""
    pdf = _built(_letter(tmp_path, archive="pdfa", privacy="minimal")).pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert set(map(str, doc.docinfo.keys())) == {"/Creator", "/CreationDate", "/ModDate"}
    meta = _metadata(pdf)
    told = {k for k in meta if not k.startswith(PDFAID)}
    assert told == {f"{XMP}CreatorTool", f"{XMP}CreateDate", f"{XMP}ModifyDate", f"{DC}language"}
    assert b"Temir" not in pdf.split(b"<?xpacket begin=")[1].split(b"<?xpacket end=")[0]


def test_archived_letters_are_deterministic_and_plain_ones_have_no_archive_parts(
    tmp_path: Path,
) -> None:
    """This test ensures that the same archived letter gives the same bytes
    (no clock, no random identifier), and that a plain letter has neither XMP
    nor an output intent."""
    spec = _letter(tmp_path, archive="pdfa")
    first, again = _built(spec).pdf, _built(spec).pdf
    assert first == again
    assert b"xmpMM:InstanceID" not in first
    assert b"uuid:" not in first
    plain = letterkit.build(dataclasses.replace(letterkit.load_letter(spec), archive=None)).pdf
    with pikepdf.open(io.BytesIO(plain)) as doc:
        assert "/Metadata" not in doc.Root
        assert "/OutputIntents" not in doc.Root
    with pikepdf.open(io.BytesIO(first)) as doc:
        assert len(doc.trailer.ID) == 2
        assert "/Encrypt" not in doc.trailer
    assert first[:9] == b"%PDF-1.5\n"
    assert all(b >= 128 for b in first[10:14])


# --- the claim --------------------------------------------------------------------------


def test_a_letter_alone_claims_pdfa_2_at_the_level_its_tags_allow(tmp_path: Path) -> None:
    """This test ensures that a letter with no annex is declared PDF/A-2: ``A``
    when its catalogue has a structure tree, else ``U``."""
    pdf = _built(_letter(tmp_path, archive="pdfa")).pdf
    meta = _metadata(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tagged = "/StructTreeRoot" in doc.Root
    assert meta[f"{PDFAID}part"] == "2"
    assert meta[f"{PDFAID}conformance"] == ("A" if tagged else "U")


@pytest.mark.parametrize(
    ("part", "conformance", "declared"),
    [("1", "B", "B"), ("2", "A", "U"), ("2", "U", "U"), ("3", "B", "B")],
)
def test_a_pdfa_annex_keeps_the_claim_at_its_own_level(
    tmp_path: Path, part: str, conformance: str, declared: str
) -> None:
    """This test ensures that a PDF/A annex (part 1, 2 or 3) leaves the letter
    PDF/A-2, at the lower of the two levels (an annex's tags do not come
    along: ``a`` counts as ``u``), with no LK135."""
    annex = _annex(tmp_path, part=part, conformance=conformance)
    built = _built(_with_annex(tmp_path, annex))
    assert not [p for p in built.warnings if p.code == "LK135"]
    meta = _metadata(built.pdf)
    assert (meta[f"{PDFAID}part"], meta[f"{PDFAID}conformance"]) == ("2", declared)


def test_an_annex_that_is_not_pdfa_makes_no_claim_and_warns_lk135_naming_it(
    tmp_path: Path,
) -> None:
    """This test ensures that a letter with an annex that declares no PDF/A is
    written with its XMP and output intent but no ``pdfaid``, and that LK135
    names the annex and says what to do."""
    annex = _annex(tmp_path, "minutes.pdf")
    built = _built(_with_annex(tmp_path, annex))
    [warning] = [p for p in built.warnings if p.code == "LK135"]
    assert warning.severity == "warning"
    assert warning.path.endswith("minutes.pdf")
    assert "annex 1 is not PDF/A" in warning.message
    assert "give a PDF/A version of the annex" in warning.message
    meta = _metadata(built.pdf)
    assert not [k for k in meta if k.startswith(PDFAID)]
    assert meta[f"{DC}title"] == "Defenders in detention"
    status, _, err = run("render", str(tmp_path / "letter.yaml"), "-o", str(tmp_path / "o.pdf"))
    assert status == 0
    assert "minutes.pdf: warning: [LK135] annex 1 is not PDF/A" in err


def test_an_annex_that_declares_pdfa_but_does_not_embed_a_font_makes_no_claim(
    tmp_path: Path,
) -> None:
    """This test ensures that an annex whose XMP says PDF/A while one of its pages
    (here through a form it draws) uses a font it does not embed is not taken
    at its word: LK135 names the annex and the font, and nothing is declared."""
    path = _annex(tmp_path, "claims.pdf", part="2", conformance="B")
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        form = doc.make_stream(b"BT /F1 12 Tf 72 72 Td (x) Tj ET")
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = pikepdf.Array([0, 0, 200, 200])
        form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        doc.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
        doc.pages[0].Contents = doc.make_stream(b"/Fm1 Do")
        doc.save(path)
    built = _built(_with_annex(tmp_path, path))
    [warning] = [p for p in built.warnings if p.code == "LK135"]
    assert warning.path.endswith("claims.pdf")
    assert "declares PDF/A but does not embed its font Helvetica" in warning.message
    assert not [k for k in _metadata(built.pdf) if k.startswith(PDFAID)]


def test_an_annex_for_a_cmyk_output_intent_makes_no_claim(tmp_path: Path) -> None:
    """This test ensures that a PDF/A annex made for a CMYK output intent (whose
    colours the letter's sRGB intent would misstate) forbids the claim."""
    path = _annex(tmp_path, part="2", conformance="B")
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        profile = doc.make_stream(b"not read", N=4)
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, DestOutputProfile=profile
        )
        doc.Root.OutputIntents = pikepdf.Array([intent])
        doc.save(path)
    built = _built(_with_annex(tmp_path, path))
    [warning] = [p for p in built.warnings if p.code == "LK135"]
    assert "CMYK or grey output intent" in warning.message
    assert not [k for k in _metadata(built.pdf) if k.startswith(PDFAID)]


def test_an_annex_whose_embedded_files_are_kept_makes_no_claim(tmp_path: Path) -> None:
    """This test ensures that files embedded in a PDF/A annex and carried with
    ``attachments: keep`` (PDF/A-2 allows only PDF/A files) forbid the claim,
    and that with the default (the files left out) the claim stands."""
    path = _annex(tmp_path, part="3", conformance="B")
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        doc.attachments["data.csv"] = pikepdf.AttachedFileSpec(doc, b"a,b\n1,2\n")
        doc.save(path)
    kept = _built(_with_annex(tmp_path, path, ", attachments: keep"))
    [warning] = [p for p in kept.warnings if p.code == "LK135"]
    assert "embedded files" in warning.message
    assert "attachments: drop" in warning.message
    assert not [k for k in _metadata(kept.pdf) if k.startswith(PDFAID)]
    dropped = _built(_with_annex(tmp_path, path))
    assert _metadata(dropped.pdf)[f"{PDFAID}conformance"] == "B"


def test_a_generated_annex_keeps_the_claim_unicode(tmp_path: Path) -> None:
    """This test ensures that an annex letterkit makes itself (the signatory
    list) is drawn as the letter is and allows PDF/A-2u."""
    built = _built(_letter(tmp_path, archive="pdfa", annexes="[{generate: signatories}]"))
    assert not [p for p in built.warnings if p.code == "LK135"]
    assert _metadata(built.pdf)[f"{PDFAID}conformance"] == "U"


def test_lk135_is_a_documented_code() -> None:
    """This test ensures that LK135 is in the codes and the README's table."""
    assert "LK135" in CODES
    assert "| LK135 |" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_letter_in_several_languages_lists_each_in_its_xmp(tmp_path: Path) -> None:
    """This test ensures that a letter made of language parts gets the output
    intent and one XMP packet whose dc:language names every part's language."""
    spec = ROOT / "examples" / "shapes" / "L13b-english-turkish.yaml"
    letter = dataclasses.replace(letterkit.load_letter(spec), archive="pdfa")
    pdf = letterkit.build(letter).pdf
    meta = _metadata(pdf)
    assert meta[f"{DC}language"] == {p.locale or letter.locale for p in letter.parts}
    assert meta[f"{PDFAID}part"] == "2"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.Root.OutputIntents[0].S == "/GTS_PDFA1"
        info = {str(k): str(v) for k, v in doc.docinfo.items()}
    assert meta[f"{DC}title"] == info["/Title"]


# --- colour -----------------------------------------------------------------------------


def _tool() -> Any:
    path = ROOT / "tools" / "srgb_icc.py"
    spec = importlib.util.spec_from_file_location("srgb_icc", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("srgb_icc", module)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_icc_profile_is_what_the_script_makes_and_a_valid_srgb_display_profile() -> (
    None
):
    """This test ensures that ``letterkit/pdf/icc/sRGB-v2.icc`` is exactly the
    output of ``tools/srgb_icc.py``, and that its header is a valid ICC v2
    RGB display profile (size, signature, class, spaces), with the sRGB
    colorants and tone curve."""
    shipped = archive.ICC_PROFILE.read_bytes()
    tool = _tool()
    assert shipped == tool.profile()
    assert struct.unpack(">I", shipped[:4])[0] == len(shipped)
    assert shipped[36:40] == b"acsp"
    assert shipped[12:16] == b"mntr"
    assert shipped[16:20] == b"RGB "
    assert shipped[20:24] == b"XYZ "
    assert shipped[8] == 2
    red = tool.colorants()["r"]
    assert red == pytest.approx((0.4361, 0.2225, 0.0139), abs=2e-4)
    assert tool.tone(0.5) == pytest.approx(0.21404, abs=1e-5)
    assert (ROOT / "letterkit" / "pdf" / "icc" / "README.md").is_file()  # its licence


def test_the_output_intent_is_srgb_with_the_shipped_profile(tmp_path: Path) -> None:
    """This test ensures that an archived letter's catalogue has one GTS_PDFA1
    output intent named sRGB IEC61966-2.1 whose profile is the shipped one."""
    pdf = _built(_letter(tmp_path, archive="pdfa")).pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        [intent] = list(doc.Root.OutputIntents)
        assert intent.Type == "/OutputIntent"
        assert intent.S == "/GTS_PDFA1"
        assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        assert profile.read_bytes() == archive.ICC_PROFILE.read_bytes()


def test_links_of_a_tagged_canvas_are_marked_to_print() -> None:
    """This test ensures that the canvas of a tagged (archived) layout writes its
    links with the print flag PDF/A asks for, and any other canvas as ReportLab does."""
    from letterkit.typeset._rl.canvas import LKCanvas

    flags = []
    for marker in (None, object()):
        buffer = io.BytesIO()
        canvas = LKCanvas(buffer, invariant=1)
        canvas.lk_marker = marker
        canvas.linkURL("https://example.org/", (10, 10, 50, 50))
        canvas.linkRect("", "here", (10, 60, 50, 90))
        canvas.bookmarkPage("here")
        canvas.showPage()
        canvas.save()
        with pikepdf.open(io.BytesIO(buffer.getvalue())) as doc:
            flags.append([annot.get("/F") for annot in doc.pages[0].Annots])
    assert flags == [[None, None], [4, 4]]


# --- bundles ----------------------------------------------------------------------------


def test_a_bundle_with_archive_gives_each_letter_as_rendered_alone_and_sees_the_switch(
    tmp_path: Path,
) -> None:
    """This test ensures that an archived bundle's letters are byte-identical to
    ``render CAMPAIGN --recipient ID --archive``, and that turning the switch
    on or off builds the letters again rather than keeping the old ones."""
    campaign = _campaign(tmp_path / "c", 3, annex_pages=1)
    out = tmp_path / "dist"
    status, said, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "1")
    assert status == 0, err
    assert "3 built" in said
    status, said, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "2", "--archive")
    assert status == 0, err
    assert "3 built, 0 unchanged" in said
    assert "LK135" in err  # the ReportLab annex declares no PDF/A
    for path in sorted(out.glob("R*.pdf")):
        alone = tmp_path / f"{path.stem}-alone.pdf"
        args = ["render", str(campaign), "--recipient", path.stem.split("-")[0], "--archive"]
        status, _, err = run(*args, "-o", str(alone))
        assert status == 0, err
        assert alone.read_bytes() == path.read_bytes()
        with pikepdf.open(path) as doc:
            assert "/OutputIntents" in doc.Root
            assert "/Metadata" in doc.Root
    status, said, _ = run("bundle", str(campaign), "-o", str(out), "--jobs", "1", "--archive")
    assert "0 built, 3 unchanged" in said
    status, said, _ = run("bundle", str(campaign), "-o", str(out), "--jobs", "1")
    assert "3 built, 0 unchanged" in said


def test_an_archived_letter_with_a_translucent_logo_and_a_link_keeps_to_pdfa_rules(
    tmp_path: Path,
) -> None:
    """This test ensures that what letterkit writes in an archived letter keeps
    the PDF/A-2 rules that depend on it: a logo with alpha becomes an image
    with a soft mask, never a transparency group without a colour space;
    every font is an embedded program with a ToUnicode map; a link is a URI
    or GoTo action, and nothing runs JavaScript."""
    from PIL import Image

    logo = Image.new("RGBA", (40, 20))
    logo.putdata([(180, 20, 20, (i * 7) % 256) for i in range(40 * 20)])
    logo.save(tmp_path / "logo.png")
    spec = _letter(tmp_path, archive="pdfa", sender="{name: Org Example, logo: logo.png}")
    (tmp_path / "body.md").write_text("See <https://example.org/report>.\n", encoding="utf-8")
    pdf = _built(spec).pdf
    fonts = masks = links = 0
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            group = obj.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency":
                assert "/CS" in group
            assert "/JS" not in obj
            assert obj.get("/S") != "/JavaScript"
            if obj.get("/Subtype") == "/Image" and "/SMask" in obj:
                masks += 1
            if obj.get("/Subtype") == "/Link":
                links += 1
                action = obj.get("/A")
                assert action is None or action.S in ("/URI", "/GoTo")
            if obj.get("/Type") == "/Font" and obj.get("/Subtype") in ("/TrueType", "/Type0"):
                fonts += 1
                assert "/ToUnicode" in obj, obj.get("/BaseFont")
                described = obj.DescendantFonts[0] if "/DescendantFonts" in obj else obj
                assert "/FontFile2" in described.FontDescriptor, obj.get("/BaseFont")
    assert fonts >= 2
    assert masks == 1
    assert links >= 1


def test_pdfua_is_declared_only_for_a_tagged_titled_letter_without_annexes(
    tmp_path: Path,
) -> None:
    """This test ensures that ``pdfuaid`` part 1 (with the extension schema
    PDF/A-2 asks for it) is declared for a tagged letter with a title and no
    annex, and neither for an untagged one, one with an annex, nor one
    without a title (``privacy: minimal``); and that a template whose
    catalogue has a structure tree is known to be tagged."""
    import xml.etree.ElementTree as ET

    from pypdf import PdfReader

    from letterkit.pdf.annexes import OpenAnnex
    from letterkit.pdf.objstreams import metadata_slot

    letter = letterkit.load_letter(_letter(tmp_path, archive="pdfa"))
    info = b"<< /Title (Release) /Creator (letterkit) >>"
    untitled = b"<< /Creator (letterkit) >>"
    annex = _annex(tmp_path, part="2", conformance="U")
    opened = [OpenAnnex(letterkit.Annex(path=annex), 1, "A", PdfReader(annex), [0])]

    def ua(data: bytes | None) -> list[str]:
        assert data is not None
        packet = data.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
        root = ET.fromstring(packet.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
        uri = "{http://www.aiim.org/pdfa/ns/schema#}namespaceURI"
        assert [e.text for e in root.iter(uri)] == (
            ["http://www.aiim.org/pdfua/ns/id/"] if b"pdfuaid:part" in packet else []
        )
        return [e.text or "" for e in root.iter("{http://www.aiim.org/pdfua/ns/id/}part")]

    assert ua(archive.metadata(letter, info, [], tagged=True)) == ["1"]
    assert ua(archive.metadata(letter, info, [], tagged=False)) == []
    assert ua(archive.metadata(letter, info, opened, tagged=True)) == []
    assert ua(archive.metadata(letter, untitled, [], tagged=True)) == []
    packable = [(1, b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R >>")]
    kept = metadata_slot(packable, 1, 10, 0)
    assert kept == {"metadata": 12, "tagged": True}
    assert b"/Metadata 12 0 R" in packable[0][1]


def test_plain_data_takes_archive_and_names_the_field_of_a_bad_value() -> None:
    """This test ensures that :func:`letterkit.letter_from_data` reads ``archive``
    as a spec file does, and reports a bad value at ``letter.archive``."""
    data = {
        "template": "appeal-release", "locale": "en-GB", "date": "2018-12-06",
        "case": {"person": {"name": "Jane Doe"}}, "signatories": ["Org A"],
    }  # fmt: skip
    assert letterkit.letter_from_data({**data, "archive": "pdfa"}, ".").archive == "pdfa"
    with pytest.raises(ValidationError) as caught:
        letterkit.letter_from_data({**data, "archive": "yes"}, ".")
    [problem] = caught.value.problems
    assert problem.path == "letter.archive"
    assert "'archive' must be one of pdfa, not 'yes'" in problem.message
