"""Signatory lists (CSV, XLSX, YAML, JSON, or inline) → ordered :class:`Signatory` tuples.

Names are NFC-normalised and their whitespace folded, then printed exactly as
written. Every problem (unknown column, missing name, duplicate) is reported
with its file and physical line (for a spreadsheet, its sheet and cell), all
at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .. import limits, memo
from ..model import Signatory, SignatoryOrder
from ..validate import TEXT_FIELDS, text_too_long
from ..validate.same import IDENTIFYING, differing
from .collation import collator, sort_keys
from .script_order import script_rank, split_types
from .sources import Origin, Reporter, Where, location, problem_path, where_of
from .tables import Row, Table, cell_origins, clean, read_rows

SIGNATORY_COLUMNS = (
    "name",
    "type",
    "acronym",
    "country",
    "affiliation",
    "title",
    "group",
    "sort_as",
    "lead",
    "withhold",
    "signature",
    "note",
    "signed_by",
)
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
_TYPES = {
    "organization": "organization",
    "organisation": "organization",
    "individual": "individual",
}


SIGNATORY_TABLE = Table(SIGNATORY_COLUMNS, "name", "signatory", "signatories")


#: A ``signature`` cell and its row → the image's path by the spec's path rules
#: (None when it breaks them: reported).
Resolver = Callable[[str, Where], Path | None]


def load_signatories(
    value: Path | list[Any],
    where: Where,
    reporter: Reporter,
    sheet: str = "",
    resolve: Resolver | None = None,
) -> list[Signatory]:
    """The spec's ``signatories`` value (a resolved file path or an inline list) → signatories.

    *sheet* names the worksheet of an ``.xlsx`` file (default: the first).
    *resolve* turns a ``signature`` cell into a path: signature images live in
    the spec's folder, which the list itself does not know; without it the
    cell is kept as the path written.
    """
    rows = read_rows(value, where, reporter, SIGNATORY_TABLE, sheet)
    return _build(rows, reporter, resolve or (lambda text, _: Path(text)))


def _flag(value: str, field: str, where: Where, reporter: Reporter) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v not in _FALSE:
        reporter.error(where, "LK105", f"{field} must be true or false, not '{value}'")
    return False


def _build(rows: Sequence[Row], reporter: Reporter, resolve: Resolver) -> list[Signatory]:
    """Rows → signatories, reporting each bad row. A problem never names a
    withheld signatory (nor one listed twice under a withheld row): it cites
    the row, since a CI log may be public. Rows stop being read once the list
    holds more text than :attr:`~letterkit.Limits.signatory_text`."""
    out: list[Signatory] = []
    seen: dict[str, list[tuple[Where, bool, dict[str, str]]]] = {}
    most = limits.current().signatory_text
    total = 0
    for cells, where in rows:
        fields = cell_origins(cells, *where)
        at = functools.partial(_cell, fields, where)
        total += sum(len(cells.get(k, "")) for k in TEXT_FIELDS)
        if total > most:
            reporter.error(where, "LK105", text_too_long(most))
            return []
        name = clean(cells.get("name", ""))
        if not name:
            reporter.error(
                at("name"),
                "LK120",
                "signatory has no name; fill in the 'name' cell or delete the row",
            )
            continue
        kind = _TYPES.get(clean(cells.get("type", "")).lower() or "organization")
        if kind is None:
            reporter.error(
                at("type"),
                "LK105",
                f"type must be 'organization' or 'individual', not '{cells['type']}'",
            )
            kind = "organization"
        withhold = _flag(cells.get("withhold", ""), "withhold", at("withhold"), reporter)
        given = {k: clean(cells.get(k, "")) for k in IDENTIFYING}
        given["type"] = kind if given["type"] else ""  # a blank type tells no one apart
        twin = next((t for t in seen.get(name.casefold(), ()) if not differing(given, t[2])), None)
        if twin is not None:
            first, first_withheld, _ = twin
            who = "a withheld signatory" if withhold or first_withheld else f"'{name}'"
            reporter.error(
                at("name"),
                "LK121",
                f"{who} is listed twice (also at {location(*first)}); delete one row",
            )
            continue
        seen.setdefault(name.casefold(), []).append((where, withhold, given))
        out.append(
            Signatory(
                name=name,
                type=kind,  # type: ignore[arg-type]
                acronym=clean(cells.get("acronym", "")),
                country=clean(cells.get("country", "")),
                affiliation=clean(cells.get("affiliation", "")),
                title=clean(cells.get("title", "")),
                group=clean(cells.get("group", "")),
                sort_as=clean(cells.get("sort_as", "")),
                lead=_flag(cells.get("lead", ""), "lead", at("lead"), reporter),
                withhold=withhold,
                signature=_signature(
                    cells.get("signature", ""), withhold, at("signature"), reporter, resolve
                ),
                note=clean(cells.get("note", "")),
                signed_by=clean(cells.get("signed_by", "")),
                origin=(problem_path(*where), where[1][0], where[1][1]),
                cells=tuple(fields.items()),
            )
        )
    return out


def _cell(fields: dict[str, Origin], row: Where, column: str) -> Where:
    """Where the cell of *column* stands in a row read at *row* (the row's start
    when it is not known: an inline list)."""
    return where_of(fields[column]) if column in fields else row


def _signature(
    cell: str, withhold: bool, where: Where, reporter: Reporter, resolve: Resolver
) -> Path | None:
    """A ``signature`` cell → the image's path. A withheld signatory's image is
    neither read nor printed (nor named in the problem: a file name may name them)."""
    text = cell.strip()
    if text and withhold:
        reporter.warning(
            where, "LK105",
            "a withheld signatory's signature is not printed; clear the 'signature' cell",
        )  # fmt: skip
        return None
    return resolve(text, where) if text else None


@functools.cache
def _icu_collator(tag: str) -> Any:
    import icu

    return icu.Collator.createInstance(icu.Locale(tag.replace("-", "_")))


def sort_key(signatory: Signatory) -> tuple[int, ...]:
    """The Unicode Collation Algorithm key (DUCET, the same on every machine)."""
    return _uca_key(signatory.sort_as or signatory.name)


@memo.table
@functools.lru_cache(maxsize=65536)
def _uca_key(text: str) -> tuple[int, ...]:
    key: tuple[int, ...] = collator().sort_key(text)
    return key


def collation_key(collation: str, tag: str) -> Callable[[Signatory], Any]:
    """The sort key for ``collation: uca`` (pyuca, DUCET) or ``icu`` (PyICU, tailored
    to the letter's language, e.g. Turkish "Ç" after "C")."""
    if collation != "icu":
        return sort_key
    collator = _icu_collator(tag)
    return lambda s: collator.getSortKey(s.sort_as or s.name)


def _uca(signatories: Sequence[Signatory]) -> Callable[[Signatory], Any]:
    """:func:`sort_key` for these signatories, every key made at once (those of a
    list sorted before read back from the cache: :func:`.collation.sort_keys`)."""
    texts = tuple(dict.fromkeys(s.sort_as or s.name for s in signatories))
    keys = dict(zip(texts, sort_keys(texts), strict=True))
    return lambda s: keys[s.sort_as or s.name]


def ordered(
    signatories: Sequence[Signatory],
    order: SignatoryOrder,
    collation: str = "uca",
    locale: str = "en",
    split: str = "none",
) -> list[Signatory]:
    """Signatories in print order: groups in order of first appearance; in each,
    lead signatories first (as given), then the rest (collated, names in the
    letter's script first; or as given), withheld names last. With *split*
    ``types``, each group's organisations come before its individuals, each run
    under its sub-heading (:func:`~.script_order.split_types`)."""
    groups: dict[str, list[Signatory]] = {}
    for s in signatories:
        groups.setdefault(s.group, []).append(s)
    if order == "alphabetical":
        rank = script_rank(locale)
        collate = collation_key(collation, locale) if collation == "icu" else _uca(signatories)
    out: list[Signatory] = []
    for members in groups.values():
        lead = [s for s in members if s.lead and not s.withhold]
        rest = [s for s in members if not s.lead and not s.withhold]
        if order == "alphabetical":
            rest.sort(key=lambda s: (rank(s), collate(s)))
        run = lead + rest + [s for s in members if s.withhold]
        out += split_types(run, locale) if split == "types" else run
    return out
