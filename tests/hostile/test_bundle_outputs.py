"""Hostile bundle folders and shard manifests: outputs stay outputs.

A bundle writes nothing over the campaign's inputs, deletes only its own
temporary files and the letters its own state recorded for this campaign,
and rebuilds a letter whose bytes changed; ``manifest merge`` reads and writes
only inside its folders, checks each manifest and letter, and writes nothing
when one is wrong. Each case runs in its own bounded process (see
``harness``), and the tree around the output folder is hashed before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from letterkit.bundle.build import build_bundle

from ..test_bundle import _campaign
from .harness import Outcome, assert_clean_end, letterkit, tree_digest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A three-recipient campaign with a combined PDF, built whole and in two shards."""
    root = tmp_path_factory.mktemp("built")
    campaign = _campaign(root / "c", 3, combined="all.pdf")
    build_bundle(campaign, root / "dist", jobs=1)
    for k in (1, 2):
        build_bundle(campaign, root / f"shard-{k}", jobs=1, shard=(k, 2))
    return root


@pytest.fixture
def here(built: Path, tmp_path: Path) -> Path:
    """A copy of the built campaign and its folders, for one case to spoil."""
    shutil.copytree(built, tmp_path / "w", symlinks=True)
    return tmp_path / "w"


def _refused(result: Outcome, says: str) -> None:
    """A usage refusal (exit 2) with one clear line, within time and memory."""
    assert "Traceback" not in result.err, result.err[-3000:]
    assert result.status == 2, f"exit {result.status}: {result.err[-3000:]}"
    assert says in result.err, result.err[-3000:]


def _manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def _spoil(folder: Path, change: Any) -> None:
    data = _manifest(folder)
    change(data)
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def _merge(here: Path, out: str = "merged") -> Outcome:
    return letterkit(["manifest", "merge", "shard-1", "shard-2", "-o", out], here)


def _merged_nothing(here: Path, before: dict[str, str]) -> None:
    assert tree_digest(here, skip=("merged",)) == before
    assert not (here / "merged").exists() or not list((here / "merged").iterdir())


# -- outputs that are inputs -------------------------------------------------


def test_combined_named_like_the_recipients_file_in_the_campaign_folder(here: Path) -> None:
    campaign = here / "c" / "campaign.yaml"
    campaign.write_text(
        campaign.read_text(encoding="utf-8").replace("all.pdf", "recipients.csv"), "utf-8"
    )
    before = tree_digest(here)
    result = letterkit(["bundle", "campaign.yaml", "-o", "."], here / "c")
    assert "Traceback" not in result.err, result.err[-3000:]
    assert result.status == 1, result.err[
        -3000:
    ]  # not a PDF's name: refused as the campaign is read
    assert "[LK160] output.combined 'recipients.csv' does not end in .pdf" in result.err
    assert tree_digest(here) == before


def test_manifest_linked_to_an_input_is_refused(here: Path) -> None:
    """The output folder's manifest.json is a link to the campaign's case file:
    the bundle refuses before it writes or deletes anything."""
    os.unlink(here / "dist" / "manifest.json")
    os.symlink(here / "c" / "case.yaml", here / "dist" / "manifest.json")
    (here / "dist" / ".letterkit-abcdefgh.tmp").write_text("half a letter")
    before = tree_digest(here)
    result = letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here)
    _refused(result, "is one of the campaign's inputs")
    assert tree_digest(here) == before


def test_letter_hard_linked_to_a_letter_spec_is_refused(here: Path) -> None:
    name = _manifest(here / "dist")["letters"][0]["file"]
    os.unlink(here / "dist" / name)
    os.link(here / "c" / "letter.yaml", here / "dist" / name)
    before = tree_digest(here)
    _refused(letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here), "campaign's inputs")
    assert tree_digest(here) == before


# -- what a bundle deletes -----------------------------------------------------


def test_a_foreign_state_file_is_never_followed(here: Path) -> None:
    """A state file from elsewhere names a file outside the folder, an absolute
    path, and letters of another campaign: nothing it names is deleted."""
    (here / "victim.pdf").write_bytes(b"%PDF-1.4 mine")
    (here / "dist" / "theirs.pdf").write_bytes(b"%PDF-1.4 theirs")
    state_path = here / "dist" / ".letterkit-state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    entry = next(iter(state["letters"].values()))
    sha = hashlib.sha256(b"%PDF-1.4 mine").hexdigest()
    gone = {"R9001": "../victim.pdf", "R9002": str(here / "victim.pdf"), "R9003": "theirs.pdf"}
    for rid, name in gone.items():
        state["letters"][rid] = {**entry, "id": rid, "file": name, "sha256": sha}
    state_path.write_text(json.dumps(state), encoding="utf-8")
    before = tree_digest(here, skip=("dist",))
    result = letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here)
    assert_clean_end(result, "ok")
    assert "path separator" in result.err
    assert (here / "dist" / "theirs.pdf").read_bytes() == b"%PDF-1.4 theirs"
    assert tree_digest(here, skip=("dist",)) == before
    # Another campaign's state: set aside whole, with a note; its letters stay.
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["campaign"] = "/elsewhere/campaign.yaml"
    state["letters"]["R9003"] = {**entry, "id": "R9003", "file": "theirs.pdf",
                                 "sha256": hashlib.sha256(b"%PDF-1.4 theirs").hexdigest()}  # fmt: skip
    state_path.write_text(json.dumps(state), encoding="utf-8")
    result = letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here)
    assert_clean_end(result, "ok")
    assert "another campaign" in result.err
    assert "3 built, 0 unchanged" in result.out
    assert (here / "dist" / "theirs.pdf").read_bytes() == b"%PDF-1.4 theirs"
    assert tree_digest(here, skip=("dist",)) == before


