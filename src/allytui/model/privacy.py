"""Contact details stay hidden unless asked for: what is sensitive, and masking it in records, TOML and patches.

Every output path that could carry a person's contact details (history, raw git diffs, the sync
review, exports, show and list, conflicts, the details pane) masks through these functions, so
there is one place that decides what is sensitive and one way of hiding it.

Record files are masked line by line, keeping the number of lines, so a git patch can be masked by
putting each of its lines back from the masked file it came from. Two layers find the lines to hide:
the TOML structure (a `[contact]` table, `contact = {...}`, `contact.email = ...`, multi-line
strings and arrays, a conflict whose `field` is sensitive), and, where the file parses, the
sensitive values themselves wherever else they appear on a line.
"""

from __future__ import annotations

import contextlib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel

from allytui.model.records import FieldConflict, Record
from allytui.model.sealed import SEALED_HIDDEN, SEALED_NOTE, Sealed, looks_sealed

HIDDEN = "(hidden; --reveal to show)"
HIDDEN_NOTE = "(contact details are hidden; add --reveal to show them)"
MIN_TOKEN = 3  # shorter pieces of a sensitive value are not searched for on other lines
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_INDEX = re.compile(r"^index ([0-9a-f]+)\.\.([0-9a-f]+)")


@cache
def sensitive_fields(model: type[BaseModel]) -> frozenset[str]:
    """The top-level fields of model marked sensitive (a person's `contact`)."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("sensitive")
    )


def is_sensitive_path(model: type[BaseModel], path: str) -> bool:
    """'contact', 'contact.email' or 'contact[0]' are sensitive in a person; 'name' is not."""
    return _first(path) in sensitive_fields(model)


def _first(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0].strip()


def conflict_is_sensitive(model: type[BaseModel], conflict: FieldConflict) -> bool:
    return is_sensitive_path(model, conflict.field)


def shown_conflict_value(
    model: type[BaseModel], conflict: FieldConflict, value: str, *, reveal: bool, placeholder: str = HIDDEN
) -> str:
    """value (the other side of a conflict, or the record's own) as given, or placeholder if the field is sensitive."""
    return value if reveal or not conflict_is_sensitive(model, conflict) else placeholder


def public_dump(record: Record, *, reveal: bool, closed: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The record as JSON-like data with its id; unrevealed, without contact details or their conflict values.

    A sealed value (one not opened before, see store.sealing.open_record) is never dumped as its armor:
    revealed, it says why it stays sealed (closed: field -> why, from open_record; the reader holds no key
    for it by default); unrevealed, that it is sealed.
    """
    hidden = sensitive_fields(type(record))
    data: dict[str, Any] = {"id": record.id, **record.model_dump(mode="json", exclude=set() if reveal else set(hidden))}
    for name in data.keys() & set(type(record).model_fields):
        if isinstance(getattr(record, name), Sealed):
            data[name] = (closed or {}).get(name, SEALED_NOTE) if reveal else SEALED_HIDDEN
    if not reveal and hidden and data.get("conflicts"):
        data["conflicts"] = [
            {**item, "other": HIDDEN} if _first(str(item.get("field", ""))) in hidden else item
            for item in data["conflicts"]
        ]
    if data.get("conflicts"):  # a conflict's other value still sealed: never its armor
        data["conflicts"] = [
            {**item, "other": SEALED_NOTE if reveal else SEALED_HIDDEN} if looks_sealed(item.get("other")) else item
            for item in data["conflicts"]
        ]
    return data


# masking TOML text


@dataclass
class _State:
    """Where the scan is in a TOML file: the table, and a value continued over several lines."""

    sensitive: frozenset[str]
    table: list[str] = field(default_factory=list)
    in_conflict: bool = False
    conflict_secret: bool | None = None  # the current [[conflicts]] entry's field is sensitive (None: not seen)
    delim: str | None = None  # open multi-line string
    depth: int = 0  # open brackets of a multi-line array
    carried: bool = False  # the continued value is sensitive

    @property
    def table_secret(self) -> bool:
        return bool(self.table) and _first(self.table[0]) in self.sensitive


def mask_toml(
    text: str, sensitive: Iterable[str], placeholder: str = HIDDEN, *, values: Iterable[str] = ()
) -> list[str]:
    """text's lines (split at "\\n") with every sensitive value replaced by placeholder; as many lines as text.

    values: more sensitive strings to hide wherever they appear (those of the file itself are added).
    """
    names = frozenset(sensitive)
    lines = text.split("\n")
    if not names:
        return lines
    tokens = tokens_of(sensitive_values(text, names) | set(values))
    state = _State(names)
    return [_mask_line(line, _secret_line(line, state) or _has_token(line, tokens), placeholder) for line in lines]


def _secret_line(line: str, state: _State) -> bool:
    """Whether line holds (part of) a sensitive value, moving state past it."""
    if state.delim or state.depth:
        state.delim, state.depth = _scan(line, state.delim, state.depth)
        return state.carried
    stripped = line.strip()
    if not stripped:
        return False
    if stripped.startswith("#"):
        return state.table_secret
    if stripped.startswith("["):
        _header(stripped, state)
        return False
    parsed = _key(stripped)
    if parsed is None:
        return state.table_secret
    key, rest = parsed
    path = state.table + key
    secret = bool(path) and _first(path[0]) in state.sensitive  # "contact.email" = ... too, though not valid
    if state.in_conflict and key == ["field"]:
        value = _string_value(rest)
        state.conflict_secret = value is None or _first(value) in state.sensitive
    elif state.in_conflict and key == ["other"]:
        secret = state.conflict_secret is not False
    elif path == ["conflicts"]:  # conflicts as an inline array
        secret = any(name in rest for name in state.sensitive)
    state.delim, state.depth = _scan(rest, None, 0)
    state.carried = secret
    return secret


def _header(stripped: str, state: _State) -> None:
    array = stripped.startswith("[[")
    parsed = _key(stripped.lstrip("["), end="]")
    state.table = parsed[0] if parsed is not None else [stripped]
    state.in_conflict = array and state.table == ["conflicts"]
    state.conflict_secret = None
    state.delim, state.depth, state.carried = None, 0, False


def _key(text: str, end: str = "=") -> tuple[list[str], str] | None:
    """A dotted key at the start of text and what follows its `end` character, or None if there is none."""
    parts: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in " \t.":
            index += 1
        elif char == end:
            return (parts, text[index + 1 :]) if parts else None
        elif char in "\"'":
            close = text.find(char, index + 1)
            if close < 0:
                return None
            parts.append(text[index + 1 : close])
            index = close + 1
        else:
            found = _BARE.match(text, index)
            if found is None:
                return None
            parts.append(found.group())
            index = found.end()
    return None


def _string_value(rest: str) -> str | None:
    try:
        value = tomllib.loads("v = " + rest).get("v")
    except tomllib.TOMLDecodeError:
        return None
    return value if isinstance(value, str) else None


def _scan(text: str, delim: str | None, depth: int) -> tuple[str | None, int]:
    """Past text: the string still open (only a multi-line one carries over) and the brackets still open."""
    index = 0
    while index < len(text):
        char = text[index]
        if delim:
            if char == "\\" and delim in ('"', '"""'):
                index += 2
            elif text.startswith(delim, index):
                index += len(delim)
                delim = None
            else:
                index += 1
            continue
        if char == "#":
            break
        if text.startswith(('"""', "'''"), index):
            delim = text[index : index + 3]
            index += 3
            continue
        if char in "\"'":
            delim = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return (None if delim in ('"', "'") else delim), depth


def _mask_line(line: str, secret: bool, placeholder: str) -> str:
    if not secret:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    parsed = _key(line.strip())
    if parsed is not None and not line.strip().startswith("["):
        key = line.strip()[: len(line.strip()) - len(parsed[1]) - 1].rstrip()
        return f"{indent}{key} = {placeholder}"
    return indent + placeholder


def sensitive_values(text: str, sensitive: frozenset[str]) -> set[str]:
    """Every string held by a sensitive field of this TOML text, or by a conflict on one (empty if not TOML)."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return set()
    found = {value for name in sensitive for value in _strings(data.get(name))}
    for item in data.get("conflicts") or []:
        if isinstance(item, dict) and _first(str(item.get("field", ""))) in sensitive:
            other = item.get("other")
            found |= set(_strings(other))
            if isinstance(other, str):
                with contextlib.suppress(ValueError):
                    found |= set(_strings(json.loads(other)))
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def tokens_of(values: Iterable[str]) -> frozenset[str]:
    """The pieces of sensitive values to look for on a line: each line of each value, long enough to be telling."""
    return frozenset(
        piece.strip() for value in values for piece in value.splitlines() if len(piece.strip()) >= MIN_TOKEN
    )


def _has_token(line: str, tokens: frozenset[str]) -> bool:
    return any(token in line for token in tokens)


# masking git patches


def patch_blob_ids(patch: str) -> set[str]:
    """The (possibly abbreviated) blob ids named by the `index a..b` lines of a git patch, zeros left out."""
    found = set()
    for line in patch.split("\n"):
        match = _INDEX.match(line)
        if match:
            found |= {blob for blob in match.groups() if blob.strip("0")}
    return found


def mask_patch(
    patch: str, blobs: Mapping[str, bytes | None], sensitive: Iterable[str], placeholder: str = HIDDEN
) -> str:
    """git's patch text (`git show -p` / `git log -p` of record files) with every sensitive value masked.

    blobs holds the files named by each `index a..b` line (as patch_blob_ids gives them). Each hunk
    line is replaced by the same line of its masked file, so the patch keeps its shape; the text git
    adds after a hunk's `@@` (a nearby line of the file) is left out. A line whose file could not be
    read is hidden whole.
    """
    names = frozenset(sensitive)
    if not names:
        return patch
    out: list[str] = []
    files: tuple[list[str] | None, list[str] | None] = (None, None)
    old_no = new_no = old_left = new_left = 0
    for line in patch.split("\n"):
        if (old_left > 0 or new_left > 0) and line[:1] in ("", " ", "-", "+"):
            tag = line[:1] or " "  # with diff.suppressBlankEmpty an empty context line has no space
            old_line = _nth(files[0], old_no, placeholder) if tag in " -" else None
            new_line = _nth(files[1], new_no, placeholder) if tag in " +" else None
            old_no, old_left = old_no + (tag in " -"), old_left - (tag in " -")
            new_no, new_left = new_no + (tag in " +"), new_left - (tag in " +")
            out.append(tag + (new_line if new_line is not None else old_line or ""))
            continue
        if line.startswith("diff --git "):
            files = (None, None)
        elif line.startswith("index "):
            files = _masked_pair(line, blobs, names, placeholder)
        elif (hunk := _HUNK.match(line)) is not None:
            old_no, old_count, new_no, new_count = (int(g) if g is not None else 1 for g in hunk.groups())
            old_left, new_left = old_count, new_count
            line = hunk.group(0)
        out.append(line)
    return "\n".join(out)


def _masked_pair(
    line: str, blobs: Mapping[str, bytes | None], names: frozenset[str], placeholder: str
) -> tuple[list[str] | None, list[str] | None]:
    match = _INDEX.match(line)
    if match is None:
        return None, None
    texts = [_blob_text(blob, blobs) for blob in match.groups()]
    values = {v for text in texts if text is not None for v in sensitive_values(text, names)}
    pair = [mask_toml(text, names, placeholder, values=values) if text is not None else None for text in texts]
    return pair[0], pair[1]


def _blob_text(blob: str, blobs: Mapping[str, bytes | None]) -> str | None:
    if not blob.strip("0"):
        return ""
    raw = blobs.get(blob)
    return raw.decode("utf-8", errors="replace") if raw is not None else None


def _nth(lines: list[str] | None, number: int, placeholder: str) -> str:
    """Line `number` (from 1) of a masked file; the placeholder when the file or line is unknown."""
    if lines is None or not 1 <= number <= len(lines):
        return placeholder
    return lines[number - 1]
