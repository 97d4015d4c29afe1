"""Sync between clones: every step-4 merge case, pushes that race, offline, plain git pull, safety."""

from __future__ import annotations

import pytest

from allytui.model.enums import Stage
from allytui.model.records import Group, Kind
from allytui.store.errors import InvalidRecord
from allytui.store.repo import DataRepo
from allytui.sync.driver import sync
from allytui.sync.remote import RemoteUnreachable, SyncError, check_remote_url
from tests.helpers import commit_count, git
from tests.sync.conftest import Shared


def group(repo: DataRepo, group_id: str = "st-marys") -> Group:
    record = repo.read(Kind.GROUPS, group_id)
    assert isinstance(record, Group)
    return record


def edit(repo: DataRepo, group_id: str = "st-marys", **changes: object) -> None:
    repo.save(group(repo, group_id).model_copy(update=changes))


def both_in_step(shared: Shared) -> None:
    """Sync Ana, then Ben, then Ana again: both clones must end with the same commit and files."""
    sync(shared.ana)
    sync(shared.ben)
    sync(shared.ana)
    assert git(shared.ana.root, "rev-parse", "HEAD") == git(shared.ben.root, "rev-parse", "HEAD")
    for rel in git(shared.ana.root, "ls-files").split():
        assert (shared.ana.root / rel).read_bytes() == (shared.ben.root / rel).read_bytes(), rel
    for repo in (shared.ana, shared.ben):
        assert git(repo.root, "status", "--porcelain") == ""
        assert repo.load().problems == []


def test_different_fields_changed_both_kept(shared: Shared) -> None:
    edit(shared.ana, stage=Stage.CONTACTED)
    edit(shared.ben, influence=4)
    both_in_step(shared)
    merged = group(shared.ana)
    assert (merged.stage, merged.influence, merged.conflicts) == (Stage.CONTACTED, 4, [])
    assert "merged field by field" in git(shared.ana.root, "log", "-1", "--format=%s")


def test_long_text_changed_in_different_places_is_merged_line_wise(shared: Shared) -> None:
    edit(shared.ana, aims="Line one, edited by Ana\nLine two\nLine three\nLine four\n")
    edit(shared.ben, aims="Line one\nLine two\nLine three\nLine four, edited by Ben\n")
    both_in_step(shared)
    assert group(shared.ben).aims == "Line one, edited by Ana\nLine two\nLine three\nLine four, edited by Ben\n"
    assert group(shared.ben).conflicts == []


