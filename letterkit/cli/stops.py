"""SIGTERM and SIGHUP → the same way out as Ctrl-C: a run stops where it is,
records what it wrote, says so in one line and exits with 128 + the signal.

A bundle killed by ``kill``, a CI job cancelled or a terminal closed must not
leave letters on disk that its state file does not know of: a later run could
not tell they are the bundle's own and delete them with their recipient.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: The signals handled like Ctrl-C, and how the one line names them.
_STOPS = {signal.SIGTERM: "terminated (SIGTERM)", signal.SIGHUP: "hung up (SIGHUP)"}


class Stopped(KeyboardInterrupt):
    """A signal that ends the run the way Ctrl-C does; *signum* says which."""

    def __init__(self, signum: int, *args: object) -> None:
        super().__init__(*args)
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stops_as_interrupts() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Stopped` (in the main
    thread; elsewhere signals cannot be handled and nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.signal(s, _raise) for s in _STOPS}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def how(exc: KeyboardInterrupt) -> tuple[str, int]:
    """What stopped the run, in words, and the exit status that says so."""
    signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
    return _STOPS.get(signal.Signals(signum), "interrupted"), 128 + signum


def again(exc: KeyboardInterrupt, message: str) -> KeyboardInterrupt:
    """*exc* of the same kind (the same signal), saying *message*."""
    if isinstance(exc, Stopped):
        return Stopped(exc.signum, message)
    return KeyboardInterrupt(message)
