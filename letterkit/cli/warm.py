"""What keeps the watch's one process warm and stoppable: no garbage
collection during a render and one pass after it, and Ctrl-C that stops the
watch even when Python drops it (raised inside a finalizer or a weak
reference's callback, an interrupt is printed and lost)."""

from __future__ import annotations

import gc
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Set by Ctrl-C during the watch: an interrupt raised inside a finalizer or a
#: weak reference's callback is printed and dropped by Python, so the polling
#: loop looks here too and stops all the same.
INTERRUPTED = threading.Event()


@contextmanager
def interrupts_remembered() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt as usual and is remembered (see
    :data:`INTERRUPTED`); Python's handler again afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: object) -> None:
        INTERRUPTED.set()
        raise KeyboardInterrupt

    def unraisable(info: Any) -> None:
        if not isinstance(info.exc_value, KeyboardInterrupt):
            hook(info)  # an interrupt dropped there is taken up by the loop: not shown

    INTERRUPTED.clear()
    before, hook = signal.signal(signal.SIGINT, interrupted), sys.unraisablehook
    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
        sys.unraisablehook = hook
        INTERRUPTED.clear()


@contextmanager
def collected_after() -> Iterator[None]:
    """No garbage collection during a render (a pass over the warm process's
    objects would delay the PDF), one full pass after it, while the files are
    only polled."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        collect()


def collect() -> None:
    """One full garbage collection, a stop signal meanwhile held and raised
    after it: raised in an object's finalizer, it would be lost, and the
    watch would not stop."""
    if threading.current_thread() is not threading.main_thread():
        gc.collect()
        return
    held: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # those stops.py handles too
    before = {s: signal.signal(s, lambda signum, _: held.append(signum)) for s in stops}
    try:
        gc.collect()
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
    if held:
        signal.raise_signal(held[0])
