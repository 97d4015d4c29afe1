"""Saving an edit merges the user's changes onto the file as it is now: another writer's change is never lost."""

from __future__ import annotations

import threading
import time

import pytest

from allytui.model.records import Group, Stage
from allytui.store.repo import DataRepo
from allytui.sync.edits import ChangedOnDiskInvalid, save_edit, settle
from tests.helpers import commit_count, git

T2 = Group(id="t2", name="Town Two", category="faith", aims="One\nTwo\nThree\nFour\n", tags=["a"])


@pytest.fixture
def t2(repo: DataRepo) -> Group:
    repo.save(T2)
    return T2


def outside_set(repo: DataRepo, **changes: object) -> None:
    """Another writer (the CLI, another app) changes the record and commits."""
    current = repo.read(T2.KIND, "t2")
    repo.save(current.model_copy(update=changes))


def test_a_change_made_since_the_form_opened_is_kept(repo: DataRepo, t2: Group) -> None:
    outside_set(repo, next_action="cli step")
    outcome = save_edit(repo, t2, t2.model_copy(update={"name": "Town Two Renamed"}))
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group)
    assert (now.name, now.next_action) == ("Town Two Renamed", "cli step")
    assert outcome.commit is not None
    assert outcome.commit.message == "group t2: name"


def test_both_changing_a_field_differently_saves_nothing_and_asks(repo: DataRepo, t2: Group) -> None:
    outside_set(repo, next_action="cli step")
    before = (repo.root / "groups/t2.toml").read_bytes()
    commits = commit_count(repo.root)
    mine = t2.model_copy(update={"next_action": "form step", "name": "Renamed"})
    outcome = save_edit(repo, t2, mine)
    assert outcome.commit is None and outcome.record is None
    assert [(c.field, c.mine, c.theirs) for c in outcome.clashes] == [("next_action", "form step", "cli step")]
    assert (repo.root / "groups/t2.toml").read_bytes() == before
    assert commit_count(repo.root) == commits

    assert outcome.theirs is not None
    base, mine = settle(t2, mine, outcome.theirs, {"next_action": True})
    again = save_edit(repo, base, mine)
    assert again.commit is not None and not again.clashes
    assert again.commit.message == "group t2: name; next_action"
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and (now.name, now.next_action) == ("Renamed", "form step")


def test_taking_their_value_keeps_it_and_saves_the_rest(repo: DataRepo, t2: Group) -> None:
    outside_set(repo, stage=Stage.CONTACTED)
    mine = t2.model_copy(update={"stage": Stage.SHORTLISTED, "area": "Northfield"})
    outcome = save_edit(repo, t2, mine)
    assert [c.field for c in outcome.clashes] == ["stage"] and outcome.theirs is not None
    again = save_edit(repo, *settle(t2, mine, outcome.theirs, {"stage": False}))
    assert again.commit is not None and again.commit.message == "group t2: area"
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and (now.stage, now.area) == (Stage.CONTACTED, "Northfield")


def test_long_text_changed_on_different_lines_is_merged(repo: DataRepo, t2: Group) -> None:
    outside_set(repo, aims="One (theirs)\nTwo\nThree\nFour\n")
    outcome = save_edit(repo, t2, t2.model_copy(update={"aims": "One\nTwo\nThree\nFour (mine)\n"}))
    assert not outcome.clashes
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and now.aims == "One (theirs)\nTwo\nThree\nFour (mine)\n"


def test_list_additions_from_both_sides_are_kept(repo: DataRepo, t2: Group) -> None:
    outside_set(repo, tags=["a", "cli"])
    save_edit(repo, t2, t2.model_copy(update={"tags": ["a", "form"]}))
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and sorted(now.tags) == ["a", "cli", "form"]


def test_a_hand_edit_not_yet_committed_is_kept(repo: DataRepo, t2: Group) -> None:
    path = repo.root / "groups/t2.toml"
    path.write_text(path.read_text() + 'notes = "written by hand"\n')
    save_edit(repo, t2, t2.model_copy(update={"area": "Northfield"}))
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and (now.notes, now.area) == ("written by hand", "Northfield")
    assert git(repo.root, "status", "--porcelain") == ""


