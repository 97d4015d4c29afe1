"""The browsing screens, driven through the real app on the sample data with a fixed today:
dashboard, people, conversations, activities, team and problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from allytui.model.agenda import unagreed_roles as unagreed_soon
from allytui.model.enums import Stage
from allytui.model.overview import follow_ups, pipeline, whos_not_here
from allytui.model.records import Activity, Conversation, Group, Kind, Person, Team
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.dashboard import DashboardScreen
from allytui.tui.screens.team import reflow
from allytui.tui.widgets.pipeline import Pipeline
from allytui.tui.widgets.record_table import RecordTable
from allytui.tui.widgets.tab_bar import TabBar
from tests.helpers import git
from tests.ui.conftest import TODAY, settle

MARKUP = "[bold]x[/] [@click=app.quit]q[/]"


# helpers


def line_text(table: RecordTable, key: str) -> str:
    """The text a table draws for the row with this key (scrolling it into view first)."""
    table.move_to(key)
    index = next(n for n, row in enumerate(table.shown) if row.key == key)
    y = index - int(table.scroll_offset.y) + 1
    return "".join(segment.text for segment in table.render_line(y))


def shown_text(widget: Widget) -> str:
    return str(widget.render())


def calls_to(app: AllytuiApp, name: str) -> list[tuple[Any, ...]]:
    """Replace one of the app's editing entry points with a recorder (they are the lead's, tested there)."""
    calls: list[tuple[Any, ...]] = []

    def record(*args: Any, **kwargs: Any) -> None:
        calls.append((*args, *sorted((k, v) for k, v in kwargs.items() if v is not None)))

    setattr(app, name, record)
    return calls


async def start(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await settle(pilot)
    assert app.loaded is not None


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


async def filter_list(pilot: Pilot[None], text: str) -> RecordTable:
    box = pilot.app.screen.query_one("#filter", Input)
    box.value = ""
    await pilot.press("slash")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen.query_one(RecordTable)


def commit_all(repo: DataRepo) -> None:
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "test data")


# dashboard


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_dashboard_is_the_start_screen_with_the_whole_pipeline(
    sample_repo: DataRepo, size: tuple[int, int]
) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        assert app.current_mode == "dashboard"
        assert isinstance(app.screen, DashboardScreen)
        pipe = app.screen.query_one(Pipeline)
        counts = pipeline(app.loaded.records)
        assert pipe.counts == counts
        text = shown_text(pipe)
        positions = []
        for stage in Stage:
            label = stage.value.replace("_", " ")
            assert label in text
            positions.append(text.index(label))
        assert positions == sorted(positions)  # in pipeline order
        if size == (80, 24):
            assert "meeting 3" in text and "allied 5" in text
            assert pipe.size.height <= 3  # a wrapped row, leaving room for the lists
        else:
            assert "█" in text  # a column with bars
        assert f"{sum(counts.values())} groups" in str(pipe.border_title)


async def test_dashboard_lists_overdue_follow_ups_in_words(
    sample_repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        assert app.no_color
        table = app.screen.query_one("#follow-ups", RecordTable)
        due = follow_ups(app.loaded.records, TODAY)
        assert [row.key for row in table.shown] == [f"{f.kind.value}/{f.record_id}" for f in due]
        late = [f for f in due if f.due < TODAY]
        assert late and len(late) < len(due)
        assert f"{len(late)} overdue, {len(due) - len(late)} due this week" in str(table.border_title)
        # Overdue is said in words on the line itself, not only by colour.
        al_noor = line_text(table, "groups/al-noor-mosque")
        assert "overdue 6d" in al_noor and "Al-Noor Mosque" in al_noor
        food_bank = line_text(table, "groups/riverton-food-bank")
        assert "tomorrow" in food_bank and "overdue" not in food_bank
        assert {row.style for row in table.shown if row.cells[0].startswith("overdue")} == {"warning"}
        # Nothing beyond the week ahead.
        assert all(f.due <= TODAY + dt.timedelta(days=7) for f in due)
        assert "groups/riverton-renters-union" in {row.key for row in table.shown}  # due in 6 days


async def test_dashboard_whos_not_here(app: AllytuiApp, pilot: Pilot[None]) -> None:
    text = shown_text(app.screen.query_one("#gaps", Static))
    gaps = whos_not_here(app.loaded.records)
    assert gaps
    for gap in gaps:
        assert gap.category.value.replace("_", " ") in text
    assert "human rights" in text and "racial justice" in text and "minority group" in text
    assert "No group yet" in text


async def test_enter_on_a_follow_up_opens_the_record_selected(app: AllytuiApp, pilot: Pilot[None]) -> None:
    table = app.screen.query_one("#follow-ups", RecordTable)
    assert table.has_focus
    await pilot.press("down", "down")
    kind, _, record_id = table.current_key.partition("/")
    assert kind == "conversations"
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "conversations"
    listing = app.screen.query_one(RecordTable)
    assert listing.current_key == record_id
    top = int(listing.scroll_offset.y)
    assert top <= listing.cursor < top + listing.size.height - 1  # scrolled into view
    # A group's follow-up opens the group.
    await pilot.press("1")
    await settle(pilot)
    table.move_to("groups/al-noor-mosque")
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "groups"
    assert app.screen.query_one(RecordTable).current_key == "al-noor-mosque"


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_enter_on_a_recent_conversation_clears_a_filter_that_hides_it(
    app: AllytuiApp, pilot: Pilot[None]
) -> None:
    await pilot.press("4")
    await settle(pilot)
    await filter_list(pilot, "channel:email")
    await pilot.press("1")
    await settle(pilot)
    recent = app.screen.query_one("#recent", RecordTable)
    recent.focus()
    newest = recent.current_key
    assert newest == "2026-11-24-food-bank-soup-q3xy"  # a one-to-one, hidden by channel:email
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "conversations"
    assert app.screen.query_one(RecordTable).current_key == newest
    assert app.screen.query_one("#filter", Input).value == ""


async def test_enter_on_a_stage_lists_its_groups(app: AllytuiApp, pilot: Pilot[None]) -> None:
    app.screen.query_one(Pipeline).focus()
    await pilot.press("right", "right", "right", "right")  # researched → ... → meeting
    assert app.screen.query_one(Pipeline).stage is Stage.MEETING
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "groups"
    table = app.screen.query_one(RecordTable)
    expected = {g.id for g in app.loaded.records[Kind.GROUPS].values() if g.stage is Stage.MEETING}  # type: ignore[attr-defined]
    assert {row.key for row in table.shown} == expected
    assert app.screen.query_one("#filter", Input).value == "stage:meeting"


async def test_first_run_says_how_to_start(repo: DataRepo) -> None:
    app = AllytuiApp(repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        edits = calls_to(app, "edit_record")
        imports = calls_to(app, "import_spreadsheet")
        welcome = app.screen.query_one("#welcome")
        assert welcome.display and not app.screen.query_one("#dashboard").display
        text = shown_text(app.screen.query_one("#welcome-text", Static))
        assert "allytui import groups FILE.csv" in text
        assert "Describe your team" in text and "Add a group" in text and "Import a spreadsheet" in text
        await pilot.press("t")
        await pilot.press("n")  # n adds, as on the lists (g is the first row in every table)
        await pilot.press("i")
        assert edits == [(Kind.TEAMS, None), (Kind.GROUPS, None)]
        assert imports == [(Kind.GROUPS,)]


async def test_first_run_keys_are_gone_once_there_is_data(app: AllytuiApp, pilot: Pilot[None]) -> None:
    edits = calls_to(app, "edit_record")
    app.screen.query_one(Pipeline).focus()
    await pilot.press("t", "i")
    assert edits == []
    assert not app.screen.query_one("#welcome").display


async def test_once_the_team_is_described_the_dashboard_suggests_members_then_groups(repo: DataRepo) -> None:
    repo.save(Team(id="us", name="Us"), create=True)
    app = AllytuiApp(repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        assert not app.screen.query_one("#welcome").display
        gaps = shown_text(app.screen.query_one("#gaps", Static))
        assert "Next steps:" in gaps and "add your members" in gaps and "add a group" in gaps
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"Ana Lopez", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        gaps = shown_text(app.screen.query_one("#gaps", Static))
        assert "add your members" not in gaps and "add a group" in gaps
    ana = repo.read(Kind.PEOPLE, "ana-lopez")
    assert isinstance(ana, Person) and ana.member_of == "us"


# people


async def test_people_list_names_groups_and_our_members(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("3")
    await settle(pilot)
    table = app.screen.query_one(RecordTable)
    people = app.loaded.records[Kind.PEOPLE]
    assert len(table.shown) == len(people)
    ellen = next(row for row in table.shown if row.key == "ellen-brooks")
    assert ellen.cells[:3] == ("Ellen Brooks", "Housing and food lead", "yes")
    amira = next(row for row in table.shown if row.key == "amira-hassan")
    assert amira.cells == ("Amira Hassan", "Coordinator", "", "2", "+1", "Arle Valley Disability Forum")
    await filter_list(pilot, "group:arle-disability-forum")
    expected = {p.id for p in people.values() if "arle-disability-forum" in p.groups}  # type: ignore[attr-defined]
    assert {row.key for row in table.shown} == expected
    assert "amira-hassan" in expected


async def test_people_c_logs_a_conversation_with_the_person(app: AllytuiApp, pilot: Pilot[None]) -> None:
    talks = calls_to(app, "new_conversation")
    await pilot.press("3")
    await settle(pilot)
    app.screen.query_one(RecordTable).move_to("amira-hassan")
    await pilot.press("c")
    assert talks == [(("group_id", "arle-disability-forum"), ("person_id", "amira-hassan"))]


# conversations


def conversations(app: AllytuiApp) -> list[Conversation]:
    return [c for c in app.loaded.records[Kind.CONVERSATIONS].values() if isinstance(c, Conversation)]


async def test_conversations_are_a_timeline_newest_first(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("4")
    await settle(pilot)
    table = app.screen.query_one(RecordTable)
    dates = [row.cells[0] for row in table.shown]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == len(conversations(app))
    first = line_text(table, table.shown[0].key)
    assert first.startswith("2026-11-24 Riverton Food Bank") and "one to one" in first
    assert "Ellen Brooks" in first  # our people
    late = next(row for row in table.shown if row.key == "2026-11-05-save-the-42-petition-b6pm")
    assert late.cells[3] == "2026-11-12 !" and late.style == "warning"  # overdue, said without colour


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_conversation_filter_typed_filters_and_says_what_it_cannot_read(
    app: AllytuiApp, pilot: Pilot[None]
) -> None:
    """Typing a filter filters (the language itself: tests/unit/test_filters.py); what it can't read it says."""
    await pilot.press("4")
    await settle(pilot)
    talks = conversations(app)
    problem = app.screen.query_one("#filter-problem", Static)

    table = await filter_list(pilot, "member:jonah 2026-11")
    expected = {c.id for c in talks if "jonah-price" in c.our_people and c.date.isoformat().startswith("2026-11")}
    assert {row.key for row in table.shown} == expected and len(expected) == 2
    assert not problem.display

    table = await filter_list(pilot, "colour:red channel:emial")
    assert table.shown == []
    said = shown_text(problem)
    assert problem.display and "colour: is not a field here" in said and "no channel is “emial”" in said

    await pilot.press("escape")  # clears the filter, and what it said
    await settle(pilot)
    assert len(table.shown) == len(talks) and not problem.display


