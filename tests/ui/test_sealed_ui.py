"""Sealed values in the app: opened for a member who holds a key when shown, a note for one who does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from allytui.model.records import Kind, Person
from allytui.model.sealed import SEALED_NOTE, Sealed
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, unseal
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.record_table import RecordTable
from tests.helpers import git
from tests.sealing_kit import (
    EMAIL,
    NOTE,
    Key,
    armor_blocks,
    file_text,
    git_text,
    make_key,
    no_key,
    nothing_plain,
    seal_team,
)
from tests.ui.conftest import settle

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Key]:
    return {name: make_key(tmp_path / "keys", name) for name in ("ana", "ben", "stranger")}


@pytest.fixture
def team(repo: DataRepo, keys: dict[str, Key]) -> DataRepo:
    seal_team(repo, ("ana", keys["ana"]), ("ben", keys["ben"]))
    return repo


async def show_person(pilot: Pilot[None], person_id: str) -> str:
    await pilot.press("3")
    await settle(pilot)
    pilot.app.screen.query_one(RecordTable).move_to(person_id)
    await settle(pilot)
    return str(pilot.app.screen.query_one("#detail", Static).render())


async def test_a_member_with_a_key_sees_the_sealed_notes_opened(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys["ben"].use(monkeypatch)
    assert isinstance(team.read(Kind.PEOPLE, "cy").notes, Sealed)
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        detail = await show_person(pilot, "cy")
        assert "has a dog called Moss" in detail
        assert "BEGIN AGE" not in detail and SEALED_NOTE not in detail
        assert "Contact: recorded" in detail  # contact details stay out of the pane, opened or not
        loaded = app.loaded
        assert loaded is not None
        cy = loaded.get(Kind.PEOPLE, "cy")
        assert isinstance(cy, Person) and isinstance(cy.notes, Sealed)  # the loaded records stay sealed


@pytest.mark.parametrize("who", ["nobody", "stranger"])
async def test_without_a_key_sealed_fields_say_so_and_never_show_armor(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, who: str
) -> None:
    if who == "nobody":
        no_key(monkeypatch, tmp_path)
    else:
        keys["stranger"].use(monkeypatch)  # a key, but not one the values were sealed to
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        detail = await show_person(pilot, "cy")
        assert f"Notes: {SEALED_NOTE}" in detail
        assert f"Contact: {SEALED_NOTE}" in detail
        assert "BEGIN AGE" not in detail and "bakery" not in detail
        assert "Cy Morgan" in detail and "caretaker" in detail  # plain fields as ever


async def test_a_damaged_sealed_value_is_a_message_not_a_crash(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys["ana"].use(monkeypatch)
    path = team.root / "people" / "cy.toml"
    text = path.read_text(encoding="utf-8")
    notes_start = text.index("notes = ")
    armor_line = text.index("\n", text.index("BEGIN AGE", notes_start)) + 1
    damaged = text[:armor_line] + ("A" if text[armor_line] != "A" else "B") + text[armor_line + 1 :]
    path.write_text(damaged, encoding="utf-8")
    git(team.root, "commit", "-qam", "a damaged value, committed with plain git")
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        detail = await show_person(pilot, "cy")
        assert "notes: sealed value not readable" in detail
        assert app.is_running


async def test_a_key_file_that_cannot_be_used_is_said_once_and_the_app_works(
    team: DataRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.age"
    bad.write_text("not a key\n", encoding="ascii")
    monkeypatch.setenv("ALLYTUI_IDENTITY", str(bad))
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert any("holds no age secret key" in m and "stay sealed" in m for m in notices)
        detail = await show_person(pilot, "cy")
        assert f"Notes: {SEALED_NOTE}" in detail


def test_the_keyring_opens_each_value_once_and_keeps_it_in_memory(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch
) -> None:
    from allytui.store import keyring as keyring_module

    keys["ana"].use(monkeypatch)
    ring = keyring_module.KeyRing.load()
    cy = team.read(Kind.PEOPLE, "cy")
    calls: list[object] = []
    real = keyring_module.unseal
    monkeypatch.setattr(keyring_module, "unseal", lambda *a: calls.append(a) or real(*a))
    first, again = ring.open(cy), ring.open(cy)
    assert first.record.notes == again.record.notes == NOTE
    assert len(calls) == 2  # contact and notes, each once


# the form


async def open_form(pilot: Pilot[None], person_id: str) -> RecordForm:
    await show_person(pilot, person_id)
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    return form


async def save_form(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_the_form_opens_sealed_values_and_an_edit_elsewhere_keeps_their_bytes(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys["ana"].use(monkeypatch)
    before = armor_blocks(file_text(team, "people/cy.toml"))
    assert len(before) == 2
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "cy")
        assert form.query_one("#field-notes", TextArea).text == NOTE
        assert form.query_one("#field-contact--email", Input).value == EMAIL
        form.query_one("#field-role", Input).value = "church warden"
        await save_form(pilot)
        assert not isinstance(app.screen, RecordForm)
        loaded = app.loaded
        assert loaded is not None
        kept = loaded.get(Kind.PEOPLE, "cy")
        assert isinstance(kept, Person) and isinstance(kept.notes, Sealed)  # memory holds it sealed, as on disk
    text = file_text(team, "people/cy.toml")
    assert 'role = "church warden"' in text
    assert armor_blocks(text) == before  # not sealed afresh: no diff noise
    assert nothing_plain(git_text(team, "log", "-p", "--format=%B"))


async def test_a_changed_sealed_value_is_sealed_again_on_save(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys["ben"].use(monkeypatch)
    before = armor_blocks(file_text(team, "people/cy.toml"))
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "cy")
        form.query_one("#field-notes", TextArea).text = NOTE + "\nback from leave in March"
        await save_form(pilot)
    text = file_text(team, "people/cy.toml")
    after = armor_blocks(text)
    assert after[0] == before[0] and after[1] != before[1]  # the contact kept, the notes sealed afresh
    assert nothing_plain(text) and "March" not in text
    log = git_text(team, "log", "-p", "--format=%B")
    assert nothing_plain(log) and "March" not in log
    cy = team.read(Kind.PEOPLE, "cy")
    assert unseal(cy.notes, load_identities(keys["ana"].path)).endswith("back from leave in March")


async def test_without_a_key_the_form_shows_sealed_fields_read_only_and_saves_the_rest(
    team: DataRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_key(monkeypatch, tmp_path)
    before = armor_blocks(file_text(team, "people/cy.toml"))
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "cy")
        for name in ("contact", "notes"):
            assert str(form.query_one(f"#sealed-{name}", Static).render()) == SEALED_NOTE
        assert not form.query("#field-notes") and not form.query("#field-contact--email")
        form.query_one("#field-role", Input).value = "church warden"
        await save_form(pilot)
        assert not isinstance(app.screen, RecordForm)
    text = file_text(team, "people/cy.toml")
    assert 'role = "church warden"' in text and armor_blocks(text) == before


# the $EDITOR round trip


def editor(tmp_path: Path, script: str) -> tuple[str, Path]:
    """An $EDITOR running script on the file it is given ($file), noting where that file was and how private."""
    log = tmp_path / "editor.log"
    body = (
        f'#!/bin/sh\nfile="$1"\necho "$file" >> {log}\nstat -c %a "$(dirname "$file")" >> {log}\n'
        f'stat -c %a "$file" >> {log}\ngrep -q "{EMAIL}" "$file" && echo saw-plain >> {log}\n{script}\n'
    )
    path = tmp_path / "editor.sh"
    path.write_text(body)
    path.chmod(0o755)
    return str(path), log


async def edit_cy(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await settle(pilot)
    await show_person(pilot, "cy")
    await pilot.press("e")
    await settle(pilot)


def scratch_of(log: Path) -> Path:
    return Path(log.read_text().splitlines()[0])


async def test_the_editor_gets_an_opened_private_copy_and_the_edit_is_sealed_again(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keys["ana"].use(monkeypatch)
    command, log = editor(tmp_path, """sed -i 's/Moss/Fern/; s/^role = .*/role = "warden"/' "$file" """)
    monkeypatch.setenv("VISUAL", command)
    before = armor_blocks(file_text(team, "people/cy.toml"))
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await edit_cy(app, pilot)
    scratch = scratch_of(log)
    lines = log.read_text().splitlines()
    assert lines[1:4] == ["700", "600", "saw-plain"]  # opened, in a folder only this user can enter
    assert not scratch.exists() and not scratch.parent.exists()
    assert not scratch.is_relative_to(team.root)
    if Path("/dev/shm").is_dir():
        assert scratch.is_relative_to("/dev/shm")
    text = file_text(team, "people/cy.toml")
    after = armor_blocks(text)
    assert 'role = "warden"' in text and after[0] == before[0] and after[1] != before[1]
    cy = team.read(Kind.PEOPLE, "cy")
    assert unseal(cy.notes, load_identities(keys["ben"].path)).endswith("has a dog called Fern")
    log_text = git_text(team, "log", "-p", "--format=%B")
    assert nothing_plain(text) and nothing_plain(log_text) and "Fern" not in log_text + text
    assert git_text(team, "status", "--porcelain") == ""


@pytest.mark.parametrize("ending", ["exit 3", "kill -9 $$"])
async def test_a_failed_or_killed_editor_saves_nothing_and_leaves_no_plain_file(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ending: str
) -> None:
    keys["ana"].use(monkeypatch)
    command, log = editor(tmp_path, f"""sed -i 's/Moss/Fern/' "$file"\n{ending}""")
    monkeypatch.setenv("VISUAL", command)
    before, commits = file_text(team, "people/cy.toml"), git_text(team, "rev-list", "--count", "HEAD")
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await edit_cy(app, pilot)
        notices = [n.message for n in app._notifications]
        assert any("nothing was saved" in m for m in notices)
    scratch = scratch_of(log)
    assert not scratch.exists() and not scratch.parent.exists()
    assert file_text(team, "people/cy.toml") == before
    assert git_text(team, "rev-list", "--count", "HEAD") == commits


async def test_a_mistake_in_the_opened_copy_is_offered_back_and_dropping_it_leaves_nothing(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keys["ana"].use(monkeypatch)
    command, log = editor(tmp_path, """echo 'influence = "lots"' >> "$file" """)
    monkeypatch.setenv("VISUAL", command)
    before = file_text(team, "people/cy.toml")
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await edit_cy(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and "people/cy.toml" in str(dialog.details)
        assert nothing_plain(str(dialog.details))
        await pilot.press("n")
        await settle(pilot)
    scratch = scratch_of(log)
    assert not scratch.exists() and not scratch.parent.exists()
    assert file_text(team, "people/cy.toml") == before


async def test_without_a_key_the_file_is_edited_as_it_is_and_sealed_values_must_come_back_unchanged(
    team: DataRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_key(monkeypatch, tmp_path)
    command, log = editor(tmp_path, """sed -i 's/^role = .*/role = "warden"/' "$file" """)
    monkeypatch.setenv("VISUAL", command)
    before = armor_blocks(file_text(team, "people/cy.toml"))
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await edit_cy(app, pilot)
    assert scratch_of(log) == team.root / "people" / "cy.toml"
    text = file_text(team, "people/cy.toml")
    assert 'role = "warden"' in text and armor_blocks(text) == before
    assert git_text(team, "status", "--porcelain") == ""


async def test_without_a_key_a_changed_sealed_value_is_refused_clearly(
    team: DataRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_key(monkeypatch, tmp_path)
    command, _ = editor(tmp_path, """sed -i '0,/BEGIN AGE/{/BEGIN AGE/{n;d}}' "$file" """)  # one armor line gone
    monkeypatch.setenv("VISUAL", command)
    before, commits = file_text(team, "people/cy.toml"), git_text(team, "rev-list", "--count", "HEAD")
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await edit_cy(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "people/cy.toml" in str(dialog.details) and "contact" in str(dialog.details)
        assert "you hold no key" in str(dialog.details)
        await pilot.press("n")  # other choices
        await settle(pilot)
        await pilot.press("y")  # discard my edit
        await settle(pilot)
    assert file_text(team, "people/cy.toml") == before
    assert git_text(team, "rev-list", "--count", "HEAD") == commits


async def test_a_note_typed_by_hand_into_a_sealed_field_is_sealed_before_it_is_committed(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_key(monkeypatch, tmp_path)  # no key needed to seal: only the members' public keys
    team.save(Person(id="dee", name="Dee"))
    command, _ = editor(tmp_path, """echo 'notes = "Dee is moving to Leeds"' >> "$file" """)
    monkeypatch.setenv("VISUAL", command)
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await show_person(pilot, "dee")
        await pilot.press("e")
        await settle(pilot)
    text = file_text(team, "people/dee.toml")
    assert "Leeds" not in text and len(armor_blocks(text)) == 1
    assert "Leeds" not in git_text(team, "log", "-p", "--format=%B")
    assert git_text(team, "status", "--porcelain") == ""
    dee = team.read(Kind.PEOPLE, "dee")
    assert unseal(dee.notes, load_identities(keys["ana"].path)) == "Dee is moving to Leeds"
