"""The cache of derived data (letterkit.cache): where it is, that it can be
turned off, and that a letter's bytes never depend on it: disabled, cold,
warm, damaged, shared by two processes at once, or impossible to write."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from letterkit import cache
from letterkit.input import collation

from .conftest import EXAMPLE, ROOT, SESSION_CACHE

#: The letters rendered in each process: Latin, Cyrillic, Arabic (right to left).
LETTERS = ("letter.yaml", "letter.ru.yaml", "appeal.ar.yaml")

#: Renders LETTERS into the folder it is given; prints what the collator's table is
#: (pyuca's own trie when it was parsed, letterkit's FlatTable when loaded from the cache).
SCRIPT = """
import sys
from collections.abc import Callable
from pathlib import Path
import letterkit
from letterkit.input.collation import collator
out = Path(sys.argv[1])
for name in sys.argv[2:]:
    letterkit.render(Path({example!r}) / name, out / (name + ".pdf"))
print(type(collator().table).__name__)
"""


def _env(folder: Path | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LETTERKIT_NO_CACHE", None)
    if folder is None:
        env["LETTERKIT_NO_CACHE"] = "1"
    else:
        env["LETTERKIT_CACHE_DIR"] = str(folder)
    return env


def _start(out: Path, folder: Path | None) -> subprocess.Popen[str]:
    out.mkdir(parents=True, exist_ok=True)
    script = SCRIPT.format(example=str(EXAMPLE))
    return subprocess.Popen(
        [sys.executable, "-c", script, str(out), *LETTERS],
        env=_env(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _render(out: Path, folder: Path | None) -> tuple[dict[str, str], str]:
    """The sha256 of each letter rendered in a new process, and the collator's table kind."""
    process = _start(out, folder)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return _digests(out), stdout.strip()


def _digests(out: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((out / (name + ".pdf")).read_bytes()).hexdigest() for name in LETTERS
    }


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The letters rendered with the cache turned off: the bytes to compare with."""
    digests, table = _render(tmp_path_factory.mktemp("nocache"), None)
    assert table == "Trie"
    return digests


def test_the_session_never_uses_the_users_own_cache() -> None:
    """This test ensures that the test suite (and the processes it starts) keeps
    its cache in a folder of its own, not in the user's cache folder."""
    assert os.environ["LETTERKIT_CACHE_DIR"] == str(SESSION_CACHE)
    assert cache.folder() == SESSION_CACHE
    assert SESSION_CACHE.is_dir()
    assert cache.folder() != cache._platform_folder()


def test_the_folder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This test ensures that LETTERKIT_CACHE_DIR names the folder, that
    LETTERKIT_NO_CACHE turns the cache off (0 and "" do not), and that the
    default is the platform's user cache folder."""
    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path / "here"))
    assert cache.folder() == tmp_path / "here"
    for off in ("1", "yes"):
        monkeypatch.setenv("LETTERKIT_NO_CACHE", off)
        assert cache.folder() is None
    for on in ("0", ""):
        monkeypatch.setenv("LETTERKIT_NO_CACHE", on)
        assert cache.folder() == tmp_path / "here"
    monkeypatch.delenv("LETTERKIT_CACHE_DIR")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "letterkit"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache.folder() == Path.home() / ".cache" / "letterkit"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache.folder() == Path.home() / "Library" / "Caches" / "letterkit"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache.folder() == tmp_path / "local" / "letterkit" / "Cache"


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that a process with no home folder to be found (no HOME,
    no user entry: some containers) works without a cache instead of failing."""

    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("LETTERKIT_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    assert cache.folder() is None
    assert cache.cached("test", [], lambda: [7], list, list) == [7]  # type: ignore[call-overload]


def test_an_entry_is_built_once_then_loaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This test ensures that a value is built on the first call, loaded from its
    entry on the next, and built again (its entry rewritten) when the entry is
    damaged or decodes to something unexpected."""
    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path))
    built: list[int] = []

    def build() -> list[int]:
        built.append(1)
        return [1, 2, 3]

    def get() -> list[int]:
        return cache.cached("test", ["k"], build, list, lambda d: list(d))  # type: ignore[call-overload]

    assert get() == [1, 2, 3]
    assert len(built) == 1
    assert get() == [1, 2, 3]
    assert len(built) == 1
    (entry,) = tmp_path.iterdir()
    assert entry.name == cache.entry_name("test", ["k"])
    for damage in (b"", entry.read_bytes()[:-3], b"garbage" * 20, entry.read_bytes()[:-1] + b"!"):
        entry.write_bytes(damage)
        assert cache.read(entry) is None
        assert get() == [1, 2, 3]
        assert cache.read(entry) is not None  # written again, sound
    assert len(built) == 5
    assert cache.cached("test", ["k"], build, list, lambda d: 1 / 0) == [1, 2, 3]  # type: ignore[arg-type]
    assert len(built) == 6
    # A value that is not plain data is returned, and not kept.
    assert cache.cached("odd", [], object, lambda v: v, lambda d: d) is not None
    assert not list(tmp_path.glob("odd-*"))


