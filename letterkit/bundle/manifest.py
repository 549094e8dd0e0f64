"""A bundle's letters → ``manifest.json`` (and the combined PDF); shard manifests → one.

``--shard K/N`` builds the K-th of N contiguous slices of the recipients, so
CI jobs can share the work; :func:`~letterkit.bundle.merge.merge_manifests`
joins their manifests in recipient order and builds the combined PDF once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import UsageError
from ..pdf.combine import CombinedFile, combine
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


def outline_title(letter: LetterResult) -> str:
    """A letter's entry in the combined PDF's outline: ``R07 – Name``."""
    return f"{letter.id} – {letter.recipient}"


def combined_entry(made: CombinedFile) -> dict[str, Any]:
    """The manifest's entry for the combined PDF *made*."""
    return {"file": made.path.name, "pages": made.pages, "bytes": made.bytes, "sha256": made.sha256}


def combine_letters(
    letters: Sequence[LetterResult], target: Path, files: Sequence[Path]
) -> dict[str, Any]:
    """Join the letters (read from *files*, one per letter, in order) into the
    combined PDF *target*, written as it goes and put in place whole; return
    its manifest entry."""
    pairs = zip(letters, files, strict=True)
    return combined_entry(combine([(f, r.id, outline_title(r)) for r, f in pairs], target))


def write_manifest(
    out: Path,
    letters: Sequence[LetterResult],
    *,
    shard: tuple[int, int] | None = None,
    combined: str = "",
    inputs: str = "",
    recipients: int = 0,
    failed: Sequence[str] = (),
    made: dict[str, Any] | None = None,
) -> Path:
    """Write ``manifest.json`` for *letters* in *out*; a shard's names the combined
    file for the merge, an unsharded one builds it.

    *inputs* is the campaign's input hash (the same in every shard of one
    campaign), *failed* the recipients whose letters could not be built; a
    shard also records how many *recipients* the whole campaign has, so that a
    merge can tell a letter missing from it. *made* is the entry of the
    combined PDF written already (as the letters were built)."""
    manifest: dict[str, Any] = {"letterkit": __version__}
    if inputs:
        manifest["inputs"] = inputs
    manifest["letters"] = [asdict(r) for r in letters]
    if failed:
        manifest["failed"] = list(failed)
    if shard is not None:
        manifest["shard"] = f"{shard[0]}/{shard[1]}"
        if inputs:
            manifest["recipients"] = recipients
        if combined:
            manifest["combined_file"] = combined
    elif made is not None:
        manifest["combined"] = made
    elif combined:
        manifest["combined"] = combine_letters(
            letters, out / combined, [out / r.file for r in letters]
        )
    write_json(out / MANIFEST, manifest)
    return out / MANIFEST
