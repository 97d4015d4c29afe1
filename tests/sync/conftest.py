"""Two or three clones of one shared data repo, with a bare repo on local disk as the remote."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from allytui.model.records import Group, Person
from allytui.store.repo import DataRepo
from allytui.sync.driver import clone, sync
from tests.helpers import git


@dataclass
class Shared:
    remote: Path
    ana: DataRepo
    ben: DataRepo
    tmp: Path

    def third(self, name: str = "cat") -> DataRepo:
        repo = clone(str(self.remote), self.tmp / name)
        set_identity(repo, name.capitalize())
        return repo


def set_identity(repo: DataRepo, name: str) -> None:
    git(repo.root, "config", "user.name", name)
    git(repo.root, "config", "user.email", f"{name.lower()}@example.org")


@pytest.fixture
def shared(tmp_path: Path) -> Shared:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    ana = DataRepo.init(tmp_path / "ana", name="Riverton")
    set_identity(ana, "Ana")
    ana.save(Person(id="ana", name="Ana López"))
    ana.save(
        Group(
            id="st-marys",
            name="St Mary's",
            category="faith",
            tags=["faith"],
            aims="Line one\nLine two\nLine three\nLine four\n",
        )
    )
    git(ana.root, "remote", "add", "origin", str(remote))
    sync(ana)
    ben = clone(str(remote), tmp_path / "ben")
    set_identity(ben, "Ben")
    return Shared(remote, ana, ben, tmp_path)
