"""Resource limits that keep a hostile input from hanging or exhausting a run.

They are set by the caller, per call (the API's ``limits=`` argument or the
command-line options), never by a spec, so a spec from someone else cannot
raise them::

    import letterkit
    letterkit.render("letter.yaml", limits=letterkit.Limits(template_seconds=30))

Inside a call, the stages read the limits in force with :func:`current`; a
call that sets none uses the defaults. Nothing here is process-wide: two
threads may render with different limits at once.

A limit that is reached is an error naming the input, like any other problem.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The limits of one process (defaults in brackets)."""

    #: Seconds a template may take to render [10].
    template_seconds: float = 10.0
    #: Characters a template may produce [5,000,000].
    template_output: int = 5_000_000
    #: Length of a string or list a template expression may build [1,000,000].
    template_value: int = 1_000_000
    #: Signatories in one list [20,000].
    signatories: int = 20_000
    #: Characters in one table cell (a name, an affiliation…) [2,000].
    cell: int = 2_000
    #: Recipients in one campaign [100,000].
    recipients: int = 100_000
    #: Pages in one annex [5,000].
    annex_pages: int = 5_000


DEFAULTS = Limits()

_CURRENT: ContextVar[Limits | None] = ContextVar("letterkit_limits", default=None)


def current() -> Limits:
    """The limits of the call in progress (the defaults outside any call)."""
    return _CURRENT.get() or DEFAULTS


@contextmanager
def applied(limits: Limits | None) -> Iterator[Limits]:
    """Within the block, :func:`current` is *limits* (unchanged when ``None``)."""
    if limits is None:
        yield current()
        return
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a letterkit.Limits, not {type(limits).__name__}")
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


class TimeLimit(Exception):
    """Raised inside a block that ran out of time."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimit` in the block after *seconds* (main thread only;
    elsewhere the block runs unbounded)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimit(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
