"""Campaign bundles: parallel, resumable, shardable, combined, safe file names."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

import letterkit
from letterkit import limits
from letterkit.bundle.build import build_bundle
from letterkit.bundle.campaign import check_campaign
from letterkit.bundle.manifest import shard_slice
from letterkit.bundle.merge import merge_manifests

from .conftest import ROOT
from .test_cli import run

SHAPES = ROOT / "examples" / "shapes"


def _campaign(folder: Path, count: int, *, annex_pages: int = 0, combined: str = "") -> Path:
    """A campaign of *count* recipients (some in French) on a short letter."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("generic.md", "case.yaml", "signatories-9.csv"):
        shutil.copy(SHAPES / name, folder / name)
    letter = [
        "template: generic.md", "locale: en-GB", "date: 2018-12-06",
        "subject: Release of Temir Sample", "case: case.yaml",
        "signatories: signatories-9.csv",
    ]  # fmt: skip
    if annex_pages:
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(str(folder / "annex.pdf"), invariant=1)
        for n in range(annex_pages):
            canvas.drawString(72, 700, f"Supporting document, page {n + 1}")
            canvas.showPage()
        canvas.save()
        letter += ["annexes:", "  - {path: annex.pdf, title: UN decision}"]
    (folder / "letter.yaml").write_text("\n".join(letter) + "\n", encoding="utf-8")
    with (folder / "recipients.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "honorific", "name", "title", "address", "locale"])
        for n in range(count):
            out.writerow(
                [f"R{n:04d}", "Ms" if n % 2 else "Mr", f"Member {n} Example",
                 "Member of the European Parliament", "Rue Wiertz 60 | 1047 Brussels",
                 "fr" if n % 7 == 3 else "en-GB"]
            )  # fmt: skip
    spec = ["letter: letter.yaml", "recipients: recipients.csv"]
    if combined:
        spec += ["output:", f"  combined: {combined}"]
    (folder / "campaign.yaml").write_text("\n".join(spec) + "\n", encoding="utf-8")
    # French text for the localizable fields the short letter prints.
    case = (folder / "case.yaml").read_text(encoding="utf-8")
    case = case.replace("role: {en: human rights defender, ru: правозащитник}",
                        "role: {en: human rights defender, ru: правозащитник, fr: défenseur des droits humains}")  # fmt: skip
    (folder / "case.yaml").write_text(case, encoding="utf-8")
    return folder / "campaign.yaml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()}


@pytest.mark.slow
def test_720_letters_in_two_jobs_then_nothing_then_one(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 720)
    out = tmp_path / "dist"
    result = build_bundle(campaign, out, jobs=2)
    assert len(result.built) == 720
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["id"] for e in manifest["letters"]] == [f"R{n:04d}" for n in range(720)]
    for entry in manifest["letters"]:
        assert _sha(out / entry["file"]) == entry["sha256"]
        assert entry["bytes"] == (out / entry["file"]).stat().st_size
    before = _snapshot(out)
    again = build_bundle(campaign, out, jobs=2)
    assert again.built == []
    assert len(again.skipped) == 720
    after = _snapshot(out)
    assert {k: v for k, v in after.items() if k.endswith(".pdf")} == {
        k: v for k, v in before.items() if k.endswith(".pdf")
    }
    _rename(campaign, "Member 123 Example", "Member 123 Changed")
    third = build_bundle(campaign, out, jobs=2)
    assert third.built == ["R0123"]


def test_bundle_letter_equals_render_with_recipient(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 8)
    out = tmp_path / "dist"
    status, _, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "2", "--quiet")
    assert status == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    for rid in ("R0000", "R0003"):
        single = tmp_path / f"{rid}.pdf"
        status, _, err = run("render", str(campaign), "--recipient", rid, "-o", str(single))
        assert status == 0, err
        entry = next(e for e in manifest["letters"] if e["id"] == rid)
        assert _sha(single) == entry["sha256"]
    french = next(e for e in manifest["letters"] if e["id"] == "R0003")
    assert french["locale"] == "fr"
    assert "Page 1 sur" in PdfReader(out / french["file"]).pages[0].extract_text()


