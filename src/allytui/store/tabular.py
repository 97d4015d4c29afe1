"""Records as spreadsheet rows and back: the CSV and JSON of `allytui export` and `allytui import`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from allytui.model.fields import field_shape, from_text
from allytui.model.privacy import public_dump, sensitive_fields
from allytui.model.records import Record
from allytui.model.sealed import SEALED_NOTE, Sealed

_LIST_SEPARATOR = re.compile(r"\s*;\s*")
_ID_LIST_SEPARATOR = re.compile(r"\s*[;,]\s*")
FREE_TEXT_LISTS = {"red_lines"}  # items may hold commas; everything else is ids, tags or vocabulary


def columns(model: type[Record], *, include_contact: bool = False) -> list[str]:
    """The CSV header for a kind: id, then every field; a nested part becomes part.field columns."""
    header = ["id"]
    for name in model.model_fields:
        if name in ("id", "conflicts") or (name in sensitive_fields(model) and not include_contact):
            continue
        shape, part = field_shape(model, name)
        if shape == "part" and part is not None:
            header += [f"{name}.{sub}" for sub in part.model_fields]
        else:
            header.append(name)
    return header


def to_json(
    record: Record, *, include_contact: bool = False, closed: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The record with its id; contact details, and a conflict's other value for them, only if included.
    closed: why each sealed value that could not be opened stays sealed (open_record's)."""
    return public_dump(record, reveal=include_contact, closed=closed)


def to_row(record: Record, header: list[str], closed: Mapping[str, str] | None = None) -> dict[str, str]:
    """record as a CSV row; a sealed value not opened says why (closed: field -> why), never its armor."""
    data = record.model_dump(mode="json")
    row: dict[str, str] = {"id": record.id}
    for column in header[1:]:
        outer, _, inner = column.partition(".")
        if isinstance(getattr(record, outer, None), Sealed):  # not opened: say so, never the armor
            row[column] = (closed or {}).get(outer, SEALED_NOTE)
            continue
        value = (data.get(outer) or {}).get(inner) if inner else data.get(column)
        row[column] = _cell(record, column, value)
    return row


def _cell(record: Record, column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        shape, _ = field_shape(type(record), column)
        if shape == "part_list":
            return json.dumps(value, ensure_ascii=False) if value else ""
        return "; ".join(str(item) for item in value)
    return str(value)


def normalise_header(name: str) -> str:
    """'Next action due' -> 'next_action_due'."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def from_row(model: type[Record], row: dict[str, str]) -> dict[str, Any]:
    """A CSV row (normalised headers, id removed) as record data; empty cells are left out."""
    data: dict[str, Any] = {}
    for column, cell in row.items():
        cell = (cell or "").strip()
        if not cell:
            continue
        if "." in column:
            outer, inner = column.split(".", 1)
            data.setdefault(outer, {})[inner] = cell
            continue
        shape, _ = field_shape(model, column)
        if shape == "list":
            separator = _LIST_SEPARATOR if column in FREE_TEXT_LISTS else _ID_LIST_SEPARATOR
            data[column] = [item for item in separator.split(cell) if item]
        elif shape == "part_list":
            try:
                data[column] = json.loads(cell)
            except json.JSONDecodeError:
                data[column] = cell  # validation then names the field
        else:
            data[column] = cell
    return from_text(model, data)
