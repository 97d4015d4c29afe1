"""The power map drawn in the terminal: an influence × alignment grid of labelled marks.

Each mark is a symbol for its stage (so no colour is needed: NO_COLOR still tells stages apart), its
stage's colour from the theme, and its name cut to the cell; people are in italics. Rows get screen
lines by need; a crowded cell shows what fits and counts the rest ("+4"), and x lists them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from allytui.model.powermap import (
    ALIGNMENTS,
    INFLUENCES,
    INFLUENTIAL,
    Cell,
    Grid,
    Mark,
    Quadrant,
    Standing,
    fitted_label,
    layout,
    row_capacities,
    shared_start,
    sort_key,
)
from allytui.model.records import Kind
from allytui.model.text import visible

Direction = Literal["up", "down", "left", "right"]

HEADINGS = {-2: "-2 opposed", -1: "-1", 0: "0 neutral", 1: "+1", 2: "+2 supportive"}
GUTTER = 4  # " 5 ╭": the influence and a bracket grouping the row's lines

# The legend, from the longest wording down to what fits 80 columns.
_SHORT = {
    Standing.ALLIED: "allied",
    Standing.TALKING: "conv./meeting",
    Standing.APPROACHED: "shortlisted/contacted",
    Standing.RESEARCHED: "researched",
    Standing.STOPPED: "paused/declined",
    Standing.NO_STAGE: "no group",
}


def standing_class(standing: Standing) -> str:
    return f"power-map--{standing.value.replace('_', '-')}"


@dataclass(frozen=True)
class Spot:
    """Where a shown mark is drawn: its line and first column on the widget."""

    mark: Mark
    y: int
    x: int
    width: int


def nearest(spots: Sequence[Spot], current: Mark, direction: Direction) -> Spot | None:
    """The nearest shown mark in another cell in that direction, staying in line where it can: moving up
    prefers the same column, moving right the same row; then the closest line on screen."""
    here = next((s for s in spots if s.mark.key == current.key), None)
    best: tuple[tuple[int, int, int], Spot] | None = None
    for spot in spots:
        mark = spot.mark
        if mark.cell == current.cell:
            continue
        rows = mark.influence - current.influence  # up is positive
        columns = mark.alignment - current.alignment
        ahead = {"up": rows > 0, "down": rows < 0, "left": columns < 0, "right": columns > 0}[direction]
        if not ahead:
            continue
        along, across = (abs(rows), abs(columns)) if direction in ("up", "down") else (abs(columns), abs(rows))
        lines = abs(spot.y - here.y) if here else 0
        score = (along + 2 * across, lines, spot.x)
        if best is None or score < best[0]:
            best = (score, spot)
    return best[1] if best else None


class PowerMap(Widget, can_focus=True):
    """Marks on the grid, one selected. Arrows or hjkl move, enter opens, x lists a crowded cell."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move('up')", "Up", id="map-up", show=False),
        Binding("down,j", "move('down')", "Down", id="map-down", show=False),
        Binding("left,h", "move('left')", "Left", id="map-left", show=False),
        Binding("right,l", "move('right')", "Right", id="map-right", show=False),
        Binding("enter", "open", "Open", id="open"),
        Binding("x,space", "expand", "Expand", id="map-expand"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(standing_class(s) for s in Standing),
        "power-map--cursor",
        "power-map--axis",
        "power-map--quadrant",
        "power-map--count",
        "power-map--band",
    }
    DEFAULT_CSS = """
    PowerMap { height: 1fr; background: $surface; }
    PowerMap > .power-map--allied { color: $text-success; }
    PowerMap > .power-map--talking { color: $text-primary; }
    PowerMap > .power-map--approached { color: $text-warning; }
    PowerMap > .power-map--researched { color: $text-muted; }
    PowerMap > .power-map--stopped { color: $text-error; }
    PowerMap > .power-map--no-stage { color: $text; }
    PowerMap > .power-map--cursor { text-style: reverse; }
    PowerMap:focus > .power-map--cursor { text-style: bold reverse; }
    PowerMap > .power-map--axis { color: $text-muted; }
    PowerMap > .power-map--quadrant { text-style: bold; }
    PowerMap > .power-map--count { text-style: bold; }
    PowerMap > .power-map--band { background: $boost; }
    """

    selected: reactive[str | None] = reactive(None)
    """The key ("groups/id") of the selected mark, or None when the map is empty."""

    class Highlighted(Message):
        """The selection moved (mark None: nothing on the map)."""

        def __init__(self, power_map: PowerMap, mark: Mark | None, cell: Cell | None) -> None:
            super().__init__()
            self.power_map = power_map
            self.mark = mark
            self.cell = cell

    class Expand(Message):
        """x (or a click on a cell's count) on a crowded cell: its screen lists every mark in it to choose one,
        then calls `select`."""

        def __init__(self, power_map: PowerMap, title: str, options: list[tuple[str, str]]) -> None:
            super().__init__()
            self.power_map = power_map
            self.title = title
            self.options = options

    class Opened(Message):
        """Enter (or a double click) on a mark."""

        def __init__(self, power_map: PowerMap, mark: Mark) -> None:
            super().__init__()
            self.power_map = power_map
            self.mark = mark

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.marks: list[Mark] = []
        self.total = 0  # how many are on the map before filtering
        self.start = ""
        """The words many names start with ("Riverton"), left off a name cut to fit (model shared_start)."""
        self.empty_text = "Nothing on the map."
        self._lines: list[Strip] | None = None
        self._grid: Grid = {}
        self._spots: list[Spot] = []
        self._counts: list[tuple[int, int, int, Cell]] = []  # (y, x from, x to, cell) of each "+N"

    # data

    def set_marks(self, marks: Sequence[Mark], total: int | None = None, empty_text: str = "") -> None:
        """Show these marks, keeping the selection when it is still among them."""
        self.marks = sorted(marks, key=sort_key)
        self.start = shared_start(m.label for m in self.marks)
        self.total = len(self.marks) if total is None else total
        self.empty_text = empty_text or "Nothing on the map."
        keys = {m.key for m in self.marks}
        keep = self.selected if self.selected in keys else None
        if keep is None and self.marks:
            keep = min(self.marks, key=lambda m: (-m.influence, m.alignment, *sort_key(m))).key
        self._invalidate()
        if keep == self.selected:
            self._announce()
        else:
            self.selected = keep

    @property
    def current(self) -> Mark | None:
        return next((m for m in self.marks if m.key == self.selected), None)

    @property
    def current_cell(self) -> Cell | None:
        mark = self.current
        if mark is None:
            return None
        self._ensure_built()
        return self._grid.get(mark.cell)

    def select(self, key: str | None) -> None:
        """Select the mark with this key, if it is on the map (None: leave the selection as it is)."""
        if any(m.key == key for m in self.marks):
            self.selected = key

    def watch_selected(self) -> None:
        self._invalidate()
        self._announce()

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self, self.current, self.current_cell))

    def _invalidate(self) -> None:
        self._lines = None
        self.refresh()

    def on_resize(self) -> None:
        self._invalidate()

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()

    # drawing

    def render_line(self, y: int) -> Strip:
        lines = self._ensure_built()
        if y < len(lines):
            return lines[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _ensure_built(self) -> list[Strip]:
        if self._lines is None:
            texts = self._draw(self.size.width, self.size.height)
            base = self.rich_style
            self._lines = [
                Strip(
                    [Segment(s.text, base + s.style if s.style else base) for s in t.render(self.app.console)]
                ).adjust_cell_length(self.size.width, base)
                for t in texts
            ]
        return self._lines

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _columns(self, width: int) -> dict[int, tuple[int, int]]:
        """(x, width) of each alignment column: what is left after the gutter and four borders."""
        room = max(5 * 3, width - GUTTER - 4)
        each, extra = divmod(room, 5)
        found, x = {}, GUTTER
        for n, alignment in enumerate(ALIGNMENTS):
            w = each + (1 if n < extra else 0)
            found[alignment] = (x, w)
            x += w + 1
        return found

    def _draw(self, width: int, height: int) -> list[Text]:
        columns = self._columns(width)
        legend = self._legend(width)
        # lines besides the rows and the axis through the middle, given up in this order when short
        extras = ["legend", "bottom", "top"]
        keep = list(extras)

        def besides() -> int:
            return 1 + sum(len(legend) if name == "legend" else 1 for name in keep)

        while keep and height - besides() < len(INFLUENCES):
            keep.pop(0)
        rows_room = max(len(INFLUENCES), height - besides())
        capacity = row_capacities(self.marks, rows_room)
        self._grid = layout(self.marks, capacity, selected=self.selected)
        self._spots, self._counts = [], []
        lines: list[Text] = []
        if "top" in keep:
            shown = len(self.marks)
            counted = f"{shown} of {self.total} shown" if shown != self.total else f"{shown} on the map"
            lines.append(self._titles(columns, Quadrant.INFLUENTIAL_OPPONENTS, Quadrant.INFLUENTIAL_ALLIES, counted))
        for influence in INFLUENCES:
            for n in range(capacity[influence]):
                lines.append(self._row_line(columns, influence, n, capacity[influence], len(lines)))
            if influence == INFLUENTIAL:
                lines.append(self._axis(columns))
        if not self.marks:
            middle = len(lines) // 2 - 2
            lines[max(0, middle)] = self._centred(self.empty_text, width, self._style("power-map--quadrant"))
        if "bottom" in keep:
            lines.append(self._titles(columns, Quadrant.OPPOSED, Quadrant.SUPPORTIVE, ""))
        if "legend" in keep:
            lines.extend(legend)
        return lines

    def _centred(self, text: str, width: int, style: Style) -> Text:
        line = Text(text, style=style, end="", no_wrap=True)
        line.truncate(width, overflow="ellipsis")
        line.pad_left((width - line.cell_len) // 2)
        return line

    def _titles(self, columns: dict[int, tuple[int, int]], left: Quadrant, right: Quadrant, middle: str) -> Text:
        line = Text(" " * GUTTER, end="", no_wrap=True)
        spans = [
            (columns[-2][0], columns[-1][0] + columns[-1][1], left.label, self._style("power-map--quadrant")),
            (columns[0][0], columns[0][0] + columns[0][1], middle, self._style("power-map--axis")),
            (columns[1][0], columns[2][0] + columns[2][1], right.label, self._style("power-map--quadrant")),
        ]
        for start, end, title, style in spans:
            line.append(" " * (start - line.cell_len))
            line.append_text(self._centred(title, end - start, style))
        return line

    BORDERS: ClassVar[dict[int, str]] = {-2: "│", -1: "┃", 0: "┃", 1: "│"}
    """The border after each column but the last: heavy around the neutral column."""

    def _axis(self, columns: dict[int, tuple[int, int]]) -> Text:
        """The alignment axis, through the middle between influential and not: each column's value."""
        axis = self._style("power-map--axis")
        line = Text("━━━━", style=axis, end="", no_wrap=True)
        crossings = {-2: "┿", -1: "╋", 0: "╋", 1: "┿"}
        for alignment in ALIGNMENTS:
            _, w = columns[alignment]
            label = HEADINGS[alignment] if len(HEADINGS[alignment]) + 2 <= w else HEADINGS[alignment].split()[0]
            label = f" {label} "[:w]
            before = (w - len(label)) // 2
            line.append("━" * before + label + "━" * (w - before - len(label)), style=axis)
            if alignment in crossings:
                line.append(crossings[alignment], style=axis)
        return line

    def _row_line(self, columns: dict[int, tuple[int, int]], influence: int, n: int, rows: int, y: int) -> Text:
        axis = self._style("power-map--axis")
        bracket = "╶" if rows == 1 else "╭" if n == 0 else "╰" if n == rows - 1 else "│"
        number = f"{influence:>2} " if n == 0 else "   "
        line = Text(number + bracket, style=axis, end="", no_wrap=True)
        band = self.get_component_rich_style("power-map--band") if influence in (4, 2) else Style()
        for alignment in ALIGNMENTS:
            x, w = columns[alignment]
            cell = self._grid[influence, alignment]
            line.append_text(self._cell_line(cell, n, x, w, y, band))
            if alignment in self.BORDERS:
                line.append(self.BORDERS[alignment], style=axis)
        return line

    def _cell_line(self, cell: Cell, n: int, x: int, w: int, y: int, band: Style) -> Text:
        text = Text(end="", no_wrap=True, style=band)
        if n >= len(cell.shown):
            text.append(" " * w)
            return text
        mark = cell.shown[n]
        count = f" +{cell.hidden}" if cell.crowded and n == len(cell.shown) - 1 else ""
        colour = self._style(standing_class(mark.standing))
        label_style = colour + Style(italic=True) if mark.kind is Kind.PEOPLE else colour
        room = max(0, w - 2 - len(count))
        label = Text(visible(fitted_label(mark.label, self.start, room)), style=label_style, end="")
        label.truncate(room, overflow="ellipsis")
        text.append(mark.standing.symbol, style=colour)
        text.append(" ")
        text.append_text(label)
        text.truncate(max(0, w - len(count)), pad=True)
        if count:
            self._counts.append((y, x + w - len(count), x + w, cell))
            text.append(count, style=self._style("power-map--count"))
        text.truncate(w, pad=True)
        if mark.key == self.selected:
            text.stylize(self._style("power-map--cursor"))
        self._spots.append(Spot(mark, y, x, w))
        return text

    def _legend(self, width: int) -> list[Text]:
        """The symbols and what they mean, on one line if it fits, else two; shorter words if need be."""
        present = {m.standing for m in self.marks}
        standings = [s for s in Standing if s is not Standing.NO_STAGE or s in present]
        start = f"“{visible(self.start)}” left off names" if self.start else ""
        for words, note, start_note in (
            ({s: s.label for s in standings}, "italic: a person, shown by their group's stage", start),
            ({s: s.label for s in standings}, "italic: a person", start),
            (_SHORT, "italic: person", start),
            (_SHORT, "italic: person", ""),
        ):
            items: list[tuple[Standing | None, str]] = [(s, words[s]) for s in standings]
            notes: list[tuple[Standing | None, str]] = [(None, n) for n in (note, start_note) if n]
            lines = self._wrap([*items, *notes], width)
            if len(lines) <= 2:
                return lines
        return lines[:2]

    def _wrap(self, items: list[tuple[Standing | None, str]], width: int) -> list[Text]:
        lines = [Text(end="", no_wrap=True, overflow="ellipsis")]
        for standing, label in items:
            size = len(label) + (2 if standing is not None else 0)
            line = lines[-1]
            if line.cell_len and line.cell_len + 2 + size > width:
                line = Text(end="", no_wrap=True, overflow="ellipsis")
                lines.append(line)
            if line.cell_len:
                line.append("  ")
            if standing is None:
                line.append(label, style=Style(italic=True))
            else:
                line.append(standing.symbol, style=self._style(standing_class(standing)))
                line.append(f" {label}")
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        return lines

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None  # the theme changed: colours are drawn into the cached lines

    # moving

    def action_move(self, direction: Direction) -> None:
        mark, cell = self.current, self.current_cell
        if mark is None or cell is None:
            return
        if direction in ("up", "down"):
            index = [m.key for m in cell.marks].index(mark.key) + (-1 if direction == "up" else 1)
            if 0 <= index < len(cell.marks):
                self.selected = cell.marks[index].key
                return
        spot = nearest(self._spots, mark, direction)
        if spot is not None:
            self.selected = spot.mark.key

    def action_open(self) -> None:
        mark = self.current
        if mark is not None:
            self.post_message(self.Opened(self, mark))

    def action_expand(self) -> None:
        """List every mark in the selected cell to choose one (it then takes the cell's last place)."""
        cell = self.current_cell
        if cell is None or not cell.crowded:
            return
        options = [(m.key, f"{m.standing.symbol} {m.label} · {m.kind.singular} · {m.stage_text}") for m in cell.marks]
        title = f"Influence {cell.influence}, alignment {cell.alignment:+d}: all {len(cell.marks)}"
        self.post_message(self.Expand(self, title, options))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "expand":
            cell = self.current_cell
            return (cell is not None and cell.crowded) or None
        if action == "open":
            return self.current is not None or None
        return True

    def on_click(self, event: Click) -> None:
        self._ensure_built()
        for y, start, end, cell in self._counts:
            if event.y == y and start <= event.x < end:
                self.selected = cell.shown[-1].key
                self.action_expand()
                return
        for spot in self._spots:
            if spot.y == event.y and spot.x <= event.x < spot.x + spot.width:
                if spot.mark.key == self.selected and event.chain >= 2:
                    self.action_open()
                self.selected = spot.mark.key
                return
