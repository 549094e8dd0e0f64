"""A recipient → the facts a greeting agrees with: gender, Excellency, office.

- **Gender**: the recipient's ``gender`` when given; else read from the
  honorific's courtesy title (Ms, Mrs, Miss, Mme, Frau, Sra., г-жа … are
  female; Mr, M., Monsieur, Herr, Sr., г-н … are male). Dr., Prof. and the like
  say nothing: the greeting is then the language's neutral one.
- **Excellency**: an honorific such as "H.E.", "S.E.", "Excellency", "Exzellenz".
- **Office**: the recipient's ``office`` when given; else the first office word
  in the title (in any of the languages below), "" when there is none. French
  greets by office ("Madame la Ministre,") and Arabic chooses the rank of its
  Excellency by it (صاحب الفخامة for heads of state only).

The tables are data about each language's usage; extend them rather than the
code.
"""

from __future__ import annotations

import functools
import re

from ..model import GENDER_WORDS, OFFICE_WORDS, Recipient

EXCELLENCY = re.compile(
    r"excellen|exzellenz|excelencia|превосходительств|\b[HS]\.\s?E\.|\bS\.\s?Exc|ekselans"
    r"|janobi oliy|فخامة|معالي|سعادة|سمو|جلالة",
    re.IGNORECASE,
)

#: Courtesy titles, lower case without a final full stop, by the gender they name.
COURTESY = {
    "female": (
        "ms", "mrs", "miss", "mme", "madame", "mlle", "mademoiselle", "frau", "sra", "srta",
        "señora", "señorita", "dña", "doña", "dra", "г-жа", "г-же", "госпожа", "госпоже",
        "ханым", "айым", "xonim", "хоним", "bayan", "hanım", "السيدة", "signora", "sig.ra",
        "lady", "dame",
    ),
    "male": (
        "mr", "m", "monsieur", "herr", "sr", "señor", "don", "г-н", "г-ну", "господин",
        "господину", "мырза", "janob", "жаноб", "bay", "السيد", "signor", "sig", "sir", "lord",
    ),
}  # fmt: skip
_COURTESY = {word: gender for gender, words in COURTESY.items() for word in words}

#: Words in a title that name an office, in English, French, Spanish, German,
#: Russian, Kyrgyz, Kazakh, Uzbek, Turkish and Arabic. The earliest match in the
#: title wins ("High Representative … / Vice-President" is a high representative;
#: "Prime Minister" a head of government, not a minister).
OFFICE_KEYWORDS: dict[str, str] = {
    "head-of-state": (
        r"(?<!vice-)(?<!vice )(?<!вице-)\b(?:president|président|présidente|presidente|präsident"
        r"|präsidentin|президент|prezident|cumhurbaşkanı|رئيس الجمهورية|رئيسة الجمهورية"
        r"|رئيس جمهورية|رئيسة جمهورية|رئيس الدولة|الرئيس|الرئيسة)"
    ),
    "monarch": (
        r"\b(?:king|queen|emir|emperor|sultan|roi|reine|émir|rey|reina|könig|königin|король"
        r"|королева|эмир|amir|kral|ملك|ملكة|أمير|سلطان)(?!\w)"
    ),
    "head-of-government": (
        r"\b(?:prime minister|premier ministre|première ministre|primer ministro|primera ministra"
        r"|presidente del gobierno|bundeskanzler|bundeskanzlerin|chancellor|премьер-министр"
        r"|председатель правительства|bosh vazir|бош вазир|başbakan|رئيس الوزراء|رئيسة الوزراء"
        r"|رئيس الحكومة)"
    ),
    "high-representative": (
        r"\b(?:high representative|haut représentant|haute représentante|alto representante"
        r"|alta representante|hoher vertreter|hohe vertreterin|высокий представитель"
        r"|الممثل السامي|الممثلة السامية)"
    ),
    "minister": (
        r"\b(?:minister|ministerin|ministre|ministro|ministra|министр|министри|вазир|vazir"
        r"|bakan|bakanı|secretary of state|وزير|وزيرة)"
    ),
    "commissioner": (
        r"\b(?:commissioner|commissaire|comisario|comisaria|kommissar|kommissarin|комиссар"
        r"|مفوض|مفوضة)"
    ),
    "ambassador": (
        r"\b(?:ambassador|ambassadeur|ambassadrice|embajador|embajadora|botschafter"
        r"|botschafterin|посол|элчи|elchi|büyükelçi|سفير|سفيرة)"
    ),
    "parliamentarian": (
        r"\b(?:member of (?:the )?(?:european )?parliament|mep|député|députée|eurodéputé"
        r"|eurodéputée|diputado|diputada|eurodiputado|eurodiputada|abgeordneter|abgeordnete"
        r"|депутат|milletvekili|عضو البرلمان|عضوة البرلمان)(?!\w)"
    ),
}
_OFFICES = [
    (office, re.compile(pattern, re.IGNORECASE)) for office, pattern in OFFICE_KEYWORDS.items()
]


