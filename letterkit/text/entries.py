"""A signatory list + the ``entry`` template → one line of text per signatory.

The template (``"{{ name }}, {{ country }}"``) runs in the bounded sandbox
(:mod:`.sandbox`) with plain values: the layout escapes the whole line, so a
value prints literally. It sees the signatory's columns, the country's name
in the letter's language when the cell is an ISO 3166 code, and the entry's
1-based number. A withheld signatory has no entry here (the layout prints
the localized "Name withheld"). Whitespace is folded, and a separator left
dangling by an empty value (``"Name, , Org"``, ``"Name, "``) is dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import jinja2
from jinja2 import meta
from jinja2.exceptions import SecurityError

from .. import countries, l10n, limits
from ..errors import LetterkitError
from ..model import Signatory
from .budget import OutputTooLarge, ValueTooLarge, budget
from .sandbox import PLAIN_ENV, NotPrintable, Refused, compiled

_ISO = re.compile(r"[A-Z]{2}")
_SPACE = re.compile(r"\s+")
_EMPTY_PART = re.compile(r"\s*([,;])(?:\s*[,;])+")
#: A separator just inside a bracket ("(, Kyrgyzstan, )"), and brackets left empty.
_OPENING = re.compile(r"([(\[])\s*[,;]\s*")
_CLOSING = re.compile(r"\s*[,;]\s*([)\]])")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*\)|\[\s*\])")


class EntryError(LetterkitError):
    """The entry template cannot be rendered: a code and a message for the spec."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def country_text(country: str, locale: str) -> str:
    """The country's name in *locale* when *country* is an ISO 3166 code, else as written."""
    if _ISO.fullmatch(country):
        try:
            return countries.country_name(country, locale)
        except l10n.LocalizationError:
            return country
    return country


@functools.lru_cache(maxsize=64)
def fields_used(template: str) -> frozenset[str]:
    """The names an entry template reads (``{"name", "country"}``); none when it
    does not parse (validation reports that)."""
    try:
        return frozenset(meta.find_undeclared_variables(PLAIN_ENV.parse(template)))
    except jinja2.TemplateError:
        return frozenset()


def tidy(text: str) -> str:
    """One line: whitespace folded, separators left by empty values dropped, also
    inside brackets, and brackets left empty dropped ("Name (, KG, )" → "Name (KG)",
    "Name ()" → "Name")."""
    text = _SPACE.sub(" ", text).strip()
    text = _EMPTY_PART.sub(r"\1", text)
    text = _CLOSING.sub(r"\1", _OPENING.sub(r"\1", text))
    text = _EMPTY_BRACKETS.sub("", text)
    return text.strip(" ,;")


def entry_texts(
    template: str, signatories: Sequence[Signatory], locale: str, first: int = 1
) -> list[str]:
    """Each signatory's entry as text (``""`` for a withheld one), numbered from *first*.

    Raises :class:`EntryError` for a template that cannot be compiled or
    rendered (an unknown field, a value too large, past the time limit).
    """
    try:
        compiled_template = compiled(PLAIN_ENV, template, "<entry>")
    except (jinja2.TemplateError, Refused, SyntaxError, RecursionError) as exc:
        raise EntryError("LK111", f"the entry template cannot be compiled: {exc}") from exc

    def render_all() -> list[str]:
        out = []
        for number, s in enumerate(signatories, first):
            if s.withhold:
                out.append("")
                continue
            context = {
                "name": s.name, "type": s.type, "acronym": s.acronym,
                "country": country_text(s.country, locale), "affiliation": s.affiliation,
                "title": s.title, "note": s.note, "signed_by": s.signed_by, "group": s.group,
                "number": number, "letter": {"locale": locale},
            }  # fmt: skip
            with budget():
                out.append(tidy("".join(compiled_template.generate(context))))
        return out

    try:
        return limits.call_within(limits.current().template_seconds, render_all)
    except jinja2.UndefinedError as exc:
        raise EntryError("LK112", f"the entry template: {exc.message}") from exc
    except (limits.TimeLimit, OutputTooLarge) as exc:
        raise EntryError("LK114", f"the entry template {exc}") from exc
    except (ValueTooLarge, SecurityError, NotPrintable, jinja2.TemplateError) as exc:
        raise EntryError("LK113", f"the entry template: {exc}") from exc
    except (ValueError, TypeError, OverflowError, l10n.LocalizationError) as exc:
        raise EntryError("LK113", f"the entry template cannot be evaluated: {exc}") from exc
