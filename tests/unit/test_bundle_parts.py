"""The bundle's parts alone: shards, the state file, the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from letterkit import UsageError, __version__
from letterkit.bundle.manifest import (
    MANIFEST,
    LetterResult,
    parse_shard,
    shard_slice,
    write_manifest,
)
from letterkit.bundle.state import STATE, read_state, unchanged, write_state


def test_shard_text_and_slices() -> None:
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "two/3", "2"):
        with pytest.raises(UsageError):
            parse_shard(bad)
    slices = [list(shard_slice(7, k, 3)) for k in (1, 2, 3)]
    assert [i for part in slices for i in part] == list(range(7))


def test_state_of_another_version_is_ignored(tmp_path: Path) -> None:
    """This test ensures that a folder written by another letterkit version is
    rebuilt, not trusted."""
    write_state(tmp_path, {"R1": {"file": "r1.pdf"}})
    assert read_state(tmp_path) == {"R1": {"file": "r1.pdf"}}
    data = json.loads((tmp_path / STATE).read_text(encoding="utf-8"))
    data["letterkit"] = "0.0.0-other"
    (tmp_path / STATE).write_text(json.dumps(data), encoding="utf-8")
    assert read_state(tmp_path) == {}
    (tmp_path / STATE).write_text("{not json", encoding="utf-8")
    assert read_state(tmp_path) == {}


def test_a_letter_is_unchanged_only_with_its_hash_and_its_file(tmp_path: Path) -> None:
    pdf = tmp_path / "r1.pdf"
    pdf.write_bytes(b"%PDF-1.4 letter")
    stat = pdf.stat()
    entry = {"input": "h1", "file": "r1.pdf", "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    assert unchanged(entry, "h1", tmp_path)
    assert not unchanged(entry, "h2", tmp_path)  # an input changed
    assert not unchanged(None, "h1", tmp_path)
    pdf.write_bytes(b"%PDF-1.4 edited by hand")
    assert not unchanged(entry, "h1", tmp_path)  # the file is not the one written
    pdf.unlink()
    assert not unchanged(entry, "h1", tmp_path)


def test_shard_manifest_names_the_combined_file_and_builds_nothing(tmp_path: Path) -> None:
    letter = LetterResult("R1", "r1.pdf", "Minister", "en-GB", 2, 1, 100, "ab" * 32)
    path = write_manifest(tmp_path, [letter], shard=(1, 2), combined="all.pdf")
    assert path == tmp_path / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {
        "letterkit": __version__,
        "letters": [
            {"id": "R1", "file": "r1.pdf", "recipient": "Minister", "locale": "en-GB",
             "pages": 2, "letter_pages": 1, "bytes": 100, "sha256": "ab" * 32}
        ],
        "shard": "1/2",
        "combined_file": "all.pdf",
    }  # fmt: skip
    assert not (tmp_path / "all.pdf").exists()
