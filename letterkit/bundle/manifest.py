"""A bundle's letters → ``manifest.json`` (and the combined PDF); shard manifests → one.

``--shard K/N`` builds the K-th of N contiguous slices of the recipients, so
CI jobs can share the work; :func:`merge_manifests` joins their manifests in
recipient order and builds the combined PDF once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import UsageError
from ..pdf.combine import combine
from ..pipeline import write_atomically
from .state import write_json

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

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> LetterResult:
        """The manifest line of a state entry (which records more)."""
        return cls(**{k: entry[k] for k in cls.__dataclass_fields__})


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


def write_manifest(
    out: Path,
    letters: Sequence[LetterResult],
    *,
    shard: tuple[int, int] | None = None,
    combined: str = "",
) -> Path:
    """Write ``manifest.json`` for *letters* in *out*; a shard's names the combined
    file for the merge, an unsharded one builds it."""
    manifest: dict[str, Any] = {
        "letterkit": __version__,
        "letters": [asdict(r) for r in letters],
    }
    if shard is not None:
        manifest["shard"] = f"{shard[0]}/{shard[1]}"
        if combined:
            manifest["combined_file"] = combined
    elif combined:
        manifest["combined"] = combine_letters(out, letters, combined)
    write_json(out / MANIFEST, manifest)
    return out / MANIFEST


def _read_shards(dirs: Sequence[str | Path]) -> dict[int, dict[str, Any]]:
    """The manifests of all N shards of one campaign, by shard number."""
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
    return shards


def merge_manifests(dirs: Sequence[str | Path], out_dir: str | Path) -> Path:
    """Join shard manifests (all N shards of one campaign) into one in *out_dir*.

    Letters are copied into *out_dir* when they are elsewhere; the combined PDF
    is built when the shards asked for one.
    """
    shards = _read_shards(dirs)
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
    return write_manifest(out, letters, combined=str(shards[1].get("combined_file") or ""))
