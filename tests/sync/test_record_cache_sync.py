"""The record cache across a sync run in another process: the next load equals a fresh parse."""

from __future__ import annotations

import subprocess
import sys

from allytui.model.records import Group, Kind, Person
from allytui.store.loader import load_repo
from allytui.sync.driver import sync
from tests.sync.conftest import Shared


def test_a_sync_in_another_process_brings_changes_the_cache_does_not_hide(shared: Shared) -> None:
    ben = shared.ben
    assert load_repo(ben.root).count() == 2
    assert load_repo(ben.root).parsed == 0  # cached
    group = shared.ana.read(Kind.GROUPS, "st-marys")
    assert isinstance(group, Group)
    shared.ana.save(group.model_copy(update={"name": "St Mary's Minster"}))
    shared.ana.save(Person(id="cy", name="Cy Morgan"))
    sync(shared.ana)
    done = subprocess.run(
        [sys.executable, "-m", "allytui", "--repo", str(ben.root), "sync"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    cached, fresh = load_repo(ben.root), load_repo(ben.root, use_cache=False)
    assert cached.records == fresh.records and cached.problems == fresh.problems
    assert cached.records[Kind.GROUPS]["st-marys"].name == "St Mary's Minster"
    assert "cy" in cached.records[Kind.PEOPLE]
    assert load_repo(ben.root).parsed == 0
