"""Campaign → one PDF per recipient, in parallel, resumable, with ``manifest.json``.

Each letter is built exactly as ``letterkit render CAMPAIGN --recipient ID``
would build it (:mod:`~letterkit.bundle.workers`), written atomically, and
recorded in the state file (:mod:`~letterkit.bundle.state`). A rerun skips
letters whose inputs are unchanged and rebuilds the rest; a run killed or
interrupted (Ctrl-C) at any moment leaves only complete PDFs, and the next
run finishes the job. The manifest and shards are
:mod:`~letterkit.bundle.manifest`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, UsageError, ValidationError, path_argument
from ..input.campaign import Campaign
from ..limits import Limits
from ..typeset import fonts
from .campaign import load_campaign
from .manifest import LetterResult, shard_slice, write_manifest
from .state import State, forget_stale, input_hashes, read_state, unchanged, write_state
from .workers import Entry, render_one, run_parallel, use_here

__all__ = [
    "BundleResult",
    "LetterResult",
    "Progress",
    "build_bundle",
]


@dataclass
class BundleResult:
    """What a bundle run did: every letter of the run, and which were built or failed."""

    out_dir: Path
    letters: list[LetterResult] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    manifest: Path | None = None


Progress = Callable[[str, str, int, int], None]
"""``progress(event, recipient_id, done, total)``; event is built, skipped or failed."""


@dataclass
class _Run:
    """One run over a bundle folder: what is recorded, and what is reported."""

    out: Path
    ids: list[str]
    hashes: dict[str, str]
    state: State
    keep_going: bool
    progress: Progress | None
    result: BundleResult
    done: int = 0
    saved: float = field(default_factory=time.monotonic)

    def tell(self, event: str, rid: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(event, rid, self.done, len(self.ids))

    def save(self, force: bool = False) -> None:
        # At most once a second: a letter built but not yet recorded when the
        # run is killed is simply built again (to the same bytes) next time.
        if force or time.monotonic() - self.saved >= 1.0:
            write_state(self.out, self.state)
            self.saved = time.monotonic()

    def record(self, entry: Entry) -> None:
        """Take in one letter's result: record it, or report its problems."""
        rid = entry["id"]
        if "problems" in entry:
            problems = [Problem(**p) for p in entry["problems"]]
            self.result.failed[rid] = problems
            self.tell("failed", rid)
            if not self.keep_going:
                self.save(force=True)
                raise ValidationError(
                    [Problem(p.path, p.line, p.col, p.severity, p.code, f"recipient '{rid}': {p.message}")
                     for p in problems]
                )  # fmt: skip
            return
        entry["input"] = self.hashes[rid]
        self.state[rid] = entry
        self.save()
        self.result.built.append(rid)
        self.tell("built", rid)


def build_bundle(
    campaign: str | Path,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    shard: tuple[int, int] | None = None,
    keep_going: bool = False,
    allow_outside: bool = False,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> BundleResult:
    """Build every letter of a campaign (or of one shard) into *out_dir*.

    Raises :class:`ValidationError` for a bad campaign, and, unless
    *keep_going*, for the first letter that cannot be built (the letters
    already built stay, recorded in the state file). *limits* bound each
    letter, in every worker process. On ``KeyboardInterrupt`` the letters
    built so far are recorded before it goes on up: run again to finish.
    """
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0):
        raise UsageError(
            f"jobs must be a whole number of processes (0 or None: one per CPU), not {jobs!r}"
        )
    if shard is not None and not _is_shard(shard):
        raise UsageError(f"shard must be (k, n), whole numbers with 1 <= k <= n, not {shard!r}")
    if progress is not None and not callable(progress):
        raise UsageError(f"progress must be a function or None, not {type(progress).__name__}")
    path_argument(campaign, "the campaign")
    path_argument(out_dir, "out_dir")
    path = Path(campaign)
    loaded = load_campaign(path, allow_outside=allow_outside, limits=limits)
    out = _output_folder(loaded, Path(out_dir))
    ids = [r.id for r in loaded.recipients]
    if shard is not None:
        ids = [ids[i] for i in shard_slice(len(ids), *shard)]
    state = read_state(out)
    forget_stale(state, loaded, ids if shard is not None else None, out)
    run = _Run(out, ids, input_hashes(loaded, ids), state, keep_going, progress, BundleResult(out))
    todo = [rid for rid in ids if not unchanged(state.get(rid), run.hashes[rid], out)]
    for rid in ids:
        if rid not in todo:
            run.result.skipped.append(rid)
            run.tell("skipped", rid)
    targets = {rid: str(out / loaded.filenames[rid]) for rid in todo}
    # Never more processes than letters: each one is a full interpreter.
    workers = max(1, min(jobs if jobs else (os.cpu_count() or 1), len(todo)))
    fonts.register()
    try:
        if workers == 1 or len(todo) <= 1:
            for rid in todo:
                run.record(render_one(loaded, rid, Path(targets[rid]), limits))
        else:
            use_here(loaded, str(path), allow_outside)
            run_parallel(str(path), allow_outside, limits, todo, targets, workers, run.record)
    finally:
        run.save(force=True)
    result = run.result
    result.letters = [
        LetterResult.from_entry(state[rid])
        for rid in ids
        if rid in state and rid not in result.failed
    ]
    combined = loaded.combined if shard is not None or not result.failed else ""
    result.manifest = write_manifest(out, result.letters, shard=shard, combined=combined)
    return result


def _is_shard(shard: object) -> bool:
    if not isinstance(shard, tuple | list) or len(shard) != 2:
        return False
    k, n = shard
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (k, n))
    return whole and 1 <= k <= n


def _output_folder(campaign: Campaign, out: Path) -> Path:
    """Make the output folder ready: created, cleared of files a killed run was
    writing, and not the folder of the campaign's or the letter's inputs (the
    letters, the combined PDF and the manifest could replace one of them)."""
    inputs = {p.resolve() for p in (*campaign.letter.inputs, *campaign.inputs)}
    if out.resolve() in inputs or any(p.parent == out.resolve() for p in inputs):
        raise UsageError(
            f"the output folder {out} holds the campaign's inputs; choose another folder"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the output folder {out}: {exc.strerror or exc}") from exc
    for stale in out.glob(".*.tmp"):  # left by a run that was killed mid-write
        stale.unlink(missing_ok=True)
    return out
