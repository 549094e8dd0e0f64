"""The template time limit: bounded in every thread, and invisible to the host.

The host's SIGALRM handler and interval timer belong to the host; letterkit's
limit is kept by a watcher thread instead, and nothing it raises may reach the
host's code once a bounded call has returned.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from types import FrameType

import pytest

import letterkit
from letterkit import limits

from .conftest import EXAMPLE, pdf_text

NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"


def _letter(tmp_path: Path, body: str) -> letterkit.Letter:
    template = tmp_path / "t.md"
    template.write_text(body, encoding="utf-8")
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return replace(base, template=str(template), base_dir=tmp_path, annexes=())


@pytest.fixture
def host_timer() -> Iterator[list[int]]:
    """A host that keeps a 30 s watchdog on SIGALRM; it records the signals it gets."""
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        yield received
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_render_leaves_the_hosts_timer_and_handler_alone(
    tmp_path: Path, host_timer: list[int]
) -> None:
    """This test ensures that a render neither stops nor replaces the host's SIGALRM watchdog."""
    handler = signal.getsignal(signal.SIGALRM)
    pdf = letterkit.render(_letter(tmp_path, "Free {{ person.name }} now.\n"))
    assert "Free Azimjon Askarov now." in pdf_text(pdf)
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    assert remaining > 25
    assert signal.getsignal(signal.SIGALRM) is handler
    assert host_timer == []
    # The C function letterkit calls is its own prototype, not ctypes' shared one.
    assert ctypes.pythonapi.PyThreadState_SetAsyncExc.argtypes is None


def _check_with_one_second(letter: letterkit.Letter) -> tuple[list[letterkit.Problem], float]:
    start = time.monotonic()
    with limits.applied(letterkit.Limits(template_seconds=1)):
        problems = letterkit.check(letter)
    return problems, time.monotonic() - start


def _assert_stopped_by_the_limit(problems: list[letterkit.Problem], seconds: float) -> None:
    codes = [p.code for p in problems if p.severity == "error"]
    assert codes == ["LK114"], problems
    assert "took longer than 1 s" in problems[-1].message
    assert problems[-1].path.endswith("t.md")
    assert problems[-1].line == 1
    assert 1.0 <= seconds < 6.0


def test_runaway_template_is_stopped_in_the_main_thread(tmp_path: Path) -> None:
    """This test ensures that nested loops end with LK114 near the limit in the main thread."""
    _assert_stopped_by_the_limit(*_check_with_one_second(_letter(tmp_path, NESTED_LOOPS)))


def test_runaway_template_is_stopped_in_a_worker_thread(tmp_path: Path) -> None:
    """This test ensures that the limit also holds outside the main thread (a web
    server's worker, a ThreadPoolExecutor)."""
    letter = _letter(tmp_path, NESTED_LOOPS)
    with ThreadPoolExecutor(max_workers=1) as pool:
        problems, seconds = pool.submit(_check_with_one_second, letter).result(timeout=60)
    _assert_stopped_by_the_limit(problems, seconds)


def test_time_limit_leaves_the_hosts_timer_alone_when_it_fires(
    tmp_path: Path, host_timer: list[int]
) -> None:
    """This test ensures that an expiring template limit does not touch the host's timer."""
    problems, _ = _check_with_one_second(_letter(tmp_path, NESTED_LOOPS))
    assert [p.code for p in problems] == ["LK114"]
    assert signal.getitimer(signal.ITIMER_REAL)[0] > 25
    assert host_timer == []


def _spin(seconds: float) -> int:
    end = time.perf_counter() + seconds
    turns = 0
    while time.perf_counter() < end:
        turns += 1
    return turns


#: How long each bounded call runs, against its limit of 1 ms: most end about
#: when the limit does (the race); the longest is sure to expire even on a busy
#: machine, whose watcher thread may be late.
_RUNS = (0.0008, 0.001, 0.0012, 0.002, 0.02)


