"""`allytui init` makes nothing without a git identity; a half-made data repo is named, finished by init,
and never silently replaced by the personal repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.store.errors import IdentityMissing, NotADataRepo
from allytui.store.location import default_repo_path
from allytui.store.repo import DataRepo
from tests.cli.test_cli import run
from tests.helpers import commit_count, git

IDENTITY_HINT = 'git config --global user.name "Your Name"'


def test_init_without_identity_creates_nothing(
    tmp_path: Path, no_identity: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "init", str(tmp_path / "a" / "b" / "data"))
    assert code == 1 and IDENTITY_HINT in err and out == ""
    assert list(tmp_path.iterdir()) == []

    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "init", str(empty))[0] == 1
    assert list(empty.iterdir()) == []


def test_the_personal_repo_is_not_half_made_without_identity(
    tmp_path: Path, no_identity: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check")
    assert code == 1 and IDENTITY_HINT in err
    assert not default_repo_path().exists()
    assert not default_repo_path().parent.exists()


def half_made_repo(tmp_path: Path) -> Path:
    """What `allytui init` left before it checked the identity first: a folder with only .git."""
    folder = tmp_path / "half"
    git(tmp_path, "init", "-q", "-b", "main", str(folder))
    return folder


def test_a_half_made_repo_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    half = half_made_repo(tmp_path)
    code, _, err = run(capsys, "--repo", str(half), "check")
    assert code == 1 and "is a half-made data repo" in err and f"allytui init {half}" in err
    monkeypatch.chdir(half)
    for command in (["check"], ["set", "groups/x", "name=X", "category=faith"]):
        code, _, err = run(capsys, *command)
        assert code == 1 and "is a half-made data repo" in err
    assert not default_repo_path().exists()  # never falls back to the personal repo
    with pytest.raises(NotADataRepo, match="half-made"):
        DataRepo.open(half)


def test_a_half_made_personal_repo_is_named_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    personal = default_repo_path()
    personal.parent.mkdir(parents=True)
    git(personal.parent, "init", "-q", "-b", "main", str(personal))
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check")
    assert code == 1 and "is a half-made data repo" in err
    assert [p.name for p in personal.iterdir()] == [".git"]


def test_init_finishes_a_half_made_repo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    half = half_made_repo(tmp_path)
    code, _, err = run(capsys, "init", str(half))
    assert (code, err) == (0, "")
    assert commit_count(half) == 1
    assert run(capsys, "--repo", str(half), "check")[0] == 0


def test_init_uses_an_identity_set_only_in_the_half_made_repo(tmp_path: Path, no_identity: None) -> None:
    half = half_made_repo(tmp_path)
    with pytest.raises(IdentityMissing):
        DataRepo.init(half)
    assert [p.name for p in half.iterdir()] == [".git"]
    git(half, "config", "user.name", "Local Name")
    git(half, "config", "user.email", "local@example.org")
    repo = DataRepo.init(half)
    assert git(repo.root, "log", "-1", "--format=%an").strip() == "Local Name"


def test_a_failed_init_takes_away_only_what_it_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("my own file\n")
    (folder / ".gitignore").mkdir()  # a folder where init writes a file: the write fails part way
    code, _, err = run(capsys, "init", str(folder))
    assert code == 1 and ".gitignore" in err and "unexpected" not in err
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "mine.txt"]
    assert (folder / "mine.txt").read_text() == "my own file\n"


def test_init_keeps_the_folders_own_gitignore_and_gitattributes(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / ".gitignore").write_text("drafts/\n")
    (folder / ".gitattributes").write_text("*.md text\n")
    DataRepo.init(folder)
    ignore, attributes = (folder / ".gitignore").read_text(), (folder / ".gitattributes").read_text()
    assert ignore.startswith("drafts/\n") and ".*.tmp-*" in ignore
    assert attributes.startswith("*.md text\n") and "*.toml merge=binary" in attributes
    assert git(folder, "status", "--porcelain") == ""


def test_a_failed_init_puts_back_the_folders_own_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / ".gitignore").write_text("drafts/\n")
    (folder / ".gitattributes").mkdir()  # in the way: init fails after changing .gitignore
    code, _, err = run(capsys, "init", str(folder))
    assert code == 1 and "cannot write .gitattributes" in err, err
    assert (folder / ".gitignore").read_text() == "drafts/\n"
    assert sorted(p.name for p in folder.iterdir()) == [".gitattributes", ".gitignore"]
