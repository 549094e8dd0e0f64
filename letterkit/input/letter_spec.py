"""Letter spec (a file, or plain data) + case + signatories → a validated :class:`~letterkit.model.Letter`.

Stage 1 of the pipeline. :func:`load_letter` reads a YAML, TOML or JSON spec
and the files it names; :func:`letter_from_data` takes the same keys as plain
data (a web form, a database row). Both read every field with
:mod:`letterkit.input.fields`, run :func:`letterkit.validate.validate` on the
letter they built, and raise one :class:`~letterkit.errors.ValidationError`
carrying every problem found: at the file, line and column of the key for a
file, at the field's path (``letter.case.person.name``) for plain data.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast

from ..errors import Problem, UsageError, ValidationError, path_argument
from ..l10n import normal_tag
from ..model import Letter
from ..validate import COLUMNS, EXPECTED, findings
from ..validate.hygiene import silenced
from .addressees import read_addressees, read_cc
from .budget import CONTAINER, MAX_DEPTH, MAX_NODES
from .case import read_case
from .data import load_data_file
from .fields import Reader
from .ignored import read_ignored
from .language_parts import read_parts, read_signatories_in
from .parts import (
    optional_text,
    read_annexes,
    read_dateline,
    read_recipients,
    read_sender,
    read_template,
)
from .signatories import load_signatories
from .signatory_block import read_signatory_block
from .sources import Located, Reporter, Source, Where, display_path, from_data, shown_from
from .typography import read_typography

SPEC_KEYS = (
    "template", "locale", "date", "place", "subject", "subject_prefix", "paper", "sender",
    "recipient", "recipients", "case", "signatories", "expected_signatories", "signatory_order",
    "signatory_style", "signatory_columns", "collation", "dateline", "fonts", "privacy",
    "annexes", "cc", "variables", "salutation", "closing", "justify", "addressees",
    "page_numbers", "signatory_block", "parts", "signatories_in", "digits",
    "typography", "warnings", "archive",
)  # fmt: skip
SIGNATORY_FILE_KEYS = ("path", "sheet")
#: Other spellings a file may use for the closed sets of words.
DIGITS = {"latn": "latn", "latin": "latn", "arab": "arab", "arabic": "arab"}
PAPER = {"a4": "A4", "letter": "letter", "us-letter": "letter"}
ARCHIVE = {"pdfa": "pdfa", "pdf/a": "pdfa", "pdf-a": "pdfa"}
#: What the command line says of ``archive``: ``"pdfa"`` (``--archive``),
#: ``"plain"`` (``--no-archive``), None (as the spec says).
ArchiveChoice = Literal["pdfa", "plain"] | None
LOWER = {
    word: word
    for word in (
        "alphabetical", "as-given", "columns", "list", "numbered", "count", "signatures", "uca",
        "icu", "normal", "minimal", "always", "auto", "never",
    )
}  # fmt: skip


def load_letter(
    path: str | os.PathLike[str],
    *,
    allow_outside: bool = False,
    problems: list[Problem] | None = None,
) -> Letter:
    """Read a letter spec and everything it names → a validated :class:`Letter`.

    Raises :class:`~letterkit.errors.ValidationError` listing every problem.
    Warnings found along the way are appended to *problems* when given.
    """
    path_argument(path, "the letter spec")
    with shown_from(Path(path)):
        return _load_letter(Path(path), allow_outside, problems)


def _load_letter(spec_path: Path, allow_outside: bool, problems: list[Problem] | None) -> Letter:
    reporter = Reporter()
    data = load_data_file(spec_path, reporter, "letter spec")
    if data is None and not reporter.failed:
        reporter.add(display_path(spec_path), (None, None), "LK104", "the letter spec is empty")
    reporter.raise_if_failed()
    reader = Reader(reporter, spec_path.resolve().parent, allow_outside)  # read: no link loop
    if not isinstance(data, Located):
        src = getattr(data, "src", Source(spec_path, display_path(spec_path)))
        reporter.error((src, (1, 1)), "LK105", "'letter spec' must be a mapping of keys and values")
        reporter.raise_if_failed()
    reader.inputs.append(spec_path.resolve())
    data.pos = (1, 1)  # a key that is missing is reported at the top of the file
    return _validated(read_spec(data, reader), reader, problems)


def letter_from_data(
    data: Mapping[str, Any],
    base_dir: str | os.PathLike[str],
    *,
    allow_outside: bool = False,
    problems: list[Problem] | None = None,
) -> Letter:
    """Plain data with the keys of a letter spec → a validated :class:`Letter`.

    The case and the signatories may be given inline (a mapping, a list) or
    as paths; relative paths resolve against *base_dir* and must stay inside
    it unless *allow_outside*. Dates may be :class:`datetime.date` values or
    ISO strings. Raises :class:`~letterkit.errors.ValidationError` whose
    problems name the field (``letter.case.person.name: error: [LK104] ...``);
    warnings are appended to *problems* when given.

    >>> letter = letter_from_data({
    ...     "template": "appeal-release", "locale": "en-GB", "date": "2018-12-06",
    ...     "case": {"person": {"name": "Jane Doe"}}, "signatories": ["Org A"],
    ... }, ".")
    >>> letter.date, letter.signatories[0].name
    (datetime.date(2018, 12, 6), 'Org A')
    """
    path_argument(base_dir, "base_dir")
    base = Path(base_dir).resolve()
    reader = Reader(Reporter(), base, allow_outside)
    if not isinstance(data, Mapping):
        problem = Problem(
            "letter", None, None, "error", "LK105",
            f"the letter data must be a mapping of spec keys, not a {type(data).__name__}",
        )  # fmt: skip
        raise ValidationError([problem])
    shape = _shape_problem(data)
    if shape is not None:
        raise ValidationError([shape])
    spec = from_data(data, "letter", base)
    return _validated(read_spec(spec, reader), reader, problems)


def _shape_problem(data: Mapping[str, Any]) -> Problem | None:
    """What makes plain letter data unreadable as a spec file would be: a mapping
    or list that holds itself (a cycle), nesting past :data:`MAX_DEPTH` levels,
    or more than :data:`MAX_NODES` values. None when it is within them."""
    stack: list[tuple[Any, str, int, bool]] = [(data, "letter", 1, False)]
    open_ids: set[int] = set()
    nodes = 1
    while stack:
        value, field, depth, leaving = stack.pop()
        if leaving:
            open_ids.discard(id(value))
            continue
        if not isinstance(value, Mapping | list | tuple):
            continue
        why = None
        if id(value) in open_ids:
            why = "holds itself (a cycle); give plain data, each mapping or list once"
        elif depth > MAX_DEPTH:
            why = f"nests deeper than {MAX_DEPTH} levels; flatten it"
        elif (nodes := nodes + CONTAINER + len(value)) > MAX_NODES:
            why = f"is past {MAX_NODES:,} values in all; make the data smaller"
        if why:
            shown = field if len(field) <= 200 else field[:99] + "…" + field[-100:]
            return Problem(shown, None, None, "error", "LK105", why)
        open_ids.add(id(value))
        stack.append((value, field, depth, True))
        if isinstance(value, Mapping):
            stack.extend((v, f"{field}.{k}", depth + 1, False) for k, v in value.items())
        else:
            stack.extend((v, f"{field}[{i}]", depth + 1, False) for i, v in enumerate(value))
    return None


def read_spec(spec: Located, reader: Reader) -> Letter:
    """The spec's mapping → a letter (not yet validated; unreadable values are
    reported and left out)."""
    reader.keys(spec, SPEC_KEYS, "letter spec")
    reader.mark("letter", spec.here())
    date = None
    if spec.get("date") is not None:
        date = reader.date(spec["date"], spec.where("date"), "letter.date", "date")
    reader.mark("letter.date", spec.where("date"))
    case = None
    if spec.get("case") is not None:
        case = read_case(spec["case"], spec.where("case"), reader)
    reader.mark("letter.case", spec.where("case"))
    variables = spec.get("variables") or {}
    if not isinstance(variables, dict):
        reader.error(
            spec.where("variables"), "LK105", "'variables' must be a mapping", "letter.variables"
        )
        variables = {}
    parts = read_parts(spec, reader, SPEC_KEYS)  # before the inputs: a part's template is one
    return Letter(
        template=read_template(spec, reader),
        locale=normal_tag(reader.plain(spec, "locale", "letter.locale", "en-GB")),
        date=cast(Any, date),
        case=cast(Any, case),
        signatories=_signatories(spec, reader),
        recipients=read_recipients(spec, reader),
        sender=read_sender(spec, reader),
        place=reader.text(spec, "place", "letter.place"),
        subject=reader.text(spec, "subject", "letter.subject"),
        subject_prefix=(
            reader.plain(spec, "subject_prefix", "letter.subject_prefix")
            if spec.get("subject_prefix") is not None
            else None
        ),
        salutation=optional_text(spec, "salutation", "letter.salutation", reader),
        closing=optional_text(spec, "closing", "letter.closing", reader),
        justify=reader.flag(spec, "justify", "letter.justify", False),
        digits=(
            cast(Any, reader.word(spec, "digits", "letter.digits", DIGITS, ""))
            if spec.get("digits") is not None
            else None
        ),
        paper=cast(Any, reader.word(spec, "paper", "letter.paper", PAPER, "A4")),
        archive=read_archive(spec, reader),
        expected_signatories=reader.whole(
            spec, "expected_signatories", "letter.expected_signatories", EXPECTED
        ),
        **_words(spec, reader),
        signatory_columns=_or(
            reader.whole(spec, "signatory_columns", "letter.signatory_columns", COLUMNS),
            2,
        ),
        signatory_block=read_signatory_block(spec, reader),
        dateline=read_dateline(spec, reader),
        typography=read_typography(spec, reader),
        annexes=read_annexes(spec, reader),
        **read_cc(spec, reader),
        addressees=read_addressees(spec, reader),
        variables=variables,
        fonts=_fonts(spec, reader),
        base_dir=reader.base,
        inputs=tuple(dict.fromkeys(reader.inputs)),
        parts=parts,
        signatories_in=read_signatories_in(spec, reader),
        allow_outside=reader.allow_outside,
        ignore_warnings=read_ignored(spec, reader),
    )


def read_archive(spec: Located, reader: Reader, field: str = "letter.archive") -> Any:
    """``archive``: ``pdfa`` (a tagged PDF/A), or None when absent or null (a
    plain PDF); another word is kept for validation to report."""
    if spec.get("archive") is None:
        reader.mark(field, spec.where("archive"))
        return None
    return reader.word(spec, "archive", field, ARCHIVE, "")


def archived(letter: Letter, archive: ArchiveChoice) -> Letter:
    """*letter* as the command line's ``--archive`` / ``--no-archive`` asks
    (*archive* ``"pdfa"`` / ``"plain"``; None: as its spec says)."""
    if archive is None:
        return letter
    if archive not in ("pdfa", "plain"):
        raise UsageError(f"archive must be 'pdfa', 'plain' or None, not {archive!r}")
    return dataclasses.replace(letter, archive="pdfa" if archive == "pdfa" else None)


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _words(spec: Located, reader: Reader) -> dict[str, Any]:
    """The fields that hold one of a closed set of words (checked by validation)."""
    defaults = {
        "signatory_order": "alphabetical",
        "signatory_style": "columns",
        "collation": "uca",
        "privacy": "normal",
        "page_numbers": "always",
    }
    return {
        key: reader.word(spec, key, f"letter.{key}", LOWER, default)
        for key, default in defaults.items()
    }


def _signatories(spec: Located, reader: Reader) -> tuple[Any, ...]:
    value = spec.get("signatories")
    where = reader.mark("letter.signatories", spec.where("signatories"))
    if value is None:
        return ()
    sheet = ""
    if isinstance(value, Located) and "path" in value:  # {path: x.xlsx, sheet: Signers}
        reader.keys(value, SIGNATORY_FILE_KEYS, "signatories")
        sheet = reader.plain(value, "sheet", "letter.signatories")
        where = reader.mark("letter.signatories", value.where("path"))
        value = value["path"]
    signature = functools.partial(_signature, reader)
    if not isinstance(value, str):
        return tuple(load_signatories(value, where, reader.reporter, resolve=signature))
    found = reader.resolve(value, where, "letter.signatories", "table")
    if found is None:
        return ()
    reader.inputs.append(found)
    if sheet and found.suffix.lower() != ".xlsx":
        reader.error(where, "LK105", "'sheet' applies only to an .xlsx file; remove it")
    return tuple(load_signatories(found, where, reader.reporter, sheet, signature))


def _signature(reader: Reader, value: str, where: Where) -> Path | None:
    """A signatory's ``signature`` cell → the image's path, by the path rules of
    the logo and the annexes: in the spec's folder (the one every relative path
    of the spec resolves against), inside it unless outside paths are allowed.
    A problem is reported at the signatory's row and names the column."""
    own = Reader(Reporter(), reader.base, reader.allow_outside)
    found = own.resolve(value, where, "", "image")
    for problem in own.reporter.problems:
        message = f"signature {problem.message}"
        reader.reporter.problems.append(dataclasses.replace(problem, message=message))
    if found is not None and found.is_file():
        reader.inputs.append(found)
    return found