async def test_new_conversation_uses_the_group_in_the_filter(app: AllytuiApp, pilot: Pilot[None]) -> None:
    talks = calls_to(app, "new_conversation")
    await pilot.press("4")
    await settle(pilot)
    await pilot.press("n")
    await filter_list(pilot, "group:st-marys-church")
    await pilot.press("n")
    assert talks == [(), (("group_id", "st-marys-church"),)]


# activities


async def test_activity_warns_when_a_role_is_not_agreed_two_weeks_ahead(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("5")
    await settle(pilot)
    table = app.screen.query_one(RecordTable)
    cafe = next(row for row in table.shown if row.key == "december-climate-cafe")
    assert cafe.style == "warning"
    assert cafe.cells[1:] == ("climate cafe", "planned", "2026-12-05", "3/5 !")
    later = next(row for row in table.shown if row.key == "winter-warm-spaces")  # 44 days away
    assert later.style == "" and later.cells[4] == "1/4"
    assert {row.style for row in table.shown if row.cells[2] in {"done", "cancelled"}} == {"muted"}
    table.move_to("december-climate-cafe")
    await settle(pilot)
    detail = shown_text(app.screen.query_one("#detail", Static))
    assert "Warning: this is in 9 days" in detail
    assert "Al-Noor Mosque and Community Centre and Arle Valley Disability Forum are not agreed" in detail
    table.move_to("winter-warm-spaces")
    await settle(pilot)
    assert "Warning" not in shown_text(app.screen.query_one("#detail", Static))
    # Upcoming first, soonest first; then what is past, latest first.
    dates = [row.sort_keys[3] for row in table.shown]
    assert dates[:2] == [dt.date(2026, 12, 5), dt.date(2027, 1, 9)]


def test_the_warning_window() -> None:
    activity = Activity(id="a", title="A", status="planned", date=TODAY, partners=[{"group": "g"}])
    assert unagreed_soon(activity, TODAY) == ["g"]
    assert unagreed_soon(activity, TODAY - dt.timedelta(days=14)) == ["g"]
    assert unagreed_soon(activity, TODAY - dt.timedelta(days=15)) == []  # more than two weeks ahead
    assert unagreed_soon(activity, TODAY + dt.timedelta(days=1)) == []  # already past
    assert unagreed_soon(activity.model_copy(update={"status": "idea"}), TODAY) == []


# team


async def test_team_screen_shows_our_team(sample_repo: DataRepo) -> None:
    (sample_repo.root / "people" / "zoe-newcomer.toml").write_text(
        'name = "Zoe Newcomer"\nmember_of = "riverton-climate-action"\n'
    )
    commit_all(sample_repo)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        edits = calls_to(app, "edit_record")
        await pilot.press("6")
        await settle(pilot)
        summary = shown_text(app.screen.query_one("#team-summary", Static))
        story = shown_text(app.screen.query_one("#team-story", Static))
        assert "Riverton Climate Action" in summary
        assert "Members (9)" in summary
        assert "• Maya Okafor — Outreach coordinator\n  leads 3 groups · 11 conversations" in summary
        assert "• Zoe Newcomer\n  ! not in the team's member list" in summary
        assert "Capacity: core — a committed core team" in summary and "climate cafe" in summary
        assert "Nonviolence in everything we do" in summary
        assert "Motivations" in story and "Priorities" in story and "Flood resilience" in story
        assert "each other. The floods of winter 2024 showed us" in story  # hard wraps joined
        assert "\n2. Keeping and improving the 42 bus" in story  # list items kept
        await pilot.press("enter")  # enter opens the form, as on every list; e is $EDITOR everywhere
        team = app.loaded.get(Kind.TEAMS, "riverton-climate-action")
        assert edits == [(Kind.TEAMS, team)]


def test_reflow_joins_hard_wrapped_lines() -> None:
    text = "\nOne line\nwrapped here.\n\nNext paragraph\n1. first\n2. second\n- dash\n  more\n"
    assert reflow(text) == "One line wrapped here.\n\nNext paragraph\n1. first\n2. second\n- dash more"


async def test_team_screen_without_a_team(repo: DataRepo) -> None:
    app = AllytuiApp(repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        edits = calls_to(app, "edit_record")
        await pilot.press("6")
        await settle(pilot)
        assert "No team described yet" in shown_text(app.screen.query_one("#team-summary", Static))
        await pilot.press("enter")
        assert edits == [(Kind.TEAMS, None)]


# problems


def break_files(root: Path) -> None:
    (root / "groups" / "broken-quote.toml").write_text('name = "Broken\ncategory = "faith"\n')
    (root / "groups" / "bad\x1b[31mname.toml").write_text('name = "E"\ncategory = "faith"\n')


async def test_problems_screen_lists_broken_files(sample_repo: DataRepo) -> None:
    break_files(sample_repo.root)
    commit_all(sample_repo)  # (uncommitted files would open the lead's review screen first)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        opened = calls_to(app, "open_path_in_editor")
        assert "7 Prob" in shown_text(app.screen.query_one(TabBar)) and "(2)" in shown_text(
            app.screen.query_one(TabBar)
        )
        await pilot.press("7")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        paths = [row.cells[0] for row in table.shown]
        assert paths == sorted(p.path for p in app.loaded.problems)
        assert "groups/broken-quote.toml" in paths
        shown = [line_text(table, row.key) for row in table.shown]
        assert any("groups/bad\\x1b[31mname.toml" in line for line in shown)  # the escape made visible
        assert not any("\x1b" in line for line in shown)
        summary = shown_text(app.screen.query_one("#problems-summary", Static))
        assert "2 problems in 2 files" in summary
        broken = next(row.key for row in table.shown if row.cells[0] == "groups/broken-quote.toml")
        table.move_to(broken)
        await settle(pilot)
        detail = shown_text(app.screen.query_one("#detail", Static))
        assert "groups/broken-quote.toml" in detail and "Line: 1" in detail
        await pilot.press("enter")
        await pilot.press("e")
        assert opened == [("groups/broken-quote.toml",), ("groups/broken-quote.toml",)]

        # Fixed on disk and reloaded: the list follows the data.
        (sample_repo.root / "groups" / "broken-quote.toml").write_text('name = "Mended"\ncategory = "faith"\n')
        (sample_repo.root / "groups" / "bad\x1b[31mname.toml").unlink()
        app.action_reload()
        await settle(pilot)
        assert table.shown == []
        assert "No problems: every file is valid." in shown_text(app.screen.query_one("#problems-summary", Static))
        assert "Problems (" not in shown_text(app.screen.query_one(TabBar))


async def test_no_problems(app: AllytuiApp, pilot: Pilot[None]) -> None:
    opened = calls_to(app, "open_path_in_editor")
    await pilot.press("7")
    await settle(pilot)
    assert "No problems: every file is valid." in shown_text(app.screen.query_one("#problems-summary", Static))
    await pilot.press("e", "enter")
    assert opened == []


async def test_tab_bar_click_switches_screen(app: AllytuiApp, pilot: Pilot[None]) -> None:
    bar = app.screen.query_one(TabBar)
    x = shown_text(bar).index("5 ")
    await pilot.click(TabBar, offset=(x + 2, 0))
    await settle(pilot)
    assert app.current_mode == "activities"


# record text is data


async def test_markup_in_records_shows_literally_on_these_screens(sample_repo: DataRepo) -> None:
    root = sample_repo.root
    (root / "groups" / "markup.toml").write_text(
        f'name = "{MARKUP}"\ncategory = "faith"\nnotes = "{MARKUP}"\n'
        f'next_action = "{MARKUP}"\nnext_action_due = {TODAY.isoformat()}\n'
    )
    (root / "people" / "markup-person.toml").write_text(
        f'name = "{MARKUP}"\nrole = "{MARKUP}"\ngroups = ["markup"]\nmember_of = "riverton-climate-action"\n'
    )
    (root / "conversations" / "2026" / "2026-11-25-markup-a1b2.toml").write_text(
        f'date = 2026-11-25\ngroup = "markup"\nchannel = "email"\nour_people = ["markup-person"]\n'
        f'notes = "{MARKUP}"\nfollow_up = 2026-11-27\nnext_steps = "{MARKUP}"\n'
    )
    (root / "activities" / "markup-activity.toml").write_text(
        f'title = "{MARKUP}"\nstatus = "planned"\ndate = 2026-12-01\n'
        f'partners = [{{ group = "markup", role = "{MARKUP}" }}]\n'
    )
    (root / "groups" / "[bold]x[").mkdir()  # a folder where a record should be: a problem, named literally
    commit_all(sample_repo)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await start(app, pilot)
        assert isinstance(app.loaded.get(Kind.GROUPS, "markup"), Group)
        assert isinstance(app.loaded.get(Kind.PEOPLE, "markup-person"), Person)

        # dashboard: follow-ups and recent conversations
        due = app.screen.query_one("#follow-ups", RecordTable)
        assert MARKUP in line_text(due, "groups/markup")
        recent = app.screen.query_one("#recent", RecordTable)
        assert MARKUP in line_text(recent, "2026-11-25-markup-a1b2")
        await pilot.click("#follow-ups", offset=(5, 1 + due.cursor - int(due.scroll_offset.y)))
        await pilot.click("#recent", offset=(5, 1))
        assert app.is_running

        screens = [
            ("3", "markup-person"),
            ("4", "2026-11-25-markup-a1b2"),
            ("5", "markup-activity"),
        ]
        for key, record_id in screens:
            await pilot.press(key)
            await settle(pilot)
            table = app.screen.query_one(RecordTable)
            assert MARKUP[:20] in line_text(table, record_id)  # (an activity's title is cut to fit)
            await settle(pilot)
            detail = app.screen.query_one("#detail", Static)
            assert MARKUP in shown_text(detail)
            for x in range(12):  # wherever a rendered link would have been
                await pilot.click("#detail", offset=(x, 0))
            await pilot.click(RecordTable, offset=(2, 1))
            await pilot.press("enter", "escape")
            assert app.is_running

        await pilot.press("6")
        await settle(pilot)
        assert f"• {MARKUP} — {MARKUP}" in shown_text(app.screen.query_one("#team-summary", Static))

        await pilot.press("7")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert any("groups/[bold]x[" in line_text(table, row.key) for row in table.shown)
        await pilot.click(RecordTable, offset=(2, 1))
        assert app.is_running
