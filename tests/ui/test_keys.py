"""Keys a person can find: help generated from the real bindings, and every action in the palette."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from allytui.tui.app import AllytuiApp
from allytui.tui.screens.help import HelpScreen
from tests.ui.conftest import settle


async def test_help_lists_the_bindings_in_force(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)
    assert isinstance(app.screen, HelpScreen)
    text = "\n".join(str(s.render()) for s in app.screen.query(Static))
    for binding in (*app.screen.under.BINDINGS, *AllytuiApp.BINDINGS):
        if binding.description:
            assert binding.description in text, binding.description
    assert "Log talk" in text and "Filter" in text and "Quit" in text
    await pilot.press("escape")
    assert not isinstance(app.screen, HelpScreen)
    await pilot.press("f1")
    assert isinstance(app.screen, HelpScreen)


async def test_every_binding_is_a_palette_command(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)
    titles = {command.title for command in app.get_system_commands(app.screen)}
    for wanted in (
        "Filter",
        "Sort",
        "New",
        "Log talk",
        "Delete",
        "Editor",
        "Help",
        "Groups",
        "People",
        "Dashboard",
        "Problems",
        "Uncommitted",
    ):
        assert wanted in titles, wanted
    command = next(c for c in app.get_system_commands(app.screen) if c.title == "People")
    command.callback()
    await settle(pilot)
    assert app.current_mode == "people"
