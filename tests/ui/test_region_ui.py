"""The region in the app at 80x24: group details say who else is in touch, logging a talk asks first, the Region
screen; on real data repos sharing a real bare exchange repo."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.widgets import Static

from allytui.sync.region import join, publish
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.screens.region import RegionScreen
from allytui.tui.screens.sync import SyncScreen
from allytui.tui.widgets.record_table import RecordTable
from tests.helpers import git
from tests.sync.region_kit import Region, make_region
from tests.ui.conftest import settle

TODAY = dt.date(2026, 11, 26)


def shared(tmp_path: Path) -> Region:
    region = make_region(tmp_path)
    join(region.north, str(region.exchange))
    join(region.south, str(region.exchange))
    join(region.national, str(region.exchange), kind="national")
    publish(region.north)
    publish(region.national)
    publish(region.south)
    publish(region.north)  # reads the others' folders
    return region


async def test_group_details_say_who_else_is_in_touch_and_logging_asks_first(tmp_path: Path) -> None:
    region = shared(tmp_path)
    app = AllytuiApp(region.south, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        table.move_to("rfb")
        await settle(pilot)
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "◆ Also in touch: Northfield Climate Action — meeting, October 2026" in detail
        table.move_to("trades")
        await settle(pilot)
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "National Relationships Team: held nationally: route via the national" in detail
        table.move_to("mosque")
        await settle(pilot)
        assert "◆" not in str(app.screen.query_one("#detail", Static).render())

        table.move_to("rfb")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        brief = str(app.screen.query_one("#brief-body", Static).render())
        assert "⚠ Also in touch: Northfield Climate Action — meeting, October 2026" in brief
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.question)
        assert question.startswith("Also in touch: Northfield Climate Action — meeting, October 2026.")
        assert "Coordinate with them first?" in question
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmScreen, RecordForm))
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)


async def test_no_question_for_a_group_nobody_else_is_talking_with(tmp_path: Path) -> None:
    region = shared(tmp_path)
    app = AllytuiApp(region.south, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.screen.query_one(RecordTable).move_to("mosque")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)


async def test_the_region_screen(tmp_path: Path) -> None:
    region = shared(tmp_path)
    app = AllytuiApp(region.north, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.region.joined
        palette = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert palette["Region"] == "key: L"  # from its binding, as every key is
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"region")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RegionScreen)
        text = str(app.screen.query_one("#region-text", Static).render())
        lines = text.splitlines()
        assert "The region: 3 participant(s), as last fetched" in lines[0]
        assert "Northfield Climate Action: researched 1, meeting 1" in lines
        assert "National Relationships Team (national): researched 1" in lines
        assert "• Riverton Allotment Society — researched by northfield" in lines
        assert "• Riverton Central Mosque — researched by southside" in lines
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RegionScreen)
        await pilot.press("2", "L")  # and from any main screen by its key
        await settle(pilot)
        assert isinstance(app.screen, RegionScreen)


async def test_the_region_screen_when_not_joined(tmp_path: Path) -> None:
    region = make_region(tmp_path)
    app = AllytuiApp(region.north, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.region.joined
        await pilot.press("L")  # the key is there before joining, and says how to join
        await settle(pilot)
        text = str(app.screen.query_one("#region-text", Static).render())
        assert text.startswith("This data repo takes part in no region.")


async def test_the_apps_sync_shares_with_the_region_and_never_fails_for_it(tmp_path: Path) -> None:
    region = make_region(tmp_path)
    own = tmp_path / "north-shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(own))
    git(region.north.root, "remote", "add", "origin", str(own))
    join(region.north, str(region.exchange))
    app = AllytuiApp(region.north, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        assert "… region: shared 2 group(s) as northfield; pushed" in str(app.screen.steps)
        assert "participants/northfield/participant.toml" in git(region.exchange, "ls-tree", "-r", "main")
        await pilot.press("escape")
        await settle(pilot)
        shutil.rmtree(region.exchange)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        assert "… region: the exchange was not updated: the shared repository at" in str(app.screen.steps)
        result = str(app.screen.query_one("#sync-result", Static).render())
        assert "Not synced" not in result
    assert git(own, "rev-parse", "main") == git(region.north.root, "rev-parse", "HEAD")
