"""People's rights from the app's keys: a person's file and erasure from the People list, a redacted export
from Privacy, a refused erase, and an edit (the form, or by hand in $EDITOR) that adds a do-not-contact person
to a conversation."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

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
from allytui.tui.widgets.record_table import RecordTable
from allytui.tui.widgets.ref_picker import RefPicker
from tests.helpers import git
from tests.sealing_kit import make_key, seal_team
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
    await pilot.press("f1")
    await settle(pilot)
    shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
    assert "Redacted export" in shown and "National report" in shown and "Their file" in shown
    await pilot.press("escape")
    await settle(pilot)
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


# a hand edit in $EDITOR


def scripted_editor(tmp_path: Path, script: str) -> str:
    """An $EDITOR that edits the file it is given ($file) with a shell script, as a person would by hand."""
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nset -e\nfile="$1"\n{script}\n')
    editor.chmod(0o755)
    return str(editor)


ADD_HELEN = """sed -i 's/^    "bernie-walsh",$/    "bernie-walsh",\\n    "helen-carter",/' "$file" """


async def _edit_talk(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("4")
    await settle(pilot)
    table = app.screen.query_one(RecordTable)
    table.move_to(TALK)
    table.focus()
    await pilot.press("e")
    await settle(pilot)


async def test_a_hand_edit_adding_a_do_not_contact_person_asks_before_it_is_committed(
    sample_repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helen = sample_repo.read(Kind.PEOPLE, "helen-carter")
    sample_repo.save(helen.model_copy(update={"do_not_contact": True}))
    monkeypatch.setenv("VISUAL", scripted_editor(tmp_path, ADD_HELEN))
    path = sample_repo.root / "conversations" / "2026" / f"{TALK}.toml"
    original, head = path.read_text(encoding="utf-8"), git(sample_repo.root, "rev-parse", "HEAD")
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _edit_talk(app, pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Helen Carter asked not to be contacted" in question.question.plain
        assert "Commit your edit anyway?" in question.question.plain
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert git(sample_repo.root, "rev-parse", "HEAD") == head  # not committed, and nothing lost:
        assert '"helen-carter"' in path.read_text(encoding="utf-8")  # the edit is kept, uncommitted
        assert any("Not committed" in n.message and "uncommitted" in n.message for n in app._notifications)
        await app.run_write(lambda: sample_repo.discard_changes(f"conversations/2026/{TALK}.toml"))
        assert path.read_text(encoding="utf-8") == original

        await _edit_talk(app, pilot)
        await pilot.press("y")  # commit it anyway
        await settle(pilot)
    saved = sample_repo.read(Kind.CONVERSATIONS, TALK)
    assert isinstance(saved, Conversation) and saved.their_people == ["bernie-walsh", "helen-carter"]
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_a_hand_edit_of_an_opened_sealed_conversation_asks_too(
    repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_key(tmp_path / "keys", "ana")
    key.use(monkeypatch)
    settings = repo.root / "allytui.toml"
    settings.write_text(settings.read_text().replace('"people.notes",', '"conversations.notes",'))
    git(repo.root, "commit", "-qam", "seal conversation notes")
    seal_team(repo, ("ana", key))
    repo.save(Person(id="dee", name="Dee Day", do_not_contact=True))
    repo.save(Person(id="eve", name="Eve"))
    repo.save(
        Conversation(id="2026-11-02-eve-aaaaaa", date=dt.date(2026, 11, 2), their_people=["eve"], notes="private")
    )
    rel = "conversations/2026/2026-11-02-eve-aaaaaa.toml"
    assert "BEGIN AGE" in (repo.root / rel).read_text()  # sealed: the editor gets an opened copy
    script = """sed -i 's/^    "eve",$/    "eve",\\n    "dee",/' "$file" """
    monkeypatch.setenv("VISUAL", scripted_editor(tmp_path, script))
    before = (repo.root / rel).read_text()
    app = AllytuiApp(repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        table.move_to("2026-11-02-eve-aaaaaa")
        table.focus()
        await pilot.press("e")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen) and "Dee Day asked not to be contacted" in question.question.plain
        await pilot.press("n")
        await settle(pilot)
        assert any("Nothing was saved" in n.message for n in app._notifications)
    assert (repo.root / rel).read_text() == before
