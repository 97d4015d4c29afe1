"""Filtering as you type looks among the last matches only when the filter narrows them: every keystroke,
backspace or a field that widens still shows exactly what the whole filter shows on every row."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from allytui.tui.app import AllytuiApp
from allytui.tui.rows import select
from allytui.tui.widgets.record_table import RecordTable
from tests.ui.conftest import settle

KEYS = {" ": "space", ":": "colon", ".": "full_stop", ">": "greater_than_sign", "=": "equals_sign"}


def from_scratch(table: RecordTable) -> list[str]:
    """The keys the table's whole filter lets through, looking at every row."""
    return [row.key for row in select(table._all, table.columns, table.wanted)]


async def test_each_keystroke_shows_what_the_whole_filter_shows(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)
    table = app.screen.query_one(RecordTable)
    box = app.screen.query_one("#filter", Input)
    everyone = len(table.shown)
    await pilot.press("slash")
    seen: list[tuple[str, int]] = []
    # typing on narrows; backspace, a range after a number, a second value for a field and a word made
    # shorter all widen again
    for step in ["food", "backspace", "backspace", " influence:3", "..5", ",1", " stage:", "backspace"] * 1:
        keys = [step] if step == "backspace" else [KEYS.get(c, c) for c in step]
        for key in keys:
            await pilot.press(key)
            assert [row.key for row in table.shown] == from_scratch(table), box.value
            seen.append((box.value, len(table.shown)))
    counts = dict(seen)
    assert counts["fo influence:3"] < counts["fo influence:3..5"] < everyone, seen
    assert counts["fo influence:3..5"] < counts["fo influence:3..5,1"], seen
    assert counts["f"] > counts["food"] > 0, seen
