"""Resolving a sync conflict kept in a record: keep the value it has, or take the other one.

The other value is written in the file as the field holds it (text, a number, a date, a list, a table), so a
person editing the file reads it as they read the field; conflicts kept before 2026-12 hold it as JSON text,
and are read as such.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from pydantic import ValidationError

from allytui.model.fields import from_text
from allytui.model.readable import readable_field
from allytui.model.records import FieldConflict, Record

DELETED = "(deleted)"
FILE = "(file)"
"""A conflict on the whole file: theirs could not be merged and ours was kept (its other value is a note)."""


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for piece in path.replace("]", "").split("."):
        name, *indexes = piece.split("[")
        steps.append(name)
        steps.extend(int(index) for index in indexes)
    return steps


def value_at(data: Any, path: str) -> Any:
    for step in _steps(path):
        data = data[step] if isinstance(step, int) or isinstance(data, dict) else None
        if data is None:
            return None
    return data


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    steps = _steps(path)
    target: Any = data
    for step in steps[:-1]:
        target = target[step]
    target[steps[-1]] = value


def as_kept(value: Any) -> Any:
    """A field's value (from model_dump) as a conflict keeps it in the file: choices as their stored text,
    empty parts of a table left out (TOML has no empty value); None when there is nothing."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        kept = {key: as_kept(item) for key, item in value.items() if item is not None}
        return {key: item for key, item in kept.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [as_kept(item) for item in value]
    return value


_NOT_JSON = object()


def _from_json(text: str) -> Any:
    """The value a conflict from before 2026-12 kept as JSON text, or _NOT_JSON when text is not that
    (written back exactly as it was written: so plain text like `hello` or `3 people` is plain text)."""
    try:
        value = json.loads(text)
    except ValueError:
        return _NOT_JSON
    if json.dumps(value, ensure_ascii=False, sort_keys=True, default=str) != text:
        return _NOT_JSON
    return value


def other_value(conflict: FieldConflict) -> Any:
    """The value not chosen, as the field would hold it."""
    if isinstance(conflict.other, str) and conflict.field != FILE:
        value = _from_json(conflict.other)
        if value is not _NOT_JSON:
            return value
    return conflict.other


def other_text(record: Record, conflict: FieldConflict) -> str:
    """The value not chosen as a person reads it: yes/no, labels, line breaks kept."""
    return readable_field(type(record), conflict.field, other_value(conflict))


def resolve(record: Record, conflict: FieldConflict, take_other: bool) -> Record | None:
    """The record with this conflict settled; None when taking the other side means deleting it."""
    if conflict.field == DELETED and take_other:
        return None
    data = record.model_dump(exclude={"id"})
    data["conflicts"] = [c.model_dump() for c in record.conflicts if c != conflict]
    if not take_other or conflict.field in (DELETED, FILE):
        return type(record).model_validate({**data, "id": record.id})
    value = other_value(conflict)
    try:
        return _taking(record, data, conflict.field, value)
    except ValidationError:
        if value == conflict.other:
            raise
    return _taking(record, data, conflict.field, conflict.other)  # JSON misread: the text as written ("3")


def _taking(record: Record, data: dict[str, Any], path: str, value: Any) -> Record:
    """The record with value at path; a date kept as text (JSON had no dates) is read as a date again."""
    _set(data, path, value)
    model = type(record)
    return model.model_validate({**from_text(model, data), "id": record.id})
