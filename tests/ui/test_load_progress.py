"""A load that takes long says how far it has got, in a note over the screen that goes when the load ends (80x24)."""

from __future__ import annotations

import pytest

from allytui.store import loader
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.widgets.load_progress import LoadNote, LoadProgress
from tests.ui.conftest import TODAY, settle


async def _open(
    repo: DataRepo, monkeypatch: pytest.MonkeyPatch, after: float
) -> tuple[list[tuple[str, int, int]], int]:
    """Run the app until loaded; each note shown as (text, x, y), and how many record files there are."""
    monkeypatch.setattr(LoadProgress, "AFTER", after)
    monkeypatch.setattr(loader, "CHUNK", 1)
    shown: list[tuple[str, int, int]] = []
    real_show = LoadProgress._show

    def show_and_note(progress: LoadProgress) -> None:
        real_show(progress)
        if progress.note is not None:
            offset = progress.note.styles.offset
            shown.append((progress.text, int(offset.x.value), int(offset.y.value)))

    monkeypatch.setattr(LoadProgress, "_show", show_and_note)
    app = AllytuiApp(repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.loaded is not None
        assert list(app.screen.query(LoadNote)) == []  # gone once loaded
        await pilot.press("2")
        await settle(pilot)
        assert list(app.screen.query(LoadNote)) == []
        return shown, app.loaded.count()


async def test_a_long_load_shows_how_many_files_are_read(
    sample_repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown, count = await _open(sample_repo, monkeypatch, after=0)
    assert shown, "no note was shown"
    assert shown[-1][0] == f"Loading the records… {count:,} of {count:,} files"
    for text, x, y in shown:
        assert x >= 0 and x + len(text) + 2 <= 80 and y == 22  # bottom right, above the footer, inside 80x24


async def test_a_quick_load_shows_no_note(sample_repo: DataRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    shown, _ = await _open(sample_repo, monkeypatch, after=60)
    assert shown == []
