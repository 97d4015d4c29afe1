"""The Pathways section of a group's and a person's details, in the real app on the sample data."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from allytui.model import pathways
from allytui.model.records import Kind
from allytui.store.repo import DataRepo
from allytui.tui import app as app_module
from allytui.tui.app import AllytuiApp
from allytui.tui.details import record_detail
from allytui.tui.widgets.record_table import RecordTable
from tests.ui.conftest import TODAY, settle


def section(detail: str) -> list[str]:
    """The lines of the Pathways section, up to the next heading's blank line."""
    lines = detail.splitlines()
    start = lines.index("Pathways")
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start + 1 : end]


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_group_details_show_pathways_or_the_ways_in(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)
    table = app.screen.query_one(RecordTable)
    detail = app.screen.query_one("#detail", Static)

    table.move_to("st-marys-church")
    await settle(pilot)
    lines = section(str(detail.render()))
    assert len(lines) == 3
    assert lines[0] == "• Gareth Lewis —knows (Member of the congregation for 20 years, close)→ St Mary's Parish Church"
    assert all(line.startswith("• ") and line.endswith("→ St Mary's Parish Church") for line in lines)

    table.move_to("arle-valley-motor-club")
    await settle(pilot)
    lines = section(str(detail.render()))
    assert lines[0] == "No path from our members yet. Other ways in (the guide's step 5):"
    assert len(lines) == 4 and lines[1].startswith("• Ask for a one-to-one with their leaders")

    table.move_to("neu-western-region")
    await settle(pilot)
    shown = str(detail.render())
    assert "National contact: route via the national relationships team" in shown.splitlines()[2]
    assert section(shown)[0].startswith("• Tom Hargreaves —knows")

    await pilot.press("3")
    await settle(pilot)
    people = app.screen.query_one(RecordTable)
    people.move_to("stephen-marsh")
    await settle(pilot)
    shown = str(app.screen.query_one("#detail", Static).render())
    assert section(shown) == ["• Tom Hargreaves —knows (Canvassed together once, acquaintance)→ Stephen Marsh"]
    people.move_to("maya-okafor")
    await settle(pilot)
    assert "Pathways" not in str(app.screen.query_one("#detail", Static).render())  # one of ours


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_a_large_repos_pathways_follow_the_first_detail(
    sample_repo: DataRepo, app_size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From GRAPH_IN_WORKER_FROM people the graph is built in a worker: the first detail after a load says the
    pathways are coming, then shows the same ones a detail drawn with the graph at once shows."""
    monkeypatch.setattr(app_module, "GRAPH_IN_WORKER_FROM", 0)  # the sample data has a few dozen people
    monkeypatch.setattr(app_module, "GRAPH_AFTER", 0.01)
    monkeypatch.setattr(pathways, "_last_graph", None)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=app_size) as pilot:
        await settle(pilot)
        assert app.loaded is not None
        pending = record_detail(
            app.loaded.records[Kind.GROUPS]["st-marys-church"], app.loaded.records, TODAY, str, graph_pending=True
        )
        assert section(pending.plain) == ["finding who of us can reach them…"]
        monkeypatch.setattr(pathways, "_last_graph", None)  # as right after a load
        await pilot.press("2")
        await settle(pilot)
        first = section(str(app.screen.query_one("#detail", Static).render()))
        assert first and first != ["finding who of us can reach them…"]  # drawn again once the graph was built
        table = app.screen.query_one(RecordTable)
        table.move_to("st-marys-church")
        await settle(pilot)
        shown = section(str(app.screen.query_one("#detail", Static).render()))
        assert pathways.built_graph(app.loaded.records) is not None
        assert len(shown) == 3 and shown[0].startswith("• Gareth Lewis —knows")