def test_lists_take_additions_and_removals_from_both_sides(shared: Shared, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-20T10:00:00")
    edit(shared.ana, tags=["faith", "venue"])
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-21T10:00:00")
    edit(shared.ben, tags=["hall"])  # removes faith, adds hall; the later change, so its items come first
    both_in_step(shared)
    assert group(shared.ana).tags == ["hall", "venue"]


def test_same_field_two_values_later_wins_and_the_other_is_kept(
    shared: Shared, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-20T10:00:00")
    edit(shared.ana, stage=Stage.CONTACTED)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-21T10:00:00")
    edit(shared.ben, stage=Stage.DECLINED)  # the later change
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    both_in_step(shared)
    merged = group(shared.ana)
    assert merged.stage is Stage.DECLINED
    assert [(c.field, c.other, c.author) for c in merged.conflicts] == [("stage", "contacted", "Ana")]
    assert "conflict" in git(shared.ana.root, "log", "-1", "--format=%s")
    text = (shared.ana.root / "groups" / "st-marys.toml").read_text()
    assert 'field = "stage", other = "contacted"' in text and '\\"' not in text  # as the field holds it, not JSON


def test_edited_on_one_side_deleted_on_the_other_keeps_the_edit(shared: Shared) -> None:
    edit(shared.ana, next_action="Ring the vicar")
    shared.ben.delete(Kind.GROUPS, "st-marys")
    both_in_step(shared)
    kept = group(shared.ben)
    assert kept.next_action == "Ring the vicar"
    assert [(c.field, c.author) for c in kept.conflicts] == [("(deleted)", "Ben")]


def test_same_new_id_on_both_sides_is_merged_and_shown(shared: Shared, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-20T10:00:00")
    shared.ana.save(Group(id="food-bank", name="Riverton Food Bank", category="food_bank", influence=3, tags=["food"]))
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-21T10:00:00")
    shared.ben.save(Group(id="food-bank", name="Riverton Foodbank", category="food_bank", tags=["mutual-aid"]))
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    both_in_step(shared)
    merged = group(shared.ana, "food-bank")
    assert (merged.name, merged.influence, merged.tags) == ("Riverton Foodbank", 3, ["mutual-aid", "food"])
    assert [(c.field, c.other) for c in merged.conflicts] == [("name", "Riverton Food Bank")]


def test_deleted_on_one_side_untouched_on_the_other_is_deleted(shared: Shared) -> None:
    shared.ben.delete(Kind.GROUPS, "st-marys")
    shared.ana.save(Group(id="allotments", name="Allotments", category="gardening"))
    both_in_step(shared)
    assert not shared.ana.exists(Kind.GROUPS, "st-marys")


def test_a_rejected_push_fetches_merges_and_pushes_again(shared: Shared) -> None:
    cat = shared.third("cat")
    edit(shared.ben, influence=2)
    edit(cat, stage=Stage.SHORTLISTED)
    raced = []

    def someone_pushes_first(step: str) -> None:
        if step == "pushing" and not raced:
            raced.append(step)
            sync(cat)  # cat gets in first

    report = sync(shared.ben, progress=someone_pushes_first)
    assert report.pushed and raced
    sync(cat)
    merged = group(cat)
    assert (merged.influence, merged.stage) == (2, Stage.SHORTLISTED)


def test_unreachable_remote_keeps_local_commits(shared: Shared) -> None:
    edit(shared.ben, influence=5)
    before = git(shared.ben.root, "rev-parse", "HEAD")
    git(shared.ben.root, "remote", "set-url", "origin", str(shared.tmp / "gone.git"))
    with pytest.raises(RemoteUnreachable, match="go with the next sync"):
        sync(shared.ben)
    assert git(shared.ben.root, "rev-parse", "HEAD") == before
    git(shared.ben.root, "remote", "set-url", "origin", str(shared.remote))
    assert sync(shared.ben).pushed


def test_plain_git_pull_conflict_is_finished_by_sync(shared: Shared) -> None:
    edit(shared.ana, stage=Stage.CONTACTED)
    sync(shared.ana)
    edit(shared.ben, influence=3)
    result = git(shared.ben.root, "-c", "pull.rebase=false", "pull", "-q", "origin", "main", check=False)
    assert "CONFLICT" in result or "conflict" in result.lower()
    text = (shared.ben.root / "groups" / "st-marys.toml").read_text()
    assert "<<<<<<<" not in text  # merge=binary: git leaves our version, never markers
    report = sync(shared.ben)
    assert report.pushed
    merged = group(shared.ben)
    assert (merged.stage, merged.influence) == (Stage.CONTACTED, 3)
    assert git(shared.ben.root, "status", "--porcelain") == ""


def test_invalid_incoming_record_stops_the_sync_and_changes_nothing(shared: Shared) -> None:
    path = shared.ana.root / "groups" / "st-marys.toml"
    path.write_text(path.read_text().replace('category = "faith"', 'category = "bakery"'))
    git(shared.ana.root, "commit", "-qam", "plain git commit of a bad value")
    git(shared.ana.root, "push", "-q", "origin", "main")
    edit(shared.ben, influence=1)
    (shared.ben.root / "groups" / "st-marys.toml").write_text(
        (shared.ben.root / "groups" / "st-marys.toml").read_text().replace("influence = 1", "influence = 2")
    )  # an uncommitted hand edit, which the sync commits first
    head, status = git(shared.ben.root, "rev-parse", "HEAD"), git(shared.ben.root, "status", "--porcelain")
    with pytest.raises(InvalidRecord) as raised:
        sync(shared.ben)
    assert [(p.path, p.field) for p in raised.value.problems] == [("groups/st-marys.toml", "category")]
    assert git(shared.ben.root, "rev-parse", "HEAD") == head
    assert git(shared.ben.root, "status", "--porcelain") == status


def test_invalid_hand_edit_stops_the_sync_before_anything_is_sent(shared: Shared) -> None:
    path = shared.ben.root / "groups" / "st-marys.toml"
    path.write_text(path.read_text() + "colour = 'red'\n")
    remote_head = git(shared.remote, "rev-parse", "main")
    with pytest.raises(InvalidRecord):
        sync(shared.ben)
    assert git(shared.remote, "rev-parse", "main") == remote_head
    assert "colour" in path.read_text()


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% /tmp/pwned",
        "fd::17",
        "-oProxyCommand=touch /tmp/pwned",
        "git://example.org/x",
        "http://example.org/x",
        "a::b",
        "file::x",
    ],
)
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(SyncError):
        check_remote_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "ssh://git@example.org/riverton.git",
        "git@example.org:riverton.git",
        "host:path",  # an ssh-config alias
        "https://example.org/r.git",
        "/media/usb/riverton.git",
        "../shared.git",
    ],
)
def test_safe_urls_are_accepted(url: str) -> None:
    assert check_remote_url(url) == url


