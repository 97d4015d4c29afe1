"""Fixtures for driving the real app on a throwaway git copy of the sample data (`sample_repo`), with a fixed today."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from textual.pilot import Pilot

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.messages import ASK

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def app_size() -> tuple[int, int]:
    """The terminal the `pilot` fixture starts the app in; a test parametrizes app_size for another."""
    return (80, 24)


@pytest.fixture
async def pilot(sample_repo: DataRepo, app_size: tuple[int, int]) -> AsyncIterator[Pilot[None]]:
    """The app running on the sample data, started and settled on its first screen."""
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=app_size) as pilot:
        await settle(pilot)
        yield pilot


@pytest.fixture
def app(pilot: Pilot[None]) -> AllytuiApp:
    """The app the `pilot` fixture drives."""
    assert isinstance(pilot.app, AllytuiApp)
    return pilot.app


async def settle(pilot: Pilot[None]) -> None:
    """Let workers (loads, saves, commits) finish and the screen catch up. A worker's failure is the app's to
    report (its worker handler), so it is waited for here, not raised. A flow that asks a question waits for
    the answer: it is settled once it is asking (`app.asking`), or done."""
    for _ in range(3):
        for _ in range(200):
            others = [w for w in pilot.app.workers if w.group != ASK]
            await asyncio.gather(*(worker.wait() for worker in others), return_exceptions=True)
            asking = getattr(pilot.app, "asking", set())
            if all(w.is_finished or w in asking for w in pilot.app.workers if w.group == ASK):
                break
            await pilot.pause(0.01)
        await pilot.pause()
