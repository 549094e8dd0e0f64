"""Letter → salutation: the greeting made from the addressees when no one gives one.

Each addressee is read for gender, Excellency and office
(:mod:`.address_forms`) and for the surname it is greeted by (its ``surname``,
else the name's last word with its particles, :mod:`.surnames`: "Ms von der
Leyen"), and the greeting takes the form its language gives that addressee, from the layout words' catalogs (a context per gender):

- one addressee of known gender: "Dear Ms Mogherini," / "Уважаемая госпожа
  Могерини!" / "Sehr geehrter Herr Tusk," / "Құрметті Могерини ханым!" (the
  catalog's courtesy form sets the word order and the title; English keeps the
  honorific as written, Mrs or Ms);
- gender unknown (no courtesy title, no ``gender``): the language's neutral
  greeting with the name ("Guten Tag Federica Mogherini,", "Здравствуйте, …!"),
  never a form that hedges between two;
- an Excellency: "Your Excellency," in the language, with the name where the
  language names the person (ky "Улуу урматтуу Садыр Жапаров мырза!");
- French greets by office or title alone ("Madame la Ministre,", "Monsieur,");
  Arabic gives an Excellency the rank of the office (صاحب الفخامة for heads of
  state only);
- several addressees: one line naming each; a group addressee (a name alone)
  or none: the language's "Dear Sir or Madam,".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import l10n
from ..l10n import C_
from ..model import Letter, Recipient
from .address_forms import (
    ARABIC_RANKS,
    FRENCH_OFFICES,
    gender_of,
    is_courtesy_only,
    is_excellency,
    office_of,
)
from .surnames import surname_of

#: The catalog's words for one addressee, by gender (marked for ``pybabel extract``).
_WORDS = (
    C_("female", "Dear {name},"),
    C_("male", "Dear {name},"),
    C_("neutral", "Dear {name},"),
    C_("female", "{honorific} {surname}"),
    C_("male", "{honorific} {surname}"),
    C_("female, several", "{honorific} {surname}"),
    C_("male, several", "{honorific} {surname}"),
    C_("female", "Your Excellency,"),
    C_("male", "Your Excellency,"),
    C_("female", "Dear {names},"),
)


@dataclass(frozen=True)
class Addressee:
    """One addressee as its greeting sees it, in the letter's language."""

    name: str
    surname: str
    honorific: str
    gender: str
    excellency: bool
    courtesy_only: bool
    office: str
    office_given: bool

    @property
    def context(self) -> str:
        return self.gender or "neutral"


def addressee(recipient: Recipient, loc: str) -> Addressee:
    """A recipient → its name, surname, gender, Excellency and office in the letter's language."""
    honorific = l10n.localize(recipient.honorific, loc)
    name = l10n.localize(recipient.name, loc)
    titles = (
        l10n.localize(recipient.title, loc),
        l10n.localize(recipient.title, "en"),
        name,  # an office as the addressee: "Minister of Foreign Affairs"
    )
    return Addressee(
        name=name,
        surname=l10n.localize(recipient.surname, loc).strip() or surname_of(name),
        honorific=honorific,
        gender=gender_of(recipient, honorific),
        excellency=is_excellency(honorific),
        courtesy_only=is_courtesy_only(honorific),
        office=office_of(recipient, titles),
        office_given=bool(str(recipient.office).strip()),
    )


def _named(loc: str, person: Addressee, several: bool) -> str:
    """How the greeting names one addressee: the language's courtesy form
    ("госпожа Могерини", "Могерини ханым"), the honorific as written ("Dr Smith"),
    or the whole name."""
    if person.gender and (person.courtesy_only or not person.honorific):
        context = f"{person.gender}, several" if several else person.gender
        return l10n.cword(
            loc,
            context,
            "{honorific} {surname}",
            honorific=person.honorific,
            surname=person.surname,
            name=person.name,
        )
    if person.honorific and not person.excellency:
        return f"{person.honorific} {person.surname}"
    return person.name


