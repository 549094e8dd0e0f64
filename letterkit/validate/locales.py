"""The letter's locale: a tag Babel knows, and whether letterkit's layout
words can speak it (translated, in the same script, for one usage)."""

from __future__ import annotations

from ..model import Letter
from ._check import Check

#: Bare language tags whose regions differ in what a letter prints: CLDR's
#: dates for ``en`` are American, letterkit's ``en`` words and templates British.
REGIONAL = {"en": "American dates (CLDR's 'en') with British words and templates"}
REGIONAL_TAGS = {"en": ("en-GB", "en-US")}


def locale(letter: Letter, check: Check) -> None:
    from .. import l10n

    if not isinstance(letter.locale, str):
        check.error("letter.locale", "LK105", "'locale' must be a BCP 47 tag such as en-GB")
        return
    try:
        l10n.parse_locale(letter.locale)
    except ValueError as exc:
        check.error("letter.locale", "LK105", str(exc))
        return
    catalog = l10n.catalog_name(letter.locale)
    if catalog is None:
        check.add(
            "letter.locale", "LK109",
            f"letterkit's layout words (page numbers, 'Signatories', the built salutation…) "
            f"are not translated for '{letter.locale}'; they print in English unless the "
            "template gives subject, salutation and closing",
            "warning",
        )  # fmt: skip
    elif l10n.script(catalog) != l10n.script(letter.locale):
        check.add(
            "letter.locale", "LK109",
            f"letterkit's layout words are translated for '{catalog}' in the "
            f"{l10n.script(catalog)} script only, while dates and country names of "
            f"'{letter.locale}' print in {l10n.script(letter.locale)}; give the template "
            "subject, salutation and closing, or write the locale as "
            f"'{catalog}'",
            "warning",
        )  # fmt: skip
    elif letter.locale in REGIONAL:
        check.add(
            "letter.locale", "LK109",
            f"'{letter.locale}' alone mixes usages: {REGIONAL[letter.locale]}; write the "
            f"region too ({' or '.join(repr(r) for r in REGIONAL_TAGS[letter.locale])})",
            "warning",
        )  # fmt: skip
