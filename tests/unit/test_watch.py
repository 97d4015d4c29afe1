"""The repo fingerprint names exactly the record files another writer added, removed or rewrote."""

from __future__ import annotations

import os

from allytui.model.records import Group
from allytui.store.repo import DataRepo
from allytui.store.watch import changed_paths, fingerprint, read_changed


def test_nothing_changed_names_nothing(repo: DataRepo) -> None:
    repo.save(Group(id="t2", name="Town Two", category="faith"))
    assert changed_paths(fingerprint(repo.root), fingerprint(repo.root)) == []


def test_an_in_place_edit_a_new_file_and_a_removal_are_named(repo: DataRepo) -> None:
    repo.save(Group(id="t2", name="Town Two", category="faith"))
    repo.save(Group(id="gone", name="Gone", category="faith"))
    before = fingerprint(repo.root)
    path = repo.root / "groups" / "t2.toml"
    stat = path.stat()
    with path.open("r+") as handle:  # same size, written in place, as some editors do
        handle.write('name = "Town Tw0"')
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    (repo.root / "groups" / "new.toml").write_text('name = "New"\ncategory = "faith"\n')
    (repo.root / "groups" / "gone.toml").unlink()
    (repo.root / "groups" / ".new.toml.tmp-1").write_text("half-written")  # a write in progress: ignored
    after = fingerprint(repo.root)
    assert changed_paths(before, after) == ["groups/gone.toml", "groups/new.toml", "groups/t2.toml"]
    files = {f.rel: f for f in read_changed(repo.root, changed_paths(before, after))}
    assert files["groups/gone.toml"].record is None and not files["groups/gone.toml"].problems
    t2 = files["groups/t2.toml"].record
    assert isinstance(t2, Group) and t2.name == "Town Tw0"


def test_an_app_save_moves_the_git_stamps(repo: DataRepo) -> None:
    before = fingerprint(repo.root)
    repo.save(Group(id="t2", name="Town Two", category="faith"))
    after = fingerprint(repo.root)
    assert before.git != after.git and changed_paths(before, after) == ["groups/t2.toml"]


def test_a_broken_file_comes_back_with_its_problem(repo: DataRepo) -> None:
    (repo.root / "groups").mkdir(exist_ok=True)
    (repo.root / "groups" / "bad.toml").write_text('name = "unterminated\n')
    [found] = read_changed(repo.root, ["groups/bad.toml"])
    assert found.record is None and found.problems and found.problems[0].path == "groups/bad.toml"
