"""The start screen: the pipeline, follow-ups due, recent conversations and who's not here yet."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Static

from allytui.model.agenda import due_words
from allytui.model.next_steps import next_steps
from allytui.model.overview import coverage, follow_ups, pipeline, recent_conversations, whos_not_here
from allytui.model.records import Kind
from allytui.model.relations import name_of
from allytui.model.rights import missing_basis
from allytui.store.loader import Loaded
from allytui.store.location import repo_caption
from allytui.tui.app_data import AppData
from allytui.tui.keymap import key_of
from allytui.tui.messages import EditRecord, ImportSpreadsheet, OpenRecord
from allytui.tui.navigation import open_filtered
from allytui.tui.safe import Doc
from allytui.tui.screens.conflicts import open_conflicts
from allytui.tui.terminal import in_terminal, offered
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.pipeline import Pipeline
from allytui.tui.widgets.record_table import Column, RecordTable, Row
from allytui.tui.widgets.tab_bar import TabBar

FOLLOW_UP_DAYS = 7
RECENT = 10
IMPORT_COMMAND = "allytui import groups FILE.csv"


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


def first_run(loaded: Loaded) -> bool:
    """An empty repo: no team described and no group yet."""
    return not loaded.records[Kind.TEAMS] and not loaded.records[Kind.GROUPS]


ACTION_STEPS = {
    "describe_team": "dashboard-team",
    "new_member": "dashboard-member",
    "new_group": "new",
    "import": "dashboard-import",
}
"""The dashboard's first-step actions, each offered while its step (model/next_steps.py) is still to take."""


