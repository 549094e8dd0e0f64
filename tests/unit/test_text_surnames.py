"""The surname a greeting takes from a name: the last word and its particles."""

from __future__ import annotations

import unicodedata

import pytest

from letterkit.text.surnames import surname_of


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Seán Ó Súilleabháin", "Ó Súilleabháin"),
        ("Ursula von der Leyen", "von der Leyen"),
        ("Máire Ní Bhraonáin", "Ní Bhraonáin"),
        ("Seán Mac Giolla Phádraig", "Mac Giolla Phádraig"),
        ("Áine Nic Ghiolla Bhríde", "Nic Ghiolla Bhríde"),
        ("Charles de Gaulle", "de Gaulle"),
        ("Ludwig van Beethoven", "van Beethoven"),
        ("Karl-Theodor zu Guttenberg", "zu Guttenberg"),
        ("Pieter ten Cate", "ten Cate"),
        ("Catherine de la Tour", "de la Tour"),
        ("Anna dos Santos", "dos Santos"),
        ("Carl af Klint", "af Klint"),
        ("Mohammed bin Salman", "bin Salman"),
        ("Saud al Faisal", "al Faisal"),
        ("Ahmed al-Sharif", "al-Sharif"),
        ("Урсула фон дер Ляйен", "фон дер Ляйен"),
        ("Fiona Mc Donald", "Mc Donald"),
        ("Liam O' Brien", "O' Brien"),
        ("Peadar UA Buachalla", "UA Buachalla"),  # Gaelic particles in any case
        ("Alexander Van der Bellen", "Van der Bellen"),
    ],
)
def test_the_particles_before_the_last_word_belong_to_the_surname(name: str, surname: str) -> None:
    assert surname_of(name) == surname


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Federica Mogherini", "Mogherini"),
        ("Donald Franciszek Tusk", "Tusk"),
        ("Madonna", "Madonna"),
        ("  Mogherini  ", "Mogherini"),
        ("", ""),
        ("Jean-Luc Mélenchon", "Mélenchon"),
        ("Anne-Marie Descôtes", "Descôtes"),
        ("Anne-Marie Descôtes-Martin", "Descôtes-Martin"),
        ("Valéry Giscard d'Estaing", "d'Estaing"),
    ],
)
def test_a_name_without_particles_keeps_its_last_word(name: str, surname: str) -> None:
    assert surname_of(name) == surname


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        # a capitalised particle is a given name as the first word
        ("Van Morrison", "Morrison"),
        ("Della Reese", "Reese"),
        # and a Vietnamese middle name reads as a particle: the user's ``surname`` says
        ("Nguyen Van Nam", "Van Nam"),
        # no guessing beyond particles: double surnames and family-name-first orders
        ("Ana María García López", "López"),
        ("José Ortega y Gasset", "Gasset"),
        ("Xi Jinping", "Jinping"),
        # a name that is only a particle and a word stays whole
        ("de Gaulle", "de Gaulle"),
    ],
)
def test_nothing_beyond_the_particles_is_guessed(name: str, surname: str) -> None:
    assert surname_of(name) == surname


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Herman Van Rompuy", "Van Rompuy"),
        ("Marine Le Pen", "Le Pen"),
        ("Jean-Yves Le Drian", "Le Drian"),
        ("Luigi Di Maio", "Di Maio"),
        ("Alexander De Croo", "De Croo"),
        ("Maria Dos Santos", "Dos Santos"),
    ],
)
def test_capitalised_particles_of_european_names_are_kept(name: str, surname: str) -> None:
    assert surname_of(name) == surname


def test_gaelic_particles_match_in_either_unicode_form() -> None:
    decomposed = unicodedata.normalize("NFD", "Seán Ó Súilleabháin")
    assert surname_of(decomposed) == unicodedata.normalize("NFD", "Ó Súilleabháin")
    assert surname_of("Seán ó Súilleabháin") == "ó Súilleabháin"
    # a plain O (no fada) is also an initial, and is left out
    assert surname_of("John O Smith") == "Smith"
