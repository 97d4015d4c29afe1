"""Symbolic links in the work tree are never followed (a link could lead out of the data repo), and a repo
whose allytui.toml is missing or broken is named as such, never swapped for the member's own repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.model.records import Group, Person
from allytui.store.loader import link_message
from allytui.store.repo import DataRepo
from allytui.sync.blockers import SyncBlocked
from allytui.sync.driver import sync
from tests.cli.test_cli import run
from tests.helpers import git


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "eve.toml").write_text('name = "Eve"\n')
    return folder


def cli(capsys: pytest.CaptureFixture[str], repo: DataRepo, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--repo", str(repo.root), *args)


def test_a_linked_folder_is_never_read_or_written_through(
    repo: DataRepo, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.save(Person(id="ana", name="Ana"))
    (repo.root / "people").rename(repo.root.parent / "people-real")
    (repo.root / "people").symlink_to(outside)
    said = "people: -: is a symbolic link; allytui never follows one"

    code, out, _ = cli(capsys, repo, "check")
    assert code == 1 and "people" in out
    for args in (
        ["show", "people/eve"],
        ["set", "people/eve", "name=Evil"],
        ["set", "people/zed", "name=Zed"],
        ["set", "people/new", "name=Zed"],
        ["rm", "people/eve"],
    ):
        code, out, err = cli(capsys, repo, *args)
        assert code == 1 and said in err and "Eve" not in out, args
    assert sorted(p.name for p in outside.iterdir()) == ["eve.toml"]
    assert (outside / "eve.toml").read_text() == 'name = "Eve"\n'
    assert git(repo.root, "log", "--name-only", "--format=").split() == [
        "people/ana.toml",
        ".gitattributes",
        ".gitignore",
        "allytui.toml",
    ]


def test_a_linked_record_is_refused_as_a_link_even_when_its_target_is_valid(
    repo: DataRepo, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.save(Group(id="st-marys", name="St Mary's", category="faith"))
    (repo.root / "people").mkdir()
    (repo.root / "people" / "eve.toml").symlink_to(outside / "eve.toml")
    said = "people/eve.toml: -: is a symbolic link; allytui never follows one (make it a plain file)"
    for args in (["show", "people/eve"], ["set", "people/eve", "name=Evil"], ["check"]):
        code, out, err = cli(capsys, repo, *args)
        assert code == 1 and said in out + err, args
    assert (outside / "eve.toml").read_text() == 'name = "Eve"\n'
    assert (repo.root / "people" / "eve.toml").is_symlink()
    git(repo.root, "init", "-q", "--bare", str(repo.root.parent / "remote.git"))
    git(repo.root, "remote", "add", "origin", str(repo.root.parent / "remote.git"))
    with pytest.raises(SyncBlocked) as raised:
        sync(repo)  # the link is an uncommitted hand edit: it is named, never committed
    assert [(b.path, b.local) for b in raised.value.blockers] == [("people/eve.toml", True)]


def test_a_linked_year_folder_of_conversations_is_named(repo: DataRepo, outside: Path) -> None:
    (repo.root / "conversations").mkdir()
    (repo.root / "conversations" / "2026").symlink_to(outside)
    problems = [(p.path, p.message) for p in repo.load().problems]
    assert problems == [("conversations/2026", link_message("folder"))]


@pytest.mark.parametrize("damage", ["deleted", "a folder", "a dangling link"])
def test_a_repo_without_a_usable_settings_file_is_named_not_replaced(
    repo: DataRepo,
    damage: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_user: Path,
) -> None:
    repo.save(Group(id="st-marys", name="St Mary's", category="faith"))
    settings = repo.root / "allytui.toml"
    settings.unlink()
    if damage == "a folder":
        settings.mkdir()
    elif damage == "a dangling link":
        settings.symlink_to(repo.root / "nowhere.toml")
    monkeypatch.chdir(repo.root / "groups")
    code, out, err = run(capsys, "check")
    assert code == 1 and out == ""
    assert f"{repo.root} is an allytui data repo whose allytui.toml is missing or not a plain file" in err
    assert "checkout HEAD -- allytui.toml" in err
    assert not (isolated_user / ".local" / "share" / "allytui").exists()  # the member's own repo was not made


@pytest.mark.parametrize(
    ("text", "said"),
    [("name = [\n", "allytui.toml:"), ("name = 3\n", "allytui.toml: name:")],
)
def test_a_broken_settings_file_is_named_by_check(
    repo: DataRepo, text: str, said: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo.root / "allytui.toml").write_text(text)
    monkeypatch.chdir(repo.root)
    code, out, _ = run(capsys, "check")
    assert code == 1 and out.startswith(said)


def test_a_linked_settings_file_is_not_read(repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('name = "Someone else"\n')
    (repo.root / "allytui.toml").unlink()
    (repo.root / "allytui.toml").symlink_to(elsewhere)
    code, out, _ = cli(capsys, repo, "check")
    assert code == 1 and "allytui.toml: -: is a symbolic link" in out
    assert "Someone else" not in cli(capsys, repo, "summary")[1]


def test_restoring_a_version_never_writes_through_a_linked_folder(repo: DataRepo, outside: Path) -> None:
    from allytui.model.records import Kind
    from allytui.store.errors import InvalidRecord
    from allytui.store.history import restore

    repo.save(Group(id="st-marys", name="St Mary's", category="faith"))
    version = git(repo.root, "rev-parse", "HEAD").strip()
    repo.delete(Kind.GROUPS, "st-marys")
    (repo.root / "groups").rmdir()
    (repo.root / "groups").symlink_to(outside)
    with pytest.raises(InvalidRecord, match="groups: -: is a symbolic link"):
        restore(repo, Kind.GROUPS, "st-marys", version)
    assert sorted(p.name for p in outside.iterdir()) == ["eve.toml"]


def test_the_merge_rule_file_is_never_read_through_a_link(repo: DataRepo, tmp_path: Path) -> None:
    from allytui.sync.driver import ensure_attributes

    secret = tmp_path / "secret.txt"
    secret.write_text("not for the shared repo\n")
    (repo.root / ".gitattributes").unlink()
    (repo.root / ".gitattributes").symlink_to(secret)
    assert ensure_attributes(repo)
    committed = git(repo.root, "show", "HEAD:.gitattributes")
    assert "*.toml merge=binary" in committed and "not for the shared repo" not in committed
    assert not (repo.root / ".gitattributes").is_symlink()
