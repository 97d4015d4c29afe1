"""A fast table of records: renders only the rows on screen, so filtering 10,000 rows stays instant."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from allytui.model.filters import Fields, Filter, parse
from allytui.model.text import visible
from allytui.render.cells import cut
from allytui.tui.rows import Column, Row, RowIndex, fields_of_columns, fit_widths, select, sized_to

__all__ = ["Column", "RecordTable", "Row"]


class RecordTable(ScrollView, can_focus=True):
    """Rows of plain text, never markup. Filter with .filter(), sort with .sort_by()."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", id="table-up", show=False),
        Binding("down,j", "cursor(1)", "Down", id="table-down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="table-page-up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="table-page-down", show=False),
        Binding("home,g", "jump(0)", "First", id="table-first", show=False),
        Binding("end,G", "jump(-1)", "Last", id="table-last", show=False),
        Binding("enter", "select", "Open", id="table-select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--warning",
        "record-table--muted",
    }
    DEFAULT_CSS = """
    RecordTable { height: 1fr; background: $surface; }
    RecordTable > .record-table--header { text-style: bold; background: $panel; }
    RecordTable > .record-table--cursor { text-style: reverse; }
    RecordTable:focus > .record-table--cursor { background: $accent; color: $text; text-style: bold reverse; }
    RecordTable > .record-table--warning { color: $warning; }
    RecordTable > .record-table--muted { color: $text-muted; }
    """

    INDEX_FROM_CHARS: ClassVar[int] = 5_000_000
    """Rows with this much searchable text in all (6,000 groups) keep an index of its words once shown, so a
    filter word is looked up instead of read in every row (~1 ms a MB: 35 ms at 50,000 groups)."""
    INDEX_AFTER: ClassVar[float] = 0.5
    """The index is begun this many seconds after the rows are shown (the start's own work done first: the
    problems between records are checked then)."""
    INDEX_SLICE: ClassVar[float] = 0.002
    """The index is built this many seconds at a time, between keystrokes and frames."""

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row among the shown (filtered, sorted) rows."""

    class Highlighted(Message):
        def __init__(self, table: RecordTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

    class Filtered(Message):
        """The filter changed: wanted is how its text was understood (its .errors, what could not be)."""

        def __init__(self, table: RecordTable, wanted: Filter) -> None:
            super().__init__()
            self.table = table
            self.wanted = wanted

        @property
        def control(self) -> RecordTable:
            return self.table

    class Selected(Message):
        def __init__(self, table: RecordTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        fields: Fields | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """fields: what `field:value` filter words may name (model/filters.py); by default the columns
        and the keys of Row.extra, as text (numbers for numeric columns)."""
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self._sized: list[Column] = list(columns)
        """The columns as drawn: whole ones (dates, numbers) widened to their widest cell (rows.sized_to)."""
        self._fitted: tuple[int, list[int | None]] | None = None
        self._all: list[Row] = []
        self.shown: list[Row] = []
        self.filter_text = ""
        self.wanted: Filter = Filter()
        """The filter_text as understood, with anything it could not understand in .errors."""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._row_filter: Callable[[Row], bool] | None = None
        self._matched: tuple[Filter, Callable[[Row], bool] | None, list[Row]] | None = None
        """The last filter with its row filter and the rows they let through (in the rows' order): a filter
        that narrows it (typing on at the end) looks among these only."""
        self._declared = fields
        self._select_next: str | None = None
        self._index: RowIndex | None = None
        """The words of the rows' text (of self._all, once complete), see _build_index."""
        self.fields: Fields = fields or fields_of_columns(self.columns)

    # data

    def set_rows(self, rows: list[Row], keep_key: str | None = None) -> None:
        """Replace every row, keeping the cursor on keep_key (or the current row) if it is still there."""
        keep = self._select_next or (keep_key if keep_key is not None else self.current_key)
        if self._select_next in {row.key for row in rows}:
            self._select_next = None
        self._all = rows
        self._matched = None
        previous, self._index = self._index, None
        self._size_columns()
        self._update_fields()
        self._refresh_shown(keep)
        if len(rows) >= RowIndex.FROM_ROWS and self.is_mounted:
            self._build_index(rows, previous)

    # a description of its own: Textual's default shows every argument's repr (~0.1 s for 2,500 rows)
    @work(exclusive=True, group="filter-index", exit_on_error=False, description="index the list's words")
    async def _build_index(self, rows: list[Row], previous: RowIndex | None = None) -> None:
        """Index the words of the rows' text once they are shown, a slice at a time (~1 s in all for 50,000
        groups), so keystrokes and frames go on meanwhile; until it is complete a filter reads every row.
        After a save (a few rows' text changed), previous, the index of the rows before, is brought up to
        date at once instead (~5 ms at 50,000)."""
        carried = RowIndex.carried(rows, previous) if previous is not None else None
        if carried is not None:
            self._index = carried if rows is self._all else None
            return
        await asyncio.sleep(self.INDEX_AFTER)
        if sum(len(row.haystack) for row in rows) < self.INDEX_FROM_CHARS:
            return
        index = RowIndex(rows)
        while not index.complete:
            stop = time.perf_counter() + self.INDEX_SLICE
            while not index.complete and time.perf_counter() < stop:
                index.add(25)
            await asyncio.sleep(self.INDEX_SLICE / 2)
        if rows is self._all:
            self._index = index

    @property
    def indexed(self) -> bool:
        """Whether filter words are looked up in an index of the rows' words (a large list, once built)."""
        return self._index is not None

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (the same keys: rows keep one cell per column)."""
        self.columns = list(columns)
        self._matched = None
        self._size_columns()
        self._update_fields()
        self._refresh_shown(self.current_key)

    def _size_columns(self) -> None:
        """Widen the whole columns to every row's cells (not only the shown: filtering never moves columns)."""
        self._sized = sized_to(self.columns, self._all)
        self._fitted = None

    def _update_fields(self) -> None:
        if self._declared is None:
            self.fields = fields_of_columns(self.columns, {key for row in self._all for key in row.extra})
        self.wanted = parse(self.filter_text, self.fields)

    def filter(self, text: str, row_filter: Callable[[Row], bool] | None = None) -> Filter:
        """Show the rows that match text in the filter language of model/filters.py: free words found
        anywhere in a row, `field:value` words (`channel:email group:st-marys influence:>=3`) in that field.

        Returns the filter as understood; its .errors say what could not be (an unknown field or value).
        """
        self.filter_text = text
        self._row_filter = row_filter
        self.wanted = parse(text, self.fields)
        self._refresh_shown(self.current_key)
        self.post_message(self.Filtered(self, self.wanted))
        return self.wanted

    def sort_by(self, column: str | None, reverse: bool = False) -> None:
        self.sort_column, self.sort_reverse = column, reverse
        self._refresh_shown(self.current_key)

    def _refresh_shown(self, keep: str | None) -> None:
        rows = self._matching()
        if self.sort_column is not None:
            index = [c.key for c in self.columns].index(self.sort_column)

            def value(row: Row) -> Any:
                return row.sort_keys[index] if row.sort_keys else row.cells[index]

            # empty values go last whichever way round
            filled = sorted((r for r in rows if value(r) not in (None, "")), key=value, reverse=self.sort_reverse)
            rows = filled + [r for r in rows if value(r) in (None, "")]
        self.shown = rows
        self.virtual_size = Size(self._total_width(), len(rows) + 1)
        position = next((n for n, r in enumerate(rows) if r.key == keep), 0) if keep else 0
        self.cursor = min(position, max(0, len(rows) - 1))
        self.refresh()

    def _matching(self) -> list[Row]:
        """The rows the filter and row filter let through, in the rows' order; looked for among the last
        filter's matches when this filter narrows it (each keystroke of a word then searches fewer rows)."""
        wanted, row_filter, source = self.wanted, self._row_filter, self._all
        last = self._matched
        if last is not None and last[1] is row_filter and wanted.narrows(last[0]):
            source = last[2]
        rows = select(source, self.columns, wanted, self._index) if wanted else list(source)
        if row_filter is not None:
            rows = [r for r in rows if row_filter(r)]
        self._matched = (wanted, row_filter, rows)
        return list(rows)

    @property
    def current_key(self) -> str | None:
        return self.shown[self.cursor].key if 0 <= self.cursor < len(self.shown) else None

    def has_row(self, key: str) -> bool:
        """Whether key is one of the rows, shown or hidden by the filter."""
        return any(row.key == key for row in self._all)

    def select_when_there(self, key: str) -> None:
        """Put the cursor on key now, or when the rows are next set if it is not here yet (a record just saved)."""
        if any(row.key == key for row in self.shown):
            self.move_to(key)
        else:
            self._select_next = key

    def move_to(self, key: str) -> None:
        for n, row in enumerate(self.shown):
            if row.key == key:
                self.cursor = n
                return

    # drawing

    LAST_MIN: ClassVar[int] = 8
    """The last column gives up width down to this before the table scrolls sideways."""

    def _total_width(self) -> int:
        """The narrowest the table gets without cutting columns: the last one at its least."""
        shown = [c for c, w in zip(self._sized, self._widths(), strict=True) if w is not None]
        if not shown:
            return 0
        *first, last = shown
        least = last.width if last.kept_whole else min(last.width, self.LAST_MIN)
        return sum(c.width + 1 for c in first) + least + 1

    def _widths(self) -> list[int | None]:
        """Column widths for the width on screen (None: hidden at this width), see rows.fit_widths."""
        room = self.scrollable_content_region.width
        if self._fitted is None or self._fitted[0] != room:
            self._fitted = (room, fit_widths(self._sized, room, self.LAST_MIN))
        return self._fitted[1]

    def _line(self, cells: Sequence[str], style: Style) -> Strip:
        text = Text(no_wrap=True, overflow="ellipsis", style=style, end="")
        for n, (value, width) in enumerate(zip(cells, self._widths(), strict=False)):
            if width is None:
                continue
            if self.columns[n].numeric:
                cell = Text(visible(value), no_wrap=True, overflow="ellipsis", end="")
                cell.truncate(width, overflow="ellipsis")
                cell.pad_left(width - cell.cell_len)
            else:  # cut keeps a date in brackets at the end whole: "Riverton Evening… (2026-04-09)"
                cell = Text(cut(visible(value), width), no_wrap=True, overflow="ellipsis", end="")
                cell.truncate(width, overflow="ellipsis", pad=True)
            text.append_text(cell)
            text.append(" ")
        segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(max(self.size.width, self._total_width()), style)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if y == 0:
            labels = [self._header_label(c) for c in self.columns]
            strip = self._line(labels, base + self.get_component_rich_style("record-table--header"))
            return strip.crop(scroll_x, scroll_x + self.size.width)
        index = scroll_y + y - 1
        if index >= len(self.shown):
            return Strip.blank(self.size.width, base)
        row = self.shown[index]
        style = base
        if row.style:
            style += self.get_component_rich_style(f"record-table--{row.style}")
        if index == self.cursor:
            style += self.get_component_rich_style("record-table--cursor")
        return self._line(row.cells, style).crop(scroll_x, scroll_x + self.size.width)

    def _header_label(self, column: Column) -> str:
        if column.key != self.sort_column:
            return column.label
        return f"{column.label} {'▼' if self.sort_reverse else '▲'}"

    # moving

    def watch_cursor(self, old: int, new: int) -> None:
        self._keep_visible()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def on_resize(self) -> None:
        self.virtual_size = Size(self._total_width(), len(self.shown) + 1)  # columns come and go with the width
        # A cursor moved before the first layout (e.g. straight after mounting) is scrolled to now.
        self._keep_visible()

    def _keep_visible(self) -> None:
        body = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + body:
            self.scroll_to(y=self.cursor - body + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        if self.shown:
            self.cursor = max(0, min(len(self.shown) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - 2))

    def action_jump(self, where: int) -> None:
        if self.shown:
            self.cursor = 0 if where == 0 else len(self.shown) - 1

    def action_select(self) -> None:
        if self.current_key is not None:
            self.post_message(self.Selected(self, self.current_key))

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.shown):
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = index
