"""A ``fonts:`` folder of collections and OpenType files: what loads, what is
refused (LK141) and what LK140 says would draw a missing character."""

from __future__ import annotations

import io
import shutil
import struct
from pathlib import Path

import pikepdf
import pytest

import letterkit
from letterkit.typeset import user_fonts

from .conftest import ROOT, pdf_text
from .pdfcheck import page_fonts

GEORGIA = ROOT / "tests" / "fonts" / "NotoSerifGeorgian-subset.ttf"
HEBREW = ROOT / "fonts" / "NotoSerifHebrew-Regular.ttf"
HEBREW_BOLD = ROOT / "fonts" / "NotoSerifHebrew-Bold.ttf"
CASE = ROOT / "examples" / "askarov-eu-2018" / "case.yaml"
GEORGIAN = "თბილისი"


def make_ttc(faces: list[bytes]) -> bytes:
    """TrueType fonts → one collection (``ttcf``) holding them: each font's table
    directory copied, its tables after it, their offsets moved to where they lie."""
    out = bytearray(12 + 4 * len(faces))
    struct.pack_into(">4sII", out, 0, b"ttcf", 0x00010000, len(faces))
    for number, font in enumerate(faces):
        count = struct.unpack_from(">H", font, 4)[0]
        start = len(out)
        struct.pack_into(">I", out, 12 + 4 * number, start)
        out += font[: 12 + 16 * count]
        for table in range(count):
            _tag, _sum, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * table)
            out += b"\0" * (-len(out) % 4)
            struct.pack_into(">I", out, start + 12 + 16 * table + 8, len(out))
            out += font[offset : offset + length]
    return bytes(out)


