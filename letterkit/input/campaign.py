"""Campaign file + recipients table → a :class:`Campaign` (the base letter and its rows).

A campaign names a base letter spec (which must not set recipients), a
recipients table (CSV, XLSX, YAML or JSON: ``id``, ``honorific``, ``name``,
``title``, ``organization``, ``address`` (lines split on newlines or " | "),
``email``, ``salutation`` and ``closing`` (a lone ``-``: none), ``locale``) and
how output files are named. Every problem is reported at once, at the cell it
comes from. The file names are rendered later (:mod:`letterkit.text.filenames`).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import l10n
from ..errors import Problem, ValidationError
from ..files import Kind
from ..model import GENDER_WORDS, OFFICE_WORDS, Letter, Recipient
from ..validate.address_forms import office_hint
from .data import load_data_file
from .fields import Reader
from .file_names import NAME_BYTES as NAME_BYTES
from .file_names import combined_problem
from .file_names import filename_problem as filename_problem
from .letter_spec import ARCHIVE, load_letter
from .sources import (
    Located,
    Origin,
    Reporter,
    Source,
    check_keys,
    display_path,
    location,
    problem_path,
    where_of,
)
from .sources import Where as At
from .tables import Table, cell_origins, clean, read_rows

CAMPAIGN_KEYS = ("letter", "recipients", "output", "archive")
OUTPUT_KEYS = ("filename", "combined")
RECIPIENT_COLUMNS = (
    "id", "honorific", "name", "title", "organization", "address", "email", "salutation",
    "closing", "locale", "gender", "office", "surname",
)  # fmt: skip
RECIPIENT_TABLE = Table(
    RECIPIENT_COLUMNS, "id", "recipient", "recipients", aliases=(("organisation", "organization"),)
)
DEFAULT_FILENAME = "{{ recipient.id }}-{{ recipient.name | slug }}.pdf"
PRIVATE_FILENAME = "{{ recipient.id }}.pdf"

Where = tuple[Source, Any]


@dataclass(frozen=True)
class CampaignRecipient:
    """One row of the recipients table: who gets a letter, and in which language."""

    id: str
    recipient: Recipient
    locale: str
    #: Where the row was read, as problems cite it: (path, line, column).
    origin: Origin
    #: Where each cell was read (column → origin): a CSV cell's line and column,
    #: a spreadsheet's cell, a YAML or JSON key's line.
    cells: dict[str, Origin] = field(default_factory=dict)

    def at(self, column: str) -> Origin:
        """Where the cell of *column* was read (the row's start when unknown)."""
        return self.cells.get(column, self.origin)


@dataclass(frozen=True)
class Campaign:
    """A loaded campaign: the base letter, the recipients, the output names."""

    path: Path
    letter: Letter
    recipients: tuple[CampaignRecipient, ...]
    #: The ``output.filename`` template, and the combined PDF's name ("" for none).
    filename: str
    combined: str
    #: Recipient id → output file name, rendered from :attr:`filename`.
    filenames: dict[str, str] = field(default_factory=dict)
    #: Where ``output`` is written in the campaign file, for problems about names.
    output_at: Origin = ("", None, None)
    #: The campaign's own files (the campaign file, a recipients file): a
    #: bundle writes none of its outputs over them.
    inputs: tuple[Path, ...] = ()

    def get(self, rid: str) -> CampaignRecipient:
        """The recipient with id *rid*; :class:`KeyError` when there is none."""
        for r in self.recipients:
            if r.id == rid:
                return r
        raise KeyError(rid)


def is_campaign(path: str | Path) -> bool:
    """Whether a spec file is a campaign: it names a base ``letter`` and
    ``recipients``, or a key so close to it (``recipient:``) that it is read as
    a campaign, so that the typo is said with a "did you mean"."""
    reporter = Reporter()
    data = load_data_file(Path(path), reporter, "spec")
    if not isinstance(data, dict) or "letter" not in data:
        return False
    keys = [k for k in data if isinstance(k, str)]
    return "recipients" in data or bool(difflib.get_close_matches("recipients", keys, 1, 0.8))


def read_campaign(
    path: str | Path,
    reporter: Reporter,
    *,
    allow_outside: bool = False,
    problems: list[Problem] | None = None,
    load: Callable[..., Letter] = load_letter,
) -> Campaign | None:
    """Read a campaign file, its base letter (with *load*) and its recipients,
    reporting every problem to *reporter* (the base letter's warnings go to
    *problems*); ``None`` when there is no usable base letter."""
    spec_path = Path(path)
    data = load_data_file(spec_path, reporter, "campaign file")
    if reporter.failed:
        return None
    if not isinstance(data, Located):
        reporter.error(
            (display_path(spec_path), (1, 1)), "LK105", "a campaign file must be a mapping"
        )
        return None
    src = data.src
    base = spec_path.resolve().parent
    check_keys(data, CAMPAIGN_KEYS, "campaign", reporter)
    letter = _base_letter(data, base, reporter, (allow_outside, problems), load)
    letter = _archive(data, letter, reporter)
    rows: list[CampaignRecipient] = []
    inputs = [spec_path]
    value = data.get("recipients")
    if value is None:
        reporter.error((src, (1, 1)), "LK104", "'recipients' is required: a table of recipients")
    else:
        holder, key, sheet = data, "recipients", ""
        if isinstance(value, Located) and "path" in value:  # {path: r.xlsx, sheet: Ministries}
            check_keys(value, ("path", "sheet"), "recipients", reporter)
            holder, key, sheet = value, "path", str(value.get("sheet") or "")
        found: Any = (
            _resolve(key, holder, base, reporter, allow_outside, "recipients")
            if isinstance(holder.get(key), str)
            else value
        )
        if sheet and isinstance(found, Path) and found.suffix.lower() != ".xlsx":
            reporter.error(
                (src, holder.at(key)), "LK105", "'sheet' applies only to an .xlsx file; remove it"
            )
            found = None
        if found is not None:
            rows = _recipients(found, (src, holder.at(key)), reporter, letter, sheet)
            if isinstance(found, Path):
                inputs.append(found)
    template, combined = _output(data, letter, reporter)
    if letter is None:
        return None
    at = data.at("output")
    origin = (problem_path(src, at), at[0], at[1])
    return Campaign(spec_path, letter, tuple(rows), template, combined, {}, origin, tuple(inputs))


def _resolve(
    key: str, holder: Located, base: Path, reporter: Reporter, allow_outside: bool, name: str = ""
) -> Path | None:
    """The file *key* names (the *name* file: ``recipients``' ``path``), inside
    the campaign's folder (by the one path policy,
    :meth:`~letterkit.input.fields.Reader.resolve`); None (reported) if not."""
    src = holder.src
    value = holder.get(key)
    name = name or key
    if not isinstance(value, str) or not value:
        reporter.error((src, holder.at(key)), "LK104", f"'{key}' must name a file")
        return None
    kind: Kind = "table" if name == "recipients" else "spec"
    found = Reader(reporter, base, allow_outside).resolve(value, (src, holder.at(key)), name, kind)
    if found is None:
        return None
    if not found.is_file():
        reporter.error((src, holder.at(key)), "LK101", f"{name} file '{value}' not found")
        return None
    return found


def _base_letter(
    data: Located,
    base: Path,
    reporter: Reporter,
    how: tuple[bool, list[Problem] | None],
    load: Callable[..., Letter],
) -> Letter | None:
    src = data.src
    allow_outside, problems = how
    if "letter" not in data:
        reporter.error((src, (1, 1)), "LK104", "'letter' is required: the base letter spec")
        return None
    letter_path = _resolve("letter", data, base, reporter, allow_outside)
    if letter_path is None:
        return None
    try:
        letter = load(letter_path, allow_outside=allow_outside, problems=problems)
    except ValidationError as exc:
        reporter.problems.extend(exc.problems)
        return None
    if letter.recipients:
        reporter.error(
            (src, data.at("letter")), "LK105",
            "the base letter must not set recipients; they come from the campaign's list",
        )  # fmt: skip
    return letter


def _archive(data: Located, letter: Letter | None, reporter: Reporter) -> Letter | None:
    """The base letter with the campaign's ``archive`` (``pdfa``, or null for a
    plain PDF), which overrides the base spec's; a bad value is reported at its key."""
    if letter is None or "archive" not in data:
        return letter
    value = data.get("archive")
    if value is None:
        return replace(letter, archive=None)
    word = ARCHIVE.get(str(value).strip().lower()) if isinstance(value, str) else None
    if word is None:
        reporter.error(
            (data.src, data.at("archive")), "LK105",
            f"'archive' must be one of pdfa, not '{value}'; leave it out for a plain PDF",
        )  # fmt: skip
        return letter
    return replace(letter, archive="pdfa")


def _output(data: Located, letter: Letter | None, reporter: Reporter) -> tuple[str, str]:
    """The ``output.filename`` template (or the default) and ``output.combined``."""
    src = data.src
    output = data.get("output") or {}
    private = letter is not None and letter.privacy == "minimal"
    template = PRIVATE_FILENAME if private else DEFAULT_FILENAME
    combined = ""
    if not output:
        return template, combined
    if not isinstance(output, Located):
        reporter.error((src, data.at("output")), "LK105", "'output' must be a mapping")
        return template, combined
    check_keys(output, OUTPUT_KEYS, "output", reporter)
    template = str(output.get("filename") or template)
    combined = str(output.get("combined") or "")
    problem = combined_problem(combined) if combined else None
    if problem:
        reporter.error((src, output.at("combined")), "LK160", f"output.combined {problem}")
    return template, combined


def _split_address(value: str) -> tuple[str, ...]:
    parts = re.split(r"\s*\|\s*|\r?\n", value)
    return tuple(clean(p) for p in parts if clean(p))


#: The cells that ask for no salutation or closing at all (an empty cell leaves the
#: default): ``-``, and ``""`` typed into a spreadsheet as the spec would write it.
NONE_CELLS = ("-", '""', "''")
#: Rows of these files tell a key left out from a key set to "" (which means none).
TYPED = (".yaml", ".yml", ".json", ".toml")


def _greeting(cells: dict[str, Any], key: str, src: Source | str) -> str | None:
    """A salutation or closing cell → None (empty: the default), "" (none: ``-``,
    or ``""`` given in a YAML, JSON or TOML row) or text."""
    text = clean(cells.get(key) or "")
    if not text:
        suffix = src.path.suffix.lower() if isinstance(src, Source) else ""
        typed = suffix in TYPED or not suffix  # plain data, an inline list: typed
        return "" if key in cells and cells[key] == "" and typed else None
    return "" if text in NONE_CELLS else text


def _choice(
    cells: dict[str, Any], key: str, words: dict[str, str], rid: str, at: At, reporter: Reporter
) -> str:
    """A ``gender`` or ``office`` cell → the model's word ("" when empty or unknown, reported)."""
    text = clean(str(cells.get(key) or ""))
    word = words.get(text.lower(), "")
    if text and not word:
        allowed = ", ".join(dict.fromkeys(words.values()))
        hint = office_hint(text) if key == "office" else ""
        reporter.error(
            at, "LK105", f"recipient '{rid}': '{key}' must be one of {allowed}, not '{text}'{hint}"
        )
    return word


def _cell_at(fields: dict[str, Origin], origin: Origin, column: str) -> At:
    """Where a row's cell stands (the row's start when it is not known)."""
    return where_of(fields.get(column, origin))


def _recipients(
    value: Any, where: Where, reporter: Reporter, letter: Letter | None, sheet: str = ""
) -> list[CampaignRecipient]:
    rows = read_rows(value, where, reporter, RECIPIENT_TABLE, sheet)
    out: list[CampaignRecipient] = []
    seen: dict[str, str] = {}
    for cells, (src, pos) in rows:
        origin = (problem_path(src, pos), pos[0], pos[1])
        fields = cell_origins(cells, src, pos)
        at = functools.partial(_cell_at, fields, origin)

        rid = clean(cells.get("id", ""))
        if not rid:
            reporter.error(at("id"), "LK104", "recipient has no id; fill in the 'id' cell")
            continue
        if rid in seen:
            reporter.error(
                at("id"), "LK121", f"recipient id '{rid}' is used twice (also at {seen[rid]})"
            )
            continue
        seen[rid] = location(src, pos)
        name = clean(cells.get("name", ""))
        if not name:
            reporter.error(
                at("name"), "LK104", f"recipient '{rid}' has no name; fill in the 'name' cell"
            )
            continue
        if letter is not None and letter.parts and clean(cells.get("locale", "")):
            reporter.error(
                at("locale"), "LK105",
                f"recipient '{rid}': the letter is in several languages, each from 'parts'; "
                "leave the 'locale' cell empty",
            )  # fmt: skip
            continue
        locale = l10n.normal_tag(clean(cells.get("locale", ""))) or (
            letter.locale if letter else "en-GB"
        )
        try:
            l10n.parse_locale(locale)
        except (ValueError, l10n.LocalizationError) as exc:
            reporter.error(
                at("locale"), "LK105", f"recipient '{rid}': locale '{locale}' is unknown ({exc})"
            )
            continue
        recipient = Recipient(
            name=name,
            honorific=clean(cells.get("honorific", "")),
            title=clean(cells.get("title", "")),
            organization=clean(cells.get("organization", "")),
            address=_split_address(cells.get("address", "")),
            email=clean(cells.get("email", "")),
            salutation=_greeting(cells, "salutation", src),
            closing=_greeting(cells, "closing", src),
            gender=_choice(cells, "gender", GENDER_WORDS, rid, at("gender"), reporter),
            office=_choice(cells, "office", OFFICE_WORDS, rid, at("office"), reporter),
            surname=clean(cells.get("surname", "")),
        )
        out.append(CampaignRecipient(rid, recipient, locale, origin, fields))
    return out
