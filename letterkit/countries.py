"""Countries' names in a letter's language: the UN's where they differ from
CLDR's, the case's own ``country_name`` first, and English's "the" in running
text."""

from __future__ import annotations

from collections.abc import Mapping

from .l10n import FormatError, LocalizationError, localize, parse_locale

#: Where the name the United Nations use differs from CLDR's, for the countries
#: letterkit's letters most often concern: (language, ISO code) → the UN's name.
#: CLDR's Russian "Киргизия" and French "Kirghizstan" are not what a letter to
#: Kyrgyzstan's authorities should say (UNTERM: "Кыргызстан", "Kirghizistan").
UN_COUNTRY_NAMES: Mapping[tuple[str, str], str] = {
    ("ru", "KG"): "Кыргызстан",
    ("fr", "KG"): "Kirghizistan",
    ("en", "CD"): "Democratic Republic of the Congo",
    ("en", "CG"): "Republic of the Congo",
}


#: Countries whose English name takes "the" in running text ("detained in the
#: Philippines"), as the UN's English style writes them.
THE_IN_ENGLISH = frozenset(
    ("AE", "BS", "CD", "CF", "CG", "DO", "FK", "GB", "GM", "KM", "KY", "MH", "NL", "PH", "PS", "US")
)


def country_name(code: str, tag: str, given: object = "", article: bool = False) -> str:
    """ISO 3166 code → the country's name in the locale (``KG`` → ``Kyrgyzstan``).

    *given* (the case's ``country_name``: a text, or ``{locale: text}``) wins
    when it has a text for the locale; else the UN's name where it differs
    from CLDR's (:data:`UN_COUNTRY_NAMES`), else CLDR's. With *article*, an
    English name that takes "the" in running text gets it ("the Philippines").

    >>> country_name("KG", "ru")
    'Кыргызстан'
    >>> country_name("KG", "en", {"ru": "Кыргызская Республика"})
    'Kyrgyzstan'
    """
    if given:
        try:
            text = localize(given, tag)
        except LocalizationError:
            text = ""
        if text:
            return text
    upper = code.upper()
    locale = parse_locale(tag)
    name = locale.territories.get(upper)
    if name is None:
        raise FormatError(f"unknown country code {code!r}; use an ISO 3166 code such as KG")
    text = UN_COUNTRY_NAMES.get((locale.language, upper), str(name))
    if article and locale.language == "en" and upper in THE_IN_ENGLISH:
        return f"the {text}"
    return text


__all__ = ["THE_IN_ENGLISH", "UN_COUNTRY_NAMES", "country_name"]


def code_for(name: str) -> str | None:
    """A country's name in English → its ISO 3166 code, or None (``Kyrgyzstan``
    → ``KG``; the UN's English names too).

    >>> code_for("Kyrgyzstan"), code_for("the philippines"), code_for("Atlantis")
    ('KG', 'PH', None)
    """
    wanted = name.strip().casefold().removeprefix("the ")
    names = {str(n).casefold(): code for code, n in parse_locale("en").territories.items()}
    names.update(
        {n.casefold(): code for (lang, code), n in UN_COUNTRY_NAMES.items() if lang == "en"}
    )
    code = names.get(wanted)
    return code if code is not None and code.isalpha() else None
