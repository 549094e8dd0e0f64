"""Campaign → one PDF per recipient, in parallel, resumable, with ``manifest.json``.

Each letter is rendered exactly as ``letterkit render CAMPAIGN --recipient ID``
would render it, written atomically, and recorded in a state file
(``.letterkit-state.json``) with an input hash covering the letter's data
files, template, fonts, recipient row, file name and the letterkit version.
A rerun skips letters whose input hash is unchanged and whose file is still
the one written (same size and modification time), and rebuilds the rest; a
run killed at any moment leaves only complete PDFs, and the next run finishes
the job.

``--shard K/N`` builds the K-th of N contiguous slices of the recipients, so
CI jobs can share the work; :func:`merge_manifests` joins their manifests in
recipient order and builds the combined PDF once.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Problem, UsageError, ValidationError
from ..input.sources import Reporter
from ..model import Letter
from ..pdf.combine import combine
from ..pipeline import build, write_atomically
from ..text.templates import locate_template
from ..typeset import fonts
from .campaign import Campaign, letter_for, load_campaign

STATE = ".letterkit-state.json"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class LetterResult:
    """One line of ``manifest.json``."""

    id: str
    file: str
    recipient: str
    locale: str
    pages: int
    letter_pages: int
    bytes: int
    sha256: str


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


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` → ``(2, 3)``; raises UsageError for anything else."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard must look like 2/3, not '{text}'") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text}: K must be between 1 and N")
    return k, n


def shard_slice(count: int, k: int, n: int) -> range:
    """The indices of shard *k* of *n*: contiguous, disjoint, together complete."""
    return range(count * (k - 1) // n, count * k // n)


def _digest_file(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        cache[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return cache[path]


def input_hashes(campaign: Campaign, ids: Sequence[str]) -> dict[str, str]:
    """The input hash of each letter: what, if it changes, changes the letter."""
    cache: dict[Path, str] = {}
    base = hashlib.sha256(f"letterkit {__version__}\n".encode())
    letter = campaign.letter
    for path in sorted(set(letter.inputs)):
        base.update(f"{path.name}:{_digest_file(path, cache)}\n".encode())
    if letter.fonts is not None:
        for path in sorted(letter.fonts.iterdir()):
            if path.is_file():
                base.update(f"font {path.name}:{_digest_file(path, cache)}\n".encode())
    templates: dict[str, str] = {}
    out: dict[str, str] = {}
    for rid in ids:
        row = campaign.get(rid)
        if row.locale not in templates:
            located = locate_template(letter_for(campaign, rid), Reporter(), str(campaign.path))
            templates[row.locale] = _digest_file(located, cache) if located else ""
        h = base.copy()
        h.update(json.dumps(asdict(row.recipient), sort_keys=True, default=str).encode())
        h.update(f"\n{row.locale}\n{campaign.filenames[rid]}\n{templates[row.locale]}".encode())
        out[rid] = h.hexdigest()
    return out


# -- worker processes -----------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(path: str, allow_outside: bool) -> None:
    """Load the campaign and register fonts once per worker process (a forked
    worker has both from the parent already)."""
    fonts.register()
    if _WORKER.get("path") != (path, allow_outside):
        _WORKER["campaign"] = load_campaign(path, allow_outside=allow_outside)
        _WORKER["path"] = (path, allow_outside)


def _render_batch(batch: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Render a few recipients' letters (rid, target); return their manifest fields."""
    campaign: Campaign = _WORKER["campaign"]
    return [render_one(campaign, rid, Path(target)) for rid, target in batch]


def render_one(campaign: Campaign, rid: str, target: Path) -> dict[str, Any]:
    """Render one letter and write it atomically (in this process)."""
    letter: Letter = letter_for(campaign, rid)
    try:
        built = build(letter)
    except ValidationError as exc:
        return {"id": rid, "problems": [p.as_dict() for p in exc.problems]}
    write_atomically(target, built.pdf)
    stat = target.stat()
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
        "mtime_ns": stat.st_mtime_ns,
    }


# -- state ------------------------------------------------------------------------------


