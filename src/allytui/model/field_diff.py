"""Field-level diffs between two versions of a record: what changed, field by field, as plain text.

Pure: a version is bytes already read and the record (or the problem) they hold; reading versions from
git is allytui.store.history. Contact details are marked sensitive on every path (model.privacy), so
summaries leave their values out unless asked to reveal them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from allytui.model.fields import field_shape, is_long_text
from allytui.model.privacy import is_sensitive_path, sensitive_fields
from allytui.model.readable import choice_field, label
from allytui.model.records import Kind, Record
from allytui.model.sealed import looks_sealed

DiffKind = Literal["value", "text", "list", "problem", "sealed"]
DiffTag = Literal["+", "-", " ", "@"]  # added, removed, unchanged context, a gap between hunks
NONE_SHOWN = "(none)"
SEALED_CHANGED = "sealed value changed"
SEALED_SHOWN = "(sealed value)"
TEXT_CONTEXT = 1  # unchanged lines shown around each changed one in a text field


@dataclass(frozen=True)
class FieldDiff:
    """How one field changed.

    kind "value": `before → after`; "text": `lines` is a line diff of long text; "list": `lines` are
    the items added (+) and removed (-); "problem": a version that could not be read or is not a
    valid record, with what is wrong in `after`; "sealed": a sealed value the reader could not open
    changed (its armor is never shown). Sensitive fields (contact details, and sealed values opened
    for the reader) are marked, and summary and body leave their values out unless asked to reveal them.
    """

    field: str
    before: str
    after: str
    kind: DiffKind
    lines: tuple[tuple[DiffTag, str], ...] = ()
    sensitive: bool = False

    def summary(self, *, reveal: bool = False) -> str:
        """The first line: 'stage: shortlisted → contacted', 'notes:', or 'contact.email changed' unrevealed."""
        if self.kind == "problem":
            return self.after
        if self.kind == "sealed":
            return f"{self.field}: {SEALED_CHANGED}"
        if self.sensitive and not reveal:
            return f"{self.field} changed"
        if self.kind == "value":
            return f"{self.field}: {self.before} → {self.after}"
        return f"{self.field}:"

    def body(self, *, reveal: bool = False) -> tuple[tuple[DiffTag, str], ...]:
        """The lines under the summary: a text field's line diff, a list's added and removed items."""
        return () if self.sensitive and not reveal else self.lines


@dataclass(frozen=True)
class Version:
    """One version of a record's file: its blob and bytes, and the record they hold (None if they don't)."""

    blob: str
    raw: bytes
    record: Record | None
    problem: str | None = None  # why record is None
    values: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    """The fields as plain JSON-like values, to compare (None when the bytes are not TOML)."""
    opened: frozenset[str] = frozenset()
    """Fields whose sealed value was opened for the reader in values: sensitive, shown only when revealed."""


def compare(kind: Kind, before: Version | None, after: Version | None) -> list[FieldDiff]:
    """The field diffs between two versions (None: no file), in the model's field order.

    A version that is TOML but not a valid record is still compared field by field, after a
    "problem" entry saying what is wrong; when either is not TOML at all there are only problem entries.
    """
    found: list[FieldDiff] = []
    if before is not None and before.values is None:  # else its problem was shown on its own entry
        found.append(FieldDiff("", "", f"the version before: {before.problem}", "problem"))
    if after is not None and after.problem:
        found.append(FieldDiff("", "", after.problem, "problem"))
    if any(v is not None and v.values is None for v in (before, after)):
        return found
    old = before.values if before is not None and before.values is not None else {}
    new = after.values if after is not None and after.values is not None else {}
    opened = frozenset[str]().union(*(v.opened for v in (before, after) if v is not None))
    found += _diff_fields(kind.model, old, new, "", sensitive=False, opened=opened)
    return found


def plain_values(value: Any) -> Any:
    """Plain JSON-like values: enums by value, dates as ISO text; so a record and raw TOML compare alike."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_values(v) for v in value]
    return value


@cache
def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    """The value each field has when the file leaves it out (None for a required one), by field order."""
    return {
        name: None if info.is_required() else plain_values(info.get_default(call_default_factory=True))
        for name, info in model.model_fields.items()
        if name != "id"
    }


def _is_sensitive(model: type[BaseModel], name: str) -> bool:
    return name in sensitive_fields(model)


