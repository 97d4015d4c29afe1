"""Snapshots of the power map on the sample data: at 80x24 (crowded cells collapsed), at 120x40, and a
crowded cell listed. Accept changes with `pytest tests/snapshots/test_power_map_snapshots.py
--snapshot-update` after reviewing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.power_map import MapScreen
from tests.ui.conftest import TODAY, settle

NARROW = (80, 24)
WIDE = (120, 40)

RunBefore = Callable[[Pilot[None]], Awaitable[None]]
SnapCompare = Callable[..., bool]


def on_map(*presses: str) -> RunBefore:
    """Wait for the data, open the map, then press keys one at a time."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        if "map" not in AllytuiApp.MODES:  # until the app registers the screen itself
            app.add_mode("map", MapScreen)
        await settle(pilot)
        await app.switch_mode("map")
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestPowerMap:
    def test_map(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """Every quadrant has marks; crowded cells show a count; the legend and axis fit."""
        assert snap_compare(AllytuiApp(sample_repo, today=TODAY), terminal_size=NARROW, run_before=on_map())

    def test_map_wide(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(AllytuiApp(sample_repo, today=TODAY), terminal_size=WIDE, run_before=on_map())

    def test_crowded_cell_listed(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """Into a crowded cell of influential allies, then x lists all of it, the selected one highlighted."""
        run_before = on_map("right", "right", "right", "down", "down", "down", "x")
        assert snap_compare(AllytuiApp(sample_repo, today=TODAY), terminal_size=NARROW, run_before=run_before)
