"""Tables for the CLI fitted to the terminal: dates and numbers whole, text cut or wrapped, never markup."""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence

from rich.cells import cell_len

from allytui.model.text import visible
from allytui.render.cells import cell_width, cut

GAP = 2
"""Spaces between columns."""
LEAST = 12
"""A text column gives up width down to this (or its label's longest word); past that the table is too wide."""
WHOLE_MOST = 24
"""A column of short cells, most of them with digits (dates, counts, 'overdue by 44 days'), none longer than this,
is never cut; nor is a first column of ids (words without spaces), which name the rows to type next."""


def terminal_width() -> int | None:
    """The width to fit tables to: $COLUMNS, else the terminal's; None when the output is not a terminal (piped
    into a file or another program: every cell whole)."""
    if os.environ.get("COLUMNS", "").strip().isdigit() or sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return None


def table_lines(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None,
    max_width: int = 40,
    *,
    spare: int = 0,
) -> list[str]:
    """The lines of an aligned table, at most width cells wide where the columns can give up that much.

    The widest text columns shrink first (cut with an ellipsis) down to LEAST; the last column wraps onto more
    lines instead of being cut, and keeps a third of the width. Dates, numbers and a first column of ids keep their
    width. Labels wrap between words (and after an underscore). Text is made visible, never sent raw.
    spare: how many columns on the right may be left out, last first, when even then the table is too wide
    (a line then says which). width None: no limit, but a text cell longer than max_width is cut (the last
    column's never).
    """
    cells = [[*(visible(str(v)) for v in row), *([""] * (len(header) - len(row)))][: len(header)] for row in rows]
    labels = [visible(h.upper()) for h in header]
    keep = len(labels)
    while True:
        widths = _widths(labels[:keep], [row[:keep] for row in cells], width, max_width)
        if width is None or sum(widths) + GAP * (keep - 1) <= width or keep <= len(labels) - spare or keep <= 1:
            break
        keep -= 1
    lines = _lines(labels[:keep], [row[:keep] for row in cells], widths)
    if keep < len(labels):
        left = ", ".join(label.lower() for label in labels[keep:])
        lines += textwrap.wrap(f"(left out at {width} columns: {left}; --json shows every field)", width or 80)
    return lines


def _widths(labels: Sequence[str], cells: Sequence[Sequence[str]], width: int | None, max_width: int) -> list[int]:
    count = len(labels)
    last = count - 1
    data = [max([0] + [cell_width(row[i]) for row in cells]) for i in range(count)]
    word = [max([1] + [cell_len(w) for w in _label_words(label)]) for label in labels]
    ids = count > 0 and all(" " not in row[0] for row in cells)  # a first column of ids: what to type next
    whole = [(i == 0 and ids) or _whole([row[i] for row in cells]) for i in range(count)]
    widths = [max(data[i], cell_len(labels[i])) for i in range(count)]
    widths = [w if whole[i] or i == last else min(w, max(max_width, word[i])) for i, w in enumerate(widths)]
    if width is not None:  # the others down to LEAST first, the last (it wraps) to a third; then it too
        for last_floor in (max(LEAST, width // 3), LEAST):
            floors = [last_floor if i == last else LEAST for i in range(count)]
            least = [
                max(data[i], word[i]) if whole[i] else min(w, max(floors[i], word[i])) for i, w in enumerate(widths)
            ]
            _shrink(widths, least, width - GAP * (count - 1))
    return widths


def _lines(labels: Sequence[str], cells: Sequence[Sequence[str]], widths: Sequence[int]) -> list[str]:
    last = len(labels) - 1
    if last < 0:
        return []
    heads = [_wrap_label(label, w) for label, w in zip(labels, widths, strict=True)]
    lines = [
        _line([cut(head[n], w) if n < len(head) else "" for head, w in zip(heads, widths, strict=True)], widths)
        for n in range(max(len(head) for head in heads))
    ]
    for row in cells:
        first = [
            value if cell_width(value) <= w else cut(value, w)
            for value, w in zip(row[:last], widths[:last], strict=True)
        ]
        wrapped = textwrap.wrap(row[last], widths[last], break_on_hyphens=False) or [""]
        lines.append(_line([*first, wrapped[0]], widths))
        lines.extend(_line([*([""] * last), more], widths) for more in wrapped[1:])
    return lines


def _shrink(widths: list[int], least: Sequence[int], room: int) -> None:
    """Take a cell at a time from the widest column that can give one, until the columns fit in room."""
    excess = sum(widths) - room
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > least[i]]
        if not shrinkable:
            return
        widest = max(shrinkable, key=lambda i: (widths[i], i))
        widths[widest] -= 1
        excess -= 1


def _whole(values: Sequence[str]) -> bool:
    """Dates, numbers and counts: short cells, most of them with digits ("today" may be among them)."""
    filled = [v for v in values if v]
    digits = sum(1 for v in filled if _DIGIT.search(v))
    return bool(filled) and digits * 2 >= len(filled) and all(cell_width(v) <= WHOLE_MOST for v in filled)


_DIGIT = re.compile(r"\d")
"""A decimal digit of any script, looked for in C (a list of 2,500 groups is sized ~25 ms sooner)."""


def _label_words(label: str) -> list[str]:
    """A label's words, a word with underscores in broken after each ("NEXT_ACTION_DUE": NEXT_ ACTION_ DUE)."""
    return [part for piece in label.split() for part in re.findall(r"[^_]*_|[^_]+", piece)]


def _wrap_label(label: str, width: int) -> list[str]:
    lines: list[str] = []
    for part in _label_words(label):
        if lines and cell_len(lines[-1]) + (0 if lines[-1].endswith("_") else 1) + cell_len(part) <= width:
            lines[-1] += ("" if lines[-1].endswith("_") else " ") + part
        else:
            lines.append(part)
    return lines or [""]


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = (value + " " * (w - cell_width(value)) for value, w in zip(cells, widths, strict=True))
    return (" " * GAP).join(padded).rstrip()
