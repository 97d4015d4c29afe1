"""Parsing in worker processes (`allytui check`, a first start): exactly the one-process load, problems included."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from allytui.model.records import Kind
from allytui.store import loader
from allytui.store.loader import Loaded, _files, _in_workers, _read_files, load_repo
from allytui.store.record_cache import CACHE_NAME, read_entries
from allytui.store.repo import DataRepo


@pytest.fixture
def awkward(sample_repo: DataRepo) -> DataRepo:
    """The sample data with a bad value, a TOML error, a link, a folder in place of a file and a broken reference."""
    root = sample_repo.root
    groups = sorted((root / "groups").glob("*.toml"))
    groups[0].write_text(groups[0].read_text() + 'influence = "lots"\n')
    groups[1].write_text("name = [unclosed\n")
    os.symlink(groups[2], root / "groups" / "linked.toml")
    (root / "people" / "folder.toml").mkdir()
    (root / "people" / "lost-ref.toml").write_text('name = "Lost"\ngroups = ["no-such-group"]\n')
    return sample_repo


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "PARALLEL_MIN", 0)
    monkeypatch.setattr(loader, "CHUNK", 3)  # many chunks, so their order matters


def same(one: Loaded, other: Loaded) -> None:
    assert one.records == other.records
    assert {k: list(v) for k, v in one.records.items()} == {k: list(v) for k, v in other.records.items()}
    assert one.problems == other.problems
    assert one.parsed == other.parsed
    assert one.settings == other.settings


@pytest.mark.usefixtures("small_chunks")
def test_parsing_in_worker_processes_gives_the_one_process_load(awkward: DataRepo) -> None:
    serial = load_repo(awkward.root, use_cache=False)
    assert serial.count() > 20 and len(serial.problems) >= 5
    same(load_repo(awkward.root, use_cache=False, workers=2), serial)


@pytest.mark.usefixtures("small_chunks")
def test_a_first_start_in_workers_fills_the_cache(awkward: DataRepo) -> None:
    root = awkward.root
    cache = root / ".git" / "allytui" / CACHE_NAME
    cache.unlink(missing_ok=True)
    serial = load_repo(root, use_cache=False)
    first = load_repo(root, workers=2)
    same(first, serial)
    entries = read_entries(cache)
    assert len(entries) == serial.count()  # the bad value and the TOML error are not cached ...
    assert not {p.path for p in serial.problems if p.field in ("", "influence")} & set(entries)
    second = load_repo(root, workers=2)
    assert second.parsed == 2  # ... so it and the TOML error are parsed at each load
    assert second.records == serial.records and second.problems == serial.problems


@pytest.mark.usefixtures("small_chunks")
def test_with_threads_running_the_files_are_parsed_in_the_thread(awkward: DataRepo) -> None:
    """The app loads in a thread: no process is forked from it, and the load is the same."""
    serial = load_repo(awkward.root, use_cache=False)
    got: list[tuple[Loaded, object]] = []

    def load() -> None:
        got.append((load_repo(awkward.root, use_cache=False, workers=2), _in_workers(awkward.root, [], False, True, 2)))

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    same(got[0][0], serial)
    assert got[0][1] is None


def test_the_workers_really_parse(awkward: DataRepo) -> None:
    root = awkward.root
    pending = [(kind, rel, rid, None) for kind in Kind for rel, rid in _files(root, kind, [])]
    chunks = [pending[:5], pending[5:]]
    results = _in_workers(root, chunks, False, True, 2)
    assert results is not None
    in_workers = [outcome for chunk in results for outcome in chunk]
    assert in_workers == _read_files(root, pending, False, True)
    assert all(len(blob or "") == 40 for record, _, blob, _ in in_workers if record is not None)


def test_nothing_runs_in_workers_for_a_small_load(sample_repo: DataRepo, tmp_path: Path) -> None:
    assert loader.PARALLEL_MIN >= 1000
    assert load_repo(sample_repo.root, use_cache=False, workers=2).count() > 20
