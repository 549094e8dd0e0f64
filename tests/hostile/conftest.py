"""The folder every hostile case starts from: a copy of the example letter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import EXAMPLE


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """``tmp_path/letter``: the example letter's folder, for a case to spoil."""
    target = tmp_path / "letter"
    shutil.copytree(EXAMPLE, target)
    return target
