"""Activity ideas from the guide that fit our capacity, each with the groups it suits; enter starts one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from allytui.model.records import Kind
from allytui.model.suggestions import MAX_PARTNERS, Suggestion, activity_prefill, suggestions, team_capacity
from allytui.tui.app_data import AppData
from allytui.tui.keymap import key_of
from allytui.tui.messages import EditRecord
from allytui.tui.safe import Doc
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.list_body import ListBody
from allytui.tui.widgets.record_table import Column, RecordTable, Row


def suggestion_text(suggestion: Suggestion, start_key: str) -> Text:
    idea = suggestion.idea
    doc = Doc()
    doc.line((idea.title, "bold"))
    doc.line((f"{idea.kind.value.replace('_', ' ')} · for {idea.for_whom}", "italic"))
    doc.line(idea.hint)
    if suggestion.existing:
        doc.heading("Already an idea or planned")
        doc.bullets(suggestion.existing)
    doc.heading(f"Groups it suits ({len(suggestion.groups)})")
    doc.bullets(
        [f"{g.name} — {g.stage.value.replace('_', ' ')}, {g.why}" for g in suggestion.groups],
        "None of the groups we are in conversation with yet: see who's not here, then reach out (steps 5-6).",
    )
    if suggestion.groups:
        doc.line("")
        first = min(MAX_PARTNERS, len(suggestion.groups))
        doc.line(
            (start_key, "bold"),
            f" starts this activity as an idea, with the first {first} as partners; agree each one's role with them.",
        )
    text = doc.text
    text.rstrip()
    return text


class SuggestionsScreen(Screen[None], AppData):
    """The guide's step 8 ideas for our team's capacity, beside the selected one's groups."""

    DEFAULT_CSS = """
    SuggestionsScreen #suggestions-title { height: 1; padding: 0 1; background: $boost; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="suggestions-back"),
        # priority, so the footer shows it over the table's own (hidden) enter
        Binding("enter", "start", "Start this activity", id="suggestions-start", priority=True),
    ]

    COLUMNS: ClassVar[list[Column]] = [
        Column("idea", "Idea", 40),
        Column("for", "For", 7),
        Column("fits", "Fits", 4, numeric=True),
        Column("already", "Already", 16),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, Suggestion] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="suggestions-title")
        yield ListBody(self.COLUMNS)
        yield Footer(compact=True)

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)
        self.table.focus()

    def _data_changed(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        capacity, from_team = team_capacity(loaded.records)
        found = suggestions(loaded.records, capacity)
        self.found = {s.idea.key: s for s in found}
        rows = []
        for s in found:
            short = "others" if s.idea.together else s.idea.capacity.value if s.idea.capacity else ""
            cells = (s.idea.title, short, str(len(s.groups)), "; ".join(s.existing) or "-")
            haystack = " ".join((*cells, s.idea.hint, *(g.name for g in s.groups))).lower()
            rows.append(Row(s.idea.key, cells, haystack))
        self.table.set_rows(rows)
        team_key = key_of(self.app, "dashboard-team")
        source = "" if from_team else f" (no team recorded yet: {team_key} on the dashboard describes it)"
        title = Doc().line(("Activity ideas", "bold"), f" · our capacity: {capacity.value}{source}")
        self.query_one("#suggestions-title", Static).update(title.text)
        self._show_detail(self.table.current_key)

    def _show_detail(self, key: str | None) -> None:
        suggestion = self.found.get(key or "")
        start_key = key_of(self.app, "suggestions-start")
        nothing = Text("Nothing selected.", style="italic")
        self.query_one(ListBody).show(suggestion_text(suggestion, start_key) if suggestion else nothing)

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self._show_detail(event.key)

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.action_start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start" and self.is_mounted:
            return self.table.current_key in self.found or None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_start(self) -> None:
        suggestion = self.found.get(self.table.current_key or "")
        if suggestion is not None:
            self.post_message(EditRecord(Kind.ACTIVITIES, None, prefill=activity_prefill(suggestion)))
