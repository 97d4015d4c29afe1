"""Keys people can change: a keymap in the member's config file moves keys everywhere they are shown."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static

from allytui.model.records import FieldConflict, Kind
from allytui.store.loader import load_repo
from allytui.store.location import config_path
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.details import record_detail
from allytui.tui.keymap import usual_key
from allytui.tui.messages import EditRecord
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.help import HelpScreen, home_relative
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.tab_bar import TabBar
from tests.helpers import SAMPLE_DATA
from tests.ui.conftest import TODAY, settle


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def marking_editor(tmp_path: Path) -> Path:
    """An $EDITOR that only notes which file it was given (the record stays as it was: nothing to commit)."""
    log = tmp_path / "edited.log"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    return log


def footer_text(app: AllytuiApp) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.children)


def help_text(app: AllytuiApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_a_remapped_key_acts_and_the_old_one_does_not(
    sample_repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = marking_editor(tmp_path)
    monkeypatch.setenv("VISUAL", str(tmp_path / "editor.sh"))
    write_config('[keys]\neditor = "ctrl+e"\n')
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not log.exists()  # e is the usual key, no longer this one
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert log.read_text().strip().endswith(".toml")
        assert "^e Editor" in footer_text(app) and " e Editor" not in footer_text(app)
        await pilot.press("question_mark")
        await settle(pilot)
        shown = help_text(app)
        assert "^e" in shown and "Editor" in shown
        assert home_relative(config_path()) in shown and "editor = ^e" in shown


async def test_a_remapped_quit_key_quits_but_never_from_a_form(sample_repo: DataRepo) -> None:
    write_config('[keys]\nquit = "x"\n')
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running  # q is free now
        assert "x Quit" in footer_text(app)
        assert any(c.title == "Quit" and c.help == "key: x" for c in app.get_system_commands(app.screen))
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-stage", Select).focus()
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert app.is_running and app.screen is form  # in a form the quit key is a letter, and does nothing
        form.query_one("#field-next_action", Input).value = "Ring them"
        form.query_one("#field-stage", Select).focus()
        await pilot.press("ctrl+q")  # the quit that does act in a form still asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):  # leave without saving
            await pilot.press("y")
            await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        await pilot.press("x")
        await settle(pilot)
        assert not app.is_running


async def test_a_bad_config_file_is_named_and_the_app_starts_with_the_usual_keys(sample_repo: DataRepo) -> None:
    path = write_config('[keys]\nquit = "ctl+x"\nno-such-binding = "z"\nhelp = "f2"\n')
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        text = "\n".join(notices)
        assert f"{path}: keys.quit" in text and "'ctl' is not a modifier" in text
        assert f"{path}: keys.no-such-binding: no key binding has that id" in text
        await pilot.press("f2")  # the good entry still applies
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")  # the bad one left quit as it was
        await settle(pilot)
        assert not app.is_running


async def test_a_config_that_is_not_toml_leaves_every_key_as_usual(sample_repo: DataRepo) -> None:
    path = write_config("[keys\nquit = 'x'\n")
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = "\n".join(n.message for n in app._notifications)
        assert f"{path}:1: TOML syntax" in text
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Every key is the usual one." in help_text(app)


async def test_a_key_given_to_two_bindings_is_reported(sample_repo: DataRepo) -> None:
    write_config('[keys]\nfilter = "n"\n')  # n is New on the lists
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        text = "\n".join(n.message for n in app._notifications)
        assert "keys.filter: n is already New on RecordList" in text and "which loses it there" in text
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).has_focus  # the keymap's choice wins


REMAPPED = """[keys]
filter = "ctrl+f"
clear-filter = "ctrl+g"
shortlist-all = "z"
save = "f2"
form-leave = "f3"
confirm-yes = "o"
table-down = "J"
table-up = "K"
screen-map = "f5"
"""
HINTS_REMAPPED = {
    "groups filter": "ctrl+f to filter",
    "form": "f2 save · f3 back",
    "confirm": "(o)",
    "shortlist": "· z: all",
    "map filter": "ctrl+f filter: kind:",
    "map status": "(ctrl+g clears it)",
    "help": "arrow keys or J/K",
    "tab bar": "f5 Map",
}
HINTS_USUAL = {
    "groups filter": "/ to filter",
    "form": "ctrl+s save · escape back",
    "confirm": "(y)",
    "shortlist": "· a: all",
    "map filter": "/ filter: kind:",
    "map status": "(escape clears it)",
    "help": "arrow keys or j/k",
    "tab bar": "0 Map",
}


async def hints_on_screens(app: AllytuiApp, pilot: Pilot[None]) -> dict[str, str]:
    """The hint text that names keys, read from the Groups list, its form and delete dialog, the shortlist, the
    power map, its tab bar and help, as a member sees them."""
    seen: dict[str, str] = {}
    await pilot.press("2")
    await settle(pilot)
    seen["groups filter"] = app.screen.query_one("#filter", Input).placeholder
    app.screen.post_message(EditRecord(Kind.GROUPS, None))  # the form (its key is not remapped here)
    await settle(pilot)
    assert isinstance(app.screen, RecordForm)
    seen["form"] = str(app.screen.query_one("#form-hint", Static).render())
    app.screen.dismiss(None)
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(app.screen, ConfirmScreen)
    seen["confirm"] = str(app.screen.query_one("#yes", Button).label)
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("9")
    await settle(pilot)
    seen["shortlist"] = str(app.screen.query_one("#shortlist-summary", Static).render())
    await app.switch_mode("map")
    await settle(pilot)
    seen["tab bar"] = str(app.screen.query_one(TabBar).render())
    box = app.screen.query_one("#filter", Input)
    seen["map filter"] = box.placeholder
    box.value = "no-such-word-anywhere"
    await settle(pilot)
    seen["map status"] = str(app.screen.query_one("#map-status", Static).render())
    app.action_help()
    await settle(pilot)
    seen["help"] = help_text(app)
    return seen


@pytest.mark.parametrize(("config", "hints"), [(REMAPPED, HINTS_REMAPPED), (None, HINTS_USUAL)])
async def test_hints_name_the_keys_in_force(sample_repo: DataRepo, config: str | None, hints: dict[str, str]) -> None:
    if config is not None:
        write_config(config)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen = await hints_on_screens(app, pilot)
    for where, hint in hints.items():
        assert hint in seen[where], (where, seen[where])


def test_hints_built_away_from_the_app_name_the_keys_they_are_given() -> None:
    index = load_repo(SAMPLE_DATA).records
    person = next(iter(index[Kind.PEOPLE].values()))
    conflict = FieldConflict(field="contact.email", other='"someone@example.org"', author="Sam")
    conflicted = person.model_copy(update={"conflicts": [conflict]})
    given = {"conflicts": "ctrl+k", "reveal": "R"}
    remapped = record_detail(conflicted, index, TODAY, lambda binding_id: given.get(binding_id, "?")).plain
    assert "contact details; ctrl+k, then R, shows it" in remapped and "ctrl+k chooses between the values" in remapped
    usual = record_detail(conflicted, index, TODAY, usual_key).plain
    assert "contact details; C, then v, shows it" in usual and "someone@example.org" not in usual
