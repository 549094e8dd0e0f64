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

import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, UsageError, ValidationError, path_argument
from ..input.campaign import Campaign
from ..input.letter_spec import ArchiveChoice
from ..limits import Limits
from ..pipeline import TEMP_PREFIX, TEMP_SUFFIX
from ..typeset import fonts
from ..validate.hygiene import codes, silenced
from .campaign import load_campaign
from .combining import Feed
from .lock import folder_locked
from .manifest import MANIFEST, LetterResult, shard_slice, write_manifest
from .outdated import forget_earlier_combined, forget_untrue
from .shards import shown
from .state import (
    STATE,
    State,
    campaign_hash,
    forget_stale,
    input_hashes,
    read_state,
    unchanged,
    write_state,
)
from .workers import Entry, render_one, run_parallel, use_here

__all__ = ["BundleResult", "LetterResult", "Progress", "build_bundle"]


@dataclass
class BundleResult:
    """What a bundle run did: every letter of the run, and which were built or failed."""

    out_dir: Path
    letters: list[LetterResult] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    manifest: Path | None = None
    #: Letters of recipients no longer in the campaign (or renamed), deleted.
    removed: list[str] = field(default_factory=list)
    #: What the run set aside and why (a state file it could not use…).
    notes: list[str] = field(default_factory=list)
    #: The warnings of the campaign (its data, its rows) and of the letters built
    #: (an annex repaired or cleaned of scripts…), each once.
    warnings: list[Problem] = field(default_factory=list)


Progress = Callable[[str, str, int, int], None]
"""``progress(event, recipient_id, done, total)``; event is built, skipped or failed."""

Report = Callable[[str], None]
"""``report(line)``: one line the user should read, as soon as it happens (a
file deleted, a state file set aside)."""

#: The names :func:`~letterkit.pipeline.write_atomically` gives its temporary files.
_OUR_TEMP = re.compile(re.escape(TEMP_PREFIX) + r"[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


@dataclass
class _Run:
    """One run over a bundle folder: what is recorded, and what is reported."""

    out: Path
    campaign: Path
    ids: list[str]
    hashes: dict[str, str]
    state: State
    keep_going: bool
    progress: Progress | None
    result: BundleResult
    feed: Feed  # the combined PDF, appended to as letters are recorded
    done: int = 0
    saved: float = field(default_factory=time.monotonic)
    #: The recipients whose result is taken in, and whether the run stops.
    seen: set[str] = field(default_factory=set)
    stop: bool = False

    def tell(self, event: str, rid: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(event, rid, self.done, len(self.ids))

    def save(self, force: bool = False) -> None:
        # At most once a second: a letter built but not yet recorded when the
        # run is killed is simply built again (to the same bytes) next time.
        if force or time.monotonic() - self.saved >= 1.0:
            write_state(self.out, self.state, self.campaign)
            self.saved = time.monotonic()

    def record(self, entry: Entry) -> bool:
        """Take in one letter's result: record it, or keep its problems; False
        when the run stops there (a failure, without ``keep_going``)."""
        rid = entry["id"]
        if rid in self.seen:  # given again after an interruption
            return not self.stop
        self.seen.add(rid)
        if "problems" in entry:
            self.result.failed[rid] = [Problem(**p) for p in entry["problems"]]
            self.feed.abort()  # no combined PDF: a letter is missing
            self.tell("failed", rid)
            self.stop = self.stop or not self.keep_going
            return not self.stop
        for warned in entry.pop("warnings", ()):
            self.result.warnings.append(Problem(**warned))
        entry["input"] = self.hashes[rid]
        self.state[rid] = entry
        self.save()
        self.result.built.append(rid)
        self.feed.done(rid)
        self.tell("built", rid)
        return not self.stop

    def failure(self) -> ValidationError:
        """The first failure of a run stopped by it, each problem naming the recipient."""
        rid, problems = next(iter(self.result.failed.items()))
        return ValidationError(
            [Problem(p.path, p.line, p.col, p.severity, p.code, f"recipient '{rid}': {p.message}")
             for p in problems]
        )  # fmt: skip


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
    report: Report | None = None,
    no_warn: Iterable[str] = (),
    archive: ArchiveChoice = None,
) -> BundleResult:
    """Build every letter of a campaign (or of one shard) into *out_dir*.

    Raises :class:`ValidationError` for a bad campaign, and, unless
    *keep_going*, for the first letter that cannot be built (the letters
    already built stay, recorded in the state file). *limits* bound each
    letter, in every worker process. On ``KeyboardInterrupt`` the letters
    built so far are recorded before it goes on up: run again to finish.
    *report* is told, line by line, what the run deletes or sets aside.
    The campaign's warnings are in the result's ``warnings``, but for the
    codes in *no_warn* (and the base spec's ``warnings: {ignore: [...]}``).
    *archive* overrides the spec's ``archive``: ``"pdfa"``, ``"plain"``, or
    None (as the spec says); a changed setting builds the letters again.
    """
    off = codes(no_warn, "no_warn")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0):
        raise UsageError(
            f"jobs must be a whole number of processes (0 or None: one per CPU), not {jobs!r}"
        )
    if shard is not None and not _is_shard(shard):
        raise UsageError(f"shard must be (k, n), whole numbers with 1 <= k <= n, not {shard!r}")
    if progress is not None and not callable(progress):
        raise UsageError(f"progress must be a function or None, not {type(progress).__name__}")
    if report is not None and not callable(report):
        raise UsageError(f"report must be a function or None, not {type(report).__name__}")
    path_argument(campaign, "the campaign")
    path_argument(out_dir, "out_dir")
    path = Path(campaign)
    warned: list[Problem] = []
    loaded = load_campaign(
        path, allow_outside=allow_outside, limits=limits, problems=warned, archive=archive
    )
    out = _output_folder(loaded, Path(out_dir))
    with folder_locked(out, out_dir):
        _clear_temporary(out)
        result = _build(loaded, path, out, jobs, shard, keep_going, (allow_outside, archive),
                        progress, limits, report)  # fmt: skip
    # The campaign's warnings, then the letters' (each once: an annex's is every letter's).
    result.warnings = silenced(dict.fromkeys(warned + result.warnings), off)
    return result