class DashboardScreen(Screen[None], AppData):
    """Where an organiser starts: what's due, what happened lately, and where the gaps are."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority, so the footer shows it over the tables' own (hidden) enter
        Binding("enter", "open", "Open", id="open", priority=True),
        Binding("t", "describe_team", "Describe team", id="dashboard-team"),
        Binding("m", "new_member", "Add member", id="dashboard-member"),
        Binding("n", "new_group", "Add group", id="new"),
        Binding("i", "import", "Import CSV", id="dashboard-import"),
        Binding("S", "app.sync", "Sync", id="sync"),
    ]

    FOLLOW_UP_COLUMNS: ClassVar[list[Column]] = [
        Column("when", "When", 12, whole=True),
        Column("due", "Due", 10, whole=True),
        Column("who", "Group / conversation", 16, grow=1, most=40),
        Column("what", "What", 8, grow=1),
    ]
    RECENT_COLUMNS: ClassVar[list[Column]] = [
        Column("date", "Date", 10, whole=True),
        Column("group", "Group", 12, grow=3, most=36),
        Column("channel", "Channel", 11, grow=1, most=14),
        Column("us", "Us", 6, grow=2),
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
                yield Static(id="gaps")
            recent = RecordTable(self.RECENT_COLUMNS, id="recent")
            recent.border_title = "Recent conversations"
            yield recent
        with VerticalScroll(id="welcome"):
            yield Static(id="welcome-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)
        self.query_one("#follow-ups", RecordTable).focus()

    # drawing

    def _data_changed(self) -> None:
        loaded = self.loaded
        empty = loaded is not None and first_run(loaded)
        self.query_one("#dashboard").display = not empty
        welcome = self.query_one("#welcome")
        welcome.display = empty
        if empty:
            welcome.focus()
        elif self.focused is None or self.focused is welcome:
            self.query_one("#follow-ups").focus()
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
        conflicts = len(open_conflicts(index))
        if conflicts:
            choose = escape(key_of(self.app, "conflicts"))  # a border title is markup: a key may be [
            pipe.border_title += f" · ⚠ {conflicts} sync conflict{'s' if conflicts > 1 else ''}: {choose} to choose"
        pipe.border_title += f" · {escape(self.repo_caption(most=24))}"  # which data repo (last: cut first)

        table = self.query_one("#follow-ups", RecordTable)
        today = self.today
        due = follow_ups(index, today, within_days=FOLLOW_UP_DAYS)
        rows = []
        for item in due:
            overdue = item.is_overdue(today)
            cells = (due_words(item.due, today, short=True), item.due.isoformat(), item.label, item.what)
            haystack = " ".join(cells).lower()
            rows.append(Row(f"{item.kind.value}/{item.record_id}", cells, haystack, style="warning" if overdue else ""))
        table.set_rows(rows)
        late = sum(1 for item in due if item.is_overdue(today))
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
                ", ".join(first_name(name_of(index, Kind.PEOPLE, p)) for p in talk.our_people),
            )
            talks.append(Row(talk.id, cells, " ".join(cells).lower()))
        recent.set_rows(talks)

        self.query_one("#gaps", Static).update(self.gaps(loaded))

    def gaps(self, loaded: Loaded) -> Text:
        """Categories from the guide with no group yet, then those only researched, as short lists."""
        doc = Doc()
        steps = [step for step in next_steps(loaded.records) if offered(self.app, step.action)]
        if steps:
            doc.line(("Next steps:", "bold"))
            for step in steps:
                doc.line((f"{key_of(self.app, step.action)} ", "bold"), step.text)
            doc.line("")
        unbased = missing_basis(loaded.records)
        if unbased:
            doc.line((f"No lawful basis recorded for {len(unbased)} with contact details:", "bold"))
            doc.line(", ".join(p.name for p in unbased))
            doc.line((f"{key_of(self.app, 'privacy')} opens Privacy", "italic"))
            doc.line("")
        missing = whos_not_here(loaded.records)
        if not missing:
            doc.line(("Every kind of group the guide lists has one past researched.", "italic"))
        by_gap: dict[str, list[str]] = {}
        for gap in missing:
            by_gap.setdefault(gap.gap or "", []).append(gap.category.value.replace("_", " "))
        for n, (reason, names) in enumerate(by_gap.items()):
            if n:
                doc.line("")
            doc.line((reason[:1].upper() + reason[1:] + ":", "bold"))
            doc.line(", ".join(names))
        doc.line("")
        doc.line(("Groups per category", "bold"))
        doc.line(("(in brackets: past researched)", "italic"))
        for item in coverage(loaded.records):
            moved_on = f" ({item.moved_on})" if item.groups else ""
            doc.line(f"{item.category.value.replace('_', ' ')} {item.groups}{moved_on}")
        text = doc.text
        text.rstrip()
        return text

    def repo_caption(self, most: int = 0) -> str:
        loaded = self.loaded
        return repo_caption(loaded.settings.name if loaded else "", self.allytui_app.repo.root, most)

    def welcome(self) -> Text:
        doc = Doc()
        doc.line(("Welcome to allytui", "bold"))
        doc.line(f"This data repo, {self.repo_caption()}, is empty. Start where the guide starts:")
        doc.line("")
        team, group, sheet = (f" {key_of(self.app, k):^3} " for k in ("dashboard-team", "new", "dashboard-import"))
        doc.line((team, "bold reverse"), "  Describe your team: who is in it, your motivations, priorities,")
        doc.line("       red lines and capacity (step 1)")
        doc.line((group, "bold reverse"), "  Add a group you could ally with (step 2)")
        if in_terminal(self.app):  # in a browser a path would be the server's
            doc.line((sheet, "bold reverse"), "  Import a spreadsheet of groups")
        doc.line("")
        doc.line("From the command line, a spreadsheet saved as CSV imports with:")
        doc.line(("  ", ""), (IMPORT_COMMAND, "bold"))
        doc.line("")
        doc.line((f"Number keys switch screens; {key_of(self.app, 'help')} shows every key.", "italic"))
        return doc.text

    # events

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        kind, _, record_id = event.key.partition("/")
        if event.table.id == "recent":
            kind, record_id = Kind.CONVERSATIONS.value, event.key
        self.post_message(OpenRecord(kind, record_id))

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, RecordTable):
            focused.action_select()
        elif isinstance(focused, Pipeline):
            focused.action_choose()

    async def on_pipeline_chosen(self, event: Pipeline.Chosen) -> None:
        await open_filtered(self.app, Kind.GROUPS, f"stage:{event.stage.value}")

    # actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return isinstance(self.focused, RecordTable | Pipeline)
        if action == "import" and not in_terminal(self.app):
            return False  # in a browser a path would be the server's
        if action in {"describe_team", "new_member", "new_group", "import"}:
            loaded = self.loaded
            wanted = {step.action for step in next_steps(loaded.records)} if loaded is not None else set()
            return ACTION_STEPS[action] in wanted
        return True

    def action_describe_team(self) -> None:
        self.post_message(EditRecord(Kind.TEAMS, None))

    def action_new_member(self) -> None:
        loaded = self.loaded
        team = min(loaded.records[Kind.TEAMS], default=None) if loaded is not None else None
        self.post_message(EditRecord(Kind.PEOPLE, None, prefill={"member_of": team} if team else {}, focus="name"))

    def action_new_group(self) -> None:
        self.post_message(EditRecord(Kind.GROUPS, None))

    def action_import(self) -> None:
        self.post_message(ImportSpreadsheet())
