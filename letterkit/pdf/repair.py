"""A PDF file pypdf cannot read → its bytes rebuilt by qpdf (pikepdf), within limits.

qpdf rebuilds many files pypdf gives up on, but it reads whatever a file
asks for: an object stream that inflates to gigabytes, millions of objects.
So it runs in a child process (:mod:`letterkit.pdf._qpdf_child`) that lowers
its own limits before it reads anything: :data:`MEMORY` bytes of address
space, :data:`SECONDS` seconds of processor time (and of wall-clock time,
counted here), a rebuilt file of at most twice the original's size plus
16 MB, and, where pikepdf exposes qpdf's own limits, 75 MB per inflated
stream. A file that passes a limit is refused with the limit it passed.
The password travels on the child's standard input, never on its command line.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..typeset.generated import AnnexError

#: The child's address space: the interpreter and pikepdf take about 40 MB of it.
MEMORY = 256 * 1024 * 1024
#: Seconds of processor time, and of wall-clock time, one repair may take.
SECONDS = 20
#: The script the child runs (by path: it imports nothing from letterkit).
CHILD = Path(__file__).with_name("_qpdf_child.py")


def largest(size: int) -> int:
    """The largest rebuilt file accepted for a source of *size* bytes."""
    return 2 * size + 16 * 1024 * 1024


def rebuild(path: Path, password: str) -> bytes:
    """The bytes of *path* rebuilt by qpdf; raises AnnexError saying why not."""
    if not sys.executable:
        raise AnnexError("is damaged, and this Python cannot start qpdf to repair it")
    cap = largest(path.stat().st_size)
    with tempfile.TemporaryDirectory(prefix="letterkit-repair-") as folder:
        target = Path(folder) / "rebuilt.pdf"
        command = [sys.executable, "-I", str(CHILD), str(path), str(target)]
        command += [str(MEMORY), str(SECONDS), str(cap)]
        try:
            done = subprocess.run(
                command, input=password.encode("utf-8"), stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, timeout=SECONDS, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise AnnexError(
                f"is damaged, and repairing it takes longer than {SECONDS} s; "
                "ask for a new copy of the document"
            ) from exc
        except OSError as exc:
            raise AnnexError(f"is damaged, and qpdf could not be started ({exc})") from exc
        line = _without_paths(done.stdout.decode("utf-8", "replace").strip(), path)
        if done.returncode == 0 and line == "ok":
            return target.read_bytes()
        raise AnnexError(_why(done.returncode, line, cap))


#: An absolute path in what qpdf said (a problem names files relative to the spec).
_ABSOLUTE = re.compile(r"(?<![\w.])/(?:[^\s/:()]+/)+[^\s/:()]*")


#: The name of the qpdf function that gave up, after what it says: "(getAllPages)".
_INTERNAL = re.compile(r" \([a-z]+[A-Z][A-Za-z]*\)$")
#: Where qpdf says a problem is, before what it is.
_WHERE = re.compile(r"^the file(?: \([^)]*\))?: ")


def _without_paths(line: str, path: Path) -> str:
    """*line* with the annex's path and any other absolute
    path said as "the file", and control characters dropped: safe to paste."""
    for known in (str(path), str(path.resolve())):
        line = line.replace(known, "the file")
    line = _ABSOLUTE.sub("the file", line)
    return "".join(ch for ch in line if ch.isprintable())


def _why(status: int, line: str, cap: int) -> str:
    """What to tell about a repair that ended with *status* and *line*."""
    budget = f"{MEMORY // (1024 * 1024)} MB and {SECONDS} s"
    new_copy = "ask for a new copy of the document"
    kind, _, reason = line.partition(" ")
    if status == -signal.SIGXFSZ:
        return (
            f"is damaged, and repairing it would make a file over {cap // 1_000_000} MB "
            f"(a decompression bomb?); {new_copy}"
        )
    if status in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"is damaged, and repairing it takes longer than {SECONDS} s; {new_copy}"
    if kind == "password":
        return (
            "is encrypted and needs a password, or the one given is wrong; "
            "give the right one with 'password' or 'password_env' in the spec"
        )
    if kind == "limit" or status < 0:
        detail = reason if kind == "limit" and reason != "memory" else "out of memory"
        return (
            f"is damaged, and repairing it passes the limits of {budget} "
            f"({detail}; a decompression bomb?); {new_copy}"
        )
    if kind == "damaged" and reason:
        reason = _INTERNAL.sub("", _WHERE.sub("", reason))  # "the file (object 3 0): ..." → "..."
        return f"is damaged beyond repair ({reason}); {new_copy}"
    return f"is damaged beyond repair (qpdf ended with status {status}); {new_copy}"
