"""The records loaded in a thread begun before the interface exists, so they are read while Textual is imported."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable

from allytui.store.loader import Loaded
from allytui.store.record_cache import gc_held
from allytui.store.repo import DataRepo

Progress = Callable[[int, int], None]


class EarlyLoad:
    """One load of repo (without the checks between records, and without writing the record cache: the app does
    both once the records show), begun now.

    since_ns says when it began reading, so the app can tell which files changed while it read (RepoWatcher.rebase).
    Whoever takes the records (`wait`) says where progress goes (`report`)."""

    def __init__(self, repo: DataRepo) -> None:
        self.repo = repo
        self.report: Progress | None = None
        """Where to say how far the load has got (set by the app once it can show it; until then, nowhere)."""
        self.loaded: Loaded | None = None
        self.error: BaseException | None = None
        self.began = time.monotonic()
        self.ended = 0.0
        self.since_ns = time.time_ns()
        self._thread = threading.Thread(target=self._run, name="allytui-early-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with gc_held():  # the collector would walk the new records (millions of objects) again and again
                self.loaded = self.repo.load(progress=self._advanced, between=False, cache_later=True)
                gc.freeze()  # kept out of the collector's full passes, as the app does with every load
        except BaseException as error:  # handed to whoever waits, as a load in the app's worker would raise it
            self.error = error
        finally:
            self.ended = time.monotonic()

    def _advanced(self, done: int, total: int) -> None:
        report = self.report
        if report is not None:
            report(done, total)

    def wait(self) -> Loaded:
        """The records, once loaded (the load's own error, if it failed)."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        assert self.loaded is not None  # set whenever no error was
        return self.loaded
