"""Keys typed ahead (arriving together over SSH) after the filter key go into the filter, never run as commands."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from tests.ui.conftest import TODAY, settle


def typed_together(app: AllytuiApp, text: str) -> None:
    """Keys posted at once, as the driver posts the bytes of one read: none waits for the one before."""
    for character in text:
        key = "slash" if character == "/" else character
        app.post_message(events.Key(key, character))


@pytest.mark.parametrize("screen_key", ["2", "3"])
async def test_filter_then_letters_at_once(sample_repo: DataRepo, screen_key: str) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(screen_key)
        await settle(pilot)
        screen = app.screen
        typed_together(app, "/river")
        await settle(pilot)
        assert app.screen is screen  # no import dialog, form or other screen opened by a letter
        assert screen.query_one("#filter", Input).value == "river"


async def test_power_map_filter_then_letters_at_once(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("0")
        await settle(pilot)
        screen = app.screen
        typed_together(app, "/food")
        await settle(pilot)
        assert app.screen is screen
        assert any(box.value == "food" for box in screen.query(Input))
