"""Letter spec + case file + signatories → a validated :class:`~letterkit.model.Letter`.

Stage 1 of the pipeline. Reads the files the spec names, checks every field,
and raises one :class:`~letterkit.errors.ValidationError` carrying every
problem found, each with its file, line and column.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import l10n
from ..model import (
    Annex,
    Case,
    Dateline,
    Event,
    Letter,
    Person,
    Recipient,
    Sender,
)
from ..pdf.annexes import GENERATED
from ..text.templates import builtin_templates
from ..typeset import fonts
from .signatories import icu_available, load_signatories
from .sources import (
    Located,
    LocatedList,
    Pos,
    Reporter,
    Source,
    check_keys,
    load_data_file,
)
from .tables import clean

SPEC_KEYS = (
    "template", "locale", "date", "place", "subject", "subject_prefix", "paper", "sender",
    "recipient", "recipients", "case", "signatories", "expected_signatories", "signatory_order",
    "signatory_style", "signatory_columns", "collation", "dateline", "fonts", "privacy",
    "annexes", "cc", "variables", "salutation", "closing", "justify",
)  # fmt: skip
SENDER_KEYS = ("name", "address", "email", "logo")
RECIPIENT_KEYS = ("honorific", "name", "title", "organization", "address", "email", "salutation")
CASE_KEYS = ("person", "country", "detained_on", "sentence", "events", "demands", "facts")
PERSON_KEYS = ("name", "names", "gender", "age", "born", "role", "hometown")
ANNEX_KEYS = ("path", "title", "pages", "password", "password_env", "stamp", "generate")
DATELINE_KEYS = ("position", "format", "trailing_comma")
SIGNATORY_FILE_KEYS = ("path", "sheet")

Where = tuple[Source, Pos]
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class _Ctx:
    """What the field parsers share: the reporter, the locale and the path rules."""

    def __init__(self, reporter: Reporter, base: Path, allow_outside: bool) -> None:
        self.reporter = reporter
        self.base = base
        self.allow_outside = allow_outside
        self.locale = "en-GB"
        self.inputs: list[Path] = []
        self.localizable: list[tuple[Any, Where, str]] = []

    def error(self, where: Where, code: str, message: str) -> None:
        self.reporter.error(where, code, message)

    def resolve(self, value: str, where: Where, base: Path | None = None) -> Path | None:
        """A path from a spec → an absolute path inside the spec's folder, or None (reported)."""
        if _URL.match(value):
            self.error(
                where,
                "LK107",
                f"'{value}' is a URL; letterkit never fetches: download the file and name it",
            )
            return None
        folder = (base or self.base).resolve()
        path = (folder / value).resolve()
        if not self.allow_outside and not path.is_relative_to(folder):
            self.error(
                where,
                "LK107",
                f"'{value}' is outside the folder {folder}; move the file there or pass --allow-outside",
            )
            return None
        return path


def _check_keys(data: Located, known: tuple[str, ...], ctx: _Ctx, what: str) -> None:
    check_keys(data, known, what, ctx.reporter)


def _where(data: Located, key: str) -> Where:
    return data.src, data.at(key)


def _text(data: Located, key: str, ctx: _Ctx, *, required: bool = False, what: str = "") -> Any:
    """A localizable free-text field: a string, or a ``{locale: text}`` mapping."""
    value = data.get(key)
    label = what or key
    if value is None or value == "":
        if required:
            ctx.error(_where(data, key), "LK104", f"'{label}' is required; add it")
        return ""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        if not l10n.is_localizable_mapping(value):
            ctx.error(
                _where(data, key), "LK105", f"'{label}' must be text or a mapping {{locale: text}}"
            )
            return ""
        out = {str(k): clean(v) for k, v in value.items() if v is not None}
        ctx.localizable.append((out, _where(data, key), label))
        return out
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    ctx.error(_where(data, key), "LK105", f"'{label}' must be text, not a {type(value).__name__}")
    return ""


