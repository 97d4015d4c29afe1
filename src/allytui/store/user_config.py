"""Reading the member's config.toml: whatever is wrong is named (file, line, setting) and left out, never fatal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from allytui.model.config import UserConfig
from allytui.model.text import visible
from allytui.store.codec import ParseError, parse
from allytui.store.loader import read_file


def _read(path: Path) -> bytes | None:
    """The file's bytes, or None when there is none. A link is followed (dotfile managers link config files);
    a FIFO or a folder in its place is refused without waiting."""
    try:
        return read_file(path, follow_link=True)
    except FileNotFoundError:
        return None


def _where(path: Path, line: int | None = None) -> str:
    return visible(f"{path}:{line}" if line else str(path))


def _setting(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _drop(data: dict[str, Any], loc: tuple[int | str, ...]) -> bool:
    """Remove the setting at loc (a top-level name or one entry of a table); whether anything was removed."""
    if len(loc) >= 2 and isinstance(data.get(str(loc[0])), dict) and str(loc[1]) in data[str(loc[0])]:
        del data[str(loc[0])][str(loc[1])]
        return True
    if loc and str(loc[0]) in data:
        del data[str(loc[0])]
        return True
    return False


def _message(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "not a setting allytui knows"
    if error["type"] == "string_type":
        return 'should be a key in quotes, like "ctrl+e"'
    if error["type"] == "dict_type":
        return 'should be a table of keys, like [keys] then editor = "ctrl+e"'
    return str(error["msg"]).removeprefix("Value error, ")


def read_user_config(path: Path) -> tuple[UserConfig, list[str]]:
    """The settings in path (defaults when it does not exist), and a message for each thing left out.

    A file that cannot be read at all gives the defaults; a bad setting in a good file is left out alone,
    so one mistyped key does not cost the member the rest of their keymap.
    """
    try:
        raw = _read(path)
        data = parse(raw) if raw is not None else {}
    except ParseError as error:
        return UserConfig(), [f"{_where(path, error.line)}: {error.message}; using the usual settings."]
    except OSError as error:
        return UserConfig(), [f"{_where(path)}: cannot read it ({error.strerror}); using the usual settings."]
    problems: list[str] = []
    while True:
        try:
            return UserConfig.model_validate(data), problems
        except ValidationError as invalid:
            dropped = False
            for found in invalid.errors():
                loc = tuple(found["loc"])
                problems.append(visible(f"{path}: {_setting(loc)}: {_message(dict(found))}; left out."))
                dropped = _drop(data, loc) or dropped
            if not dropped:  # nothing left to take out: give up on the file, not on the app
                return UserConfig(), problems