def test_entries_from_the_users_data_are_bounded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This test ensures that a kind kept with a bound holds only its newest
    entries, and leaves the entries of other kinds alone."""
    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path))
    cache.cached("other", ["x"], lambda: 0, int, int)
    for n in range(7):
        assert cache.cached("lists", [n], lambda n=n: n, int, int, keep=3) == n  # type: ignore[misc]
        entry = tmp_path / cache.entry_name("lists", [n])
        os.utime(entry, ns=(n * 10**9, n * 10**9))  # written in this order, whatever the clock
    kept = sorted(p.name for p in tmp_path.glob("lists-*"))
    assert kept == sorted(cache.entry_name("lists", [n]) for n in (4, 5, 6))
    assert (tmp_path / cache.entry_name("other", ["x"])).exists()
    assert collation._LISTS_KEPT >= 16
    # a file of the user's that only starts like an entry is not the cache's to remove
    (tmp_path / "lists-mine").write_text("kept")
    cache.prune(tmp_path, "lists", 0)
    assert not list(tmp_path.glob("lists-?" + "?" * 39))
    assert (tmp_path / "lists-mine").read_text() == "kept"


@pytest.mark.parametrize(("value", "on"), [("1", False), ("yes", False), ("true", False),
                                           ("", True), ("0", True), ("no", True), ("Off", True),
                                           ("false", True)])  # fmt: skip
def test_the_switch_reads_as_people_write_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, on: bool
) -> None:
    """This test ensures that LETTERKIT_NO_CACHE turns the cache off for a yes and
    leaves it on for a no, whatever way either is written."""
    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("LETTERKIT_NO_CACHE", value)
    assert (cache.folder() is not None) is on


def test_an_unwritable_folder_is_no_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """This test ensures that a cache folder that cannot be made (its parent is a
    file) leaves every value computed in memory, with no error."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached("test", [], lambda: [1], list, list) == [1]  # type: ignore[call-overload]
    assert not cache.write(blocker / "cache" / "x", b"data")


def test_a_full_disk_is_no_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """This test ensures that an entry that cannot be written out (the disk fills
    up mid-write) is no error and leaves no temporary file behind."""

    class Full:
        def __init__(self, handle: int, mode: str) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            os.close(self.handle)

        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(os, "fdopen", Full)
    assert cache.cached("test", [], lambda: [5], list, list) == [5]  # type: ignore[call-overload]
    assert list(tmp_path.iterdir()) == []


def test_the_cached_collation_table_sorts_as_pyuca_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This test ensures that the collation table loaded from the cache gives the
    sort key pyuca's own table gives, for contractions, combining marks, scripts
    from Latin to CJK, and code points DUCET does not list."""
    import pyuca

    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path))
    collation.collator.cache_clear()
    try:
        first = collation.collator()
        collation.collator.cache_clear()
        loaded = collation.collator()
    finally:
        collation.collator.cache_clear()
    assert type(first) is pyuca.Collator
    assert type(loaded.table) is collation.FlatTable
    names = [
        "Азимжан Аскаров", "Ёлка", "и\u0306", "Ärger", "Zoë", "Ćirić", "ﬁ", "ŉ", "ǅ", "a\u0301",
        "ł", "ะ", "ฯ", "ங்", "日本語", "𠀀", "עברית", "العربية", "ً", "\U0001f600", "\ue000",
        "\U000e0001", "ȧ̈", "", "Organisation 00017 for Rights", "Правозащитный центр № 3",
    ]  # fmt: skip
    names += [chr(c) + chr(c + 1) for c in range(0x20, 0x3000, 7)]
    assert [loaded.sort_key(n) for n in names] == [first.sort_key(n) for n in names]
    assert sorted(names, key=loaded.sort_key) == sorted(names, key=first.sort_key)


def test_the_sort_keys_of_a_list_seen_before_are_read_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This test ensures that the sort keys of a signatory list are pyuca's, that
    a later process reads them back from the cache without loading the collation
    table, that another list gets an entry of its own, and that an entry of
    another shape is built again."""
    import marshal

    import pyuca

    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path))
    names = ("Азимжан Аскаров", "Ärger", "Zoë", "ﬁ", "日本語", "", "Organisation 7")

    def fresh() -> tuple[tuple[int, ...], ...]:
        collation.sort_keys.cache_clear()  # as in a new process
        return collation.sort_keys(names)

    expected = tuple(pyuca.Collator().sort_key(n) for n in names)
    collation.collator.cache_clear()
    try:
        assert fresh() == expected
        (entry,) = tmp_path.glob("ucakeys-*")

        def no_table() -> None:
            raise AssertionError("the collation table was loaded")

        with monkeypatch.context() as patch:
            patch.setattr(collation, "collator", no_table)
            assert fresh() == expected
        collation.sort_keys.cache_clear()
        assert collation.sort_keys(names[:3]) == expected[:3]
        assert len(list(tmp_path.glob("ucakeys-*"))) == 2
        cache.write(entry, marshal.dumps([[1, 2]] * len(names)))  # sound, but lists
        assert fresh() == expected
        assert marshal.loads(cache.read(entry) or b"") == list(expected)  # written again
    finally:
        collation.sort_keys.cache_clear()
        collation.collator.cache_clear()


