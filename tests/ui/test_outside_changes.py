"""Changes made outside the app (the CLI, another app, a hand edit) are never overwritten, and are noticed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Static

from allytui.cli.main import main
from allytui.model.records import FieldConflict, Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.clash import ClashScreen
from allytui.tui.screens.conflicts import ConflictsScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.flags import ChoiceBoxes, FlagBox
from allytui.tui.widgets.record_table import RecordTable
from tests.helpers import commit_count, git
from tests.ui.conftest import TODAY, settle
from tests.ui.test_editing import open_groups

PRIDE = "groups/riverton-pride.toml"


def cli_set(root: Path, *assignments: str, target: str = "groups/riverton-pride") -> None:
    assert main(["--repo", str(root), "set", target, *assignments]) == 0


def subject(root: Path) -> str:
    return git(root, "log", "-1", "--format=%s").strip()


async def open_form(pilot: Pilot[None], filter_text: str) -> RecordForm:
    table = await open_groups(pilot, filter_text)
    table.focus()
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    return form


async def test_a_form_save_keeps_a_field_set_from_the_cli_meanwhile(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        cli_set(sample_repo.root, "next_action=cli step")  # in another shell, while the app shows Groups
        form = await open_form(pilot, "")
        form.query_one("#field-name", Input).value = "Riverton Pride Renamed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        shown = app.loaded.get(Kind.GROUPS, "riverton-pride")
        assert isinstance(shown, Group) and shown.next_action == "cli step"
    saved = sample_repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(saved, Group)
    assert (saved.name, saved.next_action) == ("Riverton Pride Renamed", "cli step")
    assert subject(sample_repo.root) == "group riverton-pride: name"


async def test_a_field_both_changed_is_asked_about_never_overwritten(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "pride")
        cli_set(sample_repo.root, "next_action=cli step")
        commits = commit_count(sample_repo.root)
        form.query_one("#field-next_action", Input).value = "form step"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ClashScreen)
        assert "cli step" in str(dialog.query_one("#theirs-0", RadioButton).label)
        assert commit_count(sample_repo.root) == commits  # nothing written while the question is open
        await pilot.press("escape")  # back to the form: nothing lost, nothing saved
        await settle(pilot)
        assert app.screen is form and form.query_one("#field-next_action", Input).value == "form step"
        assert commit_count(sample_repo.root) == commits

        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ClashScreen)
        dialog.query_one("#theirs-0", RadioButton).value = True  # take the CLI's value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, (RecordForm, ClashScreen))
    saved = sample_repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(saved, Group) and saved.next_action == "cli step"
    assert commit_count(sample_repo.root) == commits  # their value kept, and nothing else changed


async def test_saving_an_untouched_form_changes_nothing(sample_repo: DataRepo) -> None:
    path = sample_repo.root / "groups" / "al-noor-mosque.toml"
    before, commits = path.read_bytes(), commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_form(pilot, "al-noor")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
    assert path.read_bytes() == before and commit_count(sample_repo.root) == commits


async def test_ticking_a_reason_does_not_reorder_the_others(sample_repo: DataRepo) -> None:
    path = sample_repo.root / "groups" / "al-noor-mosque.toml"
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "al-noor")
        boxes = form.query_one("#field-shortlist_reasons", ChoiceBoxes)
        unticked = next(b for b in boxes.query(FlagBox) if not b.value)
        unticked.value = True
        form.query_one("#field-area", Input).value = "Station Road North"
        await pilot.press("ctrl+s")
        await settle(pilot)
    diff = git(sample_repo.root, "show", "--format=%s", "-U0", "HEAD")
    assert diff.splitlines()[0] == "group al-noor-mosque: area; shortlist_reasons"
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == ['-area = "Station Road"']  # the three reasons it had stay where they were
    assert '    "local_influence",\n    "' in path.read_text()


async def test_selected_row_survives_a_reload(app: AllytuiApp, pilot: Pilot[None]) -> None:
    table = await open_groups(pilot)
    table.focus()
    for _ in range(3):
        await pilot.press("down")
    chosen = table.current_key
    assert chosen is not None
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert app.screen.query_one(RecordTable).current_key == chosen


def notifications(app: AllytuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def wait_for_watcher(pilot: Pilot[None]) -> None:
    """Long enough for the once-a-second look at the repo, its reload, and the screen to catch up."""
    for _ in range(2):
        await pilot.pause(1.2)
        await settle(pilot)


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_a_change_from_the_cli_is_noticed_and_shown(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    table = await open_groups(pilot)
    table.focus()
    for _ in range(3):
        await pilot.press("down")
    chosen = table.current_key
    cli_set(sample_repo.root, "next_action=cli step")
    await wait_for_watcher(pilot)
    group = app.loaded.get(Kind.GROUPS, "riverton-pride")
    assert isinstance(group, Group) and group.next_action == "cli step"
    assert any(
        "group riverton-pride was changed outside allytui" in n and n.startswith("Reloaded") for n in notifications(app)
    )
    assert app.screen.query_one(RecordTable).current_key == chosen  # the cursor stays on its record


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_a_hand_edit_and_a_deletion_are_noticed(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    path = sample_repo.root / PRIDE
    with path.open("a") as handle:  # written in place, as nano does
        handle.write('notes = "added by hand"\n')
    (sample_repo.root / "groups" / "al-noor-mosque.toml").unlink()
    await wait_for_watcher(pilot)
    group = app.loaded.get(Kind.GROUPS, "riverton-pride")
    assert isinstance(group, Group) and group.notes == "added by hand"
    assert app.loaded.get(Kind.GROUPS, "al-noor-mosque") is None
    assert any("group al-noor-mosque, group riverton-pride were changed" in n for n in notifications(app))


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_the_apps_own_saves_are_not_reported_as_outside_changes(app: AllytuiApp, pilot: Pilot[None]) -> None:
    form = await open_form(pilot, "pride")
    form.query_one("#field-area", Input).value = "Old Town"
    await pilot.press("ctrl+s")
    await wait_for_watcher(pilot)
    assert not any("outside allytui" in n for n in notifications(app))


@pytest.mark.parametrize("app_size", [(100, 30)])
async def test_reload_is_in_the_footer(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await open_groups(pilot)
    assert any(b.action == "reload" and b.show for _, b, _, _ in app.screen.active_bindings.values())


async def test_marking_on_the_shortlist_keeps_a_change_made_meanwhile(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.switch_mode("shortlist")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        table.move_to("arle-valley-motor-club")
        cli_set(sample_repo.root, "next_action=cli step", target="groups/arle-valley-motor-club")
        await pilot.press("m")
        await settle(pilot)
    saved = sample_repo.read(Kind.GROUPS, "arle-valley-motor-club")
    assert isinstance(saved, Group) and (saved.stage.value, saved.next_action) == ("shortlisted", "cli step")
    assert subject(sample_repo.root) == "group arle-valley-motor-club: stage researched → shortlisted"


async def test_settling_a_sync_conflict_keeps_a_change_made_meanwhile(sample_repo: DataRepo) -> None:
    conflict = FieldConflict(field="stage", other='"contacted"', author="Ana", commit="0123456789ab")
    pride = sample_repo.read(Kind.GROUPS, "riverton-pride")
    sample_repo.save(pride.model_copy(update={"conflicts": [conflict]}))
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        cli_set(sample_repo.root, "area=Old Town")
        await pilot.press("o")  # take the other value
        await settle(pilot)
    saved = sample_repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(saved, Group)
    assert (saved.stage.value, saved.area, saved.conflicts) == ("contacted", "Old Town", [])


def editor_racing_the_cli(tmp_path: Path, root: Path, cli_assignment: str, edit: str) -> str:
    """An editor that reads the file, waits while the CLI commits a change to it, then writes back its
    whole buffer with the user's edit (a sed expression), as every editor does."""
    script = tmp_path / "racing-editor.sh"
    script.write_text(
        "#!/bin/sh\nset -e\n"
        'buffer=$(mktemp)\ncp "$1" "$buffer"\n'
        f"{sys.executable} -m allytui --repo {root} set groups/riverton-pride '{cli_assignment}' >/dev/null\n"
        f'sed \'{edit}\' "$buffer" > "$1"\n'
    )
    script.chmod(0o755)
    return str(script)