def test_only_letterkit_temporary_files_are_removed(here: Path) -> None:
    dist = here / "dist"
    ours = dist / ".letterkit-k3j_9x0q.tmp"
    ours.write_bytes(b"half a letter")
    kept = {".foo.tmp": b"notes", ".letterkit-mine.tmp": b"mine", ".R0000.pdf.x.tmp": b"x"}
    for name, data in kept.items():
        (dist / name).write_bytes(data)
    os.symlink(here / "c" / "case.yaml", dist / ".letterkit-abcdefgh.tmp")
    before = tree_digest(here, skip=("dist",))
    result = letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here)
    assert_clean_end(result, "ok")
    assert not ours.exists()
    for name, data in kept.items():
        assert (dist / name).read_bytes() == data
    assert os.readlink(dist / ".letterkit-abcdefgh.tmp") == str(here / "c" / "case.yaml")
    assert tree_digest(here, skip=("dist",)) == before


def test_a_removed_recipient_is_deleted_and_said(here: Path) -> None:
    recipients = here / "c" / "recipients.csv"
    lines = recipients.read_text(encoding="utf-8").splitlines(keepends=True)
    recipients.write_text("".join(lines[:-1]), encoding="utf-8")
    gone = _manifest(here / "dist")["letters"][-1]["file"]
    before = tree_digest(here, skip=("dist",))
    result = letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here)
    assert_clean_end(result, "ok")
    assert f"letterkit: removed dist/{gone}" in result.err
    assert not (here / "dist" / gone).exists()
    assert tree_digest(here, skip=("dist",)) == before


# -- resume --------------------------------------------------------------------


def test_a_tampered_letter_is_rebuilt_on_resume(here: Path) -> None:
    """A letter edited in place, to the same size and with its time set back,
    is rebuilt to the bytes its checksum records."""
    dist = here / "dist"
    entry = _manifest(dist)["letters"][1]
    letter = dist / entry["file"]
    data, info = letter.read_bytes(), letter.stat()
    letter.write_bytes(data[:10] + b"edit" + data[14:])  # its text is compressed
    assert letter.read_bytes() != data
    assert letter.stat().st_size == info.st_size
    os.utime(letter, ns=(info.st_atime_ns, info.st_mtime_ns))
    before = tree_digest(here, skip=("dist",))
    result = letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here)
    assert_clean_end(result, "ok")
    assert "1 built, 2 unchanged" in result.out
    assert hashlib.sha256(letter.read_bytes()).hexdigest() == entry["sha256"]
    assert tree_digest(here, skip=("dist",)) == before


@pytest.mark.parametrize(
    "text",
    [b'{"letterkit": "0', b"\x00\xff" * 100, b"[" * 200_000, b"{}"],
    ids=["truncated", "binary", "deep", "empty mapping"],
)
def test_a_corrupt_state_file_means_a_full_rebuild(here: Path, text: bytes) -> None:
    (here / "dist" / ".letterkit-state.json").write_bytes(text)
    before = tree_digest(here, skip=("dist",))
    result = letterkit(["bundle", "c/campaign.yaml", "-o", "dist"], here)
    assert_clean_end(result, "ok")
    assert ".letterkit-state.json" in result.err
    assert "built again" in result.err
    assert "3 built, 0 unchanged" in result.out
    assert tree_digest(here, skip=("dist",)) == before
    state = json.loads((here / "dist" / ".letterkit-state.json").read_text(encoding="utf-8"))
    assert set(state["letters"]) == {"R0000", "R0001", "R0002"}


# -- manifest merge ------------------------------------------------------------


def test_merge_joins_sound_shards_to_the_whole(here: Path) -> None:
    before = tree_digest(here, skip=("merged",))
    assert_clean_end(_merge(here), "ok")
    assert _manifest(here / "merged") == _manifest(here / "dist")
    assert (here / "merged" / "all.pdf").read_bytes() == (here / "dist" / "all.pdf").read_bytes()
    assert tree_digest(here, skip=("merged",)) == before
    assert_clean_end(_merge(here), "ok")  # again, over its own files


