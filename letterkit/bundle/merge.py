"""Shard folders → one bundle folder: their manifests checked and joined in
recipient order, each letter copied only once its bytes match the sha256 its
manifest records, and the combined PDF built once.

A shard's manifest is data from disk (a CI artifact, a folder from someone
else): every field is checked for its type, and every file name it gives must
be a plain name inside its shard folder, and inside the output folder, before
anything is written. Letters are copied to temporary names and renamed only
when every one has been copied and checked, so a merge that fails leaves the
output folder as it found it. A file already in the output folder is replaced
only when the manifest there (an earlier merge or bundle) names it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Problem, UsageError, ValidationError
from ..input.sources import display_path
from ..pipeline import TEMP_PREFIX, TEMP_SUFFIX, write_atomically
from .manifest import MANIFEST, LetterResult, combine_letters, parse_shard
from .shape import LETTER_FIELDS, RecordError, letter_problem, name_problem, read_json
from .state import STATE, write_json

__all__ = ["merge_manifests"]


class _Shard:
    """One shard's folder and what its manifest says, checked."""

    def __init__(self, folder: Path, number: int, total: int, data: dict[str, Any]) -> None:
        self.folder, self.number, self.total = folder, number, total
        self.letters = [LetterResult.from_entry(e) for e in data["letters"]]
        self.combined: str = data.get("combined_file") or ""
        self.manifest = display_path(folder / MANIFEST)


_TOP_KEYS = ("letterkit", "letters", "shard", "combined_file")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _problem(where: str, code: str, message: str) -> Problem:
    return Problem(where, None, None, "error", code, message)


def _read_shard(folder: Path) -> _Shard:
    """The manifest of one shard folder, every field checked (:class:`ValidationError`)."""
    where = display_path(folder / MANIFEST)
    try:
        data = read_json(folder / MANIFEST)
    except FileNotFoundError:
        raise ValidationError(
            [_problem(where, "LK101", "is missing; is this a bundle's folder?")]
        ) from None
    except RecordError as exc:
        raise ValidationError([_problem(where, "LK102", f"{exc}; build the shard again")]) from None
    if not isinstance(data, dict):
        raise ValidationError([_problem(where, "LK102", "is not a manifest: it must be a mapping")])
    if data.get("letterkit") != __version__:
        raise UsageError(
            f"{folder}: built by letterkit {str(data.get('letterkit'))[:40]}, not {__version__}"
        )
    problems = [
        _problem(where, "LK103", f"unknown key '{_short(str(key))}'; a shard's manifest has "
                 "only " + ", ".join(f"'{k}'" for k in _TOP_KEYS))
        for key in list(data)[:20] if key not in _TOP_KEYS
    ]  # fmt: skip
    shard = data.get("shard")
    try:
        k, n = parse_shard(shard) if isinstance(shard, str) else parse_shard("")
    except UsageError:
        k = n = 0
        problems.append(_problem(where, "LK105", "'shard' must be text like \"2/3\"; "
                                 "merge the manifests of a bundle built with --shard"))  # fmt: skip
    combined = data.get("combined_file", "")
    why = name_problem(combined, pdf=False) if combined != "" else None
    if why:
        code = "LK107" if isinstance(combined, str) else "LK105"
        problems.append(_problem(where, code, f"'combined_file' {why}"))
    letters = data.get("letters")
    if not isinstance(letters, list):
        problems.append(_problem(where, "LK105", "'letters' must be a list of letters"))
        letters = []
    for i, entry in enumerate(letters):
        why = letter_problem(entry)
        extra = [k for k in entry if k not in LETTER_FIELDS] if isinstance(entry, dict) else []
        if extra:
            problems.append(_problem(where, "LK103", f"letters[{i}] has the unknown key "
                                     f"'{_short(str(extra[0]))}'; rebuild the shard"))  # fmt: skip
        if why:
            file = entry.get("file") if isinstance(entry, dict) else None
            code = "LK107" if why.startswith("'file'") and isinstance(file, str) else "LK105"
            problems.append(_problem(where, code, f"letters[{i}] {why}"))
        if len(problems) >= 20:
            break
    if problems:
        raise ValidationError(problems)
    return _Shard(folder, k, n, data)


def _read_shards(dirs: Sequence[str | Path]) -> list[_Shard]:
    """The manifests of all N shards of one campaign, in shard order."""
    shards: dict[int, _Shard] = {}
    total = None
    for d in dirs:
        shard = _read_shard(Path(d))
        k, n = shard.number, shard.total
        if total is not None and n != total:
            raise UsageError(f"{d}: shard {k}/{n} does not belong with {total} shards")
        total = n
        if k in shards:
            raise UsageError(f"{d}: shard {k}/{n} given twice")
        shards[k] = shard
    if total is None or sorted(shards) != list(range(1, total + 1)):
        raise UsageError(f"shards missing: have {sorted(shards)} of {total}")
    return [shards[k] for k in sorted(shards)]


def _owned(out: Path) -> set[str]:
    """The files a bundle or merge wrote into *out*, as its manifest says (none
    when there is no manifest); a ``manifest.json`` that is not letterkit's is
    a :class:`ValidationError`: a merge would replace it."""
    try:
        data = read_json(out / MANIFEST)
    except FileNotFoundError:
        return set()
    except RecordError:
        data = None
    if not isinstance(data, dict) or "letterkit" not in data:
        raise ValidationError([_problem(
            display_path(out / MANIFEST), "LK160",
            "is not a letterkit manifest, and a merge would replace it; merge into another folder",
        )])  # fmt: skip
    names = {MANIFEST, STATE}
    for entry in data.get("letters") or []:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            names.add(entry["file"])
    for key in ("combined", "combined_file"):
        value = data.get(key)
        value = value.get("file") if isinstance(value, dict) else value
        if isinstance(value, str):
            names.add(value)
    return names


