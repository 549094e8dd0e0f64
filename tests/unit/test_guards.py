"""Checks that hostile data becomes one clean problem with its code: manifests
with unknown keys, over-wide CSV headers, cyclic or deep letter data, and
problem messages that carry control characters or huge values."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import letterkit
from letterkit import __version__
from letterkit.bundle.build import build_bundle
from letterkit.bundle.lock import LOCK, folder_locked
from letterkit.bundle.merge import merge_manifests
from letterkit.errors import MAX_SHOWN, Problem, UsageError, ValidationError, printable
from letterkit.input import xlsx
from letterkit.input.signatories import SIGNATORY_TABLE
from letterkit.input.sources import Reporter, Source
from letterkit.input.tables import read_rows
from letterkit.typeset import _rl, fonts, user_fonts

from ..test_bundle import _campaign
from ..test_cli import run


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


GEORGIA = Path(__file__).parents[1] / "fonts" / "NotoSerifGeorgian-subset.ttf"


def damaged_glyph_index(data: bytes, at: tuple[int, ...] = (2, 3)) -> bytes:
    """*data* (a TrueType font) with bytes of its ``loca`` table set to 0xFF."""
    out = bytearray(data)
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _sum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"loca":
            for k in at:
                out[offset + k] = 0xFF
    return bytes(out)


def test_a_font_whose_glyph_index_is_damaged_is_refused_when_loaded(tmp_path: Path) -> None:
    good = GEORGIA.read_bytes()
    assert user_fonts.glyph_index_problem(good) is None
    bad = damaged_glyph_index(good)
    assert bad != good
    with pytest.raises(fonts.FontError, match=r"^Bad\.ttf: not a usable TrueType font \(its glyph"):
        user_fonts._parse("LKTestBad", tmp_path / "Bad.ttf", bad)


def test_a_subset_that_cannot_be_made_is_an_error_naming_the_font() -> None:
    def broken(subset: object) -> bytes:
        raise struct.error("unpack requires a buffer of 2 bytes")

    font = SimpleNamespace(face=SimpleNamespace(makeSubset=broken))
    _rl.on_subset_failure(font, lambda exc: fonts.FontError(f"X.ttf: damaged ({exc})"))
    with pytest.raises(fonts.FontError, match=r"X\.ttf: damaged \(unpack requires"):
        font.face.makeSubset([65])


def test_a_csv_header_of_fifty_thousand_columns_is_one_lk105(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "wide.csv"
    # 340,000 characters: under the line cap, so the column cap is what stops it.
    path.write_text(",".join(f"c{i}" for i in range(50_000)) + "\nA\n", encoding="utf-8")
    reporter = Reporter()
    rows = read_rows(path, (Source(tmp_path / "l.yaml", "l.yaml"), (1, 1)), reporter,
                     SIGNATORY_TABLE)  # fmt: skip
    assert rows == []
    assert [(p.code, p.path, p.line, p.col) for p in reporter.problems] == [
        ("LK105", "wide.csv", 1, xlsx.MAX_COLUMNS + 1)
    ]
    assert "the header has 50,000 columns, past 200" in reporter.problems[0].message


def test_a_header_of_two_hundred_columns_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(200)) + "\nA\n", encoding="utf-8")
    reporter = Reporter()
    read_rows(path, (Source(tmp_path / "l.yaml", "l.yaml"), (1, 1)), reporter, SIGNATORY_TABLE)
    assert {p.code for p in reporter.problems} == {"LK103", "LK104"}
    assert len(reporter.problems) == 201


def _letter_data() -> dict[str, Any]:
    return {"template": "appeal-release", "locale": "en-GB", "date": "2018-12-06",
            "case": {"person": {"name": "Jane Doe"}}, "signatories": ["Org A"]}  # fmt: skip


def _deep(levels: int) -> dict[str, Any]:
    top: dict[str, Any] = {}
    inner = top
    for _ in range(levels - 1):
        inner["a"] = {}
        inner = inner["a"]
    return top


def _doubling(levels: int) -> list[Any]:
    shared: list[Any] = []
    for _ in range(levels):
        shared = [shared, shared]
    return shared


@pytest.mark.parametrize(
    ("variables", "path", "message"),
    [("self", "letter.variables", "holds itself (a cycle)"),
     (_deep(2000), "letter.variables.a.a", "nests deeper than 100 levels"),
     ({"k": _doubling(60)}, "letter.variables.k[", "is past 500,000 values")],
    ids=["cycle", "2000 deep", "2**60 shared"],
)  # fmt: skip
def test_letter_data_that_is_cyclic_deep_or_vast_is_lk105_naming_the_field(
    variables: Any, path: str, message: str
) -> None:
    data = _letter_data()
    data["variables"] = data if variables == "self" else variables
    with pytest.raises(ValidationError) as caught:
        letterkit.letter_from_data(data, ".")
    (problem,) = caught.value.problems
    assert (problem.code, problem.path[: len(path)]) == ("LK105", path)
    assert len(problem.path) <= 201
    assert message in problem.message


def test_letter_data_one_hundred_levels_deep_and_shared_parts_are_read() -> None:
    data = _letter_data()
    shared = {"x": "1"}
    data["variables"] = {"deep": _deep(98), "one": shared, "two": shared}
    assert letterkit.letter_from_data(data, ".").variables["two"] == {"x": "1"}


def test_a_problem_prints_control_characters_and_bidi_marks_as_escapes() -> None:
    name = "Evil \x1b[31mRed\x1b]0;TITLE\x07\r\n\x9b \u202eOrg\u2066\u2028"
    problem = Problem("s\x1b.csv", 2, 1, "error", "LK140", f"signatory '{name}' name")
    line = str(problem)
    assert line == (
        "s\\x1b.csv:2:1: error: [LK140] signatory 'Evil \\x1b[31mRed\\x1b]0;TITLE\\x07"
        "\\x0d\\x0a\\x9b \\u202eOrg\\u2066\\u2028' name"
    )
    assert line.isprintable()
    assert printable("Ünïcødé, עברית, ‎ok") == "Ünïcødé, עברית, ‎ok"


def test_a_huge_value_in_a_problem_is_cut_where_printed() -> None:
    problem = Problem("t.md", 1, None, "error", "LK113", "unknown country code '" + "x" * 900_000)
    assert len(str(problem)) < MAX_SHOWN + 40
    assert str(problem).endswith("x…")
    message = problem.as_dict()["message"]
    assert isinstance(message, str)
    assert len(message) == MAX_SHOWN
    assert message.endswith("…")


def test_a_second_bundle_on_a_locked_folder_fails_at_once_touching_nothing(
    tmp_path: Path,
) -> None:
    campaign = _campaign(tmp_path / "c", 2)
    out = tmp_path / "dist"
    out.mkdir()
    left = out / ".letterkit-abcd1234.tmp"  # as a running bundle's file being written
    left.write_bytes(b"half a letter")
    with folder_locked(out, "dist"):
        with pytest.raises(UsageError, match="another letterkit bundle is writing to"):
            build_bundle(campaign, out)
        status, _out, err = run("bundle", str(campaign), "-o", str(out))
    assert status == 2
    assert err == (
        f"letterkit: error: another letterkit bundle is writing to {out}; "
        "wait for it or choose another folder\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [".letterkit-abcd1234.tmp", LOCK]
    assert left.read_bytes() == b"half a letter"


def test_the_lock_is_let_go_and_kept_out_of_the_manifest(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c", 1)
    out = tmp_path / "dist"
    for _ in range(2):
        result = build_bundle(campaign, out, jobs=1)
    assert result.skipped == ["R0000"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert LOCK not in json.dumps(manifest)
    assert result.removed == []
    with folder_locked(out, "dist"):
        pass
