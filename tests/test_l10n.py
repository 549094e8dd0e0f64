"""The layout words' catalogs: complete, and compiled from their sources."""

from __future__ import annotations

import doctest
import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import letterkit.input.signatories
import letterkit.input.tables
import letterkit.l10n
import letterkit.pdf.annexes
import letterkit.text.sandbox

LOCALE_DIR = Path(letterkit.l10n.__file__).parent / "locale"
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/letterkit.po"))


def test_there_are_catalogs() -> None:
    assert {p.parts[-3] for p in PO_FILES} >= {"en", "ru"}


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parts[-3])
def test_mo_matches_po(po: Path) -> None:
    """This test ensures that the committed .mo is what `pybabel compile` makes of the .po."""
    with po.open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert po.with_suffix(".mo").read_bytes() == buffer.getvalue(), (
        "run pybabel compile (see locale/README.md)"
    )


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parts[-3])
def test_po_translates_every_word_of_the_template(po: Path) -> None:
    with (LOCALE_DIR / "letterkit.pot").open("rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with po.open("rb") as f:
        catalog = read_po(f)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and m.string and all(m.string)
    }
    assert template <= translated


@pytest.mark.parametrize(
    "module",
    [letterkit.l10n, letterkit.text.sandbox, letterkit.input.tables, letterkit.pdf.annexes],
    ids=lambda m: m.__name__,
)
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
