"""Going from one screen to a record (or a filtered list) on another: switch mode, then select."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import Input

from allytui.model.records import Kind
from allytui.tui.widgets.record_table import RecordTable

MODE_OF_KIND: dict[Kind, str] = {
    Kind.TEAMS: "team",
    Kind.GROUPS: "groups",
    Kind.PEOPLE: "people",
    Kind.CONVERSATIONS: "conversations",
    Kind.ACTIVITIES: "activities",
}


def _filter_box(app: App[Any]) -> Input | None:
    boxes = app.screen.query("Input#filter")
    return boxes.first(Input) if boxes else None


async def open_record(app: App[Any], kind: Kind | str, record_id: str) -> None:
    """Show the screen for kind with record_id highlighted, clearing a filter that hides it."""
    await app.switch_mode(MODE_OF_KIND[Kind(kind)])
    tables = app.screen.query(RecordTable)
    if not tables:
        return
    table = tables.first(RecordTable)
    if record_id not in {row.key for row in table.shown}:
        box = _filter_box(app)
        if box is not None:
            box.value = ""
        table.filter("")
    table.move_to(record_id)
    table.focus()


async def open_filtered(app: App[Any], kind: Kind | str, text: str) -> None:
    """Show the list for kind filtered by text (e.g. `stage:meeting`), with the table focused."""
    await app.switch_mode(MODE_OF_KIND[Kind(kind)])
    box = _filter_box(app)
    tables = app.screen.query(RecordTable)
    if box is None or not tables:
        return
    box.value = text
    table = tables.first(RecordTable)
    table.filter(text)
    table.focus()
