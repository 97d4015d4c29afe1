"""Contact details changed by others stay hidden in the sync review, conflicts and history, CLI and app alike."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from allytui.cli.main import main
from allytui.model.records import Kind, Person
from allytui.store.repo import DataRepo
from allytui.sync.driver import sync
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.conflicts import ConflictsScreen
from allytui.tui.screens.history import HistoryScreen
from allytui.tui.screens.sync import SyncScreen
from allytui.tui.widgets.diff_view import DiffView
from tests.sync.conftest import Shared
from tests.ui.conftest import TODAY, settle

EMAIL = "ana.private@example.org"
PHONE = "07700 900461"
BENS_PHONE = "07700 900999"
ANAS_PHONE = "07700 900111"
NEW_EMAIL = "ana.new@example.org"
SECRETS = (EMAIL, PHONE, BENS_PHONE, ANAS_PHONE, NEW_EMAIL)


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def person(repo: DataRepo) -> Person:
    record = repo.read(Kind.PEOPLE, "ana")
    assert isinstance(record, Person)
    return record


def set_contact(repo: DataRepo, **contact: str) -> None:
    old = person(repo)
    now = old.contact.model_dump() if old.contact else {}
    repo.save(Person.model_validate({**old.model_dump(), "id": old.id, "contact": {**now, **contact}}))


@pytest.fixture
def contact_conflict(shared: Shared) -> Shared:
    """Both have Ana's email and phone; Ben changes both, Ana (not yet synced) the phone: a conflict on it."""
    set_contact(shared.ben, email=EMAIL, phone=PHONE)
    sync(shared.ben)
    sync(shared.ana)
    set_contact(shared.ben, email=NEW_EMAIL, phone=BENS_PHONE)
    sync(shared.ben)
    set_contact(shared.ana, phone=ANAS_PHONE)
    return shared


def test_sync_cli_review_and_conflicts_hide_contact_details(
    contact_conflict: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--repo", str(contact_conflict.ana.root), "sync", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0 and leaks(out + err) == []
    assert "CONFLICT people/ana.toml: contact.phone" in out and "contact.email changed" in out
    assert "contact details are hidden" in out
    assert person(contact_conflict.ana).conflicts  # the conflict is there, only not shown
    # the commits sync made say nothing of the values either
    assert leaks(contact_conflict.ana.git_repo.git.log("--format=%B")) == []


async def test_app_sync_review_details_and_conflicts_hide_contact_details(contact_conflict: Shared) -> None:
    app = AllytuiApp(contact_conflict.ana, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        result = str(app.screen.query_one("#sync-result", Static).render())
        assert "CONFLICT people/ana.toml: contact.phone" in result and "contact.email changed" in result
        assert leaks(result) == []

        await pilot.press("escape", "3")  # People: Ana's details
        await settle(pilot)
        detail = str(app.screen.query_one("#detail").render())
        assert "Conflict on contact.phone" in detail and leaks(detail) == []

        await pilot.press("C")
        await settle(pilot)
        conflicts = app.screen
        assert isinstance(conflicts, ConflictsScreen)

        def listing() -> str:
            return str(conflicts.query_one(OptionList).get_option_at_index(0).prompt)

        assert "contact.phone" in listing() and "(hidden; v shows it)" in listing() and leaks(listing()) == []
        await pilot.press("v")
        await settle(pilot)
        assert ANAS_PHONE in listing() and BENS_PHONE in listing()
        await pilot.press("v")
        await settle(pilot)
        assert leaks(listing()) == []


async def test_app_history_raw_diff_hides_contact_details_until_v(contact_conflict: Shared) -> None:
    sync(contact_conflict.ana)
    app = AllytuiApp(contact_conflict.ana, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen(Kind.PEOPLE, "ana", "Ana López"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        view = screen.query_one(DiffView)
        commits = screen.query_one(OptionList)
        for index in range(commits.option_count):
            commits.highlighted = index
            for key in ("r", "r"):  # the field diff, then git's patch, for every commit
                await settle(pilot)
                assert leaks(str(view.render())) == [], (index, screen.raw)
                await pilot.press(key)
            await settle(pilot)
        commits.highlighted = [c.subject.startswith("person ana: contact") for c in screen.changes].index(True)
        await pilot.press("r")
        await settle(pilot)
        raw = str(view.render())
        assert "(hidden; v shows it)" in raw and "Contact details are hidden: v shows them." in raw
        await pilot.press("v")
        await settle(pilot)
        assert ANAS_PHONE in str(view.render()) and EMAIL in str(view.render())
        await pilot.press("r")  # the field diff, revealed too
        await settle(pilot)
        assert leaks(str(view.render()))
