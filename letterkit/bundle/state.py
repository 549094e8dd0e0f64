"""What a bundle folder remembers between runs: each letter's input hash and file.

The state file (``.letterkit-state.json``) records, for every letter built,
an input hash covering the letter's data files, template, fonts, recipient
row, file name and the letterkit version, and the sha256 of the file written.
A rerun skips a letter whose hash is unchanged and whose file still holds
those bytes, and rebuilds the rest. The state names the campaign it belongs
to: a state file of another campaign (or one that is not a state file at all)
is set aside with a note, never followed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..input.campaign import Campaign
from ..input.sources import Reporter, display_path
from ..model import Letter, part_letter
from ..pipeline import write_atomically
from ..text.templates import locate_template
from ..validate import FONT_SUFFIXES
from .shape import RecordError, letter_problem, name_problem, read_json, sha256_matches

STATE = ".letterkit-state.json"

#: Recipient id → what was recorded about its letter (``input``, ``file``, ``bytes``…).
State = dict[str, dict[str, Any]]


def _digest_file(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        cache[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return cache[path]


def _template_digest(letter: Letter, display: str, cache: dict[Path, str]) -> str:
    """The digest of the template a letter is merged from; of each part's
    template, one after the other, for a letter in several languages."""
    versions = [part_letter(letter, i) for i in range(len(letter.parts))] or [letter]
    digests = []
    for version in versions:
        located = locate_template(version, Reporter(), display)
        digests.append(_digest_file(located, cache) if located else "")
    return " ".join(digests)


def input_hashes(campaign: Campaign, ids: Sequence[str]) -> dict[str, str]:
    """The input hash of each letter: what, if it changes, changes the letter."""
    cache: dict[Path, str] = {}
    base = hashlib.sha256(f"letterkit {__version__}\n".encode())
    letter = campaign.letter
    for path in sorted(set(letter.inputs)):
        base.update(f"{path.name}:{_digest_file(path, cache)}\n".encode())
    if letter.archive is not None:  # also when asked on the command line, not in a file
        base.update(f"archive {letter.archive}\n".encode())
    if letter.fonts is not None:
        for path in sorted(letter.fonts.iterdir()):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():  # the fonts used
                base.update(f"font {path.name}:{_digest_file(path, cache)}\n".encode())
    templates: dict[str, str] = {}
    out: dict[str, str] = {}
    for rid in ids:
        row = campaign.get(rid)
        if row.locale not in templates:
            localized = replace(letter, recipients=(row.recipient,), locale=row.locale)
            templates[row.locale] = _template_digest(localized, str(campaign.path), cache)
        h = base.copy()
        h.update(json.dumps(asdict(row.recipient), sort_keys=True, default=str).encode())
        h.update(f"\n{row.locale}\n{campaign.filenames[rid]}\n{templates[row.locale]}".encode())
        out[rid] = h.hexdigest()
    return out


def campaign_hash(campaign: Campaign, hashes: dict[str, str]) -> str:
    """One hash of everything a campaign's letters are made from: the campaign
    file and its recipients table, then each recipient's id and letter input
    hash (*hashes*, of every recipient, from :func:`input_hashes`: data,
    template, fonts, annexes, the letterkit version) in recipient order. No
    path and no time goes in, so shards built on different machines agree."""
    total = hashlib.sha256(f"letterkit {__version__}\n".encode())
    cache: dict[Path, str] = {}
    for path in campaign.inputs:
        total.update(f"{path.name}:{_digest_file(path, cache)}\n".encode())
    for row in campaign.recipients:
        total.update(f"{row.id}:{hashes[row.id]}\n".encode())
    return total.hexdigest()


def read_state(out_dir: Path, campaign: Path, notes: list[str]) -> State:
    """The letters recorded in *out_dir* for *campaign*: none when the file is
    missing or written by another letterkit version; none, with a note, when
    it is unreadable, not a state file, or another campaign's. A line that is
    not a letter this campaign could have written is dropped, with a note."""
    path = out_dir / STATE
    try:
        data = read_json(path)
    except FileNotFoundError:
        return {}
    except RecordError as exc:
        notes.append(f"{display_path(path)} {exc}; every letter is built again")
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("letters"), dict):
        notes.append(f"{display_path(path)} is not a state file; every letter is built again")
        return {}
    if data.get("letterkit") != __version__:
        return {}
    if data.get("campaign") != campaign_id(campaign, out_dir):
        notes.append(
            f"{display_path(path)} records the letters of another campaign; they are "
            "neither reused nor deleted, and every letter is built again"
        )
        return {}
    state: State = {}
    bad: list[str] = []
    for rid, entry in data["letters"].items():
        problem = letter_problem(entry)
        if problem is None and not (entry["id"] == rid and isinstance(entry.get("input"), str)):
            problem = "does not match its recipient"
        if problem is None:
            state[rid] = entry
        else:
            bad.append(f"the line of recipient '{_short(rid)}' {problem}")
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        notes.append(
            f"{display_path(path)}: {bad[0]}{more}; such lines are ignored and their "
            "letters built again"
        )
    return state


def campaign_id(campaign: Path, out_dir: Path) -> str:
    """What a state file records of the campaign it belongs to: where the
    campaign file is seen from the output folder, links resolved (so that the
    two can be moved together, and a CI cache restored in another place)."""
    return Path(os.path.relpath(campaign.resolve(), out_dir.resolve())).as_posix()


def write_state(out_dir: Path, state: State, campaign: Path) -> None:
    write_json(
        out_dir / STATE,
        {"letterkit": __version__, "campaign": campaign_id(campaign, out_dir), "letters": state},
    )


def write_json(path: Path, data: Any) -> None:
    """Write *data* as indented UTF-8 JSON, atomically."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_atomically(path, text.encode("utf-8"))


