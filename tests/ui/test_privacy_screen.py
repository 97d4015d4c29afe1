"""The Privacy screen and the do-not-contact question, driven through the real app on the sample data."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select, Static

from allytui.model.records import Conversation, Kind, Person
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.messages import NewConversation
from allytui.tui.screens.agenda import AgendaScreen
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.privacy import PrivacyScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.flags import FlagBox
from tests.helpers import git
from tests.ui.conftest import settle

LATER = dt.date(2029, 6, 1)  # the sample's 2025 conversations are over 36 months old by then
OLD_TALK = "2025-03-08-st-marys-w7ch"


async def test_privacy_screen_clears_old_notes_marks_reviewed_and_erases(sample_repo: DataRepo) -> None:
    before = sample_repo.read(Kind.CONVERSATIONS, OLD_TALK)
    assert isinstance(before, Conversation) and before.cares_about and before.outcome
    app = AllytuiApp(sample_repo, today=LATER)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        palette = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert palette["Privacy"] == "key: P"  # in the palette, so in help too (both come from the bindings)
        await pilot.press("P")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PrivacyScreen)
        keys = set(screen.due)
        assert f"conversations/{OLD_TALK}|old_notes" in keys
        assert not any(key.startswith("people/gareth-lewis|") for key in keys)  # our member, with a lawful basis
        assert "people/alan-pritchard|inactive" in keys

        screen.table.move_to(f"conversations/{OLD_TALK}|old_notes")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        after = sample_repo.read(Kind.CONVERSATIONS, OLD_TALK)
        assert isinstance(after, Conversation)
        assert (after.cares_about, after.notes, after.concerns) == ("", "", "")
        kept = (after.date, after.group, after.channel, after.outcome, after.their_people)
        assert kept == (before.date, before.group, before.channel, before.outcome, before.their_people)
        assert "retention review" in git(sample_repo.root, "log", "-1", "--format=%s")
        assert "Sceptical" not in git(sample_repo.root, "log", "-1", "--format=%B")  # no notes in the message

        screen = app.screen
        assert isinstance(screen, PrivacyScreen)
        assert f"conversations/{OLD_TALK}|old_notes" not in screen.due  # done: no longer due
        screen.table.move_to("people/alan-pritchard|inactive")
        await pilot.press("r")
        await settle(pilot)
        person = sample_repo.read(Kind.PEOPLE, "alan-pritchard")
        assert isinstance(person, Person) and person.reviewed == LATER
        assert "people/alan-pritchard|inactive" not in screen.due

        screen.table.move_to("people/liz-penrose|inactive")
        await pilot.press("f")  # her file, as allytui about --markdown, beside the repo
        await pilot.press("N")  # the national-contacts report, beside the repo
        await settle(pilot)
        about = sample_repo.root.parent / f"about-liz-penrose-{LATER.isoformat()}.md"
        assert about.read_text(encoding="utf-8").startswith("# What we hold about Liz Penrose")
        report = (sample_repo.root.parent / f"national-report-{LATER.isoformat()}.md").read_text(encoding="utf-8")
        assert "## National Education Union" in report and "Alan Pritchard" in report
        assert git(sample_repo.root, "status", "--porcelain") == ""  # written outside the data repo

        screen.table.move_to("people/liz-penrose|inactive")
        await pilot.press("x")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)  # erasing asks first, showing what would go
        assert "Erase Liz Penrose" in question.question.plain and question.details is not None
        assert "people/helen-carter.toml" in question.details.plain  # a reference to her, by file and field
        await pilot.press("n")
        await settle(pilot)
        assert sample_repo.exists(Kind.PEOPLE, "liz-penrose")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not sample_repo.exists(Kind.PEOPLE, "liz-penrose")
        assert "Liz Penrose" not in git(sample_repo.root, "log", "--all", "-p")
        said = [n.message for n in app._notifications]
        assert any("allytui sync" in text for text in said)  # how to share it


async def test_logging_a_conversation_with_a_do_not_contact_person_asks_first(sample_repo: DataRepo) -> None:
    helen = sample_repo.read(Kind.PEOPLE, "helen-carter")
    sample_repo.save(helen.model_copy(update={"do_not_contact": True, "do_not_contact_since": dt.date(2026, 11, 1)}))
    app = AllytuiApp(sample_repo, today=dt.date(2026, 11, 26))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.post_message(NewConversation(person_id="helen-carter"))
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "asked not to be contacted (since 2026-11-01)" in question.question.plain
        await pilot.press("n")
        await settle(pilot)
        assert not any(isinstance(s, RecordForm) for s in app.screen_stack)  # nothing logged

        app.post_message(NewConversation(person_id="helen-carter"))
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)  # asked, answered: the form opens as usual
        talks = len(sample_repo.load().records[Kind.CONVERSATIONS])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(sample_repo.load().records[Kind.CONVERSATIONS]) == talks + 1  # saved: not asked twice
        move_on = app.screen
        assert isinstance(move_on, ConfirmScreen) and "next action" in move_on.question.plain  # the usual one after
        await pilot.press("n")
        await settle(pilot)

        # a new conversation from the form itself asks when it is saved
        app.edit_record(
            Kind.CONVERSATIONS, None, prefill={"date": dt.date(2026, 11, 25), "their_people": ["helen-carter"]}
        )
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen) and "Save the conversation anyway?" in question.question.plain
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)  # still editing, nothing written
        assert len(sample_repo.load().records[Kind.CONVERSATIONS]) == talks + 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert len(sample_repo.load().records[Kind.CONVERSATIONS]) == talks + 2

        # someone else at a group: no question
        while isinstance(app.screen, RecordForm | ConfirmScreen):
            await pilot.press("escape")
            await settle(pilot)
        app.post_message(NewConversation(person_id="sandra-lyle"))
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)


async def test_the_person_form_sets_lawful_basis_and_do_not_contact(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=dt.date(2026, 11, 26))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        alan = sample_repo.read(Kind.PEOPLE, "alan-pritchard")
        app.edit_record(Kind.PEOPLE, alan)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-lawful_basis", Select).value = "public_role"
        form.query_one("#field-basis_note", Input).value = "named on the union's site"
        form.query_one("#field-do_not_contact", FlagBox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = sample_repo.read(Kind.PEOPLE, "alan-pritchard")
        assert isinstance(saved, Person)
        assert (saved.lawful_basis, saved.basis_note) == (
            "public_role",
            "named on the union's site",
        )
        assert saved.do_not_contact and saved.do_not_contact_since == dt.date(2026, 11, 26)  # ticked today


async def test_dashboard_lists_missing_basis_and_agenda_notes_dropped_follow_ups(sample_repo: DataRepo) -> None:
    helen = sample_repo.read(Kind.PEOPLE, "helen-carter")
    sample_repo.save(helen.model_copy(update={"do_not_contact": True}))  # her 2026-10-14 follow-up is due 11-27
    sample_repo.save(Person(id="zoe", name="Zoe Quill", contact={"email": "zoe@example.org"}))
    app = AllytuiApp(sample_repo, today=dt.date(2026, 11, 26))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        gaps = str(app.screen.query_one("#gaps", Static).render())
        assert "No lawful basis recorded for 1 with contact details:" in gaps and "Zoe Quill" in gaps
        assert "zoe@example.org" not in gaps
        await app.switch_mode("agenda")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        assert "2026-10-14-st-marys-k3f9" not in {item.record_id for item in screen.items.values()}
        assert screen.items_table.border_subtitle == (
            "1 follow-up left out: it is with someone who asked not to be contacted."
        )
