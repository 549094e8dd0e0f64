"""Write the synthetic signatory lists of the letter shapes (deterministic).

    python examples/shapes/make_signatories.py

Every name is made up from parts; none is a real organisation or person.
``signatories(n)`` is also used by the tests to build lists of any length.
"""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

KINDS = [
    "Centre",
    "Coalition",
    "Network",
    "Institute",
    "Foundation",
    "Association",
    "League",
    "Committee",
    "Forum",
    "Alliance",
    "Union",
    "Council",
]
AIMS = [
    "for Human Rights",
    "for Press Freedom",
    "Against Torture",
    "for Legal Aid",
    "for Civic Education",
    "of Rights Defenders",
    "for Fair Trials",
    "for Prison Reform",
    "for Media Rights",
    "for Women's Rights",
    "for Minority Rights",
    "for Open Government",
]
PLACES = [
    "Armenia",
    "Belgium",
    "Chile",
    "Denmark",
    "Estonia",
    "France",
    "Georgia",
    "Ghana",
    "Kenya",
    "Kyrgyzstan",
    "Mongolia",
    "Norway",
    "Peru",
    "Senegal",
    "Tunisia",
]
CYRILLIC = ["Фонд", "Центр", "Бюро", "Союз", "Клуб"]
CYRILLIC_AIMS = [
    "защиты прав человека",
    "правовой помощи",
    "свободы слова",
    "гражданских инициатив",
    "мониторинга судов",
]
CYRILLIC_PLACES = ["Бишкек", "Ош", "Алматы", "Нарын", "Каракол", "Талас"]
GIVEN = [
    "Ana",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elif",
    "Farid",
    "Greta",
    "Hana",
    "Ivo",
    "Jana",
    "Kemal",
    "Lena",
    "Marek",
    "Nadia",
    "Omar",
    "Petra",
]
FAMILY = [
    "Almond",
    "Birch",
    "Cedar",
    "Dale",
    "Elm",
    "Fern",
    "Glen",
    "Hazel",
    "Iris",
    "Juniper",
    "Kestrel",
    "Linden",
    "Maple",
    "Nettle",
    "Oakes",
    "Pine",
]
GROUPS = ["International organisations", "Regional organisations", "National organisations"]
FIELDS = ["name", "type", "acronym", "country", "title", "affiliation", "group", "lead"]


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.replace("–", " ").split() if w[0].isupper())


def signatories(n: int, *, individuals: bool = False, groups: bool = False) -> list[dict[str, str]]:
    """*n* distinct synthetic signatories; the first is the lead organisation."""
    latin = [f"{k} {a}" for k, a in itertools.product(KINDS, AIMS)]
    cyrillic = [
        f"{k} {a} «{p}»" for k, a, p in itertools.product(CYRILLIC, CYRILLIC_AIMS, CYRILLIC_PLACES)
    ]
    people = [f"{g} {f}" for g, f in itertools.product(GIVEN, FAMILY)]
    rng = random.Random(20181206)
    rng.shuffle(latin)
    rng.shuffle(cyrillic)
    rng.shuffle(people)
    rows: list[dict[str, str]] = []
    used: set[str] = set()
    for i in range(n):
        row = dict.fromkeys(FIELDS, "")
        if individuals and i % 7 == 3:
            row.update(
                name=people.pop(),
                type="individual",
                title="Professor of Law",
                affiliation=f"University of {PLACES[i % len(PLACES)]}",
            )
        elif i % 9 == 5 and cyrillic:
            row.update(name=cyrillic.pop(), country="Kyrgyzstan")
        else:
            place = PLACES[(i * 7) % len(PLACES)]
            base = latin[i % len(latin)]
            name, k = base, 0
            while name in used:
                k += 1
                other = PLACES[(i + k) % len(PLACES)]
                name = f"{base} – {other}" if k < len(PLACES) else f"{base} {k}"
            row.update(name=name, acronym=_acronym(name), country=place)
        if groups:
            row["group"] = GROUPS[0 if i < n // 6 else 1 if i < n // 3 else 2]
        used.add(row["name"])
        rows.append(row)
    rows[0]["lead"] = "true"
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    columns = [f for f in FIELDS if any(r[f] for r in rows)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, columns, extrasaction="ignore", lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


if __name__ == "__main__":
    here = Path(__file__).parent
    write(here / "signatories-9.csv", signatories(9))
    write(here / "signatories-40.csv", signatories(40))
    write(here / "signatories-41.csv", signatories(41, individuals=True))
    write(here / "signatories-90.csv", signatories(90))
    write(here / "signatories-244.csv", signatories(244, groups=True))
