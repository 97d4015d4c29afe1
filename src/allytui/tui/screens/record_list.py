"""The shape shared by the Groups, People, Conversations and Activities screens: filter, table, detail."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

from allytui.model.filters import Fields
from allytui.model.records import Kind, Record
from allytui.store.layout import path_of
from allytui.store.loader import Loaded
from allytui.store.sealing import open_conflicts
from allytui.tui.app_data import AppData
from allytui.tui.details import record_detail
from allytui.tui.keymap import EDITOR_TIP, key_of
from allytui.tui.messages import DeleteRecord, EditFile, EditRecord, ImportSpreadsheet, PathwaysReady
from allytui.tui.screens.choose import ChooseScreen
from allytui.tui.screens.history import HistoryScreen
from allytui.tui.terminal import in_terminal
from allytui.tui.typed_ahead import keep_typed_ahead
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.list_body import ListBody
from allytui.tui.widgets.record_table import Column, RecordTable, Row
from allytui.tui.widgets.tab_bar import TabBar

IMPORT_TIP = "A spreadsheet (CSV) of these; rows already here are matched, never made twice"


class TableScreen(Screen[None], AppData):
    """A tab bar, a filter box, an optional summary line, and a table beside a detail pane."""

    AUTO_FOCUS = "#table"  # not the filter box, the first in the tab order: keys typed at once are list keys
    COLUMNS: ClassVar[list[Column]]
    FIELDS: ClassVar[Fields | None] = None
    """What `field:value` filter words may name; None: the columns and Row.extra keys, as text."""
    FILTER_HINT: ClassVar[str] = "to filter: type any part of any field"
    """The filter box's placeholder, after the key that goes to it."""
    SUMMARY_ID: ClassVar[str | None] = None

    def compose(self) -> ComposeResult:
        yield TabBar()
        yield Input(placeholder=f"{key_of(self.app, 'filter')} {self.FILTER_HINT}", id="filter")
        yield Static(id="filter-problem")
        if self.SUMMARY_ID:
            yield Static(id=self.SUMMARY_ID)
        yield ListBody(self.COLUMNS, fields=self.FIELDS)
        yield Footer(compact=True)

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)
        self.table.focus()

    def _data_changed(self) -> None:
        raise NotImplementedError

    def show_detail(self, key: str | None) -> None:
        raise NotImplementedError

    # the filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.filter(event.value)
        self.show_detail(self.table.current_key)

    @on(RecordTable.Filtered, "#table")
    def _filtered(self, event: RecordTable.Filtered) -> None:
        """Say what the filter could not understand (an unknown field or value), under the filter box."""
        problem = self.query_one("#filter-problem", Static)
        problem.update(Text("\n".join(event.wanted.errors)))  # typed text: never markup
        problem.set_class(bool(event.wanted.errors), "-shown")

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def on_key(self, event: events.Key) -> None:
        keep_typed_ahead(self, event, self.action_filter)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            self.set_focus(box)  # now, not after the keys already typed: those go into the box

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.table.focus()


