"""Record <-> TOML text: deterministic writing with tomli-w, guarded reading with tomllib."""

from __future__ import annotations

import re
import tomllib
from enum import Enum
from typing import Any

import tomli_w

from allytui.model.records import Record
from allytui.model.sealed import ARMOR_BEGIN, ARMOR_END
from allytui.store.layout import MAX_FILE_BYTES

MAX_DEPTH = 8
_CONFLICT_MARKER = re.compile(rb"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
_MARKERS = (b"<<<<<<<", b"=======", b">>>>>>>", b"|||||||")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class ParseError(Exception):
    """A file that is not a readable TOML table; message is safe to show, line may be known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def record_data(record: Record) -> dict[str, Any]:
    """The fields that go in the file, in model order: defaults and empty values left out."""
    data = record.model_dump(exclude_defaults=True, exclude_none=True, exclude={"id"})
    if "conflicts" in data:  # unresolved conflicts go at the end, below the record's own fields
        data["conflicts"] = data.pop("conflicts")
    return _plain(data)


_MARKER_LINE = re.compile(r"^([<=>|])(?=\1{6}(?: |$))", re.MULTILINE)
_ARMORED = re.compile(f'(?<== )"""\n({re.escape(ARMOR_BEGIN)}\n[A-Za-z0-9+/=\n]*{re.escape(ARMOR_END)}\n)"""')


def dump(data: dict[str, Any]) -> str:
    """TOML text; a line of long text that looks like a git conflict marker gets its first character
    escaped (\\u003D for "="), so every real marker in a file is a real conflict.

    A sealed value (age armor: base64 lines, no quote or backslash) is written as a multi-line literal
    string, between ''' marks: the same value, which tomllib reads in one search instead of a
    character at a time, so a sealed repo loads about as fast as a plain one."""
    text = tomli_w.dumps(data, multiline_strings=True)
    text = _MARKER_LINE.sub(lambda m: f"\\u{ord(m.group(1)):04X}", text)
    return _ARMORED.sub(r"'''\n\1'''", text) if ARMOR_BEGIN in text else text


def dump_record(record: Record) -> str:
    """The file text for a record: a one-field change is a one-line diff."""
    return dump(record_data(record))


def _too_deep(value: dict[str, Any], limit: int = MAX_DEPTH) -> bool:
    """Whether tables and arrays nest more than limit levels (a plain table is 1).

    Walks with its own stack, not by recursion: a 2 KB file of dotted keys nests a thousand deep.
    """
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack += [(child, level + 1) for child in children if isinstance(child, dict | list)]
    return False


def parse(raw: bytes) -> dict[str, Any]:
    """Parse file bytes as a TOML table, turning every kind of failure into a ParseError."""
    if len(raw) > MAX_FILE_BYTES:
        raise ParseError(f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
    marker = _CONFLICT_MARKER.search(raw) if any(m in raw for m in _MARKERS) else None
    if marker is not None:
        line = raw.count(b"\n", 0, marker.start()) + 1
        raise ParseError("unresolved merge conflict (git conflict markers in the file)", line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ParseError(f"not valid UTF-8 (byte {error.start + 1})", line) from None
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_POSITION.search(message)
        at_line = int(found.group(1)) if found else None
        if found:
            message = f"{message[: found.start()].strip()} (column {found.group(2)})"
        raise ParseError(f"TOML syntax: {message}", at_line) from None
    except RecursionError:
        raise ParseError(f"nesting too deep (more than {MAX_DEPTH} levels)") from None
    except (ValueError, TypeError, OverflowError, MemoryError) as error:
        raise ParseError(f"cannot read: {type(error).__name__}") from None
    if _too_deep(data):
        raise ParseError(f"nesting too deep (more than {MAX_DEPTH} levels)")
    return data


_ANY_KEY = r"""(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<bare>[A-Za-z0-9_-]+))"""
_KEY_LINE = re.compile(rf"^[ \t]*{_ANY_KEY}[ \t]*=", re.MULTILINE)
_TABLE_LINE = re.compile(rf"^[ \t]*\[\[?[ \t]*{_ANY_KEY}[ \t]*\]", re.MULTILINE)


def _first_lines(pattern: re.Pattern[str], text: str) -> dict[str, int]:
    """key -> the line of its first match, in one pass over text."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for found in pattern.finditer(text):
        line += text.count("\n", position, found.start())
        position = found.start()
        lines.setdefault(found["dq"] or found["sq"] or found["bare"] or "", line)
    return lines


class Locator:
    """Line numbers of fields' top-level keys in one record's text, found in one pass however many
    fields are asked for (a file with thousands of bad fields must not take minutes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._keys: dict[str, int] | None = None
        self._tables: dict[str, int] | None = None

    def __call__(self, field: str) -> int | None:
        key = re.split(r"[.\[]", field, maxsplit=1)[0]
        if not key:
            return None
        if self._keys is None:
            self._keys = _first_lines(_KEY_LINE, self.text)
        if key in self._keys:
            return self._keys[key]
        if self._tables is None:
            self._tables = _first_lines(_TABLE_LINE, self.text)
        return self._tables.get(key)


def locate(text: str, field: str) -> int | None:
    """Best-effort line number of a field path's top-level key in a record's text."""
    return Locator(text)(field)
