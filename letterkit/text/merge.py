"""Letter + template file → Markdown text, subject, salutation and closing.

Stage 2 of the pipeline: find and read the template (:mod:`.templates`), build
what it sees (:mod:`.context`), render its body and front matter in the
bounded sandbox (:mod:`.sandbox`), and choose the salutation and closing
(:mod:`.salutation`). This module is the templates' error boundary: whatever a
template raises while it is compiled or rendered becomes one
:class:`~letterkit.errors.Problem` naming the template file and line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .. import l10n, limits
from .._resources import names_a_file
from ..errors import ValidationError
from ..input.sources import Reporter
from ..model import Letter, LocalText, Signatory
from ._jinja import MAX_RANGE, template_line
from .context import build_context
from .salutation import built_salutation
from .sandbox import (
    MARKDOWN_ENV,
    PLAIN_ENV,
    OutputTooLarge,
    Refused,
    ValueTooLarge,
    compiled,
    render_bounded,
)
from .templates import TemplateSource, line_of, locate_template, read_template


@dataclass(frozen=True)
class MergedText:
    """What the template stage produces for the layout."""

    markdown: str
    subject: str
    salutation: str
    closing: str
    template: str
    #: The template file's text, to find the line a problem in the body comes from.
    source: str = ""


#: What a template that names the case is told when the letter has none.
NO_CASE = ("'case' is not defined", "'person' is not defined")

# --- the error boundary --------------------------------------------------------------


def _compile_problem(exc: Exception) -> tuple[str, int | None, str]:
    """The code, line and message for a template that cannot be compiled."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return "LK111", exc.lineno or None, f"template syntax error: {exc.message}"
    if isinstance(exc, Refused):
        return "LK113", exc.lineno, str(exc)
    if isinstance(exc, SyntaxError | RecursionError | MemoryError):
        # Python's own compiler refuses the generated code (more than 20 nested
        # blocks), or the parser recursed too deep (thousands of brackets).
        return "LK111", None, "the template is nested too deeply (blocks or brackets); simplify it"
    return "LK111", None, f"the template cannot be compiled: {str(exc) or type(exc).__name__}"


def _render_problem(exc: Exception) -> tuple[str, str]:
    """The code and message for an error raised while a template renders."""
    if isinstance(exc, jinja2.UndefinedError) and exc.message in NO_CASE:
        return "LK112", (
            f"{exc.message}: the letter has no case; add 'case:' to the spec "
            "or leave case and person out of the template"
        )
    if isinstance(exc, jinja2.UndefinedError):
        return "LK112", (
            f"{exc.message}; add it to the case file (or spec) or remove it from the template"
        )
    if isinstance(exc, limits.TimeLimit):
        return "LK114", (
            f"the template {exc}; simplify its loops "
            "(or raise the limit with --template-seconds if you trust it)"
        )
    if isinstance(exc, OutputTooLarge):
        return "LK114", str(exc)
    if isinstance(exc, OverflowError) and "range" in str(exc).lower():
        return "LK114", (
            f"a range() longer than {MAX_RANGE:,} items is not allowed in a template; "
            "a letter needs far fewer"
        )
    if isinstance(exc, RecursionError):
        return "LK114", (
            "the template calls itself or nests values too deeply (a macro that calls itself?)"
        )
    if isinstance(exc, MemoryError):
        return "LK114", "the template needs more memory than there is; check its loops"
    if isinstance(exc, ValueTooLarge):
        return "LK113", f"{exc}; a letter needs far smaller values"
    if isinstance(exc, SecurityError):
        return "LK113", f"not allowed in a template: {exc}"
    if isinstance(exc, l10n.LocalizationError | ValueError | TypeError | jinja2.TemplateError):
        return "LK113", str(exc)
    return "LK113", f"the template cannot be evaluated: {str(exc) or type(exc).__name__}"


def _one_line(field: str, message: str) -> str:
    return " ".join(f"{field}: {message}".splitlines())


def _render(
    env: SandboxedEnvironment,
    text: str,
    tpl: TemplateSource,
    context: Mapping[str, Any],
    reporter: Reporter,
    field: str,
) -> str | None:
    """*text* (the body or a front matter value of *tpl*) rendered, or None with
    the problem reported."""
    filename = str(tpl.path)
    try:
        template = compiled(env, text, filename)
    except Exception as exc:  # whatever compiling a template can raise is the template's fault
        code, line, message = _compile_problem(exc)
        reporter.error((tpl.display, (line, None)), code, _one_line(field, message))
        return None
    try:
        return render_bounded(template, context)
    except Exception as exc:  # every error a template can cause becomes a problem
        code, message = _render_problem(exc)
        # Jinja rewrites the traceback of what it raises to show template lines; an
        # expired time limit passes through it unrewritten and is mapped back.
        raw = template if isinstance(exc, limits.TimeLimit) else None
        line = template_line(exc, filename, raw)
        reporter.error((tpl.display, (line, None)), code, _one_line(field, message))
    return None


