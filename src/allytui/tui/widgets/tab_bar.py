"""The row of screen names at the top, with the number key for each and the current one marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SCREENS: list[tuple[str, str]] = [
    ("dashboard", "Dashboard"),
    ("groups", "Groups"),
    ("people", "People"),
    ("conversations", "Conversations"),
    ("activities", "Activities"),
    ("team", "Team"),
    ("problems", "Problems"),
]


class TabBar(Static):
    DEFAULT_CSS = """
    TabBar { height: 1; background: $panel; color: $text-muted; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "current_mode", self._redraw)

    def _redraw(self, mode: str) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, (key, label) in enumerate(SCREENS, 1):
            style = "bold reverse" if key == mode else ""
            text.append(f"{n} {label} ", style=style)
        self.update(text)
