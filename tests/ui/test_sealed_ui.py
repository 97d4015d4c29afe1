"""Sealed values in the app: opened for a member who holds a key when shown, a note for one who does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from allytui.model.records import Kind, Person
from allytui.model.sealed import SEALED_NOTE, Sealed
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.widgets.record_table import RecordTable
from tests.helpers import git
from tests.sealing_kit import NOTE, Key, make_key, no_key, seal_team
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
