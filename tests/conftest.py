"""Shared fixtures: every test gets its own HOME, git identity and data repo, never the user's."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual._wait
from textual._styles_cache import StylesCache

from allytui.store.repo import DataRepo
from tests.helpers import SAMPLE_DATA, TEST_GIT_ENV, save_all, template_identity

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
def output_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Command output as when piped, whole cells (pytest-xdist's workers set COLUMNS=80); a test of fitting
    tables to a terminal sets COLUMNS itself."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", IDLE_STEP)


@pytest.fixture(autouse=True)
def free_styles_caches() -> Iterator[None]:
    """Let go of the test's widgets' render caches when it ends.

    Textual's `StylesCache.get_inner_outer` is an `lru_cache` on an instance method, so it keeps up to 1,024
    StylesCache objects alive with the strips they hold (Textualize/textual#6665). Across a test process
    that heap of dead apps' strips grew to 150,000 objects, and every full collection (one at each app
    start, `freeze_long_lived`) had to walk it.
    """
    yield
    StylesCache.get_inner_outer.cache_clear()


@pytest.fixture(scope="session")
def new_repo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new data repo as `DataRepo.init` makes it (named Riverton, the test identity), made once per process."""
    root = tmp_path_factory.mktemp("new-template") / "data"
    with template_identity(root.parent):
        DataRepo.init(root, name="Riverton")
    return root


@pytest.fixture
def repo(new_repo_template: Path, tmp_path: Path) -> DataRepo:
    """A new, empty data repo of the test's own (a copy of one `DataRepo.init` made once)."""
    root = tmp_path / "data"
    shutil.copytree(new_repo_template, root, symlinks=True)
    return DataRepo.open(root)


@pytest.fixture(scope="session")
def full_template(new_repo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new data repo holding one record of each kind (`save_all`, a commit each), made once per process."""
    root = tmp_path_factory.mktemp("full-template") / "data"
    shutil.copytree(new_repo_template, root, symlinks=True)
    with template_identity(root.parent):
        save_all(DataRepo.open(root))
    return root


@pytest.fixture
def full_repo(full_template: Path, tmp_path: Path) -> DataRepo:
    """A data repo of the test's own with one record of each kind, committed one by one (a copy of one made once)."""
    root = tmp_path / "data"
    shutil.copytree(full_template, root, symlinks=True)
    return DataRepo.open(root)


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample data committed in a git repo, made once per test process (only ever copied)."""
    root = tmp_path_factory.mktemp("template") / "riverton"
    shutil.copytree(SAMPLE_DATA, root)
    env = {**os.environ, **TEST_GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "sample data"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root


@pytest.fixture
def sample_repo(sample_template: Path, tmp_path: Path) -> DataRepo:
    """The shipped sample data, committed in a fresh git repo of its own (a copy of one made once)."""
    root = tmp_path / "riverton"
    shutil.copytree(sample_template, root, symlinks=True)
    return DataRepo.open(root)
