"""The app's first load, begun in a thread before Textual is imported (`allytui.__main__.make_app`)."""

from __future__ import annotations

import pytest

from allytui.__main__ import make_app
from allytui.model.records import Group, Kind
from allytui.store.early_load import EarlyLoad
from allytui.store.loader import load_repo
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from tests.ui.conftest import TODAY, settle
from tests.ui.test_editing import open_groups
from tests.ui.test_outside_changes import notifications, wait_for_watcher

PRIDE = "groups/riverton-pride.toml"


async def test_the_app_shows_what_the_early_load_read(sample_repo: DataRepo) -> None:
    app = make_app(sample_repo)
    app.today = TODAY
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.loaded is not None and app._early is None  # taken by the app's first load
        fresh = load_repo(sample_repo.root, use_cache=False)
        assert app.loaded.records == fresh.records
        assert app.loaded.problems == fresh.problems  # the checks between records too, made once shown
        table = await open_groups(pilot, "pride")
        assert table.current_key == "riverton-pride"


async def test_a_change_made_after_the_early_load_read_the_files_is_noticed(sample_repo: DataRepo) -> None:
    early = EarlyLoad(sample_repo)
    early.wait()  # the files are read ...
    path = sample_repo.root / PRIDE
    with path.open("a") as handle:  # ... then one is changed by hand, before the app is even made
        handle.write('notes = "added while the app started"\n')
    app = AllytuiApp(sample_repo, today=TODAY, early=early)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_for_watcher(pilot)
        group = app.loaded.get(Kind.GROUPS, "riverton-pride") if app.loaded else None
        assert isinstance(group, Group) and group.notes == "added while the app started"
        assert any("group riverton-pride was changed outside allytui" in n for n in notifications(app))


async def test_an_early_load_that_fails_is_said_like_any_failed_load(
    sample_repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(DataRepo, "load", unreadable)
    app = AllytuiApp(sample_repo, today=TODAY, early=EarlyLoad(sample_repo))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.loaded is None
        said = [n.title for n in app._notifications]
        assert "Could not load the data" in said
        monkeypatch.undo()
        await pilot.press("ctrl+r")  # a reload reads the repo afresh
        await settle(pilot)
        assert app.loaded is not None and app.loaded.count() > 0


async def test_a_file_deleted_after_the_early_load_read_it_is_noticed(sample_repo: DataRepo) -> None:
    early = EarlyLoad(sample_repo)
    assert early.wait().get(Kind.GROUPS, "riverton-pride") is not None
    (sample_repo.root / PRIDE).unlink()
    app = AllytuiApp(sample_repo, today=TODAY, early=early)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_for_watcher(pilot)
        assert app.loaded is not None and app.loaded.get(Kind.GROUPS, "riverton-pride") is None


async def test_a_first_start_writes_the_record_cache_once_the_records_show(sample_repo: DataRepo) -> None:
    cache = sample_repo.root / ".git" / "allytui" / "records.cache"
    cache.unlink(missing_ok=True)
    early = EarlyLoad(sample_repo)
    loaded = early.wait()
    assert loaded.parsed == loaded.count() > 0 and loaded.write_cache is not None
    assert not cache.exists()  # not by the load itself ...
    app = AllytuiApp(sample_repo, today=TODAY, early=early)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.loaded is loaded
    assert cache.exists()  # ... but by the app, after handing the records over
    assert load_repo(sample_repo.root).parsed == 0
