"""Pointing every reference to one record at another instead (merging duplicates), without doubling any link."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from allytui.model.records import Kind, Record
from allytui.model.validation import build_record

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


def _link_key(item: Any) -> str:
    """What a list item points at: the id itself, or a part's references (a knows link's person or group)."""
    if isinstance(item, dict):
        refs = {k: item.get(k) for k in ("person", "group") if item.get(k) is not None}
        return json.dumps(refs or item, sort_keys=True, default=str)
    return json.dumps(item, default=str)


def _without_doubles(items: list[Any], self_ref: Mapping[str, str]) -> list[Any]:
    """items in order, each link once; a link from a record to itself (self_ref: its field and id) left out."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if isinstance(item, dict) and any(item.get(k) == v for k, v in self_ref.items()):
            continue
        key = _link_key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def repoint(record: Record, kind: Kind, old: str, new: str) -> tuple[Record, list[str]]:
    """record with every reference to kind/old made a reference to kind/new, and the fields that had one.

    A list that then names new twice keeps it once; a person's knows link to themself goes."""
    fields = [where for where, ref_kind, ref in record.references() if ref_kind is kind and ref == old]
    if not fields:
        return record, []
    data = record.model_dump(exclude={"id"})
    lists: set[tuple[str | int, ...]] = set()
    for where in fields:
        steps = _steps(where)
        holder: Any = data
        for step in steps[:-1]:
            holder = holder[step]
        holder[steps[-1]] = new
        list_at = max((n for n, step in enumerate(steps) if isinstance(step, int)), default=None)
        if list_at is not None:
            lists.add(tuple(steps[:list_at]))
    self_ref = {"person": record.id} if record.KIND is Kind.PEOPLE else {}
    for path in sorted(lists, key=len, reverse=True):
        holder = data
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = _without_doubles(holder[path[-1]], self_ref)
    rebuilt, errors = build_record(record.KIND, record.id, data)
    if rebuilt is None:  # every reference keeps its shape; a failure here is a bug, not bad data
        raise ValueError(f"{record.KIND.value}/{record.id}: {errors}")
    return rebuilt, fields
