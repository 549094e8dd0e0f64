"""Same inputs, same bytes: across processes, and with SOURCE_DATE_EPOCH."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pikepdf

from .conftest import EXAMPLE

SCRIPT = "import sys, letterkit; sys.stdout.buffer.write(letterkit.render(sys.argv[1]))"


def _render_in_new_process(spec: Path, **env: str) -> bytes:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env)
    environment["PYTHONHASHSEED"] = "random"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(spec)],
        capture_output=True,
        env=environment,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_two_processes_give_the_same_bytes() -> None:
    """This test ensures that a render is byte-identical in two fresh processes."""
    first = _render_in_new_process(EXAMPLE / "letter.yaml")
    second = _render_in_new_process(EXAMPLE / "letter.yaml")
    assert first.startswith(b"%PDF-")
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_source_date_epoch_sets_the_creation_date() -> None:
    """This test ensures that SOURCE_DATE_EPOCH overrides the letter's date in the metadata."""
    import io

    pdf = _render_in_new_process(EXAMPLE / "letter.yaml", SOURCE_DATE_EPOCH="1700000000")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.docinfo["/CreationDate"]).startswith("D:20231114")
