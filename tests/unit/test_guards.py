"""Checks that hostile data becomes one clean problem with its code: manifests
with unknown keys, over-wide CSV headers, cyclic or deep letter data, and
problem messages that carry control characters or huge values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from letterkit import __version__
from letterkit.bundle.merge import merge_manifests
from letterkit.errors import ValidationError


def _shard(folder: Path, letter_extra: dict[str, object], top_extra: dict[str, object]) -> Path:
    folder.mkdir()
    entry: dict[str, object] = {
        "id": "a", "file": "a.pdf", "recipient": "A", "locale": "en",
        "pages": 1, "letter_pages": 1, "bytes": 3, "sha256": "0" * 64,
    }  # fmt: skip
    entry.update(letter_extra)
    data = {"letterkit": __version__, "shard": "1/1", "letters": [entry], **top_extra}
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("letter_extra", "top_extra", "field"),
    [({"evil": 1}, {}, "letters[0] has the unknown key 'evil'"),
     ({}, {"evil": [1]}, "unknown key 'evil'")],
)  # fmt: skip
def test_a_manifest_with_an_unknown_key_is_lk103_naming_it(
    tmp_path: Path, letter_extra: dict[str, object], top_extra: dict[str, object], field: str
) -> None:
    shard = _shard(tmp_path / "s1", letter_extra, top_extra)
    with pytest.raises(ValidationError) as caught:
        merge_manifests([shard], tmp_path / "out")
    (problem,) = caught.value.problems
    assert problem.code == "LK103"
    assert "manifest.json" in problem.path
    assert field in problem.message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
