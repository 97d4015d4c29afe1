"""A form for any record or record part, built from its pydantic fields with a proper widget each."""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from allytui.model.fields import EditorShape, editor_shape, field_shape, unwrap
from allytui.model.records import Kind, reference_kind
from allytui.model.sealed import Sealed
from allytui.model.typed_dates import DATE_HELP, is_date
from allytui.tui.safe import plain
from allytui.tui.widgets.flags import ChoiceBoxes, FlagBox
from allytui.tui.widgets.part_list import PartList
from allytui.tui.widgets.ref_picker import Candidates, RefPicker

SEALED_IN_FORM = "sealed — not opened in this form, kept exactly as it is"

CandidatesFor = Callable[[Kind], Candidates]


def label_for(name: str) -> str:
    return name.replace("_", " ").capitalize()


def widget_id(name: str) -> str:
    return "field-" + name.replace(".", "--")


@dataclass(frozen=True)
class FieldSpec:
    """What an editor needs to know about one field: its widget id, value, the model holding it, its name."""

    wid: str
    value: Any
    owner: type[BaseModel]
    field: str
    candidates: CandidatesFor


@dataclass(frozen=True)
class FieldEditor:
    """How to edit one shape of field: build its widget, and read the widget's value back as record data."""

    build: Callable[[FieldSpec], Widget]
    read: Callable[[Any, FieldSpec], Any]


def _reference(spec: FieldSpec, *, multiple: bool) -> RefPicker:
    target = reference_kind(spec.owner, spec.field)
    assert target is not None
    value = spec.value
    chosen = list(value or []) if multiple else ([value] if value else [])
    return RefPicker(spec.candidates(target), multiple=multiple, chosen=chosen, noun=target.singular, id=spec.wid)


def _enum_of(spec: FieldSpec, *, listed: bool) -> type[Enum]:
    annotation = unwrap(spec.owner.model_fields[spec.field].annotation)
    found = unwrap(typing.get_args(annotation)[0]) if listed else annotation
    assert isinstance(found, type) and issubclass(found, Enum)
    return found


def _choice(spec: FieldSpec) -> Select[Any]:
    options = [(m.value.replace("_", " "), m.value) for m in _enum_of(spec, listed=False)]
    default = spec.owner.model_fields[spec.field].default
    current = spec.value if spec.value is not None else (default.value if isinstance(default, Enum) else Select.NULL)
    return Select(options, value=current, allow_blank=not isinstance(default, Enum), id=spec.wid, compact=True)


def _choices(spec: FieldSpec) -> ChoiceBoxes:
    ticked = {str(getattr(v, "value", v)) for v in spec.value or []}
    members = _enum_of(spec, listed=True)
    return ChoiceBoxes([(m.value.replace("_", " "), m.value) for m in members], ticked, id=spec.wid)


def _in_first_order(spec: FieldSpec, selected: list[str]) -> list[str]:
    """Ticked values in the order the record had them, newly ticked ones after: ticking one box
    must not reorder the rest (a diff and a commit that name a change nobody made)."""
    before = [str(getattr(v, "value", v)) for v in spec.value or []]
    kept = [v for v in before if v in selected]
    return kept + [v for v in selected if v not in kept]


def _date_input(spec: FieldSpec) -> Input:
    return Input(
        "" if spec.value is None else str(spec.value),
        placeholder="YYYY-MM-DD or DD/MM/YYYY",
        id=spec.wid,
        compact=True,
        validators=[Function(lambda t: not t or is_date(t), f"not a date; {DATE_HELP}")],
    )


def _text_area(text: str, spec: FieldSpec) -> TextArea:
    return TextArea(text, id=spec.wid, compact=True, soft_wrap=True)


def _non_blank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


