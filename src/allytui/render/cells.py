"""Text cut to a width in terminal cells, for tables on screen and on the command line: never inside a number."""

from __future__ import annotations

import re

from rich.cells import cell_len

from allytui.model.text import visible

_DATED_END = re.compile(r"\s\(\d{4}-\d{2}-\d{2}\)$")
"""A date in brackets at the end: "Riverton Pride (2026-05-16)", a conversation."""
_NUMBER_END = re.compile(r"[\d.,:/~+\-]*\d[\d.,:/~+\-]*$")
NAME_LEAST = 12
"""The cells a name keeps before a dated end; narrower than that, the end is left off instead."""


def cell_width(value: str) -> int:
    """The cells a value takes on screen, control characters shown as their escapes (model.text.visible)."""
    if value.isascii() and value.isprintable():  # most dates, numbers and names: one cell a character, quickly
        return len(value)
    return cell_len(visible(value))


def cut(value: str, width: int) -> str:
    """value in at most width cells, ending in an ellipsis where it is cut, and never cut inside a number
    ("overdue 124…" could be 124 or 1241: it is "overdue …"). A date in brackets at the end (a
    conversation's) stays whole with the name before it cut, "Riverton Evening… (2026-04-09)", or,
    where that leaves too little of the name, goes: "Riverton Food Bank …"."""
    if cell_len(value) <= width:
        return value
    end = _DATED_END.search(value)
    if end is not None:
        head = value[: end.start()]
        if width - cell_len(end.group()) >= NAME_LEAST:
            return _cut_end(head, width - cell_len(end.group())) + end.group()
        if cell_len(head) + 2 <= width:
            return head + " …"
        return _cut_end(head, width) if cell_len(head) >= width else head + "…"  # always a sign of the cut
    return _cut_end(value, width)


def _cut_end(value: str, width: int) -> str:
    if cell_len(value) <= width:
        return value
    if width <= 0:
        return ""
    kept = ""
    for char in value:
        if cell_len(kept + char) > width - 1:
            break
        kept += char
    if value[len(kept)].isdigit() or (kept[-1:].isdigit() and value[len(kept)] in ".,:/-"):
        kept = _NUMBER_END.sub("", kept)  # not a part of a number: none of it
    return kept + "…"
