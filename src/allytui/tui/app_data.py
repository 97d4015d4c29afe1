"""What every screen reads from the app: the loaded records and today's date."""

from __future__ import annotations

import datetime as dt

from textual.dom import DOMNode

from allytui.store.loader import Loaded


class AppData(DOMNode):
    """Mix into a Screen: `self.loaded` (None until the first load finishes) and `self.today`."""

    @property
    def loaded(self) -> Loaded | None:
        return getattr(self.app, "loaded", None)

    @property
    def today(self) -> dt.date:
        return self.app.today  # type: ignore[attr-defined,no-any-return]
