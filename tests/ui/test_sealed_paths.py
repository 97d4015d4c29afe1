"""Sealed values on more of the app's paths: a damaged value in the form; the brief, with a key and without."""

from __future__ import annotations

import datetime as dt
from functools import partialmethod
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

import allytui.__main__ as entry
from allytui.cli import records as cli_records
from allytui.model.records import Conversation, FieldConflict, Group, Kind
from allytui.model.sealed import SEALED_NOTE, Sealed
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, seal, unseal
from allytui.tui.app import AllytuiApp
from allytui.tui.screens import dashboard
from allytui.tui.screens.brief import BriefScreen, brief_file
from allytui.tui.screens.record_form import RecordForm
from tests.helpers import git
from tests.sealing_kit import (
    EMAIL,
    Key,
    armor_blocks,
    damage,
    file_text,
    make_key,
    no_key,
    nothing_plain,
    seal_team,
)
from tests.ui.conftest import settle
from tests.ui.test_sealed_ui import open_form, save_form, show_person

TODAY = dt.date(2026, 11, 26)
TALK = "conversations/2026/2026-11-20-st-marys-a1b2c3.toml"
CONCERNS = "Worried the council will hear of it"
RED_LINE = "No party banners in the hall"


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Key]:
    return {name: make_key(tmp_path / "keys", name) for name in ("ana", "ben")}


@pytest.fixture
def team(repo: DataRepo, keys: dict[str, Key]) -> DataRepo:
    """Cy's contact and notes sealed; a conversation with St Mary's whose concerns and red lines are sealed."""
    settings = repo.root / "allytui.toml"
    wanted = '"people.notes", "conversations.concerns", "conversations.red_lines"'
    settings.write_text(settings.read_text().replace('"people.notes"', wanted))
    git(repo.root, "commit", "-qm", "seal conversations' concerns and red lines", "allytui.toml")
    seal_team(repo, ("ana", keys["ana"]), ("ben", keys["ben"]))
    repo.save(Group(id="st-marys", name="St Mary's", category="faith"))
    talk = Conversation(
        id="2026-11-20-st-marys-a1b2c3",
        date=dt.date(2026, 11, 20),
        group="st-marys",
        concerns=CONCERNS,
        red_lines=RED_LINE,
        common_ground="Soup",
    )
    repo.save(talk)
    saved = repo.read(Kind.CONVERSATIONS, talk.id)
    assert isinstance(saved, Conversation) and isinstance(saved.concerns, Sealed) and saved.common_ground == "Soup"
    return repo


async def test_a_damaged_value_in_the_form_is_read_only_with_why_and_kept_byte_for_byte(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys["ana"].use(monkeypatch)
    damage(team.root / "people/cy.toml", "notes")
    git(team.root, "commit", "-qam", "a damaged value, committed with plain git")
    before = armor_blocks(file_text(team, "people/cy.toml"))
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "cy")
        assert "sealed value not readable" in str(form.query_one("#sealed-notes", Static).render())
        assert not form.query("#field-notes")
        assert form.query_one("#field-contact--email", Input).value == EMAIL  # the sound one opens
        form.query_one("#field-role", Input).value = "church warden"
        await save_form(pilot)
        assert not isinstance(app.screen, RecordForm) and app.is_running
    text = file_text(team, "people/cy.toml")
    assert 'role = "church warden"' in text and armor_blocks(text) == before


async def brief_body(app: AllytuiApp) -> str:
    """The brief on St Mary's as the screen shows it; saved (E) too, beside the repo, as the member asked."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(BriefScreen("st-marys"))
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        return str(app.screen.query_one("#brief-body", Static).render())


def saved_brief(repo: DataRepo) -> str:
    return brief_file(repo.root, "st-marys", TODAY).read_text(encoding="utf-8")


async def test_the_brief_opens_sealed_conversation_text_for_a_member(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys["ben"].use(monkeypatch)
    body = await brief_body(AllytuiApp(team, today=TODAY))
    assert CONCERNS in body and RED_LINE in body and "Soup" in body
    assert "BEGIN AGE" not in body and SEALED_NOTE not in body
    saved = saved_brief(team)  # the file the member saved reads as the screen does
    assert CONCERNS in saved and RED_LINE in saved and "BEGIN AGE" not in saved and SEALED_NOTE not in saved


async def test_the_brief_without_a_key_or_with_a_damaged_value_says_so_and_never_shows_armor(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_key(monkeypatch, tmp_path)
    body = await brief_body(AllytuiApp(team, today=TODAY))
    assert CONCERNS not in body and RED_LINE not in body and "Soup" in body
    assert body.count(SEALED_NOTE) == 3  # concerns; red lines, in the conversation and under Red lines
    assert "BEGIN AGE" not in body
    saved = saved_brief(team)
    assert saved.count(SEALED_NOTE) == 3 and CONCERNS not in saved and "BEGIN AGE" not in saved
    keys["ana"].use(monkeypatch)
    damage(team.root / TALK, "red_lines")
    body = await brief_body(AllytuiApp(team, today=TODAY))
    assert CONCERNS in body and RED_LINE not in body and "sealed value not readable" in body
    assert "BEGIN AGE" not in body


# crash reports


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real app without a terminal: it draws nothing and reads no keys."""
    monkeypatch.setattr(AllytuiApp, "run", partialmethod(AllytuiApp.run, headless=True))


def test_a_crash_holding_an_opened_value_reports_none_of_it(
    team: DataRepo,
    keys: dict[str, Key],
    headless: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unexpected error whose message and local variables hold an opened sealed value, in the app and
    in a command: the report names the error's type only (ALLYTUI_DEBUG=1 shows more, on purpose)."""
    keys["ana"].use(monkeypatch)
    monkeypatch.delenv("ALLYTUI_DEBUG", raising=False)
    cy = team.read(Kind.PEOPLE, "cy")

    def crash(*_: Any, **__: Any) -> Any:
        opened = unseal(cy.notes, load_identities())
        raise ValueError(opened)

    monkeypatch.setattr(dashboard, "follow_ups", crash)
    code = entry.main(["--repo", str(team.root)])
    out, err = capsys.readouterr()
    assert code == 1 and "allytui stopped after an unexpected error (ValueError)" in err
    assert nothing_plain(out + err) and "Traceback" not in err
    monkeypatch.setattr(cli_records, "to_json", crash)
    code = entry.main(["--repo", str(team.root), "show", "people/cy", "--reveal"])
    out, err = capsys.readouterr()
    assert code == 1 and "unexpected error (ValueError)" in err
    assert nothing_plain(out + err) and "Traceback" not in err


@pytest.mark.parametrize("who", ["ben", "nobody"])
async def test_a_conflicts_sealed_other_value_in_the_details_is_opened_with_a_key_only(
    team: DataRepo, keys: dict[str, Key], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, who: str
) -> None:
    other = "She would rather we wrote than rang"
    cy = team.read(Kind.PEOPLE, "cy")
    sealed = seal(other, [keys["ana"].recipient, keys["ben"].recipient])
    team.save(cy.model_copy(update={"conflicts": [FieldConflict(field="notes", other=sealed, author="Ana")]}))
    if who == "nobody":
        no_key(monkeypatch, tmp_path)
    else:
        keys[who].use(monkeypatch)
    app = AllytuiApp(team, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = await show_person(pilot, "cy")
    said = other if who == "ben" else SEALED_NOTE
    assert f"Conflict on notes: Ana set it to {said}" in " ".join(detail.split())
    assert "BEGIN AGE" not in detail and (who == "ben" or other not in detail)
