"""The errors of the text stage, l10n and limits belong to letterkit's one error tree."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import letterkit.text
from letterkit import l10n, limits
from letterkit.errors import LetterkitError

MODULES = [
    l10n,
    limits,
    *(
        importlib.import_module(f"letterkit.text.{m.name}")
        for m in pkgutil.iter_modules(letterkit.text.__path__)
    ),
]


def _exceptions() -> list[type[BaseException]]:
    found = []
    for module in MODULES:
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.append(value)
    # The time limit's signal is raised and caught inside limits.call_within only.
    found.remove(limits._Expired)
    return found


@pytest.mark.parametrize("exception", _exceptions(), ids=lambda e: e.__qualname__)
def test_every_exception_is_a_letterkit_error(exception: type[BaseException]) -> None:
    """This test ensures that a caller can catch whatever these modules raise with
    ``except LetterkitError``."""
    assert issubclass(exception, LetterkitError)


def test_the_standard_library_bases_are_kept() -> None:
    assert issubclass(l10n.LocalizationError, LookupError)
    assert issubclass(l10n.UnknownLocale, ValueError)
    assert issubclass(l10n.FormatError, ValueError)
    assert issubclass(limits.NotLimits, TypeError)
    with pytest.raises(l10n.UnknownLocale, match="xx-YY"):
        l10n.parse_locale("xx-YY")
