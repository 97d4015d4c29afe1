"""While a large repo is still loading, a list says it is loading, not that there is nothing in it."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Static

from allytui.store.repo import DataRepo
from allytui.tui import app as app_module
from allytui.tui.app import AllytuiApp
from allytui.tui.widgets.pipeline import Pipeline
from tests.ui.conftest import TODAY, settle


class NeverLoaded(AllytuiApp):
    """The app with its load still under way for good (the records never arrive)."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def _load(self) -> None:
        return


async def test_a_list_says_loading_until_the_records_arrive(sample_repo: DataRepo) -> None:
    app = NeverLoaded(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        detail = str(app.screen.query_one("#detail", Static).render())
        assert app.loaded is None
        assert "Loading…" in detail and "Nothing here yet" not in detail


async def test_the_pipeline_shows_no_count_until_the_records_arrive(sample_repo: DataRepo) -> None:
    """Not a 0 for every stage (the repo has allied groups): "…" until the counts are known."""
    app = NeverLoaded(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pipe = app.screen.query_one(Pipeline)
        assert app.loaded is None
        assert "…" in str(pipe.render()) and not re.search(r"\b0\b", str(pipe.render()))
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = str(app.screen.query_one(Pipeline).render())
        assert "…" not in shown and re.search(r"allied\s+[1-9]", shown)
