"""Annexes: the real-world corpus, stamps, outline, labels, images, generated annexes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

import letterkit
from letterkit.model import Annex

from .conftest import CORPUS, EXAMPLE, ROOT, qpdf_problems
from .test_cli import run

MANIFEST = CORPUS / "MANIFEST.csv"
ROWS = (
    list(csv.DictReader(io.StringIO(MANIFEST.read_text(encoding="utf-8"))))
    if MANIFEST.exists()
    else []
)
#: Problems qpdf reports about stream *data* the source already had; carried as they are.
INHERITED = (
    "error decoding stream data",
    "stream will be re-processed without filtering",
    "input stream is complete but output may still be valid",
)


def _letter(*annexes: Annex) -> letterkit.Letter:
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return replace(base, annexes=annexes)


def _labels(pdf: bytes) -> list[str]:
    return list(PdfReader(io.BytesIO(pdf)).page_labels)


def _source_pages(path: Path, password: str) -> list[tuple[list[float], int]]:
    """(mediabox, rotation) of each page as qpdf sees the source file."""
    with pikepdf.open(path, password=password) as pdf:
        return [
            ([round(float(v), 2) for v in page.mediabox], int(page.obj.get("/Rotate", 0)) % 360)
            for page in pdf.pages
        ]


def _new_problems(source: Path, password: str, output: bytes) -> list[str]:
    found = qpdf_problems(output)
    had_stream_damage = any(
        any(key in p for key in INHERITED) for p in qpdf_problems(source, password)
    )
    return [p for p in found if not (had_stream_damage and any(key in p for key in INHERITED))]


#: Renders the example letter with one corpus file as its annex, in a process of its own:
#: argv is spec, annex, password, output PDF; stdout is JSON (warnings, or the refusal).
_RENDER_ONE = """
import json, sys
from dataclasses import replace
from pathlib import Path

import letterkit
from letterkit.model import Annex

spec, source, password, output = sys.argv[1:]
annex = Annex(path=Path(source), title=Path(source).name, password=password)
letter = replace(letterkit.load_letter(Path(spec)), annexes=(annex,))
try:
    built = letterkit.build(letter)
except letterkit.ValidationError as exc:
    refused = [{"code": p.code, "path": p.path, "message": p.message} for p in exc.problems]
    json.dump({"refused": refused}, sys.stdout)
else:
    Path(output).write_bytes(built.pdf)
    json.dump({"warnings": [str(w) for w in built.warnings]}, sys.stdout)
