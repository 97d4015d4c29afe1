"""Tick boxes that show their state as a character, not only a colour, so NO_COLOR still tells."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox


class FlagBox(Checkbox):
    """A compact checkbox drawn [X] when ticked and [ ] when not; choice_value is what it stands for."""

    choice_value: str = ""

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()

    def on_mount(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "


class ChoiceBoxes(Vertical):
    """Several values to tick, such as a group's shortlist reasons. Read .selected."""

    DEFAULT_CSS = """
    ChoiceBoxes { height: auto; }
    """

    def __init__(self, options: list[tuple[str, str]], chosen: set[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        for label, value in self.options:
            box = FlagBox(label, value in self.chosen, compact=True)
            box.choice_value = value
            yield box

    @property
    def selected(self) -> list[str]:
        return [box.choice_value for box in self.query(FlagBox) if box.value]
