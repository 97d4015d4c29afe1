"""Printing for the CLI: every string from a record is made visible, never sent raw to the terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from allytui.model.text import visible


def say(text: str, stream: TextIO | None = None) -> None:
    print(visible(text), file=stream or sys.stdout)


def error(text: str) -> None:
    for line in str(text).splitlines() or [""]:
        print(f"allytui: {visible(line)}", file=sys.stderr)


def print_json(value: Any) -> None:
    # ensure_ascii escapes every control character, so JSON output is terminal-safe too
    print(json.dumps(value, indent=2, ensure_ascii=True, default=str))


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40) -> None:
    """A plain aligned table; long cells are cut with an ellipsis."""

    def cell(value: str) -> str:
        value = visible(value)
        return value if len(value) <= max_width else value[: max_width - 1] + "…"

    cells = [[cell(str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(header)]
    print("  ".join(h.upper().ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