# --- merging -------------------------------------------------------------------------


def _check_requires(
    letter: Letter, tpl: TemplateSource, context: Mapping[str, Any], reporter: Reporter
) -> None:
    requires = tpl.front.get("requires") or []
    if not isinstance(requires, list):
        reporter.error(
            (tpl.display, (None, None)), "LK111", "'requires' must be a list of case fields"
        )
        return
    if requires and "case" not in context:
        fields = ", ".join(str(item) for item in requires)
        name = letter.template
        if not isinstance(name, str) or names_a_file(name):
            name = tpl.display
        reporter.error(
            (tpl.display, (line_of(tpl.text, "requires") or 1, None)),
            "LK112",
            f"the template '{name}' needs a case ({fields}) and the letter has none; "
            "add 'case:' to the spec, or use a template written for a letter without a case",
        )
        return
    for item in requires:
        value: Any = context["case"]
        path = str(item)
        for part in path.split("."):
            if isinstance(value, Mapping) and value.get(part) not in (None, "", [], ()):
                value = value[part]
            else:
                reporter.error(
                    (tpl.display, (line_of(tpl.text, "requires") or 1, None)),
                    "LK112",
                    f"the template requires case field '{path}', which the case file does not give; add it",
                )
                break


def _front(
    tpl: TemplateSource,
    key: str,
    default: str,
    letter: Letter,
    context: Mapping[str, Any],
    reporter: Reporter,
) -> str:
    """The front matter value *key* rendered on one line, or *default*."""
    value = tpl.front.get(key)
    if value is None:
        return default
    if isinstance(value, Mapping):
        try:
            value = l10n.localize(value, letter.locale)
        except l10n.LocalizationError as exc:
            reporter.error(
                (tpl.display, (line_of(tpl.text, key), None)), "LK108", f"'{key}' has {exc}"
            )
            return default
    rendered = _render(PLAIN_ENV, str(value), tpl, context, reporter, key)
    return " ".join((rendered or "").split())


def _given(text: LocalText, locale: str) -> str:
    """A salutation or closing given by the spec or a row: "" prints none."""
    return l10n.localize(text, locale) if text else ""


def merge(
    letter: Letter,
    signatories: Sequence[Signatory],
    annexes: Sequence[Mapping[str, Any]],
    spec_display: str,
) -> MergedText:
    """Render the letter's template with its data; raise ValidationError on any problem."""
    reporter = Reporter()
    path = locate_template(letter, reporter, spec_display)
    reporter.raise_if_failed()
    assert path is not None
    tpl = read_template(path, reporter)
    reporter.raise_if_failed()
    assert tpl is not None
    context = build_context(letter, signatories, annexes)
    _check_requires(letter, tpl, context, reporter)
    reporter.raise_if_failed()
    markdown = _render(MARKDOWN_ENV, tpl.body, tpl, context, reporter, "body")
    locale = letter.locale

    def front(key: str, default: str) -> str:
        return _front(tpl, key, default, letter, context, reporter)

    subject = l10n.localize(letter.subject, locale) if letter.subject else front("subject", "")
    one = letter.recipients[0] if len(letter.recipients) == 1 else None
    if letter.salutation is not None:
        salutation = _given(letter.salutation, locale)
    elif one is not None and one.salutation is not None:
        salutation = _given(one.salutation, locale)
    elif not letter.recipients:  # a public statement: a greeting only if the template has one
        salutation = front("salutation", "")
    else:
        salutation = front("salutation", built_salutation(letter))
    if letter.closing is not None:
        closing = _given(letter.closing, locale)
    elif one is not None and one.closing is not None:
        closing = _given(one.closing, locale)
    else:
        # the closing may name the addressee as the greeting does ("Veuillez agréer,
        # Madame la Ministre, …"): {{ greeting }} is the salutation without its mark
        greeting = salutation.rstrip(",:!،").rstrip()
        closing = _front(
            tpl,
            "closing",
            l10n.word(locale, l10n._("Yours sincerely,")),
            letter,
            {**context, "greeting": greeting},
            reporter,
        )
    if markdown is not None and "\x00" in markdown:
        reporter.error(
            (tpl.display, (None, None)), "LK113", "the merged text contains a NUL character"
        )
    if reporter.failed:
        raise ValidationError(reporter.problems)
    return MergedText(
        markdown=(markdown or "").strip("\n") + "\n",
        subject=subject,
        salutation=salutation,
        closing=closing,
        template=tpl.display,
        source=tpl.text,
    )


__all__ = ["MergedText", "merge"]