def _many_blocks_that_just_expire(count: int) -> tuple[int, list[str]]:
    """Bounded calls that run about as long as their limit, each followed by host code."""
    expired = 0
    leaks: list[str] = []
    for turn in range(count):
        run = _RUNS[turn % len(_RUNS)]
        try:
            limits.call_within(0.001, lambda run=run: _spin(run))
        except limits.TimeLimit:
            expired += 1
        try:
            _spin(0.002)  # the host's own code, after the bounded call returned
        except BaseException as exc:  # any arrival here is the defect
            leaks.append(type(exc).__name__)
    return expired, leaks


@pytest.fixture
def quick_thread_switches() -> Iterator[None]:
    """Threads take turns every 0.5 ms, so the watcher often fires just as a call ends."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


@pytest.mark.usefixtures("quick_thread_switches")
def test_no_expiry_reaches_code_after_the_bounded_call() -> None:
    """This test ensures that a limit expiring just as its call ends never raises
    in the caller's code afterwards, in the main thread or another."""
    expired, leaks = _many_blocks_that_just_expire(400)
    assert leaks == []
    assert expired > 0  # the race was exercised
    with ThreadPoolExecutor(max_workers=1) as pool:
        expired, leaks = pool.submit(_many_blocks_that_just_expire, 200).result(timeout=60)
    assert leaks == []
    assert expired > 0


def test_a_bounded_call_returns_its_value_and_its_own_errors() -> None:
    """This test ensures that call_within is transparent when the limit is not reached."""
    assert limits.call_within(5, lambda: 42) == 42
    assert limits.call_within(0, lambda: "unbounded") == "unbounded"
    assert limits.call_within(float("inf"), lambda: "unbounded") == "unbounded"
    empty: dict[str, int] = {}
    with pytest.raises(KeyError, match="own"):
        limits.call_within(5, lambda: empty["own"])


def test_an_expired_call_raises_a_letterkit_error_with_the_limit() -> None:
    start = time.monotonic()
    with pytest.raises(limits.TimeLimit, match=r"took longer than 0\.2 s") as info:
        limits.call_within(0.2, lambda: _spin(30))
    assert time.monotonic() - start < 5
    assert isinstance(info.value, letterkit.LetterkitError)


def test_a_call_that_swallows_exceptions_is_still_stopped() -> None:
    """This test ensures that ``except Exception`` inside the bounded code cannot
    keep it running past the limit."""

    def stubborn() -> None:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                _spin(0.01)
            except Exception:  # what a careless filter might do
                continue

    with pytest.raises(limits.TimeLimit):
        limits.call_within(0.2, stubborn)


def test_a_nested_call_keeps_the_enclosing_deadline() -> None:
    with pytest.raises(limits.TimeLimit, match=r"0\.2 s"):
        limits.call_within(0.2, lambda: limits.call_within(60, lambda: _spin(30)))


def test_the_watcher_thread_ends_when_idle() -> None:
    """This test ensures that letterkit leaves no thread behind in the host for long."""
    limits.call_within(5, lambda: None)
    end = time.monotonic() + 10
    while time.monotonic() < end:
        if not any(t.name == "letterkit-time-limit" for t in threading.enumerate()):
            break
        time.sleep(0.05)
    assert not any(t.name == "letterkit-time-limit" for t in threading.enumerate())


def test_a_worker_thread_renders_the_same_bytes(tmp_path: Path) -> None:
    """This test ensures that a render outside the main thread, now bounded by the
    watcher, makes the same letter as one in the main thread."""
    letter = _letter(tmp_path, "Free {{ person.name }}, {{ letter.date|date }}.\n")
    here = letterkit.render(letter)
    with ThreadPoolExecutor(max_workers=1) as pool:
        there = pool.submit(letterkit.render, letter).result(timeout=120)
    assert there == here
    assert "Free Azimjon Askarov, 6\u00a0December 2018." in pdf_text(there)
