"""``letterkit render SPEC --watch``: the files a letter is made from → its PDF,
written again each time one of them is saved, by one process that stays warm.

What is watched is what the letter was read from (:attr:`Target.inputs`: the
spec, case file, signatories, template and the images its Markdown names,
logo and signatures, annexes, the fonts folder and its fonts; with a
campaign, its file and recipients table too), worked out again after each
render, so a file the new spec names is watched from then on. A letter that cannot be loaded also has the files its
problems name watched, and the spec's folder (an annex not there yet).

Files are polled by path, every :data:`POLL` seconds, for their modification
time, size and inode: a ``stat`` of a handful of files is a few microseconds,
and polling needs no dependency and behaves the same on every system and on
network or container mounts, where change notifications (watchdog, inotify)
are missed or differ. Polling by path also follows editors that save by
writing a new file and renaming it over the old one; such a save is complete
when it is seen, and is acted on at once. A file changed in place is acted
on once it is stable: unchanged for :data:`SETTLE` seconds (looked at again
that soon, not a poll later), or last modified at least that long ago; a file that is missing (deleted to be written again)
is waited for up to :data:`MISSING` seconds.

Each render loads the spec again (a few milliseconds) and builds the letter
with the pipeline's memo tables warm, so what did not change (annex readers,
composed body, shared pages, fonts) is reused; a letter takes tens of
milliseconds. The garbage collector waits while a render runs and makes
one pass after it; what the first render set up (fonts, tables, the annex
readers) is frozen out of its passes (a cycle among those objects, dropped
later, is kept until the watch ends). A changed image empties the memo
tables first (some keep what they drew by the image's path), so that one
render starts from nothing.
ReportLab registers fonts process-wide by name, so a changed user font is
read by starting the command again (the one change not served warm). A PDF
is only ever replaced whole (a temporary file renamed over it); a render
that fails prints its problems and leaves the last good PDF.

Ctrl-C ends the watch normally: exit status 0, temporary files removed.
SIGTERM and SIGHUP end it as they end any command (128 + the signal).
"""

from __future__ import annotations

import argparse
import gc
import os
import stat
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .. import memo
from ..errors import (
    MAX_SHOWN,
    InternalError,
    LetterkitError,
    UsageError,
    ValidationError,
    printable,
)
from ..validate.hygiene import silenced
from .render import Target, load_target, print_problems, write_target
from .stops import Stopped, stops_as_interrupts
from .warm import INTERRUPTED, collected_after, interrupts_remembered

#: Seconds between two looks at the watched files.
POLL = 0.005
#: Seconds a changed file must stay unchanged (or have been written ago) before
#: it is read: an editor may write a file in several steps, each a system call
#: microseconds apart. Should a slow writer pause longer mid-file, the render
#: of the part written says its problems (the last good PDF stays) or shows
#: the part, and the rest, a change of its own, is rendered at the next poll.
SETTLE = 0.005
#: Seconds to wait for a watched file that went missing to come back.
MISSING = 0.5

#: Files some memo tables keep by path, not by content (a signature's cell, a
#: body drawn with its images): when one changes, every table is emptied.
_KEPT_BY_PATH = frozenset({".png", ".jpg", ".jpeg"})

#: A file's state: (modification time in ns, size, inode), None when missing.
Signature = tuple[int, int, int] | None


def signature(path: Path) -> Signature:
    """The state of the file at *path* now (None when there is none). A folder's
    is the names in it, not its time: what a file was saved as in passing
    (hidden temporary files, letterkit's own among them) changes nothing."""
    try:
        info = os.stat(path)
        if not stat.S_ISDIR(info.st_mode):
            return (info.st_mtime_ns, info.st_size, info.st_ino)
        names = tuple(sorted(n for n in os.listdir(path) if not n.startswith(".")))
    except (OSError, ValueError):
        return None
    return (0, hash(names), info.st_ino)  # time 0: a listing is never half made


def latency_ms(source: Path, output: Path) -> float:
    """Milliseconds from the last change of *source* to the last change of
    *output*: how long a watch took to turn a saved file into its PDF."""
    return (output.stat().st_mtime_ns - source.stat().st_mtime_ns) / 1e6


