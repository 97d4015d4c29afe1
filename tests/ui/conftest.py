"""Fixtures for driving the real app: a throwaway git copy of the sample data, and a fixed today."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from allytui.store.repo import DataRepo
from tests.helpers import SAMPLE_DATA, git

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def sample_repo(tmp_path: Path) -> DataRepo:
    """The shipped sample data, committed in a fresh git repo of its own."""
    root = tmp_path / "riverton"
    shutil.copytree(SAMPLE_DATA, root)
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample data")
    return DataRepo.open(root)


async def settle(pilot: Pilot[None]) -> None:
    """Let workers (loads, saves, commits) finish and the screen catch up."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
