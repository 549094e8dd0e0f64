"""Shard folders → their manifests, checked one by one and as a set.

A shard's manifest is data from disk (a CI artifact, a folder from someone
else): every field is checked for its type, and every file name it gives must
be a plain name. Then the set: every shard built from the same inputs (the
campaign's input hash, LK161), all N shards there, and in each every letter
of its slice of the campaign's recipients (LK163). What is wrong is reported
at once, one line per reason, before anything is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Problem, UsageError, ValidationError
from .manifest import MANIFEST, LetterResult, parse_shard, shard_slice
from .shape import LETTER_FIELDS, RecordError, letter_problem, name_problem, read_json

__all__ = ["Shard", "read_shards", "shown"]

_TOP_KEYS = ("letterkit", "inputs", "letters", "failed", "shard", "recipients", "combined_file")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class Shard:
    """One shard's folder and what its manifest says, checked."""

    def __init__(self, folder: Path, number: int, total: int, data: dict[str, Any]) -> None:
        self.folder, self.number, self.total = folder, number, total
        self.letters = [LetterResult.from_entry(e) for e in data["letters"]]
        self.combined: str = data.get("combined_file") or ""
        self.inputs: str | None = data.get("inputs")
        self.recipients: int | None = data.get("recipients")
        self.failed: list[str] = data.get("failed") or []
        self.manifest = shown(folder / MANIFEST)

    @property
    def name(self) -> str:
        return f"shard {self.number}/{self.total}"


def shown(path: Path) -> str:
    """*path* as a merge's problems name it: as given on the command line, but
    relative to the working folder when inside it, and from ``~`` when in the
    home folder (a line safe to paste, whatever the shell expanded)."""
    absolute = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(".")), Path.cwd().resolve()):
        if absolute.is_relative_to(base):
            return absolute.relative_to(base).as_posix() or "."
    home = Path(os.path.abspath(os.path.expanduser("~")))
    if home != Path("/") and absolute.is_relative_to(home):
        return "~/" + absolute.relative_to(home).as_posix()
    return str(path)


def problem(where: str, code: str, message: str) -> Problem:
    """An error line about *where*, with no line or column."""
    return Problem(where, None, None, "error", code, message)


def short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def read_shards(dirs: Sequence[str | Path]) -> list[Shard]:
    """The manifests of all N shards of one campaign, in shard order; a
    :class:`ValidationError` naming every shard or letter that is missing or
    of other inputs."""
    if not dirs:
        raise UsageError("name the folders of the shards to merge")
    given: list[Shard] = []
    for d in dirs:
        shard = _read_shard(Path(d))
        if any((s.number, s.total) == (shard.number, shard.total) for s in given):
            raise UsageError(f"{d}: {shard.name} given twice")
        given.append(shard)
    problems = _foreign(given) or _incomplete(given)
    if problems:
        raise ValidationError(problems[:20])
    return sorted(given, key=lambda s: s.number)


def _foreign(shards: list[Shard]) -> list[Problem]:
    """A line for each shard without a campaign input hash, or of other inputs
    than the first shard given (LK161: both named)."""
    missing = [
        problem(s.manifest, "LK104", f"has no '{key}'; build the shard again with letterkit "
                f"{__version__}")
        for s in shards for key in ("inputs", "recipients") if getattr(s, key) is None
    ]  # fmt: skip
    if missing:
        return missing
    # The shard the others are compared with: the first of the most common inputs,
    # so that the odd one out is named, whatever the order the folders came in.
    hashes = [s.inputs for s in shards]
    first = next(s for s in shards if s.inputs == max(hashes, key=hashes.count))
    return [
        problem(s.manifest, "LK161",
                f"{s.name} was built from other inputs than {first.name} ({first.manifest}): "
                "another campaign, or changed data, templates, fonts, annexes or letterkit; "
                "build every shard again from the same inputs")
        for s in shards if s.inputs != first.inputs
    ]  # fmt: skip


def _incomplete(shards: list[Shard]) -> list[Problem]:
    """A line for each shard of another count, each shard missing from the set,
    and each letter missing from its shard (LK163)."""
    first = shards[0]
    problems = [
        problem(s.manifest, "LK163",
                f"{s.name} is one of {s.total} shards, and {first.name} ({first.manifest}) "
                f"one of {first.total}; merge the shards of one run")
        for s in shards[1:] if s.total != first.total
    ]  # fmt: skip
    if problems:
        return problems
    have = {s.number for s in shards}
    given = ", ".join(f"{s.number}/{s.total} in {shown(s.folder)}" for s in shards)
    problems = [
        problem(first.manifest, "LK163",
                f"shard {k}/{first.total} is missing from the merge (given: {given}); "
                f"name the folders of all {first.total} shards")
        for k in range(1, first.total + 1) if k not in have
    ]  # fmt: skip
    for s in shards:
        problems += [
            problem(s.manifest, "LK163",
                    f"the letter of recipient '{short(rid)}' is missing: it failed to build; "
                    f"fix it and build {s.name} again")
            for rid in s.failed
        ]  # fmt: skip
        expected = len(shard_slice(s.recipients or 0, s.number, s.total))
        if len(s.letters) + len(s.failed) != expected:
            problems.append(problem(
                s.manifest, "LK163",
                f"lists {len(s.letters)} letters, and {s.name} of the campaign's {s.recipients} "
                f"recipients has {expected}; build the shard again",
            ))  # fmt: skip
    return problems


