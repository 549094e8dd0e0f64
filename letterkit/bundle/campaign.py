"""Campaign file + recipients table → one letter per recipient, and its file name.

A campaign names a base letter spec (which must not set recipients), a
recipients table (CSV, XLSX, YAML or JSON: ``id``, ``honorific``, ``name``,
``title``, ``organization``, ``address`` (lines split on newlines or " | "),
``email``, ``salutation``, ``locale``) and how output files are named. Every
problem is reported at once, with the row it comes from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .. import l10n
from ..errors import Problem, ValidationError
from ..input.letter_spec import load_letter
from ..input.sources import (
    Located,
    Reporter,
    Source,
    check_keys,
    load_data_file,
    location,
    problem_path,
)
from ..input.tables import Table, clean, read_rows
from ..model import Letter, Recipient

CAMPAIGN_KEYS = ("letter", "recipients", "output")
OUTPUT_KEYS = ("filename", "combined")
RECIPIENT_COLUMNS = (
    "id", "honorific", "name", "title", "organization", "address", "email", "salutation",
    "locale",
)  # fmt: skip
RECIPIENT_TABLE = Table(
    RECIPIENT_COLUMNS, "id", "recipient", "recipients", aliases=(("organisation", "organization"),)
)
DEFAULT_FILENAME = "{{ recipient.id }}-{{ recipient.name | slug }}.pdf"
PRIVATE_FILENAME = "{{ recipient.id }}.pdf"
_FILENAME_ENV = SandboxedEnvironment(autoescape=False)
_FILENAME_ENV.filters["slug"] = l10n.slug


@dataclass(frozen=True)
class CampaignRecipient:
    """One row of the recipients table: who gets a letter, and in which language."""

    id: str
    recipient: Recipient
    locale: str
    #: Where the row was read, as problems cite it: (path, line, column).
    origin: tuple[str, int | None, int | None]


@dataclass(frozen=True)
class Campaign:
    """A loaded campaign: the base letter, the recipients, the output names."""

    path: Path
    letter: Letter
    recipients: tuple[CampaignRecipient, ...]
    filename: str
    combined: str
    filenames: dict[str, str]

    def get(self, rid: str) -> CampaignRecipient:
        """The recipient with id *rid*; :class:`KeyError` when there is none."""
        for r in self.recipients:
            if r.id == rid:
                return r
        raise KeyError(rid)


def is_campaign(path: str | Path) -> bool:
    """Whether a spec file is a campaign (it names a base ``letter`` and ``recipients``)."""
    reporter = Reporter()
    data = load_data_file(Path(path), reporter, "spec")
    return isinstance(data, dict) and "letter" in data and "recipients" in data


def letter_for(campaign: Campaign, rid: str) -> Letter:
    """The letter of recipient *rid*, exactly as the bundle renders it."""
    row = campaign.get(rid)
    return replace(campaign.letter, recipients=(row.recipient,), locale=row.locale)


def _split_address(value: str) -> tuple[str, ...]:
    parts = re.split(r"\s*\|\s*|\r?\n", value)
    return tuple(clean(p) for p in parts if clean(p))


@functools.lru_cache(maxsize=16)
def _filename_template(template: str) -> Any:
    """``output.filename``, compiled once (it is rendered for every recipient)."""
    return _FILENAME_ENV.from_string(template)


def render_filename(template: str, row: CampaignRecipient, letter: Letter) -> str:
    """The output file name of one letter (not yet checked)."""
    r = row.recipient
    context = {
        "recipient": {
            "id": row.id,
            "name": l10n.localize(r.name, row.locale),
            "honorific": l10n.localize(r.honorific, row.locale),
            "title": l10n.localize(r.title, row.locale),
            "organization": l10n.localize(r.organization, row.locale),
            "locale": row.locale,
        },
        "letter": {"date": letter.date.isoformat(), "locale": row.locale},
    }
    name = str(_filename_template(template).render(context)).strip()
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def filename_problem(name: str) -> str | None:
    """Why *name* cannot be an output file name inside the output folder, or None."""
    if not name or name in {".pdf"}:
        return "renders an empty file name"
    if "/" in name or "\\" in name:
        return f"renders '{name}', which holds a path separator; use |slug on the values"
    if ".." in name.split(".pdf")[0].split("."):
        return f"renders '{name}', which would leave the output folder"
    if name.startswith("..") or "\x00" in name or name.startswith("."):
        return f"renders '{name}', which is not a plain file name; use |slug on the values"
    return None


def load_campaign(
    path: str | Path, *, allow_outside: bool = False, problems: list[Problem] | None = None
) -> Campaign:
    """Read and check a campaign; raise :class:`ValidationError` with every problem."""
    reporter = Reporter()
    spec_path = Path(path)
    data = load_data_file(spec_path, reporter, "campaign file")
    reporter.raise_if_failed()
    if not isinstance(data, Located):
        reporter.error((str(spec_path), (1, 1)), "LK105", "a campaign file must be a mapping")
        raise ValidationError(reporter.problems)
    src = data.src
    base = spec_path.resolve().parent
    check_keys(data, CAMPAIGN_KEYS, "campaign", reporter)

    def resolve(key: str, holder: Located) -> Path | None:
        value = holder.get(key)
        if not isinstance(value, str) or not value:
            reporter.error((src, holder.at(key)), "LK104", f"'{key}' must name a file")
            return None
        found = (base / value).resolve()
        if not allow_outside and not found.is_relative_to(base):
            reporter.error(
                (src, holder.at(key)), "LK107",
                f"'{value}' is outside the folder {base}; move it there or pass --allow-outside",
            )  # fmt: skip
            return None
        if not found.is_file():
            reporter.error((src, holder.at(key)), "LK101", f"{key} file '{value}' not found")
            return None
        return found

    letter: Letter | None = None
    letter_path = resolve("letter", data) if "letter" in data else None
    if "letter" not in data:
        reporter.error((src, (1, 1)), "LK104", "'letter' is required: the base letter spec")
    if letter_path is not None:
        try:
            letter = load_letter(letter_path, allow_outside=allow_outside, problems=problems)
        except ValidationError as exc:
            reporter.problems.extend(exc.problems)
        if letter is not None and letter.recipients:
            reporter.error(
                (src, data.at("letter")), "LK105",
                "the base letter must not set recipients; they come from the campaign's list",
            )  # fmt: skip
    rows: list[CampaignRecipient] = []
    value = data.get("recipients")
    where = (src, data.at("recipients"))
    if value is None:
        reporter.error((src, (1, 1)), "LK104", "'recipients' is required: a table of recipients")
    else:
        table_value: Any = resolve("recipients", data) if isinstance(value, str) else value
        if table_value is not None:
            rows = _recipients(table_value, where, reporter, letter)
    output = data.get("output") or {}
    template = (
        PRIVATE_FILENAME
        if letter is not None and letter.privacy == "minimal"
        else (DEFAULT_FILENAME)
    )
    combined = ""
    if output:
        if not isinstance(output, Located):
            reporter.error((src, data.at("output")), "LK105", "'output' must be a mapping")
        else:
            check_keys(output, OUTPUT_KEYS, "output", reporter)
            template = str(output.get("filename") or template)
            combined = str(output.get("combined") or "")
            if combined and filename_problem(combined):
                reporter.error(
                    (src, output.at("combined")), "LK160",
                    f"output.combined {filename_problem(combined)}",
                )  # fmt: skip
    filenames: dict[str, str] = {}
    if letter is not None:
        filenames = _filenames(template, rows, letter, reporter, (src, data.at("output")))
    reserved = {"manifest.json", ".letterkit-state.json"}
    for rid, name in filenames.items():
        if name.lower() in reserved or (combined and name.lower() == combined.lower()):
            row = next(r for r in rows if r.id == rid)
            reporter.error(
                (row.origin[0], (row.origin[1], row.origin[2])), "LK160",
                f"recipient '{rid}' gets the file name '{name}', which the bundle uses for "
                f"{'the combined PDF' if name.lower() == combined.lower() else 'its records'}; "
                "change output.filename or output.combined",
            )  # fmt: skip
    if combined and combined.lower() in reserved:
        reporter.error((src, data.at("output")), "LK160",
                       f"output.combined '{combined}' is a name the bundle uses for its records")  # fmt: skip
    if problems is not None:
        problems.extend(p for p in reporter.problems if p.severity != "error")
    reporter.raise_if_failed()
    assert letter is not None
    return Campaign(spec_path, letter, tuple(rows), template, combined, filenames)


def _recipients(
    value: Any, where: tuple[Source, Any], reporter: Reporter, letter: Letter | None
) -> list[CampaignRecipient]:
    rows = read_rows(value, where, reporter, RECIPIENT_TABLE)
    out: list[CampaignRecipient] = []
    seen: dict[str, str] = {}
    for cells, (src, pos) in rows:
        origin = (problem_path(src, pos), pos[0], pos[1])
        at = (src, pos)
        rid = clean(cells.get("id", ""))
        if not rid:
            reporter.error(at, "LK104", "recipient has no id; fill in the 'id' cell")
            continue
        if rid in seen:
            reporter.error(at, "LK121", f"recipient id '{rid}' is used twice (also at {seen[rid]})")
            continue
        seen[rid] = location(src, pos)
        name = clean(cells.get("name", ""))
        if not name:
            reporter.error(at, "LK104", f"recipient '{rid}' has no name; fill in the 'name' cell")
            continue
        locale = clean(cells.get("locale", "")) or (letter.locale if letter else "en-GB")
        try:
            l10n.parse_locale(locale)
        except (ValueError, l10n.LocalizationError) as exc:
            reporter.error(at, "LK105", f"recipient '{rid}': locale '{locale}' is unknown ({exc})")
            continue
        recipient = Recipient(
            name=name,
            honorific=clean(cells.get("honorific", "")),
            title=clean(cells.get("title", "")),
            organization=clean(cells.get("organization", "")),
            address=_split_address(cells.get("address", "")),
            email=clean(cells.get("email", "")),
            salutation=clean(cells.get("salutation", "")),
        )
        out.append(CampaignRecipient(rid, recipient, locale, origin))
    return out


def _filenames(
    template: str,
    rows: Sequence[CampaignRecipient],
    letter: Letter,
    reporter: Reporter,
    where: tuple[Source, Any],
) -> dict[str, str]:
    names: dict[str, str] = {}
    taken: dict[str, str] = {}
    for row in rows:
        try:
            name = render_filename(template, row, letter)
        except TemplateError as exc:
            reporter.error(where, "LK160", f"output.filename cannot be rendered: {exc}")
            return {}
        problem = filename_problem(name)
        at = (row.origin[0], (row.origin[1], row.origin[2]))
        if problem:
            reporter.error(at, "LK160", f"recipient '{row.id}': output.filename {problem}")
            continue
        if name.lower() in taken:
            reporter.error(
                at, "LK160",
                f"recipient '{row.id}' gets the file name '{name}' of recipient "
                f"'{taken[name.lower()]}'; put recipient.id in output.filename",
            )  # fmt: skip
            continue
        taken[name.lower()] = row.id
        names[row.id] = name
    return names


def check_campaign(path: str | Path, *, allow_outside: bool = False) -> list[Problem]:
    """Every problem of a campaign: its file, its recipients, the file names, and one
    rendered letter per language (to catch template and translation problems)."""
    from ..pipeline import build_pdf

    warnings: list[Problem] = []
    try:
        campaign = load_campaign(path, allow_outside=allow_outside, problems=warnings)
    except ValidationError as exc:
        return warnings + exc.problems
    problems = list(warnings)
    tried: set[str] = set()
    for row in campaign.recipients:
        if row.locale in tried:
            continue
        tried.add(row.locale)
        try:
            build_pdf(letter_for(campaign, row.id), problems)
        except ValidationError as exc:
            problems += [
                Problem(p.path, p.line, p.col, p.severity, p.code,
                        f"recipient '{row.id}' ({row.locale}): {p.message}")
                for p in exc.problems
            ]  # fmt: skip
    return problems
