"""Resolving a sync conflict kept in a record: keep the value it has, or take the other one."""

from __future__ import annotations

import json
import re
from typing import Any

from allytui.model.records import FieldConflict, Record

DELETED = "(deleted)"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


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


def other_value(conflict: FieldConflict) -> Any:
    return json.loads(conflict.other)


def resolve(record: Record, conflict: FieldConflict, take_other: bool) -> Record | None:
    """The record with this conflict settled; None when taking the other side means deleting it."""
    if conflict.field == DELETED and take_other:
        return None
    data = record.model_dump(exclude={"id"})
    data["conflicts"] = [c.model_dump() for c in record.conflicts if c != conflict]
    if take_other and conflict.field != DELETED:
        _set(data, conflict.field, other_value(conflict))
    return type(record).model_validate({**data, "id": record.id})
