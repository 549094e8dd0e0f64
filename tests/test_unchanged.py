"""Every example letter, byte for byte: a spec that uses none of the letter-shape
keys renders the same PDF as it did before those keys existed.

The digests are kept per set of versions of the libraries that write the bytes
(ReportLab, pypdf, Pillow), in ``tests/reference/unchanged.json``. Run
``pytest tests/test_unchanged.py --regenerate`` to record them for the
installed versions, and say in the commit why the bytes moved.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import pytest

import letterkit

from .conftest import EXAMPLE, EXAMPLES

DIGESTS = Path(__file__).parent / "reference" / "unchanged.json"
SHAPES = EXAMPLES / "shapes"
#: The example specs that predate the letter-shape keys, and the campaign letter.
SPECS = [
    *sorted(p.name for p in EXAMPLE.glob("appeal.*.yaml")),
    "letter.yaml",
    "letter.ru.yaml",
    "L1-lead-list.yaml",
    "L10-letterhead.yaml",
    "L3-re-then-dateline.yaml",
    "L4-via-email.yaml",
    "L5-four-addressees.yaml",
    "L6-heading-count.yaml",
    "L7-un-council.yaml",
    "L8-numbered.yaml",
]


def _versions() -> str:
    return " ".join(f"{name}=={version(name)}" for name in ("reportlab", "pypdf", "pillow"))


def _render(name: str) -> bytes:
    folder = SHAPES if name.startswith("L") else EXAMPLE
    return letterkit.render(folder / name)


def _campaign_letter() -> bytes:
    from letterkit.bundle.campaign import letter_for

    campaign = letterkit.load_campaign(EXAMPLE / "campaign.yaml")
    return letterkit.render(letter_for(campaign, next(iter(campaign.filenames))))


def test_examples_keep_their_bytes(regenerate: bool) -> None:
    digests = {name: hashlib.sha256(_render(name)).hexdigest() for name in SPECS}
    digests["campaign"] = hashlib.sha256(_campaign_letter()).hexdigest()
    known = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}
    key = _versions()
    if regenerate:
        known[key] = digests
        DIGESTS.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if key in known or any(digests == recorded for recorded in known.values()):
        expected = known.get(key) or digests
        changed = [name for name in digests if expected.get(name) != digests[name]]
        assert not changed, f"these examples no longer render the same bytes: {changed}"
    else:  # new library versions may write other bytes for the same letter
        pytest.skip(f"no digests recorded for {key}; run with --regenerate at a known-good commit")
