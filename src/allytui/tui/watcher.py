"""Watching the data repo for changes made outside the app: the CLI, another app, an editor, a sync."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.message import Message
from textual.timer import Timer
from textual.worker import WorkerState

from allytui.store.layout import SETTINGS_FILE
from allytui.store.loader import Loaded
from allytui.store.watch import FileNow, Fingerprint, changed_paths, changed_since, fingerprint, read_changed

POLL_SECONDS = 1.0
COST_SHARE = 40  # a large repo is looked at no more than once per 40 times what a look takes (<= 2.5% of a core)
BUSY_GROUPS = frozenset({"git", "load"})  # the app's own writes and loads: their changes are not outside ones


@dataclass
class OutsideChanges(Message):
    """Record files changed on disk since the last look, read as they are now (posted from a worker)."""

    files: list[FileNow]
    settings: bool  # allytui.toml changed


class RepoWatcher:
    """Fingerprints the repo about once a second in a worker, never in the UI thread, and posts
    OutsideChanges to the app when a record file was added, removed or rewritten."""

    def __init__(self, app: App[None], root: Path) -> None:
        self.app = app
        self.root = root
        self.last: Fingerprint | None = None
        self.since_ns: int | None = None
        self.busy = False
        self.next_due = 0.0
        self.timer: Timer | None = None

    def start(self) -> None:
        self.timer = self.app.set_interval(POLL_SECONDS, self.tick, name="watch-repo")

    def rebase(self, since_ns: int) -> None:
        """A load began reading the files at since_ns (time.time_ns()): the next look takes the fingerprint later
        looks compare with, and counts as changed the files modified since then and the loaded ones gone (rather
        than a fingerprint taken before the load: a stat of every file, ~0.13 s at 50,000, that would delay it)."""
        self.last = None
        self.since_ns = since_ns

    def _app_is_writing(self) -> bool:
        return any(
            w.group in BUSY_GROUPS and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in self.app.workers
        )

    def tick(self) -> None:
        if self.busy or time.monotonic() < self.next_due or self._app_is_writing():
            return
        self.busy = True
        self.app.run_worker(self._look, thread=True, group="watch", exit_on_error=False)

    def _look(self) -> None:
        try:
            started = time.monotonic()
            now = fingerprint(self.root)
            self.next_due = started + max(0.0, COST_SHARE * (time.monotonic() - started) - POLL_SECONDS)
            before, self.last = self.last, now
            if before is not None:
                paths = changed_paths(before, now)
            elif self.since_ns is not None:
                loaded = getattr(self.app, "loaded", None)
                paths = changed_since(now, self.since_ns, loaded if isinstance(loaded, Loaded) else None)
                self.since_ns = None
            else:
                return
            if paths:
                files = read_changed(self.root, paths)
                self.app.post_message(OutsideChanges(files, SETTINGS_FILE in paths))
        finally:
            self.busy = False


def differing(loaded: Loaded, files: list[FileNow]) -> list[FileNow]:
    """The changed files whose record is not what the app holds (the app's own saves already are)."""
    return [f for f in files if f.problems or loaded.get(f.kind, f.record_id) != f.record]


def describe(files: list[FileNow], settings: bool) -> str:
    """'Reloaded: group t2 was changed outside allytui.' and the like; ids and paths only."""
    names = [f"{f.kind.singular} {f.record_id}" for f in files]
    if settings:
        names.append("the repo settings")
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    verb = "was" if len(names) == 1 else "were"
    message = f"Reloaded: {shown} {verb} changed outside allytui."
    broken = [f.rel for f in files if f.problems]
    if broken:
        message += f" {', '.join(broken[:3])} now {'has' if len(broken) == 1 else 'have'} problems: see Problems."
    return message
