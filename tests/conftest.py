"""Shared fixtures: every test gets its own HOME, git identity and data repo, never the user's."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import textual._wait

from allytui.store.repo import DataRepo
from tests.helpers import SAMPLE_DATA

# Pilot waits for "idle" after every key and pause by sleeping in steps of 1/50 s until the process is quiet;
# steps of 2 ms find the same quiet moment sooner. Workers are waited for explicitly (settle), not by time.
IDLE_STEP = 0.002


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
    for name in (
        "ALLYTUI_REPO",
        "ALLYTUI_IDENTITY",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def no_identity(isolated_user: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (isolated_user / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")


@pytest.fixture(autouse=True)
def quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", IDLE_STEP)


@pytest.fixture
def repo(tmp_path: Path) -> DataRepo:
    return DataRepo.init(tmp_path / "data", name="Riverton")


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample data committed in a git repo, made once per test process (only ever copied)."""
    root = tmp_path_factory.mktemp("template") / "riverton"
    shutil.copytree(SAMPLE_DATA, root)
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **dict.fromkeys(("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"), "Test Organiser"),
        **dict.fromkeys(("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"), "organiser@example.org"),
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "sample data"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root


@pytest.fixture
def sample_repo(sample_template: Path, tmp_path: Path) -> DataRepo:
    """The shipped sample data, committed in a fresh git repo of its own (a copy of one made once)."""
    root = tmp_path / "riverton"
    shutil.copytree(sample_template, root, symlinks=True)
    return DataRepo.open(root)
