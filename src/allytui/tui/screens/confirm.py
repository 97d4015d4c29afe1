"""Asking before something that cannot be taken back: yes or no, with the details that matter."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from allytui.tui.keymap import key_of


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for yes, False for no or escape. With no="" it only tells: one button (yes, e.g. "OK")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "dismiss(False)", "No", id="confirm-no"),
        Binding("y", "dismiss(True)", "Yes", id="confirm-yes"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $panel; padding: 0 1; }
    ConfirmScreen .question { text-style: bold; margin-bottom: 1; }
    ConfirmScreen VerticalScroll { height: auto; max-height: 12; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmScreen Button { margin-left: 1; }
    """

    def __init__(self, question: Text | str, details: Text | None = None, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = Text(question) if isinstance(question, str) else question
        self.details = details
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="question")
            if self.details is not None:
                with VerticalScroll():
                    yield Static(self.details)
            with Horizontal():
                no, yes = key_of(self.app, "confirm-no", besides=("escape",)), key_of(self.app, "confirm-yes")
                if self.no:
                    yield Button(Text(f"{self.no} ({no})"), id="no")
                yield Button(Text(f"{self.yes} ({yes})"), id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no" if self.no else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
