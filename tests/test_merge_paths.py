"""``manifest merge`` names each shard as it was given: relative to the working
folder, from ``~`` in the home folder, never by a bare ``manifest.json``; and a
whole bundle's folder given as a shard is one line saying what it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli import run
from .test_merge import built, here  # noqa: F401  (fixtures)


def _refused(*argv: str) -> list[str]:
    status, _, err = run("manifest", "merge", *argv, "-o", "merged")
    assert status == 1, err
    assert "Traceback" not in err
    assert not Path("merged").exists()
    return err.strip().splitlines()


def test_a_missing_shard_folder_is_named_as_given(here: Path, tmp_path: Path) -> None:  # noqa: F811
    nowhere = tmp_path / "nowhere"
    lines = _refused("shard-1", str(nowhere))
    assert lines == [
        f"{nowhere}/manifest.json: error: [LK101] is missing; is this a bundle's folder?"
    ]


def test_shards_in_the_home_folder_are_named_from_it(
    here: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    """LK161 and LK162 name the shards and the letter from ``~``, not by the
    home folder's absolute path, when the working folder is elsewhere."""
    monkeypatch.setenv("HOME", str(here))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    lines = _refused(f"{here}/shard-1", f"{here}/shard-2-changed", f"{here}/shard-3")
    assert len(lines) == 1, lines
    assert lines[0].startswith("~/shard-2-changed/manifest.json: error: [LK161] shard 2/3")
    assert "than shard 1/3 (~/shard-1/manifest.json)" in lines[0]
    letter = next((here / "shard-2").glob("*.pdf"))
    letter.write_bytes(letter.read_bytes() + b"%")
    lines = _refused(f"{here}/shard-1", f"{here}/shard-2", f"{here}/shard-3")
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"~/shard-2/{letter.name}: error: [LK162] letter of recipient")
    assert str(here) not in "\n".join(lines)


def test_a_whole_bundle_given_as_a_shard_is_one_line(here: Path) -> None:  # noqa: F811
    manifest = here / "shard-1" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for key in ("shard", "recipients", "combined_file"):
        data.pop(key, None)
    data["combined"] = None
    manifest.write_text(json.dumps(data), encoding="utf-8")
    lines = _refused("shard-1", "shard-2", "shard-3")
    assert lines == [
        "shard-1/manifest.json: error: [LK105] is the manifest of a whole bundle (built "
        "without --shard), which needs no merge; merge the folders of a bundle built with "
        "--shard K/N"
    ]
