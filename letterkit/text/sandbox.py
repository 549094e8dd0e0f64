"""Template text + context → rendered text, in a bounded sandbox.

Templates come from partners and are not trusted. They run in Jinja's
:class:`~jinja2.sandbox.SandboxedEnvironment` with ``StrictUndefined``, within
the limits of :mod:`letterkit.limits`: a time limit, a size limit on the output
and on the values an expression builds. Every value a template prints is
escaped for Markdown, so data is printed literally and never becomes markup;
``|markdown`` opts a trusted value in. The filters (``date``, ``duration``,
``join_list``, ``plural``…) format in the letter's locale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .. import l10n, limits, memo
from ..errors import LetterkitError
from ._jinja import NamingUndefined, compile_template
from .context import Data

_MD_SPECIAL = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


class TrustedMarkdown(str):
    """A value the template author marked as Markdown with ``|markdown``."""

    __slots__ = ()


def escape_markdown(text: str) -> str:
    r"""Backslash-escape every ASCII punctuation character, so Markdown prints it as is.

    >>> escape_markdown("*Now* [KG]_")
    '\\*Now\\* \\[KG\\]\\_'
    """
    return _MD_SPECIAL.sub(r"\\\1", text)


class NotPrintable(LetterkitError, ValueError):
    """A template prints a value that cannot stand in running text (a list, a line break)."""


class _Undefined(NamingUndefined):
    """StrictUndefined whose message names the full dotted path (``case.sentence``)."""

    __slots__ = ()

    @classmethod
    def describe(cls, owner: object, name: str | None) -> str | None:
        if isinstance(owner, Data):
            return f"'{owner.lk_name}.{name}' is not in the data"
        return None


# --- filters and the environment -----------------------------------------------------


def _locale(context: Any) -> str:
    letter = context.get("letter")
    return str(letter["locale"]) if isinstance(letter, Mapping) else "en-GB"


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@jinja2.pass_context
def _f_date(context: Any, value: Any, format: str = "long") -> str:
    return l10n.format_date(_as_date(value), _locale(context), format)


@jinja2.pass_context
def _f_duration(context: Any, value: Any, until: Any, granularity: str = "month") -> str:
    return l10n.duration(_as_date(value), _as_date(until), _locale(context), granularity)


def _f_age(value: Any, on: Any) -> int:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) == 4):
        return l10n.age(int(value), _as_date(on))
    return l10n.age(_as_date(value), _as_date(on))


@jinja2.pass_context
def _f_join_list(context: Any, value: Sequence[Any], style: str = "standard") -> str:
    locale = _locale(context)
    return l10n.join_list([l10n.localize(v, locale) for v in value], locale, style)


@jinja2.pass_context
def _f_number(context: Any, value: Any) -> str:
    return l10n.format_number(value, _locale(context))


@jinja2.pass_context
def _f_plural(context: Any, value: Any, **forms: str) -> str:
    n = len(value) if isinstance(value, Sequence) and not isinstance(value, str) else int(value)
    return l10n.plural(n, _locale(context), forms)


@jinja2.pass_context
def _f_country(context: Any, value: Any) -> str:
    return l10n.country_name(str(value), _locale(context))


@jinja2.pass_context
def _f_localize(context: Any, value: Any) -> str:
    return l10n.localize(value, _locale(context))


def _f_markdown(value: Any) -> TrustedMarkdown:
    return TrustedMarkdown(value)


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox, refusing expressions that build huge values (``'a' * 10**9``)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        limit = limits.current().template_value
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError(f"the power {right} is too large for a template")
            return left**right
        for seq, times in ((left, right), (right, left)):
            if (
                isinstance(seq, str | list | tuple)
                and isinstance(times, int)
                and len(seq) * max(times, 0) > limit
            ):
                raise SecurityError(
                    f"an expression would build a value of {len(seq) * times:,} items; "
                    f"the limit is {limit:,}"
                )
        return left * right


def _make_env(escape: bool) -> SandboxedEnvironment:
    @jinja2.pass_context
    def finalize(context: Any, value: Any) -> Any:
        if isinstance(value, TrustedMarkdown):
            return value if escape else str(value)
        if isinstance(value, Mapping):
            value = l10n.localize(value, _locale(context))
        elif isinstance(value, dt.date):
            value = l10n.format_date(value, _locale(context))
        elif isinstance(value, list | tuple | set | dict):
            raise NotPrintable(
                f"a {type(value).__name__} cannot be printed as text; loop over it or use |join_list"
            )
        text = "" if value is None else str(value)
        if "\n" in text or "\r" in text:
            raise NotPrintable(
                f"the value {text[:40]!r}… contains a line break; keep it on one line or use |markdown"
            )
        return escape_markdown(text) if escape else text

    env = _BoundedSandbox(
        undefined=_Undefined,
        finalize=finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=_f_date,
        duration=_f_duration,
        age=_f_age,
        join_list=_f_join_list,
        number=_f_number,
        plural=_f_plural,
        country=_f_country,
        localize=_f_localize,
        slug=l10n.slug,
        markdown=_f_markdown,
    )
    return env


MARKDOWN_ENV = _make_env(escape=True)
PLAIN_ENV = _make_env(escape=False)

#: The sandbox of ``output.filename``: the same bounds, plain values, ``slug``.
FILENAME_ENV = _BoundedSandbox(autoescape=False)
FILENAME_ENV.filters["slug"] = l10n.slug


# --- rendering within the limits -----------------------------------------------------


class OutputTooLarge(LetterkitError):
    """A template produced more text than :attr:`letterkit.Limits.template_output`."""


def render_bounded(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """*template* rendered with *context* within the time and size limits in force.

    Raises :class:`letterkit.limits.TimeLimit` or :class:`OutputTooLarge`, or
    whatever the template raised.
    """
    bounds = limits.current()

    def collect() -> str:
        parts: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > bounds.template_output:
                raise OutputTooLarge(
                    f"the template produces more than {bounds.template_output:,} characters; "
                    "a letter is far shorter: check its loops"
                )
            parts.append(chunk)
        return "".join(parts)

    return limits.call_within(bounds.template_seconds, collect)


class Refused(LetterkitError):
    """A template uses what templates may not: another template."""

    def __init__(self, message: str, lineno: int) -> None:
        super().__init__(message)
        self.lineno = lineno


_OTHER_TEMPLATES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)

_COMPILED: dict[tuple[int, str, str], jinja2.Template] = {}


def compiled(env: SandboxedEnvironment, text: str, filename: str) -> jinja2.Template:
    """The template for *text*, compiled once per process (a bundle renders the
    same template for every recipient).

    Raises :class:`jinja2.TemplateSyntaxError`, or :class:`Refused` for a
    template that names another (there is no loader: each is one file).
    """
    key = (id(env), text, filename)
    template = _COMPILED.get(key)
    if template is None:
        tree = env.parse(text, filename=filename)
        for node in tree.find_all(_OTHER_TEMPLATES):
            raise Refused(
                "a template cannot include, import or extend another template; "
                "put the text in this one",
                node.lineno,
            )
        template = compile_template(env, tree, filename)
        memo.keep(_COMPILED, key, template, 64)
    return template


__all__ = [
    "FILENAME_ENV",
    "MARKDOWN_ENV",
    "PLAIN_ENV",
    "NotPrintable",
    "OutputTooLarge",
    "Refused",
    "TrustedMarkdown",
    "compiled",
    "escape_markdown",
    "render_bounded",
]
