"""What every screen reads from the app: the loaded records and today's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.dom import DOMNode

from allytui.store.loader import Loaded


class AppData(DOMNode):
    """Mix into a Screen: `self.loaded` (None until the first load finishes), `self.today`, and
    `watch_data(redraw)`, which redraws when the records change, but only on the screen in view:
    a hidden screen redraws once, when it is shown again (a save no longer rebuilds every screen).
    """

    _redraw: Callable[[], None] | None = None
    _stale = False

    def watch_data(self, redraw: Callable[[], None]) -> None:
        self._redraw = redraw
        self.watch(self.app, "data_version", self._data_version_changed)

    def _data_version_changed(self) -> None:
        if self._redraw is None:
            return
        if getattr(self, "is_current", True):
            self._stale = False
            self._redraw()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale and self._redraw is not None:
            self._stale = False
            self._redraw()

    @property
    def loaded(self) -> Loaded | None:
        return getattr(self.app, "loaded", None)

    @property
    def today(self) -> dt.date:
        return self.app.today  # type: ignore[attr-defined,no-any-return]
