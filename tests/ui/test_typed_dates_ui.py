"""The form's date inputs take dates as people type them (31/12/2026, tomorrow), at 80x24."""

from __future__ import annotations

import datetime as dt
import tomllib

from textual.pilot import Pilot
from textual.widgets import Input, Static

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.record_form import RecordForm
from tests.ui.conftest import settle
from tests.ui.test_editing import open_groups


async def _edit_due(pilot: Pilot[None], typed: str) -> RecordForm:
    await open_groups(pilot, "pride")
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    form.query_one("#field-next_action_due", Input).value = typed
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form


async def test_a_day_first_date_saves_as_that_day(pilot: Pilot[None], sample_repo: DataRepo) -> None:
    await _edit_due(pilot, "31/12/2026")
    assert not isinstance(pilot.app.screen, RecordForm)
    data = tomllib.loads((sample_repo.root / "groups" / "riverton-pride.toml").read_text())
    assert data["next_action_due"] == dt.date(2026, 12, 31)


async def test_tomorrow_saves_as_tomorrow(pilot: Pilot[None], sample_repo: DataRepo) -> None:
    await _edit_due(pilot, "tomorrow")
    data = tomllib.loads((sample_repo.root / "groups" / "riverton-pride.toml").read_text())
    assert data["next_action_due"] == dt.date.today() + dt.timedelta(days=1)


async def test_a_bad_date_says_how_to_write_one(pilot: Pilot[None], app: AllytuiApp, sample_repo: DataRepo) -> None:
    before = (sample_repo.root / "groups" / "riverton-pride.toml").read_text()
    form = await _edit_due(pilot, "31/13/2026")
    assert app.screen is form
    error = str(form.query_one("#error-field-next_action_due", Static).render())
    assert error == "not a date; write YYYY-MM-DD or DD/MM/YYYY (or today, tomorrow)"
    assert (sample_repo.root / "groups" / "riverton-pride.toml").read_text() == before
