"""Annexes are documents, not programs: what runs, opens or sends files, or
plays media is removed (LK132); embedded files are left out (LK134) unless
the annex says ``attachments: keep``.

Each annex is crafted here object by object; each letter is read back with
pikepdf, every object of it walked.
"""

from __future__ import annotations

import csv
import io
import shutil
import zlib
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

import letterkit
from letterkit import memo

from .bundles import bundled, rendered_alone
from .conftest import CORPUS, ROOT, qpdf_problems
from .hostile.pdfs import make_pdf
from .letters import body_letter
from .test_cli import run

#: Every action kind an annex loses.
REMOVED_ACTIONS = {
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
    "/Rendition", "/Movie", "/Sound", "/GoTo3DView", "/RichMediaExecute",
}  # fmt: skip
MEDIA = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
EVIDENCE = b"name,date\nTemir Sample,2010-06-15\n" * 20
NOTE = b"Photographs taken on 16 June 2010.\n"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _annex(catalog: bytes = b"", page: bytes = b"", **objects: bytes) -> bytes:
    """A one-page annex with "Evidence" on its page: *catalog* and *page* are
    more entries of those dictionaries, *objects* more objects (``o10=…``)."""
    content = b"BT /F1 24 Tf 72 700 Td (Evidence) Tj ET"
    base = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
        4: _stream(content),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    base.update({int(key[1:]): body for key, body in objects.items()})
    return make_pdf(base)


def _js(code: bytes, extra: bytes = b"") -> bytes:
    return b"<< /S /JavaScript /JS (%s)%s >>" % (code, extra)


def _link(action: bytes, x: int = 10) -> bytes:
    return b"<< /Type /Annot /Subtype /Link /Rect [%d 10 %d 40] /A %s >>" % (x, x + 30, action)


def _launching() -> bytes:
    return _annex(
        catalog=b"/OpenAction << /S /Launch /F (cmd.exe) >>",
        page=b"/Annots [10 0 R 11 0 R]",
        o10=_link(b"<< /S /Launch /Win << /F (calc.exe) >> >>"),
        o11=_link(b"<< /S /URI /URI (https://example.org/) >>", 60),
    )


def _scripted() -> bytes:
    """JavaScript in the document's names, a page's /AA, links (alone, at the
    head and the tail of a /Next chain, in a chain that loops, before a chain
    that goes on in two, as a javascript: address), a field's /AA and an
    outline item's chain."""
    return _annex(
        catalog=b"/Names << /JavaScript << /Names [(init) 20 0 R] >> >> "
        b"/AcroForm << /Fields [12 0 R] >> /Outlines 30 0 R",
        page=b"/AA << /O 21 0 R >> /Annots [10 0 R 11 0 R 12 0 R 14 0 R 15 0 R 16 0 R]",
        o10=_link(_js(b"app.alert(1)", b" /Next << /S /URI /URI (https://example.org/after) >>")),
        o11=_link(b"<< /S /URI /URI (https://example.org/) /Next 22 0 R >>", 60),
        o12=b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (amount) /V (12) "
        b"/Rect [300 600 500 620] /P 3 0 R /AA << /K 23 0 R /F 24 0 R >> /AP << /N 13 0 R >> >>",
        o13=_stream(
            b"0 0 1 rg 0 0 200 20 re f", b" /Type /XObject /Subtype /Form /BBox [0 0 200 20]"
        ),
        o14=_link(b"<< /S /URI /URI (javascript:app.alert(2)) >>", 110),
        o15=_link(b"25 0 R", 160),
        o16=_link(
            _js(b"app.alert(7)", b" /Next [<< /S /URI /URI (https://example.org/next) >> 24 0 R]"),
            210,
        ),
        o20=_js(b"this.print()"),
        o21=_js(b"app.alert(3)"),
        o22=_js(b"app.alert(4)"),
        o23=_js(b"AFNumber_Keystroke(2)"),
        o24=_js(b"AFNumber_Format(2)"),
        o25=_js(b"app.alert(5)", b" /Next 25 0 R"),
        o30=b"<< /Type /Outlines /First 31 0 R /Last 31 0 R /Count 1 >>",
        o31=b"<< /Title (Summary) /Parent 30 0 R "
        b"/A << /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (app.alert(6)) >> >> >>",
    )


