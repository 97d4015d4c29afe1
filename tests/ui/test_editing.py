"""Editing as an organiser does it, driven through the real app: forms, conversations, delete, $EDITOR."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from allytui.model.enums import Stage
from allytui.model.records import Conversation, Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.changes import ChangesScreen
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.record_table import RecordTable
from tests.helpers import commit_count, git
from tests.ui.conftest import TODAY, settle


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


def last_commit(repo: DataRepo) -> tuple[str, str, list[str]]:
    subject, author = git(repo.root, "log", "-1", "--format=%s%n%an").splitlines()
    files = git(repo.root, "show", "--format=", "--name-only", "HEAD").split()
    return subject, author, files


async def open_groups(pilot: Pilot[None], filter_text: str = "") -> RecordTable:
    await pilot.press("2")
    await settle(pilot)
    if filter_text:
        await pilot.press("slash")
        await type_text(pilot, filter_text)
        await pilot.press("enter")
    return pilot.app.screen.query_one(RecordTable)


async def test_create_a_group_in_the_form(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "Riverton Cycle Club")  # the name field has focus
        assert form.query_one("#record-id", Input).value == "riverton-cycle-club"
        form.query_one("#field-category", Select).value = "sports"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        assert "riverton-cycle-club" in app.loaded.records[Kind.GROUPS]
        assert app.screen.query_one(RecordTable).current_key == "riverton-cycle-club"  # the list selects it
    text = (sample_repo.root / "groups" / "riverton-cycle-club.toml").read_text()
    assert text == 'name = "Riverton Cycle Club"\ncategory = "sports"\n'
    assert last_commit(sample_repo) == (
        "group riverton-cycle-club: created",
        "Test Organiser",
        ["groups/riverton-cycle-club.toml"],
    )


async def test_a_validation_error_shows_beside_its_field_then_the_fix_saves(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    path = sample_repo.root / "groups" / "riverton-pride.toml"
    before_text, before_commits = path.read_text(), commit_count(sample_repo.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = await open_groups(pilot, "pride")
        assert [row.key for row in table.shown] == ["riverton-pride"]
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        influence = form.query_one("#field-influence", Input)
        influence.value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # not saved, still editing
        error = form.query_one("#error-field-influence", Static)
        assert "less than or equal to 5" in str(error.render())
        assert error.has_class("-shown")
        assert path.read_text() == before_text and commit_count(sample_repo.root) == before_commits

        influence.value = "4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert commit_count(sample_repo.root) == before_commits + 1
    subject, _, files = last_commit(sample_repo)
    assert subject.startswith("group riverton-pride: influence") and subject.endswith("→ 4")
    assert files == ["groups/riverton-pride.toml"]


async def test_leaving_a_changed_form_asks_first(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, " x")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, RecordForm)
        await pilot.press("escape")
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (RecordForm, ConfirmScreen))
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_log_a_conversation_from_a_group_then_move_it_on(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.kind is Kind.CONVERSATIONS
        assert form.query_one("#field-date", Input).value == TODAY.isoformat()
        assert form.query_one("#field-group").value == ["riverton-pride"]
        assert form.query_one("#field-cares_about", TextArea).has_focus
        await type_text(pilot, "Safe spaces for young people")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # offered: move the group on from contacted, and set its next action
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        group_form = app.screen
        assert isinstance(group_form, RecordForm) and group_form.kind is Kind.GROUPS
        assert group_form.query_one("#field-stage", Select).value == "in_conversation"
        assert group_form.query_one("#field-next_action", Input).has_focus
        group_form.query_one("#field-next_action", Input).value = "Invite to the climate cafe"
        await pilot.press("ctrl+s")
        await settle(pilot)
    talks = [
        c
        for c in DataRepo.open(sample_repo.root).load().records[Kind.CONVERSATIONS].values()
        if isinstance(c, Conversation) and c.group == "riverton-pride" and c.date == TODAY
    ]
    assert len(talks) == 1 and talks[0].cares_about == "Safe spaces for young people"
    assert (sample_repo.root / "conversations" / "2026" / f"{talks[0].id}.toml").is_file()
    group = sample_repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(group, Group) and group.stage is Stage.IN_CONVERSATION
    log = git(sample_repo.root, "log", "-2", "--format=%s").splitlines()
    assert log[0] == "group riverton-pride: stage contacted → in conversation; next_action"
    assert log[1] == f"conversation {talks[0].id}: created"


async def test_delete_asks_and_names_what_refers_to_it(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = await open_groups(pilot, "renters")
        table.move_to("riverton-renters-union")
        table.focus()
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        shown = str(dialog.details)
        assert "person Lucy Fernandes (groups[0])" in shown.splitlines()[1:] or any(
            line.strip() == "person Lucy Fernandes (groups[0])" for line in shown.splitlines()
        )
        await pilot.press("n")
        assert (sample_repo.root / "groups" / "riverton-renters-union.toml").exists()
        await pilot.press("d")
        await pilot.press("y")
        await settle(pilot)
        assert "riverton-renters-union" not in app.loaded.records[Kind.GROUPS]
    assert not (sample_repo.root / "groups" / "riverton-renters-union.toml").exists()
    assert last_commit(sample_repo)[0] == "group riverton-renters-union: deleted"


def scripted_editor(tmp_path: Path, script: str) -> str:
    """An $EDITOR that edits the file it is given with a shell script, as a person would by hand."""
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nset -e\nfile="$1"\n{script}\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    return str(editor)


async def test_editor_round_trip_commits_a_valid_edit(
    sample_repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", scripted_editor(tmp_path, "sed -i 's/^influence = .*/influence = 5/' \"$file\""))
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("e")
        await settle(pilot)
        group = app.loaded.get(Kind.GROUPS, "riverton-pride")
        assert isinstance(group, Group) and group.influence == 5
    subject, _, files = last_commit(sample_repo)
    assert subject.endswith("→ 5 (edited by hand)") and files == ["groups/riverton-pride.toml"]


async def test_editor_round_trip_with_a_mistake_can_be_discarded(
    sample_repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", scripted_editor(tmp_path, 'echo \'stage = "friends"\' >> "$file"'))
    path = sample_repo.root / "groups" / "riverton-pride.toml"
    original, commits = path.read_text(), commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "not committed" in str(dialog.question)
        assert "TOML syntax" in str(dialog.details)  # a key given twice
        await pilot.press("n")  # other choices
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # discard my edit
        await settle(pilot)
    assert path.read_text() == original
    assert commit_count(sample_repo.root) == commits
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_uncommitted_hand_edits_are_reviewed_at_start(sample_repo: DataRepo) -> None:
    good = sample_repo.root / "groups" / "riverton-pride.toml"
    good.write_text(good.read_text().replace('stage = "contacted"', 'stage = "meeting"'))
    bad = sample_repo.root / "groups" / "save-the-42.toml"
    bad_text = bad.read_text() + "colour = 'red'\n"
    bad.write_text(bad_text)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        states = dict(screen.files)
        assert states["groups/riverton-pride.toml"] == []
        assert [p.field for p in states["groups/save-the-42.toml"]] == ["colour"]
        await pilot.press("a")  # commit all valid
        await settle(pilot)
        assert isinstance(app.screen, ChangesScreen)
        assert [path for path, _ in app.screen.files] == ["groups/save-the-42.toml"]
        await pilot.press("escape")
    assert last_commit(sample_repo)[0] == "group riverton-pride: stage contacted → meeting (edited by hand)"
    assert bad.read_text() == bad_text  # the invalid edit is kept, never dropped
    assert git(sample_repo.root, "status", "--porcelain").strip() == "M groups/save-the-42.toml"


async def test_filter_and_sort(app: AllytuiApp, pilot: Pilot[None]) -> None:
    table = await open_groups(pilot, "riverton")
    assert table.shown and all("riverton" in row.haystack for row in table.shown)
    await pilot.press("escape")  # clears the filter
    assert len(table.shown) == len(app.loaded.records[Kind.GROUPS])
    await pilot.press("s")
    await settle(pilot)
    await pilot.press("down", "down", "down", "enter")  # influence
    await settle(pilot)
    influences = [row.sort_keys[3] for row in table.shown if row.sort_keys[3] is not None]
    assert influences == sorted(influences)
    await pilot.press("s", "down", "down", "down", "enter")  # again: reversed
    await settle(pilot)
    influences = [row.sort_keys[3] for row in table.shown if row.sort_keys[3] is not None]
    assert influences == sorted(influences, reverse=True)
    assert table.shown[-1].sort_keys[3] is None or all(r.sort_keys[3] is not None for r in table.shown)


def test_editor_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from allytui.tui.editor import editor_command

    monkeypatch.setenv("VISUAL", "code --wait")
    assert editor_command() == ["code", "--wait"]
    monkeypatch.delenv("VISUAL")
    monkeypatch.setenv("EDITOR", "nano")
    assert editor_command() == ["nano"]
    monkeypatch.delenv("EDITOR")
    assert editor_command()[0] in {"nano", "vim", "vi"}
    assert os.path.basename(editor_command()[0])
