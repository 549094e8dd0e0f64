"""A letter checked again in the same process after one row of its list is
saved changed (what ``render --watch`` does): the texts' damage and the names'
sort keys are kept by the text, so only the new row is looked at again, and
every problem is the one a fresh process reports."""

from __future__ import annotations

import csv
import gc
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

import letterkit
from letterkit.cli import warm, watch
from letterkit.input import collation

from .conftest import ROOT, pdf_text

SHAPES = ROOT / "examples" / "shapes"
ROWS = [
    "Ligue des droits de lâ€™Homme (Paris)",  # line 2: misread (LK124)
    "Front Line Defenders",  # line 3
    '"Amnesty Kyrgyzstan"',  # line 4: quoted (LK125)
    "Zeta Foundation",  # line 5
]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _save(folder: Path, rows: list[str]) -> None:
    with (folder / "signatories.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name"])
        out.writerows([row] for row in rows)


def _letter(folder: Path) -> Path:
    for name in ("generic.md", "case.yaml"):
        shutil.copy(SHAPES / name, folder / name)
    _save(folder, ROWS)
    spec = [
        "template: generic.md", "locale: en-GB", "date: 2018-12-06",
        "subject: Release of Temir Sample", "case: case.yaml",
        "recipient: {name: Ilse Example}", "signatories: signatories.csv",
    ]  # fmt: skip
    (folder / "letter.yaml").write_text("\n".join(spec) + "\n", encoding="utf-8")
    return folder / "letter.yaml"


def _found(spec: Path) -> set[tuple[str, int | None, str]]:
    """(code, line, message) of each LK124/LK125 warning of the letter."""
    return {
        (p.code, p.line, p.message) for p in letterkit.check(spec) if p.code in ("LK124", "LK125")
    }


def test_an_edited_row_is_checked_again_and_the_others_still_warn(tmp_path: Path) -> None:
    """This test ensures that after a row is saved changed, its new damage is
    reported at its line, the damage it no longer has is not, and the other
    rows' warnings are still there, each as a first check reports it."""
    spec = _letter(tmp_path)
    first = _found(spec)
    assert {(code, line) for code, line, _ in first} == {("LK124", 2), ("LK125", 4)}

    edited = [*ROWS]
    edited[0] = "Ligue des droits de l’Homme (Paris)"  # repaired
    edited[3] = "CafÃ© Zeta Foundation"  # damaged now
    _save(tmp_path, edited)
    again = _found(spec)
    assert {(code, line) for code, line, _ in again} == {("LK124", 5), ("LK125", 4)}
    (zeta,) = [m for code, line, m in again if line == 5]
    assert "it probably reads 'Café Zeta Foundation'" in zeta
    assert [f for f in again if f[1] == 4] == [f for f in first if f[1] == 4]


def test_sort_keys_of_an_edited_list_are_those_of_a_fresh_collator() -> None:
    """This test ensures that the sort keys of a list with one name changed,
    the others' kept from before, are the keys pyuca gives each name."""
    names = ("Zeta Foundation", "Ärzte ohne Grenzen", "Правозащитный центр № 3", "abc")
    collation.sort_keys(names)
    edited = ("Zeta Foundation (edit)", *names[1:])
    fresh = collation.collator()
    assert collation.sort_keys(edited) == tuple(tuple(fresh.sort_key(n)) for n in edited)


def test_a_file_written_in_place_is_acted_on_soon_and_a_late_rest_again(
    tmp_path: Path,
) -> None:
    """This test ensures that a file written in place is read once it has been
    still for the settling time, before a writer that pauses far longer has
    written the rest, and that the rest is a change of its own, seen by the
    next wait."""
    path = tmp_path / "signatories.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    time.sleep(0.02)
    state = watch._State(tmp_path / "letter.yaml", {path: watch.signature(path)})

    def save() -> None:
        time.sleep(0.05)
        with path.open("w", encoding="utf-8") as handle:
            handle.write("name\nB\n")
            handle.flush()
            time.sleep(0.5)  # a writer that stops far longer than the settling time
            handle.write("C\n")

    saver = threading.Thread(target=save)
    saver.start()
    changed = watch._next_change(state)
    assert changed == [path]
    assert path.read_text(encoding="utf-8") == "name\nB\n"  # read before the rest came
    second = watch._next_change(state)
    saver.join()
    assert second == [path]
    assert state.watched[path] == watch.signature(path)
    assert path.read_text(encoding="utf-8") == "name\nB\nC\n"


def test_a_letter_built_after_an_edit_is_the_one_built_from_nothing(tmp_path: Path) -> None:
    """This test ensures that a letter built again in a warm process after a
    signatory is renamed (its pages started from the codes of the letter
    before) is byte for byte the letter built with every memo table empty."""
    from letterkit import memo
    from letterkit.input.letter_spec import load_letter
    from letterkit.pipeline import build

    spec = _letter(tmp_path)
    build(load_letter(spec))
    edited = [*ROWS]
    edited[1] = "Front Line Defenders (Dublin), Ünal & Øster"
    _save(tmp_path, edited)
    warm = build(load_letter(spec)).pdf
    memo.forget()
    fresh = build(load_letter(spec)).pdf
    assert warm == fresh
    assert "Ünal & Øster" in pdf_text(warm)


class _Cycle:
    """An object in a reference cycle whose finalizer sends this process SIGINT
    (Ctrl-C pressed while the garbage collector runs)."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_ctrl_c_during_the_collection_after_a_render_stops_the_watch() -> None:
    """This test ensures that Ctrl-C pressed while the watch collects garbage
    between two renders (in an object's finalizer, where Python would only
    print it) still interrupts the watch."""
    gc.collect()
    _Cycle()
    with pytest.raises(KeyboardInterrupt):
        warm.collect()


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_an_interrupt_python_dropped_still_stops_the_polling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures that Ctrl-C raised where Python only prints and drops
    it (a weak reference's callback, a finalizer: its handler has run) still
    ends the polling, and is not shown as a traceback."""
    import types

    path = tmp_path / "signatories.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    state = watch._State(tmp_path / "letter.yaml", {path: watch.signature(path)})
    with warm.interrupts_remembered():
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler)
        with pytest.raises(KeyboardInterrupt):  # as it runs inside a callback
            handler(signal.SIGINT, None)
        dropped = types.SimpleNamespace(
            exc_type=KeyboardInterrupt, exc_value=KeyboardInterrupt(), exc_traceback=None,
            err_msg="Exception ignored in", object=None,
        )  # fmt: skip
        sys.unraisablehook(dropped)  # what Python does with it there
        with pytest.raises(KeyboardInterrupt):
            watch._next_change(state)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert "KeyboardInterrupt" not in capsys.readouterr().err
