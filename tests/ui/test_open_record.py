"""Opening a record from anywhere shows its screen with exactly that record selected."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from allytui.model.records import Conversation, Group, Kind, Person, Record
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.messages import OpenRecord
from allytui.tui.screens.agenda import AgendaScreen
from allytui.tui.screens.brief import BriefScreen
from allytui.tui.screens.power_map import MapScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.screens.record_list import RecordListScreen
from allytui.tui.widgets.record_table import RecordTable
from tests.ui.conftest import TODAY, settle


def selected(app: AllytuiApp) -> str | None:
    return app.screen.query_one(RecordTable).current_key


def notices(app: AllytuiApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_agenda_opens_a_conversation_logged_while_conversations_was_hidden(sample_repo: DataRepo) -> None:
    """The issue's steps: cursor on row 4 of Conversations; log a conversation from the agenda; open it."""
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("down", "down", "down")
        old = selected(app)
        await pilot.press("8")
        await settle(pilot)
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        await pilot.press("c")  # log a conversation with the group of the first item
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-follow_up", Input).value = (TODAY + dt.timedelta(days=2)).isoformat()
        form.query_one("#field-cares_about").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")  # not now: leave the group's stage as it is
        await settle(pilot)
        assert app.screen is agenda
        assert app.loaded is not None
        new = next(
            c.id
            for c in app.loaded.records[Kind.CONVERSATIONS].values()
            if isinstance(c, Conversation) and c.date == TODAY and c.follow_up == TODAY + dt.timedelta(days=2)
        )
        assert new != old
        key = next(k for k, item in agenda.items.items() if item.record_id == new)
        agenda.items_table.move_to(key)
        agenda.items_table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "conversations"
        assert selected(app) == new


NEW: dict[Kind, Record] = {
    Kind.GROUPS: Group(id="aaa-new-group", name="Aaa new group", category="faith"),
    Kind.PEOPLE: Person(id="aaa-new-person", name="Aaa New Person"),
    Kind.CONVERSATIONS: Conversation(id="2026-11-26-aaa-new-talk-x1yz", date=TODAY),
}


@pytest.mark.parametrize("kind", list(NEW), ids=lambda k: k.value)
@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_open_selects_a_record_added_while_its_screen_was_hidden(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo, kind: Kind
) -> None:
    await app.switch_mode({Kind.GROUPS: "groups", Kind.PEOPLE: "people"}.get(kind, "conversations"))
    await settle(pilot)
    await pilot.press("down", "down", "down")
    await pilot.press("1")
    await settle(pilot)
    record = NEW[kind]
    sample_repo.save(record, create=True)
    app.record_changed(kind, record.id, record)  # what a form does after saving
    app.screen.post_message(OpenRecord(kind.value, record.id))
    await settle(pilot)
    assert isinstance(app.screen, RecordListScreen) and app.screen.KIND is kind
    assert selected(app) == record.id
    assert app.screen.query_one(RecordTable).has_focus


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_open_clears_a_filter_that_hides_the_record_and_says_so(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("2", "slash", *"allotment", "enter")
    await settle(pilot)
    assert "st-marys-church" not in {row.key for row in app.screen.query_one(RecordTable).shown}
    await pilot.press("1")
    await settle(pilot)
    app.screen.post_message(OpenRecord("groups", "st-marys-church"))
    await settle(pilot)
    assert app.current_mode == "groups"
    assert selected(app) == "st-marys-church"
    assert app.screen.query_one("#filter", Input).value == ""
    assert "filter" in notices(app).lower()


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_open_a_record_that_is_gone_says_so(app: AllytuiApp, pilot: Pilot[None]) -> None:
    app.screen.post_message(OpenRecord("groups", "no-such-group"))
    await settle(pilot)
    assert "no-such-group" in notices(app)


async def test_open_from_agenda_while_a_brief_is_open_on_the_groups_screen(sample_repo: DataRepo) -> None:
    """The groups screen has a brief on top of it (opened there, then 8 pressed): open shows the group."""
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        await pilot.press("8")
        await settle(pilot)
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        agenda.cold_table.focus()
        await pilot.press("down")
        wanted = agenda.cold_table.current_key
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "groups"
        assert isinstance(app.screen, RecordListScreen)
        assert selected(app) == wanted


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_brief_open_group_selects_it_on_a_stale_groups_screen(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("8")
    await settle(pilot)
    record = Group(id="aaa-new-group", name="Aaa new group", category="faith")
    sample_repo.save(record, create=True)
    app.record_changed(Kind.GROUPS, record.id, record)
    app.push_screen(BriefScreen(record.id))
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    assert app.current_mode == "groups"
    assert selected(app) == record.id


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_map_open_selects_the_mark(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("3", "down", "down", "down", "0")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, MapScreen)
    mark = next(m for m in screen.power_map.marks if m.kind is Kind.PEOPLE)
    screen.power_map.select(mark.key)
    screen.power_map.focus()
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "people"
    assert selected(app) == mark.id


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_dashboard_recent_conversation_opens_it(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("4", "down", "down", "down", "down", "1")
    await settle(pilot)
    recent = app.screen.query_one("#recent", RecordTable)
    recent.focus()
    await pilot.press("down")
    wanted = recent.current_key
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "conversations"
    assert selected(app) == wanted
