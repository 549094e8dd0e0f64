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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, get_args

LocalText = str | Mapping[str, str]
#: A file that may differ per language: a path, or a mapping ``{locale: path}``.
LocalPath = Path | Mapping[str, Path]
Paper = Literal["A4", "letter"]
Digits = Literal["latn", "arab"]
SignatoryOrder = Literal["alphabetical", "as-given"]
SignatoryStyle = Literal["columns", "list", "numbered", "count", "signatures"]
SignatoryType = Literal["organization", "individual"]
Collation = Literal["uca", "icu"]
Privacy = Literal["normal", "minimal"]
Archive = Literal["pdfa"]
DatelinePosition = Literal["before-subject", "after-subject", "top"]
#: The side the dateline sits on; mirrored in a right-to-left letter, as the whole page is.
DatelineAlign = Literal["right", "left"]
#: "Page X of Y" at each foot: always; ``auto``: not on a one-page letter; never.
PageNumbers = Literal["always", "auto", "never"]
#: Addressees as one block each (name, title, address…) or one line each.
AddresseeLayout = Literal["blocks", "lines"]
#: Where the cc lines print: under the addressees, or at the end of the letter.
CcPosition = Literal["top", "end"]
#: The size of the signatory entries: the notes' size, or the body's.
SignatorySize = Literal["small", "body"]
#: ``none``: one list (in groups, when the signatories have them); ``types``: the
#: organisations, then the individuals, each under its localized sub-heading.
SignatorySplit = Literal["none", "types"]
#: A date format: a Babel preset, or a Babel pattern such as ``"d MMMM y"``.
DateFormat = Literal["short", "medium", "long", "full"] | str
#: What a generated annex holds: the case's events, or the full signatory list.
GeneratedKind = Literal["chronology", "signatories"]
GENERATED: tuple[GeneratedKind, ...] = ("chronology", "signatories")
#: What becomes of the files embedded in an annex: carried into the letter, or left out.
Attachments = Literal["keep", "drop"]
ATTACHMENTS: tuple[Attachments, ...] = ("keep", "drop")
#: Where the sender's logo goes: ``auto`` at the outer edge of the sender block
#: (right in a left-to-right letter, left in a right-to-left one), ``left`` or
#: ``right`` of it whatever the script, or ``top``: above it.
LogoPosition = Literal["auto", "left", "right", "top"]
#: How many co-signers' logos a letterhead's row holds (one logo goes in ``logo``).
LOGOS = (2, 12)
#: How ``gender`` may be written (any case): the model's word for each.
GENDER_WORDS = {"female": "female", "f": "female", "male": "male", "m": "male"}
#: The offices a recipient's greeting can follow (``office``): heads of state,
#: monarchs, heads of government, ministers, high representatives and
#: commissioners, ambassadors, parliamentarians; "other" for none of them.
Office = Literal[
    "head-of-state", "monarch", "head-of-government", "minister", "high-representative",
    "commissioner", "ambassador", "parliamentarian", "other", "",
]  # fmt: skip
#: How ``office`` may be written (any case, "-", "_" or " " between words).
OFFICE_WORDS = {
    spelled: word
    for word in get_args(Office)
    if word
    for spelled in (word, word.replace("-", " "), word.replace("-", "_"))
}
#: Which part of a letter in several languages prints the signatory list.
SignatoriesIn = Literal["last", "each"]


@dataclass(frozen=True)
class Sender:
    """The letterhead: who sends the letter."""

    name: LocalText
    address: tuple[LocalText, ...] = ()
    email: str = ""
    logo: Path | None = None
    logo_position: LogoPosition = "auto"
    #: The co-signers' logos, in a row above the sender block, at one height.
    logos: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """One addressee block; a group addressee has only a name."""

    name: LocalText
    honorific: LocalText = ""
    title: LocalText = ""
    organization: LocalText = ""
    address: tuple[LocalText, ...] = ()
    email: str = ""
    #: None: the letter's own or the built greeting; "" for none at all.
    salutation: LocalText | None = None
    #: None: the letter's own or the template's closing; "" for none at all.
    closing: LocalText | None = None
    #: "female" or "male" for the greeting's agreement; "" follows the honorific.
    gender: str = ""
    #: The office the greeting follows (fr, ar); "" reads it from the title.
    office: str = ""
    #: The surname the greeting uses; "" takes it from the name (its last word
    #: and the particles before it: "von der Leyen").
    surname: LocalText = ""