def _excellency(loc: str, person: Addressee) -> str:
    context = person.context
    if context == "neutral":
        return l10n.word(loc, l10n._("Your Excellency,"), name=person.name)
    return l10n.cword(loc, context, "Your Excellency,", name=person.name, surname=person.surname)


def _french(people: Sequence[Addressee]) -> str:
    """French greets by office or title alone: "Madame la Ministre,", "Monsieur,",
    "Mesdames, Messieurs,"."""
    if len(people) == 1:
        person = people[0]
        forms = FRENCH_OFFICES.get(person.office)
        if forms and person.gender:
            return forms[0] if person.gender == "female" else forms[1]
        if person.excellency:
            return "Excellence,"
        return {"female": "Madame,", "male": "Monsieur,"}.get(person.gender, "Madame, Monsieur,")
    genders = {p.gender for p in people}
    if genders == {"male"}:
        return "Messieurs,"
    if genders == {"female"}:
        return "Mesdames,"
    return "Mesdames, Messieurs,"


def _arabic_rank(person: Addressee) -> str:
    """The Arabic Excellency for the office: صاحب الفخامة, صاحب المعالي, صاحب السعادة …
    (the masculine, the language's unmarked form, when the gender is unknown)."""
    forms = ARABIC_RANKS.get(person.office, ARABIC_RANKS[""])
    return (forms[0] if person.gender == "female" else forms[1]) + "،"


#: Languages that greet the holder of a high office as an Excellency even without
#: "H.E." (ky "Улуу урматтуу …", kk "Аса құрметті …"); a member of parliament is not one.
_HIGH_OFFICE_LANGUAGES = frozenset({"ky", "kk"})


def _one(loc: str, person: Addressee) -> str:
    language = l10n.parse_locale(loc).language
    if language == "ar" and (person.excellency or (person.office_given and person.office)):
        return _arabic_rank(person)
    high_office = person.office not in {"", "parliamentarian"}
    if person.excellency or (language in _HIGH_OFFICE_LANGUAGES and high_office):
        return _excellency(loc, person)
    return l10n.cword(loc, person.context, "Dear {name},", name=_named(loc, person, False))


def _several(loc: str, people: Sequence[Addressee]) -> str:
    if all(p.excellency for p in people):
        return l10n.word(loc, l10n._("Excellencies,"))
    names = l10n.join_list([_named(loc, p, True) for p in people], loc)
    if all(p.gender == "female" for p in people):
        text = l10n.cword(loc, "female", "Dear {names},", names=names)
    else:
        text = l10n.nword(loc, *l10n.N_("Dear {names},", "Dear {names},"), len(people), names=names)
    return text[:1].upper() + text[1:]


def is_group(recipient: Recipient) -> bool:
    """A group addressee has a name and nothing else ("Member States of the UN")."""
    return not (
        recipient.honorific
        or recipient.title
        or recipient.organization
        or recipient.address
        or recipient.gender
    )


def built_salutation(letter: Letter) -> str:
    """The salutation made from the addressees when no one gives one.

    One addressee: the form for their gender, Excellency and office ("Dear Ms
    Mogherini,", "Madame la Ministre,"); several: one line naming each ("Dear Mr
    Tusk and Ms Mogherini,", "Excellencies,"). A group addressee (a name alone)
    or none: "Dear Sir or Madam,".
    """
    loc = letter.locale
    recipients = letter.recipients
    if not recipients or any(is_group(r) for r in recipients):
        return l10n.word(loc, l10n._("Dear Sir or Madam,"))
    people = [addressee(r, loc) for r in recipients]
    if l10n.parse_locale(loc).language == "fr":
        return _french(people)
    if len(people) == 1:
        return _one(loc, people[0])
    return _several(loc, people)


__all__ = ["Addressee", "addressee", "built_salutation", "is_group"]
