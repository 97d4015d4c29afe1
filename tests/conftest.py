"""Shared fixtures: every test gets its own HOME, git identity and data repo, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.store.repo import DataRepo


@pytest.fixture(autouse=True)
def isolated_user(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HOME with a known git identity; no system config, no ALLYTUI_REPO."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test Organiser\n\temail = organiser@example.org\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("ALLYTUI_REPO", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def no_identity(isolated_user: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (isolated_user / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")


@pytest.fixture
def repo(tmp_path: Path) -> DataRepo:
    return DataRepo.init(tmp_path / "data", name="Riverton")
