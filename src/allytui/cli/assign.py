"""`FIELD=VALUE`, `FIELD+=VALUE`, `FIELD-=VALUE` from the command line, applied to a record's data."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from allytui.model.records import Record

ASSIGNMENT = re.compile(r"^(?P<field>[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)(?P<op>\+=|-=|=)(?P<value>.*)$", re.S)


class AssignmentError(ValueError):
    pass


def _unwrap(annotation: Any) -> Any:
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
        raise AssignmentError(f"{name}: unknown field for a {model.__name__.lower()}")
    annotation = _unwrap(model.model_fields[name].annotation)
    if typing.get_origin(annotation) is list:
        item = _unwrap(typing.get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "part_list", item
        return "list", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "part", annotation
    return "scalar", None


_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


def _from_text(annotation: Any, value: str) -> Any:
    """Typed-in text as the field's type, when it plainly is one; otherwise as is, for validation to name."""
    kind = _unwrap(annotation)
    text = value.strip()
    if kind is bool and text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    if kind is int and re.fullmatch(r"[+-]?\d{1,12}", text):
        return int(text)
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return value
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


def parse_part(text: str) -> dict[str, str]:
    """'person=rev-okafor;strength=3;how=sings in the choir' -> a dict."""
    part: dict[str, str] = {}
    for piece in text.split(";"):
        if not piece.strip():
            continue
        key, sep, value = piece.partition("=")
        if not sep:
            raise AssignmentError(f"expected key=value in {piece.strip()!r}")
        part[key.strip()] = value.strip()
    return part


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def apply(model: type[Record], data: dict[str, Any], assignment: str) -> None:
    """Apply one assignment to data in place; AssignmentError when it cannot be understood."""
    found = ASSIGNMENT.match(assignment)
    if found is None:
        raise AssignmentError(f"{assignment.split('=')[0]!r}: expected FIELD=VALUE, FIELD+=VALUE or FIELD-=VALUE")
    name, op, value = found["field"], found["op"], found["value"]
    if "." in name:
        outer, inner = name.split(".", 1)
        shape, part = field_shape(model, outer)
        if shape != "part" or part is None:
            raise AssignmentError(f"{outer}: has no sub-fields")
        field_shape(part, inner)
        if op != "=":
            raise AssignmentError(f"{name}: only = works on a sub-field")
        sub = dict(data.get(outer) or {})
        if value:
            sub[inner] = value
        else:
            sub.pop(inner, None)
        data[outer] = sub
        return
    shape, _ = field_shape(model, name)
    if op == "=":
        if value == "":
            data.pop(name, None)
        elif shape == "list":
            data[name] = split_list(value)
        elif shape == "part_list":
            data[name] = [parse_part(value)]
        elif shape == "part":
            data[name] = parse_part(value)
        else:
            data[name] = value
        return
    if shape not in ("list", "part_list"):
        raise AssignmentError(f"{name}: {op} works only on lists")
    current = list(data.get(name) or [])
    item: Any = parse_part(value) if shape == "part_list" else value.strip()
    if op == "+=":
        if item not in current:
            current.append(item)
    else:
        before = len(current)
        if shape == "part_list":
            current = [c for c in current if not all(str(c.get(k)) == v for k, v in item.items())]
        else:
            current = [c for c in current if str(c) != item]
        if len(current) == before:
            raise AssignmentError(f"{name}: no such item to remove")
    data[name] = current
