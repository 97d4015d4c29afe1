"""The agenda, brief and suggestions screens, driven through the real app on the sample data."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Static

from allytui.model.agenda import agenda, going_cold
from allytui.model.records import Activity, Group, Kind
from allytui.render.brief import brief_markdown
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.agenda import AgendaScreen
from allytui.tui.screens.brief import BriefScreen, brief_file
from allytui.tui.screens.choose import ChooseScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.screens.suggestions import SuggestionsScreen
from allytui.tui.widgets.record_table import RecordTable
from tests.ui.conftest import TODAY, settle

SIZES = [(80, 24), (120, 40)]
MARKUP = "[bold]x[/] [@click=app.quit]q[/]"


def shown_text(widget: Widget) -> str:
    return str(widget.render())


def line_text(table: RecordTable, index: int) -> str:
    table.cursor = index
    y = index - int(table.scroll_offset.y) + 1
    return "".join(segment.text for segment in table.render_line(y))


async def open_agenda(app: AllytuiApp, pilot: Pilot[None]) -> AgendaScreen:
    await settle(pilot)
    await app.switch_mode("agenda")
    await settle(pilot)
    assert isinstance(app.screen, AgendaScreen)
    return app.screen


async def push(app: AllytuiApp, pilot: Pilot[None], screen: BriefScreen | SuggestionsScreen) -> None:
    await settle(pilot)
    await app.push_screen(screen)
    await settle(pilot)


# agenda


@pytest.mark.parametrize("app_size", SIZES)
async def test_agenda_by_member_overdue_in_words(
    app: AllytuiApp, pilot: Pilot[None], app_size: tuple[int, int]
) -> None:
    screen = await open_agenda(app, pilot)
    table = screen.items_table
    sections = agenda(app.loaded.records, TODAY)
    assert len(table.shown) == sum(len(s.items) for s in sections)
    assert [row.cells[0] for row in table.shown if row.cells[0]] == [s.name for s in sections]
    first = line_text(table, 0)
    assert first.startswith("Ellen Brooks") and "OVERDUE 37d" in first  # in words, not only colour
    assert table.shown[0].style == "warning"
    assert any("tomorrow" in row.cells[1] for row in table.shown)
    assert "16 overdue, 18 in the next 14 days" in str(table.border_title)
    header = "".join(segment.text for segment in table.render_line(0))
    assert (" Due " in header) == (app_size[0] >= 110)  # the date column shows on a wide screen only
    assert (TODAY.isoformat()[:4] in first) == (app_size[0] >= 110)
    cold = screen.cold_table
    expected = going_cold(app.loaded.records, TODAY, 60)
    assert [row.key for row in cold.shown] == [c.group_id for c in expected]
    assert "9 groups with no conversation for 60+ days" in str(cold.border_title)
    detail = shown_text(screen.query_one("#agenda-detail", Static))
    assert "Maya Okafor, Ellen Brooks" in detail and "overdue by 37 days" in detail
    assert table.region.bottom <= app_size[1] and cold.size.height >= 4  # both lists have room


@pytest.fixture
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR set before the app starts (usefixtures sets it up ahead of `pilot`)."""
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.usefixtures("no_color")
async def test_agenda_says_overdue_without_colour(app: AllytuiApp, pilot: Pilot[None]) -> None:
    screen = await open_agenda(app, pilot)
    assert app.no_color
    rows = screen.items_table.shown
    late = [row.cells[1] for row in rows if row.style == "warning"]
    assert late and all(cell.startswith("OVERDUE ") for cell in late)
    assert not any("OVERDUE" in row.cells[1] for row in rows if row.style != "warning")
    await pilot.press("down")
    assert "⚠ Due 2026-11-19, overdue by 7 days" in shown_text(screen.query_one("#agenda-detail", Static))