def _build(
    loaded: Campaign,
    path: Path,
    out: Path,
    jobs: int | None,
    shard: tuple[int, int] | None,
    keep_going: bool,
    how: tuple[bool, ArchiveChoice],
    progress: Progress | None,
    limits: Limits | None,
    report: Report | None,
) -> BundleResult:
    """The letters of a checked campaign built into the locked folder *out*
    (*how*: whether paths may lie outside, the ``archive`` override)."""
    allow_outside, archive = how
    every = [r.id for r in loaded.recipients]
    ids = every if shard is None else [every[i] for i in shard_slice(len(every), *shard)]
    result = BundleResult(out)
    state = _recorded(loaded, out, ids if shard is not None else None, result, report)
    # Every recipient's hash, even in a shard: the campaign's hash covers them all.
    hashes = input_hashes(loaded, every)
    todo = [
        rid for rid in ids if not unchanged(state.get(rid), hashes[rid], out, loaded.filenames[rid])
    ]
    feed = Feed(out, loaded.combined if shard is None else "", ids, state)
    run = _Run(out, path, ids, hashes, state, keep_going, progress, result, feed)
    targets = {rid: str(out / loaded.filenames[rid]) for rid in todo}
    # Never more processes than letters: each one is a full interpreter.
    workers = max(1, min(jobs if jobs else (os.cpu_count() or 1), len(todo)))
    started = int(time.time())  # whole seconds: a file system may keep no finer times
    try:  # from here on, however the run ends, the combined PDF's temporary file goes
        for rid in ids:
            if rid not in todo:
                run.result.skipped.append(rid)
                feed.done(rid)
                run.tell("skipped", rid)
        fonts.register()
        if workers == 1 or len(todo) <= 1:
            for rid in todo:
                if not run.record(render_one(loaded, rid, Path(targets[rid]), limits)):
                    break
        else:
            use_here(loaded, str(path), allow_outside, archive)
            run_parallel(
                str(path), allow_outside, limits, todo, targets, workers, run.record, archive
            )
    except BaseException:
        feed.abort()
        _adopt_written(run, loaded, todo, started)
        _tell(result, report, forget_untrue(loaded, out, state))
        raise
    finally:
        run.save(force=True)
    if run.stop:
        feed.abort()
        _tell(result, report, forget_untrue(loaded, out, state))
        raise run.failure()
    result.letters = [
        LetterResult.from_entry(state[rid])
        for rid in ids
        if rid in state and rid not in result.failed
    ]
    combined = loaded.combined if shard is not None or not result.failed else ""
    writes = "" if shard is not None else combined
    _tell(result, report, forget_earlier_combined(loaded, out, writes, bool(result.failed)))
    made = feed.finish() if combined and shard is None else None  # else aborted, or none
    result.manifest = write_manifest(
        out, result.letters, shard=shard, combined=combined,
        inputs=campaign_hash(loaded, hashes), recipients=len(every),
        failed=[rid for rid in ids if rid in result.failed], made=made,
    )  # fmt: skip
    return result