def test_nothing_changed_writes_nothing(repo: DataRepo, t2: Group) -> None:
    outside_set(repo, next_action="cli step")
    commits = commit_count(repo.root)
    outcome = save_edit(repo, t2, t2.model_copy())
    assert outcome.commit is None and outcome.record is None and not outcome.clashes
    assert commit_count(repo.root) == commits
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and now.next_action == "cli step"


def test_a_record_deleted_meanwhile_is_not_brought_back(repo: DataRepo, t2: Group) -> None:
    repo.delete(T2.KIND, "t2")
    outcome = save_edit(repo, t2, t2.model_copy(update={"name": "Renamed"}))
    assert outcome.gone and outcome.commit is None
    assert not (repo.root / "groups/t2.toml").exists()


def test_a_file_broken_meanwhile_is_left_alone_with_a_clear_message(repo: DataRepo, t2: Group) -> None:
    path = repo.root / "groups/t2.toml"
    path.write_text('name = "Town Two\n')  # unterminated string, as a half-finished hand edit might leave it
    with pytest.raises(ChangedOnDiskInvalid) as raised:
        save_edit(repo, t2, t2.model_copy(update={"name": "Renamed"}))
    assert "groups/t2.toml" in str(raised.value) and "Nothing was saved" in str(raised.value)
    assert path.read_text() == 'name = "Town Two\n'


def test_cli_set_reads_the_record_under_the_lock(repo: DataRepo, t2: Group) -> None:
    """`allytui set` while another writer holds the lock: it reads after that writer is done, not before."""
    from allytui.cli.main import main
    from allytui.store import git as gitops

    result: list[int] = []
    with gitops.repo_lock(repo.git_repo):
        cli = threading.Thread(
            target=lambda: result.append(main(["--repo", str(repo.root), "set", "groups/t2", "area=Northfield"]))
        )
        cli.start()
        time.sleep(0.5)  # the CLI is started and waiting for the lock
        outside_set(repo, next_action="other writer")  # committed while the CLI waits
    cli.join(10)
    assert result == [0]
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and (now.area, now.next_action) == ("Northfield", "other writer")


def test_an_import_checked_before_another_writer_saved_writes_nothing(repo: DataRepo, t2: Group) -> None:
    from allytui.store.errors import AllytuiError
    from allytui.store.importing import apply_import, plan_import

    rows = [
        {"id": "t2", "name": "Town Two", "category": "faith", "area": "Northfield"},
        {"id": "t3", "name": "Town Three", "category": "faith", "area": ""},
    ]
    plan = plan_import(repo, T2.KIND, rows, update=True)
    assert not plan.bad and plan.updated == 1 and plan.created == 1
    outside_set(repo, next_action="other writer")  # while the app asks "Import them as one commit?"
    commits = commit_count(repo.root)
    with pytest.raises(AllytuiError, match="groups/t2 was changed by someone else"):
        apply_import(repo, plan)
    assert commit_count(repo.root) == commits and not repo.exists(T2.KIND, "t3")
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and (now.next_action, now.area) == ("other writer", "")

    plan = plan_import(repo, T2.KIND, rows, update=True)
    repo.save(Group(id="t3", name="Made meanwhile", category="sports"))
    with pytest.raises(AllytuiError, match="groups/t3 was changed by someone else"):
        apply_import(repo, plan)
    assert repo.read(T2.KIND, "t3").label == "Made meanwhile"

    assert apply_import(repo, plan_import(repo, T2.KIND, rows, update=True)) is not None  # checked afresh: fine


def test_restoring_a_version_does_not_undo_a_change_committed_since_the_history_was_shown(
    repo: DataRepo, t2: Group
) -> None:
    from allytui.store.errors import AllytuiError
    from allytui.store.history import restore

    first = git(repo.root, "rev-parse", "HEAD").strip()
    outside_set(repo, area="Northfield")
    shown_as_now = (repo.root / "groups/t2.toml").read_bytes()  # the history screen opens here
    outside_set(repo, next_action="other writer")  # then someone commits
    commits = commit_count(repo.root)
    with pytest.raises(AllytuiError, match="changed by someone else since its history was shown"):
        restore(repo, T2.KIND, "t2", first, expected=shown_as_now)
    assert commit_count(repo.root) == commits
    now = repo.read(T2.KIND, "t2")
    assert isinstance(now, Group) and now.next_action == "other writer"
    current = (repo.root / "groups/t2.toml").read_bytes()
    assert restore(repo, T2.KIND, "t2", first, expected=current) is not None  # as shown: restored
