"""People's rights from the app's keys, on the sample data: a person's file and erasure from the People list,
a redacted export from Privacy, an edit that adds a do-not-contact person to a conversation, a refused erase."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from allytui.model.records import Conversation, Kind, Person
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.help import HelpScreen
from allytui.tui.screens.people import PeopleScreen
from allytui.tui.screens.privacy import PrivacyScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.ref_picker import RefPicker
from tests.helpers import git
from tests.ui.conftest import TODAY, settle

TALK = "2026-11-24-food-bank-soup-q3xy"  # with Bernie Walsh at the food bank


async def _people(app: AllytuiApp, pilot: Pilot[None], person_id: str) -> PeopleScreen:
    await pilot.press("3")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, PeopleScreen)
    screen.table.move_to(person_id)
    screen.table.focus()
    await settle(pilot)
    return screen


def _said(app: AllytuiApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_people_list_writes_a_persons_file_and_erases_them(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    await _people(app, pilot, "sandra-lyle")  # not due for review: only the People list reaches her
    await pilot.press("f1")
    await settle(pilot)
    assert isinstance(app.screen, HelpScreen)
    shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
    assert "Their file" in shown and "Erase the person" in shown  # in help, with their keys
    await pilot.press("escape")
    await settle(pilot)

    await pilot.press("f")
    await settle(pilot)
    written = sample_repo.root.parent / f"about-sandra-lyle-{TODAY.isoformat()}.md"
    assert written.read_text(encoding="utf-8").startswith("# What we hold about Sandra Lyle")
    assert any(title == "Their file saved" and str(written) in text for title, text in _said(app))
    assert git(sample_repo.root, "status", "--porcelain") == ""  # beside the repo, not in it

    await pilot.press("x")
    await settle(pilot)
    question = app.screen
    assert isinstance(question, ConfirmScreen) and "Erase Sandra Lyle" in question.question.plain
    shown = question.details.plain if question.details else ""
    assert "their record would be removed" in shown and "rewritten on every branch" in shown  # what would go
    await pilot.press("n")
    await settle(pilot)
    assert sample_repo.exists(Kind.PEOPLE, "sandra-lyle")
    await pilot.press("x")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot)
    assert not sample_repo.exists(Kind.PEOPLE, "sandra-lyle")
    assert "Sandra Lyle" not in git(sample_repo.root, "log", "--all", "-p")


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_an_erase_the_repo_is_not_ready_for_says_why_and_loses_nothing(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    path = sample_repo.root / "groups" / "st-marys-church.toml"
    edited = path.read_text(encoding="utf-8") + 'area = "north"\n'  # an edit not committed yet
    path.write_text(edited, encoding="utf-8")
    head = git(sample_repo.root, "rev-parse", "HEAD")
    await _people(app, pilot, "sandra-lyle")
    await pilot.press("x")
    await settle(pilot)
    assert not isinstance(app.screen, ConfirmScreen)  # refused before asking
    said = dict(_said(app))
    assert "uncommitted changes" in said["Not erased"] and "nothing was changed" in said["Not erased"]
    assert path.read_text(encoding="utf-8") == edited
    assert git(sample_repo.root, "rev-parse", "HEAD") == head and sample_repo.exists(Kind.PEOPLE, "sandra-lyle")


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_privacy_writes_every_kind_redacted_beside_the_repo(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    await pilot.press("P")
    await settle(pilot)
    assert isinstance(app.screen, PrivacyScreen)
    await pilot.press("E")
    await settle(pilot)
    folder = sample_repo.root.parent / f"shared-{TODAY.isoformat()}"
    with (folder / "people.csv").open(encoding="utf-8", newline="") as file:
        people = list(csv.DictReader(file))
    sandra = next(row for row in people if row["id"] == "sandra-lyle")
    assert sandra == {"id": "sandra-lyle", "role": "President; owns Lyle's Hardware",
                      "groups": "riverton-chamber-of-trade; st-marys-church"}  # fmt: skip
    with (folder / "conversations.csv").open(encoding="utf-8", newline="") as file:
        talks = {row["id"]: row for row in csv.DictReader(file)}
    assert set(talks[TALK]) == {"id", "date", "group", "channel", "outcome"}
    everything = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.csv"))
    assert "Sandra Lyle" not in everything and "Demand up a third" not in everything and "@" not in everything
    assert {p.name for p in folder.glob("*.csv")} == {f"{k.value}.csv" for k in Kind}
    assert git(sample_repo.root, "status", "--porcelain") == ""


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_adding_a_do_not_contact_person_to_a_logged_conversation_asks_first(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    helen = sample_repo.read(Kind.PEOPLE, "helen-carter")
    sample_repo.save(helen.model_copy(update={"do_not_contact": True}))
    app.action_reload()
    await settle(pilot)
    talk = sample_repo.read(Kind.CONVERSATIONS, TALK)
    app.edit_record(Kind.CONVERSATIONS, talk)
    await settle(pilot)
    form = app.screen
    assert isinstance(form, RecordForm)
    picker = form.query_one("#field-their_people", RefPicker)
    picker.query_one(Input).focus()
    await pilot.press(*"helen carter", "enter")
    await settle(pilot)
    assert picker.value == ["bernie-walsh", "helen-carter"]
    head = git(sample_repo.root, "rev-parse", "HEAD")
    await pilot.press("ctrl+s")
    await settle(pilot)
    question = app.screen
    assert isinstance(question, ConfirmScreen)
    assert "Helen Carter asked not to be contacted" in question.question.plain
    await pilot.press("n")
    await settle(pilot)
    assert app.screen is form and git(sample_repo.root, "rev-parse", "HEAD") == head  # still editing, unsaved
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot)
    saved = sample_repo.read(Kind.CONVERSATIONS, TALK)
    assert isinstance(saved, Conversation) and saved.their_people == ["bernie-walsh", "helen-carter"]

    # editing anything else of it, with her already there, does not ask again
    while isinstance(app.screen, RecordForm | ConfirmScreen):
        await pilot.press("escape")
        await settle(pilot)
    app.edit_record(Kind.CONVERSATIONS, saved)
    await settle(pilot)
    form = app.screen
    assert isinstance(form, RecordForm)
    form.query_one("#field-follow_up", Input).value = "2026-12-01"
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not isinstance(app.screen, ConfirmScreen)
    again = sample_repo.read(Kind.CONVERSATIONS, TALK)
    assert isinstance(again, Conversation) and again.follow_up == dt.date(2026, 12, 1)
    assert isinstance(sample_repo.read(Kind.PEOPLE, "helen-carter"), Person)
