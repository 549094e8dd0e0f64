"""The README is the front door: its quick start and command list stay true."""

from __future__ import annotations

import re

from letterkit.cli.main import _parser
from letterkit.errors import CODES

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_one_sh_block_of_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert len(blocks) == 1
    commands = [line for line in blocks[0].splitlines() if line.strip()]
    assert len(commands) == 2
    assert "letterkit render examples/askarov-eu-2018/letter.yaml" in commands[0]
    assert "pytest" in commands[1]
    assert (ROOT / "examples/askarov-eu-2018/letter.yaml").is_file()


def test_every_command_is_documented() -> None:
    """This test ensures that each subcommand appears in the README's command list."""
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    for name in subparsers.choices:  # type: ignore[union-attr]
        assert f"letterkit {name}" in README, name


def test_every_problem_code_is_documented() -> None:
    for code in CODES:
        assert f"| {code} |" in README, code
