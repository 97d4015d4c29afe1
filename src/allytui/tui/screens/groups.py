"""Groups: every group we may ally with, filterable and sortable, with the selected group's details."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from allytui.model.records import Group, Kind
from allytui.model.relations import name_of
from allytui.store.loader import Loaded
from allytui.tui.details import signed
from allytui.tui.messages import NewConversation
from allytui.tui.screens.brief import BriefScreen
from allytui.tui.screens.record_list import RecordListScreen
from allytui.tui.widgets.record_table import Column, Row

STAGE_ORDER = {
    "researched": 0,
    "shortlisted": 1,
    "contacted": 2,
    "in_conversation": 3,
    "meeting": 4,
    "allied": 5,
    "paused": 6,
    "declined": 7,
}


class GroupsScreen(RecordListScreen):
    KIND = Kind.GROUPS
    TITLE_TEXT = "Groups"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "log_conversation", "Log talk", id="log-conversation"),
        Binding("b", "brief", "Brief", id="brief"),
    ]
    COLUMNS: ClassVar[list[Column]] = [
        Column("name", "Name", 22),
        Column("category", "Category", 12),
        Column("stage", "Stage", 11),
        Column("influence", "Inf", 3, numeric=True),
        Column("alignment", "Aln", 3, numeric=True),
        Column("lead", "Lead", 10),
        Column("next", "Next action / due", 16),
    ]

    def rows(self, loaded: Loaded) -> list[Row]:
        today = self.today
        index = loaded.records
        rows = []
        for group in loaded.records[Kind.GROUPS].values():
            assert isinstance(group, Group)
            lead = name_of(index, Kind.PEOPLE, group.lead)
            due = group.next_action_due
            next_text = " ".join(x for x in (due.isoformat() if due else "", group.next_action) if x)
            cells = (
                group.name,
                group.category.value.replace("_", " "),
                group.stage.value.replace("_", " "),
                "" if group.influence is None else str(group.influence),
                signed(group.alignment),
                lead,
                next_text,
            )
            haystack = " ".join(
                (
                    *cells,
                    group.id,
                    group.area,
                    group.aims,
                    group.notes,
                    group.theory_of_change,
                    group.organisation,
                    group.networks,
                    " ".join(group.tags),
                    " ".join(group.red_lines),
                    group.shortlist_notes,
                    group.website,
                )
            ).lower()
            overdue = due is not None and due < today and group.stage.value not in {"declined", "paused"}
            rows.append(
                Row(
                    group.id,
                    cells,
                    haystack,
                    sort_keys=(
                        group.name.lower(),
                        group.category.value,
                        STAGE_ORDER[group.stage.value],
                        group.influence,
                        group.alignment,
                        lead.lower(),
                        due,
                    ),
                    style="warning" if overdue else ("muted" if group.stage.value in {"declined", "paused"} else ""),
                )
            )
        rows.sort(key=lambda r: r.sort_keys[0])
        return rows

    def action_brief(self) -> None:
        """A brief on the selected group, before a conversation or meeting."""
        record = self.current_record()
        if record is not None:
            self.app.push_screen(BriefScreen(record.id))

    def action_log_conversation(self) -> None:
        """Log a conversation with the selected group (date and group filled in)."""
        record = self.current_record()
        self.post_message(NewConversation(group_id=record.id if record else None))
