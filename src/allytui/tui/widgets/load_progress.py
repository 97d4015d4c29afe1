"""A one-line note over the screen's bottom right while a load takes long: how many record files are read so far."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import App
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static


class LoadStarted(Message):
    """The load worker has begun (posted from the worker's thread)."""


@dataclass
class LoadAdvanced(Message):
    """The load worker has read done of total record files (posted from the worker's thread)."""

    done: int
    total: int


class LoadNote(Static):
    """The note itself: drawn over the screen (never moving anything), right above the footer."""

    DEFAULT_CSS = """
    LoadNote {
        overlay: screen;
        position: absolute;
        width: auto;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """


class LoadProgress:
    """Shows a LoadNote once a load has taken AFTER seconds, keeps its count up to date, and takes it down
    when the load ends. Used from the UI thread only (the worker's news comes as LoadStarted and LoadAdvanced)."""

    AFTER = 0.5

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.started: float | None = None
        self.text = "Loading the records…"
        self.note: LoadNote | None = None
        self.timer: Timer | None = None

    def start(self) -> None:
        """A load begins: the note appears if it is still going after AFTER seconds."""
        self.started = time.monotonic()
        self.text = "Loading the records…"
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.app.set_timer(self.AFTER, self._show)

    def advanced(self, done: int, total: int) -> None:
        self.text = f"Loading the records… {done:,} of {total:,} files"
        if self.started is not None and time.monotonic() - self.started >= self.AFTER:
            self._show()

    def finish(self) -> None:
        """The load ended (or failed): no note."""
        self.started = None
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if self.note is not None:
            self.note.remove()
            self.note = None

    def _show(self) -> None:
        if self.started is None:
            return
        screen = self.app.screen
        if self.note is not None and self.note.screen is not screen:
            self.note.remove()
            self.note = None
        width = len(self.text) + 2
        offset = (max(screen.size.width - width, 0), max(screen.size.height - 2, 0))
        if self.note is None:
            self.note = LoadNote(Text(self.text))
            self.note.styles.offset = offset
            screen.mount(self.note)
        else:
            self.note.update(Text(self.text))
            self.note.styles.offset = offset
