"""Recipients → their letters written to disk, in this process or in worker processes.

Each letter is built exactly as ``letterkit render CAMPAIGN --recipient ID``
would build it and written atomically; what is reported back is its line of
the state file (or its problems). Worker processes load the campaign and
register the fonts once, build with the caller's limits, and ignore Ctrl-C
and SIGHUP: the process that started them decides what an interrupted run
keeps, and records every letter they finish.
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from ..errors import LetterkitError, ValidationError
from ..input.campaign import Campaign
from ..input.letter_spec import ArchiveChoice
from ..limits import Limits
from ..pipeline import write_atomically
from ..typeset import fonts
from .campaign import build_row, load_campaign

#: What a letter reports: its state entry, or ``{"id", "problems"}``.
Entry = dict[str, Any]

_WORKER: dict[str, Any] = {}


def render_one(campaign: Campaign, rid: str, target: Path, limits: Limits | None = None) -> Entry:
    """Build one letter and write it atomically (in this process)."""
    try:
        built = build_row(campaign, rid, limits)
    except ValidationError as exc:
        return {"id": rid, "problems": [p.as_dict() for p in exc.problems]}
    write_atomically(target, built.pdf)
    row = campaign.get(rid)
    return {
        "id": rid,
        "file": target.name,
        "recipient": ", ".join(
            str(t) for t in (row.recipient.name, row.recipient.organization) if t
        ),
        "locale": row.locale,
        "pages": built.pages,
        "letter_pages": built.letter_pages,
        "bytes": len(built.pdf),
        "sha256": hashlib.sha256(built.pdf).hexdigest(),
        # What the letter's build warned of (an annex repaired or cleaned…):
        # said once per run, never kept in the state.
        "warnings": [p.as_dict() for p in built.warnings],
    }


def use_here(
    campaign: Campaign, path: str, allow_outside: bool, archive: ArchiveChoice = None
) -> None:
    """Hand the loaded campaign to workers started by fork (Linux before Python
    3.14): they find it here and need not load it again."""
    _WORKER.update(campaign=campaign, path=(path, allow_outside, archive))


def _init_worker(
    path: str, allow_outside: bool, limits: Limits | None, archive: ArchiveChoice = None
) -> None:
    """Set up a worker process: Ctrl-C and SIGHUP (sent to the whole terminal
    group) are for the parent; fonts and the campaign are loaded once (a forked
    worker has both from the parent already). SIGTERM has its default, whatever
    the parent handles: the pool ends a broken worker with it, and a worker
    killed so leaves its letters to the parent to record."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, if forked
    fonts.register()
    _WORKER["limits"] = limits
    if _WORKER.get("path") != (path, allow_outside, archive):
        _WORKER["campaign"] = load_campaign(
            path, allow_outside=allow_outside, limits=limits, archive=archive
        )
        _WORKER["path"] = (path, allow_outside, archive)


def _render_batch(batch: list[tuple[str, str]]) -> list[Entry]:
    """Build a few recipients' letters (rid, target) in a worker."""
    campaign: Campaign = _WORKER["campaign"]
    limits = _WORKER.get("limits")
    return [render_one(campaign, rid, Path(target), limits) for rid, target in batch]


def run_parallel(
    path: str,
    allow_outside: bool,
    limits: Limits | None,
    todo: Sequence[str],
    targets: dict[str, str],
    workers: int,
    record: Callable[[Entry], bool],
    archive: ArchiveChoice = None,
) -> None:
    """Build *todo* over *workers* processes, calling *record* on each result as
    it comes in; *record* returns False to stop the run.

    Letters go to the workers a few at a time: one at a time, passing them to
    and fro would cost a good part of building them. Batches shrink as the
    queue does, so that the workers finish together. When the run stops (a
    letter failed, Ctrl-C or another signal turned into ``KeyboardInterrupt``),
    the batches not started are dropped and those under way are finished and
    recorded: every letter a worker wrote is in the state file, so that the
    next run neither builds it again nor loses track of it.
    """
    queue = list(todo)
    pending: set[Future[list[Entry]]] = set()
    unrecorded: deque[Entry] = deque()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_init_worker,
        initargs=(path, allow_outside, limits, archive),
    )
    try:
        while queue or pending or unrecorded:
            while queue and len(pending) < workers * 2:
                size = max(1, min(16, len(queue) // (workers * 4)))
                batch, queue = queue[:size], queue[size:]
                pending.add(pool.submit(_render_batch, [(rid, targets[rid]) for rid in batch]))
            if pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    unrecorded.extend(future.result())
            while unrecorded:
                go_on = record(unrecorded[0])
                unrecorded.popleft()
                if not go_on:
                    queue = []
                    pending = {f for f in pending if not f.cancel()}
    except KeyboardInterrupt:
        _finish_started(pending, unrecorded, record)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _finish_started(
    pending: set[Future[list[Entry]]], unrecorded: deque[Entry], record: Callable[[Entry], bool]
) -> None:
    """After Ctrl-C: cancel the batches not started, record those under way and
    the letters already back but not yet recorded."""
    started = [f for f in pending if not f.cancel()]
    with contextlib.suppress(Exception):
        for entry in unrecorded:
            record(entry)
    for future in wait(started).done:
        with contextlib.suppress(Exception):
            for entry in future.result():
                with contextlib.suppress(LetterkitError):
                    record(entry)
