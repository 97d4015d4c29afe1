"""The row of screen names at the top, with the key that goes to each, the current one marked,
and how many problems the data has."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.events import Click
from textual.widget import Widget

from allytui.tui.keymap import key_of

SCREENS: list[tuple[str, str]] = [
    ("dashboard", "Dashboard"),
    ("groups", "Groups"),
    ("people", "People"),
    ("conversations", "Conversations"),
    ("activities", "Activities"),
    ("team", "Team"),
    ("problems", "Problems"),
    ("agenda", "Agenda"),
    ("shortlist", "Shortlist"),
    ("map", "Map"),
]

# Shorter labels, used one by one (longest first, then shorter still) until the bar fits its width:
# at 80 columns every screen keeps a label, with a problem count of up to two digits too.
SHORT: list[tuple[str, str]] = [
    ("conversations", "Convers."),
    ("activities", "Activ."),
    ("dashboard", "Home"),
    ("shortlist", "Short"),
    ("problems", "Probl."),
    ("conversations", "Conv."),
    ("problems", "Prob."),
    ("activities", "Act."),
]


class TabBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-bar--current", "tab-bar--problems"}
    DEFAULT_CSS = """
    TabBar { height: 1; background: $panel; color: $text-muted; }
    TabBar > .tab-bar--current { text-style: bold reverse; }
    TabBar > .tab-bar--problems { color: $error; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # (x from, x to, mode) of each label

    def on_mount(self) -> None:
        self.watch(self.app, "current_mode", self._changed)
        self.watch(self.app, "data_version", self._changed)

    def _changed(self) -> None:
        self.refresh()

    def problem_count(self) -> int:
        loaded = getattr(self.app, "loaded", None)
        return len(loaded.problems) if loaded is not None else 0

    def render(self) -> Text:
        width = self.content_size.width or 80
        labels = dict(SCREENS)
        text = self._bar(labels)
        for key, short in SHORT:
            if text.cell_len <= width:
                break
            labels[key] = short
            text = self._bar(labels)
        if text.cell_len > width:  # the problem count closes up to its label: "7 Prob.(3)", then "7 Prob(12)"
            text = self._bar(labels, tight=True)
        if text.cell_len > width:
            labels["problems"] = "Prob"
            text = self._bar(labels, tight=True)
        mode = self.app.current_mode
        for key, _ in reversed(SCREENS):  # still too wide: numbers only, from the right; never the current
            if text.cell_len <= width:
                break
            if key != mode:
                labels[key] = ""
                text = self._bar(labels, tight=True)
        return text

    def _bar(self, labels: dict[str, str], tight: bool = False) -> Text:
        mode = self.app.current_mode
        problems = self.problem_count()
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for key, _ in SCREENS:
            start = text.cell_len
            style = self.get_component_rich_style("tab-bar--current", partial=True) if key == mode else ""
            text.append(f"{key_of(self.app, f'screen-{key}')} {labels[key]}".rstrip(), style=style)
            if key == "problems" and problems:
                if not tight:
                    text.append(" ")
                text.append(f"({problems})", style=self.get_component_rich_style("tab-bar--problems", partial=True))
            self._spans.append((start, text.cell_len, key))
            text.append(" ")
        text.right_crop(1)  # no space after the last
        return text

    def on_click(self, event: Click) -> None:
        for start, end, mode in self._spans:
            if start <= event.x < end:
                self.app.switch_mode(mode)
                return
