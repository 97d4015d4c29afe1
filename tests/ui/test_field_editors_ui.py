"""The form edits each field by its shape: red lines one per line (commas kept), tags comma-separated."""

from __future__ import annotations

import tomllib

from textual.widgets import Input, TextArea

from allytui.model.records import Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.record_form import RecordForm
from tests.ui.conftest import TODAY, settle
from tests.ui.test_editing import open_groups


async def test_red_lines_with_commas_and_tags_save_as_typed(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-red_lines", TextArea).text = "no fossil fuel sponsors, ever\n\n  no party politics  \n"
        form.query_one("#field-tags", Input).value = "lgbtq, , youth ,"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
    data = tomllib.loads((sample_repo.root / "groups" / "riverton-pride.toml").read_text())
    assert data["red_lines"] == ["no fossil fuel sponsors, ever", "no party politics"]
    assert data["tags"] == ["lgbtq", "youth"]
    group = app.loaded.records[Kind.GROUPS]["riverton-pride"]
    assert list(getattr(group, "red_lines", [])) == data["red_lines"]
