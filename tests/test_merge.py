"""``letterkit manifest merge``: shards of one campaign's inputs, every letter
there and unchanged, or exit 1 with one line per reason and no output folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from letterkit.bundle.build import build_bundle

from .test_bundle import _campaign, _rename
from .test_cli import run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four recipients in three shards (1, 1 and 2 letters) with a combined PDF;
    shard 3 again from a copy of the campaign in another folder, and shard 2
    again after a recipient's name changed (other inputs)."""
    root = tmp_path_factory.mktemp("shards")
    campaign = _campaign(root / "c", 4, combined="all.pdf")
    for k in (1, 2, 3):
        build_bundle(campaign, root / f"shard-{k}", jobs=1, shard=(k, 3))
    # The same inputs in another place, as on another CI machine.
    elsewhere = root / "elsewhere" / "deeper" / "copy"
    shutil.copytree(campaign.parent, elsewhere)
    build_bundle(elsewhere / "campaign.yaml", root / "shard-3-elsewhere", jobs=1, shard=(3, 3))
    _rename(campaign, "Member 1 Example", "Member 1 Changed")
    build_bundle(campaign, root / "shard-2-changed", jobs=1, shard=(2, 3))
    return root


@pytest.fixture
def here(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shards for one test to spoil, as the working folder."""
    shutil.copytree(built, tmp_path / "w")
    monkeypatch.chdir(tmp_path / "w")
    return tmp_path / "w"


def _manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def _merge(*shards: str) -> tuple[int, str]:
    status, _, err = run("manifest", "merge", *shards, "-o", "merged")
    return status, err


def _refused(status: int, err: str, here: Path) -> list[str]:
    """Exit 1, no traceback, no output folder and no temporary folder beside it:
    the lines printed."""
    assert status == 1, err
    assert "Traceback" not in err
    assert not (here / "merged").exists()
    assert not [p.name for p in here.iterdir() if p.name.startswith(".merged")]
    return err.strip().splitlines()


def test_shards_of_one_campaign_merge_and_record_its_input_hash(here: Path) -> None:
    """This test ensures that the shards of one campaign agree on one input hash,
    that the merge keeps it, and that a merge again replaces its own folder."""
    hashes = {_manifest(here / f"shard-{k}")["inputs"] for k in (1, 2, 3)}
    assert len(hashes) == 1
    (inputs,) = hashes
    assert len(inputs) == 64
    assert _manifest(here / "shard-2-changed")["inputs"] != inputs
    assert _manifest(here / "shard-3")["recipients"] == 4
    status, err = _merge("shard-3", "shard-1", "shard-2")
    assert status == 0, err
    merged = _manifest(here / "merged")
    assert merged["inputs"] == inputs
    assert [e["id"] for e in merged["letters"]] == ["R0000", "R0001", "R0002", "R0003"]
    for entry in merged["letters"]:
        data = (here / "merged" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert len(PdfReader(here / "merged" / "all.pdf").pages) == merged["combined"]["pages"]
    before = os.stat(here / "merged").st_ino
    status, err = _merge("shard-1", "shard-2", "shard-3-elsewhere")
    assert status == 0, err
    assert _manifest(here / "merged") == merged
    assert os.stat(here / "merged").st_ino != before, "the folder was not replaced whole"
    assert not [p.name for p in here.iterdir() if p.name.startswith(".merged")]


def test_an_edited_letter_is_refused_naming_it(here: Path) -> None:
    name = _manifest(here / "shard-3")["letters"][1]["file"]
    letter = here / "shard-3" / name
    data = letter.read_bytes()  # its text is compressed: change a byte, keep the size
    letter.write_bytes(data[:10] + b"edit" + data[14:])
    lines = _refused(*_merge("shard-1", "shard-2", "shard-3"), here)
    assert lines == [
        f"shard-3/{name}: error: [LK162] letter of recipient 'R0003' does not match the sha256 "
        "its manifest records: it was changed after the shard was built; build the shard again"
    ]


def test_a_missing_letter_is_refused_naming_it(here: Path) -> None:
    name = _manifest(here / "shard-1")["letters"][0]["file"]
    (here / "shard-1" / name).unlink()
    lines = _refused(*_merge("shard-1", "shard-2", "shard-3"), here)
    assert lines == [
        f"shard-1/{name}: error: [LK162] letter of recipient 'R0000' is missing from its shard "
        "folder; build the shard again"
    ]


def test_shards_of_two_input_versions_are_refused_naming_both(here: Path) -> None:
    lines = _refused(*_merge("shard-1", "shard-2-changed", "shard-3"), here)
    assert lines == [
        "shard-2-changed/manifest.json: error: [LK161] shard 2/3 was built from other inputs "
        "than shard 1/3 (shard-1/manifest.json): another campaign, or changed data, templates, "
        "fonts, annexes or letterkit; build every shard again from the same inputs"
    ]
    # Given first, the odd one out is still the one named.
    lines = _refused(*_merge("shard-2-changed", "shard-3", "shard-1"), here)
    assert [line.split(": error: ")[0] for line in lines] == ["shard-2-changed/manifest.json"]
    assert "than shard 3/3 (shard-3/manifest.json)" in lines[0]


def test_a_missing_shard_is_refused_naming_it(here: Path) -> None:
    lines = _refused(*_merge("shard-1", "shard-3"), here)
    assert len(lines) == 1, lines
    assert "[LK163] shard 2/3 is missing from the merge" in lines[0]
    assert "(given: 1/3 in shard-1, 3/3 in shard-3)" in lines[0]


def test_a_letter_missing_from_a_shard_manifest_is_refused(here: Path) -> None:
    data = _manifest(here / "shard-3")
    del data["letters"][0]
    (here / "shard-3" / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    lines = _refused(*_merge("shard-1", "shard-2", "shard-3"), here)
    assert lines == [
        "shard-3/manifest.json: error: [LK163] lists 1 letters, and shard 3/3 of the "
        "campaign's 4 recipients has 2; build the shard again"
    ]


def test_a_folder_of_other_files_is_not_replaced(here: Path) -> None:
    (here / "merged").mkdir()
    (here / "merged" / "notes.txt").write_text("mine", encoding="utf-8")
    status, err = _merge("shard-1", "shard-2", "shard-3")
    assert status == 1
    assert err.strip().splitlines() == [
        "merged: error: [LK160] holds files no merge wrote there (notes.txt), and a merge "
        "replaces the whole folder; merge into a new or empty folder"
    ]
    assert [p.name for p in (here / "merged").iterdir()] == ["notes.txt"]
    status, _, err = run("manifest", "merge", "shard-1", "shard-2", "shard-3", "-o", "shard-1")
    assert status == 1
    assert "[LK160] is the folder of shard 1/3" in err
    (here / "merged" / "notes.txt").unlink()
    os.chdir(here / "merged")
    status, _, err = run("manifest", "merge", "../shard-1", "../shard-2", "../shard-3", "-o", ".")
    assert status == 1
    assert err == (
        ".: error: [LK160] is the working folder, which a merge replaces whole; run the merge "
        "from another folder\n"
    )
    assert not list((here / "merged").iterdir())


def test_a_letter_that_failed_in_its_shard_is_named_by_the_merge(tmp_path: Path) -> None:
    """This test ensures that a shard built with --keep-going records the
    recipients that failed, and that the merge names them."""
    campaign = _campaign(tmp_path / "c", 2)
    _rename(campaign, "Member 1 Example", "Member 王")
    for k in (1, 2):
        run("bundle", str(campaign), "-o", str(tmp_path / f"s{k}"), "--shard", f"{k}/2",
            "--jobs", "1", "--keep-going", "--quiet")  # fmt: skip
    assert _manifest(tmp_path / "s2")["failed"] == ["R0001"]
    assert _manifest(tmp_path / "s2")["letters"] == []
    out = tmp_path / "merged"
    status, _, err = run("manifest", "merge", str(tmp_path / "s1"), str(tmp_path / "s2"),
                         "-o", str(out))  # fmt: skip
    assert status == 1
    assert [line.split(": error: ")[1] for line in err.strip().splitlines()] == [
        "[LK163] the letter of recipient 'R0001' is missing: it failed to build; fix it and "
        "build shard 2/2 again"
    ]
    assert not out.exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["swapped", "moved aside"])
def test_a_finished_folder_replaces_the_old_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    """This test ensures that the finished folder takes the output's place, the
    old files go, and no temporary folder stays: by one swap where the system
    has it, by moving the old folder aside where it has not."""
    from letterkit.bundle import staging

    if not exchange:
        monkeypatch.setattr(staging, "_exchange", lambda first, second: False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.pdf").write_bytes(b"old")
    with staging.staged(out, "out") as folder:
        (folder / "new.pdf").write_bytes(b"new")
        staging.put_in_place(folder, out)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in out.iterdir()] == ["new.pdf"]
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask

    def interrupted() -> None:
        with staging.staged(out, "out") as folder:
            (folder / "half.pdf").write_bytes(b"half")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in out.iterdir()] == ["new.pdf"]


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [("inputs", "not a hash", "[LK105] 'inputs' must be 64 lower-case hexadecimal digits"),
     ("recipients", -1, "[LK105] 'recipients' must be a whole number of 0 or more"),
     ("failed", "R0000", "[LK105] 'failed' must be a list of recipient ids"),
     ("inputs", None, "[LK104] has no 'inputs'; build the shard again")],
    ids=["inputs not a hash", "recipients negative", "failed not a list", "no inputs"],
)  # fmt: skip
def test_a_shard_manifest_with_a_bad_campaign_field_is_refused(
    here: Path, key: str, value: object, says: str
) -> None:
    data = _manifest(here / "shard-1")
    if value is None:
        del data[key]
    else:
        data[key] = value
    (here / "shard-1" / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    lines = _refused(*_merge("shard-1", "shard-2", "shard-3"), here)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"shard-1/manifest.json: error: {says}")


# Shards are named as given: relative to the working folder, from ~ in the home
# folder, never by a bare manifest.json; a whole bundle given as a shard is one line.


def _refused_here(*argv: str) -> list[str]:
    status, _, err = run("manifest", "merge", *argv, "-o", "merged")
    assert status == 1, err
    assert "Traceback" not in err
    assert not Path("merged").exists()
    return err.strip().splitlines()


def test_a_missing_shard_folder_is_named_as_given(here: Path, tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    lines = _refused_here("shard-1", str(nowhere))
    assert lines == [
        f"{nowhere}/manifest.json: error: [LK101] is missing; is this a bundle's folder?"
    ]


def test_shards_in_the_home_folder_are_named_from_it(
    here: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LK161 and LK162 name the shards and the letter from ``~``, not by the
    home folder's absolute path, when the working folder is elsewhere."""
    monkeypatch.setenv("HOME", str(here))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    lines = _refused_here(f"{here}/shard-1", f"{here}/shard-2-changed", f"{here}/shard-3")
    assert len(lines) == 1, lines
    assert lines[0].startswith("~/shard-2-changed/manifest.json: error: [LK161] shard 2/3")
    assert "than shard 1/3 (~/shard-1/manifest.json)" in lines[0]
    letter = next((here / "shard-2").glob("*.pdf"))
    letter.write_bytes(letter.read_bytes() + b"%")
    lines = _refused_here(f"{here}/shard-1", f"{here}/shard-2", f"{here}/shard-3")
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"~/shard-2/{letter.name}: error: [LK162] letter of recipient")
    assert str(here) not in "\n".join(lines)