def test_killed_run_leaves_only_complete_pdfs_and_the_rerun_completes(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 60)
    out = tmp_path / "dist"
    process = subprocess.Popen(
        [sys.executable, "-m", "letterkit", "bundle", str(campaign), "-o", str(out),
         "--jobs", "2", "--quiet"],
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 10:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    _wait_for_lock(out)  # its workers, killed too, may take a moment to go
    written = list(out.glob("*.pdf"))
    assert 0 < len(written) < 60, "the run was not interrupted midway"
    for pdf in written:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-"), pdf.name
        assert data.rstrip().endswith(b"%%EOF"), pdf.name
        assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    build_bundle(campaign, out, jobs=2)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    clean = tmp_path / "clean"
    build_bundle(campaign, clean, jobs=1)
    assert json.loads((out / "manifest.json").read_text()) == json.loads(
        (clean / "manifest.json").read_text()
    )


def _wait_for_lock(out: Path) -> None:
    """Wait until no process holds the bundle lock of *out* (at most 30 s)."""
    import fcntl

    deadline = time.monotonic() + 30
    with open(out / ".letterkit-lock", "rb") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                assert time.monotonic() < deadline, "the killed run's lock was never let go"
                time.sleep(0.05)
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)
                return


def test_shards_are_disjoint_and_merge_to_the_whole(tmp_path: Path) -> None:
    assert [list(shard_slice(10, k, 3)) for k in (1, 2, 3)] == [
        [0, 1, 2], [3, 4, 5], [6, 7, 8, 9]
    ]  # fmt: skip
    campaign = _campaign(tmp_path / "c", 14, combined="all.pdf")
    whole = tmp_path / "whole"
    build_bundle(campaign, whole, jobs=1)
    shards = []
    for k in (1, 2, 3):
        folder = tmp_path / f"shard-{k}"
        status, _, err = run("bundle", str(campaign), "-o", str(folder), "--shard", f"{k}/3",
                             "--jobs", "1", "--quiet")  # fmt: skip
        assert status == 0, err
        shards.append(folder)
    ids = [
        {e["id"] for e in json.loads((f / "manifest.json").read_text())["letters"]} for f in shards
    ]
    assert not (ids[0] & ids[1])
    assert not (ids[1] & ids[2])
    assert not (ids[0] & ids[2])
    merged = tmp_path / "merged"
    status, _, err = run("manifest", "merge", *map(str, shards), "-o", str(merged))
    assert status == 0, err
    assert json.loads((merged / "manifest.json").read_text()) == json.loads(
        (whole / "manifest.json").read_text()
    )
    assert _sha(merged / "all.pdf") == _sha(whole / "all.pdf")
    with pytest.raises(letterkit.ValidationError) as caught:
        merge_manifests(shards[:2], tmp_path / "incomplete")
    assert [(p.code, p.message[:40]) for p in caught.value.problems] == [
        ("LK163", "shard 3/3 is missing from the merge (giv")
    ]
    assert not (tmp_path / "incomplete").exists()


