"""Sync, the since-last-sync review and the conflicts view, driven through the app."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from allytui.model.enums import Stage
from allytui.model.records import Group, Kind
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.conflicts import ConflictsScreen
from allytui.tui.screens.sync import SyncScreen
from tests.helpers import git
from tests.sync.conftest import Shared
from tests.sync.test_sync import edit, group
from tests.ui.conftest import TODAY, settle


async def test_sync_shows_progress_summary_and_conflicts(shared: Shared, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-20T10:00:00")
    edit(shared.ana, stage=Stage.CONTACTED, next_action="Ring the vicar")
    from allytui.sync.driver import sync

    sync(shared.ana)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-21T10:00:00")
    edit(shared.ben, stage=Stage.DECLINED)
    monkeypatch.delenv("GIT_AUTHOR_DATE")

    app = AllytuiApp(shared.ben, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SyncScreen) and screen.finished
        steps = str(screen.query_one("#sync-steps", Static).render())
        assert "fetching" in steps and "pushing" in steps
        result = str(screen.query_one("#sync-result", Static).render())
        assert "CONFLICT groups/st-marys.toml: stage" in result
        assert "What others changed since your last sync" in result
        assert "group St Mary's by Ana" in result
        assert "next_action: (none) → Ring the vicar" in result

        await pilot.press("escape", "1")
        await settle(pilot)
        assert "1 sync conflict: C to choose" in str(app.screen.query_one("#pipeline").border_title)
        await pilot.press("2")
        await settle(pilot)
        assert "⚠ Conflict on stage: Ana set it to contacted" in str(app.screen.query_one("#detail").render())
        await pilot.press("C")  # to the conflicts
        await settle(pilot)
        conflicts = app.screen
        assert isinstance(conflicts, ConflictsScreen)
        listing = str(conflicts.query_one(OptionList).get_option_at_index(0).prompt)
        assert "\n  this value:  declined\n  the other:   contacted\n" in listing and "(from Ana)" in listing
        await pilot.press("o")  # take the other value
        await settle(pilot)
        merged = group(shared.ben)
        assert isinstance(merged, Group)
        assert merged.stage is Stage.CONTACTED and merged.conflicts == []
        assert merged.next_action == "Ring the vicar"
        assert app.loaded.get(Kind.GROUPS, "st-marys").conflicts == []
    assert git(shared.ben.root, "log", "-1", "--format=%s").startswith("group st-marys: stage declined → contacted")


async def test_sync_offline_says_so(shared: Shared) -> None:
    git(shared.ben.root, "remote", "set-url", "origin", str(shared.tmp / "gone.git"))
    app = AllytuiApp(shared.ben, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        result = str(app.screen.query_one("#sync-result", Static).render())
        assert "Not synced" in result and "cannot be reached" in result
        await pilot.press("escape")
        assert not isinstance(app.screen, SyncScreen)
