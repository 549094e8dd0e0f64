"""Locale-aware text: localizable fields, dates, lists, plurals, layout words.

Every function takes the locale explicitly; nothing here reads the clock or
the environment. The layout's own words ("Page 2 of 3", "Signatories", …) come
from the gettext catalogs in ``letterkit/locale``, kept with Babel's tools
(``pybabel extract/update/compile``, see the README).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit

from .errors import LetterkitError
from .periods import age as age
from .periods import whole_units_between as whole_units_between

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "letterkit"

#: Babel puts narrow no-break spaces (U+202F) into some dates ("2018 г."); PDF
#: line breaking treats them as ordinary spaces, so they become U+00A0.
_SPACE_FIXES = str.maketrans({"\u202f": "\u00a0"})


class LocalizationError(LetterkitError, LookupError):
    """A localizable value has no entry for the locale (message says which)."""


class UnknownLocale(LetterkitError, ValueError):
    """A locale tag Babel does not know (``xx-YY``)."""


class FormatError(LetterkitError, ValueError):
    """A value cannot be put into words as asked: a plural form is missing, a
    period runs backwards, a country code is unknown."""


_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


def normal_tag(tag: str) -> str:
    """A locale tag as typed → its usual spelling: BCP 47 tags ignore case, so
    ``FR`` is ``fr``, ``en-gb`` and ``EN_gb`` are ``en-GB``, ``UZ-latn`` is
    ``uz-Latn``. Anything that is not shaped like a tag is returned as it is.

    >>> [normal_tag(t) for t in ("FR", "en-gb", "EN_gb", "uz-LATN-uz", "es-419")]
    ['fr', 'en-GB', 'en-GB', 'uz-Latn-UZ', 'es-419']
    """
    text = tag.strip()
    if not _TAG.fullmatch(text):
        return tag
    first, *rest = re.split(r"[-_]", text)
    subtags = [first.lower()]
    for sub in rest:
        if len(sub) == 4 and sub.isalpha():
            subtags.append(sub.title())  # a script
        elif (len(sub) == 2 and sub.isalpha()) or (len(sub) == 3 and sub.isdigit()):
            subtags.append(sub.upper())  # a region
        else:
            subtags.append(sub.lower())
    return "-".join(subtags)


@functools.lru_cache(maxsize=64)
def parse_locale(tag: str) -> Locale:
    """A BCP 47 tag (``en-GB``, ``ru``, ``uz-Latn``) → Babel :class:`Locale`.

    Raises :class:`UnknownLocale` (a ValueError) for a tag Babel does not know.
    """
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise UnknownLocale(
            f"unknown locale {tag!r}; use a BCP 47 tag such as en-GB, ru or fr"
        ) from exc


def locale_chain(tag: str) -> list[str]:
    """The keys a localizable mapping is searched for, most specific first.

    >>> locale_chain("ru-RU")
    ['ru-RU', 'ru_RU', 'ru', 'default']
    """
    parts = re.split(r"[-_]", tag)
    chain: list[str] = []
    for end in range(len(parts), 0, -1):
        for sep in ("-", "_"):
            key = sep.join(parts[:end])
            if key not in chain:
                chain.append(key)
    chain.append("default")
    return chain


def localize(value: object, tag: str) -> str:
    """A plain string, or a ``{locale: text}`` mapping → the text for *tag*.

    >>> localize({"en": "defender", "ru": "правозащитник"}, "ru-RU")
    'правозащитник'
    """
    if isinstance(value, Mapping):
        for key in locale_chain(tag):
            if key in value and value[key] is not None:
                return str(value[key])
        known = ", ".join(str(k) for k in value) or "none"
        raise LocalizationError(
            f"no text for locale {tag!r} (has: {known}); add a '{tag}' or 'default' entry"
        )
    return "" if value is None else str(value)


def localize_path(value: object, tag: str) -> Path | None:
    """A path, or a ``{locale: path}`` mapping → the path for *tag* (the
    same fallback and the same error as :func:`localize`); None for None.

    >>> str(localize_path({"en": Path("a-en.pdf"), "fr": Path("a-fr.pdf")}, "fr-CA"))
    'a-fr.pdf'
    """
    if isinstance(value, Mapping):
        return Path(localize(value, tag))
    return None if value is None else Path(str(value))


def is_localizable_mapping(value: object) -> bool:
    """True when *value* looks like ``{locale: text}`` (every key a locale tag or ``default``)."""
    if not isinstance(value, Mapping) or not value:
        return False
    for key in value:
        if key == "default":
            continue
        if not isinstance(key, str) or not re.fullmatch(
            r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", key
        ):
            return False
        if not isinstance(value[key], str | type(None)):
            return False
    return True


def fix_spaces(text: str) -> str:
    """Replace the narrow no-break space by a no-break space the layout keeps."""
    return text.translate(_SPACE_FIXES)


#: The digits of the numbering systems a letter can print (CLDR's names).
DIGITS = {"latn": "0123456789", "arab": "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
          "arabext": "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"}  # fmt: skip
_DIGIT_TABLES = {name: str.maketrans("0123456789", digits) for name, digits in DIGITS.items()}
#: Languages written in Arabic script: the ones ``digits:`` applies to.
ARABIC_SCRIPT = {"ar", "fa", "ur", "ps", "ckb", "sd", "ug"}


def digit_table(system: str) -> dict[int, int]:
    """The :meth:`str.translate` table from ASCII digits to *system*'s."""
    return _DIGIT_TABLES[system]


