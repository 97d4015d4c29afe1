"""In a form only the form's keys act: no key quits, switches screen or opens another screen behind its back."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from allytui.model.records import Partner as PartnerModel
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.changes import ChangesScreen
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.conflicts import ConflictsScreen
from allytui.tui.screens.help import HelpScreen
from allytui.tui.screens.part_form import PartForm
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.screens.sync import SyncScreen
from allytui.tui.widgets.flags import ChoiceBoxes, FlagBox
from tests.ui.conftest import settle

# a Select, a checkbox, a row of checkboxes and a picker list: none of them takes letters or digits as text
FOCUS = ["#field-stage", "#field-national_contact", "#field-shortlist_reasons", "#field-lead"]


def focusable(form: RecordForm, selector: str) -> Widget:
    widget = form.query_one(selector)
    if isinstance(widget, ChoiceBoxes):
        return widget.query(FlagBox).first()
    if not widget.can_focus:
        return next(w for w in widget.query("*") if w.can_focus)
    return widget


async def open_group_form(pilot: Pilot[None]) -> RecordForm:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    return form


@pytest.mark.parametrize("selector", FOCUS)
@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_app_keys_do_nothing_in_a_form(app: AllytuiApp, pilot: Pilot[None], selector: str) -> None:
    form = await open_group_form(pilot)
    focusable(form, selector).focus()
    await pilot.pause()
    for key in ("q", "1", "4", "0", "S", "u", "C", "ctrl+r", "ctrl+c"):
        await pilot.press(key)
        await settle(pilot)
        assert app.is_running, key
        assert app.current_mode == "groups", key
        assert app.screen is form, (key, app.screen)
    assert not any(isinstance(s, SyncScreen | ChangesScreen | ConflictsScreen) for s in app.screen_stack)


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_help_and_save_still_act_in_a_form(app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo) -> None:
    form = await open_group_form(pilot)
    form.query_one("#field-stage", Select).focus()
    await pilot.press("f1")
    await settle(pilot)
    assert isinstance(app.screen, HelpScreen)
    shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
    quit_key = app.get_key_display(Binding("ctrl+q", "quit"))  # as the footer and the palette show it
    assert "Save" in shown and "Back" in shown and quit_key in shown
    assert "Dashboard" not in shown and "Sync" not in shown  # those keys do nothing in a form
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is form
    form.query_one("#field-next_action", Input).value = "Ring them"
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not isinstance(app.screen, RecordForm)
    assert 'next_action = "Ring them"' in "".join(p.read_text() for p in (sample_repo.root / "groups").glob("*.toml"))


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_ctrl_q_with_a_changed_form_asks_first(app: AllytuiApp, pilot: Pilot[None]) -> None:
    form = await open_group_form(pilot)
    form.query_one("#field-next_action", Input).value = "Ring them"
    form.query_one("#field-stage", Select).focus()
    await pilot.press("ctrl+q")
    await settle(pilot)
    assert app.is_running
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("n")  # keep editing
    await settle(pilot)
    assert app.screen is form and app.is_running
    await pilot.press("ctrl+q")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot)
    assert app.return_code == 0 or not app.is_running


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_ctrl_q_with_an_unchanged_form_quits(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await open_group_form(pilot)
    await pilot.press("ctrl+q")
    await settle(pilot)
    assert not app.is_running


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_q_on_a_list_screen_still_quits(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("q")
    await settle(pilot)
    assert not app.is_running


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_palette_quit_with_a_changed_form_asks_first(app: AllytuiApp, pilot: Pilot[None]) -> None:
    form = await open_group_form(pilot)
    form.query_one("#field-next_action", Input).value = "Ring them"
    await app.run_action("quit")
    await settle(pilot)
    assert app.is_running and isinstance(app.screen, ConfirmScreen)


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_no_palette_command_leaves_a_form(app: AllytuiApp, pilot: Pilot[None]) -> None:
    form = await open_group_form(pilot)
    titles = {c.title for c in app.get_system_commands(form)}
    for gone in ("Dashboard", "People", "Sync", "Conflicts", "Uncommitted"):
        assert gone not in titles, gone
    assert "Save" in titles and "Help" in titles


@pytest.mark.parametrize("app_size", [(100, 40)])
async def test_part_form_asks_before_escape_loses_typing_and_keeps_keys_to_itself(
    app: AllytuiApp, pilot: Pilot[None]
) -> None:
    part = PartForm(PartnerModel, {}, app.candidates)
    results: list[object] = []
    app.push_screen(part, results.append)
    await settle(pilot)
    await pilot.press("escape")  # nothing typed yet: just closes
    await settle(pilot)
    assert results == [None]
    part = PartForm(PartnerModel, {}, app.candidates)
    app.push_screen(part, results.append)
    await settle(pilot)
    part.query_one("#field-role", Input).value = "hosts the stall"
    part.query_one("#field-agreed").focus()
    for key in ("1", "S", "q"):
        await pilot.press(key)
        await settle(pilot)
        assert app.is_running and app.screen is part and app.current_mode == "dashboard", key
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("n")
    await settle(pilot)
    assert app.screen is part
    await pilot.press("ctrl+q")
    await settle(pilot)
    assert app.is_running and isinstance(app.screen, ConfirmScreen)
