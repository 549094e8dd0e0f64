"""Shard folders → one bundle folder: their manifests checked and joined in
recipient order, each letter copied only once its bytes match the sha256 its
manifest records, and the combined PDF built once.

The manifests are read and checked, one by one and as a set, by
:mod:`~letterkit.bundle.shards`. The output folder is built whole in a
temporary folder beside it and renamed into place at the end
(:mod:`~letterkit.bundle.staging`): a merge that fails, for whatever reason,
leaves no output folder, or the previous one untouched. An existing output
folder is replaced only when it holds nothing but what an earlier merge wrote
there (its ``manifest.json`` and the files it names); any other folder that
is not empty is refused.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Problem, ValidationError, path_argument
from .manifest import MANIFEST, LetterResult, combine_letters
from .shards import Shard, problem, read_shards, short, shown
from .staging import foreign_files, put_in_place, staged
from .state import STATE, write_json

__all__ = ["merge_manifests"]


def merge_manifests(dirs: Sequence[str | Path], out_dir: str | Path) -> Path:
    """Join shard manifests (all N shards of one campaign) into one in *out_dir*.

    Every letter is copied into *out_dir*, checked against its sha256 and size
    on the way; the combined PDF is built when the shards asked for one.
    Raises :class:`ValidationError` (and writes nothing) for a manifest that is
    not sound, shards of different inputs (LK161), a letter that is missing or
    does not match its manifest (LK162), a shard or a letter missing from the
    set (LK163), or an output folder holding files no merge wrote (LK160).
    """
    path_argument(out_dir, "out_dir")
    for d in dirs:
        path_argument(d, "a shard folder")
    shards = read_shards(dirs)
    out = Path(out_dir)
    real = Path(os.path.realpath(out))
    plan = _plan(shards, out, real)
    with staged(real, out) as folder:
        problems: list[Problem] = []
        files: list[Path] = []
        for letter, shard in plan:
            target = folder / letter.file
            found = _copy_checked(shard.folder / letter.file, target, letter)
            if found:
                problems.append(found)
            files.append(target)
        if problems:
            raise ValidationError(problems[:20])
        letters = [letter for letter, _ in plan]
        manifest: dict[str, Any] = {"letterkit": __version__, "inputs": shards[0].inputs}
        manifest["letters"] = [asdict(r) for r in letters]
        combined = shards[0].combined
        if combined:
            manifest["combined"] = combine_letters(letters, folder / combined, files)
        write_json(folder / MANIFEST, manifest)
        late = _output_problems(shards, out, real)  # a file put there meanwhile
        if late:
            raise ValidationError(late)
        put_in_place(folder, real)
    return out / MANIFEST


def _plan(shards: list[Shard], out: Path, real: Path) -> list[tuple[LetterResult, Shard]]:
    """Every letter with its shard, in order, once the whole set is known to be
    sound: ids and file names unique, and an output folder the merge may
    replace (absent, empty, or an earlier merge's, and no shard's)."""
    combined = shards[0].combined
    plan: list[tuple[LetterResult, Shard]] = []
    ids: set[str] = set()
    names: dict[str, str] = {MANIFEST.lower(): "", STATE.lower(): ""}
    if combined:
        names[combined.lower()] = ""
    problems = _output_problems(shards, out, real)
    for shard in shards:
        if shard.combined != combined:
            problems.append(problem(shard.manifest, "LK105",
                                    f"'combined_file' differs from shard 1's '{combined}'"))  # fmt: skip
        for letter in shard.letters:
            if letter.id in ids:
                problems.append(problem(shard.manifest, "LK160",
                                        f"recipient '{short(letter.id)}' is in two shards"))  # fmt: skip
            if letter.file.lower() in names:
                problems.append(problem(shard.manifest, "LK160",
                                        f"the file name '{letter.file}' is taken twice"))  # fmt: skip
            ids.add(letter.id)
            names[letter.file.lower()] = letter.id
            plan.append((letter, shard))
    if problems:
        raise ValidationError(problems[:20])
    return plan


def _output_problems(shards: list[Shard], out: Path, real: Path) -> list[Problem]:
    """Why the merge may not put its folder at *out* (seen through links as
    *real*): it is a file, a shard's folder, or holds files no merge wrote."""
    where = shown(out)
    for shard in shards:
        if Path(os.path.realpath(shard.folder)) == real:
            return [problem(where, "LK160", f"is the folder of {shard.name}, which the merge "
                            "reads; merge into another folder")]  # fmt: skip
    if os.path.lexists(real) and not real.is_dir():
        return [problem(where, "LK160", "is a file, not a folder; merge into a folder")]
    try:
        foreign = foreign_files(real)
    except OSError as exc:
        return [problem(where, "LK102", f"cannot be read: {exc.strerror or exc}")]
    if not foreign:
        if real == Path.cwd().resolve():  # replaced, it would leave the process nowhere
            return [problem(where, "LK160", "is the working folder, which a merge replaces "
                            "whole; run the merge from another folder")]  # fmt: skip
        return []
    # Name first the files the merge would write: they are the ones to look at.
    ours = {letter.file for s in shards for letter in s.letters} | {shards[0].combined, MANIFEST}
    foreign.sort(key=lambda name: name not in ours)
    listed = ", ".join(short(name) for name in foreign[:4])
    more = f" and {len(foreign) - 4} more" if len(foreign) > 4 else ""
    return [problem(where, "LK160",
                    f"holds files no merge wrote there ({listed}{more}), and a merge replaces "
                    "the whole folder; merge into a new or empty folder")]  # fmt: skip


def _copy_checked(source: Path, target: Path, letter: LetterResult) -> Problem | None:
    """Copy *source* to *target*, checking its bytes against the letter's sha256
    and size as they pass; return what is wrong, or None."""
    why = _copy(source, target, letter)
    if why is None:
        return None
    code = "LK102" if why.startswith("cannot be read") else "LK162"
    return problem(shown(source), code, f"letter of recipient '{short(letter.id)}' {why}")


def _copy(source: Path, target: Path, letter: LetterResult) -> str | None:
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
            return "is not a regular file; build the shard again"
        os.set_blocking(fd, True)
        with open(target, "xb") as sink:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
                if size > letter.bytes:
                    return (
                        f"is larger than the {letter.bytes} bytes its manifest records: it was "
                        "changed after the shard was built; build the shard again"
                    )
                sink.write(block)
    if digest.hexdigest() != letter.sha256 or size != letter.bytes:
        return (
            "does not match the sha256 its manifest records: it was changed after the "
            "shard was built; build the shard again"
        )
    return None
