"""What a bundle folder remembers between runs: each letter's input hash and file.

The state file (``.letterkit-state.json``) records, for every letter built,
an input hash covering the letter's data files, template, fonts, recipient
row, file name and the letterkit version, and the size and modification time
of the file written. A rerun skips a letter whose hash is unchanged and whose
file is still the one written, and rebuilds the rest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..input.campaign import Campaign
from ..input.sources import Reporter
from ..pipeline import write_atomically
from ..text.templates import locate_template

STATE = ".letterkit-state.json"

#: Recipient id → what was recorded about its letter (``input``, ``file``, ``bytes``…).
State = dict[str, dict[str, Any]]


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
            if path.suffix.lower() == ".ttf" and path.is_file():  # the fonts used, nothing else
                base.update(f"font {path.name}:{_digest_file(path, cache)}\n".encode())
    templates: dict[str, str] = {}
    out: dict[str, str] = {}
    for rid in ids:
        row = campaign.get(rid)
        if row.locale not in templates:
            localized = replace(letter, recipients=(row.recipient,), locale=row.locale)
            located = locate_template(localized, Reporter(), str(campaign.path))
            templates[row.locale] = _digest_file(located, cache) if located else ""
        h = base.copy()
        h.update(json.dumps(asdict(row.recipient), sort_keys=True, default=str).encode())
        h.update(f"\n{row.locale}\n{campaign.filenames[rid]}\n{templates[row.locale]}".encode())
        out[rid] = h.hexdigest()
    return out


def read_state(out_dir: Path) -> State:
    """The letters recorded in *out_dir* (none when the file is missing, unreadable
    or written by another letterkit version)."""
    try:
        data = json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("letterkit") != __version__:
        return {}
    letters = data.get("letters")
    return letters if isinstance(letters, dict) else {}


def write_state(out_dir: Path, state: State) -> None:
    write_json(out_dir / STATE, {"letterkit": __version__, "letters": state})


def write_json(path: Path, data: Any) -> None:
    """Write *data* as indented UTF-8 JSON, atomically."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_atomically(path, text.encode("utf-8"))


def unchanged(entry: dict[str, Any] | None, digest: str, out_dir: Path) -> bool:
    """Whether a recorded letter is still current: same input hash, same file."""
    if not entry or entry.get("input") != digest:
        return False
    try:
        stat = (out_dir / entry["file"]).stat()
    except (OSError, KeyError, TypeError):
        return False
    return bool(stat.st_size == entry.get("bytes") and stat.st_mtime_ns == entry.get("mtime_ns"))


def forget_stale(state: State, campaign: Campaign, shard_ids: list[str] | None, out: Path) -> None:
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