def edit_and_wait(source: Path, text: str, output: Path, timeout: float = 10.0) -> float:
    """Save *text* to *source* as an editor does (a new file renamed over it),
    wait until a running watch has replaced *output*, and return the latency
    (:func:`latency_ms`). Raises :class:`TimeoutError` when no new PDF comes."""
    before = signature(output)
    fresh = source.with_name(f".{source.name}.saving")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, source)
    deadline = time.monotonic() + timeout
    while signature(output) == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no new {output} within {timeout} s of saving {source}")
        time.sleep(0.002)
    return latency_ms(source, output)


@dataclass
class _State:
    """What the watch knows between two renders."""

    spec: Path
    watched: dict[Path, Signature] = field(default_factory=dict)
    fonts: Path | None = None
    written: Path | None = None
    opened: bool = False


def watch(
    args: argparse.Namespace,
    output: Path | None,
    out: TextIO,
    err: TextIO,
    *,
    restart: Callable[[], None] | None = None,
) -> int:
    """Render the letter of *args*, then again whenever one of its files
    changes, until Ctrl-C (status 0). *restart* starts the command afresh
    when a user font changes (by default: the same command line, again)."""
    state = _State(Path(args.spec).resolve())
    try:
        with stops_as_interrupts(), interrupts_remembered():
            with collected_after():
                _render(args, output, state, out, err, "rendered", first=True)
            gc.freeze()  # what the first render set up stays: later collections skip it
            print(f"watching {len(state.watched)} files; Ctrl-C to stop", file=out, flush=True)
            while True:
                changed = _next_change(state)
                if state.fonts is not None and any(_in(p, state.fonts) for p in changed):
                    print(f"{_clock()} fonts changed: starting again", file=out, flush=True)
                    (restart or _restart)()
                if any(p.suffix.lower() in _KEPT_BY_PATH for p in changed):
                    memo.forget()
                with collected_after():
                    _render(args, output, state, out, err, _names(changed))
    except Stopped:
        raise
    except KeyboardInterrupt:
        print("stopped watching", file=out, flush=True)
        return 0


def _next_change(state: _State) -> list[Path]:
    """Wait for a change to the watched files, and for it to settle; return the
    changed files (their new state recorded)."""
    seen = dict(state.watched)
    since = time.monotonic()
    gone: set[Path] = set()  # seen missing since the last render
    pause = POLL
    while True:
        time.sleep(pause)
        if INTERRUPTED.is_set():  # an interrupt a finalizer swallowed
            raise KeyboardInterrupt
        pause = POLL
        now = {path: signature(path) for path in state.watched}
        gone.update(p for p, s in now.items() if s is None)
        if now != seen:
            seen, since = now, time.monotonic()
        changed = [p for p, s in now.items() if s != state.watched[p]]
        if not changed:
            continue
        waited = time.monotonic() - since
        missing = any(now[p] is None for p in changed)
        if missing and waited < MISSING:
            continue
        if (
            waited >= SETTLE
            or (not missing and _written_ago(now, changed) >= SETTLE)
            or all(_renamed_over(state.watched[p], now[p]) and p not in gone for p in changed)
        ):
            state.watched.update(now)
            return changed
        if not missing:  # look again once it would have settled, not a whole poll later
            pause = min(POLL, SETTLE - waited)


def _renamed_over(before: Signature, after: Signature) -> bool:
    """Whether another file took the place of the one there was (an editor's
    atomic save, complete when it is seen): another inode."""
    return before is not None and after is not None and before[2] != after[2]


def _written_ago(now: dict[Path, Signature], changed: Iterable[Path]) -> float:
    """Seconds since the most recent change of the *changed* files."""
    latest = max(s[0] for p in changed if (s := now[p]) is not None)
    return (time.time_ns() - latest) / 1e9


