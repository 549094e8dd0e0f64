"""Runs ``letterkit`` on hostile input the way an attacker's victim would, and measures it.

Each run is its own process under an address-space limit (``prlimit --as``) and
a hard kill after its time (``timeout``), so a case that blows up cannot take
the test run with it. The run reports its peak resident memory, and the
folder it ran in is hashed before and after, so a case can assert that no file
outside its output was touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SECONDS = 60
MEGABYTES = 300
#: The address-space cap of a run. It is a backstop, well above MEGABYTES of
#: resident memory (threads and the allocator reserve address space they never
#: touch): a case that really allocates this much fails, it does not swap.
ADDRESS_SPACE_MB = 1024


@dataclass(frozen=True)
class Outcome:
    """How one run ended: its exit status, output, time and peak memory."""

    status: int
    out: str
    err: str
    seconds: float
    peak_mb: float

    def problem_lines(self, code: str) -> list[str]:
        """The lines of stderr that report ``code`` (a prefix like ``LK11`` works)."""
        return [line for line in self.err.splitlines() if f"[{code}" in line]


#: Runs the command line in a child process and reports that process's peak RSS
#: (and its workers') on the last line of stderr.
_WRAPPER = """
import resource, sys
from letterkit.cli.main import main
code = main(sys.argv[1:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(f"\\nLKPEAK {peak}\\n")
sys.exit(code)
"""


def _bounded(command: list[str], seconds: int) -> list[str]:
    """``command`` under ``prlimit --as`` and ``timeout``, where the machine has them."""
    if shutil.which("timeout"):
        command = ["timeout", "--signal=KILL", str(seconds + 5), *command]
    if shutil.which("prlimit"):
        command = ["prlimit", f"--as={ADDRESS_SPACE_MB * 1024 * 1024}", *command]
    return command


def _limit_address_space() -> None:  # pragma: no cover - runs in the child
    import resource

    if not shutil.which("prlimit"):
        cap = ADDRESS_SPACE_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def letterkit(
    args: list[str], cwd: Path, seconds: int = SECONDS, stdin: str | None = None
) -> Outcome:
    """Run the ``letterkit`` command in a bounded child process, timed and measured."""
    start = time.monotonic()
    process = subprocess.Popen(
        _bounded([sys.executable, "-c", _WRAPPER, *args], seconds),
        cwd=cwd, text=True, start_new_session=True, preexec_fn=_limit_address_space,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = process.communicate(stdin, timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        pytest.fail(f"letterkit {' '.join(args)} ran longer than {seconds} s")
    elapsed = time.monotonic() - start
    body, _, peak = err.rpartition("LKPEAK ")
    assert peak.strip().isdigit(), f"exit {process.returncode}: {err[-3000:]}"
    return Outcome(process.returncode, out, body.strip(), elapsed, int(peak) / 1024)


def tree_digest(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under ``root`` (relative name → what it is and holds), ``skip`` left out.

    Files are hashed, symbolic links recorded by their target (never followed),
    and other kinds (FIFOs, sockets) by their type, so reading a FIFO or
    replacing a link shows up as a change.
    """
    seen: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if any(name == s or name.startswith(s.rstrip("/") + "/") for s in skip):
            continue
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            seen[name] = "link " + os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            seen[name] = "file " + hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISDIR(info.st_mode):
            seen[name] = "dir"
        else:
            seen[name] = f"kind {stat.S_IFMT(info.st_mode):o}"
    return seen


def assert_clean_end(
    result: Outcome, code: str, names: str = "", *, output: Path | None = None
) -> None:
    """A hostile run ended as SECURITY.md promises, within time and memory.

    ``code`` is the problem code expected with exit 1 (a prefix such as ``LK11``
    works), or ``"ok"`` for a run that must succeed; ``names`` is text the
    first such problem line must show before its message (a file name or a
    row). ``output``, when given, must not exist after a failed run.
    """
    assert "Traceback" not in result.err, result.err[-3000:]
    assert result.seconds < SECONDS, f"took {result.seconds:.0f} s"
    assert result.peak_mb < MEGABYTES, f"peak RSS {result.peak_mb:.0f} MB"
    if code == "ok":
        assert result.status == 0, result.err[-3000:]
        return
    assert result.status == 1, f"exit {result.status}: {result.err[-3000:]}"
    lines = result.problem_lines(code)
    assert lines, result.err[-3000:]
    assert names in lines[0].split(": ")[0], lines[0]
    if output is not None:
        assert not output.exists(), f"{output} was left behind"


def edit(folder: Path, old: str, new: str, file: str = "letter.yaml") -> None:
    """Replace the first ``old`` in ``folder/file`` with ``new`` (``old`` must be there)."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
