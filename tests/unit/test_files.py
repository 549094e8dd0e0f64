"""The gate every input file passes: a regular file, links resolved, a size cap per kind.

A FIFO must be refused by its name: opening one waits for a writer, so each
call that meets one runs in a thread the test waits for a few seconds only.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from letterkit import files
from letterkit.files import CAPS, Refused, open_bounded, read_bounded, regular_file

from ..conftest import within as _within

T = TypeVar("T")


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(b"person: {name: X}\n")
    assert read_bounded(path, "case") == b"person: {name: X}\n"
    assert regular_file(path, "case").st_size == 18
    with open_bounded(path, "case") as stream:
        stream.seek(8)
        assert stream.read() == b"{name: X}\n"


@pytest.mark.parametrize("call", [regular_file, read_bounded, open_bounded])
def test_a_fifo_is_refused_by_its_name_without_being_opened(
    tmp_path: Path, call: Callable[[Path, files.Kind], object]
) -> None:
    fifo = tmp_path / "signatories.csv"
    os.mkfifo(fifo)
    with pytest.raises(Refused) as info:
        _within(5, lambda: call(fifo, "table"))
    assert info.value.code == "LK102"
    assert info.value.reason.startswith("is a FIFO (a named pipe), not a regular file")
    assert info.value.path == fifo
    with pytest.raises(OSError, match="No such device"):  # no reader has it open
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)


def test_other_special_files_are_refused_by_kind(tmp_path: Path) -> None:
    sock = tmp_path / "s.csv"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock))
        with pytest.raises(Refused, match="is a socket"):
            read_bounded(sock, "table")
    finally:
        server.close()
    with pytest.raises(Refused, match="is a device, not a regular file: give a file"):
        read_bounded(Path("/dev/zero"), "font")
    with pytest.raises(Refused, match="is a folder, not a file"):
        read_bounded(tmp_path, "case")


def test_a_link_to_a_device_is_refused_like_the_device(tmp_path: Path) -> None:
    (tmp_path / "Font.ttf").symlink_to("/dev/zero")
    with pytest.raises(Refused, match="is a device"):
        _within(5, lambda: read_bounded(tmp_path / "Font.ttf", "font"))
    with pytest.raises(Refused) as info:
        read_bounded(tmp_path / "Font.ttf", "font", root=tmp_path)
    assert info.value.code == "LK107"


def test_a_link_loop_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    for call in (files.real_path, lambda p: regular_file(p, "case")):
        with pytest.raises(Refused) as info:
            call(tmp_path / "a.yaml")
        assert info.value.code == "LK102"
        assert "loops back on itself" in info.value.reason


def test_a_link_out_of_the_root_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fonts").mkdir()
    (tmp_path / "outside.ttf").write_bytes(b"\0\1\0\0")
    (tmp_path / "fonts" / "in.ttf").symlink_to(tmp_path / "outside.ttf")
    assert read_bounded(tmp_path / "fonts" / "in.ttf", "font") == b"\0\1\0\0"
    with pytest.raises(Refused) as info:
        read_bounded(tmp_path / "fonts" / "in.ttf", "font", root=tmp_path / "fonts")
    assert info.value.code == "LK107"
    assert "leads outside the folder" in info.value.reason


def test_a_missing_file_is_lk101(tmp_path: Path) -> None:
    with pytest.raises(Refused) as info:
        regular_file(tmp_path / "nothing.csv", "table")
    assert info.value.code == "LK101"


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    """A sparse file of 3 GB takes no disk: it is refused by its size alone."""
    path = tmp_path / "signatories.csv"
    with path.open("wb") as handle:
        handle.truncate(3_100_000_000)
    with pytest.raises(Refused) as info:
        read_bounded(path, "table")
    assert (info.value.code, info.value.reason) == (
        "LK102",
        "is 3.1 GB; the limit for tables is 50 MB",
    )
    path.write_bytes(b"x" * (CAPS["template"] + 1))
    with pytest.raises(Refused, match=r"is 1,000,001 bytes; the limit for templates is 1 MB"):
        read_bounded(path, "template")


def test_a_file_larger_than_its_size_says_stops_at_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``/proc`` files say they hold 0 bytes; the read stops at the cap all the same."""
    maps = Path("/proc/self/maps")
    if not maps.exists() or maps.stat().st_size != 0:
        pytest.skip("needs Linux's /proc")
    monkeypatch.setitem(CAPS, "case", 100)
    with pytest.raises(Refused, match="is more than 100 bytes; the limit for case files"):
        read_bounded(maps, "case")
    with open_bounded(maps, "case") as stream, pytest.raises(Refused):
        stream.read()


def test_a_stream_yields_nothing_past_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(bytes(range(50)))
    monkeypatch.setitem(CAPS, "table", 50)
    with open_bounded(path, "table") as stream:
        assert stream.read() == bytes(range(50))
        stream.seek(45)
        assert stream.read() == bytes(range(45, 50))
    with open_bounded(path, "table") as stream:
        monkeypatch.setitem(CAPS, "table", 49)  # as if the file grew past the cap once opened
        with pytest.raises(Refused, match="is more than 49 bytes; the limit for tables is 49"):
            stream.read()


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (999, "999 bytes"),
        (1_000, "1 kB"),
        (2_500_000, "2.5 MB"),
        (30 * files.MB, "30 MB"),
    ],
)
def test_sizes_read_in_decimal_units(size: int, text: str) -> None:
    assert files.size_text(size) == text


def test_every_kind_has_a_cap_and_a_name() -> None:
    assert set(CAPS) == set(files.PLURAL) == set(files.Kind.__args__)  # type: ignore[attr-defined]
    assert files.annex_kind("scan.JPG") == "image"
    assert files.annex_kind("ruling.pdf") == "annex"


def test_security_md_states_each_cap() -> None:
    text = (Path(__file__).resolve().parents[2] / "SECURITY.md").read_text(encoding="utf-8")
    rows = {
        "case": "| letter spec, campaign file, case file |",
        "table": "| signatory or recipient table (CSV, XLSX, YAML, JSON) |",
        "template": "| template |",
        "font": "| font |",
        "image": "| logo or image annex |",
        "annex": "| PDF annex |",
    }
    assert CAPS["spec"] == CAPS["case"]
    folder = "| all the fonts of a `fonts:` folder together |"
    assert f"{folder} {files.size_text(files.FONTS_FOLDER_CAP)} |" in text
    for kind, row in rows.items():
        assert f"{row} {files.size_text(CAPS[kind])} |" in text, kind