def test_a_whole_bundle_given_as_a_shard_is_one_line(here: Path) -> None:
    manifest = here / "shard-1" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for key in ("shard", "recipients", "combined_file"):
        data.pop(key, None)
    data["combined"] = None
    manifest.write_text(json.dumps(data), encoding="utf-8")
    lines = _refused_here("shard-1", "shard-2", "shard-3")
    assert lines == [
        "shard-1/manifest.json: error: [LK105] is the manifest of a whole bundle (built "
        "without --shard), which needs no merge; merge the folders of a bundle built with "
        "--shard K/N"
    ]


def test_the_summary_lines_name_the_combined_pdf_with_its_pages_and_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that the bundle's summary line and the merge's line name
    the combined PDF they wrote, with its page count and size as the manifest
    records them, and that a bundle without one names none."""
    from pypdf import PdfReader

    from letterkit.files import size_text

    from .test_bundle import _campaign
    from .test_cli import run

    monkeypatch.chdir(tmp_path)
    _campaign(tmp_path / "c", 3, combined="all-letters.pdf")
    status, out, err = run("bundle", "c/campaign.yaml", "-o", "dist", "--jobs", "1")
    assert status == 0, err
    combined = tmp_path / "dist" / "all-letters.pdf"
    pages = len(PdfReader(combined).pages)
    said = (
        f"; combined dist/all-letters.pdf ({pages:,} pages, {size_text(combined.stat().st_size)})"
    )
    assert out.splitlines()[-1] == (
        "3 built, 0 unchanged, 0 failed; manifest dist/manifest.json" + said
    )
    for k in (1, 2):
        status, _, err = run("bundle", "c/campaign.yaml", "-o", f"s{k}", "--shard", f"{k}/2",
                             "--jobs", "1", "--quiet")  # fmt: skip
        assert status == 0, err
    status, out, err = run("manifest", "merge", "s1", "s2", "-o", "merged")
    assert status == 0, err
    assert out == f"wrote merged/manifest.json{said.replace('dist/', 'merged/')}\n"
    assert (tmp_path / "merged" / "all-letters.pdf").read_bytes() == combined.read_bytes()
    _campaign(tmp_path / "plain", 2)
    status, out, err = run("bundle", "plain/campaign.yaml", "-o", "d2", "--jobs", "1")
    assert status == 0, err
    assert out.splitlines()[-1] == "2 built, 0 unchanged, 0 failed; manifest d2/manifest.json"
