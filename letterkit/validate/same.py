"""Two signatory rows of one name → whether they are one signatory or two.

A name alone does not make a duplicate: two people may share one ("Ahmed
Hassan" of Cairo University and "Ahmed Hassan" of the Lawyers Union). Two
rows are the same signatory (the LK121 error) when their names are equal but
for case and no identifying field (type, affiliation, title, country,
acronym) differs where both rows fill it in; otherwise they may be two
signers, and the hygiene check warns (LK123) instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Signatory

#: The fields that tell two signers of one name apart.
IDENTIFYING = ("type", "affiliation", "title", "country", "acronym")


def differing(a: Mapping[str, str], b: Mapping[str, str]) -> tuple[str, ...]:
    """The identifying fields that both rows fill in with different values
    (compared without case or surrounding spaces).

    >>> differing({"affiliation": "Cairo University", "country": "EG"},
    ...           {"affiliation": "Lawyers Union", "country": ""})
    ('affiliation',)
    """
    out = []
    for key in IDENTIFYING:
        one, two = (str(row.get(key) or "").strip().casefold() for row in (a, b))
        if one and two and one != two:
            out.append(key)
    return tuple(out)


def fields(s: Signatory) -> dict[str, str]:
    """A signatory's identifying fields (a text that is not text counts as empty)."""
    return {key: v if isinstance(v := getattr(s, key), str) else "" for key in IDENTIFYING}


__all__ = ["IDENTIFYING", "differing", "fields"]
