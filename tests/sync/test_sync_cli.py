"""`allytui clone` and `allytui sync` from the command line, on real repos."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.helpers import git


def test_init_clone_set_sync(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    ana, ben = tmp_path / "ana", tmp_path / "ben"
    assert run(capsys, "init", str(ana))[0] == 0
    assert (ana / ".gitattributes").read_text().endswith("*.toml merge=binary\n")
    git(ana, "remote", "add", "origin", str(remote))
    assert run(capsys, "--repo", str(ana), "set", "groups/st-marys", "name=St Mary's", "category=faith")[0] == 0
    code, out, _ = run(capsys, "--repo", str(ana), "sync", "--quiet")
    assert code == 0 and "pushed" in out

    code, out, _ = run(capsys, "clone", str(remote), str(ben))
    assert code == 0 and (ben / "groups" / "st-marys.toml").is_file()
    assert git(ben, "config", "--get", "pull.rebase").strip() == "false"
    git(ben, "config", "user.name", "Ben")
    run(capsys, "--repo", str(ben), "set", "groups/st-marys", "stage=contacted")
    assert run(capsys, "--repo", str(ben), "sync")[0] == 0

    code, out, err = run(capsys, "--repo", str(ana), "sync")
    assert code == 0
    assert "… fetching" in err
    assert "What others changed since your last sync" in out
    assert "groups/st-marys.toml (St Mary's) by Ben" in out
    assert "    stage: researched → contacted" in out.splitlines()


def test_clone_refuses_unsafe_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "clone", "ext::sh -c touch% /tmp/x", str(tmp_path / "x"))
    assert code == 1 and "refusing" in err
    assert not (tmp_path / "x").exists()


def test_sync_offline_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    run(capsys, "init", str(repo))
    git(repo, "remote", "add", "origin", str(tmp_path / "missing.git"))
    code, _, err = run(capsys, "--repo", str(repo), "sync", "--quiet")
    assert code == 1
    assert err.strip().count("\n") == 0 and "cannot be reached" in err