@pytest.mark.parametrize(
    ("name", "combined"),
    [("../c/recipients.csv", False), ("../victim.pdf", False), ("ABSOLUTE", False),
     ("../c/recipients.csv", True), ("ABSOLUTE", True), ("sub/x.pdf", False)],
    ids=["up to an input", "up out", "absolute", "combined up", "combined absolute", "a folder"],
)  # fmt: skip
def test_merge_refuses_names_that_leave_the_folders(here: Path, name: str, combined: bool) -> None:
    (here / "victim.pdf").write_bytes(b"%PDF-1.4 mine")
    name = str(here / "victim.pdf") if name == "ABSOLUTE" else name

    def change(data: dict[str, Any]) -> None:
        if combined:
            data["combined_file"] = name
        else:
            data["letters"][0]["file"] = name

    _spoil(here / "shard-1", change)
    before = tree_digest(here, skip=("merged",))
    result = _merge(here)
    assert_clean_end(result, "LK107", "shard-1/manifest.json")
    assert "combined_file" in result.err if combined else "letters[0] 'file'" in result.err
    _merged_nothing(here, before)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda d: d.update(letters="all of them"), "LK105", "'letters'"),
        (lambda d: d["letters"][0].update(pages="2"), "LK105", "letters[0] 'pages'"),
        (lambda d: d["letters"][0].pop("sha256"), "LK105", "letters[0] has no 'sha256'"),
        (lambda d: d["letters"].append(None), "LK105", "letters[1] must be a mapping"),
        (lambda d: d["letters"][0].update(id=["R0000"]), "LK105", "letters[0] 'id'"),
        (lambda d: d["letters"][0].update(bytes=-1), "LK105", "letters[0] 'bytes'"),
        (lambda d: d.update(shard=2), "LK105", "'shard'"),
        (lambda d: d.update(combined_file=7), "LK105", "'combined_file'"),
    ],
    ids=["letters text", "pages text", "no sha256", "a null letter", "id a list",
         "negative bytes", "shard a number", "combined a number"],
)  # fmt: skip
def test_merge_refuses_a_malformed_manifest(here: Path, change: Any, code: str, field: str) -> None:
    _spoil(here / "shard-1", change)
    before = tree_digest(here, skip=("merged",))
    result = _merge(here)
    assert_clean_end(result, code, "shard-1/manifest.json")
    assert field in result.err
    _merged_nothing(here, before)


@pytest.mark.parametrize(
    "text", [b'{"letterkit": "0', b"[" * 200_000, b"[1, 2]"], ids=["truncated", "deep", "a list"]
)
def test_merge_refuses_a_manifest_that_is_not_json(here: Path, text: bytes) -> None:
    (here / "shard-2" / "manifest.json").write_bytes(text)
    before = tree_digest(here, skip=("merged",))
    assert_clean_end(_merge(here), "LK102", "shard-2/manifest.json")
    _merged_nothing(here, before)


def test_merge_refuses_a_letter_that_does_not_match_its_checksum(here: Path) -> None:
    """The second shard's last letter was changed after its manifest was written:
    nothing is written, not even the first shard's sound letters."""
    name = _manifest(here / "shard-2")["letters"][-1]["file"]
    data = (here / "shard-2" / name).read_bytes()
    (here / "shard-2" / name).write_bytes(data[:10] + b"edit" + data[14:])  # same size
    before = tree_digest(here, skip=("merged",))
    result = _merge(here)
    assert_clean_end(result, "LK162", f"shard-2/{name}")
    assert "sha256" in result.err
    _merged_nothing(here, before)


def test_merge_refuses_a_missing_letter_or_a_link_out(here: Path) -> None:
    first = _manifest(here / "shard-1")["letters"][0]["file"]
    os.unlink(here / "shard-1" / first)
    os.symlink(here / "dist" / first, here / "shard-1" / first)
    last = _manifest(here / "shard-2")["letters"][-1]["file"]
    os.unlink(here / "shard-2" / last)
    before = tree_digest(here, skip=("merged",))
    result = _merge(here)
    assert_clean_end(result, "LK162", f"shard-1/{first}")
    assert "symbolic link" in result.err
    assert [line.split(": ")[0] for line in result.problem_lines("LK162")] == [
        f"shard-1/{first}", f"shard-2/{last}"
    ]  # fmt: skip
    _merged_nothing(here, before)


def test_merge_into_a_folder_of_other_files_replaces_none(here: Path) -> None:
    """Merged into the campaign's own folder with a letter named like the
    recipients file and the combined PDF like the letter spec: refused."""

    def change(data: dict[str, Any]) -> None:
        data["letters"][0]["file"] = "recipients.csv.pdf"
        data["combined_file"] = "letter.yaml"

    _spoil(here / "shard-1", change)
    (here / "c" / "recipients.csv.pdf").write_bytes(b"%PDF-1.4 mine")
    before = tree_digest(here)
    result = letterkit(["manifest", "merge", "../shard-1", "../shard-2", "-o", "."], here / "c")
    assert_clean_end(result, "LK160", ".")
    assert "no merge wrote there (letter.yaml, recipients.csv.pdf," in result.err
    assert tree_digest(here) == before
