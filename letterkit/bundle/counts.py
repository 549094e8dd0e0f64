"""What ``check`` read → its one-line summary: ``121 letters, 45 signatories (2 withheld), 2 annexes``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem, in_order
from ..model import Letter

__all__ = ["CheckResult", "counted"]


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found, and how much it read."""

    problems: list[Problem] = field(default_factory=list)
    letters: int = 0
    signatories: int = 0
    withheld: int = 0
    annexes: int = 0

    @property
    def summary(self) -> str:
        """One line: ``121 letters, 45 signatories (2 withheld), 2 annexes``."""
        withheld = f" ({self.withheld:,} withheld)" if self.withheld else ""
        return (
            f"{_count(self.letters, 'letter', 'letters')}, "
            f"{_count(self.signatories, 'signatory', 'signatories')}{withheld}, "
            f"{_count(self.annexes, 'annex', 'annexes')}"
        )

    def as_dict(self) -> dict[str, int]:
        """The counts, as ``check --format json`` gives them under ``summary``."""
        return {
            "letters": self.letters,
            "signatories": self.signatories,
            "withheld": self.withheld,
            "annexes": self.annexes,
        }


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def counted(problems: list[Problem], letters: int, letter: Letter | None) -> CheckResult:
    """A :class:`CheckResult` of *problems* (those of each file by line and
    column: :func:`~letterkit.errors.in_order`), counting *letter*'s signatories
    and annexes."""
    problems = in_order(problems)
    if letter is None:
        return CheckResult(problems, letters)
    listed = letter.signatories if isinstance(letter.signatories, tuple | list) else ()
    annexes = letter.annexes if isinstance(letter.annexes, tuple | list) else ()
    return CheckResult(
        problems,
        letters,
        len(listed),
        sum(1 for s in listed if getattr(s, "withhold", False) is True),
        len(annexes),
    )
