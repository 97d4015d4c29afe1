"""The demo copy is made by the store: a committed git copy of the sample data that loads without problems."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

import allytui.cli.main as cli_main
from allytui.store import demo


def test_the_store_makes_a_committed_demo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    repo = demo.make_demo_repo()

    assert repo.root.is_relative_to(tmp_path.resolve())
    assert repo.load().problems == []
    assert repo.uncommitted() == []
    assert repo.git_repo.head.commit.message.strip() == "allytui: sample data"


def test_the_command_line_drives_no_git_itself() -> None:
    assert cli_main.make_demo_repo is demo.make_demo_repo
    assert not hasattr(cli_main, "git"), "cli.main imports GitPython; git work belongs in store"
