"""`allytui check` parses in worker processes: the result is exactly the one-process load's, problems included."""

from __future__ import annotations

import os

import pytest

from allytui.model.records import Kind
from allytui.store import loader
from allytui.store.loader import _files, _parse_in_parallel, load_repo
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


def test_parsing_in_worker_processes_gives_the_one_process_load(
    awkward: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "PARALLEL_MIN", 0)
    monkeypatch.setattr(loader, "PARALLEL_CHUNK", 3)  # many chunks, so their order matters
    root = awkward.root
    serial = load_repo(root, use_cache=False)
    parallel = load_repo(root, use_cache=False, workers=2)
    assert serial.count() > 20 and len(serial.problems) >= 5
    assert parallel.records == serial.records
    assert {k: list(v) for k, v in parallel.records.items()} == {k: list(v) for k, v in serial.records.items()}
    assert parallel.problems == serial.problems
    assert parallel.parsed == serial.parsed
    assert parallel.settings == serial.settings


def test_the_workers_really_parse(awkward: DataRepo) -> None:
    files = [(kind, rel, rid) for kind in Kind for rel, rid in _files(awkward.root, kind, [])]
    results = _parse_in_parallel(awkward.root, files, 2)
    assert results is not None and len(results) == len(files)
    one_by_one = [loader.load_record(awkward.root, rel, kind, rid)[:2] for kind, rel, rid in files]
    assert [(record, problems) for record, problems, _ in results] == one_by_one