"""
#: Seconds one corpus file may take, the process start included, before its case fails.
CORPUS_TIMEOUT = 60


def _render_corpus_file(row: dict[str, str], output: Path) -> dict[str, list[Any]]:
    """Runs _RENDER_ONE for one corpus file, so a hang or a crash fails only that case."""
    command = [sys.executable, "-W", "error", "-c", _RENDER_ONE, str(EXAMPLE / "letter.yaml")]
    command += [str(CORPUS / row["file"]), row["user_password"], str(output)]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=CORPUS_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{row['file']}: no result after {CORPUS_TIMEOUT} s")
    if done.returncode != 0:
        pytest.fail(f"{row['file']}: the render process exited {done.returncode}\n{done.stderr}")
    result: dict[str, list[Any]] = json.loads(done.stdout)
    return result


@pytest.mark.slow  # a process per file, 1-10 s each: the 40 files take over a minute
@pytest.mark.skipif(not ROWS, reason="../shared/annex-corpus is not beside the project")
@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_corpus_file_is_carried_or_refused_as_the_manifest_says(
    row: dict[str, str], tmp_path: Path
) -> None:
    path = CORPUS / row["file"]
    password = row["user_password"]
    result = _render_corpus_file(row, tmp_path / "out.pdf")
    if "refused" in result:
        assert row["expect"] in {"refuse", "either"}, result["refused"]
        [problem] = result["refused"]
        assert problem["code"] == "LK130"
        assert row["file"] in problem["path"]
        assert re.search(r"annex 1 (is|has|cannot)", problem["message"]), problem["message"]
        return
    assert row["expect"] in {"carry", "either"}, "a file the manifest refuses was carried"
    pdf = (tmp_path / "out.pdf").read_bytes()
    labels = _labels(pdf)
    annex_pages = [i for i, label in enumerate(labels) if label.startswith("A1-")]
    if row["expect"] == "carry":
        assert len(annex_pages) == int(row["expect_pages"])
    assert _new_problems(path, password, pdf) == []
    reader = PdfReader(io.BytesIO(pdf))
    out = [
        (
            [round(float(v), 2) for v in reader.pages[i].mediabox],
            (reader.pages[i].rotation or 0) % 360,
        )
        for i in annex_pages
    ]
    if row["expect"] == "carry" and not result["warnings"]:
        assert out == _source_pages(path, password), "page size or rotation changed"
    # Every annex page carries its stamp (check the first, one in the middle, the last).
    count = len(annex_pages)
    for n in sorted({1, (count + 1) // 2, count}):
        text = reader.pages[annex_pages[n - 1]].extract_text()
        assert f"Annex 1\u00a0– page {n} of {count}" in text, (n, text[-200:])
        assert text.count("Annex 1\u00a0– page") == 1, "a stamp landed on another page too"


@pytest.mark.skipif(not ROWS, reason="../shared/annex-corpus is not beside the project")
def test_outline_nests_the_annex_outline_and_labels_read_back() -> None:
    outlined = CORPUS / "sf-006-pdflatex-outline.pdf"
    pdf = letterkit.render(
        _letter(
            Annex(path=EXAMPLE / "chronology.pdf", title="Chronology"),
            Annex(path=outlined, title="Report with chapters", pages="2-4"),
        )
    )
    reader = PdfReader(io.BytesIO(pdf))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:2] == ["Letter", "Signatories"]
    assert titles[2].startswith("Annex 1 – Chronology")
    assert titles[3] == "Annex 2 – Report with chapters"
    nested = reader.outline[reader.outline.index(reader.outline[-1])]
    assert isinstance(reader.outline[-1], list), "the annex's own outline is not nested"
    assert nested
    labels = list(reader.page_labels)
    assert labels[0] == "1"
    assert labels[-3:] == ["A2-1", "A2-2", "A2-3"]
    assert "A1-1" in labels
    last = reader.pages[-1].extract_text()
    assert "Annex 2\u00a0– page 3 of 3" in last


def test_photo_and_generated_chronology_are_annex_pages(tmp_path: Path) -> None:
    from PIL import Image

    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (1600, 1000), (120, 90, 60)).save(photo, quality=80)
    letter = _letter(
        Annex(path=photo, title="Photograph of the detention facility"),
        Annex(generate="chronology"),
    )
    pdf = letterkit.render(letter)
    reader = PdfReader(io.BytesIO(pdf))
    labels = list(reader.page_labels)
    assert labels[-2:] == ["A1-1", "A2-1"]
    photo_page = reader.pages[-2]
    assert len(photo_page.images) == 1
    assert "Annex 1\u00a0– page 1 of 1" in photo_page.extract_text()
    chronology = reader.pages[-1].extract_text()
    assert "Chronology" in chronology
    assert "15\u00a0June 2010" in chronology
    assert "31\u00a0March 2016" in chronology
    assert "UN Human Rights Committee adopted Views" in " ".join(chronology.split())
    letter_text = " ".join(p.extract_text() for p in reader.pages[: labels.index("A1-1")])
    assert "Photograph of the detention facility (1 page)" in " ".join(letter_text.split())
    assert "Chronology (1 page)" in " ".join(letter_text.split())


def test_generated_signatories_annex_when_the_letter_prints_a_count() -> None:
    base = _letter(Annex(generate="signatories"))
    pdf = letterkit.render(replace(base, signatory_style="count"))
    reader = PdfReader(io.BytesIO(pdf))
    labels = list(reader.page_labels)
    annex = " ".join(reader.pages[labels.index("A1-1")].extract_text().split())
    letter_text = " ".join(
        " ".join(p.extract_text().split()) for p in reader.pages[: labels.index("A1-1")]
    )
    for s in base.signatories:
        if not s.withhold:
            name = s.name.replace("'", "’")  # an apostrophe prints as ’
            assert name in annex
            assert name not in letter_text.split("Signatories")[-1]
    assert "32 organisations and 13 individuals" in letter_text


def test_stamp_off_and_stamp_upright_on_rotated_pages(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for angle in (0, 90, 180, 270):
        page = writer.add_blank_page(width=595, height=842)
        page.rotation = angle
    writer.write(tmp_path / "rotated.pdf")
    pdf = letterkit.render(
        _letter(
            Annex(path=tmp_path / "rotated.pdf", title="Rotated"),
            Annex(path=tmp_path / "rotated.pdf", title="Plain", stamp=False),
        )
    )
    reader = PdfReader(io.BytesIO(pdf))
    labels = list(reader.page_labels)
    first = labels.index("A1-1")
    for n in range(4):
        page = reader.pages[first + n]
        assert f"Annex 1\u00a0– page {n + 1} of 4" in page.extract_text()
        assert page.rotation == (0, 90, 180, 270)[n]
    for n in range(4):
        assert "Annex" not in reader.pages[first + 4 + n].extract_text()
    # Upright and near the shown bottom edge (8 mm above it, not nearer): render
    # and look for dark pixels there.
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        for n in range(4):
            image = doc[first + n].render(scale=1).to_pil().convert("L")
            w, h = image.size
            band = image.crop((w // 4, h - int(16 * 72 / 25.4), 3 * w // 4, h))
            darkest = band.getextrema()[0]
            assert darkest < 128, f"no stamp at the bottom of the page rotated {n * 90}"
            edge = image.crop((0, h - int(8 * 72 / 25.4), w, h))
            assert edge.getextrema()[0] == 255, f"a mark within 8 mm of the edge, page {n}"
    finally:
        doc.close()


@pytest.mark.skipif(not ROWS, reason="../shared/annex-corpus is not beside the project")
def test_form_fields_of_several_annexes_do_not_clash() -> None:
    form = CORPUS / "sf-012-libreoffice-form.pdf"
    pdf = letterkit.render(
        _letter(Annex(path=form, title="Form A"), Annex(path=form, title="Form B"))
    )
    source = set(PdfReader(form).get_fields() or {})
    fields = set(PdfReader(io.BytesIO(pdf)).get_fields() or {})
    assert source
    assert {f"annex1.{name}" for name in source} <= fields
    assert {f"annex2.{name}" for name in source} <= fields


def _spec_with_annex(folder: Path, **annex: str) -> Path:
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    start = text.index("annexes:")
    entry = "annexes:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in annex.items()) + "\n"
    spec.write_text(text[:start] + entry, encoding="utf-8")
    return spec


def _encrypted(folder: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(folder / "chronology.pdf"))
    writer.encrypt("s3cret", algorithm="AES-256")
    writer.write(folder / "locked.pdf")
    return folder / "locked.pdf"


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("wrong password", "password given is wrong"),
        ("no password", "needs a password"),
        ("truncated", "damaged beyond repair"),
        ("empty", "is empty"),
        ("html", "is an HTML page"),
    ],
)
def test_unusable_annex_is_one_line_exit_1_and_no_output(
    example_copy: Path, case: str, words: str
) -> None:
    if case in {"wrong password", "no password"}:
        _encrypted(example_copy)
        extra = {"password": "wrong"} if case == "wrong password" else {}
        spec = _spec_with_annex(example_copy, path="locked.pdf", title="Locked", **extra)
    else:
        bad = example_copy / "bad.pdf"
        if case == "truncated":
            bad.write_bytes((example_copy / "chronology.pdf").read_bytes()[:120])
        elif case == "empty":
            bad.write_bytes(b"")
        else:
            bad.write_text("<!DOCTYPE html><html><body>Not found</body></html>")
        spec = _spec_with_annex(example_copy, path="bad.pdf", title="Bad")
    output = example_copy / "out.pdf"
    status, _, err = run("render", str(spec), "-o", str(output))
    assert status == 1
    assert not output.exists()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "[LK130]" in lines[0]
    assert words in lines[0], lines[0]


def test_right_password_and_password_env(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _encrypted(example_copy)
    spec = _spec_with_annex(example_copy, path="locked.pdf", title="Locked", password="s3cret")
    assert "A1-1" in _labels(letterkit.render(spec))
    monkeypatch.setenv("LK_TEST_PW", "s3cret")
    spec = _spec_with_annex(
        example_copy, path="locked.pdf", title="Locked", password_env="LK_TEST_PW"
    )
    assert "A1-1" in _labels(letterkit.render(spec))
