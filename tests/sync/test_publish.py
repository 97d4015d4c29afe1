"""`allytui publish URL`: a repo made with `allytui init` shared through a plain bare repo, then cloned."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.cli.main import main
from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from tests.helpers import git
from tests.sync.conftest import set_identity


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ours(tmp_path: Path) -> DataRepo:
    repo = DataRepo.init(tmp_path / "ours", name="Riverton")
    set_identity(repo, "Ana")
    repo.save(Group(id="st-marys", name="St Mary's", category="faith"))
    return repo


def bare(tmp_path: Path, name: str = "shared.git") -> Path:
    """A shared repo as `git init --bare` makes it on most machines: its HEAD names master."""
    path = tmp_path / name
    git(tmp_path, "-c", "init.defaultBranch=master", "init", "-q", "--bare", str(path))
    return path


def remotes(repo: DataRepo) -> list[str]:
    return git(repo.root, "remote").split()


def test_publish_into_a_bare_repo_whose_head_says_master_then_clone(
    ours: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = bare(tmp_path)
    branch = git(ours.root, "branch", "--show-current").strip()
    assert branch != "master"  # the case that split groups in two: HEAD named a branch nobody pushed

    code, out, err = run(capsys, "--repo", str(ours.root), "publish", str(shared))

    assert code == 0, err
    assert f"published branch {branch}" in out and "allytui clone" in out
    assert git(shared, "symbolic-ref", "HEAD").strip() == f"refs/heads/{branch}"
    # plain git follows: a plain clone checks our data out, and plain pull/push know where to go
    git(tmp_path, "clone", "-q", str(shared), str(tmp_path / "plain"))
    assert (tmp_path / "plain" / "allytui.toml").is_file()
    assert git(ours.root, "rev-parse", "--abbrev-ref", "@{upstream}").strip() == f"origin/{branch}"
    git(ours.root, "pull", "-q")
    # and a member's allytui clone holds the records
    code, _, err = run(capsys, "clone", str(shared), str(tmp_path / "ben"))
    assert code == 0, err
    assert "st-marys" in DataRepo.open(tmp_path / "ben").load().records[Kind.GROUPS]


def test_publishing_again_is_a_sync(ours: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = bare(tmp_path)
    assert run(capsys, "--repo", str(ours.root), "publish", str(shared))[0] == 0
    ours.save(Group(id="food-bank", name="Food Bank", category="food_bank"))

    code, _, err = run(capsys, "--repo", str(ours.root), "publish", str(shared))

    assert code == 0, err
    assert git(shared, "rev-parse", "HEAD").strip() == git(ours.root, "rev-parse", "HEAD").strip()


def test_publish_refuses_a_shared_repo_holding_other_data(
    ours: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = bare(tmp_path)
    other = DataRepo.init(tmp_path / "other", name="Northfield")
    set_identity(other, "Cat")
    assert run(capsys, "--repo", str(other.root), "publish", str(shared))[0] == 0
    before = git(shared, "rev-parse", "--all")

    code, out, err = run(capsys, "--repo", str(ours.root), "publish", str(shared))

    assert code == 1 and out == ""
    assert "already holds other data" in err and f"allytui clone {shared}" in err
    assert git(shared, "rev-parse", "--all") == before  # nothing was sent over it
    assert remotes(ours) == []  # the remote added for the attempt is taken away again


def test_a_failed_publish_leaves_no_remote_so_a_corrected_address_works(
    ours: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "sahred.git"

    code, _, err = run(capsys, "--repo", str(ours.root), "publish", str(typo))

    assert code == 1 and str(typo) in err and "Traceback" not in err
    assert remotes(ours) == []
    assert run(capsys, "--repo", str(ours.root), "publish", str(bare(tmp_path)))[0] == 0
    assert remotes(ours) == ["origin"]


def test_publish_refuses_when_the_repo_already_shares_elsewhere(
    ours: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = bare(tmp_path, "first.git"), bare(tmp_path, "second.git")
    assert run(capsys, "--repo", str(ours.root), "publish", str(first))[0] == 0

    code, _, err = run(capsys, "--repo", str(ours.root), "publish", str(second))

    assert code == 1 and "already shares through" in err and "git remote remove origin" in err
    assert git(ours.root, "remote", "get-url", "origin").strip() == str(first)
    assert git(second, "for-each-ref").strip() == ""


@pytest.mark.parametrize("url", ["ext::sh -c 'touch pwned'", "--upload-pack=touch pwned", "x::y"])
def test_publish_refuses_addresses_that_could_run_a_command(
    ours: DataRepo, tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--repo", str(ours.root), "publish", url)

    assert code == 1 and "refusing this remote address" in err
    assert remotes(ours) == [] and not (ours.root / "pwned").exists()
