"""Campaign file + recipients table → a :class:`Campaign` (the base letter and its rows).

A campaign names a base letter spec (which must not set recipients), a
recipients table (CSV, XLSX, YAML or JSON: ``id``, ``honorific``, ``name``,
``title``, ``organization``, ``address`` (lines split on newlines or " | "),
``email``, ``salutation`` and ``closing`` (a lone ``-``: none), ``locale``) and
how output files are named. Every problem is reported at once, at the cell it
comes from. The file names are rendered later (:mod:`letterkit.text.filenames`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import l10n
from ..errors import Problem, ValidationError
from ..files import Kind
from ..model import GENDER_WORDS, OFFICE_WORDS, Letter, Recipient
from ..validate.address_forms import office_hint
from .data import load_data_file
from .fields import Reader
from .letter_spec import load_letter
from .sources import (
    Located,
    Origin,
    Pos,
    Reporter,
    Source,
    check_keys,
    display_path,
    location,
    problem_path,
    where_of,
)
from .sources import Where as At
from .tables import Table, clean, read_rows

CAMPAIGN_KEYS = ("letter", "recipients", "output")
OUTPUT_KEYS = ("filename", "combined")
RECIPIENT_COLUMNS = (
    "id", "honorific", "name", "title", "organization", "address", "email", "salutation",
    "closing", "locale", "gender", "office",
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
    """Whether a spec file is a campaign (it names a base ``letter`` and ``recipients``)."""
    reporter = Reporter()
    data = load_data_file(Path(path), reporter, "spec")
    return isinstance(data, dict) and "letter" in data and "recipients" in data


#: Names Windows keeps for its devices, whatever follows a dot (``CON.pdf`` is the console).
_RESERVED = re.compile(
    r"(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])", re.I
)
#: Characters no file name may hold on one system or another: controls, line and paragraph
#: separators, the marks that reorder text (they disguise an extension), what Windows forbids.
_UNSAFE = re.compile(
    r'[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff<>:"|?*]'
)
#: Longest file name most file systems take, in bytes of UTF-8.
NAME_BYTES = 255


def filename_problem(name: str) -> str | None:
    """Why *name* cannot be an output file name inside the output folder, on any
    system a bundle may be copied to, or None."""
    if not name or name in {".pdf"}:
        return "renders an empty file name"
    shown = _shown(name)
    if "/" in name or "\\" in name:
        return f"renders '{shown}', which holds a path separator; use |slug on the values"
    if ".." in name.split(".pdf")[0].split("."):
        return f"renders '{shown}', which would leave the output folder"
    if name.startswith("..") or name.startswith("."):
        return f"renders '{shown}', which is not a plain file name; use |slug on the values"
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > NAME_BYTES:
        return (
            f"renders a name of {size:,} bytes ('{shown}'); a file name holds at most "
            f"{NAME_BYTES} bytes: shorten it"
        )
    unsafe = _UNSAFE.search(name)
    if unsafe:
        return (
            f"renders '{shown}', which holds {_char(unsafe.group())}, not allowed in a file "
            "name; use |slug on the values"
        )
    if _RESERVED.fullmatch(name.split(".", 1)[0].rstrip(" ")):
        return (
            f"renders '{shown}', a name Windows keeps for a device; add a word before it "
            "in output.filename"
        )
    if name.endswith((".", " ")):
        return f"renders '{shown}', which ends in a dot or a space; remove it"
    return None


def _char(char: str) -> str:
    """A character as a message names it: ``'|'``, or ``U+000A`` for an invisible one."""
    return f"'{char}'" if char.isprintable() else f"U+{ord(char):04X}"


def _shown(name: str) -> str:
    """A rendered name as a one-line message shows it: invisible characters as
    ``\\x0a``-style escapes, and long names cut to 80 characters."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256
                   else f"\\u{ord(c):04x}" for c in name)  # fmt: skip
    return text if len(text) <= 80 else text[:79] + "…"


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
    rows: list[CampaignRecipient] = []
    inputs = [spec_path]
    value = data.get("recipients")
    if value is None:
        reporter.error((src, (1, 1)), "LK104", "'recipients' is required: a table of recipients")
    else:
        found: Any = (
            _resolve("recipients", data, base, reporter, allow_outside)
            if isinstance(value, str)
            else value
        )
        if found is not None:
            rows = _recipients(found, (src, data.at("recipients")), reporter, letter)
            if isinstance(found, Path):
                inputs.append(found)
    template, combined = _output(data, letter, reporter)
    if letter is None:
        return None
    at = data.at("output")
    origin = (problem_path(src, at), at[0], at[1])
    return Campaign(spec_path, letter, tuple(rows), template, combined, {}, origin, tuple(inputs))


def _resolve(
    key: str, holder: Located, base: Path, reporter: Reporter, allow_outside: bool
) -> Path | None:
    """The file *key* names, inside the campaign's folder (by the one path
    policy, :meth:`~letterkit.input.fields.Reader.resolve`); None (reported) if not."""
    src = holder.src
    value = holder.get(key)
    if not isinstance(value, str) or not value:
        reporter.error((src, holder.at(key)), "LK104", f"'{key}' must name a file")
        return None
    kind: Kind = "table" if key == "recipients" else "spec"
    found = Reader(reporter, base, allow_outside).resolve(value, (src, holder.at(key)), key, kind)
    if found is None:
        return None
    if not found.is_file():
        reporter.error((src, holder.at(key)), "LK101", f"{key} file '{value}' not found")
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
    if combined and filename_problem(combined):
        reporter.error(
            (src, output.at("combined")), "LK160",
            f"output.combined {filename_problem(combined)}",
        )  # fmt: skip
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


def _cell_origins(cells: dict[str, str], src: Source | str, pos: Pos) -> dict[str, Origin]:
    """Where each cell of a row stands: a CSV cell's column and physical line (a quoted
    cell before it may span lines), a workbook's cell, a YAML or JSON key's line."""
    line, _ = pos
    if isinstance(cells, Located):
        return {k: (problem_path(src, p), *p) for k, p in cells.key_pos.items() if p[0]}
    if not isinstance(src, Source) or line is None:
        return {}
    if not src.sheet and src.path.suffix.lower() != ".csv":
        return {}
    out: dict[str, Origin] = {}
    for col, (key, text) in enumerate(cells.items(), start=1):  # in the header's order
        out[key] = (problem_path(src, (line, col)), line, col)
        if not src.sheet:
            line += text.count("\n")
    return out


def _cell_at(fields: dict[str, Origin], origin: Origin, column: str) -> At:
    """Where a row's cell stands (the row's start when it is not known)."""
    return where_of(fields.get(column, origin))


def _recipients(
    value: Any, where: Where, reporter: Reporter, letter: Letter | None
) -> list[CampaignRecipient]:
    rows = read_rows(value, where, reporter, RECIPIENT_TABLE)
    out: list[CampaignRecipient] = []
    seen: dict[str, str] = {}
    for cells, (src, pos) in rows:
        origin = (problem_path(src, pos), pos[0], pos[1])
        fields = _cell_origins(cells, src, pos)
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
        locale = clean(cells.get("locale", "")) or (letter.locale if letter else "en-GB")
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
        )
        out.append(CampaignRecipient(rid, recipient, locale, origin, fields))
    return out