def test_combined_pdf_stores_shared_objects_once(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 100, annex_pages=12, combined="all-letters.pdf")
    out = tmp_path / "dist"
    build_bundle(campaign, out, jobs=2)
    combined = out / "all-letters.pdf"
    with pikepdf.open(combined) as pdf:
        assert len(pdf.open_outline().root) == 100
        contents: dict[bytes, set[tuple[int, int]]] = {}
        stamps: dict[bytes, set[tuple[int, int]]] = {}
        fonts: dict[bytes, set[tuple[int, int]]] = {}
        for page in pdf.pages:
            streams = page.obj.Contents
            for stream in [streams] if isinstance(streams, pikepdf.Stream) else list(streams):
                contents.setdefault(stream.read_bytes(), set()).add(stream.objgen)
            forms = page.obj.Resources.get("/XObject", {})
            if "/LKStamp" in forms:
                stamps.setdefault(forms.LKStamp.read_bytes(), set()).add(forms.LKStamp.objgen)
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                program = obj.FontFile2
                fonts.setdefault(program.read_bytes(), set()).add(program.objgen)
        annex_streams = [objs for data, objs in contents.items() if b"Supporting document" in data]
        # 12 annex pages, their streams shared by English and French letters, each stored once;
        # their stamps in English or in French: 24 forms, each stored once.
        assert len(annex_streams) == 12
        assert all(len(objs) == 1 for objs in annex_streams)
        assert len(stamps) == 24
        assert all(len(objs) == 1 for objs in stamps.values())
        assert all(len(objs) == 1 for objs in fonts.values())
        names = [str(o.FontName) for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"]  # fmt: skip
        programs = {
            str(o.FontName): o.FontFile2.read_bytes() for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
        }  # fmt: skip
        assert len(set(programs)) == len({hashlib.sha1(v).digest() for v in programs.values()})
        assert names
    labels = list(PdfReader(combined).page_labels)
    assert labels[0] == "R0000:1"
    assert "R0099:A1-12" in labels


def _rename(campaign: Path, old: str, new: str) -> None:
    """Change a recipient's name in the campaign's recipients.csv."""
    rows = campaign.parent / "recipients.csv"
    rows.write_text(rows.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_hostile_recipient_names_stay_inside_the_output_folder(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 3)
    _rename(campaign, "Member 1 Example", "../../etc/passwd")
    out = tmp_path / "dist"
    build_bundle(campaign, out, jobs=1)
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert "R0001-etc-passwd.pdf" in files
    assert all(p.resolve().parent == out.resolve() for p in out.iterdir())
    text = campaign.read_text() + 'output:\n  filename: "{{ recipient.name }}.pdf"\n'
    campaign.write_text(text, encoding="utf-8")
    problems = check_campaign(campaign)
    [problem] = [p for p in problems if p.code == "LK160"]
    assert "path separator" in problem.message
    assert problem.path.endswith("recipients.csv")
    assert problem.line == 3
    status, out, _ = run("check", str(campaign))
    assert status == 1
    assert "[LK160]" in out


def test_keep_going_reports_each_failure_with_the_recipient(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 4)
    _rename(campaign, "Member 2 Example", "Member 王")
    out = tmp_path / "dist"
    status, _text, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "1",
                            "--keep-going")  # fmt: skip
    assert status == 1
    assert "U+738B" in err
    assert "recipient R0002" in err
    assert len(list(out.glob("*.pdf"))) == 3
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == ["R0002"]
    assert [e["id"] for e in manifest["letters"]] == ["R0000", "R0001", "R0003"]
    status, _, err = run("bundle", str(campaign), "-o", str(tmp_path / "d2"), "--jobs", "1")
    assert status == 1
    assert "recipient 'R0002'" in err


def test_init_makes_a_folder_that_renders_and_previews(tmp_path: Path) -> None:
    folder = tmp_path / "my-letter"
    status, _out, err = run("init", str(folder))
    assert status == 0, err
    assert {p.name for p in folder.iterdir()} == {
        "letter.yaml", "case.yaml", "signatories.csv", "annex.pdf"
    }  # fmt: skip
    assert letterkit.check(folder / "letter.yaml") == []
    pdf = letterkit.render(folder / "letter.yaml")
    labels = list(PdfReader(io.BytesIO(pdf)).page_labels)
    assert "A1-1" in labels
    assert "A2-1" in labels
    sheet = tmp_path / "sheet.png"
    status, _, err = run("preview", str(folder / "letter.yaml"), "-o", str(sheet))
    assert status == 0, err
    from PIL import Image

    with Image.open(sheet) as image:
        assert image.width > 600
    status, _, err = run("init", str(folder))
    assert status == 2
    assert "not empty" in err


def test_renamed_and_removed_recipients_leave_no_stale_letters(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 4)
    out = tmp_path / "dist"
    build_bundle(campaign, out, jobs=1)
    rows = (campaign.parent / "recipients.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace("Member 1 Example", "Member 1 Renamed")
    del rows[4]  # R0003
    (campaign.parent / "recipients.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    build_bundle(campaign, out, jobs=1)
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == [
        "R0000-member-0-example.pdf", "R0001-member-1-renamed.pdf", "R0002-member-2-example.pdf"
    ]  # fmt: skip
    mask = os.umask(0)
    os.umask(mask)
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~mask for p in out.glob("*.pdf"))


def test_each_removed_letter_is_said_even_when_quiet_and_in_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that the letters a bundle deletes (their recipients left
    the campaign) are each named: a line also under --quiet, the summary's
    count, and BundleResult.removed with the report callback."""
    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 4)
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 0, err
    recipients = campaign.parent / "recipients.csv"
    rows = recipients.read_text(encoding="utf-8").splitlines()
    recipients.write_text(
        "\n".join(rows[:2] + rows[3:4]) + "\n", encoding="utf-8"
    )  # R0001, R0003 go
    status, out, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 0, err
    assert out == ""
    assert err.splitlines() == [
        f"letterkit: removed dist/{name}: its recipient is no longer in the campaign, "
        "or its file name changed"
        for name in ("R0001-member-1-example.pdf", "R0003-member-3-example.pdf")
    ]
    assert sorted(p.name for p in (tmp_path / "dist").glob("*.pdf")) == [
        "R0000-member-0-example.pdf", "R0002-member-2-example.pdf"
    ]  # fmt: skip
    recipients.write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")  # R0002 goes too
    told: list[str] = []
    result = build_bundle(campaign, tmp_path / "dist", jobs=1, report=told.append)
    assert result.removed == ["R0002-member-2-example.pdf"]
    assert result.skipped == ["R0000"]
    assert told == ["removed dist/R0002-member-2-example.pdf: its recipient is no longer in "
                    "the campaign, or its file name changed"]  # fmt: skip
    recipients.write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, out, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1")
    assert status == 0, err
    assert out.splitlines()[-1].startswith("3 built, 1 unchanged, 0 failed; manifest")
    recipients.write_text("\n".join(rows[:4]) + "\n", encoding="utf-8")
    status, out, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1")
    assert out.splitlines()[-1].startswith("0 built, 3 unchanged, 0 failed, 1 removed; manifest")


def test_campaign_problems_found_by_review_are_clean_errors(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 3)
    # A recipient in a language the spec's texts lack: a problem, not a traceback.
    rows = (campaign.parent / "recipients.csv").read_text(encoding="utf-8")
    (campaign.parent / "recipients.csv").write_text(
        rows + "R9,Mr,Hans Muster,Minister,Berlin,ru\n", encoding="utf-8"
    )
    letter = campaign.parent / "letter.yaml"
    letter.write_text(letter.read_text() + "place: {en: Brussels, fr: Bruxelles}\n")
    status, out, _ = run("check", str(campaign))
    assert status == 1
    lacking = [line for line in out.splitlines() if "[LK108]" in line]
    assert lacking == [
        "recipients.csv:5:6: error: [LK108] the base letter's texts have no 'ru' entry: "
        "place; add a 'ru' or 'default' entry to each, or give the row another locale"
    ]
    # A letter file name that is also the combined PDF's name.
    campaign.write_text(
        campaign.read_text()
        + 'output:\n  filename: "{{ recipient.id }}.pdf"\n  combined: R0001.pdf\n'
    )
    problems = check_campaign(campaign)
    assert any(p.code == "LK160" and "combined PDF" in p.message for p in problems)
    # bundle on a letter spec is a usage error, in one line.
    status, _, err = run("bundle", str(letter), "-o", str(tmp_path / "d"))
    assert status == 2
    assert "is a letter spec, not a campaign" in err
    assert len(err.strip().splitlines()) == 1


def test_jobs_never_start_more_processes_than_letters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a large *jobs* (a typo, or a host passing a big
    number) starts no more worker processes than there are letters, instead of
    forking until the machine runs out of memory, and that a *jobs* that is not
    a whole number is a UsageError."""
    from letterkit.bundle import build as build_module

    campaign = _campaign(tmp_path / "c", 3)
    asked: list[int] = []

    def fake_parallel(*args: object) -> None:
        asked.append(int(args[5]))  # type: ignore[call-overload]

    monkeypatch.setattr(build_module, "run_parallel", fake_parallel)
    build_bundle(campaign, tmp_path / "out", jobs=10**6)
    assert asked == [3]
    for bad in ("2", -1, 1.5):
        with pytest.raises(letterkit.UsageError, match="jobs"):
            build_bundle(campaign, tmp_path / "out2", jobs=bad)  # type: ignore[arg-type]


def test_a_shard_out_of_range_or_a_progress_that_is_no_function_is_a_usage_error(
    tmp_path: Path,
) -> None:
    """This test ensures that shard=(0, 2) does not build letters from the end of
    the list (overlapping shard 2 through negative indices), that (3, 2) does not
    silently build nothing, and that a text or (1, 0), or a progress that
    cannot be called, is a UsageError rather than a TypeError or
    ZeroDivisionError, before anything is written."""
    campaign = _campaign(tmp_path / "c", 4)
    for bad in ((0, 2), (3, 2), (1, 0), "1/2", (1,), (1.0, 2)):
        with pytest.raises(letterkit.UsageError, match="shard"):
            build_bundle(campaign, tmp_path / "out", shard=bad)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()
    with pytest.raises(letterkit.UsageError, match="progress"):
        build_bundle(campaign, tmp_path / "out", progress=5)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_an_output_folder_that_is_a_file_or_the_inputs_is_refused_untouched(
    tmp_path: Path,
) -> None:
    """This test ensures that an out_dir that is a file is a UsageError (not a
    FileExistsError), and that the inputs' folder is refused before anything in
    it is deleted (a stray .x.tmp there stays)."""
    campaign = _campaign(tmp_path / "c", 2)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(letterkit.UsageError, match="cannot make the output folder"):
        build_bundle(campaign, a_file)
    with pytest.raises(letterkit.UsageError, match="holds the campaign's inputs"):
        build_bundle(campaign, campaign)  # the campaign file itself
    stray = campaign.parent / ".notes.tmp"
    stray.write_text("mine")
    with pytest.raises(letterkit.UsageError, match="holds the campaign's inputs"):
        build_bundle(campaign, campaign.parent)
    assert stray.read_text() == "mine"


def test_a_period_that_runs_backwards_is_an_error() -> None:
    import datetime as dt

    from letterkit import l10n

    with pytest.raises(ValueError, match="runs backwards"):
        l10n.duration(dt.date(2024, 3, 1), dt.date(2018, 2, 28), "en-GB")


def test_a_combined_pdf_named_like_an_annex_cannot_replace_it(tmp_path: Path) -> None:
    """This test ensures that a bundle written into the campaign's folder, whose
    letter lives in a folder of its own, is refused: its combined PDF
    (``output.combined: annex.pdf``) would replace the annex; and that a name
    that is not a PDF's (``recipients.csv``) is refused before that (LK160)."""
    campaign = _campaign(tmp_path / "c", 2, annex_pages=1, combined="annex.pdf")
    letter_folder = campaign.parent / "letter"
    letter_folder.mkdir()
    for name in ("generic.md", "case.yaml", "signatories-9.csv", "letter.yaml"):
        (campaign.parent / name).rename(letter_folder / name)
    letter = letter_folder / "letter.yaml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("path: annex.pdf",
                      "path: ../annex.pdf"), encoding="utf-8")  # fmt: skip
    campaign.write_text(
        campaign.read_text(encoding="utf-8").replace(
            "letter: letter.yaml", "letter: letter/letter.yaml"
        ),
        encoding="utf-8",
    )
    annex = campaign.parent / "annex.pdf"
    before = annex.read_bytes()
    with pytest.raises(letterkit.UsageError, match="holds the campaign's inputs"):
        build_bundle(campaign, campaign.parent, allow_outside=True)
    assert annex.read_bytes() == before
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("annex.pdf", "recipients.csv"))
    with pytest.raises(
        letterkit.ValidationError, match=r"LK160.*'recipients.csv' does not end in .pdf"
    ):
        build_bundle(campaign, campaign.parent, allow_outside=True)


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("{{ 'a' * 2000000000 }}.pdf", "LK160"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x",
            "LK114",
        ),
        ("{{ 1 / 0 }}.pdf", "LK160"),
    ],
    ids=["a two-gigabyte name", "a loop for hours", "a division by zero"],
)
def test_a_runaway_file_name_template_is_one_problem(
    tmp_path: Path, template: str, code: str
) -> None:
    """This test ensures that output.filename runs in the bounded sandbox: a
    name that would take gigabytes or hours is a problem within the limits."""
    campaign = _campaign(tmp_path / "c", 2)
    spec = campaign.read_text(encoding="utf-8") + f'output:\n  filename: "{template}"\n'
    campaign.write_text(spec, encoding="utf-8")
    started = time.monotonic()
    with (
        limits.applied(limits.Limits(template_seconds=1)),
        pytest.raises(letterkit.ValidationError) as info,
    ):
        build_bundle(campaign, tmp_path / "out")
    assert time.monotonic() - started < 30
    [problem] = info.value.problems
    assert problem.code == code
    assert "output.filename" in problem.message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_ctrl_c_in_a_one_process_bundle_counts_what_it_wrote(tmp_path: Path) -> None:
    """This test ensures that Ctrl-C in a bundle built in one process exits 130
    with one line counting the letters written, each of which the progress
    lines named, and that the rerun builds only the others."""
    campaign = _campaign(tmp_path / "c", 20)
    out = tmp_path / "dist"
    process = subprocess.Popen(
        [sys.executable, "-m", "letterkit", "bundle", str(campaign), "-o", str(out),
         "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 3:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    state = json.loads((out / ".letterkit-state.json").read_text(encoding="utf-8"))["letters"]
    built = [line.split()[1] for line in stdout.splitlines() if line.startswith("built ")]
    assert 3 <= len(state) < 20, "the run was not interrupted midway"
    assert sorted(built) == sorted(state)
    assert err.splitlines() == [
        f"letterkit: interrupted: {len(state)} of 20 letters written; "
        "run the same command again to finish"
    ]
    kept = {rid: (out / e["file"]).stat().st_ino for rid, e in state.items()}
    status, stdout, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "1")
    assert status == 0, err
    assert stdout.splitlines()[-1].startswith(f"{20 - len(state)} built, {len(state)} unchanged")
    assert {rid: (out / e["file"]).stat().st_ino for rid, e in state.items()} == kept


@pytest.mark.parametrize(
    ("combined", "said"),
    [
        (
            "../outside.pdf",
            "'../outside.pdf' is not a plain file name in the output folder: "
            "give a name with no folder and no leading dot, such as all-letters.pdf",
        ),
        (
            '"{{ recipient.id }}.pdf"',
            "'{{ recipient.id }}.pdf' holds template syntax, but the "
            "combined PDF is one file for all the letters, not a template: give a plain file "
            "name, such as all-letters.pdf",
        ),
        (
            "all-letters",
            "'all-letters' does not end in .pdf; end it in .pdf, such as all-letters.pdf",
        ),
        (
            "manifest.json",
            "'manifest.json' does not end in .pdf; end it in .pdf, such as all-letters.pdf",
        ),
        ('"a:b.pdf"', "'a:b.pdf' which holds ':', not allowed in a file name"),
        ("CON.pdf", "'CON.pdf' a name Windows keeps for a device"),
    ],
    ids=["outside", "template", "not a pdf", "reserved", "unsafe", "device"],
)
def test_a_bad_combined_name_is_one_lk160_at_its_key_saying_what_it_must_be(
    tmp_path: Path, combined: str, said: str
) -> None:
    """This test ensures that output.combined names one plain PDF in the output
    folder: a path, template syntax, a name without .pdf, a name the bundle
    keeps or no file system takes is one LK160 error at the combined: line
    (where the key is, not at output:), saying what it must be; and that the
    bundle refuses it and writes nothing."""
    campaign = _campaign(tmp_path / "c", 2, combined=combined)
    status, out, _ = run("check", str(campaign))
    assert status == 1
    [line] = [line for line in out.splitlines() if "LK160" in line]
    assert line.startswith("campaign.yaml:4:3: ")  # output: is line 3, combined: line 4
    assert f"error: [LK160] output.combined {said}" in line
    status, _, err = run("bundle", str(campaign), "-o", str(tmp_path / "dist"))
    assert status == 1
    assert said in err
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())
