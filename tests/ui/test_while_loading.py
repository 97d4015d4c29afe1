"""While a large repo is still loading, a list says it is loading, not that there is nothing in it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from allytui.store.repo import DataRepo
from allytui.tui import app as app_module
from allytui.tui.app import AllytuiApp
from tests.ui.conftest import TODAY


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
