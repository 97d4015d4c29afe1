"""The start screen: the pipeline, follow-ups due, recent conversations and who's not here yet."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from allytui.model.overview import follow_ups, pipeline, recent_conversations, whos_not_here
from allytui.model.records import Kind
from allytui.model.relations import name_of
from allytui.store.loader import Loaded
from allytui.tui.messages import OpenRecord
from allytui.tui.navigation import open_filtered
from allytui.tui.safe import Doc
from allytui.tui.widgets.pipeline import Pipeline
from allytui.tui.widgets.record_table import Column, RecordTable, Row
from allytui.tui.widgets.tab_bar import TabBar

FOLLOW_UP_DAYS = 7
RECENT = 10
IMPORT_COMMAND = "allytui import groups FILE.csv"


def when_text(due: dt.date, today: dt.date) -> str:
    """How far off a date is, in words that need no colour: "overdue 6d", "today", "in 3d"."""
    days = (due - today).days
    if days < 0:
        return f"overdue {-days}d"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days}d"


def first_run(loaded: Loaded) -> bool:
    """An empty repo: no team described and no group yet."""
    return not loaded.records[Kind.TEAMS] and not loaded.records[Kind.GROUPS]


class DashboardScreen(Screen[None]):
    """Where an organiser starts: what's due, what happened lately, and where the gaps are."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "describe_team", "Describe your team", id="dashboard-team"),
        Binding("g", "new_group", "Add a group", id="dashboard-group"),
        Binding("i", "import", "Import spreadsheet", id="dashboard-import"),
    ]

    FOLLOW_UP_COLUMNS: ClassVar[list[Column]] = [
        Column("when", "When", 12),
        Column("due", "Due", 10),
        Column("who", "Group / conversation", 24),
        Column("what", "What", 20),
    ]
    RECENT_COLUMNS: ClassVar[list[Column]] = [
        Column("date", "Date", 10),
        Column("group", "Group", 20),
        Column("channel", "Channel", 12),
        Column("us", "Us", 16),
    ]

    def compose(self) -> ComposeResult:
        yield TabBar()
        with Container(id="dashboard"):
            pipe = Pipeline(id="pipeline")
            pipe.border_title = "Pipeline"
            yield pipe
            due = RecordTable(self.FOLLOW_UP_COLUMNS, id="follow-ups")
            due.border_title = "Follow-ups"
            yield due
            with VerticalScroll(id="whos-not-here") as gaps:
                gaps.border_title = "Who's not here?"
                gaps.can_focus = False
                yield Static(id="gaps")
            recent = RecordTable(self.RECENT_COLUMNS, id="recent")
            recent.border_title = "Recent conversations"
            yield recent
        with VerticalScroll(id="welcome"):
            yield Static(id="welcome-text")
        yield Footer()

    @property
    def loaded(self) -> Loaded | None:
        return getattr(self.app, "loaded", None)

    @property
    def today(self) -> dt.date:
        return self.app.today  # type: ignore[attr-defined,no-any-return]

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self._data_changed)
        self.query_one("#follow-ups", RecordTable).focus()

    # drawing

    def _data_changed(self) -> None:
        loaded = self.loaded
        empty = loaded is not None and first_run(loaded)
        self.query_one("#dashboard").display = not empty
        self.query_one("#welcome").display = empty
        if loaded is None:
            self.query_one("#gaps", Static).update(Text("Loading…", style="italic"))
        elif empty:
            self.query_one("#welcome-text", Static).update(self.welcome())
        else:
            self.show(loaded)
        self.refresh_bindings()

    def show(self, loaded: Loaded) -> None:
        index = loaded.records
        pipe = self.query_one(Pipeline)
        counts = pipeline(index)
        pipe.set_counts(counts)
        pipe.border_title = f"Pipeline · {sum(counts.values())} groups"

        table = self.query_one("#follow-ups", RecordTable)
        due = follow_ups(index, self.today, within_days=FOLLOW_UP_DAYS)
        rows = []
        for item in due:
            overdue = item.is_overdue(self.today)
            cells = (when_text(item.due, self.today), item.due.isoformat(), item.label, item.what)
            haystack = " ".join(cells).lower()
            rows.append(Row(f"{item.kind.value}/{item.record_id}", cells, haystack, style="warning" if overdue else ""))
        table.set_rows(rows)
        late = sum(1 for item in due if item.is_overdue(self.today))
        table.border_title = (
            f"Follow-ups · {late} overdue, {len(due) - late} due this week"
            if due
            else "Follow-ups · none due this week"
        )

        recent = self.query_one("#recent", RecordTable)
        talks = []
        for talk in recent_conversations(index, limit=RECENT):
            cells = (
                talk.date.isoformat(),
                name_of(index, Kind.GROUPS, talk.group) or "no group",
                talk.channel.value.replace("_", " "),
                ", ".join(name_of(index, Kind.PEOPLE, p) for p in talk.our_people),
            )
            talks.append(Row(talk.id, cells, " ".join(cells).lower()))
        recent.set_rows(talks)

        self.query_one("#gaps", Static).update(self.gaps(loaded))

    def gaps(self, loaded: Loaded) -> Text:
        doc = Doc()
        missing = whos_not_here(loaded.records)
        if not missing:
            doc.line(("Every kind of group in the guide has one past researched.", "italic"))
        for gap in missing:
            doc.line((gap.category.value.replace("_", " "), "bold"), f" · {gap.gap}")
        text = doc.text
        text.rstrip()
        return text

    def welcome(self) -> Text:
        doc = Doc()
        doc.line(("Welcome to allytui", "bold"))
        doc.line("This data repo is empty. Start where the guide starts:")
        doc.line("")
        doc.line(("  t  ", "bold reverse"), "  Describe your team: who is in it, your motivations, priorities,")
        doc.line("        red lines and capacity (step 1)")
        doc.line(("  g  ", "bold reverse"), "  Add a group you could ally with (step 2)")
        doc.line(("  i  ", "bold reverse"), "  Import a spreadsheet of groups")
        doc.line("")
        doc.line("From the command line, a spreadsheet saved as CSV imports with:")
        doc.line(("  ", ""), (IMPORT_COMMAND, "bold"))
        doc.line("")
        doc.line(("Number keys switch screens; ? shows every key.", "italic"))
        return doc.text

    # events

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        kind, _, record_id = event.key.partition("/")
        if event.table.id == "recent":
            kind, record_id = Kind.CONVERSATIONS.value, event.key
        self.post_message(OpenRecord(kind, record_id))

    async def on_pipeline_chosen(self, event: Pipeline.Chosen) -> None:
        await open_filtered(self.app, Kind.GROUPS, f"stage:{event.stage.value}")

    # actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"describe_team", "new_group", "import"}:
            loaded = self.loaded
            return loaded is not None and first_run(loaded)
        return True

    def action_describe_team(self) -> None:
        self.app.edit_record(Kind.TEAMS, None)  # type: ignore[attr-defined]

    def action_new_group(self) -> None:
        self.app.edit_record(Kind.GROUPS, None)  # type: ignore[attr-defined]

    def action_import(self) -> None:
        self.app.import_spreadsheet()  # type: ignore[attr-defined]
