"""Two or three clones of one shared data repo, with a bare repo on local disk as the remote."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from allytui.model.records import Group, Person
from allytui.store.repo import DataRepo
from allytui.sync.driver import clone, sync
from tests.helpers import git, template_identity


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


@pytest.fixture(scope="session")
def shared_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The remote and Ana's and Ben's clones as `shared` starts them, made once per test process."""
    tmp = tmp_path_factory.mktemp("shared-template")
    with template_identity(tmp):
        make_shared(tmp)
    return tmp


@pytest.fixture
def shared(shared_template: Path, tmp_path: Path) -> Shared:
    """A copy of the template, its clones' remote pointing at the copy's own bare repo."""
    for name in ("remote.git", "ana", "ben"):
        shutil.copytree(shared_template / name, tmp_path / name, symlinks=True)
    moved(tmp_path, str(shared_template), str(tmp_path))
    return Shared(tmp_path / "remote.git", DataRepo.open(tmp_path / "ana"), DataRepo.open(tmp_path / "ben"), tmp_path)


def make_shared(tmp: Path) -> None:
    """A bare remote; Ana's repo with two records, synced to it; Ben's clone of it."""
    remote = tmp / "remote.git"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(remote))
    ana = DataRepo.init(tmp / "ana", name="Riverton")
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
    ben = clone(str(remote), tmp / "ben")
    set_identity(ben, "Ben")


def moved(root: Path, old: str, new: str) -> None:
    """Point git's own files (config: the remote's URL; reflogs) in the copied repos at their new place."""
    for path in root.glob("*/.git/**/*"):
        if "objects" in path.relative_to(root).parts or not path.is_file():
            continue
        text = path.read_bytes()
        if old.encode() in text:
            path.write_bytes(text.replace(old.encode(), new.encode()))
