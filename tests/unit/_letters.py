"""Small letters built in code, for the unit tests of the stages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from letterkit.model import Case, Letter, Person, Recipient


def letter(base_dir: Path | None = None, **changes: Any) -> Letter:
    """A letter about one person, dated 6 December 2018, with the given changes."""
    fields: dict[str, Any] = {
        "template": "appeal-release",
        "locale": "en-GB",
        "date": dt.date(2018, 12, 6),
        "case": Case(person=Person(name="Azimjon Askarov", born=1951), country="KG"),
        "recipients": (Recipient(name="Federica Mogherini", honorific="Ms"),),
        "base_dir": base_dir or Path.cwd(),
    }
    fields.update(changes)
    return Letter(**fields)
