"""Values as people read them: yes/no, labels ("in conversation"), dates, lists, and parts such as contact
details as lines; never a Python repr, JSON or a sealed value's armor."""

from __future__ import annotations

import datetime as dt
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from allytui.model.fields import UnknownField, editor_shape, unwrap
from allytui.model.sealed import SEALED_NOTE, looks_sealed

EMPTY = "(empty)"


def label(value: str) -> str:
    """A stored choice as the app shows it: in_conversation -> in conversation."""
    return value.replace("_", " ")


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def readable(value: Any) -> str:
    """One value as text (lines for long text and parts): yes/no, labels, dates, `a, b` lists."""
    if is_empty(value):
        return EMPTY
    if looks_sealed(value):
        return SEALED_NOTE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return label(str(value.value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_none=True)
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_inline(item)}" for key, item in value.items() if not is_empty(item))
    if isinstance(value, list):
        if any(isinstance(item, (dict, BaseModel)) for item in value):
            return "\n".join(f"- {_inline(item)}" for item in value)
        return ", ".join(readable(item) for item in value)
    return str(value)


def _inline(value: Any) -> str:
    """A value on one line: a part as `key: value; key: value`."""
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_none=True)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_inline(item)}" for key, item in value.items() if not is_empty(item))
    return readable(value).replace("\n", " / ")


def choice_type(annotation: Any) -> type[Enum] | None:
    """The Enum a field holds (one of, or a list of), else None."""
    kind = unwrap(annotation)
    if typing.get_origin(kind) is list:
        kind = unwrap(typing.get_args(kind)[0])
    return kind if isinstance(kind, type) and issubclass(kind, Enum) else None


def choice_field(model: type[BaseModel], name: str) -> bool:
    """Whether the field holds one or a list of choices (stored as their values, shown as labels)."""
    info = model.model_fields.get(name)
    return info is not None and choice_type(info.annotation) is not None


def readable_field(model: type[BaseModel], path: str, value: Any) -> str:
    """value of the field at path (`stage`, `contact.email`, `knows[0].strength`) as text, a choice by its
    label even when held as its stored text (a conflict's other value, JSON data)."""
    top = path.split(".", 1)[0].split("[", 1)[0]
    whole = "." not in path and "[" not in path
    if whole and choice_field(model, top):
        if isinstance(value, str):
            return label(value)
        if isinstance(value, list):
            return ", ".join(label(str(v)) for v in value) or EMPTY
    if whole and isinstance(value, list) and value and _shape(model, top) == "lines":  # items may hold commas
        return "\n".join(f"- {readable(item)}" for item in value)
    return readable(value)


def _shape(model: type[BaseModel], name: str) -> str:
    try:
        return editor_shape(model, name)
    except UnknownField:
        return ""
