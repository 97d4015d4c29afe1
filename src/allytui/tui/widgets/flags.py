"""Tick boxes that show their state as a character, not only a colour, so NO_COLOR still tells."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox


class FlagBox(Checkbox):
    """A compact checkbox drawn [X] when ticked and [ ] when not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "X" if self.value else " "


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
            box.choice_value = value  # type: ignore[attr-defined]
            yield box

    @property
    def selected(self) -> list[str]:
        return [box.choice_value for box in self.query(FlagBox) if box.value]  # type: ignore[attr-defined]