@functools.lru_cache(maxsize=64)
def numbering(tag: str, digits: str | None = None) -> str:
    """The numbering system numbers are printed in: *digits* (``latn``/``arab``,
    the spec's ``digits:``) for a language written in Arabic script, else the
    locale's CLDR default.

    >>> numbering("ar"), numbering("ar-EG"), numbering("ar-EG", "latn"), numbering("en", "arab")
    ('latn', 'arab', 'latn', 'latn')
    """
    locale = parse_locale(tag)
    if digits in DIGITS and locale.language in ARABIC_SCRIPT:
        return digits
    system = str(locale.default_numbering_system)
    return system if system in DIGITS else "latn"


def with_digits(text: str, tag: str, digits: str | None = None) -> str:
    """*text* (a formatted date, count or page number) with its ASCII digits in
    the letter's numbering system (:func:`numbering`).

    >>> with_digits("6 / 12", "ar-EG")
    '\u0666 / \u0661\u0662'
    """
    system = numbering(tag, digits)
    return text if system == "latn" else text.translate(_DIGIT_TABLES[system])


def format_date(value: dt.date, tag: str, fmt: str = "long", digits: str | None = None) -> str:
    """A date in the locale's ``short``/``medium``/``long``/``full`` form, or a Babel pattern.

    French writes the first of the month as an ordinal, which Babel does not:

    >>> format_date(dt.date(2018, 12, 6), "en-GB")
    '6 December 2018'
    >>> format_date(dt.date(2010, 6, 1), "fr")
    '1er juin 2010'
    """
    locale = parse_locale(tag)
    text = fix_spaces(_babel_format_date(value, fmt, locale=locale))
    if locale.language == "fr" and value.day == 1 and fmt in {"long", "full"}:
        text = re.sub(r"(^|\s)1(?=\s)", r"\g<1>1er", text, count=1)
    return with_digits(text, tag, digits)


def comma(tag: str) -> str:
    """The comma of the locale's script: "،" in Arabic script, else ","."""
    return "،" if parse_locale(tag).language in {"ar", "fa", "ur"} else ","


def join_list(items: Sequence[object], tag: str, style: str = "standard") -> str:
    """``['A', 'B', 'C']`` → ``'A, B and C'`` in the locale's words."""
    return format_list([str(i) for i in items], style=style, locale=parse_locale(tag))  # type: ignore[arg-type]


def format_number(value: float | int, tag: str, digits: str | None = None) -> str:
    """``12345`` → ``'12,345'`` (en) / ``'12 345'`` (ru) / ``'١٢٬٣٤٥'`` (ar-EG):
    separators and digits of the locale's numbering system (:func:`numbering`)."""
    system = numbering(tag, digits)
    text = format_decimal(value, locale=parse_locale(tag), numbering_system=system)
    return with_digits(fix_spaces(text), tag, digits)


def plural_category(n: int, tag: str) -> str:
    """The CLDR plural category (``one``, ``few``, ``many``, ``other``…) of *n*."""
    return str(parse_locale(tag).plural_form(n))


def plural(n: int, tag: str, forms: Mapping[str, str], digits: str | None = None) -> str:
    """The number and the form of the word for it: ``2 organisations``.

    >>> plural(21, "ru", {"one": "организация", "few": "организации", "many": "организаций"})
    '21 организация'
    """
    category = plural_category(n, tag)
    word = forms.get(category, forms.get("other"))
    if word is None:
        raise FormatError(f"plural form '{category}' is missing; give {category}= or other=")
    return f"{format_number(n, tag, digits)} {word}"


