"""Asking which value to keep when the user and another writer changed the same field of a record."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, RadioButton, RadioSet, Static

from allytui.sync.edits import Clash
from allytui.tui.keymap import key_of
from allytui.tui.safe import plain


def shown(value: Any) -> str:
    """A field value as a person reads it: text as is, lists joined, parts as name: value."""
    if value in (None, "", [], {}):
        return "(empty)"
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {shown(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    return str(value)


class Choice(RadioButton):
    """A radio button drawn with a dot only when chosen, so the choice shows without colour (NO_COLOR)."""

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()

    def on_mount(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "


class ClashScreen(ModalScreen[dict[str, bool] | None]):
    """One choice per clashing field; returns {field: keep mine?}, or None to go back to the form."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back to the form", id="clash-back"),
        Binding("ctrl+s", "save", "Save with these", id="save"),
    ]
    DEFAULT_CSS = """
    ClashScreen { align: center middle; }
    ClashScreen > Vertical { width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $panel; padding: 0 1; }
    ClashScreen .question { text-style: bold; margin-bottom: 1; }
    ClashScreen VerticalScroll { height: auto; max-height: 20; }
    ClashScreen .clash-field { text-style: bold; margin-top: 1; }
    ClashScreen RadioSet { width: 100%; }
    ClashScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ClashScreen Button { margin-left: 1; }
    """

    def __init__(self, label: str, clashes: list[Clash], *, since: str = "since you opened this form") -> None:
        super().__init__()
        self.label = label
        self.clashes = clashes
        self.since = since

    def compose(self) -> ComposeResult:
        question = plain(
            f"{self.label} was changed by someone else {self.since}, in the same "
            f"field{'s' if len(self.clashes) > 1 else ''} you changed. Which value should be kept?"
        )
        with Vertical():
            yield Static(question, classes="question")
            with VerticalScroll():
                for number, clash in enumerate(self.clashes):
                    yield Static(Text(clash.field.replace("_", " ").capitalize()), classes="clash-field")
                    with RadioSet(id=f"clash-{number}"):
                        yield Choice(plain(f"Yours: {shown(clash.mine)}"), value=True, id=f"mine-{number}")
                        yield Choice(plain(f"Theirs: {shown(clash.theirs)}"), id=f"theirs-{number}")
            with Horizontal():
                back, save = key_of(self.app, "clash-back"), key_of(self.app, "save")
                yield Button(Text(f"Back to the form ({back})"), id="back")
                yield Button(Text(f"Save with these ({save})"), id="save", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#clash-0", RadioSet).focus()

    def choices(self) -> dict[str, bool]:
        """{field: True to keep the user's value, False to take the other writer's}."""
        return {
            clash.field: self.query_one(f"#theirs-{number}", RadioButton).value is False
            for number, clash in enumerate(self.clashes)
        }

    def action_save(self) -> None:
        self.dismiss(self.choices())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.choices() if event.button.id == "save" else None)