def _render(
    args: argparse.Namespace,
    output: Path | None,
    state: _State,
    out: TextIO,
    err: TextIO,
    what: str,
    *,
    first: bool = False,
) -> None:
    """Load and build the letter, write it, print one line; on failure print the
    problems and keep the PDF there was. Afterwards the watched files are the
    letter's inputs (or, when it could not be loaded, those before and the
    files the problems name)."""
    started = time.perf_counter()
    target: Target | None = None
    named: set[Path] = set()
    failed = 0
    try:
        target = load_target(args, err)
        shown, built = write_target(target, output)
    except ValidationError as exc:
        _debug(args, err)
        print_problems(exc.problems, err)
        named = {p for problem in exc.problems for p in _candidates(problem.path, state.spec)}
        failed = len(exc.problems)
    except UsageError as exc:
        if first:
            raise
        _debug(args, err)
        print(f"letterkit: error: {printable(str(exc), MAX_SHOWN)}", file=err)
        failed = 1
    except (InternalError, LetterkitError, OSError) as exc:
        _debug(args, err)
        print(_one_line(exc), file=err)
        failed = 1
    except Exception as exc:  # a fault of letterkit's: said, and the watch goes on
        _debug(args, err)
        print(InternalError.from_exception(str(args.spec), exc).problem, file=err)
        failed = 1
    else:
        ms = (time.perf_counter() - started) * 1000
        _watch(state, target, named)
        print_problems(silenced(built.warnings, args.no_warn), err)
        print(f"{_clock()} {what}: wrote {shown} in {ms:.0f} ms", file=out, flush=True)
        state.written = shown
        if args.open and not state.opened:
            from .viewer import open_pdf

            state.opened = True
            open_pdf(shown, err)
        return
    _watch(state, target, named)
    kept = f"{state.written} is the last good PDF" if state.written else "no PDF written"
    said = f"{failed} problem" + ("s" if failed > 1 else "")
    print(f"{_clock()} {what}: not written ({said}); {kept}", file=out, flush=True)
    err.flush()


def _watch(state: _State, target: Target | None, named: set[Path]) -> None:
    """Watch the letter's inputs (when it loaded; else those watched before and
    the spec's folder) and the files *named* by its problems."""
    if target is not None:
        paths = {state.spec, *target.inputs, *named}
        state.fonts = target.letter.fonts.resolve() if target.letter.fonts else None
    else:  # the spec's folder and its folders too: a file it names may be created there
        paths = {state.spec, *_folders(state.spec.parent), *state.watched, *named}
    state.watched = {p: state.watched.get(p, signature(p)) for p in paths}


def _folders(folder: Path) -> list[Path]:
    """*folder* and the folders in it (not hidden): while a letter cannot be
    loaded, a change of names there (a font taken out of ``fonts/``, an annex
    put in ``annexes/``) may be what mends it."""
    found = [folder]
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                    found.append(Path(entry.path))
    except OSError:
        pass
    return found


def _candidates(shown: str, spec: Path) -> list[Path]:
    """The files a problem's path may be: as written from here, or from the
    spec's folder (a sheet's ``[Sheet]!B7`` cut off)."""
    name = shown.split("[", 1)[0] if shown.endswith("]") or "]!" in shown else shown
    if not name or name.startswith("<"):
        return []
    path = Path(name)
    if path.is_absolute():
        return [path]
    return [Path.cwd() / path, spec.parent / path]


def _in(path: Path, folder: Path) -> bool:
    return path == folder or path.parent == folder


def _names(changed: list[Path]) -> str:
    """The changed files in a few words: ``signatories.csv changed``."""
    # a folder is named only when none of its files is (its files changed)
    files = [p for p in sorted(changed) if not any(q.parent == p for q in changed)]
    shown = [f"a file in {_shown(p)}/" if p.is_dir() else _shown(p) for p in files]
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    return f"{', '.join(shown[:3])}{more} changed"


def _shown(path: Path) -> str:
    try:
        return printable(str(path.relative_to(Path.cwd())), 200)
    except ValueError:
        return printable(path.name, 200)


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, InternalError):
        return str(exc.problem)
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return printable(f"letterkit: error: cannot write{where}: {exc.strerror or exc}")
    return f"letterkit: error: {printable(str(exc), MAX_SHOWN)}"


def _debug(args: argparse.Namespace, err: TextIO) -> None:
    if args.debug:
        traceback.print_exc(file=err)


def _restart() -> None:
    """Start this command again in this process (``exec``), without ``--open``:
    the viewer shows the PDF it has, which the new process replaces."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    argv = [a for a in sys.orig_argv[1:] if a != "--open"]
    os.execv(sys.executable, [sys.executable, *argv])
