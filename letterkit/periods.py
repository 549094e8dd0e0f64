"""Periods between dates, in whole units and rounded down: the arithmetic
under ``duration`` and ``age`` (the words are :mod:`letterkit.l10n`'s)."""

from __future__ import annotations

import datetime as dt


def whole_units_between(start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """Whole years, months and days from *start* to *end* (rounded down)."""
    if end < start:
        start, end = end, start
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    anchor_year, anchor_month = divmod(start.month - 1 + months, 12)
    anchor = _clamped_date(start.year + anchor_year, anchor_month + 1, start.day)
    return months // 12, months % 12, (end - anchor).days


def _clamped_date(year: int, month: int, day: int) -> dt.date:
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def age(born: dt.date | int, on: dt.date) -> int:
    """Age on a date; from a bare year, the age reached in that year."""
    if isinstance(born, int):
        return on.year - born
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years
