"""The allytui App: screens as modes, global keys, loading in a worker, and every write in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.worker import Worker, WorkerState

from allytui.model.records import Kind, Record
from allytui.store.errors import AllytuiError
from allytui.store.loader import Loaded
from allytui.store.repo import DataRepo
from allytui.tui.messages import DataLoaded
from allytui.tui.screens.groups import GroupsScreen


class AllytuiApp(App[None]):
    """Browse and edit a data repo. Disk and git work runs in workers; the UI never waits on them."""

    CSS_PATH = "app.tcss"
    TITLE = "allytui"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    MODES: ClassVar[dict[str, Any]] = {
        "groups": GroupsScreen,
    }
    DEFAULT_MODE = "groups"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('dashboard')", "Dashboard", id="screen-dashboard", show=False),
        Binding("2", "switch_mode('groups')", "Groups", id="screen-groups", show=False),
        Binding("3", "switch_mode('people')", "People", id="screen-people", show=False),
        Binding("4", "switch_mode('conversations')", "Conversations", id="screen-conversations", show=False),
        Binding("5", "switch_mode('activities')", "Activities", id="screen-activities", show=False),
        Binding("6", "switch_mode('team')", "Team", id="screen-team", show=False),
        Binding("7", "switch_mode('problems')", "Problems", id="screen-problems", show=False),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("ctrl+r", "reload", "Reload", id="reload", show=False),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    data_version: var[int] = var(0)
    """Bumped whenever `loaded` changes, so screens know to redraw."""

    def __init__(self, repo: DataRepo, *, today: dt.date | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.today = today or dt.date.today()
        self.loaded: Loaded | None = None
        self._after_write: dict[Worker[Any], tuple[Callable[[Any], None], Callable[[Exception], None] | None]] = {}

    def on_mount(self) -> None:
        self.title = f"allytui — {self.repo.root.name}"
        self.action_reload()

    # loading

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(DataLoaded(self.repo.load()))

    def on_data_loaded(self, message: DataLoaded) -> None:
        self.loaded = message.loaded
        self.data_version += 1

    def record_changed(self, kind: Kind, record_id: str, record: Record | None) -> None:
        """Apply a committed change to the in-memory records without reloading everything."""
        if self.loaded is None:
            return
        if record is None:
            self.loaded.records[kind].pop(record_id, None)
        else:
            self.loaded.records[kind][record_id] = record
        self.data_version += 1

    # writing: one worker group, failures handled in one place

    def write(
        self, job: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None] | None = None
    ) -> None:
        """Run a write (save, delete, commit) in a thread; call done or failed back on the UI side."""
        worker = self.run_worker(job, thread=True, group="git", exit_on_error=False)
        self._after_write[worker] = (done, failed)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "load" and event.state is WorkerState.ERROR:
            self.notify(describe_error(worker.error), title="Could not load the data", severity="error", markup=False)
        if worker not in self._after_write or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        done, failed = self._after_write.pop(worker)
        if event.state is WorkerState.SUCCESS:
            done(worker.result)
        elif failed is not None and isinstance(worker.error, Exception):
            failed(worker.error)
        else:
            self.notify(describe_error(worker.error), title="Not saved", severity="error", markup=False)


def describe_error(error: BaseException | None) -> str:
    """A message fit for the screen: ours are written for people; anything else names only its type."""
    if isinstance(error, AllytuiError):
        return str(error)
    return f"Something went wrong ({type(error).__name__}); nothing else was changed."
