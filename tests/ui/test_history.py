"""A record's history in the app: open it from a list with h, read the diff, toggle git's patch, restore."""

from __future__ import annotations

from textual.widgets import OptionList

from allytui.model.enums import Stage
from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.history import HistoryScreen
from allytui.tui.widgets.diff_view import DiffView
from tests.helpers import commit_count, git
from tests.ui.conftest import TODAY, settle
from tests.ui.test_editing import open_groups

PATH = "groups/riverton-pride.toml"


def shown(screen: HistoryScreen) -> str:
    return str(screen.query_one(DiffView).render())


def change_pride(repo: DataRepo) -> None:
    group = repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(group, Group)
    changed = group.model_copy(update={"stage": Stage.IN_CONVERSATION, "influence": 4, "tags": ["lgbtq", "arts"]})
    repo.save(changed)


async def test_history_of_a_changed_group_shows_the_diff_toggles_raw_and_restores(sample_repo: DataRepo) -> None:
    original = (sample_repo.root / PATH).read_bytes()
    change_pride(sample_repo)
    commits = commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        options = screen.query_one(OptionList)
        assert options.option_count == 2  # the change, and the sample data's first commit
        text = shown(screen)
        assert "group riverton-pride: stage contacted → in conversation; influence 2 → 4; tags" in text
        assert "stage: contacted → in conversation" in text
        assert "influence: 2 → 4" in text
        assert "  + arts" in text and "  - youth" in text

        await pilot.press("r")
        await settle(pilot)
        assert screen.raw
        raw = shown(screen)
        assert "+influence = 4" in raw and "-influence = 2" in raw and "diff --git" in raw
        await pilot.press("r")
        assert "stage: contacted → in conversation" in shown(screen)

        # the newest entry is the current version: nothing to restore
        assert screen.check_action("restore", ()) is None
        await pilot.press("down")
        assert "sample data" in shown(screen)
        assert screen.check_action("restore", ()) is True
        await pilot.press("R")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.details is not None and "stage: in conversation → contacted" in confirm.details.plain
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert options.option_count == 3
        assert options.highlighted == 2  # still on the version that was restored
        group = app.loaded.get(Kind.GROUPS, "riverton-pride")
        assert isinstance(group, Group) and group.stage is Stage.CONTACTED and group.influence == 2

        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)
    assert (sample_repo.root / PATH).read_bytes() == original
    assert commit_count(sample_repo.root) == commits + 1
    subject = git(sample_repo.root, "log", "-1", "--format=%s").strip()
    assert subject.startswith("group riverton-pride: stage in conversation → contacted; influence 4 → 2; tags")
    assert subject.endswith(")") and "(restored from " in subject
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_record_text_in_history_stays_literal(sample_repo: DataRepo) -> None:
    group = sample_repo.read(Kind.GROUPS, "riverton-pride")
    assert isinstance(group, Group)
    sample_repo.save(group.model_copy(update={"next_action": "[bold]x[/] [@click=app.quit]y[/]"}))
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_groups(pilot, "pride")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "→ [bold]x[/] [@click=app.quit]y[/]" in shown(app.screen)
