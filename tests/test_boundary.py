"""Faults and interruptions on the command line: one line each, an exit code, no traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import letterkit
from letterkit.pdf import splice

from .conftest import EXAMPLE
from .test_bundle import _campaign
from .test_cli import run


def _huge_signatory(folder: Path) -> Path:
    """The example letter with a 1,990-character signatory name, the count style
    in three columns, and a generated list of signatories as its annex."""
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    text = text.replace("expected_signatories: 45\n", "")
    text = text.replace("signatory_style: columns", "signatory_style: count")
    text = text.replace("signatory_columns: 2", "signatory_columns: 3")
    text = text[: text.index("annexes:")] + "annexes:\n  - {generate: signatories}\n"
    spec.write_text(text, encoding="utf-8")
    name = ("Long " * 400)[:1990]
    with (folder / "signatories.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{name},organization,,,,,,,,\n")
    return spec


@pytest.mark.parametrize("command", ["render", "check"])
def test_signatory_too_large_for_any_page_is_one_problem(
    command: str, example_copy: Path, tmp_path: Path
) -> None:
    """This test ensures that an entry too large for a page, met while the
    generated annex is laid out, is LK150 at the signatory's row, not a crash."""
    spec = _huge_signatory(example_copy)
    rows = (example_copy / "signatories.csv").read_text(encoding="utf-8").count("\n")
    args = [command, str(spec)] + (["-o", str(tmp_path / "out.pdf")] if command == "render" else [])
    code, out, err = run(*args)
    assert code == 1
    text = out + err
    assert "Traceback" not in text
    lines = text.strip().splitlines()
    if command == "check":  # after the problem, what was read
        assert lines.pop() == "1 letter, 46 signatories (1 withheld), 1 annex"
    [line] = lines
    assert "[LK150]" in line
    assert f"signatories.csv:{rows}:" in line
    assert "too large to fit on an empty A4 page" in line
    assert len(line) < 300, "the name is shortened in the message"
    assert not (tmp_path / "out.pdf").exists()


def _forced_splice_error(*args: object, **options: object) -> bytes:
    raise splice.SpliceError("forced: the joined file is not what was expected")


def test_fault_inside_a_stage_is_one_internal_error_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This test ensures that a fault of letterkit's own (here in the PDF joiner)
    is LK900 on one line with exit status 1, and a traceback only with --debug."""
    monkeypatch.setattr(splice, "join", _forced_splice_error)
    target = tmp_path / "out.pdf"
    code, out, err = run("render", str(EXAMPLE / "letter.yaml"), "-o", str(target))
    assert code == 1
    assert "Traceback" not in out + err
    [line] = err.strip().splitlines()
    assert "[LK900]" in line
    assert "SpliceError" in line
    assert "please report it" in line
    assert "--debug" in line
    assert not target.exists()
    code, _, err = run("render", str(EXAMPLE / "letter.yaml"), "-o", str(target), "--debug")
    assert code == 1
    assert "Traceback" in err
    assert "forced: the joined file" in err
    assert err.strip().splitlines()[-1].count("[LK900]") == 1


def test_fault_reaches_the_caller_as_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that the library raises InternalError (a LetterkitError)
    for a fault, with the original exception as its cause."""
    monkeypatch.setattr(splice, "join", _forced_splice_error)
    with pytest.raises(letterkit.InternalError) as info:
        letterkit.render(EXAMPLE / "letter.yaml")
    assert isinstance(info.value, letterkit.LetterkitError)
    assert isinstance(info.value.__cause__, splice.SpliceError)
    assert info.value.problem.code == "LK900"


def test_ctrl_c_is_not_turned_into_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **options: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(splice, "join", interrupted)
    with pytest.raises(KeyboardInterrupt):
        letterkit.render(EXAMPLE / "letter.yaml")


def test_ctrl_c_during_bundle_says_so_and_the_rerun_finishes(tmp_path: Path) -> None:
    """This test ensures that Ctrl-C in a bundle prints one line, exits 130,
    and leaves state from which a rerun builds only the letters not yet built."""
    campaign = _campaign(tmp_path / "c", 60)
    out = tmp_path / "dist"
    process = subprocess.Popen(
        [sys.executable, "-m", "letterkit", "bundle", str(campaign), "-o", str(out),
         "--jobs", "2", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 4:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    state = json.loads((out / ".letterkit-state.json").read_text(encoding="utf-8"))["letters"]
    assert 0 < len(state) < 60, "the run was not interrupted midway"
    assert err.strip().splitlines() == [
        f"letterkit: interrupted: {len(state)} of 60 letters written; "
        "run the same command again to finish"
    ]
    kept = {rid: (out / e["file"]).stat().st_mtime_ns for rid, e in state.items()}
    assert not list(out.glob(".*.tmp"))
    code, stdout, err = run("bundle", str(campaign), "-o", str(out), "--jobs", "2")
    assert code == 0, err
    summary = stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{60 - len(state)} built, {len(state)} unchanged, 0 failed")
    assert {rid: (out / e["file"]).stat().st_mtime_ns for rid, e in state.items()} == kept
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["letters"]) == 60


def test_file_unreadable_mid_run_is_a_problem_with_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This test ensures that an OS error met inside a stage (a file removed or
    made unreadable while the letter is built) names the file, as bad input."""

    def unreadable(*args: object, **options: object) -> bytes:
        raise PermissionError(13, "Permission denied", "/data/annex.pdf")

    monkeypatch.setattr(splice, "join", unreadable)
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(EXAMPLE / "letter.yaml")
    [problem] = info.value.problems
    assert problem.code == "LK102"
    assert problem.path.endswith("/data/annex.pdf")  # from the spec's folder:
    assert not problem.path.startswith("/")  # never absolute
    assert "Permission denied" in problem.message
