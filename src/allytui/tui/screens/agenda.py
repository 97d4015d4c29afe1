"""The agenda: what each member has to do, overdue first, and the groups going cold for want of a conversation."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from allytui.model.agenda import UNASSIGNED, AgendaItem, GoingCold, agenda, due_words, going_cold, left_out, plural
from allytui.model.records import Kind, Person
from allytui.model.relations import RecordIndex, name_of
from allytui.model.rights import do_not_contact_note
from allytui.store.loader import Loaded
from allytui.tui.app_data import AppData
from allytui.tui.keymap import key_of
from allytui.tui.messages import NewConversation
from allytui.tui.navigation import open_record
from allytui.tui.safe import Doc
from allytui.tui.screens.brief import BriefScreen
from allytui.tui.screens.choose import ChooseScreen
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.record_table import Column, RecordTable, Row
from allytui.tui.widgets.tab_bar import TabBar

HORIZON_DAYS = 14
EVERYONE = "*"
NOBODY = "-"  # the member filter's key for unassigned items (never a valid record id)


def when_words(due: dt.date, today: dt.date) -> str:
    """Short and readable without colour: "OVERDUE 37d", "today", "tomorrow", "in 6d"."""
    days = (due - today).days
    if days < 0:
        return f"OVERDUE {-days}d"
    if days <= 1:
        return due_words(due, today)
    return f"in {days}d"


class AgendaScreen(Screen[None], AppData):
    """By member: overdue items, then those coming up; below, groups going cold."""

    DEFAULT_CSS = """
    AgendaScreen #agenda-title { height: 1; padding: 0 1; background: $boost; }
    AgendaScreen RecordTable { border-top: solid $panel-lighten-2; border-title-color: $text-muted; }
    AgendaScreen RecordTable:focus { border-top: heavy $accent; border-title-color: $text; border-title-style: bold; }
    AgendaScreen RecordTable:blur > .record-table--cursor { text-style: none; }
    AgendaScreen #agenda-items { height: 3fr; }
    AgendaScreen #agenda-cold { height: 2fr; }
    AgendaScreen #agenda-detail { height: auto; max-height: 5; padding: 0 1; background: $surface;
        border-top: hkey $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority, so the footer shows it over the tables' own (hidden) enter
        Binding("enter", "open", "Open", id="open", priority=True),
        Binding("m", "choose_member", "Member", id="agenda-member"),
        Binding("b", "brief", "Brief", id="brief"),
        Binding("c", "log_conversation", "Log conversation", id="log-conversation"),
    ]

    ITEM_COLUMNS: ClassVar[list[Column]] = [
        Column("who", "Who", 12, grow=1, most=16),
        Column("when", "When", 12, whole=True),
        Column("due", "Due", 10, wide=100, whole=True),
        Column("record", "Group / record", 14, grow=2, most=36),
        Column("what", "What", 8, grow=3),
    ]
    COLD_COLUMNS: ClassVar[list[Column]] = [
        Column("group", "Group", 16, grow=2, most=40),
        Column("stage", "Stage", 15),
        Column("lead", "Lead", 12, grow=1, most=16),
        Column("last", "Last conversation", 10, grow=2, whole=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.member = EVERYONE
        self.items: dict[str, AgendaItem] = {}
        self.cold: dict[str, GoingCold] = {}

    def compose(self) -> ComposeResult:
        yield TabBar()
        yield Static(id="agenda-title")
        yield RecordTable(self.ITEM_COLUMNS, id="agenda-items")
        yield RecordTable(self.COLD_COLUMNS, id="agenda-cold")
        yield Static(id="agenda-detail")
        yield Footer(compact=True)

    @property
    def items_table(self) -> RecordTable:
        return self.query_one("#agenda-items", RecordTable)

    @property
    def cold_table(self) -> RecordTable:
        return self.query_one("#agenda-cold", RecordTable)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)
        self.items_table.focus()

    # drawing

    def _data_changed(self) -> None:
        loaded = self.loaded
        if loaded is None:
            self.query_one("#agenda-title", Static).update(Text("Loading…", style="italic"))
            return
        self._show(loaded)

    def _member_name(self, index: RecordIndex) -> str:
        if self.member == EVERYONE:
            return "everyone"
        if self.member == NOBODY:
            return "unassigned"
        return name_of(index, Kind.PEOPLE, self.member)

    def _show(self, loaded: Loaded) -> None:
        index, today = loaded.records, self.today
        sections = agenda(index, today, horizon_days=HORIZON_DAYS)
        if self.member == NOBODY:
            sections = [s for s in sections if s.member is None]
        elif self.member != EVERYONE:
            sections = [s for s in sections if s.member == self.member]
        rows, self.items = [], {}
        overdue = total = 0
        for section in sections:
            for n, item in enumerate(section.items):
                key = f"{section.member or NOBODY}|{item.kind.value}/{item.record_id}|{n}"
                self.items[key] = item
                late = item.is_overdue(today)
                overdue += late
                total += 1
                cells = (
                    section.name if n == 0 else "",
                    when_words(item.due, today),
                    item.due.isoformat(),  # its column shows on a wide table only
                    item.label,
                    item.what,
                )
                haystack = " ".join((section.name, *cells)).lower()
                rows.append(Row(key, cells, haystack, style="warning" if late else ""))
        self.items_table.set_rows(rows)
        whose = "" if self.member == EVERYONE else f" for {self._member_name(index)}"
        self.items_table.border_title = (
            f"To do{whose} · {overdue} overdue, {total - overdue} in the next {HORIZON_DAYS} days"
            if total
            else f"To do{whose} · nothing overdue or due in the next {HORIZON_DAYS} days"
        )
        dropped = left_out(index, today, HORIZON_DAYS)
        self.items_table.border_subtitle = do_not_contact_note(dropped) if dropped else ""

        days = loaded.settings.going_cold_days
        cold = going_cold(index, today, days)
        if self.member == NOBODY:
            cold = [c for c in cold if not c.lead]
        elif self.member != EVERYONE:
            cold = [c for c in cold if c.lead == self.member]
        self.cold = {c.group_id: c for c in cold}
        cold_rows = []
        for c in cold:
            last = f"{c.last_contact.isoformat()} ({plural(c.days or 0, 'day')})" if c.last_contact else "none yet"
            lead = name_of(index, Kind.PEOPLE, c.lead) or "no lead"
            cold_cells = (c.name, c.stage.value.replace("_", " "), lead, last)
            cold_rows.append(Row(c.group_id, cold_cells, " ".join(cold_cells).lower()))
        self.cold_table.set_rows(cold_rows)
        self.cold_table.border_title = (
            f"Going cold · {plural(len(cold), 'group')} with no conversation for {days}+ days"
            if cold
            else f"Going cold · none: every group we talk to has heard from us in {days} days"
        )
        title = Doc().line(
            ("Agenda", "bold"),
            f" · {self._member_name(index)} · {today.isoformat()}",
            (f" · {key_of(self.app, 'agenda-member')}: choose member", "dim"),
        )
        self.query_one("#agenda-title", Static).update(title.text)
        self._show_detail()

    def _show_detail(self) -> None:
        loaded = self.loaded
        detail = self.query_one("#agenda-detail", Static)
        if loaded is None:
            return
        index, doc = loaded.records, Doc()
        item, cold = self._current_item(), self._current_cold()
        if item is not None:
            owners = ", ".join(name_of(index, Kind.PEOPLE, o) for o in item.owners) or "unassigned"
            doc.line((owners, "bold"), f" · {item.kind.singular}: {item.label}")
            late = "⚠ " if item.is_overdue(self.today) else ""
            doc.line((f"{late}Due {item.due.isoformat()}, {due_words(item.due, self.today)}: ", "bold"), item.what)
        elif cold is not None:
            lead = name_of(index, Kind.PEOPLE, cold.lead) if cold.lead else "no lead"
            doc.line((cold.name, "bold"), f" · {cold.stage.value.replace('_', ' ')} · lead: {lead}")
            doc.line(cold.how_long[:1].upper() + cold.how_long[1:] + ".")
        else:
            doc.line(("Nothing selected.", "italic"))
        text = doc.text
        text.rstrip()
        detail.update(text)

    def _current_item(self) -> AgendaItem | None:
        table = self.items_table
        if self.focused is not table or table.current_key is None:
            return None
        return self.items.get(table.current_key)

    def _current_cold(self) -> GoingCold | None:
        table = self.cold_table
        if self.focused is not table or table.current_key is None:
            return None
        return self.cold.get(table.current_key)

    def _current_group(self) -> str | None:
        item, cold = self._current_item(), self._current_cold()
        if item is not None:
            return item.group_id
        return cold.group_id if cold is not None else None

    # events

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    async def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        if event.table.id == "agenda-cold":
            await open_record(self.app, Kind.GROUPS, event.key)
            return
        item = self.items.get(event.key)
        if item is not None:
            await open_record(self.app, item.kind, item.record_id)

    # actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action == "open":
            return isinstance(self.focused, RecordTable) and self.focused.current_key is not None
        if action in {"brief", "log_conversation"}:
            return self._current_group() is not None or None
        return True

    def action_open(self) -> None:
        if isinstance(self.focused, RecordTable):
            self.focused.action_select()

    def action_brief(self) -> None:
        group = self._current_group()
        if group is not None:
            self.app.push_screen(BriefScreen(group))

    def action_log_conversation(self) -> None:
        group = self._current_group()
        if group is not None:
            self.post_message(NewConversation(group_id=group))

    def action_choose_member(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        index = loaded.records
        counts: dict[str | None, int] = {}
        for section in agenda(index, self.today, horizon_days=HORIZON_DAYS):
            counts[section.member] = len(section.items)
        members = {p.id: p.name for p in index[Kind.PEOPLE].values() if isinstance(p, Person) and p.is_member}
        members |= {m: name_of(index, Kind.PEOPLE, m) for m in counts if m is not None}
        options = [(EVERYONE, "Everyone")]
        for member, name in sorted(members.items(), key=lambda pair: pair[1].lower()):
            options.append((member, f"{name} ({counts.get(member, 0)})"))
        options.append((NOBODY, f"{UNASSIGNED.capitalize()} ({counts.get(None, 0)})"))

        def chosen(key: str | None) -> None:
            if key is not None and self.loaded is not None:
                self.member = key
                self.items_table.focus()
                self._show(self.loaded)

        self.app.push_screen(ChooseScreen("Whose agenda? (number of items in brackets)", options), chosen)
