"""The record cache: every load that uses it equals a fresh parse, whatever happened to the files or the cache."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from allytui.model.records import Group, Kind, Person
from allytui.model.validation import Problem
from allytui.store import loader, record_cache
from allytui.store.loader import Loaded, load_repo
from allytui.store.record_cache import CACHE_NAME, read_entries, write_entries
from allytui.store.repo import DataRepo
from tests.helpers import git
from tests.sealing_kit import make_key, nothing_plain, seal_team

GROUP = "groups/st-marys.toml"


def cache_file(root: Path) -> Path:
    return root / ".git" / "allytui" / CACHE_NAME


def same_as_fresh(root: Path) -> Loaded:
    """Load through the cache, check it equals a load that parses every file, and return it."""
    cached = load_repo(root)
    fresh = load_repo(root, use_cache=False)
    assert cached.records == fresh.records
    assert {k: list(v) for k, v in cached.records.items()} == {k: list(v) for k, v in fresh.records.items()}
    assert cached.problems == fresh.problems
    assert cached.settings == fresh.settings
    return cached


@pytest.fixture
def warm(full_repo: DataRepo) -> DataRepo:
    """The full repo, its index's stat data up to date (as after a clone), its records cached by a first load."""
    git(full_repo.root, "update-index", "-q", "--refresh")
    first = load_repo(full_repo.root)
    assert first.count() == 6 and not first.problems
    assert load_repo(full_repo.root).parsed == 0
    return full_repo


def test_a_second_load_parses_nothing_and_equals_a_fresh_one(full_repo: DataRepo) -> None:
    cache_file(full_repo.root).unlink(missing_ok=True)
    assert load_repo(full_repo.root).parsed == 6
    assert cache_file(full_repo.root).is_file()
    assert same_as_fresh(full_repo.root).parsed == 0
    assert set(read_entries(cache_file(full_repo.root))) == {
        "teams/riverton-climate.toml",
        "people/ana.toml",
        "people/rev-okafor.toml",
        GROUP,
        "conversations/2026/2026-11-24-st-marys-k3f9.toml",
        "activities/winter-climate-cafe.toml",
    }


def test_a_record_git_holds_unchanged_comes_from_the_cache_unread(warm: DataRepo) -> None:
    """Proof that the cache is what answers: a record put in it by hand under the file's blob id is the one loaded."""
    path = cache_file(warm.root)
    entries = read_entries(path)
    blob, group = entries[GROUP]
    entries[GROUP] = (blob, group.model_copy(update={"name": "From the cache"}))
    write_entries(path, entries)
    assert load_repo(warm.root).records[Kind.GROUPS]["st-marys"].name == "From the cache"
    # ... and never once the file's bytes are no longer that blob
    (warm.root / GROUP).write_text((warm.root / GROUP).read_text().replace("Serve", "Feed"))
    loaded = same_as_fresh(warm.root)
    assert loaded.records[Kind.GROUPS]["st-marys"].name == "St Mary's Church"
    assert loaded.parsed == 1


def test_a_hand_edit_is_parsed_again(warm: DataRepo) -> None:
    text = (warm.root / GROUP).read_text()
    (warm.root / GROUP).write_text(text.replace('name = "St Mary\'s Church"', 'name = "St Mary\'s Minster"'))
    loaded = same_as_fresh(warm.root)
    assert loaded.records[Kind.GROUPS]["st-marys"].name == "St Mary's Minster"
    assert loaded.parsed == 1


def test_an_edit_in_the_second_the_index_was_written_is_seen(warm: DataRepo) -> None:
    """Racy git: the file staged, then changed to the same size within the same second (so its mtime, to
    git's granularity, is the one the index holds): git's content check, hence the blob id, decides."""
    path = warm.root / GROUP
    text = path.read_text()
    assert "influence = 4" in text
    for value in range(5, 9):  # until the staging and the edit fall in one second
        start = time.time()
        path.write_text(text.replace("influence = 4", "influence = 3"))
        git(warm.root, "add", GROUP)
        assert load_repo(warm.root).records[Kind.GROUPS]["st-marys"].influence == 3  # cached as blob 3
        path.write_text(text.replace("influence = 4", f"influence = {value}"))
        if int(os.stat(path).st_mtime) == int(start):
            break
    assert os.stat(path).st_size == len(text.encode())
    assert same_as_fresh(warm.root).records[Kind.GROUPS]["st-marys"].influence == value