class RecordListScreen(TableScreen):
    """A filterable, sortable table of one kind of record beside the selected record's details."""

    KIND: ClassVar[Kind]
    COLUMNS: ClassVar[list[Column]]
    TITLE_TEXT: ClassVar[str]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "sort", "Sort", id="sort", show=False),
        Binding("n", "new", "New", id="new"),
        Binding("enter", "edit", "Edit", id="edit", show=False),
        Binding("e", "editor", "Editor", id="editor", tooltip=EDITOR_TIP),
        Binding("d", "delete", "Delete", id="delete", show=False),
        Binding("h", "history", "History", id="history", tooltip="Every change to this record, by whom"),
        Binding("escape", "clear_filter", "Clear filter", id="clear-filter", show=False),
    ]

    _rows_of = -1
    """The app's records_version the table's rows were made from."""
    _detail_waits = False
    """The detail pane is shown once the table's new rows are painted (show_detail does nothing meanwhile)."""
    _detail_shown: tuple[str | None, int] | None = None
    """The record (and the app's data_version) the detail pane shows."""

    def _data_changed(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        if self._rows_of == self.allytui_app.records_version:  # rows depend on the records alone
            self.show_detail(self.table.current_key)
            return
        self._rows_of = self.allytui_app.records_version
        self.table.set_rows(self.rows(loaded))
        self._detail_waits = True  # the rows first: right after a load the first detail builds the pathways graph
        self.call_after_refresh(self._detail_after_paint)  # and the index of who belongs with whom (~70 ms at 50,000)

    def _detail_after_paint(self) -> None:
        self._detail_waits = False
        self.show_detail(self.table.current_key)

    # what each screen provides

    def rows(self, loaded: Loaded) -> list[Row]:
        raise NotImplementedError

    def detail(self, record: Record, loaded: Loaded) -> Text:
        opened = self.allytui_app.keyring.open(record)  # in memory only, for this view
        also = (
            [t.line() for t in self.allytui_app.region.touch.get(record.id, [])] if record.KIND is Kind.GROUPS else []
        )
        shown = open_conflicts(opened.record, self.allytui_app.keyring.identities)  # a conflict's other value too
        related = self.allytui_app.related(loaded)
        pending = self.allytui_app.pathways_pending(loaded) if record.KIND in (Kind.GROUPS, Kind.PEOPLE) else False
        key = partial(key_of, self.app)
        return record_detail(
            shown, loaded.records, self.today, key, opened.closed, also=also, related=related, graph_pending=pending
        )

    # events

    def on_pathways_ready(self, message: PathwaysReady) -> None:
        if message.loaded is self.loaded and not self._detail_waits:
            self._detail_shown = None  # the same record, drawn again
            self.show_detail(self.table.current_key)

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_detail(event.key)

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.action_edit()

    def show_detail(self, key: str | None) -> None:
        if self._detail_waits:
            return  # _detail_after_paint shows the row under the cursor then
        shown = (key, self.allytui_app.data_version)
        if shown == self._detail_shown:
            return  # the cursor settled on the same record again (each filter keystroke does this)
        self._detail_shown = shown
        loaded = self.loaded
        record = loaded.get(self.KIND, key) if loaded is not None and key else None
        body = self.query_one(ListBody)
        if record is None or loaded is None:
            if loaded is None:
                said = "Loading…"  # not "nothing here": the records are on their way (a large repo takes a second)
            elif loaded.records[self.KIND]:
                said = "Nothing selected."
            else:
                said = f"Nothing here yet: {key_of(self.app, 'new')} adds one."
            body.show(Text(said))
        else:
            body.show(self.detail(record, loaded))

    # actions

    def action_sort(self) -> None:
        options = [(c.key, c.label) for c in self.COLUMNS]

        def chosen(key: str | None) -> None:
            if key is None:
                return
            reverse = self.table.sort_column == key and not self.table.sort_reverse
            self.table.sort_by(key, reverse)

        self.app.push_screen(ChooseScreen("Sort by (again to reverse)", options), chosen)

    def current_record(self) -> Record | None:
        loaded, key = self.loaded, self.table.current_key
        return loaded.get(self.KIND, key) if loaded is not None and key else None

    def action_new(self) -> None:
        self.post_message(EditRecord(self.KIND, None))

    def action_edit(self) -> None:
        record = self.current_record()
        if record is not None:
            self.post_message(EditRecord(self.KIND, record))

    def action_editor(self) -> None:
        record = self.current_record()
        if record is not None:
            self.post_message(EditFile(path_of(record)))

    def action_delete(self) -> None:
        record = self.current_record()
        if record is not None:
            self.post_message(DeleteRecord(record))

    def action_import_sheet(self) -> None:
        """Import a spreadsheet of this list's records; rows matching a record here are not made twice."""
        self.post_message(ImportSpreadsheet(self.KIND))

    def action_history(self) -> None:
        record = self.current_record()
        if record is not None:
            self.app.push_screen(HistoryScreen(self.KIND, record.id, record.label))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"editor", "import_sheet"} and not in_terminal(self.app):
            return False  # in a browser: long text is edited in the form, and a path would be the server's
        if action in {"edit", "editor", "delete", "history"} and self.is_mounted:
            return self.current_record() is not None or None
        return True
