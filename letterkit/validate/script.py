"""The letter's writing system: which digits (``digits: latn|arab``) it prints."""

from __future__ import annotations

from typing import get_args

from ..model import Digits, Letter
from ._check import Check


def digits(letter: Letter, check: Check) -> None:
    """``digits`` is None (the locale's default) or one of the numbering systems."""
    if letter.digits is not None:
        check.choice("letter.digits", letter.digits, get_args(Digits))
