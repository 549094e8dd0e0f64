"""A bundle folder never holds a letter its state file does not record: however
the run ends (a failure, SIGTERM, SIGHUP), every letter written is recorded, so
that a later run can delete it when its recipient leaves the campaign."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_bundle import _campaign, _rename, _wait_for_lock
from .test_cli import run

STATE = ".letterkit-state.json"
_TITLES = [f"R000{n} – Member {n} Example" for n in range(3)]


def _recorded(out: Path) -> dict[str, str]:
    """Recipient id → file name, as the state file of *out* records them."""
    letters = json.loads((out / STATE).read_text(encoding="utf-8"))["letters"]
    return {rid: entry["file"] for rid, entry in letters.items()}


def _on_disk(out: Path) -> set[str]:
    return {p.name for p in out.glob("*.pdf")}


def _bundling(tmp_path: Path) -> tuple[Path, Path, subprocess.Popen[str]]:
    """A two-process bundle of 40 letters started in a session of its own, once
    it has written its first four letters: (campaign, output folder, process)."""
    campaign = _campaign(tmp_path / "c", 40)
    out = tmp_path / "dist"
    process = subprocess.Popen(
        [sys.executable, "-m", "letterkit", "bundle", str(campaign), "-o", str(out),
         "--jobs", "2", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_on_disk(out)) < 4:
        time.sleep(0.02)
    return campaign, out, process


def _drop(campaign: Path, rid: str) -> None:
    recipients = campaign.parent / "recipients.csv"
    rows = recipients.read_text(encoding="utf-8").splitlines()
    recipients.write_text(
        "\n".join(r for r in rows if not r.startswith(rid + ",")) + "\n", encoding="utf-8"
    )


@pytest.mark.slow
def test_a_failure_in_two_jobs_records_every_letter_the_workers_wrote(tmp_path: Path) -> None:
    """This test ensures that when a letter fails in a two-process run (without
    --keep-going), the letters the workers finished after it are recorded too,
    and that a recipient removed afterwards has its letter deleted, with a line."""
    campaign = _campaign(tmp_path / "c", 24)
    _rename(campaign, "Member 1 Example", "Member 王")
    out = tmp_path / "dist"
    status, _, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "2", "--quiet")
    assert status == 1
    assert "recipient 'R0001'" in err
    recorded = _recorded(out)
    assert len(recorded) >= 2, "the run stopped before any other letter was written"
    assert set(recorded.values()) == _on_disk(out)
    gone = max(recorded)  # the last letter written: by a worker after the failure
    _rename(campaign, "Member 王", "Member 1 Example")
    _drop(campaign, gone)
    status, _, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "2", "--quiet")
    assert status == 0, err
    [line] = [line for line in err.splitlines() if line.startswith("letterkit: removed ")]
    assert f"{recorded[gone]}: its recipient is no longer in the campaign" in line
    assert recorded[gone] not in _on_disk(out)
    assert len(_on_disk(out)) == 23


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "words", "group"),
    [
        (signal.SIGTERM, "terminated (SIGTERM)", False),
        (signal.SIGHUP, "hung up (SIGHUP)", False),
        (signal.SIGHUP, "hung up (SIGHUP)", True),  # a terminal closed: every process gets it
    ],
)
def test_sigterm_and_sighup_record_what_was_written_as_ctrl_c_does(
    tmp_path: Path, signum: int, words: str, group: bool
) -> None:
    """This test ensures that SIGTERM and SIGHUP stop a two-process bundle the
    way Ctrl-C does: every letter on disk recorded, one line counting them,
    exit status 128 + the signal; and the rerun finishes the job."""
    campaign, out, process = _bundling(tmp_path)
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    stdout, err = process.communicate(timeout=120)
    _wait_for_lock(out)
    assert process.returncode == 128 + signum, err
    recorded = _recorded(out)
    assert 4 <= len(recorded) < 40, "the run was not stopped midway"
    assert set(recorded.values()) == _on_disk(out)
    assert err.splitlines() == [
        f"letterkit: {words}: {len(recorded)} of 40 letters written; "
        "run the same command again to finish"
    ]
    status, stdout, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "2")
    assert status == 0, err
    assert stdout.splitlines()[-1].startswith(
        f"{40 - len(recorded)} built, {len(recorded)} unchanged"
    )


def test_an_old_combined_pdf_is_removed_when_a_letter_fails_and_rebuilt_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a --keep-going run with a failure deletes the
    combined PDF of the earlier run (its own, with one line) rather than leave
    one that no longer matches the manifest, that a combined PDF edited since is
    left with a line, and that the next whole run builds it again."""
    from pypdf import PdfReader

    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 3, combined="all-letters.pdf")
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 0, err
    combined = tmp_path / "dist" / "all-letters.pdf"
    assert [o.title for o in PdfReader(combined).outline if isinstance(o, dict)] == _TITLES
    _rename(campaign, "Member 1 Example", "Member 王")
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet",
                         "--keep-going")  # fmt: skip
    assert status == 1
    assert (
        "letterkit: removed dist/all-letters.pdf: the combined PDF of an earlier run; "
        "it is built again when every letter is"
    ) in err.splitlines()
    assert not combined.exists()
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest.get("combined") is None
    _rename(campaign, "Member 王", "Member 1 Example")
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 0, err
    assert [o.title for o in PdfReader(combined).outline if isinstance(o, dict)] == _TITLES
    combined.write_bytes(combined.read_bytes() + b"\n% edited\n")
    _rename(campaign, "Member 1 Example", "Member 王")
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet",
                         "--keep-going")  # fmt: skip
    assert status == 1
    assert (
        "letterkit: dist/all-letters.pdf was the combined PDF of an earlier run, but it has "
        "changed since; it is left as it is"
    ) in err.splitlines()
    assert combined.exists()