def _plain(data: Located, key: str, ctx: _Ctx, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return clean(str(value))
    ctx.error(_where(data, key), "LK105", f"'{key}' must be text")
    return default


def _choice(data: Located, key: str, ctx: _Ctx, choices: Mapping[str, str], default: str) -> str:
    value = data.get(key)
    if value is None:
        return default
    found = choices.get(str(value).strip().lower())
    if found is None:
        ctx.error(
            _where(data, key),
            "LK105",
            f"'{key}' must be one of {', '.join(dict.fromkeys(choices.values()))}, not '{value}'",
        )
        return default
    return found


def _bool(data: Located, key: str, ctx: _Ctx, default: bool) -> bool:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "on", "1"}:
        return True
    if text in {"false", "no", "off", "0"}:
        return False
    ctx.error(_where(data, key), "LK105", f"'{key}' must be true or false, not '{value}'")
    return default


def _int(data: Located, key: str, ctx: _Ctx, lo: int, hi: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or not lo <= number <= hi or isinstance(value, bool | float):
        ctx.error(
            _where(data, key),
            "LK105",
            f"'{key}' must be a whole number from {lo} to {hi}, not '{value}'",
        )
        return None
    return number


def parse_date(value: Any, where: Where, ctx: _Ctx, field: str) -> dt.date | None:
    """An ISO date from a spec (string or TOML date) → :class:`datetime.date`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        ctx.error(
            where,
            "LK106",
            f"'{field}' is '{text}', not a date; write it as YYYY-MM-DD (e.g. 2018-12-06)",
        )
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        ctx.error(
            where,
            "LK106",
            f"'{field}' is '{text}', which is not a real date ({exc}); write it as YYYY-MM-DD",
        )
        return None


def _lines(data: Located, key: str, ctx: _Ctx) -> tuple[Any, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(clean(v) for v in re.split(r"\n| \| ", value) if clean(v))
    if isinstance(value, list):
        out = []
        for index, item in enumerate(value):
            holder = Located(
                data.src, value.at(index) if isinstance(value, LocatedList) else data.at(key)
            )
            holder["line"] = item
            holder.key_pos["line"] = holder.pos
            text = _text(holder, "line", ctx, what=key)
            if text:
                out.append(text)
        return tuple(out)
    ctx.error(_where(data, key), "LK105", f"'{key}' must be a list of lines")
    return ()


def _mapping(value: Any, where: Where, ctx: _Ctx, what: str) -> Located | None:
    if isinstance(value, Located):
        return value
    ctx.error(where, "LK105", f"'{what}' must be a mapping of keys and values")
    return None


def _sender(value: Any, where: Where, ctx: _Ctx) -> Sender | None:
    data = _mapping(value, where, ctx, "sender")
    if data is None:
        return None
    _check_keys(data, SENDER_KEYS, ctx, "sender")
    logo = None
    if data.get("logo"):
        logo = ctx.resolve(str(data["logo"]), _where(data, "logo"))
        if logo is not None:
            if logo.suffix.lower() not in {".png", ".jpg", ".jpeg"}:
                ctx.error(_where(data, "logo"), "LK105", "the logo must be a PNG or JPEG file")
            elif not logo.is_file():
                ctx.error(_where(data, "logo"), "LK101", f"logo file '{data['logo']}' not found")
            else:
                try:
                    from reportlab.lib.utils import ImageReader

                    ImageReader(str(logo)).getSize()
                    ctx.inputs.append(logo)
                except Exception as exc:  # PIL raises many kinds for a bad image
                    ctx.error(
                        _where(data, "logo"),
                        "LK105",
                        f"the logo is not a readable PNG or JPEG image ({type(exc).__name__})",
                    )
                    logo = None
    return Sender(
        name=_text(data, "name", ctx, required=True, what="sender.name"),
        address=_lines(data, "address", ctx),
        email=_plain(data, "email", ctx),
        logo=logo,
    )


def _recipient(data: Located, ctx: _Ctx) -> Recipient:
    _check_keys(data, RECIPIENT_KEYS, ctx, "recipient")
    return Recipient(
        name=_text(data, "name", ctx, required=True, what="recipient name"),
        honorific=_text(data, "honorific", ctx),
        title=_text(data, "title", ctx),
        organization=_text(data, "organization", ctx),
        address=_lines(data, "address", ctx),
        email=_plain(data, "email", ctx),
        salutation=_text(data, "salutation", ctx),
    )


def _recipients(spec: Located, ctx: _Ctx) -> tuple[Recipient, ...]:
    if "recipient" in spec and "recipients" in spec:
        ctx.error(
            _where(spec, "recipients"), "LK105", "give either 'recipient' or 'recipients', not both"
        )
        return ()
    key = "recipients" if "recipients" in spec else "recipient"
    value = spec.get(key)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for index, item in enumerate(items):
        pos = value.at(index) if isinstance(value, LocatedList) else spec.at(key)
        data = _mapping(item, (spec.src, pos), ctx, key)
        if data is not None:
            out.append(_recipient(data, ctx))
    return tuple(out)


def _person(value: Any, where: Where, ctx: _Ctx) -> Person:
    data = _mapping(value, where, ctx, "person")
    if data is None:
        return Person(name="")
    _check_keys(data, PERSON_KEYS, ctx, "person")
    names = data.get("names") or {}
    if isinstance(names, dict) and not all(isinstance(v, str | None) for v in names.values()):
        ctx.error(
            _where(data, "names"), "LK105", "each spelling in 'names' must be text, e.g. {ru: ...}"
        )
        names = {}
    if not isinstance(names, dict):
        ctx.error(
            _where(data, "names"), "LK105", "'names' must map locales to spellings, e.g. {ru: ...}"
        )
        names = {}
    born: dt.date | int | None = None
    if data.get("born") is not None:
        raw = str(data["born"]).strip()
        born = (
            int(raw)
            if re.fullmatch(r"\d{4}", raw)
            else parse_date(raw, _where(data, "born"), ctx, "born")
        )
    age = None
    if data.get("age") is not None:
        age = _int(data, "age", ctx, 0, 150)
    return Person(
        name=_text(data, "name", ctx, required=True, what="person.name")
        if not isinstance(data.get("name"), dict)
        else _plain(data, "name", ctx),
        names={str(k): clean(str(v)) for k, v in names.items() if v is not None},
        gender=_plain(data, "gender", ctx),
        age=age,
        born=born,
        role=_text(data, "role", ctx),
        hometown=_text(data, "hometown", ctx),
    )


def _case(value: Any, where: Where, ctx: _Ctx) -> Case:
    if isinstance(value, str):
        path = ctx.resolve(value, where)
        if path is None:
            return Case(person=Person(name=""))
        data_any = load_data_file(path, ctx.reporter, "case file")
        if data_any is None:
            if not ctx.reporter.failed:
                ctx.error(
                    (Source(path, value), (None, None)),
                    "LK104",
                    "the case file is empty; add person: {name: ...}",
                )
            return Case(person=Person(name=""))
        ctx.inputs.append(path)
        where = (data_any.src, (1, 1)) if isinstance(data_any, Located) else where
        value = data_any
    data = _mapping(value, where, ctx, "case")
    if data is None:
        return Case(person=Person(name=""))
    _check_keys(data, CASE_KEYS, ctx, "case")
    if "person" not in data:
        ctx.error(
            (data.src, data.pos), "LK104", "the case has no 'person'; add person: {name: ...}"
        )
    person = _person(data.get("person", Located(data.src, data.pos)), _where(data, "person"), ctx)
    country = _plain(data, "country", ctx).upper()
    if country:
        try:
            l10n.country_name(country, "en")
        except ValueError:
            ctx.error(
                _where(data, "country"),
                "LK105",
                f"'{country}' is not an ISO 3166 country code (e.g. KG)",
            )
    detained = None
    if data.get("detained_on") is not None:
        detained = parse_date(data["detained_on"], _where(data, "detained_on"), ctx, "detained_on")
    events: list[Event] = []
    raw_events = data.get("events") or []
    if not isinstance(raw_events, list):
        ctx.error(_where(data, "events"), "LK105", "'events' must be a list of {date, text}")
        raw_events = []
    for index, item in enumerate(raw_events):
        pos = raw_events.at(index) if isinstance(raw_events, LocatedList) else data.at("events")
        event = _mapping(item, (data.src, pos), ctx, "events entry")
        if event is None:
            continue
        _check_keys(event, ("date", "text"), ctx, "event")
        if event.get("date") is None:
            ctx.error((data.src, pos), "LK104", "an event needs a 'date'")
            continue
        when = parse_date(event["date"], _where(event, "date"), ctx, "date")
        text = _text(event, "text", ctx, required=True, what="event text")
        if when is not None:
            events.append(Event(date=when, text=text))
    demands = _lines(data, "demands", ctx) if data.get("demands") is not None else ()
    facts = data.get("facts") or {}
    if not isinstance(facts, dict):
        ctx.error(_where(data, "facts"), "LK105", "'facts' must be a mapping")
        facts = {}
    return Case(
        person=person,
        country=country,
        detained_on=detained,
        sentence=_text(data, "sentence", ctx),
        events=tuple(events),
        demands=demands,
        facts=facts,
    )


def _pages(data: Located, ctx: _Ctx) -> str:
    pages = _plain(data, "pages", ctx)
    if pages and not re.fullmatch(r"\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*", pages):
        ctx.error(
            _where(data, "pages"),
            "LK105",
            f"'pages' must be 1-based ranges such as 1-3,7, not '{pages}'",
        )
        return ""
    return pages


def _annexes(spec: Located, ctx: _Ctx) -> tuple[Annex, ...]:
    value = spec.get("annexes")
    if value is None:
        return ()
    if not isinstance(value, list):
        ctx.error(_where(spec, "annexes"), "LK105", "'annexes' must be a list")
        return ()
    out = []
    for index, item in enumerate(value):
        pos = value.at(index) if isinstance(value, LocatedList) else spec.at("annexes")
        if isinstance(item, str):
            holder = Located(spec.src, pos)
            holder["path"] = item
            holder.key_pos["path"] = pos
            item = holder
        data = _mapping(item, (spec.src, pos), ctx, "annexes entry")
        if data is None:
            continue
        _check_keys(data, ANNEX_KEYS, ctx, "annex")
        if data.get("generate") is not None:
            kind = _plain(data, "generate", ctx)
            if data.get("path") is not None:
                ctx.error(_where(data, "generate"), "LK105", "give 'generate' or 'path', not both")
            elif kind not in GENERATED:
                ctx.error(
                    _where(data, "generate"),
                    "LK105",
                    f"'generate' must be {' or '.join(GENERATED)}, not '{kind}'",
                )
            else:
                out.append(
                    Annex(
                        title=_text(data, "title", ctx),
                        pages=_pages(data, ctx),
                        stamp=_bool(data, "stamp", ctx, True),
                        generate=kind,
                    )
                )
            continue
        if not data.get("path"):
            ctx.error((data.src, pos), "LK104", "an annex needs a 'path' (or 'generate')")
            continue
        path = ctx.resolve(str(data["path"]), _where(data, "path"))
        if path is None:
            continue
        if not path.is_file():
            ctx.error(
                _where(data, "path"),
                "LK101",
                f"annex file '{data['path']}' not found; check the path",
            )
            continue
        ctx.inputs.append(path)
        pages = _pages(data, ctx)
        env = _plain(data, "password_env", ctx)
        if env and env not in os.environ:
            ctx.error(
                _where(data, "password_env"), "LK104", f"environment variable {env} is not set"
            )
        out.append(
            Annex(
                path=path,
                title=_text(data, "title", ctx) or path.stem,
                pages=pages,
                password=_plain(data, "password", ctx),
                password_env=env,
                stamp=_bool(data, "stamp", ctx, True),
            )
        )
    return tuple(out)


def _template(spec: Located, ctx: _Ctx) -> str | dict[str, str]:
    value = spec.get("template")
    if value is None:
        ctx.error(
            (spec.src, (1, 1)),
            "LK104",
            "'template' is required: a built-in name such as appeal-release, or a .md file",
        )
        return ""
    where = _where(spec, "template")
    names = (
        {str(k): str(v) for k, v in value.items()}
        if isinstance(value, dict)
        else {"": str(value).strip()}
    )
    for name in names.values():
        if "/" in name or "\\" in name or name.endswith(".md"):
            path = ctx.resolve(name, where)
            if path is not None and not path.is_file():
                ctx.error(where, "LK110", f"template file '{name}' not found; check the path")
            elif path is not None:
                ctx.inputs.append(path)
        elif name not in builtin_templates():
            known = ", ".join(builtin_templates()) or "none"
            ctx.error(
                where,
                "LK110",
                f"unknown template '{name}'; built-in templates: {known}; or give a path to a .md file",
            )
    if isinstance(value, dict):
        return names
    return names[""]


def _valid_date_format(fmt: str) -> bool:
    """A preset, or a Babel pattern that formats a date and shows day, month and year."""
    if fmt in {"short", "medium", "long", "full"}:
        return True
    letters = set(re.sub(r"'[^']*'", "", fmt))
    if not {"d", "M", "y"} <= letters or letters & set("HhKkmsSaAzZvVOXx"):
        return False
    try:
        l10n.format_date(dt.date(2018, 12, 6), "en", fmt)
    except Exception:  # Babel raises several kinds for a bad pattern
        return False
    return True


def _check_localized(ctx: _Ctx) -> None:
    for value, where, label in ctx.localizable:
        try:
            l10n.localize(value, ctx.locale)
        except l10n.LocalizationError as exc:
            ctx.error(where, "LK108", f"'{label}' has {exc}")


def load_letter(
    path: str | os.PathLike[str],
    *,
    allow_outside: bool = False,
    problems: list[Any] | None = None,
) -> Letter:
    """Read a letter spec and everything it names → a validated :class:`Letter`.

    Raises :class:`~letterkit.errors.ValidationError` listing every problem.
    Warnings found along the way are appended to *problems* when given.
    """
    spec_path = Path(path)
    reporter = Reporter()
    ctx = _Ctx(reporter, spec_path.resolve().parent, allow_outside)
    data = load_data_file(spec_path, reporter, "letter spec")
    if data is None:
        if not reporter.failed:
            reporter.add(str(spec_path), (None, None), "LK104", "the letter spec is empty")
        reporter.raise_if_failed()
    spec = _mapping(
        data,
        (data.src if isinstance(data, Located) else Source(spec_path, str(spec_path)), (1, 1)),
        ctx,
        "letter spec",
    )
    if spec is None:
        reporter.raise_if_failed()
        raise AssertionError("unreachable")
    ctx.inputs.append(spec_path.resolve())
    _check_keys(spec, SPEC_KEYS, ctx, "letter spec")

    locale = _plain(spec, "locale", ctx, "en-GB")
    try:
        l10n.parse_locale(locale)
        ctx.locale = locale
    except ValueError as exc:
        ctx.error(_where(spec, "locale"), "LK105", str(exc))

    date = None
    if spec.get("date") is None:
        ctx.error((spec.src, (1, 1)), "LK104", "'date' is required (the letter's date, YYYY-MM-DD)")
    else:
        date = parse_date(spec["date"], _where(spec, "date"), ctx, "date")

    sender = (
        _sender(spec["sender"], _where(spec, "sender"), ctx)
        if spec.get("sender") is not None
        else None
    )
    case = None
    if spec.get("case") is None:
        ctx.error(
            (spec.src, (1, 1)), "LK104", "'case' is required: a case file path or the case inline"
        )
    else:
        case = _case(spec["case"], _where(spec, "case"), ctx)

    signatories: list[Any] = []
    if spec.get("signatories") is not None:
        value = spec["signatories"]
        where = _where(spec, "signatories")
        sheet = ""
        if isinstance(value, Located) and "path" in value:  # {path: x.xlsx, sheet: Signers}
            _check_keys(value, SIGNATORY_FILE_KEYS, ctx, "signatories")
            sheet = _plain(value, "sheet", ctx)
            where = _where(value, "path")
            value = value["path"]
        if isinstance(value, str):
            found = ctx.resolve(value, where)
            if found is not None:
                ctx.inputs.append(found)
                if sheet and found.suffix.lower() != ".xlsx":
                    ctx.error(where, "LK105", "'sheet' applies only to an .xlsx file; remove it")
                signatories = load_signatories(found, where, reporter, sheet=sheet)
        else:
            signatories = load_signatories(value, where, reporter)

    expected = _int(spec, "expected_signatories", ctx, 0, 1_000_000)
    if expected is not None and not reporter.failed and expected != len(signatories):
        ctx.error(
            _where(spec, "expected_signatories"),
            "LK122",
            f"expected_signatories is {expected} but the list has {len(signatories)}; "
            "fix the list or the number",
        )

    if locale and not reporter.failed and not l10n.has_catalog(locale):
        reporter.warning(
            _where(spec, "locale"),
            "LK109",
            f"letterkit's layout words (page numbers, 'Signatories', the built salutation…) "
            f"are not translated for '{locale}'; they print in English unless the template "
            "gives subject, salutation and closing",
        )

    if not signatories and not reporter.failed:
        reporter.warning(
            _where(spec, "signatories")
            if spec.get("signatories") is not None
            else (spec.src, (1, 1)),
            "LK122",
            "the letter has no signatories; add them in 'signatories'",
        )

    dateline = Dateline()
    if spec.get("dateline") is not None:
        dl = _mapping(spec["dateline"], _where(spec, "dateline"), ctx, "dateline")
        if dl is not None:
            _check_keys(dl, DATELINE_KEYS, ctx, "dateline")
            position = _choice(
                dl,
                "position",
                ctx,
                {"before-subject": "before-subject", "after-subject": "after-subject"},
                "before-subject",
            )
            fmt = _plain(dl, "format", ctx, "long")
            if not _valid_date_format(fmt):
                ctx.error(
                    _where(dl, "format"),
                    "LK105",
                    f"dateline format '{fmt}' is not short, medium, long, full or a Babel date pattern with d, M and y (e.g. 'd MMMM y')",
                )
                fmt = "long"
            dateline = Dateline(
                position=position,  # type: ignore[arg-type]
                format=fmt,
                trailing_comma=_bool(dl, "trailing_comma", ctx, False),
            )

    collation = _choice(spec, "collation", ctx, {"uca": "uca", "icu": "icu"}, "uca")
    if collation == "icu" and not icu_available():
        ctx.error(
            _where(spec, "collation"),
            "LK105",
            "collation 'icu' needs PyICU, which is not installed: pip install 'letterkit[icu]' "
            "(it builds against the ICU library), or use 'uca'",
        )

    font_folder: Path | None = None
    if spec.get("fonts") is not None:
        where = _where(spec, "fonts")
        if not isinstance(spec["fonts"], str):
            ctx.error(where, "LK105", "'fonts' must be the path of a folder of .ttf fonts")
        else:
            font_folder = ctx.resolve(spec["fonts"], where)
            if font_folder is not None and not font_folder.is_dir():
                ctx.error(
                    where,
                    "LK101",
                    f"fonts folder {spec['fonts']} not found; create it or fix the path",
                )
                font_folder = None
            elif font_folder is not None:
                try:
                    fonts.register_folder(font_folder)
                except fonts.FontError as exc:
                    ctx.error(where, "LK102", f"font {exc}")
                    font_folder = None

    variables = spec.get("variables") or {}
    if not isinstance(variables, dict):
        ctx.error(_where(spec, "variables"), "LK105", "'variables' must be a mapping")
        variables = {}

    letter_kwargs: dict[str, Any] = dict(
        template=_template(spec, ctx),
        locale=locale,
        place=_text(spec, "place", ctx),
        subject=_text(spec, "subject", ctx),
        subject_prefix=(
            _plain(spec, "subject_prefix", ctx) if spec.get("subject_prefix") is not None else None
        ),
        salutation=_text(spec, "salutation", ctx),
        closing=_text(spec, "closing", ctx),
        justify=_bool(spec, "justify", ctx, False),
        paper=_choice(
            spec, "paper", ctx, {"a4": "A4", "letter": "letter", "us-letter": "letter"}, "A4"
        ),
        sender=sender,
        recipients=_recipients(spec, ctx),
        expected_signatories=expected,
        signatory_order=_choice(
            spec,
            "signatory_order",
            ctx,
            {"alphabetical": "alphabetical", "as-given": "as-given"},
            "alphabetical",
        ),
        signatory_style=_choice(
            spec,
            "signatory_style",
            ctx,
            {s: s for s in ("columns", "list", "numbered", "count")},
            "columns",
        ),
        signatory_columns=_int(spec, "signatory_columns", ctx, 1, 3) or 2,
        collation=collation,
        dateline=dateline,
        annexes=_annexes(spec, ctx),
        cc=_lines(spec, "cc", ctx),
        variables=variables,
        privacy=_choice(spec, "privacy", ctx, {"normal": "normal", "minimal": "minimal"}, "normal"),
        fonts=font_folder,
    )
    _check_localized(ctx)
    if problems is not None:
        problems.extend(p for p in reporter.problems if p.severity != "error")
    reporter.raise_if_failed()
    assert date is not None
    assert case is not None
    return Letter(
        date=date,
        case=case,
        signatories=tuple(signatories),
        base_dir=ctx.base,
        inputs=tuple(dict.fromkeys(ctx.inputs)),
        **letter_kwargs,
    )