@dataclass(frozen=True)
class Addressees:
    """How the addressees are printed.

    ``blocks``: one address block each, with gaps between them. ``lines``: one
    line each ("H.E. Mr. Name, Title, Organisation"; no address or e-mail), no
    gaps, a long line wrapping with a hanging indent. ``label`` ("To:") is
    printed before the first addressee, the addressees aligned after it.
    """

    layout: AddresseeLayout = "blocks"
    label: LocalText = ""


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
    #: The country's name as the letter prints it, when CLDR's (or the UN's) is
    #: not the one wanted: a text, or ``{locale: text}`` (other languages keep theirs).
    country_name: LocalText = ""
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
    #: A PNG or JPEG of the handwritten signature, printed over the name by the
    #: ``signatures`` style (a relative path is the letter's ``base_dir``'s).
    signature: Path | None = None
    #: Free text printed after the entry: ``Name (ACRONYM, Country; note)``.
    note: str = ""
    #: The person who signs for an organisation: ``Person, Title, Organisation``.
    signed_by: str = ""
    #: Where the entry was read, as problems cite it: (path, line, column).
    origin: tuple[str, int | None, int | None] | None = field(
        default=None, compare=False, repr=False
    )
    #: Where each of its fields was read, when known: (field, (path, line, column)).
    cells: tuple[tuple[str, tuple[str, int | None, int | None]], ...] = field(
        default=(), compare=False, repr=False
    )


@dataclass(frozen=True)
class Annex:
    """A document that travels with the letter, appended after it.

    A PDF or a PNG/JPEG image (``path``: one file, or ``{locale: path}`` for a
    file per language, picked like a :data:`LocalText`), or a generated
    document (``generate``: ``"chronology"`` for the case events,
    ``"signatories"`` for the full list). ``attachments`` says whether the
    files embedded in a PDF annex travel with the letter (``"keep"``) or are
    left out with a warning (``"drop"``, the default).
    """

    path: LocalPath | None = None
    title: LocalText = ""
    pages: str = ""
    password: str = ""
    password_env: str = ""
    stamp: bool = True
    generate: GeneratedKind | Literal[""] = ""
    attachments: Attachments = "drop"


@dataclass(frozen=True)
class Dateline:
    """Where and how the date is printed.

    With ``show`` false no dateline is printed (nor the date in the running
    head of later pages); the date still dates the PDF's metadata.
    """

    position: DatelinePosition = "before-subject"
    format: DateFormat = "long"
    trailing_comma: bool = False
    show: bool = True
    align: DatelineAlign = "right"


@dataclass(frozen=True)
class Typography:
    """How the letter's text is typeset beyond its words.

    ``smart_quotes``: straight quotes and apostrophes print as the locale's
    quotation marks and ’ (template text and data alike); false prints them
    as written.
    """

    smart_quotes: bool = True


@dataclass(frozen=True)
class SignatoryBlock:
    """How the signatory list is headed, noted, sized and written.

    ``heading`` and ``note`` are ``"auto"`` (the localized "Signatories"; the
    identification note when an individual has an affiliation, printed once
    after the last such entry's group), ``""`` for none, or the text to print.
    ``entry`` is a Jinja template for one entry (``"{{ name }}, {{ country }}"``);
    ``""`` keeps the style's own format. ``split: types`` lists the
    organisations, then the individuals, under the localized sub-headings
    "Organisations" and "Individuals" (within each group, when there are groups).
    """

    heading: LocalText = "auto"
    note: LocalText = "auto"
    size: SignatorySize = "small"
    entry: str = ""
    split: SignatorySplit = "none"


#: The names an ``entry`` template may use.
ENTRY_FIELDS = (
    "name", "type", "acronym", "country", "affiliation", "title", "note", "signed_by", "group",
    "number",
)  # fmt: skip


