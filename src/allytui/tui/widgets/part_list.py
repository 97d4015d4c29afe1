"""Editing a list of record parts (a person's links, an activity's partners) one item at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from allytui.model.records import Kind, reference_kind
from allytui.tui.keymap import key_of
from allytui.tui.safe import plain
from allytui.tui.widgets.ref_picker import Candidates


class PartList(Vertical):
    """Items as lines: a adds, enter edits, delete removes (each in a small form)."""

    DEFAULT_CSS = """
    PartList { height: auto; }
    PartList > OptionList { height: auto; max-height: 8; border: none; }
    PartList > .part-help { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add item", id="part-add"),
        Binding("delete,x", "remove", "Remove item", id="part-remove"),
    ]

    class Changed(Message):
        pass

    class EditItem(Message):
        """Open the small form for an item (index None: a new one); its screen does, then calls `put`."""

        def __init__(self, part_list: PartList, index: int | None, values: dict[str, Any]) -> None:
            super().__init__()
            self.part_list = part_list
            self.index = index
            self.values = values

    def __init__(
        self,
        model: type[BaseModel],
        items: list[dict[str, Any]],
        candidates: Callable[[Kind], Candidates],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.items = [dict(item) for item in items]
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        yield OptionList(compact=True)
        add, remove = key_of(self.app, "part-add"), key_of(self.app, "part-remove", besides=("delete",))
        yield Static(Text(f"{add} add · enter edit · {remove} remove", style="dim"), classes="part-help")

    def on_mount(self) -> None:
        self._redraw()

    def describe(self, item: dict[str, Any]) -> Text:
        parts = []
        for name, value in item.items():
            if value in (None, "", [], False):
                continue
            target = reference_kind(self.model, name)
            if target is not None:
                labels = dict(self.candidates(target)())
                parts.append(labels.get(str(value), f"{value} (missing)"))
            else:
                parts.append(f"{name.replace('_', ' ')}: {value}" if not isinstance(value, bool) else name)
        return plain(" · ".join(parts) or "(empty)")

    def _redraw(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.items:
            hint = Text(f"none yet: press {key_of(self.app, 'part-add')} to add", style="dim")
            options.add_option(Option(hint, disabled=True))
        for n, item in enumerate(self.items):
            options.add_option(Option(self.describe(item), id=str(n)))

    def action_add(self) -> None:
        self._edit(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._edit(int(event.option.id))

    def _edit(self, index: int | None) -> None:
        self.post_message(self.EditItem(self, index, self.items[index] if index is not None else {}))

    def put(self, index: int | None, item: dict[str, Any] | None) -> None:
        """Take an item from the form: index None adds it; item None (the form was cancelled) changes nothing."""
        if item is None:
            return
        if index is None:
            self.items.append(item)
        else:
            self.items[index] = item
        self._redraw()
        self.post_message(self.Changed())

    def action_remove(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.items:
            return
        del self.items[options.highlighted]
        self._redraw()
        self.post_message(self.Changed())