async def test_a_hand_edit_keeps_a_change_committed_while_the_editor_was_open(
    sample_repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = editor_racing_the_cli(
        tmp_path, sample_repo.root, "next_action=cli step", "s/^influence = .*/influence = 5/"
    )
    monkeypatch.setenv("VISUAL", editor)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("e")
        await settle(pilot)
    saved = sample_repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(saved, Group) and (saved.influence, saved.next_action) == (5, "cli step")
    assert subject(sample_repo.root).startswith("group riverton-pride: influence")
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_a_hand_edit_of_the_same_field_is_asked_about(
    sample_repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "VISUAL",
        editor_racing_the_cli(tmp_path, sample_repo.root, "area=Old Town", 's/^area = .*/area = "Hand Town"/'),
    )
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ClashScreen)
        assert "while your editor was open" in str(dialog.query_one(".question", Static).render())
        assert subject(sample_repo.root) == "group riverton-pride: area"  # the CLI's commit, not undone
        await pilot.press("ctrl+s")  # keep mine
        await settle(pilot)
    saved = sample_repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(saved, Group) and saved.area == "Hand Town"
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_a_file_broken_by_hand_while_the_form_is_open_is_not_overwritten(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    path = sample_repo.root / PRIDE
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "pride")
        broken = path.read_text() + 'stage = "twice"\n'  # a key given twice: a half-finished hand edit
        path.write_text(broken)
        form.query_one("#field-area", Input).value = "Old Town"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.query_one("#field-area", Input).value == "Old Town"
        assert any(f"{PRIDE} was changed outside allytui and now has problems" in n for n in notifications(app))
    assert path.read_text() == broken
