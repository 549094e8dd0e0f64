"""An output folder's earlier ``manifest.json`` and combined PDF → deleted once
they no longer describe the letters beside them.

A run that ends normally writes the manifest again; a run that stops before
its end (Ctrl-C, a signal, its first failed letter without ``--keep-going``)
writes none, and an earlier run's manifest and combined PDF would stay,
listing letters that were rebuilt since with other bytes. Both are deleted
then, each with a note; the run that finishes the set writes them again.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..input.campaign import Campaign
from .manifest import MANIFEST
from .shape import RecordError, read_json
from .shards import shown
from .state import State, forget_combined

_FAILED = "it is built again when every letter is"
_STOPPED = "its letters changed and the run stopped before the end; " + _FAILED
_WRITTEN = "it is written again when a run gets to the end"


def forget_earlier_combined(
    campaign: Campaign, out: Path, writes: str, failed: bool, why: str = _FAILED
) -> list[str]:
    """Delete an earlier run's combined PDF that this run does not write again
    (*writes* is the name it writes, "" for none; *failed*: because a letter is
    missing, *why*); the lines to report. Left in place, it would hold letters
    the manifest no longer lists."""
    notes: list[str] = []
    gone = forget_combined(out, writes, set(campaign.filenames.values()), notes)
    if gone:
        if gone != campaign.combined:
            why = "the campaign's output.combined names another file now"
        elif not failed:
            why = "a shard does not build it: 'manifest merge' does"
        notes.append(f"removed {shown(out / gone)}: the combined PDF of an earlier run; {why}")
    return notes


def forget_untrue(campaign: Campaign, out: Path, state: State) -> list[str]:
    """After a run that stopped before its end: delete the earlier manifest
    when a letter it lists is no longer in the folder with the bytes it
    records (rebuilt, removed), and the combined PDF it names with it; the
    lines to report. A manifest still true of every letter it lists stays."""
    try:
        data = read_json(out / MANIFEST)
    except (OSError, RecordError):
        return []  # none, or not one a bundle wrote: left alone
    letters = data.get("letters") if isinstance(data, dict) else None
    if not isinstance(letters, list) or all(_still(line, state) for line in letters):
        return []
    try:  # said, never raised: the run is already ending with its own error
        notes = forget_earlier_combined(campaign, out, "", True, _STOPPED)
    except OSError as exc:
        notes = [f"could not remove the combined PDF of an earlier run: {exc.strerror or exc}"]
    try:
        os.unlink(out / MANIFEST)
    except OSError as exc:
        return [*notes, f"could not remove {shown(out / MANIFEST)}: {exc.strerror or exc}"]
    why = "it lists letters rebuilt or removed since"
    return [*notes, f"removed {shown(out / MANIFEST)}: an earlier run's; {why}; {_WRITTEN}"]


def _still(line: object, state: State) -> bool:
    """Whether a manifest line is true of the letter the state records."""
    if not isinstance(line, dict):
        return False
    entry = state.get(str(line.get("id")))
    return (
        entry is not None
        and entry.get("file") == line.get("file")
        and entry.get("sha256") == line.get("sha256")
    )
