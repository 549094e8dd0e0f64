"""``letterkit render``'s ways to name the output, ``--open``, and ``--debug``
on either side of the command."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from letterkit.cli import viewer
from letterkit.cli.main import main

from .conftest import EXAMPLE, pdf_text


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_output_may_follow_the_spec(tmp_path: Path) -> None:
    """This test ensures that ``render SPEC OUT.pdf`` writes OUT.pdf, as ``-o`` does."""
    output = tmp_path / "positional.pdf"
    status, out, err = run("render", str(EXAMPLE / "letter.yaml"), str(output))
    assert status == 0, err
    assert out == f"wrote {output}\n"
    assert "6\u00a0December 2018" in pdf_text(output.read_bytes())


@pytest.mark.parametrize("between", [["--debug"], ["--no-warn", "LK123"], ["--allow-outside"]])
def test_the_output_may_follow_an_option(
    tmp_path: Path, between: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures that an option between the spec and OUT.pdf leaves
    OUT.pdf the output, while an unknown option is still named as one."""
    output = tmp_path / "after-option.pdf"
    status, out, err = run("render", str(EXAMPLE / "letter.yaml"), *between, str(output))
    assert status == 0, err
    assert out == f"wrote {output}\n"
    assert output.read_bytes().startswith(b"%PDF-")
    capsys.readouterr()
    status, _, _ = run("render", str(EXAMPLE / "letter.yaml"), "--bogus", str(output))
    assert status == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err  # argparse's own line


def test_a_spec_after_the_output_says_the_spec_comes_first(tmp_path: Path) -> None:
    """This test ensures that swapped arguments are told which goes first."""
    status, _, err = run("render", str(tmp_path / "out.pdf"), str(EXAMPLE / "letter.yaml"))
    assert status == 2
    assert "the spec comes first" in err
    assert not list(tmp_path.iterdir())


def test_a_campaign_letter_to_a_positional_output(tmp_path: Path) -> None:
    """This test ensures that a campaign's letter can be named positionally too."""
    output = tmp_path / "fr.pdf"
    status, _, err = run("render", str(EXAMPLE / "campaign.yaml"), str(output), "--recipient", "FR")
    assert status == 0, err
    assert "France" in pdf_text(output.read_bytes())


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["x.pdf", "-o", "y.pdf"],
            "the output is named twice (x.pdf and -o y.pdf); give one of them",
        ),
        (["other.yaml"], "other.yaml looks like a spec, and render takes one"),
        (["campaign.toml", "--recipient", "FR"], "campaign.toml looks like a spec"),
        (["out.png"], "the output out.png should end in .pdf"),
    ],
)
def test_a_wrong_output_argument_is_a_usage_error(
    tmp_path: Path, argv: list[str], said: str
) -> None:
    """This test ensures that both outputs, a second spec, or a name that is
    not a PDF's, give one usage line (status 2) and write nothing."""
    status, out, err = run("render", str(EXAMPLE / "letter.yaml"), *argv)
    assert status == 2
    assert err.startswith(f"letterkit: error: {said}")
    assert out == ""
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_the_command(example_copy: Path, where: str) -> None:
    """This test ensures that ``letterkit --debug render`` shows a traceback as
    ``letterkit render ... --debug`` does, and that without it there is none."""
    spec = example_copy / "letter.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("2018-12-06", "2018-13-45"))
    argv = (
        ["--debug", "render", str(spec)] if where == "before" else ["render", str(spec), "--debug"]
    )
    status, _, err = run(*argv)
    assert status == 1
    assert "Traceback" in err
    assert "[LK1" in err
    status, _, err = run("render", str(spec))
    assert "Traceback" not in err


def test_open_starts_the_viewer_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that --open runs the opener named by LETTERKIT_OPENER
    on the written PDF, once, and does not wait for it."""
    started: list[list[str]] = []

    def fake(command: list[str], **kwargs: Any) -> None:
        started.append(command)

    monkeypatch.setenv(viewer.OPENER, "my-viewer --new-window")
    monkeypatch.setattr(viewer.subprocess, "Popen", fake)
    output = tmp_path / "o.pdf"
    status, _, err = run("render", str(EXAMPLE / "letter.yaml"), str(output), "--open")
    assert status == 0, err
    assert started == [["my-viewer", "--new-window", str(output.resolve())]]


def test_no_viewer_is_a_note_not_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that without any viewer the PDF is still written, and a
    note says how to open it (status 0)."""
    monkeypatch.delenv(viewer.OPENER, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    output = tmp_path / "o.pdf"
    status, out, err = run("render", str(EXAMPLE / "letter.yaml"), "-o", str(output), "--open")
    assert status == 0
    assert out == f"wrote {output}\n"
    assert output.read_bytes().startswith(b"%PDF-")
    assert err == (
        f"letterkit: note: {output} is written but not opened: no xdg-open or open command "
        "was found; open it yourself, or set LETTERKIT_OPENER to the command of a PDF viewer\n"
    )


def test_an_opener_that_cannot_start_is_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that an opener command that does not exist is said, not raised."""
    monkeypatch.setenv(viewer.OPENER, str(tmp_path / "missing-viewer"))
    output = tmp_path / "o.pdf"
    status, _, err = run("render", str(EXAMPLE / "letter.yaml"), str(output), "--open")
    assert status == 0
    assert "is written but not opened: " in err
    assert "missing-viewer could not be started" in err
