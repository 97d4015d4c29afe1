"""At 80x24 the list filter says what it could not read, naming the field or value most like what was typed."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from allytui.tui.app import AllytuiApp
from tests.ui.test_screens import filter_list, shown_text


async def test_a_filter_typo_names_the_field_or_value_meant(pilot: Pilot[None], app: AllytuiApp) -> None:
    await pilot.press("2")
    table = await filter_list(pilot, "stage:contactd")
    problem = app.screen.query_one("#filter-problem", Static)
    assert table.shown == [] and problem.display
    said = shown_text(problem)
    assert "stage: no stage is “contactd”; did you mean contacted?" in said
    table = await filter_list(pilot, "catgory:faith")
    said = shown_text(problem)
    assert "catgory: is not a field here; did you mean category? (the fields are" in said
    table = await filter_list(pilot, "due:..31/12/2026")
    assert table.shown and not problem.display
