"""``letterkit render --watch``: a saved change → a new, whole PDF; problems said,
the last good PDF kept; Ctrl-C ends it cleanly."""

from __future__ import annotations

import io
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader

import letterkit
from letterkit.cli import watch
from letterkit.files import TEMP_PREFIX

from .conftest import EXAMPLES, pdf_text

#: The signatory whose name each edit changes (the count stays as the spec expects).
_ROW = "Nordic Forum for Fair Trials"


class _Watch:
    """``letterkit render ... --watch`` in a child process, its output lines read
    as they come."""

    def __init__(self, folder: Path, *argv: str, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "letterkit", "render", *argv, "--watch"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        self.readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.lines.put)),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err.append)),
        ]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream: io.TextIOBase, keep: Callable[[str], None]) -> None:
        for line in stream:
            keep(line)

    def expect(self, words: str, timeout: float = 60.0) -> str:
        """The next output line that holds *words* (within *timeout* seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {words!r}; got {self.out}") from None
            self.out.append(line)
            if words in line:
                return line

    def stop(self) -> tuple[int, str]:
        """Ctrl-C: the exit status and what went to stderr."""
        self.proc.send_signal(signal.SIGINT)
        status = self.proc.wait(timeout=30)
        for reader in self.readers:
            reader.join(10)
        return status, "".join(self.err)


@contextmanager
def _watching(folder: Path, *argv: str, env: dict[str, str] | None = None) -> Iterator[_Watch]:
    running = _Watch(folder, *argv, env=env)
    try:
        yield running
    finally:
        if running.proc.poll() is None:
            running.proc.kill()
            running.proc.wait()
        for reader in running.readers:
            reader.join(10)
        for stream in (running.proc.stdout, running.proc.stderr):
            if stream is not None:
                stream.close()


class _PdfReaderLoop(threading.Thread):
    """Reads the output over and over while the watch runs, and opens every
    version it sees with pypdf: a half-written PDF would fail here."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.done = threading.Event()
        self.versions = 0
        self.broken: list[str] = []

    def run(self) -> None:
        seen = None
        while not self.done.is_set():
            state = watch.signature(self.path)
            if state is not None and state != seen:
                seen = state
                data = self.path.read_bytes()
                try:
                    pages = len(PdfReader(io.BytesIO(data)).pages)
                    assert pages >= 1
                    self.versions += 1
                except Exception as exc:
                    self.broken.append(f"{len(data)} bytes: {exc}")
            time.sleep(0.001)