def _sending() -> bytes:
    """SubmitForm, ImportData, GoToR and GoToE links, an XFA form, and a
    ResetForm button (kept)."""
    return _annex(
        catalog=b"/AcroForm << /Fields [12 0 R] /XFA 40 0 R >>",
        page=b"/Annots [10 0 R 11 0 R 12 0 R 15 0 R 16 0 R]",
        o10=_link(b"<< /S /SubmitForm /F << /FS /URL /F (https://collect.example/) >> >>"),
        o11=_link(b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>", 60),
        o12=b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (clear) "
        b"/Rect [300 600 400 620] /P 3 0 R /A << /S /ResetForm >> >>",
        o15=_link(b"<< /S /GoToE /T << /R /C /N (inner.pdf) >> /D [0 /Fit] >>", 110),
        o16=_link(b"<< /S /ImportData /F (answers.fdf) >>", 160),
        o40=_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"),
    )


def _playing() -> bytes:
    """A RichMedia and a Screen annotation (with its pop-up), a link that
    plays the screen, and a comment (kept)."""
    return _annex(
        page=b"/Annots [10 0 R 11 0 R 12 0 R 13 0 R 14 0 R]",
        o10=b"<< /Type /Annot /Subtype /RichMedia /Rect [50 300 250 450] "
        b"/RichMediaContent << /Assets << /Names [] >> >> >>",
        o11=b"<< /Type /Annot /Subtype /Screen /Rect [300 300 500 450] /Popup 12 0 R "
        b"/A << /S /Rendition /OP 0 /AN 11 0 R >> >>",
        o12=b"<< /Type /Annot /Subtype /Popup /Rect [300 460 500 520] /Parent 11 0 R >>",
        o13=b"<< /Type /Annot /Subtype /Text /Rect [20 780 40 800] /Contents (Checked by counsel) >>",
        o14=_link(b"<< /S /Rendition /OP 0 /AN 11 0 R >>", 60),
    )


def _attaching() -> bytes:
    """A file in the /EmbeddedFiles name tree (compressed) and one in a
    FileAttachment annotation."""
    packed = zlib.compress(EVIDENCE)
    return _annex(
        catalog=b"/Names << /EmbeddedFiles << /Names [(evidence.csv) 20 0 R] >> >>",
        page=b"/Annots [10 0 R]",
        o10=b"<< /Type /Annot /Subtype /FileAttachment /Rect [500 780 520 800] /FS 21 0 R "
        b"/Contents (Photo log) >>",
        o20=b"<< /Type /Filespec /F (evidence.csv) /UF (evidence.csv) /Desc (Detention record) "
        b"/EF << /F 22 0 R >> >>",
        o21=b"<< /Type /Filespec /F (note.txt) /UF (note.txt) /EF << /F 23 0 R >> >>",
        o22=_stream(packed, b" /Type /EmbeddedFile /Filter /FlateDecode"),
        o23=_stream(NOTE, b" /Type /EmbeddedFile"),
    )


def _spec(folder: Path, annexes: dict[str, bytes], *, keep: bool = False) -> Path:
    """A short letter with each of *annexes* (file name → bytes) as an annex."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, data in annexes.items():
        (folder / name).write_bytes(data)
        entries.append(f"{{path: {name}{', attachments: keep' if keep else ''}}}")
    return body_letter(folder, "We enclose the evidence.\n", annexes=f"[{', '.join(entries)}]")


def _build(spec: Path) -> tuple[bytes, list[str]]:
    """The letter's PDF and its warnings, as printed."""
    built = letterkit.build(letterkit.load_letter(spec))
    return built.pdf, [str(w) for w in built.warnings]


def _dictionaries(pdf: bytes) -> list[dict[str, str]]:
    """Every dictionary of *pdf*: each object's (a stream's too) and each one
    written inside another, as {key: the value when a name or string, else ""}."""
    out: list[dict[str, str]] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        stack: list[pikepdf.Object] = list(doc.objects)
        while stack:
            obj = stack.pop()
            if isinstance(obj, pikepdf.Stream):
                obj = obj.stream_dict
            if isinstance(obj, pikepdf.Dictionary):
                values = {k: obj.get(k) for k in obj.keys()}  # noqa: SIM118 (pikepdf)
                out.append(
                    {
                        k: str(v) if isinstance(v, pikepdf.Name | pikepdf.String) else ""
                        for k, v in values.items()
                    }
                )
                items = list(values.values())
            elif isinstance(obj, pikepdf.Array):
                items = list(obj)
            else:
                continue
            stack += [
                v
                for v in items
                if isinstance(v, pikepdf.Dictionary | pikepdf.Array) and not v.is_indirect
            ]
    return out


def _active_parts(pdf: bytes) -> list[dict[str, str]]:
    """The dictionaries of *pdf* that run, open or send something, or play media."""
    return [
        d
        for d in _dictionaries(pdf)
        if d.get("/S") in REMOVED_ACTIONS
        or "/JS" in d
        or "/XFA" in d
        or "/AA" in d
        or "/OpenAction" in d
        or "/JavaScript" in d
        or d.get("/Subtype") in MEDIA
        or d.get("/URI", "").lower().startswith("javascript:")
    ]


def _uris(pdf: bytes) -> set[str]:
    return {d["/URI"] for d in _dictionaries(pdf) if d.get("/S") == "/URI"}


def _lines(warnings: list[str], code: str) -> list[str]:
    return [w for w in warnings if f"[{code}]" in w]


@pytest.fixture(autouse=True)
def _in_the_letter_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files relative to the working folder: the letter's."""
    monkeypatch.chdir(tmp_path)


def test_launch_actions_are_removed_from_links_and_the_open_action(tmp_path: Path) -> None:
    """This test ensures that a Launch action leaves no trace in the letter, a
    web link of the same page stays, and one warning names both Launches."""
    pdf, warnings = _build(_spec(tmp_path, {"launch.pdf": _launching()}))
    assert _active_parts(pdf) == []
    assert "https://example.org/" in _uris(pdf)
    [line] = _lines(warnings, "LK132")
    assert line.startswith(
        "launch.pdf: warning: [LK132] annex 1: removed 2 Launch actions (an annex"
    ), line
    assert qpdf_problems(pdf) == []


def test_javascript_is_removed_wherever_it_stands(tmp_path: Path) -> None:
    """This test ensures that document, page, link, field and outline scripts
    are all removed (a chain keeps its other actions, a looping chain ends),
    while the links, the field with its appearance and the outline item stay."""
    pdf, warnings = _build(_spec(tmp_path, {"scripted.pdf": _scripted()}))
    assert _active_parts(pdf) == []
    assert {
        "https://example.org/",
        "https://example.org/after",
        "https://example.org/next",
    } <= _uris(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    fields = reader.get_fields() or {}
    assert fields["annex1.amount"].get("/V") == "12"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        widgets = [
            a for page in doc.pages for a in page.obj.get("/Annots", []) if a.get("/T") == "amount"
        ]
        assert len(widgets) == 1
        assert "/N" in widgets[0].AP
        titles = [item.title for item in doc.open_outline().root[-1].children]
        assert titles == ["Summary"]
        links = [a for p in doc.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Link"]
        actions = [a.get("/A") for a in links]
        assert all(isinstance(x, pikepdf.Dictionary) for x in actions if x is not None)
    [line] = _lines(warnings, "LK132")
    assert "annex 1: removed JavaScript (10 actions) (an annex travels" in line, line
    assert "form fields stay" in line


def test_submit_import_remote_files_and_xfa_are_removed(tmp_path: Path) -> None:
    """This test ensures that SubmitForm, ImportData, GoToR, GoToE and the XFA
    form are removed, and the form's ResetForm button stays."""
    pdf, warnings = _build(_spec(tmp_path, {"form.pdf": _sending()}))
    assert _active_parts(pdf) == []
    assert any(d.get("/S") == "/ResetForm" for d in _dictionaries(pdf))
    assert "annex1.clear" in (PdfReader(io.BytesIO(pdf)).get_fields() or {})
    [line] = _lines(warnings, "LK132")
    removed = line.split("removed ", 1)[1].split(" (an annex")[0]
    assert removed == (
        "a SubmitForm action, an ImportData action, a GoToR action, a GoToE action, an XFA form"
    )


def test_media_annotations_are_removed_and_comments_stay(tmp_path: Path) -> None:
    """This test ensures that RichMedia and Screen annotations, the pop-up of
    one and the action that plays it are removed; a comment stays."""
    pdf, warnings = _build(_spec(tmp_path, {"video.pdf": _playing()}))
    assert _active_parts(pdf) == []
    subtypes = [d.get("/Subtype") for d in _dictionaries(pdf)]
    assert "/Popup" not in subtypes
    assert any(d.get("/Contents") == "Checked by counsel" for d in _dictionaries(pdf))
    [line] = _lines(warnings, "LK132")
    assert "removed a Rendition action, a RichMedia annotation, a Screen annotation (" in line


def _files(pdf: bytes) -> tuple[dict[str, bytes], list[bytes]]:
    """The letter's attachments (name → bytes) and the files of its
    FileAttachment annotations."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        named = {name: spec.get_file().read_bytes() for name, spec in doc.attachments.items()}
        clipped = [
            annot.FS.EF.F.read_bytes()
            for page in doc.pages
            for annot in page.obj.get("/Annots", [])
            if annot.get("/Subtype") == "/FileAttachment"
        ]
    return named, clipped


def test_attachments_are_left_out_by_default(tmp_path: Path) -> None:
    """This test ensures that an annex's embedded files (name tree and
    annotation) are not in the letter, and one warning names them."""
    pdf, warnings = _build(_spec(tmp_path, {"record.pdf": _attaching()}))
    assert _files(pdf) == ({}, [])
    dictionaries = _dictionaries(pdf)
    assert not [d for d in dictionaries if "/EF" in d or "/EmbeddedFiles" in d]
    assert not [d for d in dictionaries if d.get("/Subtype") == "/FileAttachment"]
    assert _lines(warnings, "LK132") == []
    assert _lines(warnings, "LK134") == [
        "record.pdf: warning: [LK134] annex 1: 2 embedded files left out ('evidence.csv', "
        "'note.txt'); add 'attachments: keep' to the annex to carry them in the letter"
    ]


def test_attachments_keep_carries_them_reproducibly(tmp_path: Path) -> None:
    """This test ensures that with ``attachments: keep`` the name tree's file
    is one of the letter's attachments and the paper clip stays on its page,
    with their bytes; no warning; the same bytes from a fresh run."""
    spec = _spec(tmp_path, {"record.pdf": _attaching()}, keep=True)
    pdf, warnings = _build(spec)
    assert _files(pdf) == ({"evidence.csv": EVIDENCE}, [NOTE])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.attachments["evidence.csv"].description == "Detention record"
        clips = [
            (number, annot.Contents)
            for number, page in enumerate(doc.pages)
            for annot in page.obj.get("/Annots", [])
            if annot.get("/Subtype") == "/FileAttachment"
        ]
        assert clips == [(len(doc.pages) - 1, "Photo log")]  # on the annex's page
    assert _lines(warnings, "LK134") == []
    assert _lines(warnings, "LK132") == []
    assert qpdf_problems(pdf) == []
    memo.forget()
    assert _build(spec)[0] == pdf


def test_kept_attachment_names_stay_unique_across_annexes(tmp_path: Path) -> None:
    """This test ensures that two annexes attaching files of the same name give
    the letter two attachments, the second named after its annex."""
    spec = _spec(tmp_path, {"a.pdf": _attaching(), "b.pdf": _attaching()}, keep=True)
    pdf, _warnings = _build(spec)
    named, clipped = _files(pdf)
    assert named == {"evidence.csv": EVIDENCE, "evidence (annex 2).csv": EVIDENCE}
    assert clipped == [NOTE, NOTE]


def test_unknown_attachments_value_lists_the_allowed_ones(tmp_path: Path) -> None:
    """This test ensures that a wrong ``attachments`` value is LK105 at its line."""
    (tmp_path / "record.pdf").write_bytes(_attaching())
    spec = body_letter(
        tmp_path, "Text.\n", annexes="\n  - path: record.pdf\n    attachments: sometimes"
    )
    status, out, err = run("check", spec.name)
    assert status == 1
    assert [ln for ln in (out + err).splitlines() if "LK105" in ln] == [
        "letter.yaml:10:5: error: [LK105] 'attachments' must be one of keep, drop, not 'sometimes'"
    ]


def test_an_annex_built_in_code_with_another_attachments_value_is_refused(tmp_path: Path) -> None:
    """This test ensures that ``Annex(attachments=...)`` from Python is checked
    like the spec's key: LK105 naming the field and the allowed values."""
    (tmp_path / "record.pdf").write_bytes(_attaching())
    letter = letterkit.load_letter(_spec(tmp_path, {"record.pdf": _attaching()}))
    annex = replace(letter.annexes[0], attachments="always")  # type: ignore[arg-type]
    problems = letterkit.check(replace(letter, annexes=(annex,)))
    assert [(p.code, p.message) for p in problems if p.severity == "error"] == [
        ("LK105", "'attachments' must be one of keep, drop, not 'always'")
    ]


def test_check_prints_the_warnings_render_prints(tmp_path: Path) -> None:
    """This test ensures that ``letterkit check`` (which opens and assembles
    the annexes, writing nothing) prints the same LK132 and LK134 lines as
    ``render``."""
    spec = _spec(tmp_path, {"scripted.pdf": _scripted(), "record.pdf": _attaching()})
    status, out, err = run("check", "letter.yaml")
    assert status == 0, err
    checked = _lines((out + err).splitlines(), "LK132") + _lines((out + err).splitlines(), "LK134")
    status, out, err = run("render", "letter.yaml", "-o", "out.pdf")
    assert status == 0, err
    rendered = _lines((out + err).splitlines(), "LK132") + _lines((out + err).splitlines(), "LK134")
    assert checked == rendered
    assert [line.split(":")[0] for line in checked] == ["scripted.pdf", "record.pdf"]
    assert spec.is_file()


def test_a_bundle_letter_with_kept_attachments_equals_the_single_render(tmp_path: Path) -> None:
    """This test ensures that a campaign's letters carry an annex's kept files
    and lose its scripts, and each is byte-identical to ``render --recipient``."""
    folder = tmp_path / "campaign"
    folder.mkdir()
    shapes = ROOT / "examples" / "shapes"
    for name in ("generic.md", "case.yaml", "signatories-9.csv"):
        shutil.copy(shapes / name, folder / name)
    (folder / "record.pdf").write_bytes(_attaching())
    (folder / "scripted.pdf").write_bytes(_scripted())
    (folder / "letter.yaml").write_text(
        "template: generic.md\nlocale: en-GB\ndate: 2018-12-06\n"
        "subject: Release of Temir Sample\ncase: case.yaml\nsignatories: signatories-9.csv\n"
        "annexes:\n  - {path: record.pdf, attachments: keep}\n  - path: scripted.pdf\n",
        encoding="utf-8",
    )
    with (folder / "recipients.csv").open("w", newline="", encoding="utf-8") as handle:
        table = csv.writer(handle)
        table.writerow(["id", "honorific", "name", "address"])
        table.writerows(
            [["R1", "Ms", "Ilse Example", "Brussels"], ["R2", "Mr", "Jan Example", "Ghent"]]
        )
    campaign = folder / "campaign.yaml"
    campaign.write_text("letter: letter.yaml\nrecipients: recipients.csv\n", encoding="utf-8")
    out = tmp_path / "dist"
    letters = bundled(campaign, out)
    assert [entry["id"] for entry in letters] == ["R1", "R2"]
    for entry in letters:
        pdf = rendered_alone(campaign, entry, tmp_path)
        assert _files(pdf) == ({"evidence.csv": EVIDENCE}, [NOTE])
        assert _active_parts(pdf) == []
    # The command says what went from the annexes once, not once per letter.
    status, _, err = run("bundle", str(campaign), "-o", str(tmp_path / "again"), "--jobs", "2")
    assert status == 0, err
    assert len(_lines(err.splitlines(), "LK132")) == 1, err
    assert len(_lines(err.splitlines(), "LK134")) == 0, err  # that annex keeps its files


XFA_FILE = CORPUS / "pdfjs-bug1815476-xfa-encrypted.pdf"


@pytest.mark.skipif(
    not XFA_FILE.is_file(), reason="../shared/annex-corpus is not beside the project"
)
def test_a_real_xfa_form_loses_its_scripts_and_xfa(tmp_path: Path) -> None:
    """This test ensures that a real-world XFA form with scripts arrives as
    pages without XFA or JavaScript, and the warning says so."""
    shutil.copy(XFA_FILE, tmp_path / "xfa.pdf")
    pdf, warnings = _build(body_letter(tmp_path, "Text.\n", annexes="[xfa.pdf]"))
    assert _active_parts(pdf) == []
    [line] = _lines(warnings, "LK132")
    assert "removed JavaScript (" in line, line
    assert ", an XFA form (an annex" in line, line


def test_a_letter_in_two_languages_strips_and_keeps_as_one(tmp_path: Path) -> None:
    """This test ensures that a letter in several languages (its annexes
    appended once, after the last part) loses an annex's scripts and keeps
    its attachments as a one-language letter does."""
    shapes = ROOT / "examples" / "shapes"
    spec = tmp_path / "L13b-english-turkish.yaml"
    text = (shapes / spec.name).read_text(encoding="utf-8")
    for name in ("L13b.en.md", "L13b.tr.md", "signatories-41-countries.csv"):
        shutil.copy(shapes / name, tmp_path / name)
    assert "  - generate: chronology\n" in text
    text = text.replace(
        "  - generate: chronology\n",
        "  - generate: chronology\n  - {path: record.pdf, attachments: keep, title: Record}\n"
        "  - {path: scripted.pdf, title: Statement}\n",
    )
    spec.write_text(text, encoding="utf-8")
    (tmp_path / "record.pdf").write_bytes(_attaching())
    (tmp_path / "scripted.pdf").write_bytes(_scripted())
    pdf, warnings = _build(spec)
    assert _files(pdf) == ({"evidence.csv": EVIDENCE}, [NOTE])
    assert _active_parts(pdf) == []
    assert [line.split(":")[0] for line in _lines(warnings, "LK132")] == ["scripted.pdf"]
    assert "annex 3: removed JavaScript (10 actions)" in _lines(warnings, "LK132")[0]


def test_links_to_local_files_shares_and_data_are_removed(tmp_path: Path) -> None:
    """This test ensures that an annex keeps only web and mail links, as the
    letter's own text does: links to a local file, a network share (which can
    hand a Windows login to whoever runs it), a relative file or data are
    removed, counted in one warning, with one JavaScript link in the singular."""
    targets = [
        b"file:///etc/passwd", b"smb://evil.example/share", b"\\\\\\\\evil.example\\\\share\\\\x.pdf",
        b"data:text/html,<b>x</b>", b"report.pdf", b"mailto:a@example.org?attach=/etc/passwd",
        b" javascript:app.alert(1)", b"https://ok.example/", b"mailto:office@example.org",
    ]  # fmt: skip
    links = {
        f"o{10 + i}": _link(b"<< /S /URI /URI (%s) >>" % t, 10 + 40 * i)
        for i, t in enumerate(targets)
    }
    refs = b" ".join(b"%d 0 R" % (10 + i) for i in range(len(targets)))
    annex = _annex(page=b"/Annots [" + refs + b"]", **links)
    pdf, warnings = _build(_spec(tmp_path, {"links.pdf": annex}))
    assert _uris(pdf) == {"https://ok.example/", "mailto:office@example.org"}
    [line] = _lines(warnings, "LK132")
    assert "removed JavaScript (1 action), 6 links to a local file, a network share or data" in line
    assert qpdf_problems(pdf) == []


def test_one_embedded_file_is_named_in_the_singular(tmp_path: Path) -> None:
    """This test ensures that the warning for one file left out reads as English."""
    _, warnings = _build(_spec(tmp_path, {"record.pdf": _attaching()}))
    assert all(" a embedded" not in w for w in _lines(warnings, "LK134"))


def test_a_dynamic_xfa_form_is_refused_with_what_to_do(tmp_path: Path) -> None:
    """This test ensures that a form whose pages only stand in for its XFA (the
    "Please wait…" page of a dynamic form) is refused, not carried as that page."""
    annex = _annex(catalog=b"/NeedsRendering true /AcroForm << /Fields [] /XFA 10 0 R >>",
                   o10=_stream(b"<xdp:xdp/>"))  # fmt: skip
    spec = _spec(tmp_path, {"form.pdf": annex})
    with pytest.raises(letterkit.ValidationError) as caught:
        _build(spec)
    [problem] = caught.value.problems
    assert problem.code == "LK130"
    assert "is a dynamic XFA form" in problem.message
    assert "print it to PDF" in problem.message
