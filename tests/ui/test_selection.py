"""Selecting text with the mouse works on every screen, and every screen keeps Screen's own styles."""

from __future__ import annotations

import inspect

import pytest
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen

import allytui.tui.screens as screens_package
from allytui.model.records import Kind
from allytui.tui.app import AllytuiApp
from allytui.tui.app_data import AppData
from allytui.tui.screens.brief import BriefScreen
from allytui.tui.screens.suggestions import SuggestionsScreen
from tests.ui.conftest import settle

SCREEN_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]


async def drag(pilot, start: tuple[int, int], end: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Press the left button at start, move to end, release: what a person does to select text."""
    await pilot.mouse_down(offset=start)
    await pilot.hover(offset=((start[0] + end[0]) // 2, (start[1] + end[1]) // 2))
    await pilot.hover(offset=end)
    await pilot.mouse_up(offset=end)
    await pilot.pause()


@pytest.mark.parametrize("key", SCREEN_KEYS)
@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_drag_select_on_every_main_screen(app: AllytuiApp, pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)
    screen = app.screen
    await drag(pilot, (2, 3), (60, 12))
    await drag(pilot, (70, 20), (5, 6))
    await settle(pilot)
    assert app.is_running and app.return_code is None
    assert app.screen is screen


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_drag_select_on_pushed_screens(app: AllytuiApp, pilot: Pilot[None]) -> None:
    assert app.loaded is not None
    group = next(iter(app.loaded.records[Kind.GROUPS]))
    for screen in (BriefScreen(group), SuggestionsScreen()):
        await app.push_screen(screen)
        await settle(pilot)
        await drag(pilot, (2, 2), (60, 10))
        await settle(pilot)
        assert app.is_running and app.screen is screen
        app.pop_screen()
        await settle(pilot)


def all_screen_classes() -> list[type[Screen[object]]]:
    """Every Screen subclass defined in allytui's screens package (and the mixin users elsewhere)."""
    import importlib
    import pkgutil

    found: list[type[Screen[object]]] = []
    for info in pkgutil.iter_modules(screens_package.__path__):
        module = importlib.import_module(f"{screens_package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


@pytest.mark.parametrize("cls", all_screen_classes(), ids=lambda cls: cls.__name__)
def test_every_screen_keeps_screens_component_classes_and_css(cls: type[Screen[object]]) -> None:
    assert "screen--selection" in cls._get_component_classes()
    # Textual inherits CSS through the first DOMNode base of each class: the chain must reach Screen
    assert Screen in cls._css_bases(cls), cls


def test_app_data_is_a_plain_mixin() -> None:
    assert not issubclass(AppData, DOMNode)