def test_twenty_edits_each_give_a_whole_pdf(example_copy: Path) -> None:
    """This test ensures that each of 20 saves of the signatories gives a new
    PDF that opens, the last with the last name, and that Ctrl-C then exits 0
    with no traceback and no temporary file left."""
    signatories = example_copy / "signatories.csv"
    original = signatories.read_text(encoding="utf-8")
    output = example_copy / "out.pdf"
    with _watching(example_copy, "letter.yaml", "out.pdf") as running:
        running.expect("wrote out.pdf")
        running.expect("watching")
        reader = _PdfReaderLoop(output)
        reader.start()
        latencies = []
        for i in range(20):
            text = original.replace(_ROW, f"Nordic Forum Number {i:02d}", 1)
            latencies.append(watch.edit_and_wait(signatories, text, output, timeout=30))
            running.expect("signatories.csv changed: wrote out.pdf")
            time.sleep(0.02)
        reader.done.set()
        reader.join(5)
        status, err = running.stop()
    sys.stderr.write(  # shown with -s or on failure; speed is measured, not asserted
        f"watch latency, save to PDF: median {sorted(latencies)[10]:.0f} ms, "
        f"max {max(latencies):.0f} ms\n"
    )
    assert reader.broken == []
    assert reader.versions >= 2
    assert "Nordic Forum Number 19" in pdf_text(output.read_bytes())
    assert "Nordic Forum Number 18" not in pdf_text(output.read_bytes())
    assert status == 0, err
    assert "Traceback" not in err
    running.expect("stopped watching", timeout=1)
    assert not [p.name for p in example_copy.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_problems_keep_the_last_pdf_and_new_files_are_watched(
    example_copy: Path, tmp_path: Path
) -> None:
    """This test ensures that a spec that does not load at the start is watched
    until it does, that a bad save prints its problem and leaves the last good
    PDF, that an annex the new spec names is watched, and that --open opens
    the PDF once."""
    annex = (example_copy / "chronology.pdf").read_bytes()
    (example_copy / "chronology.pdf").unlink()
    opened = tmp_path / "opened.log"
    opener = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'a').write('x')\" {opened}"
    output = example_copy / "out.pdf"
    with _watching(example_copy, "letter.yaml", "-o", "out.pdf", "--open",
                   env={"LETTERKIT_OPENER": opener}) as running:  # fmt: skip
        running.expect("rendered: not written (1 problem); no PDF written")
        assert not output.exists()
        (example_copy / "chronology.pdf").write_bytes(annex)
        running.expect("wrote out.pdf")
        first = len(PdfReader(output).pages)

        spec = example_copy / "letter.yaml"
        good = spec.read_text(encoding="utf-8")
        spec.write_text(
            good + "  - path: more.pdf\n    title: More\n", encoding="utf-8"
        )  # a second annex, not there yet
        running.expect("letter.yaml changed: not written (1 problem); out.pdf is the last good")
        assert len(PdfReader(output).pages) == first
        (example_copy / "more.pdf").write_bytes(annex)
        running.expect("wrote out.pdf")
        assert len(PdfReader(output).pages) > first

        time.sleep(0.05)
        (example_copy / "more.pdf").write_bytes(b"%PDF-1.7 broken")
        running.expect("more.pdf changed: not written")
        assert len(PdfReader(output).pages) > first
        status, err = running.stop()
    assert status == 0, err
    assert "[LK101]" in err  # the annex not found, at the spec's line
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened.read_text() == "x"  # once, after the first good render


def test_a_file_saved_by_delete_and_create_is_one_change(tmp_path: Path) -> None:
    """This test ensures that a file deleted and written again is waited for and
    seen as one change, present, once it is back."""
    path = tmp_path / "signatories.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    state = watch._State(tmp_path / "letter.yaml", {path: watch.signature(path)})

    def save() -> None:
        time.sleep(0.05)
        path.unlink()
        time.sleep(0.15)  # longer than the settling time: the file is waited for
        path.write_text("name\nB\n", encoding="utf-8")

    saver = threading.Thread(target=save)
    saver.start()
    changed = watch._next_change(state)
    saver.join()
    assert changed == [path]
    assert state.watched[path] is not None
    assert state.watched[path] == watch.signature(path)


def test_latency_is_from_the_source_to_the_pdf(tmp_path: Path) -> None:
    """This test ensures that the latency measure is the output's mtime minus the source's."""
    source, output = tmp_path / "s.csv", tmp_path / "o.pdf"
    source.write_text("x")
    output.write_text("y")
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    os.utime(output, ns=(1_045_000_000, 1_045_000_000))
    assert watch.latency_ms(source, output) == 45.0


def test_a_changed_image_is_drawn_anew(tmp_path: Path) -> None:
    """This test ensures that an image the body draws is watched, and that the
    PDF after it changes is the one a fresh process makes (nothing kept from
    the image before)."""
    folder = tmp_path / "shapes"
    shutil.copytree(EXAMPLES / "shapes", folder)
    output = folder / "l19.pdf"
    with _watching(folder, "L19-table-image.yaml", "l19.pdf") as running:
        running.expect("wrote l19.pdf")
        running.expect("watching")
        before = output.read_bytes()
        chart = folder / "chart.png"
        saving = folder / "saving.png"
        shutil.copy(folder / "logo.png", saving)
        os.replace(saving, chart)
        running.expect("chart.png changed: wrote l19.pdf")
        status, err = running.stop()
    assert status == 0, err
    assert output.read_bytes() != before
    assert output.read_bytes() == letterkit.render(folder / "L19-table-image.yaml")