def _tokens(honorific: str) -> list[str]:
    return [t.rstrip(".").lower() for t in honorific.split() if t.strip(".")]


def is_excellency(honorific: str) -> bool:
    """Whether the honorific makes the addressee an Excellency ("H.E.", "S.E. Mme")."""
    return bool(EXCELLENCY.search(honorific))


def gender_of(recipient: Recipient, honorific: str) -> str:
    """ "female", "male", or "" (unknown: neutral wording) for one addressee."""
    given = GENDER_WORDS.get(str(recipient.gender).strip().lower(), "")
    if given:
        return given
    for token in _tokens(honorific):
        if token in _COURTESY:
            return _COURTESY[token]
    return ""


def is_courtesy_only(honorific: str) -> bool:
    """Whether the honorific is a courtesy title alone (after any "H.E."): then each
    language writes its own ("Ms." → "госпожа", "Frau"); else it is kept ("Dr.")."""
    rest = EXCELLENCY.sub(" ", honorific)
    tokens = _tokens(rest)
    return bool(tokens) and all(t in _COURTESY for t in tokens)


@functools.lru_cache(maxsize=512)
def office_in(title: str) -> str:
    """The office the first office word in *title* names ("" when there is none)."""
    found: list[tuple[int, int, str]] = []
    for order, (office, pattern) in enumerate(_OFFICES):
        match = pattern.search(title)
        if match:
            found.append((match.start(), order, office))
    return min(found)[2] if found else ""


def office_of(recipient: Recipient, titles: tuple[str, ...]) -> str:
    """The recipient's ``office``, else the office its title names (in any of *titles*:
    the title in the letter's language, then as written)."""
    given = OFFICE_WORDS.get(str(recipient.office).strip().lower(), "")
    if given:
        return "" if given == "other" else given
    for title in titles:
        office = office_in(title)
        if office:
            return office
    return ""


#: French greets an office holder by the office: (female, male).
FRENCH_OFFICES = {
    "head-of-state": ("Madame la Présidente,", "Monsieur le Président,"),
    "monarch": ("Madame,", "Sire,"),
    "head-of-government": ("Madame la Première ministre,", "Monsieur le Premier ministre,"),
    "minister": ("Madame la Ministre,", "Monsieur le Ministre,"),
    "high-representative": ("Madame la Haute Représentante,", "Monsieur le Haut Représentant,"),
    "commissioner": ("Madame la Commissaire,", "Monsieur le Commissaire,"),
    "ambassador": ("Madame l’Ambassadrice,", "Monsieur l’Ambassadeur,"),
    "parliamentarian": ("Madame la Députée,", "Monsieur le Député,"),
}

#: Arabic ranks of Excellency: (female, male). Heads of state alone are صاحب الفخامة;
#: monarchs صاحب الجلالة; members of a government صاحب المعالي; everyone else صاحب السعادة.
ARABIC_RANKS = {
    "head-of-state": ("صاحبة الفخامة", "صاحب الفخامة"),
    "monarch": ("صاحبة الجلالة", "صاحب الجلالة"),
    "head-of-government": ("صاحبة المعالي", "صاحب المعالي"),
    "minister": ("صاحبة المعالي", "صاحب المعالي"),
    "high-representative": ("صاحبة المعالي", "صاحب المعالي"),
    "commissioner": ("صاحبة المعالي", "صاحب المعالي"),
    "": ("صاحبة السعادة", "صاحب السعادة"),
}


__all__ = [
    "ARABIC_RANKS",
    "COURTESY",
    "FRENCH_OFFICES",
    "OFFICE_KEYWORDS",
    "gender_of",
    "is_courtesy_only",
    "is_excellency",
    "office_in",
    "office_of",
]