def _with_filename(campaign: Path, template: str) -> None:
    spec = campaign.read_text(encoding="utf-8") + f"output:\n  filename: '{template}'\n"
    campaign.write_text(spec, encoding="utf-8")


def test_a_file_name_template_in_curly_quotes_warns_and_a_name_not_a_pdf_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a filename template pasted with its curly quotes
    is an LK125 warning at the campaign's output, and that the names it renders
    (not ending in .pdf) are refused once, at the same place, not once a row."""
    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 4)
    _with_filename(campaign, "“{{ recipient.id }}.pdf”")
    status, err, _ = run("check", "c/campaign.yaml")
    assert status == 1
    lines = [line for line in err.splitlines() if "[LK125]" in line or "[LK160]" in line]
    assert lines == [
        "c/campaign.yaml:3:1: warning: [LK125] output.filename '“{{ recipient.id }}.pdf”' is "
        "wrapped in quote marks, which would be part of every file name; write it as "
        "'{{ recipient.id }}.pdf'",
        "c/campaign.yaml:3:1: error: [LK160] output.filename renders '“R0000.pdf”', which "
        "does not end in .pdf; end output.filename in .pdf (recipient 'R0000'; the same for "
        "all 4 recipients)",
    ]
    _campaign(tmp_path / "c", 4)
    _with_filename(campaign, "{{ recipient.id }}.yaml")
    status, err, _ = run("check", "c/campaign.yaml")
    assert status == 1
    assert "[LK160] output.filename renders 'R0000.yaml', which does not end in .pdf" in err
    assert not list(tmp_path.glob("**/*.yaml.pdf"))


def test_a_file_name_problem_of_every_row_is_one_line_and_of_one_row_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a filename template wrong for every recipient is
    one LK160 line at the campaign's output, and one wrong for a single
    recipient is one line at that recipient's row."""
    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 5)
    _with_filename(campaign, "../{{ recipient.id }}.pdf")
    status, err, _ = run("check", "c/campaign.yaml")
    assert status == 1
    [line] = [line for line in err.splitlines() if "[LK160]" in line]
    assert line.startswith(
        "c/campaign.yaml:3:1: error: [LK160] output.filename renders '../R0000.pdf'"
    )
    assert line.endswith("(recipient 'R0000'; the same for all 5 recipients)")
    _campaign(tmp_path / "c", 5)
    _with_filename(campaign, "{{ recipient.name }}.pdf")
    _rename(campaign, "Member 3 Example", "Member 3/Example")
    status, err, _ = run("check", "c/campaign.yaml")
    assert status == 1
    [line] = [line for line in err.splitlines() if "[LK160]" in line]
    assert line.startswith("c/recipients.csv:5:")
    assert "recipient 'R0003': output.filename renders 'Member 3/Example.pdf'" in line


