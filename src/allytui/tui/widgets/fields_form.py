"""A form for any record or record part, built from its pydantic fields with a proper widget each."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from allytui.model.fields import field_shape, is_long_text, unwrap
from allytui.model.records import Kind, reference_kind
from allytui.tui.safe import plain
from allytui.tui.widgets.flags import ChoiceBoxes, FlagBox
from allytui.tui.widgets.part_list import PartList
from allytui.tui.widgets.ref_picker import Candidates, RefPicker

CandidatesFor = Callable[[Kind], Candidates]


def label_for(name: str) -> str:
    return name.replace("_", " ").capitalize()


def widget_id(name: str) -> str:
    return "field-" + name.replace(".", "--")


def _valid_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


class FieldsForm(Vertical):
    """One row per field: label, widget, and a line for the field's error. Read back with .data()."""

    DEFAULT_CSS = """
    FieldsForm { height: auto; }
    FieldsForm .field-row { height: auto; margin-bottom: 1; }
    FieldsForm .field-label { width: 18; padding-right: 1; text-style: bold; }
    FieldsForm .field-body { width: 1fr; height: auto; }
    FieldsForm .field-help { color: $text-muted; }
    FieldsForm .field-error { color: $error; text-style: bold; display: none; }
    FieldsForm .field-error.-shown { display: block; }
    FieldsForm TextArea { height: 5; }
    """

    SKIP: ClassVar[set[str]] = {"id", "conflicts"}  # conflicts are resolved in their own view

    def __init__(
        self,
        model: type[BaseModel],
        values: dict[str, Any],
        candidates: CandidatesFor,
        *,
        skip: set[str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.values = values
        self.candidates = candidates
        self.skip = self.SKIP | (skip or set())
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        for name, info in self.model.model_fields.items():
            if name in self.skip:
                continue
            shape, part = field_shape(self.model, name)
            if shape == "part" and part is not None:
                nested = self.values.get(name) or {}
                for sub, sub_info in part.model_fields.items():
                    yield from self._row(
                        f"{name}.{sub}",
                        sub_info.annotation,
                        nested.get(sub),
                        part,
                        sub,
                        help_text=f"{label_for(name)} (sensitive)",
                    )
                continue
            yield from self._row(
                name,
                info.annotation,
                self.values.get(name),
                self.model,
                name,
                help_text=info.description or "",
                shape=shape,
                part=part,
            )

    def _row(
        self,
        name: str,
        annotation: Any,
        value: Any,
        owner: type[BaseModel],
        field: str,
        *,
        help_text: str = "",
        shape: str = "scalar",
        part: type[BaseModel] | None = None,
    ) -> ComposeResult:
        self.names.append(name)
        required = owner.model_fields[field].is_required()
        label = label_for(name.split(".")[-1]) + (" *" if required else "")
        with Horizontal(classes="field-row"):
            yield Label(Text(label), classes="field-label")
            with Vertical(classes="field-body"):
                yield self._widget(name, annotation, value, owner, field, shape, part)
                if help_text:
                    yield Static(plain(help_text), classes="field-help")
                yield Static(id=f"error-{widget_id(name)}", classes="field-error")

    def _widget(
        self,
        name: str,
        annotation: Any,
        value: Any,
        owner: type[BaseModel],
        field: str,
        shape: str,
        part: type[BaseModel] | None,
    ) -> Widget:
        wid = widget_id(name)
        target = reference_kind(owner, field)
        inner = unwrap(annotation)
        if target is not None:
            chosen = list(value or []) if shape == "list" else ([value] if value else [])
            return RefPicker(
                self.candidates(target), multiple=shape == "list", chosen=chosen, noun=target.singular, id=wid
            )
        if shape == "part_list" and part is not None:
            return PartList(part, list(value or []), self.candidates, id=wid)
        if shape == "list":
            item = unwrap(typing.get_args(inner)[0])
            if isinstance(item, type) and issubclass(item, Enum):
                ticked = {str(getattr(v, "value", v)) for v in value or []}
                return ChoiceBoxes([(m.value.replace("_", " "), m.value) for m in item], ticked, id=wid)
            if field == "red_lines":
                return TextArea("\n".join(value or []), id=wid, compact=True, soft_wrap=True)
            return Input(", ".join(value or []), placeholder="comma-separated", id=wid, compact=True)
        if isinstance(inner, type) and issubclass(inner, Enum):
            options = [(m.value.replace("_", " "), m.value) for m in inner]
            default = owner.model_fields[field].default
            current = value if value is not None else (default.value if isinstance(default, Enum) else Select.NULL)
            return Select(options, value=current, allow_blank=not isinstance(default, Enum), id=wid, compact=True)
        if inner is bool:
            return FlagBox("yes", bool(value), id=wid, compact=True)
        if inner is int:
            return Input("" if value is None else str(value), type="integer", id=wid, compact=True)
        if inner is dt.date:
            return Input(
                "" if value is None else str(value),
                placeholder="YYYY-MM-DD",
                id=wid,
                compact=True,
                validators=[Function(lambda t: not t or _valid_date(t), "not a date (YYYY-MM-DD)")],
            )
        if is_long_text(owner.model_fields[field]):
            return TextArea(str(value or ""), id=wid, compact=True, soft_wrap=True)
        return Input(str(value or ""), id=wid, compact=True)

    # reading back

    def _read(self, name: str) -> Any:
        widget = self.query_one(f"#{widget_id(name)}")
        if isinstance(widget, RefPicker):
            return widget.value if widget.multiple else (widget.value[0] if widget.value else None)
        if isinstance(widget, PartList):
            return widget.items
        if isinstance(widget, ChoiceBoxes):
            return self._in_first_order(name, widget.selected)
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, FlagBox):
            return widget.value
        if isinstance(widget, TextArea):
            if name == "red_lines":
                return [line.strip() for line in widget.text.splitlines() if line.strip()]
            return widget.text
        assert isinstance(widget, Input)
        shape, _ = field_shape(self.model, name) if "." not in name else ("scalar", None)
        if shape == "list":
            return [item.strip() for item in widget.value.split(",") if item.strip()]
        return widget.value

    def _in_first_order(self, name: str, selected: list[str]) -> list[str]:
        """Ticked values in the order the record had them, newly ticked ones after: ticking one box
        must not reorder the rest (a diff and a commit that name a change nobody made)."""
        before = [str(getattr(v, "value", v)) for v in self.values.get(name) or []]
        kept = [v for v in before if v in selected]
        return kept + [v for v in selected if v not in kept]

    def data(self) -> dict[str, Any]:
        """The form's values as record data: empty values left out, text typed as text (from_text converts)."""
        data: dict[str, Any] = {}
        for name in self.names:
            value = self._read(name)
            if value in (None, "", []) or (value is False and "." not in name):
                continue
            if "." in name:
                outer, inner = name.split(".", 1)
                data.setdefault(outer, {})[inner] = value
            else:
                data[name] = value
        return data

    def show_errors(self, errors: list[tuple[str, str]]) -> str | None:
        """Show each error under its field; returns the first field with an error (to focus it)."""
        by_field: dict[str, list[str]] = {}
        for path, message in errors:
            name = self._owner_of(path)
            by_field.setdefault(name, []).append(message if path == name else f"{path}: {message}")
        for name in self.names:
            box = self.query_one(f"#error-{widget_id(name)}", Static)
            messages = by_field.get(name, [])
            box.update(plain("; ".join(messages)))
            box.set_class(bool(messages), "-shown")
        return next((n for n in self.names if n in by_field), None)

    def _owner_of(self, path: str) -> str:
        """The form field an error path belongs to: 'knows[1].strength' -> 'knows'; 'contact.email' stays."""
        if path in self.names:
            return path
        top = path.split("[", 1)[0].split(".", 1)[0]
        return top if top in self.names else (self.names[0] if self.names else path)

    def focus_field(self, name: str) -> None:
        widget = self.query_one(f"#{widget_id(name)}")
        target = widget.query_one(Input) if isinstance(widget, RefPicker) else widget
        target.focus()
        widget.scroll_visible(animate=False)
