"""Images reach a decoder only when they are PNG or JPEG by their bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "askarov-eu-2018"

#: A tiny Encapsulated PostScript file: Pillow opens such a file with Ghostscript.
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\nshowpage\n"


def _render_with_a_recording_gs(folder: Path, tmp_path: Path) -> tuple[int, str, Path]:
    """Render *folder*/letter.yaml in a process whose PATH starts with a ``gs``
    that only writes down that it ran."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "gs-ran"
    gs = bin_dir / "gs"
    gs.write_text(f"#!/bin/sh\necho \"$@\" >> '{record}'\nexit 1\n", encoding="utf-8")
    gs.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [sys.executable, "-m", "letterkit", "render", "letter.yaml", "-o", "out.pdf"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.returncode, done.stderr, record


def _letter_with_eps(folder: Path, name: str, key: str, entry: str) -> None:
    """The example letter in *folder*, with an EPS file saved as *name* and
    *entry* added under the spec's *key* (a line that must be there)."""
    shutil.copytree(EXAMPLE, folder)
    (folder / name).write_bytes(EPS)
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    assert f"\n{key}:\n" in text
    spec.write_text(text.replace(f"\n{key}:\n", f"\n{key}:\n  {entry}\n"), encoding="utf-8")


def test_an_eps_image_annex_named_png_is_refused_before_any_decoder(tmp_path: Path) -> None:
    """This test ensures that a PostScript file named like a PNG, given as an
    image annex, is refused by its first bytes, and Ghostscript never runs."""
    folder = tmp_path / "letter"
    _letter_with_eps(folder, "photo.png", "annexes", "- {path: photo.png, title: Photo}")
    status, err, record = _render_with_a_recording_gs(folder, tmp_path)
    assert status == 1, err
    assert "[LK130]" in err, err
    assert "photo.png" in err
    assert "not a PNG or JPEG" in err
    assert "Traceback" not in err
    assert not record.exists(), record.read_text()
    assert not (folder / "out.pdf").exists()


def test_an_eps_logo_named_png_is_refused_before_any_decoder(tmp_path: Path) -> None:
    """This test ensures the same of a logo."""
    folder = tmp_path / "letter"
    _letter_with_eps(folder, "logo.png", "sender", "logo: logo.png")
    status, err, record = _render_with_a_recording_gs(folder, tmp_path)
    assert status == 1, err
    assert "not a readable PNG or JPEG" in err, err
    assert "logo" in err
    assert not record.exists(), record.read_text()
