"""Printing for the CLI: every string from a record is made visible, never sent raw to the terminal."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, TextIO

from allytui.cli.tables import table_lines, terminal_width
from allytui.model.text import visible


def say(text: str, stream: TextIO | None = None) -> None:
    print(visible(text), file=stream or sys.stdout)


_LEAD = re.compile(r"( *)((?:[-+*] |\d+\. )?)")


def fitted(line: str, width: int | None) -> list[str]:
    """A line of running text wrapped between words to width (None: as it is), its continuation lines indented
    under its text: past a leading "- ", "+ " or "1. " too."""
    if width is None or len(line) <= width:
        return [line]
    lead = _LEAD.match(line)
    hang = len(lead.group(0)) if lead else 0
    if hang >= width // 2:
        hang = 0
    return textwrap.wrap(line, width, subsequent_indent=" " * hang, break_long_words=False, break_on_hyphens=False) or [
        line
    ]


def say_fitted(text: str, stream: TextIO | None = None) -> None:
    """Lines of running text (a record shown, its history, a brief), each wrapped to the terminal's width;
    piped into a file or another program, as they are."""
    width = terminal_width()
    for line in visible(text, keep_newlines=True).split("\n"):
        for part in fitted(line, width):
            print(part, file=stream or sys.stdout)


def error(text: str) -> None:
    for line in str(text).splitlines() or [""]:
        print(f"allytui: {visible(line)}", file=sys.stderr)


def print_json(value: Any) -> None:
    # ensure_ascii escapes every control character, so JSON output is terminal-safe too
    print(json.dumps(value, indent=2, ensure_ascii=True, default=str))


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40, *, spare: int = 0) -> None:
    """A plain aligned table, fitted to the terminal's width (cli/tables.py: dates and numbers whole, text cut
    with an ellipsis, the last column wrapped, up to spare columns on the right left out if need be); piped,
    every cell whole but for max_width. --json gives all."""
    for line in table_lines(header, rows, terminal_width(), max_width, spare=spare):
        print(line)
