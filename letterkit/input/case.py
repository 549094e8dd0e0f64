"""A case file (or the case given inline) → :class:`~letterkit.model.Case`.

Reads the person, the country, the dates, the chronology, the demands and the
free-form facts. Whether a value is allowed (an ISO country code, an age
from 0 to 150, a person with a name) is :mod:`letterkit.validate`'s to say.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..model import GENDER_WORDS, Case, Event, Person
from ..validate import AGE
from .data import load_data_file
from .fields import Reader
from .sources import Located, Source, Where
from .tables import clean

CASE_KEYS = (
    "person", "country", "country_name", "detained_on", "sentence", "events", "demands", "facts"
)  # fmt: skip
PERSON_KEYS = ("name", "names", "gender", "age", "born", "role", "hometown")
EVENT_KEYS = ("date", "text")
FIELD = "letter.case"


def read_case(value: Any, where: Where, reader: Reader) -> Case | None:
    """The spec's ``case`` value (a path, or the mapping inline) → a case, or None
    when it cannot be read at all (reported)."""
    reader.mark(FIELD, where)
    if isinstance(value, str):
        path = reader.resolve(value, where, FIELD, "case")
        if path is None:
            return None
        data = load_data_file(path, reader.reporter, "case file", kind="case")
        if data is None:
            if not reader.reporter.failed:
                reader.error(
                    (Source(path, value), (None, None)),
                    "LK104",
                    "the case file is empty; add person: {name: ...}",
                )
            reader.reported.add(FIELD)
            return None
        reader.inputs.append(path)
        if isinstance(data, Located):
            data.pos = (1, 1)
            where = data.here()
        value = data
    case = reader.mapping(value, where, "case", FIELD)
    if case is None:
        return None
    reader.keys(case, CASE_KEYS, "case")
    detained = None
    if case.get("detained_on") is not None:
        detained = reader.date(
            case["detained_on"], case.where("detained_on"), f"{FIELD}.detained_on", "detained_on"
        )
    facts = case.get("facts") or {}
    if not isinstance(facts, dict):
        reader.error(case.where("facts"), "LK105", "'facts' must be a mapping", f"{FIELD}.facts")
        facts = {}
    return Case(
        person=_person(case, reader),
        country=_code(reader.plain(case, "country", f"{FIELD}.country")),
        country_name=reader.text(case, "country_name", f"{FIELD}.country_name"),
        detained_on=detained,
        sentence=reader.text(case, "sentence", f"{FIELD}.sentence"),
        events=_events(case, reader),
        demands=reader.lines(case, "demands", f"{FIELD}.demands"),
        facts=facts,
    )


def _person(case: Located, reader: Reader) -> Person:
    field = f"{FIELD}.person"
    value = case.get("person")
    if value is None:
        reader.mark(field, case.here())
        return Person(name="")
    data = reader.mapping(value, case.where("person"), "person", field)
    if data is None:
        return Person(name="")
    reader.keys(data, PERSON_KEYS, "person")
    return Person(
        name=reader.plain(data, "name", f"{field}.name"),
        names=_names(data, reader, f"{field}.names"),
        gender=reader.word(data, "gender", f"{field}.gender", GENDER_WORDS, ""),
        age=reader.whole(data, "age", f"{field}.age", AGE),
        born=_born(data, reader, f"{field}.born"),
        role=reader.text(data, "role", f"{field}.role"),
        hometown=reader.text(data, "hometown", f"{field}.hometown"),
    )


def _names(data: Located, reader: Reader, field: str) -> dict[str, str]:
    names = data.get("names") or {}
    where = reader.mark(field, data.where("names"))
    if not isinstance(names, dict):
        reader.error(where, "LK105", "'names' must map locales to spellings, e.g. {ru: ...}", field)
        return {}
    if not all(isinstance(v, str | None) for v in names.values()):
        reader.error(where, "LK105", "each spelling in 'names' must be text, e.g. {ru: ...}", field)
        return {}
    return {str(k): clean(str(v)) for k, v in names.items() if v is not None}


def _born(data: Located, reader: Reader, field: str) -> dt.date | int | None:
    """A date of birth, or a bare year."""
    value = data.get("born")
    if value is None:
        reader.mark(field, data.where("born"))
        return None
    raw = str(value).strip()
    if (isinstance(value, int) and not isinstance(value, bool)) or re.fullmatch(r"\d{4}", raw):
        reader.mark(field, data.where("born"))
        return int(raw)
    return reader.date(value, data.where("born"), field, "born")


def _events(case: Located, reader: Reader) -> tuple[Event, ...]:
    raw = case.get("events") or []
    where = reader.mark(f"{FIELD}.events", case.where("events"))
    if not isinstance(raw, list):
        reader.error(where, "LK105", "'events' must be a list of {date, text}", f"{FIELD}.events")
        return ()
    events: list[Event] = []
    for item, at in reader.items(raw, where):
        field = f"{FIELD}.events[{len(events)}]"
        event = reader.mapping(item, reader.mark(field, at), "events entry", "")
        if event is None:
            continue
        reader.keys(event, EVENT_KEYS, "event")
        if event.get("date") is None:
            reader.error(at, "LK104", "an event needs a 'date'")
            continue
        when = reader.date(event["date"], event.where("date"), f"{field}.date", "date")
        text = reader.text(event, "text", f"{field}.text", "event text")
        if when is not None:
            events.append(Event(date=when, text=text))
    return tuple(events)


def _code(value: str) -> str:
    """A country code upper-cased (``kg`` → ``KG``); anything else kept as written,
    so that a problem with it quotes what the case says."""
    text = value.strip()
    return text.upper() if len(text) == 2 and text.isascii() and text.isalpha() else text
