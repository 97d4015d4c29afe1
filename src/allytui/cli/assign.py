"""`FIELD=VALUE`, `FIELD+=VALUE`, `FIELD-=VALUE` from the command line, applied to a record's data."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from allytui.model import fields
from allytui.model.records import Record

ASSIGNMENT = re.compile(r"^(?P<field>[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)(?P<op>\+=|-=|=)(?P<value>.*)$", re.S)


class AssignmentError(ValueError):
    pass


def field_shape(model: type[BaseModel], name: str) -> tuple[str, type[BaseModel] | None]:
    try:
        return fields.field_shape(model, name)
    except fields.UnknownField as error:
        raise AssignmentError(str(error)) from None


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
