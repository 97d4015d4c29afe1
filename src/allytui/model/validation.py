"""Turning raw data into records, and every failure into a (field, message) pair that leaks no values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from allytui.model.records import Kind, Record
from allytui.model.typed_dates import DATE_HELP, UnreadDate


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with one file: where it is, which field, and what is wrong."""

    path: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field or '-'}: {self.message}"


def field_path(loc: Iterable[str | int]) -> str:
    """('knows', 2, 'strength') -> 'knows[2].strength'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def error_pairs(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) for each pydantic error. The offending input is never repeated."""
    pairs = []
    for detail in error.errors(include_url=False):  # the input is looked at (typed dates), never shown
        message = detail["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = "unknown field"
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "enum":
            message = f"unknown value; expected {detail.get('ctx', {}).get('expected', '')}".rstrip()
        elif isinstance(detail.get("input"), UnreadDate):
            message = f"not a date; {DATE_HELP}"
        elif kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
            message = "not a date (in a file: a TOML date such as 2026-12-31, without quotes)"
        elif kind == "string_pattern_mismatch" and detail["loc"][0] == "tags":
            message = "not a valid tag (lowercase letters, digits and -, up to 40 characters)"
        elif kind == "string_pattern_mismatch":
            message = "not a valid id (lowercase letters, digits and -, up to 64 characters)"
        pairs.append((field_path(detail["loc"]), message))
    return pairs


def build_record(kind: Kind, record_id: str, data: Mapping[str, Any]) -> tuple[Record | None, list[tuple[str, str]]]:
    """Validate data read from a file as a record of kind with this id."""
    if "id" in data:
        return None, [("id", "the id is the file name; remove this field")]
    try:
        return kind.model.model_validate({**data, "id": record_id}), []
    except ValidationError as error:
        return None, error_pairs(error)


RecordIndex = Mapping[Kind, Mapping[str, Record]]


def broken_references(index: RecordIndex) -> Iterable[tuple[Record, str, str]]:
    """(record, field, message) for each reference to a record that does not exist."""
    for records in index.values():
        for record in records.values():
            for field, kind, ref in record.references():
                if ref not in index.get(kind, {}):
                    yield record, field, f"refers to {kind.value}/{ref}, which does not exist"


def referrers(index: RecordIndex, kind: Kind, record_id: str) -> list[tuple[Record, str]]:
    """Every (record, field) that refers to kind/record_id."""
    found = []
    for records in index.values():
        for record in records.values():
            for field, ref_kind, ref in record.references():
                if ref_kind is kind and ref == record_id:
                    found.append((record, field))
    return found