def duration(
    start: dt.date, end: dt.date, tag: str, granularity: str = "month", digits: str | None = None
) -> str:
    """The time between two dates in whole units, rounded down.

    >>> duration(dt.date(2010, 6, 15), dt.date(2018, 12, 6), "en-GB")
    '8 years and 5 months'
    """
    if start > end:
        raise FormatError(
            f"the period from {start.isoformat()} to {end.isoformat()} runs backwards; "
            "check the dates (is the letter dated before the event?)"
        )
    years, months, days = whole_units_between(start, end)
    order = ["year", "month", "day"]
    if granularity not in order:
        raise FormatError("granularity must be 'year', 'month' or 'day'")
    amounts = dict(zip(order, (years, months, days), strict=True))
    units = order[: order.index(granularity) + 1]
    locale = parse_locale(tag)
    parts = [
        fix_spaces(format_unit(amounts[u], f"duration-{u}", length="long", locale=locale))
        for u in units
        if amounts[u]
    ]
    if not parts:
        parts = [
            fix_spaces(format_unit(0, f"duration-{granularity}", length="long", locale=locale))
        ]
    return with_digits(format_list(parts, locale=locale), tag, digits)


def signatory_counts(
    organizations: int, individuals: int, tag: str, digits: str | None = None
) -> str:
    """How many organisations and individuals sign, in the layout's words:
    "32 organisations and 13 individuals", "32 organisations", "13 individuals"
    (each number with its CLDR plural form, in *digits*; "0 organisations" for
    an empty list)."""
    parts = []
    if organizations or not individuals:
        orgs = N_("{n} organisation", "{n} organisations")
        parts.append(nword(tag, *orgs, organizations, digits))
    if individuals:
        parts.append(nword(tag, *N_("{n} individual", "{n} individuals"), individuals, digits))
    return join_list(parts, tag)


@functools.lru_cache(maxsize=64)
def script(tag: str) -> str:
    """The ISO 15924 script a locale is written in (``ru`` → ``Cyrl``, ``uz`` →
    ``Latn``, ``uz-Cyrl`` → ``Cyrl``), from CLDR's likely subtags."""
    from babel.core import get_global

    locale = parse_locale(tag)
    if locale.script:
        return str(locale.script)
    likely = get_global("likely_subtags")
    for key in (str(locale), locale.language):
        full = likely.get(key)
        if full:
            parts = str(full).split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return parts[1]
    return "Latn"


def slug(text: str) -> str:
    """A file-name-safe form of *text*: lower case, word characters and hyphens.

    >>> slug("Federica Mogherini")
    'federica-mogherini'
    >>> slug("../../etc/passwd")
    'etc-passwd'
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFC", folded).lower()
    out = re.sub(r"[^\w]+", "-", folded, flags=re.UNICODE).strip("-_")
    return out[:80].strip("-") or "letter"


@functools.lru_cache(maxsize=32)
def translations(tag: str) -> gettext.NullTranslations:
    """The layout words' catalog for *tag* (English when there is none)."""
    name = catalog_name(tag)
    if name is None:
        return gettext.NullTranslations()
    with (LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def catalog_name(tag: str) -> str | None:
    """The catalog *tag* takes its layout words from: its own (``en_US``) or its
    language's (``en``, ``uz`` for ``uz-Cyrl``), or None. Looked up by name, not
    through gettext's guesses, which would give bare ``en`` the ``en_US`` one."""
    locale = parse_locale(tag)
    for name in (str(locale), locale.language):
        if (LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
            return name
    return None


def has_catalog(tag: str) -> bool:
    """Whether the layout words are translated for *tag*'s language."""
    return catalog_name(tag) is not None


def word(tag: str, message: str, **values: object) -> str:
    """One layout word in the letter's language, with ``{placeholders}`` filled."""
    text = translations(tag).gettext(message)
    return text.format(**values) if values else text


def _(message: str) -> str:
    """Marks a layout word for ``pybabel extract``; translate with :func:`word`."""
    return message


def C_(context: str, message: str) -> tuple[str, str]:
    """Marks a layout word whose translation depends on *context* (``female``…)."""
    return context, message


def cword(tag: str, context: str, message: str, **values: object) -> str:
    """A layout word for one *context* (the addressee's gender), placeholders filled."""
    text = translations(tag).pgettext(context, message)
    return text.format(**values) if values else text


def N_(singular: str, plural_: str) -> tuple[str, str]:
    """Marks a counted layout word for ``pybabel extract``."""
    return singular, plural_


def nword(
    tag: str, singular: str, plural_: str, n: int, digits: str | None = None, **values: object
) -> str:
    """A layout word that depends on a count (``3 pages``)."""
    text = translations(tag).ngettext(singular, plural_, n)
    return text.format(n=format_number(n, tag, digits), **values)
