"""A person whose contact details are sealed opens in the form without a crash, and a save keeps them byte for byte."""

from __future__ import annotations

from pathlib import Path

from pyrage import x25519
from textual.widgets import Input

from allytui.model.records import Person, Team
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.record_table import RecordTable
from tests.ui.conftest import TODAY, settle

EMAIL = "cy.private@example.org"


def sealed_person(repo: DataRepo) -> bytes:
    """A team whose one member holds a key, and Cy, whose contact details are sealed on save."""
    repo.save(Team(id="riverton", name="Riverton"))
    key = str(x25519.Identity.generate().to_public())
    repo.save(Person(id="ana", name="Ana", member_of="riverton", recipient=key))
    repo.save(Person(id="cy", name="Cy", contact={"email": EMAIL}, notes="Prefers calls after six"))
    return (repo.root / "people/cy.toml").read_bytes()


async def test_the_form_of_a_person_with_sealed_contact_opens_and_saves_it_untouched(repo: DataRepo) -> None:
    before = sealed_person(repo)
    assert EMAIL.encode() not in before and b"after six" not in before
    app = AllytuiApp(repo, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        pilot.app.screen.query_one(RecordTable).move_to("cy")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        role = form.query_one("#field-role", Input)
        role.value = "caretaker"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
    after = (Path(repo.root) / "people/cy.toml").read_bytes()
    assert after == before.replace(b'name = "Cy"\n', b'name = "Cy"\nrole = "caretaker"\n')
