"""One broken rule: its ID and a message naming the object or page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """A rule a PDF breaks: ``rule`` is the ID as its document numbers it."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def rule_ids(failures: Iterable[Failure]) -> set[str]:
    """The IDs of the rules among *failures*."""
    return {f.rule for f in failures}
