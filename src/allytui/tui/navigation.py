"""Going from one screen to a record (or a filtered list) on another: switch mode, then select."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from allytui.model.records import Kind
from allytui.model.text import visible
from allytui.tui.app_data import AppData
from allytui.tui.keymap import key_of
from allytui.tui.widgets.record_table import RecordTable

MODE_OF_KIND: dict[Kind, str] = {
    Kind.TEAMS: "team",
    Kind.GROUPS: "groups",
    Kind.PEOPLE: "people",
    Kind.CONVERSATIONS: "conversations",
    Kind.ACTIVITIES: "activities",
}


def _filter_box(screen: Screen[Any]) -> Input | None:
    boxes = screen.query("Input#filter")
    return boxes.first(Input) if boxes else None


def _holds_input(screen: Screen[Any]) -> bool:
    """A form (it has `dirty`) or a dialog: never closed on the person's behalf."""
    return hasattr(screen, "dirty") or isinstance(screen, ModalScreen)


async def _show_mode(app: App[Any], mode: str) -> Screen[Any] | None:
    """Switch to mode and uncover its own screen, up to date: a brief or history left open on top of it
    is closed; a form is not (that would lose what was typed), and then None.
    """
    await app.switch_mode(mode)
    while len(app.screen_stack) > 1:
        if _holds_input(app.screen):
            saves, leaves = key_of(app, "save"), key_of(app, "form-leave")
            app.notify(f"Finish or leave the form first ({saves} saves, {leaves} leaves).", markup=False)
            return None
        await app.pop_screen()
    screen = app.screen
    if isinstance(screen, AppData):
        screen.redraw_if_stale()  # a record added while this screen was hidden must be in its table
    return screen


async def open_record(app: App[Any], kind: Kind | str, record_id: str) -> bool:
    """Show the screen for kind with exactly record_id selected and focused.

    A filter that hides the record is cleared (and the person told); a record that is not there is
    reported, and the cursor left alone. False when the record could not be shown.
    """
    kind = Kind(kind)
    screen = await _show_mode(app, MODE_OF_KIND[kind])
    tables = screen.query(RecordTable) if screen is not None else None
    if screen is None or not tables:
        return False
    table = tables.first(RecordTable)
    if not table.has_row(record_id):
        app.notify(f"There is no {kind.singular} {visible(record_id)} now (deleted, or renamed?).", markup=False)
        return False
    if record_id not in {row.key for row in table.shown}:
        box = _filter_box(screen)
        words = table.filter_text
        if box is not None:
            with box.prevent(Input.Changed):
                box.value = ""
        table.filter("")
        app.notify(f"Cleared the filter “{visible(words)}” to show it.", markup=False)
    table.move_to(record_id)
    table.focus()
    return True


async def open_filtered(app: App[Any], kind: Kind | str, text: str) -> None:
    """Show the list for kind filtered by text (e.g. `stage:meeting`), with the table focused."""
    screen = await _show_mode(app, MODE_OF_KIND[Kind(kind)])
    if screen is None:
        return
    box = _filter_box(screen)
    tables = screen.query(RecordTable)
    if box is None or not tables:
        return
    box.value = text
    table = tables.first(RecordTable)
    table.filter(text)
    table.focus()