EDITORS: dict[EditorShape, FieldEditor] = {
    "reference": FieldEditor(
        lambda spec: _reference(spec, multiple=False),
        lambda w, spec: w.value[0] if w.value else None,
    ),
    "references": FieldEditor(lambda spec: _reference(spec, multiple=True), lambda w, spec: w.value),
    "part_list": FieldEditor(
        lambda spec: PartList(_part_of(spec), list(spec.value or []), spec.candidates, id=spec.wid),
        lambda w, spec: w.items,
    ),
    "choice": FieldEditor(_choice, lambda w, spec: None if w.value is Select.NULL else w.value),
    "choices": FieldEditor(_choices, lambda w, spec: _in_first_order(spec, w.selected)),
    # red lines and the like may hold commas: one item per line
    "lines": FieldEditor(
        lambda spec: _text_area("\n".join(spec.value or []), spec), lambda w, spec: _non_blank_lines(w.text)
    ),
    "words": FieldEditor(
        lambda spec: Input(", ".join(spec.value or []), placeholder="comma-separated", id=spec.wid, compact=True),
        lambda w, spec: [item.strip() for item in w.value.split(",") if item.strip()],
    ),
    "flag": FieldEditor(
        lambda spec: FlagBox("yes", bool(spec.value), id=spec.wid, compact=True), lambda w, spec: w.value
    ),
    "number": FieldEditor(
        lambda spec: Input("" if spec.value is None else str(spec.value), type="integer", id=spec.wid, compact=True),
        lambda w, spec: w.value,
    ),
    "date": FieldEditor(_date_input, lambda w, spec: w.value),
    "text": FieldEditor(lambda spec: _text_area(str(spec.value or ""), spec), lambda w, spec: w.text),
    "line": FieldEditor(lambda spec: Input(str(spec.value or ""), id=spec.wid, compact=True), lambda w, spec: w.value),
}
"""One editor per field shape (model.fields.editor_shape): a new shape of field is one new entry here."""


def _part_of(spec: FieldSpec) -> type[BaseModel]:
    _, part = field_shape(spec.owner, spec.field)
    assert part is not None
    return part


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

    # conflicts are resolved in their own view; region matches with allytui region match
    SKIP: ClassVar[set[str]] = {"id", "conflicts", "same_as", "not_same_as"}

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
        self.editors: dict[str, tuple[FieldEditor, FieldSpec]] = {}

    def compose(self) -> ComposeResult:
        for name, info in self.model.model_fields.items():
            if name in self.skip:
                continue
            shape, part = field_shape(self.model, name)
            if shape == "part" and part is not None and isinstance(self.values.get(name), Sealed):
                # not opened here: left out of the form (and so saved exactly as it is), with a note saying so
                with Horizontal(classes="field-row"):
                    yield Label(Text(label_for(name)), classes="field-label")
                    yield Static(plain(SEALED_IN_FORM), classes="field-help")
                continue
            if shape == "part" and part is not None:
                nested = self.values.get(name) or {}
                for sub in part.model_fields:
                    yield from self._row(
                        f"{name}.{sub}",
                        nested.get(sub),
                        part,
                        sub,
                        help_text=f"{label_for(name)} (sensitive)",
                    )
                continue
            yield from self._row(
                name,
                self.values.get(name),
                self.model,
                name,
                help_text=info.description or "",
            )

    def _row(
        self,
        name: str,
        value: Any,
        owner: type[BaseModel],
        field: str,
        *,
        help_text: str = "",
    ) -> ComposeResult:
        self.names.append(name)
        editor = EDITORS[editor_shape(owner, field)]
        spec = FieldSpec(widget_id(name), value, owner, field, self.candidates)
        self.editors[name] = (editor, spec)
        required = owner.model_fields[field].is_required()
        label = label_for(name.split(".")[-1]) + (" *" if required else "")
        with Horizontal(classes="field-row"):
            yield Label(Text(label), classes="field-label")
            with Vertical(classes="field-body"):
                yield editor.build(spec)
                if help_text:
                    yield Static(plain(help_text), classes="field-help")
                yield Static(id=f"error-{widget_id(name)}", classes="field-error")

    # reading back

    def _read(self, name: str) -> Any:
        editor, spec = self.editors[name]
        return editor.read(self.query_one(f"#{spec.wid}"), spec)

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