def _with_fonts(folder: Path) -> tuple[Path, Path]:
    """The example's spec in *folder*, given a fonts folder with one font: (spec, fonts)."""
    fonts = folder / "my-fonts"
    fonts.mkdir()
    shutil.copy(Path(__file__).parent / "fonts" / "NotoSerifGeorgian-subset.ttf", fonts)
    spec = folder / "letter.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "fonts: my-fonts\n", encoding="utf-8")
    return spec, fonts


def test_a_changed_font_starts_the_command_again(example_copy: Path) -> None:
    """This test ensures that a change in the letter's fonts folder restarts the
    command (fonts are registered once per process), after one line saying so."""
    from letterkit.cli.main import _parser

    spec, fonts = _with_fonts(example_copy)
    output = example_copy / "out.pdf"
    args = _parser().parse_args(["render", str(spec), str(output), "--watch"])
    args.limits, args.no_warn = None, ()
    restarts: list[int] = []

    def restart() -> None:
        restarts.append(1)
        raise KeyboardInterrupt  # ends the watch here, as the new process would take over

    def touch_font() -> None:
        deadline = time.monotonic() + 60
        while not output.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)
        (fonts / "NotoSerifGeorgian-subset.ttf").write_bytes(
            (fonts / "NotoSerifGeorgian-subset.ttf").read_bytes()
        )

    toucher = threading.Thread(target=touch_font)
    toucher.start()
    out, err = io.StringIO(), io.StringIO()
    status = watch.watch(args, output, out, err, restart=restart)
    toucher.join()
    assert status == 0, err.getvalue()
    assert restarts == [1]
    lines = out.getvalue().splitlines()
    assert f"rendered: wrote {output} in " in lines[0]
    assert lines[-2].endswith(" fonts changed: starting again")
    assert lines[-1] == "stopped watching"


def test_the_change_line_names_files_not_their_folder(tmp_path: Path) -> None:
    """This test ensures that a folder watched with its files is named only
    when none of its files is, and that long lists are cut short."""
    (tmp_path / "a.csv").write_text("x")
    paths = [tmp_path / n for n in ("a.csv", "b.md", "c.pdf", "d.png")]
    assert watch._names([tmp_path, paths[0]]) == "a.csv changed"
    assert watch._names([tmp_path]) == f"a file in {tmp_path.name}/ changed"
    assert watch._names(paths) == "a.csv, b.md, c.pdf and 1 more changed"


def test_a_folder_changes_with_its_names_not_its_temporary_files(tmp_path: Path) -> None:
    """This test ensures that a watched folder (the spec's, while a file it names
    is missing) changes when a file appears, not when a hidden one comes and goes."""
    before = watch.signature(tmp_path)
    (tmp_path / f"{TEMP_PREFIX}abc.tmp").write_bytes(b"%PDF-")
    (tmp_path / ".letter.yaml.swp").write_bytes(b"x")
    assert watch.signature(tmp_path) == before
    (tmp_path / "more.pdf").write_bytes(b"%PDF-")
    assert watch.signature(tmp_path) != before
    assert watch.signature(tmp_path / "gone") is None


def test_a_font_that_stops_the_letter_is_watched_until_it_goes(example_copy: Path) -> None:
    """This test ensures that a letter which cannot be built because of a file in
    a folder of the spec's (a web font put in ``fonts/``) renders again when
    that file is taken out: the spec's folders are watched while it fails."""
    _spec, fonts = _with_fonts(example_copy)
    web = fonts / "web.ttf"
    web.write_bytes(b"wOFF" + bytes(200))  # there from the start: the first render fails
    with _watching(example_copy, "letter.yaml", "out.pdf") as running:
        assert "not written" in running.expect("rendered:")
        web.unlink()
        line = running.expect("changed:")
        assert "wrote out.pdf" in line, running.out
        status, err = running.stop()
    assert status == 0
    assert "LK141" in err
    assert "Traceback" not in err
    assert (example_copy / "out.pdf").read_bytes().startswith(b"%PDF-")
