"""Letters typed right after the filter key go where the member meant them: into the filter box.

Keys that arrive together (a fast typist, or the bytes of one read over SSH) are each sent to the widget that
has focus when they arrive, and a screen's key bindings run only once a key has bubbled up to the app. So after
`/`, the letters typed with it reach the list first and bubble up behind it, to run as commands (`i` opening an
import) once the filter box has focus. A screen with a filter box passes each key that bubbles up to it to
keep_typed_ahead from its on_key: the filter key moves focus at once, and a printable key that reaches the screen
while a text box has focus (which takes every printable key itself, so it came from elsewhere) is typed into it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Input

from allytui.tui.keymap import bound_keys


def keep_typed_ahead(screen: Screen[Any], event: events.Key, to_filter: Callable[[], None]) -> None:
    box = screen.focused
    if isinstance(box, Input) and event.is_printable and event.character:
        event.stop()
        event.prevent_default()
        box.insert_text_at_cursor(event.character)
    elif event.key in bound_keys(screen.app, "filter") and screen.check_action("filter", ()):
        event.stop()
        event.prevent_default()
        to_filter()
