"""A small modal: pick one of a few options with the keyboard."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from allytui.tui.safe import plain


class ChooseScreen(ModalScreen[str | None]):
    """Returns the chosen option's key, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="choose-cancel")]
    DEFAULT_CSS = """
    ChooseScreen { align: center middle; }
    ChooseScreen > Vertical { width: 50; max-width: 90%; height: auto; max-height: 80%;
        border: round $primary; background: $panel; padding: 0 1; }
    ChooseScreen OptionList { height: auto; max-height: 16; }
    ChooseScreen Label { width: 100%; }
    """

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield OptionList(*[Option(plain(label), id=key) for key, label in self.options])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
