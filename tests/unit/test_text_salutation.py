"""The salutation made from the addressees."""

from __future__ import annotations

from letterkit.model import Recipient
from letterkit.text.salutation import built_salutation

from ._letters import letter


def test_no_addressee_or_a_group_gets_the_general_greeting() -> None:
    assert built_salutation(letter(recipients=())) == "Dear Sir or Madam,"
    group = (Recipient(name="Members of the Committee"),)
    assert built_salutation(letter(recipients=group)) == "Dear Sir or Madam,"


def test_addressees_are_named_by_honorific_and_last_name() -> None:
    two = (Recipient(name="Donald Tusk", honorific="Mr"), Recipient(name="F M", honorific="Ms"))
    assert built_salutation(letter()) == "Dear Ms Mogherini,"
    assert built_salutation(letter(recipients=two)) == "Dear Mr Tusk and Ms M,"


def test_excellencies_and_french_titles() -> None:
    excellency = (Recipient(name="A B", honorific="H.E."),)
    assert built_salutation(letter(recipients=excellency)) == "Your Excellency,"
    assert built_salutation(letter(recipients=excellency * 2)) == "Excellencies,"
    madame = (Recipient(name="A B", honorific="Mme"),)
    assert built_salutation(letter(locale="fr", recipients=madame)) == "Madame,"
