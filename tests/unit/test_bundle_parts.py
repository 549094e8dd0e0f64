"""The bundle's parts alone: shards, the state file, the manifest."""

from __future__ import annotations

import json
import os
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


def _entry(
    rid: str = "R1", file: str = "r1.pdf", data: bytes = b"%PDF-1.4 letter"
) -> dict[str, object]:
    import hashlib

    return {"id": rid, "file": file, "recipient": "Minister", "locale": "en-GB", "pages": 1,
            "letter_pages": 1, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "input": "h1"}  # fmt: skip


def test_state_of_another_version_is_ignored(tmp_path: Path) -> None:
    """This test ensures that a folder written by another letterkit version is
    rebuilt, not trusted, and that a state file that is not JSON is set aside
    with a note rather than a traceback."""
    campaign = tmp_path / "campaign.yaml"
    notes: list[str] = []
    write_state(tmp_path, {"R1": _entry()}, campaign)
    assert read_state(tmp_path, campaign, notes) == {"R1": _entry()}
    data = json.loads((tmp_path / STATE).read_text(encoding="utf-8"))
    data["letterkit"] = "0.0.0-other"
    (tmp_path / STATE).write_text(json.dumps(data), encoding="utf-8")
    assert read_state(tmp_path, campaign, notes) == {}
    assert notes == []
    (tmp_path / STATE).write_text("{not json", encoding="utf-8")
    assert read_state(tmp_path, campaign, notes) == {}
    assert len(notes) == 1
    assert "is not valid JSON" in notes[0]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"letterkit": "V", "campaign": "C", "letters": {"R1": ', "not valid JSON"),
        ("[1, 2]", "is not a state file"),
        ('{"letterkit": "V", "campaign": "C", "letters": []}', "is not a state file"),
        ("[" * 100_000, "nested too deeply"),
        ("\xff\xfe", "not valid JSON"),
        ("[" + "{}," * 1_600_000 + "{}]", "more than 3,000,000 values"),
    ],
    ids=["truncated", "a list", "letters a list", "deep", "not UTF-8", "a million mappings"],
)
def test_a_corrupt_state_file_is_set_aside_with_a_note(
    tmp_path: Path, text: str, says: str
) -> None:
    campaign = tmp_path / "campaign.yaml"
    text = text.replace('"V"', json.dumps(__version__)).replace('"C"', json.dumps("campaign.yaml"))
    (tmp_path / STATE).write_bytes(text.encode("latin-1"))
    notes: list[str] = []
    assert read_state(tmp_path, campaign, notes) == {}
    assert len(notes) == 1
    assert says in notes[0]


def test_state_lines_that_name_files_outside_or_lack_fields_are_dropped(tmp_path: Path) -> None:
    """This test ensures that a state line whose file is ``../x.pdf``, absolute,
    hidden or of the wrong type is dropped with one note, and the sound lines kept."""
    campaign = tmp_path / "campaign.yaml"
    letters = {
        "R1": _entry(),
        "R2": _entry("R2", "../outside.pdf"),
        "R3": _entry("R3", "/etc/passwd.pdf"),
        "R4": {**_entry("R4"), "sha256": 5},
        "R5": _entry("R6"),
    }
    write_state(tmp_path, letters, campaign)  # type: ignore[arg-type]
    notes: list[str] = []
    assert read_state(tmp_path, campaign, notes) == {"R1": _entry()}
    assert len(notes) == 1
    assert "(and 3 more)" in notes[0]
    assert "path separator" in notes[0]


def test_a_state_file_of_another_campaign_is_not_used(tmp_path: Path) -> None:
    write_state(tmp_path, {"R1": _entry()}, tmp_path / "a" / "campaign.yaml")
    notes: list[str] = []
    assert read_state(tmp_path, tmp_path / "b" / "campaign.yaml", notes) == {}
    assert "another campaign" in notes[0]


def test_a_letter_is_unchanged_only_with_its_hash_and_its_bytes(tmp_path: Path) -> None:
    """This test ensures that resume trusts the content hash, not size and time:
    a letter edited to the same size, with its time set back, is rebuilt."""
    pdf = tmp_path / "r1.pdf"
    pdf.write_bytes(b"%PDF-1.4 letter")
    entry = _entry()
    assert unchanged(entry, "h1", tmp_path, "r1.pdf")
    assert not unchanged(entry, "h2", tmp_path, "r1.pdf")  # an input changed
    assert not unchanged(entry, "h1", tmp_path, "r2.pdf")  # its name changed
    assert not unchanged(None, "h1", tmp_path, "r1.pdf")
    stat = pdf.stat()
    pdf.write_bytes(b"%PDF-1.4 LETTER")  # same size
    os.utime(pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not unchanged(entry, "h1", tmp_path, "r1.pdf")  # the file is not the one written
    pdf.unlink()
    os.symlink(tmp_path / "elsewhere.pdf", pdf)
    (tmp_path / "elsewhere.pdf").write_bytes(b"%PDF-1.4 letter")
    assert not unchanged(entry, "h1", tmp_path, "r1.pdf")  # a link is not a letter written


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