def _letter(folder: Path, text: str, fonts_line: str | None = "fonts: my-fonts") -> Path:
    """A one-line letter holding *text*, its fonts in ``my-fonts/``."""
    folder.mkdir(exist_ok=True)
    (folder / "my-fonts").mkdir(exist_ok=True)
    shutil.copy(CASE, folder / "case.yaml")
    (folder / "t.md").write_text(f"From {text} with regards.\n", encoding="utf-8")
    lines = ["template: t.md", "locale: en-GB", "date: 2018-12-06", "case: case.yaml",
             "signatories: [Centre Example]"]  # fmt: skip
    if fonts_line:
        lines.append(fonts_line)
    (folder / "letter.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "letter.yaml"


def _embedded(pdf: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {str(f.BaseFont) for page in doc.pages for f in page_fonts(page.Resources)}


def test_a_font_collection_draws_from_its_regular_face(tmp_path: Path) -> None:
    """This test ensures that a .ttc is loaded, not skipped, and that its regular
    face is the one used (the collection's first face is a bold one)."""
    spec = _letter(tmp_path / "l", GEORGIAN)
    (tmp_path / "l" / "my-fonts" / "Mixed.ttc").write_bytes(
        make_ttc([HEBREW_BOLD.read_bytes(), GEORGIA.read_bytes()])
    )
    assert letterkit.check(spec) == []
    pdf = letterkit.render(spec)
    assert f"From {GEORGIAN} with regards." in pdf_text(pdf)
    embedded = _embedded(pdf)
    assert any("Georgian" in name for name in embedded), embedded
    assert not any("Hebrew" in name for name in embedded), embedded


def test_a_collection_maps_its_bold_face_to_bold_text(tmp_path: Path) -> None:
    """This test ensures that the bold face of the regular face's family in a
    collection draws the bold text, and that the coverage is what both share."""
    from reportlab.lib.fonts import tt2ps

    (tmp_path / "Hebrew.ttc").write_bytes(make_ttc([HEBREW_BOLD.read_bytes(), HEBREW.read_bytes()]))
    [font] = user_fonts.register_folder(tmp_path)
    assert font.index == 1
    bold = tt2ps(font.family, 1, 0)
    assert bold != font.family
    assert bold.endswith("-0")
    assert ord("א") in font.coverage


def test_an_otf_with_truetype_outlines_loads(tmp_path: Path) -> None:
    """This test ensures that an .otf file is judged by its outlines, not its name."""
    spec = _letter(tmp_path / "l", GEORGIAN)
    shutil.copy(GEORGIA, tmp_path / "l" / "my-fonts" / "Georgian.otf")
    assert letterkit.check(spec) == []
    pdf = letterkit.render(spec)
    assert f"From {GEORGIAN} with regards." in pdf_text(pdf)
    assert any("Georgian" in name for name in _embedded(pdf))


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("NotoSansCJKsc-Regular.otf", b"OTTO" + bytes(60),
         "a font with CFF (PostScript) outlines, which ReportLab cannot embed"),
        ("NotoSansCJK.ttc", make_ttc([b"OTTO" + bytes(60)]),
         "a font collection whose fonts have CFF (PostScript) outlines (as Noto Sans CJK's .ttc "
         "has), which ReportLab cannot embed"),
        ("Web.ttf", b"wOF2" + bytes(60), "a font with WOFF2 packing (a web font), which ReportLab cannot embed"),
    ],
)  # fmt: skip
def test_a_font_reportlab_cannot_embed_is_lk141_naming_the_file_and_the_fix(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    """This test ensures that `check` and `render` both refuse such a font with
    LK141 at the spec's fonts line, naming the file and the TrueType version."""
    spec = _letter(tmp_path / "l", "Tbilisi")
    (tmp_path / "l" / "my-fonts" / name).write_bytes(data)
    [problem] = letterkit.check(spec)
    assert str(problem) == (
        f"letter.yaml:6:1: error: [LK141] font {name}: {says}; use the TrueType (.ttf) version "
        "of the font (Noto fonts come as .ttf from Google Fonts: NotoSans-Regular.ttf, "
        "NotoSansSC-Regular.ttf…)"
    ).replace("letter.yaml", problem.path)
    assert problem.path.endswith("letter.yaml")
    assert not problem.path.startswith("/")
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(spec)
    [rendered] = info.value.problems
    assert (rendered.code, rendered.line) == ("LK141", 6)
    assert name in rendered.message
    assert "TrueType (.ttf) version" in rendered.message


def test_lk140_names_the_fonts_line_and_a_font_for_the_script(tmp_path: Path) -> None:
    """This test ensures that LK140 lists the fonts tried and says which file to
    put in the folder of the spec's own `fonts:` line."""
    spec = _letter(tmp_path / "l", f"{GEORGIAN} 王")
    shutil.copy(GEORGIA, tmp_path / "l" / "my-fonts" / "Georgian.ttf")
    [problem] = letterkit.check(spec)
    assert problem.code == "LK140"
    assert problem.message == (
        "text from t.md: character '王' (U+738B), of the Han script, cannot be drawn by the "
        "fonts tried (Noto Serif, Noto Sans, Noto Naskh Arabic, Noto Serif Hebrew, "
        "my-fonts/Georgian.ttf); replace it, or put NotoSansSC-Regular.ttf (Noto Sans SC, "
        "TrueType) in the folder of the spec's line 'fonts: my-fonts'"
    )


def test_lk140_without_a_fonts_line_says_which_line_to_add(tmp_path: Path) -> None:
    """This test ensures that a spec with no `fonts:` is told the line to add."""
    spec = _letter(tmp_path / "l", "Երևան", fonts_line=None)
    [problem] = letterkit.check(spec)
    assert problem.message == (
        "text from t.md: characters 'Ե' (U+0535), 'ր' (U+0580), 'և' (U+0587), 'ա' (U+0561), "
        "'ն' (U+0576), of the Armenian script, cannot be drawn by the fonts tried (Noto Serif, "
        "Noto Sans, Noto Naskh Arabic, Noto Serif Hebrew); replace it, or put "
        "NotoSansArmenian-Regular.ttf (Noto Sans Armenian, TrueType) in a folder 'fonts' "
        "beside the spec and add the line 'fonts: fonts/' to the spec"
    )


def test_every_script_hint_names_a_truetype_noto_file() -> None:
    """This test ensures that the hints' examples hold and that each hint names
    a Noto family by its TrueType file name (never the CFF-only Noto Sans CJK)."""
    import doctest

    from letterkit.typeset import font_hints

    result = doctest.testmod(font_hints)
    assert (result.attempted > 0, result.failed) == (True, 0)
    for char in "王あア한Աაकকதไሀ":
        found = font_hints.hint(char)
        assert found is not None, char
        assert found.file.startswith("Noto")
        assert found.file.endswith("-Regular.ttf")
        assert "CJK" not in found.family
    assert font_hints.hint("a") is None


def test_a_bundle_rebuilds_letters_when_a_collection_changes(tmp_path: Path) -> None:
    """This test ensures that a bundle's input hash covers every font of the folder
    it loads, .otf and .ttc files too, not .ttf files alone."""
    from letterkit.bundle.campaign import load_campaign
    from letterkit.bundle.state import input_hashes

    shutil.copytree(ROOT / "examples" / "askarov-eu-2018", tmp_path / "c")
    spec = tmp_path / "c" / "campaign-letter.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "fonts: f\n", encoding="utf-8")
    (tmp_path / "c" / "f").mkdir()
    collection = tmp_path / "c" / "f" / "Mixed.ttc"
    collection.write_bytes(make_ttc([GEORGIA.read_bytes()]))
    campaign = load_campaign(tmp_path / "c" / "campaign.yaml")
    ids = list(campaign.filenames)[:1]
    before = input_hashes(campaign, ids)
    collection.write_bytes(make_ttc([HEBREW.read_bytes(), GEORGIA.read_bytes()]))
    assert input_hashes(campaign, ids) != before


def test_lk140_writes_the_fonts_line_in_the_spec_s_own_format(tmp_path: Path) -> None:
    """This test ensures that a TOML spec is told the TOML line to add."""
    yaml_spec = _letter(tmp_path / "l", "Երևան", fonts_line=None)
    toml = "\n".join(
        f'{key} = "{value}"' if key != "signatories" else 'signatories = ["Centre Example"]'
        for key, value in (line.split(": ", 1) for line in yaml_spec.read_text().splitlines())
    )
    (tmp_path / "l" / "letter.toml").write_text(toml + "\n", encoding="utf-8")
    [problem] = letterkit.check(tmp_path / "l" / "letter.toml")
    assert problem.message.endswith(
        "in a folder 'fonts' beside the spec and add the line 'fonts = \"fonts/\"' to the spec"
    )
