"""The ``letterkit`` command's start-up: Ctrl-C while its modules load → one
line and status 130, as later in the command.

The command line says ``letterkit: interrupted`` and exits 130 once it runs
(:func:`letterkit.cli.main.main`); before that, while the package and the
command's modules are being imported, an interrupt would end in Python's
traceback of whichever import was running. :func:`guard` runs as this module
is imported, first thing in the package, and only when the process is the
command (the ``letterkit`` script, or ``python -m letterkit``): a program
that imports letterkit as a library keeps Python's own handling.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from types import TracebackType

_PREVIOUS = sys.excepthook


def as_command() -> bool:
    """Whether this process was started as the ``letterkit`` command."""
    first = sys.argv[0] if sys.argv else ""
    if os.path.basename(first).removesuffix(".exe") == "letterkit":
        return True
    words = list(getattr(sys, "orig_argv", ()))
    pairs = itertools.pairwise(words)
    return "-mletterkit" in words or any(pair == ("-m", "letterkit") for pair in pairs)


def _interrupted(
    kind: type[BaseException], value: BaseException, trace: TracebackType | None
) -> None:
    """An exception nothing caught: Ctrl-C is one line and status 130."""
    if not issubclass(kind, KeyboardInterrupt):
        _PREVIOUS(kind, value, trace)
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    try:
        sys.stderr.write("letterkit: interrupted\n")
        sys.stderr.flush()
    finally:
        os._exit(130)  # the process is ending: nothing is half done yet


def guard() -> None:
    """In the ``letterkit`` command, end an interrupt nothing caught in one line."""
    if as_command():
        sys.excepthook = _interrupted


guard()
