"""`allytui` with no command runs the app; when the app stops on an unhandled error, the exit status says so."""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import partialmethod
from pathlib import Path
from typing import Any

import pytest

import allytui.__main__ as entry
from allytui.model.records import Group
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens import dashboard


def _crash(*_: Any, **__: Any) -> Any:
    raise KeyError("st-marys")  # what model/overview.py raised on a conversation dated 0001-01-01


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real app without a terminal: it draws nothing and reads no keys."""
    monkeypatch.setattr(AllytuiApp, "run", partialmethod(AllytuiApp.run, headless=True))


def test_a_crash_in_the_app_exits_non_zero(
    repo: DataRepo, headless: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.save(Group(id="st-marys", name="St Mary's", category="faith", next_action_due=dt.date(2026, 12, 1)))
    monkeypatch.setattr(dashboard, "follow_ups", _crash)
    code = entry.main(["--repo", str(repo.root)])
    _, err = capsys.readouterr()
    assert code == 1
    assert "allytui stopped after an unexpected error (KeyError)" in err
    assert "Traceback" not in err and "St Mary" not in err


def test_a_crash_in_the_demo_exits_non_zero(
    headless: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the demo's throwaway copy goes here
    monkeypatch.setattr(dashboard, "follow_ups", _crash)
    assert entry.main(["demo"]) == 1
    out, err = capsys.readouterr()
    assert "The demo copy was removed" in out and list(tmp_path.iterdir()) == []  # removed, crash or not
    assert "allytui stopped after an unexpected error (KeyError)" in err
