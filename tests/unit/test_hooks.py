"""No git hook of any kind runs when allytui writes, syncs or clones (from .git/hooks, core.hooksPath or a
clone's template), unless the clone opted in with `git config allytui.runHooks true`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.sync.driver import clone, sync
from tests.cli.test_cli import run
from tests.helpers import git, save_all

HOOKS = [
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-auto-gc",
    "post-rewrite",
    "reference-transaction",
    "post-index-change",
    "push-to-checkout",
    "sendemail-validate",
    "fsmonitor-watchman",
]


def install_hooks(folder: Path, marker: Path) -> None:
    """Every hook git knows, each appending its name to marker (and succeeding)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in HOOKS:
        hook = folder / name
        hook.write_text(f'#!/bin/sh\necho {name}@$PWD >> "{marker}"\nexit 0\n')
        hook.chmod(hook.stat().st_mode | stat.S_IEXEC)


def ran(marker: Path) -> list[str]:
    """name@folder of each hook that ran, but the bare remote's (receiving a push, it runs its own)."""
    lines = marker.read_text().split() if marker.exists() else []
    return sorted({line for line in lines if not line.endswith("/remote.git")})


@pytest.fixture
def synced(repo: DataRepo, tmp_path: Path) -> tuple[DataRepo, Path]:
    """A data repo with records, shared through a bare remote (whose own hooks are its business)."""
    save_all(repo)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo.root, "remote", "add", "origin", str(remote))
    sync(repo)
    return repo, remote


def exercise(repo: DataRepo, remote: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """set, rm, import, a hand-edit commit, a discarded hand edit, and a sync that fetches, merges and pushes."""
    root = str(repo.root)
    assert run(capsys, "--repo", root, "set", "groups/food-bank", "name=Food Bank", "category=food_bank")[0] == 0
    assert run(capsys, "--repo", root, "rm", "groups/food-bank")[0] == 0
    sheet = tmp_path / "groups.csv"
    sheet.write_text("id,name,category\nallotments,Allotment Society,gardening\n")
    assert run(capsys, "--repo", root, "import", "groups", str(sheet))[0] == 0
    path = repo.root / "groups" / "st-marys.toml"
    path.write_text(path.read_text().replace("influence = 4", "influence = 5"))
    assert repo.commit_file("groups/st-marys.toml") is not None
    path.write_text(path.read_text().replace("influence = 5", "influence = 3"))
    repo.discard_changes("groups/st-marys.toml")

    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-c", f"core.hooksPath={tmp_path / 'none'}", str(remote), str(other))
    (other / "groups" / "from-other.toml").write_text('name = "From Other"\ncategory = "faith"\n')
    git(other, "add", "-A")
    git(other, "-c", f"core.hooksPath={tmp_path / 'none'}", "commit", "-qm", "a colleague's group")
    git(other, "-c", f"core.hooksPath={tmp_path / 'none'}", "push", "-q", "origin", "main")
    assert run(capsys, "--repo", root, "sync", "--quiet")[0] == 0
    assert (repo.root / "groups" / "from-other.toml").exists()
    assert git(remote, "rev-parse", "main") == git(repo.root, "rev-parse", "HEAD")


def test_no_hook_in_git_hooks_runs(
    synced: tuple[DataRepo, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, remote = synced
    marker = tmp_path / "ran"
    install_hooks(repo.root / ".git" / "hooks", marker)
    exercise(DataRepo.open(repo.root), remote, tmp_path, capsys)
    assert ran(marker) == []


@pytest.mark.parametrize("scope", ["--local", "--global"])
def test_no_hook_in_core_hooks_path_runs(
    synced: tuple[DataRepo, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], scope: str
) -> None:
    repo, remote = synced
    marker = tmp_path / "ran"
    install_hooks(tmp_path / "hooks", marker)
    git(repo.root, "config", scope, "core.hooksPath", str(tmp_path / "hooks"))
    exercise(DataRepo.open(repo.root), remote, tmp_path, capsys)
    assert ran(marker) == []


def test_clone_runs_no_hook_from_a_template_or_hooks_path(
    synced: tuple[DataRepo, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, remote = synced
    marker = tmp_path / "ran"
    install_hooks(tmp_path / "template" / "hooks", marker)
    git(tmp_path, "config", "--global", "init.templateDir", str(tmp_path / "template"))
    cloned = clone(str(remote), tmp_path / "ben")
    assert (cloned.root / "groups" / "st-marys.toml").exists()
    assert run(capsys, "clone", str(remote), str(tmp_path / "cat"))[0] == 0
    assert ran(marker) == []

    install_hooks(tmp_path / "hooks", marker)
    git(tmp_path, "config", "--global", "core.hooksPath", str(tmp_path / "hooks"))
    clone(str(remote), tmp_path / "dan")
    assert ran(marker) == []


def test_the_demo_runs_no_hook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    marker = tmp_path / "ran"
    install_hooks(tmp_path / "hooks", marker)
    git(tmp_path, "config", "--global", "core.hooksPath", str(tmp_path / "hooks"))
    assert run(capsys, "demo")[0] == 0
    assert ran(marker) == []


def test_with_the_opt_in_the_commit_hooks_run(synced: tuple[DataRepo, Path], tmp_path: Path) -> None:
    repo, _ = synced
    marker = tmp_path / "ran"
    install_hooks(repo.root / ".git" / "hooks", marker)
    git(repo.root, "config", "allytui.runHooks", "true")
    repo = DataRepo.open(repo.root)
    repo.save(Group(id="food-bank", name="Food Bank", category="food_bank"))
    assert {"pre-commit", "commit-msg", "post-commit"} <= {line.split("@")[0] for line in ran(marker)}
    assert repo.exists(Kind.GROUPS, "food-bank")