def _read_state(out_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("letterkit") != __version__:
        return {}
    letters = data.get("letters")
    return letters if isinstance(letters, dict) else {}


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_atomically(path, text.encode("utf-8"))


def _unchanged(entry: dict[str, Any] | None, digest: str, out_dir: Path) -> bool:
    if not entry or entry.get("input") != digest:
        return False
    try:
        stat = (out_dir / entry["file"]).stat()
    except (OSError, KeyError, TypeError):
        return False
    return bool(stat.st_size == entry.get("bytes") and stat.st_mtime_ns == entry.get("mtime_ns"))


def _forget_stale(
    state: dict[str, dict[str, Any]], campaign: Campaign, shard_ids: list[str] | None, out: Path
) -> None:
    """Delete letters this folder holds that the campaign no longer makes: a
    recipient's old file after its name changed, and (in an unsharded run) the
    files of recipients removed from the list. Only files the state says a
    bundle wrote are touched."""
    for rid, entry in list(state.items()):
        if shard_ids is not None and rid not in shard_ids:
            continue
        name = str(entry.get("file", ""))
        wanted = campaign.filenames.get(rid)
        if wanted == name:
            continue
        old = out / name
        if name and old.parent == out and old.is_file():
            old.unlink()
        del state[rid]


def _result(entry: dict[str, Any]) -> LetterResult:
    return LetterResult(**{k: entry[k] for k in LetterResult.__dataclass_fields__})


# -- the build --------------------------------------------------------------------------


def build_bundle(
    campaign: str | Path,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    shard: tuple[int, int] | None = None,
    keep_going: bool = False,
    allow_outside: bool = False,
    progress: Progress | None = None,
) -> BundleResult:
    """Build every letter of a campaign (or of one shard) into *out_dir*.

    Raises :class:`ValidationError` for a bad campaign, and, unless
    *keep_going*, for the first letter that cannot be rendered (the letters
    already built stay, recorded in the state file).
    """
    path = Path(campaign)
    loaded = load_campaign(path, allow_outside=allow_outside)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a run that was killed mid-write
        stale.unlink(missing_ok=True)
    inputs = {p.resolve() for p in loaded.letter.inputs}
    if out.resolve() in inputs or any(p.parent == out.resolve() for p in inputs):
        raise UsageError(f"the output folder {out} holds the letter's inputs; choose another")
    ids = [r.id for r in loaded.recipients]
    if shard is not None:
        ids = [ids[i] for i in shard_slice(len(ids), *shard)]
    hashes = input_hashes(loaded, ids)
    state = _read_state(out)
    _forget_stale(state, loaded, ids if shard is not None else None, out)
    result = BundleResult(out)
    todo = [rid for rid in ids if not _unchanged(state.get(rid), hashes[rid], out)]
    done = 0
    for rid in ids:
        if rid not in todo:
            result.skipped.append(rid)
            done += 1
            if progress:
                progress("skipped", rid, done, len(ids))

    saved = [time.monotonic()]

    def save_state(force: bool = False) -> None:
        # At most once a second: a letter built but not yet recorded when the
        # run is killed is simply built again (to the same bytes) next time.
        if force or time.monotonic() - saved[0] >= 1.0:
            _write_json(out / STATE, {"letterkit": __version__, "letters": state})
            saved[0] = time.monotonic()

    def record(entry: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        rid = entry["id"]
        if "problems" in entry:
            problems = [Problem(**p) for p in entry["problems"]]
            result.failed[rid] = problems
            if progress:
                progress("failed", rid, done, len(ids))
            if not keep_going:
                save_state(force=True)
                raise ValidationError(
                    [Problem(p.path, p.line, p.col, p.severity, p.code, f"recipient '{rid}': {p.message}")
                     for p in problems]
                )  # fmt: skip
            return
        entry["input"] = hashes[rid]
        state[rid] = entry
        save_state()
        result.built.append(rid)
        if progress:
            progress("built", rid, done, len(ids))

    workers = max(1, jobs if jobs else (os.cpu_count() or 1))
    targets = {rid: str(out / loaded.filenames[rid]) for rid in todo}
    fonts.register()
    if workers == 1 or len(todo) <= 1:
        for rid in todo:
            record(render_one(loaded, rid, Path(targets[rid])))
    else:
        # Workers started by fork (Linux before Python 3.14) inherit the fonts
        # and the loaded campaign; others load them in _init_worker.
        _WORKER.update(campaign=loaded, path=(str(path), allow_outside))
        for entry in _parallel(str(path), allow_outside, todo, targets, workers):
            record(entry)
    save_state(force=True)
    result.letters = [
        _result(state[rid]) for rid in ids if rid in state and rid not in result.failed
    ]
    manifest: dict[str, Any] = {
        "letterkit": __version__,
        "letters": [asdict(r) for r in result.letters],
    }
    if shard is not None:
        manifest["shard"] = f"{shard[0]}/{shard[1]}"
        if loaded.combined:
            manifest["combined_file"] = loaded.combined
    elif loaded.combined and not result.failed:
        manifest["combined"] = combine_letters(out, result.letters, loaded.combined)
    result.manifest = out / MANIFEST
    _write_json(result.manifest, manifest)
    return result


def _parallel(
    path: str, allow_outside: bool, todo: Sequence[str], targets: dict[str, str], workers: int
) -> Iterator[dict[str, Any]]:
    """Render *todo* over *workers* processes, yielding results as they finish.

    Letters go to the workers a few at a time: one at a time, passing them to
    and fro would cost a good part of rendering them. Batches shrink as the
    queue does, so that the workers finish together.
    """
    queue = list(todo)
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(path, allow_outside)
    ) as pool:
        pending: set[Future[list[dict[str, Any]]]] = set()
        while queue or pending:
            while queue and len(pending) < workers * 2:
                size = max(1, min(16, len(queue) // (workers * 4)))
                batch, queue = queue[:size], queue[size:]
                pending.add(pool.submit(_render_batch, [(rid, targets[rid]) for rid in batch]))
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield from future.result()


def combine_letters(out: Path, letters: Sequence[LetterResult], name: str) -> dict[str, Any]:
    """Join the letters into *name* in *out*; return its manifest entry."""
    data = combine([(out / r.file, r.id, f"{r.id} – {r.recipient}") for r in letters])
    write_atomically(out / name, data)
    return {
        "file": name,
        "pages": sum(r.pages for r in letters),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def merge_manifests(dirs: Sequence[str | Path], out_dir: str | Path) -> Path:
    """Join shard manifests (all N shards of one campaign) into one in *out_dir*.

    Letters are copied into *out_dir* when they are elsewhere; the combined PDF
    is built when the shards asked for one.
    """
    shards: dict[int, dict[str, Any]] = {}
    total = None
    for d in dirs:
        folder = Path(d)
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{folder / MANIFEST}: not a readable manifest ({exc})") from exc
        if data.get("letterkit") != __version__:
            raise UsageError(
                f"{folder}: built by letterkit {data.get('letterkit')}, not {__version__}"
            )
        k, n = parse_shard(str(data.get("shard", "")))
        if total is not None and n != total:
            raise UsageError(f"{folder}: shard {k}/{n} does not belong with {total} shards")
        total = n
        if k in shards:
            raise UsageError(f"{folder}: shard {k}/{n} given twice")
        data["_dir"] = folder
        shards[k] = data
    if total is None or sorted(shards) != list(range(1, total + 1)):
        raise UsageError(f"shards missing: have {sorted(shards)} of {total}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    letters: list[LetterResult] = []
    seen: set[str] = set()
    for k in sorted(shards):
        for entry in shards[k]["letters"]:
            if entry["id"] in seen:
                raise UsageError(f"recipient {entry['id']} is in two shards")
            seen.add(entry["id"])
            source = shards[k]["_dir"] / entry["file"]
            target = out / entry["file"]
            if source.resolve() != target.resolve():
                write_atomically(target, source.read_bytes())
            letters.append(LetterResult(**entry))
    manifest: dict[str, Any] = {"letterkit": __version__, "letters": [asdict(r) for r in letters]}
    combined = shards[1].get("combined_file")
    if combined:
        manifest["combined"] = combine_letters(out, letters, combined)
    _write_json(out / MANIFEST, manifest)
    return out / MANIFEST
