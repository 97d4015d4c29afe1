"""Importing a spreadsheet from the Groups and People screens at 80x24: what each row would do, then one commit."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Select, Static

from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.import_sheet import ImportSheetScreen
from tests.helpers import commit_count, git
from tests.ui.conftest import settle

SHEET = (
    "\ufeffName;Category;Stage;Website;Notes from the stall\r\n"
    "Riverton Food Bank;food bank;Contacted;https://rivertonfoodbank.example.org;asked about the hall\r\n"
    ";;;;\r\n"
    "Northfield Allotments;Gardening;in conversation;;\r\n"
)


def dialog_text(app: AllytuiApp) -> str:
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


async def open_import(pilot: Pilot[None], app: AllytuiApp, path: Path, *, update: bool = False) -> None:
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(app.screen, ImportSheetScreen)
    if update:
        app.screen.query_one("#import-update", Checkbox).value = True
    app.screen.query_one("#import-path", Input).value = str(path)
    app.screen.query_one("#import-path", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_import_from_the_groups_screen_shows_each_row_then_commits_once(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo, tmp_path: Path
) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(SHEET, encoding="utf-8")
    await pilot.press("2")
    await settle(pilot)
    before = commit_count(sample_repo.root)

    await open_import(pilot, app, path)
    assert isinstance(app.screen, ConfirmScreen)
    text = dialog_text(app)
    assert "groups.csv: 1 new, 1 already present. Import 1 as one commit?" in text
    assert "ignoring column(s) groups do not have: Notes from the stall" in text
    assert "row 2: already present groups/riverton-food-bank, matched by website" in text
    assert "row 4: new groups/northfield-allotments" in text
    box = app.screen.query_one(Vertical).region
    assert box.right <= 80 and box.bottom <= 24
    await pilot.press("y")
    await settle(pilot)
    assert commit_count(sample_repo.root) == before + 1
    assert git(sample_repo.root, "log", "-1", "--format=%s").strip() == "groups: import 1 (1 new, 0 updated)"
    allotments = sample_repo.read(Kind.GROUPS, "northfield-allotments")
    assert isinstance(allotments, Group) and allotments.stage == "in_conversation"

    # the same sheet again: nothing to change, and no commit
    await open_import(pilot, app, path)
    assert isinstance(app.screen, ConfirmScreen)
    assert "Nothing to change. groups.csv: 2 already present." in dialog_text(app)
    await pilot.press("y")
    await settle(pilot)
    assert commit_count(sample_repo.root) == before + 1


async def test_a_bad_value_is_named_with_a_suggestion_in_a_dialog_that_fits(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo, tmp_path: Path
) -> None:
    path = tmp_path / "groups.csv"
    rows = "".join(f"Club {n},sprots\n" for n in range(12))
    path.write_text("name,category\n" + rows, encoding="utf-8")
    await pilot.press("2")
    await settle(pilot)
    before = commit_count(sample_repo.root)
    await open_import(pilot, app, path)
    assert isinstance(app.screen, ConfirmScreen)
    text = dialog_text(app)
    assert "Nothing imported. groups.csv: 12 with errors." in text
    assert "groups.csv, row 2, category: 'sprots' is not a category; did you mean sports?" in text
    assert text.count("category takes:") == 1
    box = app.screen.query_one(Vertical).region
    assert box.right <= 80 and box.bottom <= 24 and box.x >= 0 and box.y >= 0
    assert [str(b.label) for b in app.screen.query(Button)] == ["OK (y)"]  # nothing to choose: it only tells
    await pilot.press("escape")
    await settle(pilot)
    assert commit_count(sample_repo.root) == before


async def test_a_row_already_here_says_how_to_update_it_in_the_apps_words(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo, tmp_path: Path
) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("name,stage\nriverton food bank,meeting\n", encoding="utf-8")
    await pilot.press("2")
    await settle(pilot)
    await open_import(pilot, app, path)
    text = dialog_text(app)
    assert "differs in stage (tick Update records already here to change)" in text and "--update" not in text
    await pilot.press("escape")
    await settle(pilot)


async def test_the_people_screen_imports_people_and_the_palette_entry_works(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo, tmp_path: Path
) -> None:
    await pilot.press("3")
    await settle(pilot)
    palette = {command.title: command.help for command in app.get_system_commands(app.screen)}
    assert palette["Import CSV"] == "key: i"
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*"import csv")
    await pilot.pause(0.5)
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ImportSheetScreen)
    assert app.screen.query_one("#import-kind", Select).value == Kind.PEOPLE.value


async def test_ticking_update_updates_the_matched_rows_and_only_they_are_counted(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo, tmp_path: Path
) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("name,stage\nriverton food bank,meeting\nArle Valley Motor Club,researched\n", encoding="utf-8")
    await pilot.press("2")
    await settle(pilot)
    before = commit_count(sample_repo.root)
    await open_import(pilot, app, path, update=True)
    assert isinstance(app.screen, ConfirmScreen)
    text = dialog_text(app)
    assert "groups.csv: 1 to update, 1 already present. Import 1 as one commit?" in text
    assert "row 2: update groups/riverton-food-bank, matched by name (stage)" in text
    await pilot.press("y")
    await settle(pilot)
    assert commit_count(sample_repo.root) == before + 1
    assert git(sample_repo.root, "log", "-1", "--format=%s").strip() == "groups: import 1 (0 new, 1 updated)"
    food = sample_repo.read(Kind.GROUPS, "riverton-food-bank")
    assert isinstance(food, Group) and food.stage == "meeting" and food.name == "Riverton Food Bank"
