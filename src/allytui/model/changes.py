"""Describing a change to a record for its commit message: names and safe values, never free text."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from allytui.model.privacy import sensitive_fields
from allytui.model.readable import label
from allytui.model.records import Record

# Values of these types are safe to repeat in a commit message: vocabularies, numbers, dates, flags.
_SHOWN_TYPES = (Enum, bool, int, dt.date)


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Enum):
        return label(str(value.value))  # as the app shows it: in conversation
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def changed_fields(old: Record, new: Record) -> list[str]:
    """The fields whose values differ, in the order the file has them (open conflicts last)."""
    before, after = old.model_dump(), new.model_dump()
    order = [name for name in type(new).model_fields if name not in ("id", "conflicts")] + ["conflicts"]
    return [name for name in order if before.get(name) != after.get(name)]


def describe_field(old: Record, new: Record, name: str) -> str:
    """'stage shortlisted → contacted' for a safe value; only the name for free text and contact details."""
    before, after = getattr(old, name), getattr(new, name)
    safe = name not in sensitive_fields(type(new)) and all(
        v is None or isinstance(v, _SHOWN_TYPES) for v in (before, after)
    )
    return f"{name} {_shown(before)} → {_shown(after)}" if safe else name


def subject(record: Record) -> str:
    return f"{record.KIND.singular} {record.id}"


def describe_change(old: Record | None, new: Record | None) -> str:
    """A commit message line: 'group st-marys: stage shortlisted → contacted; next_action'."""
    if new is None:
        assert old is not None
        return f"{subject(old)}: deleted"
    if old is None:
        return f"{subject(new)}: created"
    fields = changed_fields(old, new)
    if not fields:
        return f"{subject(new)}: no changes"
    return f"{subject(new)}: " + "; ".join(describe_field(old, new, name) for name in fields)
