"""Template text + context → rendered text, in a bounded sandbox.

Templates come from partners and are not trusted. They run in Jinja's
:class:`~jinja2.sandbox.SandboxedEnvironment` with ``StrictUndefined``, within
the limits of :mod:`letterkit.limits`: a time limit; a size limit on every
value an operator, method, filter or ``~`` builds, checked from its operands
before it is built (:mod:`.bounded`, :mod:`.filters`); and a budget on all the
text a render emits and the lists it builds or fills (:mod:`.budget`). Every
value a template prints is escaped for Markdown, so data is printed literally
and never becomes markup; ``|markdown`` opts a trusted value in. The filters
(``date``, ``duration``, ``join_list``, ``plural``…) format in the letter's
locale.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .. import countries, l10n, limits, memo
from ..errors import LetterkitError
from ._jinja import BoundedFormatter, CountingCodeGenerator, NamingUndefined, compile_template
from .bounded import FormatCheck, check_binop, check_call, concat_size
from .budget import OutputTooLarge, ValueTooLarge, budget, emitted, kept, refuse_over, size_of
from .context import Data
from .filters import bound_filters, bounded_lipsum

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


def _digits(context: Any) -> str | None:
    """The letter's ``digits:`` (None: its locale's)."""
    letter = context.get("letter")
    digits = letter.get("digits") if isinstance(letter, Mapping) else None
    return digits if isinstance(digits, str) else None


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@jinja2.pass_context
def _f_date(context: Any, value: Any, format: str = "long") -> str:
    return l10n.format_date(_as_date(value), _locale(context), format, _digits(context))


@jinja2.pass_context
def _f_duration(context: Any, value: Any, until: Any, granularity: str = "month") -> str:
    return l10n.duration(
        _as_date(value), _as_date(until), _locale(context), granularity, _digits(context)
    )


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
    return l10n.format_number(value, _locale(context), _digits(context))


@jinja2.pass_context
def _f_plural(context: Any, value: Any, **forms: str) -> str:
    n = len(value) if isinstance(value, Sequence) and not isinstance(value, str) else int(value)
    return l10n.plural(n, _locale(context), forms, _digits(context))


@jinja2.pass_context
def _f_country(context: Any, value: Any, article: bool = True) -> str:
    """The country's name, as running text writes it ("the Philippines" in
    English; ``article=False`` leaves "the" out); the case's ``country_name``
    for the case's country."""
    code = str(value)
    case = context.get("case")
    given: Any = ""
    if isinstance(case, Mapping) and code.upper() == case.get("country"):
        given = case.get("country_name") or ""
    return countries.country_name(code, _locale(context), given, article=bool(article))


@jinja2.pass_context
def _f_localize(context: Any, value: Any) -> str:
    return l10n.localize(value, _locale(context))


def _f_markdown(value: Any) -> TrustedMarkdown:
    return TrustedMarkdown(value)


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox, refusing any operation whose result would pass the value limit
    (``'a' * 10**9``, ``'%0999999999d' % 1``, ``'x'.center(10**9)``, ``a ~ a`` in a
    loop…) before it runs, and counting what a template emits and keeps
    (:mod:`.budget`). Nothing is folded at compile time, so the limits apply to
    every expression when the template renders."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = CountingCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(optimized=False, **options)
        lipsum = self.globals.get("lipsum")
        if callable(lipsum):
            self.globals["lipsum"] = bounded_lipsum(lipsum)

    def seal(self) -> None:
        """Put every filter that can grow a value behind its bound (call it once the
        filters are all there)."""
        self.filters.update(bound_filters(self.filters))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return kept(self.binop_table[operator](left, right))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if not self.is_safe_callable(obj):
            raise SecurityError(f"{obj!r} is not safely callable")
        args = check_call(obj, args, kwargs)
        result = context.call(obj, *args, **kwargs)
        return kept(result)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``str.format_map``, every field bounded before it is
        formatted. (A ``Markup`` string formats as a plain one: templates print
        Markdown, where HTML escaping has no part.)"""
        if not isinstance(
            value, types.MethodType | types.BuiltinMethodType
        ) or value.__name__ not in (
            "format",
            "format_map",
        ):
            return None
        owner = value.__self__
        if not isinstance(owner, str):
            return None
        mapping = value.__name__ == "format_map"

        def format(*args: Any, **kwargs: Any) -> str:
            if mapping:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            formatter = BoundedFormatter(self, FormatCheck(owner))
            return str(formatter.vformat(str(owner), args, kwargs))

        return functools.update_wrapper(format, value)

    def lk_emitted(self, text: str) -> str:
        """A piece of text the template emits, counted (see ``CountingCodeGenerator``)."""
        return emitted(text)

    def lk_concat(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """``a ~ b``, refused before it is built when too long."""
        concat_size(parts, escaped=join.__name__ == "markup_join")
        return join(parts)


def _make_env(escape: bool) -> SandboxedEnvironment:
    @jinja2.pass_context
    def finalize(context: Any, value: Any) -> Any:
        if isinstance(value, TrustedMarkdown):
            return value if escape else str(value)
        if isinstance(value, Mapping):
            value = l10n.localize(value, _locale(context))
        elif isinstance(value, dt.date):
            value = l10n.format_date(value, _locale(context), digits=_digits(context))
        elif isinstance(value, list | tuple | set | dict):
            raise NotPrintable(
                f"a {type(value).__name__} cannot be printed as text; loop over it or use |join_list"
            )
        refuse_over(size_of(value), "printing a value")
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
    env.seal()
    return env


MARKDOWN_ENV = _make_env(escape=True)
PLAIN_ENV = _make_env(escape=False)


#: The sandbox of ``output.filename``: the same bounds, plain values, ``slug``.
@jinja2.pass_context
def _plain(context: Any, value: Any) -> Any:
    """A value printed in a file name, measured before ``str()`` prints it."""
    refuse_over(size_of(value), "printing a value")
    return value


FILENAME_ENV = _BoundedSandbox(autoescape=False, finalize=_plain)
FILENAME_ENV.filters["slug"] = l10n.slug
FILENAME_ENV.seal()


# --- rendering within the limits -----------------------------------------------------


def render_bounded(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """*template* rendered with *context* within the time and size limits in force.

    Raises :class:`letterkit.limits.TimeLimit`, :class:`OutputTooLarge` (for all
    the text emitted, also inside macros and blocks, and the values kept in
    lists), :class:`ValueTooLarge` (an operation that would build a value over
    the limit), or whatever else the template raised.
    """
    bounds = limits.current()

    def collect() -> str:
        with budget():
            return "".join(template.generate(context))

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
    "ValueTooLarge",
    "compiled",
    "escape_markdown",
    "render_bounded",
]