def test_a_file_marked_assume_unchanged_is_read_anyway(warm: DataRepo) -> None:
    git(warm.root, "update-index", "--assume-unchanged", GROUP)
    path = warm.root / GROUP
    path.write_text(path.read_text().replace("influence = 4", "influence = 2"))
    assert GROUP not in git(warm.root, "diff-files", "--name-only")  # git itself no longer looks
    assert same_as_fresh(warm.root).records[Kind.GROUPS]["st-marys"].influence == 2


def test_checking_out_another_commit(warm: DataRepo) -> None:
    group = warm.read(Kind.GROUPS, "st-marys")
    assert isinstance(group, Group)
    warm.save(group.model_copy(update={"influence": 1}))
    warm.save(Person(id="new-face", name="New Face"))
    assert same_as_fresh(warm.root).records[Kind.GROUPS]["st-marys"].influence == 1
    git(warm.root, "checkout", "-q", "HEAD~2")
    loaded = same_as_fresh(warm.root)
    assert loaded.records[Kind.GROUPS]["st-marys"].influence == 4
    assert "new-face" not in loaded.records[Kind.PEOPLE]
    git(warm.root, "checkout", "-q", "main")
    assert same_as_fresh(warm.root).records[Kind.GROUPS]["st-marys"].influence == 1


def test_new_untracked_and_deleted_files(warm: DataRepo) -> None:
    (warm.root / "people" / "walk-in.toml").write_text('name = "Walk In"\n')
    assert "walk-in" in same_as_fresh(warm.root).records[Kind.PEOPLE]
    (warm.root / "people" / "walk-in.toml").unlink()
    (warm.root / "people" / "rev-okafor.toml").unlink()
    loaded = same_as_fresh(warm.root)
    assert "walk-in" not in loaded.records[Kind.PEOPLE] and "rev-okafor" not in loaded.records[Kind.PEOPLE]
    assert any("rev-okafor" in p.message for p in loaded.problems)  # references between records: found afresh


def test_invalid_files_are_never_cached(warm: DataRepo) -> None:
    path = warm.root / GROUP
    good = path.read_text()
    path.write_text(good.replace("influence = 4", 'influence = "lots"'))
    git(warm.root, "commit", "-qam", "a bad value")  # git holds it as unchanged from now on
    for _ in range(2):
        loaded = same_as_fresh(warm.root)
        assert "st-marys" not in loaded.records[Kind.GROUPS]
        assert [p.field for p in loaded.problems if p.path == GROUP] == ["influence"]
        assert loaded.parsed == 1
    cache_file(warm.root).unlink()
    load_repo(warm.root)
    assert GROUP not in read_entries(cache_file(warm.root))
    path.write_text(good)
    assert same_as_fresh(warm.root).records[Kind.GROUPS]["st-marys"].influence == 4


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-10] + bytes(b ^ 0xFF for b in data[-10:]), id="payload-flipped"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache at all\n" * 50, id="garbage"),
        pytest.param(lambda data: data[:30] + b"X" + data[31:], id="header-changed"),
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(warm: DataRepo, damage: object) -> None:
    path = cache_file(warm.root)
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    assert read_entries(path) == {}
    loaded = same_as_fresh(warm.root)
    assert loaded.parsed == 6
    assert len(read_entries(path)) == 6
    assert load_repo(warm.root).parsed == 0


def test_another_format_version_or_models_is_ignored_and_rebuilt(
    warm: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_cache, "FORMAT", record_cache.FORMAT + 1)
    assert same_as_fresh(warm.root).parsed == 6
    assert load_repo(warm.root).parsed == 0
    monkeypatch.setattr(record_cache, "_FINGERPRINT", b"\0" * 32)  # as if the models' source had changed
    assert same_as_fresh(warm.root).parsed == 6
    monkeypatch.undo()
    assert load_repo(warm.root).parsed == 6  # the cache the other version wrote is not this one's either