def _plan(shards: list[_Shard], out: Path) -> list[tuple[LetterResult, _Shard]]:
    """Every letter with its shard, in order, once the whole set is known to be
    sound: ids and file names unique, and no file of the output folder replaced
    that no bundle or merge wrote there."""
    owned = _owned(out)
    combined = shards[0].combined
    plan: list[tuple[LetterResult, _Shard]] = []
    ids: set[str] = set()
    names: dict[str, str] = {MANIFEST.lower(): "", STATE.lower(): ""}
    if combined:
        names[combined.lower()] = ""
    problems: list[Problem] = []
    for shard in shards:
        if shard.combined != combined:
            problems.append(_problem(shard.manifest, "LK105",
                                     f"'combined_file' differs from shard 1's '{combined}'"))  # fmt: skip
        for letter in shard.letters:
            if letter.id in ids:
                problems.append(_problem(shard.manifest, "LK160",
                                         f"recipient '{letter.id}' is in two shards"))  # fmt: skip
            if letter.file.lower() in names:
                problems.append(_problem(shard.manifest, "LK160",
                                         f"the file name '{letter.file}' is taken twice"))  # fmt: skip
            ids.add(letter.id)
            names[letter.file.lower()] = letter.id
            target = out / letter.file
            if (
                os.path.lexists(target)
                and letter.file not in owned
                and not _same(shard, letter, out)
            ):
                problems.append(_problem(display_path(target), "LK160",
                    "is already in the output folder, and no bundle or merge wrote it there; "
                    "merge into an empty folder"))  # fmt: skip
            plan.append((letter, shard))
    if combined and os.path.lexists(out / combined) and combined not in owned:
        problems.append(_problem(display_path(out / combined), "LK160",
            "is already in the output folder, and no bundle or merge wrote it there; "
            "merge into an empty folder"))  # fmt: skip
    if problems:
        raise ValidationError(problems[:20])
    return plan


def _shown(path: Path) -> str:
    """*path* as a problem names it, relative to the working folder when inside
    it, a link at its end named, not followed."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _same(shard: _Shard, letter: LetterResult, out: Path) -> bool:
    """Whether the letter's target is its source (the output folder is its shard's)."""
    return os.path.realpath(shard.folder / letter.file) == os.path.realpath(out / letter.file)


def _copy_checked(source: Path, target: Path | None, letter: LetterResult) -> Problem | None:
    """Copy *source* to *target* (or only read it, when *target* is None),
    checking its bytes against the letter's sha256 and size as they pass;
    return what is wrong, or None."""
    why = _copy(source, target, letter)
    if why is None:
        return None
    code = "LK101" if why.startswith("is missing") else "LK102"
    return _problem(_shown(source), code, f"letter of recipient '{letter.id}' {why}")


def _copy(source: Path, target: Path | None, letter: LetterResult) -> str | None:
    try:
        if stat.S_ISLNK(os.lstat(source).st_mode):
            return "is a symbolic link, and a bundle writes none; build the shard again"
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return "is missing from its shard folder; build the shard again"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "is not a regular file"
        os.set_blocking(fd, True)
        with open(target, "wb") if target is not None else _Discard() as sink:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
                if size > letter.bytes:
                    return f"is larger than the {letter.bytes} bytes its manifest records"
                sink.write(block)
    if digest.hexdigest() != letter.sha256 or size != letter.bytes:
        return "does not match the sha256 its manifest records; build the shard again"
    return None


class _Discard:
    def __enter__(self) -> _Discard:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def write(self, data: bytes) -> None:
        return None


def merge_manifests(dirs: Sequence[str | Path], out_dir: str | Path) -> Path:
    """Join shard manifests (all N shards of one campaign) into one in *out_dir*.

    Letters are copied into *out_dir* when they are elsewhere, each checked
    against its sha256; the combined PDF is built when the shards asked for
    one. Raises :class:`ValidationError` (nothing written) for a manifest that
    is not sound or a letter that does not match it.
    """
    shards = _read_shards(dirs)
    out = Path(out_dir)
    plan = _plan(shards, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the output folder {out}: {exc.strerror or exc}") from exc
    staged: dict[str, Path] = {}
    try:
        problems: list[Problem] = []
        files: list[Path] = []
        for letter, shard in plan:
            source = shard.folder / letter.file
            target = None
            if not _same(shard, letter, out):
                fd, name = tempfile.mkstemp(dir=out, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
                os.close(fd)
                target = staged[letter.file] = Path(name)
            problem = _copy_checked(source, target, letter)
            if problem:
                problems.append(problem)
            files.append(target or source)
        if problems:
            raise ValidationError(problems[:20])
        letters = [letter for letter, _ in plan]
        manifest: dict[str, Any] = {
            "letterkit": __version__,
            "letters": [asdict(r) for r in letters],
        }
        combined = shards[0].combined
        data = b""
        if combined:
            data, manifest["combined"] = combine_letters(letters, combined, files)
        for name, tmp in staged.items():
            os.chmod(tmp, 0o644)
            os.replace(tmp, out / name)
        staged.clear()
        if combined:
            write_atomically(out / combined, data)
        write_json(out / MANIFEST, manifest)
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
    return out / MANIFEST
