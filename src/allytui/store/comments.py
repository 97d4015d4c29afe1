"""Keeping hand-written TOML comments when the app rewrites a record file.

Each comment is tied to the key or table header it stands above (or beside). When the file is
rewritten, the comment goes back beside the same key. Comments whose key is gone are reported,
so the caller can warn before dropping them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

Anchor = tuple[str, ...]
_END: Anchor = ("<end>",)


@dataclass
class _Line:
    text: str
    anchor: Anchor | None = None  # set on the first line of a key or table header
    comment: str | None = None  # "# ..." found outside strings on this line
    is_comment_line: bool = False  # the whole line is a comment
    ends_clean: bool = True  # nothing (string, array) is left open at the end of the line


@dataclass
class _Scanner:
    """A small TOML lexer: enough to tell comments from strings, and keys from values."""

    open_string: str | None = None  # '"""' or "'''" while inside a multi-line string
    depth: int = 0  # open [ and { inside a value
    table: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def scan(self, text: str) -> _Line:
        line = _Line(text)
        stripped = text.strip()
        at_statement = self.open_string is None and self.depth == 0
        start = 0
        if at_statement and stripped.startswith("#"):
            line.is_comment_line = True
            return line
        if at_statement and stripped.startswith("["):
            name = stripped.lstrip("[").split("]", 1)[0].strip()
            if stripped.startswith("[["):
                index = self.counts.get(name, 0)
                self.counts[name] = index + 1
                name = f"{name}[{index}]"
            self.table = name
            line.anchor = ("table", name)
            start = text.index("]") + 1
            while start < len(text) and text[start] == "]":
                start += 1
        elif at_statement and "=" in stripped:
            key = stripped.split("=", 1)[0].strip().strip("\"'")
            line.anchor = ("key", self.table, key)
            start = text.index("=") + 1
        line.comment = self._scan_value(text, start)
        line.ends_clean = self.open_string is None and self.depth == 0
        return line

    def _scan_value(self, text: str, i: int) -> str | None:
        n = len(text)
        while i < n:
            if self.open_string is not None:
                end = text.find(self.open_string, i)
                while end != -1 and self.open_string == '"""' and _escaped(text, end):
                    end = text.find(self.open_string, end + 1)
                if end == -1:
                    return None
                i = end + 3
                while i < n and text[i] == self.open_string[0]:
                    i += 1  # up to two quotes may close a multi-line string
                self.open_string = None
                continue
            char = text[i]
            if char == "#":
                return text[i:]
            if text.startswith(('"""', "'''"), i):
                self.open_string = text[i : i + 3]
                i += 3
            elif char in "\"'":
                end = i + 1
                while end < n and (text[end] != char or (char == '"' and _escaped(text, end))):
                    end += 1
                i = end + 1
            else:
                if char in "[{":
                    self.depth += 1
                elif char in "]}":
                    self.depth = max(0, self.depth - 1)
                i += 1
        return None


def _escaped(text: str, at: int) -> bool:
    backslashes = 0
    while at - backslashes - 1 >= 0 and text[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _scan_all(text: str) -> list[_Line]:
    scanner = _Scanner()
    return [scanner.scan(line) for line in text.splitlines()]


def comment_lines(text: str) -> list[int]:
    """Line numbers (from 1) that hold a comment."""
    return [n for n, line in enumerate(_scan_all(text), 1) if line.is_comment_line or line.comment]


@dataclass
class _Carried:
    before: list[str] = field(default_factory=list)
    beside: str | None = None
    lines: list[int] = field(default_factory=list)


def _collect(old_text: str) -> dict[Anchor, _Carried]:
    carried: dict[Anchor, _Carried] = {}
    pending: list[tuple[int, str]] = []
    current: Anchor | None = None
    for number, line in enumerate(_scan_all(old_text), 1):
        if line.is_comment_line:
            pending.append((number, line.text))
            continue
        if line.anchor is not None:
            current = line.anchor
            slot = carried.setdefault(current, _Carried())
            slot.before += [text for _, text in pending]
            slot.lines += [n for n, _ in pending]
            pending = []
            if line.comment:
                slot.beside = line.comment
                slot.lines.append(number)
        elif line.comment and current is not None:
            # a comment inside a multi-line value: keep it, above its key
            slot = carried.setdefault(current, _Carried())
            slot.before.append(line.comment)
            slot.lines.append(number)
    if pending:
        slot = carried.setdefault(_END, _Carried())
        slot.before += [text for _, text in pending]
        slot.lines += [n for n, _ in pending]
    return carried


def carry_comments(old_text: str, new_text: str) -> tuple[str, list[int]]:
    """new_text with old_text's comments put back beside the same keys.

    Returns the text and the old line numbers of comments that had no place to go.
    """
    if "#" not in old_text:  # every TOML comment starts with #: none here, so nothing to scan for
        return new_text, []
    carried = _collect(old_text)
    if not carried:
        return new_text, []
    out: list[str] = []
    used: set[Anchor] = set()
    for line in _scan_all(new_text):
        anchor = line.anchor
        slot = carried.get(anchor) if anchor else None
        if not anchor or slot is None:
            out.append(line.text)
            continue
        used.add(anchor)
        out += slot.before
        if slot.beside and line.ends_clean and not line.comment:
            out.append(f"{line.text}  {slot.beside.strip()}")
        else:
            if slot.beside:
                out.append(slot.beside.strip())
            out.append(line.text)
    if _END in carried:
        out += carried[_END].before
        used.add(_END)
    result = "\n".join(out) + "\n"
    dropped = sorted(n for anchor, slot in carried.items() if anchor not in used for n in slot.lines)
    try:
        same = tomllib.loads(result) == tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        same = False
    if not same:  # never let a comment change what the file means
        return new_text, sorted(n for slot in carried.values() for n in slot.lines)
    return result, dropped
