"""A small form for one item of a list inside a record: one of a person's links, an activity's partner."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from allytui.model.fields import from_text
from allytui.model.validation import error_pairs
from allytui.tui.keymap import key_of
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.widgets.fields_form import CandidatesFor, FieldsForm
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.part_list import PartList


class PartForm(ModalScreen[dict[str, Any] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Done", id="save"),
        Binding("escape", "cancel", "Cancel", id="part-cancel"),
    ]
    DEFAULT_CSS = """
    PartForm { align: center middle; }
    PartForm > Vertical { width: 76; max-width: 98%; height: auto; max-height: 90%;
        border: round $primary; background: $panel; padding: 0 1; }
    PartForm VerticalScroll { height: auto; max-height: 18; }
    """

    def __init__(self, model: type[BaseModel], values: dict[str, Any], candidates: CandidatesFor) -> None:
        super().__init__()
        self.model = model
        self.values = values
        self.candidates = candidates
        self.initial: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.model.__doc__.splitlines()[0] if self.model.__doc__ else "", style="bold"))
            with VerticalScroll():
                yield FieldsForm(self.model, self.values, self.candidates)
            done, cancel = key_of(self.app, "save"), key_of(self.app, "part-cancel")
            yield Static(Text(f"{done} done · {cancel} cancel", style="dim"))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self._remember_start)

    def _remember_start(self) -> None:
        self.initial = self.query_one(FieldsForm).data()

    @property
    def dirty(self) -> bool:
        """Something was typed or ticked since the form opened (so cancelling, or quitting, asks first)."""
        return self.initial is not None and self.query_one(FieldsForm).data() != self.initial

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answer(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        question = Text("Cancel without keeping this? What you typed here will be lost.")
        self.app.push_screen(ConfirmScreen(question, yes="Cancel, discard", no="Keep editing"), answer)

    def on_part_list_edit_item(self, request: PartList.EditItem) -> None:
        edit_part(self.app, request)

    def action_save(self) -> None:
        form = self.query_one(FieldsForm)
        try:
            part = self.model.model_validate(from_text(self.model, form.data()))
        except ValidationError as error:
            first = form.show_errors(error_pairs(error))
            if first:
                form.focus_field(first)
            return
        self.dismiss(part.model_dump(exclude_defaults=True))


def edit_part(app: App[Any], request: PartList.EditItem) -> None:
    """Open the form for the item a PartList asks about (every screen holding a FieldsForm handles it)."""
    request.stop()
    part_list, index = request.part_list, request.index
    app.push_screen(PartForm(part_list.model, request.values, part_list.candidates), partial(part_list.put, index))