def test_sync_refuses_an_unsafe_configured_remote(shared: Shared) -> None:
    git(shared.ben.root, "remote", "set-url", "origin", "ext::sh -c false")
    with pytest.raises(SyncError, match="refusing"):
        sync(shared.ben)


def test_nothing_to_do_is_quiet(shared: Shared) -> None:
    before = commit_count(shared.ben.root)
    report = sync(shared.ben)
    assert report.nothing_to_push and not report.incoming
    assert commit_count(shared.ben.root) == before


def test_a_failure_after_merging_puts_the_repo_back(shared: Shared) -> None:
    edit(shared.ana, stage=Stage.CONTACTED)
    sync(shared.ana)
    edit(shared.ben, influence=4)
    git(shared.remote, "config", "receive.maxInputSize", "10")  # the shared repo refuses the push
    before_head = git(shared.ben.root, "rev-parse", "HEAD")
    before_files = {p: (shared.ben.root / p).read_bytes() for p in git(shared.ben.root, "ls-files").split()}
    with pytest.raises(SyncError):
        sync(shared.ben)
    assert git(shared.ben.root, "rev-parse", "HEAD") == before_head
    assert git(shared.ben.root, "status", "--porcelain") == ""
    for rel, data in before_files.items():
        assert (shared.ben.root / rel).read_bytes() == data
    git(shared.remote, "config", "--unset", "receive.maxInputSize")
    assert sync(shared.ben).pushed
    assert group(shared.ben).stage is Stage.CONTACTED and group(shared.ben).influence == 4


def test_a_reference_left_dangling_by_a_merge_is_reported(shared: Shared) -> None:
    from allytui.model.records import Person

    shared.ana.save(Person(id="rev-helen", name="Rev. Helen", groups=["st-marys"]))
    sync(shared.ana)
    sync(shared.ben)
    shared.ben.delete(Kind.PEOPLE, "rev-helen")
    sync(shared.ben)
    edit(shared.ana, lead="rev-helen")  # Ana, not yet synced, points the group at someone Ben removed
    report = sync(shared.ana)
    assert [(p.path, p.field) for p in report.dangling] == [("groups/st-marys.toml", "lead")]
    assert any(
        line.startswith("note: groups/st-marys.toml: lead: refers to people/rev-helen") for line in report.summary()
    )
