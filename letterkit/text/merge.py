"""Letter + template file → Markdown text, subject, salutation and closing.

Stage 2 of the pipeline. The template is Markdown with optional YAML front
matter, merged by a sandboxed Jinja2 environment with ``StrictUndefined``.
Every value the template prints is escaped for Markdown, so data is printed
literally and never becomes markup; ``|markdown`` opts a trusted value in.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .. import l10n, limits, memo
from .._resources import builtin_templates, templates_dir
from ..errors import ValidationError
from ..input.sources import Reporter, display_path
from ..model import Letter, Signatory

FRONT_MATTER_KEYS = ("subject", "salutation", "closing", "requires")

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


class Data(dict[str, Any]):
    """A mapping in the template context that knows its dotted name (for error messages)."""

    def __init__(self, lk_name: str, /, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lk_name = lk_name


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined whose message names the full dotted path (``case.sentence``)."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        name = self._undefined_name
        if isinstance(obj, Data):
            return f"'{obj.lk_name}.{name}' is not in the data"
        if obj is jinja2.utils.missing:
            return f"'{name}' is not defined"
        return super()._undefined_message


@dataclass(frozen=True)
class TemplateSource:
    """A template file: its path, the front matter and the Jinja body."""

    path: Path
    display: str
    front: Mapping[str, Any]
    body: str
    text: str


@dataclass(frozen=True)
class MergedText:
    """What the template stage produces for the layout."""

    markdown: str
    subject: str
    salutation: str
    closing: str
    template: str


# --- finding and reading templates -------------------------------------------------


def locate_template(letter: Letter, reporter: Reporter, spec: str) -> Path | None:
    """The template file for the letter's locale, or None (reported)."""
    name: object = letter.template
    if isinstance(name, Mapping):
        try:
            name = l10n.localize(name, letter.locale)
        except l10n.LocalizationError as exc:
            reporter.error((spec, (None, None)), "LK110", f"'template' has {exc}")
            return None
    name = str(name)
    folder: Path
    if "/" in name or "\\" in name or name.endswith(".md"):
        path = (letter.base_dir / name).resolve()
        if not path.is_file():
            reporter.error(
                (spec, (None, None)), "LK110", f"template file '{name}' not found next to the spec"
            )
            return None
        return path
    folder = templates_dir() / name
    known = builtin_templates()
    if name not in known:
        names = ", ".join(known) or "none"
        reporter.error(
            (spec, (None, None)),
            "LK110",
            f"unknown template '{name}'; built-in templates: {names}; or give a path to a .md file",
        )
        return None
    for key in l10n.locale_chain(letter.locale)[:-1]:
        candidate = folder / f"{key}.md"
        if candidate.is_file():
            return candidate
    if l10n.parse_locale(letter.locale).language == "en" and (folder / "en-GB.md").is_file():
        return folder / "en-GB.md"
    reporter.error(
        (spec, (None, None)),
        "LK110",
        f"template '{name}' has no '{letter.locale}' version (has: {', '.join(known[name])}); "
        "choose one of those locales or write your own template",
    )
    return None


def read_template(path: Path, reporter: Reporter) -> TemplateSource | None:
    """Split a template file into front matter and body (line numbers kept)."""
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reporter.error((display, (None, None)), "LK102", f"cannot read the template: {exc}")
        return None
    front: Mapping[str, Any] = {}
    body = text
    match = re.match(r"---[ \t]*\n(.*?\n)---[ \t]*(\n|$)", text, re.S)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            pos = (mark.line + 2, mark.column + 1) if mark else (1, None)
            reason = getattr(exc, "problem", None) or "cannot parse"
            reporter.error((display, pos), "LK111", f"front matter is not valid YAML: {reason}")
            return None
        if not isinstance(loaded, dict):
            reporter.error(
                (display, (1, 1)), "LK111", "front matter must be a mapping (subject:, closing:, …)"
            )
            return None
        for key in loaded:
            if key not in FRONT_MATTER_KEYS:
                reporter.error(
                    (display, (_line_of(text, str(key)), 1)),
                    "LK103",
                    f"unknown front matter key '{key}'; known: {', '.join(FRONT_MATTER_KEYS)}",
                )
        front = loaded
        # Blank lines in place of the front matter keep Jinja's line numbers = file lines.
        body = "\n" * match.group(0).count("\n") + text[match.end() :]
    return TemplateSource(path, display, front, body, text)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


