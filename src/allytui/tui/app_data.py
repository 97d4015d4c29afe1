"""What every screen reads from the app: the loaded records, today's date, and the app itself, typed."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.worker import Worker, WorkerState

from allytui.store.loader import Loaded
from allytui.tui.messages import ASK, WorkFailed

if TYPE_CHECKING:
    from textual.screen import Screen

    from allytui.tui.app import AllytuiApp


WIDGET_WORK_TITLES = {"filter-index": "Could not index the list for the filter (it reads every row instead)"}
"""What a failure in a widget's worker group is called, on any screen."""


class AppAccess:
    """Mix into a Screen, after it: `self.allytui_app`, the app typed (the one place that casts), and a
    worker that fails on this screen reported through the app's one error path (`WorkFailed`).

    A plain class, not a DOMNode (see AppData).
    """

    WORK_TITLES: ClassVar[dict[str, str]] = {}
    """What a failure in each worker group of this screen is called in the notice ("Not saved" otherwise)."""

    @property
    def allytui_app(self) -> AllytuiApp:
        return cast("AllytuiApp", cast("Screen[Any]", self).app)

    def run_flow(self, flow: Coroutine[Any, Any, object]) -> None:
        """Run an ask → write → notify flow as a worker of the app (group ASK): it finishes, and says how it
        went, even if this screen is closed meanwhile; a failure it does not handle is reported "Not saved"."""
        self.allytui_app.run_worker(flow, group=ASK, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            group = event.worker.group
            title = self.WORK_TITLES.get(group) or WIDGET_WORK_TITLES.get(group, "Not saved")
            cast("Screen[Any]", self).post_message(WorkFailed(title, event.worker.error))


class AppData(AppAccess):
    """Mix into a Screen, after it (`class S(Screen[None], AppData)`): `self.loaded` (None until the first
    load finishes), `self.today`, and `watch_data(redraw)`, which redraws when the records change, but only on
    the screen in view (once the keys already typed are handled): a hidden screen redraws once, when it is shown
    again (a save no longer rebuilds every screen).

    A plain class, not a DOMNode: Textual takes a class's CSS and component classes from its first DOMNode
    base only, so a DOMNode mixin would hide Screen's (`screen--selection`: a mouse drag then crashed).
    """

    _redraw: Callable[[], None] | None = None
    _stale = False

    @property
    def _screen(self) -> Screen[Any]:
        return cast("Screen[Any]", self)

    def watch_data(self, redraw: Callable[[], None]) -> None:
        self._redraw = redraw
        screen = self._screen
        screen.watch(screen.app, "data_version", self._data_version_changed, init=False)
        self._stale = True
        if screen.is_current:
            self.redraw_if_stale()  # drawn at once as it is first shown

    def _data_version_changed(self) -> None:
        """The screen in view redraws once the keys already typed are handled: one that takes the person to
        another screen spares this one the redraw until it is shown again (the dashboard, when the records
        arrive as 2 is pressed: ~0.1 s at 50,000 records). Several changes in a row redraw once."""
        if self._redraw is None:
            return
        self._stale = True
        if self._screen.is_current:
            self._screen.call_after_refresh(self._redraw_if_shown)

    def _redraw_if_shown(self) -> None:
        if self._screen.is_current:
            self.redraw_if_stale()

    def redraw_if_stale(self) -> None:
        """Catch up now with changes made while hidden (before selecting a record that may be new)."""
        if self._stale and self._redraw is not None:
            self._stale = False
            self._redraw()
            gc.freeze()  # its rows (50,000 at most) out of the collector's full passes, like the records'

    def on_screen_resume(self) -> None:
        self.redraw_if_stale()

    @property
    def loaded(self) -> Loaded | None:
        return cast("Loaded | None", getattr(self._screen.app, "loaded", None))

    @property
    def today(self) -> dt.date:
        today = getattr(self._screen.app, "today", None)  # not dt.date.today() made at each call: rows ask often
        return today if isinstance(today, dt.date) else dt.date.today()
