"""What reading one data file may spend: values, nesting depth, list items.

Shared by the YAML, JSON and TOML readers of :mod:`letterkit.input.data`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import LetterkitError
from .sources import Pos

#: Values one file may hold (keys and scalars count 1, a mapping or list
#: :data:`CONTAINER`, each YAML alias expansion again): "billion laughs" ends here.
MAX_NODES = 500_000
#: What a mapping or a list counts in the budget: it costs memory like several values.
CONTAINER = 4
#: Levels of nesting one file may have.
MAX_DEPTH = 100
#: Digits in one number of a JSON or TOML file.
MAX_DIGITS = 4_300


class DataError(LetterkitError):
    """A data file is past a budget or malformed at *pos* (reported as LK102)."""

    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


@dataclass
class Budget:
    """What one data file may spend while it is read.

    *items*, when set, is the row limit of a table: a top-level list stops
    growing at ``items + 1`` entries (enough to tell the list is too long).
    """

    nodes: int = MAX_NODES
    depth: int = MAX_DEPTH
    items: int = 0
    spent: int = 0

    def spend(self, pos: Pos, depth: int, count: int = 1) -> None:
        """Count *count* values at *pos*, *depth* levels down; raise past the budget."""
        self.spent += count
        if self.spent > self.nodes:
            raise DataError(
                pos, f"holds more than {self.nodes:,} values (a list or mapping counts as "
                f"{CONTAINER}, an alias each time it repeats); make it smaller",
            )  # fmt: skip
        if depth > self.depth:
            raise DataError(pos, f"nests deeper than {self.depth} levels; flatten it")

    def full(self, depth: int, items: list[Any]) -> bool:
        """Whether the top-level list *items* (at *depth* 1) holds enough to stop."""
        return depth == 1 and self.items > 0 and len(items) > self.items
