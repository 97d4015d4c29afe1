"""A record table beside the selected row's detail pane (under it on a narrow terminal)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from allytui.model.filters import Fields
from allytui.tui.rows import Column
from allytui.tui.widgets.record_table import RecordTable


class ListBody(Horizontal):
    """The body of every list screen: its RecordTable (#table) and the detail of the row under the cursor."""

    def __init__(self, columns: list[Column], fields: Fields | None = None) -> None:
        super().__init__(id="list-body")
        self._columns = columns
        self._fields = fields

    def compose(self) -> ComposeResult:
        yield RecordTable(self._columns, fields=self._fields, id="table")
        with VerticalScroll(id="detail-pane"):
            yield Static(id="detail")

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def show(self, detail: Text | str) -> None:
        """Show detail in the pane, scrolled to its top."""
        self.query_one("#detail", Static).update(detail)
        self.query_one("#detail-pane").scroll_home(animate=False)
