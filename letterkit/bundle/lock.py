"""One run at a time per output folder: a bundle or a merge holds an exclusive
lock on ``.letterkit-lock`` in the folder while it writes there.

A second run on the same folder fails at once (:class:`UsageError`) instead
of clearing the first run's temporary files or writing the same letters. The
lock is ``flock`` on the open file, let go when the run ends or its process
dies; the empty file stays (deleting it would let a third run lock another
file of the same name). Where ``fcntl`` is missing (Windows), runs are not
locked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

#: The file a run locks in its output folder; never a letter, never in a manifest.
LOCK = ".letterkit-lock"


@contextlib.contextmanager
def folder_locked(out: Path, shown: Path | str) -> Iterator[None]:
    """Hold the lock of the folder *out* (named *shown* in the error) for the
    duration of the ``with`` block; :class:`UsageError` when another run has it."""
    if fcntl is None:  # pragma: no cover - not on POSIX
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(out / LOCK, flags, 0o644)
    except OSError as exc:
        raise UsageError(
            f"cannot lock the output folder {shown} ({LOCK}: {exc.strerror or exc}); "
            "choose another folder"
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UsageError(
                f"another letterkit bundle is writing to {shown}; "
                "wait for it or choose another folder"
            ) from None
        yield
    finally:
        os.close(fd)
