"""Which files a load may have missed, judged after it from a fingerprint and the time it began reading."""

from __future__ import annotations

import os
import time

from allytui.store.loader import load_repo
from allytui.store.repo import DataRepo
from allytui.store.watch import CLOCK_SLACK_NS, changed_since, fingerprint

GROUP = "groups/st-marys.toml"


def test_files_written_since_the_load_began_and_files_gone_are_named(full_repo: DataRepo) -> None:
    long_ago = time.time() - 3600
    for path in full_repo.root.rglob("*.toml"):
        os.utime(path, (long_ago, long_ago))
    since = time.time_ns()
    loaded = load_repo(full_repo.root)
    assert changed_since(fingerprint(full_repo.root), since, loaded) == []
    group = full_repo.root / GROUP
    group.write_text(group.read_text().replace("influence = 4", "influence = 2"))  # written during the load
    (full_repo.root / "people" / "ana.toml").unlink()  # loaded, then deleted
    (full_repo.root / "people" / "new.toml").write_text('name = "New"\n')  # made while it read
    assert changed_since(fingerprint(full_repo.root), since, loaded) == [
        "groups/st-marys.toml",
        "people/ana.toml",
        "people/new.toml",
    ]


def test_a_coarse_or_lagging_clock_is_allowed_for(full_repo: DataRepo) -> None:
    since = time.time_ns()
    group = full_repo.root / GROUP
    behind = (since - CLOCK_SLACK_NS // 2) / 1e9  # a time stamp a file system put slightly behind this clock
    os.utime(group, (behind, behind))
    assert GROUP in changed_since(fingerprint(full_repo.root), since, None)
