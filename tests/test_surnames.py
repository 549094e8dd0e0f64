"""The greeting keeps the whole surname: its particles, or the ``surname`` given.

"Ursula von der Leyen" is "Dear Ms von der Leyen," (not "Ms Leyen"), in a
letter's addressee block and in a campaign row; a ``surname`` key or column
names the surname when it is not the last word of the name (a Spanish double
surname, a family name written first).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import letterkit
from letterkit.bundle.campaign import build_row, check_campaign, load_campaign
from letterkit.errors import ValidationError
from letterkit.model import Letter, Recipient
from letterkit.text.salutation import built_salutation

from .conftest import ROOT, pdf_text
from .test_salutations import _letter

EXAMPLE = ROOT / "examples" / "askarov-eu-2018"


def greeting(locale: str, *recipients: Recipient) -> str:
    letter = Letter(
        template="appeal-release", locale=locale, date=dt.date(2018, 12, 6), recipients=recipients
    )
    return built_salutation(letter)


@pytest.mark.parametrize(
    ("honorific", "name", "expected"),
    [
        ("Mr", "Seán Ó Súilleabháin", "Dear Mr Ó Súilleabháin,"),
        ("Ms", "Ursula von der Leyen", "Dear Ms von der Leyen,"),
        ("Ms", "Máire Ní Bhraonáin", "Dear Ms Ní Bhraonáin,"),
        ("Mr", "Seán Mac Giolla Phádraig", "Dear Mr Mac Giolla Phádraig,"),
        ("Mr", "Charles de Gaulle", "Dear Mr de Gaulle,"),
        ("Mr", "Jean-Luc Mélenchon", "Dear Mr Mélenchon,"),
        ("Dr", "Ludwig van Beethoven", "Dear Dr van Beethoven,"),
    ],
)
def test_the_english_greeting_keeps_the_particles(honorific: str, name: str, expected: str) -> None:
    assert greeting("en-GB", Recipient(honorific=honorific, name=name)) == expected


VDL = Recipient(
    honorific={"default": "Ms", "ru": "г-же"},
    name={"default": "Ursula von der Leyen", "ru": "Урсула фон дер Ляйен"},
)


def test_each_language_greets_by_the_whole_surname() -> None:
    assert greeting("de", VDL) == "Sehr geehrte Frau von der Leyen,"
    assert greeting("es", VDL) == "Estimada Sra. von der Leyen:"
    assert greeting("ru", VDL) == "Уважаемая госпожа фон дер Ляйен!"
    assert greeting("kk", VDL) == "Құрметті von der Leyen ханым!"
    mr = Recipient(honorific="Mr", name="Seán Mac Giolla Phádraig")
    assert greeting("en-GB", mr, VDL) == "Dear Mr Mac Giolla Phádraig and Ms von der Leyen,"


def test_french_greets_by_title_alone_so_no_surname_is_printed() -> None:
    assert greeting("fr", VDL) == "Madame,"
    minister = Recipient(honorific="Mme", name="Ursula von der Leyen", title="Ministre")
    assert greeting("fr", minister) == "Madame la Ministre,"


def test_a_surname_given_is_used_as_it_is() -> None:
    spanish = Recipient(honorific="Sra.", name="Ana María García López", surname="García López")
    assert greeting("es", spanish) == "Estimada Sra. García López:"
    assert greeting("en-GB", spanish) == "Dear Sra. García López,"
    first = Recipient(honorific="Mr", name="Xi Jinping", surname="Xi")
    assert greeting("en-GB", first) == "Dear Mr Xi,"
    # in each language its own spelling; blank is "not given"
    localized = Recipient(
        honorific={"default": "Mr", "ru": "г-ну"},
        name={"default": "Herman Van Rompuy", "ru": "Херман Ван Ромпей"},
        surname={"default": "Van Rompuy", "ru": "Ван Ромпей"},
    )
    assert greeting("en-GB", localized) == "Dear Mr Van Rompuy,"
    assert greeting("ru", localized) == "Уважаемый господин Ван Ромпей!"
    blank = Recipient(honorific="Ms", name="Ursula von der Leyen", surname="  ")
    assert greeting("en-GB", blank) == "Dear Ms von der Leyen,"


def test_a_letters_addressee_takes_a_surname_key(tmp_path: Path) -> None:
    spec = _letter(
        tmp_path, "de", "{honorific: Frau, name: Ana María García López, surname: García López}"
    )
    text = " ".join(pdf_text(letterkit.render(spec)).split())
    assert "Sehr geehrte Frau García López," in text
    assert "Frau López" not in text


def test_a_localized_surname_lacking_the_letters_language_is_an_error(tmp_path: Path) -> None:
    spec = _letter(
        tmp_path, "de", "{honorific: Frau, name: Ana García López, surname: {es: García López}}"
    )
    with pytest.raises(ValidationError) as caught:
        letterkit.render(spec)
    found = [str(p) for p in caught.value.problems if p.code == "LK108"]
    assert found == [
        "letter.yaml:5:56: error: [LK108] 'surname' has no text for locale 'de' "
        "(has: es); add a 'de' or 'default' entry"
    ], caught.value.problems


def _campaign(tmp_path: Path, csv: str) -> Path:
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLE, folder)
    (folder / "recipients.csv").write_text(csv, encoding="utf-8")
    return folder / "campaign.yaml"


def test_a_campaign_row_is_greeted_by_the_whole_surname(tmp_path: Path) -> None:
    campaign = _campaign(
        tmp_path,
        "id,honorific,name,organization,address,locale,surname\n"
        "EU,Ms,Ursula von der Leyen,European Commission,Brussels,en-GB,\n"
        "ES,Sra.,Ana María García López,Ministerio,Madrid,en-GB,García López\n"
        "FR,Mme,Ursula von der Leyen,Commission européenne,Bruxelles,fr,\n",
    )
    assert not [p for p in check_campaign(campaign) if p.severity == "error"]
    loaded = load_campaign(campaign)
    text = " ".join(pdf_text(build_row(loaded, "EU").pdf).split())
    assert "Dear Ms von der Leyen," in text
    assert "Ms Leyen" not in text
    text = " ".join(pdf_text(build_row(loaded, "ES").pdf).split())
    assert "Dear Sra. García López," in text
    text = " ".join(pdf_text(build_row(loaded, "FR").pdf).split())
    assert "Madame," in text
    assert "Leyen," not in text


def test_a_yaml_list_of_recipients_takes_a_surname_key(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path, "")
    (campaign.parent / "recipients.csv").unlink()
    (campaign.parent / "recipients.yaml").write_text(
        "- {id: XI, honorific: Mr, name: Xi Jinping, surname: Xi, organization: State, address: Beijing}\n",
        encoding="utf-8",
    )
    text = campaign.read_text(encoding="utf-8").replace("recipients.csv", "recipients.yaml")
    campaign.write_text(text, encoding="utf-8")
    loaded = load_campaign(campaign)
    assert loaded.get("XI").recipient.surname == "Xi"
    text = " ".join(pdf_text(build_row(loaded, "XI").pdf).split())
    assert "Dear Mr Xi," in text
    assert "Mr Jinping" not in text
