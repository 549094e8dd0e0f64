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
The time limit (:func:`call_within`) holds in any thread and uses no signal or
timer of the process, so the host's ``SIGALRM`` handler and ``ITIMER_REAL``
stay as they were.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from .errors import LetterkitError, UsageError

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """The limits of one process (defaults in brackets)."""

    #: Seconds a template may take to render [10].
    template_seconds: float = 10.0
    #: Characters a template may produce, inside macros and blocks too, with 8 for
    #: each item of a list it builds or fills [5,000,000].
    template_output: int = 5_000_000
    #: Length of a string or list a template operation may build, checked before
    #: it is built [1,000,000].
    template_value: int = 1_000_000
    #: Signatories in one list [20,000].
    signatories: int = 20_000
    #: Characters in one table cell (a name, an affiliation…) [2,000].
    cell: int = 2_000
    #: Characters in one signatory list, every field of every row together [1,000,000].
    signatory_text: int = 1_000_000
    #: Recipients in one campaign [100,000].
    recipients: int = 100_000
    #: Pages in one annex, and pages taken from all the annexes of one letter together [5,000].
    annex_pages: int = 5_000
    #: Bytes inflated from the object streams of all the annexes of one letter
    #: together, counted before they are inflated [100,000,000].
    annex_inflated: int = 100_000_000
    #: Pixels in one image (a logo, an image annex), checked before it is decoded
    #: [12,500,000: a 12-megapixel photo; decoding takes up to about 15 bytes a pixel].
    image_pixels: int = 12_500_000

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            whole = name != "template_seconds"
            kinds: tuple[type, ...] = (int,) if whole else (int, float)
            if (
                isinstance(value, bool)
                or not isinstance(value, kinds)
                or (isinstance(value, float) and math.isnan(value))
            ):
                kind = "a whole number" if whole else "a number of seconds"
                raise UsageError(f"Limits({name}=...) must be {kind}, not {value!r}")


DEFAULTS = Limits()

_CURRENT: ContextVar[Limits | None] = ContextVar("letterkit_limits", default=None)


def current() -> Limits:
    """The limits of the call in progress (the defaults outside any call)."""
    return _CURRENT.get() or DEFAULTS


class NotLimits(UsageError, TypeError):
    """A call was given something other than a :class:`Limits` as its limits."""


@contextmanager
def applied(limits: Limits | None) -> Iterator[Limits]:
    """Within the block, :func:`current` is *limits* (unchanged when ``None``)."""
    if limits is None:
        yield current()
        return
    if not isinstance(limits, Limits):
        raise NotLimits(f"limits must be a letterkit.Limits, not {type(limits).__name__}")
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


class TimeLimit(LetterkitError):
    """A call bounded by :func:`call_within` ran out of time."""


# --- the time limit ------------------------------------------------------------------
#
# A bounded call runs in the caller's own thread, whichever it is. One watcher
# thread per process keeps the deadlines of every bounded call in progress; at a
# deadline it raises an exception in the late thread with the interpreter's
# PyThreadState_SetAsyncExc (the host's signal handlers and interval timers are
# never touched). The exception arrives at the next Python instruction the thread
# runs, so a long call into C code (a regular expression, one huge string
# operation) ends only when it returns to Python.
#
# No delivery can reach the caller after the call: the watcher fires at most once
# per deadline and only while the call is in progress (both under one lock), the
# call withdraws its deadline under that lock before it returns, withdrawing clears
# a delivery that has not arrived yet, and the one that does arrive is caught by
# the try statement that was set up before the deadline was armed.

_IDLE_SECONDS = 0.5  # the watcher thread ends this long after the last bounded call


class _Expired(BaseException):
    """Raised in a thread whose deadline has passed. A BaseException, so that an
    ``except Exception`` on the way (in a filter, in a library) cannot swallow it."""


#: PyThreadState_SetAsyncExc(thread id, exception class or NULL), through a
#: prototype of our own: setting argtypes on ``ctypes.pythonapi``'s shared
#: function object would change it for the host too.
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)


class _Deadline:
    """One bounded call: its thread, when it must end, whether it was told to."""

    __slots__ = ("due", "fired", "order", "thread")

    def __init__(self, seconds: float, order: int) -> None:
        self.thread = threading.get_ident()
        self.due = time.monotonic() + seconds
        self.order = order
        self.fired = False

    def __lt__(self, other: _Deadline) -> bool:
        return (self.due, self.order) < (other.due, other.order)


class _Watcher:
    """The deadlines of one process and the thread that delivers them."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        # A plain lock for the bounded thread: a ``with`` on it cannot be cut between
        # acquiring and releasing (a Condition's Python-level __enter__ could be).
        self.lock = threading.Lock()
        self.wake = threading.Condition(self.lock)
        self.pending: list[_Deadline] = []
        self.thread: threading.Thread | None = None
        self.order = itertools.count()

    def arm(self, deadline: _Deadline) -> None:
        with self.lock:
            heapq.heappush(self.pending, deadline)
            if self.thread is None:
                thread = threading.Thread(
                    target=self._run, name="letterkit-time-limit", daemon=True
                )
                thread.start()  # if it cannot start, the caller's disarm removes the deadline
                self.thread = thread
            elif self.pending[0] is deadline:
                self.wake.notify()

    def disarm(self, deadline: _Deadline) -> None:
        with self.lock:
            if deadline in self.pending:
                self.pending.remove(deadline)
                heapq.heapify(self.pending)
                if not self.pending:
                    self.wake.notify()
            elif deadline.fired:
                # Fired but maybe not yet arrived: a NULL exception withdraws it.
                _set_async_exc(deadline.thread, ctypes.py_object())

    def _run(self) -> None:
        with self.wake:
            while True:
                if not self.pending:
                    self.wake.wait(_IDLE_SECONDS)
                    if not self.pending:
                        self.thread = None
                        return
                    continue
                wait = self.pending[0].due - time.monotonic()
                if wait > 0:
                    self.wake.wait(wait)
                    continue
                deadline = heapq.heappop(self.pending)
                deadline.fired = True
                _set_async_exc(deadline.thread, _Expired)


_WATCHER = _Watcher()
_BOUNDED = threading.local()  # .active: this thread is in a bounded call


def _watcher() -> _Watcher:
    """This process's watcher (a forked child starts its own)."""
    global _WATCHER
    if _WATCHER.pid != os.getpid():
        _WATCHER = _Watcher()
    return _WATCHER


def call_within(seconds: float, function: Callable[[], T]) -> T:
    """``function()``, raising :class:`TimeLimit` if it runs longer than *seconds*
    (no limit when *seconds* is 0 or less, or infinite).

    Works in any thread and leaves the host's signal handlers and timers alone.
    A call into C code is not interrupted: the limit takes effect when it returns.
    A bounded call made inside another one in the same thread keeps the
    enclosing deadline.
    """
    if not 0 < seconds < math.inf or getattr(_BOUNDED, "active", False):
        return function()
    watcher = _watcher()
    deadline = _Deadline(seconds, next(watcher.order))
    _BOUNDED.active = True
    try:
        try:
            watcher.arm(deadline)
            return function()
        finally:
            watcher.disarm(deadline)
    except _Expired as expired:
        watcher.disarm(deadline)  # cannot be interrupted now: the one delivery arrived
        raise TimeLimit(f"took longer than {seconds:g} s").with_traceback(
            expired.__traceback__
        ) from None
    finally:
        _BOUNDED.active = False
