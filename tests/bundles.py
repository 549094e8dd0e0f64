"""Bundles the tests build: through the command line, and each letter checked
against ``render CAMPAIGN --recipient ID``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .test_cli import run


def manifest_letters(out: Path) -> list[dict[str, Any]]:
    """The letters a bundle in *out* lists in its manifest, in recipient order."""
    letters: list[dict[str, Any]] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))[
        "letters"
    ]
    return letters


def bundled(campaign: Path, out: Path, jobs: int = 2) -> list[dict[str, Any]]:
    """``letterkit bundle CAMPAIGN -o OUT``, which must succeed: the manifest's letters."""
    status, _, err = run("bundle", str(campaign), "-o", str(out), "--jobs", str(jobs), "--quiet")
    assert status == 0, err
    return manifest_letters(out)


def rendered_alone(campaign: Path, entry: dict[str, Any], folder: Path) -> bytes:
    """``letterkit render CAMPAIGN --recipient ID`` for a manifest *entry*: the
    bytes, which must be the bundle's very bytes."""
    single = folder / f"{entry['id']}-alone.pdf"
    status, _, err = run("render", str(campaign), "--recipient", entry["id"], "-o", str(single))
    assert status == 0, err
    data = single.read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    return data
