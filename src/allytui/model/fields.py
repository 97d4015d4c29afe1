"""What shape each record field has, and turning typed-in text into field values."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from allytui.model.closest import did_you_mean
from allytui.model.sealed import text_or_sealed
from allytui.model.text import Line, Text, safe_text
from allytui.model.typed_dates import NotADate, UnreadDate, parse_date


class UnknownField(ValueError):
    pass


def unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional, leaving the type that matters."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def field_shape(model: type[BaseModel], name: str) -> tuple[str, type[BaseModel] | None]:
    """('scalar'|'list'|'part'|'part_list', part model) for a field of model."""
    if name not in model.model_fields or name == "id":
        known = [n for n in model.model_fields if n not in ("id", "conflicts")]
        hint = did_you_mean(name, known) or f"; the fields are {', '.join(known)}"
        kind = getattr(model, "KIND", None)  # a record's kind (a group), else the part's name (contact details)
        what = f"a {kind.singular}" if kind else " ".join(re.findall(r"[A-Z][a-z]*", model.__name__)).lower()
        raise UnknownField(f"{name}: not a field of {what}{hint}")
    annotation = unwrap(model.model_fields[name].annotation)
    if typing.get_origin(annotation) is list:
        item = unwrap(typing.get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "part_list", item
        return "list", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "part", annotation
    return "scalar", None


EditorShape = Literal[
    "reference",
    "references",
    "part_list",
    "choice",
    "choices",
    "lines",
    "words",
    "flag",
    "number",
    "date",
    "text",
    "line",
]


def editor_shape(model: type[BaseModel], name: str) -> EditorShape:
    """How a person edits a field (a nested part's fields are edited one by one, so "part" has none).

    reference(s): the id(s) of other records; choice(s): one or several of an enum; lines: free-text
    items such as red lines, which may hold commas, one per line; words: short items such as tags,
    comma-separated; text: paragraphs; line: one line.
    """
    shape, _ = field_shape(model, name)
    info = model.model_fields[name]
    annotation = unwrap(info.annotation)
    refers = isinstance(info.json_schema_extra, dict) and isinstance(info.json_schema_extra.get("refers_to"), str)
    if shape == "part":
        raise UnknownField(f"{name}: a part is edited field by field")
    if shape == "part_list":
        return "part_list"
    if shape == "list":
        item = typing.get_args(annotation)[0]
        if refers:
            return "references"
        if _is_enum(unwrap(item)):
            return "choices"
        return "lines" if item in (Line, Text) else "words"
    if refers:
        return "reference"
    if _is_enum(annotation):
        return "choice"
    if annotation is bool:
        return "flag"
    if annotation is int:
        return "number"
    if annotation is dt.date:
        return "date"
    return "text" if is_long_text(info) else "line"


def _is_enum(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Enum)


_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


def _from_text(annotation: Any, value: str) -> Any:
    """Typed-in text as the field's type, when it plainly is one; otherwise as is, for validation to name."""
    kind = unwrap(annotation)
    text = value.strip()
    if kind is bool and text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    if kind is int and re.fullmatch(r"[+-]?\d{1,12}", text):
        return int(text)
    if kind is dt.date:
        try:
            return parse_date(text)
        except NotADate:
            return UnreadDate(value)
    return value


def from_text(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Convert text typed on the command line or in a spreadsheet to numbers, flags and dates."""
    converted: dict[str, Any] = {}
    for name, value in data.items():
        info = model.model_fields.get(name)
        if info is None:
            converted[name] = value
            continue
        shape, part = field_shape(model, name) if name != "id" else ("scalar", None)
        if shape == "part" and part is not None and isinstance(value, dict):
            converted[name] = from_text(part, value)
        elif shape == "part_list" and part is not None and isinstance(value, list):
            converted[name] = [from_text(part, v) if isinstance(v, dict) else v for v in value]
        elif shape == "scalar" and isinstance(value, str):
            converted[name] = _from_text(info.annotation, value)
        else:
            converted[name] = value
    return converted


def is_long_text(info: FieldInfo) -> bool:
    """Whether a field holds paragraphs (Text) rather than one line."""
    return any(getattr(item, "func", None) in (safe_text, text_or_sealed) for item in info.metadata)
