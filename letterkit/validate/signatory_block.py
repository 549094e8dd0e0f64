"""The signatory block's settings and the columns it prints → problems.

``signatory_block``: a :class:`~letterkit.model.SignatoryBlock` (or None),
``size`` one of its words, ``heading`` and ``note`` texts (checked with the
other localizable texts, :mod:`.texts`), and ``entry`` a Jinja template that
parses and uses only the fields an entry has (:data:`~letterkit.model.ENTRY_FIELDS`)
and the filters templates have. A signatory's ``signed_by`` is for an organisation.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ..model import ENTRY_FIELDS, Letter, Signatory, SignatoryBlock, SignatorySize, SignatorySplit
from ._check import Check, literal

#: The filters letterkit adds to Jinja's own (the template sandbox's, see
#: :mod:`letterkit.text.sandbox`).
LETTERKIT_FILTERS = (
    "date", "duration", "age", "join_list", "number", "plural", "country", "localize", "slug",
    "markdown",
)  # fmt: skip
_FIELD = "letter.signatory_block"


#: The most signatories ``numbered`` prints: four digits.
MOST_NUMBERED = 9_999


def signatory_block(letter: Letter, check: Check) -> None:
    """The block's settings are what the model says, and the entry template is usable."""
    block = letter.signatory_block
    _signed_by(letter, check)
    numbered = len(letter.signatories) if isinstance(letter.signatories, tuple | list) else 0
    if letter.signatory_style == "numbered" and numbered > MOST_NUMBERED:
        check.error(
            "letter.signatory_style", "LK105",
            f"'numbered' prints 1 to {MOST_NUMBERED:,}, and the list has {numbered:,} "
            "signatories; choose 'columns' or 'count'",
        )  # fmt: skip
    if block is None:
        return
    if not isinstance(block, SignatoryBlock):
        check.error(_FIELD, "LK105", "'signatory_block' must be a SignatoryBlock (or None)")
        return
    check.choice(f"{_FIELD}.size", block.size, literal(SignatorySize))
    check.choice(f"{_FIELD}.split", block.split, literal(SignatorySplit))
    if not isinstance(block.entry, str):
        check.error(f"{_FIELD}.entry", "LK105", "'entry' must be text (a Jinja template)")
        return
    for code, message in entry_problems(block.entry):
        check.error(f"{_FIELD}.entry", code, message)


def block_texts(letter: Letter) -> Iterator[tuple[str, str, object]]:
    """The block's localizable texts: (field, label, value)."""
    block = letter.signatory_block
    if isinstance(block, SignatoryBlock):
        yield f"{_FIELD}.heading", "heading", block.heading
        yield f"{_FIELD}.note", "note", block.note


@functools.lru_cache(maxsize=64)
def entry_problems(text: str) -> tuple[tuple[str, str], ...]:
    """What is wrong with an ``entry`` template: (code, message) pairs, ``()`` when
    it can render. A syntax error is LK111, a field an entry does not have LK112."""
    if not text:
        return ()
    import jinja2  # on the first entry template: importing letterkit stays light
    from jinja2 import meta, nodes
    from jinja2.sandbox import SandboxedEnvironment

    class Reading(SandboxedEnvironment):
        """Reads a template without working out its constant expressions, which
        compiling does otherwise: ((10 ** 10000) ** 10000) ** 100 has ten
        billion digits."""

        intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
        intercepted_unops = frozenset({"+", "-"})

    env = Reading(optimized=False)
    env.filters.update(dict.fromkeys(LETTERKIT_FILTERS, str))  # their names, for the check
    try:
        tree = env.parse(text)
        names = meta.find_undeclared_variables(tree)  # compiles: unknown filters and tests
    except jinja2.TemplateSyntaxError as exc:  # also an unknown filter or test
        return (("LK111", f"the entry template has a syntax error: {exc.message}"),)
    except (ValueError, OverflowError, RecursionError) as exc:  # a constant too large, too deep
        return (("LK111", f"the entry template cannot be compiled: {exc}"),)
    found: list[tuple[str, str]] = []
    known = ", ".join(ENTRY_FIELDS)
    for name in sorted(names - set(ENTRY_FIELDS)):
        found.append(
            ("LK112", f"the entry template uses '{name}', which an entry does not have; "
             f"use one of {known}")
        )  # fmt: skip
    if any(True for _ in tree.find_all((nodes.Extends, nodes.Include, nodes.Import))):
        found.append(("LK111", "the entry template cannot include or import another template"))
    return tuple(found)


def _signed_by(letter: Letter, check: Check) -> None:
    for index, s in enumerate(letter.signatories):
        if isinstance(s, Signatory) and s.signed_by and s.type == "individual":
            check.add(
                f"letter.signatories[{index}].signed_by", "LK105",
                "'signed_by' names the person signing for an organisation; an individual "
                "signs in their own name: leave it empty or make the row an organization",
                at=s.origin,
            )  # fmt: skip
