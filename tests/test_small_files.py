"""Small letter files: font subsets without names and hinting, small objects in
object streams behind a compressed cross-reference stream, each stream once."""

from __future__ import annotations

import hashlib
import io
import itertools
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile

import letterkit
from letterkit.pdf import parts
from letterkit.typeset import sfnt

from .conftest import EXAMPLE, ROOT, ExamplePdfs, page_texts, qpdf_problems
from .letters import body_letter
from .pdfcheck import drawn_images

FONTS = ROOT / "fonts"
#: The Askarov example (4 letter pages, a 1-page annex) was 178 KB before.
ASKAROV_MAX = 108_000
#: Text whose glyphs the subsets in these tests hold (some composite: accented letters).
SAMPLE = "Azimjon Askarov, Federica Mogherini, Ó Súilleabháin, Правозащитный, é ü ß ﬁ"


def _letter_fonts(pdf: bytes, letter_pages: int) -> dict[str, bytes]:
    """The font programs the letter pages use (not the annex's), by font name."""
    found: dict[str, bytes] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        todo = [doc.pages[i].obj.get("/Resources") for i in range(letter_pages)]
        while todo:
            resources = todo.pop()
            if resources is None:
                continue
            for _name, font in (resources.get("/Font") or {}).items():  # pikepdf 9: no values()
                descriptor = font.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor:
                    found[str(descriptor.FontName)] = descriptor.FontFile2.read_bytes()
            for _name, xobject in (resources.get("/XObject") or {}).items():
                if xobject.get("/Subtype") == "/Form":
                    todo.append(xobject.get("/Resources"))
    return found


def _subset(path: Path, text: str) -> bytes:
    face = TTFontFile(str(path))
    codes = sorted({ord(c) for c in text if ord(c) in face.charToGlyph})
    return bytes(face.makeSubset([0x20, *codes][:256]))


@pytest.mark.parametrize("font", sorted(p.name for p in FONTS.glob("*.ttf")))
def test_a_slim_subset_keeps_every_outline_and_sound_checksums(font: str) -> None:
    """This test ensures that a subset of each bundled font loses its name and
    hinting tables and each glyph's instructions, keeps every other table and
    each glyph's contours byte for byte, and has right table checksums and
    head.checkSumAdjustment."""
    text = SAMPLE + "אבגדה שלום" + "مرحبا بالعالم" + "".join(chr(c) for c in range(0x21, 0x17F))
    whole = _subset(FONTS / font, text)
    slim = sfnt.slim(whole)
    before, after = sfnt.tables(whole), sfnt.tables(slim)
    assert set(after) == set(before) - sfnt.DROPPED
    assert {b"name", b"fpgm"} & set(before), "ReportLab's subset had them"
    assert len(slim) < len(whole) * 0.85
    for tag in set(after) - {b"glyf", b"loca", b"head", b"maxp"}:
        assert after[tag] == before[tag], tag
    (count,) = struct.unpack_from(">H", after[b"maxp"], 4)
    old = _records(before, count)
    new = _records(after, count)
    instructions = 0
    for index, (was, now) in enumerate(zip(old, new, strict=True)):
        if not was:
            assert not now
            continue
        (contours,) = struct.unpack_from(">h", was, 0)
        if contours < 0:  # composite: the same header, no more bytes
            assert now[:10] == was[:10], index
            assert len(now) <= len(was) + 3, index
            continue
        at = 10 + 2 * contours
        assert now[:at] == was[:at], index
        assert now[at : at + 2] == b"\0\0", index
        (length,) = struct.unpack_from(">H", was, at)
        instructions += length
        points = now[at + 2 :].rstrip(b"\0")
        assert was[at + 2 + length :].startswith(points), index
    assert instructions > 0
    total = _sum(slim)
    assert total == 0xB1B0AFBA
    (tables,) = struct.unpack_from(">H", slim, 4)
    for i in range(tables):
        tag, checksum, offset, length = struct.unpack_from(">4sIII", slim, 12 + 16 * i)
        data = bytearray(slim[offset : offset + length])
        if tag == b"head":
            data[8:12] = b"\0\0\0\0"
        assert _sum(bytes(data)) == checksum, tag
    assert sfnt.slim(whole) == slim  # deterministic


def _records(found: dict[bytes, bytes], count: int) -> list[bytes]:
    (long_loca,) = struct.unpack_from(">h", found[b"head"], 50)
    loca = found[b"loca"]
    if long_loca:
        offsets = list(struct.unpack_from(f">{count + 1}I", loca))
    else:
        offsets = [2 * o for o in struct.unpack_from(f">{count + 1}H", loca)]
    glyf = found[b"glyf"]
    return [glyf[a:b] for a, b in itertools.pairwise(offsets)]


def _sum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def test_a_program_that_is_not_truetype_is_left_as_it_is() -> None:
    """This test ensures that slimming never fails: a CFF font, a collection, a
    truncated table directory come back unchanged."""
    whole = _subset(FONTS / "NotoSans-Regular.ttf", "abc")
    for odd in (b"OTTO" + whole[4:], b"ttcf" + whole[4:], whole[:40], b""):
        assert sfnt.slim(odd) == odd