def test_a_locale_in_capitals_is_read_as_its_usual_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that locale tags ignore case, as BCP 47 says: 'FR' in a
    recipient's cell and 'EN_gb' in the spec are read as fr and en-GB, the
    letters are built in those languages, and check finds nothing to say."""
    from pypdf import PdfReader

    from letterkit.l10n import normal_tag

    assert [normal_tag(t) for t in ("FR", "en-gb", "EN_gb", "uz-LATN-uz", "es-419", "x y")] == [
        "fr", "en-GB", "en-GB", "uz-Latn-UZ", "es-419", "x y"
    ]  # fmt: skip
    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 4)
    recipients = campaign.parent / "recipients.csv"
    recipients.write_text(
        recipients.read_text(encoding="utf-8").replace(",fr\n", ",FR\n"), encoding="utf-8"
    )
    letter = campaign.parent / "letter.yaml"
    letter.write_text(
        letter.read_text(encoding="utf-8").replace("locale: en-GB", "locale: EN_gb"),
        encoding="utf-8",
    )
    assert ",FR" in recipients.read_text(encoding="utf-8")
    status, out, err = run("check", "c/campaign.yaml")
    assert status == 0, out + err
    assert "LK108" not in out + err
    assert "LK105" not in out + err
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 0, err
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert [e["locale"] for e in manifest["letters"]] == ["en-GB", "en-GB", "en-GB", "fr"]
    french = tmp_path / "dist" / manifest["letters"][3]["file"]
    assert "Page 1 sur" in PdfReader(french).pages[0].extract_text()


def test_a_campaign_with_a_typo_for_recipients_says_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a campaign file with 'recipient:' for 'recipients:'
    is read as a campaign, so that check, bundle and render name the typo
    (did you mean 'recipients'?) instead of reading it as a letter spec."""
    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 2)
    campaign.write_text(
        campaign.read_text(encoding="utf-8").replace("recipients:", "recipient:"), encoding="utf-8"
    )
    for argv in (["check", "c/campaign.yaml"], ["bundle", "c/campaign.yaml", "-o", "dist"]):
        status, out, err = run(*argv)
        assert status == 1
        problems = [line for line in (out + err).splitlines() if ": error: " in line]
        assert problems == [  # in line order
            "c/campaign.yaml:1:1: error: [LK104] 'recipients' is required: a table of recipients",
            "c/campaign.yaml:2:1: error: [LK103] unknown campaign key 'recipient'; did you mean "
            "'recipients'? known keys: letter, recipients, output, archive",
        ]
    assert not (tmp_path / "dist").exists()