# --- the Jinja environment -----------------------------------------------------------


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
            raise ValueError(
                f"a {type(value).__name__} cannot be printed as text; loop over it or use |join_list"
            )
        text = "" if value is None else str(value)
        if "\n" in text or "\r" in text:
            raise ValueError(
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


_MARKDOWN_ENV = _make_env(escape=True)
_PLAIN_ENV = _make_env(escape=False)


# --- the context ---------------------------------------------------------------------


def person_name(letter: Letter) -> str:
    """The case person's name as spelled in the letter's language."""
    person = letter.case.person
    return person.names.get(letter.locale) or next(
        (person.names[k] for k in l10n.locale_chain(letter.locale) if k in person.names),
        person.name,
    )


def build_context(
    letter: Letter, signatories: Sequence[Signatory], annexes: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The names a template sees: letter, case, person, recipients, recipient, sender,
    signatories, annexes, variables."""
    locale = letter.locale
    case = letter.case
    person = case.person
    display_name = person_name(letter)
    age = person.age
    if age is None and person.born is not None:
        age = l10n.age(person.born, letter.date)
    person_data = Data(
        "person",
        name=person.name,
        names=Data("person.names", person.names),
        display_name=display_name,
        gender=person.gender,
        age=age,
        born=person.born,
        role=person.role,
        hometown=person.hometown,
    )
    case_data = Data(
        "case",
        person=person_data,
        country=case.country,
        detained_on=case.detained_on,
        sentence=case.sentence,
        events=[Data("event", date=e.date, text=e.text) for e in case.events],
        demands=list(case.demands),
        facts=_data("case.facts", case.facts),
    )
    recipients = [
        Data(
            "recipient",
            honorific=r.honorific,
            name=r.name,
            title=r.title,
            organization=r.organization,
            address=list(r.address),
            email=r.email,
            salutation=r.salutation,
        )
        for r in letter.recipients
    ]
    sender = letter.sender
    context: dict[str, Any] = {
        "letter": Data(
            "letter",
            date=letter.date,
            locale=locale,
            place=letter.place,
            subject=letter.subject,
            paper=letter.paper,
        ),
        "case": case_data,
        "person": person_data,
        "recipients": recipients,
        "sender": Data(
            "sender",
            name=sender.name if sender else "",
            address=list(sender.address) if sender else [],
            email=sender.email if sender else "",
        ),
        "signatories": [
            Data(
                "signatory",
                name="" if s.withhold else s.name,
                type=s.type,
                acronym="" if s.withhold else s.acronym,
                country=s.country,
                affiliation="" if s.withhold else s.affiliation,
                title="" if s.withhold else s.title,
                group=s.group,
                lead=s.lead,
                withheld=s.withhold,
            )
            for s in signatories
        ],
        "annexes": [Data("annex", a) for a in annexes],
        "variables": _data("variables", letter.variables),
    }
    if len(recipients) == 1:
        context["recipient"] = recipients[0]
    return context


def _data(name: str, value: Any) -> Any:
    if isinstance(value, Mapping) and not l10n.is_localizable_mapping(value):
        return Data(name, {k: _data(f"{name}.{k}", v) for k, v in value.items()})
    if isinstance(value, list):
        return [_data(name, v) for v in value]
    return value


# --- rendering -----------------------------------------------------------------------


def _template_line(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


class _OutputTooLarge(Exception):
    pass


def _bounded_render(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """Render within the time and size limits of :mod:`letterkit.limits`."""
    budget = limits.current().template_output
    parts: list[str] = []
    size = 0
    with limits.time_limit(limits.current().template_seconds):
        for chunk in template.generate(context):
            size += len(chunk)
            if size > budget:
                raise _OutputTooLarge(
                    f"the template produces more than {budget:,} characters; "
                    "a letter is far shorter: check its loops"
                )
            parts.append(chunk)
    return "".join(parts)


_COMPILED: dict[tuple[int, str, str], jinja2.Template] = {}


def _compiled(env: SandboxedEnvironment, text: str, filename: str) -> jinja2.Template:
    """The template for *text*, compiled once per process (a bundle renders the
    same template for every recipient)."""
    key = (id(env), text, filename)
    template = _COMPILED.get(key)
    if template is None:
        code = env.compile(text, filename=filename)
        template = env.template_class.from_code(env, code, env.make_globals(None))
        memo.keep(_COMPILED, key, template, 64)
    return template


def _render(
    env: SandboxedEnvironment,
    text: str,
    tpl: TemplateSource,
    context: Mapping[str, Any],
    reporter: Reporter,
    field: str,
    line_offset: int = 0,
) -> str | None:
    filename = str(tpl.path)
    try:
        return _bounded_render(_compiled(env, text, filename), context)
    except jinja2.TemplateSyntaxError as exc:
        line = (exc.lineno or 0) + line_offset if exc.lineno else None
        reporter.error(
            (tpl.display, (line, None)), "LK111", f"{field}: template syntax error: {exc.message}"
        )
    except jinja2.UndefinedError as exc:
        line = _template_line(exc, filename)
        line = line + line_offset if line is not None else None
        reporter.error(
            (tpl.display, (line, None)),
            "LK112",
            f"{field}: {exc.message}; add it to the case file (or spec) or remove it from the template",
        )
    except limits.TimeLimit as exc:
        reporter.error(
            (tpl.display, (_template_line(exc, filename), None)), "LK114",
            f"{field}: the template {exc}; simplify its loops (or raise the limit with "
            "--template-seconds if you trust it)",
        )  # fmt: skip
    except _OutputTooLarge as exc:
        reporter.error((tpl.display, (_template_line(exc, filename), None)), "LK114",
                       f"{field}: {exc}")  # fmt: skip
    except jinja2.exceptions.SecurityError as exc:
        line = _template_line(exc, filename)
        reporter.error(
            (tpl.display, (line, None)), "LK113", f"{field}: not allowed in a template: {exc}"
        )
    except (l10n.LocalizationError, ValueError, TypeError) as exc:
        line = _template_line(exc, filename)
        line = line + line_offset if line is not None else None
        reporter.error((tpl.display, (line, None)), "LK113", f"{field}: {exc}")
    return None


def _check_requires(tpl: TemplateSource, context: Mapping[str, Any], reporter: Reporter) -> None:
    requires = tpl.front.get("requires") or []
    if not isinstance(requires, list):
        reporter.error(
            (tpl.display, (None, None)), "LK111", "'requires' must be a list of case fields"
        )
        return
    text = tpl.text
    for item in requires:
        value: Any = context["case"]
        path = str(item)
        for part in path.split("."):
            if isinstance(value, Mapping) and value.get(part) not in (None, "", [], ()):
                value = value[part]
            else:
                reporter.error(
                    (tpl.display, (_line_of(text, "requires") or 1, None)),
                    "LK112",
                    f"the template requires case field '{path}', which the case file does not give; add it",
                )
                break


_EXCELLENCY = re.compile(
    r"excellen|exzellenz|excelencia|превосходительств|\b[HS]\.\s?E\.|\bS\.\s?Exc", re.IGNORECASE
)


_FRENCH_TITLES = {
    "m": "Monsieur", "m.": "Monsieur", "monsieur": "Monsieur", "mr": "Monsieur", "mr.": "Monsieur",
    "mme": "Madame", "mme.": "Madame", "madame": "Madame", "ms": "Madame", "ms.": "Madame",
    "mrs": "Madame", "mrs.": "Madame",
}  # fmt: skip


def _french_salutation(people: Sequence[Any], honorifics: Sequence[str]) -> str:
    """French letters greet by title alone: "Monsieur,", "Madame,", "Mesdames, Messieurs,"."""
    titles = [_FRENCH_TITLES.get(h.strip().lower(), "") for h in honorifics]
    if len(people) == 1 and titles[0]:
        return f"{titles[0]},"
    if len(people) > 1 and titles and all(titles) and len(set(titles)) == 1:
        return "Messieurs," if titles[0] == "Monsieur" else "Mesdames,"
    return "Mesdames, Messieurs," if len(people) > 1 else "Madame, Monsieur,"


def built_salutation(letter: Letter) -> str:
    """The salutation made from the addressees when no one gives one.

    One addressee who is an Excellency: "Your Excellency,"; several: "Excellencies,".
    Otherwise one combined line, "Dear Ms. Mogherini," or "Dear Mr Tusk, Mr Juncker
    and Ms Mogherini," (honorific and last name; the whole name without an
    honorific). A group addressee (a name alone) or none: "Dear Sir or Madam,".
    """
    loc = letter.locale
    people = letter.recipients
    if not people:
        return l10n.word(loc, l10n._("Dear Sir or Madam,"))
    honorifics = [l10n.localize(r.honorific, loc) for r in people]
    if all(_EXCELLENCY.search(h) for h in honorifics):
        if len(people) == 1:
            return l10n.word(loc, l10n._("Your Excellency,"))
        return l10n.word(loc, l10n._("Excellencies,"))
    if l10n.parse_locale(loc).language == "fr":
        return _french_salutation(people, honorifics)
    names: list[str] = []
    for r, honorific in zip(people, honorifics, strict=True):
        name = l10n.localize(r.name, loc)
        if not (honorific or r.title or r.organization or r.address):
            return l10n.word(loc, l10n._("Dear Sir or Madam,"))
        if honorific and not _EXCELLENCY.search(honorific):
            names.append(f"{honorific} {name.split()[-1]}")
        else:
            names.append(name)
    return l10n.nword(
        loc,
        *l10n.N_("Dear {names},", "Dear {names},"),
        len(names),
        names=l10n.join_list(names, loc),
    )


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
    _check_requires(tpl, context, reporter)
    reporter.raise_if_failed()
    markdown = _render(_MARKDOWN_ENV, tpl.body, tpl, context, reporter, "body")

    def front(key: str, default: str) -> str:
        value = tpl.front.get(key)
        if value is None:
            return default
        if isinstance(value, Mapping):
            try:
                value = l10n.localize(value, letter.locale)
            except l10n.LocalizationError as exc:
                reporter.error(
                    (tpl.display, (_line_of(tpl.text, key), None)),
                    "LK108",
                    f"'{key}' has {exc}",
                )
                return default
        rendered = _render(_PLAIN_ENV, str(value), tpl, context, reporter, key)
        return " ".join((rendered or "").split())

    subject = (
        l10n.localize(letter.subject, letter.locale) if letter.subject else front("subject", "")
    )
    one = letter.recipients[0] if len(letter.recipients) == 1 else None
    if letter.salutation:
        salutation = l10n.localize(letter.salutation, letter.locale)
    elif one is not None and one.salutation:
        salutation = l10n.localize(one.salutation, letter.locale)
    else:
        salutation = front("salutation", built_salutation(letter))
    closing = (
        l10n.localize(letter.closing, letter.locale)
        if letter.closing
        else front("closing", l10n.word(letter.locale, l10n._("Yours sincerely,")))
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
    )


__all__ = ["MergedText", "builtin_templates", "escape_markdown", "merge"]
