"""Every real-world PDF of the annex corpus, and crafted damaged files, rendered
as an annex by ``letterkit render`` in a process of its own: no traceback, no
hang, and every refusal exactly one LK130 line that gives a reason."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT
from .hostile.pdfs import make_pdf, page_tree

SPEC = """template: letter.md
locale: en-GB
date: 2018-12-06
recipients:
  - name: Ann Other
    salutation: Dear Ms Other,
signatories: signatories.csv
annexes:
  - path: annex.pdf
    title: An annex
"""
#: Seconds one file may take, the process start and a qpdf repair included.
TIMEOUT = 90
#: A refusal: the annex named relative to the spec, the code, a reason and a fix.
REFUSAL = re.compile(
    r"^annex\.pdf: error: \[LK130\] annex 1 (is|has|cannot|nests) [^\n]{12,}; [^\n]+$"
)


def _crafted() -> dict[str, bytes]:
    """Damaged files made here: lost header, cut short, junk, a lying xref."""
    sound = make_pdf(page_tree(1, b"BT /F1 12 Tf 72 720 Td (x) Tj ET"))
    return {
        "headless": b"\x00\x17junk\n" + sound[9:],
        "truncated": sound[: len(sound) // 2],
        "binary-junk": bytes(range(256)) * 8,
        "xref-nowhere": sound.replace(b"startxref\n", b"startxref\n99999").rstrip(),
        "empty-pages": make_pdf(
            {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
        ),
    }


CASES = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


def _render(folder: Path, annex: bytes) -> tuple[int | str, str]:
    folder.mkdir()
    (folder / "letter.yaml").write_text(SPEC, encoding="utf-8")
    (folder / "letter.md").write_text("Body text.\n", encoding="utf-8")
    (folder / "signatories.csv").write_text("name\nAmnesty International\n", encoding="utf-8")
    (folder / "annex.pdf").write_bytes(annex)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "letterkit", "render", "letter.yaml", "-o", "out.pdf"],
            cwd=folder, capture_output=True, text=True, timeout=TIMEOUT, env=env,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "timeout", ""
    return done.returncode, done.stderr


def _assert_clean(name: str, code: int | str, err: str, folder: Path) -> None:
    assert code in (0, 1), f"{name}: {code}\n{err[-800:]}"
    assert "Traceback" not in err, f"{name}\n{err[-800:]}"
    assert "LK900" not in err, f"{name}\n{err[-800:]}"
    errors = [line for line in err.splitlines() if ": error: " in line]
    if code == 1:
        assert len(errors) == 1, f"{name}: {err}"
        assert REFUSAL.match(errors[0]), f"{name}: {errors[0]}"
        assert str(folder) not in errors[0]
        assert not (folder / "out.pdf").exists()
    else:
        assert errors == [], f"{name}: {err}"
        assert (folder / "out.pdf").stat().st_size > 0


@pytest.mark.slow  # a process per file, two at a time: one to three minutes
@pytest.mark.skipif(not CASES, reason="../shared/annex-corpus is not beside the project")
def test_every_corpus_file_is_carried_or_refused_in_one_line(tmp_path: Path) -> None:
    """This test ensures that no real-world annex ends in a traceback, a hang or a vague refusal."""

    def one(n: int) -> tuple[int | str, str]:
        return _render(tmp_path / f"c{n}", CASES[n].read_bytes())

    with ThreadPoolExecutor(2) as pool:  # two processes at a time: the suite's two cores
        outcomes = list(pool.map(one, range(len(CASES))))
    for n, (code, err) in enumerate(outcomes):
        _assert_clean(CASES[n].name, code, err, tmp_path / f"c{n}")


@pytest.mark.slow  # a process per file
@pytest.mark.parametrize("name", sorted(_crafted()))
def test_crafted_damage_is_carried_or_refused_in_one_line(name: str, tmp_path: Path) -> None:
    """This test ensures that hand-made damage ends cleanly: carried, or one LK130 line."""
    folder = tmp_path / name
    code, err = _render(folder, _crafted()[name])
    _assert_clean(name, code, err, folder)
