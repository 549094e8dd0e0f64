"""How soon ``letterkit render SPEC -o OUT --watch`` shows an edit.

:func:`watch_latency` turns a running watcher and a series of edits of one of
its input files into latencies: for each edit, the edited file's
``st_mtime_ns`` to the PDF's ``st_mtime_ns`` once the new PDF is complete and
opens with pypdf. The watcher is then stopped with SIGINT. File times have
the kernel's clock-tick resolution (a few ms), far below the 100 ms goal.
"""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

Results = dict[str, float | str]


def watch_supported(cwd: Path, python: str = sys.executable) -> bool:
    """Whether the letterkit that ``python -m letterkit`` finds in *cwd* takes
    ``render --watch`` (the folder matters: ``-m`` looks there first)."""
    done = subprocess.run(
        [python, "-m", "letterkit", "render", "--help"],
        cwd=cwd, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return "--watch" in done.stdout


def _readable(pdf: Path) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(pdf).pages) > 0
    except (PyPdfError, OSError, ValueError, KeyError):
        return False


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _settled(pdf: Path, after: int, deadline: float) -> int | None:
    """The PDF's mtime once it is newer than *after*, no longer changing and
    readable; None when that does not happen before *deadline*."""
    while time.monotonic() < deadline:
        seen = _mtime(pdf)
        if seen > after:
            time.sleep(0.01)  # a writer still busy moves the mtime again
            if _mtime(pdf) == seen and _readable(pdf):
                return seen
        else:
            time.sleep(0.002)
    return None


def _edited(text: str, n: int) -> str:
    """*text* (a signatories CSV) with its first name changed: still one valid row."""
    lines = text.splitlines(keepends=True)
    name, rest = lines[1].split(",", 1)
    lines[1] = f"{name} (edit {n}),{rest}"
    return "".join(lines)


def watch_latency(
    command: list[str], cwd: Path, source: Path, pdf: Path, edits: int, pause: float = 0.3,
    timeout: float = 30.0,
) -> Results:  # fmt: skip
    """Start *command* (a watcher writing *pdf*), edit *source* *edits* times
    and return the median and max latency in ms, the edits never shown or
    never readable, and how the watcher ended after SIGINT."""
    original = source.read_text(encoding="utf-8")
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        try:
            first = _settled(pdf, 0, time.monotonic() + timeout)
            if first is None:
                err.seek(0)
                tail = err.read().decode(errors="replace")[-500:]
                return {"watch": f"no first PDF within {timeout:.0f} s: {tail.strip()}"}
            latencies, missed = [], 0
            for n in range(edits):
                time.sleep(pause)
                before = _mtime(pdf)
                with source.open("w", encoding="utf-8") as handle:
                    handle.write(_edited(original, n))
                edited = _mtime(source)
                shown = _settled(pdf, before, time.monotonic() + timeout)
                if shown is None:
                    missed += 1
                else:
                    latencies.append((shown - edited) / 1e6)
        finally:
            source.write_text(original, encoding="utf-8")
            proc.send_signal(signal.SIGINT)
            try:
                code = proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
    results: Results = {"watch_edits": float(edits), "watch_missed": float(missed)}
    if latencies:
        results["watch_median_ms"] = statistics.median(latencies)
        results["watch_max_ms"] = max(latencies)
    results["watch_exit_after_sigint"] = float(code)
    return results


def measure(folder: Path, edits: int) -> Results:
    """The watch latency on the benchmark letter of ``run.py``'s workload."""
    if not watch_supported(folder):
        return {"watch": "not available"}
    pdf = folder / "watched.pdf"
    command = [sys.executable, "-m", "letterkit", "render", "single.yaml", "-o", str(pdf),
               "--watch"]  # fmt: skip
    return watch_latency(command, folder, folder / "signatories.csv", pdf, edits)
