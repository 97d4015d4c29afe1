"""Whatever happens to the files, the index and the cache between two loads, a load through the cache equals a
fresh parse: random runs of the things that happen to a clone (saves, hand edits, deletions, files made and
left untracked, commits, checkouts, stat data lost, a hidden file, a FIFO, a damaged cache)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allytui.model.records import Group, Kind, Person
from allytui.store.loader import load_repo
from allytui.store.record_cache import CACHE_NAME
from allytui.store.repo import DataRepo
from tests.helpers import git

GROUP = "groups/st-marys.toml"
STEPS = [
    "save",
    "hand-edit",
    "break",
    "delete",
    "untracked",
    "commit",
    "checkout-back",
    "checkout-main",
    "touch",
    "hidden",
    "fifo",
    "damage-cache",
    "remove-cache",
    "load",
]


def _step(repo: DataRepo, step: str, n: int) -> None:
    root = repo.root
    if step == "save":
        group = repo.read(Kind.GROUPS, "st-marys") if (root / GROUP).is_file() else None
        if isinstance(group, Group):
            repo.save(group.model_copy(update={"influence": 1 + n % 5}))
        else:
            repo.save(Person(id=f"p{n}", name=f"Person {n}"))
    elif step == "hand-edit" and (root / "people/ana.toml").is_file():
        path = root / "people/ana.toml"
        path.write_text(path.read_text() + f'notes = "edit {n}"\n' if "notes" not in path.read_text() else "")
    elif step == "break":
        (root / f"people/broken-{n}.toml").write_text("name = [\n")
    elif step == "delete":
        for rel in ("people/rev-okafor.toml", f"people/p{n - 1}.toml"):
            (root / rel).unlink(missing_ok=True)
    elif step == "untracked":
        (root / f"groups/walk-in-{n}.toml").write_text(f'name = "Walk In {n}"\ncategory = "other"\n')
    elif step == "commit":
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"step {n}", "--allow-empty")
    elif step == "checkout-back":
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"before going back {n}", "--allow-empty")
        git(root, "checkout", "-q", "HEAD~1")
    elif step == "checkout-main":
        git(root, "add", "-A")
        git(root, "stash", "-q")
        git(root, "checkout", "-q", "main")
    elif step == "touch":
        for path in (root / "groups").glob("*.toml"):
            os.utime(path, (1_000_000_000 + n, 1_000_000_000 + n))  # stat data the index no longer holds
    elif step == "hidden":
        (root / "conversations" / ".DS_Store").write_bytes(b"\0")
    elif step == "fifo" and not (root / "people/pipe.toml").exists():
        os.mkfifo(root / "people/pipe.toml")
    elif step == "damage-cache":
        cache = root / ".git" / "allytui" / CACHE_NAME
        if cache.is_file():
            data = cache.read_bytes()
            cache.write_bytes(data[: len(data) // 3] + b"x" * 10 + data[len(data) // 3 + 10 :])
    elif step == "remove-cache":
        (root / ".git" / "allytui" / CACHE_NAME).unlink(missing_ok=True)
    elif step == "load":
        load_repo(root)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=8))
def test_a_load_through_the_cache_equals_a_fresh_parse_whatever_happened(
    steps: list[str], full_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("steps") / "data"
    shutil.copytree(full_template, root, symlinks=True)
    repo = DataRepo.open(root)
    git(root, "update-index", "-q", "--refresh")
    load_repo(root)  # the cache written
    for n, step in enumerate(steps):
        _step(repo, step, n)
        cached, fresh = load_repo(root), load_repo(root, use_cache=False)
        assert cached.records == fresh.records, steps[: n + 1]
        assert {k: list(v) for k, v in cached.records.items()} == {k: list(v) for k, v in fresh.records.items()}
        assert cached.problems == fresh.problems, steps[: n + 1]
    shutil.rmtree(root.parent)