def _diff_fields(
    model: type[BaseModel],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    prefix: str,
    *,
    sensitive: bool,
    opened: frozenset[str] = frozenset(),
) -> list[FieldDiff]:
    found: list[FieldDiff] = []
    known = _defaults(model)
    for name, default in known.items():
        before, after = old.get(name, default), new.get(name, default)
        if before == after:
            continue
        path = prefix + name
        if looks_sealed(before) or looks_sealed(after):  # not opened for this reader: never its armor
            found.append(FieldDiff(path, SEALED_CHANGED, SEALED_CHANGED, "sealed"))
            continue
        secret = sensitive or _is_sensitive(model, name) or name in opened
        if choice_field(model, name):  # as the app shows choices: in conversation, not in_conversation
            before, after = _labelled(before), _labelled(after)
        shape, part = field_shape(model, name)
        if shape == "part" and part is not None and _dict_or_none(before) and _dict_or_none(after):
            found += _diff_fields(part, before or {}, after or {}, f"{path}.", sensitive=secret)
        elif shape in ("list", "part_list") and isinstance(before, list) and isinstance(after, list):
            if name == "conflicts":  # an open conflict on a sensitive field holds its other value
                secret = secret or _mentions(before + after, model)
            found.append(_list_diff(path, before, after, secret))
        elif shape == "scalar" and is_long_text(model.model_fields[name]) and _str_or_empty(before, after):
            found.append(_text_diff(path, before or "", after or "", secret))
        else:
            found.append(FieldDiff(path, _shown(before), _shown(after), "value", sensitive=secret))
    for name in sorted((set(old) | set(new)) - set(known)):  # only in a version that is not a valid record
        before, after = old.get(name), new.get(name)
        if before != after:
            found.append(FieldDiff(prefix + name, _shown(before), _shown(after), "value", sensitive=sensitive))
    return found


def _labelled(value: Any) -> Any:
    if isinstance(value, str):
        return label(value)
    if isinstance(value, list):
        return [label(item) if isinstance(item, str) else item for item in value]
    return value


def _dict_or_none(value: Any) -> bool:
    return value is None or isinstance(value, dict)


def _str_or_empty(*values: Any) -> bool:
    return all(v is None or isinstance(v, str) for v in values)


def _mentions(items: list[Any], model: type[BaseModel]) -> bool:
    return any(isinstance(item, dict) and is_sensitive_path(model, str(item.get("field", ""))) for item in items)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return NONE_SHOWN
    if looks_sealed(value):  # a sealed value not opened (a conflict's other one): never its armor
        return SEALED_SHOWN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_item(v) for v in value) if value else NONE_SHOWN
    if isinstance(value, dict):
        return _item(value)
    return str(value)


def _item(value: Any) -> str:
    """A list item as one line: a part as 'person=ana; how=choir; strength=3'."""
    if isinstance(value, dict):
        return "; ".join(f"{k}={_shown(v)}" for k, v in value.items() if v not in (None, "", [], False))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return _shown(value)


def _list_diff(path: str, before: list[Any], after: list[Any], sensitive: bool) -> FieldDiff:
    old, new = [_item(v) for v in before], [_item(v) for v in after]
    removed, added = list(old), []
    for item in new:
        if item in removed:
            removed.remove(item)
        else:
            added.append(item)
    lines: list[tuple[DiffTag, str]] = [("+", item) for item in added] + [("-", item) for item in removed]
    if not lines:
        lines = [(" ", "(same items, new order)")]
    return FieldDiff(path, _shown(before), _shown(after), "list", tuple(lines), sensitive)


def _text_diff(path: str, before: str, after: str, sensitive: bool) -> FieldDiff:
    lines: list[tuple[DiffTag, str]] = []
    old, new = before.splitlines(), after.splitlines()
    for group_no, group in enumerate(
        difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(TEXT_CONTEXT)
    ):
        if group_no:
            lines.append(("@", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [(" ", line) for line in old[i1:i2]]
                continue
            lines += [("-", line) for line in old[i1:i2]]
            lines += [("+", line) for line in new[j1:j2]]
    if not lines:
        lines = [(" ", "(only line endings or a final newline changed)")]
    return FieldDiff(path, before, after, "text", tuple(lines), sensitive)
