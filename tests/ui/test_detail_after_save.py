"""The detail pane reads from the app's index of who belongs with whom (model.relations_index): right after
saving a new conversation or editing a person it says what a scan of every record says, at 80x24; and a
screen left before it redraws for a change redraws when shown again; the Team screen counts members'
conversations from the same index."""

from __future__ import annotations

from functools import partial

from textual.pilot import Pilot
from textual.widgets import Input, Static

from allytui.model.records import Conversation, Kind, Team
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.details import record_detail
from allytui.tui.keymap import key_of
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.screens.team import team_summary
from allytui.tui.widgets.record_table import RecordTable
from allytui.tui.widgets.ref_picker import RefPicker
from tests.ui.conftest import TODAY, settle

GROUP = "riverton-pride"


def pane(app: AllytuiApp) -> str:
    return str(app.screen.query_one("#detail", Static).render())


def scanned(app: AllytuiApp, kind: Kind, record_id: str) -> str:
    """The detail of a record as the straightforward scan of every record gives it (no index)."""
    loaded = app.loaded
    assert loaded is not None
    record = loaded.records[kind][record_id]
    return str(record_detail(record, loaded.records, TODAY, partial(key_of, app)))


async def show(pilot: Pilot[None], screen_key: str, record_id: str) -> None:
    await pilot.press(screen_key)
    await settle(pilot)
    pilot.app.screen.query_one(RecordTable).move_to(record_id)
    await settle(pilot)


async def test_a_new_conversation_shows_in_its_group_and_person(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await show(pilot, "2", GROUP)
        before = pane(app)
        assert before == scanned(app, Kind.GROUPS, GROUP) and "Conversations (1, newest first)" in before
        assert app.loaded is not None
        related = app.related(app.loaded)

        await pilot.press("c")
        await settle(pilot)
        await pick(pilot, Kind.CONVERSATIONS, "their_people", "chris onyango")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # move the group on? not now
        await pilot.press("n")
        await settle(pilot)

        assert app.related(app.loaded) is related  # kept, not built again
        after = pane(app)
        assert "Conversations (2, newest first)" in after and f"• {TODAY.isoformat()} one to one" in after
        assert after == scanned(app, Kind.GROUPS, GROUP)
        await show(pilot, "3", "chris-onyango")
        assert f"• {TODAY.isoformat()} one to one" in pane(app)
        assert pane(app) == scanned(app, Kind.PEOPLE, "chris-onyango")


async def pick(pilot: Pilot[None], kind: Kind, field: str, typed: str) -> RefPicker:
    """In the open form of kind, type into a reference field's picker and take what it offers."""
    form = pilot.app.screen
    assert isinstance(form, RecordForm) and form.kind is kind
    picker = form.query_one(f"#field-{field}", RefPicker)
    picker.query_one(Input).focus()
    await pilot.press(*typed, "enter")
    await settle(pilot)
    return picker


async def test_a_person_edited_into_a_group_shows_in_its_people(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await show(pilot, "2", GROUP)
        assert "Stephen Marsh" not in pane(app)
        await show(pilot, "3", "stephen-marsh")
        await pilot.press("enter")
        await settle(pilot)
        picker = await pick(pilot, Kind.PEOPLE, "groups", "riverton pride")
        assert picker.value == ["fairer-votes-riverton", GROUP]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)

        await show(pilot, "2", GROUP)
        shown = pane(app)
        assert "• Stephen Marsh — Organiser" in shown
        assert shown == scanned(app, Kind.GROUPS, GROUP)
        await show(pilot, "2", "fairer-votes-riverton")  # still in the group he was in
        assert "• Stephen Marsh — Organiser" in pane(app)
        assert pane(app) == scanned(app, Kind.GROUPS, "fairer-votes-riverton")


async def test_a_screen_left_before_it_redraws_redraws_when_shown_again(sample_repo: DataRepo) -> None:
    """The records change while the dashboard is shown and a key switches away at once (records arriving as 2
    is pressed): the dashboard is not redrawn behind the Groups screen, and is up to date when shown again."""
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dashboard = app.screen
        follow_ups = dashboard.query_one("#follow-ups", RecordTable)
        drawn = follow_ups.shown
        assert app.loaded is not None
        group = app.loaded.records[Kind.GROUPS][GROUP]
        changed = group.model_copy(update={"next_action": "Ask about the youth group", "next_action_due": TODAY})
        app.record_changed(Kind.GROUPS, GROUP, changed)
        app.switch_mode("groups")  # in the same turn, as a key already typed would
        await settle(pilot)
        assert follow_ups.shown is drawn  # not redrawn while hidden
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is dashboard and follow_ups.shown is not drawn
        assert any(row.cells[-1] == "Ask about the youth group" for row in follow_ups.shown)


async def test_the_team_counts_a_new_conversation_of_a_member(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        summary = app.screen.query_one("#team-summary", Static)
        loaded = app.loaded
        assert loaded is not None
        team = next(iter(loaded.records[Kind.TEAMS].values()))
        assert isinstance(team, Team)
        before = str(summary.render())
        assert before == str(team_summary(team, loaded.records))  # the scan of every conversation
        talk = Conversation(id=f"{TODAY.isoformat()}-team-test", date=TODAY, group=GROUP, our_people=["gareth-lewis"])
        sample_repo.save(talk, create=True)
        app.record_changed(Kind.CONVERSATIONS, talk.id, talk)  # what the form does once saved
        await settle(pilot)
        after = str(summary.render())
        assert after != before and after == str(team_summary(team, loaded.records))
