"""The power map as plain text for an email, as JSON, and as a standalone SVG for slides.

Pure: each works from the model's marks (allytui.model.powermap) and returns a string or plain data.
Every piece of record text is made visible (control characters as escapes) and, in SVG, escaped.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from allytui.model.powermap import (
    ALIGNMENTS,
    COLUMN_HEADINGS,
    INFLUENCES,
    INFLUENTIAL,
    Entry,
    Mark,
    Quadrant,
    Standing,
    Unplaced,
    fitted_label,
    fullest,
    layout,
    shared_start,
    short_label,
    signed,
    sort_key,
    zones,
)
from allytui.model.records import Kind
from allytui.model.text import visible


def _cut(text: str, width: int) -> str:
    text = visible(text)
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(mark: Mark) -> str:
    """One line about a mark, for lists: kind, stage, influence and alignment."""
    return f"{mark.kind.singular}; {mark.stage_text}; influence {mark.influence}, alignment {signed(mark.alignment)}"


def legend(entries: Iterable[Entry]) -> list[tuple[Standing, str]]:
    """(standing, "● allied") for the legend, with "no stage" only when some entry has none."""
    present = {e.standing for e in entries}
    return [
        (standing, f"{standing.symbol} {standing.label}")
        for standing in Standing
        if standing is not Standing.NO_STAGE or standing in present
    ]


def to_text(
    entries: Iterable[Mark],
    *,
    title: str = "Power map",
    note: str = "",
    left_off: Sequence[Unplaced] = (),
    column_width: int = 15,
    cell_capacity: int | None = None,
    line_width: int | None = None,
) -> str:
    """The map as plain text for an email: the grid (labels cut to fit, without the start many names share,
    model.powermap.shared_start), a legend, then every mark in full under its quadrant, and who is not on
    the map yet. Every cell shows all its marks unless cell_capacity says otherwise. line_width: the lists
    wrap to it (column_width_for() gives the grid's columns for a width)."""
    placed = sorted(entries, key=sort_key)
    width = max(6, column_width)
    inner = width - 2
    start = shared_start(m.label for m in placed)
    counts = fullest(placed)
    capacity = cell_capacity or {i: max(1, counts[i]) for i in INFLUENCES}
    grid = layout(placed, capacity)
    gutter = "influence "
    lines = [visible(title)]
    lines.append(f"{len(placed)} on the map" + (f" · {visible(note)}" if note else ""))
    lines.append("")

    def span(text: str, columns: int) -> str:
        room = columns * width + (columns - 1)
        return _cut(text, room).center(room)

    def titles(left: Quadrant, right: Quadrant) -> str:
        middle = " " * (width + 2)  # the neutral column and its two borders
        return (" " * (len(gutter) + 1) + span(left.label.upper(), 2) + middle + span(right.label.upper(), 2)).rstrip()

    rule = "-" * len(gutter) + "+" + "+".join("-" * width for _ in ALIGNMENTS)
    cut_rule = rule.replace("-", "=")
    lines.append(titles(Quadrant.INFLUENTIAL_OPPONENTS, Quadrant.INFLUENTIAL_ALLIES))
    headings = "|".join(f" {_cut(COLUMN_HEADINGS[a], inner):<{inner}} " for a in ALIGNMENTS)
    lines.append((gutter + "|" + headings).rstrip())
    lines.append(rule)
    for influence in INFLUENCES:
        row = [grid[influence, a] for a in ALIGNMENTS]
        height = max(1, *(len(c.shown) + (1 if c.crowded else 0) for c in row))
        for n in range(height):
            label = f"{influence:>{len(gutter) - 2}}  " if n == 0 else " " * len(gutter)
            cells = []
            for cell in row:
                if n < len(cell.shown):
                    mark = cell.shown[n]
                    content = f"{mark.standing.symbol} {_cut(fitted_label(mark.label, start, inner - 2), inner - 2)}"
                elif n == len(cell.shown) and cell.crowded:
                    content = f"+{cell.hidden} more"
                else:
                    content = ""
                cells.append(f" {content:<{inner}} ")
            lines.append((label + "|" + "|".join(cells)).rstrip())
        lines.append(cut_rule if influence == INFLUENTIAL else rule)
    lines.append(titles(Quadrant.OPPOSED, Quadrant.SUPPORTIVE))
    lines.append("")
    key = [item for _, item in legend(placed)]
    room = line_width or 80
    per_line = len(key)
    while per_line > 1 and len("Key: " + "   ".join(key[:per_line])) > room:
        per_line -= 1
    for n in range(0, len(key), per_line):
        lines.append(("Key: " if n == 0 else "     ") + "   ".join(key[n : n + per_line]))
    notes = ["A person is shown with the stage of their group that is furthest along."]
    if start and any(len(visible(m.label)) > inner - 2 and short_label(m.label, start) != m.label for m in placed):
        notes.append(f"Names cut to fit the grid leave off “{visible(start)}”: the lists below have them whole.")
    notes.append(f"Influential: influence {INFLUENTIAL} or more. Alignment 0 is neutral, in no quadrant.")
    for line in notes:
        lines.extend(textwrap.wrap(line, line_width) if line_width else [line])
    for zone, members in zones(placed):
        lines.append("")
        lines.append(f"{zone} ({len(members)})")
        for m in members:
            lines.extend(_wrapped(f"  {m.standing.symbol} {visible(m.label)} ({describe(m)})", line_width))
        if not members:
            lines.append("  none")
    if left_off:
        lines.append("")
        lines.append(f"Not on the map yet ({len(left_off)}): no influence or alignment recorded")
        for e in left_off:
            lines.extend(_wrapped(f"  {visible(e.label)} ({e.kind.singular}; no {' or '.join(e.missing)})", line_width))
    return "\n".join(lines) + "\n"


GUTTER = len("influence ") + 1
"""The text grid's influence column and its border."""


def column_width_for(line_width: int) -> int:
    """The widest grid columns that fit a line this wide (five columns, a border after each), at least 6."""
    return max(6, (line_width - GUTTER) // len(ALIGNMENTS) - 1)


def _wrapped(line: str, width: int | None) -> list[str]:
    """A list line wrapped to width, what follows indented under the name."""
    if width is None or len(line) <= width:
        return [line]
    return textwrap.wrap(line, width, subsequent_indent="      ", break_on_hyphens=False)


def to_json(entries: Iterable[Mark], left_off: Sequence[Unplaced] = (), note: str = "") -> dict[str, Any]:
    """Placements as plain data, for `allytui map --json`."""

    def common(entry: Entry) -> dict[str, Any]:
        return {
            "kind": entry.kind.value,
            "id": entry.id,
            "label": entry.label,
            "stage": entry.stage.value if entry.stage else None,
            "stage_via": entry.via or None,
            "categories": list(entry.categories),
            "tags": list(entry.tags),
        }

    return {
        "filter": note,
        "influential_from": INFLUENTIAL,
        "placements": [
            {
                **common(m),
                "influence": m.influence,
                "alignment": m.alignment,
                "quadrant": m.quadrant.value if m.quadrant else "neutral",
            }
            for m in sorted(entries, key=sort_key)
        ],
        "not_on_map": [{**common(e), "missing": list(e.missing)} for e in left_off],
    }


# SVG: Okabe-Ito colours, which stay apart for colour-blind eyes; each standing has its own shape too.
SVG_COLOURS = {
    Standing.ALLIED: "#009E73",
    Standing.TALKING: "#0072B2",
    Standing.APPROACHED: "#E69F00",
    Standing.RESEARCHED: "#6F6F6F",
    Standing.STOPPED: "#D55E00",
    Standing.NO_STAGE: "#222222",
}
_QUADRANT_FILLS = {
    Quadrant.INFLUENTIAL_ALLIES: "#E8F5EE",
    Quadrant.INFLUENTIAL_OPPONENTS: "#FBEDE6",
    Quadrant.SUPPORTIVE: "#F1F8F4",
    Quadrant.OPPOSED: "#FDF5F1",
}
_FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
_SVG_COLUMN, _SVG_LEFT, _SVG_LINE = 200, 90, 18


def _x(text: str) -> str:
    """Record text made safe for XML: control characters shown as escapes, then & < > " ' escaped."""
    return escape(visible(text), quote=True)


def _shape(standing: Standing, x: float, y: float) -> str:
    colour = SVG_COLOURS[standing]
    if standing is Standing.ALLIED:
        return f'<circle cx="{x}" cy="{y}" r="5.5" fill="{colour}"/>'
    if standing is Standing.TALKING:
        return (
            f'<circle cx="{x}" cy="{y}" r="5" fill="#FFFFFF" stroke="{colour}" stroke-width="1.6"/>'
            f'<path d="M{x},{y - 5} A5,5 0 0,0 {x},{y + 5} Z" fill="{colour}"/>'
        )
    if standing is Standing.APPROACHED:
        return f'<circle cx="{x}" cy="{y}" r="4.5" fill="#FFFFFF" stroke="{colour}" stroke-width="2"/>'
    if standing is Standing.RESEARCHED:
        return f'<circle cx="{x}" cy="{y}" r="2.6" fill="{colour}"/>'
    if standing is Standing.STOPPED:
        return (
            f'<path d="M{x - 4},{y - 4} L{x + 4},{y + 4} M{x - 4},{y + 4} L{x + 4},{y - 4}" '
            f'stroke="{colour}" stroke-width="2.2" stroke-linecap="round"/>'
        )
    return f'<path d="M{x},{y - 5} L{x + 5},{y} L{x},{y + 5} L{x - 5},{y} Z" fill="#FFFFFF" stroke="{colour}"/>'


def to_svg(entries: Iterable[Mark], *, title: str = "Power map", note: str = "") -> str:
    """A standalone SVG of the map for slides: quadrants, axes, every mark labelled (names cut to fit, without
    the start many share, in full on hover), shaped and coloured by stage, people in italics, and a legend.
    No external files; every piece of record text is escaped."""
    placed = sorted(entries, key=sort_key)
    counts = fullest(placed)
    limit = (_SVG_COLUMN - 40) // 7  # characters that fit beside the symbol, at about 7 pixels each
    start = shared_start(m.label for m in placed)
    shortened = any(fitted_label(m.label, start, limit) != m.label for m in placed)
    heights = {i: max(64, 16 + counts[i] * _SVG_LINE) for i in INFLUENCES}
    top, left, column = 118, _SVG_LEFT, _SVG_COLUMN
    width = left + 5 * column + 24
    tops: dict[int, int] = {}
    y = top
    for influence in INFLUENCES:
        tops[influence] = y
        y += heights[influence]
    bottom = y
    height = bottom + 130 + (24 if shortened else 0)  # a line more of legend for the left-off start

    def col_x(alignment: int) -> int:
        return left + (alignment + 2) * column

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_FONT}" font-size="13" fill="#222222">',
        f"<title>{_x(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF"/>',
        f'<text x="{left}" y="32" font-size="22" font-weight="bold">{_x(title)}</text>',
        f'<text x="{left}" y="56" fill="#555555">{_x(f"{len(placed)} on the map" + (f" · {note}" if note else ""))}'
        "</text>",
    ]
    # quadrant backgrounds and the neutral column
    for q in Quadrant:
        right = q in (Quadrant.INFLUENTIAL_ALLIES, Quadrant.SUPPORTIVE)
        high = q in (Quadrant.INFLUENTIAL_ALLIES, Quadrant.INFLUENTIAL_OPPONENTS)
        x0 = col_x(1 if right else -2)
        y0 = top if high else tops[INFLUENTIAL - 1]
        y1 = tops[INFLUENTIAL - 1] if high else bottom
        out.append(f'<rect x="{x0}" y="{y0}" width="{2 * column}" height="{y1 - y0}" fill="{_QUADRANT_FILLS[q]}"/>')
    out.append(f'<rect x="{col_x(0)}" y="{top}" width="{column}" height="{bottom - top}" fill="#F4F4F4"/>')
    # grid lines
    for influence in INFLUENCES[1:]:
        heavy = influence == INFLUENTIAL - 1
        out.append(
            f'<line x1="{left}" y1="{tops[influence]}" x2="{left + 5 * column}" y2="{tops[influence]}" '
            f'stroke="{"#444444" if heavy else "#D0D0D0"}" stroke-width="{2 if heavy else 1}"/>'
        )
    for alignment in (*ALIGNMENTS[1:], 3):
        heavy = alignment in (0, 1)
        x = col_x(alignment) if alignment < 3 else left + 5 * column
        out.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" '
            f'stroke="{"#444444" if heavy else "#D0D0D0"}" stroke-width="{2 if heavy else 1}"/>'
        )
    out.append(
        f'<rect x="{left}" y="{top}" width="{5 * column}" height="{bottom - top}" fill="none" stroke="#444444"/>'
    )
    # quadrant titles, column headings, row numbers and axis titles
    middle_left, middle_right = col_x(-1), col_x(2)
    for x, y_text, q in (
        (middle_left, 84, Quadrant.INFLUENTIAL_OPPONENTS),
        (middle_right, 84, Quadrant.INFLUENTIAL_ALLIES),
        (middle_left, bottom + 24, Quadrant.OPPOSED),
        (middle_right, bottom + 24, Quadrant.SUPPORTIVE),
    ):
        out.append(f'<text x="{x}" y="{y_text}" text-anchor="middle" font-weight="bold">{_x(q.label)}</text>')
    for alignment in ALIGNMENTS:
        out.append(
            f'<text x="{col_x(alignment) + column // 2}" y="106" text-anchor="middle" fill="#555555">'
            f"{_x(COLUMN_HEADINGS[alignment])}</text>"
        )
    for influence in INFLUENCES:
        out.append(
            f'<text x="{left - 12}" y="{tops[influence] + 20}" text-anchor="end" font-weight="bold">{influence}</text>'
        )
    axis_y = (top + bottom) // 2
    out.append(
        f'<text x="28" y="{axis_y}" text-anchor="middle" transform="rotate(-90 28 {axis_y})" fill="#555555">'
        "influence (5 most)</text>"
    )
    out.append(
        f'<text x="{left + 5 * column // 2}" y="{bottom + 48}" text-anchor="middle" fill="#555555">'
        f"alignment: opposed ← → shares our aims · influential from {INFLUENTIAL} up</text>"
    )
    # the marks
    grid = layout(placed, {i: max(1, counts[i]) for i in INFLUENCES})
    for (influence, alignment), cell in grid.items():
        for n, mark in enumerate(cell.shown):
            x = col_x(alignment) + 14
            y = tops[influence] + 18 + n * _SVG_LINE
            style = ' font-style="italic"' if mark.kind is Kind.PEOPLE else ""
            shown = _cut(fitted_label(mark.label, start, limit), limit)
            out.append(
                f'<g data-kind="{_x(mark.kind.value)}" data-id="{_x(mark.id)}">'
                f"<title>{_x(f'{mark.label} ({describe(mark)})')}</title>"
                f"{_shape(mark.standing, x, y - 4)}"
                f'<text x="{x + 10}" y="{y}"{style}>{_x(shown)}</text></g>'
            )
    # the legend
    x, y = left, bottom + 86
    items: list[tuple[Standing | None, str]] = [(standing, standing.label) for standing, _ in legend(placed)]
    notes: list[tuple[Standing | None, str]] = [(None, "italic: a person, shown with their group's stage")]
    if shortened:
        notes.append((None, f"names cut to fit leave off “{visible(start)}”"))
    for standing, label in [*items, *notes]:
        room = 24 + 7 * len(label)
        if x + room > width - 10:
            x, y = left, y + 24
        if standing is not None:
            out.append(_shape(standing, x + 6, y - 4))
            out.append(f'<text x="{x + 16}" y="{y}">{_x(label)}</text>')
        else:
            out.append(f'<text x="{x}" y="{y}" font-style="italic">{_x(label)}</text>')
        x += room
    out.append("</svg>")
    return "\n".join(out) + "\n"
