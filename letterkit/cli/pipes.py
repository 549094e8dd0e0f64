"""A closed output pipe → a quiet exit, as Unix tools make.

``letterkit check big.yaml | head -1``: once ``head`` has its line it closes
the pipe, and the next write fails with EPIPE. The command stops there without
a message (the reader asked for no more), and standard output is pointed at
the null device so that Python's flush at exit fails no more.
"""

from __future__ import annotations

import os
from typing import TextIO

#: The exit status of a process ended by SIGPIPE in a shell (128 + 13).
CLOSED_PIPE = 141


def closed_pipe(out: TextIO) -> int:
    """Stop writing to *out*, whose reader has gone; the exit status to return."""
    try:
        fd = out.fileno()
    except (OSError, ValueError):  # not a file (a StringIO in tests)
        return CLOSED_PIPE
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
    return CLOSED_PIPE


__all__ = ["CLOSED_PIPE", "closed_pipe"]