@dataclass(frozen=True)
class LetterPart:
    """One language version of a letter in several languages: the letter's own
    fields that differ in this part. ``None`` keeps the letter's value;
    ``variables`` are added to the letter's (a part's value wins)."""

    locale: str | None = None
    template: str | Mapping[str, str] | None = None
    subject: LocalText | None = None
    subject_prefix: str | None = None
    place: LocalText | None = None
    salutation: LocalText | None = None
    closing: LocalText | None = None
    dateline: Dateline | None = None
    variables: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Letter:
    """Everything needed to render one letter.

    ``base_dir`` is the folder relative paths were resolved against, and
    ``inputs`` the files the letter was read from (an output path may not be
    one of them).

    ``case`` is None for a letter about no one case (a thematic letter); its
    template may then not use ``case`` or ``person``. ``salutation`` and
    ``closing``: None takes the addressee's, the template's or the built one;
    ``""`` prints none.
    """

    template: str | Mapping[str, str]
    locale: str
    date: dt.date
    case: Case | None = None
    signatories: tuple[Signatory, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    sender: Sender | None = None
    place: LocalText = ""
    subject: LocalText = ""
    #: None: the locale's word ("Re:", "Objet :", "الموضوع:"); "" for a heading line.
    subject_prefix: str | None = None
    salutation: LocalText | None = None
    closing: LocalText | None = None
    justify: bool = False
    #: Digits of dates, counts, page and note numbers in a language written in
    #: Arabic script: ``latn`` (0-9) or ``arab`` (٠-٩); None: the locale's CLDR
    #: default (``ar``: latn; ``ar-EG``, ``ar-SA``: arab).
    digits: Digits | None = None
    paper: Paper = "A4"
    expected_signatories: int | None = None
    signatory_order: SignatoryOrder = "alphabetical"
    signatory_style: SignatoryStyle = "columns"
    signatory_columns: int = 2
    #: None: the signatory block as letterkit printed it before ``signatory_block``
    #: existed (the identification note under the heading, numbers flush left).
    signatory_block: SignatoryBlock | None = None
    collation: Collation = "uca"
    dateline: Dateline = field(default_factory=Dateline)
    typography: Typography = field(default_factory=Typography)
    page_numbers: PageNumbers = "always"
    annexes: tuple[Annex, ...] = ()
    cc: tuple[LocalText, ...] = ()
    #: ``end``: one line after the signatories (as a plain ``cc`` list prints);
    #: ``top``: one line each under the addressees, aligned after the label.
    cc_position: CcPosition = "end"
    #: None: the locale's word ("cc:", "Copie :"); "" for no label; else printed as given.
    cc_label: LocalText | None = None
    addressees: Addressees = field(default_factory=Addressees)
    variables: Mapping[str, Any] = field(default_factory=dict)
    privacy: Privacy = "normal"
    #: ``"pdfa"``: a tagged PDF (PDF/UA-1 letter pages) declared PDF/A-2 where
    #: every annex allows it; ``None``: a plain PDF.
    archive: Archive | None = None
    #: A folder of extra TrueType fonts for characters the bundled fonts lack.
    fonts: Path | None = None
    base_dir: Path = field(default_factory=Path.cwd)
    inputs: tuple[Path, ...] = ()
    #: Language versions printed one after the other (each from a new page);
    #: ``()`` is one letter, as the other fields say.
    parts: tuple[LetterPart, ...] = ()
    #: With parts: ``last`` prints the signatories, cc and annex list after the
    #: last part only (the others end with the closing); ``each`` in every part.
    signatories_in: SignatoriesIn = "last"
    #: Files the template names (the body's images) may lie outside ``base_dir``.
    allow_outside: bool = False
    #: Warning codes not reported for this letter (``warnings: {ignore: [LK123]}``).
    ignore_warnings: tuple[str, ...] = ()


def part_letter(letter: Letter, index: int) -> Letter:
    """Part *index* of a letter in several languages, as a letter of its own:
    the letter's fields with the part's, and no parts."""
    part = letter.parts[index]
    changed: dict[str, Any] = {
        name: getattr(part, name)
        for name in (
            "locale", "template", "subject", "subject_prefix", "place", "salutation", "closing",
            "dateline",
        )
        if getattr(part, name) is not None
    }  # fmt: skip
    if part.variables:
        changed["variables"] = {**letter.variables, **part.variables}
    return replace(letter, parts=(), **changed)
