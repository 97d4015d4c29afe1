"""Open sync conflicts as lines people read: the record and field, the value it holds, and the other one."""

from __future__ import annotations

from collections.abc import Mapping

from allytui.model.conflicts import DELETED, FILE, value_at
from allytui.model.conflicts import other_value as conflict_other
from allytui.model.privacy import HIDDEN, shown_conflict_value
from allytui.model.readable import readable_field
from allytui.model.records import FieldConflict, Kind, Record

Entry = tuple[Record, FieldConflict]
INDENT = "    "
CHOOSE = "choose with allytui resolve KIND/ID FIELD --keep (this value) or --take-other, or in the app (C)"


def open_conflicts(records: Mapping[Kind, Mapping[str, Record]]) -> list[Entry]:
    return [(r, c) for kind in Kind for _, r in sorted(records[kind].items()) for c in r.conflicts]


def values(record: Record, conflict: FieldConflict, *, reveal: bool) -> tuple[str, str]:
    """(this value, the other) as people read them; contact details hidden unless reveal."""
    model = type(record)
    now = readable_field(model, conflict.field, value_at(record.model_dump(), conflict.field))
    other = readable_field(model, conflict.field, conflict_other(conflict))
    return (
        shown_conflict_value(model, conflict, now, reveal=reveal, placeholder=HIDDEN),
        shown_conflict_value(model, conflict, other, reveal=reveal, placeholder=HIDDEN),
    )


def _indented(label: str, text: str) -> list[str]:
    lines = text.rstrip("\n").split("\n")
    pad = " " * len(label)
    return [f"{INDENT}{label}{lines[0]}", *(f"{INDENT}{pad}{line}" for line in lines[1:])]


def conflict_lines(entries: list[Entry], *, heading: bool = False, reveal: bool = False) -> list[str]:
    """Each conflict as lines: the record and field, then this value and the other one, line breaks kept."""
    lines = []
    if heading:
        count = len(entries)
        lines.append(f"{count} open sync conflict{'s' if count > 1 else ''}: {CHOOSE}")
    for record, conflict in entries:
        who = conflict.author or "someone"
        lines.append(f"  {record.KIND.value}/{record.id} {field_word(conflict)}")
        if conflict.field == DELETED:
            lines.append(f"{INDENT}{who} deleted it; the edits to it were kept")
            continue
        if conflict.field == FILE:
            lines.append(f"{INDENT}{conflict_other(conflict)}")
            continue
        now, other = values(record, conflict, reveal=reveal)
        lines += _indented("this value: ", now)
        lines += _indented("the other:  ", other.rstrip("\n") + f" (from {who})")
    return lines


def field_word(conflict: FieldConflict) -> str:
    return "deleted" if conflict.field == DELETED else conflict.field