def _fonts(spec: Located, reader: Reader) -> Path | None:
    value = spec.get("fonts")
    where = reader.mark("letter.fonts", spec.where("fonts"))
    if value is None:
        return None
    if not isinstance(value, str):
        reader.error(
            where,
            "LK105",
            "'fonts' must be the path of a folder of fonts (.ttf, .otf, .ttc)",
            "letter.fonts",
        )
        return None
    return reader.resolve(value, where, "letter.fonts", "folder")


def _validated(letter: Letter, reader: Reader, problems: list[Problem] | None) -> Letter:
    """Run the model's rules on *letter*; report each problem where its field was
    read; raise every problem at once when there is an error."""
    reporter = reader.reporter
    found = [f for f in findings(letter) if not _covered(f.field, reader.reported)]
    unread = reporter.failed
    for finding in found:
        problem = finding.problem
        if unread and problem.code == "LK122":
            continue  # a count says little of a list that could not all be read
        if problem.path != finding.field:  # placed by the value itself (a signatory's row)
            reporter.problems.append(problem)
            continue
        where = reader.place(finding.field) or (finding.field, (None, None))
        reporter.add(where[0], where[1], problem.code, problem.message, problem.severity)
    if problems is not None:
        warned = [p for p in reporter.problems if p.severity != "error"]
        problems.extend(silenced(warned, letter.ignore_warnings))
    reporter.raise_if_failed()
    return letter


def _covered(field: str, reported: set[str]) -> bool:
    return any(field == r or field.startswith((r + ".", r + "[")) for r in reported)