class _Runs:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (self.marker,))


def test_a_cache_that_would_run_code_is_refused(warm: DataRepo, tmp_path: Path) -> None:
    """Even with a right header and digest, unpickling makes nothing but allytui's models and dates."""
    marker = tmp_path / "ran"
    payload = pickle.dumps({GROUP: ("0" * 40, _Runs(str(marker)))}, protocol=5)
    cache_file(warm.root).write_bytes(record_cache.frame({Kind.GROUPS: payload}))
    assert read_entries(cache_file(warm.root)) == {}
    same_as_fresh(warm.root)
    assert not marker.exists()


def test_two_processes_loading_at_once(full_repo: DataRepo) -> None:
    script = "import sys; from pathlib import Path; from allytui.store.loader import load_repo; "
    script += "print(load_repo(Path(sys.argv[1])).count())"
    for _ in range(3):
        cache_file(full_repo.root).unlink(missing_ok=True)
        runs = [
            subprocess.Popen([sys.executable, "-c", script, str(full_repo.root)], stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        assert [run.communicate()[0].strip() for run in runs] == ["6", "6"]
        assert len(read_entries(cache_file(full_repo.root))) == 6
        assert same_as_fresh(full_repo.root).parsed == 0
    leftovers = [p.name for p in cache_file(full_repo.root).parent.iterdir() if p.name != CACHE_NAME]
    assert leftovers == []


def test_sealed_values_are_cached_sealed(repo: DataRepo, tmp_path: Path) -> None:
    seal_team(repo, ("ana", make_key(tmp_path / "keys", "ana")))
    cache_file(repo.root).unlink(missing_ok=True)
    loaded = load_repo(repo.root)
    assert "BEGIN AGE" in str(loaded.records[Kind.PEOPLE]["cy"].notes)
    assert "people/cy.toml" in read_entries(cache_file(repo.root))
    assert nothing_plain(cache_file(repo.root).read_bytes().decode("latin-1"))
    assert same_as_fresh(repo.root).records[Kind.PEOPLE]["cy"] == loaded.records[Kind.PEOPLE]["cy"]


def test_a_repo_without_a_git_folder_loads_without_a_cache(full_repo: DataRepo, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    subprocess.run(["cp", "-r", str(full_repo.root), str(plain)], check=True)
    subprocess.run(["rm", "-rf", str(plain / ".git")], check=True)
    assert load_repo(plain).parsed == 6
    assert load_repo(plain).parsed == 6
    assert load_repo(plain).records == load_repo(full_repo.root).records


def test_a_writer_killed_before_its_rename_leaves_nothing_for_long(warm: DataRepo) -> None:
    folder = cache_file(warm.root).parent
    old = folder / f".{CACHE_NAME}.tmp-dead0000"
    young = folder / f".{CACHE_NAME}.tmp-busy0000"
    old.write_bytes(b"half a cache")
    young.write_bytes(b"another writer's, still writing")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    (warm.root / GROUP).write_text((warm.root / GROUP).read_text().replace("influence = 4", "influence = 3"))
    assert load_repo(warm.root).parsed == 1  # the cache is written again ...
    assert not old.exists()  # ... and takes away what a killed writer left
    assert young.exists()


def test_without_git_every_file_is_hashed_and_the_cache_still_answers(
    warm: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no git to ask which files are unchanged
    loaded = same_as_fresh(warm.root)
    assert loaded.parsed == 0


def test_a_cached_record_of_another_kind_or_id_is_never_taken(warm: DataRepo) -> None:
    """An entry under the file's own blob id, holding some other record (a cache from a renamed file,
    or made by hand), is parsed over, whether git vouches for the file or its bytes are hashed."""
    path = cache_file(warm.root)
    entries = read_entries(path)
    blob, _ = entries[GROUP]
    entries[GROUP] = (blob, entries["people/ana.toml"][1])
    write_entries(path, entries)
    assert same_as_fresh(warm.root).records[Kind.GROUPS]["st-marys"].name == "St Mary's Church"
    write_entries(path, entries)
    an_hour_ago = time.time() - 3600
    os.utime(warm.root / GROUP, (an_hour_ago, an_hour_ago))  # stat data no longer the index's: its bytes are hashed
    assert GROUP in git(warm.root, "diff-files", "--name-only")
    loaded = same_as_fresh(warm.root)
    assert loaded.records[Kind.GROUPS]["st-marys"].name == "St Mary's Church"
    assert "st-marys" not in loaded.records[Kind.PEOPLE]


def test_forgetting_the_cache_takes_a_killed_writers_copy_too(warm: DataRepo) -> None:
    folder = cache_file(warm.root).parent
    (folder / f".{CACHE_NAME}.tmp-dead0000").write_bytes(b"half a cache")
    record_cache.forget(warm.root / ".git")
    assert list(folder.iterdir()) == []
    assert same_as_fresh(warm.root).parsed == 6


def test_a_load_of_one_kind_reads_that_kind_only_and_keeps_the_others_cached(warm: DataRepo) -> None:
    full = load_repo(warm.root)
    groups = load_repo(warm.root, kinds=[Kind.GROUPS])
    assert groups.records[Kind.GROUPS] == full.records[Kind.GROUPS]
    assert groups.count() == len(full.records[Kind.GROUPS]) and groups.parsed == 0
    (warm.root / GROUP).write_text((warm.root / GROUP).read_text().replace("influence = 4", "influence = 3"))
    assert load_repo(warm.root, kinds=[Kind.GROUPS]).parsed == 1  # and written back, with the other kinds' sections
    assert len(read_entries(cache_file(warm.root))) == 6
    loaded = same_as_fresh(warm.root)
    assert loaded.parsed == 0 and loaded.records[Kind.GROUPS]["st-marys"].influence == 3


def test_a_load_of_one_kind_reports_its_own_files_problems_only(warm: DataRepo) -> None:
    (warm.root / "people/ana.toml").write_text("name = [broken\n")
    assert [p.path for p in load_repo(warm.root, kinds=[Kind.GROUPS]).problems] == []
    assert "people/ana.toml" in [p.path for p in load_repo(warm.root, kinds=[Kind.PEOPLE]).problems]
    assert "people/ana.toml" in [p.path for p in same_as_fresh(warm.root).problems]


def test_a_damaged_section_of_another_kind_does_not_touch_a_load_of_one_kind(warm: DataRepo) -> None:
    path = cache_file(warm.root)
    data = path.read_bytes()
    path.write_bytes(data[:-10] + bytes(b ^ 0xFF for b in data[-10:]))  # the last section: activities
    assert read_entries(path, [Kind.GROUPS]) != {} and read_entries(path) == {}
    assert load_repo(warm.root, kinds=[Kind.GROUPS]).parsed == 0
    assert same_as_fresh(warm.root).parsed == 6  # a whole load trusts no part of a damaged file
    assert load_repo(warm.root).parsed == 0


def test_a_repo_named_by_a_relative_path_uses_its_cache(warm: DataRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """git is asked which files are unchanged (no file read and hashed) wherever the path is relative to."""
    monkeypatch.chdir(warm.root.parent)
    cache = record_cache.RecordCache.open(Path(warm.root.name))
    taken = cache.take(Kind.GROUPS) if cache is not None else None
    assert taken is not None and "st-marys" in taken.records and taken.pending == []
    assert load_repo(Path(warm.root.name)).parsed == 0


@pytest.fixture
def no_walk(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Folders walked from now on (a walk of every file is what the cache spares a load git can vouch for)."""
    walked: list[str] = []
    original = loader._files

    def counting(root: Path, kind: Kind, problems: list[Problem]) -> list[tuple[str, str]]:
        walked.append(kind.value)
        return original(root, kind, problems)

    monkeypatch.setattr(loader, "_files", counting)
    return walked


def test_a_load_git_vouches_for_walks_no_folder(warm: DataRepo, no_walk: list[str]) -> None:
    assert load_repo(warm.root).parsed == 0
    assert no_walk == []
    assert same_as_fresh(warm.root).parsed == 0  # (whose fresh load walks them all)
    assert sorted(no_walk) == sorted(kind.value for kind in Kind)


def test_after_a_save_the_saved_file_alone_is_read(warm: DataRepo, no_walk: list[str]) -> None:
    """A save leaves the file's index entry without stat data (git diff-files names it): its bytes are hashed."""
    group = warm.read(Kind.GROUPS, "st-marys")
    assert isinstance(group, Group)
    warm.save(group.model_copy(update={"influence": 2}))
    assert GROUP in git(warm.root, "diff-files", "--name-only")
    assert same_as_fresh(warm.root).records[Kind.GROUPS]["st-marys"].influence == 2
    no_walk.clear()
    loaded = load_repo(warm.root)
    assert no_walk == [] and loaded.parsed == 0 and loaded.records[Kind.GROUPS]["st-marys"].influence == 2


def test_hidden_untracked_files_need_no_walk_and_are_no_records(warm: DataRepo, no_walk: list[str]) -> None:
    (warm.root / "groups" / ".DS_Store").write_bytes(b"\0\1")
    (warm.root / "conversations" / "2026" / ".st-marys.toml.tmp-1234").write_text('name = "half"\n')
    (warm.root / "people" / ".gitkeep").write_text("")
    git(warm.root, "add", "people/.gitkeep")
    git(warm.root, "commit", "-qm", "a tracked .gitkeep")
    assert load_repo(warm.root).parsed == 0
    assert no_walk == []
    loaded = same_as_fresh(warm.root)
    assert loaded.parsed == 0 and not loaded.problems


def test_what_git_does_not_list_sends_the_load_to_walk_the_folder(warm: DataRepo, no_walk: list[str]) -> None:
    os.mkfifo(warm.root / "people" / "pipe.toml")  # git lists no FIFO: only a walk finds it
    no_walk.clear()
    loaded = same_as_fresh(warm.root)
    assert no_walk.count("people") == 2  # here and in the fresh load
    assert [p.path for p in loaded.problems if "not a file" in p.message] == ["people/pipe.toml"]


def test_a_year_folder_made_a_link_is_reported(warm: DataRepo, tmp_path: Path) -> None:
    year = warm.root / "conversations" / "2026"
    outside = tmp_path / "elsewhere"
    year.rename(outside)
    year.symlink_to(outside, target_is_directory=True)
    loaded = same_as_fresh(warm.root)
    assert loaded.records[Kind.CONVERSATIONS] == {}
    assert any(p.path == "conversations/2026" and "symbolic link" in p.message for p in loaded.problems)


def test_a_committed_file_filed_in_the_wrong_year_is_reported_at_every_load(warm: DataRepo) -> None:
    wrong = warm.root / "conversations" / "2025" / "2026-11-24-st-marys-k3f9.toml"
    wrong.parent.mkdir()
    wrong.write_bytes((warm.root / "conversations/2026/2026-11-24-st-marys-k3f9.toml").read_bytes())
    git(warm.root, "add", "-A")
    git(warm.root, "commit", "-qm", "a copy in the wrong year")
    for _ in range(2):
        problems = [p.path for p in same_as_fresh(warm.root).problems]
        assert "conversations/2025/2026-11-24-st-marys-k3f9.toml" in problems


def test_records_loaded_from_the_cache_share_their_sets_of_fields(warm: DataRepo) -> None:
    """Memory: pydantic keeps a set of the fields given per record and part; from the cache they are shared."""
    warm.save(Person(id="bea", name="Bea"))
    warm.save(Person(id="col", name="Col"))
    cache_file(warm.root).unlink()
    load_repo(warm.root)
    people = list(load_repo(warm.root).records[Kind.PEOPLE].values())
    bea, col = (p for p in people if p.id in ("bea", "col"))
    assert bea.model_fields_set == col.model_fields_set == {"id", "name"}
    assert bea.__pydantic_fields_set__ is col.__pydantic_fields_set__


def test_a_folder_where_a_record_file_was_is_reported_as_a_walk_would(warm: DataRepo) -> None:
    (warm.root / GROUP).unlink()
    (warm.root / GROUP).mkdir()
    loaded = same_as_fresh(warm.root)
    assert [p.message for p in loaded.problems if p.path == GROUP] == ["not a file; a record is a <id>.toml file"]
