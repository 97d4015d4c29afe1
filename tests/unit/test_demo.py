"""The demo copy is made by the store: a committed git copy of the sample data that loads without problems."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

import allytui.cli.main as cli_main
import allytui.cli.repo as cli_repo
from allytui.store import demo
from allytui.store.repo import DataRepo


def test_the_store_makes_a_committed_demo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    repo = demo.make_demo_repo()

    assert repo.root.is_relative_to(tmp_path.resolve())
    assert repo.load().problems == []
    assert repo.uncommitted() == []
    assert repo.git_repo.head.commit.message.strip() == "allytui: sample data"


def test_the_command_line_drives_no_git_itself() -> None:
    assert cli_repo.make_demo_repo is demo.make_demo_repo
    for module in (cli_main, cli_repo):
        assert not hasattr(module, "git"), f"{module.__name__} imports GitPython; git work belongs in store"


def test_demo_removes_its_copy_unless_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened: list[Path] = []

    def look(repo: DataRepo) -> int:
        opened.append(repo.root)
        assert (repo.root / "allytui.toml").is_file()
        return 0

    assert cli_main.main(["demo"], look) == 0
    assert not opened[0].exists() and list(tmp_path.iterdir()) == []
    assert "The demo copy was removed (allytui demo --keep keeps it)." in capsys.readouterr().out

    assert cli_main.main(["demo", "--keep"], look) == 0
    assert opened[1].is_dir() and f"The demo copy is kept at {opened[1]}" in capsys.readouterr().out


def test_demo_removes_its_copy_when_the_app_stops_on_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken(repo: DataRepo) -> int:
        raise KeyboardInterrupt

    assert cli_main.main(["demo"], broken) == 130
    assert list(tmp_path.iterdir()) == []
