"""Saving, deleting and committing records in a real git data repo."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from allytui.model.records import Group, Kind, Stage
from allytui.store.codec import dump_record
from allytui.store.errors import CommentsWouldBeLost, GitFailed, IdentityMissing, InvalidRecord, RecordExists
from allytui.store.layout import path_of
from allytui.store.repo import DataRepo
from tests.helpers import commit_count, git, one_of_each, save_all


def test_every_kind_round_trips_byte_for_byte(repo: DataRepo) -> None:
    save_all(repo)
    loaded = repo.load()
    assert loaded.problems == []
    for record in one_of_each():
        text = (repo.root / path_of(record)).read_text()
        again = loaded.get(record.KIND, record.id)
        assert again == record
        assert dump_record(again) == text


def test_conversations_are_filed_by_year(repo: DataRepo) -> None:
    save_all(repo)
    assert (repo.root / "conversations" / "2026" / "2026-11-24-st-marys-k3f9.toml").is_file()


def test_one_commit_per_save_with_message_and_author(repo: DataRepo) -> None:
    save_all(repo)
    before = commit_count(repo.root)
    group = repo.read(Kind.GROUPS, "st-marys")
    assert isinstance(group, Group)
    changed = group.model_copy(update={"stage": Stage.IN_CONVERSATION, "next_action": "Ring Rev. Okafor at home"})
    commit = repo.save(changed)
    assert commit is not None
    assert commit_count(repo.root) == before + 1
    subject = git(repo.root, "log", "-1", "--format=%s").strip()
    assert subject == "group st-marys: stage contacted → in conversation; next_action"
    assert "Okafor" not in git(repo.root, "log", "--format=%B")  # free text never reaches a message
    assert git(repo.root, "log", "-1", "--format=%an <%ae>").strip() == "Test Organiser <organiser@example.org>"
    assert git(repo.root, "show", "--format=", "--name-only", "HEAD").split() == ["groups/st-marys.toml"]
    diff = git(repo.root, "show", "--format=", "-U0", "HEAD")
    assert [line for line in diff.splitlines() if line.startswith(("+", "-")) and line[1:2] not in "+-"] == [
        '-stage = "contacted"',
        '+stage = "in_conversation"',
        '-next_action = "Invite to the climate café"',
        '+next_action = "Ring Rev. Okafor at home"',
    ]
    assert git(repo.root, "status", "--porcelain") == ""


def test_saving_the_same_record_again_makes_no_commit(repo: DataRepo) -> None:
    save_all(repo)
    before = commit_count(repo.root)
    assert repo.save(repo.read(Kind.GROUPS, "st-marys")) is None
    assert commit_count(repo.root) == before


def test_hand_edits_elsewhere_are_not_swept_in(repo: DataRepo) -> None:
    save_all(repo)
    person = repo.root / "people" / "rev-okafor.toml"
    person.write_text(person.read_text() + 'notes = "hand edit"\n')
    team = repo.root / "teams" / "riverton-climate.toml"
    team.write_text(team.read_text().replace("core", "many"))
    git(repo.root, "add", "teams/riverton-climate.toml")  # even a staged change stays out
    (repo.root / "scratch.txt").write_text("not a record")

    group = repo.read(Kind.GROUPS, "st-marys")
    repo.save(group.model_copy(update={"influence": 5}))

    assert git(repo.root, "show", "--format=", "--name-only", "HEAD").split() == ["groups/st-marys.toml"]
    status = git(repo.root, "status", "--porcelain").splitlines()
    assert sorted(status) == sorted(["M  teams/riverton-climate.toml", " M people/rev-okafor.toml", "?? scratch.txt"])
    assert "hand edit" in person.read_text()


def test_create_refuses_an_existing_id(repo: DataRepo) -> None:
    save_all(repo)
    with pytest.raises(RecordExists):
        repo.save(Group(id="st-marys", name="Another", category="faith"), create=True)


def test_invalid_record_writes_nothing(repo: DataRepo) -> None:
    save_all(repo)
    before = commit_count(repo.root)
    text = (repo.root / "groups" / "st-marys.toml").read_text()
    group = repo.read(Kind.GROUPS, "st-marys")
    with pytest.raises(InvalidRecord) as raised:
        repo.save(group.model_copy(update={"lead": "nobody"}))
    assert [(p.field, p.message) for p in raised.value.problems] == [
        ("lead", "refers to people/nobody, which does not exist")
    ]
    assert (repo.root / "groups" / "st-marys.toml").read_text() == text
    assert commit_count(repo.root) == before


def test_delete_commits_the_removal(repo: DataRepo) -> None:
    save_all(repo)
    repo.delete(Kind.ACTIVITIES, "winter-climate-cafe")
    assert not (repo.root / "activities" / "winter-climate-cafe.toml").exists()
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "activity winter-climate-cafe: deleted"
    assert git(repo.root, "status", "--porcelain") == ""
    assert "activities" not in git(repo.root, "ls-tree", "--name-only", "HEAD").split()


def test_no_identity_is_a_clear_error_and_nothing_is_written(repo: DataRepo, no_identity: None) -> None:
    before = commit_count(repo.root)
    with pytest.raises(IdentityMissing, match=re.escape("git config --global user.name")):
        repo.save(Group(id="food-bank", name="Riverton Food Bank", category="food_bank"))
    assert not (repo.root / "groups" / "food-bank.toml").exists()
    assert commit_count(repo.root) == before


def test_init_without_identity_leaves_no_half_made_repo(tmp_path: Path, no_identity: None) -> None:
    with pytest.raises(IdentityMissing):
        DataRepo.init(tmp_path / "new")
    assert not (tmp_path / "new" / "allytui.toml").exists()


def _install_hook(repo: DataRepo, name: str, marker: Path) -> None:
    hook = repo.root / ".git" / "hooks" / name
    hook.write_text(f"#!/bin/sh\necho ran >> {marker}\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)


def test_hooks_do_not_run_unless_the_user_opts_in(repo: DataRepo, tmp_path: Path) -> None:
    marker = tmp_path / "hook-ran"
    for name in ("pre-commit", "commit-msg", "post-commit"):
        _install_hook(repo, name, marker)
    repo.save(Group(id="food-bank", name="Riverton Food Bank", category="food_bank"))
    assert not marker.exists()

    git(repo.root, "config", "allytui.runHooks", "true")
    repo = DataRepo.open(repo.root)  # the opt-in is read when a repo is opened
    with pytest.raises(GitFailed, match="hook"):
        repo.save(Group(id="allotments", name="Allotment Society", category="gardening"))
    assert marker.exists()
    assert not (repo.root / "groups" / "allotments.toml").exists()  # put back as it was


def test_a_failed_commit_puts_the_file_back(repo: DataRepo) -> None:
    save_all(repo)
    path = repo.root / "groups" / "st-marys.toml"
    text = path.read_text()
    head = commit_count(repo.root)
    lock = repo.root / ".git" / "refs" / "heads" / "main.lock"
    lock.write_text("")  # another git process is moving the branch
    try:
        with pytest.raises(GitFailed, match="could not record the commit"):
            repo.save(repo.read(Kind.GROUPS, "st-marys").model_copy(update={"influence": 2}))
    finally:
        lock.unlink()
    assert path.read_text() == text
    assert commit_count(repo.root) == head
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # nothing kept aside is left


def test_a_locked_index_after_the_commit_keeps_the_commit(repo: DataRepo) -> None:
    save_all(repo)
    path = repo.root / "groups" / "st-marys.toml"
    lock = repo.root / ".git" / "index.lock"
    lock.write_text("")  # another git process holds the index: only updating it fails, after the commit
    try:
        repo.save(repo.read(Kind.GROUPS, "st-marys").model_copy(update={"influence": 2}))
    finally:
        lock.unlink()
    assert "influence = 2" in path.read_text()
    assert git(repo.root, "show", "HEAD:groups/st-marys.toml") == path.read_text()


def test_writes_leave_no_temp_files(repo: DataRepo) -> None:
    save_all(repo)
    leftovers = [p for p in repo.root.rglob(".*.tmp-*")]
    assert leftovers == []


def test_comments_are_kept_when_the_app_rewrites_a_file(repo: DataRepo) -> None:
    save_all(repo)
    path = repo.root / "groups" / "st-marys.toml"
    text = "# Checked with the parish office in March\n" + path.read_text().replace(
        'stage = "contacted"', 'stage = "contacted"  # after the fete'
    )
    path.write_text(text)
    git(repo.root, "commit", "-qam", "hand comments")
    repo.save(repo.read(Kind.GROUPS, "st-marys").model_copy(update={"stage": Stage.MEETING}))
    saved = path.read_text()
    assert saved.startswith("# Checked with the parish office in March\n")
    assert 'stage = "meeting"  # after the fete\n' in saved


def test_dropping_a_comment_needs_consent(repo: DataRepo) -> None:
    save_all(repo)
    path = repo.root / "groups" / "st-marys.toml"
    path.write_text(path.read_text().replace("influence = 4", "# ask again after Easter\ninfluence = 4"))
    git(repo.root, "commit", "-qam", "hand comment")
    group = repo.read(Kind.GROUPS, "st-marys").model_copy(update={"influence": None})
    with pytest.raises(CommentsWouldBeLost) as raised:
        repo.save(group)
    comment_line = path.read_text().splitlines().index("# ask again after Easter") + 1
    assert raised.value.lines == [comment_line]
    assert "ask again" in path.read_text()
    repo.save(group, drop_comments=True)
    assert "ask again" not in path.read_text()


def test_text_that_looks_like_a_conflict_marker_round_trips(repo: DataRepo) -> None:
    notes = "Agenda\n=======\n<<<<<<< not a conflict\n>>>>>>> nor this"
    repo.save(Group(id="food-bank", name="Food Bank", category="food_bank", notes=notes))
    loaded = repo.load()
    assert loaded.problems == []
    assert loaded.get(Kind.GROUPS, "food-bank").notes == notes


def test_empty_contact_details_leave_no_table(repo: DataRepo) -> None:
    from allytui.model.records import Person

    repo.save(Person(id="sam", name="Sam", contact={"email": ""}))
    assert (repo.root / "people" / "sam.toml").read_text() == 'name = "Sam"\n'