async def test_agenda_enter_opens_the_record(app: AllytuiApp, pilot: Pilot[None]) -> None:
    screen = await open_agenda(app, pilot)
    key = screen.items_table.shown[0].key
    item = screen.items[key]
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "conversations"
    assert app.screen.query_one(RecordTable).current_key == item.record_id == "2026-09-05-al-noor-imam-g9qa"

    await app.switch_mode("agenda")
    await settle(pilot)
    await pilot.press("tab")  # to going cold
    assert app.screen.focused is app.screen.query_one("#agenda-cold")
    detail = shown_text(app.screen.query_one("#agenda-detail", Static))
    assert "Friends of the River Arle" in detail and "593 days ago" in detail
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "groups"
    assert app.screen.query_one(RecordTable).current_key == "friends-of-the-arle"


async def test_agenda_member_filter(app: AllytuiApp, pilot: Pilot[None]) -> None:
    screen = await open_agenda(app, pilot)
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(app.screen, ChooseScreen)
    options = app.screen.query_one(OptionList)
    labels = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
    assert labels[0] == "Everyone" and labels[-1] == "Unassigned (0)"
    assert "Gareth Lewis (4)" in labels
    options.highlighted = labels.index("Gareth Lewis (4)")
    await pilot.press("enter")
    await settle(pilot)
    assert app.screen is screen
    assert {row.cells[0] for row in screen.items_table.shown} == {"Gareth Lewis", ""}
    assert len(screen.items_table.shown) == 4
    assert "for Gareth Lewis" in str(screen.items_table.border_title)
    assert {screen.cold[k].lead for k in screen.cold} == {"gareth-lewis"}
    assert "Gareth Lewis" in shown_text(screen.query_one("#agenda-title", Static))

    await pilot.press("m")
    await settle(pilot)
    options = app.screen.query_one(OptionList)
    options.highlighted = options.option_count - 1  # unassigned: nothing in the sample data
    await pilot.press("enter")
    await settle(pilot)
    assert screen.items_table.shown == []
    assert "nothing overdue" in str(screen.items_table.border_title)