def test_small_command_line_lines_say_how_to_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures that: manifest merge offers only the options that do
    something for it; --recipient in the wrong case names the id meant; check of
    a missing file prints no count; a bundle stopped by a failure says what it
    wrote and that --keep-going builds the others; and the removed lines name
    the folder as the summary does, from ~ in the home folder."""
    assert run("manifest", "merge", "--help")[0] == 0
    helped = capsys.readouterr().out
    assert "--debug" in helped
    assert "--allow-outside" not in helped
    assert "--template-seconds" not in helped
    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 3)
    status, _, err = run("render", "c/campaign.yaml", "--recipient", "r0001", "-o", "x.pdf")
    assert status == 2
    assert err.strip() == (
        "letterkit: error: the campaign has no recipient 'r0001'; did you mean 'R0001'?"
    )
    status, out, _ = run("check", "nonexist.yaml")
    assert status == 1
    assert "LK101" in out
    assert "letter" not in out.splitlines()[-1].split(":")[0]
    assert not any(line.endswith("annexes") for line in out.splitlines())
    _rename(campaign, "Member 1 Example", "Member 王")
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 1
    assert err.splitlines()[-1] == (
        "letterkit: stopped at the first letter that failed: 1 of 3 letters written; fix it "
        "and run the same command again, or add --keep-going to build the others"
    )
    _rename(campaign, "Member 王", "Member 1 Example")
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    status, out, err = run(
        "bundle", "../c/campaign.yaml", "-o", str(tmp_path / "dist"), "--jobs", "1"
    )
    assert status == 0, err
    assert out.splitlines()[-1].endswith("; manifest ~/dist/manifest.json")
    _drop(campaign, "R0002")
    status, out, err = run(
        "bundle", "../c/campaign.yaml", "-o", str(tmp_path / "dist"), "--jobs", "1"
    )
    assert status == 0, err
    assert err.splitlines()[0].startswith("letterkit: removed ~/dist/R0002-member-2-example.pdf: ")
    assert out.splitlines()[-1].endswith("1 removed; manifest ~/dist/manifest.json")


@pytest.mark.slow
def test_sigterm_to_the_whole_group_leaves_no_letter_unrecorded(tmp_path: Path) -> None:
    """This test ensures that when SIGTERM reaches the workers too (a container
    or job stopped), the letters they wrote before dying are recorded all the
    same (to be built again), so that the folder holds none the state does not
    know; and the rerun finishes the set."""
    campaign, out, process = _bundling(tmp_path)
    os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    _wait_for_lock(out)
    assert process.returncode == 143, err
    # (Python 3.11's pool may also print a traceback of its own thread here.)
    assert err.splitlines()[-1].startswith("letterkit: terminated (SIGTERM)"), err
    recorded = _recorded(out)
    assert 4 <= len(recorded) < 40, "the run was not stopped midway"
    assert set(recorded.values()) == _on_disk(out)
    status, _, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "2", "--quiet")
    assert status == 0, err
    assert len(_on_disk(out)) == 40


def _dated(campaign: Path, day: str) -> None:
    letter = campaign.parent / "letter.yaml"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("date: 2018-12-06", f"date: {day}"), encoding="utf-8")


_STOPPED = (
    "the combined PDF of an earlier run; its letters changed and the run stopped before the "
    "end; it is built again when every letter is"
)
_UNTRUE = (
    "an earlier run's; it lists letters rebuilt or removed since; it is written again when a "
    "run gets to the end"
)


def test_a_run_stopped_by_its_first_failure_removes_the_manifest_and_combined_pdf_it_outdates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a run which rebuilds letters (a new date) and then
    stops at its first failed letter deletes the earlier combined PDF and
    manifest (which list the old letters' sha256s), one line each, and that the
    next whole run writes both again."""
    from pypdf import PdfReader

    monkeypatch.chdir(tmp_path)
    campaign = _campaign(tmp_path / "c", 3, combined="all-letters.pdf")
    assert run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")[0] == 0
    dist = tmp_path / "dist"
    _dated(campaign, "2019-01-15")
    _rename(campaign, "Member 1 Example", "Member 王")
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 1
    lines = err.splitlines()
    assert f"letterkit: removed dist/all-letters.pdf: {_STOPPED}" in lines
    assert f"letterkit: removed dist/manifest.json: {_UNTRUE}" in lines
    assert not (dist / "all-letters.pdf").exists()
    assert not (dist / "manifest.json").exists()
    assert "R0000" in _recorded(dist)  # rebuilt with the new date
    _rename(campaign, "Member 王", "Member 1 Example")
    status, _, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet")
    assert status == 0, err
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["combined"]["file"] == "all-letters.pdf"
    assert len(PdfReader(dist / "all-letters.pdf").outline) == 6  # 3 entries, each with children


def test_an_interrupted_run_removes_the_manifest_and_combined_pdf_it_outdates(
    tmp_path: Path,
) -> None:
    """This test ensures that Ctrl-C after a letter is rebuilt (a new date)
    deletes the earlier combined PDF and manifest, reported line by line, while
    Ctrl-C before any letter changes leaves both as they were (still true)."""
    from letterkit.bundle.build import build_bundle

    campaign = _campaign(tmp_path / "c", 3, combined="all-letters.pdf")
    dist = tmp_path / "dist"
    build_bundle(campaign, dist, jobs=1)
    before = (dist / "manifest.json").read_bytes()

    def interrupt(event: str, rid: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    told: list[str] = []
    with pytest.raises(KeyboardInterrupt):  # nothing changed: every letter is unchanged
        build_bundle(campaign, dist, jobs=1, progress=interrupt, report=told.append)
    assert told == []
    assert (dist / "manifest.json").read_bytes() == before
    assert (dist / "all-letters.pdf").exists()
    _dated(campaign, "2019-01-15")
    with pytest.raises(KeyboardInterrupt):
        build_bundle(campaign, dist, jobs=1, progress=interrupt, report=told.append)
    assert [line.split(": ", 1)[1] for line in told] == [_STOPPED, _UNTRUE]
    assert told[0].split(":")[0] == f"removed {dist / 'all-letters.pdf'}"
    assert told[1].split(":")[0] == f"removed {dist / 'manifest.json'}"
    assert not (dist / "all-letters.pdf").exists()
    assert not (dist / "manifest.json").exists()
    assert _recorded(dist)["R0000"] == "R0000-member-0-example.pdf"