def test_the_example_letter_is_small_and_sound(example_pdfs: ExamplePdfs) -> None:
    """This test ensures that the Askarov example stays under its size bound,
    keeps its small objects in object streams behind a cross-reference
    stream (PDF 1.5), is clean for qpdf, opens in pdfium, and embeds its
    own subsets without names or hinting."""
    pdf = example_pdfs["askarov-eu-2018/letter"]
    assert len(pdf) < ASKAROV_MAX, f"the Askarov example has {len(pdf)} bytes"
    assert pdf.startswith(b"%PDF-1.5")
    assert qpdf_problems(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        kinds = [str(o.get("/Type")) for o in doc.objects if isinstance(o, pikepdf.Stream)]
        assert kinds.count("/XRef") == 1
        assert kinds.count("/ObjStm") >= 1
        pages = len(doc.pages)
    assert b"\nxref\n" not in pdf
    assert len(pdfium.PdfDocument(pdf)) == pages
    labels = PdfReader(io.BytesIO(pdf)).page_labels
    letter_pages = sum(1 for label in labels if not label.startswith("A"))
    assert 0 < letter_pages < pages
    programs = _letter_fonts(pdf, letter_pages)
    assert len(programs) >= 4
    for name, program in programs.items():
        tags = set(sfnt.tables(program))
        assert not tags & sfnt.DROPPED, name
        assert {b"glyf", b"loca", b"head", b"hhea", b"hmtx", b"maxp", b"cmap"} <= tags, name


def test_the_letter_reads_the_same_as_in_classic_form(example_pdfs: ExamplePdfs) -> None:
    """This test ensures that pypdf extracts the same text from the letter as
    from the same objects rewritten classically (no object streams), and that
    letterkit's own reader finds its pages and information dictionary."""
    pdf = example_pdfs["askarov-eu-2018/letter"]
    classic = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(classic, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    texts = page_texts(pdf)
    assert texts == page_texts(classic.getvalue())
    assert "Mogherini" in texts[0]
    assert "Askarov" in "".join(texts)
    parsed = parts.read(pdf)
    assert len(parsed.pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert parsed.info is not None
    title = parsed.dict(parsed.info, "the information").get(b"/Title")
    assert title is not None


def test_repeated_streams_are_written_once(example_pdfs: ExamplePdfs) -> None:
    """This test ensures that a letter with a letterhead logo stores the image
    once, and that its own pages' equal content (the running header of pages
    2, 3…) is one stream."""
    pdf = example_pdfs["askarov-eu-2018/letter"]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        headers = [doc.pages[i].obj.Contents[0].objgen for i in range(1, 3)]
        assert headers[0] == headers[1]
    shaped = example_pdfs["shapes/L10-letterhead"]
    with pikepdf.open(io.BytesIO(shaped)) as doc:
        images = [
            hashlib.sha256(o.read_raw_bytes()).hexdigest()
            for o in doc.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
        content = {
            stream.objgen: hashlib.sha256(stream.read_raw_bytes()).hexdigest()
            for page in doc.pages
            for stream in (
                page.obj.Contents
                if isinstance(page.obj.Contents, pikepdf.Array)
                else [page.obj.Contents]
            )
        }
    assert len(images) == 1
    assert len(content) == len(set(content.values())), "a content stream written twice"


def test_a_logo_in_the_letterhead_and_the_body_is_stored_once(tmp_path: Path) -> None:
    """This test ensures that an image the letterhead (the letter's own part)
    and the body (its shared part) both draw is one image object in the
    letter, drawn on page 1 and in the body's pages."""
    shutil.copy(ROOT / "examples" / "shapes" / "logo.png", tmp_path / "logo.png")
    paragraph = " ".join(["The authorities must release the defender at once."] * 40)
    body = "\n\n".join([paragraph] * 3 + ["![Logo](logo.png)"] + [paragraph] * 5)
    spec = body_letter(
        tmp_path, body, sender="{name: Example Rights Watch, address: [Brussels], logo: logo.png}"
    )
    pdf = letterkit.render(spec)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        images = [
            o.objgen
            for o in doc.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
    assert len(images) == 1
    assert len(drawn_images(pdf)) == 2


def _render(spec: Path, out: Path, *, whole_fonts: bool = False) -> bytes:
    code = "import sys, letterkit\n"
    if whole_fonts:  # the subsets as ReportLab makes them
        code += "from letterkit.typeset import sfnt\nsfnt.slim = lambda program: program\n"
    code += "open(sys.argv[2], 'wb').write(letterkit.render(sys.argv[1]))\n"
    subprocess.run([sys.executable, "-c", code, str(spec), str(out)], check=True, cwd=ROOT)
    return out.read_bytes()


def test_two_processes_write_the_same_bytes(tmp_path: Path) -> None:
    """This test ensures that the slimmed subsets and the object streams are
    deterministic: two processes render the same letter to the same bytes."""
    spec = EXAMPLE / "letter.yaml"
    assert _render(spec, tmp_path / "a.pdf") == _render(spec, tmp_path / "b.pdf")


def test_pages_look_the_same_without_names_and_hinting(tmp_path: Path) -> None:
    """This test ensures that the glyphs draw as they did with ReportLab's whole
    subsets: pixel for pixel at 150 dpi with poppler (when installed), and
    within anti-aliasing with pdfium, which hints the glyphs it is given."""
    spec = EXAMPLE / "letter.yaml"
    slim = _render(spec, tmp_path / "slim.pdf")
    whole = _render(spec, tmp_path / "whole.pdf", whole_fonts=True)
    assert len(slim) < len(whole) - 20_000
    old, new = pdfium.PdfDocument(whole), pdfium.PdfDocument(slim)
    for index in range(3):
        a = old[index].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
        b = new[index].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
        difference = ImageChops.difference(a, b)
        assert ImageStat.Stat(difference).mean[0] < 1.0, index
    if shutil.which("pdftoppm") is None:
        return
    for name in ("slim", "whole"):
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-l", "3", f"{name}.pdf", name],
            check=True,
            cwd=tmp_path,
        )
    for page in range(1, 4):
        a = Image.open(tmp_path / f"whole-{page}.png")
        b = Image.open(tmp_path / f"slim-{page}.png")
        assert ImageChops.difference(a, b).getbbox() is None, page
