"""Localizable texts: each is text or ``{locale: text}``, with an entry for the letter's locale."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from ..model import Annex, Case, Letter, Person, Recipient, Sender
from ._check import Check
from .addressees import label_texts
from .rules import locale_ok
from .signatory_block import block_texts

#: A recipient's texts: each must have the letter's language when it is localized.
_RECIPIENT_TEXTS = (
    "name",
    "honorific",
    "title",
    "organization",
    "salutation",
    "closing",
    "surname",
)


def texts(letter: Letter) -> Iterator[tuple[str, str, object]]:
    """Every localizable text of *letter*: (field, label, value)."""
    yield "letter.place", "place", letter.place
    yield "letter.subject", "subject", letter.subject
    for key in ("salutation", "closing"):  # None: left to the template
        if getattr(letter, key) is not None:
            yield f"letter.{key}", key, getattr(letter, key)
    for i, line in enumerate(letter.cc):
        yield f"letter.cc[{i}]", "cc", line
    yield from label_texts(letter)
    if isinstance(letter.sender, Sender):
        yield "letter.sender.name", "sender.name", letter.sender.name
        for i, line in enumerate(letter.sender.address):
            yield f"letter.sender.address[{i}]", "address", line
    for n, r in enumerate(letter.recipients):
        if isinstance(r, Recipient):
            for key in _RECIPIENT_TEXTS:
                if getattr(r, key, None) is None and key in ("salutation", "closing"):
                    continue
                label = "recipient name" if key == "name" else key
                yield f"letter.recipients[{n}].{key}", label, getattr(r, key)
            for i, line in enumerate(r.address):
                yield f"letter.recipients[{n}].address[{i}]", "address", line
    yield from _case_texts(letter.case)
    for n, a in enumerate(letter.annexes):
        if isinstance(a, Annex):
            yield f"letter.annexes[{n}].title", "title", a.title
    yield from block_texts(letter)


def _case_texts(case: object) -> Iterator[tuple[str, str, object]]:
    if not isinstance(case, Case):
        return
    yield "letter.case.sentence", "sentence", case.sentence
    if isinstance(case.person, Person):
        yield "letter.case.person.role", "role", case.person.role
        yield "letter.case.person.hometown", "hometown", case.person.hometown
    for n, event in enumerate(case.events):
        yield f"letter.case.events[{n}].text", "event text", getattr(event, "text", "")
    for n, demand in enumerate(case.demands):
        yield f"letter.case.demands[{n}]", "demands", demand


def localized(letter: Letter, check: Check) -> None:
    """Each text is text, or ``{locale: text}`` with an entry for the letter's locale."""
    from .. import l10n

    chain = l10n.locale_chain(letter.locale) if locale_ok(letter) else []
    for path, label, value in texts(letter):
        if isinstance(value, str):
            continue
        if not isinstance(value, Mapping) or not _localizable(value):
            check.error(path, "LK105", f"'{label}' must be text or a mapping {{locale: text}}")
        elif chain and not any(value.get(key) is not None for key in chain):
            try:
                l10n.localize(value, letter.locale)
            except l10n.LocalizationError as exc:
                check.error(path, "LK108", f"'{label}' has {exc}")
    for n, annex in enumerate(letter.annexes):
        files = annex.path if isinstance(annex, Annex) else None
        if chain and isinstance(files, Mapping) and not any(k in files for k in chain):
            known = ", ".join(str(k) for k in files) or "none"
            check.error(
                f"letter.annexes[{n}].path", "LK108",
                f"'path' has no file for locale {letter.locale!r} (has: {known}); "
                f"add a '{letter.locale}' or 'default' entry",
            )  # fmt: skip


def _localizable(value: Mapping[object, object]) -> bool:
    """:func:`letterkit.l10n.is_localizable_mapping`, with the key check remembered
    (a bundle's letters hold the same few mappings)."""
    values_ok = all(isinstance(v, str | None) for v in value.values())
    return values_ok and _locale_keys(tuple(value))


@functools.lru_cache(maxsize=256)
def _locale_keys(keys: tuple[object, ...]) -> bool:
    from .. import l10n

    return l10n.is_localizable_mapping(dict.fromkeys(keys, ""))