def _recorded(
    campaign: Campaign,
    out: Path,
    shard_ids: list[str] | None,
    result: BundleResult,
    report: Report | None,
) -> State:
    """What the output folder records of this campaign's letters, once the
    letters it no longer makes are deleted; each note is reported."""
    state = read_state(out, campaign.path, result.notes)
    result.removed = forget_stale(state, campaign, shard_ids, out, result.notes)
    result.notes += [
        f"removed {shown(out / name)}: its recipient is no longer in the campaign, "
        "or its file name changed"
        for name in result.removed
    ]
    if report is not None:
        for line in result.notes:
            report(line)
    return state


def _adopt_written(run: _Run, campaign: Campaign, todo: list[str], started: int) -> None:
    """After a run that ended abruptly (a worker killed with the rest of its
    process group): record the letters this run wrote but never heard of, so
    that a later run can delete them with their recipient. Their input hash is
    left empty: the next run builds them again, and the manifest lists them
    only then."""
    for rid in todo:
        name = campaign.filenames[rid]
        if rid in run.state or rid in run.result.failed:
            continue
        try:
            info = os.lstat(run.out / name)
            if not stat.S_ISREG(info.st_mode) or info.st_mtime < started:
                continue  # not written by this run
            data = (run.out / name).read_bytes()
        except OSError:
            continue
        run.state[rid] = {
            "id": rid, "file": name, "recipient": "", "locale": campaign.get(rid).locale,
            "pages": 0, "letter_pages": 0, "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "input": "",
        }  # fmt: skip


def _tell(result: BundleResult, report: Report | None, notes: list[str]) -> None:
    """Keep *notes* in the result, and report each."""
    result.notes += notes
    for line in notes:
        if report is not None:
            report(line)


def _is_shard(shard: object) -> bool:
    if not isinstance(shard, tuple | list) or len(shard) != 2:
        return False
    k, n = shard
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (k, n))
    return whole and 1 <= k <= n


def campaign_inputs(campaign: Campaign) -> set[Path]:
    """Every file a campaign is read from, resolved: the campaign file, its
    recipients table, the letter spec and what it names (case, signatories,
    templates, logo, annexes) and the files of its fonts folder."""
    paths = [*campaign.letter.inputs, *campaign.inputs]
    folder = campaign.letter.fonts
    if folder is not None and folder.is_dir():
        paths += [p for p in folder.iterdir() if p.is_file()]
    return {p.resolve() for p in paths}


def _output_folder(campaign: Campaign, out: Path) -> Path:
    """Make the output folder ready: created, cleared of the temporary files a
    killed run left, and not the folder of any of the campaign's inputs, nor
    with an output (a letter, the combined PDF, the manifest, the state file)
    that is an input, through a link or otherwise."""
    inputs = campaign_inputs(campaign)
    where = out.resolve()
    if where in inputs or any(p.parent == where for p in inputs):
        raise UsageError(
            f"the output folder {out} holds the campaign's inputs; choose another folder"
        )
    names = [*campaign.filenames.values(), MANIFEST, STATE]
    if campaign.combined:
        names.append(campaign.combined)
    _refuse_inputs([out / name for name in names], inputs)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the output folder {out}: {exc.strerror or exc}") from exc
    return out


def _clear_temporary(out: Path) -> None:
    """Delete the temporary files a killed run left in *out* (locked: no run is
    writing them)."""
    with os.scandir(out) as entries:
        for entry in entries:  # left by a run that was killed mid-write
            if _OUR_TEMP.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _refuse_inputs(targets: list[Path], inputs: set[Path]) -> None:
    """Refuse (:class:`UsageError`) when one of *targets* is one of *inputs*: the
    same path once links are followed, or the same file (a hard link)."""
    files = set()
    for path in inputs:
        try:
            info = os.stat(path)
            files.add((info.st_dev, info.st_ino))
        except OSError:
            continue
    for target in targets:
        same = target.resolve() in inputs
        try:
            info = os.stat(target)
            same = same or (stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino) in files)
        except OSError:
            pass
        if same:
            raise UsageError(
                f"the output {target} is one of the campaign's inputs; choose another "
                "output folder, or another name in the campaign's 'output'"
            )
