"""Choosing a record by typing part of its name: one (a group's lead) or several (people in a talk)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from allytui.tui.safe import plain

Candidates = Callable[[], list[tuple[str, str]]]  # (id, label) of every record that may be chosen
MAX_MATCHES = 8


class RefPicker(Vertical):
    """Type to find, enter to choose; backspace in an empty box removes the last choice."""

    DEFAULT_CSS = """
    RefPicker { height: auto; }
    RefPicker > .chosen { height: auto; color: $text; }
    RefPicker > OptionList { height: auto; max-height: 8; display: none; border: none; }
    RefPicker.-searching > OptionList { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "into_matches", "Matches", id="picker-matches", show=False),
    ]

    class Changed(Message):
        def __init__(self, picker: RefPicker) -> None:
            super().__init__()
            self.picker = picker

    def __init__(
        self, candidates: Candidates, *, multiple: bool, chosen: list[str], noun: str, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.candidates = candidates
        self.multiple = multiple
        self.chosen = list(chosen)
        self.noun = noun

    def compose(self) -> ComposeResult:
        yield Static(classes="chosen")
        yield Input(placeholder=f"type part of a {self.noun}'s name", compact=True)
        yield OptionList()

    def on_mount(self) -> None:
        self._show_chosen()

    def _labels(self) -> dict[str, str]:
        return dict(self.candidates())

    def _show_chosen(self) -> None:
        labels = self._labels()
        text = Text()
        if not self.chosen:
            text.append("(none)", style="dim")
        for n, record_id in enumerate(self.chosen):
            if n:
                text.append(", ")
            text.append_text(plain(labels.get(record_id, f"{record_id} (missing)")))
        if self.chosen:
            text.append("   backspace removes" if self.multiple else "   backspace clears", style="dim")
        self.query_one(".chosen", Static).update(text)

    @property
    def value(self) -> list[str]:
        return list(self.chosen)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        words = event.value.lower().split()
        options = self.query_one(OptionList)
        options.clear_options()
        if not words:
            self.remove_class("-searching")
            return
        found = [
            (record_id, label)
            for record_id, label in self.candidates()
            if all(w in f"{label} {record_id}".lower() for w in words) and record_id not in self.chosen
        ]
        for record_id, label in found[:MAX_MATCHES]:
            options.add_option(Option(plain(label), id=record_id))
        if len(found) > MAX_MATCHES:
            options.add_option(
                Option(Text(f"… {len(found) - MAX_MATCHES} more: keep typing", style="dim"), disabled=True)
            )
        if not found:
            options.add_option(Option(Text(f"no {self.noun} matches", style="dim"), disabled=True))
        options.highlighted = 0 if found else None
        self.set_class(True, "-searching")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self._choose(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._choose(event.option.id)
            self.query_one(Input).focus()

    def _choose(self, record_id: str) -> None:
        self.chosen = [*self.chosen, record_id] if self.multiple else [record_id]
        box = self.query_one(Input)
        box.value = ""
        self._show_chosen()
        self.post_message(self.Changed(self))

    def on_key(self, event: events.Key) -> None:
        box = self.query_one(Input)
        if event.key == "backspace" and box.has_focus and not box.value and self.chosen:
            event.stop()
            self.chosen = self.chosen[:-1]
            self._show_chosen()
            self.post_message(self.Changed(self))

    def action_into_matches(self) -> None:
        options = self.query_one(OptionList)
        if self.has_class("-searching") and options.option_count:
            options.focus()
