"""The ``signatures`` style and the ``signature`` column, read back from the PDF.

Each signer is an image over the name, the title and the country, in 1–3
columns filled row by row, kept whole across pages; the images are checked
like the logo (there, inside the spec's folder, PNG or JPEG by their bytes,
within the pixel limit) and each problem names the signer's row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import io
import shutil
from pathlib import Path
from types import ModuleType

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

import letterkit
from letterkit import limits

from .conftest import ROOT, ExamplePdfs, page_texts, pdf_text, qpdf_problems
from .pdfcheck import Box, char_boxes

SHAPES = ROOT / "examples" / "shapes"
MEPS = [
    "Anneke Vermeulen",
    "Erik Lindqvist",
    "Claire Moreau",
    "Tomasz Kowalczyk",
    "Giulia Esposito",
    "Siobhán O’Connell",  # typed O'Connell: an apostrophe prints as ’
    "Markus Brandstätter",
]
HEADER = "name,type,title,country,signature\n"
#: The height of every signature image, in points (14 mm).
IMAGE_HEIGHT = 14 * 72 / 25.4
ARABIC_CASE = (
    "{person: {name: Temir Sample, role: {default: مدافع عن حقوق الإنسان}}, country: KG, "
    "detained_on: 2010-06-15, demands: [{default: الإفراج عنه}]}"
)


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_signatures", SHAPES / "make_signatures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _letter(tmp_path: Path, rows: list[str], **keys: object) -> Path:
    """A letter in *tmp_path* signed by *rows* (CSV lines after :data:`HEADER`)."""
    for name in ("generic.md", "case.yaml"):
        shutil.copy(SHAPES / name, tmp_path / name)
    (tmp_path / "signers.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    spec = {
        "template": "generic.md",
        "locale": "en-GB",
        "date": "2019-10-24",
        "subject": "Defenders detained in Central Asia",
        "recipients": "[{name: The Presidents of the Republics of Central Asia}]",
        "case": "case.yaml",
        "signatories": "signers.csv",
        "signatory_order": "as-given",
        "signatory_style": "signatures",
        "signatory_columns": 3,
        **keys,
    }
    text = "".join(f"{key}: {value}\n" for key, value in spec.items())
    (tmp_path / "letter.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "letter.yaml"


def _signers(tmp_path: Path, count: int, images: int = 3) -> list[str]:
    """*count* signers; the n-th signs with image ``s{n % images}.png`` (written here)."""
    maker = _maker()
    for n in range(images):
        maker.signature(100 + n, tmp_path / f"s{n}.png")
    return [
        f"Signer {n:02d},individual,Group {n % 4},Country {n:02d},s{n % images}.png"
        for n in range(1, count + 1)
    ]


def _bounds(image: pdfium.PdfImage) -> tuple[float, float, float, float]:
    """(left, bottom, right, top): ``get_bounds`` since pypdfium2 5, ``get_pos`` before."""
    bounds = getattr(image, "get_bounds", None) or image.get_pos
    left, bottom, right, top = bounds()
    return (left, bottom, right, top)


def _images(pdf: bytes) -> list[list[tuple[float, float, float, float]]]:
    """The bounds (left, bottom, right, top) of the images drawn on each page."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        return [
            [
                _bounds(o)
                for o in doc[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
            ]
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def _image_streams(pdf: bytes) -> int:
    """Image XObjects in the file, their soft masks (the alpha) left out."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        masks = {o.get("/SMask").objgen for o in doc.objects if _is_image(o) and "/SMask" in o}
        return sum(1 for o in doc.objects if _is_image(o) and o.objgen not in masks)


def _is_image(o: object) -> bool:
    return isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"


def _word(boxes: list[Box], word: str) -> Box:
    """The box of the first occurrence of *word* on a page (its first letter's
    left and bottom, its last letter's right)."""
    text = "".join(b.char for b in boxes)
    at = text.index(word.replace(" ", ""))
    first, last = boxes[at], boxes[at + len(word.replace(" ", "")) - 1]
    return Box(word, first.left, first.bottom, last.right, max(first.top, last.top))


# -- the example -------------------------------------------------------------


def test_l16b_seven_signers_in_order_under_the_closing(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L16b-signed"]
    text = pdf_text(pdf)
    order = [text.index(name) for name in ["Yours sincerely,", *MEPS]]
    assert order == sorted(order)
    for line in ("Civic Democrats Group", "Green Alliance Group", "Netherlands", "Austria"):
        assert line in text
    # Signers sign under the closing: no heading, no identification note.
    assert "Signatories" not in text
    assert "identification" not in text
    assert len(page_texts(pdf)) == 1
    assert qpdf_problems(pdf) == []


def test_l16b_each_image_is_above_its_signer(example_pdfs: ExamplePdfs) -> None:
    pdf = example_pdfs["shapes/L16b-signed"]
    [drawn] = _images(pdf)
    [(_, _, boxes)] = char_boxes(pdf, 1)
    images = [b for b in drawn if abs((b[3] - b[1]) - IMAGE_HEIGHT) < 0.5]  # not the logo
    assert len(images) == 7
    assert len(drawn) == 8
    assert _image_streams(pdf) == 8
    names = [_word(boxes, name) for name in MEPS]
    for name, (left, bottom, _, _) in zip(
        names, sorted(images, key=lambda b: (-b[3], b[0])), strict=True
    ):
        assert abs(left - name.left) < 1.5  # left-aligned in the cell
        assert 0 < bottom - name.top < 12  # just above the name
    # Three columns, row by row: the first three names share a baseline.
    assert len({round(n.bottom) for n in names[:3]}) == 1
    assert names[0].left < names[1].left < names[2].left
    assert names[3].bottom < names[0].bottom


# -- layout --------------------------------------------------------------------


def test_one_image_file_is_embedded_once(tmp_path: Path) -> None:
    spec = _letter(tmp_path, _signers(tmp_path, 3, images=1))
    pdf = letterkit.render(spec)
    assert len(_images(pdf)[0]) == 3
    assert _image_streams(pdf) == 1


@pytest.mark.parametrize("columns", [1, 2, 3])
def test_thirty_signers_never_split_from_their_image(tmp_path: Path, columns: int) -> None:
    spec = _letter(tmp_path, _signers(tmp_path, 30), signatory_columns=columns)
    pdf = letterkit.render(spec)
    texts = page_texts(pdf)
    assert len(texts) >= 2
    pages = _images(pdf)
    boxes = char_boxes(pdf)
    seen: list[str] = []
    for number, (text, images, (_, _, chars)) in enumerate(
        zip(texts, pages, boxes, strict=True), start=1
    ):
        here = [f"Signer {n:02d}" for n in range(1, 31) if f"Signer {n:02d}" in text]
        # Each signer on this page has its title, its country and its image here too.
        for name in here:
            n = int(name.split()[1])
            assert f"Group {n % 4}" in text.split(name, 1)[1][:40]
            assert f"Country {n:02d}" in text
        assert len(images) == len(here), f"page {number}: images and names differ"
        for name in here:
            box = _word(chars, name)
            assert any(abs(b[0] - box.left) < 1.5 and 0 < b[1] - box.top < 12 for b in images)
        seen += here
    assert seen == [f"Signer {n:02d}" for n in range(1, 31)]
    # The closing stands with the first row.
    first = next(i for i, t in enumerate(texts) if "Signer 01" in t)
    assert "Sincerely," in texts[first]


def test_a_signer_without_image_keeps_the_space_and_withheld_has_no_image(
    tmp_path: Path,
) -> None:
    rows = _signers(tmp_path, 2, images=1)
    rows.append("No Image Person,individual,Group X,Country X,")
    rows.append("Hidden Person,individual,Group Y,Country Y,")
    rows.append("Signer 03,individual,Group 3,Country 03,s0.png")
    spec = _letter(tmp_path, rows, signatory_columns=2)
    csv = tmp_path / "signers.csv"
    csv.write_text(
        "name,type,title,country,signature,withhold\n"
        + "\n".join(r + ("," + ("true" if r.startswith("Hidden") else "")) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    pdf = letterkit.render(spec)
    text = pdf_text(pdf)
    assert "Name withheld" in text
    assert "Hidden Person" not in text
    assert "Group Y" not in text
    [images] = _images(pdf)
    assert len(images) == 3
    [(_, _, boxes)] = char_boxes(pdf, 1)
    # Rows (withheld names last): [01, 02], [no image, 03], [withheld]. A row
    # with an empty space is as tall as a row of images.
    first, second = _word(boxes, "Signer 01"), _word(boxes, "Signer 02")
    empty, third = _word(boxes, "No Image Person"), _word(boxes, "Signer 03")
    withheld = _word(boxes, "Name withheld")
    assert abs(first.bottom - second.bottom) < 0.5
    assert abs(empty.bottom - third.bottom) < 0.5
    assert abs((first.bottom - empty.bottom) - (empty.bottom - withheld.bottom)) < 0.5
    assert IMAGE_HEIGHT < first.bottom - empty.bottom < 40 * 72 / 25.4
    assert withheld.left < second.left


def test_right_to_left_letter_mirrors_the_columns(tmp_path: Path) -> None:
    rows = _signers(tmp_path, 2, images=2)
    spec = _letter(tmp_path, rows, signatory_columns=2, locale="ar", case=ARABIC_CASE)
    pdf = letterkit.render(spec)
    [(width, _, boxes)] = char_boxes(pdf, 1)
    first, second = _word(boxes, "Signer 01"), _word(boxes, "Signer 02")
    assert first.left > second.left
    assert first.right > width / 2 > second.right
    [images] = _images(pdf)
    right_image = max(images, key=lambda b: b[2])
    assert abs(right_image[2] - first.right) < 1.5  # aligned to the cell's right edge


def test_a_code_built_letter_signs_with_images(tmp_path: Path) -> None:
    image = _maker().signature(7, tmp_path / "me.png")
    shutil.copy(SHAPES / "generic.md", tmp_path / "generic.md")
    person = letterkit.Person(name="Jane Doe", role="human rights defender")
    letter = letterkit.Letter(
        template="generic.md",
        locale="en-GB",
        date=dt.date(2018, 12, 6),
        case=letterkit.Case(person=person, country="KG", detained_on=dt.date(2010, 6, 15)),
        signatories=(
            letterkit.Signatory(
                "Ada Example", type="individual", title="Director", signature=image
            ),
        ),
        signatory_style="signatures",
        base_dir=tmp_path,
    )
    assert letterkit.validate(letter) == []
    pdf = letterkit.render(letter)
    assert len(_images(pdf)[0]) == 1
    assert "Ada Example" in pdf_text(pdf)
    assert "Director" in pdf_text(pdf)
    # A relative path is the letter's folder's.
    relative = dataclasses.replace(
        letter, signatories=(dataclasses.replace(letter.signatories[0], signature=Path("me.png")),)
    )
    assert letterkit.validate(relative) == []
    missing = dataclasses.replace(
        letter, signatories=(dataclasses.replace(letter.signatories[0], signature=Path("no.png")),)
    )
    [problem] = letterkit.validate(missing)
    assert problem.code == "LK101"
    assert "no.png" in problem.message


# -- problems ----------------------------------------------------------------


def test_bad_signature_files_are_one_problem_each_at_their_row(tmp_path: Path) -> None:
    rows = _signers(tmp_path, 2, images=1)
    (tmp_path / "fake.png").write_bytes(b"GIF89a not a png at all")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    shutil.copy(tmp_path / "s0.png", outside)
    rows += [
        "Missing File,individual,,,gone.png",
        "Not An Image,individual,,,fake.png",
        f"Outside Folder,individual,,,../{outside.name}",
    ]
    spec = _letter(tmp_path, rows)
    problems = letterkit.check(spec)
    found = {(p.line, p.code) for p in problems}
    assert found == {(4, "LK101"), (5, "LK105"), (6, "LK107")}, problems
    for p in problems:
        assert p.path.endswith("signers.csv")
        assert "signature" in p.message
    assert letterkit.check(spec, allow_outside=True) == [p for p in problems if p.code != "LK107"]


def test_a_signature_with_too_many_pixels_is_a_problem(tmp_path: Path) -> None:
    spec = _letter(tmp_path, _signers(tmp_path, 1, images=1))
    with limits.applied(limits.Limits(image_pixels=1000)):
        [problem] = letterkit.check(spec)
    assert problem.code == "LK105"
    assert problem.line == 2
    assert "pixels" in problem.message
    assert "s0.png" in problem.message


def test_signature_keys_in_an_inline_list(tmp_path: Path) -> None:
    _signers(tmp_path, 1, images=1)
    spec = _letter(tmp_path, [])
    text = spec.read_text(encoding="utf-8").replace(
        "signatories: signers.csv",
        "signatories:\n  - {name: Ada Example, signature: s0.png}\n"
        "  - {name: Bo Example, signatur: s0.png}",
    )
    spec.write_text(text, encoding="utf-8")
    [problem] = letterkit.check(spec)
    assert problem.code == "LK103"
    assert "did you mean 'signature'" in problem.message
    assert problem.line == 9


def test_signatures_outside_the_style_and_for_withheld_signers_are_warnings(
    tmp_path: Path,
) -> None:
    rows = _signers(tmp_path, 2, images=1)
    spec = _letter(tmp_path, rows, signatory_style="columns")
    [warning] = letterkit.check(spec)
    assert warning.severity == "warning"
    assert "signatory_style: signatures" in warning.message
    csv = tmp_path / "signers.csv"
    csv.write_text(
        "name,signature,withhold\nSecret Person,s0.png,true\nOpen Person,s0.png,\n",
        encoding="utf-8",
    )
    spec = _letter(tmp_path, [])
    csv.write_text(
        "name,signature,withhold\nSecret Person,s0.png,true\nOpen Person,s0.png,\n",
        encoding="utf-8",
    )
    [warning] = letterkit.check(spec)
    assert warning.severity == "warning"
    assert warning.line == 2
    assert "withheld" in warning.message
    assert "Secret" not in warning.message
    pdf = letterkit.render(spec)
    assert len(_images(pdf)[0]) == 1
    assert "Secret Person" not in pdf_text(pdf)


def test_a_signature_that_cannot_be_drawn_is_a_problem_at_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An image that passed the checks but fails to decode (Signer 02 signs with s0.png)."""
    from letterkit.typeset import images, signatures

    load = images.load

    def failing(path: Path, *, strip: bool) -> object:
        if path.name == "s0.png":
            raise images.ImageError("is not a readable PNG or JPEG image (zlib); save it again")
        return load(path, strip=strip)

    spec = _letter(tmp_path, _signers(tmp_path, 2, images=2))
    monkeypatch.setattr(signatures.images, "load", failing)
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(spec)
    [problem] = info.value.problems
    assert problem.code == "LK105"
    assert problem.line == 3
    assert problem.path.endswith("signers.csv")
    assert "signature 's0.png' is not a readable" in problem.message


def test_a_bundle_signs_every_letter_and_equals_render_with_recipient(tmp_path: Path) -> None:
    from letterkit.bundle.build import build_bundle

    from .test_cli import run

    spec = _letter(tmp_path, _signers(tmp_path, 4, images=2))
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("recipients")) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "to.csv").write_text(
        "id,name,title\nKZ,President A,President of Example One\n"
        "UZ,President B,President of Example Two\n",
        encoding="utf-8",
    )
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(
        "letter: letter.yaml\nrecipients: to.csv\noutput:\n  filename: '{{ recipient.id }}.pdf'\n",
        encoding="utf-8",
    )
    out = tmp_path / "dist"
    result = build_bundle(campaign, out, jobs=1)
    assert sorted(result.built) == ["KZ", "UZ"]
    for rid in ("KZ", "UZ"):
        pdf = (out / f"{rid}.pdf").read_bytes()
        assert len(_images(pdf)[0]) == 4
        assert _image_streams(pdf) == 2
        single = tmp_path / f"{rid}-single.pdf"
        status, _, err = run("render", str(campaign), "--recipient", rid, "-o", str(single))
        assert status == 0, err
        assert single.read_bytes() == pdf


def test_plain_data_names_signatures_in_its_folder(tmp_path: Path) -> None:
    _signers(tmp_path, 1, images=1)
    shutil.copy(SHAPES / "generic.md", tmp_path / "generic.md")
    data = {
        "template": "generic.md",
        "locale": "en-GB",
        "date": "2019-10-24",
        "case": {
            "person": {"name": "Temir Sample", "role": "defender"},
            "country": "KG",
            "detained_on": "2010-06-15",
        },
        "signatories": [
            {"name": "Ada Example", "signature": "s0.png"},
            {"name": "Bo Example", "signature": "../elsewhere.png"},
        ],
        "signatory_style": "signatures",
    }
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.letter_from_data(data, tmp_path)
    [problem] = info.value.problems
    assert problem.code == "LK107"
    assert problem.message.startswith("signature '../elsewhere.png' is outside")
    data["signatories"] = data["signatories"][:1]
    letter = letterkit.letter_from_data(data, tmp_path)
    assert letter.signatories[0].signature == (tmp_path / "s0.png").resolve()
    assert (tmp_path / "s0.png").resolve() in letter.inputs


def test_the_full_list_annex_of_a_signed_letter_is_names_in_columns(tmp_path: Path) -> None:
    spec = _letter(tmp_path, _signers(tmp_path, 3, images=1), annexes="[{generate: signatories}]")
    result = letterkit.build(letterkit.load_letter(spec))
    annex = page_texts(result.pdf)[result.letter_pages :]
    assert all(f"Signer {n:02d}" in "".join(annex) for n in (1, 2, 3))
    assert sum(len(page) for page in _images(result.pdf)[result.letter_pages :]) == 0


def test_a_jpeg_signature_is_drawn_as_it_is_without_its_metadata(tmp_path: Path) -> None:
    from PIL import Image

    png = _maker().signature(5, tmp_path / "scan.png")
    with Image.open(png) as image:
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        exif = Image.Exif()
        exif[0x010F] = "Camera Maker Secret"
        flat.save(tmp_path / "scan.jpg", quality=85, exif=exif)
    spec = _letter(tmp_path, ["Ada Example,individual,Director,,scan.jpg"])
    pdf = letterkit.render(spec)
    assert len(_images(pdf)[0]) == 1
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        [image] = [o for o in doc.objects if _is_image(o)]
        assert "/DCTDecode" in [str(f) for f in image.get("/Filter")]
        assert b"Camera Maker Secret" not in image.read_raw_bytes()


def test_l18_the_coalition_directors_sign_by_hand_on_one_page(example_pdfs: ExamplePdfs) -> None:
    """Five logos over the sender block, five signatures under "Sincerely,", one
    page, and nothing the spec does not ask for."""
    pdf = example_pdfs["shapes/L18-coalition"]
    [page] = page_texts(pdf)
    text = " ".join(page.split())
    names = ["Aigerim Example", "Bakyt Sample", "Dilnoza Example", "Gulnara Sample", "Jan Example"]
    at = [text.index(name) for name in names]
    assert at == sorted(at)
    assert text.index("Sincerely,") < at[0]
    for absent in ("Signatories", "Page 1", "identification"):
        assert absent not in text
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        images = [
            o
            for o in doc.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
        masks = {o.SMask.objgen for o in images if "/SMask" in o}
        drawn = [o for o in images if o.objgen not in masks]
    assert len(drawn) == 10  # five logos and five signatures, each once