def test_letters_are_identical_without_cold_and_warm_cache(
    uncached: dict[str, str], tmp_path: Path
) -> None:
    """This test ensures that the Latin, Cyrillic and Arabic example letters have
    the same bytes with the cache turned off, with an empty one (which the
    process fills: the collation table and each font) and with a full one
    (which the next process loads), each in a process of its own."""
    folder = tmp_path / "cache"
    cold, table = _render(tmp_path / "cold", folder)
    assert table == "Trie"  # parsed by pyuca
    entries = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sum(n.startswith("uca-") for n in entries) == 1
    assert sum(n.startswith("ttf-") for n in entries) == 12  # the bundled faces
    warm, table = _render(tmp_path / "warm", folder)
    assert table == "FlatTable"  # loaded from the cache
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == entries
    assert cold == uncached
    assert warm == uncached


def test_two_processes_filling_one_cache_at_once(uncached: dict[str, str], tmp_path: Path) -> None:
    """This test ensures that two processes that fill the same empty cache at the
    same time both succeed, with the letters' usual bytes, and leave sound entries
    (no temporary files)."""
    folder = tmp_path / "cache"
    processes = [_start(tmp_path / f"out{n}", folder) for n in range(2)]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    assert _digests(tmp_path / "out0") == _digests(tmp_path / "out1") == uncached
    entries = sorted(folder.iterdir())
    assert sum(p.name.startswith(("uca-", "ttf-")) for p in entries) == 13
    assert sum(p.name.startswith("ucakeys-") for p in entries) >= 1  # a signatory list's keys
    assert all(cache.read(p) is not None for p in entries)


def test_damaged_entries_are_rebuilt_silently(uncached: dict[str, str], tmp_path: Path) -> None:
    """This test ensures that a truncated entry and an entry of garbage are built
    again without a word, and the letters keep their bytes."""
    folder = tmp_path / "cache"
    _render(tmp_path / "fill", folder)
    (uca,) = folder.glob("uca-*")
    uca.write_bytes(uca.read_bytes()[:1000])
    fonts = sorted(folder.glob("ttf-*"))
    for font in fonts[:6]:
        font.write_bytes(os.urandom(500))
    fonts[6].write_bytes(b"")
    process = _start(tmp_path / "again", folder)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0
    assert stderr == ""
    assert stdout.strip() == "Trie"  # the table was parsed again
    assert _digests(tmp_path / "again") == uncached
    assert all(cache.read(p) is not None for p in folder.iterdir())


def _read_only(tmp_path: Path) -> Path:
    if not hasattr(os, "geteuid") or os.geteuid() == 0:
        pytest.skip("permissions do not bind this user")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


def _blocked(tmp_path: Path) -> Path:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder's parent should be")
    return blocker / "cache"


@pytest.mark.parametrize("unwritable", [_blocked, _read_only], ids=["blocked", "read-only"])
def test_an_unwritable_cache_still_renders(
    uncached: dict[str, str], tmp_path: Path, unwritable: Callable[[Path], Path]
) -> None:
    """This test ensures that a cache folder that cannot be created (its parent
    is a file) or written (read-only) leaves the letters as they are, with
    nothing on stderr."""
    folder = unwritable(tmp_path)
    process = _start(tmp_path / "out", folder)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0
    assert stderr == ""
    assert _digests(tmp_path / "out") == uncached
