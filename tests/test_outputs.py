"""Where a letter is written: never through a link someone else left there."""

from __future__ import annotations

import shutil
from pathlib import Path

from letterkit.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "askarov-eu-2018"


def test_output_that_is_a_link_is_replaced_not_written_through(tmp_path: Path) -> None:
    """This test ensures that a ``letter.pdf`` shipped as a symbolic link to a
    file of the user's leaves that file as it was: the link itself becomes the PDF."""
    folder = tmp_path / "partner"
    shutil.copytree(EXAMPLE, folder)
    precious = tmp_path / "precious.txt"
    precious.write_text("the user's own file\n", encoding="utf-8")
    link = folder / "letter.pdf"
    link.symlink_to(precious)
    status = main(["render", str(folder / "letter.yaml"), "-o", str(link)])
    assert status == 0
    assert precious.read_text(encoding="utf-8") == "the user's own file\n"
    assert not link.is_symlink()
    assert link.read_bytes().startswith(b"%PDF-")
