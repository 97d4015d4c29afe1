"""Writing many records in one commit syncs each file, and each folder once (not once per file)."""

from __future__ import annotations

import os

import pytest

from allytui.model.records import Person
from allytui.store.repo import DataRepo


def test_a_batch_syncs_every_file_and_each_folder_once(repo: DataRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    people = [Person(id=f"p{n}", name=f"Person {n}") for n in range(5)]
    repo.save_many(people[:1], "first")  # the people folder exists from here on
    synced: list[str] = []
    real = os.fsync

    def noting(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", noting)
    repo.save_many(people[1:], "four more")
    folder = str(repo.root / "people")
    files = [path for path in synced if path != folder]
    assert synced.count(folder) == 1  # after the last rename, before the commit
    assert len(files) == 4 and all(os.path.basename(path).startswith(".p") for path in files)  # each temp file
    assert synced.index(folder) == len(synced) - 1
    assert {f"p{n}" for n in range(5)} <= set(repo.load().records[Person.KIND])