async def test_agenda_brief_and_log_conversation_keys(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await open_agenda(app, pilot)
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(app.screen, BriefScreen) and app.screen.group_id == "al-noor-mosque"
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(app.screen, AgendaScreen)
    await pilot.press("tab", "c")
    await settle(pilot)
    assert isinstance(app.screen, RecordForm) and app.screen.kind is Kind.CONVERSATIONS
    assert app.screen.values["group"] == "friends-of-the-arle" and app.screen.values["date"] == TODAY


async def test_agenda_follows_data_changes(app: AllytuiApp, pilot: Pilot[None]) -> None:
    screen = await open_agenda(app, pilot)
    before = len(screen.items_table.shown)
    group = app.loaded.get(Kind.GROUPS, "riverton-pride")
    assert isinstance(group, Group)
    app.record_changed(Kind.GROUPS, group.id, group.model_copy(update={"lead": None, "name": MARKUP}))
    await settle(pilot)
    assert len(screen.items_table.shown) == before
    unassigned = [row for row in screen.items_table.shown if row.key.startswith("-|")]
    assert [row.cells[0] for row in unassigned] == ["unassigned"]
    assert unassigned[0].cells[-2] == MARKUP  # shown as it is, never as markup


# brief


@pytest.mark.parametrize("app_size", SIZES)
async def test_brief_screen(app: AllytuiApp, pilot: Pilot[None], app_size: tuple[int, int]) -> None:
    await push(app, pilot, BriefScreen("st-marys-church"))
    screen = app.screen
    assert "Brief · St Mary's Parish Church" in shown_text(screen.query_one("#brief-title", Static))
    body = shown_text(screen.query_one("#brief-body", Static))
    for part in (
        "Who they are",
        "Aims: Worship, pastoral care",
        "Their people and our links to them",
        "• Rev. Helen Carter — Vicar",
        "◦ Known to Gareth Lewis (close, Sits on the PCC with her)",
        "Conversations (2, newest first)",
        "Common ground: Soup, stories",
        "Red lines",
        "• Nonviolence in everything we do",
        "Open next steps",
        "Joint activities (2)",
        "Access check (not agreed yet) ⚠ agree it in advance",
    ):
        assert part in body, part
    assert "**" not in body and "\\" not in body  # drawn, not Markdown
    assert "National contact" not in body
    pane = screen.query_one("#brief-pane")
    assert screen.focused is pane
    await pilot.press("pagedown")
    await settle(pilot)
    assert pane.scroll_offset.y > 0


async def test_brief_national_warning_and_markup_stays_text(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await settle(pilot)
    group = app.loaded.get(Kind.GROUPS, "neu-western-region")
    assert isinstance(group, Group)
    app.record_changed(Kind.GROUPS, group.id, group.model_copy(update={"name": MARKUP, "aims": MARKUP}))
    await push(app, pilot, BriefScreen("neu-western-region"))
    body = shown_text(app.screen.query_one("#brief-body", Static))
    assert "⚠ National contact: route via the national relationships team" in body
    assert f"Aims: {MARKUP}" in body
    assert MARKUP in shown_text(app.screen.query_one("#brief-title", Static))
    assert app.is_running


async def test_brief_saves_markdown_beside_the_repo(app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo) -> None:
    await push(app, pilot, BriefScreen("al-noor-mosque"))
    await pilot.press("E")  # E writes a file, as the map's export does
    await settle(pilot)
    path = brief_file(sample_repo.root, "al-noor-mosque", TODAY)
    assert path.parent == sample_repo.root.parent and path.name == "brief-al-noor-mosque-2026-11-26.md"
    assert app.screen.saved == path
    assert path.read_text(encoding="utf-8") == brief_markdown(app.loaded.records, "al-noor-mosque", TODAY)
    assert not sample_repo.uncommitted()


async def test_brief_of_a_missing_group(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await push(app, pilot, BriefScreen("nowhere"))
    assert "not in the data" in shown_text(app.screen.query_one("#brief-body", Static))
    assert app.screen.check_action("save", ()) is None
    await pilot.press("E", "o")
    await settle(pilot)
    assert isinstance(app.screen, BriefScreen) and app.screen.saved is None


async def test_brief_opens_its_group(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await push(app, pilot, BriefScreen("save-the-42"))
    await pilot.press("o")
    await settle(pilot)
    assert app.current_mode == "groups"
    assert app.screen.query_one(RecordTable).current_key == "save-the-42"


# suggestions


@pytest.mark.parametrize("app_size", SIZES)
async def test_suggestions_for_our_capacity(app: AllytuiApp, pilot: Pilot[None], app_size: tuple[int, int]) -> None:
    await push(app, pilot, SuggestionsScreen())
    screen = app.screen
    assert isinstance(screen, SuggestionsScreen)
    assert "our capacity: core" in shown_text(screen.query_one("#suggestions-title", Static))
    table = screen.table
    assert [row.cells[1] for row in table.shown] == ["core"] * 5 + ["others"] * 6 + ["low"] * 4
    assert table.shown[0].cells[3] == "Mending workshops with the WI"
    detail = shown_text(screen.query_one("#detail", Static))
    assert "Groups it suits (6)" in detail and "Riverton Allotment and Garden Society — allied" in detail
    assert table.region.right <= app_size[0]


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_suggestion_starts_an_activity(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await push(app, pilot, SuggestionsScreen())
    await pilot.press("down", "down", "down")  # the climate café
    await pilot.press("enter")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, RecordForm) and form.kind is Kind.ACTIVITIES and form.record is None
    assert form.values["kind"] == "climate_cafe" and form.values["status"] == "idea"
    assert [p["agreed"] for p in form.values["partners"]] == [False, False, False]
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, SuggestionsScreen)
    activity = app.loaded.get(Kind.ACTIVITIES, "climate-cafe")
    assert isinstance(activity, Activity)
    assert activity.status.value == "idea"
    assert [(p.group, p.role, p.agreed) for p in activity.partners] == [
        ("riverton-allotment-society", "", False),
        ("st-marys-church", "", False),
        ("riverton-food-bank", "", False),
    ]
    existing = app.screen.found["climate-cafe"].existing  # the list follows the new record
    assert existing == ["Climate café", "Climate café: soup, seeds and stories"]
