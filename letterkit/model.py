"""The letter as data: frozen dataclasses, no I/O.

:func:`letterkit.load_letter` builds these from files and
:func:`letterkit.letter_from_data` from plain data; code can build them
directly. The types say what each field holds (a :class:`datetime.date`, one
of a closed set of words); :func:`letterkit.validate` checks that a letter
holds what they say, whoever built it. A free-text field that may differ per language is a
:data:`LocalText`: a plain string, or a mapping ``{locale: text}`` from which
the letter's locale picks (see :func:`letterkit.l10n.localize`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

LocalText = str | Mapping[str, str]
Paper = Literal["A4", "letter"]
SignatoryOrder = Literal["alphabetical", "as-given"]
SignatoryStyle = Literal["columns", "list", "numbered", "count"]
SignatoryType = Literal["organization", "individual"]
Collation = Literal["uca", "icu"]
Privacy = Literal["normal", "minimal"]
DatelinePosition = Literal["before-subject", "after-subject"]
#: A date format: a Babel preset, or a Babel pattern such as ``"d MMMM y"``.
DateFormat = Literal["short", "medium", "long", "full"] | str
#: What a generated annex holds: the case's events, or the full signatory list.
GeneratedKind = Literal["chronology", "signatories"]
GENERATED: tuple[GeneratedKind, ...] = ("chronology", "signatories")


@dataclass(frozen=True)
class Sender:
    """The letterhead: who sends the letter."""

    name: LocalText
    address: tuple[LocalText, ...] = ()
    email: str = ""
    logo: Path | None = None


@dataclass(frozen=True)
class Recipient:
    """One addressee block; a group addressee has only a name."""

    name: LocalText
    honorific: LocalText = ""
    title: LocalText = ""
    organization: LocalText = ""
    address: tuple[LocalText, ...] = ()
    email: str = ""
    salutation: LocalText = ""


@dataclass(frozen=True)
class Person:
    """The person the letter is about."""

    name: str
    names: Mapping[str, str] = field(default_factory=dict)
    gender: str = ""
    age: int | None = None
    born: dt.date | int | None = None
    role: LocalText = ""
    hometown: LocalText = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """One dated entry of the case's chronology."""

    date: dt.date
    text: LocalText


@dataclass(frozen=True)
class Case:
    """The facts of the case, as templates see them."""

    person: Person
    country: str = ""
    detained_on: dt.date | None = None
    sentence: LocalText = ""
    events: tuple[Event, ...] = ()
    demands: tuple[LocalText, ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Signatory:
    """One organisation or person that signs the letter."""

    name: str
    type: SignatoryType = "organization"
    acronym: str = ""
    country: str = ""
    affiliation: str = ""
    title: str = ""
    group: str = ""
    sort_as: str = ""
    lead: bool = False
    withhold: bool = False
    #: Where the entry was read, as problems cite it: (path, line, column).
    origin: tuple[str, int | None, int | None] | None = field(
        default=None, compare=False, repr=False
    )


@dataclass(frozen=True)
class Annex:
    """A document that travels with the letter, appended after it.

    A PDF or a PNG/JPEG image (``path``), or a generated document
    (``generate``: ``"chronology"`` for the case events, ``"signatories"`` for
    the full list).
    """

    path: Path | None = None
    title: LocalText = ""
    pages: str = ""
    password: str = ""
    password_env: str = ""
    stamp: bool = True
    generate: GeneratedKind | Literal[""] = ""


@dataclass(frozen=True)
class Dateline:
    """Where and how the date is printed."""

    position: DatelinePosition = "before-subject"
    format: DateFormat = "long"
    trailing_comma: bool = False


@dataclass(frozen=True)
class Letter:
    """Everything needed to render one letter.

    ``base_dir`` is the folder relative paths were resolved against, and
    ``inputs`` the files the letter was read from (an output path may not be
    one of them).
    """

    template: str | Mapping[str, str]
    locale: str
    date: dt.date
    case: Case
    signatories: tuple[Signatory, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    sender: Sender | None = None
    place: LocalText = ""
    subject: LocalText = ""
    #: None: the locale's word ("Re:", "Objet :", "الموضوع:"); "" for a heading line.
    subject_prefix: str | None = None
    salutation: LocalText = ""
    closing: LocalText = ""
    justify: bool = False
    paper: Paper = "A4"
    expected_signatories: int | None = None
    signatory_order: SignatoryOrder = "alphabetical"
    signatory_style: SignatoryStyle = "columns"
    signatory_columns: int = 2
    collation: Collation = "uca"
    dateline: Dateline = field(default_factory=Dateline)
    annexes: tuple[Annex, ...] = ()
    cc: tuple[LocalText, ...] = ()
    variables: Mapping[str, Any] = field(default_factory=dict)
    privacy: Privacy = "normal"
    #: A folder of extra TrueType fonts for characters the bundled fonts lack.
    fonts: Path | None = None
    base_dir: Path = field(default_factory=Path.cwd)
    inputs: tuple[Path, ...] = ()
    #: Files the template names (the body's images) may lie outside ``base_dir``.
    allow_outside: bool = False