def unchanged(entry: dict[str, Any] | None, digest: str, out_dir: Path, name: str) -> bool:
    """Whether a recorded letter is still current: same input hash, same file
    name, and the file holds the very bytes written (its sha256)."""
    if not entry or entry.get("input") != digest or entry.get("file") != name:
        return False
    return sha256_matches(out_dir / name, str(entry.get("sha256")))


def forget_stale(
    state: State, campaign: Campaign, shard_ids: list[str] | None, out: Path, notes: list[str]
) -> list[str]:
    """Delete letters this folder holds that the campaign no longer makes: a
    recipient's old file after its name changed, and (in an unsharded run) the
    files of recipients removed from the list; return their names.

    Only files this campaign's state says a bundle wrote are touched, and only
    while they still hold the bytes written: a file changed since is left,
    with a note."""
    removed: list[str] = []
    wanted = set(campaign.filenames.values())
    for rid, entry in list(state.items()):
        if shard_ids is not None and rid not in shard_ids:
            continue
        name = entry["file"]
        if campaign.filenames.get(rid) == name:
            continue
        del state[rid]
        old = out / name
        if name in wanted or not os.path.lexists(old):
            continue
        if sha256_matches(old, entry["sha256"]):
            old.unlink()
            removed.append(name)
        else:
            notes.append(
                f"{display_path(old)} was a letter of recipient '{_short(rid)}', who is no "
                "longer in the campaign, but it has changed since; it is left as it is"
            )
    return removed


def forget_combined(out: Path, keep: str, wanted: set[str], notes: list[str]) -> str | None:
    """Delete the combined PDF an earlier run's ``manifest.json`` in *out* names,
    when this run does not write it again (*keep* is the name it writes, ""
    for none: a letter failed, or a shard); return its name, or None.

    As with letters, it is deleted only while it holds the bytes the manifest
    recorded, and never when it is now one of the *wanted* letters' names."""
    try:
        data = read_json(out / "manifest.json")
    except (FileNotFoundError, RecordError):
        return None
    entry = data.get("combined") if isinstance(data, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
        return None
    name = entry.get("file")
    if name_problem(name) is not None or name == keep or name in wanted:
        return None
    assert isinstance(name, str)
    old = out / name
    if not os.path.lexists(old):
        return None
    if not sha256_matches(old, entry["sha256"]):
        notes.append(
            f"{display_path(old)} was the combined PDF of an earlier run, but it has changed "
            "since; it is left as it is"
        )
        return None
    old.unlink()
    return name


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"
