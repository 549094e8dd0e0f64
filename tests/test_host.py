"""letterkit leaves the program that imports it as it found it.

A host that makes its own ReportLab documents (invoices, reports) gets the
same bytes before, while and after letterkit renders letters, in the same
process, as a process that never imported letterkit; a render changes no
function or setting of ReportLab; and a render in a worker thread gives the
bytes of one in the main thread. The host is ``tests/plain_reportlab.py``,
run in fresh processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import letterkit

from . import plain_reportlab as host_program
from .conftest import EXAMPLE, ROOT

HOST = Path(__file__).resolve().parent / "plain_reportlab.py"


def _run(mode: str) -> Any:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, str(HOST), mode], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def plain() -> dict[str, str]:
    """The documents' hashes from a process that never imported letterkit."""
    return dict(_run("plain"))


@pytest.fixture(scope="module")
def hosted() -> dict[str, Any]:
    return dict(_run("host"))


@pytest.mark.slow
def test_plain_documents_are_the_same_before_during_and_after_letterkit(
    plain: dict[str, str], hosted: dict[str, Any]
) -> None:
    assert set(plain) == {"platypus", "canvas"}
    assert hosted["letters"] == 20
    assert hosted["before"] == plain, "before letterkit was imported"
    assert hosted["during"], "no document was built while letterkit rendered"
    for n, built in enumerate(hosted["during"]):
        for name, digest in plain.items():
            assert built[name] == digest, f"the {name} document built #{n} while letterkit rendered"
    assert hosted["after"] == plain, "after letterkit rendered"
    assert hosted["worker_equals_main"], "a render in a worker thread differed"


@pytest.mark.slow
def test_a_render_leaves_reportlabs_modules_as_they_were(hosted: dict[str, Any]) -> None:
    # copy.copy caches a class's slot names on it (``__slotnames__``): Python's
    # bookkeeping for the laid-out lines letterkit copies, not a change of ReportLab.
    changed = [name for name in hosted["changed"] if not name.endswith(".__slotnames__")]
    assert changed == [], "a render left these ReportLab globals changed"


def test_the_check_sees_a_changed_module() -> None:
    """The snapshot comparison finds a function replaced on a module's object."""
    from reportlab.pdfbase import pdfdoc

    before = host_program.snapshot()
    pdfdoc.PDFZCompress.encode = pdfdoc.PDFZCompress.encode
    try:
        assert host_program.changed(before, host_program.snapshot()) == [
            "reportlab.pdfbase.pdfdoc.PDFZCompress.encode"
        ]
    finally:
        del pdfdoc.PDFZCompress.encode
    assert host_program.changed(before, host_program.snapshot()) == []


@pytest.mark.slow
def test_a_letter_does_not_depend_on_the_hosts_fonts(hosted: dict[str, Any]) -> None:
    """The host registered a font of the same file as letterkit's (ReportLab then
    shares one font object between the names) before letterkit was imported."""
    alone = letterkit.render(host_program.LETTERS[0])
    assert hosted["first_letter"] == hashlib.sha256(alone).hexdigest()


def test_a_letter_does_not_depend_on_the_hosts_rl_config(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This test ensures that a host that turned off page compression in
    rl_config for its own documents still gets letterkit's usual bytes (the
    determinism promise), with the setting left as the host made it."""
    from reportlab import rl_config

    letter = host_program.LETTERS[0]
    alone = letterkit.render(letter)
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    assert letterkit.render(letter) == alone
    assert rl_config.pageCompression == 0


def test_render_in_a_worker_thread_gives_the_main_threads_bytes() -> None:
    spec = EXAMPLE / "appeal.ar.yaml"
    with ThreadPoolExecutor(max_workers=1) as pool:
        in_worker = pool.submit(letterkit.render, spec).result()
    assert in_worker == letterkit.render(spec)
