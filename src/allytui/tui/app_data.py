"""What every screen reads from the app: the loaded records and today's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from allytui.store.loader import Loaded

if TYPE_CHECKING:
    from textual.screen import Screen


class AppData:
    """Mix into a Screen, after it (`class S(Screen[None], AppData)`): `self.loaded` (None until the first
    load finishes), `self.today`, and `watch_data(redraw)`, which redraws when the records change, but only on
    the screen in view: a hidden screen redraws once, when it is shown again (a save no longer rebuilds every
    screen).

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
        screen.watch(screen.app, "data_version", self._data_version_changed)

    def _data_version_changed(self) -> None:
        if self._redraw is None:
            return
        if self._screen.is_current:
            self._stale = False
            self._redraw()
        else:
            self._stale = True

    def redraw_if_stale(self) -> None:
        """Catch up now with changes made while hidden (before selecting a record that may be new)."""
        if self._stale and self._redraw is not None:
            self._stale = False
            self._redraw()

    def on_screen_resume(self) -> None:
        self.redraw_if_stale()

    @property
    def loaded(self) -> Loaded | None:
        return cast("Loaded | None", getattr(self._screen.app, "loaded", None))

    @property
    def today(self) -> dt.date:
        return cast(dt.date, getattr(self._screen.app, "today", dt.date.today()))