def _read_shard(folder: Path) -> Shard:
    """The manifest of one shard folder, every field checked (:class:`ValidationError`)."""
    where = shown(folder / MANIFEST)
    try:
        data = read_json(folder / MANIFEST)
    except FileNotFoundError:
        raise ValidationError(
            [problem(where, "LK101", "is missing; is this a bundle's folder?")]
        ) from None
    except RecordError as exc:
        raise ValidationError([problem(where, "LK102", f"{exc}; build the shard again")]) from None
    if not isinstance(data, dict):
        raise ValidationError([problem(where, "LK102", "is not a manifest: it must be a mapping")])
    if data.get("letterkit") != __version__:
        raise UsageError(
            f"{folder}: built by letterkit {str(data.get('letterkit'))[:40]}, not {__version__}"
        )
    if "shard" not in data and isinstance(data.get("letters"), list):
        raise ValidationError([problem(
            where, "LK105",
            "is the manifest of a whole bundle (built without --shard), which needs no merge; "
            "merge the folders of a bundle built with --shard K/N",
        )])  # fmt: skip
    problems = [
        problem(where, "LK103", f"unknown key '{short(str(key))}'; a shard's manifest has "
                "only " + ", ".join(f"'{k}'" for k in _TOP_KEYS))
        for key in list(data)[:20] if key not in _TOP_KEYS
    ]  # fmt: skip
    shard = data.get("shard")
    try:
        k, n = parse_shard(shard) if isinstance(shard, str) else parse_shard("")
    except UsageError:
        k = n = 0
        problems.append(problem(where, "LK105", "'shard' must be text like \"2/3\"; "
                                "merge the manifests of a bundle built with --shard"))  # fmt: skip
    problems += _campaign_fields(data, where)
    combined = data.get("combined_file", "")
    why = name_problem(combined, pdf=False) if combined != "" else None
    if why:
        code = "LK107" if isinstance(combined, str) else "LK105"
        problems.append(problem(where, code, f"'combined_file' {why}"))
    letters = data.get("letters")
    if not isinstance(letters, list):
        problems.append(problem(where, "LK105", "'letters' must be a list of letters"))
        letters = []
    for i, entry in enumerate(letters):
        why = letter_problem(entry)
        extra = [k for k in entry if k not in LETTER_FIELDS] if isinstance(entry, dict) else []
        if extra:
            problems.append(problem(where, "LK103", f"letters[{i}] has the unknown key "
                                    f"'{short(str(extra[0]))}'; rebuild the shard"))  # fmt: skip
        if why:
            file = entry.get("file") if isinstance(entry, dict) else None
            code = "LK107" if why.startswith("'file'") and isinstance(file, str) else "LK105"
            problems.append(problem(where, code, f"letters[{i}] {why}"))
        if len(problems) >= 20:
            break
    if problems:
        raise ValidationError(problems)
    return Shard(folder, k, n, data)


def _campaign_fields(data: dict[str, Any], where: str) -> list[Problem]:
    """What is wrong with the fields that tie a shard to its campaign: its input
    hash, its number of recipients, the recipients whose letters failed."""
    problems = []
    inputs = data.get("inputs")
    if inputs is not None and not (isinstance(inputs, str) and _SHA256.fullmatch(inputs)):
        problems.append(problem(where, "LK105", "'inputs' must be 64 lower-case hexadecimal "
                                "digits; build the shard again"))  # fmt: skip
    count = data.get("recipients")
    if count is not None and not (
        isinstance(count, int) and not isinstance(count, bool) and 0 <= count < 2**53
    ):
        problems.append(problem(where, "LK105", "'recipients' must be a whole number of 0 or "
                                "more; build the shard again"))  # fmt: skip
    failed = data.get("failed", [])
    if not isinstance(failed, list) or not all(isinstance(r, str) for r in failed):
        problems.append(problem(where, "LK105", "'failed' must be a list of recipient ids; "
                                "build the shard again"))  # fmt: skip
    return problems
